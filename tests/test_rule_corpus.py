"""The examples in the rule files are the test suite (Duckling-style).

Every rule in ``timeline/rules/<lang>/*.yaml`` carries ``examples`` (a text, its
DCT, the expected span and TIMEX3 value) and ``negatives`` (texts the rule must
not fire on). This module turns each of them into a test case with the id
``<rule_id>:<index>``, and checks the rule files themselves: unique ids, an
example for every rule, no dead lexicon table, ISO numbering of weekdays and
month numbering January=1.

Known failures are listed in ``KNOWN_EXAMPLE_FAILURES`` / ``KNOWN_NEGATIVE_FAILURES``
as strict xfails: once the tagger (or the example) is fixed the case XPASSes and
the suite fails until the entry is removed here.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

import timeline
from timeline.tagging.rules import load_rules

RULES = load_rules()
DEFAULT_NEGATIVE_DCT = "2024-12-02"

#: Examples that fail today: "<rule_id>:<index>" -> why (to be fixed in the rules/engine).
KNOWN_EXAMPLE_FAILURES: dict[str, str] = {}

KNOWN_NEGATIVE_FAILURES: dict[str, str] = {}


def _dct(value: Any) -> str:
    """YAML loads an unquoted 2024-12-02 as a date; accept both forms."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _example_cases() -> list[Any]:
    cases = []
    for rule in RULES.rules:
        for i, ex in enumerate(rule.examples):
            case_id = f"{rule.id}:{i}"
            marks = []
            if case_id in KNOWN_EXAMPLE_FAILURES:
                marks.append(pytest.mark.xfail(strict=True, raises=AssertionError,
                                               reason=KNOWN_EXAMPLE_FAILURES[case_id]))
            cases.append(pytest.param(rule.id, ex, id=case_id, marks=marks))
    return cases


def _negative_cases() -> list[Any]:
    cases = []
    for rule in RULES.rules:
        for i, neg in enumerate(rule.negatives):
            case_id = f"{rule.id}:{i}"
            marks = []
            if case_id in KNOWN_NEGATIVE_FAILURES:
                marks.append(pytest.mark.xfail(strict=True, raises=AssertionError,
                                               reason=KNOWN_NEGATIVE_FAILURES[case_id]))
            cases.append(pytest.param(rule.id, neg, id=case_id, marks=marks))
    return cases


def _describe(expressions: list[timeline.TimeExpression]) -> str:
    return "; ".join(f"{e.text!r}={e.value} [{e.rule_id}, mod={e.mod}, type={e.type}, grain={e.grain}]"
                     for e in expressions) or "no expression"


@pytest.mark.parametrize(("rule_id", "example"), _example_cases())
def test_example(rule_id: str, example: dict[str, Any]) -> None:
    missing = {"text", "dct", "expect", "value"} - set(example)
    assert not missing, f"example of {rule_id} lacks {sorted(missing)}"
    text, expect, value = str(example["text"]), str(example["expect"]), str(example["value"])
    assert expect in text, f"{rule_id}: expected span {expect!r} does not occur in {text!r}"
    found = timeline.tag(text, dct=_dct(example["dct"]), mode=str(example.get("mode", "news")))
    spans = [e for e in found if e.text == expect]
    assert spans, f"{rule_id}: no expression spanning exactly {expect!r} in {text!r}; got {_describe(found)}"
    wanted = {"value": value, "rule_id": rule_id}
    for key in ("mod", "type", "grain"):
        if key in example:
            wanted[key] = example[key]
    got = [{key: getattr(e, key) for key in wanted} for e in spans]
    assert wanted in got, f"{rule_id}: {text!r} -> expected {wanted}, got {got}"
    for key in ("earliest", "latest"):  # the bounds, where an example gives them (a window's days)
        if key in example:
            assert any(getattr(e, key) is not None and getattr(e, key).date().isoformat() == str(example[key])
                       for e in spans), f"{rule_id}: {text!r} -> {key} {[getattr(e, key) for e in spans]}"


@pytest.mark.parametrize(("rule_id", "negative"), _negative_cases())
def test_negative(rule_id: str, negative: Any) -> None:
    if isinstance(negative, dict):
        text, dct = str(negative["text"]), _dct(negative.get("dct", DEFAULT_NEGATIVE_DCT))
    else:
        text, dct = str(negative), DEFAULT_NEGATIVE_DCT
    fired = [e for e in timeline.tag(text, dct=dct) if e.rule_id == rule_id]
    assert not fired, f"{rule_id} must not fire on {text!r}; got {_describe(fired)}"


