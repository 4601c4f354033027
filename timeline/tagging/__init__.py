"""Temporal tagging: find mentions (phase 1) and the public ``tag`` entry point."""

from __future__ import annotations

from datetime import date, datetime

from ..anchoring import DATE_ORDERS, check_date_order, resolve
from ..errors import InputError
from ..model import Mention, TimeExpression, parse_dct
from .finder import MentionFinder, find_mentions
from .rules import RuleSet, load_rules

__all__ = ["DATE_ORDERS", "Mention", "MentionFinder", "RuleSet", "check_date_order", "find_mentions", "load_rules",
           "parse_dct", "tag"]

_MODES = ("news", "narrative")


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
    return resolve(find_mentions(text), anchor, mode, order, text=text)
