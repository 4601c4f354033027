"""Datelines: the place and date a wire story opens with ("BEIRUT, Dec 2 (Reuters) -").

The patterns and the agency names are data (``rules/en/events/datelines.yaml``, beside
the other rules that read a story's layout), with examples that run as tests.
:func:`find_dateline` is used by :mod:`timeline.dct_check`: a dated dateline says which
day the story was filed, the strongest evidence a text gives for its publication date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import RuleError
from .yamlio import safe_load

_RULES = Path(__file__).resolve().parent / "rules" / "en" / "events" / "datelines.yaml"
_MONTHS = {m: i for i, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), start=1) for m in names}


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline found in a text: where it was filed, the month and day if given, and by whom."""

    place: str
    month: int | None
    day: int | None
    year: int | None
    agency: str
    start: int
    end: int

    def date_near(self, anchor: date) -> date | None:
        """The dateline's date: its own year if given, else the last such day on or before the day
        after ``anchor`` (a story is filed before it is published or republished), else the nearest."""
        if self.month is None or self.day is None:
            return None
        years = [self.year] if self.year else [anchor.year - 1, anchor.year, anchor.year + 1]
        days = []
        for y in years:
            try:
                days.append(date(y, self.month, self.day))
            except ValueError:
                continue
        if not days:
            return None
        before = [d for d in days if (d - anchor).days <= 1]
        return max(before) if before else min(days, key=lambda d: abs((d - anchor).days))


@dataclass(frozen=True)
class _Rules:
    regex: re.Pattern[str]
    search_chars: int
    examples: tuple[dict[str, Any], ...]
    negatives: tuple[str, ...]


@lru_cache(maxsize=1)
def load_dateline_rules() -> _Rules:
    """Load and compile ``rules/en/events/datelines.yaml`` (cached)."""
    try:
        raw = safe_load(_RULES.read_text(encoding="utf-8"))
        agencies = "|".join(re.escape(str(a)) for a in sorted(raw["agencies"], key=len, reverse=True))
        regex = re.compile(str(raw["pattern"]).replace("{agencies}", agencies))
        return _Rules(regex, int(raw.get("search_chars", 600)), tuple(raw.get("examples") or ()),
                      tuple(raw.get("negatives") or ()))
    except (OSError, KeyError, TypeError, yaml.YAMLError, re.error) as exc:
        raise RuleError(f"datelines.yaml: {exc}") from exc


def find_dateline(text: str) -> Dateline | None:
    """The dateline at the start of a story, if any.

    Examples:
        >>> d = find_dateline("BEIRUT, Dec 2 (Reuters) - At least 25 people were killed.")
        >>> d.place, d.month, d.day, d.agency
        ('BEIRUT', 12, 2, 'Reuters')
        >>> d.date_near(date(2025, 6, 17))
        datetime.date(2024, 12, 2)
        >>> find_dateline("Rebels advanced on Hama.") is None
        True
    """
    rules = load_dateline_rules()
    m = rules.regex.search(text, 0, min(len(text), rules.search_chars))
    if m is None:
        return None
    month = _MONTHS.get((m.group("month") or "").lower())
    day = int(m.group("day")) if m.group("day") else None
    year = int(m.group("year")) if m.group("year") else None
    return Dateline(" ".join(m.group("place").split()), month, day if month else None, year, m.group("agency"),
                    m.start("place"), m.end())
