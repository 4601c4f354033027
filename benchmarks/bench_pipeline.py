"""Throughput of the whole pipeline (`timeline.build`) on TimeBank+AQUAINT, one core.

Usage: python benchmarks/bench_pipeline.py

Every document is built as an in-memory Article with its own DCT: segmentation,
tagging, event extraction, casualties, actors, places and the tables. CPU time of the
build, best of 2, after a warm-up build of 3 documents (rules, gazetteer index).
"""

from __future__ import annotations

import time
import warnings

from timeline.evaluation import corpus_root
from timeline.model import Article
from timeline.pipeline import build
from timeline.timeml import read_corpus


def main() -> None:
    docs = read_corpus(corpus_root() / "timebank") + read_corpus(corpus_root() / "aquaint")
    articles = [Article(doc_id=d.doc_id, text=d.text, published=d.dct, dct_source="given") for d in docs]
    chars = sum(len(a.text) for a in articles)
    warnings.simplefilter("ignore")
    build(articles[:3])
    best = float("inf")
    for _ in range(2):
        t0 = time.process_time()
        result = build(articles)
        best = min(best, time.process_time() - t0)
    print(f"{len(articles)} documents, {chars:,} chars, {len(result.events):,} events: "
          f"{best:.2f} CPU s, {chars / best / 1000:.0f} KB/s per core (target 200)")


if __name__ == "__main__":
    main()
