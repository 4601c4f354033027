"""Actors: the lexicon's examples and negatives as tests, its integrity, and the seed story.

Ids are ``<actor id>:example:N`` and ``<actor id>:negative:N`` so a failure names
the entry of ``rules/en/events/actors.yaml`` to fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline.errors import InputError
from timeline.events.actors import KINDS, ActorMention, find_actors, load_actors

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "000_43342442af48aa1c.txt"
ACTORS = load_actors()

EXAMPLES = [
    pytest.param(actor.name, ex["text"], ex["names"], id=f"{actor.id}:example:{i}")
    for actor in ACTORS for i, ex in enumerate(actor.examples)
]
NEGATIVES = [
    pytest.param(actor.name, text, id=f"{actor.id}:negative:{i}")
    for actor in ACTORS for i, text in enumerate(actor.negatives)
]


@pytest.mark.parametrize(("actor", "text", "names"), EXAMPLES)
def test_example(actor: str, text: str, names: list[str]) -> None:
    assert actor in names, "an example must show its own actor"
    assert [m.name for m in find_actors(text)] == names


@pytest.mark.parametrize(("actor", "text"), NEGATIVES)
def test_negative(actor: str, text: str) -> None:
    assert actor not in [m.name for m in find_actors(text)]


def test_lexicon_integrity() -> None:
    assert len({a.name for a in ACTORS}) == len(ACTORS), "canonical names must be unique"
    for actor in ACTORS:
        assert actor.kind in KINDS
        assert actor.examples, f"{actor.id} has no example"
        assert 0 < actor.confidence <= 1


def test_mention_record_and_offsets() -> None:
    text = "Rescuers of the White Helmets said HTS fighters entered the city."
    found = find_actors(text)
    assert all(isinstance(m, ActorMention) and text[m.start:m.end] == m.text for m in found)
    assert [(m.name, m.kind, m.acled_name) for m in found] == [
        ("White Helmets", "civilian_org", None),
        ("Hayat Tahrir al-Sham", "rebel_group", "Hayat Tahrir al-Sham"),
    ]


def test_proper_names_are_case_sensitive_common_nouns_are_not() -> None:
    assert find_actors("the hts and white helmets") == []
    assert [m.name for m in find_actors("REBELS and Rebels and rebels")] == ["Rebels"] * 3
    assert [m.text for m in find_actors("The Syrian Army advanced.")] == ["Syrian Army"]


def test_longest_match_wins() -> None:
    assert [m.text for m in find_actors("Syrian army forces")] == ["Syrian army forces"]
    assert [m.name for m in find_actors("Syrian opposition fighters")] == ["Rebels"]


def test_generic_reference_has_lower_confidence() -> None:
    [army] = find_actors("the army withdrew")
    [named] = find_actors("the Syrian army withdrew")
    assert (army.name, army.kind) == ("Army", "state_forces")
    assert army.confidence < named.confidence == 1.0


def test_acled_names() -> None:
    by_name = {a.name: a.acled_name for a in ACTORS}
    assert by_name["Syrian army"] == "Military Forces of Syria (2000-2024)"
    assert by_name["Russian forces"] == "Military Forces of Russia (2000-)"
    assert by_name["Hayat Tahrir al-Sham"] == "Hayat Tahrir al-Sham"


def test_bad_input_raises() -> None:
    with pytest.raises(InputError):
        find_actors(b"bytes")  # type: ignore[arg-type]


def test_seed_story_actors() -> None:
    text = SEED.read_text(encoding="utf-8")
    found = find_actors(text)
    names = {m.name for m in found}
    assert {"White Helmets", "Hayat Tahrir al-Sham", "Syrian army", "Russian forces", "Rebels",
            "Hezbollah", "Iranian-backed militias", "Turkey-backed factions", "Israeli forces"} <= names
    assert all(text[m.start:m.end] == m.text for m in found)
    # No overlap between mentions.
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
    # "Russian military bloggers" and "Russian-led bombings" are no forces.
    assert not any(m.text.startswith("Russian military") for m in found)
    assert "Russian-led" not in {m.text for m in found}
