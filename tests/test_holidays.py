"""Holidays of other calendars, year by year: what the rule examples cannot say.

The dates come from the `holidays` package (anchoring.calendar_holiday_occurrences);
these tests check that every holiday resolves over 2000-2040 (Diwali: the package's
2001-2035), lands where its calendar puts it in the Gregorian year, and that the
tagger turns it into the representation the rules promise.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

import timeline
from timeline.anchoring import (
    MONTH_HOLIDAYS,
    SIGHTED_HOLIDAYS,
    calendar_holiday_occurrences,
    split_calendar_spec,
)
from timeline.tagging.rules import load_rules

YEARS = range(2000, 2041)
LEXICON = load_rules().lexicon

#: Where in the Gregorian year each holiday of a solar or lunisolar calendar can fall.
WINDOWS = {
    "nowruz": ((3, 19), (3, 22)),
    "orthodox_christmas": ((1, 7), (1, 7)),
    "orthodox_easter": ((4, 4), (5, 8)),
    "passover": ((3, 26), (4, 26)),
    "hanukkah": ((11, 28), (12, 27)),
    "diwali": ((10, 17), (11, 15)),
    "lunar_new_year": ((1, 21), (2, 20)),
    "tet": ((1, 21), (2, 20)),
}


def _first_days(name: str, year: int) -> list[date]:
    return [lo for lo, _ in calendar_holiday_occurrences(name, year)]


def test_every_lexicon_spec_is_known() -> None:
    for table in ("calendar_holiday", "islamic_holiday"):
        for word, spec in LEXICON[table].items():
            name, offset = split_calendar_spec(str(spec))  # raises on an unknown spec
            assert abs(offset) <= 2, f"{table}: {word!r} -> {spec!r}"


@pytest.mark.parametrize("name", sorted(WINDOWS))
def test_solar_and_lunisolar_holidays_each_year(name: str) -> None:
    years = range(2001, 2036) if name == "diwali" else YEARS
    (m0, d0), (m1, d1) = WINDOWS[name]
    for year in years:
        days = _first_days(name, year)
        assert len(days) == 1, f"{name} {year}: {days}"
        assert date(year, m0, d0) <= days[0] <= date(year, m1, d1), f"{name} {year}: {days[0]}"


def test_tet_is_the_lunar_new_year_give_or_take_a_day() -> None:
    for year in YEARS:
        assert abs((_first_days("tet", year)[0] - _first_days("lunar_new_year", year)[0]).days) <= 1


def test_ramadan_spans_a_hijri_month_ending_at_eid_al_fitr() -> None:
    starts = []
    for year in YEARS:
        for lo, hi in calendar_holiday_occurrences("ramadan", year):
            assert (hi - lo).days in (29, 30), f"Ramadan {year}: {lo}..{hi}"
            assert hi in _first_days("eid_al_fitr", hi.year), f"Ramadan {year} does not end at Eid al-Fitr"
            starts.append(lo)
    # one Islamic year (354 or 355 days) between consecutive Ramadans, two of them beginning in 2030
    assert all((b - a).days in (354, 355) for a, b in zip(starts, starts[1:])), starts
    assert len(starts) == len(YEARS) + 1


def test_islamic_holidays_follow_each_other() -> None:
    for year in YEARS:
        for fitr in _first_days("eid_al_fitr", year):
            adha = min(d for y in (year, year + 1) for d in _first_days("eid_al_adha", y) if d > fitr)
            # 1 Shawwal -> 10 Dhu al-Hijja: two months and nine days
            assert 67 <= (adha - fitr).days <= 70, (fitr, adha)
            ashura = min(d for y in (year, year + 1) for d in _first_days("ashura", y) if d > adha)
            # 10 Dhu al-Hijja -> 10 Muharram: one month
            assert (ashura - adha).days in (29, 30), (adha, ashura)
        either = _first_days("eid_al_fitr", year) + _first_days("eid_al_adha", year)
        assert sorted(_first_days("eid", year)) == sorted(either)


def _contains(value: str, lo: date, last: date) -> bool:
    """Whether the TIMEX3 calendar value (YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY, YYY) holds [lo, last]."""
    if len(value) == 3:
        return int(value) == lo.year // 10 == last.year // 10
    year = int(value[:4])
    if lo.year != year or last.year != year:
        return False
    if len(value) == 4:
        return True
    if value[5] == "Q":
        q = int(value[6])
        return (lo.month - 1) // 3 + 1 == q == (last.month - 1) // 3 + 1
    if value[5] == "H":
        h = int(value[6])
        return (lo.month - 1) // 6 + 1 == h == (last.month - 1) // 6 + 1
    return lo.month == last.month == int(value[5:7])


@pytest.mark.parametrize("year", YEARS)
def test_ramadan_of_a_year_is_its_month_with_a_value_that_holds_it(year: int) -> None:
    (e,) = list(timeline.tag(f"Prices rose in Ramadan {year}.", dct="2024-12-02"))
    assert e.grain == "month" and e.mod == "APPROX" and e.type == "DATE"
    lo, hi = e.earliest.date(), e.latest.date()
    assert lo.year == year and (hi - lo).days in (29, 30)
    assert _contains(e.value, lo, hi - timedelta(days=1)), (e.value, lo, hi)


@pytest.mark.parametrize("dct", [date(2000, 1, 1) + timedelta(days=97 * k) for k in range(150)])
def test_last_next_and_bare_ramadan_around_any_dct(dct: date) -> None:
    def one(text: str) -> timeline.TimeExpression:
        (e,) = timeline.tag(text, dct=dct.isoformat())
        return e

    last, nxt, bare = one("It happened last Ramadan."), one("It happens next Ramadan."), one("Ramadan.")
    assert last.latest.date() <= dct < nxt.earliest.date()
    # a bare Ramadan is the one under way (then "last" and "next" are two Islamic years apart),
    # else the nearer of "last" and "next", one Islamic year apart
    lo, hi = bare.earliest.date(), bare.latest.date()
    gap = (nxt.earliest - last.earliest).days
    if lo <= dct < hi:
        assert 708 <= gap <= 710, (last, nxt)
    else:
        assert gap in (354, 355), (last, nxt)
        near = min((last, nxt),
                   key=lambda e: min(abs((e.earliest.date() - dct).days), abs((e.latest.date() - dct).days)))
        assert (lo, hi) == (near.earliest.date(), near.latest.date())


@pytest.mark.parametrize(("text", "year"), [("Lunar New Year", 2024), ("Passover", 2031), ("Hanukkah", 2005),
                                            ("Diwali", 2030), ("Nowruz", 2019), ("Orthodox Easter", 2022),
                                            ("Eid al-Adha", 2012), ("Ashura", 2039)])
def test_festivals_are_days_and_only_islamic_ones_approximate(text: str, year: int) -> None:
    (e,) = timeline.tag(f"Crowds gathered for {text} {year}.", dct="2024-12-02")
    assert e.grain == "day" and e.value == e.earliest.date().isoformat() and e.earliest.year == year
    assert (e.latest - e.earliest).days == 1
    name, _ = split_calendar_spec(str(LEXICON["calendar_holiday"].get(text.lower())
                                      or LEXICON["islamic_holiday"][text.lower()]))
    assert (e.mod == "APPROX") == (name in SIGHTED_HOLIDAYS)
    assert name not in MONTH_HOLIDAYS


@pytest.mark.parametrize("text", ["Passover 1900", "Lunar New Year 1850", "Ramadan 1850", "Diwali 1990"])
def test_beyond_the_calendar_data_stays_unresolved(text: str) -> None:
    (e,) = timeline.tag(f"It was {text}.", dct="2024-12-02")
    assert "X" in e.value and e.earliest is None and e.latest is None


def test_the_eve_and_the_days_of_a_holiday_follow_its_occurrence() -> None:
    for year in (2005, 2017, 2032):
        (fitr,) = _first_days("eid_al_fitr", year)
        (eve,) = timeline.tag(f"on the eve of Eid al-Fitr {year}", dct="2024-12-02")
        assert eve.value == (fitr - timedelta(days=1)).isoformat() and eve.mod == "APPROX"
        (lo, hi), = calendar_holiday_occurrences("ramadan", year)
        (last,) = timeline.tag(f"on the last day of Ramadan {year}", dct="2024-12-02")
        assert last.value == (hi - timedelta(days=1)).isoformat()
        (second,) = timeline.tag(f"on the second day of Passover {year}", dct="2024-12-02")
        assert second.value == (_first_days("passover", year)[0] + timedelta(days=1)).isoformat()


def test_a_missing_calendar_leaves_the_holiday_unresolved(monkeypatch) -> None:
    """Should a `holidays` release rename its calendar classes, tagging still works."""
    import timeline.anchoring as anchoring

    def broken(year: int) -> list:
        raise ImportError("cannot import name '_IslamicLunar'")

    monkeypatch.setitem(anchoring._CALENDAR_FIRST_DAYS, "ramadan", broken)
    (e,) = [x for x in timeline.tag("Prices rose during Ramadan.", dct="2025-04-10") if "Ramadan" in x.text]
    assert e.earliest is None and "X" in e.value
