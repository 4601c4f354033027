"""Publication dates of HTML news pages: timeline's cascade against htmldate alone.

Input: ``data/pages/*.html``, pages written for this project in the shapes real news sites
use (meta tags, JSON-LD datePublished next to dateModified, URL only, byline only, dateline
only, a display date differing from the story, related-article sidebars, a modified date
only, no date at all), each with its true date in ``data/pages/truth.csv``.

For each page, timeline's answer is what its documents report shows: ``load`` then, for a
date that is not given, :func:`timeline.dct_check.check_dct` as the pipeline runs it. The
date a user is offered is ``proposed_dct`` when the anchor is doubtful and a date was
proposed, else ``published``. *Found*: a date was offered; *right*: it is the true date;
*wrong*: found and not right; *silent wrong*: wrong while the document's status is ``ok``
(nothing tells the user to look). The baseline, run on the same pages in the same process:
``htmldate.find_date(html)`` with its defaults (extensive search, latest date preferred).

Usage: ``python benchmarks/bench_pubdate.py [--out benchmarks/results/pubdate.md]``
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from _common import write_result

REPO = Path(__file__).resolve().parent.parent
PAGES = REPO / "data" / "pages"
RESULT = REPO / "benchmarks" / "results" / "pubdate.md"
DOUBTFUL = "doubtful anchor date"  # the reason part of timeline.pipeline.DOUBTFUL


@dataclass(frozen=True)
class Scored:
    """One page's outcome for one system."""

    file: str
    shape: str
    truth: date
    answer: date | None
    status: str  # ok / degraded: whether the user is told to look
    source: str
    seconds: float

    @property
    def found(self) -> bool:
        return self.answer is not None

    @property
    def right(self) -> bool:
        return self.answer == self.truth

    @property
    def wrong(self) -> bool:
        return self.found and not self.right

    @property
    def silent_wrong(self) -> bool:
        return self.wrong and self.status == "ok"


def read_truth(folder: Path = PAGES) -> list[tuple[str, date, str]]:
    """(file, true date, shape) rows of ``truth.csv``."""
    with (folder / "truth.csv").open(encoding="utf-8", newline="") as handle:
        return [(r["file"], date.fromisoformat(r["true_date"]), r["shape"]) for r in csv.DictReader(handle)]


def score_timeline(folder: Path = PAGES) -> list[Scored]:
    """timeline's answer for every page of ``folder`` (ingest, then the pipeline's check)."""
    from timeline.dct_check import check_dct
    from timeline.ingest import load

    out = []
    for name, truth, shape in read_truth(folder):
        start = time.perf_counter()
        (article,) = load(folder / name)
        status, proposed = article.status, article.proposed_dct
        doubtful = DOUBTFUL in article.reason.split("; ")
        if article.published is not None and article.dct_source != "given":
            verdict = check_dct(article.text, article.published, article.dct_source)
            if not verdict.plausible:
                status, doubtful = "degraded", True
                proposed = verdict.proposed or proposed
        answer = proposed if doubtful and proposed is not None else article.published
        out.append(Scored(name, shape, truth, answer, status, article.dct_source, time.perf_counter() - start))
    return out


def score_htmldate(folder: Path = PAGES) -> list[Scored]:
    """The baseline: ``htmldate.find_date`` with its defaults; it never says it is unsure (status ok)."""
    import htmldate

    out = []
    for name, truth, shape in read_truth(folder):
        html = (folder / name).read_text(encoding="utf-8")
        start = time.perf_counter()
        found = htmldate.find_date(html)
        answer = date.fromisoformat(found) if found else None
        out.append(Scored(name, shape, truth, answer, "ok", "htmldate", time.perf_counter() - start))
    return out


def _share(rows: list[Scored], attr: str) -> str:
    n = sum(getattr(r, attr) for r in rows)
    return f"{n}/{len(rows)} ({100 * n / len(rows):.0f}%)" if rows else "-"


def report(ours: list[Scored], base: list[Scored], command: str) -> str:
    """The Markdown results page."""
    load = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    lines = [
        "# Publication dates of HTML news pages",
        "",
        f"Command: `{command}`",
        "",
        f"- date: {datetime.now():%Y-%m-%d %H:%M}; {platform.machine()}, {os.cpu_count()} logical CPUs, "
        f"load average at start {load}; Python {platform.python_version()}",
        f"- input: {len(ours)} pages of `data/pages/` written for this project, true dates in `truth.csv`",
        "- timeline: `timeline.ingest.load` then `check_dct` as the pipeline runs it; the date offered is "
        "`proposed_dct` when the anchor is doubtful and one was proposed, else `published`",
        "- baseline: `htmldate.find_date(html)` with its defaults, same pages, same process",
        "- silent wrong: a wrong date while the document's status is `ok` (htmldate never flags a date)",
        "",
        "| system | found | right | wrong | silent wrong | median ms/page |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for label, rows in (("timeline", ours), ("htmldate.find_date (defaults)", base)):
        ms = sorted(r.seconds * 1000 for r in rows)
        lines.append(f"| {label} | {_share(rows, 'found')} | {_share(rows, 'right')} | {_share(rows, 'wrong')} | "
                     f"{_share(rows, 'silent_wrong')} | {ms[len(ms) // 2]:.1f} |")
    lines += ["", "## By shape", "", "| shape | pages | timeline right | timeline wrong (silent) | timeline found by |"
              " htmldate right | htmldate wrong |", "|---|--:|--:|--:|---|--:|--:|"]
    by_shape: dict[str, list[tuple[Scored, Scored]]] = defaultdict(list)
    for a, b in zip(ours, base):
        by_shape[a.shape].append((a, b))
    for shape, pairs in by_shape.items():
        mine = [a for a, _ in pairs]
        theirs = [b for _, b in pairs]
        sources = ", ".join(sorted({a.source for a in mine}))
        lines.append(f"| {shape} | {len(pairs)} | {sum(a.right for a in mine)} | {sum(a.wrong for a in mine)} "
                     f"({sum(a.silent_wrong for a in mine)}) | {sources} | {sum(b.right for b in theirs)} | "
                     f"{sum(b.wrong for b in theirs)} |")
    lines += ["", "## Pages timeline does not get right", "", "| file | true | offered | status | dct_source |",
              "|---|---|---|---|---|"]
    for a in ours:
        if not a.right:
            lines.append(f"| {a.file} | {a.truth} | {a.answer or '-'} | {a.status} | {a.source} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--out", type=Path, default=RESULT)
    args = parser.parse_args(argv)
    # Warm both up (imports, dateparser's and the tagger's first-use costs) before timing.
    import htmldate

    from timeline.ingest import load

    first = sorted(args.pages.glob("*.html"))[0]
    htmldate.find_date(first.read_text(encoding="utf-8"))
    list(load(first))
    ours = score_timeline(args.pages)
    base = score_htmldate(args.pages)
    command = "python benchmarks/bench_pubdate.py" + (" " + " ".join(argv) if argv else "")
    text = report(ours, base, command)
    write_result(Path(args.out), text)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