# ---------------------------------------------------------------------------
# The rule files themselves


def _raw_rule_files() -> dict[str, list[dict[str, Any]]]:
    folder = resources.files("timeline") / "rules" / RULES.language
    out = {}
    for name in RULES.files:
        out[name] = yaml.safe_load((folder / name).read_text(encoding="utf-8")) or []
    return out


RAW = _raw_rule_files()


def test_rule_files_were_found() -> None:
    assert RULES.files, "no rule files loaded"
    assert len(RULES.rules) == sum(len(v) for v in RAW.values())


def test_rule_ids_unique() -> None:
    ids = Counter(raw["id"] for rules in RAW.values() for raw in rules)
    duplicated = sorted(rid for rid, n in ids.items() if n > 1)
    assert not duplicated, f"duplicate rule ids: {duplicated}"


def test_every_rule_has_an_example() -> None:
    without = sorted(f"{rule.source}:{rule.id}" for rule in RULES.rules if not rule.examples)
    assert not without, f"rules without examples: {without}"


def test_examples_are_well_formed() -> None:
    problems = []
    for rule in RULES.rules:
        for i, ex in enumerate(rule.examples):
            if not isinstance(ex, dict) or not {"text", "dct", "expect", "value"} <= set(ex):
                problems.append(f"{rule.id}:{i} needs text, dct, expect, value")
            elif str(ex["expect"]) not in str(ex["text"]):
                problems.append(f"{rule.id}:{i} expect {ex['expect']!r} not in text")
        for i, neg in enumerate(rule.negatives):
            if not isinstance(neg, (str, dict)) or (isinstance(neg, dict) and "text" not in neg):
                problems.append(f"{rule.id}: negative {i} must be a string or a dict with text")
    assert not problems, "\n".join(problems)


_MACRO = re.compile(r"\{([a-z_]+)\}")
_GROUP = re.compile(r"\(\?P<([a-z_]+?)(?:__\d+)?>")

#: Tables the engine reads itself rather than through a rule pattern, and where.
ENGINE_TABLES = {
    "mod": "finder: left modifiers (early, mid-, the end of)",
    "approx": "finder: approximation prefixes of durations",
    "future_cue": "finder: tense cues",
    "future_cue_before": "finder: tense cues that count only before the mention",
    "future_to_not_before": "finder: words after a future cue ending in \"to\" that make it a preposition",
    "past_cue": "finder: irregular past forms that are tense cues",
    "past_cue_not_ed": "finder: -ed words that are no past cue (plans, reports)",
    "abbreviations": "rules.abbreviations: the tense cues' sentence stop; events.segment: sentence ends",
    "fronted_time_opener": "rules.fronted_time_opener: a fronted time's tense; events.anchor: a fronted report's time",
    "background_verb_after": "finder._is_background: the verb after a background participle's time",
    "background_not_a_noun": "finder._is_background: words that make the participle no noun's modifier",
    "number_word": "rules: {number} macro; finder.parse_number",
    "tens_word": "rules: {number} macro; finder.parse_number",
    "units_word": "rules: {number} macro; finder.parse_number",
    "ambiguous_names": "finder: day/month names that are also ordinary words",
}

#: Tables nothing uses today; each must be wired in or deleted (see the xfail below).
KNOWN_UNUSED_TABLES: dict[str, str] = {}


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def _tables_used_by_rules() -> set[str]:
    used: set[str] = set()
    for rules in RAW.values():
        for raw in rules:
            for key in ("pattern", "require_before", "require_after", "veto"):
                for s in _strings(raw.get(key)):
                    used |= set(_MACRO.findall(s))
                    used |= set(_GROUP.findall(s))  # a named group is normalised through its table
    return used


def _engine_source() -> str:
    package = Path(timeline.__file__).parent
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(package.rglob("*.py")))


def test_engine_table_allow_list_is_accurate() -> None:
    """Every table in ENGINE_TABLES really is read by the engine's code."""
    source = _engine_source()
    stale = [
        name for name in ENGINE_TABLES
        if not re.search(rf"""(?:lexicon|lex|macros)\s*(?:\[|\.get\()\s*['"]{name}['"]""", source)
    ]
    assert not stale, f"ENGINE_TABLES lists tables the engine no longer reads: {stale}"
    assert set(ENGINE_TABLES) <= set(RULES.lexicon), "ENGINE_TABLES names tables missing from the lexicon"


