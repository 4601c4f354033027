"""Dates for the exports: partial date objects (only the known parts) and display strings
that say how vague an imprecise date is ("early December 2024", "2011 to 2 Dec 2024")."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ._common import as_ts as _ts

__all__ = ["display_date"]

_GRAIN_OF_PRECISION = {
    "minute": "minute", "hour": "hour", "part-of-day": "hour", "day": "day", "week": "day",
    "month": "month", "season": "month", "quarter": "month", "half": "month",
    "year": "year", "decade": "year", "century": "year",
}
_GRAIN_RANK = {"year": 0, "month": 1, "day": 2, "hour": 3, "minute": 4}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


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



def slide_dates(start: pd.Timestamp, end: pd.Timestamp | None,
                precision: str | None) -> tuple[dict[str, int], dict[str, int] | None]:
    """start_date and end_date objects with only the known parts."""
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
