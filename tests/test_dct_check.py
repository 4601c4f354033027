"""Plausibility of the anchor date: the seed story's republishing date and synthetic texts."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date
from pathlib import Path

import pytest

from timeline import dct_check
from timeline.dct_check import DctCheck, check_dct
from timeline.errors import InputError
from timeline.ingest import load

SEED = Path(__file__).resolve().parent.parent / "data" / "000_43342442af48aa1c.txt"


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def test_seed_story_with_its_display_date_is_implausible(seed_text):
    verdict = check_dct(seed_text, date(2025, 6, 17), "text-header")
    assert not verdict.plausible
    assert verdict.proposed == date(2024, 12, 2)
    assert verdict.message == (
        "The anchor date 2025-06-17 (text-header) looks wrong: the text narrates Friday night, Sunday, Monday "
        "as recent while its latest explicit date, November 27, falls 202 days before it. A date of 2024-12-02 "
        "fits all of them; pass --dct 2024-12-02 (or a published field) to use it."
    )
    for mention in ("November 27", "Friday night", "Sunday", "early on Monday", "recent days"):
        assert mention in verdict.evidence
    assert "Tuesday, June 17, 2025" not in verdict.evidence  # the header line is not narrated evidence


def test_seed_story_with_its_publication_date_is_plausible(seed_text):
    verdict = check_dct(seed_text, "2024-12-02")
    assert verdict.plausible and verdict.proposed is None
    assert "November 27, falls 5 days before it" in verdict.message


def test_from_ingest_to_check(tmp_path):
    copy = tmp_path / "seed.txt"  # no sidecar: the header line becomes the anchor
    shutil.copyfile(SEED, copy)
    (article,) = load(copy)
    assert (article.published, article.dct_source) == (date(2025, 6, 17), "text-header")
    verdict = check_dct(article.text, article.published, article.dct_source)
    assert verdict.proposed == date(2024, 12, 2)
    assert article.published == date(2025, 6, 17)  # never applied by the check


def test_full_date_after_the_anchor_is_implausible():
    text = "Rebels seized the town on December 5, 2024. On Friday they advanced further north."
    verdict = check_dct(text, "2024-11-01", "given")
    assert not verdict.plausible
    assert "December 5, 2024 as past, 34 days after it" in verdict.message
    assert verdict.proposed == date(2024, 12, 6)  # the first Friday after December 5
    assert verdict.evidence == ("December 5, 2024", "Friday")


def test_announced_future_date_is_not_a_contradiction():
    text = "Elections will be held on December 15, 2024. On Sunday, rebels advanced."
    assert check_dct(text, "2024-12-02").plausible


def test_header_date_line_is_not_evidence():
    text = "December 9, 2024\n\nRebels advanced on Sunday, a day after talks collapsed."
    assert check_dct(text, "2024-12-02").plausible
    text_in_body = "Rebels advanced on Sunday. The town fell on December 9, 2024."
    assert not check_dct(text_in_body, "2024-12-02").plausible


def test_recent_days_and_a_stale_yearless_date():
    text = "Police said protests had spread since August 14. In recent days, police arrested dozens."
    verdict = check_dct(text, "2024-12-02")
    assert not verdict.plausible
    assert '"recent days"' in verdict.message and "August 14, falls 110 days before it" in verdict.message
    assert verdict.proposed == date(2024, 8, 14)  # no weekday narrows it further
    assert "no narrated weekday narrows it further" in verdict.message


def test_old_yearless_date_without_recent_narration_is_fine():
    text = "The ceasefire of August 14 had held for weeks. Talks will resume on Friday."
    verdict = check_dct(text, "2024-12-02")
    assert verdict.plausible and verdict.proposed is None


def test_no_proposal_when_no_date_fits(monkeypatch):
    monkeypatch.setattr(dct_check, "SEARCH_DAYS", 2)
    text = "Rebels advanced on Friday night and on Sunday, and have held the city since November 27."
    verdict = check_dct(text, "2025-06-17")
    assert not verdict.plausible and verdict.proposed is None
    assert "No date in the 2 days after 2024-11-27 fits all of them" in verdict.message


def test_text_without_dates():
    verdict = check_dct("Nothing here is dated.", date(2024, 12, 2))
    assert verdict == DctCheck(True, "The anchor date 2024-12-02 fits the text: no explicit date in it contradicts it.")


def test_bad_arguments_and_frozen_record():
    with pytest.raises(InputError):
        check_dct("text", None)
    with pytest.raises(InputError):
        check_dct("text", "2024-13-45")
    with pytest.raises(dataclasses.FrozenInstanceError):
        check_dct("text", "2024-12-02").plausible = False
