"""Charts of the event table: a timeline that shows how precise each date is, and escalation panels.

Every function takes the events DataFrame (:data:`timeline.table.EVENT_COLUMNS`) and an
optional Axes, and returns the :class:`~matplotlib.figure.Figure`. Nothing here calls
``plt.show()``, touches pyplot's figure registry or changes ``rcParams``: figures are made
with :class:`matplotlib.figure.Figure` and an Agg canvas, so the module works headless
(``MPLBACKEND=Agg``), in notebooks (``display(fig)``) and in the CLI alike.

* :func:`plot_timeline`: one lane per event type; a dot for an event dated to the day or
  finer, a bar from ``start`` to ``end`` for a vaguer one (bar length = uncertainty, fainter
  = vaguer), hatched bars for cumulative tolls. Background years back ("since 2011", "a
  decade ago") go to a separate context panel on the left, so they do not crush the days of
  the story.
* :func:`plot_escalation` and :func:`escalation_data`: events and deaths per day, with each
  cluster of reports counted once, and reported cumulative tolls kept apart from daily deaths.
* :func:`save_figure`: PNG and/or SVG at 150 dpi.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import Bbox, blended_transform_factory

from .vocabulary import EVENT_TYPES, TYPE_COLORS

__all__ = [
    "TYPE_COLORS",
    "dense_window",
    "escalation_data",
    "plot_escalation",
    "plot_timeline",
    "reported_tallies",
    "save_figure",
]

# TYPE_COLORS (fixed colour per event type: Okabe-Ito, greys for the talk-only types) is
# defined in timeline.vocabulary with the types themselves, and re-exported here.
_UNKNOWN_COLOR = "#CCCCCC"

_POINT_PRECISIONS = frozenset({"minute", "hour", "part-of-day", "day"})
#: Precisions kept by the escalation chart (a week or finer).
_FINE_PRECISIONS = ("minute", "hour", "part-of-day", "day", "week")
_PRECISION_RANK = {p: i for i, p in enumerate(
    ("minute", "hour", "part-of-day", "day", "week", "month", "season", "quarter", "half", "year", "decade",
     "century"))}

_DEATH_WORDS = frozenset({"killed", "dead", "deaths", "death toll", "died", "toll", "killing", "fatalities"})
_FONT = 9            # base font size (>= 8 everywhere)
_ROW_IN = 0.23       # height of one sub-row of a lane, inches
_LANE_PAD = 0.45     # blank rows between lanes
_DAY = 1.0           # matplotlib date units are days


# --------------------------------------------------------------------------------------------
# Helpers shared by both charts
# --------------------------------------------------------------------------------------------

def _new_figure(width: float, height: float) -> Figure:
    """A figure outside pyplot's registry, with an Agg canvas (text extents need a renderer)."""
    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _renderer(fig: Figure) -> Any:
    get = getattr(fig.canvas, "get_renderer", None)
    if get is not None:
        return get()
    return fig._get_renderer()  # noqa: SLF001 - non-Agg canvases (e.g. a PDF-only backend)


def _num(values: Any) -> np.ndarray:
    """Datetimes (numpy/pandas, any unit, NaT allowed) as matplotlib date numbers (float days)."""
    arr = np.asarray(values, dtype="datetime64[s]")
    out = np.full(arr.shape, np.nan)
    ok = ~np.isnat(arr)
    if ok.any():
        out[ok] = mdates.date2num(arr[ok])
    return out


def _from_num(x: float) -> np.datetime64:
    return np.datetime64(mdates.num2date(x).replace(tzinfo=None), "s")


def _fmt_day(x: float | np.datetime64, year: bool = True) -> str:
    ts = mdates.num2date(x) if not isinstance(x, np.datetime64) else pd.Timestamp(x)
    return f"{ts.day} {ts:%b}" + (f" {ts.year}" if year else "")


def _empty(ax: Axes | None, message: str, title: str | None) -> Figure:
    if ax is None:
        fig = _new_figure(8, 2.5)
        ax = fig.add_subplot()
    fig = ax.figure
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color="0.35", transform=ax.transAxes)
    if title:
        ax.set_title(title, fontsize=12, loc="left")
    return fig


def _is_empty(events: pd.DataFrame | None) -> bool:
    return events is None or len(events) == 0 or "date" not in events or events["date"].isna().all()


