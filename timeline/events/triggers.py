"""Event triggers: load the trigger lexicon and find trigger words in a sentence.

The lexicon (``rules/en/events/triggers.yaml``) maps word forms to ACLED event
types plus four timeline types (statement, diplomacy, casualty report,
displacement); every type must be one of :data:`timeline.vocabulary.EVENT_TYPES`.
Matching is one compiled regex over all forms, longest first. A trigger class may
also state its *sense* as data: context that must not (``veto_before``,
``veto_after``) or must (``require_before``, ``require_after``) surround a form,
``passive_before`` for the same sense told in the passive (what ``require_after`` asks for
comes before: "the operation was launched"), and ``case_sensitive`` forms.
:meth:`TriggerLexicon.find` applies them, so every caller gets the same senses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import RuleError
from ..vocabulary import GRAINS, check_event_type
from ..yamlio import safe_load

#: Characters of context on each side of a trigger that sense rules look at.
CONTEXT_CHARS = 60

_ENTRY_KEYS = frozenset({
    "id", "forms", "event_type", "sub_event_type", "priority", "refine", "examples", "negatives",
    "veto_before", "veto_after", "require_before", "require_after", "passive_before", "case_sensitive", "state",
    "context", "inflect", "participle_adjective",
})
_REQUIRED_KEYS = ("id", "forms", "event_type", "sub_event_type")
_REFINE_KEYS = frozenset({"words", "actor_before", "event_type", "sub_event_type"})
_TOP_KEYS = frozenset({"irrealis_cues", "triggers", "non_action_verbs", "actor_action", "dated_action",
                       "comparison_before", "participle_adjective_before", "future_before"})
_ACTOR_ACTION_KEYS = frozenset({"event_type", "sub_event_type", "priority", "actor_kinds", "verb", "stop_verbs",
                                "examples", "negatives"})
_DATED_ACTION_KEYS = frozenset({"event_type", "sub_event_type", "priority", "grains", "reach", "not_after",
                                "aspectual", "stop_verbs", "examples", "negatives"})


@dataclass(frozen=True, slots=True)
class Refinement:
    """Override the type when the clause matches (``words``) or an actor kind precedes the trigger."""

    words: re.Pattern[str] | None
    actor_before: str | None
    event_type: str
    sub_event_type: str


@dataclass(frozen=True, slots=True)
class TriggerClass:
    """A family of trigger words with the event type they signal.

    The sense fields are None (or False) when the class has no such rule:
    ``veto_before``/``require_before`` must end right before the form,
    ``veto_after``/``require_after`` must start right after it (both looked for in
    :data:`CONTEXT_CHARS` characters of the searched text, case-insensitively unless
    the pattern says ``(?-i:...)``); ``case_sensitive`` forms count only as written.
    """

    id: str
    forms: tuple[str, ...]
    event_type: str
    sub_event_type: str
    priority: int
    refinements: tuple[Refinement, ...]
    examples: tuple[dict[str, Any], ...]
    #: Sentences that must not yield an event of this class (they run as tests).
    negatives: tuple[str, ...] = ()
    veto_before: re.Pattern[str] | None = None
    veto_after: re.Pattern[str] | None = None
    require_before: re.Pattern[str] | None = None
    require_after: re.Pattern[str] | None = None
    #: The same sense told in the passive, where what ``require_after`` asks for comes before the
    #: form ("the operation was launched on 27 November", "all prisoners had been released").
    passive_before: re.Pattern[str] | None = None
    case_sensitive: bool = False
    #: A state, not an occurrence ("controlled", "front lines stagnant"): with "since X" it holds
    #: up to its report and is dated there; an occurrence "since X" starts on X.
    state: bool = False
    #: Names the setting, not an occurrence ("the war", "front lines"): a row only when it carries
    #: a toll ("the war has killed 500,000"); otherwise no event of its own.
    context: bool = False
    #: Tenses and persons of the listed verb forms that the class gains from
    #: ``trigger_inflections.yaml`` (generated; see :mod:`timeline.events.inflections`).
    inflected: tuple[str, ...] = ()
    #: Ends right before a participle form that is then an adjective ("the captured soldiers"), for the
    #: classes that say ``participle_adjective: true`` (the file's ``participle_adjective_before``).
    adjective_before: re.Pattern[str] | None = None
    #: A generated twin of a class holding its verbs' bare forms, which count only after a future
    #: marker ("will convene"): the same id, type and sense, ``require_before`` the file's ``future_before``.
    future_only: bool = False

    @property
    def has_sense(self) -> bool:
        """Whether any context or case rule restricts where the forms count."""
        return self.case_sensitive or any(
            p is not None for p in (self.veto_before, self.veto_after, self.require_before, self.require_after,
                                    self.adjective_before)
        )

    def accepts(self, text: str, start: int, end: int) -> bool:
        """Whether the form at ``text[start:end]`` has this class's sense in its context."""
        if self.case_sensitive and _norm_space(text[start:end]) not in self.forms:
            return False
        before = text[max(0, start - CONTEXT_CHARS) : start]
        after = text[end : end + CONTEXT_CHARS]
        if self.veto_before is not None and self.veto_before.search(before):
            return False
        if self.adjective_before is not None and _is_participle(text[start:end]) \
                and self.adjective_before.search(before):
            return False
        if self.veto_after is not None and self.veto_after.match(after):
            return False
        if self.require_before is not None and not self.require_before.search(before):
            return False
        if self.require_after is None or self.require_after.match(after):
            return True
        return self.passive_before is not None and bool(self.passive_before.search(before))


