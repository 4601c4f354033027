"""The timeline chart: one lane per event type, dots for dates to the day, bars for vaguer ones."""

from __future__ import annotations

import math
import textwrap
from typing import Any, cast

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import Bbox, blended_transform_factory

from ..vocabulary import EVENT_TYPES
from .style import (
    _DAY,
    _DEATH_WORDS,
    _FONT,
    _LANE_PAD,
    _POINT_PRECISIONS,
    _PRECISION_RANK,
    _ROW_IN,
    _UNKNOWN_COLOR,
    TYPE_COLORS,
    _break_marks,
    _caption_sources,
    _empty,
    _fmt_day,
    _is_empty,
    _new_figure,
    _num,
    _renderer,
    _rgb,
    _truncate,
    dense_window,
)

__all__ = ["plot_timeline"]


#: Up to this many items, every item is drawn (and packed) one by one...
_DETAIL_ITEMS = 400
#: ... and so are they while the lanes need no more than this many rows (about 21 inches).
_DETAIL_ROWS = 90
#: Rows of a lane whose unlabelled items are drawn as a cloud.
_CLOUD_ROWS = 6


#: The event columns :func:`_timeline_items` reads, and those it still needs once sorted.
_ITEM_COLUMNS = frozenset({"event_id", "doc_id", "date", "start", "end", "precision", "event_type", "cumulative",
                           "cluster_id", "fatalities", "location", "actor1", "n_sources", "trigger", "time_text"})
_SORTED_COLUMNS = frozenset({"doc_id", "precision", "n_sources", "trigger", "location", "time_text", "_start", "_end",
                             "_x", "_point", "_tally", "_type", "_cluster", "_k1", "_k2", "_fat"})


def _timeline_items(events: pd.DataFrame) -> pd.DataFrame:
    """One drawable item per cluster and date: reports of the same event on the same day become
    one dot (its size counts the reports); the same vague interval reported twice, one bar."""
    # only the columns read here: a copy of a wide table of many rows is costly
    df = events.loc[events["start"].notna() | events["date"].notna(),
                    [c for c in events.columns if c in _ITEM_COLUMNS]].copy()
    start = _num(df["start"].where(df["start"].notna(), df["date"]))
    end = _num(df["end"])
    end = np.where(np.isnan(end), start + _DAY, end)
    end = np.where(end <= start, start + 1 / 24, end)
    length = end - start
    precision = df["precision"].astype("string").fillna("day").to_numpy()
    tally = df["cumulative"].fillna(False).astype(bool).to_numpy() if "cumulative" in df else np.zeros(len(df), bool)
    point = np.isin(precision, list(_POINT_PRECISIONS)) & (length <= 1.5) & ~tally
    x = np.where(point, (start + end) / 2, start)
    df["_start"], df["_end"], df["_x"], df["_point"], df["_tally"] = start, end, x, point, tally
    df["_prank"] = [_PRECISION_RANK.get(p, 99) for p in precision]
    df["_type"] = df["event_type"].astype("string").fillna("statement")
    cluster = df["cluster_id"].astype("string") if "cluster_id" in df else pd.Series(pd.NA, index=df.index)
    df["_cluster"] = cluster.fillna(df["event_id"].astype("string"))
    df["_k1"] = np.where(point, np.floor(x), np.round(start, 3))
    df["_k2"] = np.where(point, 0.0, np.round(end, 3))
    fat = pd.to_numeric(df["fatalities"], errors="coerce") if "fatalities" in df else pd.Series(np.nan, index=df.index)
    df["_fat"] = fat.astype("float64")
    df["_info"] = (df["_fat"].notna().astype(int) + df["location"].notna().astype(int)
                   + df.get("actor1", pd.Series(pd.NA, index=df.index)).notna().astype(int))
    if df.empty:
        return pd.DataFrame()
    # the most informative report first, then the most precise (a stable sort); only the columns
    # still needed are taken in that order
    order = np.lexsort((df["_prank"].to_numpy(), -df["_info"].to_numpy()))
    df = df[[c for c in df.columns if c in _SORTED_COLUMNS]].iloc[order]
    # One grouped pass: groups numbered in order of first appearance, the first row of each
    # (the most informative report, then the most precise) is its representative.
    group = df.groupby(["_cluster", "_point", "_k1", "_k2"], sort=False).ngroup().to_numpy()
    df["_g"] = group
    rep = df.loc[~df["_g"].duplicated()].sort_values("_g", kind="stable")
    by = df.groupby("_g", sort=True)
    n_sources = (pd.to_numeric(df["n_sources"], errors="coerce").astype("float64") if "n_sources" in df
                 else pd.Series(np.nan, index=df.index))
    n_sources = n_sources.groupby(df["_g"], sort=True).max().fillna(1).astype(int).to_numpy()
    mean_x = by["_x"].mean().to_numpy()
    is_point = rep["_point"].to_numpy(dtype=bool)

    def text(col: str) -> np.ndarray:
        if col not in rep:
            return np.full(len(rep), "", dtype=object)
        return rep[col].astype("string").str.strip().fillna("").to_numpy(dtype=object)

    return pd.DataFrame({
        "type": rep["_type"].to_numpy(dtype=object),
        "x": np.where(is_point, mean_x, rep["_x"].to_numpy(dtype=float)),
        "start": rep["_start"].to_numpy(dtype=float), "end": rep["_end"].to_numpy(dtype=float),
        "point": is_point, "tally": rep["_tally"].to_numpy(dtype=bool),
        "fatalities": by["_fat"].max().to_numpy(dtype=float),
        "n_reports": by["doc_id"].nunique().to_numpy(dtype=int),
        "n_sources": n_sources,
        "trigger": text("trigger"), "location": text("location"), "time_text": text("time_text"),
        "precision": rep["precision"].to_numpy(),
    })


