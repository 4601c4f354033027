"""Event-anchoring evaluation: gold event times from annotated corpora, and how to score an anchor.

Three readers turn an annotated corpus into :class:`EventDocument` records (plain text,
DCT, event spans with their gold time):

* :func:`read_timeml_events`: TimeBank / AQUAINT inline TimeML 1.2. The text, DCT and
  TIMEX3 spans come from :func:`timeline.timeml.read_timeml`; EVENT spans are found by
  the same walk over ``<TEXT>``. The gold time of an event is a TLINK between one of its
  instances (MAKEINSTANCE ``eiid``) and a timex, read in either direction (a link from
  the timex is inverted: ``t INCLUDES e`` is ``e IS_INCLUDED t``), whose relation puts
  the event inside the timex (:data:`INSIDE_RELATIONS`), to a DATE/TIME timex with a
  calendar value (:func:`parse_calendar_value`). With several, the finest wins. A link to
  the DCT dates the event on the publication day (a clock time on the DCT is dropped).
* :func:`read_cat_events`: MEANTIME CAT XML, the same definition over ``EVENT_MENTION``
  and ``TIMEX3`` markables and ``TLINK`` relations; the text is
  :func:`timeline.timeml.read_cat`'s (tokens joined by spaces, sentences by newlines).
* :func:`read_semeval_timelines`: SemEval-2015 Task 4 trial data: the documents'
  ``<s>`` sentences joined by newlines, ``<EVENT>`` spans, and each mention's gold time
  is the timeline DATE at its grain (``2008-06-XX`` -> ``2008-06``); ``XXXX-XX-XX``
  mentions are kept apart (:attr:`EventDocument.undated`).

Scoring (:func:`anchor_is_right`): a system value is right when the interval it denotes
lies inside the gold interval and its grain is the gold grain or finer; a coarser value,
an unparsable one or None is wrong.
"""

from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from timeline.errors import InputError
from timeline.model import TimeExpression
from timeline.timeml import GoldTimex, local_name, parse_xml, read_cat, read_timeml, text_spans

__all__ = [
    "CalendarValue",
    "EventDocument",
    "GoldEvent",
    "INSIDE_RELATIONS",
    "Outcome",
    "Prediction",
    "System",
    "anchor_is_right",
    "anchor_prediction",
    "day_value",
    "document_events",
    "evaluate_anchoring",
    "gold_expressions",
    "nearest_in_sentence",
    "parse_calendar_value",
    "predict_anchor_events",
    "predict_dct",
    "predict_gold",
    "predict_gold_timexes",
    "predict_nearest",
    "read_cat_events",
    "read_semeval_timelines",
    "read_timeml_events",
    "sentence_bounds",
]

#: Relations (event -> timex) that put the event inside the timex.
INSIDE_RELATIONS = frozenset({"IS_INCLUDED", "DURING", "SIMULTANEOUS", "IDENTITY"})
#: The relation seen from the other end (``t INCLUDES e`` is ``e IS_INCLUDED t``).
_INVERSE = {
    "INCLUDES": "IS_INCLUDED", "IS_INCLUDED": "INCLUDES", "DURING": "DURING_INV", "DURING_INV": "DURING",
    "BEFORE": "AFTER", "AFTER": "BEFORE", "IBEFORE": "IAFTER", "IAFTER": "IBEFORE", "BEGINS": "BEGUN_BY",
    "BEGUN_BY": "BEGINS", "ENDS": "ENDED_BY", "ENDED_BY": "ENDS", "SIMULTANEOUS": "SIMULTANEOUS",
    "IDENTITY": "IDENTITY",
}

#: Grains from finest to coarsest (timeline.vocabulary's names); a value is "at the gold grain or finer"
#: when its rank is at most the gold one's. Season and quarter share a rank.
_RANK = {"minute": 0, "second": 0, "hour": 1, "part-of-day": 2, "day": 3, "week": 4, "month": 5, "season": 6,
         "quarter": 6, "half": 7, "year": 8, "decade": 9, "century": 10}
#: TIMEX3 parts of the day, as hours inside their own day (so a part of a day is inside that day).
_PARTS_OF_DAY = {"MO": (5, 12), "MI": (11, 14), "AF": (12, 18), "EV": (17, 22), "NI": (20, 24), "DT": (6, 18)}
#: Meteorological seasons as (first month, number of months); winter runs into the next year.
_SEASONS = {"SP": (3, 3), "SU": (6, 3), "FA": (9, 3), "WI": (12, 3)}

