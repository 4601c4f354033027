"""The command line: ``timeline tag`` and ``timeline evaluate``."""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from timeline import TimeExpression
from timeline.cli import main
from timeline.timeml import read_timeml

FIELDS = {f.name for f in dataclasses.fields(TimeExpression)}


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


# ---------------------------------------------------------------------------
# tag


def test_tag_text_prints_one_json_line_per_expression(capsys) -> None:
    status = main(["tag", "--dct", "2024-12-02", "They met on Friday. Talks resumed on Sunday."])
    out, err = capsys.readouterr()
    assert status == 0
    rows = json_lines(out)
    assert len(out.strip().splitlines()) == len(rows) == 2
    assert all(set(row) == FIELDS for row in rows)
    assert [(r["text"], r["value"], r["anchor_source"]) for r in rows] == [
        ("Friday", "2024-11-29", "dct"),
        ("Sunday", "2024-12-01", "dct"),
    ]
    assert rows[0]["start"] == 12 and rows[0]["end"] == 18
    assert rows[0]["earliest"] == "2024-11-29T00:00:00" and rows[0]["anchor"] == "2024-12-02"
    assert "Traceback" not in err


def test_tag_reads_stdin(capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Shops are closed today.\nThey met on Friday.\n"))
    status = main(["tag", "--dct", "2024-12-02", "-"])
    out, _ = capsys.readouterr()
    assert status == 0
    assert [(r["text"], r["value"]) for r in json_lines(out)] == [("today", "2024-12-02"), ("Friday", "2024-11-29")]


def test_tag_without_dct_leaves_relative_expressions_unresolved(capsys) -> None:
    status = main(["tag", "They met on Friday."])
    out, err = capsys.readouterr()
    assert status == 0
    (row,) = json_lines(out)
    assert (row["value"], row["anchor_source"], row["earliest"]) == ("XXXX-WXX-5", "none", None)
    assert "--dct" in err


@pytest.mark.parametrize("bad", ["2024-13-45", "yesterday"])
def test_tag_invalid_dct_is_a_usage_error_without_traceback(capsys, bad: str) -> None:
    status = main(["tag", "--dct", bad, "They met on Friday."])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert bad in err and "YYYY-MM-DD" in err
    assert "Traceback" not in err


def test_tag_needs_text(capsys) -> None:
    assert main(["tag", "--dct", "2024-12-02"]) == 2
    _, err = capsys.readouterr()
    assert "Traceback" not in err and err.strip()


DOCS = [
    json.dumps({"doc_id": "ok", "published": "2024-12-02", "text": "They met on Friday."}),
    json.dumps({"doc_id": "nodate", "published": None, "text": "They met on Friday."}),
    json.dumps({"doc_id": "baddate", "published": "2024-13-45", "text": "They met on Friday in 2016."}),
    '{"doc_id": "broken", "published": "2024-12-02", "text": ',
    json.dumps({"doc_id": "notext", "published": "2024-12-02"}),
    "",
    json.dumps({"doc_id": "empty", "published": "2024-12-02", "text": "Nothing to see."}),
]


def test_tag_batch(tmp_path: Path, capsys) -> None:
    docs = tmp_path / "docs.jsonl"
    docs.write_text("\n".join(DOCS) + "\n", encoding="utf-8")
    out_path = tmp_path / "out.jsonl"
    status = main(["tag", "--input", str(docs), "--output", str(out_path)])
    out, err = capsys.readouterr()
    assert status == 0  # bad lines are reported, the good documents are processed
    assert out == ""
    rows = json_lines(out_path.read_text(encoding="utf-8"))
    assert all(set(row) == FIELDS | {"doc_id"} for row in rows)
    by_doc: dict[str, list[dict]] = {}
    for row in rows:
        by_doc.setdefault(row["doc_id"], []).append(row)
    assert set(by_doc) == {"ok", "nodate", "baddate"}

    assert [(r["value"], r["anchor_source"]) for r in by_doc["ok"]] == [("2024-11-29", "dct")]
    assert [(r["value"], r["anchor_source"], r["anchor"]) for r in by_doc["nodate"]] == [("XXXX-WXX-5", "none", None)]
    assert [(r["text"], r["value"], r["anchor_source"]) for r in by_doc["baddate"]] == [
        ("Friday", "XXXX-WXX-5", "none"),
        ("2016", "2016", "absolute"),
    ]

    assert "Traceback" not in err
    err_lines = err.splitlines()
    assert any("2024-13-45" in line and ":3" in line for line in err_lines), err
    assert any(":4" in line and "JSON" in line for line in err_lines), err
    assert any(":5" in line and "text" in line for line in err_lines), err


def test_tag_batch_to_stdout(tmp_path: Path, capsys) -> None:
    docs = tmp_path / "docs.jsonl"
    docs.write_text(DOCS[0] + "\n", encoding="utf-8")
    assert main(["tag", "--input", str(docs)]) == 0
    out, _ = capsys.readouterr()
    assert [(r["doc_id"], r["value"]) for r in json_lines(out)] == [("ok", "2024-11-29")]


def test_tag_batch_of_only_bad_lines_fails(tmp_path: Path, capsys) -> None:
    docs = tmp_path / "docs.jsonl"
    docs.write_text(DOCS[3] + "\n" + DOCS[4] + "\n", encoding="utf-8")
    status = main(["tag", "--input", str(docs)])
    _, err = capsys.readouterr()
    assert status != 0
    assert "Traceback" not in err


def test_tag_batch_missing_file(tmp_path: Path, capsys) -> None:
    status = main(["tag", "--input", str(tmp_path / "absent.jsonl")])
    _, err = capsys.readouterr()
    assert status != 0
    assert "absent.jsonl" in err and "Traceback" not in err


# ---------------------------------------------------------------------------
# evaluate

GOLD_TML = """<?xml version="1.0" encoding="UTF-8"?>
<TimeML>
<DOCID>cli_doc</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2024-12-02" functionInDocument="CREATION_TIME">2024-12-02</TIMEX3></DCT>
<TEXT>They met on <TIMEX3 tid="t1" type="DATE" value="2024-11-29">Friday</TIMEX3> and the war began in <TIMEX3 tid="t2" type="DATE" value="2016">2016</TIMEX3>.</TEXT>
</TimeML>
"""


@pytest.fixture()
def gold_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "cli_doc.tml").write_text(GOLD_TML, encoding="utf-8")
    return folder


