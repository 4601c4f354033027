"""Start-up: a fresh process's first place lookup and first one-sentence build, with and without the gazetteer cache.

Each measurement is a new interpreter (``sys.executable -c ...``), so nothing is warm
but the operating system's file cache. Two tasks: ``import timeline`` and a first
``find_places`` (the gazetteer index is needed), and ``import timeline`` and a
``timeline.build`` of a one-sentence file. Three cache states, side by side in one
run, interleaved repetition by repetition so that machine load hits them alike:

- off: ``TIMELINE_CACHE_DIR=off``, the index is built in memory (the behaviour before the cache);
- first run: an empty cache folder, the index is built and written;
- second run: the folder the first run filled, the index is read back.

Reported: the median over the repetitions of the time from before ``import timeline`` to the
end of the task (in the child), of the whole process's wall time (interpreter start and
exit included, measured by the parent), and of the child's peak RSS.

Usage: python benchmarks/bench_startup.py [--repeat 5] [--output results/startup.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import command_line, write_result  # noqa: E402

SENTENCE = "BEIRUT, Dec 2 (Reuters) - Rebels entered Aleppo on Friday, a war monitor said."
#: Child programs; each prints: seconds from before ``import timeline`` to the end, peak RSS (KiB), a check value.
TASKS = {
    "import + first find_places": (
        "import time, resource; t0 = time.perf_counter()\n"
        "import timeline\n"
        "from timeline.events.places import find_places\n"
        "found = [p.name for p in find_places({sentence!r})]\n"
        "t1 = time.perf_counter()\n"
        "print(t1 - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, ','.join(found))\n"
    ),
    "import + timeline.build (1 sentence)": (
        "import time, resource, warnings; warnings.simplefilter('ignore'); t0 = time.perf_counter()\n"
        "import timeline\n"
        "t = timeline.build({path!r}, dct='2024-12-02')\n"
        "t1 = time.perf_counter()\n"
        "print(t1 - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
        "','.join(sorted(set(t.events['location'].dropna().astype(str)))))\n"
    ),
}
STATES = ("off", "first run", "second run")


def run_child(code: str, cache: str) -> tuple[float, float, float, str]:
    """(in-child seconds, process wall seconds, peak RSS MiB, check value) of one fresh process."""
    env = {k: v for k, v in os.environ.items() if k not in ("TIMELINE_NO_CACHE", "TIMELINE_CACHE_DIR")}
    env["TIMELINE_CACHE_DIR"] = cache
    env.setdefault("MPLBACKEND", "Agg")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0 or done.stdout.strip() == "":
        sys.exit(f"child failed ({done.returncode}):\n{done.stderr}")
    seconds, rss_kib, check = (done.stdout.strip().splitlines()[-1].split(" ", 2) + [""])[:3]
    return float(seconds), wall, int(rss_kib) / 1024, check


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5, help="fresh processes per task and cache state (median)")
    ap.add_argument("--output", default=str(HERE / "results" / "startup.md"))
    args = ap.parse_args()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    samples: dict[tuple[str, str], list[tuple[float, float, float, str]]] = {}
    with tempfile.TemporaryDirectory(prefix="timeline-startup-") as tmp:
        story = Path(tmp) / "story.txt"
        story.write_text(SENTENCE + "\n", encoding="utf-8")
        for rep in range(args.repeat):
            for number, (task, template) in enumerate(TASKS.items()):
                code = template.format(sentence=SENTENCE, path=str(story))
                folder = Path(tmp) / f"cache-{rep}-{number}"  # empty: the first run fills it
                if folder.exists():
                    sys.exit(f"{folder} is not a new folder")
                for state in STATES:
                    cache = "off" if state == "off" else str(folder)
                    result = run_child(code, cache)
                    samples.setdefault((task, state), []).append(result)
                    print(f"[{rep + 1}/{args.repeat}] {task}, {state}: {result[0]:.2f} s in the child, "
                          f"{result[1]:.2f} s process, {result[2]:.0f} MiB", flush=True)
                files = sorted(folder.glob("gazetteer-*.marshal"))
                if len(files) != 1:
                    sys.exit(f"expected one cache file in {folder}, found {files}")
                cache_mib = files[0].stat().st_size / 2**20

    lines = ["# Start-up: the gazetteer cache", "",
             f"Command: `{command_line()}`", "",
             f"- date: {datetime.now().strftime('%Y-%m-%d %H:%M')}; {platform.machine()}, {os.cpu_count()} logical "
             f"CPUs, load average at start {load}; Python {platform.python_version()}",
             f"- each cell: the median of {args.repeat} fresh processes (`sys.executable -c`), the three cache "
             "states interleaved; \"in the child\" runs from before `import timeline` to the end of the task, "
             "\"process\" is the parent's wall time of the whole process (interpreter start and exit included)",
             f"- off: `TIMELINE_CACHE_DIR=off` (build in memory); first run: empty cache folder (build and write); "
             f"second run: the filled folder (read back); cache file {cache_mib:.1f} MiB",
             f"- input: \"{SENTENCE}\" (the build: a one-line .txt file, `dct='2024-12-02'`)", "",
             "| task | cache | s in the child | s process | against off (child) | peak RSS MiB | places found |",
             "|---|---|--:|--:|--:|--:|---|"]
    for task in TASKS:
        off = statistics.median(s[0] for s in samples[(task, "off")])
        for state in STATES:
            rows = samples[(task, state)]
            child = statistics.median(s[0] for s in rows)
            wall = statistics.median(s[1] for s in rows)
            rss = statistics.median(s[2] for s in rows)
            checks = sorted({s[3] for s in rows})
            lines.append(f"| {task} | {state} | {child:.2f} | {wall:.2f} | {child / off:.2f} | {rss:.0f} | "
                         f"{'; '.join(checks)} |")
    table = "\n".join(lines) + "\n"
    print()
    print(table)
    print(f"(written to {write_result(Path(args.output), table)})")


if __name__ == "__main__":
    main()