def _truncate(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip(" ,;:·-") + "…"


def _clean(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def dense_window(dates: Any, share: float = 0.8) -> tuple[np.datetime64, np.datetime64] | None:
    """The main period of a story: the shortest window holding ``share`` of the dates, grown
    outwards over neighbouring dates that lie close (within a quarter of its width, at least
    3 days).

    Returns ``(first, last)`` dates (inclusive), or None when there are no dates.

    Examples:
        >>> import numpy as np
        >>> d = np.array(["1970-01-01", "2011-01-01", "2024-11-27", "2024-11-28", "2024-11-30",
        ...               "2024-12-01", "2024-12-02", "2024-12-04", "2024-12-05", "2024-12-08"],
        ...              dtype="datetime64[s]")
        >>> [str(x)[:10] for x in dense_window(d)]
        ['2024-11-27', '2024-12-08']
    """
    x = np.sort(_num(dates))
    x = x[~np.isnan(x)]
    if len(x) == 0:
        return None
    k = max(1, math.ceil(share * len(x)))
    widths = x[k - 1:] - x[: len(x) - k + 1]
    i = int(np.argmin(widths))
    lo_i, hi_i = i, i + k - 1
    tol = max(3.0, 0.25 * (x[hi_i] - x[lo_i]))
    while lo_i > 0 and x[lo_i] - x[lo_i - 1] <= tol:
        lo_i -= 1
    while hi_i < len(x) - 1 and x[hi_i + 1] - x[hi_i] <= tol:
        hi_i += 1
    return _from_num(x[lo_i]), _from_num(x[hi_i])


def _caption_sources(events: pd.DataFrame) -> str:
    n_docs = events["doc_id"].nunique() if "doc_id" in events else 0
    pub = events["published"].dropna() if "published" in events else pd.Series([], dtype="datetime64[s]")
    if len(pub):
        first, last = pub.min(), pub.max()
        when = (f"published {_fmt_day(np.datetime64(first, 's'))}" if first == last else
                f"published {_fmt_day(np.datetime64(first, 's'), year=first.year != last.year)} – "
                f"{_fmt_day(np.datetime64(last, 's'))}")
    else:
        when = "with no publication date"
    return (f"Source: {n_docs} news report{'s' if n_docs != 1 else ''} {when}; relative dates "
            f"(\u201cFriday night\u201d, \u201ca decade ago\u201d) are resolved against each report's "
            f"publication date (its anchor date).")


def _break_marks(left: Axes, right: Axes, size: float = 0.012) -> None:
    """The classic diagonal marks of a broken axis, on the facing edges of two axes."""
    for ax, xs in ((left, (1.0,)), (right, (0.0,))):
        # Marks drawn in axes coordinates, corrected for the axes' aspect so both sides match.
        w, h = ax.get_position().width, ax.get_position().height
        dx = size * 0.6 / max(w, 1e-6) * 0.25
        dy = size * 1.2 / max(h, 1e-6) * 0.25
        for x in xs:
            for y in (0.0, 1.0):
                ax.plot([x - dx, x + dx], [y - dy, y + dy], transform=ax.transAxes, color="0.2",
                        lw=1.0, clip_on=False, zorder=10, gid="break-mark")


# --------------------------------------------------------------------------------------------
# plot_timeline
# --------------------------------------------------------------------------------------------

def _timeline_items(events: pd.DataFrame) -> pd.DataFrame:
    """One drawable item per cluster and date: reports of the same event on the same day become
    one dot (its size counts the reports); the same vague interval reported twice, one bar."""
    df = events.loc[events["start"].notna() | events["date"].notna()].copy()
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
    df["_key"] = [
        (c, "p", math.floor(xx)) if p else (c, "b", round(s, 3), round(e, 3))
        for c, p, xx, s, e in zip(df["_cluster"], point, x, start, end)
    ]
    fat = pd.to_numeric(df["fatalities"], errors="coerce") if "fatalities" in df else pd.Series(np.nan, index=df.index)
    df["_fat"] = fat.astype("float64")
    df["_info"] = (df["_fat"].notna().astype(int) + df["location"].notna().astype(int)
                   + df.get("actor1", pd.Series(pd.NA, index=df.index)).notna().astype(int))
    df = df.sort_values(["_info", "_prank"], ascending=[False, True], kind="stable")
    items = []
    for key, group in df.groupby("_key", sort=False):
        rep = group.iloc[0]
        items.append({
            "type": rep["_type"],
            "x": float(group["_x"].mean()) if rep["_point"] else float(rep["_x"]),
            "start": float(rep["_start"]), "end": float(rep["_end"]),
            "point": bool(rep["_point"]), "tally": bool(rep["_tally"]),
            "fatalities": float(group["_fat"].max()) if group["_fat"].notna().any() else np.nan,
            "n_reports": int(group["doc_id"].nunique()),
            "n_sources": int(pd.to_numeric(group.get("n_sources"), errors="coerce").max())
            if "n_sources" in group and group["n_sources"].notna().any() else 1,
            "trigger": _clean(rep.get("trigger")) or "", "location": _clean(rep.get("location")) or "",
            "time_text": _clean(rep.get("time_text")) or "", "precision": rep["precision"],
        })
    return pd.DataFrame(items)


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

    # ---- which items get a label: tallies (a hatched bar needs its figure), then the
    # max_labels most important: by deaths, then sources and reports; a label that would only
    # repeat a trigger word ("fighting": no place, no deaths) comes after those that say more.
    items["label"] = [_label_text(it) for _, it in items.iterrows()]
    ranked = items.assign(_f=items["fatalities"].fillna(-1),
                          _says=(items["location"] != "") | items["fatalities"].notna()).sort_values(
        ["tally", "_f", "_says", "n_sources", "n_reports"], ascending=False, kind="stable")
    in_context = (items["end"] <= ranges[1][0]) if broken else pd.Series(False, index=items.index)
    n_context = min(max(max_labels, 0) // 5, 8)
    wanted = (set(ranked.index[ranked["tally"]])
              | set(ranked.index[in_context.loc[ranked.index] & ~ranked["tally"]][:n_context]))
    recent = ranked.index[~in_context.loc[ranked.index] & ~ranked["tally"]]
    wanted |= set(recent[:max(max_labels - len(wanted - set(ranked.index[ranked["tally"]])), 0)])

    # ---- lanes and sub-rows: packed so that nothing overlaps, with room kept beside the
    # items to be labelled for their label.
    present = [t for t in EVENT_TYPES if (items["type"] == t).any()]
    present += sorted(set(items["type"]) - set(present))
    items["row"] = 0
    lane_rows: dict[str, int] = {}
    for t in present:
        idx = items.index[items["type"] == t]
        intervals = []
        for i in idx:
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
        items.loc[idx, "row"] = rows
        lane_rows[t] = max(rows) + 1
    y0: dict[str, float] = {}
    y = _LANE_PAD / 2
    for t in present:
        y0[t] = y
        y += lane_rows[t] + _LANE_PAD
    total_rows = y - _LANE_PAD / 2
    items["y"] = [y0[t] + r + 0.5 for t, r in zip(items["type"], items["row"])]

    # ---- figure --------------------------------------------------------------------------
    own_figure = ax is None
    top_in, bottom_in = 0.75, 1.35
    plot_h = max(total_rows * _ROW_IN, 2.2)
    if own_figure:
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
        fig = ax.figure
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
    for a, (lo_, hi_) in zip(axes, ranges):
        for is_tally in (False, True):
            sel = items[~items["point"] & (items["tally"] == is_tally)]
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
            sel = items[items["point"] & (items["type"] == t) & (items["x"] >= lo_) & (items["x"] < hi_)]
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
    for t_label, t in zip(lead.get_yticklabels(), present):
        t_label.set_color("0.15")
    if ctx is not None:
        main.tick_params(axis="y", left=False, labelleft=False)
        main.spines["left"].set_visible(False)
        ctx.spines["right"].set_visible(False)
        ctx.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=6))
        ctx.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ctx.set_xlabel("context (years)", fontsize=_FONT, color="0.3")
        main.set_xlabel(f"{_fmt_day(ranges[1][0] + pad)} – {_fmt_day(ranges[1][1] - pad)} (days)",
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
    handles = [Patch(facecolor=TYPE_COLORS.get(t, _UNKNOWN_COLOR), label=t[0].upper() + t[1:]) for t in present]
    handles += [
        Line2D([], [], ls="", marker="o", color="0.4", markeredgecolor="white", markersize=7,
               label="dated to the day or finer\n(size: number of reports)"),
        Patch(facecolor="0.4", alpha=0.45, label="date range: bar length =\nuncertainty (fainter = vaguer)"),
        Patch(facecolor=(0.4, 0.4, 0.4, 0.18), edgecolor="0.3", hatch="////", label="cumulative toll over\nits period"),
        Line2D([], [], ls="", marker="^", color="0.55", markersize=6, label="report published\n(anchor date)"),
    ]
    legend = main.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
                         fontsize=8.5, title="Event type", title_fontsize=_FONT, borderaxespad=0.0,
                         labelspacing=0.7)
    legend._legend_box.align = "left"  # noqa: SLF001 - left-align the title
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
    for i, a, patch, is_tally in bar_patches:
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
    _place_grouped(fig, candidates, obstacles, max_labels)

    if own_figure:
        if caption is None:
            n_items = len(items)
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
        options = cand["group"] if "group" in cand else [cand]
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


def _rgb(color: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(color)


# --------------------------------------------------------------------------------------------
# plot_escalation
# --------------------------------------------------------------------------------------------

def reported_tallies(events: pd.DataFrame) -> pd.DataFrame:
    """The cumulative tolls of independent sources, one row per report: when it was reported
    and what it counts (a party's claim, ``claimant`` set, is left out).

    ``reported`` is the last day of the tally's interval (``end`` minus one second: the
    report day for "since November 27"); ``since`` its first day. Tallies with the same
    ``since`` day and event type form one ``series`` (the monitor's "killed since 27
    November", reported day after day), whatever their clusters; a tally whose interval is
    only its report day (its "since" was not found) joins the longest-running series of its
    type.
    """
    cols = ["series", "cluster_id", "since", "reported", "fatalities", "doc_id", "trigger", "event_type",
            "precision", "source"]
    if _is_empty(events) or "cumulative" not in events:
        return pd.DataFrame(columns=cols)
    t = events[events["cumulative"].fillna(False).astype(bool) & events["fatalities"].notna()]
    t = t[t["start"].notna() & t["end"].notna()]
    if "claimant" in t:
        t = t[t["claimant"].isna()]  # a party's claim is not the monitor's series, nor summed with it
    since = t["start"].dt.floor("D")
    etype = t["event_type"].astype("string").fillna("casualty report")
    source = (t["figure_source"].astype("string").fillna("") if "figure_source" in t
              else pd.Series("", index=t.index, dtype="string"))
    out = pd.DataFrame({
        "series": [_series_key(d, k, src) for d, k, src in zip(since, etype, source)],
        "cluster_id": t["cluster_id"].astype("string").fillna(t["event_id"].astype("string")).to_numpy(),
        "since": since.to_numpy(),
        "reported": (t["end"] - pd.Timedelta(seconds=1)).dt.floor("D").to_numpy(),
        "fatalities": t["fatalities"].astype("int64").to_numpy(),
        "doc_id": t["doc_id"].to_numpy(),
        "trigger": t["trigger"].to_numpy(),
        "event_type": etype.to_numpy(),
        "precision": t["precision"].astype("string").to_numpy(),
        "source": source.to_numpy(),
    }, columns=cols)
    return _join_lone_tallies(out)


def _series_key(since: Any, event_type: Any, source: Any) -> str:
    """One series per start day, kind of toll and source: the monitor's count and the rescuers'
    are two series, never one line."""
    return f"{since:%Y-%m-%d}|{event_type}|{source or ''}"


def _join_lone_tallies(out: pd.DataFrame) -> pd.DataFrame:
    """A "running total" whose interval is only its report day lost its "since" upstream: it
    joins the longest-running series of its type that started before it."""
    out = out.copy()
    lone = out["since"] >= out["reported"]
    for i in out.index[lone]:
        same = out[~lone & (out["event_type"] == out.at[i, "event_type"]) & (out["since"] < out.at[i, "reported"])
                   & (out["source"].fillna("") == (out.at[i, "source"] or ""))]
        if len(same):
            out.at[i, "series"] = same.sort_values(["since", "reported"]).iloc[0]["series"]
    return out.sort_values(["series", "reported", "fatalities"], kind="stable").reset_index(drop=True)


def _escalation_frame(events: pd.DataFrame, window: tuple[Any, Any] | None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The events the escalation chart counts, and what was left out (for the caption)."""
    info: dict[str, Any] = {"n_in": len(events), "coarse": 0, "outside": 0, "tallies": 0, "window": None}
    window_given = window
    df = events[events["date"].notna()].copy()
    info["undated"] = len(events) - len(df)
    tally = df["cumulative"].fillna(False).astype(bool) if "cumulative" in df else pd.Series(False, index=df.index)
    info["tallies"] = int(tally.sum())
    df = df[~tally]
    fine = df["precision"].astype("string").isin(_FINE_PRECISIONS).fillna(False)
    info["coarse"] = int((~fine).sum())
    df = df[fine]
    if window is None:
        window = dense_window(df["date"]) if len(df) else None
    if window is not None:
        lo = np.datetime64(pd.Timestamp(window[0]).floor("D"), "s")
        hi = np.datetime64(pd.Timestamp(window[1]).floor("D"), "s") + np.timedelta64(1, "D")
        inside = (df["date"].to_numpy() >= lo) & (df["date"].to_numpy() < hi)
        info["outside"] = int((~inside).sum())
        df = df[inside]
        last = pd.Timestamp(hi) - pd.Timedelta(days=1)
        if window_given is None and len(df) and df["published"].notna().any():
            # Reports published a few days after the last event they date still belong to
            # the story (e.g. the last tally of the toll); extend the window to them.
            latest = pd.Timestamp(df["published"].max()).floor("D")
            if last < latest <= last + pd.Timedelta(days=7):
                last = latest
        info["window"] = (pd.Timestamp(lo), last)
    return df, info


def _window_tallies(events: pd.DataFrame, window: tuple[pd.Timestamp, pd.Timestamp] | None) -> pd.DataFrame:
    """Cumulative tallies of the story: reported inside the window and counting from no earlier
    than a month before it (a background "100,000 killed since 2011" is not the story's toll)."""
    tallies = reported_tallies(events)
    if window is not None and len(tallies):
        rep = pd.to_datetime(tallies["reported"])
        since = pd.to_datetime(tallies["since"])
        keep = (rep >= window[0]) & (rep <= window[1]) & (since >= window[0] - pd.Timedelta(days=31))
        tallies = tallies[keep].assign(series=[_series_key(d, k, src) for d, k, src in
                                                zip(pd.to_datetime(tallies.loc[keep, "since"]),
                                                    tallies.loc[keep, "event_type"], tallies.loc[keep, "source"])])
        tallies = _join_lone_tallies(tallies)
    return tallies.reset_index(drop=True)


def escalation_data(events: pd.DataFrame, freq: str = "D", *, window: tuple[Any, Any] | None = None) -> pd.DataFrame:
    """The per-period table that :func:`plot_escalation` draws.

    Rows: one per period (``freq``: "D" days, "W" weeks, ...) of the main window, with no gaps.
    Columns:

    * one count column per event type present, then ``events`` (their sum): events counted
      **once per cluster**, so five reports of one strike on one day are one strike. A
      cluster counts in one period: that of its most precise report (a vague copy of the
      story dated to its publication week does not count the incident again);
    * ``fatalities``: deaths in single incidents (never cumulative tallies, never a party's
      claim), the largest figure given for a cluster (reports are "at least N" updates), in
      that period;
    * ``fatalities_total``: running sum of ``fatalities``;
    * ``reported_toll``: the largest cumulative toll reported in that period (NaN when none);
      shown as reported totals, never as one period's deaths;
    * ``rolling``: 3-period rolling mean of ``events`` (the change-point baseline);
    * ``change_point``: see :func:`plot_escalation`.

    Kept: events dated to a week or finer whose ``date`` (best single day) falls in the main
    window (:func:`dense_window`, or ``window=(first, last)``). ``frame.attrs`` says how many
    were left out and why.

    Examples:
        >>> import pandas as pd
        >>> from timeline.table import events_frame
        >>> escalation_data(events_frame([])).empty
        True
    """
    cols_tail = ["events", "fatalities", "fatalities_total", "reported_toll", "rolling", "change_point"]
    if _is_empty(events):
        empty = pd.DataFrame(columns=cols_tail)
        empty.index = pd.DatetimeIndex([], name="period")
        return empty
    df, info = _escalation_frame(events, window)
    tallies = _window_tallies(events, info["window"])
    if df.empty and tallies.empty:
        empty = pd.DataFrame(columns=cols_tail)
        empty.index = pd.DatetimeIndex([], name="period")
        empty.attrs.update(info)
        return empty
    day = pd.to_datetime(df["date"]).dt.floor("D")
    df = df.assign(_day=day,
                   _type=df["event_type"].astype("string").fillna("statement"),
                   _cluster=df["cluster_id"].astype("string").fillna(df["event_id"].astype("string")),
                   _fat=pd.to_numeric(df["fatalities"], errors="coerce").astype("float64")
                   .where(df["claimant"].isna() if "claimant" in df else True))  # claims are not counts
    lo = info["window"][0] if info["window"] else (df["_day"].min() if len(df) else tallies["reported"].min())
    hi = info["window"][1] if info["window"] else (df["_day"].max() if len(df) else tallies["reported"].max())
    index = pd.period_range(pd.Timestamp(lo), pd.Timestamp(hi), freq=freq)
    df["_period"] = df["_day"].dt.to_period(freq)
    # One period per cluster: its most precise report's (then the first in the table).
    rank = df["precision"].astype("object").map(_PRECISION_RANK).fillna(99).to_numpy()
    lead = df.assign(_rank=rank).sort_values("_rank", kind="stable").drop_duplicates("_cluster")
    df["_period"] = df["_cluster"].map(lead.set_index("_cluster")["_period"])
    dedup = df.groupby(["_cluster", "_period"], sort=False).agg(
        _type=("_type", "first"), _fat=("_fat", "max")).reset_index()
    types = [t for t in EVENT_TYPES if (dedup["_type"] == t).any()]
    types += sorted(set(dedup["_type"]) - set(types))
    counts = (dedup.groupby(["_period", "_type"]).size().unstack(fill_value=0)
              .reindex(index=index, columns=types, fill_value=0)) if len(dedup) else \
        pd.DataFrame(0, index=index, columns=types)
    counts = counts.astype("int64")
    out = counts.copy()
    out["events"] = counts.sum(axis=1).astype("int64")
    fat = dedup.groupby("_period")["_fat"].sum(min_count=1) if len(dedup) else pd.Series(dtype="float64")
    out["fatalities"] = fat.reindex(index).fillna(0).astype("int64")
    out["fatalities_total"] = out["fatalities"].cumsum()
    if len(tallies):
        rep = tallies.assign(_period=pd.to_datetime(tallies["reported"]).dt.to_period(freq))
        out["reported_toll"] = rep.groupby("_period")["fatalities"].max().reindex(index).astype("float64")
    else:
        out["reported_toll"] = np.nan
    out["rolling"] = out["events"].rolling(3, min_periods=1).mean()
    out["change_point"] = _change_points(out["events"].to_numpy())
    out.index = index.to_timestamp()
    out.index.name = "period"
    out.columns.name = None
    out.attrs.update(info)
    out.attrs["types"] = types
    out.attrs["n_clusters"] = int(len(dedup))
    out.attrs["n_mentions"] = int(len(df))
    return out


def _change_points(counts: np.ndarray, k: int = 3, factor: float = 2.0, min_rise: int = 3) -> np.ndarray:
    """Onsets of surges: period t where the sum of the last ``k`` periods (t-k+1..t) is at least
    ``factor`` times the sum of the ``k`` periods before them and larger by at least ``min_rise``
    events. Only periods with a full baseline inside the data are tested, and only the first
    period of a run of flagged ones is kept.

    Examples:
        >>> _change_points(np.array([1, 1, 1, 1, 1, 1, 6, 7, 8, 8])).nonzero()[0].tolist()
        [6]
    """
    n = len(counts)
    flags = np.zeros(n, dtype=bool)
    c = np.asarray(counts, dtype=float)
    for t in range(2 * k - 1, n):
        cur = c[t - k + 1 : t + 1].sum()
        prev = c[t - 2 * k + 1 : t - k + 1].sum()
        flags[t] = cur >= factor * prev and cur - prev >= min_rise
    onset = flags & ~np.concatenate([[False], flags[:-1]])
    return onset


#: How many surges get a text label (the largest); the others are shaded only.
_SURGE_LABELS = 1
#: The longest window (in days, weeks) drawn per day, per week; longer ones go up one period.
_AUTO_PERIODS = (("D", 120), ("W", 156), ("M", None))


def escalation_freq(events: pd.DataFrame) -> str:
    """The period of the escalation chart: days for a window up to 120 days, weeks up to
    three years, months beyond, so the bars drawn depend on the window, not on the events.

    Examples:
        >>> from timeline.table import events_frame
        >>> escalation_freq(events_frame([]))
        'D'
    """
    if _is_empty(events):
        return "D"
    for freq, most in _AUTO_PERIODS:
        data = escalation_data(events, freq)
        if most is None or len(data) <= most:
            return freq
    return "M"


def plot_escalation(events: pd.DataFrame, freq: str = "auto", *, rolling: int | None = None,
                    change_points: bool = True, ax: Axes | Sequence[Axes] | None = None,
                    title: str | None = None) -> Figure:
    """How much happened each day, of what kind, and how many died: stacked panels sharing x.

    (a) events per period stacked by type (one per cluster and period, see
    :func:`escalation_data`); (b) deaths per period in single incidents; (c) running totals:
    the sum of those incident deaths, and the **reported cumulative tolls** ("at least 910
    killed since 27 November") as a separate line per series (the tallies counting from the
    same day, of the same type: see :func:`reported_tallies`), each point at the day the toll
    was reported. Only the story's tallies are drawn: reported inside the window, counting
    from at most a month before it (not "100,000 killed since 2011").

    Cumulative tallies are drawn as what they are, reported totals, and not spread over
    their interval: spreading a toll's increments evenly over its days would invent a daily
    distribution the reports do not give, while the reported points are exactly what the
    sources say. They never enter the daily deaths of panel (b), so they cannot make
    one-day spikes.

    The chart keeps the dense recent window (:func:`dense_window`) and events dated to a
    week or finer; the caption says how many were left out.

    Change points (``change_points=True``): a period t is marked when the events of the
    3 periods ending at t are at least twice those of the 3 periods before and at least 3
    more; only the first period of such a run is marked (a dashed line labelled "surge").

    Args:
        events: the events table.
        freq: pandas period alias: "D", "W", "M", "2D"...; "auto" (default) picks days, weeks
            or months by the window's length (:func:`escalation_freq`).
        rolling: draw an n-period rolling mean of the event counts over panel (a).
        change_points: mark surges as above.
        ax: one Axes (panel a only) or a sequence of 2 or 3 Axes for the panels; by default a
            new figure.
        title: figure title; default "Escalation: events and deaths per day".

    Returns:
        The Figure.
    """
    if freq == "auto":
        freq = escalation_freq(events)
    unit = {"D": "day", "W": "week", "M": "month", "ME": "month"}.get(freq.upper(), "period")
    title = title if title is not None else f"Escalation: events and deaths per {unit}"
    data = escalation_data(events, freq) if not _is_empty(events) else None
    if data is None or data.empty:
        single = ax[0] if isinstance(ax, (list, tuple, np.ndarray)) else ax
        message = "no events" if data is None else "no events dated to a week or finer"
        return _empty(single, message, title)
    tallies = _window_tallies(events, data.attrs.get("window"))
    has_deaths = bool(data["fatalities"].sum() > 0 or len(tallies))
    n_panels = 3 if has_deaths else 2

    own_figure = ax is None
    if own_figure:
        fig = _new_figure(12.5, 9.2 if n_panels == 3 else 6.8)
        heights = [3, 2, 2.2][:n_panels]
        gs = fig.add_gridspec(n_panels, 1, height_ratios=heights, hspace=0.12,
                              left=0.075, right=0.76, top=0.9, bottom=0.16 if n_panels == 3 else 0.2)
        panels = [fig.add_subplot(gs[0])]
        for k in range(1, n_panels):
            panels.append(fig.add_subplot(gs[k], sharex=panels[0]))
    else:
        panels = list(ax) if isinstance(ax, (list, tuple, np.ndarray)) else [ax]
        fig = panels[0].figure
        n_panels = min(n_panels, len(panels))
        panels = panels[:n_panels]

    x = mdates.date2num(data.index.to_numpy(dtype="datetime64[s]"))
    period_days = float(np.median(np.diff(x))) if len(x) > 1 else 1.0
    width = 0.8 * period_days
    offset = 0.5 * period_days  # bars centred on the middle of the period
    xc = x + offset
    types = data.attrs.get("types", [])

    # (a) events per period, stacked by type
    a = panels[0]
    a.set_label("events")
    bottom = np.zeros(len(data))
    for t in types:
        vals = data[t].to_numpy(dtype=float)
        if vals.sum() == 0:
            continue
        a.bar(xc, vals, width=width, bottom=bottom, color=TYPE_COLORS.get(t, _UNKNOWN_COLOR),
              label=t[0].upper() + t[1:],
              edgecolor="white", linewidth=0.5, zorder=2, gid=f"count-bars:{t}")
        bottom += vals
    if rolling:
        roll = data["events"].rolling(int(rolling), min_periods=1).mean()
        a.plot(xc, roll.to_numpy(), color="0.15", lw=1.8, zorder=3, label=f"{rolling}-{unit} rolling mean",
               gid="rolling-mean")
    a.set_ylabel(f"events per {unit}\n(one per cluster)", fontsize=_FONT)
    a.set_ylim(0, max(1.0, bottom.max()) * 1.22)
    a.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8.5, title="Event type",
             title_fontsize=_FONT, borderaxespad=0.0)

    # (b) deaths per period in single incidents
    if n_panels >= 2:
        b = panels[1]
        b.set_label("fatalities")
        deaths = data["fatalities"].to_numpy(dtype=float)
        b.bar(xc, deaths, width=width, color="#882255", zorder=2, gid="fatality-bars",
              label=f"deaths in single incidents\n(largest figure per cluster\nand {unit}; cumulative tolls\nexcluded)")
        for xi, v in zip(xc, deaths):
            if v > 0:
                b.annotate(f"{int(v):,}", (xi, v), xytext=(0, 2), textcoords="offset points", ha="center",
                           va="bottom", fontsize=8, color="0.2")
        b.set_ylabel(f"deaths per {unit}", fontsize=_FONT)
        b.set_ylim(0, max(1.0, deaths.max()) * 1.25)
        if deaths.sum() == 0:
            b.text(0.5, 0.5, "no single-incident death figures in this window", transform=b.transAxes,
                   ha="center", va="center", fontsize=_FONT, color="0.4")
        b.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8.5, borderaxespad=0.0)

    # (c) running totals: incidents vs reported cumulative tolls
    if n_panels >= 3:
        c = panels[2]
        c.set_label("cumulative")
        total = data["fatalities_total"].to_numpy(dtype=float)
        c.step(np.append(x, x[-1] + period_days), np.append(total, total[-1]), where="post", color="#882255",
               lw=1.8, ls="--", label="running sum of single-incident deaths", gid="incident-total")
        palette = ["#332288", "#117733", "#44AA99", "#88CCEE", "#999933", "#AA4499"]
        series = tallies.groupby("series", sort=False)
        order = sorted(series.groups, key=lambda k: -series.get_group(k)["fatalities"].max())
        ymax = max(total.max() if len(total) else 0, tallies["fatalities"].max() if len(tallies) else 0)
        for k, cid in enumerate(order):
            group = series.get_group(cid)
            s = group.groupby("reported", as_index=False)["fatalities"].max().sort_values("reported")
            since = group["series"].iloc[0].split("|")[0]
            xs = mdates.date2num(pd.to_datetime(s["reported"]).to_numpy(dtype="datetime64[s]")) + 0.5
            col = palette[k % len(palette)]
            trig = _truncate(str(group["trigger"].iloc[-1]), 16)
            kind = str(group["event_type"].iloc[0])
            kind = "" if kind == "casualty report" else f" ({kind.lower()})"
            who = str(group["source"].iloc[0] or "") if "source" in group else ""
            who = f", {_truncate(who, 28)}" if who else ""
            label = (f"reported toll \u2018{trig}\u2019{kind}{who}\nsince {_fmt_day(np.datetime64(since, 's'), year=False)}"
                     f" ({len(group)} report{'s' if len(group) != 1 else ''})")
            c.plot(xs, s["fatalities"], marker="o", ms=5, lw=1.8, color=col, label=label, zorder=3,
                   gid="reported-toll")
            if k < 3:
                for xi, v in zip(xs, s["fatalities"]):
                    c.annotate(f"{int(v):,}", (xi, v), xytext=(0, 5), textcoords="offset points", ha="center",
                               fontsize=8, color=col)
        c.set_ylabel("people killed\n(running totals)", fontsize=_FONT)
        c.set_ylim(0, max(1.0, ymax) * 1.2)
        c.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8.5, borderaxespad=0.0)

    # change points
    if change_points:
        counts = data["events"].to_numpy()
        onsets = np.flatnonzero(data["change_point"].to_numpy())
        # every surge is shaded; only the largest few are labelled, so labels never pile up
        labelled = set(sorted(onsets, key=lambda t: -int(counts[max(t - 2, 0):t + 1].sum()))[:_SURGE_LABELS])
        for t in onsets:
            first = max(t - 2, 0)
            for p in panels:
                p.axvspan(x[first], x[t] + period_days, color="0.5", alpha=0.12, lw=0, zorder=0,
                          gid="change-point")
            if t not in labelled:
                continue
            cur, prev = int(counts[first:t + 1].sum()), int(counts[max(first - 3, 0):first].sum())
            a.annotate(f"surge: {cur} events in {_fmt_day(x[first], year=False)}\u2013"
                       f"{_fmt_day(x[t], year=False)}\nvs {prev} in the 3 {unit}s before",
                       (x[first], 1.0), xycoords=("data", "axes fraction"), xytext=(3, -3),
                       textcoords="offset points", ha="left", va="top", fontsize=8, color="0.2")

    # axes cosmetics
    for p in panels:
        for side in ("top", "right"):
            p.spines[side].set_visible(False)
        p.grid(axis="y", color="0.9", lw=0.6)
        p.set_axisbelow(True)
        p.tick_params(labelsize=_FONT)
    lo_x, hi_x = x[0] - 0.2 * period_days, x[-1] + 1.2 * period_days
    panels[-1].set_xlim(lo_x, hi_x)
    if len(x) <= 31:
        # One tick under the middle of each bar (every second one past 16 periods).
        step = 1 if len(x) <= 16 else 2
        panels[-1].set_xticks(xc[::step])
        starts = data.index[::step]
        if unit == "day":
            labels = [f"{d:%a}\n{d.day} {d:%b}" for d in starts]
        else:  # the period's first and last day
            ends = [d + pd.Timedelta(days=period_days - 1) for d in starts]
            labels = [f"{d.day} {d:%b} \u2013\n{e.day} {e:%b}" if period_days > 1 else f"{d.day} {d:%b}"
                      for d, e in zip(starts, ends)]
        panels[-1].set_xticklabels(labels)
        panels[-1].tick_params(axis="x", length=0)
    else:
        loc = mdates.AutoDateLocator(minticks=5, maxticks=16)
        panels[-1].xaxis.set_major_locator(loc)
        panels[-1].xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))
    for p in panels[:-1]:
        p.tick_params(labelbottom=False)
    for p, letter in zip(panels, "abc"):
        p.text(-0.075, 1.0, f"({letter})", transform=p.transAxes, fontsize=10, fontweight="bold", va="top",
               ha="left", color="0.3")

    info = data.attrs
    if own_figure:
        fig.text(0.075, 0.965, title, fontsize=14, fontweight="bold", ha="left", va="top")
        win = info.get("window")
        dropped = []
        if info.get("coarse"):
            dropped.append(f"{info['coarse']} dated only to a month or coarser")
        if info.get("outside"):
            dropped.append(f"{info['outside']} outside the main window")
        if info.get("undated"):
            dropped.append(f"{info['undated']} undated")
        example = ""
        if len(tallies):
            last = tallies.sort_values(["reported", "fatalities"]).iloc[-1]
            example = (f" (\u201c{int(last['fatalities']):,} killed since "
                       f"{_fmt_day(np.datetime64(last['since'], 's'), year=False)}\u201d)")
        caption = (
            f"{_caption_sources(events)} "
            + (f"Window: {_fmt_day(win[0].to_datetime64())} – {_fmt_day(win[1].to_datetime64())}. " if win else "")
            + f"Counted: {info.get('n_mentions', 0)} event mentions dated to a week or finer, merged into "
            f"{info.get('n_clusters', 0)} events (one per cluster of reports, on its most precise report's "
            f"{unit}; week-precision events count on their best single day)"
            + (f"; left out: {', '.join(dropped)}" if dropped else "")
            + f". Deaths in (b) come from single incidents only; cumulative tallies{example} are drawn in (c) as "
            "reported totals, at the day each was reported, never as deaths on one day"
            + (f" ({len(tallies)} in the window, {info['tallies'] - len(tallies)} outside it or dated too vaguely)"
               if info.get("tallies", 0) > len(tallies) else "")
            + ". Figures are as reported, not verified."
            + (f" Shaded: surge (events in 3 {unit}s at least double the 3 {unit}s before, and at least 3 more)."
               if change_points and data["change_point"].any() else "")
        )
        fig.text(0.075, 0.012, textwrap.fill(caption, 180), fontsize=8.5, color="0.25", ha="left", va="bottom",
                 gid="caption")
    else:
        panels[0].set_title(title, fontsize=12, loc="left")
    return fig


# --------------------------------------------------------------------------------------------
# save_figure
# --------------------------------------------------------------------------------------------

def save_figure(fig: Figure, path: str | Path, *, formats: Iterable[str] = ("png",), dpi: int = 150) -> list[Path]:
    """Write ``fig`` once per format: ``save_figure(fig, "out/timeline", formats=("png", "svg"))``
    writes ``out/timeline.png`` and ``out/timeline.svg`` (150 dpi, tight bounding box).

    A suffix on ``path`` is replaced by each format's. Parent folders are created.
    Returns the paths written.
    """
    base = Path(path)
    if base.suffix.lower().lstrip(".") in {"png", "svg", "pdf", "jpg", "jpeg"}:
        base = base.with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        fmt = fmt.lower().lstrip(".")
        out = base.with_name(f"{base.name}.{fmt}")
        fig.savefig(out, format=fmt, dpi=dpi, bbox_inches="tight", facecolor="white",
                    metadata={"Software": None} if fmt == "png" else None)
        written.append(out)
    return written
