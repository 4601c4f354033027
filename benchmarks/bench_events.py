"""Event dating on an annotated dev set: how many gold events land on the right day.

Usage: python benchmarks/bench_events.py [--data data/devset] [--misses]

Gold: ``gold.jsonl`` in the data folder, one event per line (doc_id, sentence_contains,
trigger, event_type, date, earliest, latest, fatalities, cumulative); see
data/devset/README.md. Scored by ``timeline.evaluation.score_events``.
"""

from __future__ import annotations

import argparse
import json
import warnings
from pathlib import Path

from timeline.evaluation import score_events
from timeline.pipeline import build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="data/devset", help="folder with the reports and gold.jsonl")
    parser.add_argument("--misses", action="store_true", help="list the gold events not dated right")
    args = parser.parse_args()
    folder = Path(args.data)
    gold = [json.loads(line) for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line]
    reports = sorted(p for p in folder.iterdir() if p.suffix == ".txt")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = build(reports)
    scores = score_events(result.events, gold)
    d = scores.as_dict()
    print(f"| gold events | found | on the right day | within the gold bounds (of found) | type right (of found) | fatalities right |")
    print("|--:|--:|--:|--:|--:|--:|")
    print(f"| {d['gold']} | {d['found']} ({d['recall']:.0%}) | {d['right_day']} ({d['right_day_of_gold']:.0%} of gold) "
          f"| {d['within_bounds']} ({d['within_bounds_of_found']:.0%}) | {d['right_type']} ({d['type_accuracy_of_found']:.0%}) "
          f"| {d['fatalities_right']} |")
    print(f"\nsystem events: {d['system_events']} ({d['system_events_in_gold_sentences']} in sentences that hold a gold event)")
    if args.misses:
        for m in scores.misses:
            print(f"- {m['doc_id']}: {m['trigger']!r} gold {m['date']}: {m['why']} ({m.get('time_text')})")


if __name__ == "__main__":
    main()