def _label_text(item: pd.Series) -> str:
    fat = item["fatalities"]
    if item["tally"]:
        return f"{int(fat):,} killed (toll)" if not np.isnan(fat) else _truncate(item["trigger"], 20)
    text = item["trigger"]
    if not np.isnan(fat) and text.lower() in _DEATH_WORDS:
        text = f"{int(fat):,} killed" + (f" · {item['location']}" if item["location"] else "")
        return _truncate(text, 34)
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]
    if item["location"]:
        text += f" · {item['location']}"
    text = _truncate(text, 30)
    if not np.isnan(fat):
        text += f" ({int(fat):,} killed)"
    if not item["point"] and item["time_text"]:
        text = _truncate(f"\u2018{item['time_text']}\u2019", 24) + ": " + text
    return text


def _lane_label(event_type: str) -> str:
    text = event_type[0].upper() + event_type[1:]
    return "\n".join(textwrap.wrap(text.replace("/", "/ "), 16)).replace("/ ", "/")


def _bar_alpha(length_days: np.ndarray | float) -> np.ndarray:
    """Opacity falls with the length of the interval: a day 0.8, a week 0.66, a year 0.39, a decade 0.23."""
    return np.clip(0.8 - 0.16 * np.log10(np.maximum(length_days, 1.0)), 0.15, 0.8)


def _marker_area(n_reports: np.ndarray | int) -> np.ndarray:
    return np.minimum(34 + 22 * (np.asarray(n_reports) - 1), 130).astype(float)


class _XMap:
    """Data x (date numbers) to inches across the plotting width, over one or two panels."""

    def __init__(self, panels: list[tuple[float, float, float, float]]):
        # (data_lo, data_hi, inch_lo, inch_hi) per panel, left to right.
        self.panels = panels

    def __call__(self, x: float) -> float:
        for i, (lo, hi, a, b) in enumerate(self.panels):
            last = i == len(self.panels) - 1
            if x < hi or last:
                x = min(max(x, lo), hi)
                return a + (x - lo) / (hi - lo) * (b - a)
        raise AssertionError

    def interval(self, s: float, e: float) -> tuple[float, float]:
        return self(s), self(e)


def _pack(intervals: list[tuple[float, float]], gap: float) -> list[int]:
    """First-fit rows for intervals (in inches) so that nothing in a row overlaps."""
    order = sorted(range(len(intervals)), key=lambda i: (intervals[i][0], intervals[i][1]))
    row_end: list[float] = []
    rows = [0] * len(intervals)
    for i in order:
        s, e = intervals[i]
        for r, last in enumerate(row_end):
            if s >= last + gap:
                rows[i] = r
                row_end[r] = e
                break
        else:
            rows[i] = len(row_end)
            row_end.append(e)
    return rows


