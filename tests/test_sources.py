"""Casualty sources: the examples of sources.yaml, and claims through the event table."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from timeline.events.sources import claimant, examples
from timeline.model import Article
from timeline.pipeline import process_article

EXAMPLES = examples()


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"sources:{i}" for i in range(len(EXAMPLES))])
def test_source_examples(example: dict) -> None:
    article = Article(doc_id="s", text=example["text"], published=date(2024, 12, 2), dct_source="given")
    _, _, events = process_article(article)
    tolls = [e for e in events if e.fatalities is not None]
    assert tolls, f"no toll read from {example['text']!r}"
    got = tolls[0].claimant
    if example["claimant"] is None:
        assert got is None
    else:
        assert got is not None and example["claimant"].lower() in got.lower()
    # every figure says who gives it: the claimant, or the independent source's name
    if "source" in example:
        assert tolls[0].figure_source == example["source"]
    elif example["claimant"] is not None:
        assert tolls[0].figure_source == got


def test_independent_source_wins_over_a_party_word() -> None:
    assert claimant("the White Helmets, who rescue people from army strikes, said") is None
    assert claimant("the army said") == "army"


def test_a_partys_claim_is_kept_apart_from_independent_counts() -> None:
    from timeline.pipeline import build
    from timeline.plots import escalation_data

    docs = [
        Article(doc_id="monitor", published=date(2024, 12, 2), dct_source="given",
                text="Air strikes on Idlib killed 12 civilians on Sunday, the White Helmets said."),
        Article(doc_id="ministry", published=date(2024, 12, 2), dct_source="given",
                text="The defence ministry said on Sunday that its air strikes had killed 300 terrorists in Idlib."),
    ]
    events = build(docs).events
    claims = events[events["claimant"].notna()]
    assert list(claims["doc_id"]) == ["ministry"] and claims["fatalities"].iloc[0] == 300
    data = escalation_data(events)
    assert int(data["fatalities"].sum()) == 12  # the claim is not added to the independent count


def test_a_subset_sentence_adds_no_deaths() -> None:
    text = ("Air strikes on Idlib killed 25 people on Sunday, rescuers said. "
            "Among the dead were ten children, according to the White Helmets.")
    _, _, events = process_article(Article(doc_id="s", text=text, published=date(2024, 12, 2), dct_source="given"))
    subset = [e for e in events if "Among the dead" in e.sentence]
    assert all(e.fatalities is None for e in subset)
    assert any(e.children == 10 for e in subset) or not subset
    assert sum(e.fatalities or 0 for e in events) == 25


def test_a_breakdown_of_the_previous_tally_adds_no_deaths() -> None:
    text = ("The Syrian Observatory for Human Rights said at least 704 people had been killed since last "
            "Wednesday. It said the combatants killed included some 380 rebels and about 220 soldiers.")
    _, _, events = process_article(Article(doc_id="b", text=text, published=date(2024, 12, 4), dct_source="given"))
    tally = [e for e in events if e.fatalities == 704]
    assert tally and tally[0].cumulative and tally[0].start == datetime(2024, 11, 27)
    assert not [e for e in events if e.fatalities == 380]
