"""ACLED export that ACLED's users can load as it is: ISO codes, admin1 from the gazetteer,
integer codes that stay integers next to ACLED's own rows, civilians, outlets."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from test_exports import make_events

from timeline.exports import ACLED_COLUMNS, to_acled, write_acled
from timeline.exports.acled import admin1_of, outlet

#: The integer columns of ACLED's published files (the codebook's numeric codes).
INT_COLUMNS = ("year", "time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision", "fatalities",
               "timestamp")

#: Three rows written by hand in the shape of ACLED's published CSV export (the codebook's
#: column list, in its order; made-up events, not ACLED data).
PUBLISHED = """\
event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,\
inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,\
location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp
SYR900001,2024-11-30,2024,1,Political violence,Battles,Armed clash,Military Forces of Syria (2000-2024),,1,\
Hayat Tahrir al-Sham,,2,12,,760,Middle East,Syria,Aleppo,Jebel Saman,Aleppo,Aleppo,36.2021,37.1343,1,\
SOHR,National,Made-up clash for a format test.,7,,1733097600
SYR900002,2024-12-01,2024,2,Political violence,Explosions/Remote violence,Air/drone strike,\
Military Forces of Russia (2000-),,8,Civilians (Syria),,7,78,Civilian targeting,760,Middle East,Syria,Idlib,\
Idlib,Idlib,Idlib,35.9306,36.6339,2,Reuters; SOHR,National-International,Made-up strike.,4,,1733184000
SYR900003,2024-12-02,2024,1,Demonstrations,Protests,Peaceful protest,Protesters (Syria),,6,,,0,60,,760,\
Middle East,Syria,Damascus,Damascus,Damascus,Damascus,33.5102,36.2913,1,Enab Baladi,National,\
Made-up protest.,0,crowd size=no report,1733270400
"""


def published_rows() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(PUBLISHED))


def test_published_rows_are_acleds_columns() -> None:
    assert tuple(published_rows().columns) == ACLED_COLUMNS


def test_export_concatenates_with_published_rows_and_ints_stay_int(tmp_path: Path) -> None:
    events = make_events([
        {"date": "2024-12-01", "location": "Aleppo", "country": "SY", "latitude": 36.2, "longitude": 37.16,
         "actor1": "Rebels", "actor2": "Syrian army", "fatalities": 3},
        {"date": "2024-12-01", "event_type": "Strategic developments", "trigger": "withdrew"},   # no actor, no place
        {"date": "2024-12-02", "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
         "location": "Idlib", "country": "SY", "civilians": 4, "fatalities": 4, "actor1": "Russian forces"},
        {"date": "2024-12-02", "location": "Paris", "country": "FR", "time_precision": None, "precision": "week",
         "doc_id": "other", "published": None},
    ])
    ours = to_acled(events)
    path = write_acled(events, tmp_path / "acled.csv")
    back = pd.read_csv(path)
    for frame in (ours, back):
        both = pd.concat([published_rows(), frame], ignore_index=True)
        assert tuple(both.columns) == ACLED_COLUMNS and len(both) == 3 + len(ours)
        for name in INT_COLUMNS:
            assert pd.api.types.is_integer_dtype(both[name].dtype), (name, both[name].dtype)
            assert both[name].notna().all(), name
    assert (back["geo_precision"].between(1, 3)).all()
    assert set(back["time_precision"]) <= {1, 2, 3}
    assert back.loc[3, "time_precision"] == 2            # from the week precision when the column is empty


def test_iso3_numeric_country_and_admin1_from_the_gazetteer() -> None:
    table = to_acled(make_events([
        {"date": "2024-12-01", "location": "Aleppo", "country": "SY", "latitude": 36.2, "longitude": 37.16,
         "actor1": "Rebels"},
        {"date": "2024-12-01", "location": "Hama province", "country": "SY", "actor1": "Rebels"},
        {"date": "2024-12-01", "location": "Moscow", "country": "RU", "latitude": 55.75, "longitude": 37.62,
         "doc_id": "ru", "event_type": "Protests", "trigger": "protest"},
        {"date": "2024-12-01", "doc_id": "nowhere", "trigger": "clash"},
    ]))
    aleppo, hama, moscow, nowhere = (table.iloc[i] for i in range(4))
    assert aleppo["event_id_cnty"] == "SYR1" and aleppo["iso"] == 760 and aleppo["country"] == "Syria"
    assert aleppo["admin1"] == "Aleppo" and aleppo["geo_precision"] == 1
    assert hama["admin1"] == "Hama" and hama["geo_precision"] == 3           # a province named as such
    assert moscow["event_id_cnty"].startswith("RUS") and moscow["iso"] == 643 and moscow["region"] == "Europe"
    # a document without any place: no country to give, the only case of XXX (and iso 0)
    assert nowhere["event_id_cnty"].startswith("XXX") and nowhere["iso"] == 0 and pd.isna(nowhere["country"])
    assert nowhere["geo_precision"] == 3
    assert not table["event_id_cnty"][table["country"].notna()].str.startswith("XXX").any()


def test_admin1_where_the_gazetteer_knows_it() -> None:
    assert admin1_of("Idlib", "SY", 35.93, 36.63) == "Idlib"
    assert admin1_of("Deir ez-Zor", "SY") == "Deir ez-Zor"
    assert admin1_of("Aleppo", "TR") is None                 # not a place of that country
    assert admin1_of(None, "SY") is None and admin1_of("Aleppo", None) is None


def test_inter_codes_are_ints_and_zero_without_a_second_actor() -> None:
    table = to_acled(make_events([
        {"date": "2024-12-01", "actor1": "Rebels", "actor2": "Syrian army", "location": "Aleppo", "country": "SY"},
        {"date": "2024-12-01", "actor1": "Rebels", "location": "Aleppo", "country": "SY"},
        {"date": "2024-12-01", "actor2": "Russian forces", "location": "Idlib", "country": "SY",
         "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"},
        {"date": "2024-12-01", "actor1": "State media", "actor2": "Rebels", "location": "Aleppo", "country": "SY"},
    ]))
    dyad, alone, moved, unknown = (table.iloc[i] for i in range(4))
    assert (dyad["inter1"], dyad["inter2"], dyad["interaction"]) == (2, 1, 12)
    assert (alone["inter1"], alone["inter2"], alone["interaction"]) == (2, 0, 20) and pd.isna(alone["actor2"])
    # a lone actor is actor1 (ACLED's actors have no direction)
    assert moved["actor1"].startswith("Military Forces of Russia") and (moved["inter1"], moved["inter2"]) == (8, 0)
    assert moved["interaction"] == 80
    # an actor of a type ACLED has no code for in our lexicon: 0, and no joint code
    assert (unknown["inter1"], unknown["inter2"], unknown["interaction"]) == (0, 2, 0)
    for name in ("inter1", "inter2", "interaction"):
        assert table[name].dtype == "Int64" and table[name].notna().all()


def test_civilian_victims() -> None:
    table = to_acled(make_events([
        # gunmen killed civilians: no armed clash, so violence against civilians
        {"date": "2024-12-01", "actor1": "Rebels", "civilians": 5, "fatalities": 5, "location": "Hama",
         "country": "SY", "sub_event_type": "Armed clash"},
        # an air strike that killed civilians stays a strike, with civilian targeting
        {"date": "2024-12-01", "actor1": "Russian forces", "civilians": 4, "fatalities": 4, "location": "Idlib",
         "country": "SY", "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"},
        # two armed sides: a battle, whoever died
        {"date": "2024-12-01", "actor1": "Rebels", "actor2": "Syrian army", "civilians": 2, "fatalities": 9,
         "location": "Aleppo", "country": "SY"},
        # territory changing hands stays a battle
        {"date": "2024-12-01", "actor1": "Rebels", "civilians": 1, "location": "Saraqeb", "country": "SY",
         "sub_event_type": "Non-state actor overtakes territory"},
    ]))
    vac, strike, battle, taken = (table.iloc[i] for i in range(4))
    assert (vac["event_type"], vac["sub_event_type"]) == ("Violence against civilians", "Attack")
    assert vac["civilian_targeting"] == "Civilian targeting" and vac["disorder_type"] == "Political violence"
    assert vac["actor2"] == "Civilians (Syria)" and (vac["inter2"], vac["interaction"]) == (7, 27)
    assert strike["event_type"] == "Explosions/Remote violence" and strike["civilian_targeting"] == "Civilian targeting"
    assert (strike["inter2"], strike["interaction"]) == (7, 78)
    assert battle["event_type"] == "Battles" and pd.isna(battle["civilian_targeting"])
    assert taken["event_type"] == "Battles" and pd.isna(taken["civilian_targeting"])


@pytest.mark.parametrize(("url", "publisher", "expected"), [
    ("https://www.reuters.com/world/middle-east/syria-2024-12-02/", None, ("Reuters", "International")),
    ("https://english.alarabiya.net/News/2024/12/02/x", None, ("Al Arabiya", "Regional")),
    ("https://uk.reuters.com/article/x", None, ("Reuters", "International")),     # a subdomain of a known site
    ("https://www.defencetalks.com/story", None, ("defencetalks.com", None)),
    ("not a url", None, (None, None)),
    (None, "Syria Direct", ("Syria Direct", None)),
    ("https://apnews.com/article/x", "AP", ("AP", "International")),
])
def test_outlet(url: str | None, publisher: str | None, expected: tuple[str | None, str | None]) -> None:
    assert outlet(url, publisher) == expected


def test_source_is_the_outlets_with_their_scale() -> None:
    events = make_events([
        {"date": "2024-12-01", "cluster_id": "c0042", "doc_id": "a", "location": "Idlib", "country": "SY"},
        {"date": "2024-12-01", "cluster_id": "c0042", "doc_id": "b", "location": "Idlib", "country": "SY"},
        {"date": "2024-12-01", "cluster_id": "c0042", "doc_id": "c", "location": "Idlib", "country": "SY"},
        {"date": "2024-12-02", "doc_id": "d", "location": "Hama", "country": "SY"},
    ])
    documents = pd.DataFrame({
        "doc_id": ["a", "b", "c", "d"],
        "url": ["https://www.reuters.com/x", "https://sana.sy/en/?p=1", None, None],
        "title": [None, None, None, None],
    })
    table = to_acled(events, documents)
    assert table.loc[0, "source"] == "Reuters; SANA; c"            # an unknown outlet keeps its document id
    assert table.loc[0, "source_scale"] == "National-International"
    assert table.loc[1, "source"] == "d" and pd.isna(table.loc[1, "source_scale"])
    assert to_acled(events).loc[0, "source"] == "a; b; c"           # without documents: the document ids