def plot_timeline(events: pd.DataFrame, ax: Axes | None = None, *, title: str | None = None,
                  caption: str | None = None, max_labels: int = 40) -> Figure:
    """Events on a time axis, one lane per event type, with the precision of each date visible.

    * A **dot** is an event dated to the day or finer (at the middle of its interval: noon
      for "Friday", 1 am for "Friday night"); its size counts the reports of it that day
      (reports in one ``cluster_id`` on one day are drawn once).
    * A **bar** spans ``start`` .. ``end`` of a vaguer date: "in recent days" is a short bar,
      "a decade ago" a long faint one (opacity falls with the length of the interval).
    * A **hatched bar** is a cumulative toll over the interval it covers.
    * Within a lane, items are packed into sub-rows so that dots and bars never overlap.
    * Labels (trigger · place, deaths) go to the ``max_labels`` most important items,
      by fatalities and then number of sources, where they fit without overlapping
      anything; the others stay unlabelled. Cumulative tolls are labelled with their figure.
    * A note above the chart says how many items are labelled and how many are not.
    * Past 400 items (or lanes taller than about 21 inches), only the labelled items are
      drawn one by one (with distinct labels, and at most ``max_labels // 4`` tolls); the
      others are small dots and thin bars spread over their lane, one scatter and one
      LineCollection per lane, so the chart keeps its height and its cost grows with the
      events only through vectorised steps.
    * When most events fall in a window much shorter than the whole span (>= 80% of the
      dates within a tenth of it, say 13 days of news against background since 1970),
      the older context gets its own panel on the left with year ticks, and the dense
      period the right panel with day ticks, joined by broken-axis marks.
    * Light grey ticks along the bottom mark the reports' publication (anchor) dates.

    Args:
        events: the events table (:data:`timeline.table.EVENT_COLUMNS`).
        ax: draw into this Axes (the context panel, if any, is split off its left side);
            by default a new figure sized to the data.
        title: figure title; default "Timeline of events".
        caption: text under the chart; default: sources, anchor dates and how to read it.
        max_labels: at most this many event labels (the figures of cumulative tolls come on top).

    Returns:
        The Figure (never shown; save it with :func:`save_figure`).
    """
    title = title if title is not None else "Timeline of events"
    if _is_empty(events):
        return _empty(ax, "no events", title)
    items = _timeline_items(events)
    if items.empty:
        return _empty(ax, "no dated events", title)

    # ---- time ranges: one panel, or context + recent -----------------------------------
    all_lo = float(np.nanmin(items["start"]))
    all_hi = float(np.nanmax(np.maximum(items["end"], items["x"])))
    dates = _num(events["date"].dropna())
    core = dense_window(events["date"].dropna())
    broken = False
    if core is not None:
        lo, hi = float(_num([core[0]])[0]), float(_num([core[1]])[0]) + _DAY
        width = max(hi - lo, 1.0)
        span = all_hi - all_lo
        broken = span > 60 and width < 0.1 * span and (lo - all_lo) > 3 * width
    if broken:
        # Intervals that start shortly before the dense days ("in recent days", "last week",
        # "since Wednesday") belong to the recent panel, not to the background.
        near = items.loc[(items["start"] < lo) & (items["start"] >= lo - max(7.0, width)), "start"]
        if len(near):
            lo = math.floor(float(near.min()))
        right_hi = float(np.nanmax(np.maximum(dates[dates >= lo], 0))) + _DAY
        point_hi = items.loc[items["x"] >= lo, "x"]
        right_hi = max(right_hi, float(point_hi.max()) + 0.25 if len(point_hi) else right_hi)
        pad = max(0.4, 0.02 * (right_hi - lo))
        r_lo, r_hi = lo - pad, right_hi + pad
        l_lo = all_lo - 0.03 * (r_lo - all_lo)
        ranges = [(l_lo, r_lo), (r_lo, r_hi)]
    else:
        pad = max(0.4, 0.02 * (all_hi - all_lo))
        ranges = [(all_lo - pad, all_hi + pad)]

    # ---- horizontal layout in inches ------------------------------------------------------
    fig_w, left_in, right_in = 16.0, 1.75, 2.7
    plot_w = fig_w - left_in - right_in
    gap_in = 0.15
    if broken:
        ctx_w = 0.24 * plot_w
        inch_panels = [(0.0, ctx_w), (ctx_w + gap_in, plot_w)]
    else:
        inch_panels = [(0.0, plot_w)]
    xmap = _XMap([(r[0], r[1], a, b) for r, (a, b) in zip(ranges, inch_panels)])

    # ---- which items get a label: tallies (a hatched bar needs its figure; at most max_labels
    # of them), then the max_labels most important: by deaths, then sources and reports; a label
    # that would only repeat a trigger word ("fighting": no place, no deaths) comes after those
    # that say more.
    ranked = items.assign(_f=items["fatalities"].fillna(-1),
                          _says=(items["location"] != "") | items["fatalities"].notna()).sort_values(
        ["tally", "_f", "_says", "n_sources", "n_reports"], ascending=False, kind="stable")
    in_context = (items["end"] <= ranges[1][0]) if broken else pd.Series(False, index=items.index)
    n_context = min(max(max_labels, 0) // 5, 8)
    r_tally = ranked["tally"].to_numpy(dtype=bool)
    r_context = in_context.loc[ranked.index].to_numpy(dtype=bool)
    texts: dict[Any, str] = {}
    label_key = ranked[["tally", "point", "trigger", "location", "fatalities"]].astype("string").fillna("")
    label_key["time_text"] = ranked["time_text"].where(~ranked["point"], "")
    same_label = label_key.duplicated().to_numpy()

    def choose(dense: bool) -> set[Any]:
        """The items to label. With every item drawn, the most important ones; when only the
        labelled are drawn one by one (dense), the most important with distinct labels, and
        fewer tallies (a long story reports the same toll hundreds of times)."""
        seen: set[str] = set()
        # Items that would get the same label text (same trigger, place, figure...) are
        # one candidate: the first, best-ranked, of them.
        order = ranked.index[~same_label] if dense else ranked.index
        tally, context = (r_tally[~same_label], r_context[~same_label]) if dense else (r_tally, r_context)

        def pick(order: pd.Index, quota: int) -> list[Any]:
            out: list[Any] = []
            for i in order:
                if len(out) >= quota:
                    break
                if i not in texts:
                    texts[i] = _label_text(items.loc[i])
                if dense and texts[i] in seen:
                    continue
                seen.add(texts[i])
                out.append(i)
            return out

        tallies = pick(order[tally], max(max_labels, 0) // 4 if dense else max(max_labels, 0))
        in_ctx = pick(order[context & ~tally], n_context)
        recent = pick(order[~context & ~tally], max(max_labels - len(in_ctx), 0))
        return set(tallies) | set(in_ctx) | set(recent)

    dense = len(items) > _DETAIL_ITEMS
    wanted = choose(dense)

    # ---- lanes and sub-rows: packed so that nothing overlaps, with room kept beside the
    # items to be labelled for their label. Up to a few hundred items (and a chart of
    # readable height), every item is packed; past that only the labelled ones are, and the
    # others are drawn small, spread over their lane, one collection per lane.
    present = [t for t in EVENT_TYPES if (items["type"] == t).any()]
    present += sorted(set(items["type"]) - set(present))

    def set_labels() -> None:
        items["label"] = ""
        for i in wanted:
            items.at[i, "label"] = texts[i]

    set_labels()

    def pack(detail: np.ndarray) -> tuple[np.ndarray, dict[str, int]]:
        rows_of = np.zeros(len(items), dtype=int)
        lane_rows: dict[str, int] = {}
        for t in present:
            pos = np.flatnonzero((items["type"] == t).to_numpy() & detail)
            intervals = []
            for i in items.index[pos]:
                it = items.loc[i]
                if it["point"]:
                    r = math.sqrt(_marker_area(it["n_reports"])) / 2 / 72
                    c = xmap(it["x"])
                    a, b = c - r, c + r
                else:
                    a, b = xmap.interval(it["start"], it["end"])
                    b = max(b, a + 3 / 72)
                if i in wanted:
                    w = (len(it["label"]) * 4.7 + 6) / 72
                    lo_in, hi_in = inch_panels[0] if in_context[i] else inch_panels[-1]
                    if b + w <= hi_in:
                        b += w
                    elif a - w >= lo_in:
                        a -= w
                intervals.append((a, b))
            rows = _pack(intervals, gap=2.5 / 72)
            rows_of[pos] = rows
            lane_rows[t] = max(rows) + 1 if rows else 0
        return rows_of, lane_rows

    detail = np.ones(len(items), dtype=bool)
    if not dense:
        rows_of, lane_rows = pack(detail)
        dense = sum(lane_rows.values()) + _LANE_PAD * len(present) > _DETAIL_ROWS
        if dense:
            wanted = choose(True)
            set_labels()
    if dense:
        detail = items.index.isin(list(wanted))
        rows_of, lane_rows = pack(detail)
        for t in present:
            if ((items["type"] == t).to_numpy() & ~detail).any():
                lane_rows[t] = max(lane_rows[t], _CLOUD_ROWS)
    items["row"] = rows_of
    items["detail"] = detail
    y0: dict[str, float] = {}
    y = _LANE_PAD / 2
    for t in present:
        y0[t] = y
        y += lane_rows[t] + _LANE_PAD
    total_rows = y - _LANE_PAD / 2
    lane_top = items["type"].map(y0).to_numpy(dtype=float)
    items["y"] = lane_top + rows_of + 0.5
    if dense:
        # The unlabelled: spread evenly at random (fixed seed) over the lane's height.
        height = items["type"].map(lane_rows).to_numpy(dtype=float)
        spread = 0.2 + np.random.default_rng(0).uniform(0.0, 1.0, len(items)) * (height - 0.4)
        items["y"] = np.where(detail, items["y"], lane_top + spread)

    # ---- figure --------------------------------------------------------------------------
    own_figure = ax is None
    top_in, bottom_in = 0.75, 1.35
    plot_h = max(total_rows * _ROW_IN, 2.2)
    if ax is None:
        fig = _new_figure(fig_w, plot_h + top_in + bottom_in)
        fig_h = plot_h + top_in + bottom_in
        rect = (left_in / fig_w, bottom_in / fig_h, plot_w / fig_w, plot_h / fig_h)
        if broken:
            ctx = fig.add_axes((rect[0], rect[1], inch_panels[0][1] / fig_w, rect[3]))
            main = fig.add_axes((rect[0] + inch_panels[1][0] / fig_w, rect[1],
                                 (inch_panels[1][1] - inch_panels[1][0]) / fig_w, rect[3]), sharey=ctx)
        else:
            ctx, main = None, fig.add_axes(rect)
    else:
        fig = cast(Figure, ax.figure)  # a SubFigure only when the caller's Axes lives in one
        main = ax
        ctx = None
        if broken:
            from mpl_toolkits.axes_grid1 import make_axes_locatable

            ctx = make_axes_locatable(ax).append_axes("left", size="32%", pad=0.12, sharey=ax)
    axes = [a for a in (ctx, main) if a is not None]
    if ctx is not None:
        ctx.set_label("context")
    main.set_label("recent" if broken else "timeline")

    # ---- lanes background ----------------------------------------------------------------
    for a in axes:
        for k, t in enumerate(present):
            if k % 2 == 0:
                a.axhspan(y0[t] - _LANE_PAD / 2, y0[t] + lane_rows[t] + _LANE_PAD / 2, color="0.965", zorder=0,
                          lw=0)
        a.set_ylim(total_rows, 0)
        a.grid(axis="x", color="0.88", lw=0.6, zorder=0)
        a.set_axisbelow(True)
        a.tick_params(labelsize=_FONT)
        for side in ("top", "right"):
            a.spines[side].set_visible(False)
    for a, (lo_, hi_) in zip(axes, ranges):
        a.set_xlim(lo_, hi_)

    # ---- draw items on every panel they reach ------------------------------------------
    marker_boxes: dict[int, list[tuple[Axes, float, float, float]]] = {}
    bar_patches: list[tuple[int, Axes, Any, bool]] = []
    shown = items[items["detail"]]
    cloud = items[~items["detail"]]
    for a, (lo_, hi_) in zip(axes, ranges):
        for t in present:
            _draw_cloud(a, cloud[cloud["type"] == t], lo_, hi_, t)
        for is_tally in (False, True):
            sel = shown[~shown["point"] & (shown["tally"] == is_tally)]
            sel = sel[(sel["end"] > lo_) & (sel["start"] < hi_)]
            if sel.empty:
                continue
            colors = [TYPE_COLORS.get(t, _UNKNOWN_COLOR) for t in sel["type"]]
            alphas = _bar_alpha(sel["end"] - sel["start"]) if not is_tally else np.full(len(sel), 0.35)
            bars = a.barh(sel["y"], sel["end"] - sel["start"], left=sel["start"], height=0.62,
                          color=colors, edgecolor=colors if is_tally else "none",
                          hatch="////" if is_tally else None, linewidth=0.8 if is_tally else 0, zorder=2)
            for i, patch, alpha, col in zip(sel.index, bars.patches, alphas, colors):
                bar_patches.append((i, a, patch, is_tally))
                patch.set_alpha(float(alpha))
                patch.set_gid("tally-bar" if is_tally else "event-bar")
                if is_tally:
                    patch.set_facecolor((*_rgb(col), 0.18))
                    patch.set_edgecolor((*_rgb(col), 0.9))
                    patch.set_alpha(None)
        for t in present:
            sel = shown[shown["point"] & (shown["type"] == t) & (shown["x"] >= lo_) & (shown["x"] < hi_)]
            if sel.empty:
                continue
            a.scatter(sel["x"], sel["y"], s=_marker_area(sel["n_reports"]), color=TYPE_COLORS.get(t, _UNKNOWN_COLOR),
                      edgecolors="white", linewidths=0.7, zorder=4, gid=f"event-points:{t}")
            for i, it in sel.iterrows():
                radius = math.sqrt(_marker_area(it["n_reports"])) / 2
                marker_boxes.setdefault(i, []).append((a, it["x"], it["y"], radius))

    # ---- axes: dates and lanes -------------------------------------------------------------
    lead = axes[0]
    lead.set_yticks([y0[t] + lane_rows[t] / 2 for t in present])
    lead.set_yticklabels([_lane_label(t) for t in present], fontsize=_FONT)
    lead.tick_params(axis="y", length=0)
    for t_label, _t in zip(lead.get_yticklabels(), present):
        t_label.set_color("0.15")
    if ctx is not None:
        main.tick_params(axis="y", left=False, labelleft=False)
        main.spines["left"].set_visible(False)
        ctx.spines["right"].set_visible(False)
        ctx.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=6))
        ctx.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ctx.set_xlabel("context (years)", fontsize=_FONT, color="0.3")
        main.set_xlabel(f"{_fmt_day(ranges[1][0] + pad)} – {_fmt_day(ranges[1][1] - pad)}"
                        + (" (days)" if ranges[1][1] - ranges[1][0] <= 45 else ""),
                        fontsize=_FONT, color="0.3")
        _break_marks(ctx, main)
    else:
        span = ranges[0][1] - ranges[0][0]
        main.set_xlabel(f"{_fmt_day(ranges[0][0] + pad)} – {_fmt_day(ranges[0][1] - pad)}" if span <= 45 else
                        ("date" if span < 400 else "year"), fontsize=_FONT, color="0.3")
    main_span = ranges[-1][1] - ranges[-1][0]
    if main_span <= 45:
        # Days: one tick a day up to two weeks, then every 2nd, 3rd... day; never hours.
        main.xaxis.set_major_locator(mdates.DayLocator(interval=max(1, math.ceil(main_span / 15))))
        main.xaxis.set_major_formatter(mdates.DateFormatter("%a\n%d %b" if main_span <= 10 else "%d %b"))
        main.xaxis.set_minor_locator(mdates.DayLocator())
        main.grid(axis="x", which="minor", color="0.93", lw=0.5)
    else:
        main_loc = mdates.AutoDateLocator(minticks=5, maxticks=14 if broken or own_figure else 9)
        main.xaxis.set_major_locator(main_loc)
        fmt = mdates.ConciseDateFormatter(main_loc, show_offset=not broken)
        fmt.formats = ["%Y", "%b", "%d %b", "%H:%M", "%H:%M", "%S.%f"]
        fmt.zero_formats = ["", "%Y", "%d %b", "%d %b", "%H:%M", "%H:%M"]
        fmt.offset_formats = ["", "%Y", "%Y", "%d %b %Y", "%d %b %Y", "%d %b %Y %H:%M"]
        main.xaxis.set_major_formatter(fmt)

    # ---- anchor dates: publication rug -------------------------------------------------------
    pub = _num(events["published"].dropna().unique()) if "published" in events else np.array([])
    for a, (lo_, hi_) in zip(axes, ranges):
        xs = pub[(pub >= lo_) & (pub <= hi_)]
        if len(xs):
            a.scatter(xs, np.full(len(xs), 0.0), transform=blended_transform_factory(a.transData, a.transAxes),
                      marker="^", s=28, color="0.55", clip_on=False, zorder=5, gid="published-rug")

    # ---- title, legend, caption -----------------------------------------------------------
    if own_figure:
        fig.text(left_in / fig_w, 1 - 0.28 / fig.get_figheight(), title, fontsize=14, fontweight="bold",
                 ha="left", va="top")
    else:
        main.set_title(title, fontsize=12, loc="left")
    handles: list[Artist] = [Patch(facecolor=TYPE_COLORS.get(t, _UNKNOWN_COLOR), label=t[0].upper() + t[1:])
                             for t in present]
    handles += [
        Line2D([], [], ls="", marker="o", color="0.4", markeredgecolor="white", markersize=7,
               label="dated to the day or finer\n(size: number of reports)"),
        Patch(facecolor="0.4", alpha=0.45, label="date range: bar length =\nuncertainty (fainter = vaguer)"),
        Patch(facecolor=(0.4, 0.4, 0.4, 0.18), edgecolor="0.3", hatch="////", label="cumulative toll over\nits period"),
        Line2D([], [], ls="", marker="^", color="0.55", markersize=6, label="report published\n(anchor date)"),
    ]
    if dense:
        handles.append(Line2D([], [], ls="-", lw=1.6, marker="o", color="0.4", alpha=0.5, markersize=3,
                              markeredgewidth=0,
                              label="unlabelled items: small dot or\nthin bar, spread over the lane"))
    legend = main.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
                         fontsize=8.5, title="Event type", title_fontsize=_FONT, borderaxespad=0.0,
                         labelspacing=0.7)
    legend.set_alignment("left")  # left-align the title
    legend.set_gid("type-legend")

    # ---- labels ----------------------------------------------------------------------------
    if not own_figure:
        # Axes placed by a locator (the context panel split off a given Axes) get their final
        # position at draw time: draw once so that label boxes are measured where they end up.
        fig.draw_without_rendering()
    # Obstacles for labels: every dot and every bar shorter than half its panel
    # (longer bars are faint background a label may cover).
    obstacles: list[tuple[Bbox, int]] = []
    for i, boxes in marker_boxes.items():
        for a, x, yy, r in boxes:
            cx, cy = a.transData.transform((x, yy))
            rp = r * fig.dpi / 72 + 1
            obstacles.append((Bbox.from_extents(cx - rp, cy - rp, cx + rp, cy + rp), i))
    renderer = _renderer(fig)
    for i, a, patch, _is_tally in bar_patches:
        ax_box = a.get_window_extent(renderer)
        box = Bbox.intersection(patch.get_window_extent(renderer), ax_box)
        if box is not None and box.width < 0.5 * ax_box.width:
            obstacles.append((box, i))
    candidates = []
    row_pt = _ROW_IN * 72
    for i in ranked.index:
        if i not in wanted:
            continue
        it = items.loc[i]
        if it["point"]:
            a = main if (ctx is None or it["x"] >= ranges[1][0]) else ctx
            r = math.sqrt(_marker_area(it["n_reports"])) / 2
            off = [(r + 3, 0, "left"), (-(r + 3), 0, "right"), (r + 2, row_pt / 2, "left"),
                   (r + 2, -row_pt / 2, "left"), (-(r + 2), row_pt / 2, "right"), (-(r + 2), -row_pt / 2, "right")]
            candidates.append({"ax": a, "x": it["x"], "y": it["y"], "text": it["label"], "offsets": off,
                               "owner": i})
        else:
            # A bar: after its end, else inside it at its visible start, else before it.
            end_ax = main if (ctx is None or it["end"] > ranges[1][0]) else ctx
            x_end = min(it["end"], ranges[-1][1]) if end_ax is main else it["end"]
            start_ax = ctx if (ctx is not None and it["start"] < ranges[1][0]) else main
            x_start = max(it["start"], ranges[0][0])
            offs = [(3, 0, "left")]
            # After the bar's end, before its start, half a row off its end; inside it (see-through
            # background, so the bar stays visible) as a last resort.
            cands = [{"ax": end_ax, "x": x_end, "y": it["y"], "offsets": offs},
                     {"ax": start_ax, "x": x_start, "y": it["y"], "offsets": [(-3, 0, "right")]},
                     {"ax": end_ax, "x": x_end, "y": it["y"], "offsets": [(3, row_pt / 2, "left"),
                                                                          (3, -row_pt / 2, "left")]},
                     {"ax": start_ax, "x": x_start, "y": it["y"], "offsets": [(2, 0, "left")], "inside": True}]
            for c in cands:
                c["text"] = it["label"]
                c["owner"] = i
            candidates.append({"group": cands, "free": bool(it["tally"])})
    placed = _place_grouped(fig, candidates, obstacles, max_labels)

    # ---- how many items carry no label: said on the chart itself -------------------------------
    n_items, n_labelled = len(items), len(placed)
    note = (f"{n_items:,} items, {n_labelled:,} labelled, {n_items - n_labelled:,} not labelled"
            + (f" ({int((~items['detail']).sum()):,} drawn small, spread over their lane)" if dense else ""))
    if own_figure:
        fig.text((left_in + plot_w) / fig_w, 1 - 0.3 / fig.get_figheight(), note, fontsize=_FONT, color="0.3",
                 ha="right", va="top", gid="unlabelled-note")
    else:
        main.text(1.0, 1.005, note, transform=main.transAxes, fontsize=8, color="0.3", ha="right", va="bottom",
                  gid="unlabelled-note")

    if own_figure:
        if caption is None:
            caption = (
                f"{_caption_sources(events)} Dots: events dated to the day or finer; size = number of reports "
                f"of the same event that day. Bars: the period an imprecise date allows \u2014 bar length = "
                f"uncertainty, fainter = vaguer. Hatched: cumulative tolls over the period they cover. "
                f"{len(events)} event mentions drawn as {n_items} items; labels on the most important "
                f"(most deaths, then most sources) where they fit without overlapping."
                + (f" Left panel: background before {_fmt_day(ranges[1][0] + pad)}, on a compressed scale "
                   f"(broken axis)." if broken else "")
            )
        fig.text(left_in / fig_w, 0.12 / fig.get_figheight(), textwrap.fill(caption, 205), fontsize=8.5,
                 color="0.25", ha="left", va="bottom", gid="caption")
    elif caption:
        fig.text(0.01, 0.005, textwrap.fill(caption, 160), fontsize=8.5, color="0.25", ha="left", va="bottom",
                 gid="caption")
    return fig


