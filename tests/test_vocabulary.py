"""The vocabulary module (event types, grains, anchor sources) and the trigger loader that checks against it."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

from timeline import exports, model, plots, table, vocabulary
from timeline.errors import RuleError
from timeline.events.triggers import load_triggers
from timeline.model import Article
from timeline.pipeline import process_article

ACLED_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
               "Strategic developments"}


def test_vocabulary_imports_nothing_from_timeline() -> None:
    tree = ast.parse(Path(vocabulary.__file__).read_text(encoding="utf-8"))
    imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in imported if m.startswith("timeline")]
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level > 0]


def test_event_types_are_records_with_acled_flag_and_colour() -> None:
    names = [t.name for t in vocabulary.EVENT_TYPE_INFO]
    assert len(names) == len(set(names))
    assert {t.name for t in vocabulary.EVENT_TYPE_INFO if t.acled} == ACLED_TYPES
    colours = [t.color for t in vocabulary.EVENT_TYPE_INFO]
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in colours)
    assert len(set(colours)) == len(colours)


def test_every_stage_reads_the_one_vocabulary() -> None:
    assert table.EVENT_TYPES == vocabulary.EVENT_TYPES
    assert model.GRAINS == table.PRECISIONS == vocabulary.GRAINS
    assert model.ANCHOR_SOURCES == table.ANCHOR_SOURCES == vocabulary.ANCHOR_SOURCES
    assert set(exports.ACLED_EVENT_TYPES) == ACLED_TYPES
    assert plots.TYPE_COLORS == {t.name: t.color for t in vocabulary.EVENT_TYPE_INFO}
    dtype = table.EVENT_COLUMNS["event_type"]
    assert list(dtype.categories) == list(vocabulary.EVENT_TYPES)
    precision = table.EVENT_COLUMNS["precision"]
    assert precision.ordered and list(precision.categories) == list(vocabulary.GRAINS)


def test_acled_flag_not_position_decides_the_acled_types() -> None:
    # The ACLED types are the flagged ones wherever they sit in the display order.
    flagged = tuple(t.name for t in vocabulary.EVENT_TYPE_INFO if t.acled)
    assert exports.ACLED_EVENT_TYPES == flagged
    assert "casualty report" not in exports.ACLED_EVENT_TYPES


def test_every_trigger_type_is_in_the_vocabulary() -> None:
    for cls in load_triggers().classes:
        assert cls.event_type in vocabulary.EVENT_TYPES, cls.id
        assert all(r.event_type in vocabulary.EVENT_TYPES for r in cls.refinements), cls.id


# --- the trigger loader ---------------------------------------------------------------------------

def _lexicon(**entry: object) -> dict:
    base = {"id": "bombard", "forms": ["bombarded"], "event_type": "Battles", "sub_event_type": "Armed clash",
            "examples": []}
    base.update(entry)
    return {"irrealis_cues": ["not"], "triggers": [base]}


def test_loader_rejects_an_unknown_event_type_from_a_yaml_file(tmp_path: Path) -> None:
    path = tmp_path / "triggers.yaml"
    path.write_text(yaml.safe_dump(_lexicon(event_type="Battle")), encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_triggers(path)
    message = str(info.value)
    assert "bombard" in message and "'Battle'" in message
    assert all(t in message for t in vocabulary.EVENT_TYPES)
    assert str(path) in message


def test_loader_rejects_an_unknown_event_type_in_a_refine_entry() -> None:
    raw = _lexicon(refine=[{"words": "army", "event_type": "Strategic development", "sub_event_type": "Other"}])
    with pytest.raises(RuleError, match=r"bombard refine\[0\].*'Strategic development'.*known types: Battles"):
        load_triggers(raw)


@pytest.mark.parametrize(("entry", "pattern"), [
    ({"veto_after": "(unclosed"}, r"bombard: bad veto_after regex"),
    ({"vetoafter": "x"}, r"bombard: unknown field vetoafter"),
    ({"forms": []}, r"bombard: forms must be a non-empty list"),
    ({"negatives": "one sentence"}, r"bombard: negatives must be a list"),
])
def test_loader_rejects_malformed_entries(entry: dict, pattern: str) -> None:
    with pytest.raises(RuleError, match=pattern):
        load_triggers(_lexicon(**entry))


def test_loader_accepts_a_dict_and_keeps_the_default_cached() -> None:
    lexicon = load_triggers(_lexicon(veto_before=r"\bnot\s+$"))
    assert [m.text for m in lexicon.find("Troops bombarded Hama, not bombarded Homs.")] == ["bombarded"]
    assert load_triggers() is load_triggers()
    assert load_triggers() is not lexicon


def test_sense_rules_reject_a_context_and_give_way_to_a_shorter_form() -> None:
    raw = {"triggers": [
        {"id": "reach", "forms": ["arrived at"], "event_type": "Battles", "sub_event_type": "Armed clash",
         "require_after": r"\s+the\s+outskirts\b"},
        {"id": "visit", "forms": ["arrived"], "event_type": "diplomacy", "sub_event_type": "Diplomatic contact"},
    ]}
    lexicon = load_triggers(raw)
    found = [(m.text, m.trigger.id) for m in lexicon.find("Rebels arrived at the outskirts. He arrived at noon.")]
    assert found == [("arrived at", "reach"), ("arrived", "visit")]


def test_case_sensitive_forms_count_only_as_written() -> None:
    raw = {"triggers": [{"id": "march", "forms": ["march"], "event_type": "Protests",
                         "sub_event_type": "Peaceful protest", "case_sensitive": True}]}
    lexicon = load_triggers(raw)
    text = "March ended; thousands march today."
    assert [m.start for m in lexicon.find(text)] == [text.index("march")]


# --- negatives of the packaged lexicon: sentences that must not yield the class -------------------

NEGATIVES = [
    pytest.param(cls, sentence, id=f"{cls.id}:neg{i}")
    for cls in load_triggers().classes
    for i, sentence in enumerate(cls.negatives)
]


@pytest.mark.parametrize(("cls", "sentence"), NEGATIVES)
def test_trigger_negative(cls, sentence: str) -> None:
    """A negative sentence yields no event of its class (nor does the lexicon find the class in it)."""
    assert not [m.text for m in load_triggers().find(sentence) if m.trigger.id == cls.id]
    article = Article(doc_id="neg", text=sentence, published=date(2024, 12, 2), dct_source="given")
    _, _, events = process_article(article)
    assert not [(e.trigger, e.event_type) for e in events if e.rule_id == cls.id]


def test_every_sense_rule_has_a_negative_and_an_example() -> None:
    # the generated future_only twins are tested in tests/test_inflections.py
    written = [c for c in load_triggers().classes if not c.future_only]
    with_sense = [c for c in written if c.has_sense]
    assert with_sense
    assert not [c.id for c in with_sense if not c.negatives]
    assert not [c.id for c in written if not c.examples]


def test_month_march_is_not_a_protest_in_a_table() -> None:
    article = Article(doc_id="m", published=date(2024, 12, 2), dct_source="given",
                      text="Fighting resumed in March. On 3 March rebels shelled the town. Thousands march on Friday.")
    _, _, events = process_article(article)
    frame = pd.DataFrame({"trigger": [e.trigger for e in events], "type": [e.event_type for e in events]})
    assert list(frame.loc[frame["type"] == "Protests", "trigger"]) == ["march"]


def test_a_participle_adjective_is_no_trigger_but_the_noun_is() -> None:
    raw = _lexicon(forms=["bombarded", "bombardment"], participle_adjective=True)
    with pytest.raises(RuleError, match="participle_adjective needs participle_adjective_before"):
        load_triggers(raw)
    raw["participle_adjective_before"] = r"\bthe\s+$"
    lexicon = load_triggers(raw)
    assert [m.text for m in lexicon.find("They left the bombarded town after the bombardment.")] == ["bombardment"]
    assert [m.text for m in lexicon.find("Jets bombarded the town.")] == ["bombarded"]
