"""Scaling of `timeline build`: time and peak memory at growing input sizes, and --jobs.

Usage: python benchmarks/bench_scale.py [--sizes 1,10,100] [--jobs 1,2] [--output results/scale.md]

Builds JSONL corpora of the requested sizes (MB of text) from the plain texts of the
annotated corpora (TimeBank, AQUAINT, MEANTIME) and data/escalation, each document
with its own DCT and a unique doc_id, then runs `timeline build --quiet` on each in a
fresh subprocess and records wall time, CPU time and peak RSS of that subprocess.
Time should grow linearly with the input; peak memory should grow only with the size
of the output table (events), not with the input corpus, which is streamed: workers read
their own files (a JSONL file in slices) and send back columnar event blocks, which the
main process spools to Parquet under --out, then sorts and clusters from the key columns and
writes the dataset, the CSV, the exports and the charts one phase at a time, without the whole
table in memory. The main process's CPU time against the workers' gives the serial share (the
ceiling on --jobs); the RSS of a bare process that imports what the build imports shows how much
of the main process's peak is imports.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import write_result

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _source_documents() -> list[dict[str, str]]:
    sys.path.insert(0, str(ROOT))
    from timeline.evaluation import corpus_root
    from timeline.ingest import load
    from timeline.timeml import read_corpus

    docs: list[dict[str, str]] = []
    root = corpus_root()
    for name in ("timebank", "aquaint", "meantime-en"):
        folder = root / name
        if folder.exists():
            for d in read_corpus(folder):
                docs.append({"text": d.text, "published": d.dct.isoformat() if d.dct else None})
    for article in load(ROOT / "data" / "escalation"):
        docs.append({"text": article.text, "published": article.published.isoformat() if article.published else None})
    return docs


def _write_corpus(path: Path, size_mb: float, docs: list[dict[str, str]]) -> tuple[int, int]:
    target = int(size_mb * 1_000_000)
    chars = n = 0
    with path.open("w", encoding="utf-8") as out:
        while chars < target:
            for d in docs:
                out.write(json.dumps({"doc_id": f"d{n:07d}", **d}) + "\n")
                chars += len(d["text"])
                n += 1
                if chars >= target:
                    break
    return chars, n


def _run(corpus: Path, jobs: int, out_dir: Path) -> dict[str, float]:
    code = (
        "import resource, sys, time\n"
        "from timeline.cli import main\n"
        "t = time.perf_counter(); c0 = time.process_time()\n"
        f"rc = main(['build', {str(corpus)!r}, '--out', {str(out_dir)!r}, '--quiet', '--jobs', '{jobs}'])\n"
        "wall = time.perf_counter() - t; cpu = time.process_time() - c0\n"
        "self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "child_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(wall, cpu + child_cpu.ru_utime + child_cpu.ru_stime, self_rss, child_rss, rc, cpu)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    wall, cpu, self_rss, child_rss, rc, main_cpu = result.stdout.split()[-6:]
    return {"wall": float(wall), "cpu": float(cpu), "rss_mib": int(self_rss) / 1024,
            "worker_rss_mib": int(child_rss) / 1024, "rc": int(rc), "main_cpu": float(main_cpu)}


def _import_rss() -> float:
    """Peak RSS (MiB) of a process that only imports what ``timeline build`` imports."""
    code = (
        "import resource\n"
        "import matplotlib\n"
        "matplotlib.use('Agg')\n"
        "import matplotlib.pyplot, pandas, pyarrow.parquet\n"
        "import timeline.cli, timeline.pipeline, timeline.store, timeline.exports, timeline.plots\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[-1]) / 1024


def _phase_cpu(out_dir: Path) -> dict[str, float]:
    """CPU seconds (main process and workers) of each phase the build's manifest times."""
    timings = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8")).get("timings", {})
    return {phase: t.get("cpu_s", 0.0) + (t.get("workers_cpu_s") or 0.0) for phase, t in timings.items()}


