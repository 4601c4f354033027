"""Command line: ``timeline tag`` and ``timeline evaluate``.

``main(argv)`` returns an exit status instead of calling ``sys.exit`` so it can
be tested; argument parsing is separate (``parse_args``). Errors in the input
become one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .errors import InputError, TimelineError
from .tagging import parse_dct, tag

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_INPUT = 1


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line (see ``timeline --help``)."""
    parser = argparse.ArgumentParser(
        prog="timeline",
        description="Find temporal expressions in news text and build dated event timelines.",
    )
    parser.add_argument("--version", action="version", version=f"timeline {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p_tag = sub.add_parser(
        "tag",
        help="tag temporal expressions (one JSON object per expression and line)",
        description="Tag temporal expressions in TEXT (or stdin with '-') or in a JSONL batch with --input.",
    )
    p_tag.add_argument("text", nargs="?", default=None, metavar="TEXT | -",
                       help="text to tag, or '-' to read stdin")
    p_tag.add_argument("--dct", help="anchor date (publication date), YYYY-MM-DD")
    p_tag.add_argument("--mode", choices=("news", "narrative"), default="news",
                       help="news: anchor on the DCT; narrative: anchor on the last mentioned time")
    p_tag.add_argument("--input", metavar="DOCS.jsonl",
                       help='JSONL batch: one {"doc_id", "published", "text"} object per line')
    p_tag.add_argument("--output", metavar="OUT.jsonl", help="write expressions here instead of stdout")

    p_build = sub.add_parser(
        "build",
        help="build the event table (events.csv, documents.csv) from articles",
        description="Read articles (.txt with optional front matter or .meta.json, .html, .jsonl, folders) "
                    "and write the dated event table.",
    )
    p_build.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders")
    p_build.add_argument("--dct", help="anchor date for every document, YYYY-MM-DD (overrides what they say)")
    p_build.add_argument("--out", required=True, metavar="DIR", help="output folder")
    p_build.add_argument("--strict", action="store_true", help="exit with status 1 if any document was skipped")
    p_build.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    p_build.add_argument("--format", action="append", choices=("png", "svg"), metavar="{png,svg}",
                         help="chart file format (repeatable; default png)")
    p_build.add_argument("--no-charts", action="store_true", help="write the tables and exports only")
    p_build.add_argument("--timeml", action="store_true",
                         help="also write DIR/timeml/<doc_id>.tml (keeps document texts in memory)")
    p_build.add_argument("--jobs", type=int, default=1, metavar="N",
                         help="worker processes (local engine); results are identical to --jobs 1")
    p_build.add_argument("--engine", choices=("local", "dask"), default="local",
                         help="run per-document work locally or as Dask tasks (pip install 'timeline[dask]')")
    p_build.add_argument("--scheduler", metavar="ADDRESS",
                         help="Dask scheduler address (tcp://host:8786); default: a local cluster of processes")

    p_eval = sub.add_parser(
        "evaluate",
        help="score the tagger (or a system's TimeML output) against TimeML gold files, TempEval-3 style",
    )
    p_eval.add_argument("gold_dir", metavar="GOLD_DIR", help="folder of gold .tml files (TimeML)")
    p_eval.add_argument("--system", metavar="SYSTEM_DIR",
                        help="score these TimeML files instead of running the tagger")
    p_eval.add_argument("--out", metavar="DIR", help="write the tagger's TimeML output here")
    p_eval.add_argument("--mode", choices=("news", "narrative"), default="news")
    p_eval.add_argument("--json", action="store_true", help="print the scores as JSON")
    p_eval.add_argument("--errors", type=int, default=0, metavar="N",
                        help="also print the first N mismatches (missed, spurious, wrong value)")
    return parser.parse_args(argv)


