"""The command line: ``timeline tag``, ``timeline anchor`` and ``timeline evaluate``."""

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
# anchor

ANCHOR_FIELDS = {"doc_id", "event_id", "value", "earliest", "latest", "grain", "source", "time_start", "time_end",
                 "relation"}
STRIKES = "At least 25 people were killed in strikes on Sunday, rescuers said early on Monday."
HISTORY = "Japanese forces attacked the fleet in December 1941. In January, troops captured Manila."


def _event(doc_id: object, text: str, published: object, *words: str) -> dict:
    """A ``timeline anchor`` input line with one event per word (its first occurrence)."""
    events = [{"id": f"{doc_id}-{i}", "start": text.index(w), "end": text.index(w) + len(w)}
              for i, w in enumerate(words)]
    return {"doc_id": doc_id, "published": published, "text": text, "events": events}


def _write_jsonl(path: Path, lines: list[object]) -> Path:
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n",
                    encoding="utf-8")
    return path


def test_anchor_writes_one_line_per_event(tmp_path: Path, capsys) -> None:
    docs = _write_jsonl(tmp_path / "docs.jsonl", [
        _event("wire", STRIKES, "2024-12-02", "said", "strikes"),  # output keeps the input order
        _event("undated", "Rebels took the town.", None, "took"),
        {"doc_id": 7, "published": "2024-12-02", "text": "Nothing happened.", "events": []},
    ])
    out_path = tmp_path / "anchors.jsonl"
    assert main(["anchor", "--input", str(docs), "--output", str(out_path)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    rows = json_lines(out_path.read_text(encoding="utf-8"))
    assert all(set(row) == ANCHOR_FIELDS for row in rows)
    assert [(r["doc_id"], r["event_id"]) for r in rows] == [("wire", "wire-0"), ("wire", "wire-1"),
                                                            ("undated", "undated-0")]
    said, strikes, undated = rows
    # The strikes happened on Sunday; the rescuers spoke on Monday.
    assert (strikes["value"], strikes["grain"], strikes["source"], strikes["relation"]) == (
        "2024-12-01", "day", "clause", "included")
    assert (strikes["earliest"], strikes["latest"]) == ("2024-12-01T00:00:00", "2024-12-02T00:00:00")
    assert STRIKES[strikes["time_start"]:strikes["time_end"]] == "Sunday"
    assert said["value"].startswith("2024-12-02")
    assert STRIKES[said["time_start"]:said["time_end"]] == "early on Monday"
    # No publication date and no time in the text: nothing is invented.
    assert (undated["value"], undated["earliest"], undated["time_start"], undated["time_end"]) == (None,) * 4
    assert "anchored 3 event(s) in 3 document(s)" in err


def test_anchor_matches_the_library_function(tmp_path: Path, capsys) -> None:
    from timeline import anchor_events

    line = _event("wire", STRIKES, "2024-12-02", "killed", "strikes", "said")
    assert main(["anchor", "--input", str(_write_jsonl(tmp_path / "d.jsonl", [line]))]) == 0
    rows = json_lines(capsys.readouterr().out)
    spans = [(e["start"], e["end"]) for e in line["events"]]
    expected = [a.to_dict() for a in anchor_events(STRIKES, spans, dct="2024-12-02")]
    assert [{k: r[k] for k in ANCHOR_FIELDS - {"doc_id", "event_id"}} for r in rows] == [
        {k: e[k] for k in ANCHOR_FIELDS - {"doc_id", "event_id"}} for e in expected]


def test_anchor_mode_narrative(tmp_path: Path, capsys) -> None:
    docs = _write_jsonl(tmp_path / "history.jsonl", [_event("h", HISTORY, "2009-12-19", "captured")])
    assert main(["anchor", "--input", str(docs)]) == 0
    (news,) = json_lines(capsys.readouterr().out)
    assert main(["anchor", "--input", str(docs), "--mode", "narrative"]) == 0
    (narrative,) = json_lines(capsys.readouterr().out)
    assert narrative["value"] == "1942-01"  # "January" after "December 1941"
    assert news["value"] != "1942-01"  # news mode reads "January" near the publication date
    assert HISTORY[narrative["time_start"]:narrative["time_end"]] == "January"


@pytest.mark.parametrize("output", [None, "-"])
def test_anchor_to_stdout(tmp_path: Path, capsys, output: str | None) -> None:
    docs = _write_jsonl(tmp_path / "docs.jsonl", [_event("wire", STRIKES, "2024-12-02", "strikes")])
    argv = ["anchor", "--input", str(docs)] + (["--output", output] if output else [])
    assert main(argv) == 0
    out, _ = capsys.readouterr()
    assert [(r["doc_id"], r["value"]) for r in json_lines(out)] == [("wire", "2024-12-01")]
    assert not (Path.cwd() / "-").exists()


def test_anchor_reads_stdin(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(_event("wire", STRIKES, "2024-12-02", "strikes"))))
    assert main(["anchor", "--input", "-"]) == 0
    assert [r["value"] for r in json_lines(capsys.readouterr().out)] == ["2024-12-01"]


GOOD = _event("good", STRIKES, "2024-12-02", "strikes")
BAD_LINES = {
    "invalid JSON": ('{"doc_id": "x", "text": ', "not valid JSON"),
    "not an object": ("[1, 2]", "not an object"),
    "missing events": ({"doc_id": "x", "published": None, "text": "t"}, "missing field 'events'"),
    "missing text": ({"doc_id": "x", "published": None, "events": []}, "missing field 'text'"),
    "missing doc_id": ({"published": None, "text": "t", "events": []}, "missing field 'doc_id'"),
    "bad date": ({**GOOD, "published": "2024-13-45"}, "2024-13-45"),
    "date not a string": ({**GOOD, "published": 20241202}, "published is a JSON number"),
    "text not a string": ({**GOOD, "text": 42}, "text is a JSON number"),
    "events not a list": ({**GOOD, "events": {"id": 1}}, "events is a JSON object"),
    "event not an object": ({**GOOD, "events": [[0, 3]]}, "events[0] is a JSON array"),
    "event without end": ({**GOOD, "events": [{"id": "e", "start": 0}]}, "events[0] has no 'end'"),
    "span past the text": ({**GOOD, "events": [{"id": "e", "start": 80, "end": 400}]}, "span [80, 400)"),
    "negative span": ({**GOOD, "events": [{"id": "e", "start": -1, "end": 3}]}, "span [-1, 3)"),
    "reversed span": ({**GOOD, "events": [{"id": "e", "start": 9, "end": 3}]}, "span [9, 3)"),
    "offset not an integer": ({**GOOD, "events": [{"id": "e", "start": "0", "end": 3}]}, "events[0].start"),
    "offset a boolean": ({**GOOD, "events": [{"id": "e", "start": 0, "end": True}]}, "events[0].end"),
    "event id a boolean": ({**GOOD, "events": [{"id": False, "start": 0, "end": 3}]}, "events[0].id"),
    "nested 100,000 deep": ("[" * 100_000, "nested too deeply"),
}


@pytest.mark.parametrize("kind", sorted(BAD_LINES))
def test_anchor_bad_line_is_reported_and_skipped(tmp_path: Path, capsys, kind: str) -> None:
    bad, message = BAD_LINES[kind]
    after = _event("after", HISTORY, "2009-12-19", "attacked")
    docs = _write_jsonl(tmp_path / "docs.jsonl", [GOOD, "", bad, after])  # the bad line is line 3
    out_path = tmp_path / "out.jsonl"
    assert main(["anchor", "--input", str(docs), "--output", str(out_path)]) == 0
    _, err = capsys.readouterr()
    assert "Traceback" not in err
    (report,) = [line for line in err.splitlines() if "skipped" in line and ":3:" in line]
    assert message in report, report
    assert f"{docs}:3:" in report
    rows = json_lines(out_path.read_text(encoding="utf-8"))
    assert [r["doc_id"] for r in rows] == ["good", "after"]  # the lines before and after still come out
    assert "skipped 1 bad line(s)" in err


def test_anchor_only_bad_lines_fails(tmp_path: Path, capsys) -> None:
    docs = _write_jsonl(tmp_path / "docs.jsonl", ["{not json", {"doc_id": "x", "text": 1, "events": []}])
    assert main(["anchor", "--input", str(docs)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "skipped 2 bad line(s)" in err and "Traceback" not in err


@pytest.mark.parametrize("argv", [
    ["anchor"],  # --input is required
    ["anchor", "--input", "DOCS", "--mode", "history"],
    ["anchor", "--input", "DOCS", "--bogus"],
])
def test_anchor_usage_errors(tmp_path: Path, capsys, argv: list[str]) -> None:
    docs = _write_jsonl(tmp_path / "docs.jsonl", [GOOD])
    assert main([str(docs) if a == "DOCS" else a for a in argv]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_anchor_missing_input_creates_no_output(tmp_path: Path, capsys) -> None:
    out_path = tmp_path / "out.jsonl"
    assert main(["anchor", "--input", str(tmp_path / "absent.jsonl"), "--output", str(out_path)]) == 2
    err = capsys.readouterr().err
    assert "absent.jsonl" in err and "Traceback" not in err
    assert not out_path.exists()


def test_tag_batch_survives_a_deeply_nested_line(tmp_path: Path, capsys) -> None:
    docs = _write_jsonl(tmp_path / "docs.jsonl", ["[" * 100_000, DOCS[0]])
    assert main(["tag", "--input", str(docs)]) == 0
    out, err = capsys.readouterr()
    assert [r["doc_id"] for r in json_lines(out)] == ["ok"]
    assert ":1: not usable JSON (nested too deeply)" in err and "Traceback" not in err


# ---------------------------------------------------------------------------
# evaluate

GOLD_TML = """<?xml version="1.0" encoding="UTF-8"?>
<TimeML>
<DOCID>cli_doc</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2024-12-02" functionInDocument="CREATION_TIME">2024-12-02</TIMEX3></DCT>
<TEXT>They met on <TIMEX3 tid="t1" type="DATE" value="2024-11-29">Friday</TIMEX3> and the war began in <TIMEX3 tid="t2" type="DATE" value="2016">2016</TIMEX3>.</TEXT>
</TimeML>
"""  # noqa: E501 - a TimeML document: its text is one line


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
