"""Find the actors of conflict news (armies, rebel groups, foreign states, rescuers) in text.

The lexicon is ``rules/en/events/actors.yaml``: each actor has a canonical
name, a kind (:data:`KINDS`), an ACLED-style actor name where one is
established, and aliases (plain strings) or patterns (regexes). A capitalised
alias word is a proper name and matches only as written ("HTS"); a lower-case
word matches in any case ("rebels", "Rebels"). Where matches overlap, the
longest wins ("Syrian opposition fighters" is rebels, not the Syrian
opposition). Generic references ("the army") carry a lower ``confidence``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import InputError, RuleError
from ..yamlio import safe_load

#: The kinds of actor.
KINDS = ("state_forces", "rebel_group", "external_state", "civilian_org", "political", "militia")

_ENTRY_KEYS = {"id", "name", "kind", "acled_name", "aliases", "patterns", "confidence", "examples", "negatives"}
_MACRO = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor named in a text.

    ``start``/``end`` are character offsets (half-open) of ``text``; ``name`` is
    the canonical name, ``acled_name`` the ACLED-style actor name or None,
    ``actor_id`` the lexicon entry and ``confidence`` 1.0 for a named actor,
    less for a generic reference ("the army").
    """

    text: str
    start: int
    end: int
    name: str
    kind: str
    acled_name: str | None
    confidence: float
    actor_id: str


@dataclass(frozen=True, slots=True)
class Actor:
    """One lexicon entry, compiled."""

    id: str
    name: str
    kind: str
    acled_name: str | None
    confidence: float
    regex: re.Pattern[str]
    examples: tuple[dict[str, Any], ...]
    negatives: tuple[str, ...]


def alias_pattern(alias: str) -> str:
    """Regex of a plain alias: capitalised words as written, lower-case words in any case.

    The left word boundary is checked by :func:`find_actors` (a regex starting
    with a literal is scanned much faster).

    Examples:
        >>> print(alias_pattern("Syrian army"))
        Syrian\\s+[aA](?i:rmy)(?!\\w)
        >>> print(alias_pattern("rebels"))
        [rR](?i:ebels)(?!\\w)
        >>> bool(re.search(alias_pattern("HTS"), "hts"))
        False
    """
    parts = []
    for word in alias.split():
        if any(c.isupper() for c in word):
            parts.append(re.escape(word))
        elif word[0].isalpha():
            rest = f"(?i:{re.escape(word[1:])})" if len(word) > 1 else ""
            parts.append(f"[{word[0]}{word[0].upper()}]{rest}")
        else:
            parts.append(f"(?i:{re.escape(word)})")
    return r"\s+".join(parts) + r"(?!\w)"


def _expand(pattern: str, macros: dict[str, str], where: str) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in macros:
            raise RuleError(f"{where}: unknown macro {{{m.group(1)}}}")
        return macros[m.group(1)]

    return _MACRO.sub(sub, pattern)


def _compile_actor(raw: dict[str, Any], macros: dict[str, str]) -> Actor:
    where = f"events/actors.yaml:{raw.get('id')}"
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        raise RuleError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("id", "name", "kind"):
        if not raw.get(key):
            raise RuleError(f"{where}: an actor needs {key}")
    if raw["kind"] not in KINDS:
        raise RuleError(f"{where}: kind {raw['kind']!r} is not one of {KINDS}")
    parts = [alias_pattern(str(a)) for a in raw.get("aliases") or []]
    # A leading \b is checked by find_actors instead (see alias_pattern).
    parts += [_expand(str(p).removeprefix("\\b"), macros, where) for p in raw.get("patterns") or []]
    if not parts:
        raise RuleError(f"{where}: an actor needs aliases or patterns")
    try:
        regex = re.compile("|".join(f"(?:{p})" for p in parts))
    except re.error as exc:
        raise RuleError(f"{where}: bad regex: {exc}") from exc
    return Actor(
        id=str(raw["id"]), name=str(raw["name"]), kind=str(raw["kind"]),
        acled_name=raw.get("acled_name"), confidence=float(raw.get("confidence", 1.0)), regex=regex,
        examples=tuple(raw.get("examples") or ()), negatives=tuple(raw.get("negatives") or ()),
    )


@lru_cache(maxsize=1)
def load_actors() -> tuple[Actor, ...]:
    """The compiled actor lexicon (cached).

    Examples:
        >>> "Hayat Tahrir al-Sham" in {a.name for a in load_actors()}
        True
    """
    path = resources.files("timeline") / "rules" / "en" / "events" / "actors.yaml"
    data = safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
        raise RuleError("events/actors.yaml: expected a mapping with an 'actors' list")
    macros = {str(k): str(v) for k, v in (data.get("macros") or {}).items()}
    actors = tuple(_compile_actor(raw, macros) for raw in data["actors"])
    ids = [a.id for a in actors]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise RuleError(f"events/actors.yaml: duplicate ids {sorted(duplicates)}")
    return actors


def find_actors(text: str) -> list[ActorMention]:
    """Actors named in ``text``, in text order; the longest of overlapping matches wins.

    Raises:
        InputError: ``text`` is not a string.

    Examples:
        >>> [(a.name, a.kind) for a in find_actors("Rebels and HTS fighters fought the Syrian army.")]
        [('Rebels', 'rebel_group'), ('Hayat Tahrir al-Sham', 'rebel_group'), ('Syrian army', 'state_forces')]
        >>> [a.name for a in find_actors("Syrian opposition fighters advanced.")]
        ['Rebels']
    """
    if not isinstance(text, str):
        raise InputError(f"find_actors: text must be a str, got {type(text).__name__}")
    found: list[tuple[int, int, Actor]] = []
    for actor in load_actors():
        for m in actor.regex.finditer(text):
            start, end = m.span()
            if end > start and not (start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_")):
                found.append((start, end, actor))
    found.sort(key=lambda f: (f[0] - f[1], f[0]))  # longest first, then leftmost
    starts: list[int] = []  # sorted starts of the kept, non-overlapping mentions
    kept: dict[int, tuple[int, int, Actor]] = {}
    for start, end, actor in found:
        k = bisect.bisect_right(starts, start)
        if k > 0 and kept[starts[k - 1]][1] > start:
            continue  # overlaps the kept mention starting before it
        if k < len(starts) and starts[k] < end:
            continue  # overlaps the kept mention starting after it
        starts.insert(k, start)
        kept[start] = (start, end, actor)
    taken = [kept[s] for s in starts]
    return [
        ActorMention(
            text=text[s:e], start=s, end=e, name=a.name, kind=a.kind, acled_name=a.acled_name,
            confidence=a.confidence, actor_id=a.id,
        )
        for s, e, a in taken
    ]
