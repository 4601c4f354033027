"""Casualty counts in conflict news sentences: how many killed, how many injured.

``extract_casualties(sentence)`` reads the fatality and injury counts of one
sentence ("At least 25 people have died", "killing 7", "the death toll has risen
to 56, including 20 children") into :class:`CasualtyCount` records, and
``total_fatalities(counts)`` turns them into the one fatality figure of an event.
The rules are data (``timeline/rules/en/events/casualties.yaml``): patterns, word
lists, the vague-quantity table and, for every rule, example sentences with their
expected counts and negative sentences, which run as the tests.

Coding follows ACLED (Armed Conflict Location & Event Data), "Fatalities", in
*Uses and limitations of ACLED data* (acleddata.com knowledge base, published
27 February 2023, updated 7 May 2024; read via the copy at
https://amorecanecorsos.com/article/fatalities-acled/3805):

* Fatalities are "reported fatalities", estimates taken from the sources as
  reported. ACLED does not code injuries; we read them (``kind="injured"``) but
  :func:`total_fatalities` ignores them.
* "If source reports differ or a vague estimate is provided, ACLED uses the most
  conservative estimate available": a range ("between 10 and 15", "10 to 15")
  gives its lower end, flagged ``approximate``.
* "ACLED codes 10 for 'tens,' 12 for 'dozens,' 100 for 'hundreds,' and so on":
  so "scores" 20, "thousands" 1000, "tens of thousands" 10000, "hundreds of
  thousands" 100000 (the value of one unit of the vague word).
* Fatalities are not attributed to groups; the ``who``, ``is_civilian`` and
  ``is_child`` fields are our addition (ACLED puts such detail in its notes).

Not confirmed by the text we could read: the same page refers to a further
section on "how ACLED codes unknown fatality numbers", which was not in the
stored copy. For "several", "numerous", "many", "multiple", "a few", "a handful"
and "a number of" we therefore code 3, a conservative floor of our own (and 2 for
"a couple"), with ``vague_word`` set so callers can tell; the table is data and
can be changed in the YAML file.

A count is ``cumulative`` when it is a running or war-long toll rather than one
event's deaths: "total", "so far", "in all", "overall", "to date", "since
November 27", "has risen to", "bringing the toll to", or a war as the subject
("the war, which has resulted in the deaths of hundreds of thousands").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import InputError, RuleError
from ..yamlio import safe_load

__all__ = ["CasualtyCount", "CasualtyRule", "CasualtyRules", "extract_casualties", "load_casualty_rules",
           "total_fatalities"]

_FLAGS = re.IGNORECASE | re.VERBOSE
_MACRO = re.compile(r"\{([a-z_]+)(?::([a-z]))?\}")
_NAMED_GROUP = re.compile(r"\(\?P<([a-z_]+)>")
_SPACES = re.compile(r"\s+")
_RULE_KEYS = {"id", "note", "pattern", "counts", "priority", "subset", "cumulative", "joined", "examples", "negatives"}
_SUBSET_MODES = ("none", "optional", "required")
#: Clause breaks for the cumulative cues; a comma inside "1,200" is no break.
_CLAUSE_BREAK = re.compile(r"[;:()\[\]—–]|,(?!\d{3}(?!\d))|[.!?](?=\s|$)")
_SENTENCE_BREAK = re.compile(r"[.!?](?=\s+[A-Z\"“]|\s*$)")
#: Where a search window may be widened to: a sentence end, semicolon or line break.
_HARD_BREAK = re.compile(r"[.!?;\n]")
#: How far around a match the clause for the cumulative cues may reach.
_CLAUSE_REACH = 300


@dataclass(frozen=True, slots=True)
class CasualtyCount:
    """One count of people killed or injured, as read from a sentence.

    ``start``/``end``/``text`` delimit the number phrase ("at least 25",
    "hundreds of thousands"). ``who`` is the person noun as written, lower case
    ("people", "children"), or None when the sentence names none ("killing 7").
    ``included_in`` is the index, in the same returned list, of the count this
    one is part of ("56, including 20 children": the 20 has ``included_in=0``).
    ``joined_to`` is the index of the first count of a figure told in groups, to be
    added ("26 soldiers and 15 rebels were killed": both have ``joined_to=0``).
    """

    number: int
    kind: str  # "killed" or "injured"
    who: str | None
    is_civilian: bool | None
    is_child: bool | None
    approximate: bool
    vague_word: str | None
    cumulative: bool
    start: int
    end: int
    text: str
    included_in: int | None
    rule_id: str
    joined_to: int | None = None


@dataclass(frozen=True, slots=True)
class _CountSpec:
    prefix: str
    kind: str  # "killed", "injured", "verb", "inherit" or "same_as:<prefix>"


@dataclass(frozen=True, slots=True)
class CasualtyRule:
    """One compiled casualty rule with its examples and negatives."""

    id: str
    regex: re.Pattern[str]
    counts: tuple[_CountSpec, ...]
    priority: int
    subset: str
    cumulative: bool
    examples: tuple[dict[str, Any], ...]
    negatives: tuple[str, ...]
    #: The rule's counts are groups of one figure, to be added ("a woman and her two children").
    joined: bool = False


@dataclass(frozen=True)
class CasualtyRules:
    """The compiled casualty rules, their tables and the macro names the patterns used."""

    rules: tuple[CasualtyRule, ...]
    vague: dict[str, int]
    numbers: dict[str, dict[str, Any]]
    who: dict[str, dict[str, bool | None]]
    needs_noun: frozenset[str]
    vetoes_before: tuple[re.Pattern[str], ...]
    vetoes_after: tuple[re.Pattern[str], ...]
    vague_before: re.Pattern[str] | None
    year_range: tuple[int, int]
    clause_cues: tuple[re.Pattern[str], ...]
    sentence_cues: tuple[re.Pattern[str], ...]
    #: Comparisons whose "since X" is no period of a toll ("the deadliest day since the end of the
    #: civil war"): masked before the cumulative cues are looked for.
    comparison_cues: tuple[re.Pattern[str], ...]
    incident_cues: tuple[re.Pattern[str], ...]  # "the toll from Monday's strikes": one incident's
    trigger: re.Pattern[str]
    trigger_window: int
    used_macros: frozenset[str]
    raw: dict[str, Any]


# -- loading -----------------------------------------------------------------

def _alternation(words: Iterable[Any], where: str = "casualties.yaml") -> str:
    """Regex alternation of words, longest first, inner spaces matching any whitespace."""
    words = list(words)
    odd = [w for w in words if not isinstance(w, str)]
    if odd:
        raise RuleError(f"{where}: entries {odd!r} are not strings (quote YAML words such as \"on\", \"no\")")
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    parts = [re.escape(w).replace(r"\ ", r"\s+") for w in ordered]
    return "(?:" + "|".join(parts) + ")"


class _Expander:
    """Expand ``{macro}`` and ``{template:x}`` references, recording which were used."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.plain: dict[str, str] = {}
        for name in ("vague_quantity", "number_word", "unit_word", "tens_word", "scale_word", "who_noun"):
            self.plain[name] = _alternation(raw[name], f"casualties.yaml:{name}")
        self.plain["approx"] = _alternation(raw["approx"], "casualties.yaml:approx")
        for name, words in (raw.get("lists") or {}).items():
            if name in self.plain:
                raise RuleError(f"casualties.yaml: list {name!r} shadows a table")
            self.plain[name] = _alternation(words, f"casualties.yaml:lists.{name}")
        self.patterns: dict[str, str] = dict(raw.get("patterns") or {})
        self.templates: dict[str, str] = dict(raw.get("templates") or {})
        clash = (set(self.patterns) | set(self.templates)) & set(self.plain) or set(self.patterns) & set(self.templates)
        if clash:
            raise RuleError(f"casualties.yaml: macro names defined twice: {sorted(clash)}")
        self.used: set[str] = set()

    def expand(self, pattern: str, where: str, depth: int = 0) -> str:
        if depth > 8:
            raise RuleError(f"{where}: macros nested too deep (a cycle?)")

        def sub(m: re.Match[str]) -> str:
            name, prefix = m.group(1), m.group(2)
            self.used.add(name)
            if name in self.templates:
                body = self.expand(self.templates[name], where, depth + 1)
                if prefix:
                    return _NAMED_GROUP.sub(rf"(?P<{prefix}_\1>", body)
                return _NAMED_GROUP.sub("(?:", body)
            if prefix:
                raise RuleError(f"{where}: {{{name}:{prefix}}}: only templates take a prefix")
            if name in self.patterns:
                return "(?:" + self.expand(self.patterns[name], where, depth + 1) + ")"
            if name in self.plain:
                return self.plain[name]
            raise RuleError(f"{where}: pattern uses unknown macro {{{name}}}")

        return _MACRO.sub(sub, pattern)

    def compile(self, pattern: str, where: str) -> re.Pattern[str]:
        try:
            return re.compile(self.expand(pattern, where), _FLAGS)
        except re.error as exc:
            raise RuleError(f"{where}: bad regex: {exc}") from exc


