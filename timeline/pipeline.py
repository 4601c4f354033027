"""The whole job: documents in, event table out.

ingest -> temporal tagging -> anchor-date check -> event extraction -> tables.
Every input document ends up in ``Timeline.documents`` (processed, degraded or
skipped, with the reason); one bad document never stops a batch.
"""

from __future__ import annotations

import dataclasses
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
from .ingest import load
from .model import Article, TimeExpression
from .table import EventColumns, documents_frame
from .tagging import _MODES as MODES  # the anchoring modes timeline.tag accepts
from .tagging import check_date_order, parse_dct, tag

Input = str | Path | Article


@dataclass
class Timeline:
    """The result of :func:`build`: the ordered events and one row per input document.

    ``expressions`` keeps every time expression per processed document (and the
    document texts, for :meth:`to_timeml`), unless ``build(..., keep_text=False)``.
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

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        return [write_csv(self.events, out / "events.csv", date_format="%Y-%m-%d %H:%M"),
                write_csv(self.documents, out / "documents.csv", date_format="%Y-%m-%d")]

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
        >>> ambiguity_warning(tag("Posted 03/04/2024.", dct="2024-04-10"))
        'ambiguous day/month order in 1 numeric date, read as day first (DMY), nearer the publication date; pass --date-order (or a date_order field) to set it'
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


def _articles(inputs: Input | Iterable[Input], dct: date | None, follow_symlinks: bool = False,
              within: str | None = None, max_chars: int | None = MAX_CHARS) -> Iterator[Article]:
    for article in _read_articles(inputs, dct, follow_symlinks, within):
        yield _capped(article, max_chars)


def _read_articles(inputs: Input | Iterable[Input], dct: date | None, follow_symlinks: bool = False,
                   within: str | None = None) -> Iterator[Article]:
    items = [inputs] if isinstance(inputs, (str, Path, Article)) else list(inputs)
    paths: list[str | Path] = []
    for item in items:
        if isinstance(item, Article):
            if paths:
                yield from load(paths, dct=dct, follow_symlinks=follow_symlinks, within=within)
                paths = []
            yield dataclasses.replace(item, published=dct, dct_source="given") if dct else item
        else:
            paths.append(item)
    if paths:
        yield from load(paths, dct=dct, follow_symlinks=follow_symlinks, within=within)


Processed = tuple[Article, list[TimeExpression], list[Event]]

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


def _process_in_parallel(articles: Iterable[Article], jobs: int, mode: str = "news",
                         date_order: str | None = None) -> Iterator[Processed]:
    """process_article over worker processes, results in input order.

    At most ``4 * jobs`` documents are in flight, so memory stays bounded however
    long the input stream is.
    """
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    window = 4 * jobs
    # Load the rules, trigger lexicon and gazetteer once here: forked workers share them.
    process_article(Article(doc_id="warm-up", text="Rebels took Aleppo on Friday.", published=date(2024, 12, 2),
                            dct_source="given"), mode, date_order)
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            pending: deque[Any] = deque()
            for article in articles:
                pending.append(pool.submit(process_article, article, mode, date_order))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    except BrokenProcessPool as exc:
        raise TimelineError(f"a worker process died (killed, or out of memory) with --jobs {jobs}; nothing was "
                            "written: run again, with fewer jobs or more memory") from exc


def _process_with_dask(inputs: Input | Iterable[Input], dct: date | None, scheduler: str | None,
                       partitions: int | None, mode: str = "news",
                       follow_symlinks: bool = False, max_chars: int | None = MAX_CHARS,
                       date_order: str | None = None) -> Iterator[Processed]:
    """Ingest, tag and extract as Dask tasks, one task per input path (or per article).

    Results come back in input order, so the tables are identical to the local engine's.
    """
    try:
        import dask.bag as db
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise InputError("engine 'dask' needs Dask: pip install 'timeline[dask]'") from exc
    items = [inputs] if isinstance(inputs, (str, Path, Article)) else list(inputs)
    units: list[Any] = []
    for item in items:
        if isinstance(item, Article):
            units.append(item)
        else:
            units.extend(_expand_paths(item, follow_symlinks))
    bag = db.from_sequence(units, npartitions=partitions or max(1, min(len(units), 64)))
    results = bag.map(_process_unit, dct, mode, follow_symlinks, max_chars, date_order).compute(
        **_dask_compute_kwargs(scheduler))
    for batch in results:
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


def _process_unit(unit: Any, dct: date | None, mode: str = "news",
                  follow_symlinks: bool = False, max_chars: int | None = MAX_CHARS,
                  date_order: str | None = None) -> list[Processed]:
    within = None
    if isinstance(unit, tuple):
        unit, within = unit
    return [process_article(a, mode, date_order) for a in _articles(unit, dct, follow_symlinks, within, max_chars)]


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
) -> Timeline:
    """Build the event table from files, folders or in-memory articles.

    Args:
        inputs: paths (files or folders; .txt, .html, .jsonl) and/or Article objects.
        dct: an anchor date for every document, overriding what the documents say.
        jobs: worker processes for the local engine (results identical to ``jobs=1``).
        engine: ``"local"`` or ``"dask"`` (per-document work as Dask tasks; needs the
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
        follow_symlinks: follow symbolic links that leave the input folders, and
            links to folders (default False: such links are listed as skipped in
            ``documents`` with the reason, and not read; see :func:`timeline.ingest.load`).
        max_chars: cut each document's text to this many characters (default
            :data:`MAX_CHARS`, 2 million; None or 0: no cap); a cut document is ``degraded``
            with the reason in ``documents``.
        date_order: how slash dates such as "03/04/2024" are read: None or ``"auto"``
            (each document decides from its own dates, else the reading nearer its
            publication date, with a warning in ``documents``), ``"MDY"``, ``"DMY"`` or
            ``"YMD"`` (see :func:`timeline.tag`); a document's own ``date_order`` field wins.

    Emits an :class:`~timeline.errors.AnchorWarning` for each document whose
    anchor date is missing or doubtful (also recorded in ``documents``). Each event
    carries its document's ``dct_source`` and ``dct_status`` (:func:`dct_status`), so
    a filtered table still shows which rows rest on a doubtful or missing date.
    """
    anchor = parse_dct(dct)
    if jobs < 1:
        raise InputError(f"invalid jobs {jobs!r}: expected a positive number of processes")
    if engine not in ("local", "dask"):
        raise InputError(f"invalid engine {engine!r}: expected 'local' or 'dask'")
    if mode not in MODES:
        raise InputError(f"invalid mode {mode!r}: expected one of {', '.join(MODES)}")
    read_order = check_date_order(date_order)
    processed: Iterable[Processed]
    if engine == "dask":
        processed = _process_with_dask(inputs, anchor, scheduler, None, mode, follow_symlinks, max_chars, read_order)
    elif jobs > 1:
        processed = _process_in_parallel(_articles(inputs, anchor, follow_symlinks, None, max_chars), jobs, mode,
                                         read_order)
    else:
        processed = (process_article(a, mode, read_order)
                     for a in _articles(inputs, anchor, follow_symlinks, None, max_chars))
    if progress is not None:
        processed = progress(processed)
    reports: list[tuple[Article, int, int]] = []
    all_events = EventColumns()
    order: dict[str, int] = {}
    kept_expressions: dict[str, list[TimeExpression]] = {}
    texts: dict[str, str] = {}
    anchor_of: dict[str, tuple[str, str]] = {}  # doc_id -> (dct_source, dct_status), the worst if repeated
    for article, expressions, events in processed:
        order.setdefault(article.doc_id, len(order))
        reports.append((article, len(expressions), len(events)))
        all_events.add(events)
        if keep_text and article.status != "skipped":
            kept_expressions[article.doc_id] = expressions
            texts[article.doc_id] = article.text
        if article.status == "skipped":
            continue
        status = dct_status(article)
        earlier = anchor_of.get(article.doc_id)
        if earlier is None or _DCT_STATUS_RANK[status] > _DCT_STATUS_RANK[earlier[1]]:
            anchor_of[article.doc_id] = (article.dct_source, status)
        if status != "ok" and article.warnings:
            warnings.warn(f"{article.doc_id}: {article.warnings[-1]}", AnchorWarning, stacklevel=2)
    frame = all_events.frame(order)
    doc_ids = frame["doc_id"].astype(object)
    frame["dct_source"] = doc_ids.map(lambda d: anchor_of.get(d, (None, None))[0]).astype(
        frame["dct_source"].dtype)
    frame["dct_status"] = doc_ids.map(lambda d: anchor_of.get(d, (None, None))[1]).astype(
        frame["dct_status"].dtype)
    return Timeline(events=frame, documents=documents_frame(reports),
                    expressions=kept_expressions, texts=texts)