def _draw_cloud(ax: Axes, sel: pd.DataFrame, lo: float, hi: float, event_type: str) -> None:
    """The unlabelled items of one lane in one panel: one scatter of small dots and one
    LineCollection of thin bars (fainter = vaguer), whatever their number."""
    color = TYPE_COLORS.get(event_type, _UNKNOWN_COLOR)
    # Fainter as the lane fills, so that its density still shows: 0.45 up to 400 items, 0.1 at 8,000.
    fade = float(np.clip(np.sqrt(400 / max(len(sel), 1)), 0.22, 1.0))
    pts = sel[sel["point"].to_numpy(dtype=bool) & (sel["x"] >= lo).to_numpy() & (sel["x"] < hi).to_numpy()]
    if len(pts):
        ax.scatter(pts["x"].to_numpy(), pts["y"].to_numpy(), s=7 if fade > 0.5 else 5, color=color, alpha=0.45 * fade,
                   linewidths=0,
                   zorder=1.5, rasterized=True, gid=f"event-cloud:{event_type}")
    bars = sel[~sel["point"].to_numpy(dtype=bool) & (sel["end"] > lo).to_numpy() & (sel["start"] < hi).to_numpy()]
    if len(bars):
        x0, x1, yy = (bars[c].to_numpy(dtype=float) for c in ("start", "end", "y"))
        segs = np.stack([np.column_stack((x0, yy)), np.column_stack((x1, yy))], axis=1)
        rgba = np.tile((*_rgb(color), 1.0), (len(bars), 1))
        rgba[:, 3] = 0.6 * fade * _bar_alpha(x1 - x0)
        # matplotlib's stubs want a Sequence of segments; an (N, 2, 2) array is documented and faster
        bar_lines = LineCollection(segs, colors=rgba, linewidths=1.6, zorder=1.4,  # type: ignore[arg-type]
                                   rasterized=True, capstyle="butt", gid=f"event-cloud-bars:{event_type}")
        ax.add_collection(bar_lines, autolim=False)