def _load_rule(raw: dict[str, Any], expander: _Expander) -> CasualtyRule:
    rid = raw.get("id")
    where = f"casualties.yaml:{rid}"
    if not rid or "pattern" not in raw or not raw.get("counts"):
        raise RuleError(f"{where}: a rule needs id, pattern and counts")
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise RuleError(f"{where}: unknown keys {sorted(unknown)}")
    subset = str(raw.get("subset", "none"))
    if subset not in _SUBSET_MODES:
        raise RuleError(f"{where}: subset must be one of {_SUBSET_MODES}, not {subset!r}")
    regex = expander.compile(raw["pattern"], where)
    specs = []
    for prefix, spec in raw["counts"].items():
        kind = str((spec or {}).get("kind", "verb"))
        if f"{prefix}_qty" not in regex.groupindex:
            raise RuleError(f"{where}: count {prefix!r} has no {{qty:{prefix}}} in the pattern")
        if kind == "verb" and f"{prefix}_kd" not in regex.groupindex:
            raise RuleError(f"{where}: count {prefix!r} takes its kind from a verb but has no group {prefix}_kd")
        if kind.startswith("same_as:") and f"{kind[8:]}_kd" not in regex.groupindex:
            raise RuleError(f"{where}: count {prefix!r}: {kind} names no verb group")
        if kind not in ("killed", "injured", "verb", "inherit") and not kind.startswith("same_as:"):
            raise RuleError(f"{where}: count {prefix!r} has unknown kind {kind!r}")
        if kind == "inherit" and subset == "none":
            raise RuleError(f"{where}: kind 'inherit' needs subset: optional or required")
        specs.append(_CountSpec(str(prefix), kind))
    return CasualtyRule(
        id=str(rid),
        regex=regex,
        counts=tuple(specs),
        priority=int(raw.get("priority", 0)),
        subset=subset,
        cumulative=bool(raw.get("cumulative", False)),
        examples=tuple(raw.get("examples") or ()),
        negatives=tuple(raw.get("negatives") or ()),
        joined=bool(raw.get("joined", False)),
    )


