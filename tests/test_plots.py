"""The charts: what they draw (artists, panels, labels), the data behind the escalation chart,
saving, and empty input. Headless (Agg); nothing is shown."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from timeline import plots
from timeline.pipeline import build
from timeline.table import EVENT_COLUMNS, EVENT_TYPES, typed_frame

DATA = Path(__file__).resolve().parents[1] / "data"


def make_events(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """An events table (EVENT_COLUMNS dtypes) from a few hand-written rows."""
    defaults = {"doc_id": "d1", "published": "2024-12-02", "precision": "day", "cumulative": False,
                "n_sources": 1, "trigger": "strike", "event_type": "Battles"}
    records = []
    for i, row in enumerate(rows):
        rec = dict.fromkeys(EVENT_COLUMNS)
        rec.update(defaults)
        rec.update({"event_id": f"e{i}", "cluster_id": f"c{i:04d}"})
        rec.update(row)
        rec.setdefault("start", rec["date"])
        if rec.get("end") is None and rec.get("start") is not None:
            rec["end"] = str(np.datetime64(rec["start"], "s") + np.timedelta64(1, "D"))
        records.append(rec)
    return typed_frame(records, EVENT_COLUMNS)


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return build([DATA / "000_43342442af48aa1c.txt", DATA / "escalation"]).events


@pytest.fixture(scope="module")
def timeline_fig(events: pd.DataFrame) -> Figure:
    return plots.plot_timeline(events)


def _axes(fig: Figure, label: str) -> list[Any]:
    return [a for a in fig.axes if a.get_label() == label]


def _by_gid(fig: Figure, prefix: str) -> list[Any]:
    found = []
    for ax in fig.axes:
        for artist in itertools.chain(ax.collections, ax.patches, ax.texts, ax.lines):
            gid = artist.get_gid() or ""
            if gid.startswith(prefix):
                found.append(artist)
    return found


def _bar_heights(collection: Any) -> np.ndarray:
    """Heights of the bars of one bar collection (one rectangle path per bar)."""
    return np.array([np.ptp(p.vertices[:, 1]) for p in collection.get_paths()])


SMALL = [
    # two reports of one strike on one day (same cluster): one dot
    {"date": "2024-12-01", "start": "2024-12-01", "end": "2024-12-02", "event_type": "Explosions/Remote violence",
     "cluster_id": "c0001", "doc_id": "a", "fatalities": 10, "location": "Idlib"},
    {"date": "2024-12-01", "start": "2024-12-01", "end": "2024-12-02", "event_type": "Explosions/Remote violence",
     "cluster_id": "c0001", "doc_id": "b", "fatalities": 25, "location": "Idlib"},
    # a capture dated to the day
    {"date": "2024-11-29", "start": "2024-11-29 20:00", "end": "2024-11-30 06:00", "precision": "part-of-day",
     "trigger": "advanced into", "location": "Aleppo"},
    # "in recent days": a week-long bar
    {"date": "2024-11-29", "start": "2024-11-26", "end": "2024-12-03", "precision": "week",
     "event_type": "Strategic developments", "trigger": "withdrew"},
    # a cumulative toll since 27 November: a hatched bar
    {"date": "2024-12-02", "start": "2024-11-27", "end": "2024-12-03", "event_type": "casualty report",
     "cumulative": True, "fatalities": 56, "trigger": "killed"},
]


def test_points_bars_tallies_and_legend() -> None:
    fig = plots.plot_timeline(make_events(SMALL))
    assert isinstance(fig, Figure)
    dots = sum(len(c.get_offsets()) for c in _by_gid(fig, "event-points:"))
    assert dots == 2                                   # the two reports of one strike are one dot
    assert len(_by_gid(fig, "event-bar")) == 1         # the week
    tallies = _by_gid(fig, "tally-bar")
    assert len(tallies) == 1 and tallies[0].get_hatch()
    legend = next(a.get_legend() for a in fig.axes if a.get_legend() is not None)
    names = [t.get_text() for t in legend.get_texts()]
    present = ["Battles", "Explosions/Remote violence", "Strategic developments", "Casualty report"]
    assert names[: len(present)] == present            # one entry per type present, in EVENT_TYPES order
    assert not any(n.lower() in {t.lower() for t in EVENT_TYPES} for n in names[len(present):])
    assert not _axes(fig, "context")                   # nothing years back: one panel
    labels = [t.get_text() for t in _by_gid(fig, "event-label")]
    assert "strike · Idlib (25 killed)" in labels      # the larger of the two figures
    assert "56 killed (toll)" in labels


def test_context_panel_when_background_years_back(timeline_fig: Figure) -> None:
    assert len(_axes(timeline_fig, "context")) == 1 and len(_axes(timeline_fig, "recent")) == 1
    assert _by_gid(timeline_fig, "break-mark")
    recent = _axes(timeline_fig, "recent")[0]
    lo, hi = recent.get_xlim()
    assert hi - lo < 40                                 # the recent days are not crushed by 1970..2024
    context = _axes(timeline_fig, "context")[0]
    assert context.get_xlim()[0] < matplotlib.dates.date2num(np.datetime64("1971-01-01"))
    assert timeline_fig.texts and any("19 news reports" in t.get_text() for t in timeline_fig.texts)


def test_no_context_panel_for_a_recent_window(events: pd.DataFrame) -> None:
    recent = events[(events["date"] >= np.datetime64("2024-11-27")) & (events["start"] >= np.datetime64("2024-11-20"))]
    fig = plots.plot_timeline(recent, max_labels=10)
    assert not _axes(fig, "context") and len(_axes(fig, "timeline")) == 1


def test_labels_do_not_overlap_and_respect_max_labels(timeline_fig: Figure, events: pd.DataFrame) -> None:
    labels = _by_gid(timeline_fig, "event-label")
    renderer = timeline_fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert len(boxes) >= 20
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    n_tallies = int(events["cumulative"].fillna(False).sum())
    fig = plots.plot_timeline(events, max_labels=5)
    assert len(_by_gid(fig, "event-label")) <= 5 + n_tallies


def test_vaguer_dates_are_fainter(timeline_fig: Figure) -> None:
    bars = _by_gid(timeline_fig, "event-bar")
    by_length = sorted((b.get_width(), b.get_alpha()) for b in bars)
    short, long = by_length[0], by_length[-1]
    assert long[0] > 3000 and short[0] < 10             # a decade-long bar and a bar of days
    assert long[1] < short[1]


def test_given_axes_and_no_pyplot_side_effects(events: pd.DataFrame) -> None:
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    plots.plot_timeline(events.head(40))
    plots.plot_escalation(events)
    assert plt.get_fignums() == before                  # figures are not registered with pyplot
    fig = Figure(figsize=(10, 6))
    ax = fig.add_subplot()
    assert plots.plot_timeline(events, ax=ax, max_labels=10) is fig
    assert _axes(fig, "context")                        # split off the given Axes


# ---- escalation ----------------------------------------------------------------------------


def test_escalation_panels(events: pd.DataFrame) -> None:
    fig = plots.plot_escalation(events, rolling=3)
    assert [a.get_label() for a in fig.axes] == ["events", "fatalities", "cumulative"]
    assert _by_gid(fig, "rolling-mean") and _by_gid(fig, "reported-toll")
    assert not _by_gid(plots.plot_escalation(events), "rolling-mean")
    data = plots.escalation_data(events)
    assert data["change_point"].any() and _by_gid(fig, "change-point")
    bars = _by_gid(fig, "count-bars:")
    assert len(bars) == len([t for t in data.attrs["types"] if data[t].sum()])  # one artist per type
    assert sum(_bar_heights(b).sum() for b in bars) == data["events"].sum()


def test_escalation_window_drops_background(events: pd.DataFrame) -> None:
    data = plots.escalation_data(events)
    assert data.index.min() >= pd.Timestamp("2024-11-20") and data.index.max() <= pd.Timestamp("2024-12-10")
    assert data.attrs["coarse"] > 0                     # years-back events are left out, and counted
    assert list(data.index) == list(pd.date_range(data.index.min(), data.index.max(), freq="D"))


def test_cumulative_tallies_never_make_a_daily_spike(events: pd.DataFrame) -> None:
    with_tallies = plots.escalation_data(events)
    without = plots.escalation_data(events[~events["cumulative"].fillna(False)])
    pd.testing.assert_series_equal(with_tallies["fatalities"], without["fatalities"])
    tallies = events[events["cumulative"].fillna(False) & (events["start"] >= np.datetime64("2024-11-01"))]
    assert with_tallies["reported_toll"].max() == tallies["fatalities"].max()  # shown as reported totals
    small = plots.escalation_data(make_events(SMALL))
    assert small["fatalities"].max() == 25 and small["fatalities"].sum() == 25
    assert small.loc["2024-12-02", "reported_toll"] == 56


def test_one_strike_reported_five_times_counts_once() -> None:
    rows = [{"date": "2024-12-01", "event_type": "Explosions/Remote violence", "cluster_id": "c0009",
             "doc_id": f"d{i}", "fatalities": f} for i, f in enumerate([3, 4, 5, 5, 5])]
    rows.append({"date": "2024-12-02", "trigger": "clash"})
    data = plots.escalation_data(make_events(rows))
    assert data.loc["2024-12-01", "events"] == 1 and data.loc["2024-12-01", "fatalities"] == 5
    assert data["events"].sum() == 2


def test_change_point_rule() -> None:
    counts = np.array([1, 1, 1, 1, 1, 1, 6, 7, 8, 8, 1])
    assert np.flatnonzero(plots._change_points(counts)).tolist() == [6]
    assert not plots._change_points(np.array([5, 5, 5, 5, 5, 5, 5])).any()


# ---- saving and empty input -----------------------------------------------------------------


def test_save_figure_png_and_svg(tmp_path: Path) -> None:
    fig = plots.plot_timeline(make_events(SMALL))
    paths = plots.save_figure(fig, tmp_path / "out" / "timeline.png", formats=("png", "svg"))
    assert [p.name for p in paths] == ["timeline.png", "timeline.svg"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert paths[1].stat().st_size > 1000 and b"<svg" in paths[1].read_bytes()[:2000]


@pytest.mark.parametrize("draw", [plots.plot_timeline, plots.plot_escalation])
def test_save_figure_png_is_savefigs_tight_png(tmp_path: Path, draw: Any) -> None:
    """The PNG drawn once (the tight box measured directly) has the pixels of savefig(bbox_inches="tight"),
    as RGB: the image is opaque."""
    import matplotlib.image as mpimg

    fig = draw(make_events(SMALL))
    [png] = plots.save_figure(fig, tmp_path / "fast", formats=("png",))
    fig.savefig(tmp_path / "ref.png", dpi=150, bbox_inches="tight", facecolor="white")
    fast, ref = mpimg.imread(png), mpimg.imread(tmp_path / "ref.png")
    assert fast.shape == (*ref.shape[:2], 3)
    assert (ref[..., 3] == 1).all() and np.array_equal(fast, ref[..., :3])


def test_png_writer_round_trip() -> None:
    import io

    from PIL import Image

    from timeline.plots.style import _png_bytes

    rng = np.random.default_rng(0)
    for height, width, opaque in ((1, 1, True), (300, 7, True), (257, 5, False)):
        rgba = rng.integers(0, 256, (height, width, 4), dtype=np.uint8)
        if opaque:
            rgba[..., 3] = 255
        image = Image.open(io.BytesIO(_png_bytes(rgba, 150)))
        assert image.mode == ("RGB" if opaque else "RGBA") and image.info["dpi"][0] == pytest.approx(150, abs=0.1)
        assert np.array_equal(np.asarray(image.convert("RGBA")), rgba)


def test_empty_events() -> None:
    empty = make_events([])
    for fig in (plots.plot_timeline(empty), plots.plot_escalation(empty)):
        assert isinstance(fig, Figure)
        assert any(t.get_text() == "no events" for ax in fig.axes for t in ax.texts)
    assert plots.escalation_data(empty).empty


def test_escalation_over_years_is_drawn_by_month_not_by_day() -> None:
    """The bars depend on the window's length: a decade of events is 120 monthly bars, not 3,650 daily ones."""
    from timeline.table import EVENT_COLUMNS, typed_frame

    days = pd.date_range("2014-01-01", "2023-12-31", freq="7D")
    rows = [{"event_id": f"e{i}", "doc_id": f"d{i}", "date": d, "start": d, "end": d + pd.Timedelta(days=1),
             "precision": "day", "event_type": "Battles", "cumulative": False, "published": d,
             "sentence": f"s{i}", "sentence_index": 0, "cluster_id": f"c{i}"} for i, d in enumerate(days)]
    events = typed_frame(rows, EVENT_COLUMNS)
    assert plots.escalation_freq(events) == "M"
    fig = plots.plot_escalation(events)
    bars = sum(len(b.get_paths()) for b in _by_gid(fig, "count-bars:"))
    assert 0 < bars <= 130
    assert "per month" in fig.texts[0].get_text() or any("month" in ax.get_ylabel() for ax in fig.axes)


def test_each_independent_source_is_its_own_toll_series() -> None:
    def tally(day: str, n: int, source: str | None) -> dict[str, Any]:
        return {"event_id": f"{source}{day}", "doc_id": f"d{day}{source}", "date": day, "start": "2024-11-27",
                "end": pd.Timestamp(day) + pd.Timedelta(days=1), "precision": "day", "event_type": "casualty report",
                "trigger": "killed", "fatalities": n, "cumulative": True, "figure_source": source}
    rows = [tally("2024-11-29", 277, "SOHR (war monitor)"), tally("2024-12-02", 514, "SOHR (war monitor)"),
            tally("2024-11-30", 40, "White Helmets"), tally("2024-12-02", 56, "White Helmets")]
    tallies = plots.reported_tallies(make_events(rows))
    series = {k: sorted(g["fatalities"]) for k, g in tallies.groupby("series")}
    assert sorted(series.values()) == [[40, 56], [277, 514]]
    assert all(k.endswith(("SOHR (war monitor)", "White Helmets")) for k in series)
