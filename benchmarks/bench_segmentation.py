"""Sentence segmentation: timeline's rule-based splitter vs syntok on MEANTIME's gold sentences.

Usage: python benchmarks/bench_segmentation.py   (needs syntok: pip install -r benchmarks/requirements.txt)

MEANTIME (CAT XML) gives tokens with their sentence number. The text is rebuilt from
the tokens (no space before punctuation, PTB quotes as curly quotes, the title and
dateline on lines of their own) and each segmenter's sentence starts are compared with
the gold sentence starts: boundary precision, recall and F1, and characters per second.
"""

from __future__ import annotations

import glob
import time
import xml.etree.ElementTree as ET

import syntok.segmenter as syntok_segmenter

from timeline.evaluation import corpus_root
from timeline.events.segment import split_sentences

NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "'s", "n't", "%", "'", "”", "’"}
NO_SPACE_AFTER = {"(", "[", "$", "“", "‘"}


def rebuild(path: str) -> tuple[str, set[int]]:
    """Text of a MEANTIME document and the offsets where its gold sentences start."""
    root = ET.parse(path).getroot()
    tokens = [(t.text or "", int(t.get("sentence"))) for t in root.iter("token")]
    tokens = [("“" if t == "``" else "”" if t == "''" else t, s) for t, s in tokens]
    text, starts, prev_s, prev_t = "", [], None, None
    for tok, s in tokens:
        if prev_s is None:
            sep = ""
        elif s != prev_s:
            sep = "\n" if s <= 2 else " "
        elif tok in NO_SPACE_BEFORE or prev_t in NO_SPACE_AFTER:
            sep = ""
        else:
            sep = " "
        text += sep
        if s != prev_s:
            starts.append(len(text))
        text += tok
        prev_s, prev_t = s, tok
    return text, set(starts[1:])


def syntok_starts(text: str) -> set[int]:
    starts = [sentence[0].offset for paragraph in syntok_segmenter.analyze(text) for sentence in paragraph]
    return set(starts[1:])


def timeline_starts(text: str) -> set[int]:
    return {s.start for s in split_sentences(text)[1:]}


def main() -> None:
    files = sorted(glob.glob(str(corpus_root() / "meantime-en" / "intra-doc_annotation" / "*" / "*.xml")))
    docs = [rebuild(f) for f in files]
    chars = sum(len(t) for t, _ in docs)
    print(f"MEANTIME English: {len(docs)} documents, {chars:,} characters, "
          f"{sum(len(g) for _, g in docs):,} gold sentence boundaries\n")
    print("| segmenter | boundary P | boundary R | boundary F1 | chars/s |")
    print("|---|--:|--:|--:|--:|")
    for name, fn in (("timeline (rules)", timeline_starts), ("syntok 1.4", syntok_starts)):
        tp = fp = fn_ = 0
        t0 = time.perf_counter()
        for text, gold in docs:
            pred = fn(text)
            tp += len(pred & gold)
            fp += len(pred - gold)
            fn_ += len(gold - pred)
        elapsed = time.perf_counter() - t0
        p, r = tp / (tp + fp), tp / (tp + fn_)
        print(f"| {name} | {p:.3f} | {r:.3f} | {2 * p * r / (p + r):.3f} | {chars / elapsed:,.0f} |")


if __name__ == "__main__":
    main()
