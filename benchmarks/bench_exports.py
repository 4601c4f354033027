"""Export cost as the event table grows: to_acled and to_timelinejs at 1k, 10k and 100k events.

The events are the shipped data's (``data/000_43342442af48aa1c.txt`` and ``data/escalation``,
212 events), repeated with distinct doc_ids, event_ids and cluster_ids and shifted by one week
per copy, so every copy keeps its clusters and the table covers a growing span of dates. Each
size is timed side by side in one run (CPU seconds, best of ``--repeat``); linear cost gives a
flat cost per 1,000 events and a per-event ratio near 1 between sizes, while a super-linear one
shows as a ratio above 1.

``--module`` times another implementation with the same functions (e.g. a copy of the old
one-group-at-a-time module) for a before/after comparison.

Usage: python benchmarks/bench_exports.py [--sizes 1000,10000,100000] [--repeat 3]
       [--module timeline.exports] [--output results/exports.md]
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
DATA = HERE.parent / "data"

from _common import command_line, machine_notes, write_result  # noqa: E402

_ID_COLUMNS = ("doc_id", "event_id", "cluster_id")
_DATE_COLUMNS = ("published", "date", "start", "end")


def shipped_events() -> pd.DataFrame:
    from timeline.pipeline import build

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build([DATA / "000_43342442af48aa1c.txt", DATA / "escalation"]).events


def grown(base: pd.DataFrame, n: int) -> pd.DataFrame:
    """``n`` events: copies of ``base`` with distinct ids, copy k shifted by k weeks."""
    copies = -(-n // len(base))
    parts = []
    for k in range(copies):
        part = base.copy()
        for name in _ID_COLUMNS:
            part[name] = (part[name].astype("string") + f"~{k}").astype(base[name].dtype)
        shift = pd.Timedelta(weeks=k)
        for name in _DATE_COLUMNS:
            part[name] = part[name] + shift
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True).iloc[:n]
    return frame.sort_values("date", kind="stable", na_position="last").reset_index(drop=True)


def best_cpu(fn: Callable[[], Any], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000", help="event counts, comma-separated")
    ap.add_argument("--repeat", type=int, default=3, help="timings per size (best is kept; 1 above 20,000 events)")
    ap.add_argument("--module", default="timeline.exports", help="module with to_acled and to_timelinejs")
    ap.add_argument("--output", default=str(HERE / "results" / "exports.md"), help="'-' prints only")
    args = ap.parse_args()
    exports = importlib.import_module(args.module)
    base = shipped_events()
    exports.to_acled(base)          # warm-up: actor lexicon, country table, gazetteer
    exports.to_timelinejs(base)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for n in sizes:
        events = grown(base, n)
        repeats = args.repeat if n <= 20_000 else 1
        acled_s = best_cpu(lambda events=events: exports.to_acled(events), repeats)
        tj_s = best_cpu(lambda events=events: exports.to_timelinejs(events), repeats)
        n_rows = len(exports.to_acled(events)) if n <= 20_000 else None
        rows.append((n, acled_s, tj_s, n_rows))
        print(f"{n:,} events: to_acled {acled_s:.2f} s, to_timelinejs {tj_s:.2f} s", flush=True)
    lines = ["| events | to_acled CPU s | per 1k events | ratio per event | to_timelinejs CPU s | per 1k events "
             "| ratio per event |", "|--:|--:|--:|--:|--:|--:|--:|"]
    prev: tuple[int, float, float] | None = None
    for n, a, t, _ in rows:
        ra = f"{(a / n) / (prev[1] / prev[0]):.2f}" if prev else "–"
        rt = f"{(t / n) / (prev[2] / prev[0]):.2f}" if prev else "–"
        lines.append(f"| {n:,} | {a:.3f} | {a / n * 1000:.3f} | {ra} | {t:.3f} | {t / n * 1000:.3f} | {rt} |")
        prev = (n, a, t)
    table = "\n".join(lines)
    print(table)
    if args.output == "-":
        return
    text = "\n".join([
        "# Exports: cost as the event table grows", "",
        f"Command: `{command_line()}`", "",
        *machine_notes()[:4],
        f"- module timed: `{args.module}`; events: the shipped data's {len(base)} events repeated with distinct "
        "ids and shifted one week per copy; CPU seconds (`time.process_time`), best of "
        f"{args.repeat} up to 20,000 events, one run above", "",
        "'ratio per event' is the cost per event at this size over the cost per event at the previous size: "
        "about 1 for linear cost, above 1 when the cost grows faster than the table.", "",
        table, "",
    ])
    print(f"wrote {write_result(Path(args.output), text)}")


if __name__ == "__main__":
    main()
