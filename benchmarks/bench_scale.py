"""Scaling of `timeline build`: time and peak memory at growing input sizes, and --jobs.

Usage: python benchmarks/bench_scale.py [--sizes 1,10,100] [--jobs 1,2] [--output results/scale.md]

Builds JSONL corpora of the requested sizes (MB of text) from the plain texts of the
annotated corpora (TimeBank, AQUAINT, MEANTIME) and data/escalation, each document
with its own DCT and a unique doc_id, then runs `timeline build --quiet` on each in a
fresh subprocess and records wall time, CPU time and peak RSS of that subprocess.
Time should grow linearly with the input; peak memory should grow only with the size
of the output table (events), not with the input corpus, which is streamed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
        "print(wall, cpu + child_cpu.ru_utime + child_cpu.ru_stime, self_rss, child_rss, rc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    wall, cpu, self_rss, child_rss, rc = result.stdout.split()
    return {"wall": float(wall), "cpu": float(cpu), "rss_mib": int(self_rss) / 1024,
            "worker_rss_mib": int(child_rss) / 1024, "rc": int(rc)}


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
                events = sum(1 for _ in (out_dir / "events.csv").open(encoding="utf-8")) - 1
                rows.append((size, chars, n, jobs, m, events))
                print(f"{size:g} MB, jobs {jobs}: {m['wall']:.1f} s wall, {chars / m['wall'] / 1000:.0f} KB/s, "
                      f"peak RSS {m['rss_mib']:.0f} MiB (workers {m['worker_rss_mib']:.0f}), {events} events",
                      flush=True)
    lines = [
        "# Scaling: `timeline build` at growing input sizes",
        "",
        f"Command: `python benchmarks/bench_scale.py --sizes {args.sizes} --jobs {args.jobs}`",
        "",
        f"- date: {time.strftime('%Y-%m-%d %H:%M')}; machine: {platform.machine()}, {os.cpu_count()} logical CPUs; "
        f"Python {platform.python_version()}",
        "- input: JSONL of news texts (TimeBank, AQUAINT, MEANTIME, data/escalation) repeated to the size, "
        "each with its own DCT; output written to CSV",
        "- peak RSS: `ru_maxrss` of the build process (and of its worker processes with --jobs > 1)",
        "",
        "| input MB | chars | docs | jobs | wall s | CPU s (all processes) | KB/s (wall) | KB/s per core (CPU) "
        "| peak RSS MiB | worker peak RSS MiB | events |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for size, chars, n, jobs, m, events in rows:
        lines.append(
            f"| {size:g} | {chars:,} | {n:,} | {jobs} | {m['wall']:.1f} | {m['cpu']:.1f} | "
            f"{chars / m['wall'] / 1000:.0f} | {chars / m['cpu'] / 1000:.0f} | {m['rss_mib']:.0f} | "
            f"{m['worker_rss_mib']:.0f} | {events:,} |"
        )
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
