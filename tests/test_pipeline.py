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
    assert bad_date["status"] == "degraded" and "2024-13-45" in (bad_date["reason"] or "") + (bad_date["warnings"] or "")


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
