"""Command line: ``timeline tag``, ``timeline anchor``, ``timeline build`` and ``timeline evaluate``.

``main(argv)`` returns an exit status instead of calling ``sys.exit`` so it can
be tested; argument parsing is separate (``parse_args``). Errors in the input
become one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .errors import InputError, TimelineError
from .outdir import OutputLocked
from .tagging import DATE_ORDERS, check_date_order, parse_dct, tag

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_INPUT = 1


def _date_order_arg(value: str) -> str:
    """``--date-order`` value, case-insensitive: ``auto``, ``MDY``, ``DMY`` or ``YMD``."""
    try:
        order = check_date_order(value)
    except InputError:
        raise argparse.ArgumentTypeError(
            f"invalid choice: {value!r} (choose from {', '.join(DATE_ORDERS)})") from None
    return order or "auto"


_DATE_ORDER_HELP = ("how slash dates such as 03/04/2024 are read: MDY (March 4), DMY (3 April), YMD (two-digit "
                    "year first: 24/11/27 is 2024-11-27) or auto (default: the document's own unambiguous dates "
                    "decide, else the reading nearer the DCT, flagged ambiguous)")


def _add_date_order(p: argparse.ArgumentParser, extra: str = "") -> None:
    p.add_argument("--date-order", type=_date_order_arg, choices=DATE_ORDERS, default="auto",
                   metavar="{" + ",".join(DATE_ORDERS) + "}", help=_DATE_ORDER_HELP + extra)


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
    _add_date_order(p_tag)
    p_tag.add_argument("--input", metavar="DOCS.jsonl",
                       help='JSONL batch: one {"doc_id", "published", "text"} object per line')
    p_tag.add_argument("--output", metavar="OUT.jsonl", help="write expressions here instead of stdout ('-': stdout)")

    p_anchor = sub.add_parser(
        "anchor",
        help="date event mentions given as character spans (one JSON object per event and line)",
        description='Anchor event mentions in time. Each input line is {"doc_id", "published" (YYYY-MM-DD or '
                    'null), "text", "events": [{"id", "start", "end"}]}; each output line is {"doc_id", '
                    '"event_id", "value", "earliest", "latest", "grain", "source", "time_start", "time_end", '
                    '"relation"}. A bad line is reported on stderr with its line number and skipped.',
    )
    p_anchor.add_argument("--input", required=True, metavar="DOCS.jsonl", help="JSONL documents ('-': stdin)")
    p_anchor.add_argument("--output", metavar="OUT.jsonl", help="write anchors here instead of stdout ('-': stdout)")
    p_anchor.add_argument("--mode", choices=("news", "narrative"), default="news",
                          help="news: anchor on the publication date; narrative: on the last mentioned time")
    _add_date_order(p_anchor)

    p_build = sub.add_parser(
        "build",
        help="build the event table (events.csv, documents.csv) from articles",
        description="Read articles (.txt with optional front matter or .meta.json, .html, .jsonl, folders) "
                    "and write the dated event table.",
    )
    p_build.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders")
    p_build.add_argument("--dct", help="anchor date for every document, YYYY-MM-DD (overrides what they say)")
    p_build.add_argument("--mode", choices=("news", "narrative"), default="news",
                         help="news: anchor times and events on the publication date; narrative: on the last "
                              "mentioned time (histories). A document's own 'mode' field wins")
    _add_date_order(p_build, ". A document's own 'date_order' field wins")
    p_build.add_argument("--out", required=True, metavar="DIR", help="output folder")
    p_build.add_argument("--strict", action="store_true",
                         help="exit with status 1 if any document was skipped or rests on a doubtful anchor date")
    p_build.add_argument("--quiet", action="store_true",
                         help="no progress bar and no per-document report: only a one-line summary on stderr "
                              "when documents were degraded or skipped (documents.csv has the details)")
    p_build.add_argument("--format", action="append", choices=("png", "svg"), metavar="{png,svg}",
                         help="chart file format (repeatable; default png)")
    p_build.add_argument("--no-charts", action="store_true", help="write the tables and exports only")
    p_build.add_argument("--timeml", action="store_true",
                         help="also write DIR/timeml/<doc_id>.tml (keeps document texts in memory)")
    p_build.add_argument("--max-chars", type=int, default=None, metavar="N",
                         help="cut each document's text to N characters (default 2,000,000; 0: no cap); "
                              "a cut document is degraded, with the reason in documents.csv")
    p_build.add_argument("--follow-symlinks", action="store_true",
                         help="follow symbolic links that leave the input folders, and links to folders "
                              "(default: list them in documents.csv as skipped, unread)")
    p_build.add_argument("--jobs", type=int, default=1, metavar="N",
                         help="worker processes that read and tag the documents (local engine; one with "
                              "--jobs 1); results are identical to --jobs 1")
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
    _add_date_order(p_eval)
    p_eval.add_argument("--json", action="store_true", help="print the scores as JSON")
    p_eval.add_argument("--errors", type=int, default=0, metavar="N",
                        help="also print the first N mismatches (missed, spurious, wrong value)")
    return parser.parse_args(argv)


#: Fields of one ``timeline anchor`` output line, in order.
ANCHOR_FIELDS = ("doc_id", "event_id", "value", "earliest", "latest", "grain", "source", "time_start", "time_end",
                 "relation")


def _json_line(row: dict[str, Any]) -> str:
    line = json.dumps(row, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a JSON escape: keep it escaped
        line = json.dumps(row)
    return line + "\n"


def _write_json_lines(rows: Iterator[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for row in rows:
        out.write(_json_line(row))
        count += 1
    return count


class _BadLine(Exception):
    """One input line of a JSONL batch that cannot be used; the message says why."""


def _input_lines(path: str) -> Iterator[tuple[str, str]]:
    """``(where, line)`` for each non-blank line of a JSONL file (``-``: stdin); ``where`` is ``path:lineno``.

    The file is opened at once (an unreadable one raises InputError here), then read lazily.
    """
    if path == "-":
        return _numbered(sys.stdin, "<stdin>", close=False)
    try:
        handle = open(path, encoding="utf-8-sig", errors="replace")  # noqa: SIM115 - _numbered closes it
    except OSError as exc:
        raise InputError(f"cannot read --input {path!r}: {exc.strerror}") from None
    return _numbered(handle, path, close=True)


def _numbered(handle: TextIO, name: str, close: bool) -> Iterator[tuple[str, str]]:
    try:
        for lineno, line in enumerate(handle, 1):
            if line.strip():
                yield f"{name}:{lineno}", line
    finally:
        if close:
            handle.close()


def _parse_line(line: str) -> Any:
    """The JSON value of one line; raises _BadLine for invalid or absurdly nested JSON."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise _BadLine(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise _BadLine("not usable JSON (nested too deeply)") from None


