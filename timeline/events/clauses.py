"""Clause scope of a sentence: which time expression may date which event.

A light, rule-based clause analysis (cues in ``rules/en/events/clauses.yaml``):
a sentence is cut into :class:`Segment` records, each one of

* ``main``: a main clause; a sentence has one or more, cut at coordinating breaks
  ("..., and", "; ", " - ", ", while");
* ``attribution``: the frame of reported speech, whose time belongs to the report
  ("rescuers said early on Monday", "according to the monitor");
* ``complement``: what a reporting verb reports ("that rebels had captured the town");
* ``relative``: a relative clause ("towns that had fallen to rebels in recent days");
* ``subordinate``: a subordinate clause ("after rebels entered the city on Friday"),
  with the relation of the governing clause to it (``after``, ``before``, ...);
* ``quote``: a quotation.

Segments nest: :meth:`ClauseMap.segment_at` returns the innermost one. Nothing is
parsed statistically; the cues are word lists a linguist can extend, and the
examples in the YAML run as tests.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import RuleError
from ..yamlio import safe_load

SEGMENT_KINDS = ("main", "attribution", "complement", "relative", "subordinate", "quote")

#: Coordinating breaks between main clauses (document-independent, so a regex, not a list).
_MAIN_BREAK = re.compile(
    r";|:\s|\s[-–—]\s|,\s+(?:and|but|while|whereas|prompting|coinciding|marking)\b"
    r"|\s(?:while|whereas|coinciding\s+with|prompting|and\s+agreed|and\s+said)\s",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"[\"“][^\"”]{3,}[\"”]")
#: What may follow a short quoted phrase that is its own speech: "..., he said".
_QUOTE_ATTRIBUTION = re.compile(r"\s*,?\s*(?:[\w'’.-]+\s+){0,4}?(?:said|says|told|added|wrote|tweeted|asked)\b")


def _partial_quote(text: str, qstart: int, qend: int, floor: int) -> bool:
    """True for a short quoted phrase inside a clause of the reporter ("the army said it had carried
    out a "temporary redeployment"", "it had "neutralised" 21 militants"): the words are the
    speaker's, the clause and its events are the report's, unlike a quoted sentence."""
    inner = text[qstart + 1 : qend - 1]
    if len(inner.split()) > 6 or re.search(r"[.!?;:]", inner) or _QUOTE_ATTRIBUTION.match(text, qend):
        return False
    return bool(load_clause_rules().partial_quote_after.search(text, max(floor, qstart - 30), qstart))
_COMMA_OR_END = re.compile(r",(?!\d{3})|;|\s[-–—]\s|[.!?](?=\s|$)")
_WORD = re.compile(r"[\w'’-]+")
#: Words before "that" that make it a conjunction, not a relative pronoun.
#: Between "that" and a time it opens: "that on Saturday", "that late on Friday".
_TIME_OPENS = re.compile(r"\s+(?:(?:on|in|at|during|over|by|late|early)\s+){0,2}", re.IGNORECASE)
_THAT_NOT_RELATIVE = frozenset({"so", "such", "now", "given", "except", "provided", "and", "but", "believe",
                                "hope", "fear", "feared", "know", "knew", "think", "thought", "clear", "sure",
                                "aware", "evidence", "news", "fact", "indicating", "showing", "saying",
                                "warning", "adding", "noting", "claiming", "confirming", "alleging", "insisting",
                                "arguing", "stating"})


@dataclass(frozen=True, slots=True)
class Segment:
    """A clause-like span of a sentence (document offsets, half-open)."""

    start: int
    end: int
    kind: str
    cue: str = ""
    relation: str | None = None  # subordinate: relation of the governing clause to this one


@dataclass(frozen=True)
class ClauseRules:
    """The compiled cues of clauses.yaml."""

    reporting: re.Pattern[str]
    openers: re.Pattern[str]
    relative: re.Pattern[str]
    subordinators: re.Pattern[str]
    subordinate_relation: dict[str, str]
    tense: tuple[tuple[str, re.Pattern[str]], ...]
    topic_shift: re.Pattern[str]
    narrative_reach: int
    vague_windows: dict[str, int]
    fallback_days: int
    recent_perfect_days: int
    lead_days: int
    past_verbs: frozenset[str]
    coordinated_verb: re.Pattern[str]
    as_clause: re.Pattern[str]
    examples: tuple[dict[str, Any], ...]
    reporting_words: frozenset[str]
    intention: re.Pattern[str]
    present_words: re.Pattern[str]
    stative_relative: re.Pattern[str]  # "that links", "which connects": a relative clause of a lasting state
    stative_present: re.Pattern[str]  # "is slated", "has": a present state, not an occurrence
    present_auxiliaries: re.Pattern[str]
    end_bound: re.Pattern[str]  # "until", "through" right before a time: the end of a state
    partial_quote_after: re.Pattern[str]  # "carried out a" before a short quote: the report's own clause
    #: "before": a past perfect under a dated report lies before the report's day (issue 8);
    #: "on_or_before": up to and including it (the report day is then the table's date)
    past_perfect_report: str = "before"


def _words(words: list[Any], where: str) -> str:
    bad = [w for w in words if not isinstance(w, str)]
    if bad:
        raise RuleError(f"clauses.yaml: {where}: entries {bad!r} are not strings (quote YAML words such as \"no\")")
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) + ")"


def _wordlist(words: list[Any], where: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'’-])" + _words(words, where) + r"(?![\w'’-])", re.IGNORECASE)


@lru_cache(maxsize=1)
def load_clause_rules() -> ClauseRules:
    """Load and compile ``rules/en/events/clauses.yaml`` (cached)."""
    raw = safe_load((resources.files("timeline") / "rules" / "en" / "events" / "clauses.yaml")
                         .read_text(encoding="utf-8"))
    required = ("reporting_verbs", "attribution_openers", "relative_pronouns", "subordinators", "tense_cues",
                "topic_shift_openers")
    missing = [k for k in required if k not in raw]
    if missing:
        raise RuleError(f"clauses.yaml: missing sections {missing}")
    subs = {str(k).lower(): str(v) for k, v in raw["subordinators"].items()}
    bad = {k: v for k, v in subs.items() if v not in ("after", "before", "included", "since")}
    if bad:
        raise RuleError(f"clauses.yaml: subordinators {bad}: relation must be after, before, included or since")
    tense = tuple((name, _wordlist(cues, f"tense_cues.{name}")) for name, cues in raw["tense_cues"].items())
    past = frozenset(str(w).lower() for w in raw.get("past_verbs") or ())
    past_alt = "|".join(sorted(map(re.escape, past), key=len, reverse=True)) or "(?!)"
    return ClauseRules(
        reporting=_wordlist(raw["reporting_verbs"], "reporting_verbs"),
        openers=_wordlist(raw["attribution_openers"], "attribution_openers"),
        relative=_wordlist(raw["relative_pronouns"], "relative_pronouns"),
        subordinators=_wordlist(list(subs), "subordinators"),
        subordinate_relation=subs,
        tense=tense,
        topic_shift=re.compile(r"^\W*" + _words(raw["topic_shift_openers"], "topic_shift_openers") + r"\b",
                               re.IGNORECASE),
        narrative_reach=int(raw.get("narrative_reach", 4)),
        vague_windows={str(k): int(v) for k, v in (raw.get("vague_windows") or {}).items()},
        fallback_days=int(raw.get("fallback_days", 7)),
        recent_perfect_days=int(raw.get("recent_perfect_days", 2)),
        lead_days=int(raw.get("lead_days", 2)),
        past_verbs=past,
        coordinated_verb=re.compile(r"\b(?:and|but)\s+(?:then\s+|also\s+|later\s+|quickly\s+)?(?:[a-z]+ed|"
                                    + past_alt + r")\b"),
        as_clause=re.compile(r"\s+(?!(?:part|a|an|well|much|many|far|long|soon|if|though|of|for|to|the\s+result)\b)"
                             r"(?:the\s+|its\s+|their\s+)?(?:[\w'’.-]+\s+){0,4}?(?:[a-z]+ed|" + past_alt + r")\b"),
        examples=tuple(raw.get("examples") or ()),
        reporting_words=frozenset(str(w).lower() for w in raw["reporting_verbs"]),
        intention=re.compile(r"(?<![\w'’-])" + _words(raw.get("intention_verbs") or ["plans"], "intention_verbs")
                             + r"\s+to\s+(?!(?:the|a|an|its|his|her|their|this|that|these|those|some|all|"
                               r"\d)\b|\d)", re.IGNORECASE),
        present_words=_wordlist(raw.get("present_words") or ["says"], "present_words"),
        stative_present=_wordlist(raw.get("stative_present_words") or ["expected"], "stative_present_words"),
        stative_relative=re.compile(r"\s*(?:that|which)\s+" + _words(raw.get("stative_relative_verbs") or ["links"],
                                                                     "stative_relative_verbs") + r"\b", re.IGNORECASE),
        present_auxiliaries=_wordlist(raw.get("present_auxiliaries") or ["is"], "present_auxiliaries"),
        partial_quote_after=re.compile(r"(?<![\w'’-])" + _words(raw.get("partial_quote_after") or ["a"],
                                                                  "partial_quote_after") + r"\s*$", re.IGNORECASE),
        end_bound=re.compile(r"(?<![\w'’-])" + _words(raw.get("end_bound_words") or ["until"], "end_bound_words")
                             + r"\s+(?:the\s+)?$", re.IGNORECASE),
        past_perfect_report=_past_perfect_report(raw.get("past_perfect_report", "before")),
    )


def _past_perfect_report(value: Any) -> str:
    if value not in ("before", "on_or_before"):
        raise RuleError(f"clauses.yaml: past_perfect_report must be 'before' or 'on_or_before', got {value!r}")
    return str(value)


def _span_end(text: str, pos: int, limit: int) -> int:
    """The end of a clause that starts at ``pos``: the next comma, semicolon, dash or sentence end."""
    m = _COMMA_OR_END.search(text, pos, limit)
    return m.start() if m else limit


def _chunk_start(text: str, pos: int, floor: int) -> int:
    """Start of the comma-delimited chunk that holds ``pos``."""
    cut = max(text.rfind(",", floor, pos), text.rfind(";", floor, pos))
    return floor if cut < 0 else cut + 1


@dataclass
class ClauseMap:
    """The segments of one sentence, innermost lookup by offset."""

    start: int
    end: int
    segments: list[Segment]

    def __post_init__(self) -> None:
        self.segments.sort(key=lambda s: (s.start, -s.end))
        self._starts = [s.start for s in self.segments]

    def segment_at(self, pos: int, quotes: bool = False) -> Segment:
        """The innermost segment containing ``pos`` (a main clause if nothing else).

        Quotations are transparent unless ``quotes`` is true: a quoted event keeps the
        time of the clause that quotes it."""
        i = bisect.bisect_right(self._starts, pos)
        best: Segment | None = None
        for seg in self.segments[:i][::-1]:
            if seg.kind == "quote" and not quotes:
                continue
            if seg.start <= pos < seg.end and (best is None or seg.end - seg.start < best.end - best.start):
                best = seg
            if best is not None and seg.kind == "main" and seg.start <= pos < seg.end:
                break
        return best or Segment(self.start, self.end, "main")

    def main_at(self, pos: int) -> Segment:
        """The main clause containing ``pos``."""
        for seg in self.segments:
            if seg.kind == "main" and seg.start <= pos < seg.end:
                return seg
        return Segment(self.start, self.end, "main")

    def path(self, pos: int) -> list[Segment]:
        """Every segment containing ``pos``, outermost first."""
        return sorted((s for s in self.segments if s.start <= pos < s.end), key=lambda s: (s.start, -s.end))


def analyse(text: str, start: int, end: int, time_spans: list[tuple[int, int]] | None = None) -> ClauseMap:
    """Cut ``text[start:end]`` (one sentence) into segments.

    ``time_spans`` are the (start, end) offsets of the time expressions inside the
    sentence: "that night" is not a relative clause, and a time right after a
    reporting verb belongs to the attribution ("said on Monday that ...").

    Examples:
        >>> s = "Officials said on Monday that rebels had captured the town."
        >>> m = analyse(s, 0, len(s), [(15, 24)])
        >>> m.segment_at(s.index("Monday")).kind, m.segment_at(s.index("captured")).kind
        ('attribution', 'complement')
    """
    rules = load_clause_rules()
    times = sorted(time_spans or [])
    segments: list[Segment] = []
    cuts = [start] + [m.start() for m in _MAIN_BREAK.finditer(text, start, end)] + [end]
    for a, b in zip(cuts, cuts[1:]):
        if b > a:
            segments.append(Segment(a, b, "main"))
    for m in _QUOTE.finditer(text, start, end):
        if not _partial_quote(text, m.start(), m.end(), start):
            segments.append(Segment(m.start(), m.end(), "quote"))

    def in_time(pos: int) -> bool:
        i = bisect.bisect_right(times, (pos, 10**12)) - 1
        return i >= 0 and times[i][0] <= pos < times[i][1]

    def main_end(pos: int) -> int:
        for seg in segments:
            if seg.kind == "main" and seg.start <= pos < seg.end:
                return seg.end
        return end

    def main_start(pos: int) -> int:
        for seg in segments:
            if seg.kind == "main" and seg.start <= pos < seg.end:
                return seg.start
        return start

    complementizers: set[int] = set()
    openers: list[tuple[int, int]] = []
    for m in rules.openers.finditer(text, start, end):
        # "According to the monitor, rebels ..." ends at its comma; a trailing "..., as reported by
        # the White Helmets, a rescue service, early on Monday." runs to the end of its clause.
        initial = not text[main_start(m.start()) : m.start()].strip()
        stop = _span_end(text, m.end(), end) if initial else main_end(m.start())
        segments.append(Segment(m.start(), stop, "attribution", m.group().lower()))
        openers.append((m.start(), m.end()))
    for m in rules.reporting.finditer(text, start, end):
        if any(a <= m.start() < b for a, b in openers) or m.group()[0].isupper():
            continue  # "the United States", "Reports" at the start of a heading: not a reporting verb
        _reporting_segments(text, m, start, end, times, main_end(m.start()), segments, complementizers)
    for m in rules.intention.finditer(text, start, end):
        if m.group()[0].isupper():
            continue
        # "intends to launch the service in November 2006": the plan's complement
        segments.append(Segment(m.end(), main_end(m.start()), "complement", m.group().split()[0].lower()))
    for m in rules.relative.finditer(text, start, end):
        if m.start() in complementizers or in_time(m.start()):
            continue
        word = m.group().lower()
        prev = text[max(start, m.start() - 30) : m.start()]
        prev_words = _WORD.findall(prev)
        if not prev_words and not prev.strip().endswith(","):
            continue  # sentence-initial "Who ..." / "That ..."
        last = prev_words[-1].lower() if prev_words else ""
        if word == "that" and (last in _THAT_NOT_RELATIVE or last in rules.reporting_words):
            continue
        opens = _TIME_OPENS.match(text, m.end())
        if word == "that" and is_past_word(last) and opens and _is_time_preposition(text, opens.end(), times):
            continue  # "It should be recalled that on Saturday 14 September, units repelled ...": a complement
        segments.append(Segment(m.start(), _relative_end(text, m.end(), main_end(m.start())), "relative", word))
    for m in rules.subordinators.finditer(text, start, end):
        word = re.sub(r"\s+", " ", m.group().lower())
        if in_time(m.start()) or _is_time_preposition(text, m.end(), times):
            continue  # "after midnight", "since 2018": part of a time expression, not a clause
        if word == "as" and not _clause_initial(text, m.start(), start) and not _as_clause(text, m, start):
            continue  # "as well as", "known as"
        seg_end = _span_end(text, m.end(), main_end(m.start()))
        segments.append(Segment(m.start(), seg_end, "subordinate", word, rules.subordinate_relation[word]))
    return ClauseMap(start, end, segments)


#: A finite verb that, after a relative clause's own verb, starts the main clause again:
#: "troops that had retreated from the city were now regrouping".
_FINITE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|remains?|remained|could|can|may|must)\b",
                     re.IGNORECASE)


def _relative_end(text: str, pos: int, limit: int) -> int:
    """End of a relative clause: its comma or sentence end, or the main clause's next finite verb."""
    stop = _span_end(text, pos, limit)
    own = _FINITE.search(text, pos, stop)
    words = _WORD.search(text, pos, stop)
    # the relative's own verb: an auxiliary or the first word after the pronoun
    first_end = own.end() if own is not None and (words is None or own.start() == words.start()) else (
        words.end() if words else pos)
    later = _FINITE.search(text, first_end, stop)
    return later.start() if later is not None else stop


#: "... on Wednesday night as troops fought to hold the hill": "as" opening a clause of its own
#: (a subject, then a past-tense verb: ``ClauseRules.as_clause``), not "as well as", "such as".
_NOT_AS_CLAUSE = frozenset({"such", "well", "known", "same", "so", "just", "regarded", "seen", "described"})


def _as_clause(text: str, m: re.Match[str], floor: int) -> bool:
    prev = _WORD.findall(text[max(floor, m.start() - 20) : m.start()])
    if prev and prev[-1].lower() in _NOT_AS_CLAUSE:
        return False
    return bool(load_clause_rules().as_clause.match(text, m.end()))


def _clause_initial(text: str, pos: int, floor: int) -> bool:
    before = text[floor:pos].rstrip()
    return not before or before.endswith(",")


def _is_time_preposition(text: str, pos: int, times: list[tuple[int, int]]) -> bool:
    """True when a time expression starts right after ``pos`` ("since 2018", "after dawn")."""
    i = bisect.bisect_left(times, (pos, -1))
    if i < len(times) and times[i][0] - pos <= 2:
        return True
    # "before dawn on Nov. 27", "after nightfall": a part of the day the tagger leaves untagged
    return bool(_DAY_PART.match(text, pos))


_DAY_PART = re.compile(r"\s+(?:dawn|daybreak|sunrise|sunset|dusk|nightfall|midnight|noon|midday|first\s+light)\b",
                       re.IGNORECASE)


def _reporting_segments(text: str, m: re.Match[str], floor: int, end: int, times: list[tuple[int, int]],
                        clause_end: int, segments: list[Segment], complementizers: set[int]) -> None:
    """Attribution and complement of one reporting verb."""
    verb_end = m.end()
    frame_end = verb_end
    # The report's own adjuncts right after the verb: "said on Monday", "said late on Sunday".
    i = bisect.bisect_left(times, (verb_end, -1))
    while i < len(times) and times[i][0] - frame_end <= 40 and _ADJUNCTS.fullmatch(text, frame_end, times[i][0]):
        frame_end = times[i][1]
        i += 1
    rest = text[frame_end:clause_end]
    frame_start = _chunk_start(text, m.start(), floor)
    that = _THAT.match(rest)
    tail = rest.strip()
    ends_here = not tail or tail[0] in ".,;:!?"
    inverted = (frame_start > floor and not text[frame_start : m.start()].strip()
                and re.fullmatch(r"[\w\s'’.-]{0,60}?[.!?]?", tail) is not None)  # "..., said the ministry."
    passive = re.match(r"\s*by\b", rest, re.IGNORECASE)  # "reported by the monitor": no complement
    if that:
        comp_start = frame_end + that.end()
        complementizers.add(comp_start - 4)
        segments.append(Segment(frame_start, comp_start, "attribution", m.group().lower()))
        segments.append(Segment(comp_start, clause_end, "complement", m.group().lower()))
    elif ends_here or inverted or passive:
        # "..., rescuers said early on Monday." / "..., said the ministry." / "The army said so on Sunday."
        segments.append(Segment(frame_start, max(frame_end, _span_end(text, frame_end, end)), "attribution",
                                m.group().lower()))
    elif _CLAUSE_LIKE.match(rest):
        # "The army said on Sunday rebels had captured ..." (no "that")
        segments.append(Segment(frame_start, frame_end, "attribution", m.group().lower()))
        segments.append(Segment(frame_end, clause_end, "complement", m.group().lower()))
    # else: a verb with an object ("declared martial law", "announced the recapture"): no reported speech


#: What may stand between a reporting verb and its own time: "said in Moscow on", "told reporters on".
_ADJUNCTS = re.compile(r"(?:[\s,]|\b(?:on|in|at|late|early|earlier|later|by|to|a|an|the|statement|reporters|"
                       r"journalists|(?-i:[A-Z][\w'’-]+)))*", re.IGNORECASE)
#: "that" opening the complement, after at most a few adjunct words ("said in a statement that").
_THAT = re.compile(r"\s*(?:,\s*)?(?:(?:in|to|on|at|a|an|the|statement|reporters|journalists|(?-i:[A-Z][\w'’-]+))"
                   r"[\s,]+){0,5}that\b(?!\s+(?:day|night|morning|evening|week|month|year|time)\b)")
#: A complement without "that" starts with a subject and a finite verb within a few words:
#: "said rebels had captured", "said the army was retreating"; not "declared martial law".
_CLAUSE_LIKE = re.compile(r"\s*(?!(?:by|to|of|for|with|a|an)\b)(?:[\w'’-]+\s+){0,5}?(?:had|has|have|was|were|is|"
                          r"are|will|would|could|can|may|might|must|did|does|do)\b", re.IGNORECASE)


def _comma_before(text: str, pos: int, floor: int) -> bool:
    """True when the reporting verb's chunk follows a comma (a trailing attribution)."""
    return text.rfind(",", floor, pos) >= 0


def tense_at(text: str, segment: Segment, pos: int) -> str | None:
    """The tense cue nearest before ``pos`` in its segment, within five words.

    Returns ``future``, ``past_perfect``, ``present_perfect`` or None.

    Examples:
        >>> s = "Rebels had overrun the base."
        >>> tense_at(s, Segment(0, len(s), "main"), s.index("overrun"))
        'past_perfect'
    """
    rules = load_clause_rules()
    lo = max(segment.start, pos - 48)
    window = text[lo:pos]
    words = list(_WORD.finditer(window))
    if len(words) > 5:
        lo += words[-5].start()
        window = text[lo:pos]
    best: tuple[int, str] | None = None
    for name, regex in rules.tense:
        for m in regex.finditer(window):
            if best is None or m.end() > best[0] or (m.end() == best[0] and name == "past_perfect"):
                best = (m.end(), name)
    if best is None:
        # "they had advanced south of the city and seized the town": coordinated verbs share "had"
        far = text[max(segment.start, pos - 120) : lo]
        had = list(re.finditer(r"\b(?:had|'d)\b", far, re.IGNORECASE))
        if had and re.search(r"\band\b", text[lo - len(far) + had[-1].end() : pos]) and not re.search(
                r"[,;]|\b(?:is|are|was|were|has|have|will|would)\b", text[lo - len(far) + had[-1].end() : pos]):
            return "past_perfect"
    return best[1] if best else None


#: Words ending in "-ed" that are no past verbs ("hundred", "speed", "red").
_NOT_PAST_ED = re.compile(r".*(?:eed|[^aeiouy]red|\bred|bed|hundred)")


def is_past_word(word: str) -> bool:
    """True for a past-tense (or past participle) form: "-ed" or one of clauses.yaml's past_verbs.

    Examples:
        >>> [w for w in "rebels reopened the crossing a hundred agreed speed took".split() if is_past_word(w)]
        ['reopened', 'agreed', 'took']
    """
    w = word.lower()
    if w in load_clause_rules().past_verbs or w in ("agreed", "freed", "guaranteed"):
        return True
    return len(w) > 4 and w.endswith("ed") and not _NOT_PAST_ED.fullmatch(w)


def is_present(text: str, segment: Segment, start: int, end: int) -> bool:
    """True when the event is told in the present: a present-tense word ("says", "expects")
    or a present auxiliary right before it ("is considered", "are stranded").

    Examples:
        >>> s = "Ford says it made a profit."
        >>> is_present(s, Segment(0, len(s), "main"), 5, 9)
        True
    """
    rules = load_clause_rules()
    if rules.present_words.fullmatch(text, start, end):
        return True
    before = text[max(segment.start, start - 24) : start]
    words = _WORD.findall(before)
    # "Since 4 May, drone attacks have struck": the month is no modal "may"
    return bool(words) and any(rules.present_auxiliaries.fullmatch(w) and w != "May" for w in words[-2:]) and not any(
        w.lower() in ("being", "to") for w in words[-1:])