@lru_cache(maxsize=1)
def load_casualty_rules() -> CasualtyRules:
    """Load and compile ``rules/en/events/casualties.yaml`` (cached).

    Examples:
        >>> rules = load_casualty_rules()
        >>> rules.vague["dozens"], rules.vague["hundreds"]
        (12, 100)
    """
    path = resources.files("timeline") / "rules" / "en" / "events" / "casualties.yaml"
    raw = safe_load(path.read_text(encoding="utf-8"))
    expander = _Expander(raw)
    rules = []
    seen: set[str] = set()
    for entry in raw.get("rules") or []:
        rule = _load_rule(entry, expander)
        if rule.id in seen:
            raise RuleError(f"casualties.yaml: duplicate rule id {rule.id!r}")
        seen.add(rule.id)
        rules.append(rule)
    vetoes = raw.get("vetoes") or {}
    cues = raw.get("cumulative") or {}

    def compile_all(patterns: Iterable[str] | None, where: str) -> tuple[re.Pattern[str], ...]:
        return tuple(expander.compile(p, where) for p in patterns or ())

    trigger_lists = raw.get("triggers") or []
    unknown = [t for t in trigger_lists if t not in (raw.get("lists") or {})]
    if not trigger_lists or unknown:
        raise RuleError(f"casualties.yaml: triggers must name word lists; unknown: {unknown}")
    trigger = expander.compile(r"\b(?:" + "|".join(f"{{{t}}}" for t in trigger_lists) + r")(?![\w-])",
                               "casualties.yaml:triggers")
    low, high = vetoes.get("year_range", [1800, 2100])
    for word, value in raw["vague_quantity"].items():
        if not isinstance(value, int) or value <= 0:
            raise RuleError(f"casualties.yaml: vague quantity {word!r} must be a positive integer, not {value!r}")
    return CasualtyRules(
        rules=tuple(rules),
        vague={str(k).lower(): int(v) for k, v in raw["vague_quantity"].items()},
        numbers={name: {str(k).lower(): v for k, v in raw[name].items()}
                 for name in ("number_word", "unit_word", "tens_word", "scale_word")},
        who={str(k).lower(): dict(v or {}) for k, v in raw["who_noun"].items()},
        needs_noun=frozenset(str(w).lower() for w in raw.get("needs_noun") or ()),
        vetoes_before=compile_all(vetoes.get("before"), "casualties.yaml:vetoes.before"),
        vetoes_after=compile_all(vetoes.get("after"), "casualties.yaml:vetoes.after"),
        vague_before=(expander.compile(vetoes["vague_before"], "casualties.yaml:vetoes.vague_before")
                      if vetoes.get("vague_before") else None),
        year_range=(int(low), int(high)),
        clause_cues=compile_all(cues.get("clause"), "casualties.yaml:cumulative.clause"),
        sentence_cues=compile_all(cues.get("sentence"), "casualties.yaml:cumulative.sentence"),
        comparison_cues=compile_all(cues.get("comparison"), "casualties.yaml:cumulative.comparison"),
        incident_cues=compile_all(cues.get("incident"), "casualties.yaml:cumulative.incident"),
        trigger=trigger,
        trigger_window=int(raw.get("trigger_window", 400)),
        used_macros=frozenset(expander.used),
        raw=raw,
    )