def _table_row(out: str, name: str) -> list[str]:
    for line in out.splitlines():
        if line.split()[:1] == [name]:
            return line.split()[1:]
    raise AssertionError(f"no {name!r} row in:\n{out}")


def test_evaluate_prints_a_table(gold_dir: Path, capsys) -> None:
    assert main(["evaluate", str(gold_dir)]) == 0
    out, err = capsys.readouterr()
    for row in ("strict", "relaxed", "value"):
        assert _table_row(out, row), out
    assert len(_table_row(out, "strict")) == 3 and len(_table_row(out, "value")) == 2
    # Two easy expressions: the tagger finds both with the right values.
    assert _table_row(out, "strict") == ["100.00"] * 3
    assert _table_row(out, "value") == ["100.00"] * 2
    assert "gold 2" in out
    assert "Traceback" not in err


def test_evaluate_json(gold_dir: Path, capsys) -> None:
    assert main(["evaluate", str(gold_dir), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["gold"] == 2
    assert scores["strict_f1"] == pytest.approx(1.0)
    assert scores["value_f1"] == pytest.approx(1.0)


def test_evaluate_gold_against_itself_is_perfect(gold_dir: Path, capsys) -> None:
    assert main(["evaluate", str(gold_dir), "--system", str(gold_dir)]) == 0
    out, _ = capsys.readouterr()
    for row in ("strict", "relaxed"):
        assert _table_row(out, row) == ["100.00"] * 3, out
    for row in ("type", "value"):
        assert _table_row(out, row) == ["100.00"] * 2, out


def test_evaluate_out_writes_timeml(gold_dir: Path, tmp_path: Path, capsys) -> None:
    out_dir = tmp_path / "system"
    assert main(["evaluate", str(gold_dir), "--out", str(out_dir)]) == 0
    capsys.readouterr()
    written = sorted(p.name for p in out_dir.glob("*.tml"))
    assert written == ["cli_doc.tml"]
    doc = read_timeml(out_dir / "cli_doc.tml")
    gold = read_timeml(gold_dir / "cli_doc.tml")
    assert doc.text == gold.text
    assert [(t.text, t.value) for t in doc.timexes] == [("Friday", "2024-11-29"), ("2016", "2016")]
    # The written output scores like the tagger itself.
    assert main(["evaluate", str(gold_dir), "--system", str(out_dir)]) == 0
    assert _table_row(capsys.readouterr().out, "value") == ["100.00"] * 2


def test_evaluate_missing_gold_folder(tmp_path: Path, capsys) -> None:
    status = main(["evaluate", str(tmp_path / "nowhere")])
    _, err = capsys.readouterr()
    assert status == 2
    assert "nowhere" in err and "Traceback" not in err


# ---------------------------------------------------------------------------
# The installed console script


def _console_script() -> list[str]:
    beside = Path(sys.executable).with_name("timeline")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("timeline")
    if found:
        return [found]
    return [sys.executable, "-m", "timeline.cli"]


def test_console_script_runs() -> None:
    done = subprocess.run(
        [*_console_script(), "tag", "--dct", "2024-12-02", "They met on Friday."],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    (row,) = json_lines(done.stdout)
    assert (row["text"], row["value"]) == ("Friday", "2024-11-29")
