"""Event dating on an annotated dev set, next to two trivial baselines computed in the same run.

Usage: python benchmarks/bench_events.py [--data data/devset] [--misses] [--out benchmarks/results/events.md]

Gold: ``gold.jsonl`` in the data folder, one event per line (doc_id, sentence_contains,
trigger, event_type, date, earliest, latest, fatalities, cumulative, place, classes); see
data/devset/README.md.

Two views:

* **Attachment** (gold events given): each gold trigger's span is anchored by
  ``timeline.anchor_events``; the baselines date it on the publication day, or by the
  nearest time expression of its sentence (the publication day when there is none).
* **End to end** (the event table of ``timeline.build``): gold events found (the same
  trigger in the gold sentence), on the right day, rows right (system rows with the right
  type and day, of all rows of the scored documents), toll errors. Scored by
  ``timeline.evaluation.score_events``.
"""

from __future__ import annotations

import argparse
import json
import warnings
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from timeline import anchor_events, tag
from timeline.evaluation import score_events
from timeline.events.anchor import best_day
from timeline.events.segment import split_sentences
from timeline.ingest import load
from timeline.pipeline import build


def _locate(text: str, g: dict) -> tuple[int, int] | None:
    at = text.find(g["sentence_contains"])
    if at < 0:
        return None
    sentence = next((s for s in split_sentences(text) if s.start <= at < s.end), None)
    lo, hi = (sentence.start, sentence.end) if sentence else (at, at + len(g["sentence_contains"]))
    t = text.lower().find(str(g["trigger"]).lower(), lo, hi)
    return (t, t + len(g["trigger"])) if t >= 0 else None


def _nearest_day(text: str, expressions: list, span: tuple[int, int], dct) -> datetime:
    sentence = next((s for s in split_sentences(text) if s.start <= span[0] < s.end), None)
    pool = [e for e in expressions if e.type in ("DATE", "TIME") and e.earliest is not None
            and sentence is not None and sentence.start <= e.start < sentence.end]
    if not pool:
        return datetime(dct.year, dct.month, dct.day)
    e = min(pool, key=lambda e: abs(e.start - span[0]))
    return datetime(e.earliest.year, e.earliest.month, e.earliest.day)


def attachment(folder: Path, gold: list[dict]) -> dict[str, dict[str, list[int]]]:
    """Right-day counts per class for the system's anchoring and the two baselines, gold events given."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = {a.doc_id: a for a in load(sorted(folder.glob("*.txt")))}
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for g in gold:
        by_doc[g["doc_id"]].append(g)
    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for doc_id, rows in by_doc.items():
        article = articles.get(doc_id)
        if article is None or article.published is None:
            continue
        text, dct = article.text, article.published
        expressions = tag(text, dct=dct)
        located = [(g, _locate(text, g)) for g in rows]
        spans = [span for _, span in located if span is not None]
        anchors = iter(anchor_events(text, spans, dct=dct, expressions=expressions))
        for g, span in located:
            gold_day = datetime.fromisoformat(g["date"])
            days = {"publication day": datetime(dct.year, dct.month, dct.day)}
            if span is not None:
                days["nearest expression"] = _nearest_day(text, expressions, span, dct)
                days["timeline.anchor_events"] = best_day(next(anchors))
            else:
                days["nearest expression"] = days["timeline.anchor_events"] = None
            for system, day in days.items():
                for c in [*g.get("classes", []), "all"]:
                    counts[system][c][0] += 1
                    counts[system][c][1] += int(day == gold_day)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="data/devset", help="folder with the reports and gold.jsonl")
    parser.add_argument("--misses", action="store_true", help="list the gold events not dated right")
    parser.add_argument("--out", help="also write the tables to this markdown file")
    args = parser.parse_args()
    folder = Path(args.data)
    gold = [json.loads(line) for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line]
    lines: list[str] = []
    n_docs = len({g["doc_id"] for g in gold})
    lines.append(f"Dev set `{folder}`: {n_docs} reports, {len(gold)} gold events.\n")
    counts = attachment(folder, gold)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = build(sorted(folder.glob("*.txt")))
    scores = score_events(result.events, gold)
    d = scores.as_dict()
    systems = ["publication day", "nearest expression", "timeline.anchor_events"]
    lines.append("**Right day by class.** Attachment: the gold events given, the day each system gives the "
                 "gold trigger. Table: the event table end to end (the gold event found, with its trigger, "
                 "and dated on the gold day).\n")
    lines.append("| class | gold | " + " | ".join(systems) + " | table (end to end) |")
    lines.append("|---|--:|" + "--:|" * (len(systems) + 1))
    classes = sorted(counts[systems[0]], key=lambda c: (c != "all", -counts[systems[0]][c][0], c))
    for c in classes:
        n = counts[systems[0]][c][0]
        cells = [f"{counts[s][c][1]} ({counts[s][c][1] / n:.0%})" for s in systems]
        table = d["by_class"].get(c, {"right_day": 0})["right_day"]
        lines.append(f"| {c} | {n} | " + " | ".join(cells) + f" | {table} ({table / n:.0%}) |")
    lines.append("\n**End to end** (the event table)\n")
    lines.append("| gold events | found | on the right day | within the gold bounds (of found) | type right (of found) "
                 "| fatalities right | rows right (of system rows) | toll errors | claims right |")
    lines.append("|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    lines.append(f"| {d['gold']} | {d['found']} ({d['recall']:.0%}) | {d['right_day']} ({d['right_day_of_gold']:.0%} "
                 f"of gold) | {d['within_bounds']} ({d['within_bounds_of_found']:.0%}) | {d['right_type']} "
                 f"({d['type_accuracy_of_found']:.0%}) | {d['fatalities_right']} | {d['rows_right']} of "
                 f"{d['system_events']} ({d['rows_right_share']:.0%}) | {d['toll_errors']} | {d['claims_right']} |")
    lines.append(f"\n**Event identity**: {d['same_incident_merged']} of {d['same_incident_pairs']} pairs of gold "
                 "events that are one incident told by two documents (same type, day and place) are in one "
                 f"cluster; {d['false_merges']} pairs of different gold events (another day or type) share a "
                 "cluster.")
    lines.append(f"\nCommand: `python benchmarks/bench_events.py --data {folder}`.")
    text = "\n".join(lines)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    if args.misses:
        for m in scores.misses:
            print(f"- {m['doc_id']}: {m['trigger']!r} gold {m['date']}: {m['why']} ({m.get('time_text')}) "
                  f"[{', '.join(m.get('classes') or [])}] {m.get('notes') if isinstance(m.get('notes'), str) else ''}")


if __name__ == "__main__":
    main()