#: Participles that do not end in "-ed"/"-en".
_IRREGULAR_PARTICIPLES = frozenset({"overrun", "struck", "shot", "hit", "cut", "held", "won", "lost", "swept", "fled"})


def _is_participle(form: str) -> bool:
    """One word that reads as a past participle ("captured", "taken", "overrun"), not a noun or gerund."""
    w = form.lower()
    return " " not in w.strip() and (w.endswith(("ed", "en")) or w in _IRREGULAR_PARTICIPLES)


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    """A trigger word found in a text: offsets relative to the searched string."""

    start: int
    end: int
    text: str
    trigger: TriggerClass


@dataclass(frozen=True, slots=True)
class ActorAction:
    """The fallback for event words not in the lexicon: an armed actor's past-tense action
    ("Rebels dug in around Hama", "Turkish-backed factions besieged Kobani") is an event of
    ``cls``'s type when its clause has no trigger of its own."""

    cls: TriggerClass
    kinds: frozenset[str]
    verb: re.Pattern[str]  # matched right after the actor mention
    stop: frozenset[str]  # verbs that are no action of the actor ("said", "backed", "hoped")


@dataclass(frozen=True, slots=True)
class DatedAction:
    """The fallback for a dated action the lexicon lacks: a past-tense verb next to a time of the
    given grains, in a clause with no trigger of its own ("the crossings reopened to aid on 14
    December"), is an event of ``cls``'s type."""

    cls: TriggerClass
    grains: frozenset[str]
    reach: int  # characters between the verb and the time, at most
    not_after: re.Pattern[str]  # matched right before the time: "until Sunday", "by Friday" date no action
    aspectual: frozenset[str]  # "began exhuming remains": the gerund is the event
    stop: frozenset[str]  # past forms that are no action ("said", "armed", "based")


