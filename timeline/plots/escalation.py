"""The escalation chart and its data: events and deaths per period, reported cumulative tolls."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any, cast

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..vocabulary import EVENT_TYPES
from .style import (
    _FINE_PRECISIONS,
    _FONT,
    _PRECISION_RANK,
    _UNKNOWN_COLOR,
    TYPE_COLORS,
    _caption_sources,
    _empty,
    _fmt_day,
    _is_empty,
    _new_figure,
    _truncate,
    dense_window,
)

__all__ = ["escalation_data", "escalation_freq", "plot_escalation", "reported_tallies"]


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
        "series": _series_keys(since, etype, source).to_numpy(),
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


def _series_keys(since: Any, event_type: Any, source: Any) -> pd.Series:
    """One series per start day, kind of toll and source: the monitor's count and the rescuers'
    are two series, never one line. ``"2024-11-27|casualty report|SOHR (war monitor)"``."""
    day = pd.Series(pd.to_datetime(pd.Series(since).to_numpy())).dt.strftime("%Y-%m-%d")
    kind = pd.Series(event_type).astype("string").fillna("<NA>").to_numpy()
    src = pd.Series(source).astype("string").fillna("").to_numpy()
    return (day.astype("string") + "|" + pd.Series(kind, dtype="string") + "|"
            + pd.Series(src, dtype="string")).astype(object)


def _join_lone_tallies(out: pd.DataFrame) -> pd.DataFrame:
    """A "running total" whose interval is only its report day lost its "since" upstream: it
    joins the longest-running series of its type that started before it."""
    out = out.copy()
    lone = (out["since"] >= out["reported"]).to_numpy(dtype=bool)
    if lone.any() and (~lone).any():
        # The series a lone tally joins is the earliest-starting one of its type and source (then
        # the earliest reported), if that started before the lone tally's report day: one sorted
        # pass and a lookup, not a scan of all tallies per lone one.
        key = out["event_type"].astype("string").fillna("<NA>") + "\x1f" + out["source"].astype("string").fillna("")
        runs = out.loc[~lone].assign(_key=key[~lone]).sort_values(["since", "reported"], kind="stable")
        first = runs.drop_duplicates("_key").set_index("_key")
        k = key[lone]
        since0 = pd.to_datetime(k.map(first["since"]))
        series0 = k.map(first["series"])
        joins = (since0 < pd.to_datetime(out.loc[lone, "reported"])).fillna(False).to_numpy(dtype=bool)
        idx = out.index[lone][joins]
        out.loc[idx, "series"] = series0[joins].to_numpy()
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
        kept = tallies[keep]
        tallies = kept.assign(series=_series_keys(kept["since"], kept["event_type"], kept["source"]).to_numpy())
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
    fat = pd.to_numeric(df["fatalities"], errors="coerce").astype("float64")
    if "claimant" in df:
        fat = fat.where(df["claimant"].isna())  # claims are not counts
    df = df.assign(_day=day,
                   _type=df["event_type"].astype("string").fillna("statement"),
                   _cluster=df["cluster_id"].astype("string").fillna(df["event_id"].astype("string")),
                   _fat=fat)
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
#: Reported-toll series drawn one by one (colour, legend entry); the others share one grey collection.
_TOLL_SERIES = 3
#: Up to this many periods every death figure is written over its bar; past it, the largest ones.
_ALL_FIGURES = 40
_FIGURE_LABELS = 12
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
    # The window alone decides (the rows escalation_data would make are the periods of the
    # window), so nothing is counted here.
    df, info = _escalation_frame(events, None)
    if info["window"] is not None:
        lo, hi = info["window"]
    elif len(df):
        lo, hi = df["date"].min(), df["date"].max()
    else:
        tallies = reported_tallies(events)
        if tallies.empty:
            return "D"
        lo, hi = tallies["reported"].min(), tallies["reported"].max()
    for freq, most in _AUTO_PERIODS:
        if most is None or len(pd.period_range(pd.Timestamp(lo), pd.Timestamp(hi), freq=freq)) <= most:
            return freq
    return "M"


def _bars(ax: Axes, xc: np.ndarray, heights: np.ndarray, width: float, bottom: np.ndarray | None = None,
          **style: Any) -> PolyCollection:
    """Bars centred on ``xc`` as ONE collection (one artist whatever the number of periods;
    zero-height bars are left out). ``style``: PolyCollection keywords (facecolor, gid, label...)."""
    bottom = np.zeros(len(xc)) if bottom is None else bottom
    keep = heights > 0
    x0, x1 = xc[keep] - width / 2, xc[keep] + width / 2
    y0, y1 = bottom[keep], bottom[keep] + heights[keep]
    verts = np.stack([np.column_stack(c) for c in ((x0, y0), (x0, y1), (x1, y1), (x1, y0))], axis=1)
    # matplotlib's stubs want a Sequence of polygons; an (N, 4, 2) array is documented and faster
    coll = PolyCollection(verts, closed=True, **style)  # type: ignore[arg-type]
    ax.add_collection(coll, autolim=True)
    ax.autoscale_view()
    return coll


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
        single = ax if ax is None or isinstance(ax, Axes) else ax[0]
        message = "no events" if data is None else "no events dated to a week or finer"
        return _empty(single, message, title)
    tallies = _window_tallies(events, data.attrs.get("window"))
    has_deaths = bool(data["fatalities"].sum() > 0 or len(tallies))
    n_panels = 3 if has_deaths else 2

    own_figure = ax is None
    if ax is None:
        fig = _new_figure(12.5, 9.2 if n_panels == 3 else 6.8)
        heights = [3, 2, 2.2][:n_panels]
        gs = fig.add_gridspec(n_panels, 1, height_ratios=heights, hspace=0.12,
                              left=0.075, right=0.76, top=0.9, bottom=0.16 if n_panels == 3 else 0.2)
        panels = [fig.add_subplot(gs[0])]
        for k in range(1, n_panels):
            panels.append(fig.add_subplot(gs[k], sharex=panels[0]))
    else:
        panels = [ax] if isinstance(ax, Axes) else list(ax)
        fig = cast(Figure, panels[0].figure)  # a SubFigure only when the caller's Axes live in one
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
    # One collection per type (its bars over every period): the artists depend on the types,
    # the vertices on the periods, nothing on the number of events.
    bottom = np.zeros(len(data))
    handles: list[Any] = []
    for t in types:
        vals = data[t].to_numpy(dtype=float)
        if vals.sum() == 0:
            continue
        handles.append(_bars(a, xc, vals, width, bottom, facecolor=TYPE_COLORS.get(t, _UNKNOWN_COLOR),
                             label=t[0].upper() + t[1:], edgecolor="white", linewidth=0.5, zorder=2,
                             gid=f"count-bars:{t}"))
        bottom += vals
    if rolling:
        roll = data["events"].rolling(int(rolling), min_periods=1).mean()
        handles += a.plot(xc, roll.to_numpy(), color="0.15", lw=1.8, zorder=3, label=f"{rolling}-{unit} rolling mean",
                          gid="rolling-mean")
    a.set_ylabel(f"events per {unit}\n(one per cluster)", fontsize=_FONT)
    a.set_ylim(0, max(1.0, bottom.max()) * 1.22)
    a.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8.5,
             title="Event type",
             title_fontsize=_FONT, borderaxespad=0.0)

    # (b) deaths per period in single incidents
    if n_panels >= 2:
        b = panels[1]
        b.set_label("fatalities")
        deaths = data["fatalities"].to_numpy(dtype=float)
        _bars(b, xc, deaths, width, facecolor="#882255", edgecolor="none", linewidth=0, zorder=2,
              gid="fatality-bars",
              label=f"deaths in single incidents\n(largest figure per cluster\nand {unit}; cumulative tolls\nexcluded)")
        # Every figure when the periods are few; past that, only the largest (labels would overlap).
        shown = np.flatnonzero(deaths > 0)
        if len(x) > _ALL_FIGURES:
            shown = np.sort(shown[np.argsort(-deaths[shown], kind="stable")[:_FIGURE_LABELS]])
        for xi, v in zip(xc[shown], deaths[shown]):
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
        c_handles: list[Artist] = list(c.step(np.append(x, x[-1] + period_days), np.append(total, total[-1]),
                                              where="post", color="#882255", lw=1.8, ls="--",
                                              label="running sum of single-incident deaths", gid="incident-total"))
        palette = ["#332288", "#117733", "#44AA99", "#88CCEE", "#999933", "#AA4499"]
        series = tallies.groupby("series", sort=False)
        peak = series["fatalities"].max()
        peak_of = peak.to_dict()
        order = sorted(series.groups, key=lambda k: -peak_of[k])
        ymax = max(total.max() if len(total) else 0, tallies["fatalities"].max() if len(tallies) else 0)
        # The largest series get a line, a colour and a legend entry each; the others share one
        # thin grey collection and one legend entry (a long story reports hundreds of tallies).
        rest = order[_TOLL_SERIES:]
        if rest:
            r = tallies[tallies["series"].isin(rest)]
            r = r.groupby(["series", "reported"], as_index=False, sort=False)["fatalities"].max()
            r = r.sort_values(["series", "reported"], kind="stable")
            rx = mdates.date2num(pd.to_datetime(r["reported"]).to_numpy(dtype="datetime64[s]")) + 0.5
            ry = r["fatalities"].to_numpy(dtype=float)
            cut = np.flatnonzero(r["series"].to_numpy()[1:] != r["series"].to_numpy()[:-1]) + 1
            segs = [np.column_stack(p) for p in zip(np.split(rx, cut), np.split(ry, cut))]
            rest_lines = c.add_collection(LineCollection(segs, colors="0.6", linewidths=0.8, alpha=0.6, zorder=2,
                                            gid="reported-toll-rest",
                                            label=f"{len(rest)} other reported-toll series\n(smaller; one thin "
                                                  "line each)"))
        for k, cid in enumerate(order[:_TOLL_SERIES]):
            group = series.get_group(cid)
            # pandas-stubs type this as a Series; with as_index=False it is a DataFrame
            s = (group.groupby("reported", as_index=False)["fatalities"].max()
                 .sort_values("reported"))  # type: ignore[call-overload]
            since = group["series"].iloc[0].split("|")[0]
            xs = mdates.date2num(pd.to_datetime(s["reported"]).to_numpy(dtype="datetime64[s]")) + 0.5
            col = palette[k % len(palette)]
            trig = _truncate(str(group["trigger"].iloc[-1]), 16)
            kind = str(group["event_type"].iloc[0])
            kind = "" if kind == "casualty report" else f" ({kind.lower()})"
            who = str(group["source"].iloc[0] or "") if "source" in group else ""
            who = f", {_truncate(who, 28)}" if who else ""
            since_day = _fmt_day(np.datetime64(since, 's'), year=False)
            label = (f"reported toll \u2018{trig}\u2019{kind}{who}\nsince {since_day}"
                     f" ({len(group)} report{'s' if len(group) != 1 else ''})")
            many = len(s) > _ALL_FIGURES  # a dot per report would make a solid band
            c_handles += c.plot(xs, s["fatalities"], marker=None if many else "o", ms=5, lw=1.4 if many else 1.8,
                                color=col, label=label, zorder=3, gid="reported-toll")
            if k < (3 if len(x) <= _ALL_FIGURES else 1):
                step = max(1, -(-len(s) // _FIGURE_LABELS))  # at most ~_FIGURE_LABELS figures a line
                keep = np.zeros(len(s), bool)
                keep[::step] = True
                keep[-1] = True
                for xi, v in zip(xs[keep], s["fatalities"].to_numpy()[keep]):
                    c.annotate(f"{int(v):,}", (xi, v), xytext=(0, 5), textcoords="offset points", ha="center",
                               fontsize=8, color=col)
        c.set_ylabel("people killed\n(running totals)", fontsize=_FONT)
        c.set_ylim(0, max(1.0, ymax) * 1.2)
        if rest:
            c_handles.append(rest_lines)
        c.legend(handles=c_handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8.5,
                 borderaxespad=0.0)

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
        p.yaxis.set_major_locator(MaxNLocator(nbins="auto", integer=True))  # counts: no "0.5 events"
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
