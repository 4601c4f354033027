"""Event extraction: from an article and its time expressions to dated events.

For each body sentence (headings and page furniture are skipped) the trigger
lexicon proposes events; one event is kept per clause (the highest-priority
trigger). Triggers inside quotations, in relative clauses about earlier events
("towns that had fallen") or after a denial or intention ("deny targeting") are
not events.

Time attachment, in order:
1. an expression in the same clause as the trigger (nearest one);
2. otherwise an expression elsewhere in the sentence;
3. otherwise the narrative's current reference time: the time of the last event
   in the same paragraph that had an explicit time (``anchor_source`` "narrative");
4. otherwise the DCT, as "in the week up to publication", flagged ``dct-fallback``.

Casualty counts come from :mod:`timeline.events.casualties`; a cumulative tally
("since November 27 ... has risen to 56") keeps its whole interval and is marked
``cumulative`` so it is never counted as one day's deaths.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ..model import Article, TimeExpression
from .actors import ActorMention, find_actors
from .casualties import extract_casualties, total_fatalities
from .places import PlaceMention, find_places
from .segment import Sentence, split_sentences
from .triggers import TriggerLexicon, TriggerMatch, load_triggers

#: ACLED time_precision codes by grain.
_ACLED_PRECISION = {"minute": 1, "hour": 1, "part-of-day": 1, "day": 1, "week": 2}

_CLAUSE_BREAK = re.compile(
    r";|:|\s[-–—]\s|,\s+(?:and|but|while|as|after|before|when|prompting|coinciding|marking|with|a\s+\w+\s+after)\b"
    r"|\s(?:while|whereas|coinciding\s+with|prompting|and\s+agreed|and\s+said)\s",
    re.IGNORECASE,
)
#: A trigger in a relative clause about an earlier state ("towns that had recently fallen").
_BACKGROUND = re.compile(r"\b(?:who|which|that)\s+(?:had|have|has)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_QUOTE_SPANS = re.compile(r"[\"“][^\"”]{3,}[\"”]")
_BREAKDOWN = re.compile(r"\b(?:included|including|among\s+them|of\s+them|of\s+whom|among\s+the\s+dead)\b",
                        re.IGNORECASE)

#: How many paragraphs an explicit time carries to later sentences without one.
NARRATIVE_REACH = 4

_VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians", "casualty report"})


@dataclass(frozen=True, slots=True)
class Event:
    """One event found in a document, with its time, casualties, actors and place."""

    event_id: str
    doc_id: str
    published: date | None
    sentence_index: int
    sentence: str
    trigger: str
    trigger_start: int
    event_type: str
    sub_event_type: str
    date: datetime | None
    start: datetime | None
    end: datetime | None
    precision: str | None
    time_precision: int
    time_text: str | None
    time_value: str | None
    anchor_source: str
    time_flag: str | None = None
    fatalities: int | None = None
    civilians: int | None = None
    children: int | None = None
    cumulative: bool = False
    actor1: str | None = None
    actor2: str | None = None
    actors: tuple[str, ...] = ()
    location: str | None = None
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    rule_id: str = ""
    notes: tuple[str, ...] = field(default=())


@dataclass
class _TimeChoice:
    expression: TimeExpression | None
    source: str  # clause, sentence, narrative, dct, none


def _event_id(doc_id: str, sentence: Sentence, trigger_start: int) -> str:
    digest = hashlib.sha1(f"{doc_id}\x1f{sentence.start}\x1f{trigger_start}".encode("utf-8")).hexdigest()
    return digest[:12]


def _clauses(sentence: Sentence) -> list[tuple[int, int]]:
    """Clause spans (document offsets) of a sentence."""
    cuts = [sentence.start]
    for m in _CLAUSE_BREAK.finditer(sentence.text):
        cuts.append(sentence.start + m.start())
    cuts.append(sentence.end)
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def _in_quotes(sentence: Sentence, start: int) -> bool:
    rel = start - sentence.start
    return any(m.start() < rel < m.end() for m in _QUOTE_SPANS.finditer(sentence.text))


def _is_usable_time(e: TimeExpression) -> bool:
    return e.type in ("DATE", "TIME") and (e.earliest is not None or e.value.endswith("_REF"))


def _choose_time(expressions: list[TimeExpression], clause: tuple[int, int], sentence: Sentence,
                 trigger_start: int) -> _TimeChoice:
    in_sentence = [e for e in expressions if sentence.start <= e.start < sentence.end and _is_usable_time(e)]
    in_clause = [e for e in in_sentence if clause[0] <= e.start < clause[1]]
    for pool, source in ((in_clause, "clause"), (in_sentence, "sentence")):
        if pool:
            # Prefer precise times over vague references, then the nearest.
            best = min(pool, key=lambda e: (e.earliest is None, abs(e.start - trigger_start)))
            return _TimeChoice(best, source)
    return _TimeChoice(None, "none")


def _precision_for_days(days: float) -> str:
    if days <= 1:
        return "day"
    if days <= 8:
        return "week"
    if days <= 32:
        return "month"
    if days <= 370:
        return "year"
    return "decade"


def _interval(expr: TimeExpression, dct: date | None, vague_windows: dict[str, int]
              ) -> tuple[datetime | None, datetime | None, str | None]:
    """Bounds and precision of an event whose time is ``expr``."""
    if expr.earliest is not None and expr.latest is not None:
        end = expr.until if expr.since and expr.until is not None else expr.latest
        grain = expr.grain
        if expr.since:
            grain = _precision_for_days((end - expr.earliest).days) if grain in ("day", "part-of-day") else grain
        return expr.earliest, end, grain
    anchor = expr.anchor or dct
    if anchor is None:
        return None, None, None
    key = expr.text.lower()
    days = next((n for word, n in vague_windows.items() if word in key), None)
    if days is None:
        days = {"PAST_REF": 30, "PRESENT_REF": 1, "FUTURE_REF": 30}.get(expr.value, 30)
    start = datetime.combine(anchor, datetime.min.time())
    if expr.value == "FUTURE_REF":
        return start + timedelta(days=1), start + timedelta(days=days + 1), _precision_for_days(days)
    return start - timedelta(days=days - 1), start + timedelta(days=1), _precision_for_days(days)


def _best_day(start: datetime | None, end: datetime | None, precision: str | None,
              vague: bool = False) -> datetime | None:
    """A single-day estimate: the day itself; the first day of a calendar period
    ("in March 2021" -> 1 March, as ACLED dates imprecise events); the middle of
    a vague window ("in recent days")."""
    if start is None or end is None:
        return None
    if vague:
        mid = start + (end - start) / 2
        return datetime(mid.year, mid.month, mid.day)
    return datetime(start.year, start.month, start.day)


_LOCATIVE = re.compile(r"\b(?:in|at|near|on|into|outside|around|from|of|to|toward|towards|across)\s+(?:the\s+)?"
                       r"(?:(?:city|town|village|province|district|region|outskirts|centre|center)\s+of\s+)?"
                       r"(?:(?:northern|southern|eastern|western|northwestern|northeastern|southwestern|"
                       r"southeastern|central|rebel-held|rebel-controlled)\s+)?$", re.IGNORECASE)


_KIND_RANK = {"city": 0, "admin1": 1, "region": 2, "country": 3}


def _location(places: list[PlaceMention], actors: list[ActorMention], sentence: Sentence, text: str,
              trigger_start: int) -> PlaceMention | None:
    """The event's place in its sentence: not a country named as an actor ("Russia" in
    "Syria and Russia struck"); a city or province before a country; among those, one
    after a locative preposition or right after the trigger ("entered Damascus"), then
    the nearest to the trigger."""
    candidates = [p for p in places if sentence.start <= p.start < sentence.end
                  and not any(a.start <= p.start < a.end for a in actors)]
    if not candidates:
        return None

    def rank(p: PlaceMention) -> tuple[int, int, int]:
        before = text[max(sentence.start, p.start - 60) : p.start]
        governed = bool(_LOCATIVE.search(before)) or 0 < p.start - trigger_start <= 40
        return (_KIND_RANK.get(p.kind, 2) if p.kind != "country" else 3, not governed, abs(p.start - trigger_start))

    return min(candidates, key=rank)


def _refine(match: TriggerMatch, clause_text: str, actors_before: list[ActorMention]) -> tuple[str, str]:
    cls = match.trigger
    for r in cls.refinements:
        if r.actor_before and any(a.kind == r.actor_before for a in actors_before):
            return r.event_type, r.sub_event_type
        if r.words is not None and r.words.search(clause_text):
            return r.event_type, r.sub_event_type
    return cls.event_type, cls.sub_event_type


def _is_irrealis(lexicon: TriggerLexicon, text: str, clause_start: int, trigger_start: int) -> bool:
    window = text[max(clause_start, trigger_start - 40) : trigger_start]
    return bool(lexicon.irrealis.search(window))


def extract_events(article: Article, expressions: list[TimeExpression]) -> list[Event]:
    """Events of one article, in text order, each with its time and provenance.

    ``expressions`` are the article's time expressions as returned by
    :func:`timeline.tag` with the article's DCT.
    """
    lexicon = load_triggers()
    text = article.text
    dct = article.published
    sentences = split_sentences(text)
    places = find_places(text)
    actors = find_actors(text)
    events: list[Event] = []
    narrative: tuple[int, TimeExpression] | None = None  # (paragraph, expression)
    last_tally = -2  # index of the last sentence with a cumulative tally
    for sentence in sentences:
        if not sentence.is_body:
            if sentence.is_heading:
                narrative = None  # a subheading starts a new section of the story
            continue
        if narrative is not None and sentence.paragraph - narrative[0] > NARRATIVE_REACH:
            narrative = None
        triggers = [t for t in lexicon.find(sentence.text)]
        sentence_events: list[tuple[TriggerMatch, tuple[int, int]]] = []
        for clause in _clauses(sentence):
            best: TriggerMatch | None = None
            for t in triggers:
                start = sentence.start + t.start
                if not clause[0] <= start < clause[1]:
                    continue
                if _in_quotes(sentence, start):
                    continue
                if not t.trigger.background_ok and _BACKGROUND.search(text[max(clause[0], start - 30) : start]):
                    continue
                if _is_irrealis(lexicon, text, clause[0], start):
                    continue
                if best is None or t.trigger.priority > best.trigger.priority:
                    best = t
            if best is not None:
                sentence_events.append((best, clause))
        # One event per type in a sentence: "strikes ... airstrikes" is one strike.
        seen_types: set[tuple[str, int | None]] = set()
        counts = extract_casualties(sentence.text)
        fatalities_taken = False
        if counts and any(c.cumulative for c in counts):
            last_tally = sentence.index
        for match, clause in sentence_events:
            t_start = sentence.start + match.start
            clause_text = text[clause[0] : clause[1]]
            clause_actors = [a for a in actors if clause[0] <= a.start < clause[1]]
            before = [a for a in clause_actors if a.start < t_start]
            after = [a for a in clause_actors if a.start > t_start]
            event_type, sub_event_type = _refine(match, clause_text, before)
            choice = _choose_time(expressions, clause, sentence, t_start)
            same_key = (event_type, choice.expression.start if choice.expression is not None else None)
            if same_key in seen_types:
                continue  # "strikes ... airstrikes" at one time is one event
            seen_types.add(same_key)
            time_flag = None
            anchor_source = "none"
            expr = choice.expression
            if expr is None and narrative is not None:
                expr = narrative[1]
                choice = _TimeChoice(expr, "narrative")
            if expr is not None:
                start, end, precision = _interval(expr, dct, lexicon.vague_windows)
                anchor_source = "narrative" if choice.source == "narrative" else expr.anchor_source
                time_text, time_value = expr.text, expr.value
                if choice.source == "narrative":
                    time_flag = "carried-from-earlier-sentence"
            elif dct is not None:
                day = datetime.combine(dct, datetime.min.time())
                start, end, precision = day - timedelta(days=6), day + timedelta(days=1), "week"
                anchor_source, time_text, time_value, time_flag = "dct", None, None, "dct-fallback"
            else:
                start = end = None
                precision, time_text, time_value, time_flag = None, None, None, "undated"
            fatalities = civilians = children = None
            cumulative = False
            notes: list[str] = []
            if counts and not fatalities_taken and event_type in _VIOLENT_TYPES:
                fatalities = total_fatalities(counts)
                if fatalities is not None:
                    fatalities_taken = True
                    killed = [c for c in counts if c.kind == "killed"]
                    children = max((c.number for c in killed if c.is_child), default=None)
                    civilians = max((c.number for c in killed if c.is_civilian), default=None)
                    cumulative = any(c.cumulative for c in killed)
                    if not cumulative and last_tally == sentence.index - 1 and _BREAKDOWN.search(sentence.text):
                        # "It said the combatants killed included some 380 rebels": a breakdown
                        # of the tally in the sentence before, not a new incident.
                        cumulative = True
                        notes.append("breakdown of the tally in the previous sentence")
                    if cumulative:
                        notes.append("cumulative tally: deaths over the whole interval, not on one day")
                        if dct is not None and (expr is None or not expr.since):
                            day = datetime.combine(dct, datetime.min.time())
                            end = day + timedelta(days=1)
            if dct is not None and (time_flag == "dct-fallback" or (cumulative and expr is not None and expr.since)):
                # A tally running since X, or an event with no time of its own: dated on the report.
                # ("Since a significant victory in 2016 ..." keeps 2016: the event happened then.)
                date_ = datetime.combine(dct, datetime.min.time())
            else:
                date_ = _best_day(start, end, precision, vague=expr is not None and expr.earliest is None)
            place = _location(places, actors, sentence, text, t_start)
            actor1 = before[-1].name if before else None
            actor2 = next((a.name for a in after if a.name != actor1), None)
            actor_names = tuple(dict.fromkeys(a.name for a in clause_actors))
            events.append(
                Event(
                    event_id=_event_id(article.doc_id, sentence, t_start),
                    doc_id=article.doc_id,
                    published=dct,
                    sentence_index=sentence.index,
                    sentence=sentence.text,
                    trigger=match.text,
                    trigger_start=t_start,
                    event_type=event_type,
                    sub_event_type=sub_event_type,
                    date=date_,
                    start=start,
                    end=end,
                    precision=precision,
                    time_precision=_ACLED_PRECISION.get(precision or "", 3),
                    time_text=time_text,
                    time_value=time_value,
                    anchor_source=anchor_source,
                    time_flag=time_flag,
                    fatalities=fatalities,
                    civilians=civilians,
                    children=children,
                    cumulative=cumulative,
                    actor1=actor1,
                    actor2=actor2,
                    actors=actor_names,
                    location=" ".join(place.text.split()) if place else None,
                    country=place.country_code if place else None,
                    latitude=place.latitude if place else None,
                    longitude=place.longitude if place else None,
                    rule_id=match.trigger.id,
                    notes=tuple(notes),
                )
            )
            if choice.source in ("clause", "sentence") and expr is not None and expr.grain in (
                "minute", "hour", "part-of-day", "day"
            ) and not expr.since:
                narrative = (sentence.paragraph, expr)
    return events