@dataclass(frozen=True)
class TriggerLexicon:
    """The compiled trigger lexicon and its cue lists."""

    classes: tuple[TriggerClass, ...]
    regex: re.Pattern[str]
    by_form: dict[str, TriggerClass]
    irrealis: re.Pattern[str]
    actor_action: ActorAction | None = None
    dated_action: DatedAction | None = None
    #: Ends right before a trigger noun told as a comparison ("one of the deadliest attacks"):
    #: it renames an event, it is none of its own (``comparison_before`` in the rule file).
    comparison: re.Pattern[str] | None = None
    comparison_examples: tuple[str, ...] = ()
    comparison_negatives: tuple[dict[str, Any], ...] = ()

    def is_comparison(self, text: str, start: int) -> bool:
        """Whether the trigger starting at ``text[start]`` is a superlative's noun ("its heaviest salvo")."""
        return self.comparison is not None and bool(self.comparison.search(text[max(0, start - 50):start]))

    def find(self, text: str) -> list[TriggerMatch]:
        """Every trigger word in ``text`` (non-overlapping, longest form first), in its sense.

        A form whose class rejects its context (or whose right edge is inside a
        word) gives way to the longest shorter form at the same place, if any.

        Examples:
            >>> [m.trigger.id for m in load_triggers().find("Aircraft targeted Idlib and rebels seized Khansir.")]
            ['strike', 'capture']
            >>> [m.text for m in load_triggers().find("Protests began in March. Thousands march on Friday.")]
            ['Protests', 'march']
        """
        out = []
        lowered = text.translate(_ASCII_LOWER)  # same length; case-sensitive search is much faster
        n = len(text)
        search, match, by_form = self.regex.search, self.regex.match, self.by_form
        pos = 0
        while (m := search(lowered, pos)) is not None:
            start, end = m.span()
            pos = end
            if start > 0 and (lowered[start - 1].isalnum() or lowered[start - 1] in "_-"):
                continue
            while True:
                if end < n and (lowered[end].isalnum() or lowered[end] in "_-"):
                    cls = None
                else:
                    cls = by_form.get(_norm(lowered[start:end]))
                    if cls is not None and cls.has_sense and not cls.accepts(text, start, end):
                        cls = None
                if cls is not None:
                    out.append(TriggerMatch(start, end, text[start:end], cls))
                    break
                shorter = match(lowered, start, end - 1) if end - start > 1 else None
                if shorter is None:
                    break
                end = shorter.end()
        return out


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_SPACE = re.compile(r"\s+")


def _norm(form: str) -> str:
    return _SPACE.sub(" ", form.lower())


def _norm_space(form: str) -> str:
    return _SPACE.sub(" ", form)


def _context(entry_id: str, key: str, pattern: Any, side: str) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    if not isinstance(pattern, str) or not pattern:
        raise RuleError(f"triggers: {entry_id}: {key} must be a non-empty regex string, got {pattern!r}")
    try:
        # Before-context must touch the trigger: anchor it at the end of the window.
        return re.compile(rf"(?:{pattern})\Z" if side == "before" else pattern, re.IGNORECASE)
    except re.error as exc:
        raise RuleError(f"triggers: {entry_id}: bad {key} regex {pattern!r}: {exc}") from exc


def _event_type(where: str, value: Any) -> str:
    problem = check_event_type(value)
    if problem is not None:
        raise RuleError(f"triggers: {where}: {problem}")
    return value


def _trigger_class(entry: Any, index: int) -> TriggerClass:
    if not isinstance(entry, Mapping):
        raise RuleError(f"triggers: entry {index} is not a mapping: {entry!r}")
    entry_id = entry.get("id", f"#{index}")
    missing = [k for k in _REQUIRED_KEYS if k not in entry]
    if missing:
        raise RuleError(f"triggers: {entry_id}: missing {', '.join(missing)}")
    unknown = sorted(set(entry) - _ENTRY_KEYS)
    if unknown:
        raise RuleError(f"triggers: {entry_id}: unknown field {', '.join(unknown)}; "
                        f"known fields: {', '.join(sorted(_ENTRY_KEYS))}")
    forms = entry["forms"]
    if not isinstance(forms, list) or not forms or not all(isinstance(f, str) and f.strip() for f in forms):
        raise RuleError(f"triggers: {entry_id}: forms must be a non-empty list of strings, got {forms!r}")
    refinements = []
    for j, r in enumerate(entry.get("refine") or []):
        where = f"{entry_id} refine[{j}]"
        if not isinstance(r, Mapping) or not {"event_type", "sub_event_type"} <= set(r):
            raise RuleError(f"triggers: {where}: needs event_type and sub_event_type, got {r!r}")
        unknown = sorted(set(r) - _REFINE_KEYS)
        if unknown:
            raise RuleError(f"triggers: {where}: unknown field {', '.join(unknown)}; "
                            f"known fields: {', '.join(sorted(_REFINE_KEYS))}")
        try:
            words = re.compile(r["words"], re.IGNORECASE) if r.get("words") else None
        except re.error as exc:
            raise RuleError(f"triggers: {where}: bad words regex {r['words']!r}: {exc}") from exc
        refinements.append(Refinement(words=words, actor_before=r.get("actor_before"),
                                      event_type=_event_type(where, r["event_type"]),
                                      sub_event_type=r["sub_event_type"]))
    negatives = entry.get("negatives") or []
    if not isinstance(negatives, list) or not all(isinstance(s, str) for s in negatives):
        raise RuleError(f"triggers: {entry_id}: negatives must be a list of sentences, got {negatives!r}")
    case_sensitive = bool(entry.get("case_sensitive", False))
    return TriggerClass(
        id=entry_id,
        forms=tuple(_norm_space(f) if case_sensitive else f for f in forms),
        event_type=_event_type(entry_id, entry["event_type"]),
        sub_event_type=entry["sub_event_type"],
        priority=int(entry.get("priority", 0)),
        refinements=tuple(refinements),
        examples=tuple(entry.get("examples") or []),
        negatives=tuple(negatives),
        veto_before=_context(entry_id, "veto_before", entry.get("veto_before"), "before"),
        veto_after=_context(entry_id, "veto_after", entry.get("veto_after"), "after"),
        require_before=_context(entry_id, "require_before", entry.get("require_before"), "before"),
        require_after=_context(entry_id, "require_after", entry.get("require_after"), "after"),
        passive_before=_context(entry_id, "passive_before", entry.get("passive_before"), "before"),
        case_sensitive=case_sensitive,
        state=bool(entry.get("state", False)),
        context=bool(entry.get("context", False)),
    )


