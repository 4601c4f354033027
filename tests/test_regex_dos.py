"""Regular-expression denial of service: tagging time must grow about linearly with the text.

A rule whose regex can rescan an unbounded stretch of text at each start position
(an unbounded ``[\\d:.]*`` inside a lookahead, nested or overlapping quantifiers before
one) makes tagging quadratic: ``"12." * 21_000`` took 5.9 s before the 24-hour clock
rule was fixed, 1 MB about 25 minutes (issue 11).

For every tagger rule, adversarial strings are built from the rule's own trigger words
and characters (its trigger words and digits joined by ``.``, ``:``, ``-``, ``/``, ``,``,
spaces; pairs of trigger words and numbers; runs of digits and separators for a rule
that reads numbers; its examples' spans and texts repeated). The
rule's regex runs over each, repeated to 16 K and 64 K characters, with its context tests
on every match (see :func:`_rule_runner`), and ``timeline.tag`` runs the whole tagger
(trigger windows, all rules, resolution) over a few mixed strings at 16 K, 64 K and 256 K.
A step of 4x in size may cost at most ``MAX_RATIO`` (8) times more: a linear rule costs
about 4x, a quadratic one 16x. A larger-size timing under ``FLOOR_S`` is not judged
(noise); a ratio over the limit is measured again (best of five, alternating sizes)
before it fails, so a busy machine does not fail the test.

The per-rule 64 K -> 256 K step quintuples that check's run time (to about 3 minutes on
two cores); it runs when the environment variable ``TIMELINE_DOS_FULL=1`` is set. The
end-to-end 256 K check always runs.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from dataclasses import replace

import pytest

import timeline
from timeline.tagging.finder import MentionFinder
from timeline.tagging.rules import Rule, load_rules

RULES = load_rules()
MAX_RATIO = 8.0
#: A larger-size timing below this is too small to judge (seconds): a few milliseconds
#: measured on a shared machine can be off by more than 2x. The quadratic clock rule
#: of issue 11 took 3.9 s at 64 K.
FLOOR_S = 0.05
SMALL, MEDIUM, LARGE = 16_000, 64_000, 256_000
FULL = os.environ.get("TIMELINE_DOS_FULL", "") not in ("", "0")

#: What joins repeated trigger tokens: the characters a date or clock pattern spans.
GLUE = ("", " ", ".", ":", "-", "/", ",", ", ", "'", ". ")
#: Numbers a digit-triggered rule reacts to (any number; four digits: a possible year).
DIGIT_TOKENS = ("1", "12", "2024")
#: Strings for the end-to-end check over all rules at once; the last is every rule
#: example's text in turn (dense, news-like text that every rule fires on).
MIXED = (
    "12.", "12:", "1,000,", "12.12:12-12/", "2024-12-", "1/2/", "12:30 GMT ",
    "at 12:30 on Monday ", "in the next two days ago ",
    " ".join(str(ex["text"]) for rule in RULES.rules for ex in rule.examples) + " ",
)


def _trigger_tokens(rule: Rule) -> list[str]:
    """A few of the rule's trigger words (those its examples use first) and numbers."""
    words = sorted(rule.trigger_words or ())
    used = " ".join(str(ex["expect"]).lower() for ex in rule.examples)
    chosen = [w for w in words if w in used][:2]
    for w in (min(words, key=len, default=None), max(words, key=len, default=None)):
        if w and w not in chosen:
            chosen.append(w)
    tokens = chosen + [w.capitalize() for w in chosen[:1]]
    if rule.trigger_digits:
        tokens += list(DIGIT_TOKENS)
    return tokens


def adversarial_units(rule: Rule) -> list[str]:
    """Short strings whose repetition stresses a rule (deterministic, de-duplicated)."""
    units: list[str] = []
    tokens = _trigger_tokens(rule)
    for token in tokens:
        units += [token + glue for glue in GLUE]
    for a in tokens[:3]:
        for b in ("12", "2024", *tokens[:2]):
            units.append(f"{a} {b} ")
            units.append(f"{b} {a}, ")
    if "\\d" in rule.regex.pattern:  # numbers in any form: runs of digits and separators
        units += [",000", "0,00", "1.0", "12:", "1-", "1/", "1 "]
    for ex in rule.examples:
        expect = str(ex["expect"])
        units += [expect + glue for glue in ("", " ", ", ", "-", ".")]
        units.append(str(ex["text"]) + " ")
    return list(dict.fromkeys(u for u in units if u.strip()))


def repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


Runner = Callable[[str], Callable[[], object]]


