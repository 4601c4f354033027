"""Public contract of ``timeline.tag`` and ``TimeExpression``."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

import timeline
from timeline import InputError, TimeExpression

SEED = Path(__file__).resolve().parent.parent / "data" / "000_43342442af48aa1c.txt"
SEED_DCT = "2024-12-02"

CONTRACT_FIELDS = ("text", "start", "end", "type", "value", "mod", "earliest", "latest", "grain",
                   "anchor", "anchor_source", "rule_id")


def one(text: str, dct=None, mode: str = "news") -> TimeExpression:
    found = timeline.tag(text, dct=dct, mode=mode)
    assert len(found) == 1, f"{text!r}: expected one expression, got {[(e.text, e.value) for e in found]}"
    return found[0]


def by_text(found: list[TimeExpression], text: str) -> list[TimeExpression]:
    return [e for e in found if e.text == text]


# ---------------------------------------------------------------------------
# TimeExpression


def test_time_expression_is_a_frozen_dataclass_with_the_contract_fields() -> None:
    assert dataclasses.is_dataclass(TimeExpression)
    names = tuple(f.name for f in dataclasses.fields(TimeExpression))
    assert names[: len(CONTRACT_FIELDS)] == CONTRACT_FIELDS
    e = one("They met on Friday.", dct=SEED_DCT)
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.value = "2000-01-01"  # type: ignore[misc]
    assert hash(e) == hash(dataclasses.replace(e))


def test_expression_fields_for_a_resolved_weekday() -> None:
    text = "They met on Friday."
    e = one(text, dct=SEED_DCT)
    assert (e.text, e.start, e.end, e.type, e.value) == ("Friday", 12, 18, "DATE", "2024-11-29")
    assert text[e.start : e.end] == e.text
    assert e.mod is None
    assert (e.earliest, e.latest) == (datetime(2024, 11, 29), datetime(2024, 11, 30))
    assert e.grain == "day"
    assert e.anchor == date(2024, 12, 2)
    assert e.anchor_source == "dct"
    assert e.rule_id == "rel_weekday"


def test_to_dict_is_json_ready_and_complete() -> None:
    e = one("They met on Friday.", dct=SEED_DCT)
    d = json.loads(json.dumps(e.to_dict()))
    assert set(CONTRACT_FIELDS) <= set(d)
    assert d["earliest"] == "2024-11-29T00:00:00" and d["anchor"] == "2024-12-02"


def test_offsets_point_into_the_text_on_the_seed_story() -> None:
    text = SEED.read_text(encoding="utf-8")
    found = timeline.tag(text, dct=SEED_DCT)
    assert len(found) > 10
    for e in found:
        assert text[e.start : e.end] == e.text
    assert [e.start for e in found] == sorted(e.start for e in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


# ---------------------------------------------------------------------------
# Arguments


@pytest.mark.parametrize(
    "dct",
    ["2024-12-02", date(2024, 12, 2), datetime(2024, 12, 2, 15, 30), "2024-12-02T15:30:00Z"],
    ids=["str", "date", "datetime", "iso-datetime-str"],
)
def test_dct_forms_are_equivalent(dct) -> None:
    e = one("They met on Friday.", dct=dct)
    assert e.value == "2024-11-29"
    assert e.anchor == date(2024, 12, 2)


@pytest.mark.parametrize("bad", ["2024-13-45", "yesterday", "02/12/2024", "2024-02-30"])
def test_invalid_dct_raises_input_error_naming_value_and_form(bad: str) -> None:
    with pytest.raises(ValueError) as info:
        timeline.tag("They met on Friday.", dct=bad)
    assert isinstance(info.value, InputError)
    assert isinstance(info.value, timeline.TimelineError)
    message = str(info.value)
    assert bad in message
    assert "YYYY-MM-DD" in message


@pytest.mark.parametrize("bad", [b"They met on Friday.", None, 42, ["Friday"]],
                         ids=["bytes", "None", "int", "list"])
def test_non_str_text_raises_type_error_naming_the_type(bad) -> None:
    with pytest.raises(TypeError) as info:
        timeline.tag(bad, dct=SEED_DCT)  # type: ignore[arg-type]
    assert type(bad).__name__ in str(info.value)


@pytest.mark.parametrize("dct", [None, SEED_DCT])
def test_empty_text_gives_no_expression(dct) -> None:
    assert timeline.tag("", dct=dct) == []


def test_invalid_mode_raises_value_error() -> None:
    with pytest.raises(ValueError) as info:
        timeline.tag("They met on Friday.", dct=SEED_DCT, mode="fiction")
    assert "fiction" in str(info.value)
    assert "news" in str(info.value) and "narrative" in str(info.value)


def test_invalid_dct_is_rejected_even_for_empty_text() -> None:
    with pytest.raises(InputError):
        timeline.tag("", dct="2024-13-45")


# ---------------------------------------------------------------------------
# No DCT: relative expressions stay unresolved, absolute ones resolve


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("They met on Friday.", "Friday"),
        ("It happened yesterday.", "yesterday"),
        ("It was last week.", "last week"),
        ("Shops are closed today.", "today"),
        ("The town fell three days ago.", "three days ago"),
        ("Talks are planned for next week.", "next week"),
        ("Explosions were heard last night.", "last night"),
        ("Fighting has raged since November 27.", "November 27"),
        ("In November, the council voted.", "November"),
    ],
)
def test_without_dct_relative_expressions_stay_unresolved(text: str, span: str) -> None:
    e = one(text, dct=None)
    assert e.text == span
    assert e.anchor_source == "none"
    assert e.anchor is None
    assert e.earliest is None and e.latest is None
    assert "X" in e.value


@pytest.mark.parametrize("text", ["Growth was strong in the '90s.", "In the nineties the city boomed."])
def test_without_dct_two_digit_decade_is_not_silently_anchored(text: str) -> None:
    e = one(text, dct=None)
    assert e.anchor_source != "none" or (e.earliest is None and e.latest is None)


def test_two_digit_year_is_labelled_as_dct_anchored() -> None:
    text = "Posted 3/7/98 by staff"
    recent, old = one(text, dct="2024-12-02"), one(text, dct="1977-01-01")
    assert recent.value == "1998-03-07"
    assert old.value != recent.value  # the DCT decided the century...
    assert old.anchor_source == "dct" and old.anchor == date(1977, 1, 1)  # ...so say so


@pytest.mark.parametrize(
    ("text", "span", "value", "earliest"),
    [
        ("The war began in 2016.", "2016", "2016", datetime(2016, 1, 1)),
        ("The truce started March 3, 2020.", "March 3, 2020", "2020-03-03", datetime(2020, 3, 3)),
    ],
)
def test_without_dct_absolute_dates_resolve(text: str, span: str, value: str, earliest: datetime) -> None:
    e = one(text, dct=None)
    assert (e.text, e.value, e.earliest) == (span, value, earliest)
    assert e.anchor_source == "absolute"


# ---------------------------------------------------------------------------
# The seed story


@pytest.fixture(scope="module")
def seed() -> list[TimeExpression]:
    return timeline.tag(SEED.read_text(encoding="utf-8"), dct=SEED_DCT)


def test_seed_friday_night(seed) -> None:
    (e,) = by_text(seed, "Friday night")
    assert e.value == "2024-11-29TNI"
    assert e.grain == "part-of-day"
    assert e.earliest.date() == date(2024, 11, 29)


def test_seed_every_sunday_is_december_1(seed) -> None:
    sundays = by_text(seed, "Sunday")
    assert len(sundays) >= 4
    assert {e.value for e in sundays} == {"2024-12-01"}
    assert {e.anchor_source for e in sundays} == {"dct"}


def test_seed_early_on_monday(seed) -> None:
    mondays = [e for e in seed if e.text in ("early on Monday", "Monday")]
    assert mondays
    assert {e.value for e in mondays} == {"2024-12-02"}


def test_seed_since_november_27(seed) -> None:
    (e,) = by_text(seed, "November 27")
    assert e.value == "2024-11-27"
    assert e.since is True


@pytest.mark.parametrize("year", ["2016", "2011", "2020"])
def test_seed_years(seed, year: str) -> None:
    (e,) = by_text(seed, year)
    assert e.value == year
    assert e.grain == "year"
    assert e.anchor_source == "absolute"


def test_seed_a_decade_ago(seed) -> None:
    (e,) = by_text(seed, "a decade ago")
    assert (e.value, e.grain) == ("201", "decade")


def test_seed_recent_days(seed) -> None:
    (e,) = by_text(seed, "recent days")
    assert e.value == "PAST_REF"


# ---------------------------------------------------------------------------
# Anchoring policy

NARRATIVE = ("Rebels took Hama on 5 December 2024. The following day they reached Homs. "
             "Two days later the army withdrew.")


@pytest.mark.parametrize("dct", [None, "2024-12-10"])
def test_narrative_anchoring_in_news_mode(dct) -> None:
    found = timeline.tag(NARRATIVE, dct=dct)
    assert [(e.text, e.value) for e in found] == [
        ("5 December 2024", "2024-12-05"),
        ("The following day", "2024-12-06"),
        ("Two days later", "2024-12-08"),
    ]
    assert [e.anchor_source for e in found] == ["absolute", "narrative", "narrative"]
    assert [e.anchor for e in found[1:]] == [date(2024, 12, 5), date(2024, 12, 6)]


def test_narrative_mode_takes_the_year_from_the_story() -> None:
    found = timeline.tag("The war began in 1939. In May the army invaded.", dct="2009-12-19", mode="narrative")
    (may,) = by_text(found, "May")
    assert may.value == "1939-05"
    assert may.anchor_source == "narrative"


def test_news_mode_takes_the_year_of_a_bare_month_from_the_dct() -> None:
    (may,) = by_text(timeline.tag("The war began in 1939. In May the army invaded.", dct="2009-12-19"), "May")
    assert may.value == "2009-05"
    assert may.anchor_source == "dct"


def test_bare_month_in_past_tense_is_the_last_one() -> None:
    e = one("In November, the council voted to suspend aid.", dct="2023-01-15")
    assert (e.text, e.value) == ("November", "2022-11")


def test_fronted_month_takes_the_tense_of_its_far_main_verb() -> None:
    # the main verb comes 100 characters later, past an abbreviation ("vs.") and a comma-laden subject
    e = by_text(timeline.tag("In January, a week after the anniversary of the Roe vs. Wade Supreme Court decision, "
                             "a clinic bombing in Birmingham, Ala., killed a security guard.", dct="1998-10-25"),
                "January")[0]
    assert e.value == "1998-01"


def test_and_inside_a_name_does_not_end_the_clause_of_a_tense_cue() -> None:
    e = by_text(timeline.tag("On Tuesday, the National Abortion and Reproductive Rights Action League plans to "
                             "hold a news conference.", dct="1998-10-26"), "Tuesday")[0]
    assert e.value == "1998-10-27"  # "plans to": the coming Tuesday
    e = by_text(timeline.tag("Rebels seized the airport on Saturday and will push toward Hama.",
                             dct="2024-12-02"), "Saturday")[0]
    assert e.value == "2024-11-30"  # a real "and" still ends the clause


def test_since_before_a_year_less_date_looks_back() -> None:
    e = by_text(timeline.tag("Investigators have been searching for him since shortly after the Oct. 23 slaying.",
                             dct="1999-05-06"), "Oct. 23")[0]
    assert e.value == "1998-10-23"


def test_background_times_do_not_become_the_narrative_reference() -> None:
    # issue 10, item 1: a participle's time before the sentence's verb, a parenthesised year
    text = ("In August 1964 two destroyers reported an attack in the Gulf of Tonkin. Documents declassified "
            "in 2005, however, revealed that there was no attack on 4 August.")
    (day,) = by_text(timeline.tag(text, mode="narrative"), "4 August")
    assert day.value == "1964-08-04"
    text = ("In 1920 the Red Army advanced on Warsaw; the Treaty of Riga (1921) ended the war. "
            "In August the army fell back.")
    (month,) = by_text(timeline.tag(text, mode="narrative"), "August")
    assert month.value == "1920-08"
    # a year on the story's line still moves it
    (month,) = by_text(timeline.tag("In 1920 the army advanced. It attacked in 1921 and in August took the city.",
                                    mode="narrative"), "August")
    assert month.value == "1921-08"


def test_bare_month_with_future_cue_is_the_next_one() -> None:
    e = one("The summit is expected to take place in March.", dct="2024-12-02")
    assert e.value == "2025-03"


# ---------------------------------------------------------------------------
# Intervals are half-open


def test_day_interval_is_half_open() -> None:
    e = one("Elections were held on 3 May 2016.", dct=SEED_DCT)
    assert (e.earliest, e.latest) == (datetime(2016, 5, 3), datetime(2016, 5, 4))
    assert e.latest - e.earliest == timedelta(days=1)


@pytest.mark.parametrize(("text", "lo", "hi"), [
    ("The ceasefire collapsed in March 2020.", datetime(2020, 3, 1), datetime(2020, 4, 1)),
    ("The ceasefire collapsed in February 2024.", datetime(2024, 2, 1), datetime(2024, 3, 1)),
    ("The ceasefire collapsed in December 2024.", datetime(2024, 12, 1), datetime(2025, 1, 1)),
])
def test_month_interval_is_half_open(text: str, lo: datetime, hi: datetime) -> None:
    e = one(text, dct=SEED_DCT)
    assert (e.earliest, e.latest, e.grain) == (lo, hi, "month")


def test_year_interval_is_half_open() -> None:
    e = one("The war began in 2016.", dct=SEED_DCT)
    assert (e.earliest, e.latest) == (datetime(2016, 1, 1), datetime(2017, 1, 1))


def test_early_month_is_narrower_than_the_month() -> None:
    month = one("It happened in November 2024.", dct=SEED_DCT)
    early = one("It happened in early November 2024.", dct=SEED_DCT)
    assert early.text == "early November 2024"
    assert early.value == month.value == "2024-11"
    assert early.mod == "START"
    assert early.earliest == month.earliest == datetime(2024, 11, 1)
    assert early.earliest < early.latest < month.latest == datetime(2024, 12, 1)


# ---------------------------------------------------------------------------
# What must not be tagged


@pytest.mark.parametrize(
    "text",
    [
        "Officials said talks may resume",
        "Protesters march on the capital",
        "June Carter sang",
        "The Sunday Telegraph reported",
        "the 3rd Brigade advanced",
        "Highway 4 was cut",
        "120 rockets were fired",
    ],
)
def test_not_temporal(text: str) -> None:
    found = timeline.tag(text, dct=SEED_DCT)
    assert found == [], [(e.text, e.value, e.rule_id) for e in found]


# ---------------------------------------------------------------------------
# Robustness on large relative shifts (found by the property tests)


@pytest.mark.parametrize("text", [
    "Humans settled the valley 10,000 years ago.",
    "The city was founded 3000 years ago.",
    "The rock formed 1,000,000 days ago.",
])
def test_large_shift_into_the_distant_past_does_not_raise(text: str) -> None:
    found = timeline.tag(text, dct=SEED_DCT)
    assert [e.text for e in found if e.text.endswith(" ago")], found
    assert all(text[e.start : e.end] == e.text for e in found)


def test_zeroth_century_does_not_raise() -> None:
    found = timeline.tag("Nothing happened in the 0th century.", dct=SEED_DCT)
    assert all(e.earliest is None or e.earliest < e.latest for e in found)


def test_week_value_is_zero_padded_before_year_1000() -> None:
    e = one("They met last week.", dct="0999-06-01")
    assert e.value == "0999-W21"


# Bounded durations (issue 10, item 8): a window that runs up to a named time ends there.

def _window(text: str, dct: str | None) -> TimeExpression:
    (w,) = [e for e in timeline.tag(text, dct=dct) if e.type == "DURATION"]
    return w


def test_window_to_a_clock_time_reaches_back_by_its_hours() -> None:
    w = _window("In the 24 hours to 6 a.m. Monday, 20 people were killed.", "2024-12-04")
    assert (w.value, w.earliest, w.latest) == ("PT24H", datetime(2024, 12, 1, 6), datetime(2024, 12, 2, 7))


def test_window_to_a_day_ends_with_that_day() -> None:
    w = _window("Over the three days to Sunday, the toll rose.", "2024-12-04")
    assert (w.earliest, w.latest) == (datetime(2024, 11, 28), datetime(2024, 12, 2))


def test_window_to_an_unplaceable_time_has_no_bounds_and_is_not_absolute() -> None:
    w = _window("In the 24 hours to Monday, 20 people were killed.", None)
    assert (w.earliest, w.latest, w.anchor_source) == (None, None, "none")


def test_a_number_of_units_to_a_time_is_no_window() -> None:
    w = _window("The deadline was moved 30 days to Monday.", "2024-12-04")
    assert (w.earliest, w.latest) == (None, None)


# Issue 10, item 6: "this weekend" said on a Friday, "this Sat" said on a Wednesday are ahead.

@pytest.mark.parametrize(("text", "dct", "value"), [
    ("We meet this weekend.", "2024-12-06", "2024-W49-WE"),
    ("The vote is this weekend.", "2024-12-06", "2024-W49-WE"),
    ("Party this Sat!", "2024-12-04", "2024-12-07"),
    ("Finals this Sat, 430pm at the stadium.", "2024-12-04", "2024-12-07T16:30"),
])
def test_this_weekend_and_this_sat_are_the_coming_ones(text: str, dct: str, value: str) -> None:
    assert [e.value for e in timeline.tag(text, dct=dct)] == [value]