def _trie_pattern(forms: Iterable[str]) -> str:
    r"""One regex for all forms, factored as a prefix tree, that matches the longest form at a place.

    A flat alternation of hundreds of forms costs a try of each at every character;
    the tree tries one branch per next character. At each node the continuations come
    before the end of a shorter form, so the first match found is the longest.

    Examples:
        >>> _trie_pattern(["air strike", "air raid", "air"])
        '(?:air(?:\\s+(?:raid|strike))?)'
    """
    trie: dict[str, Any] = {}
    for form in forms:
        node = trie
        for ch in re.sub(r"\s+", " ", form):
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [(r"\s+" if ch == " " else re.escape(ch)) + emit(child)
                    for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return body + "?" if len(branches) == 1 and len(body) == 1 else f"(?:{body})?"
        return body

    return "(?:" + emit(trie) + ")"


def compile_triggers(raw: Mapping[str, Any], inflections: Mapping[str, Any] | None = None,
                     future: Mapping[str, Any] | None = None) -> TriggerLexicon:
    """Validate and compile a trigger lexicon given as the parsed YAML mapping.

    ``inflections`` maps a class id to more forms of its verbs (the generated
    ``trigger_inflections.yaml``); a form any class lists itself is not taken from it.
    ``future`` maps a class id to the bare forms of its verbs, which count only after the file's
    ``future_before`` ("will meet", "is due to visit"): each class gets a twin with the same id
    (``future_only``), so every rule that names a class applies to both.

    Raises:
        RuleError: a malformed entry, an unknown field, a bad regex, a form listed by
            two classes, or an ``event_type`` (also in a ``refine`` entry) that is not in
            :data:`timeline.vocabulary.EVENT_TYPES`; the message names the trigger id.
    """
    if not isinstance(raw, Mapping) or not isinstance(raw.get("triggers"), list):
        raise RuleError("triggers: the file must be a mapping with a 'triggers' list")
    unknown = sorted(set(raw) - _TOP_KEYS)
    if unknown:
        raise RuleError(f"triggers: unknown top-level key {', '.join(unknown)}; known: {', '.join(sorted(_TOP_KEYS))}")
    classes: list[TriggerClass] = []
    by_form: dict[str, TriggerClass] = {}
    adjective_before = _context("participle_adjective_before", "participle_adjective_before",
                                raw.get("participle_adjective_before"), "before")
    for index, entry in enumerate(raw["triggers"]):
        cls = _trigger_class(entry, index)
        if isinstance(entry, Mapping) and entry.get("participle_adjective"):
            if adjective_before is None:
                raise RuleError(f"triggers: {cls.id}: participle_adjective needs participle_adjective_before")
            cls = replace(cls, adjective_before=adjective_before)
        if any(c.id == cls.id for c in classes):
            raise RuleError(f"triggers: id {cls.id!r} is used twice")
        classes.append(cls)
        for form in cls.forms:
            key = _norm(form)
            if key in by_form:
                raise RuleError(f"triggers: form {form!r} is listed by both {by_form[key].id} and {cls.id}")
            by_form[key] = cls
    if inflections:
        classes = _add_inflections(classes, by_form, inflections)
    if future:
        classes = _add_future_forms(classes, by_form, future, raw.get("future_before"))
    regex = re.compile(_trie_pattern(by_form))  # keys are lower case
    cues = sorted(raw.get("irrealis_cues") or [], key=len, reverse=True)
    irrealis = re.compile(
        r"(?<![\w'])(?:" + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in cues) + r")(?![\w])",
        re.IGNORECASE,
    )
    # past forms that are no action ("said", "backed"), for both fallbacks
    non_action = frozenset(str(w).lower() for w in raw.get("non_action_verbs") or ())
    actor_action = _actor_action(raw.get("actor_action"), non_action)
    if actor_action is not None:
        classes.append(actor_action.cls)
    dated_action = _dated_action(raw.get("dated_action"), non_action)
    if dated_action is not None:
        classes.append(dated_action.cls)
    comparison, comparison_examples, comparison_negatives = _comparison(raw.get("comparison_before"))
    return TriggerLexicon(tuple(classes), regex, by_form, irrealis, actor_action, dated_action,
                          comparison, comparison_examples, comparison_negatives)


