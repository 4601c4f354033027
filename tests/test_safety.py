"""Hostile input and safe output: CSV formula injection, symbolic links, bad JSONL lines.

Each test builds a small corpus in ``tmp_path``, runs the real ``timeline build`` (or
:func:`timeline.ingest.load`) and reads back what was written.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from timeline.cli import main
from timeline.exports import FORMULA_PREFIXES, csv_safe, write_csv
from timeline.ingest import load
from timeline.pipeline import build

STORY = "Rebels seized the town of Saraqeb on Sunday. Aircraft bombed Idlib on Monday, killing at least 12 people."
needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="POSIX symlinks")


def csv_cells(out: Path) -> dict[str, list[list[str]]]:
    """Every CSV under ``out``, read back with the csv module: name -> rows (header included)."""
    tables = {}
    for path in sorted(out.rglob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            tables[str(path.relative_to(out))] = list(csv.reader(handle))
    return tables


def all_bytes(out: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file())


# --- 1. CSV formula injection -------------------------------------------------------------

# One document per dangerous first character: its file name (so doc_id and source),
# title and first sentence start with it.
_HOSTILE = {
    "eq": "=HYPERLINK(\"http://evil.example\",\"x\")",
    "plus": "+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
}


@pytest.fixture()
def hostile_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    names = []
    for key, payload in _HOSTILE.items():
        name = f"{payload[0]}{key}.txt"
        body = f"{payload} Rebels killed 5 people in Aleppo on Monday.\n\n{STORY}\n"
        front = f"---\npublished: 2024-12-02\ntitle: {json.dumps(payload)}\n---\n"
        (corpus / name).write_text(front + body, encoding="utf-8", newline="")
        names.append(name)
    lines = [json.dumps({"doc_id": payload, "published": "2024-12-02",
                         "text": f"{payload} Troops shelled Homs on Sunday, killing 3 civilians."})
             for payload in _HOSTILE.values()]
    (corpus / "-feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    names.append("-feed.jsonl")
    monkeypatch.chdir(corpus)  # relative inputs: the file names themselves land in documents.csv
    out = tmp_path / "out"
    assert main(["build", "--out", str(out), "--quiet", "--no-charts", "--", *names]) == 0
    return out, names


def test_no_csv_cell_under_out_starts_a_formula(hostile_out: tuple[Path, list[str]]) -> None:
    out, _ = hostile_out
    tables = csv_cells(out)
    assert {"events.csv", "documents.csv", "acled.csv"} <= set(tables)
    for name, rows in tables.items():
        for row in rows:
            for cell in row:
                assert not cell.startswith(FORMULA_PREFIXES) or _is_number(cell), (name, cell)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_hostile_cells_are_kept_with_a_leading_apostrophe(hostile_out: tuple[Path, list[str]]) -> None:
    out, names = hostile_out
    documents = csv_cells(out)["documents.csv"]
    header = documents[0]
    column = {name: [row[header.index(name)] for row in documents[1:]] for name in ("doc_id", "source", "title")}
    for payload in _HOSTILE.values():
        assert "'" + payload.strip() in column["doc_id"]  # the JSONL doc_ids (ingest strips them)
        assert "'" + payload.strip() in column["title"]
    for name in names:
        if name.endswith(".txt"):  # a carriage return inside a cell is written as a line feed
            assert ("'" + name).replace("\r", "\n") in column["source"]
            assert ("'" + name[:-4]).replace("\r", "\n") in column["doc_id"]
    events = csv_cells(out)["events.csv"]
    sentences = [row[events[0].index("sentence")] for row in events[1:]]
    assert any(s.startswith("'=HYPERLINK") for s in sentences), sentences
    acled = csv_cells(out)["acled.csv"]
    notes = [row[acled[0].index("notes")] for row in acled[1:]]
    assert any(n.startswith("'") for n in notes), notes


def test_tables_in_memory_keep_the_raw_text(tmp_path: Path) -> None:
    payload = _HOSTILE["eq"]
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"doc_id": payload, "published": "2024-12-02", "text": f"{payload} {STORY}"}) + "\n",
                    encoding="utf-8")
    result = build(path)
    assert result.documents["doc_id"].tolist() == [payload]
    assert set(result.events["doc_id"]) == {payload}
    result.to_csv(tmp_path / "o")
    assert pd.read_csv(tmp_path / "o" / "documents.csv")["doc_id"].tolist() == ["'" + payload]


def test_numbers_stay_numbers(tmp_path: Path) -> None:
    frame = pd.DataFrame({
        "n": pd.array([-5, 3, None], dtype="Int64"),
        "x": pd.array([-1.5, 2.0, None], dtype="Float64"),
        "f": [-0.25, 1e-3, float("nan")],
        "text_number": pd.array(["-12", "+3.5", "-1e5"], dtype="string"),
        "text": pd.array(["-12 killed", "=1", None], dtype="string"),
        "flag": pd.array([True, False, None], dtype="boolean"),
        "kind": pd.Categorical(["-a", "b", "-a"]),
    })
    path = write_csv(frame, tmp_path / "t.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [r[0] for r in rows[1:]] == ["-5", "3", ""]
    assert [r[1] for r in rows[1:]] == ["-1.5", "2.0", ""]
    assert [r[2] for r in rows[1:]] == ["-0.25", "0.001", ""]
    assert [r[3] for r in rows[1:]] == ["-12", "+3.5", "-1e5"]  # a number written as text is no formula
    assert [r[4] for r in rows[1:]] == ["'-12 killed", "'=1", ""]
    assert [r[6] for r in rows[1:]] == ["'-a", "b", "'-a"]
    back = pd.read_csv(path)
    assert back["n"].tolist()[:2] == [-5, 3] and back["x"].tolist()[:2] == [-1.5, 2.0]
    assert frame["text"].tolist()[:2] == ["-12 killed", "=1"]  # the input frame is not changed
    assert csv_safe(frame)["n"].dtype == frame["n"].dtype


# --- 2. Symbolic links --------------------------------------------------------------------

SECRET = "ZQXJ-SECRET-MARKER"


@pytest.fixture()
def linked_corpus(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"---\npublished: 2024-12-02\n---\n{SECRET} {STORY}\n", encoding="utf-8")
    (outside / "folder").mkdir()
    (outside / "folder" / "more.txt").write_text(f"{SECRET} {STORY}\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(f"---\npublished: 2024-12-02\n---\n{STORY}\n", encoding="utf-8")
    (corpus / "passwd.txt").symlink_to(outside / "secret.txt")
    (corpus / "linked_folder").symlink_to(outside / "folder", target_is_directory=True)
    (corpus / "zalias.txt").symlink_to(corpus / "good.txt")  # inside the corpus: read (once)
    return corpus


@needs_symlinks
def test_symlinks_out_of_the_input_are_not_read(linked_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", str(linked_corpus), "--out", str(out), "--quiet", "--no-charts", "--timeml"]) == 0
    assert SECRET.encode() not in all_bytes(out)
    assert not (out / "timeml" / "passwd.tml").exists()
    documents = pd.read_csv(out / "documents.csv").set_index("doc_id")
    assert documents.loc["good", "status"] == "ok"
    assert "zalias" not in documents.index  # a link inside the corpus to a file already read
    passwd = documents.loc["passwd"]
    assert passwd["status"] == "skipped"
    assert "symbolic link" in passwd["reason"] and "outside the input folders" in passwd["reason"]
    assert "--follow-symlinks" in passwd["reason"]
    folder = documents.loc["linked_folder"]
    assert folder["status"] == "skipped" and "symbolic link to a folder" in folder["reason"]


@needs_symlinks
def test_follow_symlinks_reads_them(linked_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    argv = ["build", str(linked_corpus), "--out", str(out), "--quiet", "--no-charts", "--follow-symlinks"]
    assert main(argv) == 0
    documents = pd.read_csv(out / "documents.csv").set_index("doc_id")
    assert documents.loc["passwd", "status"] == "ok"
    assert documents.loc["more", "status"] != "skipped"
    assert SECRET.encode() in all_bytes(out)  # in the events' sentences


@needs_symlinks
def test_symlink_checks_hold_for_every_engine(linked_corpus: Path) -> None:
    for kw in ({"jobs": 2}, {"engine": "dask", "scheduler": "synchronous"}):
        result = build(linked_corpus, **kw)
        docs = result.documents.set_index("doc_id")
        assert docs.loc["passwd", "status"] == "skipped", kw
        assert not result.events["sentence"].astype(str).str.contains(SECRET).any(), kw
    assert [a.status for a in load(linked_corpus / "passwd.txt", within=linked_corpus)] == ["skipped"]
    assert [a.status for a in load(linked_corpus / "passwd.txt")] == ["ok"]  # named directly: read


@needs_symlinks
def test_symlink_loop_ends_when_followed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "sub" / "a.txt").write_text(STORY, encoding="utf-8")
    (corpus / "sub" / "loop").symlink_to(corpus, target_is_directory=True)
    assert [a.doc_id for a in load(corpus, follow_symlinks=True)] == ["a"]


@needs_symlinks
def test_linked_sidecar_outside_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "outside.json").write_text(json.dumps({"title": SECRET, "published": "2024-12-02"}),
                                           encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "story.txt").write_text(STORY, encoding="utf-8")
    (corpus / "story.meta.json").symlink_to(tmp_path / "outside.json")
    (article,) = load(corpus)
    assert article.title is None and article.published is None
    assert "symbolic link" in article.reason and article.status == "degraded"
    (article,) = load(corpus, follow_symlinks=True)
    assert article.title == SECRET


# --- 3. JSONL: each line stands alone -----------------------------------------------------


def _line(doc_id: str) -> bytes:
    return json.dumps({"doc_id": doc_id, "published": "2024-12-02", "text": STORY}).encode()


@pytest.mark.parametrize(("bad", "words"), [
    (b"[" * 100_000, "nested too deeply"),
    (b'{"doc_id": "nul", "text": "Rebels\x00 advanced."}', "NUL byte"),
    (b"\x00" * 20, "NUL byte"),
    (b'{"doc_id": "latin", "text": "Caf\xe9 \x81\x8d\x90 owners fled Aleppo on Friday."}', "decoded as"),
])
def test_one_bad_jsonl_line_is_one_row(tmp_path: Path, bad: bytes, words: str) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"\n".join([_line("a"), bad, _line("c"), _line("d")]) + b"\n")
    articles = list(load(path))
    assert [a.source for a in articles] == [f"{path}:{i}" for i in (1, 2, 3, 4)]
    assert [(a.doc_id, a.status) for a in (articles[0], *articles[2:])] == [("a", "ok"), ("c", "ok"), ("d", "ok")]
    bad_row = articles[1]
    assert bad_row.status in ("skipped", "degraded")
    assert words in bad_row.reason and "line 2" in bad_row.reason


def test_nul_in_first_line_does_not_make_the_file_binary(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"\n".join([b"\x00\x01\x02" * 50, *[_line(f"d{i}") for i in range(3)]]) + b"\n")
    articles = list(load(path))
    assert [(a.doc_id, a.status) for a in articles] == [
        ("feed:1", "skipped"), ("d0", "ok"), ("d1", "ok"), ("d2", "ok")]
    assert "line 1" in articles[0].reason and "NUL" in articles[0].reason


def test_a_binary_file_named_jsonl_is_still_one_row(tmp_path: Path) -> None:
    path = tmp_path / "image.jsonl"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40)
    (article,) = load(path)
    assert article.status == "skipped" and "binary" in article.reason


def test_bad_jsonl_lines_reach_documents_csv(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"\n".join([b'{"text": "x\x00"}', _line("b"), b"[" * 100_000, _line("d")]) + b"\n")
    out = tmp_path / "out"
    assert main(["build", str(path), "--out", str(out), "--quiet", "--no-charts"]) == 0
    documents = pd.read_csv(out / "documents.csv")
    assert documents["status"].tolist() == ["skipped", "ok", "skipped", "ok"]
    assert documents["source"].tolist() == [f"{path}:{i}" for i in (1, 2, 3, 4)]
    assert "line 1" in documents["reason"][0] and "line 3" in documents["reason"][2]
    assert set(pd.read_csv(out / "events.csv")["doc_id"]) == {"b", "d"}


# --- 4. Warnings on stderr; each event says how its anchor date stands ----------------------

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture()
def dated_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # The seed story without its sidecar: its display date (text-header) is contradicted by the text.
    (corpus / "seed.txt").write_text((DATA / "000_43342442af48aa1c.txt").read_text(encoding="utf-8"),
                                     encoding="utf-8")
    (corpus / "given.txt").write_text(f"---\npublished: 2024-12-02\n---\n{STORY}\n", encoding="utf-8")
    (corpus / "nodate.txt").write_text(STORY + "\n", encoding="utf-8")
    return corpus


def test_events_carry_dct_source_and_status(dated_corpus: Path, tmp_path: Path) -> None:
    from timeline.table import EVENT_COLUMNS

    out = tmp_path / "out"
    assert main(["build", str(dated_corpus), "--out", str(out), "--quiet", "--no-charts"]) == 0
    with (out / "events.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == list(EVENT_COLUMNS)
    # added at the end: the order before is kept
    assert header[header.index("notes"):] == ["notes", "dct_source", "dct_status", "figure_source"]
    events = pd.read_csv(out / "events.csv")
    documents = pd.read_csv(out / "documents.csv").set_index("doc_id")
    by_doc = events.groupby("doc_id")[["dct_source", "dct_status"]].agg(lambda s: set(s.fillna("")))
    assert set(by_doc.index) == {"seed", "given", "nodate"}
    assert by_doc.loc["seed"].tolist() == [{"text-header"}, {"doubtful"}]
    assert by_doc.loc["given"].tolist() == [{"given"}, {"ok"}]
    assert by_doc.loc["nodate"].tolist() == [{"none"}, {"missing"}]
    for doc_id in by_doc.index:  # the same record as documents.csv
        assert by_doc.loc[doc_id, "dct_source"] == {documents.loc[doc_id, "dct_source"]}
    assert "doubtful anchor date" in documents.loc["seed", "reason"]


def test_doubtful_after_another_problem_is_still_doubtful(tmp_path: Path) -> None:
    text = (DATA / "000_43342442af48aa1c.txt").read_text(encoding="utf-8")
    (tmp_path / "seed.txt").write_bytes((text + "\nCaf\u00e9 owners fled.\n").encode("cp1252", "replace"))
    from timeline.errors import AnchorWarning

    with pytest.warns(AnchorWarning, match="looks wrong"):  # warned although degraded for another reason too
        result = build(tmp_path / "seed.txt")
    (reason,) = result.documents["reason"]
    assert reason.startswith("decoded as cp1252") and reason.endswith("doubtful anchor date")
    assert set(result.events["dct_status"]) == {"doubtful"}


def test_warnings_go_to_stderr_not_stdout(dated_corpus: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(dated_corpus), "--out", str(tmp_path / "o"), "--no-charts"]) == 0
    out, err = capsys.readouterr()
    assert "looks wrong" in err and "no publication date" in err  # the doubtful and the missing date
    assert "degraded" in err
    assert "looks wrong" not in out and "degraded" not in out and "no publication date" not in out
    assert all(line.startswith("timeline: wrote ") for line in out.splitlines())

    assert main(["build", str(dated_corpus), "--out", str(tmp_path / "q"), "--no-charts", "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1 and "2 degraded" in err and "documents.csv" in err


def test_a_document_over_the_size_cap_is_cut_and_degraded(tmp_path: Path) -> None:
    from timeline.pipeline import build

    story = "Rebels seized the town of Khanasser on Sunday, residents said. "
    (tmp_path / "long.txt").write_text(story * 200, encoding="utf-8")
    (tmp_path / "short.txt").write_text(story, encoding="utf-8")
    result = build([tmp_path], dct="2024-12-02", max_chars=1000)
    docs = result.documents.set_index("doc_id")
    assert docs.loc["long", "status"] == "degraded" and "size cap" in docs.loc["long", "reason"]
    assert docs.loc["short", "status"] == "ok"
    assert result.events["sentence_index"][result.events["doc_id"] == "long"].max() < 20
    uncapped = build([tmp_path / "long.txt"], dct="2024-12-02", max_chars=None)
    assert uncapped.documents.iloc[0]["status"] == "ok"
