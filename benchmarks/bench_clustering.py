"""Clustering cost as the table grows: 10,000 -> 40,000 synthetic events, side by side in one run.

Usage: python benchmarks/bench_clustering.py

Linear cost gives a ratio near 4; comparing all pairs inside a (type, place, day) block gives
about 16. The synthetic rows (tests/test_clustering.py: many places and days, vague rows,
tallies, one crowded block of 10% of the rows) are the test suite's own.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from test_clustering import synthetic_events  # noqa: E402

from timeline.table import cluster_events  # noqa: E402


def best_time(n: int, seed: int, repeats: int = 3) -> float:
    events = synthetic_events(n, seed=seed)
    best = float("inf")
    for _ in range(repeats):
        t0 = time.process_time()
        cluster_events(events)
        best = min(best, time.process_time() - t0)
    return best


def main() -> None:
    best_time(2_000, 0, 1)  # warm-up
    sizes = [10_000, 20_000, 40_000]
    times = {n: best_time(n, seed=i + 1) for i, n in enumerate(sizes)}
    print("| events | CPU s | per 10,000 events |")
    print("|--:|--:|--:|")
    for n, t in times.items():
        print(f"| {n:,} | {t:.2f} | {t / n * 10_000:.2f} |")
    print(f"\n40,000 / 10,000 cost ratio: {times[40_000] / times[10_000]:.1f} (linear: 4)")


if __name__ == "__main__":
    main()
