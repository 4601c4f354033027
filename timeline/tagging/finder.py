"""Phase 1 of tagging: find temporal mentions and normalise their parts.

This stage never sees the anchor date (DCT). It returns :class:`Mention` records
with the span, the rule that matched, the rule's value kind and the normalised
fields the pattern captured (month=11, weekday=5, unit="D", ...), plus the
textual cues the resolver needs (tense, a preceding "since"). Turning that into
a TIMEX3 value is :mod:`timeline.anchoring`'s job (HeidelTime's split).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..model import Mention
from .rules import ASCII_LOWER, FOLD_UNSAFE, Rule, RuleSet, abbreviations, fold_regex, fronted_time_opener, load_rules

_INT_FIELDS = frozenset({"day", "year", "hour", "minute", "month_num", "year2", "second", "yearnum"})
_STRING_FIELDS = frozenset({"ampm", "tz", "decade", "decade2", "raw", "word", "clock_word", "times", "later"})
_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"[a-z]+|\d+")
_PREV_WORD = re.compile(r"([A-Za-z]+)\W*$")

# Kinds that accept a left modifier such as "early", "late", "mid-", "the end of".
_MODIFIABLE = frozenset(
    {"calendar", "year", "unit_this", "season", "decade", "century", "quarter", "half", "unit_shift", "holiday",
     "part_of_day_rel", "weekday", "relative_day", "spoken_year"}
)


def parse_number(token: str, lexicon: dict[str, Any]) -> float | None:
    """Parse "3", "1,200", "thirty-one", "a dozen" into a number (None if not a number).

    Examples:
        >>> from timeline.tagging.rules import load_rules
        >>> parse_number("thirty-one", load_rules().lexicon)
        31
        >>> parse_number("1,200", load_rules().lexicon)
        1200
    """
    t = _SPACES.sub(" ", token.strip().lower())
    if not t:
        return None
    if t[0].isdigit():
        t = t.replace(",", "")
        try:
            value = float(t)
        except ValueError:
            return None
        return int(value) if value.is_integer() else value
    words = lexicon["number_word"]
    if t in words:
        return words[t]
    parts = re.split(r"[-\s]", t)
    if len(parts) == 2 and parts[0] in lexicon["tens_word"] and parts[1] in lexicon["units_word"]:
        return lexicon["tens_word"][parts[0]] + lexicon["units_word"][parts[1]]
    return None


_CUE_TOKEN = re.compile(r"(?:(?<=\s)|^)[A-Za-z]+(?=[\s,.;:]|$)")


def past_cue_spans(window: str, past_words: frozenset[str], not_past_ed: frozenset[str]) -> list[tuple[int, int]]:
    """Where the past-tense cues of ``window`` are: one of ``past_words`` (lexicon.yaml
    ``past_cue``) or an "-ed" word not in ``not_past_ed``, not after "be"/"been" ("will be named") and
    not capitalised inside the window (a name: "the United States").

    Examples:
        >>> past_cue_spans("it fell and will be named; expected", frozenset({"fell"}), frozenset({"expected"}))
        [(3, 7)]
        >>> past_cue_spans("travel to the United States", frozenset(), frozenset())
        []
    """
    return [m.span() for m in _CUE_TOKEN.finditer(window) if _is_past_cue(m, window, past_words, not_past_ed)]


def _is_past_cue(m: re.Match[str], window: str, past_words: frozenset[str], not_past_ed: frozenset[str]) -> bool:
    """Whether the token ``m`` of ``window`` is a past cue (see :func:`past_cue_spans`)."""
    w = m.group(0).lower()
    # "be"/"been" and one space end before the word: a search from 6 characters back finds it
    # ("will be held", "is to be signed": a passive infinitive takes the tense of what governs it)
    if w in past_words:
        return not _AFTER_BE.search(window, max(0, m.start() - 6), m.start())
    return len(w) > 2 and w.endswith("ed") and w not in not_past_ed \
        and not _AFTER_BE.search(window, max(0, m.start() - 6), m.start()) \
        and not _AFTER_DETERMINER.search(window, max(0, m.start() - 7), m.start()) \
        and not (m.group(0)[0].isupper() and m.start() > 0)  # a name inside the window: "the United States"


def _first_past_cue(window: str, past_words: frozenset[str], not_past_ed: frozenset[str]) -> int:
    """The start of the first past cue of ``window`` (:func:`past_cue_spans`), or -1."""
    for m in _CUE_TOKEN.finditer(window):
        w = m.group(0).lower()
        if (w in past_words or w.endswith("ed")) and _is_past_cue(m, window, past_words, not_past_ed):
            return m.start()
    return -1


def _last_past_cue(window: str, past_words: frozenset[str], not_past_ed: frozenset[str]) -> int:
    """The end of the last past cue of ``window`` (:func:`past_cue_spans`), or -1: whether a token
    is a cue depends on it and the characters before it only, so the scan runs from the end."""
    for m in reversed(list(_CUE_TOKEN.finditer(window))):
        w = m.group(0).lower()
        if (w in past_words or w.endswith("ed")) and _is_past_cue(m, window, past_words, not_past_ed):
            return m.end()
    return -1


def _last_end(regex: re.Pattern[str], window: str) -> int:
    """The end of the last of ``regex.finditer(window)`` (the greatest), or -1."""
    m = None
    for m in regex.finditer(window):  # noqa: B007
        pass
    return -1 if m is None else m.end()


#: A participle after these is a passive infinitive or present, no past cue ("will be held", "when
#: the case is heard in May").
_AFTER_BE = re.compile(r"\b(?:be|been|being|is|are)\s\Z", re.IGNORECASE)
#: "The reduced dividend is payable Jan. 2", "an unexpected visit": a participle after a determiner
#: is an adjective, no past cue.
_AFTER_DETERMINER = re.compile(r"\b(?:the|a|an|its|their|his|her|this|these|those)\s\Z", re.IGNORECASE)


class _Cues:
    """Tense cue detection around a mention, within its sentence."""

    def __init__(self, ruleset: RuleSet) -> None:
        future = ruleset.lexicon.get("future_cue", [])
        # "agreed to purchase" is ahead; "agreed to a proposal" is not
        not_to = "|".join(re.escape(str(w)) for w in ruleset.lexicon.get("future_to_not_before", []))
        to_guard = rf"(?!\s+(?:{not_to})\b)" if not_to else ""

        def cue(w: str) -> str:
            body = re.escape(w).replace(r"\ ", r"\s+")
            return body + to_guard if w.endswith(" to") else body

        alt = "|".join(cue(w) for w in sorted(future, key=len, reverse=True))
        self.future = re.compile(rf"(?:(?<=\s)|^)(?:{alt})(?=\s|$)", re.IGNORECASE)
        before_only = ruleset.lexicon.get("future_cue_before", [])
        alt = "|".join(cue(w) for w in sorted(before_only, key=len, reverse=True))
        self.future_before = re.compile(rf"(?:(?<=\s)|^)(?:{alt or '(?!)'})(?=\s|$)", re.IGNORECASE)
        # Reporting verbs mark the past before a mention ("said on Monday"), but after
        # it they are the attribution ("will meet on Monday, his office said"); "since" before it
        # looks back ("searching since shortly after the Oct. 23 slaying").
        self.past_before = re.compile(
            r"(?:(?<=\s)|^)(?:said|says|told|reported|since)(?=[\s,.;:]|$)", re.IGNORECASE)
        # Past cues: a word scan (past_cue_spans) with the lexicon's irregular forms and "-ed" exceptions.
        self.past_words = frozenset(str(w).lower() for w in ruleset.lexicon.get("past_cue", []))
        self.not_past_ed = frozenset(str(w).lower() for w in ruleset.lexicon.get("past_cue_not_ed", []))
        self.opener = fronted_time_opener()
        # The three cue regexes folded, for lower-cased text (see rules.fold_pattern); None if one cannot be.
        folded = tuple(fold_regex(r) for r in (self.future, self.past_before, self.future_before))
        self.folded: tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]] | None = (
            folded if all(f is not None for f in folded) else None)  # type: ignore[assignment]

    def tense(self, text: str, start: int, end: int, lowered: str | None = None) -> str | None:
        """"future", "past" or None: the tense cue nearest the mention ``text[start:end]`` in its
        clause. ``lowered``: ``text.translate(ASCII_LOWER)`` of a text without
        :data:`~timeline.tagging.rules.FOLD_UNSAFE` characters, if at hand (the cue regexes then
        run folded on it).

        Examples:
            >>> cues = _Cues(load_rules())
            >>> t = "Rebels seized the airport on Saturday and will push toward Hama on Tuesday."
            >>> cues.tense(t, t.index("Saturday"), t.index(" and")), cues.tense(t, t.index("Tuesday"), len(t) - 1)
            ('past', 'future')
        """
        lo = max(0, start - 90)
        before = text[lo:start]
        cut = max(before.rfind(". "), before.rfind("\n"))
        if cut >= 0:
            lo += cut + 1
            before = before[cut + 1 :]
        # a cue applies to its own clause: "will retake the town on Friday, after losing it on Saturday"
        clause_start = None
        for match in _CLAUSE_BEFORE.finditer(before):  # the last clause boundary before the mention
            clause_start = match
        if clause_start is not None:
            lo += clause_start.end()
            before = before[clause_start.end():]
        # "In January, a week after the anniversary, a clinic bombing in Birmingham killed ...": a
        # sentence's fronted time takes the tense of its main verb, however long the subject
        fronted = self.opener.fullmatch(before) is not None
        hi = min(len(text), end + (220 if fronted and text.startswith(",", end) else 100))
        after = text[end:hi]
        cut_after = [i for i in (_sentence_stop(after), after.find("\n")) if i >= 0]
        clause = _clause_end(after)  # "seized it on Saturday and will push on": the cue is the next clause's
        if clause is not None:
            cut_after.append(clause)
        past_end = _last_past_cue(before, self.past_words, self.not_past_ed)
        if past_end >= 0 and not re.search(r"[,;:]", before[past_end:]):
            # "Schools, which closed on Thursday, will reopen on Tuesday": a past verb of the time's own
            # phrase; a cue after the next comma is the main clause's
            comma = after.find(",")
            if comma >= 0:
                cut_after.append(comma)
        if cut_after:
            after = after[: min(cut_after)]
        if lowered is None or self.folded is None:
            future, past_before, future_before = self.future, self.past_before, self.future_before
            low_before, low_after = before, after
        else:
            future, past_before, future_before = self.folded
            low_before, low_after = lowered[lo:start], lowered[end : end + len(after)]
        # The nearest cue wins; on a tie, the first of: a future cue before the mention, one after
        # it, a past cue before, one after, a reporting verb before, a future cue of those only
        # read before it.
        n = len(before)
        best: tuple[int, str] | None = None
        e = _last_end(future, low_before)
        if e >= 0:
            best = (n - e, "future")
        m = future.search(low_after)
        if m is not None and (best is None or m.start() < best[0]):
            best = (m.start(), "future")
        e = past_end
        if e >= 0 and (best is None or n - e < best[0]):
            best = (n - e, "past")
        first = _first_past_cue(after, self.past_words, self.not_past_ed)
        if first >= 0 and (best is None or first < best[0]):
            best = (first, "past")
        e = _last_end(past_before, low_before)
        if e >= 0 and (best is None or n - e < best[0]):
            best = (n - e, "past")
        e = _last_end(future_before, low_before)
        if e >= 0 and (best is None or n - e < best[0]):
            best = (n - e, "future")
        return best[1] if best else None


#: Where the clause holding a mention starts: a cue before it is another clause's.
_CLAUSE_BEFORE = re.compile(r"[,;]\s+(?:after|before|when|while|since|until|because|although|though|whereas)\s")
#: Where the clause after a mention ends: a tense cue beyond it belongs to another clause.
_CLAUSE_END = re.compile(r"\s(?:and|but|while|whereas)\s|;")


def _sentence_stop(after: str) -> int:
    """Where the sentence ends in ``after`` (a period and a space not after an abbreviation), or -1.

    Examples:
        >>> _sentence_stop(" the Roe vs. Wade decision, U.S. officials said. Then"), _sentence_stop(" none")
        (47, -1)
    """
    known = abbreviations()
    at = after.find(". ")
    while at >= 0:
        lo = at
        while lo > 0 and (after[lo - 1].isalnum() or after[lo - 1] in "._"):
            lo -= 1
        word = after[lo:at].lower()
        if not (word in known or (len(word) == 1 and word.isalpha()) or "." in word):
            return at  # not an abbreviation (lexicon.yaml), an initial or initials ("U.S.")
        at = after.find(". ", at + 2)
    return -1


def _clause_end(after: str) -> int | None:
    """Where the clause after a mention ends in ``after``, or None. An "and" inside a name ("the
    National Abortion and Reproductive Rights Action League") ends nothing.

    Examples:
        >>> _clause_end(" the Abortion and Reproductive Rights League plans to; then"), _clause_end(" x and will")
        (53, 2)
    """
    for m in _CLAUSE_END.finditer(after):
        if m.group() != ";" and after[m.end() : m.end() + 1].isupper() and after[m.end() + 1 : m.end() + 2].islower():
            before = after[max(0, m.start() - 30) : m.start()].rsplit(None, 1)
            if before and before[-1][:1].isupper() and before[-1][1:].isalpha() and before[-1][1:].islower():
                continue  # "Abortion and Reproductive": one name
        return m.start()
    return None


#: "documents declassified in 2005": a participle right before the time's preposition.
_PARTICIPLE_IN = re.compile(r"\b([A-Za-z]+)\s+([a-z]+ed)\s+(?:in|on|during)\s+\Z")
#: After such a time, the sentence's own verb: "..., however, revealed", "showed", "have".
_VERB_NEXT = re.compile(r"(?:\s*,\s*(?:[a-z]+\s+){0,2}?[a-z]+\s*,)?\s+([a-z]+)\b")
@lru_cache(maxsize=1)
def _background_words() -> tuple[frozenset[str], frozenset[str]]:
    """lexicon.yaml's ``background_verb_after`` and ``background_not_a_noun`` (see :func:`_is_background`)."""
    lexicon = load_rules().lexicon
    return (frozenset(str(w).lower() for w in lexicon["background_verb_after"]),
            frozenset(str(w).lower() for w in lexicon["background_not_a_noun"]))


def _is_background(text: str, start: int, end: int) -> bool:
    """True for a time off the story's main line, which should not become its reference time: a
    parenthesis of its own ("the Treaty of Riga (1921)") or the time of a participle that
    modifies a noun before the sentence's verb ("documents declassified in 2005, however,
    revealed ...", "papers discovered in 1998 showed ...").

    Examples:
        >>> t = "Documents declassified in 2005, however, revealed that there was no attack."
        >>> _is_background(t, t.index("2005"), t.index("2005") + 4)
        True
        >>> t = "The assault lasted until the fall of Budapest in February 1945."
        >>> _is_background(t, t.index("February"), len(t) - 1)
        True
        >>> t = "The army attacked in 2005 and withdrew."
        >>> _is_background(t, t.index("2005"), t.index("2005") + 4)
        False
    """
    if text[max(0, start - 1) : start] == "(" and text[end : end + 1] == ")":
        return True
    if _UNTIL_PHRASE.search(text, max(0, start - 60), start):
        return True  # "an assault that lasted until the fall of Budapest in February 1945": the bound of another period
    if not text[max(0, start - 40) : start].rstrip().endswith(("in", "on", "during")):
        return False  # what _PARTICIPLE_IN needs: the preposition, then spaces, right before the time
    verb_after, not_a_noun = _background_words()
    before = _PARTICIPLE_IN.search(text, max(0, start - 40), start)
    if before is None or before.group(1).lower() in not_a_noun:
        return False
    after = _VERB_NEXT.match(text, end, min(len(text), end + 40))
    if after is None:
        return False
    word = after.group(1)
    return word in verb_after or (len(word) > 4 and word.endswith("ed"))


#: A time inside an "until" phrase: "until the fall of Budapest in", "up to the armistice of".
_UNTIL_PHRASE = re.compile(r"\b(?:until|till|up\s+to)\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+)?(?:[\w'’-]+\s+){1,5}?"
                           r"(?:in|on|of)\s+\Z", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


def _union(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of two lists of merged windows, merged (touching windows join)."""
    if not a:
        return b
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(a + b):
        if out and out[-1][1] >= lo:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _trigger_regexes(words: list[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Regexes for lower-cased text that find the runs of [a-z] that are one of ``words``: one
    for a run after a character that is no letter (group 1), one for a run at the start. The
    words make a trie ("d(?:ay|ec(?:ade)?)"), which the regex engine walks letter by letter,
    and the search skips letters at C speed to the next character that is none.

    Examples:
        >>> after, start = _trigger_regexes(["day", "decade", "dec"])
        >>> [m.group(1) for m in after.finditer("dec, a decade, 12 days; dec")], start.match("dec, a").group()
        (['decade', 'dec'], 'dec')
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + build(node[ch]) for ch in sorted(node) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return f"(?:{body})?" if len(alts) == 1 else body + "?"
        return body

    alternation = build(trie) if words else "(?!)"
    return re.compile(f"[^a-z]({alternation})(?![a-z])"), re.compile(f"(?:{alternation})(?![a-z])")


class MentionFinder:
    """Apply every rule of a rule set to a text and keep the best non-overlapping matches."""

    #: Characters searched on each side of a trigger word; longer matches may be cut.
    WINDOW = 64

    def __init__(self, ruleset: RuleSet | None = None) -> None:
        self.ruleset = ruleset or load_rules()
        # Trigger index: which rules to run near which word (HeidelTime runs every
        # rule over the whole text; this keeps tagging linear and fast). Rules with the same
        # triggers share their windows: the index maps a word to trigger groups, not rules.
        self._groups: list[list[int]] = []  # trigger group -> rule indexes
        group_of: dict[tuple[frozenset[str], str], int] = {}
        self._everywhere: list[int] = []
        for index, rule in enumerate(self.ruleset.rules):
            if rule.trigger_words is None:
                self._everywhere.append(index)
                continue
            key = (rule.trigger_words, rule.trigger_digits)
            if key not in group_of:
                group_of[key] = len(self._groups)
                self._groups.append([])
            self._groups[group_of[key]].append(index)
        self._word_groups: dict[str, list[int]] = {}
        self._digit_groups: list[int] = []
        self._year_groups: list[int] = []
        for (trigger_words, digits), group in group_of.items():
            for word in trigger_words:
                self._word_groups.setdefault(word, []).append(group)
            if digits:
                self._year_groups.append(group)
            if digits == "all":
                self._digit_groups.append(group)
        self._mixed_groups = frozenset(self._digit_groups + self._year_groups) & frozenset(
            g for groups in self._word_groups.values() for g in groups)
        words = [w for w in self._word_groups if w.isalpha()]  # a token is letters or digits
        self._word_trigger, self._first_word = _trigger_regexes(words)
        lex = self.ruleset.lexicon
        self._tables = {name: t for name, t in lex.items() if isinstance(t, dict)}
        self._ambiguous = frozenset(lex.get("ambiguous_names", ()))
        self._cues = _Cues(self.ruleset)
        macros = self.ruleset.macros
        self._left_mod = re.compile(rf"(?:^|(?<=[\s(\"']))((?:the\s+)?{macros['mod']})(?:\s+|-)$", re.IGNORECASE)
        self._left_approx = re.compile(rf"(?:^|(?<=[\s(\"']))({macros['approx']})\s+$", re.IGNORECASE)
        # "since November 27", and "since the offensive began on Wednesday"
        self._since = re.compile(
            r"\bsince\s+(?:the\s+)?(?:(?:[\w'-]+\s+){1,4}(?:on|in|at)\s+|(?:[\w'-]+\s+){1,10}?(?:just\s+)?(?:over|about|nearly|almost)\s+)?$",
            re.IGNORECASE)

    # -- normalisation -------------------------------------------------
    def _normalise(self, rule: Rule, match: re.Match[str]) -> dict[str, Any] | None:
        fields: dict[str, Any] = dict(rule.fixed)
        lexicon = self.ruleset.lexicon
        for group, raw in match.groupdict().items():
            if raw is None or group == "span":
                continue
            name = group.split("__", 1)[0]
            if (name in rule.proper_groups or group in rule.proper_groups) and not raw[:1].isupper():
                if raw.lower().rstrip(".") in self._ambiguous:
                    return None
            if name in _INT_FIELDS:
                fields[name] = int(raw)
            elif name == "num":
                value = parse_number(raw, lexicon)
                if value is None:
                    return None
                fields["num"] = value
            elif name in _STRING_FIELDS:
                fields[name] = raw.lower()
            elif name in self._tables:
                key = _SPACES.sub(" ", raw.lower()).rstrip(".")
                table = self._tables[name]
                if key not in table:
                    key = key.replace("-", " ")
                if key not in table:
                    return None
                fields[name] = table[key]
            else:
                fields[name] = raw
        return fields

    def _context_ok(self, rule: Rule, text: str, start: int, end: int) -> bool:
        before = text[max(0, start - 40) : start]
        after = text[end : end + 40]
        if rule.require_before is not None and not rule.require_before.search(before):
            return False
        if rule.require_after is not None and not rule.require_after.match(after):
            return False
        for veto in rule.vetoes:
            if veto.before is not None and not veto.before.search(before):
                continue
            if veto.after is not None and not veto.after.match(after):
                continue
            if veto.not_before is not None and veto.not_before.search(before):
                continue
            if veto.not_after is not None and veto.not_after.match(after):
                continue
            return False
        return True

    # -- search --------------------------------------------------------
    def _windows(self, text: str, lowered: str | None = None) -> list[list[tuple[int, int]]]:
        """Per rule, the merged text windows around its trigger words (``lowered``: the text
        ASCII-lower-cased, if already at hand). Rules of one trigger group share one list.

        The tokens are the runs of [a-z] and the runs of digits of the lowered text; a trigger
        regex finds those that are trigger words, and the runs of digits are read apart.
        """
        n = len(text)
        if lowered is None:
            lowered = text.translate(ASCII_LOWER)
        groups: list[list[tuple[int, int]]] = [[] for _ in self._groups]
        w = self.WINDOW
        word_groups = self._word_groups
        words = [m.span(1) for m in self._word_trigger.finditer(lowered)]
        first = self._first_word.match(lowered)
        if first is not None:
            words.insert(0, first.span())
        for start, end in words:
            lo = start - w if start > w else 0
            hi = end + w if end + w < n else n
            for index in word_groups[lowered[start:end]]:
                spans = groups[index]
                if spans and spans[-1][1] >= lo:
                    spans[-1] = (spans[-1][0], hi)
                else:
                    spans.append((lo, hi))
        digit_groups, year_groups, mixed = self._digit_groups, self._year_groups, self._mixed_groups
        if digit_groups or year_groups:
            by_digits: list[list[tuple[int, int]]] = [[] for _ in self._groups] if mixed else groups
            for m in _DIGITS.finditer(lowered):
                start, end = m.span()
                hits = year_groups if end - start == 4 else digit_groups
                lo = start - w if start > w else 0
                hi = end + w if end + w < n else n
                for index in hits:
                    spans = by_digits[index]
                    if spans and spans[-1][1] >= lo:
                        spans[-1] = (spans[-1][0], hi)
                    else:
                        spans.append((lo, hi))
            if mixed:
                for index, spans in enumerate(by_digits):
                    if spans:
                        groups[index] = _union(groups[index], spans) if index in mixed else spans
        windows: list[list[tuple[int, int]]] = [[] for _ in self.ruleset.rules]
        for group, spans in zip(self._groups, groups):
            for index in group:
                windows[index] = spans
        for index in self._everywhere:
            windows[index] = [(0, n)]
        return windows

    def candidates(self, text: str) -> list[tuple[int, int, int, Rule, dict[str, Any]]]:
        """Every rule match near one of its trigger words that passes its context tests.

        A case-insensitive rule runs its folded regex (:func:`~timeline.tagging.rules.fold_pattern`)
        over the lower-cased text, and each match is taken again with the rule's own regex on
        the text itself, at the same place: the same matches, at about half the cost.
        """
        return self._candidates(text, text.translate(ASCII_LOWER), FOLD_UNSAFE.search(text) is None)

    def _candidates(self, text: str, lowered: str, fold: bool) -> list[tuple[int, int, int, Rule, dict[str, Any]]]:
        found = []
        for rule, spans in zip(self.ruleset.rules, self._windows(text, lowered)):
            if not spans:
                continue
            needs, hay = rule.window_needs, text
            if fold and rule.folded_needs is not None:
                needs, hay = rule.folded_needs, lowered
            folded = rule.folded if fold else None
            for lo, hi in spans:
                if needs is not None and needs.search(hay, lo, hi) is None:
                    continue
                if folded is None:
                    matches: Any = rule.regex.finditer(text, lo, hi)
                else:
                    matches = self._folded_matches(rule.regex, folded, text, lowered, lo, hi)
                    if not matches:
                        continue
                found.extend(self._accept(rule, text, matches))
        return found

    @staticmethod
    def _folded_matches(regex: re.Pattern[str], folded: re.Pattern[str], text: str, lowered: str,
                        lo: int, hi: int) -> list[re.Match[str]]:
        """``regex.finditer(text, lo, hi)`` found with the folded regex on the lowered text."""
        out = []
        for fm in folded.finditer(lowered, lo, hi):
            m = regex.match(text, fm.start(), hi)
            if m is None or m.end() != fm.end():  # cannot happen if folding is exact; never guess
                return list(regex.finditer(text, lo, hi))
            out.append(m)
        return out

    def _accept(self, rule: Rule, text: str, matches: Any) -> list[tuple[int, int, int, Rule, dict[str, Any]]]:
        found = []
        has_span = "span" in rule.regex.groupindex
        for match in matches:
            if has_span and match.group("span") is not None:
                start, end = match.span("span")
            else:
                start, end = match.span()
            if start == end:
                continue
            if not self._context_ok(rule, text, start, end):
                continue
            fields = self._normalise(rule, match)
            if fields is None:
                continue
            found.append((start, end, rule.priority, rule, fields))
        return found

    def find(self, text: str) -> list[Mention]:
        """Non-overlapping mentions, longest (then highest priority) first, in text order."""
        lowered = text.translate(ASCII_LOWER)
        fold = FOLD_UNSAFE.search(text) is None
        cands = self._candidates(text, lowered, fold)
        low = lowered if fold else None
        cands.sort(key=lambda c: (-(c[1] - c[0]), -c[2], c[0]))
        # Characters already covered by a chosen match: linear in the text, however dense.
        taken = bytearray(len(text))
        chosen = []
        for cand in cands:
            s, e = cand[0], cand[1]
            if taken.find(1, s, e) != -1:
                continue
            taken[s:e] = b"\x01" * (e - s)
            chosen.append(cand)
        chosen.sort(key=lambda c: c[0])
        mentions = []
        for s, e, _prio, rule, fields in chosen:
            s, fields = self._extend_left(text, s, rule, fields)
            # the regex needs the word: lowered (a text without FOLD_UNSAFE characters) shows it
            since = (low is None or "since" in low[max(0, s - 90) : s]) and \
                self._since.search(text[max(0, s - 90) : s]) is not None
            prev = _PREV_WORD.search(text, max(0, s - 20), s)
            mentions.append(
                Mention(
                    start=s,
                    end=e,
                    text=text[s:e],
                    rule_id=rule.id,
                    type=rule.type,
                    kind=rule.kind,
                    fields=fields,
                    tense=self._cues.tense(text, s, e, low),
                    since=since,
                    preceding=prev.group(1).lower() if prev else "",
                    background=_is_background(text, s, e),
                )
            )
        # A left extension may now touch the previous mention; drop such overlaps.
        out: list[Mention] = []
        for m in mentions:
            if out and m.start < out[-1].end:
                continue
            out.append(m)
        return out

    def _extend_left(self, text: str, start: int, rule: Rule, fields: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        window = text[max(0, start - 24) : start]
        if rule.kind in _MODIFIABLE and "mod" not in fields:
            m = self._left_mod.search(window)
            if m:
                key = _SPACES.sub(" ", m.group(1).lower())
                table = self.ruleset.lexicon["mod"]
                mod = table.get(key) or table.get(key.removeprefix("the ")) or table.get(key.rstrip("-"))
                if key in ("earlier", "later") and rule.kind != "unit_this":
                    mod = None  # "earlier Friday": a narrative adverb, not a modifier of the day
                if key in _PHRASE_MODS and not _opens_phrase(text, start - (len(window) - m.start(1))):
                    mod = None  # "shops stay open late in Ramadan": the verb's adverb, not the month's modifier
                if mod:
                    fields = dict(fields, mod=mod, mod_word=key.removeprefix("the "))
                    return start - (len(window) - m.start(1)), fields
        if (rule.type == "DURATION" or rule.kind == "unit_shift") and "mod" not in fields:
            m = self._left_approx.search(window)
            if m:
                key = _SPACES.sub(" ", m.group(1).lower())
                mod = self.ruleset.lexicon["approx"].get(key)
                if mod:
                    fields = dict(fields, mod=mod, mod_word=key.removeprefix("the "))
                    return start - (len(window) - m.start(1)), fields
        return start, fields


#: Modifiers that are one only where they open the phrase ("Late in 1862, the army ...", "and early
#: in 1914"); after another word they are its adverb ("stay open late in Ramadan").
_PHRASE_MODS = frozenset({"early in", "late in"})
_PHRASE_OPENER = re.compile(r"(?:^|[.,;:(\u2014\u2013-]|\b(?:and|but|or|then|until|till|from|by|since|as|only)\s)\s*\Z",
                            re.IGNORECASE)


def _opens_phrase(text: str, at: int) -> bool:
    return bool(_PHRASE_OPENER.search(text, max(0, at - 12), at))


_DEFAULT: MentionFinder | None = None


def find_mentions(text: str, ruleset: RuleSet | None = None) -> list[Mention]:
    """Find the temporal mentions in a text (phase 1; no anchor date needed).

    Examples:
        >>> [m.text for m in find_mentions("Rebels entered the city on Friday night.")]
        ['Friday night']
    """
    global _DEFAULT
    if ruleset is not None:
        return MentionFinder(ruleset).find(text)
    if _DEFAULT is None:
        _DEFAULT = MentionFinder()
    return _DEFAULT.find(text)
