"""Phase 2 of tagging: resolve mentions against an anchor into TIMEX3 values.

The resolution policy is written once, here (examples with DCT Monday 2024-12-02):

* News mode anchors deictic expressions ("yesterday", "last week", "Friday",
  "November 27", "two years ago") on the DCT. Anaphoric ones ("a day later",
  "the following day", "that night") anchor on the narrative reference time, the
  last mentioned time of day grain or finer, falling back to the DCT.
* Narrative mode (war histories whose DCT is a download date) anchors both on
  the last mentioned time of sufficient grain; a year-less "3 May" takes the
  year last mentioned.
* A bare weekday is the latest such day on or before the DCT ("Friday night" ->
  2024-11-29); a future cue (will, is due to, next...) moves it to the next one.
  "last X" is strictly before, "next X" strictly after.
* A year-less month or day follows tense the same way; with no cue the closest
  candidate to the anchor wins.
* Intervals are half-open ``[earliest, latest)`` with a grain; START/MID/END
  modifiers narrow them to the first, middle or last third.
* Without an anchor, relative expressions keep ``X`` placeholders, no interval
  and ``anchor_source="none"``: nothing is silently anchored on today's date.

Every resolver is a small function ``_resolve_<kind>(mention, ctx)``.
"""

from __future__ import annotations

import calendar
import dataclasses
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from typing import Any

from .errors import InputError
from .model import Mention, TimeExpression

# ---------------------------------------------------------------------------
# Calendar helpers


def _dt(d: date) -> datetime:
    return datetime(d.year, d.month, d.day)


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    ny, nm = _add_months(year, month, 1)
    return datetime(year, month, 1), datetime(ny, nm, 1)


def easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous algorithm).

    Examples:
        >>> easter(2024)
        datetime.date(2024, 3, 31)
    """
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """n-th ISO weekday (1=Mon) of a month; n=-1 for the last one."""
    if n > 0:
        first = date(year, month, 1)
        offset = (weekday - first.isoweekday()) % 7
        return first + timedelta(days=offset + 7 * (n - 1))
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.isoweekday() - weekday) % 7)


_HOLIDAY_RULES: dict[str, Callable[[int], date]] = {
    "thanksgiving": lambda y: _nth_weekday(y, 11, 4, 4),
    "memorial": lambda y: _nth_weekday(y, 5, 1, -1),
    "laborday": lambda y: _nth_weekday(y, 9, 1, 1),
}


def holiday_date(spec: str, year: int) -> date:
    """Date of a holiday spec from the lexicon ("12-25", "easter-2", "thanksgiving")."""
    if spec.startswith("easter"):
        offset = int(spec[6:] or 0)
        return easter(year) + timedelta(days=offset)
    if spec in _HOLIDAY_RULES:
        return _HOLIDAY_RULES[spec](year)
    month, day = spec.split("-")
    return date(year, int(month), int(day))


# Holidays of other calendars (the lexicon's calendar_holiday and islamic_holiday tables). Their
# dates come from the calendar modules of the `holidays` package (Islamic: Umm al-Qura tables
# 1924-2077; Hebrew 1947-2100; Chinese and Vietnamese lunisolar 1901-2099; Persian 1901-2100;
# Diwali as observed in India 2001-2035), Orthodox Easter from dateutil (a pandas dependency)
# and Orthodox Christmas, Julian 25 December, by the Julian-Gregorian day difference. Outside
# those ranges a holiday stays unresolved rather than guessed.

#: Islamic holidays: calculated, while local observation follows the sighting of the new moon
#: and can be a day later; their values carry mod APPROX.
SIGHTED_HOLIDAYS = frozenset({"ramadan", "eid", "eid_al_fitr", "eid_al_adha", "ashura"})

#: Holidays that last a month: resolved as the span of their days, not as their first day.
MONTH_HOLIDAYS = frozenset({"ramadan"})

_CALENDAR_SPEC = re.compile(r"^([a-z_]+?)([+-]\d+)?$")


@lru_cache(maxsize=1)
def _calendars() -> dict[str, Any]:
    """The `holidays` package's calendar objects, built on first use (importing it costs ~40 ms)."""
    # The calendar classes are the package's own building blocks (underscored): held to the
    # floor version in pyproject.toml and checked year by year in tests/test_holidays.py.
    from holidays.calendars import _ChineseLunisolar, _HebrewLunisolar, _HinduLunisolar, _IslamicLunar, _Persian
    from holidays.calendars.chinese import VIETNAMESE_CALENDAR

    return {"islamic": _IslamicLunar(), "hebrew": _HebrewLunisolar(), "hindu": _HinduLunisolar(),
            "chinese": _ChineseLunisolar(), "vietnamese": _ChineseLunisolar(VIETNAMESE_CALENDAR),
            "persian": _Persian()}


def _islamic_days(name: str, year: int) -> list[date]:
    # the package yields the dates of Gregorian years year-1 and year: keep this year's
    return sorted(d for d, _ in getattr(_calendars()["islamic"], f"{name}_dates")(year) if d.year == year)


