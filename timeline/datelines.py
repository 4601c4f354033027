"""Dates a story states about itself: its dateline, its date lines and its URL.

* Datelines: the place and date a wire story opens with ("BEIRUT, Dec 2 (Reuters) -"),
  :func:`find_dateline`; patterns and agency names in ``rules/en/events/datelines.yaml``.
* Date lines at the top of a story: bylines ("Nov. 30, 2024 / 9:15 PM", "Published
  30 November 2024", "By Jane Doe | December 3, 2024 | 4 min read"), a site's display
  line ("Thursday, 05 December 2024") and "Updated ..." lines, :func:`read_date_line`,
  :func:`find_date_lines` and :func:`find_header_date`.
* URL dates: ``/2024/12/05/``, ``/20241202/``, ``/2024/Dec/08/`` and Unix timestamps,
  :func:`url_date`.

The patterns of the last two are data (``rules/en/events/pubdates.yaml``, beside the other
rules that read a story's layout), with examples that run as tests. :mod:`timeline.ingest`
uses them in its anchor-date cascade and :mod:`timeline.dct_check` to tell a display line
(checked against the text) from a byline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import RuleError
from .yamlio import safe_load

_RULES = Path(__file__).resolve().parent / "rules" / "en" / "events" / "datelines.yaml"
_PUBDATES = Path(__file__).resolve().parent / "rules" / "en" / "events" / "pubdates.yaml"
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


# ---------------------------------------------------------------------------
# Date lines and URL dates (rules/en/events/pubdates.yaml)

#: Kinds of date line, most trusted first: a byline (a publication cue, a time, an author or a
#: reading time next to the date), a bare display line (only a date, maybe a weekday or a
#: section label: a site's "today" line or the story's date, to be checked against the text),
#: and a modified line ("Updated ...").
LINE_KINDS = ("byline", "display", "modified")

_HEADER_LINES = 3
_HEADER_MAX_CHARS = 60
_HEADER_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d{2}(?!\d)")
_HEADER_RELATIVE = re.compile(r"\b(?:ago|yesterday|today|tomorrow|last|next)\b", re.IGNORECASE)
_HEADER_SETTINGS = {
    "STRICT_PARSING": True,
    "REQUIRE_PARTS": ["day", "month", "year"],
    # A fixed base so that nothing can ever resolve against today.
    "RELATIVE_BASE": datetime(2000, 1, 1),
}


@dataclass(frozen=True, slots=True)
class DateLine:
    """A line at the top of a story that states a date: its date, kind and offsets in the text."""

    day: date
    kind: str
    text: str
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class _PubRules:
    dates: tuple[re.Pattern[str], ...]
    published_cue: re.Pattern[str]
    modified_cue: re.Pattern[str]
    time: re.Pattern[str]
    byline: re.Pattern[str]
    furniture: tuple[re.Pattern[str], ...]
    max_chars: int
    url: tuple[tuple[str, re.Pattern[str], bool], ...]
    page_furniture: re.Pattern[str]
    published_keys: frozenset[str]
    modified_keys: frozenset[str]
    raw: dict[str, Any]


@lru_cache(maxsize=1)
def load_pubdate_rules() -> _PubRules:
    """Load and compile ``rules/en/events/pubdates.yaml`` (cached)."""
    try:
        raw = safe_load(_PUBDATES.read_text(encoding="utf-8"))
        lines = raw["lines"]
        macros = {"weekday": str(lines["weekday"]), "month": str(lines["month"])}
        dates = tuple(re.compile(str(p).replace("{weekday}", macros["weekday"]).replace("{month}", macros["month"]))
                      for p in lines["dates"])
        url = tuple((str(r["id"]), re.compile(str(r["pattern"])), bool(r.get("weak", False)))
                    for r in raw["url"]["rules"])
        return _PubRules(dates, re.compile(lines["published_cue"]), re.compile(lines["modified_cue"]),
                         re.compile(lines["time"]), re.compile(lines["byline"]),
                         tuple(re.compile(p) for p in lines["furniture"]), int(lines["max_chars"]), url,
                         re.compile(raw["furniture"]),
                         frozenset(str(k).lower() for k in raw["markup"]["published"]),
                         frozenset(str(k).lower() for k in raw["markup"]["modified"]), raw)
    except (OSError, KeyError, TypeError, yaml.YAMLError, re.error) as exc:
        raise RuleError(f"pubdates.yaml: {exc}") from exc


def parse_date_text(value: str) -> date | None:
    """The first full calendar date (day, month and year) written in ``value``, or None.

    Examples:
        >>> parse_date_text("2024-12-03T09:30:00+00:00"), parse_date_text("Nov. 30, 2024 / 9:15 PM")
        (datetime.date(2024, 12, 3), datetime.date(2024, 11, 30))
        >>> parse_date_text("February 30, 2024") is None
        True
    """
    found = _dates_in(value)
    return found[0][0] if found else None


def _dates_in(line: str) -> list[tuple[date, int, int]]:
    """Real calendar dates in a line, in text order, without overlaps."""
    out: list[tuple[date, int, int]] = []
    for pattern in load_pubdate_rules().dates:
        for m in pattern.finditer(line):
            month_text = m.group("month")
            month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower().rstrip("."))
            if month is None:
                continue
            try:
                day = date(int(m.group("year")), month, int(m.group("day")))
            except ValueError:
                continue
            if not any(s < m.end() and m.start() < e for _, s, e in out):
                out.append((day, m.start(), m.end()))
    return sorted(out, key=lambda item: item[1])


def read_date_line(line: str) -> DateLine | None:
    """Read one line as a date line (byline, display line or modified line), or None.

    A line qualifies when nothing is left of it once its dates, publication or update cues,
    times, "By <name>" and the furniture of ``pubdates.yaml`` (reading time, section label,
    separators) are removed: a sentence that mentions a date never does. With several dates,
    the publication date wins over the update date.

    Examples:
        >>> found = read_date_line("By Jane Mwangi | Published December 3, 2024 | 4 min read")
        >>> found.day, found.kind
        (datetime.date(2024, 12, 3), 'byline')
        >>> read_date_line("Thursday, 05 December 2024").kind
        'display'
        >>> read_date_line("Rebels advanced on December 2, 2024, officials said.") is None
        True
    """
    rules = load_pubdate_rules()
    stripped = line.strip()
    if not stripped or len(stripped) > rules.max_chars:
        return None
    found = _dates_in(stripped)
    if not found:
        return None
    rest = list(stripped)
    for _, s, e in found:
        rest[s:e] = [" "] * (e - s)
    left = "".join(rest)
    for pattern in (rules.published_cue, rules.modified_cue, rules.time, rules.byline, *rules.furniture):
        left = pattern.sub(" ", left)
    if left.strip():
        return None
    has_time = rules.time.search(stripped) is not None
    has_byline = rules.byline.search(stripped) is not None or re.search(r"(?i)\bmin(?:ute)?s?\s+read\b", stripped)
    kinds = []
    for day, s, _e in found:
        before = stripped[:s]
        cues = [(m.end(), "modified") for m in rules.modified_cue.finditer(before)]
        cues += [(m.end(), "byline") for m in rules.published_cue.finditer(before)]
        cue = max(cues)[1] if cues else None
        kind = cue or ("byline" if has_time or has_byline else "display")
        kinds.append((LINE_KINDS.index(kind), day, kind))
    _, day, kind = min(kinds, key=lambda k: k[0])
    return DateLine(day, kind, stripped, 0, len(stripped))


def find_date_lines(text: str, max_lines: int = _HEADER_LINES) -> list[DateLine]:
    """The date lines among the first ``max_lines`` non-empty lines of ``text``, with offsets."""
    out: list[DateLine] = []
    seen = 0
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        start = offset + (len(line) - len(line.lstrip()))
        offset += len(line)
        if not stripped:
            continue
        seen += 1
        if seen > max_lines:
            break
        found = read_date_line(stripped)
        if found is None and len(stripped) <= _HEADER_MAX_CHARS:
            day = _parse_header_line(stripped)
            found = DateLine(day, "display", stripped) if day is not None else None
        if found is not None:
            out.append(DateLine(found.day, found.kind, stripped, start, start + len(stripped)))
    return out


def find_header_date(text: str) -> tuple[date, int, int] | None:
    """Find a date line (a byline or a display line, not an "Updated" line) among the first
    three non-empty lines of ``text``.

    Such a line is the page's display date or the story's byline. Lines are read with the
    patterns of ``pubdates.yaml`` (:func:`read_date_line`), then with dateparser in strict
    mode, English only, requiring day, month and year, so lines like ``Top 5 This Week`` or
    ``2 days ago`` never match. A byline wins over a display line.

    Returns:
        ``(date, start, end)`` with the character offsets of the line (without its
        surrounding whitespace), or None when no such line exists.

    Examples:
        >>> find_header_date("Tuesday, June 17, 2025\\n\\nTop 5 This Week\\n")
        (datetime.date(2025, 6, 17), 0, 22)
        >>> find_header_date("Dec. 2, 2024 4:07 AM\\nRebels advanced.")[0]
        datetime.date(2024, 12, 2)
        >>> find_header_date("Rebels advanced on December 2, 2024.") is None
        True
    """
    lines = [d for d in find_date_lines(text) if d.kind != "modified"]
    if not lines:
        return None
    best = min(lines, key=lambda d: LINE_KINDS.index(d.kind))
    return best.day, best.start, best.end


def header_line(text: str) -> DateLine | None:
    """The date line :func:`find_header_date` picks, with its kind."""
    lines = [d for d in find_date_lines(text) if d.kind != "modified"]
    return min(lines, key=lambda d: LINE_KINDS.index(d.kind)) if lines else None


def _parse_header_line(line: str) -> date | None:
    if len(line) > _HEADER_MAX_CHARS or not _HEADER_YEAR.search(line) or _HEADER_RELATIVE.search(line):
        return None
    import dateparser

    parsed = dateparser.parse(line, languages=["en"], settings=_HEADER_SETTINGS)
    return parsed.date() if parsed is not None else None


def url_date(url: str | None) -> tuple[date, str, bool] | None:
    """The first real calendar date in a URL: ``(date, rule id, weak)``, or None.

    Rules are tried in the order of ``pubdates.yaml``; ``weak`` marks a Unix timestamp (a
    number that may be an id), to be checked against the text.

    Examples:
        >>> url_date("https://example.com/news/2024/Dec/08/talks")
        (datetime.date(2024, 12, 8), 'url_month_name', False)
        >>> url_date("https://example.com/world/20241202/story")[0]
        datetime.date(2024, 12, 2)
        >>> url_date("https://example.com/world/story") is None
        True
    """
    if not url:
        return None
    for rule_id, pattern, weak in load_pubdate_rules().url:
        for m in pattern.finditer(url):
            groups = m.groupdict()
            try:
                if groups.get("timestamp"):
                    day = datetime.fromtimestamp(int(groups["timestamp"]), timezone.utc).date()
                else:
                    month = _MONTHS[groups["monthname"].lower()] if groups.get("monthname") else int(groups["month"])
                    day = date(int(groups["year"]), month, int(groups["day"]))
            except (ValueError, KeyError, OverflowError):
                continue
            return day, rule_id, weak
    return None
