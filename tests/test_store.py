"""Parquet output: build -> write -> load gives the same tables, dtypes included (issue 9)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import timeline
from timeline import store
from timeline.cli import main
from timeline.errors import InputError
from timeline.model import Article
from timeline.pipeline import build
from timeline.table import DOCUMENT_COLUMNS, EVENT_COLUMNS, DocumentColumns, documents_frame

DATA = Path(__file__).resolve().parents[1] / "data"
SEED = DATA / "000_43342442af48aa1c.txt"
INPUTS = [SEED, DATA / "escalation"]


@pytest.fixture(scope="module")
def built():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build(INPUTS)


def test_build_write_load_gives_equal_frames(built, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", *map(str, INPUTS), "--out", str(out), "--quiet", "--no-charts"]) == 0
    again = timeline.load(out)
    pd.testing.assert_frame_equal(again.events, built.events)  # values and dtypes (check_dtype)
    pd.testing.assert_frame_equal(again.documents, built.documents)
    assert again.events.dtypes.to_dict() == built.events.dtypes.to_dict()
    # the CSV is derived from the same table
    csv = pd.read_csv(out / "events.csv")
    assert csv["event_id"].tolist() == built.events["event_id"].tolist()
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["counts"]["events"] == len(built.events)


def test_the_dataset_is_plain_parquet_in_parts(built, tmp_path: Path) -> None:
    built.to_parquet(tmp_path)
    parts = sorted((tmp_path / "events.parquet").glob("part-*.parquet"))
    assert [p.name for p in parts] == ["part-00000.parquet"]
    table = pq.read_table(tmp_path / "events.parquet")  # any Parquet reader opens the folder
    assert table.num_rows == len(built.events) and table.column_names == list(EVENT_COLUMNS)
    assert str(table.schema.field("date").type) == "timestamp[ms]"  # Parquet's coarsest unit; read back as [s]
    assert str(table.schema.field("event_type").type) == "string"  # categories stored as plain strings


def test_parts_are_read_back_in_order(built, tmp_path: Path) -> None:
    store.write_dataset(built.events, tmp_path / "ds", EVENT_COLUMNS, rows_per_part=50)
    n = len(built.events)
    assert len(store.parts(tmp_path / "ds")) == -(-n // 50) > 2
    back = store.from_arrow(store.read_dataset(tmp_path / "ds"), EVENT_COLUMNS)
    pd.testing.assert_frame_equal(back, built.events)


def test_dates_outside_the_nanosecond_range_survive(tmp_path: Path) -> None:
    text = "The city was founded in the 11th century. Rebels attacked the city on Friday."
    result = build([Article(doc_id="old", text=text)], dct="2024-12-02")
    result.to_parquet(tmp_path)
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")
    again = timeline.load(tmp_path)
    pd.testing.assert_frame_equal(again.events, result.events)
    frame = pd.DataFrame({"when": pd.array(["1066-10-14", None], dtype="datetime64[s]")})
    store.write_table(frame, tmp_path / "t.parquet", {"when": "datetime64[s]"})
    back = store.read_table(tmp_path / "t.parquet", {"when": "datetime64[s]"})
    pd.testing.assert_frame_equal(back, frame)


def test_empty_build_round_trips(tmp_path: Path) -> None:
    result = build([Article(doc_id="empty", text="Nothing happened.")], dct="2024-12-02")
    assert len(result.events) == 0
    result.to_parquet(tmp_path)
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")
    again = timeline.load(tmp_path)
    pd.testing.assert_frame_equal(again.events, result.events)
    pd.testing.assert_frame_equal(again.documents, result.documents)
    assert list(again.events.columns) == list(EVENT_COLUMNS)
    assert list(again.documents.columns) == list(DOCUMENT_COLUMNS)


def test_load_refuses_an_incomplete_folder(built, tmp_path: Path) -> None:
    built.to_parquet(tmp_path)
    with pytest.raises(InputError, match="manifest.json"):
        timeline.load(tmp_path)  # no manifest: an interrupted build, or not a build at all
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")
    (tmp_path / "documents.parquet").unlink()
    with pytest.raises(InputError, match="documents.parquet"):
        timeline.load(tmp_path)


def test_unknown_dtype_is_refused() -> None:
    with pytest.raises(TypeError, match="no Parquet storage type"):
        store.arrow_type("complex128")


def test_text_columns_filter_as_users_write_them(tmp_path: Path) -> None:
    # pandas 3 with pyarrow would store text in Arrow, whose == gives bool[pyarrow] masks that
    # cannot be combined with a str.contains mask: built and reloaded tables keep Python-stored text
    assert main(["build", str(SEED), "--out", str(tmp_path / "out"), "--no-charts", "--quiet"]) == 0
    for events in (build([SEED]).events, timeline.load(tmp_path / "out").events):
        assert (events["time_value"] == "2016").dtype == "boolean"
        mask = events["sentence"].str.contains("2016", regex=False) & (events["time_value"] == "2016")
        assert mask.fillna(False).sum() >= 1


def test_event_blocks_straight_from_lists_equal_the_pandas_path() -> None:
    from timeline.ingest import load
    from timeline.pipeline import process_article
    from timeline.table import BLOCK_COLUMNS, EventColumns

    columns = EventColumns()
    for article in load(INPUTS):
        columns.add(process_article(article)[2])
    assert len(columns) > 100
    assert columns.arrow_block().equals(store.to_arrow(columns.block(), BLOCK_COLUMNS))
    # a value of another type takes the pandas path instead of failing
    data = {name: [None] for name in BLOCK_COLUMNS}
    data["date"] = ["2024-12-02"]
    with pytest.raises(TypeError):
        store.lists_to_arrow(data, BLOCK_COLUMNS)


def test_coded_columns_across_chunks() -> None:
    coded = store.Coded()
    coded.add(pa.array(["a", None, "b"]))
    coded.add(pa.chunked_array([["b", "c"], [None, "a"]]))
    coded.add(pa.array([], type=pa.string()))
    assert [coded.values[c] for c in coded.codes] == ["a", None, "b", "b", "c", None, "a"]
    assert len(coded.values) == 4


def test_the_part_writer_streams_row_groups(tmp_path: Path) -> None:
    """Row groups are written as they fill (the writer holds one at most); a part ends once it has
    ``rows_per_part`` rows, at the end of a group."""
    writer = store.PartWriter(tmp_path / "ds", rows_per_part=10, rows_per_group=4)
    for start, n in ((0, 5), (5, 9), (14, 1), (15, 12), (27, 3)):
        writer.append(pa.table({"x": list(range(start, start + n))}))
    writer.close()
    files = [pq.ParquetFile(p) for p in store.parts(tmp_path / "ds")]
    assert [f.metadata.num_rows for f in files] == [14, 13, 3]
    assert [f.metadata.num_row_groups for f in files] == [2, 1, 1]
    assert store.read_dataset(tmp_path / "ds").column("x").to_pylist() == list(range(30))


def test_document_blocks_equal_documents_frame(built) -> None:
    """A build gathers its documents' records as Arrow blocks, not Article objects: the same table."""
    reports = [(Article(doc_id=f"d{i}", text="", source="x.jsonl", published=None if i % 3 else built.documents
                        ["published"].dropna().iloc[0].date(), warnings=("a", "b") if i % 2 else (),
                        status="degraded" if i % 4 else "ok", reason="why" if i % 4 else ""), i, 2 * i)
               for i in range(11)]
    columns = DocumentColumns(block_rows=3)
    for report in reports:
        columns.add(*report)
    pd.testing.assert_frame_equal(columns.frame(), documents_frame(reports))
    assert list(DocumentColumns().frame().columns) == list(DOCUMENT_COLUMNS)
