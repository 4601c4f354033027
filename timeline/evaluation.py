"""TempEval-3 timex scoring: strict/relaxed span P/R/F1 and type/value accuracy.

Scores follow the official TempEval-3 toolkit (UzZaman et al. 2013), read in
``tools/TE3-evaluation.py`` and ``tools/evaluation-entities/evaluate_entities.py``
(copy in GitHub ``CogComp/cogcomp-nlp``, ``temporal-normalizer/tools/``, the
TE3 toolkit V1.0 by Naushad UzZaman). ``TE3-evaluation.py`` runs the Java
TimeML-Normalizer, which gives a system timex the id of the gold timex it
overlaps, then ``evaluate_entities.py`` counts, per file and summed over all
files (micro average):

* relaxed match: a gold timex whose id is also in the system file, i.e. the
  extents overlap. Strict match: additionally the same text, i.e. identical
  extents.
* recall = matches / all gold timexes; precision = matches / all system
  timexes (the DCT, tid ``t0``, is excluded from both).
* F1 = 2PR/(P+R), 0 when P+R = 0; P (R) is 0 when there are no system (gold)
  timexes. When there are no gold *and* no system timexes at all, the toolkit
  sets strict, relaxed, type and value F1 to 1.
* type and value accuracy = correct attribute / relaxed matches (counted over
  gold timexes; 0 when nothing matched). Attributes compare as exact strings
  (``g.value == s.value``): no case or whitespace normalisation (the toolkit
  only decodes ``&quot;``, which the XML reader here does too).
* attribute F1 ("Attribute F1 Value/Type" in the toolkit's report) =
  attribute accuracy x relaxed F1.

The Java normaliser's tie-breaking is not documented; here matching is
one-to-one: identical extents first, then the largest overlap (ties in document
order), so a system timex never counts for two gold ones.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from timeline.errors import InputError
from timeline.timeml import TimeMLDocument, write_timeml

__all__ = [
    "Scores",
    "Mismatch",
    "TypeScores",
    "EvaluationReport",
    "score_document",
    "evaluate_corpus",
    "corpus_root",
]

MISMATCH_KINDS = ("missed", "spurious", "extent", "type", "value")


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass
class Scores:
    """Timex counts of one document or a corpus, and the TempEval-3 measures.

    Adding two ``Scores`` adds the counts, so a sum over documents gives the
    micro average the toolkit reports.

    Examples:
        >>> s = Scores(gold=4, system=5, strict_matched=2, relaxed_matched=3,
        ...            type_correct=3, value_correct=2)
        >>> round(s.relaxed_precision, 2), round(s.relaxed_recall, 2), round(s.relaxed_f1, 4)
        (0.6, 0.75, 0.6667)
        >>> round(s.value_accuracy, 4), round(s.value_f1, 4)
        (0.6667, 0.4444)
    """

    gold: int = 0
    system: int = 0
    strict_matched: int = 0
    relaxed_matched: int = 0
    type_correct: int = 0
    value_correct: int = 0

    def __add__(self, other: Scores) -> Scores:
        if not isinstance(other, Scores):
            return NotImplemented
        return Scores(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(Scores)))

    def __radd__(self, other: Any) -> Scores:
        if other == 0:  # so that sum(list_of_scores) works
            return self
        return NotImplemented

    @property
    def _empty(self) -> bool:
        return self.gold == 0 and self.system == 0

    @property
    def strict_precision(self) -> float:
        return _ratio(self.strict_matched, self.system)

    @property
    def strict_recall(self) -> float:
        return _ratio(self.strict_matched, self.gold)

    @property
    def strict_f1(self) -> float:
        return 1.0 if self._empty else _f1(self.strict_precision, self.strict_recall)

    @property
    def relaxed_precision(self) -> float:
        return _ratio(self.relaxed_matched, self.system)

    @property
    def relaxed_recall(self) -> float:
        return _ratio(self.relaxed_matched, self.gold)

    @property
    def relaxed_f1(self) -> float:
        return 1.0 if self._empty else _f1(self.relaxed_precision, self.relaxed_recall)

    @property
    def type_accuracy(self) -> float:
        return _ratio(self.type_correct, self.relaxed_matched)

    @property
    def value_accuracy(self) -> float:
        return _ratio(self.value_correct, self.relaxed_matched)

    @property
    def type_f1(self) -> float:
        return 1.0 if self._empty else self.type_accuracy * self.relaxed_f1

    @property
    def value_f1(self) -> float:
        return 1.0 if self._empty else self.value_accuracy * self.relaxed_f1

    def as_dict(self) -> dict[str, float | int]:
        """Counts and every measure, JSON-ready."""
        out: dict[str, float | int] = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in (
            "strict_precision",
            "strict_recall",
            "strict_f1",
            "relaxed_precision",
            "relaxed_recall",
            "relaxed_f1",
            "type_accuracy",
            "value_accuracy",
            "type_f1",
            "value_f1",
        ):
            out[name] = getattr(self, name)
        return out


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One scoring error: a missed or spurious timex, or a wrong extent/type/value.

    ``kind`` is one of ``missed`` (gold not found), ``spurious`` (system timex
    overlapping no gold one), ``extent`` (overlapping, not identical), ``type``
    or ``value`` (relaxed match with a different attribute). A matched pair
    can give several mismatches. Fields of the absent side are None.
    """

    kind: str
    gold_text: str | None = None
    gold_span: tuple[int, int] | None = None
    gold_type: str | None = None
    gold_value: str | None = None
    system_text: str | None = None
    system_span: tuple[int, int] | None = None
    system_type: str | None = None
    system_value: str | None = None