def _open_output(path: str | None, stdout: TextIO) -> tuple[TextIO, TextIO | None]:
    """The stream to write to and the handle to close (None for stdout: no path or '-')."""
    if path is None or path == "-":
        return stdout, None
    handle = open(path, "w", encoding="utf-8")  # noqa: SIM115 - the caller closes it
    return handle, handle


def _tag_batch(path: str, out: TextIO, mode: str, err: TextIO, date_order: str = "auto") -> int:
    """Tag a JSONL batch; a bad line is reported on stderr and skipped, never fatal."""
    bad = 0
    docs = 0
    for where, line in _input_lines(path):
        try:
            doc = _parse_line(line)
        except _BadLine as exc:
            err.write(f"timeline: skipped {where}: {exc}\n")
            bad += 1
            continue
        if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
            err.write(f"timeline: skipped {where}: needs a string field 'text'\n")
            bad += 1
            continue
        doc_id = doc.get("doc_id", f"line-{where.rsplit(':', 1)[1]}")
        try:
            dct = parse_dct(doc.get("published"))
        except InputError as exc:
            err.write(f"timeline: {where} (doc_id {doc_id!r}): {exc}; tagged without an anchor date\n")
            dct = None
        expressions = tag(doc["text"], dct=dct, mode=mode, date_order=date_order)
        _write_json_lines(({"doc_id": doc_id, **e.to_dict()} for e in expressions), out)
        docs += 1
    err.write(f"timeline: tagged {docs} document(s)" + (f", skipped {bad} bad line(s)" if bad else "") + "\n")
    if docs == 0 and bad:
        return EXIT_INPUT
    return EXIT_OK


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    return {int: "number", float: "number", str: "string", list: "array", dict: "object"}.get(type(value), "value")