def _place_grouped(fig: Figure, candidates: list[dict[str, Any]], obstacles: list[tuple[Bbox, int]],
                   max_labels: int) -> list[Any]:
    """Greedy label placement.

    Each candidate, most important first, takes the first of its positions (a group of
    anchors, each with offsets) that lies inside its axes and overlaps no label placed so far
    and no obstacle of another item (dots, bars); a label that fits nowhere is left out.
    Returns the Text artists placed.
    """
    renderer = _renderer(fig)
    placed: list[Bbox] = []
    texts: list[Any] = []
    counted = 0
    for cand in candidates:
        if counted >= max_labels and not cand.get("free"):
            continue
        options = cand.get("group", [cand])
        done = False
        for opt in options:
            ax: Axes = opt["ax"]
            ax_box = ax.get_window_extent(renderer)
            for dx, dy, ha in opt["offsets"]:
                t = ax.annotate(opt["text"], (opt["x"], opt["y"]), xytext=(dx, dy), textcoords="offset points",
                                ha=ha, va="center", fontsize=8, color="0.1", zorder=6, gid="event-label",
                                annotation_clip=False,
                                bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none",
                                      "alpha": 0.3 if opt.get("inside") else 0.8})
                box = t.get_window_extent(renderer).expanded(1.03, 1.12)
                inside = (box.x0 >= ax_box.x0 - 1 and box.x1 <= ax_box.x1 + 1
                          and box.y0 >= ax_box.y0 and box.y1 <= ax_box.y1)
                owner = opt.get("owner")
                if inside and not any(box.overlaps(o) for o in placed) and not any(
                        box.overlaps(o) for o, who in obstacles if who != owner):
                    placed.append(box)
                    texts.append(t)
                    counted += 0 if cand.get("free") else 1
                    done = True
                    break
                t.remove()
            if done:
                break
    return texts
