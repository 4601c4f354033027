"""One long document at growing sizes: the whole per-document pipeline must stay linear.

A live blog, a chronology or a book-length report is one document. This builds one text from
the dev set's reports repeated to each size (paragraphs kept, one DCT), runs
``timeline.pipeline.process_article`` on it (tagging, anchoring, event extraction) and reports
CPU seconds per MB side by side in one run: a quadratic cost shows as a growing s/MB.

Usage: python benchmarks/bench_long_document.py [--sizes 0.1,0.4,1.6] [--output results/long-document.md]
"""

from __future__ import annotations

import argparse
import re
import time
import warnings
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEVSET = HERE.parent / "data" / "devset"


def body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)


def main() -> None:
    from timeline.model import Article
    from timeline.pipeline import process_article

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="0.1,0.4,1.6", help="document sizes in MB, comma-separated")
    ap.add_argument("--output", default=str(HERE / "results" / "long-document.md"))
    args = ap.parse_args()
    pieces = "\n\n".join(body(p) for p in sorted(DEVSET.glob("*.txt")))
    warnings.simplefilter("ignore")
    process_article(Article(doc_id="warm", text="Rebels took Aleppo on Friday.", published=date(2024, 12, 2),
                            dct_source="given"))
    rows = []
    for mb in (float(s) for s in args.sizes.split(",")):
        n = int(mb * 1_000_000)
        text = (pieces * (n // len(pieces) + 1))[:n]
        t0 = time.process_time()
        _, expressions, events = process_article(Article(doc_id="long", text=text, published=date(2024, 12, 10),
                                                         dct_source="given"))
        cpu = time.process_time() - t0
        rows.append((mb, len(text), len(expressions), len(events), cpu, cpu / (len(text) / 1e6)))
        print(f"{mb:g} MB: {cpu:.1f} CPU s, {cpu / (len(text) / 1e6):.2f} s/MB, {len(events):,} events")
    first = rows[0][5]
    lines = ["# One long document at growing sizes", "",
             f"Command: `python benchmarks/bench_long_document.py --sizes {args.sizes}`", "",
             f"- date: {time.strftime('%Y-%m-%d %H:%M')}; input: the dev set's reports repeated into one text, "
             "one DCT; `process_article` (tagging, anchoring, events), CPU time", "",
             "| MB | chars | expressions | events | CPU s | s per MB | s/MB against the smallest |",
             "|--:|--:|--:|--:|--:|--:|--:|"]
    for mb, chars, n_expr, n_ev, cpu, per in rows:
        lines.append(f"| {mb:g} | {chars:,} | {n_expr:,} | {n_ev:,} | {cpu:.1f} | {per:.2f} | {per / first:.2f} |")
    Path(args.output).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"(written to {args.output})")


if __name__ == "__main__":
    main()