@dataclass
class TypeScores:
    """Recall of the gold timexes of one TIMEX3 type."""

    gold: int = 0
    strict_matched: int = 0
    relaxed_matched: int = 0
    type_correct: int = 0
    value_correct: int = 0

    @property
    def strict_recall(self) -> float:
        return _ratio(self.strict_matched, self.gold)

    @property
    def relaxed_recall(self) -> float:
        return _ratio(self.relaxed_matched, self.gold)

    @property
    def type_accuracy(self) -> float:
        return _ratio(self.type_correct, self.relaxed_matched)

    @property
    def value_accuracy(self) -> float:
        return _ratio(self.value_correct, self.relaxed_matched)


def _match(gold: Sequence[Any], system: Sequence[Any]) -> list[tuple[int, int]]:
    """One-to-one (gold index, system index) pairs: identical extents, then largest overlap."""
    pairs: list[tuple[int, int]] = []
    used_gold: set[int] = set()
    used_system: set[int] = set()
    by_extent: dict[tuple[int, int], list[int]] = {}
    for j, s in enumerate(system):
        by_extent.setdefault((s.start, s.end), []).append(j)
    for i, g in enumerate(gold):
        candidates = by_extent.get((g.start, g.end))
        if candidates:
            j = candidates.pop(0)
            pairs.append((i, j))
            used_gold.add(i)
            used_system.add(j)
    overlaps = []
    for i, g in enumerate(gold):
        if i in used_gold:
            continue
        for j, s in enumerate(system):
            if j in used_system:
                continue
            overlap = min(g.end, s.end) - max(g.start, s.start)
            if overlap > 0:
                overlaps.append((-overlap, i, j))
    for _, i, j in sorted(overlaps):
        if i not in used_gold and j not in used_system:
            pairs.append((i, j))
            used_gold.add(i)
            used_system.add(j)
    return sorted(pairs)


def _text_of(item: Any, text: str | None) -> str | None:
    if text is not None:
        return text[item.start : item.end]
    return getattr(item, "text", None)


