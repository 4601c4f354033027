"""Start-up: a fresh process's first place lookup and first one-sentence build, with and without the gazetteer cache.

Each measurement is a new interpreter (``sys.executable -c ...``), so nothing is warm
but the operating system's file cache. Two tasks: ``import timeline`` and a first
``find_places`` (the gazetteer index is needed), and ``import timeline`` and a
``timeline.build`` of a one-sentence file. Three cache states, side by side in one
run, interleaved repetition by repetition so that machine load hits them alike:

- off: ``TIMELINE_CACHE_DIR=off``, the index is built in memory (the behaviour before the cache);
- first run: an empty cache folder, the index is built and written;
- second run: the folder the first run filled, the index is read back.

The cache folder holds the gazetteer's index and the rule files' parsed data and compiled
patterns (``timeline/_startcache.py``); each state applies to all of them.

Bytecode: with ``--bytecode on`` (the default) the children run as Python does by default, writing
and reading ``__pycache__``, after one warm-up process: the state of any run after the first, and
of an installed package (pip compiles it). ``--bytecode as-is`` passes this process's environment
unchanged (with ``PYTHONDONTWRITEBYTECODE=1`` timeline's own modules are then compiled from source
in every process). ``--baseline DIR`` also runs the same tasks with the ``timeline`` of another
source tree (``PYTHONPATH=DIR``, e.g. ``git worktree add /tmp/base HEAD~3``), interleaved with this
one, for a same-run comparison.

Reported: the median over the repetitions of the time from before ``import timeline`` to the
end of the task (in the child), of the whole process's wall time (interpreter start and
exit included, measured by the parent), and of the child's peak RSS.

Usage: python benchmarks/bench_startup.py [--repeat 5] [--bytecode on|as-is] [--baseline DIR]
[--output results/startup.md]
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


def child_env(cache: str, bytecode: str, tree: str | None) -> dict[str, str]:
    """The environment of a child: this one, with the cache folder, the bytecode setting and the
    source tree (None: the installed timeline) of the run."""
    env = {k: v for k, v in os.environ.items() if k not in ("TIMELINE_NO_CACHE", "TIMELINE_CACHE_DIR")}
    env["TIMELINE_CACHE_DIR"] = cache
    env.setdefault("MPLBACKEND", "Agg")
    if bytecode == "on":
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    if tree is not None:
        env["PYTHONPATH"] = os.pathsep.join([tree, *filter(None, [env.get("PYTHONPATH")])])
    return env


def run_child(code: str, cache: str, bytecode: str = "on",
              tree: str | None = None) -> tuple[float, float, float, str]:
    """(in-child seconds, process wall seconds, peak RSS MiB, check value) of one fresh process."""
    env = child_env(cache, bytecode, tree)
    started = time.perf_counter()
    # run outside the repository: `-c` puts the working folder first on sys.path, and that would
    # shadow both the installed package and a --baseline tree
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False,
                          cwd=tempfile.gettempdir())
    wall = time.perf_counter() - started
    if done.returncode != 0 or done.stdout.strip() == "":
        sys.exit(f"child failed ({done.returncode}):\n{done.stderr}")
    seconds, rss_kib, check = (done.stdout.strip().splitlines()[-1].split(" ", 2) + [""])[:3]
    return float(seconds), wall, int(rss_kib) / 1024, check


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5, help="fresh processes per task and cache state (median)")
    ap.add_argument("--bytecode", choices=("on", "as-is"), default="on",
                    help="on: the children write and read __pycache__ (after a warm-up process); "
                         "as-is: this environment unchanged")
    ap.add_argument("--baseline", metavar="DIR", help="also run the timeline of this source tree, interleaved")
    ap.add_argument("--output", default=str(HERE / "results" / "startup.md"))
    args = ap.parse_args()
    trees: dict[str, str | None] = {"this tree": None}
    if args.baseline:
        trees[f"baseline {args.baseline}"] = str(Path(args.baseline).resolve())
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    samples: dict[tuple[str, str, str], list[tuple[float, float, float, str]]] = {}
    cache_mib: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="timeline-startup-") as tmp:
        story = Path(tmp) / "story.txt"
        story.write_text(SENTENCE + "\n", encoding="utf-8")
        for label, tree in trees.items():  # warm-up: bytecode written (with --bytecode on), files in the OS cache
            imported = subprocess.run([sys.executable, "-c", "import timeline; print(timeline.__file__)"],
                                      env=child_env("off", args.bytecode, tree), capture_output=True, text=True,
                                      check=True, cwd=tempfile.gettempdir()).stdout.strip()
            expected = Path(tree) if tree is not None else HERE.parent
            if not Path(imported).resolve().is_relative_to(expected.resolve()):
                sys.exit(f"{label}: the children import {imported}, not the timeline of {expected}")
            for template in TASKS.values():
                run_child(template.format(sentence=SENTENCE, path=str(story)), "off", args.bytecode, tree)
        for rep in range(args.repeat):
            for number, (task, template) in enumerate(TASKS.items()):
                code = template.format(sentence=SENTENCE, path=str(story))
                for t, (label, tree) in enumerate(trees.items()):
                    folder = Path(tmp) / f"cache-{rep}-{number}-{t}"  # empty: the first run fills it
                    if folder.exists():
                        sys.exit(f"{folder} is not a new folder")
                    for state in STATES:
                        cache = "off" if state == "off" else str(folder)
                        result = run_child(code, cache, args.bytecode, tree)
                        samples.setdefault((label, task, state), []).append(result)
                        print(f"[{rep + 1}/{args.repeat}] {label}, {task}, {state}: {result[0]:.2f} s in the "
                              f"child, {result[1]:.2f} s process, {result[2]:.0f} MiB", flush=True)
                    files = sorted(folder.glob("gazetteer-*.marshal"))
                    if len(files) != 1:
                        sys.exit(f"expected one gazetteer cache file in {folder}, found {files}")
                    for kind in ("gazetteer", "regex", "yaml"):
                        for f in folder.glob(f"{kind}-*.marshal"):
                            cache_mib[kind] = f.stat().st_size / 2**20

    files = ", ".join(f"{kind} {mib:.1f} MiB" for kind, mib in cache_mib.items())
    bytecode = ("on: the children write and read `__pycache__` (as Python does by default; one warm-up "
                "process before the measurements), the state of any run after the first" if args.bytecode == "on"
                else "as-is: this environment" + (" (PYTHONDONTWRITEBYTECODE=1: timeline's modules are compiled "
                                                  "from source in every process)"
                                                  if os.environ.get("PYTHONDONTWRITEBYTECODE") else ""))
    lines = ["# Start-up: the gazetteer and start-up caches", "",
             f"Command: `{command_line()}`", "",
             f"- date: {datetime.now().strftime('%Y-%m-%d %H:%M')}; {platform.machine()}, {os.cpu_count()} logical "
             f"CPUs, load average at start {load}; Python {platform.python_version()}",
             f"- each cell: the median of {args.repeat} fresh processes (`sys.executable -c`), the three cache "
             "states interleaved; \"in the child\" runs from before `import timeline` to the end of the task, "
             "\"process\" is the parent's wall time of the whole process (interpreter start and exit included)",
             f"- off: `TIMELINE_CACHE_DIR=off` (build in memory); first run: empty cache folder (build and write); "
             f"second run: the filled folder (read back); cache files: {files or 'none'}",
             f"- bytecode: {bytecode}",
             f"- input: \"{SENTENCE}\" (the build: a one-line .txt file, `dct='2024-12-02'`)", "",
             "| code | task | cache | s in the child | s process | against off (child) | peak RSS MiB | places found |",
             "|---|---|---|--:|--:|--:|--:|---|"]
    for label in trees:
        for task in TASKS:
            off = statistics.median(s[0] for s in samples[(label, task, "off")])
            for state in STATES:
                rows = samples[(label, task, state)]
                child = statistics.median(s[0] for s in rows)
                wall = statistics.median(s[1] for s in rows)
                rss = statistics.median(s[2] for s in rows)
                checks = sorted({s[3] for s in rows})
                lines.append(f"| {label} | {task} | {state} | {child:.2f} | {wall:.2f} | {child / off:.2f} | "
                             f"{rss:.0f} | {'; '.join(checks)} |")
    table = "\n".join(lines) + "\n"
    print()
    print(table)
    print(f"(written to {write_result(Path(args.output), table)})")


if __name__ == "__main__":
    main()