def _write_json_lines(rows: Iterator[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def _tag_batch(path: str, out: TextIO, mode: str, err: TextIO) -> int:
    """Tag a JSONL batch; a bad line is reported on stderr and skipped, never fatal."""
    bad = 0
    docs = 0
    try:
        handle = open(path, encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read --input {path!r}: {exc.strerror}") from None
    with handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as exc:
                err.write(f"timeline: skipped {where}: not valid JSON ({exc.msg})\n")
                bad += 1
                continue
            if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
                err.write(f"timeline: skipped {where}: needs a string field 'text'\n")
                bad += 1
                continue
            doc_id = doc.get("doc_id", f"line-{lineno}")
            try:
                dct = parse_dct(doc.get("published"))
            except InputError as exc:
                err.write(f"timeline: {where} (doc_id {doc_id!r}): {exc}; tagged without an anchor date\n")
                dct = None
            expressions = tag(doc["text"], dct=dct, mode=mode)
            _write_json_lines(({"doc_id": doc_id, **e.to_dict()} for e in expressions), out)
            docs += 1
    err.write(f"timeline: tagged {docs} document(s)" + (f", skipped {bad} bad line(s)" if bad else "") + "\n")
    if docs == 0 and bad:
        return EXIT_INPUT
    return EXIT_OK


def _cmd_tag(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    out = stdout
    handle = None
    if args.output:
        handle = open(args.output, "w", encoding="utf-8")
        out = handle
    try:
        if args.input:
            if args.text is not None:
                raise InputError("give either TEXT or --input DOCS.jsonl, not both")
            return _tag_batch(args.input, out, args.mode, stderr)
        if args.text is None:
            raise InputError("nothing to tag: give TEXT, '-' for stdin, or --input DOCS.jsonl")
        text = sys.stdin.read() if args.text == "-" else args.text
        dct = parse_dct(args.dct)
        if dct is None:
            stderr.write("timeline: no --dct given: relative expressions stay unresolved (anchor_source none)\n")
        _write_json_lines((e.to_dict() for e in tag(text, dct=dct, mode=args.mode)), out)
        return EXIT_OK
    finally:
        if handle is not None:
            handle.close()
            stderr.write(f"timeline: wrote {args.output}\n")


def _cmd_evaluate(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .evaluation import evaluate_corpus
    from .timeml import read_corpus

    gold_path = Path(args.gold_dir)
    if not gold_path.exists():
        raise InputError(f"gold folder {args.gold_dir!r} does not exist")
    gold = read_corpus(gold_path)
    if not gold:
        raise InputError(f"no TimeML (.tml) documents found in {args.gold_dir!r}")
    if args.system:
        system = read_corpus(Path(args.system))
        report = evaluate_corpus(gold, system_docs=system)
    else:
        mode = args.mode

        def tagger(text: str, dct: Any) -> list[Any]:
            return tag(text, dct=dct, mode=mode)

        report = evaluate_corpus(gold, tagger=tagger, out_dir=args.out)
    if args.json:
        stdout.write(json.dumps(report.total.as_dict(), indent=2) + "\n")
    else:
        stdout.write(report.format_table() + "\n")
    if args.errors:
        for doc_id, mismatch in report.mismatches[: args.errors]:
            stdout.write(f"{doc_id}\t{mismatch}\n")
    if args.out and not args.system:
        stderr.write(f"timeline: wrote TimeML output to {args.out}\n")
    return EXIT_OK


def _write_exports(result: Any, out: Path, formats: tuple[str, ...], charts: bool) -> list[Path]:
    """Charts (timeline, escalation), the TimelineJS JSON and the ACLED-style CSV."""
    import matplotlib

    matplotlib.use("Agg")  # files only; never open a window from the command line
    from . import exports, plots

    written: list[Path] = []
    if charts:
        written += plots.save_figure(plots.plot_timeline(result.events), out / "timeline", formats=formats)
        written += plots.save_figure(plots.plot_escalation(result.events), out / "escalation", formats=formats)
    title = "Timeline of " + ", ".join(result.documents["doc_id"].astype(str).head(3).tolist())
    if len(result.documents) > 3:
        title += f" and {len(result.documents) - 3} more"
    written.append(exports.write_timelinejs(result.events, out / "timelinejs.json", title=title))
    written.append(exports.write_acled(result.events, out / "acled.csv"))
    return written


def _cmd_build(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    import warnings

    from .errors import AnchorWarning
    from .pipeline import build

    for item in args.inputs:
        if not Path(item).exists():
            stderr.write(f"timeline: warning: {item} does not exist (reported in documents.csv)\n")
    progress: Any = None
    if not args.quiet:
        from tqdm import tqdm

        def show_progress(stream: Any) -> Any:
            interactive = hasattr(stderr, "isatty") and stderr.isatty()
            return tqdm(stream, desc="documents", unit="doc", delay=1.0, file=stderr, leave=False,
                        disable=not interactive)

        progress = show_progress

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AnchorWarning)  # summarised below from documents.csv
        result = build(args.inputs, dct=args.dct, progress=progress, jobs=args.jobs, engine=args.engine,
                       scheduler=args.scheduler, keep_text=args.timeml)
    paths = result.to_csv(args.out)
    paths.extend(_write_exports(result, Path(args.out), tuple(args.format or ["png"]), not args.no_charts))
    if args.timeml:
        written = result.to_timeml(Path(args.out) / "timeml")
        paths.append(Path(args.out) / "timeml" / f"({len(written)} .tml files)")
    docs = result.documents
    counts = docs["status"].value_counts()
    if not args.quiet:
        stdout.write(
            f"timeline: {len(result.events)} events from {len(docs)} documents "
            f"({int(counts.get('ok', 0))} ok, {int(counts.get('degraded', 0))} degraded, "
            f"{int(counts.get('skipped', 0))} skipped)\n"
        )
        for _, row in docs[docs["status"] != "ok"].head(20).iterrows():
            detail = row["warnings"] if isinstance(row["warnings"], str) else row["reason"]
            stdout.write(f"  {row['status']}: {row['doc_id']} ({row['source']}): {detail}\n")
        for path in paths:
            stdout.write(f"timeline: wrote {path}\n")
    if len(docs) == 0 or (docs["status"] == "skipped").all():
        stderr.write("timeline: error: no document could be read\n")
        return EXIT_INPUT
    if args.strict and (docs["status"] == "skipped").any():
        stderr.write("timeline: error: some documents were skipped (--strict)\n")
        return EXIT_INPUT
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``timeline`` console script; returns the exit status."""
    try:
        args = parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage or help
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_USAGE
    stdout, stderr = sys.stdout, sys.stderr
    try:
        if args.command == "tag":
            return _cmd_tag(args, stdout, stderr)
        if args.command == "evaluate":
            return _cmd_evaluate(args, stdout, stderr)
        if args.command == "build":
            return _cmd_build(args, stdout, stderr)
    except InputError as exc:
        stderr.write(f"timeline: error: {exc}\n")
        return EXIT_USAGE
    except TimelineError as exc:
        stderr.write(f"timeline: error: {exc}\n")
        return EXIT_INPUT
    except OSError as exc:
        stderr.write(f"timeline: error: {exc}\n")
        return EXIT_INPUT
    except KeyboardInterrupt:
        stderr.write("timeline: interrupted\n")
        return 130
    return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