def _unused_tables() -> list[str]:
    tables = [name for name, t in RULES.lexicon.items() if isinstance(t, (dict, list))]
    used = _tables_used_by_rules() | set(ENGINE_TABLES)
    return sorted(name for name in tables if name not in used)


def test_no_new_unused_lexicon_table() -> None:
    unused = [name for name in _unused_tables() if name not in KNOWN_UNUSED_TABLES]
    source = _engine_source()
    hints = [f"{name} (quoted in the engine: add it to ENGINE_TABLES if the engine reads it)"
             if re.search(rf"""['"]{name}['"]""", source) else name for name in unused]
    assert not unused, f"lexicon tables used by no rule pattern and not by the engine: {hints}"


def test_every_lexicon_table_is_used() -> None:
    unused = _unused_tables()
    assert not unused, f"lexicon tables used by no rule pattern and not by the engine: {unused}"


def test_rule_patterns_only_use_known_tables() -> None:
    known = set(RULES.lexicon) | {"number"}
    macros = {m for rules in RAW.values() for raw in rules
              for key in ("pattern", "require_before", "require_after", "veto")
              for s in _strings(raw.get(key)) for m in _MACRO.findall(s)}
    assert macros, "no {table} macro found in any rule: the parser of this test is broken"
    assert not macros - known, f"rules refer to unknown tables: {sorted(macros - known)}"


# ---------------------------------------------------------------------------
# Numbering of weekdays (ISO: Monday=1..Sunday=7) and months (January=1).
# HeidelTime shipped two conflicting normDayInWeek tables (Sunday=1 vs Monday=1);
# pin ours, in the tables and in the resolved values.

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]


def _check_numbering(table_name: str, names: list[str]) -> list[str]:
    table = RULES.lexicon[table_name]
    problems = []
    for full in names:
        if full not in table:
            problems.append(f"{table_name}: {full!r} missing")
    for key, number in table.items():
        stem = str(key).lower().rstrip(".")
        matches = [i for i, full in enumerate(names, 1) if full.startswith(stem)]
        if len(matches) != 1:
            problems.append(f"{table_name}: key {key!r} abbreviates {len(matches)} names")
        elif number != matches[0]:
            problems.append(f"{table_name}: {key!r} -> {number!r}, expected {matches[0]}")
    return problems


def test_weekday_tables_are_iso_numbered() -> None:
    tables = [name for name in RULES.lexicon if name.startswith("weekday")]
    assert {"weekday", "weekday_full"} <= set(tables)
    problems = [p for name in tables for p in _check_numbering(name, WEEKDAYS)]
    assert not problems, "\n".join(problems)


def test_month_tables_number_january_1() -> None:
    tables = [name for name in RULES.lexicon if name.startswith("month")]
    assert {"month", "month_full"} <= set(tables)
    problems = [p for name in tables for p in _check_numbering(name, MONTHS)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("iso", range(1, 8), ids=[d.capitalize() for d in WEEKDAYS])
def test_resolved_weekdays_are_iso(iso: int) -> None:
    name = WEEKDAYS[iso - 1].capitalize()
    (e,) = timeline.tag(f"They met on {name}.", dct="2024-12-02")
    assert e.earliest is not None and e.earliest.isoweekday() == iso
    (s,) = timeline.tag(f"Protesters gather every {name}.", dct="2024-12-02")
    assert s.value == f"XXXX-WXX-{iso}"
    (u,) = timeline.tag(f"They met on {name}.")
    assert u.value == f"XXXX-WXX-{iso}"


@pytest.mark.parametrize("number", range(1, 13), ids=[m.capitalize() for m in MONTHS])
def test_resolved_months_number_january_1(number: int) -> None:
    name = MONTHS[number - 1].capitalize()
    (e,) = timeline.tag(f"The talks failed in {name} 2020.", dct="2024-12-02")
    assert e.value == f"2020-{number:02d}"
    (d,) = timeline.tag(f"Elections were held on 3 {name} 2016.", dct="2024-12-02")
    assert d.value == f"2016-{number:02d}-03"
