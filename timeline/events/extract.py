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
from typing import Any

from ..model import Article, TimeExpression
from .actors import ActorMention, find_actors
from .anchor import EventAnchor, EventAnchorer, best_day, is_window, window_days
from .casualties import extract_casualties, load_casualty_rules, total_fatalities
from .clauses import Segment, is_past_word, load_clause_rules
from .places import PlaceMention, document_country, event_place, find_places
from .segment import Sentence, split_sentences
from .sources import claim_of, figure_source
from .triggers import TriggerLexicon, TriggerMatch, load_triggers

#: ACLED time_precision codes by grain.
_ACLED_PRECISION = {"minute": 1, "hour": 1, "part-of-day": 1, "day": 1, "week": 2}

_BREAKDOWN = re.compile(r"\b(?:included|including|among\s+them|of\s+them|of\s+whom|among\s+the\s+dead)\b",
                        re.IGNORECASE)

#: Event types that are reports: with no time of their own they are dated on publication.
#: (A casualty report of one incident is dated to the deaths, so it is not one of them.)
_REPORT_TYPES = frozenset({"statement"})
_VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians", "casualty report"})
#: Occurrences (not figures such as tolls and displacement counts, which are reports as of a day).
_OCCURRENCE_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests",
                               "Riots", "Strategic developments"})
#: A count of occurrences ("more than 310 strikes since Sunday", "hundreds of raids") is a tally, as of its report.
_COUNTED = re.compile(r"(?:\b\d[\d,.]*|\b(?:dozens|hundreds|thousands|scores|tens\s+of\s+thousands)\s+of|"
                      r"\b(?:a\s+)?(?:number|series|wave|string)\s+of|\btwice|"
                      r"\b(?:three|four|five|six|seven|eight|nine|ten|several|many)\s+times)"
                      r"\s+(?:[\w'’-]+\s+){0,3}$", re.IGNORECASE)


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
    claimant: str | None = None
    figure_source: str | None = None  # who gives the fatality figure (a claimant or an independent source)
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
    digest = hashlib.sha1(f"{doc_id}\x1f{sentence.start}\x1f{trigger_start}".encode()).hexdigest()
    return digest[:12]


def _refine(match: TriggerMatch, clause_text: str, actors_before: list[ActorMention]) -> tuple[str, str]:
    cls = match.trigger
    for r in cls.refinements:
        if r.actor_before and any(a.kind == r.actor_before for a in actors_before):
            return r.event_type, r.sub_event_type
        if r.words is not None and r.words.search(clause_text):
            return r.event_type, r.sub_event_type
    return cls.event_type, cls.sub_event_type


def _is_irrealis(lexicon: TriggerLexicon, text: str, clause_start: int, trigger_start: int,
                 times: list[TimeExpression] = (),  # type: ignore[assignment]
                 times_after: list[tuple[int, bool]] = ()) -> bool:  # type: ignore[assignment]
    """True when a cue shortly before the trigger makes it unreal ("denied", "could", "plans to").
    Time expressions are blanked first: "On 5 May, drones hit ..." holds no modal "may"."""
    lo = max(clause_start, trigger_start - 40)
    window = text[lo:trigger_start]
    for e in times:
        if e.end > lo and e.start < trigger_start:
            a, b = max(e.start, lo) - lo, min(e.end, trigger_start) - lo
            window = window[:a] + " " * (b - a) + window[b:]
    # "In Gaza, where there is no truce, Israeli strikes killed ...": a cue behind a comma is another clause's
    window = window[window.rfind(",") + 1:]
    cues = [m.group(0).lower() for m in lexicon.irrealis.finditer(window)]
    if cues and all(c == "would" for c in cues) and any(
            start > trigger_start and future for start, future in times_after):
        return False  # "said flights would resume next week": a plan with a date, told in reported speech
    return bool(cues)


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
        if sentence.is_body and not sentence.is_question:
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
    last_claimant: str | None = None  # who gave the last toll (for "It said ...")
    last_source: str | None = None  # the source of the last figure (for "It said ...")
    # (sentence index, city, named alone in its sentence) of the last event placed in a city
    last_place: tuple[int, PlaceMention, bool] | None = None
    last_report: tuple[int, datetime] | None = None  # (sentence index, day) of the last dated report

    def __post_init__(self) -> None:
        self._place_starts = [p.start for p in self.places]
        self._actor_starts = [a.start for a in self.actors]

    def named_as_city(self, before: int, noun: str) -> PlaceMention | None:
        """The last place introduced before ``before`` as "the <noun> of X" ("the city of Hama": what
        a later "the city" refers to), or None."""
        if not hasattr(self, "_named_cities"):
            text = self.article.text
            self._named_cities: list[tuple[str, PlaceMention]] = []
            for p in self.places:
                m = _NAMED_AS_CITY.search(text, max(0, p.start - 30), p.start) if p.kind in _CITY_KINDS else None
                if m is not None:
                    self._named_cities.append((m.group(1).lower(), p))
        found = [p for n, p in self._named_cities if n == noun and p.start < before]
        return found[-1] if found else None

    def main_city(self) -> PlaceMention | None:
        """The city the story is about: the one its body names most, at least three times and more
        often than any other; None when no city stands out."""
        if not hasattr(self, "_main_city"):
            body = [p for p in _in_body(self.places, self.sentences) if p.kind in _CITY_KINDS]
            counts: dict[str, list[PlaceMention]] = {}
            for p in body:
                counts.setdefault(p.name, []).append(p)
            ranked = sorted(counts.values(), key=len, reverse=True)
            top = ranked[0] if ranked else []
            self._main_city = top[0] if len(top) >= 3 and (len(ranked) == 1 or len(ranked[1]) < len(top)) else None
        return self._main_city

    def places_in(self, start: int, end: int) -> list[PlaceMention]:
        return self.places[bisect.bisect_left(self._place_starts, start):bisect.bisect_left(self._place_starts, end)]

    def actors_in(self, start: int, end: int) -> list[ActorMention]:
        return self.actors[bisect.bisect_left(self._actor_starts, start):bisect.bisect_left(self._actor_starts, end)]


#: The fallbacks for words the lexicon lacks: never a reason to drop a lexicon trigger.
_FALLBACK_IDS = frozenset({"actor_action", "dated_action"})


