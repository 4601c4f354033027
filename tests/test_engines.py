"""The parallel and distributed engines give the same tables as the local one, row for row."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import timeline
from timeline.cli import main
from timeline.pipeline import build

DATA = Path(__file__).resolve().parents[1] / "data"
INPUTS = [DATA / "000_43342442af48aa1c.txt", DATA / "escalation", DATA / "devset"]


@pytest.fixture(scope="module")
def local():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build(INPUTS)


def _same(a, b) -> None:
    pd.testing.assert_frame_equal(a.events, b.events)
    pd.testing.assert_frame_equal(a.documents, b.documents)


def test_jobs_gives_identical_tables(local) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _same(local, build(INPUTS, jobs=2))


def test_dask_local_cluster_gives_identical_tables(local) -> None:
    distributed = pytest.importorskip("distributed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, distributed.Client(cluster):
            result = build(INPUTS, engine="dask")
    _same(local, result)
    assert result.events["event_id"].tolist() == local.events["event_id"].tolist()


def test_dask_writes_the_same_parquet_dataset_as_the_local_engine(tmp_path) -> None:
    distributed = pytest.importorskip("distributed")
    inputs = [str(DATA / "000_43342442af48aa1c.txt"), str(DATA / "escalation")]
    assert main(["build", *inputs, "--out", str(tmp_path / "local"), "--quiet", "--no-charts", "--jobs", "2"]) == 0
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster):
        assert main(["build", *inputs, "--out", str(tmp_path / "dask"), "--quiet", "--no-charts",
                     "--engine", "dask"]) == 0
    local, dask = timeline.load(tmp_path / "local"), timeline.load(tmp_path / "dask")
    _same(local, dask)
    assert len(local.events) > 100
    for name in ("events.csv", "documents.csv", "documents.parquet", "events.parquet/part-00000.parquet"):
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes(), name


def test_dask_processes_scheduler_over_jsonl_slices(tmp_path, monkeypatch) -> None:
    """A JSONL file cut into slices (several Dask partitions, a shared process pool) gives the
    tables of the local engine reading it whole."""
    pytest.importorskip("dask.bag")
    import timeline.pipeline as pipeline

    feed = _feed(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = build(feed)
        monkeypatch.setattr(pipeline, "JSONL_SLICE_BYTES", 1_000)
        assert len(list(pipeline._units(feed))) > 8
        _same(whole, build(feed, engine="dask", scheduler="processes"))
        _same(whole, build(feed, jobs=2))


def _feed(tmp_path):
    import json

    texts = ["Rebels seized the town of Saraqeb on Sunday.", "Aircraft bombed Idlib on Monday, killing 12 people.",
             "Shelling hit Homs on Saturday.", "Troops withdrew from Hama on Friday."]
    lines = [json.dumps({"doc_id": f"n{i}", "published": f"2024-12-{1 + i % 9:02d}", "text": texts[i % 4]})
             for i in range(120)]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_invalid_engine_and_jobs_are_usage_errors() -> None:
    with pytest.raises(ValueError, match="engine"):
        build(INPUTS, engine="spark")
    with pytest.raises(ValueError, match="jobs"):
        build(INPUTS, jobs=0)
