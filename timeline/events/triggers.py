"""Event triggers: load the trigger lexicon and find trigger words in a sentence.

The lexicon (``rules/en/events/triggers.yaml``) maps word forms to ACLED event
types plus four timeline types (statement, diplomacy, casualty report,
displacement). Matching is one compiled regex over all forms, longest first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ..errors import RuleError


@dataclass(frozen=True, slots=True)
class Refinement:
    """Override the type when the clause matches (``words``) or an actor kind precedes the trigger."""

    words: re.Pattern[str] | None
    actor_before: str | None
    event_type: str
    sub_event_type: str


@dataclass(frozen=True, slots=True)
class TriggerClass:
    """A family of trigger words with the event type they signal."""

    id: str
    forms: tuple[str, ...]
    event_type: str
    sub_event_type: str
    priority: int
    refinements: tuple[Refinement, ...]
    examples: tuple[dict[str, Any], ...]
    #: States ("front lines stagnant since 2020") are events even in relative clauses.
    background_ok: bool = False


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    """A trigger word found in a text: offsets relative to the searched string."""

    start: int
    end: int
    text: str
    trigger: TriggerClass


@dataclass(frozen=True)
class TriggerLexicon:
    """The compiled trigger lexicon and its cue lists."""

    classes: tuple[TriggerClass, ...]
    regex: re.Pattern[str]
    by_form: dict[str, TriggerClass]
    irrealis: re.Pattern[str]
    vague_windows: dict[str, int]

    def find(self, text: str) -> list[TriggerMatch]:
        """Every trigger word in ``text`` (non-overlapping, longest form first).

        Examples:
            >>> [m.trigger.id for m in load_triggers().find("Aircraft targeted Idlib and rebels seized Khansir.")]
            ['strike', 'capture']
        """
        out = []
        lowered = text.translate(_ASCII_LOWER)  # same length; case-sensitive search is much faster
        n = len(text)
        for m in self.regex.finditer(lowered):
            start, end = m.span()
            if start > 0 and (lowered[start - 1].isalnum() or lowered[start - 1] in "_-"):
                continue
            if end < n and (lowered[end].isalnum() or lowered[end] in "_-"):
                continue
            cls = self.by_form.get(_norm(m.group()))
            if cls is not None:
                out.append(TriggerMatch(start, end, text[start:end], cls))
        return out


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _norm(form: str) -> str:
    return re.sub(r"\s+", " ", form.lower())


@lru_cache(maxsize=1)
def load_triggers() -> TriggerLexicon:
    """Load and compile ``rules/en/events/triggers.yaml`` (cached)."""
    raw = yaml.safe_load(
        (resources.files("timeline") / "rules" / "en" / "events" / "triggers.yaml").read_text(encoding="utf-8")
    )
    classes = []
    by_form: dict[str, TriggerClass] = {}
    for entry in raw["triggers"]:
        refinements = []
        for r in entry.get("refine", []) or []:
            refinements.append(
                Refinement(
                    words=re.compile(r["words"], re.IGNORECASE) if r.get("words") else None,
                    actor_before=r.get("actor_before"),
                    event_type=r["event_type"],
                    sub_event_type=r["sub_event_type"],
                )
            )
        cls = TriggerClass(
            id=entry["id"],
            forms=tuple(entry["forms"]),
            event_type=entry["event_type"],
            sub_event_type=entry["sub_event_type"],
            priority=int(entry.get("priority", 0)),
            refinements=tuple(refinements),
            examples=tuple(entry.get("examples", []) or []),
            background_ok=bool(entry.get("background_ok", False)),
        )
        classes.append(cls)
        for form in cls.forms:
            key = _norm(form)
            if key in by_form:
                raise RuleError(f"triggers.yaml: form {form!r} is listed by both {by_form[key].id} and {cls.id}")
            by_form[key] = cls
    forms = sorted(by_form, key=len, reverse=True)  # keys are lower case
    alternation = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)
    regex = re.compile(rf"(?:{alternation})")
    cues = sorted(raw.get("irrealis_cues", []), key=len, reverse=True)
    irrealis = re.compile(
        r"(?<![\w'])(?:" + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in cues) + r")(?![\w])",
        re.IGNORECASE,
    )
    return TriggerLexicon(tuple(classes), regex, by_form, irrealis, dict(raw.get("vague_windows", {})))