def _is_id(value: Any) -> bool:
    """A document or event id: a non-empty string or an integer (not a boolean)."""
    return (isinstance(value, str) and value != "") or (isinstance(value, int) and not isinstance(value, bool))


def _anchor_request(doc: Any) -> tuple[Any, Any, str, list[tuple[Any, int, int]]]:
    """Check one ``timeline anchor`` input object: ``(doc_id, dct, text, [(event_id, start, end)])``.

    Raises _BadLine naming the first problem (field, value and the accepted form).
    """
    if not isinstance(doc, dict):
        raise _BadLine(f"a JSON {_json_type(doc)}, not an object with doc_id, published, text and events")
    missing = [name for name in ("doc_id", "text", "events") if name not in doc]
    if missing:
        raise _BadLine(f"missing field{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}")
    doc_id = doc["doc_id"]
    if not _is_id(doc_id):
        raise _BadLine(f"doc_id is a JSON {_json_type(doc_id)}: expected a non-empty string or an integer")
    text = doc["text"]
    if not isinstance(text, str):
        raise _BadLine(f"text is a JSON {_json_type(text)}, not a string")
    published = doc.get("published")
    if published is not None and not isinstance(published, str):
        raise _BadLine(f"published is a JSON {_json_type(published)}: expected YYYY-MM-DD (e.g. 2024-12-02) or null")
    try:
        dct = parse_dct(published)
    except InputError:
        try:
            date.fromisoformat((published or "").strip()[:10])  # parse_dct(None) never raises
            why = ""
        except ValueError as exc:  # a real reason ("month must be in 1..12"), not "Invalid isoformat"
            why = "" if str(exc).startswith("Invalid isoformat") else f" ({exc})"
        raise _BadLine(f"published {published!r} is not a date{why}: expected YYYY-MM-DD (e.g. 2024-12-02) "
                       "or null") from None
    events = doc["events"]
    if not isinstance(events, list):
        raise _BadLine(f'events is a JSON {_json_type(events)}: expected an array of {{"id", "start", "end"}}')
    spans: list[tuple[Any, int, int]] = []
    for i, event in enumerate(events):
        if not isinstance(event, dict):
            raise _BadLine(f'events[{i}] is a JSON {_json_type(event)}: expected {{"id", "start", "end"}}')
        absent = [name for name in ("id", "start", "end") if name not in event]
        if absent:
            raise _BadLine(f"events[{i}] has no {', '.join(map(repr, absent))}")
        if not _is_id(event["id"]):
            raise _BadLine(f"events[{i}].id is a JSON {_json_type(event['id'])}: "
                           "expected a non-empty string or an integer")
        start, end = event["start"], event["end"]
        for name, value in (("start", start), ("end", end)):
            if not isinstance(value, int) or isinstance(value, bool):
                raise _BadLine(f"events[{i}].{name} is {json.dumps(value)[:40]}: expected a character offset "
                               "(an integer)")
        if not 0 <= start <= end <= len(text):
            raise _BadLine(f"events[{i}] (id {event['id']!r}) has span [{start}, {end}): expected "
                           f"0 <= start <= end <= {len(text)} (the length of text)")
        spans.append((event["id"], start, end))
    return doc_id, dct, text, spans


