"""Exports: TimelineJS 3 JSON (structure, partial dates, one slide per cluster) and the
ACLED-style table (ACLED's columns in order, one row per ACLED-type event cluster)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from timeline import exports
from timeline.exports import ACLED_COLUMNS, ACLED_EVENT_TYPES, display_date, to_acled, to_timelinejs
from timeline.pipeline import build
from timeline.table import EVENT_COLUMNS, EVENT_TYPES, typed_frame

DATA = Path(__file__).resolve().parents[1] / "data"
DATE_KEYS = {"year", "month", "day", "hour", "minute", "second", "millisecond", "display_date"}
#: Slide groups: the event types in sentence case, and the background years.
GROUP_LABELS = {t[0].upper() + t[1:] for t in EVENT_TYPES} | {"Background"}


def make_events(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """An events table (EVENT_COLUMNS dtypes) from a few hand-written rows."""
    defaults = {"doc_id": "d1", "published": "2024-12-02", "precision": "day", "cumulative": False,
                "n_sources": 1, "trigger": "strike", "event_type": "Battles", "time_precision": 1}
    records = []
    for i, row in enumerate(rows):
        rec = dict.fromkeys(EVENT_COLUMNS)
        rec.update(defaults)
        rec.update({"event_id": f"e{i}", "cluster_id": f"c{i + 1:04d}", "sentence": f"Sentence {i}."})
        rec.update(row)
        rec.setdefault("start", rec["date"])
        records.append(rec)
    return typed_frame(records, EVENT_COLUMNS)


ROWS = [
    {"date": "2016-01-01", "start": "2016-01-01", "end": "2017-01-01", "precision": "year", "trigger": "siege",
     "location": "Aleppo", "country": "SY", "time_precision": 3},
    {"date": "2024-12-01", "start": "2024-12-01", "end": "2024-12-11", "precision": "month",
     "event_type": "Strategic developments", "trigger": "withdrew", "time_precision": 3},
    {"date": "2024-11-29", "start": "2024-11-29 20:00", "end": "2024-11-30 06:00", "precision": "part-of-day",
     "trigger": "advanced into", "location": "Aleppo", "country": "SY", "latitude": 36.2, "longitude": 37.16,
     "actor1": "Rebels", "actor2": "Syrian army"},
    # one air strike in two reports (one cluster): one slide, one ACLED row, the larger figure
    {"date": "2024-12-01", "start": "2024-12-01", "end": "2024-12-02", "event_type": "Explosions/Remote violence",
     "sub_event_type": "Air/drone strike", "cluster_id": "c0099", "doc_id": "a", "fatalities": 10,
     "location": "Idlib", "country": "SY"},
    {"date": "2024-12-01", "start": "2024-12-01", "end": "2024-12-02", "event_type": "Explosions/Remote violence",
     "sub_event_type": "Air/drone strike", "cluster_id": "c0099", "doc_id": "b", "fatalities": 25,
     "location": "Idlib", "country": "SY"},
    {"date": "2024-12-02", "start": "2011-01-01", "end": "2024-12-03", "precision": "year",
     "event_type": "casualty report", "cumulative": True, "fatalities": 100000, "trigger": "killed"},
    {"date": "2024-12-02", "start": "2024-11-26", "end": "2024-12-03", "precision": "week", "event_type": "statement",
     "trigger": "warned", "time_precision": 2},
]


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return build([DATA / "000_43342442af48aa1c.txt", DATA / "escalation"]).events


# ---- TimelineJS ----------------------------------------------------------------------------


def _check_date(obj: dict[str, Any]) -> None:
    assert set(obj) <= DATE_KEYS and isinstance(obj["year"], int)
    for key in ("month", "day", "hour"):
        if key in obj:
            assert isinstance(obj[key], int)
    order = ["year", "month", "day", "hour", "minute"]
    present = [k for k in order if k in obj]
    assert present == order[: len(present)]          # no day without a month, no hour without a day


def test_timelinejs_structure_round_trips(events: pd.DataFrame) -> None:
    tj = to_timelinejs(events, title="Syria")
    assert json.loads(json.dumps(tj)) == tj
    assert tj["title"]["text"]["headline"] == "Syria" and tj["title"]["text"]["text"]
    dated = events[events["start"].notna() | events["date"].notna()]
    assert len(tj["events"]) == dated["cluster_id"].nunique()       # one slide per cluster
    starts = []
    for slide in tj["events"]:
        assert {"start_date", "text", "group"} <= set(slide)
        _check_date(slide["start_date"])
        if "end_date" in slide:
            _check_date(slide["end_date"])
        assert slide["group"] in GROUP_LABELS
        assert slide["display_date"]                                  # every slide, one style
        assert slide["text"]["headline"] and slide["text"]["text"].startswith("<p>")
        starts.append(tuple(slide["start_date"].get(k, 0) for k in ("year", "month", "day", "hour")))
    assert starts == sorted(starts)


def test_timelinejs_dates_only_as_precise_as_known() -> None:
    slides = {s["unique_id"]: s for s in to_timelinejs(make_events(ROWS))["events"]}
    assert slides["c0001"]["start_date"] == {"year": 2016} and "end_date" not in slides["c0001"]
    assert slides["c0001"]["display_date"] == "2016"
    assert slides["c0002"]["start_date"] == {"year": 2024, "month": 12}          # month precision
    assert "end_date" not in slides["c0002"]                                 # within that month
    assert slides["c0002"]["display_date"] == "early December 2024"
    night = slides["c0003"]
    assert night["start_date"] == {"year": 2024, "month": 11, "day": 29, "hour": 20}
    assert night["end_date"] == {"year": 2024, "month": 11, "day": 30, "hour": 5}
    strike = slides["c0099"]
    assert strike["start_date"] == {"year": 2024, "month": 12, "day": 1} and strike["display_date"] == "1 Dec 2024"
    assert "25 killed" in strike["text"]["headline"] and "10, 25" in strike["text"]["text"]
    assert "a, b" in strike["text"]["text"]                          # both sources named
    toll = slides["c0006"]
    assert toll["start_date"] == {"year": 2011} and toll["end_date"] == {"year": 2024, "month": 12, "day": 2}
    assert toll["display_date"] == "2011 to 2 Dec 2024" and "cumulative" in toll["text"]["headline"]
    assert slides["c0007"]["display_date"] == "in the week to 2 Dec 2024"


def test_timelinejs_max_events_keeps_the_deadliest() -> None:
    tj = to_timelinejs(make_events(ROWS), max_events=2)
    assert [s["unique_id"] for s in tj["events"]] == ["c0006", "c0099"]   # still in date order


def test_write_timelinejs(tmp_path: Path, events: pd.DataFrame) -> None:
    path = exports.write_timelinejs(events, tmp_path / "out" / "timelinejs.json", title="T", max_events=10)
    loaded = json.loads(path.read_text(encoding="utf-8"))
    assert len(loaded["events"]) == 10


@pytest.mark.parametrize(("start", "end", "precision", "expected"), [
    ("2024-11-01", "2024-12-01", "month", "November 2024"),
    ("2024-12-21", "2025-01-01", "month", "late December 2024"),
    ("2016-01-01", "2024-11-30", "year", "2016 to 29 Nov 2024"),
    ("2024-11-25", "2024-12-02", "week", "25 Nov – 1 Dec 2024"),
    ("2024-11-27 12:00", "2024-11-27 18:00", "part-of-day", "27 Nov 2024, afternoon"),
    ("2024-11-29", "2024-11-30", "day", None),
])
def test_display_date(start: str, end: str, precision: str, expected: str | None) -> None:
    assert display_date(start, end, precision) == expected


# ---- ACLED ---------------------------------------------------------------------------------


def test_acled_columns_and_one_row_per_cluster(events: pd.DataFrame) -> None:
    table = to_acled(events)
    assert tuple(table.columns) == ACLED_COLUMNS
    assert ACLED_COLUMNS[:5] == ("event_id_cnty", "event_date", "year", "time_precision", "disorder_type")
    assert ACLED_COLUMNS[-3:] == ("fatalities", "tags", "timestamp")
    kept = events[events["event_type"].astype("string").isin(ACLED_EVENT_TYPES).fillna(False)
                  & ~events["cumulative"].fillna(False)
                  & ~events["precision"].astype("string").isin(["season", "quarter", "half", "year", "decade",
                                                                 "century"]).fillna(False)]
    assert len(table) == kept["cluster_id"].nunique() > 0
    assert set(table["event_type"]) <= set(ACLED_EVENT_TYPES)
    assert table["event_id_cnty"].is_unique
    assert table["event_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert (table["year"] == table["event_date"].str[:4].astype(int)).all()
    assert table["fatalities"].notna().all() and (table["fatalities"] >= 0).all()
    assert set(table["disorder_type"]) <= {"Political violence", "Demonstrations", "Strategic developments",
                                           "Political violence; Demonstrations"}
    assert set(table["time_precision"].dropna()) <= {1, 2, 3}
    syria = table[table["country"] == "Syria"]
    assert len(syria) and (syria["iso"] == 760).all() and (syria["region"] == "Middle East").all()


def test_acled_rows_from_hand_made_events() -> None:
    table = to_acled(make_events(ROWS))
    # the 2016 siege (year only), the cumulative toll and the statement are not ACLED events
    assert len(table) == 3
    strike = table[table["event_type"] == "Explosions/Remote violence"].iloc[0]
    assert strike["fatalities"] == 25 and strike["source"] == "a; b"
    assert strike["event_date"] == "2024-12-01" and strike["event_id_cnty"] == "SYR99"
    assert strike["disorder_type"] == "Political violence"
    assert "10, 25" in strike["notes"]
    clash = table[table["event_type"] == "Battles"].iloc[0]
    assert clash["actor2"].startswith("Military Forces of Syria") and clash["inter2"] == 1
    assert clash["inter1"] == 2 and clash["interaction"] == 12
    assert clash["geo_precision"] == 1 and clash["latitude"] == pytest.approx(36.2)
    moved = table[table["event_type"] == "Strategic developments"].iloc[0]
    assert moved["fatalities"] == 0 and moved["disorder_type"] == "Strategic developments"
    assert moved["inter1"] == 0 and moved["interaction"] == 0              # no actor: 0, never empty
    # no place of its own: the country of the report's other events, said in the notes
    assert moved["country"] == "Syria" and moved["event_id_cnty"].startswith("SYR") and moved["geo_precision"] == 3
    assert "country from the other events" in moved["notes"]


def test_write_acled_round_trip(tmp_path: Path, events: pd.DataFrame) -> None:
    path = exports.write_acled(events, tmp_path / "acled.csv")
    back = pd.read_csv(path)
    assert tuple(back.columns) == ACLED_COLUMNS and len(back) == len(to_acled(events))


def test_empty_exports() -> None:
    empty = make_events([])
    tj = to_timelinejs(empty)
    assert tj["events"] == [] and json.loads(json.dumps(tj)) == tj
    table = to_acled(empty)
    assert table.empty and tuple(table.columns) == ACLED_COLUMNS
    assert re.match(r"^event_id_cnty,", to_acled(empty).to_csv(index=False))


def test_the_columns_of_rows_share_equal_values_and_equal_tolist(events: pd.DataFrame) -> None:
    """Rows reads a column once: equal dates, numbers and categories are one object, and the
    values are those of ``tolist()``."""
    from timeline.exports._common import _values

    for name in events.columns:
        expected, shared = events[name].tolist(), _values(events[name])
        assert len(shared) == len(expected)
        assert all(a is b or (type(a) is type(b) and (a == b or (a != a and b != b))) for a, b in zip(shared, expected))
    dates = _values(events["date"])
    assert len({id(d) for d in dates}) == events["date"].nunique(dropna=False) < len(dates)