# -- reading one count -------------------------------------------------------

def _norm(text: str) -> str:
    return _SPACES.sub(" ", text.strip().lower())


def _parse_number(raw: str, numbers: dict[str, dict[str, Any]]) -> int | None:
    """Parse "25", "1,200", "1.5 million", "twenty-five", "a dozen", "two hundred and fifty"."""
    t = _norm(raw)
    if not t:
        return None
    scales = numbers["scale_word"]
    if t[0].isdigit():
        m = re.fullmatch(r"([\d,]+(?:\.\d+)?)(?: (\w+))?", t)
        if m is None:
            return None
        value = float(m.group(1).replace(",", ""))
        if m.group(2):
            if m.group(2) not in scales:
                return None
            value *= scales[m.group(2)]
        return int(round(value))
    words = numbers["number_word"]
    if t in words:
        return int(words[t])
    total = current = 0
    for tok in re.split(r"[-\s]+", t):
        if tok == "and":
            continue
        if tok in scales:
            current = max(current, 1) * int(scales[tok])
            if scales[tok] >= 1000:
                total, current = total + current, 0
        elif tok in numbers["tens_word"]:
            current += int(numbers["tens_word"][tok])
        elif tok in words:
            current += int(words[tok])
        else:
            return None
    return total + current


@dataclass(slots=True)
class _Candidate:
    number: int
    kind: str  # may be "inherit" until linked
    who: str | None
    is_civilian: bool | None
    is_child: bool | None
    approximate: bool
    vague_word: str | None
    cumulative: bool
    start: int
    end: int
    text: str
    rule: CasualtyRule
    match_start: int
    match_end: int


def _kind_from(m: re.Match[str], prefix: str) -> str | None:
    if m.group(f"{prefix}_kd") is not None:
        return "killed"
    if f"{prefix}_ki" in m.re.groupindex and m.group(f"{prefix}_ki") is not None:
        return "injured"
    return None