def _anchor_batch(lines: Iterator[tuple[str, str]], out: TextIO, mode: str, err: TextIO,
                  date_order: str = "auto") -> int:
    """Anchor the events of a JSONL batch; a bad line is reported on stderr and skipped, never fatal."""
    from .events.anchor import anchor_events

    bad = docs = anchored = 0
    for where, line in lines:
        try:
            doc_id, dct, text, spans = _anchor_request(_parse_line(line))
            try:
                expressions = tag(text, dct=dct, mode=mode, date_order=date_order)
                anchors = anchor_events(text, [(start, end) for _, start, end in spans], dct=dct, mode=mode,
                                        expressions=expressions)
            except Exception as exc:  # noqa: BLE001 - one bad document must not stop a batch
                raise _BadLine(f"could not be anchored ({type(exc).__name__}: {exc})") from None
        except _BadLine as exc:
            err.write(f"timeline: skipped {where}: {exc}\n")
            bad += 1
            continue
        rows = []
        for (event_id, _, _), anchor in zip(spans, anchors, strict=True):
            fields = anchor.to_dict()
            rows.append({"doc_id": doc_id, "event_id": event_id, **{k: fields[k] for k in ANCHOR_FIELDS[2:]}})
        anchored += _write_json_lines(iter(rows), out)
        docs += 1
    err.write(f"timeline: anchored {anchored} event(s) in {docs} document(s)"
              + (f", skipped {bad} bad line(s)" if bad else "") + "\n")
    if docs == 0 and bad:
        return EXIT_INPUT
    return EXIT_OK


