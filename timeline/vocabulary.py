"""The project's closed vocabularies: event types, grains and anchor sources, defined once.

Every stage that names an event type, a grain or an anchor source reads it from here:
the trigger loader rejects a type not listed (:func:`check_event_type`), the event
table builds its categorical dtypes from these tuples, the charts take their colours
from :data:`EVENT_TYPE_INFO` and the ACLED export keeps the types flagged ``acled``.
This module is the bottom of the import graph: it imports nothing from ``timeline``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ACLED_EVENT_TYPES",
    "ANCHOR_SOURCES",
    "EVENT_TYPES",
    "EVENT_TYPE_INFO",
    "GRAINS",
    "TYPE_COLORS",
    "EventType",
    "check_event_type",
]


@dataclass(frozen=True, slots=True)
class EventType:
    """One event type.

    Attributes:
        name: the value of the ``event_type`` column (ACLED's spelling for ACLED types).
        acled: True for the six types ACLED records; False for the timeline-only types
            (casualty report, displacement, diplomacy, statement), which the ACLED export drops.
        color: fixed display colour (hex), the same in every chart.
    """

    name: str
    acled: bool
    color: str


#: Event types in display order (ACLED's first, then the timeline-only types). Colours: the
#: Okabe-Ito palette (safe for the common colour-vision deficiencies), with the two talk-only
#: types in greys of different lightness.
EVENT_TYPE_INFO: tuple[EventType, ...] = (
    EventType("Battles", True, "#D55E00"),                     # vermillion
    EventType("Explosions/Remote violence", True, "#E69F00"),  # orange
    EventType("Violence against civilians", True, "#CC79A7"),  # reddish purple
    EventType("Protests", True, "#56B4E9"),                    # sky blue
    EventType("Riots", True, "#F0E442"),                       # yellow
    EventType("Strategic developments", True, "#0072B2"),      # blue
    EventType("casualty report", False, "#000000"),            # black
    EventType("displacement", False, "#009E73"),               # bluish green
    EventType("diplomacy", False, "#737373"),                  # dark grey
    EventType("statement", False, "#B3B3B3"),                  # light grey
)

#: Event type names, in display order.
EVENT_TYPES: tuple[str, ...] = tuple(t.name for t in EVENT_TYPE_INFO)

#: The event types ACLED records (the others are the timeline's own).
ACLED_EVENT_TYPES: tuple[str, ...] = tuple(t.name for t in EVENT_TYPE_INFO if t.acled)

#: Display colour of each event type.
TYPE_COLORS: dict[str, str] = {t.name: t.color for t in EVENT_TYPE_INFO}

#: Grains (precisions) from finest to coarsest: Duckling's names plus part-of-day and season.
#: The ``precision`` column of the event table is an ordered categorical of these.
GRAINS: tuple[str, ...] = (
    "minute",
    "hour",
    "part-of-day",
    "day",
    "week",
    "month",
    "season",
    "quarter",
    "half",
    "year",
    "decade",
    "century",
)

#: How a time expression got its value: resolved on the publication date (``dct``), on the
#: last date of the narrative, needed no anchor (``absolute``), or had none (``none``).
ANCHOR_SOURCES: tuple[str, ...] = ("dct", "narrative", "absolute", "none")


def check_event_type(value: object) -> str | None:
    """Why ``value`` is not a known event type, or None when it is one.

    Examples:
        >>> check_event_type("Battles") is None
        True
        >>> check_event_type("Battle")[:56]
        "unknown event type 'Battle'; known types: Battles, Explo"
    """
    if isinstance(value, str) and value in EVENT_TYPES:
        return None
    return f"unknown event type {value!r}; known types: {', '.join(EVENT_TYPES)}"