def _julian_christmas(year: int) -> date:
    """Gregorian date of Julian 25 December of the Julian year before ``year`` (7 Jan 1901-2099)."""
    julian_year = year - 1
    return date(julian_year, 12, 25) + timedelta(days=julian_year // 100 - julian_year // 400 - 2)


def _orthodox_easter(year: int) -> date:
    from dateutil.easter import EASTER_ORTHODOX
    from dateutil.easter import easter as dateutil_easter

    return dateutil_easter(year, EASTER_ORTHODOX)


def _only(d: date | None) -> list[date]:
    return [d] if d is not None else []


_CALENDAR_FIRST_DAYS: dict[str, Callable[[int], list[date]]] = {
    "ramadan": lambda y: _islamic_days("ramadan_beginning", y),
    "eid_al_fitr": lambda y: _islamic_days("eid_al_fitr", y),
    "eid_al_adha": lambda y: _islamic_days("eid_al_adha", y),
    "eid": lambda y: sorted(_islamic_days("eid_al_fitr", y) + _islamic_days("eid_al_adha", y)),
    "ashura": lambda y: _islamic_days("ashura", y),
    "nowruz": lambda y: _only(_calendars()["persian"].new_year_date(y)),
    "passover": lambda y: _only(_calendars()["hebrew"].passover_date(y)),
    "hanukkah": lambda y: sorted(d for d in _calendars()["hebrew"].hanukkah_date(y) if d is not None and d.year == y),
    "diwali": lambda y: _only(_calendars()["hindu"].diwali_india_date(y)[0]),
    "lunar_new_year": lambda y: _only(_calendars()["chinese"].lunar_new_year_date(y)[0]),
    "tet": lambda y: _only(_calendars()["vietnamese"].lunar_new_year_date(y)[0]),
    "orthodox_christmas": lambda y: [_julian_christmas(y)] if 1583 <= y <= 9999 else [],
    "orthodox_easter": lambda y: [_orthodox_easter(y)] if 1583 <= y <= 9999 else [],
}


@cache
def _warn_calendar_once(name: str, detail: str) -> None:
    logging.getLogger(__name__).warning("timeline: no calendar data for %s (%s); left unresolved", name, detail)


def split_calendar_spec(spec: str) -> tuple[str, int]:
    """A calendar holiday spec's name and day offset ("lunar_new_year-1" is its eve).

    Examples:
        >>> split_calendar_spec("lunar_new_year-1"), split_calendar_spec("ramadan")
        (('lunar_new_year', -1), ('ramadan', 0))
    """
    m = _CALENDAR_SPEC.match(spec)
    if m is None or m.group(1) not in _CALENDAR_FIRST_DAYS:
        raise ValueError(f"unknown calendar holiday {spec!r}")
    return m.group(1), int(m.group(2) or 0)


def calendar_holiday_occurrences(spec: str, year: int) -> list[tuple[date, date]]:
    """The occurrences of a holiday of another calendar that begin in a Gregorian year.

    Each is a half-open ``(first day, end)`` range of days: one day for a festival
    (its first day), 1 Ramadan to 1 Shawwal for Ramadan. Empty where the calendar
    data does not reach (or, twice in about 33 years, two for an Islamic holiday).

    Examples:
        >>> calendar_holiday_occurrences("ramadan", 2025)
        [(datetime.date(2025, 3, 1), datetime.date(2025, 3, 30))]
        >>> calendar_holiday_occurrences("passover", 2024)
        [(datetime.date(2024, 4, 23), datetime.date(2024, 4, 24))]
        >>> calendar_holiday_occurrences("orthodox_christmas-1", 2025)
        [(datetime.date(2025, 1, 6), datetime.date(2025, 1, 7))]
    """
    name, offset = split_calendar_spec(spec)
    shift = timedelta(days=offset)
    out = []
    try:
        firsts = _CALENDAR_FIRST_DAYS[name](year)
    except (ImportError, AttributeError, TypeError, ValueError, KeyError) as exc:
        # the `holidays` calendars are underscored classes: should a release rename them, the
        # holiday stays unresolved (logged once per name), the tagger does not fail
        _warn_calendar_once(name, f"{type(exc).__name__}: {exc}")
        return []
    for first in firsts:
        if name in MONTH_HOLIDAYS:
            # Ramadan ends where Shawwal, and Eid al-Fitr, begins
            ends = [d for y in (year, year + 1) for d in _islamic_days("eid_al_fitr", y) if d > first]
            if not ends or (min(ends) - first).days not in (29, 30):
                continue
            out.append((first + shift, min(ends) + shift))
        else:
            out.append((first + shift, first + shift + timedelta(days=1)))
    return out


# ---------------------------------------------------------------------------
# Resolved values

_PART_HOURS = {"MO": (6, 12), "MI": (11, 14), "AF": (12, 18), "EV": (18, 24), "NI": (20, 30), "DT": (6, 18)}
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_DURATION_UNIT = {"D": ("D", 1), "W": ("W", 1), "M": ("M", 1), "Y": ("Y", 1), "DE": ("Y", 10), "CE": ("Y", 100),
                  "H": ("H", 1), "MIN": ("M", 1), "S": ("S", 1), "Q": ("Q", 1), "WE": ("WE", 1),
                  "NIGHT": ("D", 1), "FORTNIGHT": ("W", 2), "ML": ("Y", 1000)}
_GRAIN_OF_UNIT = {"D": "day", "NIGHT": "day", "W": "week", "WE": "week", "FORTNIGHT": "week", "M": "month",
                  "Q": "quarter", "Y": "year", "DE": "decade", "CE": "century", "H": "hour", "MIN": "minute",
                  "S": "minute"}
_FINE_GRAINS = ("minute", "hour", "part-of-day", "day")


@dataclass
class Resolution:
    """What a resolver returns; turned into a TimeExpression by :func:`resolve`."""

    value: str
    grain: str | None = None
    earliest: datetime | None = None
    latest: datetime | None = None
    anchor: date | None = None
    anchor_source: str = "absolute"
    type: str | None = None
    mod: str | None = None
    quant: str | None = None
    freq: str | None = None


@dataclass
class Context:
    """Anchors available while walking a document in order."""

    dct: date | None
    mode: str = "news"
    ref_date: date | None = None  # last mentioned day (narrative reference time)
    ref_grain: str | None = None
    ref_year: int | None = None  # last mentioned year (narrative mode)
    ref_value: str | None = None  # last mentioned value of grain month/quarter (for "a year earlier")
    ref_value_grain: str | None = None
    ref_point: date | None = None  # start of the last mentioned period of any grain
    ref_end: date | None = None  # end (exclusive) of that period
    # news mode: (year, month, end offset) of the last past month or day told with its year
    # ("In July 2011, ..."), until a time relative to publication is told
    story_past: tuple[int, int, int] | None = None
    # where (end offsets) the last month/quarter value and the last reference point were told
    ref_value_at: int = -1
    ref_point_at: int = -1
    # (year, end offset) of the last year before the common era told or counted to ("490 BC")
    bc_year: tuple[int, int] | None = None

    def live_bc_year(self) -> tuple[int, int] | None:
        """:attr:`bc_year` while no year of the era has been told since, else None."""
        bc = self.bc_year
        return bc if bc is not None and bc[1] >= self.ref_point_at else None
    extra: dict[str, Any] = field(default_factory=dict)

    def deictic(self) -> tuple[date | None, str]:
        """Anchor for expressions relative to "now" (today, last week, Friday)."""
        if self.mode == "narrative" and self.ref_date is not None:
            return self.ref_date, "narrative"
        if self.dct is not None:
            return self.dct, "dct"
        if self.ref_date is not None:
            return self.ref_date, "narrative"
        return None, "none"

    def anaphoric(self) -> tuple[date | None, str]:
        """Anchor for expressions relative to the story's own time (a day later)."""
        if self.ref_date is not None:
            return self.ref_date, "narrative"
        if self.dct is not None:
            return self.dct, "dct"
        return None, "none"

    def year_anchor(self) -> tuple[int | None, str]:
        """Year used to complete a year-less date in narrative mode."""
        if self.mode == "narrative" and self.ref_year is not None:
            return self.ref_year, "narrative"
        if self.dct is not None:
            return self.dct.year, "dct"
        if self.ref_year is not None:
            return self.ref_year, "narrative"
        return None, "none"


def _day_res(d: date, anchor: date | None, source: str, part: str | None = None) -> Resolution:
    if part:
        lo, hi = _PART_HOURS.get(part, (0, 24))
        start = _dt(d) + timedelta(hours=lo)
        return Resolution(f"{d.isoformat()}T{part}", "part-of-day", start, _dt(d) + timedelta(hours=hi), anchor, source)
    return Resolution(d.isoformat(), "day", _dt(d), _dt(d) + timedelta(days=1), anchor, source)


def _week_res(monday: date, anchor: date | None, source: str, weekend: bool = False) -> Resolution:
    iso = monday.isocalendar()
    value = f"{iso[0]:04d}-W{iso[1]:02d}"
    if weekend:
        sat = monday + timedelta(days=5)
        return Resolution(value + "-WE", "week", _dt(sat), _dt(sat) + timedelta(days=2), anchor, source)
    return Resolution(value, "week", _dt(monday), _dt(monday) + timedelta(days=7), anchor, source)


def _month_res(year: int, month: int, anchor: date | None, source: str) -> Resolution:
    lo, hi = _month_bounds(year, month)
    return Resolution(f"{year:04d}-{month:02d}", "month", lo, hi, anchor, source)


def _year_res(year: int, anchor: date | None, source: str) -> Resolution:
    return Resolution(f"{year:04d}", "year", datetime(year, 1, 1), datetime(year + 1, 1, 1), anchor, source)


def _quarter_res(year: int, q: int, anchor: date | None, source: str) -> Resolution:
    lo = datetime(year, 3 * (q - 1) + 1, 1)
    hy, hm = _add_months(year, 3 * (q - 1) + 1, 3)
    return Resolution(f"{year:04d}-Q{q}", "quarter", lo, datetime(hy, hm, 1), anchor, source)


def _half_res(year: int, h: int, anchor: date | None, source: str) -> Resolution:
    lo = datetime(year, 1 if h == 1 else 7, 1)
    hi = datetime(year, 7, 1) if h == 1 else datetime(year + 1, 1, 1)
    return Resolution(f"{year:04d}-H{h}", "half", lo, hi, anchor, source)


def _season_res(year: int, season: str, anchor: date | None, source: str) -> Resolution:
    start_month = _SEASON_START[season]
    lo = datetime(year, start_month, 1)
    hy, hm = _add_months(year, start_month, 3)
    return Resolution(f"{year:04d}-{season}", "season", lo, datetime(hy, hm, 1), anchor, source)


def _decade_res(decade_start: int, anchor: date | None, source: str) -> Resolution:
    return Resolution(f"{decade_start // 10:03d}", "decade", datetime(max(decade_start, 1), 1, 1),
                      datetime(decade_start + 10, 1, 1), anchor, source)


def _century_res(century_index: int, anchor: date | None, source: str) -> Resolution:
    """century_index is the value digits: 19 for the 1900s ("the 20th century")."""
    start = century_index * 100
    return Resolution(f"{century_index:02d}", "century", datetime(max(start, 1), 1, 1),
                      datetime(start + 100, 1, 1), anchor, source)


def _unresolved(value: str, grain: str | None) -> Resolution:
    return Resolution(value, grain, None, None, None, "none")


def _tense(m: Mention) -> str | None:
    """The tense cue of a mention; "since X" always looks back."""
    return "past" if m.since else m.tense


#: How much farther a candidate that contradicts the tense cue may be and still win.
TENSE_PENALTY = 6
#: The same for a year-less month, whose candidates lie a year apart: with a past cue, "It took
#: Paletwa in January" told on 21 December is the January gone (11 months back), not the one 11
#: days ahead; at 6 the next January would still win.
MONTH_TENSE_PENALTY = 30


def _choose_period(candidates: list[Any], bounds: Callable[[Any], tuple[date, date]], anchor: date,
                   tense: str | None, penalty: int = TENSE_PENALTY) -> Any:
    """Pick the candidate period closest to the anchor, penalising those against the tense.

    A period containing the anchor has distance 0. With a past cue a period that
    starts after the anchor counts ``TENSE_PENALTY`` times its distance; with a
    future cue, one that ended before the anchor does.
    """

    def score(c: Any) -> float:
        lo, hi = bounds(c)
        if lo <= anchor < hi:
            dist = 0
        elif anchor < lo:
            dist = (lo - anchor).days
        else:
            dist = (anchor - hi).days + 1
        if tense == "past" and lo > anchor:
            dist *= penalty
        elif tense == "future" and hi <= anchor:
            dist *= penalty
        return dist

    return min(candidates, key=score)


# ---------------------------------------------------------------------------
# Resolvers, one per value kind


#: In narrative mode a year-less month up to this many months before the reference month is the
#: same year's (a look back); further back it is the next year's (the story moved on).
_NARRATIVE_BACKTRACK_MONTHS = 5


def _resolve_calendar(m: Mention, ctx: Context) -> Resolution:
    f = m.fields
    month = f.get("month") or f.get("month_num")
    day = f.get("day") or f.get("day_ordinal")
    year = f.get("year")
    year_anchor, year_source = None, "absolute"
    if year is None and "year2" in f:
        year = _expand_two_digit_year(f["year2"], ctx)
        year_anchor, year_source = ctx.dct or ctx.ref_date, "dct" if ctx.dct else "narrative"
    part = f.get("part_of_day") or f.get("part")
    if month is None:
        raise ValueError(f"rule {m.rule_id} gave no month")
    if year is not None:
        try:
            if day is not None:
                return _day_res(date(year, month, day), year_anchor, year_source, part)
            return _month_res(year, month, year_anchor, year_source)
        except ValueError:
            return _unresolved("XXXX-XX-XX", "day")
    # Year-less: complete it from the anchor.
    bc = _bc_year_now(m, ctx)
    if bc is not None:  # "481 BC ... in August": BC0481-08
        return Resolution(f"BC{bc:04d}-{month:02d}" + (f"-{day:02d}" if day else ""), "day" if day else "month",
                          None, None, None, "narrative")
    if ctx.mode == "narrative":
        ref_year, source = ctx.year_anchor()
        if ref_year is None:
            return _unresolved(f"XXXX-{month:02d}" + (f"-{day:02d}" if day else ""), "day" if day else "month")
        anchor = ctx.ref_date or ctx.dct
        ref_month = ctx.ref_point.month if ctx.ref_point is not None and ctx.ref_point.year == ref_year else None
        rel = f.get("relation")
        if ref_month is not None and month < ref_month - _NARRATIVE_BACKTRACK_MONTHS and rel is None:
            # Histories move forward: "January" after "December 1941" is 1942; but "in early April"
            # after "June 1941" is the April before it (the nearer one), not April 1942.
            ref_year += 1
        elif ref_month is not None and rel is not None and int(rel) > 0 and month <= ref_month:
            ref_year += 1  # "the following March", told after June 1917: March 1918
        elif ref_month is not None and rel is not None and int(rel) < 0 and month >= ref_month:
            ref_year -= 1  # "the previous September", told after June 1917: September 1916
        try:
            if day is not None:
                return _day_res(date(ref_year, month, day), anchor, source, part)
            return _month_res(ref_year, month, anchor, source)
        except ValueError:
            return _unresolved("XXXX-XX-XX", "day")
    past_year = _heading_year(m, ctx)
    if past_year is None:
        past_year = _story_past_year(m, ctx, month)
    if past_year is not None:
        try:
            if day is not None:
                return _day_res(date(past_year, month, day), ctx.ref_point, "narrative", part)
            return _month_res(past_year, month, ctx.ref_point, "narrative")
        except ValueError:
            return _unresolved("XXXX-XX-XX", "day")
    anchor, source = ctx.deictic()
    if anchor is None:
        return _unresolved(f"XXXX-{month:02d}" + (f"-{day:02d}" if day else ""), "day" if day else "month")
    if day is not None:
        cands = []
        for y in (anchor.year - 1, anchor.year, anchor.year + 1):
            try:
                cands.append(date(y, month, day))
            except ValueError:
                pass
        if not cands:
            return _unresolved(f"XXXX-{month:02d}-{day:02d}", "day")
        chosen = _choose_period(cands, lambda d: (d, d + timedelta(days=1)), anchor, _tense(m))
        return _day_res(chosen, anchor, source, part)
    rel = f.get("relation")
    if rel is not None:
        # "last November" is November of last year; "this March" of this year.
        if rel < 0:
            y = anchor.year if month < anchor.month else anchor.year - 1
            return _month_res(y, month, anchor, source)
        if rel > 0:
            y = anchor.year if month > anchor.month else anchor.year + 1
            return _month_res(y, month, anchor, source)
        return _month_res(anchor.year, month, anchor, source)
    cands_m = [(y, month) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]

    def month_bounds(ym: tuple[int, int]) -> tuple[date, date]:
        lo, hi = _month_bounds(*ym)
        return lo.date(), hi.date()

    chosen_m = _choose_period(cands_m, month_bounds, anchor, _tense(m), MONTH_TENSE_PENALTY)
    return _month_res(chosen_m[0], chosen_m[1], anchor, source)


#: Words before a dated past time that make it the story's setting ("In July 2011, ...").
_SETTING_WORDS = frozenset({"in", "on", "during"})
#: How far (characters) a news story's dated past reaches forward to a year-less date.
_STORY_PAST_REACH = 400


def _story_past_year(m: Mention, ctx: Context, month: int) -> int | None:
    """The year of a year-less month or day in a news story's dated past: "In July 2011, crowds filled
    the square. ... On 31 July, tanks rolled back in" is 31 July 2011, not the July before publication.

    Only in news mode, only shortly after a past month or day told with its year, only for the same
    month or the two after it, and never once a time relative to publication has been told since.
    """
    if ctx.mode != "news" or ctx.story_past is None or m.fields.get("relation") is not None:
        return None
    year, past_month, end = ctx.story_past
    if m.start - end > _STORY_PAST_REACH or not 0 <= month - past_month <= 2:
        return None
    weekday = _weekday_of(m.fields)
    day = m.fields.get("day") or m.fields.get("day_ordinal")
    if weekday and day and month <= 12:
        # "On Wednesday, 27 November": the year where the day is that weekday decides
        try:
            if date(year, month, day).isoweekday() != int(weekday):
                return None
        except ValueError:
            return None
    return year


def _heading_year(m: Mention, ctx: Context) -> int | None:
    """The year of a chronology's heading for a year-less month or day that opens a line under it
    ("2011" on a line of its own, then "MARCH - Protests erupt in Deraa"): None elsewhere."""
    heading = ctx.extra.get("heading_year")
    if ctx.mode != "news" or heading is None or m.fields.get("relation") is not None:
        return None
    return int(heading) if _starts_a_line(ctx, m) else None


def _opens_sentence_by(ctx: Context, m: Mention) -> bool:
    """True for "By February 1861, six more states had seceded": a sentence that opens with "By"
    and its time tells the state of the story at that time, the story's line (not a deadline)."""
    text = ctx.extra.get("text")
    if m.preceding != "by" or not isinstance(text, str):
        return False
    before = text[max(0, m.start - 40) : m.start]
    return bool(re.search(r"(?:^|[.!?]\s+|\n\s*)By\s+\Z", before))


def _starts_a_line(ctx: Context, m: Mention) -> bool:
    """True for a mention that opens a line (a chronology's "Aug. 6, 2024 - Ukrainian troops ..."),
    when the resolver was given the text."""
    text = ctx.extra.get("text")
    if not isinstance(text, str):
        return False
    line_start = text.rfind("\n", 0, m.start) + 1
    return line_start > 0 and not text[line_start : m.start].strip(" \t-–—•*·")


def _note_story_past(ctx: Context, res: Resolution, m: Mention) -> None:
    """Keep :attr:`Context.story_past` up to date with what was just told."""
    if ctx.mode != "news" or ctx.dct is None or res.earliest is None:
        return
    if res.anchor_source == "dct" and res.grain in _FINE_GRAINS + ("week", "month"):
        ctx.story_past = None  # back to the days around publication
    elif res.anchor_source in ("absolute", "narrative") and res.grain in _FINE_GRAINS + ("month",):
        # the story's own setting ("In July 2011, ...", "On 3 March 2012 ..."), not a noun's modifier
        # ("the August 1988 cease-fire"); a time resolved from that setting keeps it going
        sets = (m.preceding in _SETTING_WORDS or _starts_a_line(ctx, m)) if res.anchor_source == "absolute" \
            else ctx.story_past is not None
        if sets and res.earliest.year < ctx.dct.year and not m.since:
            ctx.story_past = (res.earliest.year, res.earliest.month, m.end)
        elif sets and res.anchor_source == "absolute" and not m.since:
            ctx.story_past = None  # a chronology's "December 2024 - ...": back to the publication year
    elif res.grain == "year" and ctx.story_past is not None and res.earliest.year != ctx.story_past[0]:
        ctx.story_past = None  # another year: the month told no longer holds


def _expand_two_digit_year(yy: int, ctx: Context) -> int:
    base = (ctx.dct or ctx.ref_date or date(2000, 1, 1)).year
    century = base // 100 * 100
    year = century + yy
    if year > base + 20:
        year -= 100
    return year


def _resolve_year(m: Mention, ctx: Context) -> Resolution:
    f = m.fields
    year: Any = f.get("year")  # a rule field: untyped
    if year is None and "year2" in f:
        year = _expand_two_digit_year(f["year2"], ctx)
    return _year_res(int(year), None, "absolute")


def weekday_date(weekday: int, anchor: date, tense: str | None, relation: int | None = None) -> date:
    """The date a weekday name refers to: the latest on or before the anchor, or
    the next one after it with a future cue; "last" is strictly before, "next" strictly after.

    Examples:
        >>> weekday_date(5, date(2024, 12, 2), None)
        datetime.date(2024, 11, 29)
        >>> weekday_date(5, date(2024, 12, 2), "future")
        datetime.date(2024, 12, 6)
        >>> weekday_date(6, date(2024, 12, 4), None, 0)  # "this Saturday", said on a Wednesday
        datetime.date(2024, 12, 7)
    """
    if relation == 0:
        # "this Saturday", "this Monday": the day of the anchor's own week (Monday to Sunday)
        return anchor + timedelta(days=weekday - anchor.isoweekday())
    if relation == 1:
        tense = "future"
    elif relation == -1:
        tense = "past"
    cands = [anchor + timedelta(days=k) for k in range(-7, 8) if (anchor + timedelta(days=k)).isoweekday() == weekday]
    if tense == "future":
        # "talks will be held on Saturday", said on a Saturday: that day (the next one on or after it);
        # "next Saturday" is strictly after
        return min(d for d in cands if (d > anchor if relation == 1 else d >= anchor))
    strict = relation == -1
    return max(d for d in cands if (d < anchor if strict else d <= anchor))


def _weekday_of(f: dict[str, Any]) -> int | None:
    """The ISO weekday a mention names: from a full name, an abbreviation or a lower-case
    abbreviation ("every mon", the lexicon's ``weekday_lower``)."""
    return f.get("weekday_full") or f.get("weekday") or f.get("weekday_lower")


def _resolve_weekday(m: Mention, ctx: Context) -> Resolution:
    f = m.fields
    part = f.get("part_of_day")
    if "relative_day" in f:
        return _resolve_relative_day(m, ctx)
    wd = _weekday_of(f)
    anchor, source = ctx.deictic()
    if anchor is None:
        return _unresolved(f"XXXX-WXX-{wd}" + (f"T{part}" if part else ""), "part-of-day" if part else "day")
    rel = f.get("relation")
    assert wd is not None, "a weekday rule captures its weekday"
    return _day_res(weekday_date(wd, anchor, _tense(m), rel), anchor, source, part)


def _day_of(m: Mention, ctx: Context) -> tuple[date | None, date | None, str]:
    """The day named inside a composite expression ("noon Thursday", "10 a.m. yesterday")."""
    f = m.fields
    anchor, source = ctx.deictic()
    if anchor is None:
        return None, None, "none"
    weekday = _weekday_of(f)
    if weekday:
        return weekday_date(weekday, anchor, m.tense, f.get("relation")), anchor, source
    if "relative_day" in f:
        return anchor + timedelta(days=int(f["relative_day"])), anchor, source
    if f.get("month") and f.get("day"):
        # "16:15 UTC, June 1st": the calendar day, its year as a date alone would get
        res = _resolve_calendar(m, ctx)
        if res.grain == "day" and res.earliest is not None:
            return res.earliest.date(), anchor, source
    return None, anchor, source


def _resolve_part_of_day_day(m: Mention, ctx: Context) -> Resolution:
    """"afternoon yesterday", "morning Friday"."""
    day, anchor, source = _day_of(m, ctx)
    part = m.fields.get("part_of_day", "DT")
    if day is None:
        return _unresolved(f"XXXX-XX-XXT{part}", "part-of-day")
    res = _day_res(day, anchor, source, part)
    return res


def _resolve_relative_day(m: Mention, ctx: Context) -> Resolution:
    offset = m.fields["relative_day"]
    part = m.fields.get("part_of_day")
    if m.text.lower().startswith(("tonight", "tonite", "2nite")):
        part = part or "NI"
    anchor, source = ctx.deictic()
    if anchor is None:
        return _unresolved("XXXX-XX-XX", "day")
    return _day_res(anchor + timedelta(days=offset), anchor, source, part)


def _resolve_part_of_day_rel(m: Mention, ctx: Context) -> Resolution:
    """"this morning", "last night", "overnight", "that evening"."""
    part = m.fields.get("part_of_day", "NI")
    offset = int(m.fields.get("offset", 0))
    if m.fields.get("anaphoric"):
        anchor, source = ctx.anaphoric()
    else:
        anchor, source = ctx.deictic()
    if anchor is None:
        return _unresolved(f"XXXX-XX-XXT{part}", "part-of-day")
    return _day_res(anchor + timedelta(days=offset), anchor, source, part)


def _period_of(unit: str, d: date, anchor: date | None, source: str) -> Resolution:
    if unit in ("D", "NIGHT"):
        return _day_res(d, anchor, source)
    if unit == "W":
        return _week_res(d - timedelta(days=d.isoweekday() - 1), anchor, source)
    if unit == "WE":
        return _week_res(d - timedelta(days=d.isoweekday() - 1), anchor, source, weekend=True)
    if unit == "M":
        return _month_res(d.year, d.month, anchor, source)
    if unit == "Q":
        return _quarter_res(d.year, (d.month - 1) // 3 + 1, anchor, source)
    if unit == "Y":
        return _year_res(d.year, anchor, source)
    if unit == "DE":
        return _decade_res(d.year // 10 * 10, anchor, source)
    if unit == "CE":
        return _century_res(d.year // 100, anchor, source)
    raise ValueError(f"no calendar period for unit {unit}")


def _shift(d: date, unit: str, n: int) -> date:
    if unit in ("D", "NIGHT"):
        return d + timedelta(days=n)
    if unit in ("W", "WE"):
        return d + timedelta(weeks=n)
    if unit == "FORTNIGHT":
        return d + timedelta(weeks=2 * n)
    if unit in ("M", "Q", "Y", "DE", "CE"):
        months = {"M": 1, "Q": 3, "Y": 12, "DE": 120, "CE": 1200}[unit] * n
        y, mo = _add_months(d.year, d.month, months)
        return date(y, mo, min(d.day, calendar.monthrange(y, mo)[1]))
    raise ValueError(f"cannot shift by unit {unit}")


def _unit_of(f: dict[str, Any]) -> str:
    """The unit code ("D", "W", "M", ...) a mention names: its ``unit`` or ``unit_singular`` field ("" if none)."""
    unit: str = f.get("unit") or f.get("unit_singular") or ""
    return unit


def _resolve_unit_this(m: Mention, ctx: Context) -> Resolution:
    """"last week", "this year", "next month", "the weekend", "the following year"."""
    unit = _unit_of(m.fields)
    rel = int(m.fields.get("relation", 0))
    if m.fields.get("anaphoric"):
        anchor, source = ctx.anaphoric()
        if unit in ("Y", "M", "Q", "DE") and ctx.ref_point is not None:
            anchor, source = ctx.ref_point, "narrative"
        if unit == "Y" and rel != 0:
            bc = _bc_shift(m, ctx, rel)  # "490 BC ... The following year": BC0489
            if bc is not None:
                return bc
        if (unit == "M" and rel == 0 and ctx.ref_value_grain == "month" and ctx.ref_value
                and ctx.ref_value_at > ctx.ref_point_at):
            # "the first time since January 2020 ... That month the army overran the town": the month
            # last named, even in a "since" phrase that does not move the story's line
            return _month_res(int(ctx.ref_value[:4]), int(ctx.ref_value[5:7]), ctx.ref_point, "narrative")
    else:
        anchor, source = ctx.deictic()
    if anchor is None:
        grain = _GRAIN_OF_UNIT.get(unit, "day")
        unknown = {"W": "XXXX-WXX", "WE": "XXXX-WXX-WE", "M": "XXXX-XX", "Q": "XXXX-QX"}.get(unit, "XXXX")
        return _unresolved(unknown, grain)
    if unit in ("H", "MIN", "S"):
        return Resolution("PRESENT_REF", None, None, None, anchor, source)
    if unit == "WE" and rel == 0 and m.tense != "future":
        # "the weekend" read on a Monday is the one just past; "this weekend" is the anchor week's own
        monday = anchor - timedelta(days=anchor.isoweekday() - 1)
        if anchor.isoweekday() < 6 and not m.text.lower().startswith("this"):
            monday -= timedelta(days=7)
        return _week_res(monday, anchor, source, weekend=True)
    if unit == "FORTNIGHT":
        unit = "W"
    return _period_of(unit, _shift(anchor, unit, rel), anchor, source)


def _num(m: Mention) -> float | str:
    n = m.fields.get("num")
    if n is None:
        return "X" if m.fields.get("vague_amount") else 1
    if m.fields.get("plus_half"):
        return n + 0.5
    return n


def _resolve_unit_shift(m: Mention, ctx: Context) -> Resolution:
    """"three days ago", "two years earlier", "a week later", "a decade ago"."""
    unit = _unit_of(m.fields)
    direction = int(m.fields.get("direction", -1))
    n = _num(m)
    word = m.fields.get("word", "")
    anaphoric = word not in ("ago", "from now", "hence") and word != ""
    if anaphoric and unit in ("Y", "DE") and isinstance(n, (int, float)) and float(n).is_integer():
        bc = _bc_shift(m, ctx, direction * int(n) * (10 if unit == "DE" else 1))
        if bc is not None:
            return bc
    if anaphoric:
        anchor, source = ctx.anaphoric()
        if unit in ("W", "FORTNIGHT", "M", "Q", "Y", "DE") and ctx.ref_point is not None and (
                ctx.ref_date is None or ctx.ref_point < ctx.ref_date or unit in ("Y", "DE")):
            # "seized Goma in November 2012 and withdrew a few weeks later", "in August 2013 ... two
            # years later": a shift of weeks or years counts from the last period the story named;
            # years from the last one named even after an older day ("born on February 24, 1955
            # ... in 1984 ... One year later": 1985)
            anchor, source = ctx.ref_point, "narrative"
    else:
        anchor, source = ctx.deictic()
    grain = _GRAIN_OF_UNIT.get(unit, "day")
    if n == "X":
        return Resolution("PAST_REF" if direction < 0 else "FUTURE_REF", None, None, None, anchor,
                          source if anchor else "none")
    if anchor is None:
        return _unresolved("XXXX-XX-XX" if grain == "day" else "XXXX", grain)
    if unit in ("H", "MIN", "S"):
        return Resolution("PAST_REF" if direction < 0 else "FUTURE_REF", None, None, None, anchor, source)
    n_int = int(n) if float(n).is_integer() else None
    if n_int is None:
        return Resolution("PAST_REF" if direction < 0 else "FUTURE_REF", None, None, None, anchor, source)
    # "a year earlier" after "the third quarter" means the same quarter a year before.
    if unit == "Y" and ctx.ref_value_grain == "quarter" and ctx.ref_value:
        y = int(ctx.ref_value[:4]) - n_int * (1 if direction < 0 else -1)
        if ctx.ref_value_grain == "quarter":
            return _quarter_res(y, int(ctx.ref_value[6]), anchor, "narrative")
        return _month_res(y, int(ctx.ref_value[5:7]), anchor, "narrative")
    try:
        target = _shift(anchor, unit if unit != "FORTNIGHT" else "W",
                        direction * n_int * (2 if unit == "FORTNIGHT" else 1))
        return _period_of(unit if unit not in ("FORTNIGHT",) else "W", target, anchor, source)
    except (ValueError, OverflowError):
        # Beyond the calendar datetime can hold (before year 1): keep it vague.
        return Resolution("PAST_REF" if direction < 0 else "FUTURE_REF", None, None, None, anchor, source)


#: Fractions of a unit are written with the next smaller one: 2.5 years -> P2Y6M.
_FRACTION_UNIT = {"Y": ("M", 12, False), "M": ("D", 30, False), "W": ("D", 7, False), "D": ("H", 24, True),
                  "H": ("M", 60, True), "M_TIME": ("S", 60, True)}


def _duration_value(n: float | str, unit: str) -> str:
    """ISO 8601 duration for an amount of a unit.

    Examples:
        >>> _duration_value(2.5, "Y"), _duration_value(0.5, "H"), _duration_value("X", "D")
        ('P2Y6M', 'PT30M', 'PXD')
    """
    designator, factor = _DURATION_UNIT[unit]
    is_time = unit in ("H", "MIN", "S")
    if n == "X":
        return f"PTX{designator}" if is_time else f"PX{designator}"
    value = float(n) * factor
    whole = int(value)
    rest = value - whole
    key = "M_TIME" if (designator == "M" and is_time) else designator
    if rest and key in _FRACTION_UNIT:
        small, mult, small_is_time = _FRACTION_UNIT[key]
        small_amount = _fmt_num(round(rest * mult, 3))
        big = f"{whole}{designator}" if whole else ""
        if is_time:
            return f"PT{big}{small_amount}{small}"
        if small_is_time:
            return f"P{big}T{small_amount}{small}"
        return f"P{big}{small_amount}{small}"
    if is_time:
        return f"PT{_fmt_num(value)}{designator}"
    return f"P{_fmt_num(value)}{designator}"


def _fmt_num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


#: "in the past 48 hours", "over the last three days": a window that ends at the reference time.
_WINDOW_OPENER = re.compile(r"^(?:the\s+)?(?:past|last)\s", re.IGNORECASE)
_UNIT_DAYS = {"D": 1, "NIGHT": 1, "W": 7, "FORTNIGHT": 14, "M": 30, "Y": 365, "DE": 3652, "CE": 36524}


def _resolve_duration(m: Mention, ctx: Context) -> Resolution:
    unit = _unit_of(m.fields)
    n = _num(m)
    value = _duration_value(n, unit)
    if _WINDOW_OPENER.match(m.text) and isinstance(n, (int, float)):
        anchor, source = ctx.deictic()
        if anchor is None:  # a window with nothing to end at: its bounds are unknown, not absolute
            return Resolution(value, _GRAIN_OF_UNIT.get(unit), None, None, None, "none", mod=m.fields.get("mod"))
        days = -(-int(float(n) * 1) // 24) if unit == "H" else (int(float(n) * _UNIT_DAYS[unit])
                                                                 if unit in _UNIT_DAYS else None)
        if anchor is not None and days:
            # bounded: from that long before the reference day (whose start the window may reach
            # back across) up to the end of the reference day
            hi = _dt(anchor) + timedelta(days=1)
            return Resolution(value, _GRAIN_OF_UNIT.get(unit), _dt(anchor) - timedelta(days=days), hi, anchor, source,
                              mod=m.fields.get("mod"))
    return Resolution(value, _GRAIN_OF_UNIT.get(unit), None, None, None, "absolute", mod=m.fields.get("mod"))


def _resolve_set(m: Mention, ctx: Context) -> Resolution:
    f = m.fields
    value = f.get("value") or f.get("set_adverb")
    if value is None and _weekday_of(f):
        value = f"XXXX-WXX-{_weekday_of(f)}"
        if f.get("part_of_day"):
            value += f"T{f['part_of_day']}"
    if value is None and "month" in f:
        value = f"XXXX-{int(f['month']):02d}"
    if value is None and f.get("part_of_day"):  # "every morning": that part of every day
        value = f"XXXX-XX-XXT{f['part_of_day']}"
    if value is None and f.get("season"):  # "every spring": once a year
        value = f"XXXX-{f['season']}"
    if value is None and f.get("word") == "season":  # "each season": every quarter of a year
        value = "P3M"
    if value is None and ("unit" in f or "unit_singular" in f):
        n = f.get("num", 1)
        value = _duration_value(n, _unit_of(f))
    freq = f.get("freq")
    times = str(f.get("times") or "")
    if times and freq is None:
        n = {"once": 1, "twice": 2}.get(times) or int(re.sub(r"\D", "", times) or 0) or \
            {"three": 3, "four": 4}.get(times.split()[0], 0)
        freq = f"{n}X" if n else None
    return Resolution(str(value), None, None, None, None, "absolute", quant=f.get("quant"), freq=freq)


def _resolve_month_relative_year(m: Mention, ctx: Context) -> Resolution:
    """"June last year", "27 October last year", "March next year", "July of that year"."""
    f = m.fields
    anchor, source = ctx.anaphoric() if f.get("anaphoric") else ctx.deictic()
    if f.get("anaphoric") and ctx.ref_point is not None:
        anchor, source = ctx.ref_point, "narrative"  # "in July of that year": the period last told
    month = f["month"] if "month" in f else f["month_full"]
    day = f.get("day")
    if anchor is None:
        return _unresolved(f"XXXX-{month:02d}" + (f"-{int(day):02d}" if day else ""), "day" if day else "month")
    year = anchor.year + int(f.get("relation", 0))
    if day:
        try:
            return _day_res(date(year, month, int(day)), anchor, source)
        except ValueError:
            return _unresolved(f"{year:04d}-{month:02d}-XX", "day")
    return _month_res(year, month, anchor, source)


def _resolve_spoken_year(m: Mention, ctx: Context) -> Resolution:
    """"nineteen ninety-six" -> 1996."""
    rest = int(m.fields["num"])
    return _year_res(1900 + rest, None, "absolute")


def _resolve_ref(m: Mention, ctx: Context) -> Resolution:
    anchor, source = ctx.deictic()
    return Resolution(str(m.fields["value"]), None, None, None, anchor, source if anchor else "none")


def _resolve_decade(m: Mention, ctx: Context) -> Resolution:
    f = m.fields
    if "decade" in f:
        digits = f["decade"]
        start = int(digits[:4]) // 10 * 10
        return _decade_res(start, None, "absolute")
    # Two-digit decades: "the '90s", "the nineties".
    decade: Any = f.get("decade2") or f.get("decade_word")  # a rule field: untyped
    yy = int(decade)
    anchor, source = ctx.deictic()
    if anchor is None:
        return _unresolved("XX" + str(yy // 10), "decade")
    base = anchor.year
    start = base // 100 * 100 + yy
    if start > base:
        start -= 100
    return _decade_res(start, anchor, source)


def _resolve_century(m: Mention, ctx: Context) -> Resolution:
    ordinal = int(m.fields.get("ordinal_word") or m.fields.get("num") or 0)
    if not 1 <= ordinal <= 99:
        return _unresolved("XX", "century")
    if m.fields.get("era_bc"):
        # "the 9th century BC": TIMEX3 BC08; Python's calendar has no years before 1, so no interval
        return Resolution(f"BC{ordinal - 1:02d}", "century", None, None, None, "absolute")
    return _century_res(ordinal - 1, None, "absolute")


def _resolve_year_bc(m: Mention, ctx: Context) -> Resolution:
    """"490 BC": TIMEX3 ``BC0490``, with no calendar interval (datetime has no years before 1)."""
    year = int(m.fields["yearnum"])
    if not 1 <= year <= 9999:
        return _unresolved("XXXX", "year")
    ctx.bc_year = (year, m.end)  # "the following year", "two years later" count from it
    return Resolution(f"BC{year:04d}", "year", None, None, None, "absolute")


#: How far (characters) a story's last BC year reaches forward to a bare three-digit year.
_BC_REACH = 3000
#: What a resolver returns for a mention that its context shows is no time at all (it is dropped).
_NOT_A_TIME = ""


def _resolve_year_bare_bc(m: Mention, ctx: Context) -> Resolution:
    """"by 490" after "492 BC": BC0490 when within a century of the story's last BC year told
    shortly before; else not a time (a count, "in 300 ships"), and dropped."""
    year, bc = int(m.fields["yearnum"]), ctx.live_bc_year()
    if bc is None or m.start - bc[1] > _BC_REACH or abs(year - bc[0]) > 100:
        return Resolution(_NOT_A_TIME)
    ctx.bc_year = (year, m.end)
    return Resolution(f"BC{year:04d}", "year", None, None, None, "narrative")


def _bc_shift(m: Mention, ctx: Context, years_later: int) -> Resolution | None:
    """A year shift told right after a year before the common era ("490 BC ... the following
    year", "two years later", "a decade earlier"): years count down before the era."""
    bc = ctx.live_bc_year()
    if bc is None:
        return None
    year = bc[0] - years_later
    if not 1 <= year <= 9999:
        return None
    ctx.bc_year = (year, m.end)  # the story's time moves to it
    return Resolution(f"BC{year:04d}", "year", None, None, None, "narrative")


def _year_for_period(m: Mention, ctx: Context, period_start: Callable[[int], date],
                     period_end: Callable[[int], date]) -> tuple[int | None, date | None, str]:
    """Year of a year-less season/quarter/half/holiday: by tense, else the closest."""
    f = m.fields
    if f.get("year") is not None:
        return int(f["year"]), None, "absolute"
    if f.get("year_relation") is not None:
        anchor, source = ctx.deictic()
        if anchor is None:
            return None, None, "none"
        return anchor.year + int(f["year_relation"]), anchor, source
    rel = f.get("relation")
    if f.get("anaphoric") and rel and ctx.ref_point is not None:
        # "the following spring", "the previous winter": the first one after the period just told
        # (after all of "1939"), the last one before it
        lo, hi = ctx.ref_point, ctx.ref_end or ctx.ref_point
        years = range(lo.year - 2, hi.year + 3)
        y = (min(y for y in years if period_start(y) >= hi) if rel > 0
             else max(y for y in years if period_end(y) <= lo))
        return y, ctx.ref_point, "narrative"
    if ctx.mode == "narrative" and rel is None:
        year, source = ctx.year_anchor()
        return year, ctx.ref_date or ctx.dct, source
    anchor, source = ctx.deictic()
    if anchor is None:
        return None, None, "none"
    if rel is not None and rel != 0:
        # "last winter": the latest one wholly before the current; "next summer" the first after.
        years = range(anchor.year - 2, anchor.year + 3)
        if rel < 0:
            y = max(y for y in years if period_end(y) <= anchor)
        else:
            y = min(y for y in years if period_start(y) > anchor)
        return y, anchor, source
    if rel == 0:
        return anchor.year, anchor, source
    cands = [anchor.year - 1, anchor.year, anchor.year + 1]
    # Quarters in news are reporting periods: the latest one begun ("expects to
    # report third-quarter net" in October is the quarter just ended).
    tense = "past" if m.kind == "quarter" else _tense(m)
    best = _choose_period(cands, lambda y: (period_start(y), period_end(y)), anchor, tense)
    return best, anchor, source


def _bc_year_now(m: Mention, ctx: Context) -> int | None:
    """The BC year a year-less month or season of a narrative belongs to ("481 BC ... in the
    summer"): the story's last BC year, when no year of the era has been told since."""
    bc = ctx.live_bc_year()
    if ctx.mode != "narrative" or bc is None or m.fields.get("year") is not None:
        return None
    if m.fields.get("relation") or m.fields.get("year_relation") is not None:
        return None
    return int(bc[0])


def _resolve_season(m: Mention, ctx: Context) -> Resolution:
    s = m.fields["season"]
    sm = _SEASON_START[s]
    bc = _bc_year_now(m, ctx)
    if bc is not None:
        return Resolution(f"BC{bc:04d}-{s}", "season", None, None, None, "narrative")

    def start(y: int) -> date:
        return date(y, sm, 1)

    def end(y: int) -> date:
        yy, mm = _add_months(y, sm, 3)
        return date(yy, mm, 1)

    year, anchor, source = _year_for_period(m, ctx, start, end)
    if year is None:
        return _unresolved(f"XXXX-{s}", "season")
    return _season_res(year, s, anchor, source)


def _resolve_quarter(m: Mention, ctx: Context) -> Resolution:
    q = 4 if m.fields.get("quarter_final") else int(m.fields.get("ordinal_word") or m.fields.get("num") or 0)
    if m.fields.get("same") and ctx.ref_value_grain == "quarter" and ctx.ref_value:
        return _quarter_res(int(ctx.ref_value[:4]), int(ctx.ref_value[6]), ctx.ref_point, "narrative")
    if m.fields.get("latest") or m.fields.get("same"):
        anchor, source = ctx.deictic()
        if anchor is None:
            return _unresolved("XXXX-QX", "quarter")
        cur = (anchor.month - 1) // 3 + 1
        y, q = (anchor.year, cur - 1) if cur > 1 else (anchor.year - 1, 4)
        return _quarter_res(y, q, anchor, source)
    if not 1 <= q <= 4:
        return _unresolved("XXXX-QX", "quarter")

    def start(y: int) -> date:
        return date(y, 3 * (q - 1) + 1, 1)

    def end(y: int) -> date:
        yy, mm = _add_months(y, 3 * (q - 1) + 1, 3)
        return date(yy, mm, 1)

    year, anchor, source = _year_for_period(m, ctx, start, end)
    if year is None:
        return _unresolved(f"XXXX-Q{q}", "quarter")
    return _quarter_res(year, q, anchor, source)


def _resolve_half(m: Mention, ctx: Context) -> Resolution:
    h = int(m.fields.get("ordinal_word") or 1)
    h = 1 if h == 1 else 2

    def start(y: int) -> date:
        return date(y, 1 if h == 1 else 7, 1)

    def end(y: int) -> date:
        return date(y, 7, 1) if h == 1 else date(y + 1, 1, 1)

    year, anchor, source = _year_for_period(m, ctx, start, end)
    if year is None:
        return _unresolved(f"XXXX-H{h}", "half")
    return _half_res(year, h, anchor, source)


def _resolve_holiday(m: Mention, ctx: Context) -> Resolution:
    """"Christmas Day", "Easter 2024", "last Christmas", "the eve of Passover", "Ramadan"."""
    other = m.fields.get("calendar_holiday") or m.fields.get("islamic_holiday")
    if other is not None:
        return _resolve_calendar_holiday(m, ctx, str(other))
    spec = str(m.fields["holiday"])

    def start(y: int) -> date:
        return holiday_date(spec, y)

    def end(y: int) -> date:
        return holiday_date(spec, y) + timedelta(days=1)

    year, anchor, source = _year_for_period(m, ctx, start, end)
    if year is None:
        return _unresolved("XXXX-" + (spec if spec[0].isdigit() else "XX-XX"), "day")
    day = holiday_day_of(holiday_date(spec, year), None, m.fields)
    if day is None:
        return _unresolved("XXXX-XX-XX", "day")
    return _day_res(day, anchor, source, m.fields.get("part_of_day"))  # "Christmas night"


def holiday_day_of(first: date, end: date | None, fields: dict[str, Any]) -> date | None:
    """The day a holiday phrase names: "the eve of" (``offset`` -1), "the second day of"
    (``ordinal_word`` 2), "the last day of" (``last``: only for a holiday whose ``end`` is known), else its first day.

    Examples:
        >>> holiday_day_of(date(2025, 3, 1), date(2025, 3, 30), {"last": "last"})
        datetime.date(2025, 3, 29)
        >>> holiday_day_of(date(2024, 4, 23), None, {"ordinal_word": 2})
        datetime.date(2024, 4, 24)
    """
    if fields.get("offset") is not None:
        return first + timedelta(days=int(fields["offset"]))
    if fields.get("last") is not None:
        return end - timedelta(days=1) if end is not None else None
    n = fields.get("ordinal_word")
    if n is not None:
        day = first + timedelta(days=int(n) - 1)
        return day if end is None or day < end else None
    return first


def _enclosing_value(lo: date, hi: date) -> str:
    """The finest TIMEX3 calendar unit holding all the days of ``[lo, hi)``.

    Examples:
        >>> _enclosing_value(date(2025, 3, 1), date(2025, 3, 30))
        '2025-03'
        >>> _enclosing_value(date(2024, 3, 11), date(2024, 4, 10))
        '2024-H1'
    """
    last = hi - timedelta(days=1)
    if (lo.year, lo.month) == (last.year, last.month):
        return f"{lo.year:04d}-{lo.month:02d}"
    if lo.year == last.year:
        if (lo.month - 1) // 3 == (last.month - 1) // 3:
            return f"{lo.year:04d}-Q{(lo.month - 1) // 3 + 1}"
        if (lo.month - 1) // 6 == (last.month - 1) // 6:
            return f"{lo.year:04d}-H{(lo.month - 1) // 6 + 1}"
        return f"{lo.year:04d}"
    if lo.year // 10 == last.year // 10:
        return f"{lo.year // 10:03d}"
    return f"{lo.year // 100:02d}"


def _choose_occurrence(m: Mention, ctx: Context, occurrences: Callable[[int], list[tuple[date, date]]]
                       ) -> tuple[tuple[date, date] | None, date | None, str]:
    """Which occurrence of a holiday of another calendar a mention means, by the same policy as
    :func:`_year_for_period`, but by occurrence: an Islamic holiday can begin twice in a Gregorian year."""
    f = m.fields

    def nearest(cands: list[tuple[date, date]], anchor: date, tense: str | None) -> tuple[date, date] | None:
        return _choose_period(cands, lambda c: c, anchor, tense) if cands else None

    if f.get("year") is not None:
        cands = occurrences(int(f["year"]))
        ref, _ = ctx.deictic()
        return (nearest(cands, ref, None) if ref is not None else (cands[0] if cands else None)), None, "absolute"
    rel = f.get("relation")
    if ctx.mode == "narrative" and rel is None:
        year, source = ctx.year_anchor()
        if year is None:
            return None, None, "none"
        ref = ctx.ref_date or ctx.ref_point or date(year, 1, 1)
        return nearest(occurrences(year), ref, None), ctx.ref_date or ctx.dct, source
    if rel is None and ctx.story_past is not None:
        # "In July 2011, ... On 31 July, the eve of Ramadan, ...": the story's dated past
        year, _, _ = ctx.story_past
        cands = [c for y in (year, year + 1) for c in occurrences(y)
                 if _story_past_year(m, ctx, c[0].month + 12 * (c[0].year - year)) is not None]
        ref = ctx.ref_date or ctx.ref_point
        if cands and ref is not None:
            return nearest(cands, ref, None), ref, "narrative"
    anchor, source = ctx.deictic()
    if anchor is None:
        return None, None, "none"
    cands = [c for y in range(anchor.year - 2, anchor.year + 3) for c in occurrences(y)]
    if rel is not None and rel < 0:  # "last Ramadan": the latest one over before the anchor
        past = [c for c in cands if c[1] <= anchor]
        return (max(past) if past else None), anchor, source
    if rel is not None and rel > 0:  # "next Eid": the first one after it
        future = [c for c in cands if c[0] > anchor]
        return (min(future) if future else None), anchor, source
    # "this Ramadan", or none: the one under way, else the nearest the tense allows
    return nearest(cands, anchor, _tense(m)), anchor, source


def _resolve_calendar_holiday(m: Mention, ctx: Context, spec: str) -> Resolution:
    """Ramadan (the span of the Hijri month, grain month) and the one-day festivals of other calendars."""
    name, _ = split_calendar_spec(spec)
    month_long = name in MONTH_HOLIDAYS
    mod = "APPROX" if name in SIGHTED_HOLIDAYS else None
    chosen, anchor, source = _choose_occurrence(m, ctx, lambda y: calendar_holiday_occurrences(spec, y))
    names_day = any(m.fields.get(k) is not None for k in ("offset", "last", "ordinal_word"))
    if chosen is None:
        res = _unresolved("XXXX-XX" if month_long and not names_day else "XXXX-XX-XX",
                          "month" if month_long and not names_day else "day")
        res.mod = mod
        return res
    lo, hi = chosen
    if month_long and not names_day:
        res = Resolution(_enclosing_value(lo, hi), "month", _dt(lo), _dt(hi), anchor, source)
    else:
        day = holiday_day_of(lo, hi if month_long else None, m.fields)
        if day is None:
            res = _unresolved("XXXX-XX-XX", "day")
        else:
            res = _day_res(day, anchor, source)
    res.mod = mod
    return res


def _resolve_time(m: Mention, ctx: Context) -> Resolution:
    """Clock times: "4 p.m.", "15:00 GMT", "midnight", "noon"."""
    f = m.fields
    hour = f.get("hour")
    minute = f.get("minute", 0) or 0
    if "clock_word" in f:
        hour, minute = (0, 0) if f["clock_word"] == "midnight" else (12, 0)
    if hour is None and "num" in f:
        hour = int(f["num"])
        if f.get("part_of_day") in ("AF", "EV", "NI") and hour < 12:
            hour += 12
    ampm = (f.get("ampm") or "").replace(".", "").replace(" ", "")
    if hour is None:
        hour = 0
    if ampm.startswith("p") and hour < 12:
        hour += 12
    if ampm.startswith("a") and hour == 12:
        hour = 0
    if not (0 <= hour <= 24 and 0 <= minute < 60):
        return _unresolved("XXXX-XX-XXTXX:XX", "hour")
    day, _, day_source = _day_of(m, ctx)
    anchor: date | None
    if day is not None:
        anchor, source = day, day_source
        if f.get("clock_word") == "midnight":
            # "at midnight on Saturday" ends Saturday: the night into Sunday (TIMEX3 T24:00)
            start = _dt(day) + timedelta(days=1)
            return Resolution(f"{day.isoformat()}T24:00", "hour", start, start + timedelta(hours=1), day, source)
    else:
        anchor, source = ctx.anaphoric()
        if anchor is not None and source == "narrative" and ctx.extra.get("ref_night") and hour < 12:
            # "Israeli jets struck overnight ... at around 04:00 local time": the night's small hours
            anchor += timedelta(days=1)
    clock = f"T{hour:02d}:{minute:02d}"
    if anchor is None:
        return Resolution(f"XXXX-XX-XX{clock}", "minute" if minute else "hour", None, None, None, "none")
    start = _dt(anchor) + timedelta(hours=hour, minutes=minute)
    grain = "minute" if minute else "hour"
    return Resolution(f"{anchor.isoformat()}{clock}", grain, start,
                      start + (timedelta(minutes=1) if minute else timedelta(hours=1)), anchor, source)


def _resolve_anaphoric_day(m: Mention, ctx: Context) -> Resolution:
    """"the following day", "the next morning", "that day", "the day before"."""
    offset = int(m.fields.get("offset", 0))
    part = m.fields.get("part_of_day")
    anchor, source = ctx.anaphoric()
    if anchor is None:
        return _unresolved("XXXX-XX-XX", "day")
    return _day_res(anchor + timedelta(days=offset), anchor, source, part)


def _resolve_part_of_date(m: Mention, ctx: Context) -> Resolution:
    """"the night of April 18, 1775", "the morning of Friday": the date's part of day."""
    if "weekday_full" in m.fields:
        return _resolve_weekday(m, ctx)
    return _resolve_calendar(m, ctx)


def _resolve_day_of_ref_month(m: Mention, ctx: Context) -> Resolution:
    """"on the 5th": that day of the month the story is in (its reference time, else the DCT's)."""
    day = int(m.fields["day"])
    anchor, source = ctx.anaphoric()
    if anchor is None:
        return _unresolved(f"XXXX-XX-{day:02d}", "day")
    try:
        return _day_res(date(anchor.year, anchor.month, day), anchor, source)
    except ValueError:
        return _unresolved(f"XXXX-XX-{day:02d}", "day")


#: "the first week of March" ... "the last week of March": how many weeks after the first (None: the last).
_WEEK_OF_MONTH = {"first": 0, "second": 1, "third": 2, "fourth": 3, "last": None, "final": None}


def _resolve_week_of_month(m: Mention, ctx: Context) -> Resolution:
    """"the last week of March", "the first week of December 2024": the ISO week of the month (the
    week holding the month's 4th for the first, the one holding the 4th-last day for the last: a
    week counts for the month that has most of its days)."""
    month_res = _resolve_calendar(m, ctx)
    if month_res.earliest is None or month_res.latest is None:
        return _unresolved("XXXX-WXX", "week")
    first, last = month_res.earliest.date(), month_res.latest.date() - timedelta(days=1)
    nth = _WEEK_OF_MONTH.get(str(m.fields.get("week_ordinal", "")).lower(), 0)
    day = last - timedelta(days=3) if nth is None else first + timedelta(days=3 + 7 * nth)
    if day > last:
        return _unresolved("XXXX-WXX", "week")
    return _week_res(day - timedelta(days=day.weekday()), month_res.anchor, month_res.anchor_source)


RESOLVERS: dict[str, Callable[[Mention, Context], Resolution]] = {
    "calendar": _resolve_calendar,
    "week_of_month": _resolve_week_of_month,
    "year": _resolve_year,
    "weekday": _resolve_weekday,
    "relative_day": _resolve_relative_day,
    "part_of_day_rel": _resolve_part_of_day_rel,
    "unit_this": _resolve_unit_this,
    "unit_shift": _resolve_unit_shift,
    "duration": _resolve_duration,
    "set": _resolve_set,
    "ref": _resolve_ref,
    "month_relative_year": _resolve_month_relative_year,
    "spoken_year": _resolve_spoken_year,
    "decade": _resolve_decade,
    "century": _resolve_century,
    "year_bc": _resolve_year_bc,
    "year_bare_bc": _resolve_year_bare_bc,
    "season": _resolve_season,
    "quarter": _resolve_quarter,
    "half": _resolve_half,
    "holiday": _resolve_holiday,
    "time": _resolve_time,
    "part_of_day_day": _resolve_part_of_day_day,
    "anaphoric_day": _resolve_anaphoric_day,
    "day_of_ref_month": _resolve_day_of_ref_month,
    "part_of_date": _resolve_part_of_date,
}


def _apply_mod(res: Resolution, mod: str | None, word: str | None = None, dct: date | None = None) -> Resolution:
    """Narrow the interval of an early/mid/late period to its first/middle/last third.

    "earlier this year" is the part of the year before the DCT, "later this month"
    the part after it (when the DCT lies in the period).
    """
    res.mod = mod
    if mod not in ("START", "MID", "END") or res.earliest is None or res.latest is None:
        return res
    if word in ("earlier", "later") and dct is not None and res.earliest <= _dt(dct) < res.latest:
        if word == "earlier":
            res.latest = _dt(dct)
        else:
            res.earliest = _dt(dct) + timedelta(days=1)
        return res
    span = res.latest - res.earliest
    third = span / 3
    if mod == "START":
        res.latest = res.earliest + third
    elif mod == "MID":
        res.earliest, res.latest = res.earliest + third, res.earliest + 2 * third
    else:
        res.earliest = res.latest - third
    res.earliest = res.earliest.replace(microsecond=0)
    res.latest = res.latest.replace(microsecond=0)
    return res


#: A time after these words bounds another event ("until 1945"): it does not move the story.
_BOUNDARY_WORDS = frozenset({"until", "till", "through", "by", "before", "after", "to"})


def _update_context(ctx: Context, res: Resolution, m: Mention) -> None:
    """Move the narrative reference time to what was just mentioned."""
    if res.earliest is None or res.type in ("DURATION", "SET"):
        return
    _note_story_past(ctx, res, m)
    if m.type in ("DURATION", "SET"):
        return
    if res.grain in _FINE_GRAINS:
        ctx.ref_date = res.earliest.date()
        ctx.ref_grain = res.grain
        # "overnight", "on Monday night": a clock time before noon told next belongs to the morning after
        ctx.extra["ref_night"] = res.value.endswith("TNI")
    if res.grain in ("quarter", "month") and m.kind != "unit_shift":
        # Comparisons ("a year earlier") do not move the period under discussion.
        ctx.ref_value, ctx.ref_value_grain = res.value, res.grain
        ctx.ref_value_at = m.end
    if ctx.mode == "narrative" and m.tense == "future" and ctx.ref_year is not None:
        # "a campaign planned for 1976", "would be exposed for a planned campaign in 1976": a plan,
        # not the story's line; the next year-less date stays in the story's year
        return
    if m.background:
        return  # "(1921)", "documents declassified in 2005 revealed ...": no time of the story's line
    if res.grain not in ("decade", "century") and not m.since and (
            m.preceding not in _BOUNDARY_WORDS or _opens_sentence_by(ctx, m)):
        ctx.ref_year = res.earliest.year
        ctx.ref_point = res.earliest.date()
        ctx.ref_point_at = m.end
        ctx.ref_end = res.latest.date() if res.latest is not None else None
        if ctx.mode == "narrative" and res.grain not in _FINE_GRAINS:
            # Keep the day reference inside the newly mentioned period.
            if ctx.ref_date is None or ctx.ref_end is None or not (res.earliest.date() <= ctx.ref_date < ctx.ref_end):
                ctx.ref_date = res.earliest.date()


#: Accepted ``date_order`` values (``timeline.tag``, ``build``, ``--date-order``); ``auto`` is the default.
DATE_ORDERS = ("auto", "MDY", "DMY", "YMD")
_NUMERIC_RULES = frozenset({"date_numeric_dmy", "date_numeric_mdy"})


def check_date_order(value: Any) -> str | None:
    """Normalise a ``date_order``: None or ``auto`` give None (decide per document), else ``MDY``/``DMY``/``YMD``.

    Examples:
        >>> check_date_order("dmy"), check_date_order("auto"), check_date_order(None)
        ('DMY', None, None)
        >>> check_date_order("DYM")
        Traceback (most recent call last):
        ...
        timeline.errors.InputError: invalid date_order 'DYM': expected one of auto, MDY, DMY, YMD
    """
    if value is None:
        return None
    order = value.strip().upper() if isinstance(value, str) else None
    if order not in ("AUTO", *DATE_ORDERS[1:]):
        raise InputError(f"invalid date_order {value!r}: expected one of {', '.join(DATE_ORDERS)}")
    return None if order == "AUTO" else order


def _slash_numbers(m: Mention) -> tuple[int, int]:
    """The first two numbers of a slash date, as written ("03/04/2024" -> (3, 4))."""
    if m.rule_id == "date_numeric_dmy":
        return m.fields["day"], m.fields["month_num"]
    return m.fields["month_num"], m.fields["day"]


def _read_as(m: Mention, order: str) -> Mention | None:
    """The slash date ``m`` read in ``order`` (MDY, DMY or YMD), or None when that reading is impossible."""
    first, second = _slash_numbers(m)
    fields = dict(m.fields)
    if order == "YMD":
        if "year2" not in fields:  # "03/04/2024": the year is last
            return None
        third = fields["year2"]
        try:
            date(2000, second, third)  # a leap year: 29 February stays possible
        except ValueError:
            return None
        fields.update(year2=first, month_num=second, day=third)
    else:
        month, day = (first, second) if order == "MDY" else (second, first)
        if month > 12:
            return None
        fields.update(month_num=month, day=day)
    return dataclasses.replace(m, fields=fields)


def _is_ambiguous(m: Mention) -> bool:
    """Both readings are dates and differ: "03/04/2024", not "27/11/2024" nor "05/05/2024"."""
    first, second = _slash_numbers(m)
    return first != second and first <= 12 and second <= 12


def _reading_distance(m: Mention, dct: date) -> tuple[float, float]:
    """Days between the DCT and the date ``m`` reads as: plain, and multiplied by
    ``TENSE_PENALTY`` when on the wrong side of the DCT for its tense."""
    f = m.fields
    year = f.get("year")
    if year is None:
        year = _expand_two_digit_year(f["year2"], Context(dct=dct))
    try:
        day = date(year, f["month_num"], f["day"])
    except ValueError:
        return float("inf"), float("inf")
    dist = abs((day - dct).days)
    tense = _tense(m)
    if (tense == "past" and day > dct) or (tense == "future" and day < dct):
        return dist, dist * TENSE_PENALTY
    return dist, dist


#: A slash date whose readings are all farther than this from the DCT says nothing about the order.
NEARNESS_WINDOW_DAYS = 366


def _guess_order(mentions: list[Mention], dct: date | None, mode: str) -> str:
    """With no evidence in the document: the day/month order whose readings lie nearer the DCT
    (a date on the wrong side of it for its tense counts ``TENSE_PENALTY`` times). Only dates with a
    reading within :data:`NEARNESS_WINDOW_DAYS` of the DCT vote ("3/7/98" in a 2024 story is no
    nearer either way); month first on a tie, with no vote, without a DCT, or in narrative mode
    (whose DCT is not the time of the story)."""
    if dct is None or mode == "narrative":
        return "MDY"
    mdy = dmy = 0.0
    for m in mentions:
        (raw_m, score_m), (raw_d, score_d) = (_reading_distance(_read_as(m, order) or m, dct)
                                              for order in ("MDY", "DMY"))
        if min(raw_m, raw_d) <= NEARNESS_WINDOW_DAYS:
            mdy, dmy = mdy + score_m, dmy + score_d
    return "DMY" if dmy < mdy else "MDY"


def _read_numeric_dates(mentions: list[Mention], date_order: str | None = None, dct: date | None = None,
                        mode: str = "news") -> list[tuple[Mention, bool]]:
    """Settle the day/month order of the slash dates: ``(mention, guessed)`` for each mention.

    ``date_order`` ``MDY``/``DMY`` reads every slash date so, except one that can only be read
    the other way ("25/11/2024" under MDY); ``YMD`` reads two-digit forms year first
    ("24/11/27" = 2024-11-27) and leaves the others to the automatic choice. Automatic
    (None): a document whose slash dates include an unmistakable day-first one
    ("27/11/2024") and no unmistakable month-first one ("11/27/2024"), or the reverse,
    reads its ambiguous ones ("03/04/2024") that way; otherwise nothing settles the order,
    :func:`_guess_order` picks one for the whole document and those dates are ``guessed``.

    Examples:
        >>> from timeline.tagging.finder import find_mentions
        >>> [(m.fields["month_num"], guessed) for m, guessed
        ...  in _read_numeric_dates(find_mentions("Posted 27/11/2024; updated 03/12/2024."))]
        [(11, False), (12, False)]
        >>> [(m.fields["month_num"], guessed) for m, guessed
        ...  in _read_numeric_dates(find_mentions("Updated 03/12/2024."), "DMY")]
        [(12, False)]
        >>> [(m.fields["month_num"], guessed) for m, guessed
        ...  in _read_numeric_dates(find_mentions("Updated 03/12/2024."), None, date(2024, 3, 20))]
        [(3, True)]
    """
    out = [(m, False) for m in mentions]
    pending: list[int] = []  # slash dates the order option did not settle
    for i, m in enumerate(mentions):
        if m.rule_id not in _NUMERIC_RULES:
            continue
        if date_order is not None:
            read = _read_as(m, date_order)
            if read is not None:
                out[i] = (read, False)
                continue
            if date_order != "YMD":
                continue  # the only possible reading, as matched
        pending.append(i)
    if not pending:
        return out
    day_first = any(mentions[i].rule_id == "date_numeric_dmy" for i in pending)
    month_first = any(mentions[i].rule_id == "date_numeric_mdy" and mentions[i].fields["day"] > 12 for i in pending)
    ambiguous = [i for i in pending if _is_ambiguous(mentions[i])]
    if not ambiguous:
        return out
    if day_first != month_first:
        order, guessed = ("DMY" if day_first else "MDY"), False
    else:
        order, guessed = _guess_order([mentions[i] for i in ambiguous], dct, mode), True
    for i in ambiguous:
        out[i] = (_read_as(mentions[i], order) or mentions[i], guessed)
    return out


def resolve(mentions: list[Mention], dct: date | None, mode: str = "news",
            date_order: str | None = None, text: str | None = None) -> list[TimeExpression]:
    """Resolve mentions, in text order, into TimeExpressions.

    ``date_order`` (None for automatic, ``MDY``, ``DMY`` or ``YMD``; see
    :func:`check_date_order`) settles slash dates such as "03/04/2024"
    (:func:`_read_numeric_dates`); one whose order had to be guessed is ``ambiguous``.
    ``text``, the text the mentions were found in, lets a clock time take the day named right
    after it in its clause ("a curfew from 18:00 to 06:00 as of Monday").

    Examples:
        >>> from timeline.tagging.finder import find_mentions
        >>> [e.value for e in resolve(find_mentions("It began on Friday night."), date(2024, 12, 2))]
        ['2024-11-29TNI']
    """
    ctx = Context(dct=dct, mode=mode)
    if text is not None:
        ctx.extra["text"] = text
    out: list[TimeExpression] = []
    items = list(_read_numeric_dates(mentions, check_date_order(date_order), dct, mode))
    for i, (m, guessed) in enumerate(items):
        day = _day_named_after(items, i, ctx, text) if m.kind == "time" and text is not None else None
        res = RESOLVERS[m.kind](m, dataclasses.replace(ctx, ref_date=day) if day is not None else ctx)
        if res.value == _NOT_A_TIME:
            continue  # the context shows the mention is no time ("in 300 ships")
        mod = m.fields.get("mod") or res.mod
        res = _apply_mod(res, mod, m.fields.get("mod_word"), ctx.dct if ctx.mode == "news" else None)
        etype = res.type or m.type
        if etype == "SET" or (etype == "DURATION" and not (m.kind == "duration" and _WINDOW_OPENER.match(m.text))):
            res.earliest = res.latest = None  # a window ("the past 48 hours") keeps the days it covers
        until = None
        if m.since and res.earliest is not None:
            end_day = ctx.dct if ctx.mode == "news" and ctx.dct else ctx.ref_date or ctx.dct
            if end_day is not None and _dt(end_day) >= res.earliest:
                until = _dt(end_day) + timedelta(days=1)
        out.append(
            TimeExpression(
                text=m.text,
                start=m.start,
                end=m.end,
                type=etype,
                value=res.value,
                mod=res.mod,
                earliest=res.earliest,
                latest=res.latest,
                grain=res.grain if etype not in ("SET",) else None,
                anchor=res.anchor,
                anchor_source=res.anchor_source,
                rule_id=m.rule_id,
                quant=res.quant,
                freq=res.freq,
                since=m.since,
                until=until,
                ambiguous=guessed,
            )
        )
        _update_context(ctx, res, m)
        if m.rule_id == "date_year_heading" and res.grain == "year" and res.earliest is not None:
            ctx.extra["heading_year"] = res.earliest.year  # a chronology's year heading
    return _close_windows(mentions, out)


#: The most characters between a clock time and the day named after it in its clause
#: ("from 18:00 to 06:00 as of Monday").
_CLOCK_DAY_GAP = 24
_CLAUSE_STOP = re.compile(r"[.;!?\n]")


def _day_named_after(items: list[tuple[Mention, bool]], i: int, ctx: Context, text: str) -> date | None:
    """The day a clock time with no day of its own belongs to when its clause names one right after
    it ("imposed a curfew from 18:00 to 06:00 as of Monday": Monday's 18:00, not the story's last
    day); another clock time between them ("to 06:00") is skipped. None when there is none."""
    m = items[i][0]
    if _day_of(m, ctx)[0] is not None:
        return None
    end = m.end
    for n, _ in items[i + 1 :]:
        if n.start - end > _CLOCK_DAY_GAP or _CLAUSE_STOP.search(text, end, n.start):
            return None
        if n.kind == "time" and _day_of(n, ctx)[0] is None:
            end = n.end
            continue
        res = RESOLVERS[n.kind](n, dataclasses.replace(ctx))
        if res.grain == "day" and res.earliest is not None:
            return res.earliest.date()
        return None
    return None


#: The most characters between "the 24 hours" and the time it runs to (" up to ").
_WINDOW_TO_GAP = 8


def _close_windows(mentions: list[Mention], out: list[TimeExpression]) -> list[TimeExpression]:
    """Bound "the 24 hours to Monday", "the three days until 6 a.m. Sunday": a window that
    runs up to the time named right after it ends there, and reaches back by its length."""
    by_start = {e.start: i for i, e in enumerate(out)}
    for m in mentions:
        if "window_to" not in m.fields or not m.text.lower().startswith("the"):
            continue
        i = by_start.get(m.start)
        if i is None or i + 1 >= len(out):
            continue
        window, end = out[i], out[i + 1]
        if window.type != "DURATION" or not 0 < end.start - window.end <= _WINDOW_TO_GAP or \
                end.type not in ("DATE", "TIME"):
            continue
        if end.latest is None or end.earliest is None:
            # it ends at a time that cannot be placed (no DCT): its bounds are unknown, not absolute
            out[i] = dataclasses.replace(window, anchor_source="none")
            continue
        unit = m.fields.get("unit") or m.fields.get("unit_singular")
        n = _num(m)
        if not isinstance(n, (int, float)):
            continue
        if unit in ("H", "MIN") and end.grain in ("hour", "minute"):
            span = timedelta(hours=float(n)) if unit == "H" else timedelta(minutes=float(n))
            lo = end.earliest - span
        elif unit in _UNIT_DAYS or unit == "H":
            days = -(-int(float(n)) // 24) if unit == "H" else int(float(n) * _UNIT_DAYS[unit])
            lo = datetime.combine(end.earliest.date(), datetime.min.time()) - timedelta(days=days)
        else:
            continue
        out[i] = dataclasses.replace(window, earliest=lo, latest=end.latest, anchor=end.earliest.date(),
                         anchor_source=end.anchor_source)
    return out