def _pick_triggers(doc: _Document, lexicon: TriggerLexicon, sentence: Sentence
                   ) -> list[tuple[TriggerMatch, Segment, int]]:
    """One trigger per clause segment and coordinated verb phrase, in text order, each with the
    offset where its verb phrase starts (0: the clause's first).

    Triggers in quotations or after a denial or intention are not events; a
    reporting verb's frame ("the military announced ...") is not an event when the
    sentence reports one.
    """
    cm = doc.anchorer.clause_map(sentence)
    kept = _candidate_triggers(doc, lexicon, sentence, cm)
    kept.extend(_actor_actions(doc, lexicon, sentence, cm, kept))
    kept.extend(_dated_actions(doc, lexicon, sentence, cm, kept))
    groups: dict[tuple[int, int, str, int], list[TriggerMatch]] = {}
    for t, seg, part in kept:
        part = part or _inherited_part(sentence, t, seg, kept)
        groups.setdefault((seg.start, seg.end, seg.kind, part), []).append(t)
    heads = {id(t) for t, _, part in kept if part}
    best = {key: _group_event(sentence, members, heads) for key, members in groups.items()}
    part_of = {id(t): key[3] for key, t in best.items()}
    picks = [(t, cm.segment_at(sentence.start + t.start)) for t in best.values()]
    if any(seg.kind != "attribution" and t.trigger.id not in _FALLBACK_IDS for t, seg in picks):
        # the frame of reported speech is no event of its own, but a denial or a condemnation is news
        picks = [(t, seg) for t, seg in picks if seg.kind != "attribution" or _NEWS_FRAME.fullmatch(t.text)]
    if not picks:
        picks = _dated_saying(doc, lexicon, sentence, cm)
    if any(t.trigger.id == "deaths" for t, _ in picks):
        # "70 people were killed and 19 wounded": the injured belong to the deaths' report
        picks = [(t, seg) for t, seg in picks if t.trigger.id != "injuries" or not any(
            u.trigger.id == "deaths" and useg == seg and abs(u.start - t.start) <= 60 for u, useg in picks)]
    if any(t.trigger.event_type in _ATTACK_TYPES for t, _ in picks):
        # "six were killed when artillery hit the market": the deaths are the attack's, not a second event
        picks = [(t, seg) for t, seg in picks if t.trigger.id != "deaths"]
    return sorted(((t, seg, part_of.get(id(t), 0)) for t, seg in picks), key=lambda p: p[0].start)


#: A noun's predicate that makes it unreal: "a ceasefire could be signed", "the talks will resume".
_MODAL_AFTER = re.compile(r"\s+(?:(?:[\w'’-]+\s+){0,2}?)(?:could|would|will|may|might|should|must|"
                          r"(?:is|are)\s+(?:expected|due|set|scheduled|likely)\s+to)\b", re.IGNORECASE)
#: "said on Wednesday", "told reporters late on Monday": a saying with its own time.
_SAID_AT = re.compile(r"\b(?:said|says|told\s+(?:reporters|journalists|a\s+news\s+conference|[A-Z][\w.]+))\s+"
                      r"(?:(?:in|at|during)\s+(?:a|an|his|her|its|their)\s+(?:[\w-]+\s+){0,2}?(?:statement|speech|"
                      r"address|interview|news\s+conference|press\s+conference|briefing|post)\s+)?"
                      r"(?:(?:late|early)\s+)?(?:on\s+)?$")


def _dated_saying(doc: _Document, lexicon: TriggerLexicon, sentence: Sentence, cm: Any
                  ) -> list[tuple[TriggerMatch, Segment]]:
    """A sentence with no event of its own whose saying has a time ("The negotiator said on Wednesday
    that a ceasefire could be signed within weeks"): the statement is the news."""
    cls = lexicon.by_form.get("statement")
    if cls is None:
        return []
    text = doc.article.text
    for e in doc.anchorer.expressions_in(sentence.start, sentence.end):
        if e.type not in ("DATE", "TIME") or e.earliest is None:
            continue
        m = _SAID_AT.search(text, max(sentence.start, e.start - 40), e.start)
        if m is None or any(x.kind == "quote" for x in cm.path(m.start())):
            continue
        verb_end = m.start() + len(m.group(0).split()[0])
        t = TriggerMatch(m.start() - sentence.start, verb_end - sentence.start, text[m.start():verb_end], cls)
        return [(t, cm.segment_at(m.start()))]
    return []


def _candidate_triggers(doc: _Document, lexicon: TriggerLexicon, sentence: Sentence, cm: Any
                        ) -> list[tuple[TriggerMatch, Segment, int]]:
    """The lexicon's triggers of a sentence that may be events, each with its segment and the
    start of its coordinated verb phrase ("... and cut the road": its own event)."""
    kept: list[tuple[TriggerMatch, Segment, int]] = []
    for t in lexicon.find(sentence.text):
        start = sentence.start + t.start
        seg = cm.segment_at(start)
        if (any(s.kind == "quote" for s in cm.path(start)) and not _narrative_quote(doc, sentence, cm, t, start)) \
                or _is_irrealis(
                lexicon, doc.article.text, cm.main_at(start).start, start,
                doc.anchorer.expressions_in(max(sentence.start, start - 60), start),
                [(e.start, _is_future(e, doc.article.published))
                 for e in doc.anchorer.expressions_in(start, sentence.end)]):
            continue
        if seg.kind == "subordinate" and seg.cue == "until":
            continue  # "until every inch of the homeland is liberated": a bound, not an event
        if not is_past_word(t.text.split()[0]) and _MODAL_AFTER.match(doc.article.text, sentence.start + t.end):
            continue  # "a ceasefire could be signed within weeks", "talks will resume": not (yet) an event
        if _is_back_reference(doc, sentence, start, sentence.start + t.end):
            continue  # "since the offensive", "after a lightning offensive": an event already told
        if lexicon.is_comparison(sentence.text, t.start):
            continue  # "one of the deadliest attacks since 2019": a comparison renames an event
        part = _coordination_part(sentence.text, t, seg.start - sentence.start)
        if not part and _listed_verb(sentence.text, t, seg.start - sentence.start, kept, seg):
            part = t.start
        kept.append((t, seg, part))
    return kept


#: After a past verb that starts a listed verb phrase: an object, not a participle's adjunct
#: ("the town, captured last week, fell": "captured" modifies the noun).
_LISTED_NOT_AFTER = re.compile(r"\s+(?:by|in|on|at|during|last|earlier|overnight|since|from|for|as|after|before)\b",
                               re.IGNORECASE)


