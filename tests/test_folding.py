"""The tagger's folded regexes (a case-insensitive rule searched as a case-sensitive copy on the
ASCII-lower-cased text, ``timeline.tagging.rules.fold_pattern``) find exactly what the rules'
own regexes find.

A text holding one of the characters case-insensitive matching treats as ASCII letters (İ, ı, ſ,
the Kelvin sign) takes the unfolded path, so appending one to a text compares the two paths on
the same spans: every rule example, as written, upper-cased and re-cased at random.
"""

from __future__ import annotations

import random

import pytest

import timeline
from timeline.tagging.rules import FOLD_UNSAFE, load_rules

RULES = load_rules()
#: Appended after a line break: it forces the unfolded path and touches no expression before it.
UNSAFE_TAIL = "\n\u0131"


def _texts() -> list[tuple[str, str]]:
    rng = random.Random(7)
    out = []
    for rule in RULES.rules:
        for ex in rule.examples:
            text, dct = str(ex["text"]), str(ex.get("dct", "2024-12-02"))
            recased = "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in text)
            out.extend([(text, dct), (text.upper(), dct), (recased, dct)])
    return out


def _key(expressions: list[timeline.TimeExpression]) -> list[tuple[object, ...]]:
    return [(e.text, e.start, e.end, e.type, e.value, e.mod, e.rule_id) for e in expressions]


def test_the_unsafe_tail_takes_the_unfolded_path() -> None:
    assert FOLD_UNSAFE.search(UNSAFE_TAIL) is not None
    assert FOLD_UNSAFE.search("On Friday, rebels entered Aleppo.") is None


@pytest.mark.parametrize("chunk", range(4))
def test_folded_and_unfolded_rules_find_the_same(chunk: int) -> None:
    texts = _texts()[chunk::4]
    assert texts
    for text, dct in texts:
        folded = timeline.tag(text, dct=dct)
        unfolded = [e for e in timeline.tag(text + UNSAFE_TAIL, dct=dct) if e.end <= len(text)]
        assert _key(folded) == _key(unfolded), text