def _read_count(rules: CasualtyRules, rule: CasualtyRule, spec: _CountSpec, m: re.Match[str],
                text: str) -> _Candidate | None:
    p = spec.prefix
    qs, qe = m.span(f"{p}_qty")
    if qs < 0 or qe <= qs:
        return None
    group = m.groupdict()
    vague = group.get(f"{p}_vague")
    mod = group.get(f"{p}_mod")
    low = group.get(f"{p}_lo")
    num_text = low or group.get(f"{p}_num")
    if vague:
        vague_word = _norm(vague)
        number = rules.vague.get(vague_word)
    else:
        vague_word = None
        number = _parse_number(num_text, rules.numbers) if num_text else None
    if number is None:
        return None
    who_raw = group.get(f"{p}_who")
    who = _norm(who_raw) if who_raw else None
    # Context vetoes: years, times, ages, money, unit names, "how many".
    if who is None and num_text:
        if _norm(num_text) in rules.needs_noun:
            return None
        digits = num_text.strip()
        if digits.isdigit() and len(digits) == 4 and rules.year_range[0] <= int(digits) <= rules.year_range[1]:
            return None
    before = text[max(0, qs - 40) : qs]
    after = text[qe : qe + 40]
    if any(v.search(before) for v in rules.vetoes_before):
        return None
    if any(v.match(after) for v in rules.vetoes_after):
        return None
    if vague_word and not mod and rules.vague_before is not None and rules.vague_before.search(before):
        return None
    if spec.kind == "verb":
        kind = _kind_from(m, p)
    elif spec.kind.startswith("same_as:"):
        kind = _kind_from(m, spec.kind[8:])
    else:
        kind = spec.kind
    if kind is None:
        return None
    flags = rules.who.get(who, {}) if who else {}
    return _Candidate(
        number=int(number),
        kind=kind,
        who=who,
        is_civilian=flags.get("civilian"),
        is_child=flags.get("child"),
        approximate=bool(mod or vague or low or group.get(f"{p}_range")),
        vague_word=vague_word,
        cumulative=rule.cumulative,
        start=qs,
        end=qe,
        text=text[qs:qe],
        rule=rule,
        match_start=m.start(),
        match_end=m.end(),
    )


# -- the extractor -------------------------------------------------------------

def _breaks(regex: re.Pattern[str], text: str) -> list[int]:
    return [m.start() for m in regex.finditer(text)]


def _windows(rules: CasualtyRules, text: str) -> list[tuple[int, int]]:
    """Merged search windows around the trigger words, widened to hard breaks."""
    n = len(text)
    w = rules.trigger_window
    spans: list[tuple[int, int]] = []
    for m in rules.trigger.finditer(text):
        lo, hi = m.start() - w, m.end() + w
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(hi, spans[-1][1]))
        else:
            spans.append((lo, hi))
    out: list[tuple[int, int]] = []
    for lo, hi in spans:
        if lo <= 0:
            lo = 0
        else:
            cut = max(text.rfind(c, 0, lo) for c in ".!?;\n")
            lo = cut + 1 if cut >= 0 else 0
        brk = _HARD_BREAK.search(text, min(hi, n))
        hi = brk.end() if brk else n
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(hi, out[-1][1]))
        else:
            out.append((lo, hi))
    return out


def _clause(breaks: list[int], start: int, end: int, n: int) -> tuple[int, int]:
    i = bisect.bisect_left(breaks, start)
    lo = breaks[i - 1] + 1 if i > 0 else 0
    j = bisect.bisect_left(breaks, end)
    hi = breaks[j] if j < len(breaks) else n
    return max(lo, start - _CLAUSE_REACH), min(hi, end + _CLAUSE_REACH)