def _score(
    gold: Sequence[Any], system: Sequence[Any], text: str | None
) -> tuple[Scores, list[Mismatch], dict[str, TypeScores]]:
    pairs = _match(gold, system)
    scores = Scores(gold=len(gold), system=len(system))
    mismatches: list[Mismatch] = []
    per_type: dict[str, TypeScores] = {}
    for g in gold:
        per_type.setdefault(g.type, TypeScores()).gold += 1

    def gold_fields(g: Any) -> dict[str, Any]:
        return {
            "gold_text": _text_of(g, text),
            "gold_span": (g.start, g.end),
            "gold_type": g.type,
            "gold_value": g.value,
        }

    def system_fields(s: Any) -> dict[str, Any]:
        return {
            "system_text": _text_of(s, text),
            "system_span": (s.start, s.end),
            "system_type": s.type,
            "system_value": s.value,
        }

    matched_gold = dict(pairs)
    matched_system = {j for _, j in pairs}
    for i, g in enumerate(gold):
        if i not in matched_gold:
            mismatches.append(Mismatch("missed", **gold_fields(g)))
            continue
        s = system[matched_gold[i]]
        row = per_type[g.type]
        both = {**gold_fields(g), **system_fields(s)}
        scores.relaxed_matched += 1
        row.relaxed_matched += 1
        if (g.start, g.end) == (s.start, s.end):
            scores.strict_matched += 1
            row.strict_matched += 1
        else:
            mismatches.append(Mismatch("extent", **both))
        if g.type == s.type:
            scores.type_correct += 1
            row.type_correct += 1
        else:
            mismatches.append(Mismatch("type", **both))
        if g.value == s.value:
            scores.value_correct += 1
            row.value_correct += 1
        else:
            mismatches.append(Mismatch("value", **both))
    for j, s in enumerate(system):
        if j not in matched_system:
            mismatches.append(Mismatch("spurious", **system_fields(s)))
    mismatches.sort(key=lambda m: (m.gold_span or m.system_span or (0, 0)))
    return scores, mismatches, per_type


def score_document(
    gold: Sequence[Any], system: Sequence[Any], text: str | None = None
) -> tuple[Scores, list[Mismatch]]:
    """Score one document's system timexes against its gold timexes (TempEval-3).

    ``gold`` and ``system`` are span-like objects with ``start``, ``end``,
    ``type`` and ``value`` (e.g. :class:`~timeline.timeml.GoldTimex`,
    :class:`~timeline.model.TimeExpression`). Mismatch texts come from
    ``text`` when given, else from the objects' ``text`` attribute.

    Examples:
        >>> from timeline.timeml import GoldTimex
        >>> gold = [GoldTimex("t1", 0, 9, "last week", "DATE", "2024-W47")]
        >>> system = [GoldTimex("s1", 5, 9, "week", "DATE", "2024-W48")]
        >>> scores, mismatches = score_document(gold, system)
        >>> scores.strict_f1, scores.relaxed_f1, scores.value_accuracy
        (0.0, 1.0, 0.0)
        >>> [m.kind for m in mismatches]
        ['extent', 'value']
    """
    scores, mismatches, _ = _score(gold, system, text)
    return scores, mismatches


