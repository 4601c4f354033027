"""The whole job: documents in, event table out.

ingest -> temporal tagging -> anchor-date check -> event extraction -> tables.
Every input document ends up in ``Timeline.documents`` (processed, degraded or
skipped, with the reason); one bad document never stops a batch.
"""

from __future__ import annotations

import dataclasses
import os
import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from .dct_check import check_dct
from .errors import AnchorWarning, InputError, TimelineError
from .events.extract import Event, extract_events
from .ingest import load as read_documents
from .model import Article, TimeExpression
from .table import DocumentColumns, EventColumns
from .tagging import _MODES as MODES  # the anchoring modes timeline.tag accepts
from .tagging import check_date_order, parse_dct, tag

Input = str | Path | Article


@dataclass
class Timeline:
    """The result of :func:`build`: the ordered events and one row per input document.

    ``expressions`` keeps every time expression per processed document (and the
    document texts, for :meth:`to_timeml`), unless ``build(..., keep_text=False)``.
    :meth:`to_parquet` writes the tables, and :func:`load` reopens them with the same dtypes.
    """

    events: pd.DataFrame
    documents: pd.DataFrame
    expressions: dict[str, list[TimeExpression]] = field(default_factory=dict, repr=False)
    texts: dict[str, str] = field(default_factory=dict, repr=False)

    def to_timeml(self, out_dir: str | Path) -> list[Path]:
        """Write one TimeML file per processed document (TIMEX3 inline, DCT in <DCT>).

        File names are the doc_ids made safe: other characters than letters, digits,
        ``-``, ``_`` and ``.`` become ``_``, no leading dot, at most 100 characters, and a
        suffix (``-2``, ``-3``...) when two doc_ids would give one name (``a/b`` and ``a_b``).
        ``index.csv`` beside them maps each doc_id to its file. Characters XML cannot hold
        are written as spaces (offsets unchanged) and counted in the index.
        """
        from .exports import write_csv
        from .timeml import write_timeml, xml_safe

        if not self.texts:
            raise InputError("no document texts kept: build with keep_text=True to export TimeML")
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        published = dict(zip(self.documents["doc_id"], self.documents["published"]))
        paths = []
        used: set[str] = set()
        index: list[dict[str, Any]] = []
        for doc_id, text in self.texts.items():
            dct = published.get(doc_id)
            dct_date = None if dct is None or pd.isna(dct) else pd.Timestamp(dct).date()
            name = _tml_name(doc_id, used)
            clean, replaced = xml_safe(text)
            paths.append(write_timeml(out / name, doc_id, clean, dct_date, self.expressions.get(doc_id, [])))
            index.append({"doc_id": doc_id, "file": name, "characters_replaced": replaced})
        write_csv(pd.DataFrame(index, columns=["doc_id", "file", "characters_replaced"]), out / "index.csv")
        return paths

    def to_csv(self, out_dir: str | Path) -> list[Path]:
        """Write ``events.csv`` and ``documents.csv`` into ``out_dir``; returns the paths.

        Text cells that a spreadsheet would run as a formula get a leading apostrophe
        (:func:`timeline.exports.csv_safe`); the DataFrames themselves keep the raw text.
        """
        from .exports import write_csv
        from .table import CSV_DATE_FORMATS

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        return [write_csv(self.events, out / "events.csv", date_format=CSV_DATE_FORMATS["events"]),
                write_csv(self.documents, out / "documents.csv", date_format=CSV_DATE_FORMATS["documents"])]

    def to_parquet(self, out_dir: str | Path) -> list[Path]:
        """Write ``events.parquet/`` (a dataset folder of part files) and ``documents.parquet``
        into ``out_dir``, which :func:`load` reopens with the same dtypes; returns the paths."""
        from . import store
        from .table import DOCUMENT_COLUMNS, EVENT_COLUMNS

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        store.write_dataset(self.events, out / EVENTS_DATASET, EVENT_COLUMNS)
        return [out / EVENTS_DATASET, store.write_table(self.documents, out / DOCUMENTS_FILE, DOCUMENT_COLUMNS)]

    def __repr__(self) -> str:
        statuses = self.documents["status"].value_counts().to_dict() if len(self.documents) else {}
        return f"Timeline({len(self.events)} events from {len(self.documents)} documents: {statuses})"


