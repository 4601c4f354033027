"""Event anchoring: when did each event happen? One function for every caller.

:func:`anchor_events` takes event mentions as character spans (any predicate:
"captured", "airstrikes", "said") and returns one :class:`EventAnchor` per span:
the TIMEX3-style value of when the event happened or held, its half-open bounds,
grain, where the time came from and how the event relates to it. The event
extractor (:mod:`timeline.events.extract`) and ``timeline anchor`` use it, so
there is one attachment code path.

The policy, in order (cues in ``rules/en/events/clauses.yaml``; clause scope from
:mod:`timeline.events.clauses`):

1. **Clause**: a time expression in the event's own segment dates it ("strikes on
   Sunday, rescuers said early on Monday": the strikes on Sunday, the statement on
   Monday). A "since X" bound never dates the event it modifies ("the first raids
   since 2018"); a perfect state with "since X" holds since X (``relation="since"``).
2. **Sentence**: otherwise a time of another main clause of the sentence, when the
   tenses agree. Times inside relative, subordinate, attribution and quoted segments
   date only their own events. A subordinate clause's time bounds the main event
   ("after rebels entered the city on Friday, the army withdrew": after Friday).
3. **Report**: an event reported by a verb with a time ("officials said on Monday
   that rebels had captured the town") happened before the report: a past perfect
   strictly before its day, anything else on or before it.
4. **Narrative**: the reference time carried into the next sentence or within the
   paragraph, only when the tense allows and no topic shift intervenes ("Meanwhile",
   "In a separate incident"), never into a quotation; a past perfect lies before it.
5. **Publication**: an event told in the present ("Ford says"), a plan or a modal holds
   at publication; a present perfect in a fresh report is recent (the day before
   publication and the day itself); a future event is after publication; a statement
   with no time is the publication day or the evening before; anything else falls back
   to the days up to publication (``source="dct"``), never starting before the story's
   earliest recent day.

In narrative mode (histories whose DCT is a download date) there is no publication
fallback: an event with no time of its own takes the narrative's time or none.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from ..errors import InputError
from ..model import TimeExpression
from ..tagging.rules import fronted_time_opener
from ..vocabulary import GRAINS
from .clauses import ClauseMap, Segment, analyse, is_past_word, is_present, load_clause_rules, tense_at
from .segment import Sentence, split_sentences

__all__ = ["ANCHOR_RELATIONS", "ANCHOR_SOURCES", "EventAnchor", "EventAnchorer", "anchor_events", "best_day"]

#: Where an event's time came from.
ANCHOR_SOURCES = ("clause", "sentence", "narrative", "dct", "none")
#: How an event relates to the time it was anchored on.
ANCHOR_RELATIONS = ("included", "before", "after", "since", "until")

_DAY = timedelta(days=1)
_FINE = frozenset({"minute", "hour", "part-of-day", "day"})
_GRAIN_RANK = {g: i for i, g in enumerate(GRAINS)}
#: A "since X" that bounds a comparison, not a state: "the first raids since 2018".
_SINCE_COMPARISON = re.compile(
    r"(?<!at\s)\b(?:first|last|largest|biggest|worst|deadliest|heaviest|highest|lowest|most|fiercest|strongest|"
    r"bloodiest|longest|greatest|major|only|best|weakest|sharpest|steepest|(?:not|never|un)\s*(?:been\s+)?seen|"
    r"unseen|unprecedented)\b[^,;.]*$", re.IGNORECASE)
_SINCE_WORD = re.compile(r"\bsince\b", re.IGNORECASE)
_BOUNDED_DURATION = re.compile(r"\b(?:in|over|during|within|for)\s+the\s+(?:past|last|previous|preceding)\s*$",
                               re.IGNORECASE)
#: "the recapture of towns that had fallen": a past perfect relative tells an earlier event, not the noun's own.
_PLUPERFECT_RELATIVE = re.compile(r"\w+\s+(?:had|'d)\b(?!\s+(?:begun|started|erupted|broken\s+out|been\s+launched)\b)",
                                  re.IGNORECASE)
_DAY_HEADING_DASH = re.compile(r"\s+[-–—]\s")
_COORDINATED_TIMES = re.compile(r"\s*(?:,\s*|,?\s*(?:and|or)\s+)")
#: A reporting participle after a comma: ", citing ...", ", saying ...", ", adding ...".
_PARTICIPLE_REPORT = re.compile(r",\s[a-z]+ing\Z")
#: A definite event noun: "the slaying", "Slepian's slaying", "the U.S. embassy bombings".
_DEFINITE_NOUN = re.compile(r"(?:\b(?:the|this|that|these|those|its|his|her|their)|['’]s)\s+(?:[\w.'’-]+\s+){0,2}$",
                            re.IGNORECASE)
_WORD_RE = re.compile(r"[A-Za-z]{3,}")
#: An ability holds now ("can take part in the summit in April"); a possibility or an obligation
#: keeps its own time ("may be signed on September 12", "must be returned by Jan. 14").
_MODAL_BEFORE = re.compile(r"\bcan\s+(?:\w+\s+)?$", re.IGNORECASE)
#: Counts, never the same as an earlier one: each toll is its own report.
_COUNT_STEMS = frozenset({"death", "deaths", "dead", "casualties", "casualty", "toll", "tolls", "fatalities",
                          "injuries", "wounded", "victims", "killings", "killing", "kill", "arrests"})
#: How many earlier mentions of the same word an event noun looks back at.
_COREFERENCE_REACH = 8


def _stem(word: str) -> str:
    """A crude stem that joins an event's noun and verb forms ("bombings", "bombed" -> "bomb")."""
    w = word.lower()
    for suffix in ("ings", "ing", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


#: A sentence opening on the occasion of a statement: "In a July 16 press conference, ...".
_SPEECH_OPENER = re.compile(r"\W*(?:In|At|During)\s+(?:a|an|the|his|her|its|their)\s+$")
#: Words that open another clause or verb phrase between a fronted time and a reporting verb.
_CLAUSE_WORDS = frozenset("who whom whose which that when where after before while as because if since until "
                          "but has have had was were is are will would could can may might must did does do "
                          "says said".split())
_PARTICIPLE_CHUNK = re.compile(r",\s+(?:\w+ing|after|during|at|while)\b", re.IGNORECASE)
_ANAPHORIC_OPENER = re.compile(r"^\W*(?:he|she|it|they|its|their|his|her|the\s+(?:group|army|ministry|company|"
                               r"spokesman|spokeswoman|official|minister|president|monitor|agency|statement))\b",
                               re.IGNORECASE)
_DURATION_VALUE = re.compile(r"^P(?:T(?P<hours>\d+)H|(?P<n>\d+)(?P<unit>[DWMY]))$")


@dataclass(frozen=True, slots=True)
class EventAnchor:
    """When one event mention happened or held.

    Attributes:
        start, end: the event mention's span, as given.
        value: TIMEX3-style value of the time the event happened or held
            (``2024-12-01``, ``2024-W48``, ``2024-11``, ``2016``, ``2024-11-29TNI``,
            ``PAST_REF``), or None when only bounds are known.
        earliest, latest: half-open bounds ``[earliest, latest)``; None when unknown.
        grain: precision of the bounds (``day``, ``week``, ``month``, ``year``...).
        source: ``clause``, ``sentence``, ``narrative``, ``dct`` or ``none``.
        expression: the TimeExpression used, or None.
        relation: ``included`` (the event lies in the time), ``before``, ``after``,
            ``since`` (a state holding from the time on), ``until``, or None.
        reason: a short plain-words explanation.
    """

    start: int
    end: int
    value: str | None
    earliest: datetime | None
    latest: datetime | None
    grain: str | None
    source: str
    expression: TimeExpression | None
    relation: str | None
    reason: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict (the ``timeline anchor`` output fields, plus the reason)."""
        e = self.expression
        return {
            "start": self.start, "end": self.end, "value": self.value,
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "latest": self.latest.isoformat() if self.latest else None,
            "grain": self.grain, "source": self.source, "relation": self.relation,
            "time_start": e.start if e is not None else None, "time_end": e.end if e is not None else None,
            "time_text": e.text if e is not None else None, "reason": self.reason,
        }


#: Between a reporting verb and its time: "said on", "said late on", "told reporters on".
#: Between a reporting verb and its period: "said in April", "announced late last week".
_COARSE_GAP = re.compile(r"\s+(?:(?:late|early)\s+)?(?:in\s+|during\s+)?", re.IGNORECASE)
_REPORT_GAP = re.compile(r"\s+(?:(?:reporters|journalists|AFP|Reuters|the\s+\w+)\s+)?(?:(?:late|early)\s+)?(?:on\s+)?",
                         re.IGNORECASE)

def precision_for_days(days: float) -> str:
    """The grain that names a window of ``days`` days.

    Examples:
        >>> precision_for_days(1), precision_for_days(7), precision_for_days(30)
        ('day', 'week', 'month')
    """
    if days <= 1:
        return "day"
    if days <= 8:
        return "week"
    if days <= 32:
        return "month"
    if days <= 370:
        return "year"
    return "decade"


def best_day(anchor: EventAnchor) -> datetime | None:
    """A single-day estimate of an anchored event, for the table's ``date``.

    The day itself; the first day of a calendar period ("in March 2021" -> 1 March, as
    ACLED dates imprecise events); the middle of a vague window ("in recent days");
    the last day of a window the event lies before; the first of one it lies after; the
    last day of a state or tally "since X", or of a window ("in the past 48 hours"), as of its report.
    A fallback to the publication window gives the publication day.
    """
    lo, hi = anchor.earliest, anchor.latest
    if lo is None and hi is None:
        return None
    if anchor.value is not None and anchor.value.endswith("T24:00") and anchor.relation in ("included", None):
        # "shortly before midnight on Tuesday" (TIMEX3 2025-02-04T24:00): the end of the day it names
        return _midnight(lo - _DAY) if lo is not None else None
    if anchor.relation == "before" and hi is not None:
        last = hi - _DAY
        return _midnight(last if lo is None or last >= lo else lo)
    if anchor.relation == "since" and hi is not None:
        return _midnight(hi - _DAY)  # a state or tally since X, as of its report
    if anchor.expression is not None and anchor.expression.type == "DURATION" and hi is not None:
        return _midnight(hi - _DAY)  # "in the past 48 hours": as of the report the window ends on
    if anchor.relation == "after" or hi is None:
        return _midnight(lo) if lo is not None else None
    if lo is None:
        return _midnight(hi - _DAY)
    if anchor.source == "dct" or (anchor.value is not None and anchor.value.endswith("_REF")):
        if anchor.source == "dct":
            return _midnight(hi - _DAY)
        mid = lo + (hi - lo) / 2
        return _midnight(mid)
    return _midnight(lo)


def _midnight(d: datetime) -> datetime:
    return datetime(d.year, d.month, d.day)


def _day(d: date) -> datetime:
    return datetime(d.year, d.month, d.day)


@dataclass
class _Reference:
    """The narrative's current reference time."""

    paragraph: int
    sentence: int
    expression: TimeExpression


class EventAnchorer:
    """Anchors the events of one document, in text order (it carries the narrative).

    Build it once per document and call :meth:`anchor` for each event span in text
    order; :func:`anchor_events` does this for any list of spans.
    """

    def __init__(self, text: str, dct: date | None, mode: str = "news",
                 expressions: Sequence[TimeExpression] = (), sentences: Sequence[Sentence] | None = None) -> None:
        self.text = text
        self.dct = dct
        self.mode = mode
        self.rules = load_clause_rules()
        self.sentences = list(sentences) if sentences is not None else split_sentences(text)
        self._sentence_starts = [s.start for s in self.sentences]
        self.expressions = sorted(expressions, key=lambda e: e.start)
        self._expression_starts = [e.start for e in self.expressions]
        self._maps: dict[int, ClauseMap] = {}
        self._reference: _Reference | None = None
        self._advanced_to = -1  # sentences before this index have updated the reference
        self._story_start = self._earliest_recent_day()
        self._lead: tuple[TimeExpression | None, TimeExpression | None] | None = None
        self._stems: dict[str, list[tuple[int, int]]] | None = None  # word stem -> spans, built when needed

    # -- document-level state -------------------------------------------------

    def _earliest_recent_day(self) -> datetime | None:
        """The first day the story narrates within the fallback window before publication."""
        if self.dct is None:
            return None
        floor = _day(self.dct) - (self.rules.fallback_days - 1) * _DAY
        days = [e.earliest for e in self.expressions if e.grain in _FINE and e.earliest is not None
                and floor <= e.earliest <= _day(self.dct) and not e.since]
        return max(floor, _midnight(min(days))) if days else floor

    def _lead_times(self) -> tuple[TimeExpression | None, TimeExpression | None]:
        """The story's own time, from its lead (first body sentence): the first recent time of an
        event there, and the first time of a report there ("..., rescuers said early on Monday")."""
        if self._lead is not None:
            return self._lead
        event = report = None
        lead = next((s for s in self.sentences if s.is_body), None)
        if lead is not None and self.dct is not None and self.mode == "news":
            day = _day(self.dct)
            floor = day - self.rules.lead_days * _DAY
            cm = self.clause_map(lead)
            for e in self._expressions_in(lead.start, lead.end):
                if e.grain not in _FINE or e.earliest is None or e.since or e.type == "DURATION" \
                        or not floor <= e.earliest < day + _DAY:
                    continue
                kind = cm.segment_at(e.start).kind
                if kind == "attribution":
                    report = report or e
                elif kind in ("main", "complement"):
                    event = event or e
        self._lead = (event, report)
        return self._lead

    def _sentence_of(self, pos: int) -> Sentence | None:
        i = bisect.bisect_right(self._sentence_starts, pos) - 1
        if i < 0:
            return None
        s = self.sentences[i]
        return s if pos < s.end or i == len(self.sentences) - 1 else None

    def expressions_in(self, start: int, end: int) -> list[TimeExpression]:
        """The document's time expressions that start in ``[start, end)``, in text order."""
        return self._expressions_in(start, end)

    def _expressions_in(self, start: int, end: int) -> list[TimeExpression]:
        lo = bisect.bisect_left(self._expression_starts, start)
        hi = bisect.bisect_left(self._expression_starts, end)
        return self.expressions[lo:hi]

    def clause_map(self, sentence: Sentence) -> ClauseMap:
        """The clause segments of ``sentence`` (cached)."""
        cm = self._maps.get(sentence.index)
        if cm is None:
            spans = [(e.start, e.end) for e in self._expressions_in(sentence.start, sentence.end)]
            cm = analyse(self.text, sentence.start, sentence.end, spans)
            self._maps[sentence.index] = cm
        return cm

    def _advance(self, upto: int) -> None:
        """Let the sentences before index ``upto`` update the narrative reference time."""
        for i in range(self._advanced_to + 1, upto):
            s = self.sentences[i]
            if s.is_heading:
                self._reference = None  # a subheading starts a new section
                if self._lead is not None or any(x.is_body for x in self.sentences[:i]):
                    self._lead = (None, None)
                continue
            if not s.is_body:
                continue
            if self.rules.topic_shift.match(s.text):
                self._lead = (None, None)  # "Meanwhile, ...": the lead's time no longer holds
            ref = self._reference_time(s)
            if ref is not None:
                self._reference = _Reference(s.paragraph, s.index, ref)
        self._advanced_to = max(self._advanced_to, upto - 1)

    def _reference_time(self, sentence: Sentence) -> TimeExpression | None:
        """The last day-or-finer time of a main clause of the sentence (not a bound, a report or a future)."""
        cm = self.clause_map(sentence)
        best = None
        for e in self._expressions_in(sentence.start, sentence.end):
            if e.grain not in _FINE or e.earliest is None or e.since or e.type not in ("DATE", "TIME"):
                continue
            if cm.segment_at(e.start).kind not in ("main", "complement"):
                continue
            if self.dct is not None and self.mode == "news" and e.earliest > _day(self.dct):
                continue  # a scheduled future day does not move the story
            best = e
        return best

    # -- one event ------------------------------------------------------------

    def anchor(self, start: int, end: int, report: bool | None = None) -> EventAnchor:
        """Anchor the event mention ``text[start:end]``.

        ``report`` says the event is a statement or report (the extractor knows its
        type); None guesses it from the words (a reporting verb, an attribution).
        """
        sentence = self._sentence_of(start)
        if sentence is None:
            return self._fallback(start, end, None, None, "outside every sentence")
        self._advance(sentence.index)
        cm = self.clause_map(sentence)
        seg = cm.segment_at(start)
        tense = tense_at(self.text, seg, start)
        if tense is None and seg.kind == "complement":
            tense = tense_at(self.text, cm.main_at(start), start)  # "is due to meet": the cue before "to"
        # "Jobs announced new laptops, on sale now": "now" is no time of a past event
        past_word = is_past_word(self.text[start:end].split()[0]) if self.text[start:end].split() else False
        candidates = _prefer_absolute([e for e in self._expressions_in(sentence.start, sentence.end)
                                       if _usable(e, self.text) and not _modifies_other_noun(self.text, e, start, end)
                                       and not _in_other_apposition(self.text, e, start, sentence.start)
                                       and not _quoted_apart(cm, e.start, start)
                                       and not (e.value == "PRESENT_REF" and past_word)])
        label = self._date_label(sentence, candidates)
        if tense is None and self.mode == "news" and self.dct is not None and is_present(self.text, seg, start, end):
            if label is not None:
                # "— Dec. 10: Mohammed al-Bashir is named caretaker prime minister": a chronology's
                # historic present is its line's date
                return self._from_expression(start, end, label, "sentence", "included",
                                             f"the line's date label {label.text!r}")
            return self._present(start, end, seg, cm, candidates)
        said = report or seg.kind == "attribution" or bool(self.rules.reporting.fullmatch(self.text, start, end))
        if said and tense is None and self.mode == "news" and self.dct is not None:
            # "Bashir said ... he would lead the government until March 1": what was said is no time of the saying
            limit = _day(self.dct) + _DAY
            candidates = [e for e in candidates if e.earliest is None or e.earliest < limit]
        chosen = self._in_sentence(start, end, seg, tense, cm, candidates)
        if chosen is not None:
            return chosen
        if label is not None:
            # "- Nov 28: Rebels cut the highway after capturing dozens of villages": a chronology's
            # label dates every event of its line
            return self._from_expression(start, end, label, "sentence", "included",
                                         f"the line's date label {label.text!r}")
        bound = self._report_bound(start, end, seg, cm, candidates, tense)
        if bound is not None:
            return bound
        if report is None:
            report = seg.kind == "attribution" or bool(self.rules.reporting.fullmatch(self.text, start, end))
        if not report and tense != "future":
            same = self._same_event_before(start, end, sentence)
            if same is not None:
                return same
        return self._from_discourse(start, end, sentence, tense, report)

    def _same_event_before(self, start: int, end: int, sentence: Sentence) -> EventAnchor | None:
        """"the slaying", "Slepian's slaying", "the bombings": a definite event noun with no time of
        its own sentence names an event told before; an earlier mention of the same word (stem)
        dated by a time of its own sentence dates it."""
        word = self.text[start:end]
        if " " in word.strip() or not _DEFINITE_NOUN.search(self.text, max(sentence.start, start - 40), start):
            return None
        if _stem(word) in _COUNT_STEMS or re.match(r"\s+of\b", self.text[end : end + 4]):
            return None  # "the deaths of hundreds of thousands": a count or a noun its complement defines, no callback
        if self._stems is None:
            self._stems = {}
            for m in _WORD_RE.finditer(self.text):
                self._stems.setdefault(_stem(m.group(0)), []).append(m.span())
        spans = self._stems.get(_stem(word), [])
        i = bisect.bisect_left(spans, (sentence.start, 0))
        for p, q in reversed(spans[max(0, i - _COREFERENCE_REACH):i]):
            earlier = self._own_sentence_anchor(p, q)
            if earlier is not None and earlier.expression is not None and earlier.source in ("clause", "sentence"):
                return dataclasses.replace(earlier, start=start, end=end, source="narrative",
                                           reason=f"the same event as {self.text[p:q]!r} before: {earlier.reason}")
        return None

    def _own_sentence_anchor(self, start: int, end: int) -> EventAnchor | None:
        """The anchor of a mention from the times of its own sentence only, or None."""
        sentence = self._sentence_of(start)
        if sentence is None:
            return None
        cm = self.clause_map(sentence)
        seg = cm.segment_at(start)
        tense = tense_at(self.text, seg, start)
        candidates = _prefer_absolute([e for e in self._expressions_in(sentence.start, sentence.end)
                                       if _usable(e, self.text) and not _modifies_other_noun(self.text, e, start, end)])
        if tense == "future" or any(x.kind == "quote" for x in cm.path(start)):
            return None
        chosen = self._in_sentence(start, end, seg, tense, cm, candidates)
        if chosen is None or chosen.relation not in ("included", None) or chosen.grain is None:
            return None
        return chosen

    def _present(self, start: int, end: int, seg: Segment, cm: ClauseMap,
                 candidates: list[TimeExpression]) -> EventAnchor:
        """An event told in the present holds at publication, unless its own clause names a
        time around it ("stocks fall this week")."""
        assert self.dct is not None
        day = _day(self.dct)
        own = [e for e in candidates if cm.segment_at(e.start) == seg and not e.since and e.earliest is not None
               and e.latest is not None and e.latest > day - 6 * _DAY]
        if self.rules.stative_present.fullmatch(self.text, start, end) or _MODAL_BEFORE.search(
                self.text, max(seg.start, start - 16), start):
            # "is slated for release on June 24", "can take part in the summit in April": the state or
            # ability holds now; the later time is its complement's
            own = [e for e in own if e.earliest is not None and e.earliest < day + _DAY]
        if own:
            e = min(own, key=lambda e: abs(e.start - start))
            return self._from_expression(start, end, e, "clause", "included", "present tense, time in the same clause")
        return EventAnchor(start, end, self.dct.isoformat(), day, day + _DAY, "day", "dct", None, "included",
                           "told in the present: at publication")

    def _in_sentence(self, start: int, end: int, seg: Segment, tense: str | None, cm: ClauseMap,
                     candidates: list[TimeExpression]) -> EventAnchor | None:
        """Steps 1-2: a time of the event's own segment, else of another main clause."""
        lead = self._leading_time(seg, candidates)
        if lead is not None:
            return self._from_expression(start, end, lead, "clause", "included",
                                         f"the {seg.cue!r} clause after {lead.text!r}")
        pools = self._pools(start, end, seg, cm, candidates)
        for source in ("clause", "sentence"):
            pool = [e for e in pools[source] if self._tense_agrees(e, tense)]
            since_states = []
            dates = []
            for e in pool:
                if e.since and not self._since_contains(e, start):
                    if self._is_state_since(e, start, seg):
                        since_states.append(e)
                    continue  # a since-bound is never the date of the event it modifies
                dates.append(e)
            if dates:
                # "with a mandate until 1 March": the end of a state dates the event only when alone
                dates = [e for e in dates if not self._end_bound(e)] or dates
                # "Yesterday, at this year's conference, Jobs unveiled ...": a noun's own time comes last
                best = min(dates, key=lambda e: (e.earliest is None and not is_window(e, self.text),
                                                 self._other_nouns_time(e, start, end), abs(e.start - start)))
                best = self._refined(self._first_coordinated(best, dates), dates, start, end)
                return self._from_expression(start, end, best, source, "included",
                                             f"time in the same {'clause' if source == 'clause' else 'sentence'}")
            if since_states:
                e = min(since_states, key=lambda e: abs(e.start - start))
                return self._from_expression(start, end, e, source, "since", "a state holding since this time")
        # "described it as a nominal charge, as Apple have done in the past": a vague time of a
        # comparison clause is no time of the main event
        subordinate = [e for e in pools["subordinate"] if not e.value.endswith("_REF")]
        if subordinate:
            e = min(subordinate, key=lambda e: abs(e.start - start))
            sub = cm.segment_at(e.start)
            if self._tense_agrees(e, tense) and not e.since:
                relation = sub.relation or "included"
                return self._from_expression(start, end, e, "sentence", relation,
                                             f"{relation} the time of the {sub.cue!r} clause")
        if seg.kind == "relative":
            antecedent = [e for e in candidates if e.end <= seg.start and seg.start - e.end <= 60 and e.earliest
                          is not None and e.grain not in ("decade", "century") and (cm.segment_at(e.start).kind
                          in ("main", "complement", "subordinate") or _RIGHT_BEFORE_RELATIVE.fullmatch(
                              self.text, e.end, seg.start) is not None)
                          and not re.search(r";|,\s+(?:and|but)\b", self.text[e.end:seg.start])]
            if antecedent:
                # "the January 1998 bombing of a clinic that killed an officer": the noun's own time
                e = antecedent[-1]
                return self._from_expression(start, end, e, "sentence", "included",
                                             f"relative clause about an event of {e.text!r}")
        governing = [e for e in pools["governing"] if not e.since and e.earliest is not None
                     and self._tense_agrees(e, tense)]
        # "reached Homs on Friday night, a war monitor said on Saturday, a day after Hama fell": the
        # governing event's time, not the report's
        governing = [e for e in governing if not self._report_time(e)] or governing
        if not governing and seg.kind == "subordinate":
            # "Peskov said on Monday that Russia had granted asylum to Assad, a day after he fled
            # Damascus": with no time of the clause it hangs on, the stated distance counts from the report's
            reports = [e for e in candidates if e.end <= seg.start and e.earliest is not None and e.grain in _FINE
                       and not e.since and self._report_time(e)]
            shifted = self._shifted(start, end, seg, reports[-1]) if reports else None
            if shifted is not None:
                return shifted
        if governing:
            e = min(governing, key=lambda e: abs(e.start - start))
            # "reached Hama on Tuesday after capturing towns": the capture before Tuesday;
            # "towns that had fallen": before; "when fighting broke out": at the same time.
            relation = {"after": "before", "before": "after", "since": "before"}.get(seg.relation or "", "included")
            if tense == "past_perfect":
                relation = "before"
            shifted = self._shifted(start, end, seg, e)
            if shifted is not None:
                return shifted
            if relation in ("before", "after") and e.grain not in _FINE and e.grain not in ("week", None):
                # "In May, activists accused the group of burning the town after seizing it": at a
                # month's (or year's) grain the event before or after is in the same period
                return self._from_expression(start, end, e, "sentence", "included",
                                             f"{seg.kind} clause: {relation} the main clause's {e.text!r}, "
                                             f"in the same {e.grain}")
            return self._from_expression(start, end, e, "sentence", relation,
                                         f"{seg.kind} clause: {relation} the main clause's {e.text!r}", window=True)
        return None

    def _pools(self, start: int, end: int, seg: Segment, cm: ClauseMap, candidates: list[TimeExpression]
               ) -> dict[str, list[TimeExpression]]:
        """The sentence's times by how they may date the event: its own clause, another main
        clause, a subordinate clause of its clause, or the clause governing its own."""
        pools: dict[str, list[TimeExpression]] = {"clause": [], "sentence": [], "subordinate": [], "governing": []}
        for e in candidates:
            eseg = cm.segment_at(e.start)
            if eseg == seg or (eseg.start <= start < eseg.end and seg.kind == "main" and eseg.kind == "main"):
                lo, hi = (e.end, end) if e.end <= start else (end, e.start)
                # "recaptured Aleppo in December 2016 and overran eastern Ghouta in April 2018": a time
                # told in another coordinated verb phrase of the clause dates that phrase first
                other_phrase = lo < hi and bool(self.rules.coordinated_verb.search(self.text, lo, hi))
                pools["sentence" if other_phrase else "clause"].append(e)
            elif eseg.kind == "relative" and seg.kind in ("main", "complement", "subordinate") and not e.since \
                    and _modifies_event(self.text, end, eseg.start) \
                    and not _PLUPERFECT_RELATIVE.match(self.text, eseg.start):
                pools["clause"].append(e)  # "clashes with government troops that began on Friday"
            elif eseg.kind == "relative" and seg.kind in ("main", "complement") and eseg.start > end \
                    and not e.since and self.rules.stative_relative.match(self.text, eseg.start) \
                    and (e.grain in _FINE) and eseg.start < seg.end + 200:
                # "cut the M5 highway that links Aleppo to Damascus near Saraqeb on Friday": a present
                # state ("links") takes no past day; the day is the main verb's
                pools["clause"].append(e)
            elif eseg.kind == "main" and (seg.kind == "main" or (seg.kind == "attribution" and (
                    self._speaker_time(e, start) or (e.end <= start and _PARTICIPLE_REPORT.match(
                        self.text, max(0, start - 2), end))))):
                # "called on June 18 for a re-run, citing ...": the participle's saying is the main event's
                pools["sentence"].append(e)
            elif eseg.kind == "subordinate" and _governs(cm, eseg, start) and seg.kind in ("main", "complement"):
                pools["subordinate"].append(e)
            elif seg.kind in ("subordinate", "relative") and eseg.kind in ("main", "complement") and (
                    eseg.start <= seg.start < eseg.end):
                pools["governing"].append(e)
        return pools

    def _shifted(self, start: int, end: int, seg: Segment, e: TimeExpression) -> EventAnchor | None:
        """"recaptured Veshen on Thursday, a week after separatists overran it": the subordinate
        event lies the stated distance before (or after) the main clause's time."""
        if seg.relation not in ("after", "before") or e.earliest is None:
            return None
        durations = [d for d in self._expressions_in(max(0, seg.start - 40), seg.start)
                     if d.type == "DURATION" and 0 <= seg.start - d.end <= 2]
        days = window_days(durations[-1].value) if durations else None
        if not days:
            return None
        sign = -1 if seg.relation == "after" else 1
        day = _midnight(e.earliest) + sign * days * _DAY
        return EventAnchor(start, end, day.date().isoformat(), day, day + _DAY, "day", "sentence", e,
                           "before" if sign < 0 else "after",
                           f"{durations[-1].text!r} {seg.cue} the main clause's {e.text!r}")

    def _first_coordinated(self, e: TimeExpression, pool: list[TimeExpression]) -> TimeExpression:
        """"in March and June", "on 5 and 6 December": an event told with coordinated times is dated
        by the first (it starts there)."""
        while True:
            before = [c for c in pool if c.end <= e.start and _COORDINATED_TIMES.fullmatch(self.text, c.end, e.start)]
            if not before or before[-1].grain != e.grain:
                return e
            e = before[-1]

    def _end_bound(self, e: TimeExpression) -> bool:
        """True for a time right after "until", "through" (``end_bound_words``): a state's end."""
        return bool(self.rules.end_bound.search(self.text, max(0, e.start - 20), e.start))

    def _refined(self, best: TimeExpression, pool: list[TimeExpression], start: int, end: int) -> TimeExpression:
        """"Earlier in the week, U.S. forces struck ... on Tuesday", "Yesterday, ... at 3 p.m.": a finer
        time of the same clause that lies inside the chosen one dates the event."""
        if best.earliest is None or best.latest is None or best.grain not in _GRAIN_RANK:
            return best
        finer = [c for c in pool if c is not best and c.earliest is not None and c.latest is not None
                 and _GRAIN_RANK.get(c.grain or "", len(_GRAIN_RANK)) < _GRAIN_RANK[best.grain]
                 and best.earliest <= c.earliest and c.latest <= best.latest and not self._end_bound(c)
                 and not self._other_nouns_time(c, start, end)]
        return min(finer, key=lambda c: abs(c.start - start)) if finer else best

    def _other_nouns_time(self, e: TimeExpression, start: int, end: int) -> bool:
        """True for a time that modifies a noun other than the event, unless the event happens in that
        noun phrase ("seized power in a 1970 coup")."""
        if e.start >= end and _IN_THE_EVENT.fullmatch(self.text, end, e.start):
            return False
        return _outside_its_noun(self.text, e, start)

    def _report_time(self, e: TimeExpression, gap: re.Pattern[str] = _REPORT_GAP) -> bool:
        """True for the time of a reporting verb right before it ("said on Saturday"; with
        ``_COARSE_GAP`` a period: "said in April", "announced late last week")."""
        lo = max(0, e.start - 40)
        return any(gap.fullmatch(self.text, m.end(), e.start)
                   for m in self.rules.reporting.finditer(self.text, lo, e.start))

    def _speaker_time(self, e: TimeExpression, verb: int) -> bool:
        """"Araqchi, speaking during a visit to Damascus on Sunday, said ...": a time in a participle
        phrase about the speaker, right before the reporting verb, dates the report; the content's
        time in "..., the official said" does not."""
        if not e.end <= verb:
            return False
        sentence = self._sentence_of(e.start)
        if sentence is not None and fronted_time_opener().fullmatch(self.text, sentence.start, e.start) and \
                _only_a_subject(self.text[e.end : verb]):
            return True  # "On Friday, Netanyahu said he ...": the fronted time of the sentence's reporting verb
        if sentence is not None and _SPEECH_OPENER.match(self.text, sentence.start, e.start) and \
                re.fullmatch(r"\s+(?:[\w'’-]+\s+){0,3}?[\w'’-]+\s?,\s+(?:[\w'’.-]+\s+){0,5}?", self.text[e.end:verb]):
            return True  # "In a July 16 press conference, Jobs said ...": the occasion of the saying
        chunk_start = self.text.rfind(",", 0, e.start)
        between = self.text[e.end : verb]
        return chunk_start >= 0 and bool(_PARTICIPLE_CHUNK.match(self.text, chunk_start)) and between.count(",") <= 1 \
            and not re.search(r"[.;]", between)

    def _date_label(self, sentence: Sentence, candidates: list[TimeExpression]) -> TimeExpression | None:
        """The date a chronology line opens with ("- Nov 28:", "— Dec. 5:"), if any."""
        for e in candidates:
            if e.earliest is None or e.grain not in _FINE:
                continue
            before = self.text[sentence.start : e.start]
            line_start = self.text.rfind("\n", 0, e.start) + 1
            if before.strip(" \t-–—•*·") == "" and (self.text[e.end : e.end + 1] == ":" or (
                    _DAY_HEADING_DASH.match(self.text, e.end)
                    and (e.text.isupper() or not self.text[line_start : e.start].strip(" \t-–—•*·")))):
                # "- Nov 28: ...", "THURSDAY — ..." (a live page's day heading), a chronology's
                # line "Aug. 14 - Kursk's governor says ..."
                return e
            break
        return None

    def _leading_time(self, seg: Segment, candidates: list[TimeExpression]) -> TimeExpression | None:
        """"since 2016, when government forces retook ...", "on November 1 when artillery hit":
        a when-clause right after a time happens at that time."""
        if seg.kind not in ("subordinate", "relative") or seg.cue not in ("when", "where"):
            return None
        for e in candidates:
            if 0 <= seg.start - e.end <= 3 and e.earliest is not None:
                return e
        return None

    def _report_bound(self, start: int, end: int, seg: Segment, cm: ClauseMap,
                      candidates: list[TimeExpression], tense: str | None) -> EventAnchor | None:
        """Step 3: an event reported by a verb with a time happened before the report."""
        if seg.kind not in ("main", "complement", "relative", "subordinate") or tense == "future":
            return None
        report = None
        for e in candidates:
            eseg = cm.segment_at(e.start)
            if e.since or e.earliest is None or e.type == "DURATION":
                continue
            if e.grain not in _FINE:
                coarse = self._coarse_report(start, end, seg, e, eseg, tense)
                if coarse is not None:
                    return coarse
                continue
            if self.dct is not None and e.earliest >= _day(self.dct) + _DAY:
                continue  # "..., whose teams will begin surveying on Thursday": no report lies after publication
            if seg.kind == "main":
                hit = eseg.kind == "attribution"  # "..., rescuers said early on Monday."
            elif seg.kind == "complement":
                hit = eseg.kind in ("attribution", "main") and e.start < seg.start
            else:
                hit = eseg.kind in ("main", "complement") and tense == "past_perfect"
            if hit:
                report = e
        if report is None:
            return None
        t_lo, t_hi = report.earliest, report.latest
        assert t_lo is not None and t_hi is not None
        t_lo, t_hi = _midnight(t_lo), _midnight(t_hi - timedelta(microseconds=1)) + _DAY
        floor = self._story_start
        since_clauses = [x for x in cm.segments if x.kind == "subordinate" and x.relation == "since"
                         and seg.start <= x.start < seg.end]
        if since_clauses:
            # "31,000 people had been displaced since the fighting began", said on Friday: a tally as of the
            # report, from the start the since-clause gives ("since the offensive began on Wednesday"), if any
            begun = [e for e in candidates if e.earliest is not None and any(x.start <= e.start < x.end
                                                                               for x in since_clauses)]
            first = begun[0].earliest if begun else None
            lo = _midnight(first) if first is not None else None
            return EventAnchor(start, end, None, lo, t_hi, precision_for_days((t_hi - lo).days) if lo else None,
                               "sentence", report, "since",
                               f"a tally or state since {begun[0].text!r}, as reported {report.text!r}" if begun else
                               f"a tally or state since an earlier event (its start not given), as reported "
                               f"{report.text!r}")
        if tense == "past_perfect":
            lo = min(floor, t_lo - _DAY) if floor is not None else t_lo - _DAY
            if self.rules.past_perfect_report == "on_or_before":
                return EventAnchor(start, end, None, lo, t_hi, precision_for_days((t_hi - lo).days), "sentence",
                                   report, "before", f"past perfect: on or before {report.text!r}")
            return EventAnchor(start, end, None, lo, t_lo, precision_for_days((t_lo - lo).days), "sentence",
                               report, "before", f"past perfect: before {report.text!r}")
        if seg.kind not in ("complement", "main"):
            return None
        return EventAnchor(start, end, None, t_lo - _DAY, t_hi, precision_for_days((t_hi - t_lo).days + 1),
                           "sentence", report, "before", f"reported {report.text!r}: on or shortly before it")

    def _coarse_report(self, start: int, end: int, seg: Segment, e: TimeExpression, eseg: Segment,
                       tense: str | None) -> EventAnchor | None:
        """"The junta said in April it had foiled a plot": a past perfect reported in a month (or
        week) is dated in that period. Before the report, at that grain, is the same period or the
        one before, and the report's own is the likelier (the day before a report in April is in April
        but for its first day)."""
        if tense != "past_perfect" or seg.kind != "complement" or eseg.kind != "attribution" \
                or e.start > seg.start or e.grain not in ("week", "month") or e.value is None:
            return None
        if self.dct is not None and e.earliest is not None and e.earliest >= _day(self.dct):
            return None  # a report lies before publication
        if not self._report_time(e, _COARSE_GAP):
            return None
        return EventAnchor(start, end, e.value, e.earliest, e.latest, e.grain, "sentence", e, "included",
                           f"past perfect reported {e.text!r}: in that {e.grain}")

    def _within_reach(self, ref: _Reference, sentence: Sentence) -> bool:
        """A reference time carries within its paragraph and into the next body sentence."""
        if self.mode == "narrative":
            return sentence.paragraph - ref.paragraph <= self.rules.narrative_reach
        if ref.paragraph == sentence.paragraph:
            return True
        body_before = [s for s in self.sentences[max(0, sentence.index - 4) : sentence.index] if s.is_body]
        if body_before and body_before[-1].index == ref.sentence:
            return True
        # "He said ...", "The company ...": an anaphoric subject continues the story of a recent sentence
        return bool(_ANAPHORIC_OPENER.match(sentence.text)) and any(s.index == ref.sentence for s in body_before)

    def _from_discourse(self, start: int, end: int, sentence: Sentence, tense: str | None,
                        report: bool = False) -> EventAnchor:
        """Steps 4-5: the narrative reference time, else the publication window."""
        ref = self._reference
        shift = bool(self.rules.topic_shift.match(sentence.text))
        if ref is not None and not self._within_reach(ref, sentence):
            ref = None
        if report and self.mode == "news":
            lead_event, lead_report = self._lead_times()
            quoted = any(x.kind == "quote" for x in self.clause_map(sentence).path(start))
            lead = lead_report or lead_event
            if lead is not None and not shift and not quoted and tense is None and self.dct is not None:
                return self._from_lead(start, end, lead, "a report with no time of its own")
            return self._fallback(start, end, sentence, tense, "a report with no time of its own", report=True)
        seg = self.clause_map(sentence).segment_at(start)
        if seg.kind == "complement" and tense == "past_perfect" and self.mode == "news" and self.dct is not None:
            # "Russia's ministry said that its forces had recaptured three villages": before the report,
            # whose time is publication when it has none of its own
            day = _day(self.dct)
            lo = min(self._story_start or day - _DAY, day - _DAY)
            return EventAnchor(start, end, None, lo, day, precision_for_days((day - lo).days), "dct", None, "before",
                               "past perfect in an untimed report: before publication")
        quoted = self.mode == "news" and any(x.kind == "quote" for x in self.clause_map(sentence).path(start))
        if ref is not None and not shift and not quoted and tense != "future" and not (
                tense == "present_perfect" and self.mode == "news"):
            e = ref.expression
            if tense == "past_perfect" and e.earliest is not None:
                lo = _midnight(e.earliest)
                floor = min(self._story_start or lo - _DAY, lo - _DAY)
                return EventAnchor(start, end, None, floor, lo, precision_for_days((lo - floor).days),
                                   "narrative", e, "before", f"past perfect: before {e.text!r}, carried")
            return self._from_expression(start, end, e, "narrative", "included",
                                         f"carried from an earlier sentence ({e.text!r})")
        why = "a topic shift; " if shift and ref is not None else ""
        lead_event, lead_report = self._lead_times()
        lead_event = lead_event or lead_report  # "Apple announced Friday that ...": the story is Friday's
        if (lead_event is not None and not shift and not quoted and tense is None
                and self.mode == "news" and self.dct is not None):
            # Wikinews, feature leads: "Yesterday, at WWDC, Jobs unveiled iPhone 4." The story's
            # untimed past events belong to the day its lead narrates, within the days up to publication
            return self._from_lead(start, end, lead_event, "no time in the sentence")
        return self._fallback(start, end, sentence, tense, why + "no time in the sentence")

    def _from_lead(self, start: int, end: int, lead: TimeExpression, why: str) -> EventAnchor:
        """The story's time from its lead, up to publication (best day: the lead's)."""
        assert self.dct is not None and lead.earliest is not None
        day = _day(self.dct)
        lo = _midnight(lead.earliest)
        return EventAnchor(start, end, None, lo, day + _DAY, precision_for_days((day + _DAY - lo).days),
                           "narrative", lead, None, f"{why}: the story's time, from its lead ({lead.text!r}), "
                           "up to publication")

    def _fallback(self, start: int, end: int, sentence: Sentence | None, tense: str | None,
                  why: str, report: bool = False) -> EventAnchor:
        if self.dct is None or self.mode == "narrative":
            return EventAnchor(start, end, None, None, None, None, "none", None, None, why + "; no anchor date")
        day = _day(self.dct)
        if report:
            return EventAnchor(start, end, None, day - _DAY, day + _DAY, "week", "dct", None, None,
                               why + ": the publication day or the evening before")
        if tense == "future":
            return EventAnchor(start, end, None, day, None, None, "dct", None, "after",
                               "future: after publication")
        if tense == "present_perfect":
            lo = day - (self.rules.recent_perfect_days - 1) * _DAY
            return EventAnchor(start, end, None, lo, day + _DAY, precision_for_days(self.rules.recent_perfect_days),
                               "dct", None, "included", "present perfect in a fresh report: just before publication")
        lo = self._story_start or day - (self.rules.fallback_days - 1) * _DAY
        return EventAnchor(start, end, None, lo, day + _DAY, precision_for_days((day + _DAY - lo).days), "dct",
                           None, None, why + "; the days up to publication")

    # -- helpers ----------------------------------------------------------------

    def _resolve_vague(self, e: TimeExpression) -> TimeExpression:
        """"hours later", "minutes earlier": the day of the nearest time of day grain (same
        sentence, else the narrative's), not a month-long window around publication."""
        if e.earliest is not None or not e.value.endswith("_REF") or not _SHORT_VAGUE.search(e.text):
            return e
        sentence = self._sentence_of(e.start)
        pool = [x for x in self._expressions_in(sentence.start, sentence.end) if x is not e
                and x.grain in _FINE and x.earliest is not None and not x.since] if sentence else []
        if pool:
            return min(pool, key=lambda x: abs(x.start - e.start))
        if self._reference is not None:
            return self._reference.expression
        return e

    def _tense_agrees(self, e: TimeExpression, tense: str | None) -> bool:
        """A future clause is never dated in the past, a past one never after publication."""
        if self.dct is None or self.mode != "news" or e.earliest is None or e.latest is None:
            return True
        day = _day(self.dct)
        if tense == "future":
            return e.latest > day
        if tense in ("past_perfect", "present_perfect"):
            return e.earliest < day + _DAY  # "had repelled an assault on Thursday morning", published that Thursday
        return True

    def _since_contains(self, e: TimeExpression, start: int) -> bool:
        """"since a victory in 2016": the event lies between "since" and its time, which dates it."""
        m = None
        for m in _SINCE_WORD.finditer(self.text, max(0, e.start - 80), e.start + 1):  # noqa: B007 - the last one
            pass
        return m is not None and m.end() <= start < e.start

    def _is_state_since(self, e: TimeExpression, start: int, seg: Segment) -> bool:
        """"front lines stagnant since 2020", "has persisted since 2011": a state, not a comparison."""
        before = self.text[seg.start : e.start]
        cut = before.lower().rfind("since")
        lead = before[:cut] if cut >= 0 else before
        return not _SINCE_COMPARISON.search(lead)

    def _from_expression(self, start: int, end: int, e: TimeExpression, source: str, relation: str,
                         reason: str, window: bool = False) -> EventAnchor:
        e = self._resolve_vague(e)
        lo, hi, grain, value = _bounds(e, self.dct, self.rules.vague_windows, self.text)
        if window and lo is not None and hi is not None and grain in _FINE:
            # shortly before or after a day: the day itself and the one before (after)
            lo, hi = _midnight(lo), _midnight(hi - timedelta(microseconds=1)) + _DAY
            if relation == "before":
                return EventAnchor(start, end, None, lo - _DAY, hi, "week", source, e, relation, reason)
            if relation == "after":
                return EventAnchor(start, end, None, lo, hi + _DAY, "week", source, e, relation, reason)
        if relation == "since":
            if e.until is not None:
                hi = e.until
            elif self.dct is not None and self.mode == "news" and lo is not None and lo < _day(self.dct):
                hi = _day(self.dct) + _DAY  # "have fled since the RSF overran it on 13 April": up to now
            if lo is not None and hi is not None and grain in _FINE:
                grain = precision_for_days((hi - lo).days)
        elif relation == "after" and lo is not None:
            hi = _day(self.dct) + _DAY if self.dct is not None and _day(self.dct) >= lo else None
        elif relation == "before" and hi is not None:
            lo = None
        return EventAnchor(start, end, value, lo, hi, grain, source, e, relation, reason)


_SHORT_VAGUE = re.compile(r"\b(?:hours?|minutes?|moments?)\b", re.IGNORECASE)


def _usable(e: TimeExpression, text: str = "") -> bool:
    return (e.type in ("DATE", "TIME") and (e.earliest is not None or e.value.endswith("_REF"))) or is_window(e, text)


def is_window(e: TimeExpression, text: str = "") -> bool:
    """A bounded duration that ends at the reference time ("in the past 48 hours")."""
    if e.type != "DURATION" or not _DURATION_VALUE.match(e.value):
        return False
    if e.text.lower().startswith(("the past", "the last", "past ", "last ")):
        return True
    return bool(text) and bool(_BOUNDED_DURATION.search(text, max(0, e.start - 30), e.start))


def _prefer_absolute(expressions: list[TimeExpression]) -> list[TimeExpression]:
    """"overnight on November 30": a relative time right before an absolute one is named by it."""
    out = []
    for i, e in enumerate(expressions):
        nxt = expressions[i + 1] if i + 1 < len(expressions) else None
        if (nxt is not None and not any(c.isdigit() for c in e.text) and any(c.isdigit() for c in nxt.text)
                and nxt.grain in _FINE and 0 <= nxt.start - e.end <= 4 and nxt.type in ("DATE", "TIME")):
            continue
        out.append(e)
    return out


#: A time used as a noun's modifier: "the 1974 disengagement agreement", "a June 1 deadline",
#: "the Dec. 21, 1988, bombing", "last month's discovery".
_DETERMINER_END = re.compile(r"(?:\b(?:the|a|an|its|their|his|her|our|this|that|whose)|['’]s)\s+$", re.IGNORECASE)
_IN_THE_EVENT = re.compile(r"\s+(?:[\w'’-]+\s+)?(?:in|during|amid|at)\s+(?:the|a|an|its|their|his|her|this|that)?\s*"
                           r"(?:[\w'’-]+['’]s\s+)?$",
                           re.IGNORECASE)
_NOUN_AFTER = re.compile(r"(?:\s?['’]s\s+(?=[A-Za-z])|,\s+|\s+)"
                         r"(?!(?:and|or|but|to|in|on|at|of|for|with|by|from|as|when|that|which|who|"
                         r"was|were|is|are|has|have|had|will|would|could|may|can|did|does|do|saw|after|before|"
                         r"until|since|than|through|during|into|onwards|onward|ago|later|earlier|itself|alone)\b)"
                         r"(?i:[a-z])[\w'’-]*")


def _modifies_other_noun(text: str, e: TimeExpression, event_start: int, event_end: int) -> bool:
    """True when ``e`` modifies a noun ("charged in the Dec. 21, 1988, bombing") and the event at
    ``event_start`` is a verb before it that governs the noun phrase: the noun's own time is no
    time of that verb (what follows the noun, its relative clause or predicate, may share it)."""
    if event_start >= e.start or event_end >= e.end:
        return False  # after the time, or a span that holds it ("the 2008 Beijing Olympic Games")
    if _MEDIUM_AFTER.match(text, e.end) and re.search(r"\b(?:in|on)\s+(?:a|an|its|their|his|her|the)\s+$",
                                                   text[max(0, e.start - 12):e.start]):
        return False  # "which Amnesty branded a slaughterhouse in a 2017 report": the report's time is the saying's
    if _IN_THE_EVENT.fullmatch(text, event_end, e.start):
        return False  # "were killed in Tuesday's attacks", "seized power in a 1970 coup": the noun's time is the verb's
    return _outside_its_noun(text, e, event_start)


#: An apposition about the subject: "Jobs, born in San Francisco on February 24, 1955, has built ...".
_APPOSITION = re.compile(r",\s+(?:born|founded|established|formed|elected|appointed|created|built|aged|"
                         r"killed|wounded|arrested)\b[^,;]{0,80}?(?:\s?,\s*\d{4})?\s?,", re.IGNORECASE)


def _in_other_apposition(text: str, e: TimeExpression, event_start: int, floor: int) -> bool:
    """True when ``e`` lies in an apposition about a noun ("Jobs, born ... on February 24, 1955,")
    that the event at ``event_start`` is not part of."""
    lo = max(floor, e.start - 90)
    for m in _APPOSITION.finditer(text, lo, min(len(text), e.end + 90)):
        if m.start() <= e.start and e.end <= m.end():
            return not (m.start() <= event_start < m.end())
    return False


def _outside_its_noun(text: str, e: TimeExpression, event_start: int) -> bool:
    """True when ``e`` modifies a noun ("this year's conference", "the 1974 agreement") and the
    event at ``event_start`` is not that noun phrase."""
    possessive = text.startswith(("'s ", "’s ", " 's ", " ’s "), e.end)
    if not _DETERMINER_END.search(text, max(0, e.start - 8), e.start) and not possessive:
        return False
    m = _NOUN_AFTER.match(text, e.end)
    if m is not None and not possessive and not m.group(0).strip(" ,")[:1].islower() \
            and not _BARE_YEAR.fullmatch(e.text):
        # a capitalised word after a bare time starts a name or clause ("in the 1980s Iraq fought");
        # after "the" and a year it is the name the year modifies ("the 1960 Indus Waters Treaty")
        return False
    if m is None:
        return False
    # the event is the noun (or a word of the noun phrase) the time modifies
    return not (e.end <= event_start <= m.end() + 30 and "," not in text[m.end():event_start]
                and not re.search(r"\s(?:and|or|of|to|in|on|at|was|were|is|are)\s", text[m.end():event_start + 1]))


#: Nouns of a saying's medium: a time that modifies one ("in a 2017 report") dates what was said in it.
_MEDIUM_AFTER = re.compile(r"\s+(?:report|statement|speech|interview|study|survey|ruling|verdict|letter|"
                           r"communiqu[eé]|resolution|post|broadcast|address|briefing)\b", re.IGNORECASE)
#: A time that ends its clause right before a relative pronoun: "protests in March 2011, which forces met".
_RIGHT_BEFORE_RELATIVE = re.compile(r"\s*,\s*")
_BARE_YEAR = re.compile(r"(?:1[5-9]|20)\d\d")
_NOUN_LINK = re.compile(r"^(?:\s*,)?\s*(?:(?:with|of|against|between|on|in|by|near|around|for)\s+"
                        r"(?:[\w'’-]+\s+){0,3}?[\w'’-]+)?\s*,?\s*$", re.IGNORECASE)


def _quoted_apart(cm: ClauseMap, time_pos: int, event_pos: int) -> bool:
    """True for a time inside a quotation the event is not in: '"We think it's the future of
    notebooks," said Jobs' ("the future" is no time of the saying)."""
    return any(q.kind == "quote" and q.start <= time_pos < q.end and not q.start <= event_pos < q.end
               for q in cm.segments)


def _only_a_subject(between: str) -> bool:
    """True when the text between a fronted time and a reporting verb is a comma and the verb's subject
    alone, with no verb of its own: "On Friday, Netanyahu said"; "At 0800 UTC, the Bank of Canada, ...
    and the Swiss National Bank jointly announced"; "Earlier yesterday, the exchange was told". Not
    "On Friday, rebels captured the town, officials said" (the time is the capture's).

    Examples:
        >>> _only_a_subject(", Pentagon officials "), _only_a_subject(", rebels captured the town, officials ")
        (True, False)
    """
    if re.search(r"[.;:!?\"“”]", between) or not re.match(r"\s*,?\s", between):
        return False
    words = re.findall(r"[\w'’-]+", between)
    if not 1 <= len(words) <= 40:
        return False
    body, last = words[:-1], words[-1].lower()
    if last in ("was", "were", "has", "have", "had", "is", "are"):
        words = body  # "was told", "have said": the reporting verb's own auxiliary
    return not any(w.lower() in _CLAUSE_WORDS or (w.islower() and is_past_word(w)) for w in words)


def _modifies_event(text: str, event_end: int, relative_start: int) -> bool:
    """True when a relative clause is about the event noun itself ("clashes with government troops
    that began on Friday"), not about a verb's object ("recaptured towns that had fallen")."""
    if relative_start < event_end:
        return False  # "The war, which erupted in April 2023, has killed ...": the clause is about the subject
    gap = text[event_end:relative_start]
    return len(gap) <= 40 and bool(_NOUN_LINK.match(gap))


def _governs(cm: ClauseMap, sub: Segment, pos: int) -> bool:
    """True when the subordinate clause ``sub`` modifies the clause holding ``pos``."""
    main = cm.main_at(pos)
    return main.start <= sub.start < main.end and not (sub.start <= pos < sub.end)


def window_days(value: str) -> int | None:
    """The whole days a bounded duration value spans (``PT48H`` -> 2, ``P3D`` -> 3), or None."""
    m = _DURATION_VALUE.match(value)
    if not m:
        return None
    if m.group("hours"):
        return max(1, -(-int(m.group("hours")) // 24))
    n = int(m.group("n"))
    return n * {"D": 1, "W": 7, "M": 30, "Y": 365}[m.group("unit")]


def _bounds(e: TimeExpression, dct: date | None, vague_windows: dict[str, int], text: str
            ) -> tuple[datetime | None, datetime | None, str | None, str | None]:
    """Bounds, grain and value of an event whose time is ``e``."""
    if e.earliest is not None and e.latest is not None and e.type != "DURATION":
        return e.earliest, e.latest, e.grain, e.value
    anchor = e.anchor or dct
    if anchor is None:
        return None, None, None, e.value if e.type != "DURATION" else None
    day = _day(anchor)
    if e.type == "DURATION":
        days = window_days(e.value) or 1
        return day - days * _DAY, day + _DAY, precision_for_days(days + 1), None
    key = e.text.lower()
    vague = next((n for word, n in vague_windows.items() if word in key), None)
    days = vague if vague is not None else {"PAST_REF": 30, "PRESENT_REF": 1, "FUTURE_REF": 30}.get(e.value, 30)
    if e.value == "FUTURE_REF":
        return day + _DAY, day + (days + 1) * _DAY, precision_for_days(days), e.value
    return day - (days - 1) * _DAY, day + _DAY, precision_for_days(days), e.value


def anchor_events(text: str, events: Iterable[tuple[int, int]], dct: str | date | datetime | None = None,
                  mode: str = "news", expressions: Sequence[TimeExpression] | None = None) -> list[EventAnchor]:
    """When did each event mention happen? One :class:`EventAnchor` per span, in input order.

    Args:
        text: the document text.
        events: ``(start, end)`` character spans of event mentions (any predicate).
        dct: the publication date (document creation time), or None.
        mode: ``"news"`` or ``"narrative"`` (histories: no publication-week fallback).
        expressions: the output of :func:`timeline.tag` for this text and DCT, if
            already computed (otherwise the text is tagged here).

    Examples:
        >>> text = "At least 25 people were killed in strikes on Sunday, rescuers said early on Monday."
        >>> spans = [(text.index("strikes"), text.index("strikes") + 7), (text.index("said"), text.index("said") + 4)]
        >>> [(a.value, a.source, a.relation) for a in anchor_events(text, spans, dct="2024-12-02")]
        [('2024-12-01', 'clause', 'included'), ('2024-12-02', 'clause', 'included')]
    """
    from ..tagging import parse_dct, tag

    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    anchor_date = parse_dct(dct)
    spans = [_check_span(span, len(text)) for span in events]
    if expressions is None:
        expressions = tag(text, dct=anchor_date, mode=mode)
    anchorer = EventAnchorer(text, anchor_date, mode, expressions)
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    out: list[EventAnchor | None] = [None] * len(spans)
    for i in order:
        out[i] = anchorer.anchor(*spans[i])
    return [a for a in out if a is not None]


def _check_span(span: object, n: int) -> tuple[int, int]:
    try:
        first, last = cast("tuple[Any, Any]", span)
        start, end = int(first), int(last)
    except (TypeError, ValueError):
        raise InputError(f"invalid event span {span!r}: expected a (start, end) pair of character offsets") from None
    if not 0 <= start <= end <= n:
        raise InputError(f"invalid event span {span!r}: offsets must satisfy 0 <= start <= end <= {n}")
    return start, end