def _count_events(out_dir: Path) -> int:
    dataset = out_dir / "events.parquet"
    if dataset.is_dir():
        import pyarrow.parquet as pq

        return sum(pq.ParquetFile(p).metadata.num_rows for p in dataset.glob("part-*.parquet"))
    return sum(1 for _ in (out_dir / "events.csv").open(encoding="utf-8")) - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100", help="input sizes in MB of text, comma-separated")
    parser.add_argument("--jobs", default="1", help="--jobs values to try, comma-separated")
    parser.add_argument("--output", default=str(HERE / "results" / "scale.md"))
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    jobs_list = [int(j) for j in args.jobs.split(",")]
    docs = _source_documents()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            corpus = Path(tmp) / f"corpus-{size:g}MB.jsonl"
            chars, n = _write_corpus(corpus, size, docs)
            for jobs in jobs_list:
                out_dir = Path(tmp) / f"out-{size:g}-{jobs}"
                m = _run(corpus, jobs, out_dir)
                events = _count_events(out_dir)
                phases = _phase_cpu(out_dir)
                m["outputs_cpu"] = phases.get("charts", 0.0) + phases.get("exports", 0.0)
                rows.append((size, chars, n, jobs, m, events))
                print(f"{size:g} MB, jobs {jobs}: {m['wall']:.1f} s wall, {chars / m['wall'] / 1000:.0f} KB/s, "
                      f"main CPU {m['main_cpu']:.1f} s of {m['cpu']:.1f} s, "
                      f"peak RSS {m['rss_mib']:.0f} MiB (workers {m['worker_rss_mib']:.0f}), {events} events",
                      flush=True)
    imports = _import_rss()
    load = os.getloadavg()
    lines = [
        "# Scaling: `timeline build` at growing input sizes",
        "",
        f"Command: `python benchmarks/bench_scale.py --sizes {args.sizes} --jobs {args.jobs}`",
        "",
        f"- date: {time.strftime('%Y-%m-%d %H:%M')}; machine: {platform.machine()}, {os.cpu_count()} logical CPUs; "
        f"Python {platform.python_version()}",
        "- input: JSONL of news texts (TimeBank, AQUAINT, MEANTIME, data/escalation) repeated to the size, "
        "each with its own DCT; output: the Parquet dataset (events.parquet/), CSV, exports and charts",
        "- peak RSS: `ru_maxrss` of the build process (the main process) and of its worker processes (the "
        "documents are read, tagged and their events extracted in workers: one with --jobs 1); a process that "
        f"only imports what the build imports peaks at {imports:.0f} MiB",
        "- main CPU s: CPU time of the main process alone (listing the inputs, spooling the workers' blocks, "
        "sorting and clustering from the key columns, writing the dataset, CSV, exports, charts): its share of "
        "all CPU time is the serial part",
        f"- load average at the end (1, 5, 15 min): {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} "
        "(other processes on the machine slow the wall clock, not the CPU times)",
        "- exports + charts: CPU s of the build's `charts` and `exports` phases (its manifest's `timings`), "
        "and their share of all CPU time (issue 9: at most 20%)",
        "",
        "| input MB | chars | docs | jobs | wall s | CPU s (all processes) | main CPU s | KB/s (wall) "
        "| KB/s per core (CPU) | peak RSS MiB | worker peak RSS MiB | events | exports + charts CPU s (share) |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for size, chars, n, jobs, m, events in rows:
        lines.append(
            f"| {size:g} | {chars:,} | {n:,} | {jobs} | {m['wall']:.1f} | {m['cpu']:.1f} | {m['main_cpu']:.1f} | "
            f"{chars / m['wall'] / 1000:.0f} | {chars / m['cpu'] / 1000:.0f} | {m['rss_mib']:.0f} | "
            f"{m['worker_rss_mib']:.0f} | {events:,} | {m['outputs_cpu']:.1f} ({m['outputs_cpu'] / m['cpu']:.0%}) |"
        )
    write_result(Path(args.output), "\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
