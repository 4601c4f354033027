"""Who gives a casualty figure: a party's claim or an independent count.

``claimant(text)`` reads the attribution of a sentence ("the defence ministry said on
Sunday", "according to the Syrian Observatory") and returns the party that claims a toll,
or None when the source is independent (a monitor, rescuers, a hospital, the UN) or not
named. The patterns are data (``rules/en/events/sources.yaml``); its examples run as tests.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from ..errors import RuleError
from ..yamlio import safe_load


@lru_cache(maxsize=1)
def _raw() -> dict:
    return safe_load((resources.files("timeline") / "rules" / "en" / "events" / "sources.yaml")
                          .read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...], tuple[dict, ...]]:
    raw = _raw()
    try:
        parties = tuple(re.compile(p, re.IGNORECASE) for p in raw["parties"])
        independent = tuple(re.compile(p, re.IGNORECASE) for p in raw["independent"])
    except (KeyError, TypeError, re.error) as exc:
        raise RuleError(f"sources.yaml: {exc}") from exc
    return parties, independent, tuple(raw.get("examples") or ())


@lru_cache(maxsize=1)
def _claim_content() -> tuple[re.Pattern[str], ...]:
    try:
        return tuple(re.compile(p, re.IGNORECASE) for p in _raw().get("claim_content") or ())
    except re.error as exc:
        raise RuleError(f"sources.yaml: claim_content: {exc}") from exc


_SPEAKER = re.compile(r"^[\s,|]*(?:(?:while|whereas|and|but|as|although)\s+)?(?:according\s+to\s+)?(?:the\s+)?(.+?)\s+"
                      r"(?:said|says|told|reported|claimed|announced|"
                      r"stated|added)\b", re.IGNORECASE)


def claim_of(sentence: str, attribution: str) -> str | None:
    """The claimant of a sentence's toll: a party named in the attribution, or the speaker of a
    figure of killings by its own side ("its forces had killed 200 militants").

    Examples:
        >>> claim_of("The centre said the air force had killed 200 militants.", "The centre said")
        'centre'
        >>> claim_of("Rescuers said 25 people were killed.", "Rescuers said") is None
        True
    """
    _, independent, _ = _patterns()
    who = claimant(attribution)
    if who is not None or any(p.search(attribution) for p in independent):
        return who
    if any(p.search(sentence) for p in _claim_content()):
        m = _SPEAKER.match(attribution.split("|")[0]) if attribution else None
        return " ".join(m.group(1).split()) if m else "the party giving the figure"
    return None


@lru_cache(maxsize=1)
def _independent_names() -> tuple[tuple[str, re.Pattern[str]], ...]:
    try:
        return tuple((str(name), re.compile(p, re.IGNORECASE))
                     for name, p in (_raw().get("independent_names") or {}).items())
    except (TypeError, AttributeError, re.error) as exc:
        raise RuleError(f"sources.yaml: independent_names: {exc}") from exc


def figure_source(sentence: str, attribution: str) -> str | None:
    """Who gives a sentence's figure: the claimant for a party's claim, else the name of the
    independent source in the attribution (``independent_names`` in sources.yaml), else None.

    Examples:
        >>> figure_source("At least 25 people were killed, the White Helmets said.", "the White Helmets said")
        'White Helmets'
        >>> figure_source("The ministry said 16 soldiers were killed.", "The defence ministry said")
        'defence ministry'
    """
    who = claim_of(sentence, attribution)
    if who is not None:
        return who
    for name, pattern in _independent_names():
        if pattern.search(attribution):
            return name
    return None


def examples() -> tuple[dict, ...]:
    """The example sentences of sources.yaml with their expected claimant."""
    return _patterns()[2]


def claimant(attribution: str) -> str | None:
    """The party that claims a figure, read from the attribution text; None for independent sources.

    Examples:
        >>> claimant("Syria's Defense Ministry said on Sunday")
        "Syria's Defense Ministry"
        >>> claimant("the Syrian Observatory for Human Rights said") is None
        True
    """
    parties, independent, _ = _patterns()
    if any(p.search(attribution) for p in independent):
        return None
    for p in parties:
        m = p.search(attribution)
        if m:
            # "acknowledged by the army", "while the defence ministry said": the party's name alone
            return re.sub(r"^(?:(?:by|while|whereas|and|but|as|although)\s+)?(?:the|its|their)\s+", "",
                          " ".join(m.group().split()), flags=re.IGNORECASE)
    return None
