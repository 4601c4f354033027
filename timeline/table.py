"""The event and document tables: the one place that defines columns and dtypes.

``events_frame`` turns :class:`~timeline.events.extract.Event` records into the
ordered events DataFrame (sorted by date, then document and position in it);
``documents_frame`` does the same for :class:`~timeline.model.Article` reports.
``cluster_events`` marks near-duplicate events reported by several documents.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .events.extract import Event
from .model import Article

#: Event types in display order (ACLED's first, then the timeline-only types).
EVENT_TYPES = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
    "casualty report",
    "displacement",
    "diplomacy",
    "statement",
)
PRECISIONS = ("minute", "hour", "part-of-day", "day", "week", "month", "season", "quarter", "half", "year",
              "decade", "century")
ANCHOR_SOURCES = ("dct", "narrative", "absolute", "none")

#: events.csv columns, in order, with their pandas dtypes.
EVENT_COLUMNS: dict[str, Any] = {
    "event_id": "string",
    "doc_id": "string",
    "published": "datetime64[s]",
    "date": "datetime64[s]",
    "start": "datetime64[s]",
    "end": "datetime64[s]",
    "precision": pd.CategoricalDtype(PRECISIONS, ordered=True),
    "time_precision": "Int64",
    "event_type": pd.CategoricalDtype(EVENT_TYPES),
    "sub_event_type": "string",
    "trigger": "string",
    "time_text": "string",
    "time_value": "string",
    "anchor_source": pd.CategoricalDtype(ANCHOR_SOURCES),
    "time_flag": "string",
    "fatalities": "Int64",
    "civilians": "Int64",
    "children": "Int64",
    "cumulative": "boolean",
    "actor1": "string",
    "actor2": "string",
    "actors": "string",
    "location": "string",
    "country": "string",
    "latitude": "Float64",
    "longitude": "Float64",
    "cluster_id": "string",
    "n_sources": "Int64",
    "sentence": "string",
    "sentence_index": "Int64",
    "rule_id": "string",
    "notes": "string",
}

#: documents.csv columns, in order, with their pandas dtypes.
DOCUMENT_COLUMNS: dict[str, Any] = {
    "doc_id": "string",
    "source": "string",
    "title": "string",
    "url": "string",
    "published": "datetime64[s]",
    "dct_source": pd.CategoricalDtype(("given", "html-meta", "url", "text-header", "none")),
    "proposed_dct": "datetime64[s]",
    "status": pd.CategoricalDtype(("ok", "degraded", "skipped")),
    "reason": "string",
    "warnings": "string",
    "n_expressions": "Int64",
    "n_events": "Int64",
}


def _to_datetime64(value: Any) -> np.datetime64:
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)) or (
            isinstance(value, str) and not value):
        return np.datetime64("NaT", "s")
    if hasattr(value, "isoformat"):
        return np.datetime64(value.isoformat()[:19], "s")
    return np.datetime64(str(value)[:19], "s")


def typed_frame(data: list[dict[str, Any]] | dict[str, list[Any]], columns: dict[str, Any]) -> pd.DataFrame:
    """A DataFrame with exactly ``columns`` (name -> dtype), from row dicts or column lists.

    Dates become ``datetime64[s]``: historical context ("the 11th century") lies
    outside the nanosecond range (1677-2262) that pandas uses by default.
    """
    if isinstance(data, dict):
        frame = pd.DataFrame({name: data[name] for name in columns}, columns=list(columns))
    else:
        frame = pd.DataFrame(data, columns=list(columns))
    for name, dtype in columns.items():
        if str(dtype).startswith("datetime64"):
            frame[name] = np.array([_to_datetime64(v) for v in frame[name]], dtype="datetime64[s]")
        else:
            frame[name] = frame[name].astype(dtype)
    return frame


def _event_values(e: Event) -> tuple[Any, ...]:
    """One event's values in :data:`EVENT_COLUMNS` order, then the two sort keys."""
    return (
        e.event_id, e.doc_id, e.published, e.date, e.start, e.end, e.precision, e.time_precision,
        e.event_type, e.sub_event_type, e.trigger, e.time_text, e.time_value, e.anchor_source, e.time_flag,
        e.fatalities, e.civilians, e.children, e.cumulative, e.actor1, e.actor2,
        "; ".join(e.actors) if e.actors else None, e.location, e.country, e.latitude, e.longitude,
        None, None, e.sentence, e.sentence_index, e.rule_id, "; ".join(e.notes) if e.notes else None,
        e.trigger_start,
    )


