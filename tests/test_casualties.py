"""Casualty counts: the examples in casualties.yaml are the test suite (Duckling-style).

Every rule in ``timeline/rules/en/events/casualties.yaml`` carries ``examples`` (a
sentence and the full list of counts expected from it) and ``negatives``
(sentences with no casualty count). Each becomes a test case with the id
``<rule_id>:<index>`` or ``<rule_id>:neg<index>``. The rest checks the rule file
itself, the seed story, :func:`total_fatalities`, bad input and speed.
"""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path
from typing import Any

import pytest

from timeline.errors import InputError, RuleError
from timeline.events.casualties import (
    CasualtyCount,
    _Expander,
    _load_rule,
    extract_casualties,
    load_casualty_rules,
    total_fatalities,
)

RULES = load_casualty_rules()
FIELDS = {f.name for f in dataclasses.fields(CasualtyCount)}
SEED = Path(__file__).resolve().parents[1] / "data" / "000_43342442af48aa1c.txt"


def _example_cases() -> list[Any]:
    return [pytest.param(rule.id, ex, id=f"{rule.id}:{i}")
            for rule in RULES.rules for i, ex in enumerate(rule.examples)]


def _negative_cases() -> list[Any]:
    return [pytest.param(rule.id, text, id=f"{rule.id}:neg{i}")
            for rule in RULES.rules for i, text in enumerate(rule.negatives)]


def _show(counts: list[CasualtyCount]) -> str:
    return "\n".join(f"  {c}" for c in counts) or "  (nothing)"


@pytest.mark.parametrize(("rule_id", "example"), _example_cases())
def test_example(rule_id: str, example: dict[str, Any]) -> None:
    text = example["text"]
    expected = example["counts"]
    got = extract_casualties(text)
    assert len(got) == len(expected), f"{text!r}: expected {len(expected)} counts, got\n{_show(got)}"
    for i, (count, want) in enumerate(zip(got, expected)):
        for key, value in want.items():
            actual = getattr(count, key)
            assert actual == value, f"{text!r}: count {i} {key}={actual!r}, want {value!r}\n{_show(got)}"
        assert text[count.start : count.end] == count.text
    assert rule_id in {c.rule_id for c in got}, f"{text!r}: rule {rule_id} did not produce a count\n{_show(got)}"


@pytest.mark.parametrize(("rule_id", "text"), _negative_cases())
def test_negative(rule_id: str, text: str) -> None:
    got = extract_casualties(text)
    assert got == [], f"{text!r} should give no count, got\n{_show(got)}"


# -- the rule file -------------------------------------------------------------

def test_every_rule_has_an_example() -> None:
    assert [r.id for r in RULES.rules if not r.examples] == []


def test_rule_ids_unique() -> None:
    ids = [r["id"] for r in RULES.raw["rules"]]
    assert len(ids) == len(set(ids))


def test_example_fields_are_record_fields() -> None:
    for rule in RULES.rules:
        for ex in rule.examples:
            assert set(ex) <= {"text", "counts"}, rule.id
            for want in ex["counts"]:
                assert set(want) <= FIELDS, f"{rule.id}: unknown fields {set(want) - FIELDS}"


def test_every_word_list_is_used() -> None:
    raw = RULES.raw
    defined = set(raw["lists"]) | set(raw["patterns"]) | set(raw["templates"])
    defined |= {"vague_quantity", "approx", "number_word", "unit_word", "tens_word", "scale_word", "who_noun"}
    assert defined - RULES.used_macros == set()


def test_vague_quantities_follow_acled() -> None:
    # ACLED: "tens" 10, "dozens" 12, "hundreds" 100, "and so on".
    vague = RULES.vague
    assert (vague["tens"], vague["dozens"], vague["hundreds"], vague["thousands"]) == (10, 12, 100, 1000)
    assert vague["hundreds of thousands"] == 100_000
    # Our own conservative floor for indefinite plurals (documented in the module).
    assert vague["several"] == vague["numerous"] == vague["a few"] == 3


def test_word_numbers_match_their_tables() -> None:
    numbers = RULES.numbers
    assert numbers["unit_word"] == {w: numbers["number_word"][w] for w in numbers["unit_word"]}
    assert sorted(numbers["tens_word"].values()) == list(range(20, 100, 10))


