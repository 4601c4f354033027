"""The charts at scale: their artists depend on days x types (escalation) and on the labels kept
(timeline), never on the number of events; long windows are drawn per week or month; the
timeline says on the chart how many items it left unlabelled."""

from __future__ import annotations

import itertools
from typing import Any

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from timeline import plots
from timeline.table import EVENT_COLUMNS, typed_frame

TYPES = ["Battles", "Explosions/Remote violence", "Strategic developments", "diplomacy"]
PLACES = ["Aleppo", "Idlib", "Hama", "Homs", "Daraa"]
TRIGGERS = ["clashes", "strike", "advanced into", "met"]


def events(n: int, days: int, first: str = "2024-11-20", seed: int = 0) -> pd.DataFrame:
    """``n`` distinct events (one cluster each) spread over ``days`` days and the 4 TYPES; every
    (day, type) cell holds at least one event when n >= 4 * days; every 7th is a week-long date."""
    rng = np.random.default_rng(seed)
    day0 = pd.Timestamp(first)
    rows = []
    for i in range(n):
        cell = i % (days * len(TYPES))
        day = day0 + pd.Timedelta(days=cell // len(TYPES))
        week = i % 7 == 6
        start = day - pd.Timedelta(days=3) if week else day + pd.Timedelta(hours=int(rng.integers(0, 20)))
        end = start + pd.Timedelta(days=7) if week else start + pd.Timedelta(hours=2)
        rows.append(dict.fromkeys(EVENT_COLUMNS) | {
            "event_id": f"e{i}", "cluster_id": f"c{i}", "doc_id": f"d{i % 50}", "published": day + pd.Timedelta(days=1),
            "date": day, "start": start, "end": end, "precision": "week" if week else "hour",
            "event_type": TYPES[cell % len(TYPES)], "trigger": TRIGGERS[cell % len(TRIGGERS)],
            "location": PLACES[i % len(PLACES)], "cumulative": False, "n_sources": 1,
            "fatalities": int(rng.integers(1, 30)) if i % 5 == 0 else None,
        })
    return typed_frame(rows, EVENT_COLUMNS)


def _gid(fig: Figure, prefix: str) -> list[Any]:
    artists = itertools.chain(fig.texts, *(itertools.chain(ax.collections, ax.patches, ax.texts, ax.lines)
                                           for ax in fig.axes))
    return [a for a in artists if (a.get_gid() or "").startswith(prefix)]


def _artists(fig: Figure) -> int:
    return sum(len(ax.get_children()) for ax in fig.axes)


# ---- escalation ------------------------------------------------------------------------------


def test_escalation_artists_do_not_grow_with_events() -> None:
    """Same 20 days x 4 types, 80 or 2,000 events: the same artists, one bar collection per type."""
    small, large = events(80, 20), events(2000, 20)
    figs = [plots.plot_escalation(e, change_points=False) for e in (small, large)]
    counts = [_artists(f) for f in figs]
    assert counts[0] == counts[1]
    for e, fig in zip((small, large), figs):
        bars = _gid(fig, "count-bars:")
        assert len(bars) == len(TYPES)                               # one artist per type, not per day
        data = plots.escalation_data(e, "D")
        assert sum(len(b.get_paths()) for b in bars) == int((data[TYPES] > 0).to_numpy().sum())
        heights = [np.ptp(p.vertices[:, 1]) for b in bars for p in b.get_paths()]
        assert sum(heights) == data["events"].sum() == data.attrs["n_clusters"]


@pytest.mark.parametrize(("days", "freq", "most"), [(100, "D", 120), (400, "W", 60), (1500, "M", 50)])
def test_long_windows_are_drawn_per_week_or_month(days: int, freq: str, most: int) -> None:
    e = events(4 * days, days)
    assert plots.escalation_freq(e) == freq
    fig = plots.plot_escalation(e)
    n_bars = sum(len(b.get_paths()) for b in _gid(fig, "count-bars:"))
    assert 0 < n_bars <= most * len(TYPES)
    unit = {"D": "day", "W": "week", "M": "month"}[freq]
    assert f"per {unit}" in fig.texts[0].get_text()


def test_many_toll_series_share_one_collection() -> None:
    """Tallies counting from 25 different days: 3 series drawn one by one, the rest one collection."""
    base = events(120, 30)
    tallies = [dict.fromkeys(EVENT_COLUMNS) | {
        "event_id": f"t{k}", "cluster_id": f"t{k}", "doc_id": f"r{k}", "published": pd.Timestamp("2024-12-19"),
        "date": pd.Timestamp("2024-12-18"), "start": pd.Timestamp("2024-11-20") + pd.Timedelta(days=k),
        "end": pd.Timestamp("2024-12-19"), "precision": "day", "event_type": "casualty report",
        "trigger": "killed", "fatalities": 100 + k, "cumulative": True} for k in range(25)]
    e = pd.concat([base, typed_frame(tallies, EVENT_COLUMNS)], ignore_index=True)
    fig = plots.plot_escalation(e)
    assert len(_gid(fig, "reported-toll")) - len(_gid(fig, "reported-toll-rest")) == 3
    rest = _gid(fig, "reported-toll-rest")
    assert len(rest) == 1 and len(rest[0].get_segments()) == 25 - 3


def test_a_lone_tally_joins_the_earliest_series_of_its_kind() -> None:
    def tally(i: int, since: str, reported: str, source: str | None) -> dict[str, Any]:
        return dict.fromkeys(EVENT_COLUMNS) | {
            "event_id": f"t{i}", "doc_id": f"d{i}", "date": reported, "start": since,
            "end": pd.Timestamp(reported) + pd.Timedelta(days=1), "precision": "day", "event_type": "casualty report",
            "trigger": "killed", "fatalities": 10 * (i + 1), "cumulative": True, "figure_source": source}
    rows = [tally(0, "2024-11-27", "2024-11-30", "SOHR"), tally(1, "2024-11-29", "2024-12-01", "SOHR"),
            tally(2, "2024-12-02", "2024-12-02", "SOHR"),     # lone: joins the series since 27 Nov
            tally(3, "2024-11-26", "2024-11-26", "SOHR"),     # lone, before every series: stays alone
            tally(4, "2024-12-03", "2024-12-03", "Rescuers")]  # lone, no series of its source
    t = plots.reported_tallies(typed_frame(rows, EVENT_COLUMNS)).set_index("fatalities")["series"]
    assert t[30] == t[10] == "2024-11-27|casualty report|SOHR"
    assert t[20] == "2024-11-29|casualty report|SOHR"
    assert t[40] == "2024-11-26|casualty report|SOHR" and t[50] == "2024-12-03|casualty report|Rescuers"


# ---- timeline --------------------------------------------------------------------------------


def _note(fig: Figure) -> str:
    notes = _gid(fig, "unlabelled-note")
    assert len(notes) == 1
    return notes[0].get_text()


def test_small_timeline_draws_every_item_and_says_how_many_are_unlabelled() -> None:
    e = events(40, 10)
    fig = plots.plot_timeline(e, max_labels=10)
    dots = sum(len(c.get_offsets()) for c in _gid(fig, "event-points:"))
    bars = len(_gid(fig, "event-bar"))
    assert dots + bars == 40 and not _gid(fig, "event-cloud")     # every item drawn one by one
    labels = len(_gid(fig, "event-label"))
    assert 0 < labels <= 10
    assert _note(fig) == f"40 items, {labels} labelled, {40 - labels} not labelled"


@pytest.mark.parametrize("max_labels", [12, 40])
def test_large_timeline_caps_labels_and_draws_the_rest_as_collections(max_labels: int) -> None:
    e = events(6000, 120)
    fig = plots.plot_timeline(e, max_labels=max_labels)
    labels = _gid(fig, "event-label")
    assert 0 < len(labels) <= max_labels + max_labels // 4
    assert len({t.get_text() for t in labels}) == len(labels)      # no label said twice
    clouds = _gid(fig, "event-cloud:") + _gid(fig, "event-cloud-bars:")
    assert 0 < len(clouds) <= 2 * len(TYPES)                       # one dot and one line collection per lane
    shown = (sum(len(c.get_offsets()) for c in _gid(fig, "event-points:")) + len(_gid(fig, "event-bar")))
    in_clouds = (sum(len(c.get_offsets()) for c in _gid(fig, "event-cloud:"))
                 + sum(len(c.get_segments()) for c in _gid(fig, "event-cloud-bars:")))
    assert shown + in_clouds == 6000 and shown <= max_labels + max_labels // 4
    note = _note(fig)
    assert note.startswith(f"6,000 items, {len(labels)} labelled, {6000 - len(labels):,} not labelled")
    assert f"{in_clouds:,} drawn small" in note


def test_timeline_size_and_artists_do_not_grow_with_events() -> None:
    figs = [plots.plot_timeline(events(n, 60)) for n in (2000, 8000)]
    heights = [f.get_figheight() for f in figs]
    assert heights[0] == heights[1] < 30
    assert abs(_artists(figs[0]) - _artists(figs[1])) <= 10          # labels may differ a little, not grow
