"""Shared by the exports: the events table as plain column lists, grouped once into clusters.

The exports read an events table of any size. Building a DataFrame per cluster (one
``groupby`` group at a time) cost about 4 ms per event; here the needed columns are read
once into Python lists (:class:`Rows`), the clusters are lists of row positions found in
one pass (:func:`clusters`), and each export works on those positions.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

#: Rank of each precision, finest first (unknown precisions rank last).
PRECISION_RANK = {p: i for i, p in enumerate(
    ("minute", "hour", "part-of-day", "day", "week", "month", "season", "quarter", "half", "year", "decade",
     "century"))}
_INFO_COLUMNS = ("fatalities", "location", "actor1", "actor2", "latitude")


def clean(value: Any) -> str | None:
    """The value as one-line text, or None when it is missing or blank."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    text = " ".join(str(value).split())
    return text or None


def is_missing(value: Any) -> bool:
    """True for None, pd.NA, NaT and NaN."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def as_int(value: Any) -> int | None:
    if value is None or value is pd.NA:
        return None
    try:
        if isinstance(value, float) and math.isnan(value):
            return None
        return int(value)
    except (TypeError, ValueError):
        return None


def as_ts(value: Any) -> pd.Timestamp | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(ts) else ts


def _values(column: pd.Series) -> list[Any]:
    """``column.tolist()``; for dates, integers, booleans and categories, equal values are one
    object (the first row's): a date repeated over a million rows is one Timestamp, not a million.
    (Text is already shared by the table, and floats are left as they are: -0.0 equals 0.0.)"""
    categorical = isinstance(column.dtype, pd.CategoricalDtype)
    if len(column) < 2 or not (categorical or getattr(column.dtype, "kind", "O") in "Mmiub"):
        return column.tolist()
    import numpy as np

    codes, _ = pd.factorize(column, use_na_sentinel=False)  # a missing value has its own code
    first = np.full(int(codes.max()) + 1, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes), dtype=np.int64))
    distinct = np.empty(len(first), dtype=object)
    distinct[:] = column.iloc[first].tolist()
    return distinct[codes].tolist()


class Rows:
    """Some columns of an events table as Python lists (one conversion per column).

    ``rows[col][i]`` is the value of row ``i`` (missing values are None, pd.NA or NaT);
    a column the table lacks reads as all None.
    """

    def __init__(self, frame: pd.DataFrame, columns: tuple[str, ...]) -> None:
        self.n = len(frame)
        self._cols: dict[str, list[Any]] = {}
        for name in columns:
            if name in frame.columns:
                self._cols[name] = _values(frame[name])
            else:
                self._cols[name] = [None] * self.n

    def __getitem__(self, name: str) -> list[Any]:
        return self._cols[name]


def clusters(rows: Rows, positions: list[int] | range | None = None) -> list[list[int]]:
    """Row positions grouped by ``cluster_id`` (a row without one is its own cluster, keyed
    by its ``event_id``), clusters in the order of their first member."""
    cids, eids = rows["cluster_id"], rows["event_id"]
    groups: dict[Any, list[int]] = {}
    for i in (range(rows.n) if positions is None else positions):
        cid = cids[i]
        key = ("c", str(cid)) if not is_missing(cid) else ("e", str(eids[i]) if not is_missing(eids[i]) else i)
        slot = groups.get(key)
        if slot is None:
            groups[key] = [i]
        else:
            slot.append(i)
    return list(groups.values())


def representative(rows: Rows, group: list[int], *, date_first: bool = False) -> int:
    """The member with most information: most filled fields (deaths, place, actors,
    coordinates), then the finest date, then the earliest in the table. For a cluster of
    cumulative tallies, the latest report (largest interval end, then largest figure).
    With ``date_first``, the finest date comes before the filled fields."""
    if len(group) == 1:
        return group[0]
    cumulative = rows["cumulative"]
    if all(not is_missing(cumulative[i]) and bool(cumulative[i]) for i in group):
        ends, fats = rows["end"], rows["fatalities"]
        def tally_key(i: int) -> tuple[int, Any, int]:
            # the latest end (a missing end sorts last), then the largest figure
            end, fat = ends[i], fats[i]
            return (0, 0, -1 if is_missing(fat) else int(fat)) if is_missing(end) else \
                (1, end, -1 if is_missing(fat) else int(fat))

        best = group[0]
        best_tally = tally_key(best)
        for i in group[1:]:
            tally = tally_key(i)
            if tally > best_tally:        # ties keep the earlier member
                best, best_tally = i, tally
        return best
    cols = [rows[c] for c in _INFO_COLUMNS]
    precision = rows["precision"]
    best = group[0]
    best_key: tuple[int, int, int] | None = None
    for pos, i in enumerate(group):
        score = sum(clean(col[i]) is not None for col in cols)
        p = precision[i]
        prank = PRECISION_RANK.get(p, 99) if isinstance(p, str) else 99
        key = (prank, -score, pos) if date_first else (-score, prank, pos)
        if best_key is None or key < best_key:
            best, best_key = i, key
    return best


def unique_docs(rows: Rows, group: list[int]) -> list[str]:
    """The cluster's document ids, each once, in table order."""
    docs = rows["doc_id"]
    return list(dict.fromkeys(str(docs[i]) for i in group if not is_missing(docs[i])))


def figures(rows: Rows, group: list[int]) -> list[int]:
    """The cluster's death figures, each once, ascending."""
    fats = rows["fatalities"]
    return sorted({int(fats[i]) for i in group if not is_missing(fats[i])})
