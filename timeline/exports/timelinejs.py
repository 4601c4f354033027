"""TimelineJS 3 JSON (https://timeline.knightlab.com/docs/json-format.html): one slide per
cluster of reports, dates given only to the precision that is known."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pandas as pd

from ._common import Rows, as_int, as_ts, clean, clusters, figures, is_missing, representative, unique_docs
from ._dates import _fmt, _range, _start_grain, display_date, slide_dates

__all__ = ["BACKGROUND_GROUP", "corpus_title", "group_label", "slide_date_label", "to_timelinejs",
           "write_timelinejs"]

_COLUMNS = ("event_id", "cluster_id", "doc_id", "published", "date", "start", "end", "precision", "cumulative",
            "fatalities", "location", "actor1", "actor2", "latitude", "trigger", "event_type", "sub_event_type",
            "sentence", "time_text", "anchor_source", "time_flag", "actors")


def _headline(rep: dict[str, Any], fatalities: int | None) -> str:
    trigger = clean(rep.get("trigger")) or clean(rep.get("event_type")) or "event"
    trigger = trigger[0].upper() + trigger[1:]
    place = clean(rep.get("location"))
    if bool(rep.get("cumulative")) and fatalities is not None:
        since = as_ts(rep["start"])
        grain = _start_grain(since, as_ts(rep["end"]), clean(rep.get("precision"))) if since is not None else "day"
        grain = "day" if grain in ("hour", "minute") else grain
        text = f"{fatalities:,} killed" + (f" since {_fmt(since, grain)}" if since is not None else "")
        return text + " (cumulative toll)"
    text = trigger + (f" \u2013 {place}" if place else "")
    if fatalities:
        text += f": {fatalities:,} killed"
    return text if len(text) <= 80 else text[:79].rstrip() + "\u2026"


def _slide_text(rows: Rows, group: list[int], rep: dict[str, Any], fatalities: int | None) -> str:
    esc = html.escape
    parts = [f"<p>{esc(clean(rep.get('sentence')) or '')}</p>"]
    facts = []
    when = clean(rep.get("time_text"))
    precision = clean(rep.get("precision"))
    anchor = clean(rep.get("anchor_source"))
    flag = clean(rep.get("time_flag"))
    date_txt = f"\u201c{esc(when)}\u201d" if when else "no time in the text"
    detail = ", ".join(x for x in (precision, f"anchored on {anchor}" if anchor else None, flag) if x)
    facts.append(f"When: {date_txt}" + (f" ({esc(detail)})" if detail else ""))
    listed_figures = figures(rows, group)
    if fatalities is not None:
        listed = ", ".join(f"{v:,}" for v in listed_figures)
        facts.append(f"Deaths: {fatalities:,}" + (" (cumulative toll)" if bool(rep.get("cumulative")) else "")
                     + (f"; figures in the reports: {listed}" if len(listed_figures) > 1 else ""))
    kind = " / ".join(x for x in (clean(rep.get("event_type")), clean(rep.get("sub_event_type"))) if x)
    if kind:
        facts.append(f"Type: {esc(kind)}")
    actors = clean(rep.get("actors"))
    if actors:
        facts.append(f"Actors: {esc(actors)}")
    docs = unique_docs(rows, group)
    facts.append(f"Source{'s' if len(docs) != 1 else ''}: {esc(', '.join(docs))}"
                 + (f" ({len(group)} reports)" if len(group) > 1 else ""))
    parts.append("<p><small>" + "<br>".join(facts) + "</small></p>")
    return "".join(parts)


#: Slides that start more than this long before the main window (the earliest publication
#: date) are background: their own group, before the default view.
BACKGROUND_BEFORE = pd.Timedelta(days=183)
#: The group of background slides.
BACKGROUND_GROUP = "Background"


def group_label(event_type: str | None) -> str | None:
    """The slide group of an event type, in one style (sentence case, as ACLED's types).

    Examples:
        >>> group_label("casualty report"), group_label("Explosions/Remote violence")
        ('Casualty report', 'Explosions/Remote violence')
    """
    text = clean(event_type)
    return None if text is None else text[0].upper() + text[1:]


def slide_date_label(start: Any, end: Any, precision: str | None, *, published: Any = None,
                     cumulative: bool = False) -> str | None:
    """The ``display_date`` of a slide: :func:`display_date` for a vague date, else the day
    (and the time for an hour or minute) in the same style ("1 Dec 2024", "1 Dec 2024, 06:30").

    Examples:
        >>> slide_date_label("2024-12-01", "2024-12-02", "day")
        '1 Dec 2024'
        >>> slide_date_label("2024-12-01", "2024-12-11", "month")
        'early December 2024'
        >>> slide_date_label("2024-12-01 06:30", None, "minute")
        '1 Dec 2024, 06:30'
    """
    shown = display_date(start, end, precision, published=published, cumulative=cumulative)
    if shown:
        return shown
    s = as_ts(start)
    if s is None:
        return None
    return _fmt(s, "minute" if precision in ("minute", "hour") else "day")


def _main_window_start(events: pd.DataFrame, starts: list[pd.Timestamp]) -> pd.Timestamp | None:
    """Where the main window begins: the earliest publication date, else the median start."""
    pub = events["published"].dropna() if "published" in events else pd.Series([], dtype="datetime64[s]")
    if len(pub):
        return pd.Timestamp(pub.min())
    if not starts:
        return None
    return sorted(starts)[len(starts) // 2]


def corpus_title(events: pd.DataFrame, documents: pd.DataFrame | None = None) -> str:
    """A title from the corpus: a single document's own title, else the main country (or
    place) and the publication window ("Syria, 27 Nov \u2013 9 Dec 2024").

    Examples:
        >>> from timeline.table import events_frame
        >>> corpus_title(events_frame([]))
        'Timeline'
    """
    if documents is not None and len(documents) == 1 and "title" in documents:
        own = clean(documents["title"].iloc[0])
        if own:
            return own
    if events is None or len(events) == 0:
        return "Timeline"
    where = None
    for column in ("country", "location"):
        if column in events:
            values = events[column].dropna().astype(str)
            if len(values):
                where = values.value_counts().index[0]
                if column == "country":
                    from .acled import country_info

                    where = country_info(where).get("name") or where
                break
    pub = events["published"].dropna() if "published" in events else pd.Series([], dtype="datetime64[s]")
    when = None
    if len(pub):
        first, last = pd.Timestamp(pub.min()), pd.Timestamp(pub.max())
        when = _fmt(first, "day") if first.normalize() == last.normalize() else \
            _range(first.normalize(), "day", last.normalize(), "day")
    return ", ".join(x for x in (where, when) if x) or "Timeline"


def to_timelinejs(events: pd.DataFrame, *, title: str | None = None, text: str | None = None,
                  max_events: int | None = None, documents: pd.DataFrame | None = None) -> dict[str, Any]:
    """The events as TimelineJS 3 JSON: one slide per cluster of reports.

    Each slide's representative is the report with most information (deaths, place,
    actors, coordinates, then the finest date; for cumulative tallies, the latest report).
    ``start_date``/``end_date`` carry only the known parts: ``{"year"}`` for a year,
    ``{"year", "month"}`` for a month, ``{"year", "month", "day"}`` for a day or a week's
    days, plus ``"hour"`` for a time of day; ``end_date`` only when the date is an interval
    longer than its unit. Values are ints, as TimelineJS expects ("a number").
    Every slide has a ``display_date`` in one style (:func:`slide_date_label`: how vague an
    imprecise date is, else the day). ``group`` is the event type in sentence case
    (:func:`group_label`), except for background slides, which start more than
    :data:`BACKGROUND_BEFORE` before the main window (the earliest publication date) and
    form their own group, :data:`BACKGROUND_GROUP` ("the 2016 siege", a toll "since 2011").
    ``options`` holds TimelineJS options to pass to ``new TL.Timeline(el, data, options)``:
    ``start_at_slide`` opens the timeline on the first slide of the main window, not on
    the background years, and ``scale_factor`` (:func:`_scale_factor`, only with background
    slides) keeps the main window's days apart in the time bar. ``unique_id`` is the cluster id.
    The text gives the sentence, the time expression, the death figures and the sources.

    Args:
        events: the events table.
        title: headline of the title slide; default: :func:`corpus_title`.
        text: text of the title slide; default: how many events from how many reports.
        max_events: keep only this many slides, the most important (deaths, then number
            of sources), still in date order.
        documents: the documents table, used only for the default title.

    Returns:
        ``{"title": {...}, "events": [...], "options": {...}}``; ``events`` is empty for an
        empty table.

    Examples:
        >>> from timeline.table import events_frame
        >>> to_timelinejs(events_frame([]), title="Nothing")["events"]
        []
    """
    if title is None:
        title = corpus_title(events, documents)
    if events is None or len(events) == 0:
        return {"title": {"text": {"headline": html.escape(title), "text": text or "No events."}}, "events": [],
                "options": {"start_at_slide": 0}}
    rows = Rows(events, _COLUMNS)
    starts, dates, fats_col = rows["start"], rows["date"], rows["fatalities"]
    dated = [i for i in range(rows.n) if not is_missing(starts[i]) or not is_missing(dates[i])]
    slides: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    for group in clusters(rows, dated):
        r = representative(rows, group)
        rep = {c: rows[c][r] for c in _COLUMNS}
        tally = bool(rep.get("cumulative")) if clean(rep.get("cumulative")) is not None else False
        known = [int(fats_col[i]) for i in group if not is_missing(fats_col[i])]
        fat = as_int(rep["fatalities"]) if tally else (max(known) if known else None)
        start_ts = as_ts(rep["start"]) or as_ts(rep["date"])
        assert start_ts is not None
        precision = clean(rep.get("precision"))
        start_obj, end_obj = slide_dates(start_ts, as_ts(rep["end"]), precision)
        slide: dict[str, Any] = {"start_date": start_obj}
        if end_obj is not None:
            slide["end_date"] = end_obj
        shown = slide_date_label(rep["start"] if as_ts(rep["start"]) is not None else rep["date"], rep["end"],
                                 precision, published=rep.get("published"), cumulative=tally)
        if shown:
            slide["display_date"] = shown
        slide["text"] = {"headline": html.escape(_headline(rep, fat)), "text": _slide_text(rows, group, rep, fat)}
        label = group_label(rep.get("event_type"))
        if label:
            slide["group"] = label
        cid = clean(rep.get("cluster_id")) or clean(rep.get("event_id"))
        if cid:
            slide["unique_id"] = cid
        n_sources = len(unique_docs(rows, group))
        slides.append(((fat if fat is not None else -1, n_sources, start_ts), slide))
    if max_events is not None and len(slides) > max_events:
        keep = sorted(range(len(slides)), key=lambda i: (-slides[i][0][0], -slides[i][0][1], i))[:max(max_events, 0)]
        slides = [slides[i] for i in sorted(keep)]
    slides.sort(key=lambda item: item[0][2])
    window = _main_window_start(events, [key[2] for key, _ in slides])
    n_background = 0
    if window is not None:
        for key, slide in slides:
            if key[2] < window - BACKGROUND_BEFORE:
                slide["group"] = BACKGROUND_GROUP
                n_background += 1
    n_docs = int(events["doc_id"].nunique())
    pub = events["published"].dropna()
    default = (f"{len(slides)} events from {n_docs} report{'s' if n_docs != 1 else ''}"
               + (f" published {_fmt(pd.Timestamp(pub.min()), 'day')} \u2013 {_fmt(pd.Timestamp(pub.max()), 'day')}"
                  if len(pub) else "")
               + ". Imprecise dates are shown as the period they allow.")
    # slide 0 is the title slide; open on the main window when background comes first
    options: dict[str, Any] = {"start_at_slide": n_background + 1 if n_background and n_background < len(slides) else 0}
    scale = _scale_factor([key[2] for key, _ in slides], window) if n_background else None
    if scale is not None:
        options["scale_factor"] = scale
    return {"title": {"text": {"headline": html.escape(title), "text": text if text is not None else default}},
            "events": [s for _, s in slides], "options": options}


#: TimelineJS's own ``scale_factor`` (screen widths of the whole span at first view), and the most
#: we ask for: at about 2,000 TimelineJS 3.9 stalls for tens of seconds on 200 slides.
_DEFAULT_SCALE, _MAX_SCALE = 2, 400


def _scale_factor(starts: list[pd.Timestamp], window: pd.Timestamp | None) -> int | None:
    """How wide to draw the time bar at first view so that the main window's days do not collapse
    into a few pixels next to background decades (1970 ... 2024): about a third of the ratio of the
    whole span to the main window's, between TimelineJS's default and :data:`_MAX_SCALE`; None when
    the default will do.

    Examples:
        >>> days = [pd.Timestamp("1970-01-01"), pd.Timestamp("2024-11-25"), pd.Timestamp("2024-12-09")]
        >>> _scale_factor(days, pd.Timestamp("2024-11-25"))
        400
        >>> _scale_factor(days[1:], pd.Timestamp("2024-11-25")) is None
        True
    """
    if window is None or len(starts) < 2:
        return None
    whole = (max(starts) - min(starts)).days
    main = max((max(starts) - max(window, min(starts))).days, 1)
    scale = min(_MAX_SCALE, round(whole / main / 3))
    return scale if scale > _DEFAULT_SCALE else None


def write_timelinejs(events: pd.DataFrame, path: str | Path, **kw: Any) -> Path:
    """Write :func:`to_timelinejs` as UTF-8 JSON to ``path``; returns the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(to_timelinejs(events, **kw), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out