class EventColumns:
    """Accumulates events column by column, so a long batch never holds Event objects
    or row dicts for all its events at once; :meth:`frame` makes the typed table."""

    def __init__(self) -> None:
        self._names = [*EVENT_COLUMNS, "_pos"]
        self._columns: list[list[Any]] = [[] for _ in self._names]

    def add(self, events: Iterable[Event]) -> None:
        """Append events (in document order)."""
        for e in events:
            for column, value in zip(self._columns, _event_values(e)):
                column.append(value)

    def __len__(self) -> int:
        return len(self._columns[0])

    def frame(self, doc_order: dict[str, int] | None = None) -> pd.DataFrame:
        """The ordered events table (see :data:`EVENT_COLUMNS`): by date, then document order."""
        data = dict(zip(self._names, self._columns))
        frame = typed_frame(data, EVENT_COLUMNS)
        order = doc_order or {}
        frame["_doc_order"] = np.array([order.get(d, 0) for d in data["doc_id"]], dtype=np.int64)
        frame["_pos"] = np.array(data["_pos"], dtype=np.int64)
        frame = frame.sort_values(["date", "_doc_order", "_pos"], na_position="last", kind="stable")
        frame = frame.drop(columns=["_doc_order", "_pos"]).reset_index(drop=True)
        return cluster_events(frame)


def events_frame(events: Iterable[Event], doc_order: dict[str, int] | None = None) -> pd.DataFrame:
    """The ordered events table (see :data:`EVENT_COLUMNS`): by date, then document order."""
    columns = EventColumns()
    columns.add(events)
    return columns.frame(doc_order)


def cluster_events(frame: pd.DataFrame) -> pd.DataFrame:
    """Give near-duplicate events one ``cluster_id`` and count their sources.

    Two events are near-duplicates when they have the same type and place (or
    no place but the same sub-type) and their [start, end) intervals overlap
    with both at week precision or finer. Cumulative tallies are never merged
    with single events.
    """
    frame = frame.copy()
    n = len(frame)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    fine = frame["precision"].isin(["minute", "hour", "part-of-day", "day", "week"]).fillna(False).to_numpy()
    keys = list(zip(frame["event_type"].astype("string").fillna(""), frame["location"].fillna(""),
                    frame["sub_event_type"].fillna(""), frame["cumulative"].fillna(False)))
    starts = frame["start"].to_numpy()
    ends = frame["end"].to_numpy()
    docs = frame["doc_id"].to_numpy()
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, key in enumerate(keys):
        if fine[i] and not pd.isna(starts[i]):
            group_key = (key[0], key[1], key[2] if not key[1] else "", key[3])
            groups.setdefault(group_key, []).append(i)
    for members in groups.values():
        members.sort(key=lambda i: starts[i])
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1 :]:
                if starts[b] >= ends[a]:
                    break
                if docs[a] != docs[b]:
                    ra, rb = find(a), find(b)
                    if ra != rb:
                        parent[max(ra, rb)] = min(ra, rb)
    roots = [find(i) for i in range(n)]
    labels: dict[int, str] = {}
    for r in roots:
        if r not in labels:
            labels[r] = f"c{len(labels) + 1:04d}"
    frame["cluster_id"] = pd.array([labels[r] for r in roots], dtype="string")
    sources: dict[int, set[str]] = {}
    for i, r in enumerate(roots):
        sources.setdefault(r, set()).add(docs[i])
    frame["n_sources"] = pd.array([len(sources[r]) for r in roots], dtype="Int64")
    return frame


def documents_frame(reports: Sequence[tuple[Article, int, int]]) -> pd.DataFrame:
    """One row per input document, processed or not: (article, n_expressions, n_events) triples."""
    rows = []
    for article, n_expr, n_events in reports:
        rows.append({
            "doc_id": article.doc_id,
            "source": article.source,
            "title": article.title,
            "url": article.url,
            "published": article.published,
            "dct_source": article.dct_source,
            "proposed_dct": article.proposed_dct,
            "status": article.status,
            "reason": article.reason or None,
            "warnings": " | ".join(article.warnings) if article.warnings else None,
            "n_expressions": n_expr,
            "n_events": n_events,
        })
    return typed_frame(rows, DOCUMENT_COLUMNS)
