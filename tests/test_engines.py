"""The parallel and distributed engines give the same tables as the local one, row for row."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

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


def test_invalid_engine_and_jobs_are_usage_errors() -> None:
    with pytest.raises(ValueError, match="engine"):
        build(INPUTS, engine="spark")
    with pytest.raises(ValueError, match="jobs"):
        build(INPUTS, jobs=0)