@dataclass
class EvaluationReport:
    """Scores of a corpus: the micro-averaged total, per document, and every mismatch."""

    total: Scores = field(default_factory=Scores)
    per_document: dict[str, Scores] = field(default_factory=dict)
    mismatches: list[tuple[str, Mismatch]] = field(default_factory=list)
    type_scores: dict[str, TypeScores] = field(default_factory=dict)

    def per_type(self) -> dict[str, TypeScores]:
        """Recall and attribute accuracy broken down by gold TIMEX3 type."""
        return dict(sorted(self.type_scores.items()))

    def format_table(self) -> str:
        """A plain-text table of the TempEval-3 measures (percentages) and counts."""
        t = self.total

        def pct(x: float) -> str:
            return f"{100 * x:>9.2f}"

        lines = [
            f"TempEval-3 timex scores, {len(self.per_document)} documents",
            f"{'':10}{'P':>9}{'R':>9}{'F1':>9}",
            f"{'strict':10}{pct(t.strict_precision)}{pct(t.strict_recall)}{pct(t.strict_f1)}",
            f"{'relaxed':10}{pct(t.relaxed_precision)}{pct(t.relaxed_recall)}{pct(t.relaxed_f1)}",
            "",
            f"{'':10}{'accuracy':>9}{'F1':>9}",
            f"{'type':10}{pct(t.type_accuracy)}{pct(t.type_f1)}",
            f"{'value':10}{pct(t.value_accuracy)}{pct(t.value_f1)}",
            "",
            f"gold {t.gold}, system {t.system}, strict matched {t.strict_matched}, "
            f"relaxed matched {t.relaxed_matched}, type correct {t.type_correct}, "
            f"value correct {t.value_correct}",
        ]
        per_type = self.per_type()
        if per_type:
            lines += ["", f"{'gold type':10}{'gold':>9}{'strict R':>9}{'relaxed R':>10}{'value acc':>10}"]
            for name, row in per_type.items():
                lines.append(
                    f"{name:10}{row.gold:>9}{pct(row.strict_recall)}{pct(row.relaxed_recall):>10}"
                    f"{pct(row.value_accuracy):>10}"
                )
        return "\n".join(lines)


