"""End to end: a batch of good and bad documents, every one accounted for; the build command."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from timeline.cli import main
from timeline.pipeline import build
from timeline.table import DOCUMENT_COLUMNS, EVENT_COLUMNS

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture()
def mixed_batch(tmp_path: Path) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "---\npublished: 2024-12-02\ntitle: Good\n---\nRebels seized the town of Saraqeb on Sunday. "
        "Aircraft bombed Idlib on Monday, killing at least 12 people.\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (folder / "latin.txt").write_bytes("Caf\xe9 owners fled Aleppo on Friday.".encode("cp1252"))
    (folder / "broken.html").write_text("<html><body><p>Clashes erupted in Hama on Thursday<div></html",
                                        encoding="utf-8")
    lines = [
        json.dumps({"doc_id": "j1", "published": "2024-12-02", "text": "Shelling hit Homs on Saturday."}),
        "{not json",
        json.dumps({"doc_id": "j3", "published": "2024-13-45", "text": "Troops withdrew from Hama on Friday."}),
        json.dumps({"doc_id": "j4", "published": "2024-12-02"}),
    ]
    (folder / "docs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "notes.xyz").write_text("what is this", encoding="utf-8")
    return folder


@pytest.mark.filterwarnings("ignore::timeline.errors.AnchorWarning")
def test_every_input_document_is_in_the_documents_table(mixed_batch: Path) -> None:
    result = build(mixed_batch)
    docs = result.documents
    # 6 files plus 4 JSONL lines (one file is the JSONL itself)
    assert len(docs) == 10
    assert set(docs["status"]) <= {"ok", "degraded", "skipped"}
    skipped = docs[docs["status"] == "skipped"]
    assert skipped["reason"].notna().all() and (skipped["reason"].str.len() > 0).all()
    good = docs[docs["doc_id"] == "good"].iloc[0]
    assert good["status"] == "ok" and good["n_events"] >= 2
    assert set(result.events["doc_id"]) >= {"good", "j1"}
    bad_date = docs[docs["doc_id"] == "j3"].iloc[0]
    assert bad_date["status"] == "degraded"
    assert "2024-13-45" in (bad_date["reason"] or "") + (bad_date["warnings"] or "")


@pytest.mark.filterwarnings("ignore::timeline.errors.AnchorWarning")
def test_tables_have_the_declared_columns_and_dtypes(mixed_batch: Path) -> None:
    result = build(mixed_batch)
    assert list(result.events.columns) == list(EVENT_COLUMNS)
    assert list(result.documents.columns) == list(DOCUMENT_COLUMNS)
    assert str(result.events["fatalities"].dtype) == "Int64"
    assert str(result.documents["n_events"].dtype) == "Int64"


def test_build_command_writes_tables_and_reports(mixed_batch: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    code = main(["build", str(mixed_batch), "--out", str(out), "--quiet"])
    assert code == 0
    events = pd.read_csv(out / "events.csv")
    documents = pd.read_csv(out / "documents.csv")
    assert len(documents) == 10
    assert {"event_id", "date", "precision", "time_precision", "cumulative", "cluster_id"} <= set(events.columns)
    assert "Traceback" not in capsys.readouterr().err


def test_build_command_strict_fails_on_skipped_documents(mixed_batch: Path, tmp_path: Path) -> None:
    assert main(["build", str(mixed_batch), "--out", str(tmp_path / "o"), "--quiet", "--strict"]) == 1


def test_build_command_nothing_readable_is_an_error(tmp_path: Path, capsys) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    code = main(["build", str(tmp_path / "empty.txt"), "--out", str(tmp_path / "o"), "--quiet"])
    assert code == 1
    assert "no document could be read" in capsys.readouterr().err


def test_build_command_rejects_invalid_dct(tmp_path: Path, capsys) -> None:
    code = main(["build", str(DATA / "000_43342442af48aa1c.txt"), "--dct", "2024-13-45", "--out", str(tmp_path)])
    assert code == 2
    err = capsys.readouterr().err
    assert "2024-13-45" in err and "Traceback" not in err


def test_seed_story_metadata_sidecar_gives_the_real_date() -> None:
    docs = build(DATA / "000_43342442af48aa1c.txt").documents
    row = docs.iloc[0]
    assert row["published"] == pd.Timestamp("2024-12-02")
    assert row["dct_source"] == "given"
    assert row["status"] == "ok"


def test_escalation_corpus_clusters_duplicate_reports() -> None:
    events = build(DATA / "escalation").events
    assert events["doc_id"].nunique() >= 14
    assert (events["n_sources"] > 1).any()
    # a cluster never mixes event types
    per_cluster = events.groupby("cluster_id", observed=True)["event_type"].nunique()
    assert (per_cluster == 1).all()


def test_to_timeml_writes_readable_timeml(tmp_path: Path) -> None:
    from timeline.timeml import read_timeml

    result = build(DATA / "000_43342442af48aa1c.txt")
    paths = result.to_timeml(tmp_path)
    assert len(paths) == 1
    doc = read_timeml(paths[0])
    assert doc.dct.isoformat() == "2024-12-02"
    values = {t.text: t.value for t in doc.timexes}
    assert values["Friday night"] == "2024-11-29TNI"
    assert values["November 27"] == "2024-11-27"
    assert doc.text == (DATA / "000_43342442af48aa1c.txt").read_text(encoding="utf-8").replace("\r\n", "\n")


# ---------------------------------------------------------------------------
# mode: news or narrative, per build and per document, down to the event table

HISTORY = ("Japanese forces attacked the fleet in December 1941. In January, troops captured Manila.\n\n"
           "Rebels attacked the port.\n")


def _captured(result) -> dict[str, tuple[str, str]]:
    """doc_id -> (time_value, anchor_source) of the "captured" event."""
    rows = result.events[result.events["trigger"].str.startswith("captur")]
    return {r.doc_id: (r.time_value, r.anchor_source) for r in rows.itertuples()}


def _port(result) -> dict[str, str]:
    """doc_id -> anchor_source of the event of "Rebels attacked the port." (no time of its own)."""
    rows = result.events[result.events["sentence"].str.contains("port", na=False)]
    return {r.doc_id: r.anchor_source for r in rows.itertuples()}


def _history_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "histories"
    folder.mkdir()
    (folder / "front.txt").write_text("---\npublished: 2009-12-19\nmode: narrative\n---\n" + HISTORY,
                                      encoding="utf-8")
    (folder / "plain.txt").write_text("---\npublished: 2009-12-19\n---\n" + HISTORY, encoding="utf-8")
    (folder / "side.txt").write_text(HISTORY, encoding="utf-8")
    (folder / "side.meta.json").write_text(json.dumps({"published": "2009-12-19", "mode": "narrative"}),
                                           encoding="utf-8")
    lines = [{"doc_id": "j-narrative", "published": "2009-12-19", "mode": "narrative", "text": HISTORY},
             {"doc_id": "j-news", "published": "2009-12-19", "mode": "news", "text": HISTORY}]
    (folder / "feed.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return folder


def test_document_mode_reaches_the_event_table(tmp_path: Path) -> None:
    result = build(_history_folder(tmp_path))
    captured = _captured(result)
    # "January" after "December 1941" is January 1942 in narrative mode...
    for doc_id in ("front", "side", "j-narrative"):
        assert captured[doc_id] == ("1942-01", "narrative"), doc_id
    # ...and the January nearest the publication date in news mode (the build's default).
    for doc_id in ("plain", "j-news"):
        assert captured[doc_id][0] != "1942-01" and captured[doc_id][1] == "dct", doc_id
    events = result.events.set_index("doc_id")
    assert events.loc["front"].query("trigger.str.startswith('captur')")["date"].iloc[0] == pd.Timestamp("1942-01-01")
    modes = dict(zip(result.documents["doc_id"], result.documents["mode"]))
    assert modes == {"front": "narrative", "j-narrative": "narrative", "j-news": "news", "plain": "news",
                     "side": "narrative"}  # documents.csv records the mode each document was processed in
    # The event anchoring saw the same mode: a narrative document (a history whose date is a
    # download date) never falls back on its publication date, a news one does.
    narrative_rows = result.events[result.events["doc_id"].isin(["front", "side", "j-narrative"])]
    assert len(narrative_rows) == 9 and not (narrative_rows["anchor_source"] == "dct").any()
    assert _port(result)["plain"] == "dct"
    # The tagger saw the same mode: the kept expressions agree with the events.
    january = [e for e in result.expressions["front"] if e.text == "January"]
    assert [e.value for e in january] == ["1942-01"]


def test_build_mode_applies_unless_the_document_has_its_own(tmp_path: Path) -> None:
    result = build(_history_folder(tmp_path), mode="narrative")
    captured = _captured(result)
    assert captured["plain"] == ("1942-01", "narrative")  # no mode of its own: the build's
    assert _port(result)["plain"] != "dct" and _port(result)["j-news"] == "dct"
    assert captured["j-news"][0] != "1942-01"  # its own mode wins over the build's
    modes = dict(zip(result.documents["doc_id"], result.documents["mode"]))
    assert modes["plain"] == "narrative" and modes["j-news"] == "news"


def test_invalid_document_mode_degrades_and_uses_the_build_mode(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("---\npublished: 2009-12-19\nmode: chronicle\n---\n" + HISTORY, encoding="utf-8")
    for build_mode, source in (("narrative", "narrative"), ("news", "dct")):
        result = build(path, mode=build_mode)
        row = result.documents.iloc[0]
        assert row["status"] == "degraded" and "invalid mode 'chronicle'" in row["reason"]
        assert row["mode"] == build_mode
        value, anchor_source = _captured(result)["bad"]
        assert anchor_source == source and (value == "1942-01") == (build_mode == "narrative")


def test_invalid_build_mode_is_a_usage_error(tmp_path: Path, capsys) -> None:
    with pytest.raises(ValueError, match="invalid mode 'history'"):
        build(DATA / "000_43342442af48aa1c.txt", mode="history")
    assert main(["build", str(DATA / "000_43342442af48aa1c.txt"), "--mode", "history", "--out", str(tmp_path)]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_build_command_mode(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "h.txt").write_text("---\npublished: 2009-12-19\n---\n" + HISTORY, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(folder), "--out", str(out), "--quiet", "--no-charts", "--mode", "narrative"]) == 0
    documents = pd.read_csv(out / "documents.csv")
    assert documents["mode"].tolist() == ["narrative"]
    events = pd.read_csv(out / "events.csv")
    assert events.loc[events["trigger"].str.startswith("captur"), "time_value"].tolist() == ["1942-01"]


@pytest.mark.parametrize("engine", [{"jobs": 2}, {"engine": "dask", "scheduler": "synchronous"}])
def test_every_engine_passes_the_mode(tmp_path: Path, engine: dict) -> None:
    if engine.get("engine") == "dask":
        pytest.importorskip("dask.bag")
    folder = _history_folder(tmp_path)
    local = build(folder, mode="narrative")
    other = build(folder, mode="narrative", **engine)
    pd.testing.assert_frame_equal(local.events, other.events)
    pd.testing.assert_frame_equal(local.documents, other.documents)
    assert _captured(other)["plain"] == ("1942-01", "narrative")
    assert _port(other)["plain"] != "dct"


def test_dct_check_reuses_the_pipeline_expressions(monkeypatch) -> None:
    """The anchor-date check reads the expressions the pipeline tagged; it does not tag again."""
    from timeline import dct_check
    from timeline.ingest import article_from_text
    from timeline.pipeline import process_article

    calls = []
    real_tag = dct_check.tag
    monkeypatch.setattr(dct_check, "tag", lambda *a, **k: calls.append(a) or real_tag(*a, **k))
    seed = article_from_text((DATA / "000_43342442af48aa1c.txt").read_text(encoding="utf-8"), doc_id="seed")
    assert seed.dct_source == "text-header"  # the republisher's display date: checked
    article, _, events = process_article(seed)
    assert calls == []
    assert (article.status, article.reason, article.proposed_dct) == ("degraded", "doubtful anchor date",
                                                                      pd.Timestamp("2024-12-02").date())
    assert events
    # In narrative mode the check still reads news-mode resolutions: it tags on its own.
    article, _, _ = process_article(seed, mode="narrative")
    assert len(calls) == 1 and article.proposed_dct == pd.Timestamp("2024-12-02").date()


def test_build_command_strict_fails_on_a_doubtful_anchor_date(tmp_path: Path, capsys) -> None:
    # the seed story without its metadata is anchored on its display date, which the text contradicts
    text = (DATA / "000_43342442af48aa1c.txt").read_text(encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "seed.txt").write_text(text, encoding="utf-8")
    assert main(["build", str(tmp_path / "in"), "--out", str(tmp_path / "o"), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["build", str(tmp_path / "in"), "--out", str(tmp_path / "o2"), "--quiet", "--strict"]) == 1
    assert "doubtful anchor date" in capsys.readouterr().err
    # with the right date given, --strict is satisfied
    assert main(["build", str(tmp_path / "in"), "--dct", "2024-12-02", "--out", str(tmp_path / "o3"), "--quiet",
                 "--strict"]) == 0


# ---------------------------------------------------------------------------
# The worker protocol (issue 9): units are paths and slices, results are compact blocks


def _jsonl_feed(tmp_path: Path) -> Path:
    rows = [json.dumps({"doc_id": f"d{i}", "published": "2024-12-02",
                        "text": f"Rebels seized the town of Saraqeb on Sunday. Aircraft bombed Idlib on Monday, "
                                f"killing {i} people."}) for i in range(60)]
    rows[5] = ""  # blank lines are skipped, but counted
    rows[7] = "{not json"  # a bad line keeps its line number
    rows[9] = json.dumps({"published": "2024-12-02", "text": "Shelling hit Homs on Saturday."})  # id from the line
    rows[11] = rows[12]  # a doc_id used twice
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(rows).encode("utf-8"))  # a BOM, no final newline
    return path


@pytest.mark.filterwarnings("ignore::timeline.errors.AnchorWarning")
@pytest.mark.parametrize("slice_bytes", [1, 300, 1_000, 4_096])
def test_jsonl_slices_read_every_line_once(tmp_path: Path, monkeypatch, slice_bytes: int) -> None:
    import timeline.pipeline as pipeline
    from timeline.ingest import load

    feed = _jsonl_feed(tmp_path)
    whole = build(feed)  # read whole by one worker: the file is smaller than a slice
    pieces = pipeline._jsonl_slices(str(feed), slice_bytes)
    assert pieces and pieces[0].start == 0 and pieces[-1].stop == feed.stat().st_size
    assert all(a.stop == b.start for a, b in zip(pieces, pieces[1:]))
    monkeypatch.setattr(pipeline, "JSONL_SLICE_BYTES", slice_bytes)
    assert list(pipeline._units(feed)) == pieces and len(pieces) > 1
    sliced = build(feed, jobs=2 if slice_bytes == 300 else 1)
    pd.testing.assert_frame_equal(sliced.documents, whole.documents)
    pd.testing.assert_frame_equal(sliced.events, whole.events)
    assert sliced.documents["doc_id"].tolist() == [a.doc_id for a in load(feed)]
    assert "feed:10" in set(sliced.documents["doc_id"]) and "feed:8" in set(sliced.documents["doc_id"])
    repeated = sliced.documents[sliced.documents["warnings"].fillna("").str.contains("also used by an earlier")]
    assert repeated["doc_id"].tolist() == ["d12"]


@pytest.mark.filterwarnings("ignore::timeline.errors.AnchorWarning")
def test_a_doc_id_repeated_across_files_is_flagged_on_every_engine(tmp_path: Path) -> None:
    from timeline.ingest import load

    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text("---\npublished: 2024-12-02\n---\nRebels seized Saraqeb on "
                                                     "Sunday.\n", encoding="utf-8")
    inputs = [tmp_path / "a", tmp_path / "b", tmp_path / "a" / "story.txt"]  # the last is read once only
    expected = [(a.doc_id, a.warnings) for a in load(inputs)]
    assert len(expected) == 2 and "also used by an earlier document" in expected[1][1][-1]
    for engine in ({}, {"jobs": 2}):
        docs = build(inputs, **engine).documents
        assert len(docs) == 2
        assert docs["warnings"].isna().tolist() == [True, False]
        assert docs["warnings"].iloc[1] == " | ".join(expected[1][1])


def test_workers_get_paths_and_send_back_no_texts(tmp_path: Path) -> None:
    import pyarrow as pa

    from timeline.pipeline import _process_unit, _Task, _units
    from timeline.table import BLOCK_COLUMNS

    units = list(_units([DATA / "escalation", DATA / "000_43342442af48aa1c.txt"]))
    assert units and all(isinstance(u, (str, tuple)) for u in units)  # paths, never texts
    result = _process_unit(units[-1], _Task(keep_text=False))
    assert result.kept == [] and [d.article.text for d in result.docs] == [""]
    assert isinstance(result.events, pa.Table) and result.events.column_names == list(BLOCK_COLUMNS)
    assert result.events.num_rows == result.docs[0].n_events > 0
    kept = _process_unit(units[-1], _Task(keep_text=True)).kept
    assert kept[0][0] == "000_43342442af48aa1c" and "Aleppo" in kept[0][1] and kept[0][2]


@pytest.mark.filterwarnings("ignore::timeline.errors.AnchorWarning")
def test_spooled_blocks_give_the_same_timeline(tmp_path: Path) -> None:
    inputs = [DATA / "000_43342442af48aa1c.txt", DATA / "escalation"]
    in_memory = build(inputs, keep_text=False)
    spooled = build(inputs, keep_text=False, spool=tmp_path / "spool", jobs=2)
    assert sorted(p.name for p in (tmp_path / "spool").iterdir())[0] == "part-00000.parquet"
    pd.testing.assert_frame_equal(spooled.events, in_memory.events)
    pd.testing.assert_frame_equal(spooled.documents, in_memory.documents)
    assert spooled.texts == {} and spooled.expressions == {}


@pytest.mark.filterwarnings("ignore::timeline.errors.AnchorWarning")
def test_the_worker_protocol_equals_reading_the_batch_in_one_pass(mixed_batch: Path) -> None:
    """build() (units, blocks, spooling) gives the tables of the plain sequential pass:
    load() every document, process_article, one EventColumns, documents_frame."""
    from timeline.ingest import load
    from timeline.pipeline import _capped, dct_status, process_article
    from timeline.table import EventColumns, documents_frame

    inputs = [DATA / "000_43342442af48aa1c.txt", DATA / "escalation", mixed_batch]
    columns, order, reports, anchor = EventColumns(), {}, [], {}
    for article in load(inputs):
        article, expressions, events = process_article(_capped(article, 2_000_000))
        order.setdefault(article.doc_id, len(order))
        columns.add(events)
        reports.append((article, len(expressions), len(events)))
        if article.status != "skipped":
            status = dct_status(article)
            if article.doc_id not in anchor or status != "ok":
                anchor[article.doc_id] = (article.dct_source, status)
    expected = columns.frame(order)
    ids = expected["doc_id"].astype(object)
    for i, name in enumerate(("dct_source", "dct_status")):
        expected[name] = ids.map(lambda d, i=i: anchor.get(d, (None, None))[i]).astype(expected[name].dtype)
    for engine in ({}, {"jobs": 2}):
        result = build(inputs, **engine)
        pd.testing.assert_frame_equal(result.events, expected)
        pd.testing.assert_frame_equal(result.documents, documents_frame(reports))