def extract_casualties(sentence: str) -> list[CasualtyCount]:
    """The casualty counts of a sentence, in text order.

    A count that is part of an earlier one ("including 20 children") points to it
    with ``included_in``. Numbers that are not counts of people killed or injured
    (years, times, ages, distances, money, unit names, "120 rockets", "four
    million people living in shelters") give nothing. Raises
    :class:`~timeline.errors.InputError` if ``sentence`` is not a string.

    Examples:
        >>> [(c.number, c.kind, c.who, c.approximate) for c in extract_casualties(
        ...     "At least 25 people have died in the strikes.")]
        [(25, 'killed', 'people', True)]
        >>> counts = extract_casualties("The toll has risen to 56, including 20 children.")
        >>> [(c.number, c.who, c.cumulative, c.included_in) for c in counts]
        [(56, None, True, None), (20, 'children', True, 0)]
    """
    if not isinstance(sentence, str):
        raise InputError(
            f"extract_casualties: sentence must be a str, got {type(sentence).__name__} ({sentence!r:.60}); "
            "pass one sentence of text"
        )
    rules = load_casualty_rules()
    cands: list[_Candidate] = []
    windows = _windows(rules, sentence)
    for rule in rules.rules:
        for m in (m for lo, hi in windows for m in rule.regex.finditer(sentence, lo, hi)):
            for spec in rule.counts:
                cand = _read_count(rules, rule, spec, m, sentence)
                if cand is not None:
                    cands.append(cand)
    if not cands:
        return []
    # One reading per number phrase: higher priority, then the longer match, wins.
    cands.sort(key=lambda c: (-c.rule.priority, -(c.match_end - c.match_start), c.start))
    starts: list[int] = []
    ends: list[int] = []
    kept: list[_Candidate] = []
    for c in cands:
        k = bisect.bisect_left(starts, c.start)
        if k > 0 and ends[k - 1] > c.start:
            continue
        if k < len(starts) and starts[k] < c.end:
            continue
        starts.insert(k, c.start)
        ends.insert(k, c.end)
        kept.insert(k, c)
    # Cumulative cues: in the clause of the match, or a war-long toll in the sentence; a comparison
    # ("the deadliest day since the end of the civil war") is masked first.
    n = len(sentence)
    cue_text = sentence
    for cue in rules.comparison_cues:
        cue_text = cue.sub(lambda m: " " * len(m.group(0)), cue_text)
    clause_breaks = _breaks(_CLAUSE_BREAK, sentence)
    sentence_breaks = _breaks(_SENTENCE_BREAK, sentence)
    cue_sentences = {bisect.bisect_left(sentence_breaks, m.start())
                     for cue in rules.sentence_cues for m in cue.finditer(cue_text)}
    out: list[CasualtyCount] = []
    last_top: int | None = None
    joined_head: dict[tuple[str, int], int] = {}  # (rule id, match start) -> index of its first count
    for c in kept:
        lo, hi = _clause(clause_breaks, c.match_start, c.match_end, n)
        clause = cue_text[lo:hi]
        incident = any(cue.search(clause) for cue in rules.incident_cues)
        # one incident's toll stays the incident's even as a running figure ("bringing the toll from
        # the hijacking to 31"); a war-long cue of the sentence still makes it a tally
        cumulative = ((not incident and (c.cumulative or any(cue.search(clause) for cue in rules.clause_cues)))
                      or bisect.bisect_left(sentence_breaks, c.start) in cue_sentences)
        included_in = None
        kind = c.kind
        if c.rule.subset != "none":
            parent = out[last_top] if last_top is not None else None
            if parent is not None and (kind == "inherit" or parent.kind == kind):
                included_in = last_top
                kind = parent.kind
                cumulative = cumulative or parent.cumulative
            elif c.rule.subset == "required" or kind == "inherit":
                continue
        joined_to = None
        if c.rule.joined and included_in is None:
            joined_to = joined_head.setdefault((c.rule.id, c.match_start), len(out))
        out.append(CasualtyCount(
            number=c.number, kind=kind, who=c.who, is_civilian=c.is_civilian, is_child=c.is_child,
            approximate=c.approximate, vague_word=c.vague_word, cumulative=cumulative,
            start=c.start, end=c.end, text=c.text, included_in=included_in, rule_id=c.rule.id,
            joined_to=joined_to,
        ))
        if included_in is None:
            last_top = len(out) - 1
    return out


def total_fatalities(counts: Iterable[CasualtyCount], *, cumulative: bool = True) -> int | None:
    """The fatality figure of an event: the largest killed count that is not part of another.

    Groups of one figure ("26 soldiers and 15 rebels were killed") are added; subsets
    ("including 20 children") are already in their parent's number and are
    not added; injuries are ignored (ACLED codes fatalities only). With
    ``cumulative=False`` running or war-long tolls are left out, for the deaths of
    one event only. None when there is no killed count.

    Examples:
        >>> total_fatalities(extract_casualties("The toll has risen to 56, including 20 children."))
        56
        >>> total_fatalities(extract_casualties("Twelve people were wounded.")) is None
        True
    """
    totals: dict[tuple[str, int], int] = {}
    for c in counts:
        if c.kind == "killed" and c.included_in is None and (cumulative or not c.cumulative):
            group = ("joined", c.joined_to) if c.joined_to is not None else ("alone", id(c))
            totals[group] = totals.get(group, 0) + c.number
    return max(totals.values()) if totals else None
