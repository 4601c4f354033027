"""Temporal tagging: find mentions (phase 1) and the public ``tag`` entry point."""

from __future__ import annotations

import re
from datetime import date, datetime

from ..anchoring import DATE_ORDERS, check_date_order, resolve
from ..errors import InputError
from ..model import TimeExpression
from .finder import Mention, MentionFinder, find_mentions
from .rules import RuleSet, load_rules

__all__ = ["DATE_ORDERS", "Mention", "MentionFinder", "RuleSet", "check_date_order", "find_mentions", "load_rules",
           "parse_dct", "tag"]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_MODES = ("news", "narrative")


def parse_dct(dct: str | date | datetime | None) -> date | None:
    """Validate an anchor date given as ``YYYY-MM-DD``, a date or a datetime.

    Examples:
        >>> parse_dct("2024-12-02")
        datetime.date(2024, 12, 2)
        >>> parse_dct("2024-13-45")
        Traceback (most recent call last):
        ...
        timeline.errors.InputError: invalid DCT '2024-13-45': month must be in 1..12; expected YYYY-MM-DD (e.g. 2024-12-02), a datetime.date or a datetime.datetime
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
    text = dct.strip()
    if not _ISO_DATE.match(text):
        raise InputError(f"invalid DCT {dct!r}: {accepted}")
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise InputError(f"invalid DCT {dct!r}: {exc}; {accepted}") from None


def tag(
    text: str,
    dct: str | date | datetime | None = None,
    mode: str = "news",
    date_order: str | None = None,
) -> list[TimeExpression]:
    """Find every temporal expression in ``text`` and resolve it.

    Args:
        text: the document text.
        dct: the document creation time (publication date) used as anchor; None
            leaves relative expressions unresolved (``anchor_source="none"``).
        mode: ``"news"`` anchors deictic expressions on the DCT; ``"narrative"``
            anchors them on the last mentioned time (histories, timelines).
        date_order: how slash dates such as "03/04/2024" are read: ``"MDY"`` (March 4),
            ``"DMY"`` (3 April), ``"YMD"`` (two-digit year first: "24/11/27" is 2024-11-27),
            or None / ``"auto"``: the document decides (a "25/11/2024" elsewhere in it makes
            it day first, an "11/25/2024" month first); when nothing does, the order whose
            readings lie nearer the DCT (month first on a tie, with no reading within a year
            of it, or without a DCT), and those expressions are ``ambiguous=True``. A date
            that can be read only one way ("25/11/2024" under MDY) is read that way.

    Returns:
        The expressions in text order, non-overlapping.

    Examples:
        >>> [(e.text, e.value) for e in tag("Rebels advanced on Friday night.", dct="2024-12-02")]
        [('Friday night', '2024-11-29TNI')]
        >>> [(e.value, e.ambiguous) for e in tag("Updated 03/04/2024.", dct="2024-12-02", date_order="DMY")]
        [('2024-04-03', False)]
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    if mode not in _MODES:
        raise InputError(f"invalid mode {mode!r}: expected one of {', '.join(_MODES)}")
    order = check_date_order(date_order)
    anchor = parse_dct(dct)
    if not text:
        return []
    return resolve(find_mentions(text), anchor, mode, order)