def _cmd_anchor(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    lines = _input_lines(args.input)  # an unreadable input fails before any output is created
    out, handle = _open_output(args.output, stdout)
    try:
        return _anchor_batch(lines, out, args.mode, stderr, args.date_order)
    finally:
        if handle is not None:
            handle.close()
            stderr.write(f"timeline: wrote {args.output}\n")


def _cmd_tag(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    out, handle = _open_output(args.output, stdout)
    try:
        if args.input:
            if args.text is not None:
                raise InputError("give either TEXT or --input DOCS.jsonl, not both")
            return _tag_batch(args.input, out, args.mode, stderr, args.date_order)
        if args.text is None:
            raise InputError("nothing to tag: give TEXT, '-' for stdin, or --input DOCS.jsonl")
        text = sys.stdin.read() if args.text == "-" else args.text
        dct = parse_dct(args.dct)
        if dct is None:
            stderr.write("timeline: no --dct given: relative expressions stay unresolved (anchor_source none)\n")
        _write_json_lines((e.to_dict() for e in tag(text, dct=dct, mode=args.mode, date_order=args.date_order)), out)
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
        mode, date_order = args.mode, args.date_order

        def tagger(text: str, dct: Any) -> list[Any]:
            return tag(text, dct=dct, mode=mode, date_order=date_order)

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


@contextlib.contextmanager
def _timed(timings: dict[str, dict[str, Any]], phase: str) -> Iterator[None]:
    """Record a phase's wall and main-process CPU seconds (and its worker processes' CPU) in ``timings``."""
    wall, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    try:
        yield
    finally:
        after = _children_cpu()
        timings[phase] = {
            "wall_s": round(time.perf_counter() - wall, 3),
            "cpu_s": round(time.process_time() - cpu, 3),
            "workers_cpu_s": round(after - children, 3) if after is not None and children is not None else None,
        }


def _children_cpu() -> float | None:
    """CPU seconds of the finished child processes (worker processes), or None where unknown (Windows)."""
    try:
        import resource
    except ImportError:
        return None
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _write_exports(result: Any, out: Path, formats: tuple[str, ...], charts: bool,
                   timings: dict[str, dict[str, Any]] | None = None) -> list[Path]:
    """Charts (timeline, escalation), the TimelineJS JSON and the ACLED-style CSV.

    ``result`` is a :class:`~timeline.pipeline.Timeline` or a :class:`~timeline.pipeline.DatasetBuild`
    (whose events are read back with only the columns the charts and exports use)."""
    from . import exports
    from .table import CHART_COLUMNS, EXPORT_COLUMNS

    timings = {} if timings is None else timings
    from ._memory import release, trim

    def events(columns: tuple[str, ...]) -> Any:
        # from a dataset: only the columns they read (each distinct text once), one phase at a time;
        # the Arrow table read is freed by reference counting: no garbage collection needed
        if not hasattr(result, "events_dir"):
            return result.events
        frame = result.events(columns)
        trim()
        return frame

    written: list[Path] = []
    if charts:
        import matplotlib

        matplotlib.use("Agg")  # files only; never open a window from the command line
        from . import plots

        with _timed(timings, "charts"):
            chart_events = events(CHART_COLUMNS)
            written += plots.save_figure(plots.plot_timeline(chart_events), out / "timeline", formats=formats)
            written += plots.save_figure(plots.plot_escalation(chart_events), out / "escalation", formats=formats)
            del chart_events
            release()  # the figures are reference cycles: collected here
    with _timed(timings, "exports"):
        # the title, the outlets and the main window come from the documents table
        export_events = events(EXPORT_COLUMNS)
        written.append(exports.write_timelinejs(export_events, out / "timelinejs.json", documents=result.documents))
        written.append(exports.write_acled(export_events, out / "acled.csv", documents=result.documents))
        del export_events
        trim()  # frames, dicts and lists: freed by reference counting
    return written


def _write_outputs(args: argparse.Namespace, result: Any, counts: Any, folder: Any,
                   timings: dict[str, dict[str, Any]]) -> list[Path]:
    """Every output of ``build``, staged inside ``--out`` and published at once with a manifest
    (:class:`timeline.outdir.OutputFolder`); returns the paths to report.

    The events dataset (``events.parquet/``) is already staged (:func:`timeline.pipeline.build_dataset`);
    events.csv is derived from it a batch at a time, the exports and the charts from the columns they
    read. The manifest's ``timings`` give each phase's wall and CPU seconds
    (``benchmarks/bench_scale.py`` reports the share of exports and charts)."""
    from . import store
    from ._memory import release
    from .dataset import write_events_csv
    from .exports import write_csv
    from .pipeline import DOCUMENTS_FILE
    from .table import CSV_DATE_FORMATS, DOCUMENT_COLUMNS

    with _timed(timings, "tables"):
        store.write_table(result.documents, folder.staging / DOCUMENTS_FILE, DOCUMENT_COLUMNS)
        write_events_csv(result.events_dir, folder.staging / "events.csv")
        write_csv(result.documents, folder.staging / "documents.csv", date_format=CSV_DATE_FORMATS["documents"])
        release()
    _write_exports(result, folder.staging, tuple(args.format or ["png"]), not args.no_charts, timings)
    with _timed(timings, "timeml"):
        n_tml = len(result.timeline().to_timeml(folder.staging / "timeml")) if args.timeml else 0
    manifest = {
        "timeline_version": __version__,
        "inputs": [str(i) for i in args.inputs],
        "options": {"dct": args.dct, "mode": args.mode, "date_order": args.date_order, "jobs": args.jobs,
                    "engine": args.engine,
                    "formats": list(args.format or ["png"]), "charts": not args.no_charts,
                    "timeml": bool(args.timeml), "max_chars": args.max_chars,
                    "follow_symlinks": bool(args.follow_symlinks)},
        "counts": {"documents": int(counts.sum()), **{str(k): int(v) for k, v in counts.items()},
                   "events": result.n_events, "timeml_files": n_tml},
        "timings": timings,
    }
    published = folder.publish(manifest)
    out = Path(args.out)
    shown = [p if p.name != "timeml" else out / "timeml" / f"({n_tml} .tml files)" for p in published]
    return [*shown, out / "manifest.json"]


def _cmd_build(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    import warnings

    from .errors import AnchorWarning
    from .outdir import OutputFolder
    from .pipeline import DOUBTFUL, MAX_CHARS, build_dataset

    if args.scheduler is not None and args.engine != "dask":
        stderr.write("timeline: error: --scheduler needs --engine dask\n")
        return EXIT_USAGE
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

    parse_dct(args.dct)  # a bad date is a usage error before anything is created
    import pyarrow as pa

    # This process reads the spooled blocks back: with the system allocator the freed Arrow
    # buffers go back to the OS (mimalloc keeps them); build_dataset also has glibc return each
    # large block as it is freed, once the worker processes are started (they keep its defaults).
    pa.set_memory_pool(pa.system_memory_pool())
    out_existed = Path(args.out).exists()
    try:
        # The lock is taken first: event blocks are spooled inside --out as they come, and
        # a second build into the folder is refused before it does any work.
        with OutputFolder(args.out) as folder:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", AnchorWarning)  # summarised below from documents.csv
                timings: dict[str, dict[str, Any]] = {}
                # reading, tagging, events (workers), spooling; ordering, clustering, events.parquet/
                with _timed(timings, "processing"):
                    result = build_dataset(args.inputs, folder.staging, scratch=folder.scratch, dct=args.dct,
                                           progress=progress, jobs=args.jobs, engine=args.engine,
                                           scheduler=args.scheduler, keep_text=args.timeml, mode=args.mode,
                                           date_order=args.date_order, follow_symlinks=args.follow_symlinks,
                                           max_chars=MAX_CHARS if args.max_chars is None else args.max_chars)
            docs = result.documents
            counts = docs["status"].value_counts()
            paths = _write_outputs(args, result, counts, folder, timings)
    except OutputLocked as exc:
        stderr.write(f"timeline: error: {exc}\n")
        return EXIT_INPUT
    except BaseException:
        if not out_existed:  # a failed first build leaves no empty folder behind
            try:
                Path(args.out).rmdir()
            except OSError:
                pass
        raise
    summary = (
        f"timeline: {result.n_events} events from {len(docs)} documents "
        f"({int(counts.get('ok', 0))} ok, {int(counts.get('degraded', 0))} degraded, "
        f"{int(counts.get('skipped', 0))} skipped)"
    )
    # Diagnostics (the summary, degraded and skipped documents, doubtful anchor dates) go
    # to stderr; stdout lists only the files written, so it can be piped.
    if not args.quiet:
        stderr.write(summary + "\n")
        for _, row in docs[docs["status"] != "ok"].head(20).iterrows():
            detail = row["warnings"] if isinstance(row["warnings"], str) else row["reason"]
            stderr.write(f"  {row['status']}: {row['doc_id']} ({row['source']}): {detail}\n")
        for path in paths:
            stdout.write(f"timeline: wrote {path}\n")
    elif (docs["status"] != "ok").any():
        stderr.write(summary + f"; details in {Path(args.out) / 'documents.csv'}\n")
    if len(docs) == 0 or (docs["status"] == "skipped").all():
        stderr.write("timeline: error: no document could be read\n")
        return EXIT_INPUT
    if args.strict and (docs["status"] == "skipped").any():
        stderr.write("timeline: error: some documents were skipped (--strict)\n")
        return EXIT_INPUT
    doubtful = docs["reason"].astype("string").fillna("").str.contains(DOUBTFUL, regex=False)
    if args.strict and doubtful.any():
        names = ", ".join(docs.loc[doubtful, "doc_id"].astype(str).head(5))
        stderr.write(f"timeline: error: {int(doubtful.sum())} document(s) rest on a doubtful anchor date ({names}); "
                     "pass --dct or a published field (--strict)\n")
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
        if args.command == "anchor":
            return _cmd_anchor(args, stdout, stderr)
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