def _seconds(prepare: Runner, text: str, tries: int = 1) -> float:
    """Best CPU time of the call ``prepare(text)`` returns, over ``tries`` runs: CPU time,
    not wall time, so other processes on a shared machine do not count, and with the
    garbage collector paused (a collection lands on whichever call happens to run)."""
    call = prepare(text)
    best = float("inf")
    for _ in range(tries):
        gc.disable()
        try:
            start = time.process_time()
            call()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def growth(prepare: Runner, unit: str, small: int, large: int) -> tuple[float, float, float]:
    """(ratio, small time, large time) on ``unit`` repeated to two sizes.

    A ratio over :data:`MAX_RATIO` is measured again, best of five, before it is believed.
    """
    lo_text, hi_text = repeat(unit, small), repeat(unit, large)
    t_lo = _seconds(prepare, lo_text)
    t_hi = _seconds(prepare, hi_text)
    if t_hi >= FLOOR_S and t_hi > MAX_RATIO * t_lo:
        for _ in range(5):
            t_lo = min(t_lo, _seconds(prepare, lo_text))
            t_hi = min(t_hi, _seconds(prepare, hi_text))
    return t_hi / max(t_lo, 1e-6), t_lo, t_hi


def _too_slow(prepare: Runner, unit: str, steps: tuple[tuple[int, int], ...]) -> str | None:
    for small, large in steps:
        ratio, t_lo, t_hi = growth(prepare, unit, small, large)
        if t_hi >= FLOOR_S and ratio > MAX_RATIO:
            return f"{unit!r}: {small // 1000}K {t_lo:.3f}s -> {large // 1000}K {t_hi:.3f}s (x{ratio:.1f})"
    return None


RULE_STEPS = ((SMALL, MEDIUM), (MEDIUM, LARGE)) if FULL else ((SMALL, MEDIUM),)


def _rule_runner(rule: Rule) -> Runner:
    """One rule as the mention finder runs it where its triggers are dense: its regex over
    the whole text (the units repeat the rule's own triggers, so the finder's merged
    trigger windows cover the whole text anyway; and the check does not rely on windows
    to bound a scan), then its context tests on each match. What follows a match
    (normalising its fields, building and resolving the mention) is a fixed amount of work
    per match on the matched text; :func:`test_tag_time_grows_linearly` times all of it."""
    finder = MentionFinder(replace(RULES, rules=(rule,)))
    has_span = "span" in rule.regex.groupindex

    def prepare(text: str) -> Callable[[], object]:
        def run() -> int:
            kept = 0
            for match in rule.regex.finditer(text):
                start, end = match.span("span") if has_span and match.group("span") is not None else match.span()
                kept += finder._context_ok(rule, text, start, end)
            return kept

        return run

    return prepare


def _tag_runner(text: str) -> Callable[[], object]:
    return lambda: timeline.tag(text, dct="2024-12-02")


@pytest.mark.parametrize("rule", RULES.rules, ids=[r.id for r in RULES.rules])
def test_rule_time_grows_linearly(rule: Rule) -> None:
    run = _rule_runner(rule)
    bad = [msg for unit in adversarial_units(rule) if (msg := _too_slow(run, unit, RULE_STEPS))]
    assert not bad, f"{rule.source}:{rule.id} grows faster than linearly on:\n" + "\n".join(bad)


def test_units_come_from_the_rule() -> None:
    """The generator really uses each rule's triggers and examples (so a new rule is covered)."""
    clock = next(r for r in RULES.rules if r.id == "time_clock_24h")
    units = adversarial_units(clock)
    assert "12." in units and "12:" in units and "15:00 GMT " in units
    may = next(r for r in RULES.rules if r.id == "date_month_may")
    assert any(u.startswith("may") for u in adversarial_units(may))
    assert all(adversarial_units(r) for r in RULES.rules)


def test_tag_time_grows_linearly() -> None:
    """The whole tagger (all rules, resolution included) on mixed adversarial strings up to 256 K."""
    steps = ((SMALL, MEDIUM), (MEDIUM, LARGE))
    bad = [msg for unit in MIXED if (msg := _too_slow(_tag_runner, unit, steps))]
    assert not bad, "timeline.tag grows faster than linearly on:\n" + "\n".join(bad)


def test_clock_rule_regression() -> None:
    """The case of issue 11: 64 K of "12." took 5.9 s; linear tagging takes about 0.1 s."""
    for unit in ("12.", "12:"):
        seconds = _seconds(_tag_runner, repeat(unit, MEDIUM))
        assert seconds < 2.0, f"{unit!r} x 64K: {seconds:.2f}s"
