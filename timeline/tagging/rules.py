"""Load the rule resources (YAML package data) and compile them.

Rules live in ``timeline/rules/<lang>/*.yaml``: ``lexicon.yaml`` holds word lists
and normalisation tables, every other file holds a list of rules. A rule pattern
refers to a table as ``{name}``; this expands to an alternation of the table's
keys. A named group is normalised through the table whose name it carries
(``(?P<month>{month})`` -> 1..12); ``__N`` suffixes let a pattern use the same
field twice (``year__2``). See ``docs`` in README for the rule format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, cast

from ..errors import RuleError
from ..yamlio import safe_load

#: Tables whose words are proper nouns: a match must start with a capital.
PROPER_NOUN_TABLES = frozenset({"month", "month_full", "weekday", "weekday_full", "holiday"})

_MACRO = re.compile(r"\{([a-z_]+)\}")
_RULE_KEYS = {
    "id", "pattern", "type", "kind", "set", "priority", "examples", "negatives",
    "require_before", "require_after", "veto", "span", "note", "case_sensitive", "trigger", "dct_evidence",
    "window_needs",
}

#: What a rule's matches can be evidence of when checking a document's anchor date
#: (the rule field ``dct_evidence``, read by :func:`timeline.dct_check.check_dct`):
#: ``calendar`` for calendar dates with a day ("November 27", "Dec. 5, 2024"),
#: ``weekday`` for weekday mentions ("Friday night", "the early hours of Monday").
DCT_EVIDENCE_KINDS = ("calendar", "weekday")

#: Special triggers: any number nearby, or a four-digit number (a possible year).
DIGITS = "digits"
YEAR_DIGITS = "year_digits"


@dataclass(frozen=True)
class Veto:
    """Reject a match when all given context tests hold (regexes on the text around it)."""

    before: re.Pattern[str] | None = None
    after: re.Pattern[str] | None = None
    not_before: re.Pattern[str] | None = None
    not_after: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Rule:
    """One compiled extraction rule."""

    id: str
    regex: re.Pattern[str]
    type: str
    kind: str
    fixed: dict[str, Any]
    priority: int
    require_before: re.Pattern[str] | None
    require_after: re.Pattern[str] | None
    vetoes: tuple[Veto, ...]
    examples: tuple[dict[str, Any], ...]
    negatives: tuple[Any, ...]
    source: str
    proper_groups: tuple[str, ...] = field(default=())
    #: Lower-case words of which one must occur near a match (None: run everywhere).
    trigger_words: frozenset[str] | None = None
    #: The rule also runs near numbers: "all", "year" (four digits only) or "" (never).
    trigger_digits: str = ""
    #: What the rule's matches are evidence of for the anchor-date check (one of
    #: :data:`DCT_EVIDENCE_KINDS`), or None.
    dct_evidence: str | None = None
    #: A pattern the trigger's window must contain for the rule to run at all (``window_needs``:
    #: "a digit" for a rule that always ends in a clock): a cheap test that spares the full regex.
    window_needs: re.Pattern[str] | None = None
    #: The same regex for ASCII-lower-cased text, case-sensitive (see :func:`fold_pattern`), or None
    #: when the pattern cannot be folded: the tagger runs it on ``text.translate(ASCII_LOWER)``.
    folded: re.Pattern[str] | None = None
    #: ``window_needs`` folded the same way, or None.
    folded_needs: re.Pattern[str] | None = None


@dataclass(frozen=True)
class RuleSet:
    """All rules of a language with the lexicon they were compiled against."""

    language: str
    lexicon: dict[str, Any]
    rules: tuple[Rule, ...]
    macros: dict[str, str]
    files: tuple[str, ...]

    def table(self, name: str) -> dict[str, Any]:
        """A normalisation table by name (raises RuleError if unknown)."""
        try:
            return self.lexicon[name]
        except KeyError as exc:
            raise RuleError(f"unknown lexicon table {name!r}") from exc

    def evidence_rules(self, kind: str) -> frozenset[str]:
        """Ids of the rules whose ``dct_evidence`` field is ``kind`` (raises RuleError if unknown).

        Examples:
            >>> "date_iso" in load_rules().evidence_rules("calendar")
            True
        """
        if kind not in DCT_EVIDENCE_KINDS:
            raise RuleError(f"unknown dct_evidence kind {kind!r}; known kinds: {', '.join(DCT_EVIDENCE_KINDS)}")
        return frozenset(r.id for r in self.rules if r.dct_evidence == kind)


def _alternation(words: list[str]) -> str:
    """Regex alternation of words, longest first, with flexible inner spaces."""
    parts = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        escaped = re.escape(word).replace(r"\ ", r"\s+")
        parts.append(escaped)
    return "(?:" + "|".join(parts) + ")"


def _number_macro(lexicon: dict[str, Any]) -> str:
    tens = _alternation(list(lexicon["tens_word"]))
    units = _alternation(list(lexicon["units_word"]))
    words = _alternation(list(lexicon["number_word"]))
    # The grouped form starts only where a number starts: inside "1,000,000,..." each
    # ",000" is a word boundary, and trying the groups from every one of them (when what
    # follows the number fails) was quadratic in the number's length.
    return (
        r"(?:(?<![\d,])\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
        rf"|{tens}[-\s]{units}|{words})"
    )


def _build_macros(lexicon: dict[str, Any]) -> dict[str, str]:
    macros: dict[str, str] = {}
    for name, table in lexicon.items():
        if isinstance(table, dict):
            macros[name] = _alternation([str(k) for k in table])
        elif isinstance(table, list):
            macros[name] = _alternation([str(k) for k in table])
    macros["number"] = _number_macro(lexicon)
    return macros


def expand(pattern: str, macros: dict[str, str], where: str = "") -> str:
    """Replace ``{table}`` macros in a pattern by their alternations."""

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            raise RuleError(f"{where}: pattern uses unknown word list {{{name}}}")
        return macros[name]

    return _MACRO.sub(sub, pattern)


def _compile(pattern: str | None, macros: dict[str, str], where: str, flags: int) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    try:
        return re.compile(expand(pattern, macros, where), flags)
    except re.error as exc:
        raise RuleError(f"{where}: bad regex: {exc}") from exc


def _base_field(group: str) -> str:
    return group.split("__", 1)[0]


def _trigger_words(names: list[str], lexicon: dict[str, Any], where: str) -> tuple[frozenset[str], str]:
    """Words that trigger a rule: table names expand to the longest word of each key."""
    words: set[str] = set()
    digits = ""
    for name in names:
        name = str(name)
        if name == DIGITS:
            digits = "all"
        elif name == YEAR_DIGITS:
            digits = digits or "year"
        elif name in lexicon:
            table = lexicon[name]
            for key in table:
                tokens = re.findall(r"[a-z]+|\d+", str(key).lower())
                if not tokens:
                    raise RuleError(f"{where}: trigger table {name!r} has a key without letters: {key!r}")
                if any(t.isdigit() for t in tokens):
                    digits = "all"
                words.add(max(tokens, key=len))
        elif re.fullmatch(r"[a-z]+", name):
            words.add(name)
        else:
            raise RuleError(f"{where}: trigger {name!r} is neither a word list, a lower-case word nor 'digits'")
    return frozenset(words), digits


#: ASCII upper case to lower case, for ``str.translate``: keeps every offset (one character for one).
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

#: The characters outside ASCII that a case-insensitive pattern matches to an ASCII letter
#: (U+0130, U+0131, U+017F, U+212A: "İ" and "ı" to "i", "ſ" to "s", the Kelvin sign to "k"):
#: a text holding one is not searched with folded patterns.
FOLD_UNSAFE = re.compile("[\u0130\u0131\u017f\u212a]")

_FLAG_GROUP = re.compile(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]+))?([:)])")
_CATEGORY_ESCAPES = frozenset("dDsSwWbBAZ")
_CLASS_CATEGORY_ESCAPES = frozenset("dDsSwW")
_CONTROL_ESCAPES = {"n": 10, "t": 9, "r": 13, "f": 12, "v": 11, "a": 7}


def _uncased(ch: str) -> bool:
    return ch.lower() == ch == ch.upper()


def _class_end(pattern: str, start: int) -> tuple[int, list[tuple[int, int]]] | None:
    """Where the character class opened at ``pattern[start]`` closes, and its literal members as
    code point ranges; None for what :func:`fold_pattern` does not read."""
    i, n = start + 1, len(pattern)
    if i < n and pattern[i] == "^":
        i += 1
    members: list[tuple[int, int]] = []
    first = True
    while True:
        if i >= n:
            return None
        ch = pattern[i]
        if ch == "]" and not first:
            return i, members
        first = False
        if ch == "[":
            return None
        if ch == "\\":
            esc = pattern[i + 1 : i + 2]
            if esc in _CLASS_CATEGORY_ESCAPES:
                i += 2
                continue
            if esc in _CONTROL_ESCAPES:
                low = _CONTROL_ESCAPES[esc]
            elif esc and not esc.isalnum():
                low = ord(esc)
            else:
                return None
            i += 2
        else:
            low = ord(ch)
            i += 1
        high = low
        if pattern[i : i + 1] == "-" and pattern[i + 1 : i + 2] not in ("]", ""):
            end = pattern[i + 1]
            if end == "\\":
                esc = pattern[i + 2 : i + 3]
                if not esc or esc.isalnum():
                    return None
                high, i = ord(esc), i + 3
            else:
                high, i = ord(end), i + 2
        members.append((low, high))


def fold_pattern(pattern: str) -> str | None:
    r"""A case-sensitive pattern that matches ``text.translate(ASCII_LOWER)`` exactly where the
    case-insensitive ``pattern`` matches ``text``, at the same offsets, for any text without
    :data:`FOLD_UNSAFE` characters; None for a pattern this does not read (escapes such as
    ``\x41`` or back references, inline ``i``/``x`` flags, non-ASCII letters, nested sets).

    Literal letters become lower case and each character class also takes the lower case of
    its upper-case letters. A case-insensitive search tries every letter both ways; the folded
    one compares plain characters, which the regex engine also uses to skip ahead (about
    2-3x faster on the rules).

    Examples:
        >>> print(fold_pattern(r"\b(?P<month>Jan|Feb)\.?\s+[A-Z][^A-Z\d]\S"))
        \b(?P<month>jan|feb)\.?\s+[A-Za-z][^A-Z\da-z]\S
        >>> fold_pattern(r"(?-i:[A-Z])x") is None, fold_pattern(r"\x41") is None
        (True, True)
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            esc = pattern[i + 1 : i + 2]
            if not esc or (esc.isalnum() and esc not in _CATEGORY_ESCAPES and esc not in _CONTROL_ESCAPES):
                return None  # \x41, \u0041, \N{...}, back references
            if not esc.isascii() and not _uncased(esc):
                return None
            out.append(pattern[i : i + 2])
            i += 2
        elif ch == "[":
            found = _class_end(pattern, i)
            if found is None:
                return None
            end, members = found
            extra = []
            for low, high in members:
                if any(not _uncased(chr(c)) for c in range(max(low, 128), high + 1)):
                    return None  # a cased letter outside ASCII
                a, b = max(low, ord("A")), min(high, ord("Z"))
                if a <= b:
                    extra.append(chr(a + 32) if a == b else f"{chr(a + 32)}-{chr(b + 32)}")
            out.append(pattern[i:end] + "".join(extra) + "]")
            i = end + 1
        elif ch == "(" and pattern.startswith("(?", i):
            if pattern.startswith("(?P<", i):
                close = pattern.find(">", i)
                if close < 0:
                    return None
                out.append(pattern[i : close + 1])
                i = close + 1
            elif pattern.startswith(("(?:", "(?=", "(?!"), i):
                out.append(pattern[i : i + 3])
                i += 3
            elif pattern.startswith(("(?<=", "(?<!"), i):
                out.append(pattern[i : i + 4])
                i += 4
            else:
                m = _FLAG_GROUP.match(pattern, i)
                if m is None or set(m.group(1) + (m.group(2) or "")) - set("ms"):
                    return None  # (?P=name), (?#...), (?(1)...), (?-i:...), (?x)
                out.append(m.group())
                i = m.end()
        else:
            if ch.isascii():
                out.append(ch.lower())
            elif _uncased(ch):
                out.append(ch)
            else:
                return None
            i += 1
    return "".join(out)


