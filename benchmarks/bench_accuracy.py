"""TempEval-3 scores of timeline and peer date finders on the annotated corpora, side by side.

Run from the repository root::

    python benchmarks/bench_accuracy.py                                  # all corpora, default peers
    python benchmarks/bench_accuracy.py --peers dateparser --max-docs 20  # quicker

Writes benchmarks/results/accuracy.md and prints it. Scoring is the project's
own TempEval-3 scorer (``timeline.evaluation.evaluate_corpus`` with a tagger
callable). Peers return datetimes, not TIMEX3, so their output is converted:
each match becomes a span (dateparser: the matched string located in the text
left to right; datefinder: its indices; ctparse: its match offsets, one per
sentence) of type DATE with value ``YYYY-MM-DD``, or ``YYYY-MM-DDTHH:MM`` when
the time is not midnight (ctparse: its partial date, and DURATION for its
durations). Their value scores are therefore a lower bound: they cannot say
``1998-Q1``, ``2019-05`` or ``PRESENT_REF``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as common  # noqa: E402

DEFAULT_PEERS = common.PEERS


@dataclass(frozen=True)
class CorpusSpec:
    label: str
    parts: tuple[str, ...]
    mode: str = "news"
    note: str = ""


CORPORA = (
    CorpusSpec("timebank", ("timebank",)),
    CorpusSpec("aquaint", ("aquaint",)),
    CorpusSpec(
        "timebank+aquaint",
        ("timebank", "aquaint"),
        note="TempEval-3 TBAQ-cleaned, the training data of TE-3 (not its platinum test set). None of these "
        "corpora is held out from timeline's development (tweets/testset is the closest to unseen data), so "
        "timeline's scores are development scores; the peers were not tuned on any of them",
    ),
    CorpusSpec("tweets/testset", ("tweets/testset",)),
    CorpusSpec("tweets/trainingset", ("tweets/trainingset",)),
    CorpusSpec(
        "wikiwars/tml",
        ("wikiwars/tml",),
        mode="narrative",
        note="values are TIMEX2 (e.g. BC0490, FUTURE_REF, 1919-SU, null) and every gold type is DATE: "
        "type scores are meaningless and value scores are only indicative; timeline runs with mode=\"narrative\"",
    ),
    CorpusSpec(
        "meantime-en",
        ("meantime-en",),
        note="only the beginning of each article carries gold TIMEX3 (in this copy the last gold timex of a "
        "document ends at a median {coverage} of its text) and the dateline under the title is the DCT, which is not "
        "scored; timexes found after the annotated part or in the dateline count as spurious, so every tool's "
        "precision here is depressed: compare recall",
    ),
)


def pct(x: float) -> str:
    return f"{100 * x:.1f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpora", help="corpus root (default: TIMELINE_CORPORA, else ../shared/corpora)")
    ap.add_argument(
        "--peers", default=",".join(DEFAULT_PEERS),
        help=f"comma-separated peers (default {','.join(DEFAULT_PEERS)}); 'none' for timeline only",
    )
    ap.add_argument("--max-docs", type=int, default=0,
                    help="peers score only the first N documents of each corpus (0 = all); timeline is then "
                    "also scored on the same N documents")
    ap.add_argument("--only", default="", help="comma-separated corpus labels to run (default all)")
    ap.add_argument("--output", default="accuracy.md", help="result file name under benchmarks/results/")
    args = ap.parse_args()
    root = common.set_corpora(args.corpora)
    common.quiet_peers()

    import timeline
    from timeline.evaluation import evaluate_corpus
    from timeline.timeml import read_corpus

    peers = [p for p in (s.strip() for s in args.peers.split(",")) if p and p != "none"]
    notes: list[str] = []
    for p in list(peers):
        if p not in common.PEERS + common.EXTRA_PEERS:
            sys.exit(f"unknown peer {p!r}")
        why = common.available(p)
        if why:
            notes.append(f"- {p} skipped: not importable ({why})")
            peers.remove(p)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    specs = [c for c in CORPORA if not only or c.label in only]

    # warm-up, so that the CPU seconds do not include rule loading or language data
    from datetime import date

    warm_text, warm_dct = "On Monday, 3 May 2021, two days later, at 5 pm; for three weeks.", date(2021, 5, 3)
    timeline.tag(warm_text, warm_dct)
    for p in peers:
        common.span_function(p)(warm_text, warm_dct)

    # Outputs are memoised per (tool, mode, text, dct) so that timebank+aquaint reuses timebank and aquaint.
    memo: dict[tuple, tuple[list, float]] = {}

    def score(tool: str, mode: str, docs):
        if tool == "timeline":
            fn = lambda text, dct: timeline.tag(text, dct, mode=mode)  # noqa: E731
        else:
            fn = common.span_function(tool)

        def tagger(text, dct):
            key = (tool, mode, text, dct)
            if key not in memo:
                t0 = time.process_time()
                out = list(fn(text, dct))
                memo[key] = (out, time.process_time() - t0)
            return memo[key][0]

        report = evaluate_corpus(docs, tagger=tagger)
        seconds = sum(memo[(tool, mode, d.text, d.dct)][1] for d in docs)
        return report, seconds

    rows = []  # (corpus label, tool label, docs, report, seconds)
    coverage: dict[str, str] = {}  # median position of the last gold timex, as a share of the text
    for spec in specs:
        missing = [p for p in spec.parts if not (root / p).is_dir()]
        if missing:
            notes.append(f"- {spec.label}: skipped, {', '.join(missing)} not under {root}")
            continue
        docs = [d for part in spec.parts for d in read_corpus(root / part)]
        ends = sorted(max(t.end for t in d.timexes) / len(d.text) for d in docs if d.timexes and d.text)
        coverage[spec.label] = f"{100 * ends[len(ends) // 2]:.0f}%" if ends else "?"
        print(f"{spec.label}: {len(docs)} docs", file=sys.stderr, flush=True)
        report, secs = score("timeline", spec.mode, docs)
        label = "timeline" + (f" ({spec.mode})" if spec.mode != "news" else "")
        rows.append((spec.label, label, len(docs), report, secs))
        if spec.mode != "news":
            report, secs = score("timeline", "news", docs)
            rows.append((spec.label, "timeline (news mode, for comparison)", len(docs), report, secs))
        peer_docs = docs[: args.max_docs] if args.max_docs and args.max_docs < len(docs) else docs
        if peers and len(peer_docs) < len(docs):
            report, secs = score("timeline", spec.mode, peer_docs)
            rows.append((spec.label, f"timeline, first {len(peer_docs)} docs", len(peer_docs), report, secs))
        for p in peers:
            print(f"  {p} on {len(peer_docs)} docs ...", file=sys.stderr, flush=True)
            report, secs = score(p, "news", peer_docs)
            rows.append((spec.label, p, len(peer_docs), report, secs))

    table = [
        "| corpus | tool | docs | gold | system | strict P | strict R | strict F1 | relaxed P | relaxed R "
        "| relaxed F1 | type F1 | value F1 | CPU s |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for corpus, tool, n, report, secs in rows:
        t = report.total
        table.append(
            f"| {corpus} | {tool} | {n} | {t.gold} | {t.system} | {pct(t.strict_precision)} | {pct(t.strict_recall)} "
            f"| {pct(t.strict_f1)} | {pct(t.relaxed_precision)} | {pct(t.relaxed_recall)} | {pct(t.relaxed_f1)} "
            f"| {pct(t.type_f1)} | {pct(t.value_f1)} | {secs:.1f} |"
        )

    types = ("DATE", "TIME", "DURATION", "SET")
    by_type = [
        "Each cell: relaxed recall (value accuracy) over the gold timexes of that TIMEX3 type, and their number.",
        "",
        "| corpus | tool | " + " | ".join(types) + " |",
        "|---|---|" + "--:|" * len(types),
    ]
    for corpus, tool, _n, report, _secs in rows:
        per = report.per_type()
        cells = []
        for ty in types:
            row = per.get(ty)
            cells.append("-" if row is None or row.gold == 0 else
                         f"{pct(row.relaxed_recall)} ({pct(row.value_accuracy)}) of {row.gold}")
        by_type.append(f"| {corpus} | {tool} | " + " | ".join(cells) + " |")

    corpus_notes = [
        f"- {c.label}: {c.note.format(coverage=coverage.get(c.label, '?'))}" for c in specs if c.note
    ]
    lines = [
        "# Accuracy: TempEval-3 timex scores, timeline vs peers",
        "",
        f"Command: `{common.command_line()}`",
        "",
        *common.machine_notes(),
        f"- corpora: `{root}`",
        "",
        "Scorer: `timeline.evaluation.evaluate_corpus(docs, tagger=...)` (TempEval-3: strict = identical extent, "
        "relaxed = overlap, one-to-one matching; type/value F1 = attribute accuracy over relaxed matches x relaxed F1; "
        "micro average over documents). Percentages. CPU s = CPU time spent inside the tagger (after a warm-up "
        "call; the speed benchmark measures throughput properly).",
        "",
        "Peers' output converted to TIMEX3-like spans: type DATE; value `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM` when the "
        "time is not midnight (so they can never match month/year/quarter/duration/vague values, and their type is "
        "right only for DATE gold timexes). dateparser: `search_dates(text, languages=[\"en\"], "
        "settings={\"RELATIVE_BASE\": dct})`, each matched string located in the text left to right. datefinder: "
        "`find_dates(text, source=True, index=True, base_date=dct)` (1.x default engine \"v2\"), its indices; "
        "datefinder-legacy: the same with `engine=\"legacy\"` (the pre-1.0 regex + dateutil engine), its indices "
        "trimmed of the whitespace/punctuation it strips from its source string. ctparse: "
        "`ctparse(sentence, ts=dct)` per sentence (at most one expression per sentence), offsets mapped back through "
        "its preprocessing; its Time gives a partial date (YYYY-MM / YYYY when day/month are missing), its Duration "
        "type DURATION. Overlapping peer spans: the first kept.",
        *([""] + notes if notes else []),
        "",
        "## Scores",
        "",
        *table,
        "",
        "## By gold type",
        "",
        *by_type,
        "",
        "## Corpus notes",
        "",
        *corpus_notes,
        "- Documents without a DCT (3 in meantime-en): timeline leaves relative expressions unresolved; "
        "dateparser/ctparse fall back to the current date, datefinder to its default.",
    ]
    text = "\n".join(lines) + "\n"
    path = common.write_result(args.output, text)
    print(text)
    print(f"(written to {os.path.relpath(path, common.REPO_DIR)})")


if __name__ == "__main__":
    main()
