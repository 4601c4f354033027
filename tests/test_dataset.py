"""The command line's build without the whole table in memory (issue 9): spooled blocks sorted and
clustered from their key columns, written in table order, and read back a part or a batch at a
time; everything equals the in-memory build, row for row."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

import timeline
from timeline import dataset, store
from timeline.cli import main
from timeline.exports import ACLED_COLUMNS, to_acled, to_timelinejs
from timeline.pipeline import build, build_dataset
from timeline.plots import escalation_data, plot_escalation, plot_timeline
from timeline.table import CHART_COLUMNS, EVENT_COLUMNS, EXPORT_COLUMNS

DATA = Path(__file__).resolve().parents[1] / "data"
INPUTS = [DATA / "000_43342442af48aa1c.txt", DATA / "escalation"]
ROOT = Path(__file__).resolve().parents[1] / "timeline"


@pytest.fixture(scope="module")
def built():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build(INPUTS, keep_text=False)


@pytest.fixture(scope="module")
def in_parts(built, tmp_path_factory):
    """build_dataset with parts of 40 rows: several buckets, each sorted on its own."""
    out = tmp_path_factory.mktemp("parts")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = build_dataset(INPUTS, out, scratch=out / "scratch", keep_text=False, rows_per_part=40)
    return result


def test_the_dataset_equals_the_in_memory_table(built, in_parts, tmp_path: Path) -> None:
    n = len(built.events)
    assert in_parts.n_events == n > 120
    assert [p.name for p in store.parts(in_parts.events_dir)] == [f"part-{i:05d}.parquet" for i in range(-(-n // 40))]
    assert not (in_parts.events_dir.parent / "scratch" / "ordered").exists()  # the buckets are removed
    pd.testing.assert_frame_equal(in_parts.events(), built.events)
    pd.testing.assert_frame_equal(in_parts.documents, built.documents)
    # with the default part size, the very files of Timeline.to_parquet
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = build_dataset(INPUTS, tmp_path / "a", scratch=tmp_path / "s", jobs=2)
    built.to_parquet(tmp_path / "b")
    for a, b in zip(store.parts(whole.events_dir), store.parts(tmp_path / "b" / "events.parquet"), strict=True):
        assert pq.read_table(a).equals(pq.read_table(b))
        assert pq.ParquetFile(a).metadata.num_row_groups == pq.ParquetFile(b).metadata.num_row_groups == 1


def test_columns_read_back_have_the_table_dtypes(built, in_parts) -> None:
    columns = ["event_id", "date", "precision", "event_type", "sentence", "fatalities", "cumulative", "latitude"]
    pd.testing.assert_frame_equal(in_parts.events(columns), built.events[columns])
    batches = list(dataset.iter_events(in_parts.events_dir, columns, batch_rows=25))
    assert max(len(b) for b in batches) <= 25
    pd.testing.assert_frame_equal(pd.concat(batches, ignore_index=True), built.events[columns])


def test_text_read_back_is_one_object_per_distinct_value(in_parts) -> None:
    events = in_parts.events(["location", "sentence", "event_id"])
    for name in ("location", "sentence"):
        present = [v for v in events[name].tolist() if isinstance(v, str)]
        assert len({id(v) for v in present}) == len(set(present)) < len(present)
    assert events["event_id"].is_unique


def test_events_csv_is_written_in_batches_as_from_the_whole_table(built, in_parts, tmp_path: Path) -> None:
    built.to_csv(tmp_path)
    dataset.write_events_csv(in_parts.events_dir, tmp_path / "batched.csv", batch_rows=7)
    assert (tmp_path / "batched.csv").read_bytes() == (tmp_path / "events.csv").read_bytes()


def test_an_empty_build_writes_one_empty_part(tmp_path: Path) -> None:
    (tmp_path / "quiet.txt").write_text("---\npublished: 2024-12-02\n---\nNothing happened.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / "quiet.txt"), "--out", str(out), "--quiet"]) == 0
    assert [p.name for p in (out / "events.parquet").iterdir()] == ["part-00000.parquet"]
    again = timeline.load(out)
    assert len(again.events) == 0 and list(again.events.columns) == list(EVENT_COLUMNS)
    assert (out / "events.csv").read_text(encoding="utf-8").strip() == ",".join(EVENT_COLUMNS)


def test_a_spool_and_an_ordering_that_disagree_are_refused(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    writer = store.PartWriter(spool)
    writer.append(store.schema({**EVENT_COLUMNS, "_pos": "int64"}).empty_table())
    writer.close()
    ordering = dataset.order_spool(spool, {}, {})
    ordering.rows = np.arange(3)
    with pytest.raises(ValueError, match="the spool holds 0 rows"):
        dataset.write_ordered(spool, ordering, tmp_path / "out", work=tmp_path / "work")


def test_charts_and_exports_name_no_column_they_are_not_given() -> None:
    """The command line reads only CHART_COLUMNS for the charts and EXPORT_COLUMNS for the
    exports: no other event column may be named in those modules (ACLED's own output columns
    are names of its table, not of ours)."""
    def named(folder: str) -> set[str]:
        text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / folder).glob("*.py"))
        return {c for c in EVENT_COLUMNS if re.search(rf"[\"']{c}[\"']", text)}

    assert named("plots") <= set(CHART_COLUMNS)
    assert named("exports") - set(EXPORT_COLUMNS) <= set(ACLED_COLUMNS)


def test_charts_and_exports_of_their_columns_equal_those_of_the_whole_table(built) -> None:
    events, docs = built.events, built.documents
    charts = events[list(CHART_COLUMNS)]
    exported = events[list(EXPORT_COLUMNS)]
    pd.testing.assert_frame_equal(escalation_data(charts), escalation_data(events))
    assert to_timelinejs(exported, documents=docs) == to_timelinejs(events, documents=docs)
    pd.testing.assert_frame_equal(to_acled(exported, documents=docs), to_acled(events, documents=docs))
    for plot in (plot_timeline, plot_escalation):
        a, b = plot(charts), plot(events)
        assert [ax.get_title() for ax in a.axes] == [ax.get_title() for ax in b.axes]
        assert [len(ax.get_children()) for ax in a.axes] == [len(ax.get_children()) for ax in b.axes]