def fold_regex(regex: re.Pattern[str]) -> re.Pattern[str] | None:
    """``regex`` compiled from :func:`fold_pattern`, case-sensitive; None if it is not case-insensitive
    or cannot be folded."""
    if not regex.flags & re.IGNORECASE:
        return None
    folded = fold_pattern(regex.pattern)
    return None if folded is None else re.compile(folded, regex.flags & ~re.IGNORECASE)


def _load_rule(raw: dict[str, Any], macros: dict[str, str], source: str,
               lexicon: dict[str, Any] | None = None) -> Rule:
    rid = raw.get("id")
    where = f"{source}:{rid}"
    if not rid or "pattern" not in raw or "kind" not in raw or "type" not in raw:
        raise RuleError(f"{where}: a rule needs id, pattern, type and kind")
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise RuleError(f"{where}: unknown keys {sorted(unknown)}")
    evidence = raw.get("dct_evidence")
    if evidence is not None and evidence not in DCT_EVIDENCE_KINDS:
        raise RuleError(f"{where}: unknown dct_evidence {evidence!r}; expected one of {', '.join(DCT_EVIDENCE_KINDS)}")
    flags = 0 if raw.get("case_sensitive") else re.IGNORECASE
    regex = _compile(raw["pattern"], macros, where, flags)
    assert regex is not None
    ctx_flags = re.IGNORECASE
    vetoes = []
    for v in raw.get("veto", []) or []:
        vetoes.append(
            Veto(
                before=_compile(v.get("before"), macros, where, ctx_flags),
                after=_compile(v.get("after"), macros, where, 0 if v.get("case_sensitive") else ctx_flags),
                not_before=_compile(v.get("not_before"), macros, where, ctx_flags),
                not_after=_compile(v.get("not_after"), macros, where, ctx_flags),
            )
        )
    proper = tuple(
        g for g in regex.groupindex if _base_field(g) in PROPER_NOUN_TABLES
    )
    trigger_words: frozenset[str] | None = None
    trigger_digits = ""
    if raw.get("trigger") is not None:
        trigger_words, trigger_digits = _trigger_words(list(raw["trigger"]), lexicon or {}, where)
    window_needs = _compile(raw.get("window_needs"), macros, where, ctx_flags)
    return Rule(
        id=rid,
        regex=regex,
        type=raw["type"],
        kind=raw["kind"],
        fixed=dict(raw.get("set") or {}),
        priority=int(raw.get("priority", 0)),
        require_before=_compile(raw.get("require_before"), macros, where, ctx_flags),
        require_after=_compile(raw.get("require_after"), macros, where, ctx_flags),
        vetoes=tuple(vetoes),
        examples=tuple(raw.get("examples") or ()),
        negatives=tuple(raw.get("negatives") or ()),
        source=source,
        proper_groups=proper,
        trigger_words=trigger_words,
        trigger_digits=trigger_digits,
        dct_evidence=evidence,
        window_needs=window_needs,
        folded=fold_regex(regex),
        folded_needs=None if window_needs is None else fold_regex(window_needs),
    )