_VALUE = re.compile(
    r"(?P<year>\d{4})(?:-(?:"
    r"(?P<month>\d{2})(?:-(?P<day>\d{2}))?"
    r"|W(?P<week>\d{1,2})(?:-(?P<wday>[1-7]|WE))?"
    r"|Q(?P<quarter>[1-4])|H(?P<half>[12])|(?P<season>SP|SU|FA|WI)))?"
    r"(?:T(?:(?P<part>MO|MI|AF|EV|NI|DT)|(?P<hour>\d{2})(?::?(?P<minute>\d{2})(?::?\d{2}(?:\.\d+)?)?)?)"
    r"(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_DECADE = re.compile(r"(?P<d>\d{3})X?")
_CENTURY = re.compile(r"(?P<c>\d{2})(?:XX)?")
#: "since X" just before a time expression (the tagger's own cue, rebuilt for gold timexes).
_SINCE_BEFORE = re.compile(r"\bsince\s+(?:the\s+)?(?:(?:[\w'-]+\s+){1,4}(?:on|in|at)\s+)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class CalendarValue:
    """The half-open interval ``[earliest, latest)`` a TIMEX3 calendar value denotes, and its grain."""

    earliest: datetime
    latest: datetime
    grain: str

    @property
    def rank(self) -> int:
        """Position of the grain, finest first (minute 0 ... century 10)."""
        return _RANK[self.grain]


def _add_months(year: int, month: int, n: int) -> datetime:
    k = year * 12 + (month - 1) + n
    return datetime(k // 12, k % 12 + 1, 1)


def parse_calendar_value(value: str | None) -> CalendarValue | None:
    """The interval and grain of a TIMEX3 calendar value, or None when it names no calendar period.

    Calendar values: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY-Www`` (ISO week),
    ``YYYY-Www-D``, ``YYYY-Www-WE``, ``YYYY-QN``, ``YYYY-HN``, seasons ``YYYY-SP|SU|FA|WI``,
    decades ``YYY``/``YYYX``, centuries ``YY``/``YYXX``, and a day with a time
    (``THH``, ``THH:MM[:SS]``, a zone) or a part of the day (``TMO``, ``TAF``, ``TEV``,
    ``TNI``, ``TMI``, ``TDT``). Anything else (durations, ``PAST_REF``, values with
    ``X`` in them, ``FY1998``) is None.

    Examples:
        >>> v = parse_calendar_value("2024-W48")
        >>> v.earliest.date().isoformat(), v.latest.date().isoformat(), v.grain
        ('2024-11-25', '2024-12-02', 'week')
        >>> [parse_calendar_value(s).grain for s in ("2024-11", "2016", "2024-11-29TNI", "2015-SU", "1998-Q3")]
        ['month', 'year', 'part-of-day', 'season', 'quarter']
        >>> parse_calendar_value("2024-11-29T14:30").earliest
        datetime.datetime(2024, 11, 29, 14, 30)
        >>> parse_calendar_value("199").grain, parse_calendar_value("2015-WI").latest.date().isoformat()
        ('decade', '2016-03-01')
        >>> [parse_calendar_value(s) for s in ("PAST_REF", "P3D", "XXXX-11-29", "2024-13", "", None)]
        [None, None, None, None, None, None]
    """
    if not value:
        return None
    value = value.strip()
    try:
        return _parse(value)
    except ValueError:  # 2024-13, 2024-02-30, week 54...
        return None


def _parse(value: str) -> CalendarValue | None:
    m = _VALUE.fullmatch(value)
    if m is None:
        d = _DECADE.fullmatch(value)
        if d:
            y = int(d["d"]) * 10
            return CalendarValue(datetime(y, 1, 1), datetime(y + 10, 1, 1), "decade")
        c = _CENTURY.fullmatch(value)
        if c:
            y = int(c["c"]) * 100
            return CalendarValue(datetime(max(y, 1), 1, 1), datetime(y + 100, 1, 1), "century")
        return None
    year = int(m["year"])
    has_time = m["part"] is not None or m["hour"] is not None
    if has_time and m["day"] is None and m["wday"] in (None, "WE"):
        return None  # a time needs a day
    if m["day"] is not None:
        lo = datetime(year, int(m["month"]), int(m["day"]))
        out = CalendarValue(lo, lo + timedelta(days=1), "day")
    elif m["month"] is not None:
        lo = datetime(year, int(m["month"]), 1)
        out = CalendarValue(lo, _add_months(year, lo.month, 1), "month")
    elif m["week"] is not None:
        monday = datetime.combine(date.fromisocalendar(year, int(m["week"]), 1), datetime.min.time())
        if m["wday"] == "WE":
            out = CalendarValue(monday + timedelta(days=5), monday + timedelta(days=7), "week")
        elif m["wday"]:
            lo = monday + timedelta(days=int(m["wday"]) - 1)
            out = CalendarValue(lo, lo + timedelta(days=1), "day")
        else:
            out = CalendarValue(monday, monday + timedelta(days=7), "week")
    elif m["quarter"] is not None:
        first = 3 * (int(m["quarter"]) - 1) + 1
        out = CalendarValue(datetime(year, first, 1), _add_months(year, first, 3), "quarter")
    elif m["half"] is not None:
        first = 6 * (int(m["half"]) - 1) + 1
        out = CalendarValue(datetime(year, first, 1), _add_months(year, first, 6), "half")
    elif m["season"] is not None:
        first, n = _SEASONS[m["season"]]
        out = CalendarValue(datetime(year, first, 1), _add_months(year, first, n), "season")
    else:
        out = CalendarValue(datetime(year, 1, 1), datetime(year + 1, 1, 1), "year")
    if not has_time:
        return out
    day = out.earliest
    if m["part"]:
        a, b = _PARTS_OF_DAY[m["part"]]
        return CalendarValue(day + timedelta(hours=a), day + timedelta(hours=b), "part-of-day")
    hour = int(m["hour"])
    if hour > 24 or (hour == 24 and m["minute"] not in (None, "00")):
        return None
    if m["minute"] is None:
        lo = day + timedelta(hours=hour)
        return CalendarValue(lo, lo + timedelta(hours=1), "hour") if hour < 24 else None
    minute = int(m["minute"])
    if minute > 59:
        return None
    lo = day + timedelta(hours=hour, minutes=minute)
    return CalendarValue(lo, lo + timedelta(minutes=1), "minute")


def anchor_is_right(system: str | None, gold: str) -> bool:
    """True when the system value lies inside the gold time at the gold grain or finer.

    A coarser value is wrong even when it contains the gold time; so are None and an
    unparsable value. A gold value that is not a calendar value raises ``ValueError``.

    Examples:
        >>> anchor_is_right("2024-11-29", "2024-11-29"), anchor_is_right("2024-11-28", "2024-11-29")
        (True, False)
        >>> anchor_is_right("2024-11-29TNI", "2024-11-29")     # finer, inside the day
        True
        >>> anchor_is_right("2024-11", "2024-11-29")          # coarser
        False
        >>> anchor_is_right("2024-11-29", "2024-11"), anchor_is_right("2024-12-01", "2024-11")
        (True, False)
        >>> anchor_is_right("2024-W47", "2024-11"), anchor_is_right("2024-W48", "2024-11")  # W48 ends on 1 Dec.
        (True, False)
        >>> anchor_is_right("2016", "2016"), anchor_is_right("2016-Q2", "2016"), anchor_is_right("201", "2016")
        (True, True, False)
        >>> anchor_is_right("2015-SU", "2015-07"), anchor_is_right("2015-07-14", "2015-SU")
        (False, True)
        >>> anchor_is_right("PAST_REF", "2024-11"), anchor_is_right(None, "2024-11")
        (False, False)
    """
    g = parse_calendar_value(gold)
    if g is None:
        raise ValueError(f"gold value {gold!r} is not a calendar value")
    s = parse_calendar_value(system)
    if s is None:
        return False
    return g.earliest <= s.earliest and s.latest <= g.latest and s.rank <= g.rank


def day_value(d: datetime | date) -> str:
    """``YYYY-MM-DD`` of a day (the value a day estimate is scored with)."""
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


# ---------------------------------------------------------------------------
# Records


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """An event mention and its gold time.

    Attributes:
        event_id: the corpus id (``eid``, ``m_id`` or the SemEval ``DOC-SENTENCE-WORD`` key).
        start, end: Python ``str`` offsets into :attr:`EventDocument.text`.
        text: ``document.text[start:end]``.
        value: the gold calendar value (``2008-06`` for ``2008-06-XX``); "" when undated.
        where: where the gold time is written: ``dct`` (the document creation time),
            ``sentence`` (a timex in the event's sentence), ``elsewhere`` (a timex in another
            sentence), ``implicit`` (a timex with no text), ``timeline`` (SemEval: not a timex).
        timex_id: the id of the gold timex, or None.
        relation: the gold relation, event -> timex (``IS_INCLUDED``...), or None.
    """

    event_id: str
    start: int
    end: int
    text: str
    value: str
    where: str
    timex_id: str | None = None
    relation: str | None = None


@dataclass(frozen=True)
class EventDocument:
    """A document with gold-anchored events.

    Attributes:
        doc_id, path, text, dct: as in :class:`timeline.timeml.TimeMLDocument`.
        dct_value: the DCT's TIMEX3 value as written (may hold a time), or None.
        events: the events with a gold time, in text order.
        undated: events the gold says cannot be anchored (SemEval ``XXXX-XX-XX``).
        timexes: the gold TIMEX3 spans of the text (DCT excluded; empty when the corpus has none).
        sentences: the corpus's own sentences as ``(start, end)`` offsets, or None (TimeML).
        n_events: how many event mentions the document annotates in all.
    """

    doc_id: str
    path: str
    text: str
    dct: date | None
    dct_value: str | None
    events: tuple[GoldEvent, ...]
    undated: tuple[GoldEvent, ...] = ()
    timexes: tuple[GoldTimex, ...] = ()
    sentences: tuple[tuple[int, int], ...] | None = None
    n_events: int = 0


# ---------------------------------------------------------------------------
# Shared helpers


_local = local_name
_parse_xml = parse_xml


@dataclass(frozen=True, slots=True)
class _Timex:
    tid: str
    type: str
    value: str
    span: tuple[int, int] | None  # None: no text (the DCT outside <TEXT>, an implicit timex)
    is_dct: bool = False


def _dct_day(value: str) -> str:
    """The publication day of a DCT value: its clock time dropped (``1990-08-15T13:37`` -> ``1990-08-15``).

    An event linked to the DCT happened on the publication day; the wire's time stamp is
    not the event's time, and no system could be scored right at that minute.

    Examples:
        >>> _dct_day("1990-08-15T13:37"), _dct_day("1998-01-08"), _dct_day("PRESENT_REF")
        ('1990-08-15', '1998-01-08', 'PRESENT_REF')
    """
    day = parse_calendar_value(value[:10])
    return value[:10] if day is not None and day.grain == "day" and len(value) > 10 else value


def _pick_gold(links: list[tuple[str, str]], timexes: dict[str, _Timex]) -> tuple[_Timex, str] | None:
    """The finest calendar timex among (timex id, relation event->timex) links that put the event inside it."""
    best: tuple[tuple[int, timedelta, int], _Timex, str] | None = None
    for order, (tid, relation) in enumerate(links):
        t = timexes.get(tid)
        if t is None or relation not in INSIDE_RELATIONS or t.type not in ("DATE", "TIME"):
            continue
        cv = parse_calendar_value(t.value)
        if cv is None:
            continue
        key = (cv.rank, cv.latest - cv.earliest, order)
        if best is None or key < best[0]:
            best = (key, t, relation)
    return None if best is None else (best[1], best[2])


def _where(t: _Timex, event_start: int, index: Callable[[int], int]) -> str:
    if t.is_dct:
        return "dct"
    if t.span is None:
        return "implicit"
    return "sentence" if index(t.span[0]) == index(event_start) else "elsewhere"


def _sentence_index(bounds: Sequence[tuple[int, int]]) -> Callable[[int], int]:
    """A function giving the index of the sentence holding an offset (-1 before the first)."""
    starts = [s for s, _ in bounds]

    def index(pos: int) -> int:
        return bisect.bisect_right(starts, pos) - 1

    return index


def _split_bounds(text: str) -> tuple[tuple[int, int], ...]:
    from timeline.events.segment import split_sentences

    return tuple((s.start, s.end) for s in split_sentences(text))


# ---------------------------------------------------------------------------
# TimeBank / AQUAINT


def read_timeml_events(path: str | Path) -> EventDocument:
    """Read an inline TimeML file (TimeBank, AQUAINT): text, DCT, events with their gold TLINK time.

    "Same sentence" in :attr:`GoldEvent.where` uses
    :func:`timeline.events.segment.split_sentences` (TimeML has no sentence markup).

    Raises:
        InputError: the file is missing or malformed (see :func:`timeline.timeml.read_timeml`).
    """
    path = Path(path)
    doc = read_timeml(path)
    root = _parse_xml(path)
    text_element = next((e for e in root.iter() if _local(e.tag) == "TEXT"), None)
    assert text_element is not None  # read_timeml checked it

    text, spans = text_spans(text_element)
    if text != doc.text:  # the same walk as timeline.timeml's
        raise InputError(f"{path}: text differs from timeline.timeml.read_timeml's")

    events: dict[str, tuple[int, int]] = {}
    for e in text_element.iter():
        if _local(e.tag) == "EVENT" and e.get("eid"):
            events[e.get("eid", "")] = spans[id(e)]
    instance_of = {m.get("eiid", ""): m.get("eventID", "") for m in root.iter() if _local(m.tag) == "MAKEINSTANCE"}

    timexes: dict[str, _Timex] = {}
    dct_value = None
    for e in root.iter():
        if _local(e.tag) != "TIMEX3" or not e.get("tid"):
            continue
        is_dct = e.get("functionInDocument") == "CREATION_TIME"
        span = spans.get(id(e)) if not is_dct else None
        if is_dct:
            dct_value = dct_value or e.get("value")
        value = _dct_day(e.get("value", "")) if is_dct else e.get("value", "")
        timexes[e.get("tid", "")] = _Timex(e.get("tid", ""), e.get("type", ""), value, span, is_dct)

    links: dict[str, list[tuple[str, str]]] = {}
    for link in root.iter():
        if _local(link.tag) != "TLINK":
            continue
        rel = (link.get("relType") or "").upper()
        source_event, source_time = link.get("eventInstanceID"), link.get("timeID")
        target_event, target_time = link.get("relatedToEventInstance"), link.get("relatedToTime")
        if source_event and target_time:
            eid, tid = instance_of.get(source_event), target_time
        elif source_time and target_event:
            eid, tid, rel = instance_of.get(target_event), source_time, _INVERSE.get(rel, rel)
        else:
            continue
        if eid:
            links.setdefault(eid, []).append((tid, rel))

    bounds = _split_bounds(doc.text)
    index = _sentence_index(bounds)
    gold = []
    for eid, (start, end) in events.items():
        picked = _pick_gold(links.get(eid, []), timexes)
        if picked is None or start == end:
            continue
        t, relation = picked
        gold.append(GoldEvent(eid, start, end, doc.text[start:end], t.value, _where(t, start, index),
                              t.tid, relation))
    gold.sort(key=lambda g: (g.start, g.end))
    return EventDocument(doc.doc_id, str(path), doc.text, doc.dct, dct_value, tuple(gold),
                         timexes=doc.timexes, n_events=len(events))


# ---------------------------------------------------------------------------
# MEANTIME (CAT XML)


def read_cat_events(path: str | Path) -> EventDocument:
    """Read a MEANTIME CAT XML file: text, DCT, EVENT_MENTIONs with their gold TLINK time.

    The DCT is the TIMEX3 with ``functionInDocument="CREATION_TIME"``; sentences are the
    corpus's own (the token ``sentence`` numbers).

    Raises:
        InputError: the file is missing or malformed (see :func:`timeline.timeml.read_cat`).
    """
    path = Path(path)
    doc = read_cat(path)
    root = _parse_xml(path)
    token_spans: dict[str, tuple[int, int]] = {}
    sentence_bounds: dict[str, list[int]] = {}
    order: list[str] = []
    length = 0
    sentence = None
    for token in root.iter():
        if _local(token.tag) != "token":
            continue
        if token_spans:
            length += 1
        sentence = token.get("sentence")
        word = token.text or ""
        token_spans[token.get("t_id", "")] = (length, length + len(word))
        if sentence not in sentence_bounds:
            sentence_bounds[sentence or ""] = [length, length + len(word)]
            order.append(sentence or "")
        sentence_bounds[sentence or ""][1] = length + len(word)
        length += len(word)
    if length != len(doc.text):
        raise InputError(f"{path}: text differs from timeline.timeml.read_cat's")
    bounds = tuple((sentence_bounds[s][0], sentence_bounds[s][1]) for s in order)

    def span_of(element: ET.Element) -> tuple[int, int] | None:
        anchors = [a.get("t_id", "") for a in element if _local(a.tag) == "token_anchor"]
        known = [token_spans[t] for t in anchors if t in token_spans]
        if not known:
            return None
        return min(s for s, _ in known), max(e for _, e in known)

    events: dict[str, tuple[int, int]] = {}
    timexes: dict[str, _Timex] = {}
    dct_value = None
    for markables in root.iter():
        if _local(markables.tag) != "Markables":
            continue
        for element in markables:
            tag = _local(element.tag)
            mid = element.get("m_id", "")
            if tag == "EVENT_MENTION":
                span = span_of(element)
                if span is not None:
                    events[mid] = span
            elif tag == "TIMEX3":
                is_dct = element.get("functionInDocument") == "CREATION_TIME"
                if is_dct:
                    dct_value = dct_value or element.get("value")
                value = element.get("value", "")
                timexes[mid] = _Timex(mid, element.get("type", ""), _dct_day(value) if is_dct else value,
                                      span_of(element), is_dct)

    links: dict[str, list[tuple[str, str]]] = {}
    for relations in root.iter():
        if _local(relations.tag) != "TLINK":
            continue
        source = next((e.get("m_id") for e in relations if _local(e.tag) == "source"), None)
        target = next((e.get("m_id") for e in relations if _local(e.tag) == "target"), None)
        rel = (relations.get("reltype") or "").upper()
        if source in events and target in timexes:
            links.setdefault(source, []).append((target, rel))
        elif source in timexes and target in events:
            links.setdefault(target, []).append((source, _INVERSE.get(rel, rel)))

    index = _sentence_index(bounds)
    gold = []
    for mid, (start, end) in events.items():
        picked = _pick_gold(links.get(mid, []), timexes)
        if picked is None:
            continue
        t, relation = picked
        gold.append(GoldEvent(mid, start, end, doc.text[start:end], t.value, _where(t, start, index),
                              t.tid, relation))
    gold.sort(key=lambda g: (g.start, g.end))
    return EventDocument(doc.doc_id, str(path), doc.text, doc.dct, dct_value, tuple(gold),
                         timexes=doc.timexes, sentences=bounds, n_events=len(events))


# ---------------------------------------------------------------------------
# SemEval-2015 Task 4 (TimeLine) trial data

_TIMELINE_DATE = re.compile(r"(\d{4}|X{3,4})(?:-(\d{2}|XX))?(?:-(\d{2}|XX))?")


def _timeline_value(date_text: str) -> str | None:
    """``2008-06-XX`` -> ``2008-06``, ``2003-XX-XX`` -> ``2003``; "" for ``XXXX-XX-XX``; None if malformed."""
    m = _TIMELINE_DATE.fullmatch(date_text.strip())
    if m is None:
        return None
    parts = [p for p in m.groups() if p is not None]
    kept = []
    for p in parts:
        if "X" in p:
            break
        kept.append(p)
    return "-".join(kept)


@dataclass
class _SemEvalDoc:
    doc_id: str
    path: Path
    text: str
    dct: date | None
    dct_value: str | None
    bounds: tuple[tuple[int, int], ...]
    sentence_ids: dict[str, int]  # <s id> -> index in bounds
    events: list[tuple[int, int, int, str]]  # (sentence index, start, end, eid); eid "" for untagged mentions
    n_tagged: int = 0


def _read_semeval_document(path: Path) -> _SemEvalDoc:
    root = _parse_xml(path)
    doc_id = next(((e.text or "").strip() for e in root.iter() if _local(e.tag) == "DOCID"), "") or path.stem
    dct_value = next((e.get("value") for e in root.iter()
                      if _local(e.tag) == "TIMEX3" and e.get("functionInDocument") == "CREATION_TIME"), None)
    cv = parse_calendar_value((dct_value or "")[:10])
    dct = cv.earliest.date() if cv is not None and cv.grain == "day" else None
    text_element = next((e for e in root.iter() if _local(e.tag) == "TEXT"), None)
    if text_element is None:
        raise InputError(f"{path}: no <TEXT> element")
    pieces: list[str] = []
    length = 0
    bounds: list[tuple[int, int]] = []
    sentence_ids: dict[str, int] = {}
    events: list[tuple[int, int, int, str]] = []
    for s in text_element:
        if _local(s.tag) != "s":
            continue
        if bounds:
            pieces.append("\n")
            length += 1
        start = length
        index = len(bounds)

        def add(piece: str | None) -> None:
            nonlocal length
            if piece:
                pieces.append(piece)
                length += len(piece)

        add(s.text)
        for child in s:
            c_start = length
            add("".join(child.itertext()))
            if _local(child.tag) == "EVENT":
                events.append((index, c_start, length, child.get("eid", "")))
            add(child.tail)
        bounds.append((start, length))
        sentence_ids[s.get("id", str(index))] = index
    return _SemEvalDoc(doc_id, path, "".join(pieces), dct, dct_value, tuple(bounds), sentence_ids, events, len(events))


def read_semeval_timelines(folder: str | Path) -> tuple[list[EventDocument], list[str]]:
    """Read the SemEval-2015 TimeLine trial data: ``documents/*`` and ``timelines/*.txt``.

    Each timeline line ``ORDER<TAB>DATE<TAB>DOC-SENTENCE-WORD...`` gives its mentions the
    DATE at its grain; ``_`` in WORD stands for a space. A mention is the ``<EVENT>`` of that
    sentence with that text (the first one not yet taken when several match). A document id
    that names no document is repaired when exactly one document's id has the same digits in
    another order and holds the mention (the gold files swap digits, e.g. 9590 for 9509). A
    mention listed in several timelines is kept once (the finest date).

    Returns:
        The documents (those with at least one mention), and notes on what was repaired
        or could not be matched.

    Raises:
        InputError: the folder lacks ``documents/`` or ``timelines/``.
    """
    folder = Path(folder)
    doc_dir, timeline_dir = folder / "documents", folder / "timelines"
    if not doc_dir.is_dir() or not timeline_dir.is_dir():
        raise InputError(f"{folder}: expected documents/ and timelines/ folders (SemEval-2015 Task 4 layout)")
    docs: dict[str, _SemEvalDoc] = {}
    for p in sorted(doc_dir.iterdir()):
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in (".tml", ".xml"):
            d = _read_semeval_document(p)
            docs[d.doc_id] = d
    notes: list[str] = []
    # (doc, event index) -> (value, key)
    chosen: dict[tuple[str, int], tuple[str, str]] = {}
    for tl in sorted(timeline_dir.glob("*.txt")):
        for lineno, line in enumerate(tl.read_text(encoding="utf-8").splitlines(), start=1):
            fields = line.rstrip("\n").split("\t")
            if lineno == 1 or len(fields) < 3:
                continue  # the first line names the target entity
            value = _timeline_value(fields[1])
            if value is None:
                notes.append(f"{tl.name}:{lineno}: malformed date {fields[1]!r}")
                continue
            for key in fields[2:]:
                key = key.strip()
                found = _find_mention(docs, key, chosen, notes, f"{tl.name}:{lineno}")
                if found is None:
                    continue
                previous = chosen.get(found)
                if previous is not None and previous[0] != value:
                    kept = _finer(previous[0], value)
                    notes.append(f"{tl.name}:{lineno}: {key} dated both {previous[0]!r} and {value!r}; kept {kept!r}")
                    value = kept
                chosen[found] = (value, key)
    out = []
    for doc_id, d in docs.items():
        dated: list[GoldEvent] = []
        undated: list[GoldEvent] = []
        for i, (_sent, start, end, eid) in enumerate(d.events):
            if (doc_id, i) not in chosen:
                continue
            value, key = chosen[(doc_id, i)]
            g = GoldEvent(key, start, end, d.text[start:end], value, "timeline", eid, None)
            (dated if value else undated).append(g)
        if dated or undated:
            dated.sort(key=lambda g: (g.start, g.end))
            undated.sort(key=lambda g: (g.start, g.end))
            out.append(EventDocument(doc_id, str(d.path), d.text, d.dct, d.dct_value, tuple(dated), tuple(undated),
                                     (), d.bounds, d.n_tagged))
    return out, notes


def _finer(a: str, b: str) -> str:
    """The finer of two timeline values (a dated one over "", the first on a tie)."""
    if not a or not b:
        return a or b
    ca, cb = parse_calendar_value(a), parse_calendar_value(b)
    if ca is None or cb is None:
        return a if ca is not None else b
    return a if ca.rank <= cb.rank else b


def _find_mention(docs: dict[str, _SemEvalDoc], key: str, taken: dict[tuple[str, int], tuple[str, str]],
                  notes: list[str], where: str) -> tuple[str, int] | None:
    """(document id, index into its events) of a timeline mention, or None (with a note)."""
    m = re.fullmatch(r"(\w+?)-(\d+)-(.+)", key)
    if m is None:
        notes.append(f"{where}: malformed mention {key!r}")
        return None
    doc_id, sentence, word = m[1], m[2], m[3].replace("_", " ")
    if doc_id not in docs:
        repairs = [d for d in docs.values() if sorted(d.doc_id) == sorted(doc_id) and _match(d, sentence, word)[0]]
        if len(repairs) != 1:
            notes.append(f"{where}: mention {key!r}: no document {doc_id}")
            return None
        notes.append(f"{where}: mention {key!r}: document id {doc_id} read as {repairs[0].doc_id}")
        doc_id = repairs[0].doc_id
    d = docs[doc_id]
    found, how = _match(d, sentence, word)
    if not found:
        notes.append(f"{where}: mention {key!r}: {word!r} not in sentence {sentence}")
        return None
    if how == "tokens":
        a, b = found[0]
        d.events.append((d.sentence_ids[sentence], a, b, ""))
        notes.append(f"{where}: mention {key!r}: no <EVENT> {word!r} in sentence {sentence}; its tokens taken")
        return (doc_id, len(d.events) - 1)
    if how == "first word":
        notes.append(f"{where}: mention {key!r}: <EVENT> on its first word {word.split()[0]!r} taken")
    # the same key in another timeline is the same mention; else the first one not yet taken
    indices = [i for i, _span in found]
    same = [i for i in indices if taken.get((doc_id, i), ("", ""))[1] == key]
    free = [i for i in indices if (doc_id, i) not in taken]
    return (doc_id, (same or free or indices)[0])


def _match(d: _SemEvalDoc, sentence: str, word: str) -> tuple[list, str]:
    """Where ``word`` is in the sentence: its <EVENT> tags (case aside), else its tokens, else the
    <EVENT> on its first word. Returns ``([(event index, span)...], how)`` or ``([(span)], "tokens")``."""
    index = d.sentence_ids.get(sentence)
    if index is None:
        return [], ""
    lowered = word.lower()
    tags = [(i, (a, b)) for i, (s, a, b, _e) in enumerate(d.events) if s == index]
    exact = [(i, span) for i, span in tags if d.text[span[0]:span[1]].lower() == lowered]
    if exact:
        return exact, "event"
    s_start, s_end = d.bounds[index]
    for m in re.finditer(r"(?<!\S)" + re.escape(word) + r"(?!\S)", d.text[s_start:s_end], re.IGNORECASE):
        return [(s_start + m.start(), s_start + m.end())], "tokens"
    first = lowered.split()[0] if lowered.split() else lowered
    heads = [(i, span) for i, span in tags if d.text[span[0]:span[1]].lower() == first]
    if heads:
        return heads, "first word"
    if first != lowered:  # a split particle verb: "took six months off"
        for m in re.finditer(r"(?<!\S)" + re.escape(first) + r"(?!\S)", d.text[s_start:s_end], re.IGNORECASE):
            return [(s_start + m.start(), s_start + m.end())], "tokens"
    return [], ""


# ---------------------------------------------------------------------------
# Gold time expressions as the tagger's records


def gold_expressions(doc: EventDocument) -> list[TimeExpression]:
    """The document's gold TIMEX3 as :class:`timeline.model.TimeExpression` (for anchoring with gold times).

    Calendar values get their interval and grain from :func:`parse_calendar_value`;
    other values (durations, ``PAST_REF``, ``XXXX-WXX-5``...) have no interval, as the
    tagger leaves them. A timex right after "since" (the tagger's own cue, "since the
    offensive began on Wednesday" included, unless another timex comes between) is marked
    ``since`` (TimeML keeps that word as a SIGNAL, the tagger as a flag), with ``until``
    the end of the DCT day.
    """
    out = []
    dct_end = datetime(doc.dct.year, doc.dct.month, doc.dct.day) + timedelta(days=1) if doc.dct else None
    for t in doc.timexes:
        cv = parse_calendar_value(t.value) if t.type in ("DATE", "TIME") else None
        m = _SINCE_BEFORE.search(doc.text, max(0, t.start - 60), t.start)
        # "since 2011 and resumed on Friday": another timex after "since" takes the bound
        since = m is not None and cv is not None and not any(
            m.start() <= other.start < t.start for other in doc.timexes if other is not t)
        out.append(TimeExpression(
            text=t.text, start=t.start, end=t.end, type=t.type, value=t.value, mod=t.mod,
            earliest=cv.earliest if cv else None, latest=cv.latest if cv else None,
            grain=cv.grain if cv else None, anchor=doc.dct, anchor_source="absolute", rule_id="gold",
            since=since,
            until=dct_end if since and cv is not None and dct_end is not None and dct_end > cv.earliest else None))
    return out


# ---------------------------------------------------------------------------
# Systems and baselines, all scored the same way


@dataclass(frozen=True, slots=True)
class Prediction:
    """What one system says about one event: the value scored, and why.

    Attributes:
        value: the value scored by :func:`anchor_is_right` (None: no time at all).
        reason: the system's explanation.
        source, relation: the :class:`timeline.events.anchor.EventAnchor` fields, if any.
        expression: the time expression used, or None.
        from_bounds: True when ``value`` is the anchor's best single day, not its own value.
    """

    value: str | None
    reason: str = ""
    source: str | None = None
    relation: str | None = None
    expression: TimeExpression | None = None
    from_bounds: bool = False


#: A system: given a document and the tagger's expressions, one prediction per event of
#: ``document_events(doc)`` (dated and undated, in text order).
System = Callable[[EventDocument, Sequence[TimeExpression]], list[Prediction]]


def document_events(doc: EventDocument) -> list[GoldEvent]:
    """The dated and undated gold events of a document, in text order."""
    return sorted(doc.events + doc.undated, key=lambda g: (g.start, g.end))


def anchor_prediction(anchor: object) -> Prediction:
    """The scored value of an :class:`~timeline.events.anchor.EventAnchor`.

    Its ``value`` when that is a calendar value; otherwise (None, ``PAST_REF``, a
    duration...) the day :func:`timeline.events.anchor.best_day` gives from its bounds,
    at day grain; None when it has neither.
    """
    from timeline.events.anchor import best_day

    value = anchor.value  # type: ignore[attr-defined]
    common = {"reason": anchor.reason, "source": anchor.source,  # type: ignore[attr-defined]
              "relation": anchor.relation, "expression": anchor.expression}  # type: ignore[attr-defined]
    if parse_calendar_value(value) is not None:
        return Prediction(value, **common)
    day = best_day(anchor)  # type: ignore[arg-type]
    return Prediction(day_value(day) if day is not None else None, from_bounds=day is not None, **common)


def predict_anchor_events(doc: EventDocument, expressions: Sequence[TimeExpression]) -> list[Prediction]:
    """System (a): :func:`timeline.anchor_events` with the tagger's expressions and the DCT.

    ``expressions`` must be ``timeline.tag(doc.text, doc.dct)``: passing them is what
    ``anchor_events(..., expressions=None)`` computes itself, done once for all systems.
    """
    from timeline.events.anchor import anchor_events

    events = document_events(doc)
    anchors = anchor_events(doc.text, [(g.start, g.end) for g in events], dct=doc.dct, expressions=list(expressions))
    return [anchor_prediction(a) for a in anchors]


def predict_gold_timexes(doc: EventDocument, expressions: Sequence[TimeExpression]) -> list[Prediction]:
    """System (d): :func:`timeline.anchor_events` given the gold TIMEX3 (:func:`gold_expressions`) instead."""
    return predict_anchor_events(doc, gold_expressions(doc))


def predict_dct(doc: EventDocument, expressions: Sequence[TimeExpression]) -> list[Prediction]:
    """Baseline (b): every event on the publication day."""
    value = day_value(doc.dct) if doc.dct is not None else None
    return [Prediction(value, "the publication day", "dct") for _ in document_events(doc)]


def sentence_bounds(doc: EventDocument) -> tuple[tuple[int, int], ...]:
    """The corpus's sentences, else :func:`timeline.events.segment.split_sentences`'."""
    return doc.sentences if doc.sentences is not None else _split_bounds(doc.text)


def nearest_in_sentence(span: tuple[int, int], expressions: Sequence[TimeExpression],
                        sentence: tuple[int, int]) -> TimeExpression | None:
    """The DATE/TIME expression with a calendar value nearest ``span`` (in characters) inside ``sentence``.

    Distance is the gap between the spans (0 when they overlap); a tie goes to the earlier one.

    Examples:
        >>> e = lambda a, b, v: TimeExpression(text="x", start=a, end=b, type="DATE", value=v)
        >>> exprs = [e(0, 5, "2024-12-01"), e(30, 36, "2024-11"), e(40, 45, "PAST_REF"), e(90, 95, "2024")]
        >>> nearest_in_sentence((20, 25), exprs, (0, 80)).value, nearest_in_sentence((10, 12), exprs, (0, 80)).value
        ('2024-11', '2024-12-01')
        >>> nearest_in_sentence((85, 88), exprs, (82, 89)) is None
        True
    """
    start, end = span
    best = None
    for e in expressions:
        if e.type not in ("DATE", "TIME") or parse_calendar_value(e.value) is None:
            continue
        if e.start < sentence[0] or e.end > sentence[1]:
            continue
        gap = max(0, e.start - end, start - e.end)
        if best is None or (gap, e.start) < best[0]:
            best = ((gap, e.start), e)
    return None if best is None else best[1]


def predict_nearest(doc: EventDocument, expressions: Sequence[TimeExpression]) -> list[Prediction]:
    """Baseline (c): the nearest tagged DATE/TIME with a calendar value in the sentence, else the DCT day."""
    bounds = sentence_bounds(doc)
    index = _sentence_index(bounds)
    out = []
    dct = day_value(doc.dct) if doc.dct is not None else None
    for g in document_events(doc):
        i = index(g.start)
        e = nearest_in_sentence((g.start, g.end), expressions, bounds[i]) if i >= 0 else None
        if e is not None:
            out.append(Prediction(e.value, f"nearest time in the sentence ({e.text!r})", "sentence", expression=e))
        else:
            out.append(Prediction(dct, "no time in the sentence: the publication day", "dct"))
    return out


def predict_gold(doc: EventDocument, expressions: Sequence[TimeExpression]) -> list[Prediction]:
    """The gold values themselves (a check of the scoring: always right)."""
    return [Prediction(g.value or None, "gold") for g in document_events(doc)]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One system's prediction for one gold event, scored (``right`` is None for undated gold)."""

    doc: EventDocument
    event: GoldEvent
    system: str
    prediction: Prediction
    right: bool | None


def evaluate_anchoring(docs: Sequence[EventDocument], systems: dict[str, System],
                       tagger: Callable[[str, date | None], Sequence[TimeExpression]] | None = None
                       ) -> list[Outcome]:
    """Run every system on every document's events (tagging each text once) and score them.

    Args:
        docs: the documents.
        systems: name -> system (e.g. :func:`predict_anchor_events`, :func:`predict_dct`).
        tagger: ``(text, dct) -> expressions``; :func:`timeline.tag` by default.

    Raises:
        ValueError: a system returned a number of predictions other than the number of events.
    """
    if tagger is None:
        from timeline.tagging import tag

        def tagger(text: str, dct: date | None) -> Sequence[TimeExpression]:
            return tag(text, dct=dct)

    out = []
    for doc in docs:
        events = document_events(doc)
        expressions = list(tagger(doc.text, doc.dct))
        for name, system in systems.items():
            predictions = system(doc, expressions)
            if len(predictions) != len(events):
                raise ValueError(f"{name} gave {len(predictions)} predictions for {len(events)} events in {doc.doc_id}")
            for g, p in zip(events, predictions):
                right = anchor_is_right(p.value, g.value) if g.value else None
                out.append(Outcome(doc, g, name, p, right))
    return out