def _listed_verb(text: str, t: TriggerMatch, seg_start: int, kept: list[tuple[TriggerMatch, Segment, int]],
                 seg: Segment) -> bool:
    """True for a past verb that opens the next phrase of a list of verb phrases with one subject
    ("Units cordoned off the area within minutes, evacuated the wounded to hospitals and ..."):
    its own event, as after "and"."""
    if not re.search(r",\s+$", text[max(seg_start, t.start - 3):t.start]):
        return False
    first = t.text.split()[0].lower()
    if not (first.endswith("ed") or first in load_clause_rules().past_verbs) or _LISTED_NOT_AFTER.match(text, t.end):
        return False
    return any(useg == seg and u.start < t.start and u.text.split()[0].lower().endswith("ed") for u, useg, _ in kept)


def _narrative_quote(doc: _Document, sentence: Sentence, cm: Any, t: TriggerMatch, start: int) -> bool:
    """True for a trigger told in the past inside a quotation ("\"They went from house to house,
    executing young men,\" a resident said", a communique's "\"At 9:00 am on December 20, the Arakan
    Army seized full control of the headquarters\""): what the speaker narrates happened."""
    quote = next(s for s in cm.path(start) if s.kind == "quote")
    words = doc.article.text[quote.start:start].split()
    past = [w for w in words if is_past_word(w.strip(",;:\"“”'’").lower())]
    return is_past_word(t.text.split()[0].lower()) or bool(past)


def _inherited_part(sentence: Sentence, t: TriggerMatch, seg: Segment,
                    kept: list[tuple[TriggerMatch, Segment, int]]) -> int:
    """The coordinated phrase a word belongs to when it heads none: "visited the command and met
    the commanders of the units engaged in the battles" (the phrase of "met"); "sent
    reinforcements and helped peacekeepers repel an attack" (of "helped", no trigger itself)."""
    part = max((p for u, useg, p in kept if useg == seg and p and p <= t.start), default=0)
    if not part and any(u.start < t.start for u, useg, _ in kept if useg == seg):
        lo = max(seg.start - sentence.start, t.start - 60)
        coord = list(load_clause_rules().coordinated_verb.finditer(sentence.text, lo, t.start))
        if coord and any(u.start < coord[-1].start() for u, useg, _ in kept if useg == seg):
            part = coord[-1].start() + 1
    return part


def _group_event(sentence: Sentence, members: list[TriggerMatch], heads: set[int]) -> TriggerMatch:
    """The event of one clause segment and verb phrase: a toll of an attack it names, else the
    verb heading the phrase, else the highest-priority trigger (a participle's deaths last)."""
    pool = [t for t in members if id(t) in heads] or members
    # "launched hundreds of drones at Moscow, killing three": the deaths are the launch's toll
    pool = [t for t in pool if not _CONSEQUENCE.match(t.text)] or pool
    toll = _toll_report(sentence.text, members)
    if toll is not None:
        return toll
    best = max(pool, key=lambda t: t.trigger.priority)
    if not _is_predicate(sentence.text, best):
        # "condemned the attack", "visited the site of the attack": the clause's verb is the event,
        # its noun a participant
        verbs = [t for t in pool if _heads_object(sentence.text, t, best)]
        # "One of the raids hit a camp", "One raid destroyed part of the bridge": the noun is the verb's subject;
        # "drones struck the air base, the first attack on the city since ...": the noun renames the verb's event
        verbs = verbs or [t for t in pool if _is_subject_of(sentence.text, best, t) or _renames(sentence.text, t, best)]
        if verbs:
            return max(verbs, key=lambda t: t.trigger.priority)
    return best


