"""The whole job: documents in, event table out.

ingest -> temporal tagging -> anchor-date check -> event extraction -> tables.
Every input document ends up in ``Timeline.documents`` (processed, degraded or
skipped, with the reason); one bad document never stops a batch.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from .dct_check import check_dct
from .errors import AnchorWarning
from .events.extract import Event, extract_events
from .ingest import load
from .model import Article
from .table import documents_frame, events_frame
from .tagging import parse_dct, tag

Input = str | Path | Article


@dataclass
class Timeline:
    """The result of :func:`build`: the ordered events and one row per input document."""

    events: pd.DataFrame
    documents: pd.DataFrame

    def to_csv(self, out_dir: str | Path) -> list[Path]:
        """Write ``events.csv`` and ``documents.csv`` into ``out_dir``; returns the paths."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = [out / "events.csv", out / "documents.csv"]
        self.events.to_csv(paths[0], index=False, date_format="%Y-%m-%d %H:%M")
        self.documents.to_csv(paths[1], index=False, date_format="%Y-%m-%d")
        return paths

    def __repr__(self) -> str:
        statuses = self.documents["status"].value_counts().to_dict() if len(self.documents) else {}
        return f"Timeline({len(self.events)} events from {len(self.documents)} documents: {statuses})"


def process_article(article: Article) -> tuple[Article, int, list[Event]]:
    """Tag, check the anchor date and extract events of one article.

    Returns the article (its status and warnings updated), the number of time
    expressions and the events. Never raises for a bad document: an unexpected
    error becomes a skipped document with the error as its reason.
    """
    if article.status == "skipped":
        return article, 0, []
    try:
        expressions = tag(article.text, dct=article.published)
        notes = list(article.warnings)
        status = article.status
        reason = article.reason
        proposed = article.proposed_dct
        if article.published is None:
            notes.append("no publication date found: relative times stay unresolved; pass --dct or a published field")
            status = "degraded"
            reason = reason or "no anchor date"
        elif article.dct_source != "given":
            check = check_dct(article.text, article.published, article.dct_source)
            if not check.plausible:
                notes.append(check.message)
                status = "degraded"
                reason = reason or "doubtful anchor date"
                proposed = check.proposed
        article = dataclasses.replace(article, warnings=tuple(notes), status=status, reason=reason,
                                      proposed_dct=proposed)
        events = extract_events(article, expressions)
        return article, len(expressions), events
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop a batch
        failed = dataclasses.replace(article, status="skipped",
                                     reason=f"internal error while processing: {type(exc).__name__}: {exc}")
        return failed, 0, []


def _articles(inputs: Input | Iterable[Input], dct: date | None) -> Iterator[Article]:
    items = [inputs] if isinstance(inputs, (str, Path, Article)) else list(inputs)
    paths: list[str | Path] = []
    for item in items:
        if isinstance(item, Article):
            if paths:
                yield from load(paths, dct=dct)
                paths = []
            yield dataclasses.replace(item, published=dct, dct_source="given") if dct else item
        else:
            paths.append(item)
    if paths:
        yield from load(paths, dct=dct)


def build(
    inputs: Input | Iterable[Input],
    dct: str | date | datetime | None = None,
    *,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
) -> Timeline:
    """Build the event table from files, folders or in-memory articles.

    Args:
        inputs: paths (files or folders; .txt, .html, .jsonl) and/or Article objects.
        dct: an anchor date for every document, overriding what the documents say.
        progress: optional wrapper for the document iterator (e.g. ``tqdm.tqdm``).

    Emits an :class:`~timeline.errors.AnchorWarning` for each document whose
    anchor date is missing or doubtful (also recorded in ``documents``).
    """
    anchor = parse_dct(dct)
    stream: Iterable[Article] = _articles(inputs, anchor)
    if progress is not None:
        stream = progress(stream)
    reports: list[tuple[Article, int, int]] = []
    all_events: list[Event] = []
    order: dict[str, int] = {}
    for article in stream:
        article, n_expr, events = process_article(article)
        order.setdefault(article.doc_id, len(order))
        reports.append((article, n_expr, len(events)))
        all_events.extend(events)
        if article.reason in ("no anchor date", "doubtful anchor date") and article.warnings:
            warnings.warn(f"{article.doc_id}: {article.warnings[-1]}", AnchorWarning, stacklevel=2)
    return Timeline(events=events_frame(all_events, order), documents=documents_frame(reports))