def _file_key(path: str) -> str:
    """File name without a .tml/.xml suffix: what pairs gold and system files."""
    name = Path(path).name
    for suffix in (".tml", ".xml"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def _output_name(doc: TimeMLDocument) -> str:
    return f"{_file_key(doc.path) if doc.path else doc.doc_id}.tml"


def evaluate_corpus(
    docs: Sequence[TimeMLDocument],
    tagger: Callable[[str, date | None], Sequence[Any]] | None = None,
    system_docs: Sequence[TimeMLDocument] | None = None,
    out_dir: str | Path | None = None,
) -> EvaluationReport:
    """Score a tagger, or a folder of system TimeML files, against gold documents.

    Give exactly one of ``tagger`` (called as ``tagger(doc.text, doc.dct)`` on
    every gold document) or ``system_docs`` (paired with the gold documents by
    file name without suffix, else by doc_id; each must have the gold text).
    With a tagger, ``out_dir`` receives its output as one TimeML file per
    document, named like the gold file (``.tml``), so that it can be scored
    again with ``system_docs`` or by the official toolkit.

    Raises:
        InputError: not exactly one of tagger/system_docs, out_dir without a
            tagger, duplicate document names, a gold document without a system
            document, or a system text that differs from the gold text.
    """
    if (tagger is None) == (system_docs is None):
        raise InputError("evaluate_corpus: give exactly one of tagger= or system_docs=")
    if out_dir is not None and tagger is None:
        raise InputError("evaluate_corpus: out_dir= writes tagger output, so it needs tagger=")

    report = EvaluationReport()
    seen: dict[str, str] = {}
    for doc in docs:
        if doc.doc_id in seen:
            raise InputError(f"{doc.path}: document id {doc.doc_id!r} already used by {seen[doc.doc_id]}")
        seen[doc.doc_id] = doc.path

    system_index: dict[str, TimeMLDocument] = {}
    if system_docs is not None:
        for sdoc in system_docs:
            system_index.setdefault(_file_key(sdoc.path), sdoc)
        for sdoc in system_docs:
            system_index.setdefault(sdoc.doc_id, sdoc)
    if out_dir is not None:
        out_dir = Path(out_dir)
        names: dict[str, str] = {}
        for doc in docs:
            name = _output_name(doc)
            if name in names:
                raise InputError(f"{doc.path}: output file name {name} already used by {names[name]}")
            names[name] = doc.path

    for doc in docs:
        if tagger is not None:
            system: Sequence[Any] = list(tagger(doc.text, doc.dct))
            if out_dir is not None:
                write_timeml(out_dir / _output_name(doc), doc.doc_id, doc.text, doc.dct, system)
        else:
            found = system_index.get(_file_key(doc.path)) or system_index.get(doc.doc_id)
            if found is None:
                raise InputError(f"{doc.path}: no system document named {_file_key(doc.path)} "
                                 f"or with id {doc.doc_id!r}")
            sdoc = found
            if sdoc.text != doc.text:
                at = next(
                    (k for k, (a, b) in enumerate(zip(doc.text, sdoc.text)) if a != b),
                    min(len(doc.text), len(sdoc.text)),
                )
                raise InputError(
                    f"{sdoc.path}: text differs from gold {doc.path} at offset {at}; "
                    "the system may only add TIMEX3 tags"
                )
            system = sdoc.timexes
        scores, mismatches, per_type = _score(doc.timexes, system, doc.text)
        report.per_document[doc.doc_id] = scores
        report.total = report.total + scores
        report.mismatches.extend((doc.doc_id, m) for m in mismatches)
        for name, row in per_type.items():
            total_row = report.type_scores.setdefault(name, TypeScores())
            for f in fields(TypeScores):
                setattr(total_row, f.name, getattr(total_row, f.name) + getattr(row, f.name))
    return report


def corpus_root() -> Path:
    """Folder of the annotated corpora: ``$TIMELINE_CORPORA``, else ``<repo>/../shared/corpora``."""
    configured = os.environ.get("TIMELINE_CORPORA")
    if configured:
        return Path(configured).expanduser().resolve()
    repository = Path(__file__).resolve().parent.parent
    return (repository / ".." / "shared" / "corpora").resolve()


# ---------------------------------------------------------------------------
# Event dating against a gold event list (data/devset/gold.jsonl)


@dataclass
class EventScores:
    """How many gold events were found, and how many landed on the right day.

    A gold event is *found* when a system event of the same document comes from
    the sentence containing ``sentence_contains`` and names the gold trigger: the
    same words (case-insensitive), a trigger sharing a word stem with it
    ("captured" / "capture"), or another word of the same phrase with the gold type
    ("clashes erupted": within 30 characters). Each system row matches at most one
    gold event.
    ``found_in_sentence`` also counts a gold event matched by any other unused
    event of its sentence (the lenient figure of earlier versions).

    *Rows right* is the share of system rows in the scored documents that match a
    gold event with the right type and day: the precision a user of the table sees.
    A *toll error* is a cumulative gold tally read as one incident's deaths, or a
    single incident's toll marked cumulative; *claims right* counts the gold tolls found
    whose status (a party's claim or an independent count) the table gets right.
    """

    gold: int = 0
    found: int = 0
    found_in_sentence: int = 0
    right_day: int = 0
    within_bounds: int = 0
    right_type: int = 0
    right_fatalities: int = 0
    gold_with_fatalities: int = 0
    system: int = 0
    system_in_gold_sentences: int = 0
    rows_right: int = 0
    toll_errors: int = 0
    claims_right: int = 0  # gold tolls found whose claim / independent status is right
    tolls_found: int = 0
    by_class: dict[str, list[int]] = field(default_factory=dict)  # class -> [gold, right day]
    misses: list[dict[str, Any]] = field(default_factory=list)
    #: Event identity: pairs of gold events in different documents with the same type, day and place
    #: (one incident told twice), how many of them the table puts in one cluster, and pairs of
    #: different gold events (another day or type) that the table merged.
    same_incident_pairs: int = 0
    same_incident_merged: int = 0
    false_merges: int = 0

    def as_dict(self) -> dict[str, Any]:
        """Counts and rates, JSON-ready."""
        rate = lambda n, d: round(n / d, 4) if d else 0.0  # noqa: E731
        return {
            "gold": self.gold, "found": self.found, "found_in_sentence": self.found_in_sentence,
            "right_day": self.right_day,
            "within_bounds": self.within_bounds, "right_type": self.right_type,
            "recall": rate(self.found, self.gold),
            "right_day_of_gold": rate(self.right_day, self.gold),
            "right_day_of_found": rate(self.right_day, self.found),
            "within_bounds_of_found": rate(self.within_bounds, self.found),
            "type_accuracy_of_found": rate(self.right_type, self.found),
            "fatalities_right": f"{self.right_fatalities}/{self.gold_with_fatalities}",
            "system_events": self.system,
            "system_events_in_gold_sentences": self.system_in_gold_sentences,
            "rows_right": self.rows_right,
            "rows_right_share": rate(self.rows_right, self.system),
            "toll_errors": self.toll_errors,
            "claims_right": f"{self.claims_right}/{self.tolls_found}",
            "same_incident_pairs": self.same_incident_pairs, "same_incident_merged": self.same_incident_merged,
            "false_merges": self.false_merges,
            "by_class": {k: {"gold": v[0], "right_day": v[1], "share": rate(v[1], v[0])}
                         for k, v in sorted(self.by_class.items())},
        }


_STEM = re.compile(r"[a-z]+")
#: How far apart (characters) two words naming one event may be: "clashes erupted", "the truce took effect".
_NEAR = 30


def _stems(trigger: str) -> set[str]:
    """Word stems of a trigger: the first five letters of each word of four letters or more."""
    return {w[:5] for w in _STEM.findall(trigger.lower()) if len(w) >= 4}


def _match_gold(in_sentence: Any, g: dict[str, Any], used: set[Any]) -> tuple[Any, str]:
    """The system row for gold event ``g`` among its sentence's rows, and how it matched."""
    free = in_sentence[~in_sentence["event_id"].isin(used)]
    if free.empty:
        return None, "none"
    trigger = str(g["trigger"]).lower()
    exact = free[free["trigger"].str.lower() == trigger]
    if not exact.empty:
        return exact.iloc[0], "trigger"
    stems = _stems(trigger)
    related = free[[bool(stems & _stems(str(t))) for t in free["trigger"]]]
    if not related.empty:
        return related.iloc[0], "trigger"
    # the same event named by another word of its phrase ("clashes erupted", "the ceasefire took
    # effect"): same type, trigger within a few words of the gold trigger
    near = []
    for idx, r in free.iterrows():
        text = str(r["sentence"])
        at_gold = text.lower().find(trigger)
        at_sys = text.lower().find(str(r["trigger"]).lower())
        if at_gold >= 0 and at_sys >= 0 and abs(at_gold - at_sys) <= _NEAR and str(r["event_type"]) == g["event_type"]:
            near.append((abs(at_gold - at_sys), idx))
    if near:
        return free.loc[min(near)[1]], "trigger"
    return free.iloc[0], "sentence"


def score_events(events: Any, gold_rows: Sequence[dict[str, Any]]) -> EventScores:
    """Score an events DataFrame (from :func:`timeline.build`) against gold event rows.

    Only the documents that have gold rows are scored (``system`` counts their rows).
    """
    import pandas as pd

    docs = {g["doc_id"] for g in gold_rows}
    events = events[events["doc_id"].isin(docs)]
    scores = EventScores(gold=len(gold_rows), system=len(events))
    used: set[Any] = set()
    clusters: dict[int, Any] = {}  # gold index -> cluster of its row
    good_rows: set[Any] = set()
    gold_sentences: set[tuple[str, int]] = set()
    # exact trigger matches first, so a lenient match never steals another gold event's row
    order = sorted(range(len(gold_rows)), key=lambda i: 0 if _has_exact(events, gold_rows[i]) else 1)
    for i in order:
        g = gold_rows[i]
        doc = events[events["doc_id"] == g["doc_id"]]
        in_sentence = doc[doc["sentence"].str.contains(g["sentence_contains"], regex=False)]
        for _, row in in_sentence.iterrows():
            gold_sentences.add((row["doc_id"], int(row["sentence_index"])))
        classes = list(g.get("classes") or []) + ["all"]
        for c in classes:
            scores.by_class.setdefault(c, [0, 0])[0] += 1
        row, how = _match_gold(in_sentence, g, used)
        if row is None:
            scores.misses.append({**g, "why": "not found"})
            continue
        used.add(row["event_id"])
        scores.found_in_sentence += 1
        if how != "trigger":
            scores.misses.append({**g, "why": f"not found (nearest event in the sentence: {row['trigger']!r})"})
            continue
        scores.found += 1
        if "cluster_id" in row.index and pd.notna(row["cluster_id"]):
            clusters[i] = row["cluster_id"]
        day = row["date"]
        gold_day = pd.Timestamp(g["date"])
        right_day = bool(pd.notna(day) and day == gold_day)
        if right_day:
            scores.right_day += 1
            for c in classes:
                scores.by_class[c][1] += 1
        else:
            scores.misses.append({**g, "why": f"dated {day.date() if pd.notna(day) else None}",
                                  "system_trigger": row["trigger"], "time_text": row["time_text"],
                                  "notes": row.get("notes")})
        if pd.notna(day) and pd.Timestamp(g["earliest"]) <= day <= pd.Timestamp(g["latest"]):
            scores.within_bounds += 1
        right_type = str(row["event_type"]) == g["event_type"]
        scores.right_type += right_type
        if right_day and right_type:
            good_rows.add(row["event_id"])
        if g.get("fatalities") is not None:
            scores.gold_with_fatalities += 1
            if pd.notna(row["fatalities"]) and int(row["fatalities"]) == int(g["fatalities"]):
                scores.right_fatalities += 1
        if g.get("fatalities") is not None and "claimant" in g:
            scores.tolls_found += 1
            scores.claims_right += int(pd.isna(row.get("claimant")) == (g.get("claimant") is None))
        cumulative = bool(row["cumulative"]) if pd.notna(row["cumulative"]) else False
        if pd.notna(row["fatalities"]) and g.get("fatalities") is not None and cumulative != bool(g.get("cumulative")):
            scores.toll_errors += 1
    scores.rows_right = len(good_rows)
    _score_identity(scores, gold_rows, clusters)
    scores.system_in_gold_sentences = sum(
        1 for _, r in events.iterrows() if (r["doc_id"], int(r["sentence_index"])) in gold_sentences
    )
    return scores


def _score_identity(scores: EventScores, gold_rows: Sequence[dict[str, Any]], clusters: dict[int, Any]) -> None:
    """Same-incident pairs across documents merged, and different events merged, by cluster."""
    def key(g: dict[str, Any]) -> tuple[str, str, str] | None:
        place = str(g.get("place") or "").strip().lower()
        return (g["event_type"], g["date"], place) if place else None

    by_key: dict[tuple[str, str, str], list[int]] = {}
    for i, g in enumerate(gold_rows):
        k = key(g)
        if k is not None:
            by_key.setdefault(k, []).append(i)
    for members in by_key.values():
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                i, j = members[a], members[b]
                if gold_rows[i]["doc_id"] == gold_rows[j]["doc_id"]:
                    continue
                scores.same_incident_pairs += 1
                scores.same_incident_merged += int(i in clusters and clusters.get(i) == clusters.get(j))
    by_cluster: dict[Any, list[int]] = {}
    for i, c in clusters.items():
        by_cluster.setdefault(c, []).append(i)
    for members in by_cluster.values():
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                gi, gj = gold_rows[members[a]], gold_rows[members[b]]
                if gi["date"] != gj["date"] or gi["event_type"] != gj["event_type"]:
                    scores.false_merges += 1


def _has_exact(events: Any, g: dict[str, Any]) -> bool:
    doc = events[events["doc_id"] == g["doc_id"]]
    rows = doc[doc["sentence"].str.contains(g["sentence_contains"], regex=False)]
    return bool((rows["trigger"].str.lower() == str(g["trigger"]).lower()).any())