def _tml_name(doc_id: str, used: set[str]) -> str:
    """A safe, unique, length-capped ``.tml`` file name for a doc_id (see :meth:`Timeline.to_timeml`)."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in doc_id).lstrip(".")[:100] or "document"
    name, k = safe, 1
    while name.lower() in used:
        k += 1
        name = f"{safe}-{k}"
    used.add(name.lower())
    return f"{name}.tml"


def process_article(article: Article, mode: str = "news",
                    date_order: str | None = None) -> tuple[Article, list[TimeExpression], list[Event]]:
    """Tag, check the anchor date and extract events of one article.

    ``mode`` (``news`` or ``narrative``) is used unless the article has its own
    ``Article.mode``; the effective mode anchors both the time expressions and the
    events, and is recorded in the returned article's ``mode``. ``date_order``
    (see :func:`timeline.tag`) likewise yields to ``Article.date_order``; the effective
    one is recorded in the returned article. Slash dates whose day/month order had to
    be guessed give one warning (:func:`ambiguity_warning`).

    Returns the article (its status, warnings and mode updated), its time expressions
    and its events. Never raises for a bad document: an unexpected
    error becomes a skipped document with the error as its reason.
    """
    if article.status == "skipped":
        return article, [], []
    from ._startcache import cached_rules

    with cached_rules():  # the rules' parsed files and patterns, as an earlier process left them
        return _process_article(article, mode, date_order)


def _process_article(article: Article, mode: str,
                     date_order: str | None) -> tuple[Article, list[TimeExpression], list[Event]]:
    try:
        effective = article.mode or mode
        order = check_date_order(article.date_order or date_order)
        expressions = tag(article.text, dct=article.published, mode=effective, date_order=order)
        notes = list(article.warnings)
        ambiguity = ambiguity_warning(expressions, by_dct=article.published is not None and effective == "news")
        if ambiguity:
            notes.append(ambiguity)
        status = article.status
        reason = article.reason
        proposed = article.proposed_dct
        if article.published is None:
            notes.append("no publication date found: relative times stay unresolved; pass --dct or a published field")
            status = "degraded"
            reason = reason or "no anchor date"
        elif article.dct_source != "given":
            # The check reads news-mode resolutions; narrative ones are anchored elsewhere.
            check = check_dct(article.text, article.published, article.dct_source,
                              expressions=expressions if effective == "news" else None)
            if not check.plausible:
                notes.append(check.message)
                status = "degraded"
                reason = f"{reason}; {DOUBTFUL}" if reason else DOUBTFUL
                proposed = check.proposed
        article = dataclasses.replace(article, warnings=tuple(notes), status=status, reason=reason,
                                      proposed_dct=proposed, mode=effective, date_order=order)
        events = extract_events(article, expressions, mode=effective)
        return article, expressions, events
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop a batch
        failed = dataclasses.replace(article, status="skipped",
                                     reason=f"internal error while processing: {type(exc).__name__}: {exc}")
        return failed, [], []


def ambiguity_warning(expressions: Iterable[TimeExpression], by_dct: bool = True) -> str | None:
    """The document-level warning for slash dates whose day/month order was guessed, or None.

    ``by_dct``: the guess was the reading nearer the publication date (news mode with a
    DCT), not the month-first default.

    Examples:
        >>> ambiguity_warning(tag("Posted 03/04/2024.", dct="2024-04-10"))  # doctest: +NORMALIZE_WHITESPACE
        'ambiguous day/month order in 1 numeric date, read as day first (DMY), nearer the publication date;
        pass --date-order (or a date_order field) to set it'
        >>> ambiguity_warning(tag("Posted 27/11/2024, updated 03/04/2024.", dct="2024-04-10")) is None
        True
    """
    readings = []
    for e in expressions:
        if e.ambiguous and e.earliest is not None:
            lead = re.match(r"\d+", e.text)
            first = int(lead.group()) if lead else None
            readings.append("month first (MDY)" if first == e.earliest.month else "day first (DMY)")
    if not readings:
        return None
    n = len(readings)
    how = " and ".join(dict.fromkeys(readings))
    why = "nearer the publication date" if by_dct else "by default"
    return (f"ambiguous day/month order in {n} numeric date{'s' if n > 1 else ''}, read as {how}, {why}; "
            "pass --date-order (or a date_order field) to set it")


#: A document's text is cut to this many characters (``build(max_chars=...)``, ``--max-chars``):
#: every stage is linear, but one runaway file should not hold a batch for minutes.
MAX_CHARS = 2_000_000


def _capped(article: Article, max_chars: int | None) -> Article:
    """The article cut to ``max_chars`` characters, degraded with the reason, if it is longer."""
    if not max_chars or article.status == "skipped" or len(article.text) <= max_chars:
        return article
    why = f"text cut to its first {max_chars:,} of {len(article.text):,} characters (size cap; --max-chars)"
    reason = f"{article.reason}; {why}" if article.reason else why
    return dataclasses.replace(article, text=article.text[:max_chars], status="degraded", reason=reason,
                               warnings=(*article.warnings, why))


#: The reason (or the part of a reason, after "; ") of a document degraded by a doubtful anchor date.
DOUBTFUL = "doubtful anchor date"
_DCT_STATUS_RANK = {"ok": 0, "doubtful": 1, "missing": 2}


def dct_status(article: Article) -> str:
    """How far a processed document's anchor date can be trusted: ``ok``, ``doubtful`` or ``missing``.

    ``missing``: no anchor date; ``doubtful``: the text contradicts it
    (:func:`timeline.dct_check.check_dct`); ``ok`` otherwise, including a given date.

    Examples:
        >>> dct_status(Article(doc_id="a", text="x"))
        'missing'
        >>> dct_status(Article(doc_id="a", text="x", published=date(2024, 12, 2), status="degraded",
        ...                    reason="decoded as cp1252 (not valid UTF-8); doubtful anchor date"))
        'doubtful'
    """
    if article.published is None:
        return "missing"
    if DOUBTFUL in (part.strip() for part in article.reason.split("; ")):
        return "doubtful"
    return "ok"


# ---------------------------------------------------------------------------
# The worker protocol: units of work out (paths and options, never texts), compact blocks back.


@dataclass(frozen=True, slots=True)
class _Task:
    """The options every unit of work is processed with (sent with each unit: a few fields)."""

    dct: date | None = None
    mode: str = "news"
    follow_symlinks: bool = False
    max_chars: int | None = MAX_CHARS
    date_order: str | None = None
    keep_text: bool = True


@dataclass(frozen=True, slots=True)
class _JsonlSlice:
    """Lines ``[start, stop)`` (byte offsets, on line boundaries) of a JSONL file, the first
    being line ``first_line``: a worker reads them itself, so a big file spreads over workers."""

    path: str
    start: int
    stop: int
    first_line: int


@dataclass(frozen=True, slots=True)
class _Doc:
    """One document as a worker reports it: the article without its text, and what ingest said."""

    article: Article
    n_expressions: int
    n_events: int
    read_skipped: bool  # skipped by ingest (such a doc_id is never flagged as a duplicate)
    n_read_warnings: int  # warnings from ingest; a duplicate-id warning goes after them


@dataclass(slots=True)
class _UnitResult:
    """What a worker sends back for one unit: document records, one columnar event block
    (Arrow, :data:`~timeline.table.BLOCK_COLUMNS`) and the texts only when they are kept."""

    docs: list[_Doc]
    events: Any  # pyarrow.Table or None
    kept: list[tuple[str, str, list[TimeExpression]]]
    ids_checked: bool  # load() already flagged doc_ids repeated inside the unit
    fresh_ids: bool = False  # an in-memory Article: a later path starts a new load()


#: A JSONL file larger than this is cut, on line boundaries, into slices of about this size.
JSONL_SLICE_BYTES = 256 * 1024
_DUPLICATE_ID = "doc_id {!r} is also used by an earlier document"


def _process_unit(unit: Any, task: _Task) -> _UnitResult:
    """Read, tag and extract one unit (a path, ``(path, folder)``, a JSONL slice or an Article)."""
    docs: list[_Doc] = []
    kept: list[tuple[str, str, list[TimeExpression]]] = []
    columns = EventColumns()
    for article in _unit_articles(unit, task):
        read_skipped, n_read = article.status == "skipped", len(article.warnings)
        article, expressions, events = process_article(_capped(article, task.max_chars), task.mode, task.date_order)
        columns.add(events)
        if task.keep_text and article.status != "skipped":
            kept.append((article.doc_id, article.text, expressions))
        docs.append(_Doc(dataclasses.replace(article, text=""), len(expressions), len(events), read_skipped, n_read))
    block = columns.arrow_block() if len(columns) else None
    return _UnitResult(docs, block, kept, ids_checked=not isinstance(unit, (_JsonlSlice, Article)),
                       fresh_ids=isinstance(unit, Article))


def _unit_articles(unit: Any, task: _Task) -> Iterator[Article]:
    if isinstance(unit, Article):
        yield dataclasses.replace(unit, published=task.dct, dct_source="given") if task.dct else unit
    elif isinstance(unit, _JsonlSlice):
        yield from _read_slice(unit, task.dct)
    else:
        path, within = unit if isinstance(unit, tuple) else (unit, None)
        yield from read_documents(path, dct=task.dct, follow_symlinks=task.follow_symlinks, within=within)


def _read_slice(piece: _JsonlSlice, given: date | None) -> Iterator[Article]:
    """The documents of a JSONL slice, as :func:`timeline.ingest.load` reads those lines."""
    from .ingest import DEFAULT_MAX_BYTES, _jsonl_article, _os_words, _State

    path = Path(piece.path)
    lineno = piece.first_line - 1
    try:
        with path.open("rb") as handle:
            handle.seek(piece.start)
            at = piece.start
            while at < piece.stop:
                raw = handle.readline()
                if not raw:
                    break
                at += len(raw)
                lineno += 1
                if not raw.strip():
                    continue
                try:
                    article = _jsonl_article(path, lineno, raw, given, DEFAULT_MAX_BYTES)
                except Exception as exc:  # noqa: BLE001 - one bad line must not lose the rest of the file
                    article = _State(doc_id=f"{path.stem}:{lineno}", source=f"{path}:{lineno}").skipped(
                        f"line {lineno} could not be processed ({type(exc).__name__}: {exc})")
                yield article
    except OSError as exc:
        yield _State(doc_id=path.stem or path.name, source=str(path)).skipped(
            f"read error after line {lineno}: {_os_words(exc)}")


def _jsonl_slices(path: str, slice_bytes: int | None = None) -> list[_JsonlSlice] | None:
    """Line-aligned slices of a big JSONL file, or None to read it whole (small, binary, blank
    or unreadable: :func:`~timeline.ingest.load` reports those). Reads the file once, in
    blocks, counting lines; memory stays one block."""
    from .ingest import _BINARY_SAMPLE, _is_binary_jsonl

    slice_bytes = slice_bytes or JSONL_SLICE_BYTES
    try:
        if os.path.getsize(path) <= slice_bytes:
            return None
        slices: list[_JsonlSlice] = []
        with open(path, "rb") as handle:
            if _is_binary_jsonl(handle.read(_BINARY_SAMPLE)):
                return None
            handle.seek(0)
            start, first_line = 0, 1  # the slice being cut
            pos, line = 0, 1  # the block's offset; the line number at `off` in it
            has_text = False
            while block := handle.read(1 << 20):
                has_text = has_text or bool(block.strip())
                off = 0
                while True:
                    cut = block.find(b"\n", max(start + slice_bytes - pos, off))
                    if cut < 0:
                        break
                    line += block.count(b"\n", off, cut + 1)
                    off = cut + 1
                    slices.append(_JsonlSlice(path, start, pos + off, first_line))
                    start, first_line = pos + off, line
                line += block.count(b"\n", off)
                pos += len(block)
            if start < pos:
                slices.append(_JsonlSlice(path, start, pos, first_line))
    except OSError:
        return None
    return slices if has_text else None


def _units(inputs: Input | Iterable[Input], follow_symlinks: bool = False,
           slice_bytes: int | None = None) -> Iterator[Any]:
    """The units of work of a build, in input order: each file of a folder (with its folder),
    each slice of a big JSONL file, each in-memory Article. A file reached twice is one unit
    (as :func:`~timeline.ingest.load` reads it once)."""
    from .ingest import _link_problem, _path_list, _real_folders

    items = [inputs] if isinstance(inputs, (str, Path, Article)) else list(inputs)
    seen: set[str] = set()
    for item in items:
        if isinstance(item, Article):
            seen = set()  # a new load() after an Article, as the documents are read in one pass
            yield item
            continue
        _path_list([item])  # an invalid path argument is an InputError now, as load() gives
        for unit in _expand_paths(item, follow_symlinks):
            path, within = unit if isinstance(unit, tuple) else (unit, None)
            problem = (within is not None and not follow_symlinks
                       and _link_problem(Path(path), _real_folders([Path(within)])) is not None)
            key = "link:" + os.path.abspath(path) if problem else os.path.realpath(path)
            if key in seen:
                continue
            seen.add(key)
            pieces = None
            if not problem and path.lower().endswith(".jsonl") and os.path.isfile(path):
                pieces = _jsonl_slices(path, slice_bytes)
            if pieces:
                yield from pieces
            else:
                yield unit


def _process_in_parallel(units: Iterable[Any], jobs: int, task: _Task | None = None) -> Iterator[_UnitResult]:
    """:func:`_process_unit` over worker processes, results in input order.

    Workers read their own files; at most ``4 * jobs`` units are in flight, so memory
    stays bounded however long the input stream is.
    """
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    task = task or _Task()
    window = 4 * jobs
    try:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            pending: deque[Any] = deque()
            for unit in units:
                pending.append(pool.submit(_process_unit, unit, task))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    except BrokenProcessPool as exc:
        raise TimelineError(f"a worker process died (killed, or out of memory) with --jobs {jobs}; nothing was "
                            "written: run again, with fewer jobs or more memory") from exc


def _process_with_dask(inputs: Input | Iterable[Input], task: _Task, scheduler: str | None,
                       partitions: int | None = None) -> Iterator[_UnitResult]:
    """The same units as the local engine, as Dask tasks over partitions of units.

    Results come back in input order, a partition at a time, so the tables are identical
    to the local engine's and the main process holds a few partitions' blocks at most.
    """
    try:
        import dask
        import dask.bag as db
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise InputError("engine 'dask' needs Dask: pip install 'timeline[dask]'") from exc
    units = list(_units(inputs, task.follow_symlinks))
    if not units:
        return
    bag = db.from_sequence(units, npartitions=partitions or max(1, min(len(units), 64)))
    parts = bag.map(_process_unit, task).to_delayed()
    kwargs = _dask_compute_kwargs(scheduler)
    client = kwargs.get("scheduler") if not isinstance(kwargs.get("scheduler"), str) else None
    if client is None and not kwargs:
        from distributed import get_client

        client = get_client()
    if client is not None:
        futures = client.compute(parts)
        for future in futures:
            yield from future.result()
            future.release()
        return
    window = 8
    if kwargs.get("scheduler") == "processes":
        from concurrent.futures import ProcessPoolExecutor

        from dask.multiprocessing import get_context

        with ProcessPoolExecutor(mp_context=get_context()) as pool:
            for lo in range(0, len(parts), window):
                for batch in dask.compute(*parts[lo:lo + window], pool=pool, **kwargs):
                    yield from batch
        return
    for lo in range(0, len(parts), window):
        for batch in dask.compute(*parts[lo:lo + window], **kwargs):
            yield from batch


def _expand_paths(item: str | Path, follow_symlinks: bool = False) -> list[str | tuple[str, str]]:
    """A folder becomes its files, in load() order, so that each file is a task.

    A file of a folder travels with the folder, ``(file, folder)``, so that a symbolic
    link leaving the folder is refused as it is by :func:`~timeline.ingest.load`.
    """
    from .ingest import list_sources

    if not Path(item).is_dir():
        return [str(item)]
    return [(str(p), str(item)) for p in list_sources(item, follow_symlinks=follow_symlinks)]


def _dask_compute_kwargs(scheduler: str | None) -> dict[str, Any]:
    if scheduler is None:
        try:
            from distributed import get_client

            get_client()  # an existing client (e.g. a LocalCluster in a notebook) is used as is
            return {}
        except (ImportError, ValueError):
            return {"scheduler": "processes"}
    if scheduler in ("processes", "threads", "synchronous", "sync"):
        return {"scheduler": scheduler}
    m = _SCHEDULER_ADDRESS.match(scheduler)
    if m is None or not 0 < int(m.group("port")) < 65536:
        raise InputError(f"--scheduler {scheduler!r} is not a Dask scheduler: give processes, threads, synchronous "
                         "or an address such as tcp://10.0.0.5:8786 (a port from 1 to 65535)")
    from distributed import Client

    try:
        return {"scheduler": Client(scheduler, timeout=10)}
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc


_SCHEDULER_ADDRESS = re.compile(r"^(?:tcp|tls|ws|wss)://[\w.\-\[\]:]+:(?P<port>\d{1,5})/?$")


def _documents(results: Iterable[_UnitResult]) -> Iterator[tuple[_Doc, _UnitResult | None]]:
    """One item per document, in input order; the first document of a unit carries the unit
    (its event block and kept texts). Flags a doc_id already used by an earlier document,
    across units, as :func:`~timeline.ingest.load` does inside one call."""
    seen: set[str] = set()
    for result in results:
        if result.fresh_ids:
            seen = set()
        in_unit: set[str] = set()
        carrier: _UnitResult | None = result
        for doc in result.docs:
            article = doc.article
            repeated = article.doc_id in seen and not (result.ids_checked and article.doc_id in in_unit)
            if repeated and not doc.read_skipped:
                notes = list(article.warnings)
                notes.insert(doc.n_read_warnings, _DUPLICATE_ID.format(article.doc_id))
                doc = dataclasses.replace(doc, article=dataclasses.replace(article, warnings=tuple(notes)))
            if not result.fresh_ids:
                seen.add(article.doc_id)
                in_unit.add(article.doc_id)
            yield doc, carrier
            carrier = None


def build(
    inputs: Input | Iterable[Input],
    dct: str | date | datetime | None = None,
    *,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
    keep_text: bool = True,
    mode: str = "news",
    follow_symlinks: bool = False,
    max_chars: int | None = MAX_CHARS,
    date_order: str | None = None,
    spool: str | Path | None = None,
) -> Timeline:
    """Build the event table from files, folders or in-memory articles.

    Args:
        inputs: paths (files or folders; .txt, .html, .jsonl) and/or Article objects.
        dct: an anchor date for every document, overriding what the documents say.
        jobs: worker processes for the local engine (results identical to ``jobs=1``).
            Workers read their own files (a big JSONL file in slices) and send back
            compact columnar event blocks, not texts.
        engine: ``"local"`` or ``"dask"`` (the same units of work as Dask tasks; needs the
            ``dask`` extra). With no ``scheduler``, Dask uses an existing distributed
            client if there is one, else local processes.
        scheduler: a Dask scheduler address (``tcp://host:8786``) or a local scheduler
            name (``processes``, ``threads``, ``synchronous``).
        progress: optional wrapper for the document iterator (e.g. ``tqdm.tqdm``).
        keep_text: keep texts and time expressions for :meth:`Timeline.to_timeml`
            (turn off for very large batches to keep memory flat).
        mode: ``"news"`` (relative times and events anchored on the publication date)
            or ``"narrative"`` (on the last mentioned time: histories, timelines); a
            document's own ``mode`` (front matter, sidecar, JSONL field) wins.
        follow_symlinks: follow symbolic links that leave the input folders, and links to folders
            (default False: such links are listed as skipped in ``documents`` with the reason,
            and not read; see :func:`timeline.ingest.load`).
        max_chars: cut each document's text to this many characters (default
            :data:`MAX_CHARS`, 2 million; None or 0: no cap); a cut document is ``degraded``
            with the reason in ``documents``.
        date_order: how slash dates such as "03/04/2024" are read: None or ``"auto"``
            (each document decides from its own dates, else the reading nearer its
            publication date, with a warning in ``documents``), ``"MDY"``, ``"DMY"`` or
            ``"YMD"`` (see :func:`timeline.tag`); a document's own ``date_order`` field wins.
        spool: a folder to append the event blocks to as they come (Parquet parts, see
            :mod:`timeline.store`) instead of holding them in memory until the end; the
            command line spools inside ``--out``.

    Emits an :class:`~timeline.errors.AnchorWarning` for each document whose
    anchor date is missing or doubtful (also recorded in ``documents``). Each event
    carries its document's ``dct_source`` and ``dct_status`` (:func:`dct_status`), so
    a filtered table still shows which rows rest on a doubtful or missing date.
    """
    from . import store
    from .table import BLOCK_COLUMNS, order_events

    run = _collect(inputs, dct, jobs=jobs, engine=engine, scheduler=scheduler, progress=progress,
                   keep_text=keep_text, mode=mode, follow_symlinks=follow_symlinks, max_chars=max_chars,
                   date_order=date_order, spool=spool)
    if run.spool is not None:
        table = store.read_dataset(run.spool, BLOCK_COLUMNS)
    else:
        import pyarrow as pa

        table = pa.concat_tables(run.blocks) if run.blocks else store.schema(BLOCK_COLUMNS).empty_table()
        run.blocks.clear()
    block = store.from_arrow(table, BLOCK_COLUMNS)
    del table
    frame = order_events(block, run.order)
    del block
    doc_ids = frame["doc_id"].astype(object)
    frame["dct_source"] = doc_ids.map(lambda d: run.anchor_of.get(d, (None, None))[0]).astype(
        frame["dct_source"].dtype)
    frame["dct_status"] = doc_ids.map(lambda d: run.anchor_of.get(d, (None, None))[1]).astype(
        frame["dct_status"].dtype)
    return Timeline(events=frame, documents=run.documents, expressions=run.expressions, texts=run.texts)


@dataclass
class _Run:
    """What the document pass of a build gathers: the documents table, each document's rank and
    anchor date, the kept texts, and the event blocks (spooled to a folder, or held in ``blocks``)."""

    documents: pd.DataFrame
    order: dict[str, int]  # doc_id -> rank in input order (the tie-break of the sort)
    anchor_of: dict[str, tuple[str, str]]  # doc_id -> (dct_source, dct_status), the worst if repeated
    expressions: dict[str, list[TimeExpression]]
    texts: dict[str, str]
    spool: Path | None
    blocks: list[Any]


def _collect(inputs: Input | Iterable[Input], dct: str | date | datetime | None, *, jobs: int, engine: str,
             scheduler: str | None, progress: Callable[[Iterable[Any]], Iterable[Any]] | None, keep_text: bool,
             mode: str, follow_symlinks: bool, max_chars: int | None, date_order: str | None,
             spool: str | Path | None, in_workers: bool = False) -> _Run:
    """The document pass of :func:`build` and :func:`build_dataset`: every document read, tagged
    and its events extracted, the event blocks appended to ``spool``. The local engine works in
    ``jobs`` worker processes when ``jobs > 1`` or ``in_workers``, else in this process."""
    from . import store

    anchor = parse_dct(dct)
    if jobs < 1:
        raise InputError(f"invalid jobs {jobs!r}: expected a positive number of processes")
    if engine not in ("local", "dask"):
        raise InputError(f"invalid engine {engine!r}: expected 'local' or 'dask'")
    if mode not in MODES:
        raise InputError(f"invalid mode {mode!r}: expected one of {', '.join(MODES)}")
    task = _Task(anchor, mode, follow_symlinks, max_chars, check_date_order(date_order), keep_text)
    results: Iterable[_UnitResult]
    if engine == "dask":
        results = _process_with_dask(inputs, task, scheduler)
    elif jobs > 1 or in_workers:
        results = _process_in_parallel(_units(inputs, follow_symlinks), jobs, task)
    else:
        results = (_process_unit(unit, task) for unit in _units(inputs, follow_symlinks))
    documents: Iterable[tuple[_Doc, _UnitResult | None]] = _documents(results)
    if progress is not None:
        documents = progress(documents)
    writer = store.PartWriter(spool) if spool is not None else None
    blocks: list[Any] = []
    reports = DocumentColumns()
    order: dict[str, int] = {}
    kept_expressions: dict[str, list[TimeExpression]] = {}
    texts: dict[str, str] = {}
    anchor_of: dict[str, tuple[str, str]] = {}
    for doc, unit in documents:
        article = doc.article
        if unit is not None:
            if unit.events is not None:
                if writer is not None:
                    writer.append(unit.events)
                else:
                    blocks.append(unit.events)
            for doc_id, text, expressions in unit.kept:
                kept_expressions[doc_id] = expressions
                texts[doc_id] = text
        order.setdefault(article.doc_id, len(order))
        reports.add(article, doc.n_expressions, doc.n_events)
        if article.status == "skipped":
            continue
        status = dct_status(article)
        earlier = anchor_of.get(article.doc_id)
        if earlier is None or _DCT_STATUS_RANK[status] > _DCT_STATUS_RANK[earlier[1]]:
            anchor_of[article.doc_id] = (article.dct_source, status)
        if status != "ok" and article.warnings:
            warnings.warn(f"{article.doc_id}: {article.warnings[-1]}", AnchorWarning, stacklevel=3)
    if writer is not None:
        writer.close()
    frame = reports.frame()
    del reports
    return _Run(frame, order, anchor_of, kept_expressions, texts, writer.folder if writer is not None else None,
                blocks)


@dataclass
class DatasetBuild:
    """The result of :func:`build_dataset`: the events are in the dataset folder ``events_dir``
    (read them with :meth:`events`), the documents table is here."""

    events_dir: Path
    n_events: int
    documents: pd.DataFrame
    expressions: dict[str, list[TimeExpression]] = field(default_factory=dict, repr=False)
    texts: dict[str, str] = field(default_factory=dict, repr=False)

    def events(self, columns: Iterable[str] | None = None) -> pd.DataFrame:
        """The events table, or only the named columns of it, with the dtypes :func:`build` gives."""
        from .dataset import read_events

        return read_events(self.events_dir, columns)

    def timeline(self) -> Timeline:
        """A :class:`Timeline` of the documents and kept texts (its events table left empty), for
        :meth:`Timeline.to_timeml`."""
        from .table import events_frame

        return Timeline(events=events_frame([]), documents=self.documents, expressions=self.expressions,
                        texts=self.texts)


def build_dataset(inputs: Input | Iterable[Input], out_dir: str | Path, *, scratch: str | Path,
                  dct: str | date | datetime | None = None, jobs: int = 1, engine: str = "local",
                  scheduler: str | None = None, progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
                  keep_text: bool = True, mode: str = "news", follow_symlinks: bool = False,
                  max_chars: int | None = MAX_CHARS, date_order: str | None = None,
                  rows_per_part: int | None = None) -> DatasetBuild:
    """:func:`build`, with the events written to ``out_dir/events.parquet/`` instead of returned:
    the event blocks are spooled to ``scratch`` as they come, then sorted and clustered from their
    key columns alone and written in table order (:mod:`timeline.dataset`), so the memory of this
    process does not hold the whole table. The dataset equals ``build(...).to_parquet(out_dir)``'s,
    row for row; the options are :func:`build`'s, except that the local engine always reads and
    tags in worker processes (``jobs`` of them, one with ``jobs=1``): this process only gathers
    their blocks, and holds neither the tagger nor the gazetteer while it does. Once they are
    done, glibc is set to give each large freed block back to the OS
    (:func:`timeline._memory.map_large_blocks`, for the rest of the process). The command line
    builds this way."""
    from . import dataset, store
    from ._memory import map_large_blocks, release

    scratch = Path(scratch)
    run = _collect(inputs, dct, jobs=jobs, engine=engine, scheduler=scheduler, progress=progress,
                   keep_text=keep_text, mode=mode, follow_symlinks=follow_symlinks, max_chars=max_chars,
                   date_order=date_order, spool=scratch / "events", in_workers=True)
    # from here on this process alone (the workers, forked before, keep glibc's defaults): each
    # large block it frees goes back to the OS, so one phase's peak does not stay for the next
    map_large_blocks()
    release()
    ordering = dataset.order_spool(scratch / "events", run.order, run.anchor_of)
    release()
    target = Path(out_dir) / EVENTS_DATASET
    n = dataset.write_ordered(scratch / "events", ordering, target, work=scratch / "ordered",
                              rows_per_part=rows_per_part or store.ROWS_PER_PART)
    del ordering
    release()
    return DatasetBuild(events_dir=target, n_events=n, documents=run.documents, expressions=run.expressions,
                        texts=run.texts)


#: The Parquet files of an output folder: the events dataset (a folder of parts) and the documents.
EVENTS_DATASET = "events.parquet"
DOCUMENTS_FILE = "documents.parquet"


def load(out_dir: str | Path) -> Timeline:
    """Reopen the Timeline of a ``timeline build --out`` folder, with the dtypes :func:`build` gives.

    Reads ``events.parquet/`` (its parts in order) and ``documents.parquet``. The folder
    must hold a complete build (its ``manifest.json``); texts and time expressions are not
    stored (``--timeml`` writes them as TimeML files), so the Timeline has none.
    """
    from . import store
    from .outdir import MANIFEST_NAME
    from .table import DOCUMENT_COLUMNS, EVENT_COLUMNS

    out = Path(out_dir)
    if not (out / MANIFEST_NAME).is_file():
        raise InputError(f"{out} is not a complete timeline output folder: no {MANIFEST_NAME} (build into it "
                         "with `timeline build ... --out DIR`, and let the build finish)")
    if not (out / EVENTS_DATASET).is_dir() or not (out / DOCUMENTS_FILE).is_file():
        raise InputError(f"{out} has no {EVENTS_DATASET}/ and {DOCUMENTS_FILE}: it was written by an older "
                         "timeline; build it again to reopen it")
    events = store.from_arrow(store.read_dataset(out / EVENTS_DATASET, EVENT_COLUMNS), EVENT_COLUMNS)
    documents = store.read_table(out / DOCUMENTS_FILE, DOCUMENT_COLUMNS)
    return Timeline(events=events, documents=documents)
