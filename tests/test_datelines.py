"""Datelines: rules are data, their examples and negatives are tests; a dated dateline checks the DCT."""

from __future__ import annotations

from datetime import date

import pytest

from timeline.datelines import find_dateline, load_dateline_rules
from timeline.dct_check import check_dct

RULES = load_dateline_rules()


@pytest.mark.parametrize("example", RULES.examples, ids=[e["text"][:30] for e in RULES.examples])
def test_dateline_example(example) -> None:
    found = find_dateline(example["text"])
    assert found is not None
    assert (found.place, found.month, found.day, found.agency) == (
        example["place"], example["month"], example["day"], example["agency"])
    assert found.year == example.get("year")
    # the dateline is not part of the first sentence's words
    assert example["text"][found.end:][:1].isalnum() or example["text"][found.end:][:1] in "'\"“"


@pytest.mark.parametrize("text", RULES.negatives)
def test_dateline_negative(text: str) -> None:
    assert find_dateline(text) is None


def test_a_dateline_after_a_title_and_byline_is_found() -> None:
    text = "Rebels take Hama\nBy A Reporter\n\nBEIRUT, Dec 5 (Reuters) - Syrian rebels said on Thursday ..."
    found = find_dateline(text)
    assert found is not None and (found.month, found.day) == (12, 5)


def test_a_dated_dateline_settles_a_republished_pages_display_date() -> None:
    # the seed's situation: a republished page shows its own date, the wire dateline the filing day
    text = ("Tuesday, June 17, 2025\n\nBEIRUT, Dec 2 (Reuters) - At least 25 people were killed in air strikes "
            "on Sunday, rescuers said early on Monday.")
    wrong = check_dct(text, "2025-06-17")
    assert not wrong.plausible and wrong.proposed == date(2024, 12, 2)
    assert "dateline" in wrong.message and "--dct 2024-12-02" in wrong.message
    right = check_dct(text, "2024-12-02")
    assert right.plausible and right.proposed is None
    # a story may be published the day after it was filed
    assert check_dct(text, "2024-12-03").plausible
