"""Event anchoring: the examples of clauses.yaml (rules are data, examples are tests) and the API."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime

import pytest

import timeline
from timeline.errors import InputError
from timeline.events.anchor import ANCHOR_RELATIONS, ANCHOR_SOURCES, EventAnchor, anchor_events, best_day
from timeline.events.clauses import SEGMENT_KINDS, analyse, load_clause_rules

EXAMPLES = load_clause_rules().examples


def _span(text: str, word: str, nth: int = 0) -> tuple[int, int]:
    starts = [m.start() for m in re.finditer(re.escape(word), text)]
    assert len(starts) > nth, f"{word!r} not in {text!r}"
    return starts[nth], starts[nth] + len(word)


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"clauses:{i}" for i in range(len(EXAMPLES))])
def test_clause_rule_examples(example: dict) -> None:
    text = example["text"]
    span = _span(text, example["event"], int(example.get("event_at", 0)))
    (a,) = anchor_events(text, [span], dct=str(example["dct"]))
    for key in ("value", "source", "relation", "grain"):
        if key in example:
            assert getattr(a, key) == example[key], (key, a)
    if "not_value" in example:
        assert a.value != example["not_value"], a
    for key in ("earliest", "latest"):
        if key in example:
            expected = datetime.fromisoformat(str(example[key]))
            assert getattr(a, key) == expected, (key, a)


def test_every_example_names_an_expectation() -> None:
    keys = {"value", "source", "relation", "grain", "not_value", "earliest", "latest"}
    assert EXAMPLES and all(keys & set(ex) for ex in EXAMPLES)


def test_anchor_fields_are_the_contract() -> None:
    names = [f.name for f in dataclasses.fields(EventAnchor)]
    assert names == ["start", "end", "value", "earliest", "latest", "grain", "source", "expression", "relation",
                     "reason"]
    text = "Rebels captured the airport on Saturday."
    (a,) = timeline.anchor_events(text, [_span(text, "captured")], dct="2024-12-02")
    assert a.source in ANCHOR_SOURCES and a.relation in ANCHOR_RELATIONS
    assert (a.value, a.earliest, a.latest, a.grain) == ("2024-11-30", datetime(2024, 11, 30), datetime(2024, 12, 1),
                                                        "day")
    assert a.expression is not None and text[a.expression.start:a.expression.end] == "Saturday"
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.value = "x"  # type: ignore[misc]


def test_results_come_back_in_input_order_and_reuse_given_expressions() -> None:
    text = "Rebels entered the city on Friday. The army withdrew on Sunday."
    spans = [_span(text, "withdrew"), _span(text, "entered")]
    expressions = timeline.tag(text, dct="2024-12-02")
    out = anchor_events(text, spans, dct=date(2024, 12, 2), expressions=expressions)
    assert [(a.start, a.value) for a in out] == [(spans[0][0], "2024-12-01"), (spans[1][0], "2024-11-29")]
    assert out[0].expression is expressions[1]


def test_time_of_a_reporting_verb_belongs_to_the_report() -> None:
    text = "Officials said on Monday that rebels had captured the town."
    said, captured = anchor_events(text, [_span(text, "said"), _span(text, "captured")], dct="2024-12-03")
    assert said.value == "2024-12-02" and said.relation == "included"
    assert captured.relation == "before" and captured.latest == datetime(2024, 12, 2)
    assert best_day(captured) == datetime(2024, 12, 1)


def test_simple_past_complement_is_on_or_before_the_report() -> None:
    text = "The army said on Sunday that rebels seized Khansir."
    (a,) = anchor_events(text, [_span(text, "seized")], dct="2024-12-02")
    assert a.relation == "before" and a.latest == datetime(2024, 12, 2) and best_day(a) == datetime(2024, 12, 1)


def test_relative_clause_time_does_not_date_the_main_event() -> None:
    text = "The army recaptured towns that had fallen to rebels in recent days."
    recaptured, fallen = anchor_events(text, [_span(text, "recaptured"), _span(text, "fallen")], dct="2024-12-02")
    assert fallen.expression is not None and fallen.expression.text == "recent days"
    assert recaptured.expression is None or recaptured.expression.text != "recent days"


def test_since_bounds_a_state_but_never_dates_a_comparison() -> None:
    text = "It was the first air raid on the town since 2018. Front lines had been stagnant since 2020."
    raid, lines = anchor_events(text, [_span(text, "air raid"), _span(text, "Front lines")], dct="2024-12-02")
    assert raid.value != "2018" and raid.relation != "since"
    assert lines.relation == "since" and lines.earliest == datetime(2020, 1, 1)
    assert lines.latest == datetime(2024, 12, 3)


def test_event_inside_a_since_phrase_takes_its_time() -> None:
    text = "Since a significant victory in 2016, Aleppo has remained under government control."
    (a,) = anchor_events(text, [_span(text, "victory")], dct="2024-12-02")
    assert a.value == "2016" and a.relation == "included"


def test_future_clause_is_never_dated_in_the_past() -> None:
    text = "Rebels seized the airport on Saturday and will push toward Hama."
    seized, push = anchor_events(text, [_span(text, "seized"), _span(text, "push")], dct="2024-12-02")
    assert seized.value == "2024-11-30"
    assert push.relation == "after" and push.earliest == datetime(2024, 12, 2)


def test_present_perfect_in_a_fresh_report_is_recent() -> None:
    text = "Rebels have taken control of Hama."
    (a,) = anchor_events(text, [_span(text, "taken control")], dct="2024-12-05")
    assert (a.earliest, a.latest, a.source) == (datetime(2024, 12, 4), datetime(2024, 12, 6), "dct")


def test_time_carries_to_the_next_sentence_but_not_across_a_topic_shift() -> None:
    text = ("Rebels entered Hama on Thursday.\nThey seized the prison.\nMeanwhile, talks opened in Doha.\n"
            "Unrelated paragraph.\nA convoy was struck.")
    spans = [_span(text, w) for w in ("entered", "seized", "talks", "struck")]
    entered, seized, talks, struck = anchor_events(text, spans, dct="2024-12-07")
    assert entered.value == "2024-12-05" and entered.source == "clause"
    assert seized.source == "narrative" and seized.value == "2024-12-05"
    assert talks.source == "dct"
    assert struck.source == "dct" and struck.latest == datetime(2024, 12, 8)


def test_fallback_never_starts_before_the_story() -> None:
    text = "Rebels entered Hama on Thursday.\nUnrelated paragraph.\nA convoy was struck."
    *_, struck = anchor_events(text, [_span(text, "entered"), _span(text, "struck")], dct="2024-12-10")
    assert struck.source == "dct" and struck.earliest == datetime(2024, 12, 5)
    assert best_day(struck) == datetime(2024, 12, 10)


def test_untimed_past_events_take_the_time_of_the_story_lead() -> None:
    # Wikinews and feature style: the lead says when, the rest of the story does not repeat it
    text = ("Yesterday, at its developer conference, Apple unveiled a new phone.\n"
            "The company said sales would start this month.\nIt also showed a new watch.\n"
            "Meanwhile, a rival cut its prices.\nShares fell.")
    showed, cut, fell = anchor_events(text, [_span(text, w) for w in ("showed", "cut", "fell")], dct="2010-06-08")
    assert showed.source == "narrative" and best_day(showed) == datetime(2010, 6, 7)
    assert showed.earliest == datetime(2010, 6, 7) and showed.latest == datetime(2010, 6, 9)
    # after a topic shift the lead's time no longer holds
    assert cut.source == "dct" and fell.source == "dct"


def test_a_lead_three_days_before_publication_still_dates_the_story() -> None:
    middle = "The event also included a preview of the new operating system, to be released in mid-2011.\n"
    text = ("In a Wednesday media event, Apple released a new lineup of laptops.\n" + middle +
            "Jobs unveiled the new products at the Cupertino event.")
    (unveiled,) = anchor_events(text, [_span(text, "unveiled")], dct="2010-10-23")  # a Saturday
    assert unveiled.source == "narrative" and best_day(unveiled) == datetime(2010, 10, 20)
    text = "On Tuesday, Apple released new laptops.\n" + middle + "Jobs unveiled the products at the event."
    (unveiled,) = anchor_events(text, [_span(text, "unveiled")], dct="2010-10-23")
    assert unveiled.source == "dct"  # four days before: older than lead_days, the publication window


def test_a_time_inside_a_quotation_does_not_date_the_saying() -> None:
    text = '"We think it is the future of notebooks," said Jobs.'
    (said,) = anchor_events(text, [_span(text, "said")], dct="2010-10-23")
    assert said.expression is None or said.expression.text != "the future"


def test_narrative_mode_has_no_publication_fallback() -> None:
    text = "The army crossed the river in June 1944.\nIt was a long war.\n\nLater, the enemy surrendered."
    crossed, surrendered = anchor_events(text, [_span(text, "crossed"), _span(text, "surrendered")],
                                         dct="2009-12-19", mode="narrative")
    assert crossed.value == "1944-06"
    assert surrendered.source in ("narrative", "none") and surrendered.value != "2009-12-19"


def test_without_a_dct_nothing_is_anchored_on_publication() -> None:
    text = "Rebels seized the prison."
    (a,) = anchor_events(text, [_span(text, "seized")])
    assert (a.source, a.value, a.earliest, a.latest) == ("none", None, None, None)


@pytest.mark.parametrize("bad", [(5, 2), (-1, 3), (0, 10_000), ("a", "b"), (1,), None])
def test_bad_spans_raise_a_clear_error(bad: object) -> None:
    with pytest.raises(InputError, match="invalid event span"):
        anchor_events("Rebels seized the prison.", [bad])  # type: ignore[list-item]


def test_bad_text_and_dct() -> None:
    with pytest.raises(TypeError):
        anchor_events(b"bytes", [])  # type: ignore[arg-type]
    with pytest.raises(InputError, match="invalid DCT"):
        anchor_events("x", [], dct="yesterday")


def test_segments_are_typed_and_nest() -> None:
    s = "After rebels entered the city on Friday, the army, which had fled, withdrew, officials said."
    spans = [(e.start, e.end) for e in timeline.tag(s, dct="2024-12-02")]
    cm = analyse(s, 0, len(s), spans)
    kinds = {seg.kind for seg in cm.segments}
    assert kinds <= set(SEGMENT_KINDS)
    assert cm.segment_at(s.index("entered")).kind == "subordinate"
    assert cm.segment_at(s.index("fled")).kind == "relative"
    assert cm.segment_at(s.index("officials")).kind == "attribution"


def test_midnight_of_a_named_day_is_dated_on_that_day() -> None:
    text = "A glide bomb hit a building shortly before midnight on Tuesday, killing three people."
    (a,) = anchor_events(text, [_span(text, "hit")], dct="2025-02-05")
    assert a.value == "2025-02-04T24:00"  # TIMEX3: the end of Tuesday
    assert best_day(a) == datetime(2025, 2, 4)


@pytest.mark.parametrize(("convention", "day"),
                         [("before", datetime(2024, 12, 1)), ("on_or_before", datetime(2024, 12, 2))])
def test_the_past_perfect_convention_is_data(monkeypatch: pytest.MonkeyPatch, convention: str, day: datetime) -> None:
    """clauses.yaml `past_perfect_report`: "before" the report's day (issue 8) or "on_or_before" it."""
    import dataclasses

    from timeline.events import anchor as anchor_module

    rules = dataclasses.replace(anchor_module.load_clause_rules(), past_perfect_report=convention)
    monkeypatch.setattr(anchor_module, "load_clause_rules", lambda: rules)
    text = "Rebels said on Monday that they had captured the town."
    (a,) = anchor_events(text, [_span(text, "captured")], dct="2024-12-02")
    assert a.relation == "before" and best_day(a) == day