@lru_cache(maxsize=4)
def load_lexicon(language: str = "en") -> dict[str, Any]:
    """The word lists of a language (``rules/<language>/lexicon.yaml``), read once (cached)."""
    folder = resources.files("timeline") / "rules" / language
    if not folder.is_dir():
        raise RuleError(f"no rules for language {language!r}")
    return cast("dict[str, Any]", safe_load((folder / "lexicon.yaml").read_text(encoding="utf-8")))


@lru_cache(maxsize=4)
def abbreviations(language: str = "en") -> frozenset[str]:
    """Words that end with a period without ending a sentence (lexicon.yaml ``abbreviations``: lower
    case, without the final period), for the sentence splitter and the tense cues.

    Examples:
        >>> {"vs", "u.s", "gen"} <= abbreviations()
        True
    """
    lexicon = load_lexicon(language)
    return frozenset(str(a).lower() for a in lexicon["abbreviations"])


@lru_cache(maxsize=4)
def fronted_time_opener(language: str = "en") -> re.Pattern[str]:
    """What may stand between a sentence's start and its fronted time: punctuation and up to three
    of lexicon.yaml's ``fronted_time_opener`` words ("On", "Late on", "Also on"); use ``fullmatch``.

    Examples:
        >>> bool(fronted_time_opener().fullmatch('"Late on ')), bool(fronted_time_opener().fullmatch("Rebels said "))
        (True, False)
    """
    lexicon = load_lexicon(language)
    words = "|".join(re.escape(str(w)) for w in lexicon["fronted_time_opener"])
    return re.compile(rf"[\W_]*(?:(?:{words})\s+){{0,3}}", re.IGNORECASE)


@lru_cache(maxsize=4)
def load_rules(language: str = "en") -> RuleSet:
    """Load and compile the rule set of a language from package data (cached)."""
    folder = resources.files("timeline") / "rules" / language
    lexicon = load_lexicon(language)
    macros = _build_macros(lexicon)
    rules: list[Rule] = []
    files = []
    seen: set[str] = set()
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".yaml") or entry.name == "lexicon.yaml":
            continue
        files.append(entry.name)
        raw_rules = safe_load(entry.read_text(encoding="utf-8")) or []
        if not isinstance(raw_rules, list):
            raise RuleError(f"{entry.name}: expected a list of rules")
        for raw in raw_rules:
            rule = _load_rule(raw, macros, entry.name, lexicon)
            if rule.id in seen:
                raise RuleError(f"{entry.name}: duplicate rule id {rule.id!r}")
            seen.add(rule.id)
            rules.append(rule)
    return RuleSet(language=language, lexicon=lexicon, rules=tuple(rules), macros=macros, files=tuple(files))
