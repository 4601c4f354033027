"""The generated trigger inflections: up to date with triggers.yaml, matched, and never
stronger than a written form."""

from __future__ import annotations

import pytest

from timeline.errors import RuleError
from timeline.events import inflections
from timeline.events.triggers import compile_triggers, load_triggers
from timeline.yamlio import safe_load

pytest.importorskip("lemminflect")  # in the test extra; the package itself reads only the YAML


def _raw() -> dict:
    return safe_load((inflections.rules_dir() / "triggers.yaml").read_text(encoding="utf-8"))


def test_generated_file_is_up_to_date():
    shipped = (inflections.rules_dir() / "trigger_inflections.yaml").read_text(encoding="utf-8")
    inflected = inflections.inflect_lexicon(_raw())
    assert shipped == inflections.render(inflected, inflections.future_lexicon(_raw(), inflected)), (
        "trigger_inflections.yaml is stale: run `python -m timeline.events.inflections`"
    )


@pytest.mark.parametrize(("sentence", "trigger", "class_id"), [
    # historical present of a chronology; the lexicon lists "proclaimed"
    ('JUNE - Islamic State proclaims a "caliphate" across territory it holds.', "proclaims", "statement"),
    # an irregular past from the listed "flies out" / "flying out" family
    ("Assad flew out of Damascus to an unknown destination.", "flew out", "airlift"),
    # a participle of a listed phrasal verb
    ("Crowds were seen tearing down a statue of Hafez al-Assad.", "tearing down", "riot"),
])
def test_generated_forms_match(sentence, trigger, class_id):
    found = {(m.text, m.trigger.id) for m in load_triggers().find(sentence)}
    assert (trigger, class_id) in found
    cls = next(c for c in load_triggers().classes if c.id == class_id)
    assert trigger not in cls.forms and trigger in cls.inflected  # it came from the generated file


@pytest.mark.parametrize(("sentence", "form"), [
    ("Israel's moves into the buffer zone were a violation of the 1974 agreement.", "moves into"),
    ("Putin, speaking at a meeting with security chiefs, accused Kyiv.", "meeting with"),
    ("The strikes left 10 people dead.", "left"),
    ("Can you confirm?", "confirm"),  # the bare form is mostly an infinitive or a question
])
def test_no_form_of_another_part_of_speech_is_generated(sentence, form):
    generated = {f for c in load_triggers().classes for f in c.inflected}
    assert form not in generated


def test_verb_forms_keep_the_particle_and_skip_nouns():
    assert inflections.verb_forms("moved into") == {"moved into", "moves into", "moving into"}
    assert inflections.verb_forms("fall of") == set()  # the noun "fall"
    assert inflections.verb_forms("were at") == set()  # an auxiliary


def _lexicon(**classes: list[str]) -> dict:
    return {"triggers": [{"id": cid, "forms": forms, "event_type": "Battles", "sub_event_type": "Armed clash",
                          "examples": []} for cid, forms in classes.items()]}


def test_a_written_form_wins_over_a_generated_one():
    lexicon = compile_triggers(_lexicon(a=["captured"], b=["captures"]), {"a": ["captures", "capturing"]})
    assert lexicon.by_form["captures"].id == "b"
    assert lexicon.by_form["capturing"].id == "a"
    assert next(c for c in lexicon.classes if c.id == "a").inflected == ("capturing",)


def test_two_classes_never_share_a_generated_form():
    raw = _lexicon(a=["fought"], b=["fighting for"])
    raw["triggers"].append({"id": "c", "forms": ["fights"], "event_type": "Battles",
                            "sub_event_type": "Armed clash", "inflect": False})
    generated = inflections.inflect_lexicon(raw)
    assert "fights" not in generated.get("a", [])  # written by c
    assert "c" not in generated  # opted out


def test_inflections_for_an_unknown_class_are_an_error():
    with pytest.raises(RuleError, match="no trigger class 'nope'"):
        compile_triggers(_lexicon(a=["captured"]), {"nope": ["captures"]})


@pytest.mark.parametrize(("sentence", "form", "counts"), [
    ("The Security Council will convene on Monday at Russia's request.", "convene", True),
    ("The two delegations are due to negotiate in Doha on Saturday.", "negotiate", True),
    ("Delegates convene in Doha every spring.", "convene", False),  # no future marker: not the bare form's place
])
def test_a_bare_form_counts_only_after_a_future_marker(sentence, form, counts):
    found = {m.text: m.trigger for m in load_triggers().find(sentence)}
    assert (form in found) is counts
    if counts:
        assert found[form].future_only


def test_future_forms_keep_to_their_class_and_skip_taken_forms():
    raw = _lexicon(a=["visited", "visit"], b=["negotiated"])
    future = inflections.future_lexicon(raw, {})
    assert "visit" not in future.get("a", [])  # written
    assert future["b"] == ["negotiate"]
    with pytest.raises(RuleError, match="future_before"):
        compile_triggers(raw, None, {"b": ["negotiate"]})