#: Verbs that may take over from a noun trigger of their clause: the violence itself ("raids *hit*",
#: "drones *struck* ..., the first attack"), not a generic verb ("One raid *destroyed*": the raid's type stays).
_TAKEOVER_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
#: Between a subject noun and its verb: nothing, or an adverb ("One of the raids *also* hit").
_SUBJECT_GAP = re.compile(r"\s+(?:(?:also|then|later|reportedly|allegedly|apparently|again)\s+)?$", re.IGNORECASE)
#: "One of the raids", "two of the strikes", "another of the attacks": a member of a set of events.
_PARTITIVE_BEFORE = re.compile(r"\b(?:one|two|three|some|several|many|most|each|another|none|all)\s+of\s+"
                               r"(?:the|these|those|"
                               r"their|its)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
#: Before a noun in apposition to the clause: ", the first attack", ", the deadliest strike since".
_APPOSITION_BEFORE = re.compile(r",\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)


def _is_subject_of(text: str, noun: TriggerMatch, verb: TriggerMatch) -> bool:
    """True when ``noun`` names the set one member of which is the subject of the predicate ``verb``
    right after it ("One of the raids hit a camp"); a whole noun keeps the event ("A drone strike hit")."""
    return (noun.end <= verb.start and verb.trigger.id not in _NOT_HEAD_VERBS and _is_predicate(text, verb)
            and verb.trigger.event_type in _TAKEOVER_TYPES and bool(_SUBJECT_GAP.fullmatch(text[noun.end:verb.start]))
            and bool(_PARTITIVE_BEFORE.search(text, max(0, noun.start - 30), noun.start)))


def _renames(text: str, verb: TriggerMatch, noun: TriggerMatch) -> bool:
    """True when ``noun`` heads an apposition that names the event of ``verb`` before it ("drones
    struck the air base, the first attack on the city")."""
    return (verb.end <= noun.start and verb.trigger.id not in _NOT_HEAD_VERBS and _is_predicate(text, verb)
            and verb.trigger.event_type in _TAKEOVER_TYPES
            and bool(_APPOSITION_BEFORE.search(text, max(verb.end, noun.start - 30), noun.start)))


def _heads_object(text: str, verb: TriggerMatch, noun: TriggerMatch) -> bool:
    """True when ``verb`` is the predicate whose object or complement holds ``noun``: "condemned
    the attack", "visited the site of the attack". Not a verb that announces its object
    ("announced a curfew": the curfew is the news), nor a noun of instrument ("with air strikes")."""
    if verb.trigger.id in _NOT_HEAD_VERBS or not _is_predicate(text, verb):
        return False
    gap = text[verb.end:noun.start]
    if verb.end > noun.start or len(gap) > 60 or re.search(r"[,;:()]|\s[-–—]\s", gap) or re.search(
            r"\bwith\s+(?:[\w'’-]+\s+){0,2}$|\bto\s+$", gap, re.IGNORECASE):
        return False
    return verb.trigger.event_type != "statement" or (
        bool(_STANCE.match(verb.text)) and not verb.text.lower().startswith("accus"))


#: Triggers whose verb is no head over a noun trigger: deaths are the toll of the attack they name
#: ("killed in clashes"), "began" is the onset of its noun ("began with peaceful protests").
_NOT_HEAD_VERBS = frozenset({"deaths", "onset", "actor_action", "dated_action"})
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|its|their|his|her|our|this|that|these|those|newly|for|of|to|"
                                r"from|with|among)"
                                r"\s+$|['’]s\s+$",
                                re.IGNORECASE)


def _is_predicate(text: str, t: TriggerMatch) -> bool:
    """True when the trigger is a past-tense verb heading its phrase ("hit", "condemned", "pulled
    back"), not a noun ("raids") or a participle used as an adjective ("the ousted government")."""
    first = t.text.split()[0]
    return is_past_word(first) and not _DETERMINER_BEFORE.search(text, max(0, t.start - 12), t.start)


_CITY_KINDS = frozenset({"city", "town", "village", "locality"})
#: "the city", "the town", "its eastern districts": the place of the story's last event, named before.
#: "the city of Hama", "the town of Qamhana": a place introduced as what "the city" will refer to.
_NAMED_AS_CITY = re.compile(r"\bthe\s+(?:provincial\s+)?(city|town|village|capital)\s+of\s+$", re.IGNORECASE)
_PLACE_ANAPHOR = re.compile(r"\b(?:the\s+(?:city|town|village|capital|provincial\s+capital|city's|town's)|its\s+"
                            r"(?:eastern|western|northern|southern|central|old|outer)?\s*(?:districts?|outskirts|"
                            r"neighbou?rhoods?|centre|center|edge|suburbs|streets))\b", re.IGNORECASE)
_OBJECT_OF = re.compile(r"\b(?:on|of|to|with|by|from|against|for|at|in|into|between|among|than|over)\s+(?:the\s+)?$",
                        re.IGNORECASE)


def _actor_actions(doc: _Document, lexicon: TriggerLexicon, sentence: Sentence, cm: Any,
                   kept: list[tuple[TriggerMatch, Segment, int]]) -> list[tuple[TriggerMatch, Segment, int]]:
    """The fallback for event words the lexicon lacks: an armed actor's past-tense action in a
    main or reported clause that has no trigger of its own ("Rebels consolidated their positions around Hama")."""
    rule = lexicon.actor_action
    if rule is None:
        return []
    text = doc.article.text
    taken = {(seg.start, seg.end) for _, seg, _ in kept}
    out: list[tuple[TriggerMatch, Segment, int]] = []
    for a in doc.actors_in(sentence.start, sentence.end):
        seg = cm.segment_at(a.start)
        if a.kind not in rule.kinds or seg.kind not in ("main", "complement") or (seg.start, seg.end) in taken:
            continue
        if _OBJECT_OF.search(text, max(seg.start, a.start - 24), a.start):
            continue  # "his reliance on Russia and Iran had created ...": not the subject
        m = rule.verb.match(text, a.end, min(seg.end, a.end + 40))
        if m is None or m.group("verb").lower() in rule.stop:
            continue
        start = m.start("verb")
        if any(x.kind == "quote" for x in cm.path(start)) or _is_irrealis(
                lexicon, text, cm.main_at(start).start, start,
                doc.anchorer.expressions_in(max(sentence.start, start - 60), start)):
            continue
        verb = m.group("verb")
        out.append((TriggerMatch(start - sentence.start, m.end("verb") - sentence.start, verb, rule.cls), seg, 0))
        taken.add((seg.start, seg.end))
    return out


_GERUND = re.compile(r"\s+([a-z]{3,}ing)\b")
_WORDS = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")
_CLAUSE_OPENING = frozenset({"", "on", "in", "at", "early on", "late on", "by", "overnight", "then"})


def _dated_actions(doc: _Document, lexicon: TriggerLexicon, sentence: Sentence, cm: Any,
                   kept: list[tuple[TriggerMatch, Segment, int]]) -> list[tuple[TriggerMatch, Segment, int]]:
    """The fallback for a dated action the lexicon lacks (triggers.yaml ``dated_action``): a
    past-tense verb next to a time of its clause, when the clause has no trigger of its own."""
    rule = lexicon.dated_action
    if rule is None:
        return []
    text = doc.article.text
    taken = {(seg.start, seg.end) for _, seg, _ in kept}
    out: list[tuple[TriggerMatch, Segment, int]] = []
    for e in doc.anchorer.expressions_in(sentence.start, sentence.end):
        if e.type not in ("DATE", "TIME") or e.since or e.grain not in rule.grains or e.earliest is None:
            continue
        seg = cm.segment_at(e.start)
        if seg.kind in ("quote", "attribution") or (seg.start, seg.end) in taken:
            continue
        if rule.not_after.search(text, max(seg.start, e.start - 16), e.start):
            continue
        verb = _dated_verb(text, rule, seg, sentence, e)
        if verb is None:
            continue
        start, end = verb
        vseg = cm.segment_at(start)
        if (vseg.start, vseg.end) in taken or vseg.kind in ("quote", "attribution") or any(
                x.kind == "quote" for x in cm.path(start)) or _is_irrealis(
                lexicon, text, cm.main_at(start).start, start,
                doc.anchorer.expressions_in(max(sentence.start, start - 60), start)):
            continue
        g = _GERUND.match(text, end)
        if g is not None and text[start:end].lower() in rule.aspectual:
            start, end = g.start(1), g.end(1)  # "began exhuming remains": the exhuming
        out.append((TriggerMatch(start - sentence.start, end - sentence.start, text[start:end], rule.cls), vseg, 0))
        taken.update({(vseg.start, vseg.end), (seg.start, seg.end)})
    return out


def _dated_verb(text: str, rule: Any, seg: Segment, sentence: Sentence, e: TimeExpression) -> tuple[int, int] | None:
    """The past verb a time dates: the last one within reach before it, else, for a time opening
    its clause ("On Thursday, rescuers began ..."), the first one after it."""
    def verbs(lo: int, hi: int) -> list[re.Match[str]]:
        return [m for m in _WORDS.finditer(text, max(lo, sentence.start), min(hi, sentence.end))
                if m.group(0) not in rule.stop and is_past_word(m.group(0))]
    before = verbs(max(seg.start, e.start - rule.reach), e.start)
    if before:
        return before[-1].span()
    if text[seg.start:e.start].strip(" ,\n-—–").lower() in _CLAUSE_OPENING:
        after = verbs(e.end, min(seg.end, e.end + rule.reach))
        if after:
            return after[0].span()
    return None


#: "16 soldiers had been killed in Saturday's attack", "the toll from air raids": the deaths word
#: governs the attack noun, so the sentence reports a toll (a casualty report), not a new attack.
_DEATHS_GOVERN = re.compile(r"^\s+(?:(?:of\s+)?(?:at\s+least\s+)?[\w,]+\s+(?:people|civilians|soldiers|fighters|"
                            r"children|others)\s+(?:,?\s*(?:among|including)\s+(?:them\s+)?[\w,]+\s+[\w-]+,\s+)?)?"
                            r"(?:in|by|during|from|of|after|amid)\s+(?:the\s+|a\s+|an\s+|such\s+|"
                            r"this\s+morning's\s+|[\w'’-]+'s\s+|[\w-]+\s+){0,3}$", re.IGNORECASE)
#: "border shelling had killed 57", "fighting has killed more than 100": a running toll of the fighting.
_PERFECT_KILLED = re.compile(r"\b(?:has|have|had)\s+(?:now\s+|so\s+far\s+|already\s+)?(?:been\s+)?$", re.IGNORECASE)


#: "the toll from air raids", "the deaths of 48 people in shelling": a report whatever follows.
_TOLL_NOUNS = frozenset({"toll", "tolls", "death toll", "deaths", "casualties", "fatalities"})
#: "killed in Saturday's attack", "killed in the fighting": the attack is one already told. An
#: indefinite or bare attack ("killed in an Israeli air strike", "in Russian air strikes on Idlib
#: on Sunday") is the news itself: the row is the attack and the deaths are its fatalities.
_TOLD_BEFORE = re.compile(r"\b(?:the|this|that|these|those|such|(?:mon|tues|wednes|thurs|fri|satur|sun)day's|"
                          r"yesterday's|today's|tonight's|(?:morning|evening|night|week|weekend)'s)\s", re.IGNORECASE)


def _toll_report(text: str, members: list[TriggerMatch]) -> TriggerMatch | None:
    """The deaths trigger of a clause that reports a toll of an attack it names, if any."""
    deaths = [t for t in members if t.trigger.id == "deaths"]
    attacks = [t for t in members if t.trigger.id != "deaths" and t.trigger.event_type in _VIOLENT_TYPES]
    for d in deaths:
        for a in attacks:
            gap = text[d.end : a.start]
            if a.start > d.end and _DEATHS_GOVERN.match(gap) and (
                    d.text.lower() in _TOLL_NOUNS or _TOLD_BEFORE.search(gap)):
                return d
            if a.end <= d.start and _PERFECT_KILLED.search(text, max(0, d.start - 30), d.start):
                return d
            if a.end <= d.start and re.fullmatch(r"\s+", text[a.end:d.start]) and _TOLD_BEFORE.search(
                    text, max(0, a.start - 16), a.start):
                return d  # "Thursday's strikes killed at least six people": the toll of an attack told before
    return None


#: Statements that are news in themselves, even as the frame of reported speech.
_STANCE = re.compile(r"(?:denied|denies|deny|condemned|condemns|denounced|denounces|rejected|rejects|warned|"
                     r"warns|vowed|vows|pledged|welcomed|welcomes|accused|accuses|acknowledged)", re.IGNORECASE)
#: Frames of reported speech that are news with what they report: a declaration, an announcement,
#: a confirmation ("Netanyahu declared on Sunday that the accord had collapsed").
_NEWS_FRAME = re.compile(_STANCE.pattern[:-1] + r"|declared|announced|confirmed|insisted|told\s+reporters|"
                         r"proclaimed|stated)", re.IGNORECASE)
#: Verbs that coordinate: "and cut the road", "but failed to retake", "and more than 90,000 people displaced".
_COORDINATED = re.compile(r"\b(?:and|but)\s+(?:then\s+|also\s+|later\s+)?(?:[\w'’,-]+\s+){0,5}?$", re.IGNORECASE)
_CONSEQUENCE = re.compile(r"(?:killing|leaving|wounding|injuring)$", re.IGNORECASE)
_COORDINATED_PROGRESSIVE = re.compile(r"\b(?:and|but)\s+(?:are|were|is|was|have\s+been|has\s+been|had\s+been)\s+"
                                      r"(?:still\s+|now\s+)?$", re.IGNORECASE)


def _coordination_part(text: str, t: TriggerMatch, seg_start: int) -> int:
    """Where the coordinated verb phrase holding the trigger starts (0: the clause's first), so a
    verb after "and"/"but" ("... and cut the road") is an event of its own."""
    first = t.text.split()[0].lower()
    lo = max(seg_start, t.start - 50)
    if first.endswith("ing") and _COORDINATED_PROGRESSIVE.search(text, lo, t.start):
        m = _COORDINATED.search(text, lo, t.start)  # "have encircled Homs and are battling troops"
        return m.start() + 1 if m else 0
    if not (first.endswith("ed") or first in load_clause_rules().past_verbs or first == "been"):
        return 0
    m = _COORDINATED.search(text, lo, t.start)
    if not m or "," in text[m.end() - 1 : t.start] and m.end() != t.start:
        return 0
    return m.start() + 1


#: An event noun right after one of these, with no time of its own, refers back to an event
#: already told ("since the offensive", "after a lightning insurgent offensive").
_BACK_REFERENCE = re.compile(r"\b(?:since|after|before|following|ahead\s+of|in\s+support\s+of|amid|during)\s+"
                             r"(?:the|a|an|this|that|its|their|his|her|last\s+week's|[\w'’-]+'s)\s+"
                             r"(?:[\w'’-]+\s+){0,3}$", re.IGNORECASE)
_ATTACK_TYPES = frozenset({"Explosions/Remote violence", "Violence against civilians"})


#: "condemned the kidnapping": the object of a stance verb is an event already known; the stance is the news.
_STANCE_OBJECT = re.compile(r"\b(?:condemned|condemns|condemning|denounced|denounces|welcomed|welcomes|deplored|"
                            r"mourned|praised|responsibility\s+for)\s+(?:the|a|an|this|that|its|their|his|her|[\w'’-]+'s)\s+"
                            r"(?:[\w'’-]+\s+){0,3}$", re.IGNORECASE)


#: "The attack came a week after ...", "The capture capped a fortnight ...": a definite event noun
#: opening the sentence, with a verb that comments on it, refers back to an event already told.
_TOLD_SUBJECT_BEFORE = re.compile(r"^\W*(?:the|this|that|these|those|its|their|(?:[\w-]+day|yesterday|today)'s)\s+"
                                  r"(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_TOLD_SUBJECT_AFTER = re.compile(r"\s+(?:(?:on|in|at|of|against)\s+(?:[\w'’-]+\s+){1,4}?)?(?:came|comes|"
                                 r"(?:was|were)\s+(?:just\s+)?(?:the\s+)?(?:first|latest|second|third|deadliest|biggest|"
                                 r"largest|worst)\b|"
                                 r"(?:was|were|is|are)\s+(?:the|a|an|one|not|also|part|among|seen|widely|likely)\b|marked|marks|"
                                 r"capped|caps|followed|follows|happened|represented|represents|signalled|signaled|"
                                 r"appeared|seemed|remains|remained|underscored|highlighted)\b", re.IGNORECASE)


def _is_back_reference(doc: _Document, sentence: Sentence, start: int, end: int | None = None) -> bool:
    text = doc.article.text
    if _STANCE_OBJECT.search(text, max(sentence.start, start - 60), start):
        return True
    if end is not None and _TOLD_SUBJECT_BEFORE.match(text, sentence.start, start) and \
            _TOLD_SUBJECT_AFTER.match(text, end, min(sentence.end, end + 60)):
        return True
    if not _BACK_REFERENCE.search(text, max(sentence.start, start - 60), start):
        return False
    word = text[start:end] if end is not None else ""
    onset = getattr(load_triggers().by_form.get(" ".join(word.lower().split())), "id", None) == "onset"
    if word and not onset and is_past_word(word.split()[0]) and not _DETERMINER_BEFORE.search(
            text, max(0, start - 12), start):
        # "a day after the council sacked his predecessor": a clause with its own verb, not a noun
        # ("since the offensive began" stays the offensive's onset, told before)
        return False
    # "since the offensive began on Wednesday": a time of its own makes it informative
    tail_end = min(sentence.end, start + 40)
    return not any(e.start < tail_end and e.end > start for e in doc.anchorer.expressions_in(start, tail_end))


@dataclass
class _Toll:
    """What a sentence says about deaths in one event."""

    fatalities: int | None = None
    civilians: int | None = None
    children: int | None = None
    cumulative: bool = False
    subset: bool = False
    claimant: str | None = None
    notes: tuple[str, ...] = ()
    source: str | None = None


#: "Among the dead were ten children", "ten children among the victims": a part of a toll told elsewhere.
_SUBSET = re.compile(r"\bamong\s+(?:the\s+)?(?:dead|deceased|victims|killed|casualties|them)\b", re.IGNORECASE)


#: A toll over a period: a perfect with "since ...", a window ("in the past 72 hours"), a war as the killer.
_PERFECT = re.compile(r"\b(?:has|have|had)\s+(?:now\s+|so\s+far\s+|already\s+)?(?:been\s+)?(?:killed|died|documented|"
                      r"recorded|risen|climbed|reached|exceeded|passed|left|claimed)\b|\bhas\s+exceeded\b",
                      re.IGNORECASE)


def _is_running_toll(doc: _Document, sentence: Sentence, anchor: EventAnchor) -> bool:
    """True when a sentence's toll runs over a period rather than counting one incident."""
    text = sentence.text
    rules = load_casualty_rules()
    # "96 deaths on the first day, the highest daily toll since March 2020", "the deadliest day since
    # the end of the civil war": a comparison bounds no tally
    compared = [(m.start() + sentence.start, m.end() + sentence.start)
                for cue in rules.comparison_cues for m in cue.finditer(text)]
    masked = text
    for a, b in compared:
        masked = masked[: a - sentence.start] + " " * (b - a) + masked[b - sentence.start :]
    if any(cue.search(masked) for cue in rules.sentence_cues):
        return True  # "The war, which erupted in April 2023, has killed more than 24,000 people"
    times = [e for e in doc.anchorer.expressions_in(sentence.start, sentence.end)
             if not any(a <= e.start < b for a, b in compared)]
    cm = doc.anchorer.clause_map(sentence)
    has_since = anchor.relation == "since" or any(s.kind == "subordinate" and s.relation == "since"
                                                   and not any(a <= s.start < b for a, b in compared)
                                                   for s in cm.segments)
    has_since = has_since or any(e.since for e in times)
    # "killed more than 200 over the past 24 hours": one day's toll; "in the past three days": a tally
    window = any(is_window(e, doc.article.text) and (window_days(e.value) or 0) > 1 for e in times)
    return (has_since and bool(_PERFECT.search(text))) or window



def _read_toll(doc: _Document, sentence: Sentence, counts: list, anchor: EventAnchor, event_type: str,
               running: bool | None = None) -> _Toll:
    """Fatalities of the sentence's violent event: a single incident's deaths, a running tally,
    a subset of a toll given elsewhere (not additional deaths), and who claims it. ``running``
    says whether the counts are a running tally (None: decided from the sentence)."""
    killed = [c for c in counts if c.kind == "killed"]
    fatalities = total_fatalities(counts)
    if fatalities is None:
        return _Toll()
    children = max((c.number for c in killed if c.is_child), default=None)
    civilians = max((c.number for c in killed if c.is_civilian), default=None)
    attribution = _attribution(doc, sentence)
    who = claim_of(sentence.text, attribution)
    source = figure_source(sentence.text, attribution)
    if who is None and re.match(r"^\W*(?:it|they|he|she)\s+(?:also\s+)?(?:said|says|added|claimed)\b",
                                sentence.text, re.IGNORECASE):
        who = doc.last_claimant  # "It said its forces had killed 200 militants": the same party
        source = who or source
    doc.last_claimant = who
    if source is None and doc.last_source is not None and _SAME_SPEAKER.match(sentence.text):
        source = doc.last_source  # "It said ...": the source of the figure before
    doc.last_source = source
    notes: list[str] = []
    if who is not None:
        notes.append(f"claimed by {who}: a party's figure, not an independent count")
    top = [c for c in killed if c.included_in is None]
    if _SUBSET.search(sentence.text) and top and all(c.is_child or c.is_civilian for c in top):
        return _Toll(None, civilians, children, False, True, who,
                     (*notes, "a part of a toll given elsewhere, not additional deaths"), source)
    cumulative = running if running is not None else (
        any(c.cumulative for c in killed) or _is_running_toll(doc, sentence, anchor))
    if cumulative:
        doc.last_tally = sentence.index
    if (not cumulative and event_type == "casualty report" and doc.last_tally == sentence.index - 1
            and _BREAKDOWN.search(sentence.text)):
        # "It said the combatants killed included some 380 rebels": a breakdown of the tally in the
        # sentence before, not a new incident and not more deaths.
        return _Toll(None, civilians, children, False, True, who,
                     (*notes, f"breakdown ({fatalities}) of the tally in the previous sentence, not additional deaths"),
                     source)
    if cumulative:
        notes.append("cumulative tally: deaths over the whole interval, not on one day")
    return _Toll(fatalities, civilians, children, cumulative, False, who, tuple(notes), source)


def _attribution(doc: _Document, sentence: Sentence) -> str:
    """The text of the sentence's attributions ("the ministry said on Sunday", "according to ...")."""
    cm = doc.anchorer.clause_map(sentence)
    text = doc.article.text
    parts = [text[s.start : s.end] for s in cm.segments if s.kind == "attribution"]
    return " | ".join(parts)


_SAME_SPEAKER = re.compile(r"^\W*(?:it|he|she|they|the\s+(?:ministry|army|group|monitor|observatory|agency))\s+"
                           r"(?:also\s+)?(?:said|says|added|claimed|reported)\b", re.IGNORECASE)


def _report_day(doc: _Document, sentence: Sentence) -> datetime | None:
    """The day a report was given: a time of day grain in the sentence's attribution; for "It said
    ..." right after a dated report, that report's day."""
    cm = doc.anchorer.clause_map(sentence)
    dct = doc.article.published
    for e in doc.anchorer.expressions_in(sentence.start, sentence.end):
        if (e.grain in ("minute", "hour", "part-of-day", "day") and e.earliest is not None and not e.since
                and cm.segment_at(e.start).kind == "attribution"
                and (dct is None or e.earliest < _midnight(dct) + timedelta(days=1))):
            doc.last_report = (sentence.index, _midnight(e.earliest))
            return doc.last_report[1]
    if doc.last_report is not None and doc.last_report[0] == sentence.index - 1 and _SAME_SPEAKER.match(sentence.text):
        return doc.last_report[1]
    return None


def _toll_owner(picks: list[tuple[TriggerMatch, Segment, int]], counts: list, sentence: Sentence) -> int | None:
    """The trigger (document offset) that a sentence's death toll belongs to: the violent
    event nearest the first death count ("a neighbourhood that was bombed ... bombings that
    resulted in the deaths of thousands": the deaths, not the bombing of the neighbourhood)."""
    killed = [c for c in counts if c.kind == "killed"]
    violent = [t for t, _, _ in picks if _refined_type(t) in _VIOLENT_TYPES]
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
    counts = extract_casualties(sentence.text)
    if counts and any(c.cumulative for c in counts):
        doc.last_tally = sentence.index
    out: list[Event] = []
    seen: set[tuple[str, int | None, int, int, str]] = set()
    fatalities_taken = False
    picks = _pick_triggers(doc, lexicon, sentence)
    toll_owner = _toll_owner(picks, counts, sentence)
    report_day = _report_day(doc, sentence)
    # "48 people were killed on Saturday, bringing the overall toll to 372": the day's deaths belong to
    # the incident, the running total is a report of its own
    tally = [c for c in counts if c.kind == "killed" and c.cumulative and c.included_in is None]
    in_tally = {id(c) for c in tally}  # included_in is the index of the including count in counts
    single = [c for c in counts if not c.cumulative and not (
        c.included_in is not None and id(counts[c.included_in]) in in_tally)]
    two_figures = bool(tally) and any(c.kind == "killed" and c.included_in is None for c in single)
    for match, seg, part in picks:
        t_start = sentence.start + match.start
        clause = doc.anchorer.clause_map(sentence).main_at(t_start)
        before = list(doc.actors_in(clause.start, t_start))
        event_type, sub_event_type = _refine(match, text[clause.start : clause.end], before)
        anchor = doc.anchorer.anchor(t_start, sentence.start + match.end, report=event_type in _REPORT_TYPES)
        expr = anchor.expression
        # one event per trigger class, type and time in a clause segment and verb phrase ("strikes ...
        # airstrikes"); another segment, phrase or kind of event is another event
        key = (event_type, expr.start if expr is not None else None, seg.start, part, match.trigger.id)
        if key in seen:
            continue
        seen.add(key)
        toll = _Toll()
        if counts and not fatalities_taken and event_type in _VIOLENT_TYPES and t_start == toll_owner:
            if two_figures and match.text.lower() in _TOLL_NOUNS and all(
                    c.start < match.start for c in single if c.kind == "killed"):
                # "two more bodies were pulled out, bringing the toll to five": the toll word reports the total
                toll = _read_toll(doc, sentence, tally, anchor, event_type, running=True)
            else:
                toll = _read_toll(doc, sentence, single if two_figures else counts, anchor, event_type,
                                  running=False if two_figures else None)
            fatalities_taken = toll.fatalities is not None or toll.subset
        if match.trigger.context and toll.fatalities is None:
            continue  # "Syria's war", "front lines stagnant since 2020": the setting, not an event
        out.append(_event_row(doc, sentence, match, clause, (event_type, sub_event_type), anchor, toll,
                              report_day))
    if two_figures:
        row = _tally_row(doc, lexicon, sentence, tally, out, report_day)
        if row is not None:
            # the toll word's own row, if it had one, is this report
            out = [r for r in out if r.trigger_start != row.trigger_start] + [row]
            out.sort(key=lambda r: r.trigger_start)
    return out


def _tally_row(doc: _Document, lexicon: TriggerLexicon, sentence: Sentence, tally: list, rows: list[Event],
               report_day: datetime | None) -> Event | None:
    """The running total a sentence gives beside an incident's deaths, as a report of its own: its
    toll word ("bringing the overall toll ... to 372"), dated on the day it was given."""
    at = tally[0].start
    words = [t for t in lexicon.find(sentence.text) if t.trigger.id == "deaths" and t.end <= at
             and t.text.lower() in _TOLL_NOUNS and at - t.end <= 160]
    if not words:
        return None
    match = words[-1]
    t_start = sentence.start + match.start
    if any(r.trigger_start == t_start and r.fatalities is not None for r in rows):
        return None
    clause = doc.anchorer.clause_map(sentence).main_at(t_start)
    anchor = doc.anchorer.anchor(t_start, sentence.start + match.end, report=True)
    toll = _read_toll(doc, sentence, tally, anchor, "casualty report", running=True)
    return _event_row(doc, sentence, match, clause, ("casualty report", match.trigger.sub_event_type), anchor, toll,
                      report_day)


def _dates(doc: _Document, sentence: Sentence, anchor: EventAnchor, toll: _Toll, report_day: datetime | None,
           event_type: str = "", state: bool = False, trigger_start: int = 0
           ) -> tuple[datetime | None, datetime | None, datetime | None]:
    """The table's ``date``, ``start`` and ``end`` of an event."""
    if not toll.cumulative:
        if anchor.relation == "since" and anchor.earliest is not None and toll.fatalities is None:
            counted = bool(_COUNTED.search(sentence.text, 0, max(0, trigger_start - sentence.start)))
            if not state and not counted and event_type in _OCCURRENCE_TYPES and anchor.expression is not None:
                # "have fought fierce battles since Monday", "flights have been suspended since 6 May": an
                # occurrence over a period is dated, like any period, on its first day
                return _midnight(anchor.earliest), anchor.earliest, anchor.latest
            if report_day is not None and (counted or event_type == "displacement"):
                # "400,000 people had been displaced since January", said on Monday; "310 strikes since
                # Sunday": a count as of the day it was given
                return report_day, anchor.earliest, report_day + timedelta(days=1)
        return best_day(anchor), anchor.earliest, anchor.latest
    # a running tally is a report: dated on the day it was given, over the interval it covers
    dct = doc.article.published
    report = report_day or (_midnight(dct) if dct is not None else None)
    if report is None:
        return None, anchor.earliest, anchor.latest
    # when the period it covers is unknown ("the toll climbed above 250", "since the offensive
    # began"), only the report day: the chart joins it to the longest series of its kind
    known = anchor.earliest is not None and anchor.earliest < report and (
        anchor.expression is not None or anchor.relation == "since")
    # "the war, which has resulted in the deaths of hundreds of thousands, has persisted since
    # 2011": a since-time elsewhere in the sentence bounds the tally
    since = [e for e in doc.anchorer.expressions_in(sentence.start, sentence.end)
             if e.since and e.earliest is not None and e.earliest < report]
    start = anchor.earliest if known else (since[0].earliest if since else report)
    return report, start, report + timedelta(days=1)


def _event_row(doc: _Document, sentence: Sentence, match: TriggerMatch, clause: Segment, types: tuple[str, str],
               anchor: EventAnchor, toll: _Toll, report_day: datetime | None) -> Event:
    """One row of the table: the event's time, toll, actors and place."""
    text = doc.article.text
    t_start = sentence.start + match.start
    date_, start, end = _dates(doc, sentence, anchor, toll, report_day, types[0], match.trigger.state, t_start)
    notes = list(toll.notes)
    if anchor.source not in ("clause", "sentence") or anchor.relation not in (None, "included"):
        notes.insert(0, anchor.reason)  # say why when the time is not simply the sentence's
    sentence_actors = doc.actors_in(sentence.start, sentence.end)
    clause_actors = [a for a in sentence_actors if clause.start <= a.start < clause.end]
    before = [a for a in clause_actors if a.start < t_start]
    actor1 = before[-1].name if before else None
    actor2 = next((a.name for a in clause_actors if a.start > t_start and a.name != actor1), None)
    place = event_place(doc.places_in(sentence.start, sentence.end), sentence_actors, sentence, text, t_start,
                        doc.country)
    anaphor = _PLACE_ANAPHOR.search(text, clause.start, clause.end) if place is None else None
    if anaphor is not None:
        noun = re.search(r"city|town|village|capital", anaphor.group(0), re.IGNORECASE)
        named = doc.named_as_city(sentence.start, noun.group(0).lower()) if noun else None
        if doc.last_place is not None and doc.last_place[0] >= sentence.index - 2 and (
                named is None or named.name == doc.last_place[1].name or doc.last_place[2]):
            place = doc.last_place[1]  # "rebels entered Hama ... They seized the city's prison": the place just named
        else:
            # "attacked the city of Hama ... struck the countryside of Idlib and Hama ... enter the city": the
            # city the story introduced as "the city of ...", else the one a feature is about
            place = named or doc.main_city()
    elif place is not None and place.kind in ("city", "town", "village", "locality"):
        # the place alone in its sentence is a clear antecedent; one of a list ("Idlib and Hama") is not
        alone = len({p.name for p in doc.places_in(sentence.start, sentence.end) if p.kind in _CITY_KINDS}) == 1
        doc.last_place = (sentence.index, place, alone)
    expr = anchor.expression
    return Event(
        event_id=_event_id(doc.article.doc_id, sentence, t_start), doc_id=doc.article.doc_id,
        published=doc.article.published, sentence_index=sentence.index, sentence=sentence.text, trigger=match.text,
        trigger_start=t_start, event_type=types[0], sub_event_type=types[1], date=date_, start=start, end=end,
        precision=anchor.grain, time_precision=_ACLED_PRECISION.get(anchor.grain or "", 3),
        time_text=expr.text if expr is not None else None, time_value=expr.value if expr is not None else None,
        anchor_source=_anchor_source(anchor), time_flag=_FLAGS.get(anchor.source),
        fatalities=toll.fatalities, civilians=toll.civilians, children=toll.children,
        cumulative=toll.cumulative, claimant=toll.claimant, figure_source=toll.source,
        actor1=actor1, actor2=actor2, actors=tuple(dict.fromkeys(a.name for a in clause_actors)),
        location=_as_written(place.text) if place else None,
        country=place.country_code if place else None,
        latitude=place.latitude if place else None, longitude=place.longitude if place else None,
        rule_id=match.trigger.id, notes=tuple(notes),
    )


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


def _is_future(e: TimeExpression, dct: date | None) -> bool:
    """True when the expression lies after the publication day ("next week", "on Tuesday" told ahead)."""
    return dct is not None and e.earliest is not None and e.earliest >= _midnight(dct) + timedelta(days=1)


def _midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day)


def _as_written(name: str) -> str:
    """A place as the text names it, one space between words; a dateline's capitals in title
    case ("HAMA, Syria (AP) -": Hama), an acronym ("US", "DRC") as it is.

    Examples:
        >>> _as_written("HAMA"), _as_written("Deir   ez-Zor"), _as_written("DRC"), _as_written("DEIR EZ-ZOR")
        ('Hama', 'Deir ez-Zor', 'DRC', 'Deir Ez-Zor')
    """
    name = " ".join(name.split())
    letters = [c for c in name if c.isalpha()]
    if len(letters) > 3 and name.isupper():
        return name.title()
    return name