def _comparison(raw: Any) -> tuple[re.Pattern[str] | None, tuple[str, ...], tuple[dict[str, Any], ...]]:
    if raw is None:
        return None, (), ()
    if not isinstance(raw, Mapping) or not isinstance(raw.get("words"), list) or not raw["words"]:
        raise RuleError("triggers: comparison_before must be a mapping with a non-empty 'words' list")
    words = sorted((str(w) for w in raw["words"]), key=len, reverse=True)
    pattern = re.compile(r"(?<![\w'’-])(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
                         + r")\s+(?:[\w'’-]+\s+){0,2}\Z", re.IGNORECASE)
    return pattern, tuple(raw.get("examples") or ()), tuple(raw.get("negatives") or ())


def _known_ids(classes: list[TriggerClass], generated: Mapping[str, Any]) -> dict[str, TriggerClass]:
    """The classes by id; a generated entry for a class that does not exist is a stale file."""
    by_id = {c.id: c for c in classes}
    unknown = sorted(set(generated) - set(by_id))
    if unknown:
        raise RuleError(f"trigger inflections: no trigger class {', '.join(map(repr, unknown))} "
                        "(regenerate with `python -m timeline.events.inflections`)")
    return by_id


def _add_inflections(classes: list[TriggerClass], by_form: dict[str, TriggerClass],
                     inflections: Mapping[str, Any]) -> list[TriggerClass]:
    """The classes with their generated forms, each registered in ``by_form`` (written forms win)."""
    _known_ids(classes, inflections)
    out = []
    for cls in classes:
        extra = tuple(f for f in inflections.get(cls.id) or () if _norm(str(f)) not in by_form)
        if extra:
            cls = replace(cls, inflected=extra)
            for form in extra:
                by_form[_norm(form)] = cls
            for form in cls.forms:  # the written forms point at the same (new) class object
                by_form[_norm(form)] = cls
        out.append(cls)
    return out


def _add_future_forms(classes: list[TriggerClass], by_form: dict[str, TriggerClass], future: Mapping[str, Any],
                      pattern: Any) -> list[TriggerClass]:
    """The classes and, for each with bare forms, a twin that holds them after a future marker."""
    before = _context("future_before", "future_before", pattern, "before")
    if before is None:
        raise RuleError("triggers: future forms need a future_before pattern")
    by_id = _known_ids(classes, future)
    out = list(classes)
    for cid, forms in future.items():
        base = by_id[cid]
        extra = tuple(f for f in forms or () if _norm(str(f)) not in by_form)
        if not extra or base.require_before is not None:
            continue
        twin = replace(base, forms=extra, inflected=(), require_before=before, examples=(), negatives=(),
                       future_only=True)
        for form in extra:
            by_form[_norm(form)] = twin
        out.append(twin)
    return out


