"""Check that a document's anchor date (DCT) fits the dates the text itself gives.

Republishing sites often show their own display date (the seed story carries
"Tuesday, June 17, 2025" above a wire story of 2 December 2024). Resolving
"on Sunday" against such a date moves every event half a year. :func:`check_dct`
runs after tagging, flags such anchors and proposes a better one; it never
applies the proposal itself.

Algorithm:

1. Take the text's time expressions resolved against the DCT in news mode: the
   ones the caller already has (the pipeline passes its own), else tag the text
   here (:func:`timeline.tag`). A date line at the top of the text
   (:func:`timeline.datelines.find_header_date`) is the page's display date, not a
   narrated event, so mentions on it are left out.
2. Collect four kinds of evidence. Which rules give calendar dates and which give
   weekdays is read from the rule files: the ``dct_evidence`` field of a rule
   (``calendar`` or ``weekday``, see :meth:`timeline.tagging.rules.RuleSet.evidence_rules`).

   * *year-less dates*: calendar dates with a day but no year ("November 27"),
     kept when the tagger resolves them on or before the DCT (narrated as past);
   * *full dates*: calendar dates with day, month and year ("December 5, 2024"),
     except those in a sentence with a future cue (will, expected, scheduled...);
   * *narrated weekdays*: bare weekday mentions ("Friday night", "Sunday",
     "early on Monday"; not "last/next/this Friday") that the tagger resolves on
     or before the DCT, i.e. told as past;
   * *recent references*: "in recent days", "recently", "lately", "the past few days".

3. The DCT is implausible when

   * (stale anchor) the text narrates weekdays or recent days as the current news
     and its latest year-less date falls more than :data:`MAX_GAP_DAYS` days
     before the DCT (the "since November 27" case); or
   * (early anchor) a full date is more than one day after the DCT: the DCT is
     before the events the text reports.

   * (display date) the anchor is a site's display line (a bare date line at the top of
     the text, or a date the caller marks with ``display=True``: a date read from page
     elements, a modified date) and the latest day the text narrates falls
     :data:`DISPLAY_GAP_DAYS` days or more before it ("Thursday, 05 December 2024" above a
     story told on Tuesday 3 December). The proposal is that latest narrated day.

4. When implausible, let X be the latest explicit date (year-less or full). The
   proposal is the earliest d in X .. X + :data:`SEARCH_DAYS` days such that every
   narrated weekday, resolved against d (the latest such weekday on or before d),
   falls in (X, d]. Without narrated weekdays that is X itself. If no d fits,
   nothing is proposed. (With at least one weekday, d = X + 7 always fits, so the
   search only fails when the evidence changes.)

:func:`propose_dct` gives a date from the text alone, for a document without any date:
the dated dateline, else the latest explicit date moved forward to fit the narrated
weekdays, as in step 4 (a year-less date needs a year: the text's own full dates or the
``year`` the caller knows, e.g. from a copyright line).

The check is a heuristic: a long-running story may legitimately mention a date
months back next to "on Sunday". Its message states the evidence so a person can
decide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .datelines import find_dateline, find_header_date, header_line
from .errors import InputError
from .model import TimeExpression
from .tagging import parse_dct, tag
from .tagging.rules import load_rules

__all__ = ["DISPLAY_GAP_DAYS", "MAX_GAP_DAYS", "SEARCH_DAYS", "DctCheck", "check_dct", "propose_dct"]

#: A year-less date this many days or fewer before the DCT is still "recent".
MAX_GAP_DAYS = 31

#: How many days after the latest explicit date a proposed DCT may fall.
SEARCH_DAYS = 14

#: A display date this many days or more after the latest narrated day is not the story's date.
DISPLAY_GAP_DAYS = 2

_DAY_GRAINS = frozenset({"day", "part-of-day", "hour", "minute"})
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_PHRASE = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"(?:\s+(?:morning|afternoon|evening|night|overnight))?",
    re.IGNORECASE,
)
_NOT_BARE = re.compile(r"\b(?:last|next|this|coming|past|previous|following)\b", re.IGNORECASE)
_RECENT = re.compile(r"\brecent(?:ly)?\b|\blately\b|\bpast\s+(?:few|several|couple\s+of)\s+days\b", re.IGNORECASE)
_FUTURE_CUE = re.compile(
    r"\b(?:will|would|shall|expected|scheduled|planned|plans?|due|upcoming|next|until|deadline|set\s+to)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?]\s|\n")


@dataclass(frozen=True, slots=True)
class DctCheck:
    """Verdict of :func:`check_dct`.

    Attributes:
        plausible: False when the text contradicts the anchor date.
        message: plain-English explanation citing the evidence.
        evidence: the mentions the verdict rests on, as they appear in the text.
        proposed: a better anchor date, or None (never applied by check_dct).
    """

    plausible: bool
    message: str
    evidence: tuple[str, ...] = ()
    proposed: date | None = None


@dataclass(frozen=True, slots=True)
class _Dated:
    text: str
    day: date


def check_dct(
    text: str,
    dct: date | str,
    dct_source: str | None = None,
    expressions: Sequence[TimeExpression] | None = None,
    *,
    display: bool | None = None,
) -> DctCheck:
    """Say whether the anchor date ``dct`` fits the text, and propose a better one if not.

    Args:
        text: the document text.
        dct: the anchor date to check (a date or ``YYYY-MM-DD``).
        dct_source: where the date came from (an ``Article.dct_source``), quoted in
            the message; optional.
        expressions: the output of ``timeline.tag(text, dct, "news")`` if already
            computed (it is not recomputed); None tags the text here.
        display: True when ``dct`` is a site's display date or another date that does
            not come from the story (a date in page elements, a modified date), so that
            a text told days earlier contradicts it; None: True when ``dct`` is the date of
            a bare date line at the top of the text (not a byline).

    Raises:
        InputError: ``dct`` is missing or not a valid date.

    Examples:
        >>> text = "Rebels took the town on Sunday. Fighting has raged since November 27."
        >>> check_dct(text, "2024-12-02").plausible
        True
        >>> verdict = check_dct(text, "2025-06-17")
        >>> verdict.plausible, verdict.proposed
        (False, datetime.date(2024, 12, 1))
    """
    anchor = parse_dct(dct)
    if anchor is None:
        raise InputError("check_dct needs an anchor date: expected YYYY-MM-DD (e.g. 2024-12-02) or a datetime.date")
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    label = f"The anchor date {anchor.isoformat()}" + (f" ({dct_source})" if dct_source else "")

    dateline = find_dateline(text)
    filed = dateline.date_near(anchor) if dateline is not None else None
    if filed is not None and dateline is not None:
        gap = (filed - anchor).days
        quoted = text[dateline.start:dateline.end].strip(" -–—")
        if abs(gap) <= 1:
            return DctCheck(True, f"{label} fits the dateline {quoted!r} (filed {filed.isoformat()}).", (quoted,),
                            None)
        where = f"{_days(abs(gap))} {'after' if gap > 0 else 'before'} it"
        return DctCheck(False, f"{label} looks wrong: the dateline {quoted!r} says the story was filed on "
                               f"{filed.isoformat()}, {where}. Pass --dct {filed.isoformat()} (or a published "
                               "field) to use it.", (quoted,), filed)
    header = find_header_date(text)
    if expressions is None:
        expressions = tag(text, anchor, "news")
    expressions = [e for e in expressions if not (header and header[1] <= e.start < header[2])]
    yearless, full, weekdays, recent = _collect(text, expressions, anchor)

    # Narrated weekdays shown in story order (by resolved date), one per phrase.
    shown: list[str] = []
    for item in sorted(weekdays, key=lambda w: w.day):
        phrase = _weekday_phrase(item.text)
        if phrase.lower() not in {s.lower() for s in shown}:
            shown.append(phrase)
    narrated = ", ".join(shown) if shown else ", ".join(f'"{r}"' for r in _unique(recent))
    counted = {d.text for d in (*yearless, *full, *weekdays)} | set(recent)
    evidence = tuple(_unique(e.text for e in expressions if e.text in counted))  # text order
    explicit = [*yearless, *full]
    latest = max(explicit, key=lambda d: d.day) if explicit else None

    late_full = [d for d in full if (d.day - anchor).days > 1]
    latest_yearless = max(yearless, key=lambda d: d.day) if yearless else None
    if late_full:
        worst = max(late_full, key=lambda d: d.day)
        gap = (worst.day - anchor).days
        problem = f"{label} looks wrong: the text reports {worst.text} as past, {_days(gap)} after it."
    elif (shown or recent) and latest_yearless and (anchor - latest_yearless.day).days > MAX_GAP_DAYS:
        gap = (anchor - latest_yearless.day).days
        problem = (
            f"{label} looks wrong: the text narrates {narrated} as recent while its latest "
            f"explicit date, {latest_yearless.text}, falls {_days(gap)} before it."
        )
    else:
        if display is None:
            line = header_line(text)
            display = line is not None and line.kind == "display" and line.day == anchor
        narrated_days = [d for d in (*yearless, *full, *weekdays) if d.day <= anchor]
        last = max(narrated_days, key=lambda d: d.day) if narrated_days else None
        if display and last is not None and (anchor - last.day).days >= DISPLAY_GAP_DAYS:
            gap = (anchor - last.day).days
            message = (
                f"{label} looks like a display date, not the story's: the latest day the text narrates, "
                f"{last.text} ({last.day.isoformat()}), falls {_days(gap)} before it. The text supports "
                f"{last.day.isoformat()}; pass --dct {last.day.isoformat()} (or a published field) to use it."
            )
            return DctCheck(False, message, evidence, last.day)
        return DctCheck(True, _plausible_message(label, latest_yearless, anchor), evidence, None)

    assert latest is not None  # both branches need an explicit date
    proposed = _propose(latest.day, {_weekday_number(w.text) for w in weekdays})
    if proposed is None:
        advice = (
            f" No date in the {SEARCH_DAYS} days after {latest.day.isoformat()} fits all of them; "
            "pass the right date with --dct (or a published field)."
        )
    elif shown:
        advice = (
            f" A date of {proposed.isoformat()} fits all of them; "
            f"pass --dct {proposed.isoformat()} (or a published field) to use it."
        )
    else:
        advice = (
            f" The earliest date that fits is {proposed.isoformat()} ({latest.text}; no narrated weekday "
            f"narrows it further); pass --dct {proposed.isoformat()} (or a published field) to use it."
        )
    return DctCheck(False, problem + advice, evidence, proposed)


def propose_dct(text: str, year: int | None = None) -> DctCheck:
    """A publication date from the text alone, for a document that states none.

    The dated dateline if there is one (its year from the text's full dates or ``year``),
    else the latest explicit date moved forward to fit the narrated weekdays (as
    :func:`check_dct` proposes). A year-less date needs ``year`` (e.g. a page's copyright
    year) or a full date in the text. ``plausible`` is False: the result is a proposal.

    Examples:
        >>> propose_dct("Rebels took the town on Sunday. Fighting has raged since November 27.", 2024).proposed
        datetime.date(2024, 12, 1)
        >>> propose_dct("Rebels took the town on Sunday.").proposed is None
        True
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    rules = load_rules()
    calendar_rules = rules.evidence_rules("calendar")
    first = tag(text, date(2000, 1, 1), "news")
    header = find_header_date(text)
    first = [e for e in first if not (header and header[1] <= e.start < header[2])]
    full_days = [e.earliest.date() for e in first if e.rule_id in calendar_rules and e.anchor_source == "absolute"
                 and e.earliest is not None and e.grain in _DAY_GRAINS
                 and not _FUTURE_CUE.search(_sentence(text, e.start, e.end))]
    if full_days:
        provisional = max(full_days) + timedelta(days=SEARCH_DAYS)
        year_words = f"the text's latest full date, {max(full_days).isoformat()}"
    elif year is not None:
        provisional = date(year, 12, 31)
        year_words = f"the year {year} of the page"
    else:
        return DctCheck(False, "No date found in the text to propose: it gives no full date and no year.")
    dateline = find_dateline(text)
    filed = dateline.date_near(provisional) if dateline is not None else None
    if filed is not None and dateline is not None:
        quoted = text[dateline.start:dateline.end].strip(" -–—")
        return DctCheck(False, f"Proposed {filed.isoformat()} from the dateline {quoted!r} (year from {year_words}).",
                        (quoted,), filed)
    expressions = [e for e in tag(text, provisional, "news") if not (header and header[1] <= e.start < header[2])]
    yearless, full, weekdays, _recent = _collect(text, expressions, provisional)
    explicit = [*yearless, *full]
    if not explicit:
        return DctCheck(False, "No date found in the text to propose: it gives no explicit calendar date.")
    latest = max(explicit, key=lambda d: d.day)
    proposed = _propose(latest.day, {_weekday_number(w.text) for w in weekdays})
    shown = _unique(_weekday_phrase(w.text) for w in sorted(weekdays, key=lambda w: w.day))
    evidence = tuple(_unique([latest.text, *shown]))
    if proposed is None:
        return DctCheck(False, f"No date in the {SEARCH_DAYS} days after {latest.text} ({latest.day.isoformat()}) "
                               "fits the narrated weekdays; nothing proposed.", evidence)
    fits = f"and the narrated {', '.join(shown)}" if shown else "(no narrated weekday narrows it further)"
    return DctCheck(False, f"Proposed {proposed.isoformat()} from the text: its latest explicit date, {latest.text} "
                           f"({latest.day.isoformat()}, year from {year_words}), {fits}.", evidence, proposed)


def _collect(
    text: str, expressions: list[TimeExpression], anchor: date
) -> tuple[list[_Dated], list[_Dated], list[_Dated], list[str]]:
    yearless: list[_Dated] = []
    full: list[_Dated] = []
    weekdays: list[_Dated] = []
    recent: list[str] = []
    rules = load_rules()
    calendar_rules = rules.evidence_rules("calendar")
    weekday_rules = rules.evidence_rules("weekday")
    for e in expressions:
        if _RECENT.search(e.text):
            recent.append(e.text)
            continue
        if e.earliest is None or e.grain not in _DAY_GRAINS:
            continue
        day = e.earliest.date()
        if e.rule_id in calendar_rules:
            if e.anchor_source == "absolute":
                if not _FUTURE_CUE.search(_sentence(text, e.start, e.end)):
                    full.append(_Dated(e.text, day))
            elif day <= anchor:
                yearless.append(_Dated(e.text, day))
        elif e.rule_id in weekday_rules and not _NOT_BARE.search(e.text) and day <= anchor:
            if _WEEKDAY_PHRASE.search(e.text):
                weekdays.append(_Dated(e.text, day))
    return yearless, full, weekdays, recent


def _propose(latest: date, weekdays: set[int]) -> date | None:
    """Earliest d in latest .. latest + SEARCH_DAYS with every weekday's last occurrence in (latest, d]."""
    for offset in range(SEARCH_DAYS + 1):
        d = latest + timedelta(days=offset)
        if all(d - timedelta(days=(d.weekday() - w) % 7) > latest for w in weekdays):
            return d
    return None


def _plausible_message(label: str, latest_yearless: _Dated | None, anchor: date) -> str:
    if latest_yearless is None:
        return f"{label} fits the text: no explicit date in it contradicts it."
    gap = (anchor - latest_yearless.day).days
    return (
        f"{label} fits the text: its latest explicit date, {latest_yearless.text}, "
        f"falls {_days(gap)} before it."
    )


def _sentence(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right_match = _SENTENCE_END.search(text, end)
    return text[left : right_match.start() if right_match else len(text)]


def _weekday_phrase(mention: str) -> str:
    match = _WEEKDAY_PHRASE.search(mention)
    return match.group(0) if match else mention


def _weekday_number(mention: str) -> int:
    return _WEEKDAYS.index(_weekday_phrase(mention).split()[0].lower())


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _unique(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out
