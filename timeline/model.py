"""Records shared by every stage: the resolved temporal expression and its grain.

A :class:`TimeExpression` is what :func:`timeline.tag` returns: a span of the
input text, its TIMEX3 type and value, and the half-open interval of instants
it can denote. Durations and vague references have no interval.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

# GRAINS (finest to coarsest: Duckling's names plus part-of-day and season) and
# ANCHOR_SOURCES (how an expression got its value) are defined once in timeline.vocabulary.
from .errors import InputError
from .vocabulary import ANCHOR_SOURCES as ANCHOR_SOURCES
from .vocabulary import GRAINS as GRAINS

#: TIMEX3 types.
TYPES = ("DATE", "TIME", "DURATION", "SET")


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """One temporal expression found in a text and resolved.

    Attributes:
        text: the expression exactly as it appears (``text[start:end]`` of the input).
        start, end: Python ``str`` offsets into the input text.
        type: TIMEX3 type: DATE, TIME, DURATION or SET.
        value: ISO-TimeML TIMEX3 value (``2024-11-29TNI``, ``2024-W49``, ``P3D``,
            ``PAST_REF``, ``XXXX-WXX-5``...). Unresolvable parts are ``X``.
        mod: TIMEX3 mod (START, MID, END, APPROX, BEFORE, AFTER, ...) or None.
        earliest, latest: half-open bounds ``[earliest, latest)`` of the instants the
            expression can denote; None for durations, sets, vague references and
            anything left unresolved.
        grain: precision of the value (see :data:`GRAINS`), or None for vague refs.
        anchor: the date a relative expression was resolved against, else None.
        anchor_source: ``dct``, ``narrative``, ``absolute`` (needed no anchor) or
            ``none`` (relative but no anchor was available).
        rule_id: id of the rule that matched, to trace every value to its rule.
        quant: TIMEX3 quant for sets (``EVERY``), else None.
        freq: TIMEX3 freq for sets (``1W``...), else None.
        since: True for "since X": the text speaks of the interval from X up to
            the anchor; ``until`` holds its end.
        until: for "since X", the end of that interval (the end of the DCT day),
            so later stages can use ``[earliest, until)``; None otherwise.
        ambiguous: True for a slash date ("03/04/2024") whose day/month order was
            guessed: nothing in the document settled it and no ``date_order`` was given.
    """

    text: str
    start: int
    end: int
    type: str
    value: str
    mod: str | None = None
    earliest: datetime | None = None
    latest: datetime | None = None
    grain: str | None = None
    anchor: date | None = None
    anchor_source: str = "absolute"
    rule_id: str = ""
    quant: str | None = None
    freq: str | None = None
    since: bool = False
    until: datetime | None = None
    ambiguous: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: datetimes and dates as ISO strings."""
        out = asdict(self)
        for key in ("earliest", "latest", "anchor", "until"):
            if out[key] is not None:
                out[key] = out[key].isoformat()
        return out


#: Where a document's anchor date (DCT) came from, most trusted first.
DCT_SOURCES = ("given", "html-meta", "url", "text-header", "none")

#: What happened to an input document.
DOCUMENT_STATUSES = ("ok", "degraded", "skipped")


@dataclass(frozen=True, slots=True)
class Article:
    """One input document after ingest: text plus where its anchor date came from.

    Attributes:
        doc_id: stable identifier (file stem, JSONL ``doc_id`` or ``<file>:<line>``).
        text: the main text ("" when the document was skipped).
        published: the anchor date (DCT) to resolve relative expressions against, or None.
        dct_source: one of :data:`DCT_SOURCES`.
        source: where it was read from: a path, ``path:line`` for JSONL, or ``<memory>``.
        title, url: optional metadata.
        publisher: the outlet that published it ("Reuters", "Syria Direct"), from the metadata
            (``publisher``, ``outlet``, ``site_name``) or the page's site name; None if unknown.
        status: ``ok``, ``degraded`` (processed with a caveat: guessed encoding,
            doubtful DCT, truncated...) or ``skipped`` (not processed; see ``reason``).
        reason: why the document was skipped or degraded, in plain words.
        warnings: further caveats, each a plain sentence.
        proposed_dct: a better anchor date suggested by the evidence, if any (never applied silently).
        mode: how relative times are anchored for this document: ``news`` (on the DCT)
            or ``narrative`` (on the last mentioned time); None uses the build's mode.
        date_order: how this document writes slash dates (``MDY``, ``DMY`` or ``YMD``; see
            :func:`timeline.tag`); None uses the build's ``date_order``.
    """

    doc_id: str
    text: str
    published: date | None = None
    dct_source: str = "none"
    source: str = "<memory>"
    title: str | None = None
    url: str | None = None
    status: str = "ok"
    reason: str = ""
    warnings: tuple[str, ...] = ()
    proposed_dct: date | None = None
    mode: str | None = None
    date_order: str | None = None
    publisher: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """A temporal expression found in the text, before resolution.

    ``fields`` holds normalised values of the captured parts; ``tense`` is
    ``"future"``, ``"past"`` or None as read from nearby cue words; ``since``
    tells the mention follows "since".
    """

    start: int
    end: int
    text: str
    rule_id: str
    type: str
    kind: str
    fields: dict[str, Any] = field(default_factory=dict)
    tense: str | None = None
    since: bool = False
    preceding: str = ""  # the word just before the mention, lower case ("until", "in", ...)
    background: bool = False  # off the story's line: "(1921)", "papers discovered in 1998 showed"


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")


def parse_dct(dct: str | date | datetime | None) -> date | None:
    """Validate an anchor date given as ``YYYY-MM-DD``, a date or a datetime.

    Examples:
        >>> parse_dct("2024-12-02")
        datetime.date(2024, 12, 2)
        >>> parse_dct("2024-13-45")  # doctest: +NORMALIZE_WHITESPACE
        Traceback (most recent call last):
        ...
        timeline.errors.InputError: invalid DCT '2024-13-45': month must be in 1..12; expected YYYY-MM-DD
        (e.g. 2024-12-02), a datetime.date or a datetime.datetime
    """
    if dct is None:
        return None
    if isinstance(dct, datetime):
        return dct.date()
    if isinstance(dct, date):
        return dct
    accepted = "expected YYYY-MM-DD (e.g. 2024-12-02), a datetime.date or a datetime.datetime"
    if not isinstance(dct, str):
        raise InputError(f"invalid DCT of type {type(dct).__name__}: {accepted}")
    day, problem = iso_day(dct)
    if problem is None:
        return day
    if problem == NOT_ISO:
        raise InputError(f"invalid DCT {dct!r}: {accepted}")
    raise InputError(f"invalid DCT {dct!r}: {problem}; {accepted}")


#: What :func:`iso_day` says of text that is not ``YYYY-MM-DD`` (optionally with a time).
NOT_ISO = "not in ISO form"


def iso_day(text: str) -> tuple[date | None, str | None]:
    """The day of an ISO date or datetime string, or None and why not (the one ISO reader of the package).

    Examples:
        >>> iso_day("2024-12-02T09:15:00Z")
        (datetime.date(2024, 12, 2), None)
        >>> iso_day("2 Dec 2024")
        (None, 'not in ISO form')
        >>> iso_day("2024-02-30")
        (None, 'day is out of range for month')
    """
    text = text.strip()
    if not _ISO_DATE.match(text):
        return None, NOT_ISO
    try:
        return date.fromisoformat(text[:10]), None
    except ValueError as exc:
        return None, str(exc)
