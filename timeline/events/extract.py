"""Event extraction: from an article and its time expressions to dated events.

For each body sentence (headings and page furniture are skipped) the trigger
lexicon proposes events; one event is kept per clause segment (main, relative,
subordinate or reported clause: see :mod:`timeline.events.clauses`), the
highest-priority trigger. Triggers inside quotations or after a denial or
intention ("deny targeting") are not events, nor is the frame of reported speech
("the military announced ...") when the sentence reports an event.

Times are attached by :class:`~timeline.events.anchor.EventAnchorer`, the code
path of :func:`timeline.anchor_events`: the event's own clause, another main
clause of the sentence, the time of the report that tells it, the narrative's
reference time (``time_flag`` "carried-from-earlier-sentence"), else the days up
to publication (``time_flag`` "dct-fallback").

Casualty counts come from :mod:`timeline.events.casualties`; a cumulative tally
("since November 27 ... has risen to 56") keeps its whole interval and is marked
``cumulative`` so it is never counted as one day's deaths.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ..model import Article, TimeExpression
from .actors import ActorMention, find_actors
from .anchor import EventAnchor, EventAnchorer, best_day
from .casualties import extract_casualties, total_fatalities
from .clauses import Segment
from .places import PlaceMention, document_country, event_place, find_places
from .segment import Sentence, split_sentences
from .triggers import TriggerLexicon, TriggerMatch, load_triggers

#: ACLED time_precision codes by grain.
_ACLED_PRECISION = {"minute": 1, "hour": 1, "part-of-day": 1, "day": 1, "week": 2}

_BREAKDOWN = re.compile(r"\b(?:included|including|among\s+them|of\s+them|of\s+whom|among\s+the\s+dead)\b",
                        re.IGNORECASE)

#: Event types that are reports: with no time of their own they are dated on publication.
#: (A casualty report of one incident is dated to the deaths, so it is not one of them.)
_REPORT_TYPES = frozenset({"statement"})
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


def _event_id(doc_id: str, sentence: Sentence, trigger_start: int) -> str:
    digest = hashlib.sha1(f"{doc_id}\x1f{sentence.start}\x1f{trigger_start}".encode("utf-8")).hexdigest()
    return digest[:12]


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


#: The table's time_flag for an anchor that did not come from the event's own sentence.
_FLAGS = {"narrative": "carried-from-earlier-sentence", "dct": "dct-fallback", "none": "undated"}


def extract_events(article: Article, expressions: list[TimeExpression], mode: str = "news") -> list[Event]:
    """Events of one article, in text order, each with its time and provenance.

    ``expressions`` are the article's time expressions as returned by
    :func:`timeline.tag` with the article's DCT and ``mode``. Times are attached by
    :class:`~timeline.events.anchor.EventAnchorer`, the code path of
    :func:`timeline.anchor_events`.
    """
    lexicon = load_triggers()
    text = article.text
    sentences = split_sentences(text)
    places = find_places(text)
    doc = _Document(article, sentences, places, find_actors(text),
                    EventAnchorer(text, article.published, mode, expressions, sentences),
                    document_country(_in_body(places, sentences)))
    events: list[Event] = []
    for sentence in sentences:
        if sentence.is_body:
            events.extend(_sentence_events(doc, lexicon, sentence))
    return events


@dataclass
class _Document:
    """What every sentence of one article needs: places, actors (offset-sorted) and the anchorer."""

    article: Article
    sentences: list[Sentence]
    places: list[PlaceMention]
    actors: list[ActorMention]
    anchorer: EventAnchorer
    country: str | None = None  # the story's main country, for the place of each event
    last_tally: int = -2  # index of the last sentence with a cumulative tally

    def __post_init__(self) -> None:
        self._place_starts = [p.start for p in self.places]
        self._actor_starts = [a.start for a in self.actors]

    def places_in(self, start: int, end: int) -> list[PlaceMention]:
        return self.places[bisect.bisect_left(self._place_starts, start):bisect.bisect_left(self._place_starts, end)]

    def actors_in(self, start: int, end: int) -> list[ActorMention]:
        return self.actors[bisect.bisect_left(self._actor_starts, start):bisect.bisect_left(self._actor_starts, end)]


def _pick_triggers(doc: _Document, lexicon: TriggerLexicon, sentence: Sentence) -> list[tuple[TriggerMatch, Segment]]:
    """One trigger per clause segment (the highest priority), in text order.

    Triggers in quotations or after a denial or intention are not events; a
    reporting verb's frame ("the military announced ...") is not an event when the
    sentence reports one.
    """
    cm = doc.anchorer.clause_map(sentence)
    best: dict[tuple[int, int, str], TriggerMatch] = {}
    for t in lexicon.find(sentence.text):
        start = sentence.start + t.start
        seg = cm.segment_at(start)
        if any(s.kind == "quote" for s in cm.path(start)) or _is_irrealis(
                lexicon, doc.article.text, cm.main_at(start).start, start):
            continue
        key = (seg.start, seg.end, seg.kind)
        if key not in best or t.trigger.priority > best[key].trigger.priority:
            best[key] = t
    picks = [(t, cm.segment_at(sentence.start + t.start)) for t in best.values()]
    if any(seg.kind != "attribution" for _, seg in picks):
        picks = [(t, seg) for t, seg in picks if seg.kind != "attribution"]
    return sorted(picks, key=lambda p: p[0].start)


def _toll_owner(picks: list[tuple[TriggerMatch, Segment]], counts: list, sentence: Sentence) -> int | None:
    """The trigger (document offset) that a sentence's death toll belongs to: the violent
    event nearest the first death count ("a neighbourhood that was bombed ... bombings that
    resulted in the deaths of thousands": the deaths, not the bombing of the neighbourhood)."""
    killed = [c for c in counts if c.kind == "killed"]
    violent = [t for t, _ in picks if _refined_type(t) in _VIOLENT_TYPES]
    if not killed or not violent:
        return None
    at = killed[0].start
    best = min(violent, key=lambda t: (abs(t.start - at), t.start))
    return sentence.start + best.start


def _refined_type(match: TriggerMatch) -> str:
    return match.trigger.event_type


def _sentence_events(doc: _Document, lexicon: TriggerLexicon, sentence: Sentence) -> list[Event]:
    """The events of one body sentence."""
    text = doc.article.text
    dct = doc.article.published
    counts = extract_casualties(sentence.text)
    if counts and any(c.cumulative for c in counts):
        doc.last_tally = sentence.index
    out: list[Event] = []
    seen: set[tuple[str, int | None]] = set()
    fatalities_taken = False
    places = doc.places_in(sentence.start, sentence.end)
    sentence_actors = doc.actors_in(sentence.start, sentence.end)
    picks = _pick_triggers(doc, lexicon, sentence)
    toll_owner = _toll_owner(picks, counts, sentence)
    for match, seg in picks:
        t_start = sentence.start + match.start
        clause = doc.anchorer.clause_map(sentence).main_at(t_start)
        clause_actors = [a for a in sentence_actors if clause.start <= a.start < clause.end]
        before = [a for a in clause_actors if a.start < t_start]
        after = [a for a in clause_actors if a.start > t_start]
        event_type, sub_event_type = _refine(match, text[clause.start : clause.end], before)
        anchor = doc.anchorer.anchor(t_start, sentence.start + match.end, report=event_type in _REPORT_TYPES)
        expr = anchor.expression
        key = (event_type, expr.start if expr is not None else None)
        if key in seen:
            continue  # "strikes ... airstrikes" at one time is one event
        seen.add(key)
        start, end, precision = anchor.earliest, anchor.latest, anchor.grain
        fatalities = civilians = children = None
        cumulative = False
        notes: list[str] = []
        if counts and not fatalities_taken and event_type in _VIOLENT_TYPES and t_start == toll_owner:
            fatalities = total_fatalities(counts)
            if fatalities is not None:
                fatalities_taken = True
                killed = [c for c in counts if c.kind == "killed"]
                children = max((c.number for c in killed if c.is_child), default=None)
                civilians = max((c.number for c in killed if c.is_civilian), default=None)
                cumulative = any(c.cumulative for c in killed)
                if not cumulative and doc.last_tally == sentence.index - 1 and _BREAKDOWN.search(sentence.text):
                    # "It said the combatants killed included some 380 rebels": a breakdown
                    # of the tally in the sentence before, not a new incident.
                    cumulative = True
                    notes.append("breakdown of the tally in the previous sentence")
                if cumulative:
                    notes.append("cumulative tally: deaths over the whole interval, not on one day")
                    if dct is not None and (expr is None or not expr.since):
                        end = _midnight(dct) + timedelta(days=1)
        if dct is not None and cumulative and anchor.relation in ("since", None, "included") and (
                expr is None or expr.since):
            date_ = _midnight(dct)  # a tally running since X is dated on the report
        else:
            date_ = best_day(anchor)
        if anchor.source not in ("clause", "sentence") or anchor.relation not in (None, "included"):
            notes.insert(0, anchor.reason)  # say why when the time is not simply the sentence's
        place = event_place(places, sentence_actors, sentence, text, t_start, doc.country)
        actor1 = before[-1].name if before else None
        actor2 = next((a.name for a in after if a.name != actor1), None)
        out.append(Event(
            event_id=_event_id(doc.article.doc_id, sentence, t_start), doc_id=doc.article.doc_id, published=dct,
            sentence_index=sentence.index, sentence=sentence.text, trigger=match.text, trigger_start=t_start,
            event_type=event_type, sub_event_type=sub_event_type, date=date_, start=start, end=end,
            precision=precision, time_precision=_ACLED_PRECISION.get(precision or "", 3),
            time_text=expr.text if expr is not None else None, time_value=expr.value if expr is not None else None,
            anchor_source=_anchor_source(anchor), time_flag=_FLAGS.get(anchor.source),
            fatalities=fatalities, civilians=civilians, children=children, cumulative=cumulative,
            actor1=actor1, actor2=actor2, actors=tuple(dict.fromkeys(a.name for a in clause_actors)),
            location=" ".join(place.text.split()) if place else None,
            country=place.country_code if place else None,
            latitude=place.latitude if place else None, longitude=place.longitude if place else None,
            rule_id=match.trigger.id, notes=tuple(notes),
        ))
    return out


def _in_body(places: list[PlaceMention], sentences: list[Sentence]) -> list[PlaceMention]:
    """The place mentions that lie in body sentences (not headings or page furniture)."""
    body = [s for s in sentences if s.is_body]
    starts = [s.start for s in body]
    out = []
    for p in places:
        i = bisect.bisect_right(starts, p.start) - 1
        if i >= 0 and p.start < body[i].end:
            out.append(p)
    return out


def _anchor_source(anchor: EventAnchor) -> str:
    """The table's anchor_source: what the event's time was resolved against."""
    if anchor.source == "narrative":
        return "narrative"
    if anchor.expression is not None:
        return anchor.expression.anchor_source
    return "dct" if anchor.source == "dct" else "none"


def _midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day)
