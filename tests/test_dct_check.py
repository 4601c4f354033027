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


def test_evidence_rules_come_from_the_rule_files():
    """The ``dct_evidence`` field of each rule in timeline/rules/en/*.yaml, nothing else."""
    import yaml

    from timeline.tagging.rules import load_rules

    folder = Path(dct_check.__file__).resolve().parent / "rules" / "en"
    declared: dict[str, set[str]] = {"calendar": set(), "weekday": set()}
    for path in folder.glob("*.yaml"):
        if path.name == "lexicon.yaml":
            continue
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if "dct_evidence" in raw:
                declared[raw["dct_evidence"]].add(raw["id"])
    rules = load_rules()
    assert rules.evidence_rules("calendar") == declared["calendar"]
    assert rules.evidence_rules("weekday") == declared["weekday"]
    assert {"date_month_day_year", "date_day_month_year"} <= declared["calendar"]
    assert "rel_weekday" in declared["weekday"]
    assert "date_month_year" not in declared["calendar"]  # "March 2020" has no day: not day-grain evidence


def test_check_follows_the_evidence_field(seed_text, monkeypatch):
    """Taking the weekday rules' field away changes the verdict: no weekday narrows the proposal."""
    from timeline.tagging import rules as rules_module

    full = rules_module.load_rules()
    without_weekdays = dataclasses.replace(full, rules=tuple(
        dataclasses.replace(r, dct_evidence=None) if r.dct_evidence == "weekday" else r for r in full.rules))
    monkeypatch.setattr(dct_check, "load_rules", lambda language="en": without_weekdays)
    verdict = check_dct(seed_text, date(2025, 6, 17), "text-header")
    assert not verdict.plausible  # "in recent days" with November 27 half a year back
    assert verdict.proposed == date(2024, 11, 27)  # was 2024-12-02 with the narrated weekdays
    assert "Friday night" not in verdict.evidence


def test_unknown_evidence_kind_is_a_rule_error():
    from timeline.errors import RuleError
    from timeline.tagging.rules import _load_rule, load_rules

    raw = {"id": "x", "pattern": "x", "type": "DATE", "kind": "calendar", "dct_evidence": "calender"}
    with pytest.raises(RuleError, match="unknown dct_evidence 'calender'"):
        _load_rule(raw, load_rules().macros, "test.yaml")
    with pytest.raises(RuleError, match="known kinds: calendar, weekday"):
        load_rules().evidence_rules("month")


def test_given_expressions_are_reused(seed_text, monkeypatch):
    from timeline.tagging import tag as real_tag

    expressions = real_tag(seed_text, date(2025, 6, 17), "news")
    expected = check_dct(seed_text, date(2025, 6, 17), "text-header")

    def no_tagging(*args, **kwargs):
        raise AssertionError("check_dct tagged the text again")

    monkeypatch.setattr(dct_check, "tag", no_tagging)
    assert check_dct(seed_text, date(2025, 6, 17), "text-header", expressions=expressions) == expected
    # Without expressions it falls back to tagging (here: the patched tagger is called).
    with pytest.raises(AssertionError, match="tagged the text again"):
        check_dct(seed_text, date(2025, 6, 17))