def _actor_action(raw: Any, non_action: frozenset[str] = frozenset()) -> ActorAction | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise RuleError("triggers: actor_action must be a mapping")
    unknown = sorted(set(raw) - _ACTOR_ACTION_KEYS)
    if unknown:
        raise RuleError(f"triggers: actor_action: unknown fields {', '.join(unknown)}")
    try:
        verb = re.compile(str(raw["verb"]), re.IGNORECASE)
    except (KeyError, re.error) as exc:
        raise RuleError(f"triggers: actor_action: a 'verb' regex is needed: {exc}") from exc
    if "verb" not in verb.groupindex:
        raise RuleError("triggers: actor_action: the verb regex needs a group named 'verb'")
    cls = TriggerClass(
        id="actor_action", forms=(), event_type=_event_type("actor_action", raw.get("event_type")),
        sub_event_type=str(raw.get("sub_event_type", "Other")), priority=int(raw.get("priority", 0)),
        refinements=(), examples=tuple(raw.get("examples") or ()), negatives=tuple(raw.get("negatives") or ()))
    return ActorAction(cls, frozenset(raw.get("actor_kinds") or ()), verb,
                       non_action | frozenset(str(w).lower() for w in raw.get("stop_verbs") or ()))


def _dated_action(raw: Any, non_action: frozenset[str] = frozenset()) -> DatedAction | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise RuleError("triggers: dated_action must be a mapping")
    unknown = sorted(set(raw) - _DATED_ACTION_KEYS)
    if unknown:
        raise RuleError(f"triggers: dated_action: unknown fields {', '.join(unknown)}")
    grains = frozenset(str(g) for g in raw.get("grains") or ())
    bad = sorted(grains - set(GRAINS))
    if bad or not grains:
        raise RuleError(f"triggers: dated_action: grains must be a non-empty list of {', '.join(GRAINS)}; got {bad}")
    words = sorted((str(w) for w in raw.get("not_after") or ()), key=len, reverse=True)
    not_after = re.compile(r"\b(?:" + ("|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) or "(?!)")
                           + r")\s+(?:the\s+)?$", re.IGNORECASE)
    cls = TriggerClass(
        id="dated_action", forms=(), event_type=_event_type("dated_action", raw.get("event_type")),
        sub_event_type=str(raw.get("sub_event_type", "Other")), priority=int(raw.get("priority", 0)),
        refinements=(), examples=tuple(raw.get("examples") or ()), negatives=tuple(raw.get("negatives") or ()))
    return DatedAction(cls, grains, int(raw.get("reach", 70)), not_after,
                       frozenset(str(w).lower() for w in raw.get("aspectual") or ()),
                       non_action | frozenset(str(w).lower() for w in raw.get("stop_verbs") or ()))


def load_triggers(source: str | Path | Mapping[str, Any] | None = None) -> TriggerLexicon:
    """Load and compile a trigger lexicon: the packaged one (cached) by default.

    Args:
        source: None for ``rules/en/events/triggers.yaml``; else a path to a YAML file
            of the same shape, or the already parsed mapping.

    Raises:
        RuleError: see :func:`compile_triggers`; the message also names the file.
    """
    if source is None:
        return _default_triggers()
    if isinstance(source, Mapping):
        return compile_triggers(source)
    path = Path(source)
    try:
        raw = safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: not valid YAML: {exc}") from exc
    try:
        return compile_triggers(raw)
    except RuleError as exc:
        raise RuleError(f"{path}: {exc}") from exc


@lru_cache(maxsize=1)
def _default_triggers() -> TriggerLexicon:
    folder = resources.files("timeline") / "rules" / "en" / "events"
    text = (folder / "triggers.yaml").read_text(encoding="utf-8")
    generated = safe_load((folder / "trigger_inflections.yaml").read_text(encoding="utf-8")) or {}
    try:
        return compile_triggers(safe_load(text), generated.get("inflections") or {}, generated.get("future") or {})
    except RuleError as exc:
        raise RuleError(f"triggers.yaml: {exc}") from exc