def test_unknown_macro_is_a_rule_error() -> None:
    expander = _Expander(RULES.raw)
    with pytest.raises(RuleError, match="unknown macro"):
        _load_rule({"id": "bad", "pattern": "{qty:a} {nope}", "counts": {"a": {"kind": "killed"}}}, expander)
    with pytest.raises(RuleError, match="unknown keys"):
        _load_rule({"id": "bad", "pattern": "{qty:a}", "counts": {"a": {"kind": "killed"}}, "oops": 1}, expander)


def test_unquoted_yaml_boolean_is_a_rule_error() -> None:
    raw = dict(RULES.raw, lists=dict(RULES.raw["lists"], end_word=["in", True]))
    with pytest.raises(RuleError, match="not strings"):
        _Expander(raw)


# -- the seed story --------------------------------------------------------------

def _sentences(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        out.extend(s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", line) if s.strip())
    return out


@pytest.mark.skipif(not SEED.exists(), reason="seed story not shipped")
def test_seed_story() -> None:
    found = []
    for sentence in _sentences(SEED.read_text(encoding="utf-8")):
        for c in extract_casualties(sentence):
            found.append((c.number, c.kind, c.who, c.cumulative, c.included_in, c.vague_word))
    assert found == [
        (25, "killed", "people", False, None, None),  # headline
        (25, "killed", "individuals", False, None, None),
        (7, "killed", "people", False, None, None),
        (3, "injured", "others", False, None, "many"),
        (10, "killed", "children", False, None, None),
        (56, "killed", None, True, None, None),
        (20, "killed", "children", True, 0, None),
        (3, "killed", "soldiers", False, None, "numerous"),
        (1000, "killed", None, False, None, "thousands"),
        (100_000, "killed", None, True, None, "hundreds of thousands"),
    ]


# -- total_fatalities --------------------------------------------------------------

@pytest.mark.parametrize(
    ("sentence", "total", "event_only"),
    [
        ("The total number of fatalities since November 27 has risen to 56, including 20 children.", 56, None),
        ("At least 30 people were killed; among the dead were 12 children.", 30, 30),
        ("Five soldiers and three civilians were killed in the clashes.", 8, 8),
        ("Shelling killed a man and his two sons.", 3, 3),
        ("Seven people were killed on Monday, bringing the total to 56.", 56, 7),
        ("Twelve people were wounded.", None, None),
        ("The army advanced into Aleppo.", None, None),
    ],
)
def test_total_fatalities(sentence: str, total: int | None, event_only: int | None) -> None:
    counts = extract_casualties(sentence)
    assert total_fatalities(counts) == total
    assert total_fatalities(counts, cumulative=False) == event_only


def test_total_fatalities_of_nothing() -> None:
    assert total_fatalities([]) is None


# -- records and bad input ---------------------------------------------------------

def test_record_is_frozen_and_slotted() -> None:
    (count,) = extract_casualties("Seven people were killed.")
    with pytest.raises(dataclasses.FrozenInstanceError):
        count.number = 8  # type: ignore[misc]
    assert not hasattr(count, "__dict__")


@pytest.mark.parametrize("bad", [None, 25, b"seven people were killed"])
def test_not_a_string_raises(bad: Any) -> None:
    with pytest.raises(InputError, match="must be a str"):
        extract_casualties(bad)
    with pytest.raises(ValueError):
        extract_casualties(bad)


def test_empty_sentence() -> None:
    assert extract_casualties("") == []


# -- speed: no catastrophic backtracking ---------------------------------------------

_ADVERSARIAL = (
    "at least 25 people , death toll among the dead 1,200 a a killed killed dozens of of the "
    "hundreds of thousands including 20 children and 3 Syrian Russian Turkish soldiers were were were "
    "numbered   2020 10-year-old     among the deceased in and around were ten killing 7 of them "
    "bringing the total total total to 56 between 10 and 15 or 16 - 17 twenty-five hundred and "
)


def _timed(n_chars: int, runs: int) -> float:
    text = (_ADVERSARIAL * (n_chars // len(_ADVERSARIAL) + 1))[:n_chars]
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        extract_casualties(text)
        best = min(best, time.perf_counter() - t0)
    return best


def test_adversarial_input_scales_linearly() -> None:
    small = _timed(10_000, 3)
    large = _timed(100_000, 1)
    assert large < 5.0, f"100 KB took {large:.2f} s"
    # Linear is x10; allow noise, but quadratic behaviour (x100) fails.
    assert large < 30 * max(small, 0.002), f"10 KB {small:.4f} s, 100 KB {large:.4f} s"
