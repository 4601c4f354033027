"""Read documents from disk into :class:`~timeline.model.Article` records (no tagging here).

:func:`load` walks files and folders and yields one :class:`Article` per document,
including the ones it could not read (``status="skipped"`` with a plain-words
``reason``), so a batch never loses a document silently and never stops on a bad one.
:func:`article_from_text` builds the same record for a text already in memory.

Formats, chosen by file extension:

* ``.txt`` / ``.md``: the whole file is one document. Optional YAML front matter
  fenced by ``---`` lines at the very top (keys ``published``, ``title``, ``url``,
  ``source``, ``doc_id``, ``mode``, ``date_order``) is removed from the text and read as metadata.
* ``.html`` / ``.htm``: the main text comes from ``trafilatura.extract`` (comments
  left out), the publication date from ``htmldate.find_date`` and the title and
  URL from ``trafilatura.extract_metadata``.
* ``.jsonl``: one document per non-blank line, a JSON object with ``text`` and
  optional ``doc_id``, ``published``, ``title``, ``url``, ``source``, ``mode``, ``date_order``. Each line is
  its own Article with source ``path:line``; a broken line (invalid JSON, nested too
  deeply, a NUL byte, not UTF-8) becomes one skipped or degraded Article whose reason
  names the line, and the rest of the file is still read. A NUL byte does not make
  the whole file binary unless no line of its first 8 KB is a JSON object.
* A sidecar ``<stem>.meta.json`` next to a .txt, .md, .html or .htm file (keys
  ``doc_id``, ``published``, ``title``, ``url``, ``source``, ``mode``, ``date_order``) is read like front
  matter and wins over it. A sidecar is not a document: it yields no Article of its
  own unless its document is missing.
* Anything else is skipped with a reason naming the accepted extensions.

The ``source`` metadata key (the publisher) is accepted but not stored:
``Article.source`` always says where the document was read from.

The ``mode`` key (``news`` or ``narrative``, see :func:`timeline.tag`) says how this
document's relative times are anchored; it is kept as ``Article.mode`` and wins over
the mode of the build. Without it ``Article.mode`` is None (the build's mode). An
invalid value makes the document degraded and leaves ``Article.mode`` None.
The ``date_order`` key (``MDY``, ``DMY``, ``YMD`` or ``auto``, see :func:`timeline.tag`)
says how the document writes slash dates; it is kept as ``Article.date_order`` and wins
over the build's ``date_order`` (``auto``: the build's). An invalid value is ignored, with a warning.

Symbolic links inside an input folder are not followed out of the folders given
(nor into linked folders) unless ``follow_symlinks=True``: such a link is a skipped
Article with the reason, and its target is not read (see :func:`load`).

Anchor date (DCT) cascade, most trusted first; ``Article.dct_source`` records the
step used (:data:`~timeline.model.DCT_SOURCES`), and a warning names the evidence
whenever the date is not given:

1. ``given``: the ``dct`` argument, else a ``published`` field (sidecar, then front
   matter, or the JSONL line). An invalid ``published`` value makes the document
   degraded with ``published=None``: a broken user-given date is reported, not
   replaced by a guess.
2. ``html-meta``: the page's publication date in its markup: ``<meta>`` keys,
   JSON-LD ``datePublished``, ``itemprop="datePublished"``, ``<time pubdate>`` (the
   keys are data, ``rules/en/events/pubdates.yaml``). A modified date
   (``dateModified``, ``article:modified_time``...) is never taken here, whatever
   its order on the page; related-article sidebars, menus and footers are left out.
3. ``url``: a date in the document's URL: ``YYYY/MM/DD``, ``YYYY-MM-DD``, ``/20241202/``,
   ``/2024/Dec/08/`` (:func:`timeline.datelines.url_date`).
4. ``text-header``: a byline among the first three non-empty lines of the text
   ("Nov. 30, 2024 / 9:15 PM", "Published 30 November 2024", "By Jane Doe | December 3,
   2024 | 4 min read"), or a dateline with its year ("BEIRUT, Nov. 30, 2024 (Reuters) -").
5. ``html-meta``: a byline elsewhere at the top of the page (outside the main text).
6. ``text-header``: a dateline without a year ("AMMAN, Dec 4 (AP) -"), its year from the
   page's modified date, URL or copyright line (said in a warning).
7. Weaker dates, each checked against the text at once with
   :func:`timeline.dct_check.check_dct` (``display=True``), so that a site's display date
   far from the story degrades the document and proposes the date the text supports:
   a Unix timestamp in the URL (``url``); htmldate's fast mode, original date preferred,
   on the page without its sidebars (``html-meta``); a bare date line at the top of the
   text ("Thursday, 05 December 2024", ``text-header``: checked after tagging, like the
   seed's header line) or of the page (``html-meta``); htmldate's extensive search of the
   page text, tried only when everything above found nothing (``html-meta``).
8. ``html-meta``: a modified date alone, used with a warning, the document degraded
   ("doubtful anchor date") and checked against the text.
9. ``text-header``: no date anywhere: a date proposed from the text
   (:func:`timeline.dct_check.propose_dct`: the dateline, else the latest explicit date
   fitted to the narrated weekdays, its year from the text or the page's copyright year),
   used with a warning, ``proposed_dct`` set and the document degraded ("doubtful anchor date").
10. ``none``: no date; relative expressions will stay unresolved.

Today's date is never used. Whether the chosen date fits the text is a separate
question, answered after tagging by :func:`timeline.dct_check.check_dct`.

Decoding: UTF-8 (with or without BOM), UTF-16 with a BOM, then for HTML the
charset the page declares, then cp1252 (the usual legacy encoding of English
news; charset detection misreads short Latin text, e.g. as cp775), then
charset_normalizer's guess when it is installed, then latin-1. Anything but
UTF-8, UTF-16 or a declared charset makes the document degraded with a
"decoded as ..." reason.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from .datelines import (
    DateLine,
    find_date_lines,
    find_dateline,
    find_header_date,
    load_pubdate_rules,
    parse_date_text,
    url_date,
)
from .dct_check import check_dct, propose_dct
from .errors import InputError
from .model import Article, iso_day
from .tagging import _MODES as MODES  # the anchoring modes timeline.tag accepts
from .tagging import DATE_ORDERS, check_date_order, parse_dct

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SIDECAR_SUFFIX",
    "SUPPORTED_SUFFIXES",
    "article_from_text",
    "find_header_date",
    "load",
]

#: File extensions read as documents.
SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")

#: Suffix of metadata sidecars: ``story.meta.json`` describes ``story.txt``.
SIDECAR_SUFFIX = ".meta.json"

#: Documents larger than this get a warning (they are still read in full).
DEFAULT_MAX_BYTES = 5_000_000

_SIDECAR_TARGETS = (".txt", ".md", ".html", ".htm")
_TEXT_SUFFIXES = (".txt", ".md")
_HTML_SUFFIXES = (".html", ".htm")
_PUBLISHED_FORM = "expected YYYY-MM-DD (e.g. 2024-12-02) or an ISO datetime"
_BINARY_SAMPLE = 8192
_CONTROL_BYTES = frozenset(range(32)) - {9, 10, 12, 13} | {127}
#: The reason part that marks a doubtful anchor date (the same words as timeline.pipeline.DOUBTFUL).
_DOUBTFUL = "doubtful anchor date"
_COPYRIGHT = re.compile(r"(?i)(?:©|&copy;|&#169;|\(c\)|copyright)\s*"
                        r"(?:(?:19|20)\d{2}\s*[-–]\s*)?((?:19|20)\d{2})(?!\d)")
_DROP_TAGS = frozenset({"aside", "nav", "footer", "script", "style", "noscript", "template", "form", "iframe"})
_KEEP_TAGS = frozenset({"html", "body", "main", "article"})
_PAGE_TOP_LINES = 40
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


# ---------------------------------------------------------------------------
# Public API


def load(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    dct: str | date | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    follow_symlinks: bool = False,
    within: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
) -> Iterator[Article]:
    """Read files and folders into Articles, one per document, bad ones included.

    Folders are walked recursively in sorted order; hidden files and folders
    (name starting with ``.``) are skipped, and a file reached twice is read once.
    Documents are read one at a time, so memory holds one document, never the batch.

    Symbolic links met inside a folder are not followed out of it: a link to a file
    that resolves outside the input folders, and a link to a folder, become skipped
    Articles whose reason says so, and nothing of their target is read (a linked
    metadata sidecar outside the folders is ignored and its document degraded). A link to a file
    inside the input folders is read. A file named directly in ``paths`` is always
    read, link or not. ``follow_symlinks=True`` follows every link, folder links
    included (each folder is walked once, so a link loop ends).

    Args:
        paths: a file or folder, or an iterable of them.
        dct: anchor date for every document (``YYYY-MM-DD`` or a date); it wins
            over any ``published`` field and page metadata (``dct_source="given"``).
        max_bytes: documents larger than this get a size warning; they are still
            read in full (the tagger is linear in the text length).
        follow_symlinks: follow symbolic links out of the input folders, and into
            linked folders (default False: such links are reported, not read).
        within: the folders that links must resolve inside (default: the folders
            among ``paths``); used when a folder's files are loaded one at a time.

    Returns:
        A lazy iterator of Articles in a stable order: the given paths in order,
        each folder's files sorted by name, JSONL lines in file order.

    Raises:
        InputError: at call time, for an invalid ``dct``, ``max_bytes`` or path
            argument. A bad document never raises; it becomes a skipped or
            degraded Article whose ``reason`` says why.

    Examples:
        >>> [a.doc_id for a in load([])]
        []
        >>> load([], dct="2024-13-45")  # doctest: +NORMALIZE_WHITESPACE
        Traceback (most recent call last):
        ...
        timeline.errors.InputError: invalid DCT '2024-13-45': month must be in 1..12; expected YYYY-MM-DD
        (e.g. 2024-12-02), a datetime.date or a datetime.datetime
    """
    given = parse_dct(dct)
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes <= 0:
        raise InputError(f"invalid max_bytes {max_bytes!r}: expected a positive number of bytes, e.g. 5000000")
    roots = _path_list(paths)
    if within is None:
        bounds = [root for root in roots if root.is_dir()]
    else:
        bounds = _path_list(within)
    return _load(roots, given, max_bytes, bool(follow_symlinks), _real_folders(bounds), within is not None)


def article_from_text(
    text: str,
    *,
    doc_id: str,
    published: str | date | None = None,
    title: str | None = None,
    url: str | None = None,
    source: str = "<memory>",
    mode: str | None = None,
    date_order: str | None = None,
) -> Article:
    """Build an Article from a text already in memory, with the same DCT cascade as :func:`load`.

    Without ``published`` the anchor date comes from a date in ``url``, else from a
    date line at the top of the text, else there is none. ``mode`` (``news`` or
    ``narrative``) overrides the build's mode for this document, and ``date_order``
    (``MDY``, ``DMY``, ``YMD`` or ``auto``) its date order.

    Raises:
        InputError: ``published`` is not a valid date or ``mode`` not a mode (usage
            errors: the values come from the caller), nor ``date_order`` one. An empty text is not an error:
            it gives a skipped Article.

    Examples:
        >>> a = article_from_text("Tuesday, June 17, 2025\\n\\nRebels advanced on Friday.", doc_id="x")
        >>> a.published, a.dct_source
        (datetime.date(2025, 6, 17), 'text-header')
        >>> article_from_text("Rebels advanced on Friday.", doc_id="x", published="2024-12-02").dct_source
        'given'
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    if not isinstance(doc_id, str) or not doc_id:
        raise InputError(f"invalid doc_id {doc_id!r}: expected a non-empty string")
    try:
        given = parse_dct(published)
    except InputError as exc:
        raise InputError(f"document {doc_id!r}, field published: {exc}") from None
    if mode is not None and mode not in MODES:
        raise InputError(f"document {doc_id!r}, field mode: invalid mode {mode!r}; expected one of {', '.join(MODES)}")
    try:
        order = check_date_order(date_order)
    except InputError as exc:
        raise InputError(f"document {doc_id!r}, field date_order: {exc}") from None
    state = _State(doc_id=doc_id, source=source, title=title, url=url, mode=mode, date_order=order)
    if not text.strip():
        return state.skipped("empty document")
    state.text = text
    state.published, state.dct_source = given, "given" if given else "none"
    return state.finish(None)


# ---------------------------------------------------------------------------
# Walking the inputs


def list_sources(paths: str | Path | Iterable[str | Path], *, follow_symlinks: bool = False) -> list[Path]:
    """The files ``load(paths)`` would read, in the same order, without reading them.

    Used to split a batch into one task per file (``--jobs``, the Dask engine): load
    each with ``within=`` its folder, so that links leaving it are still refused.
    Unreadable folders and links are returned as they are, so that ``load`` reports them.
    """
    out: list[Path] = []
    seen: set[str] = set()
    for root in _path_list(paths):
        for path, _error in _walk(root, follow_symlinks):
            key = os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                out.append(path)
    return out


def _path_list(paths: Any) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        items = [paths]
    elif isinstance(paths, Iterable) and not isinstance(paths, (bytes, Mapping)):
        items = list(paths)
    else:
        raise InputError(f"invalid paths of type {type(paths).__name__}: expected a path or an iterable of paths")
    out = []
    for item in items:
        if not isinstance(item, (str, os.PathLike)) or (isinstance(item, str) and not item):
            raise InputError(f"invalid path {item!r}: expected a non-empty str or pathlib.Path")
        out.append(Path(item))
    return out


def _real_folders(folders: Iterable[Path]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(os.path.realpath(folder) for folder in folders))


def _is_inside(real: str, folders: tuple[str, ...]) -> bool:
    """True when the resolved path ``real`` is one of ``folders`` or lies below one."""
    for folder in folders:
        try:
            if os.path.commonpath([real, folder]) == folder:
                return True
        except ValueError:  # different drives
            continue
    return False


def _link_problem(path: Path, bounds: tuple[str, ...]) -> str | None:
    """Why a symbolic link met inside an input folder is not read, or None to read it."""
    if not path.is_symlink():
        return None
    real = os.path.realpath(path)
    if os.path.isdir(real):
        return "symbolic link to a folder; not followed (use --follow-symlinks to read it)"
    if not _is_inside(real, bounds):
        return (
            f"symbolic link to a file outside the input folders ({real}); not read "
            "(use --follow-symlinks to read it)"
        )
    return None


def _load(
    roots: list[Path],
    given: date | None,
    max_bytes: int,
    follow: bool = False,
    bounds: tuple[str, ...] = (),
    check_roots: bool = False,
) -> Iterator[Article]:
    """The documents of ``roots``; links met inside them (and the roots themselves when
    ``check_roots``: they were met inside ``bounds``) must resolve inside ``bounds``."""
    seen_files: set[str] = set()
    seen_ids: set[str] = set()
    for root in roots:
        problem = None if follow or not check_roots else _link_problem(root, bounds)
        if problem is not None:
            yield _State(doc_id=root.stem or root.name, source=str(root)).skipped(problem)
            continue
        for path, error in _walk(root, follow):
            problem = None if follow or path == root else _link_problem(path, bounds)
            if problem is not None:
                key = "link:" + os.path.abspath(path)
                if key not in seen_files:
                    seen_files.add(key)
                    yield _State(doc_id=path.stem or path.name, source=str(path)).skipped(problem)
                continue
            key = os.path.realpath(path)
            if key in seen_files:
                continue
            seen_files.add(key)
            if error is not None:
                yield _State(doc_id=path.name or str(path), source=str(path)).skipped(
                    f"cannot list folder: {_os_words(error)}"
                )
                continue
            sidecar_bounds = None if follow else (
                bounds if path != root or check_roots else _real_folders([path.parent])
            )
            for article in _read_path(path, given, max_bytes, sidecar_bounds):
                if article.status != "skipped" and article.doc_id in seen_ids:
                    article = _with_warning(article, f"doc_id {article.doc_id!r} is also used by an earlier document")
                seen_ids.add(article.doc_id)
                yield article


def _walk(root: Path, follow: bool = False, _seen: set[str] | None = None) -> Iterator[tuple[Path, OSError | None]]:
    """Files under ``root`` in sorted order (root itself if it is not a folder).

    Links to folders are yielded as files (for load to report) unless ``follow``; when
    followed, each real folder is walked once, so a link loop ends.
    """
    if not root.is_dir():
        yield root, None
        return
    if follow:
        _seen = set() if _seen is None else _seen
        real = os.path.realpath(root)
        if real in _seen:
            return
        _seen.add(real)
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        yield root, exc
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=follow)
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(path, follow, _seen)
        elif not _is_attached_sidecar(path):
            yield path, None


def _is_attached_sidecar(path: Path) -> bool:
    """True for ``x.meta.json`` when its document ``x.txt`` (or .md/.html/.htm) exists."""
    if not path.name.endswith(SIDECAR_SUFFIX):
        return False
    stem = path.name[: -len(SIDECAR_SUFFIX)]
    return any(path.with_name(stem + suffix).is_file() for suffix in _SIDECAR_TARGETS)


def _read_path(
    path: Path, given: date | None, max_bytes: int, bounds: tuple[str, ...] | None = None
) -> Iterator[Article]:
    suffix = path.suffix.lower()
    base = _State(doc_id=path.stem or path.name, source=str(path))
    if path.name.endswith(SIDECAR_SUFFIX):
        if _is_attached_sidecar(path):
            return  # read together with its document
        yield base.skipped(
            f"metadata sidecar without its document (expected {path.name[: -len(SIDECAR_SUFFIX)]}.txt next to it)"
        )
        return
    try:
        info = path.stat()
    except OSError as exc:
        yield base.skipped(f"cannot read file: {_os_words(exc)}")
        return
    if not stat.S_ISREG(info.st_mode):
        yield base.skipped("not a regular file")
        return
    if suffix not in SUPPORTED_SUFFIXES:
        kind = f"'{suffix}'" if suffix else "without an extension"
        yield base.skipped(f"unsupported file type {kind}; expected one of {', '.join(SUPPORTED_SUFFIXES)}")
        return
    try:
        if suffix == ".jsonl":
            yield from _read_jsonl(path, given, max_bytes)
        else:
            yield _read_document(path, suffix, given, max_bytes, bounds)
    except Exception as exc:  # noqa: BLE001 - a bad document must never stop the batch
        yield base.skipped(f"could not be processed ({type(exc).__name__}: {exc})")


# ---------------------------------------------------------------------------
# One document


#: Metadata keys naming the outlet (front matter, sidecar, JSONL), the first present wins; a
#: ``source`` key that is a URL or a path is not an outlet.
_PUBLISHER_KEYS = ("publisher", "outlet", "site_name", "source")
_LOOKS_LIKE_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.|/|\.{1,2}/)", re.IGNORECASE)


@dataclass
class _State:
    """Mutable draft of an Article while a document is read."""

    doc_id: str
    source: str
    text: str = ""
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: date | None = None
    dct_source: str = "none"
    published_problem: str | None = None
    mode: str | None = None
    mode_problem: str | None = None
    date_order: str | None = None
    problems: list[str] = field(default_factory=list)  # degrade the document
    notes: list[str] = field(default_factory=list)  # warnings only

    def skipped(self, reason: str) -> Article:
        return Article(
            doc_id=self.doc_id,
            text="",
            source=self.source,
            title=self.title,
            url=self.url,
            publisher=self.publisher,
            status="skipped",
            reason=reason,
            warnings=tuple(self.problems + self.notes),
        )

    def apply_meta(self, meta: Mapping[str, Any], where: str) -> None:
        """Take doc_id, published, title, url, mode and date_order from a metadata mapping (later calls win)."""
        if "doc_id" in meta and meta["doc_id"] is not None:
            value = meta["doc_id"]
            if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
                self.doc_id = str(value).strip()
            else:
                self.notes.append(f"ignored doc_id {value!r} in {where}: expected a non-empty string")
        for key in ("title", "url"):
            value = meta.get(key)
            if value is None:
                continue
            if isinstance(value, str) and value.strip():
                setattr(self, key, value.strip())
            else:
                self.notes.append(f"ignored {key} {value!r} in {where}: expected a non-empty string")
        for key in _PUBLISHER_KEYS:
            value = meta.get(key)
            if value is None:
                continue
            if isinstance(value, str) and value.strip() and not _LOOKS_LIKE_URL.match(value.strip()):
                self.publisher = value.strip()[:200]
                break
            self.notes.append(f"ignored {key} {value!r} in {where}: expected the outlet's name")
        if meta.get("mode") is not None:
            self._apply_mode(meta["mode"], where)
        if meta.get("date_order") is not None:
            try:
                self.date_order = check_date_order(meta["date_order"])
            except InputError:
                self.notes.append(f"ignored date_order {meta['date_order']!r} in {where}: expected one of "
                                  f"{', '.join(DATE_ORDERS)}")
        if meta.get("published") is not None:
            value = meta["published"]
            parsed, problem = _parse_published(value)
            if problem is not None:
                message = f"invalid published date {value!r} in {where} ({problem}); {_PUBLISHED_FORM}"
                if self.published is not None:
                    self.notes.append(f"{message}; kept {self.published.isoformat()} from an earlier source")
                else:
                    self.published_problem = message
                return
            assert parsed is not None, "_parse_published gives a date or a problem"
            if self.published_problem is not None:
                self.notes.append(f"{self.published_problem}; used {parsed.isoformat()} from {where} instead")
                self.published_problem = None
            elif self.published is not None and parsed != self.published:
                self.notes.append(
                    f"published {self.published.isoformat()} overridden by {parsed.isoformat()} in {where}"
                )
            self.published, self.dct_source = parsed, "given"

    def _apply_mode(self, value: Any, where: str) -> None:
        mode = value.strip().lower() if isinstance(value, str) else None
        if mode not in MODES:
            message = f"invalid mode {value!r} in {where} (expected one of {', '.join(MODES)})"
            if self.mode is not None:
                self.notes.append(f"{message}; kept {self.mode!r} from an earlier source")
            else:
                self.mode_problem = message
            return
        if self.mode_problem is not None:
            self.notes.append(f"{self.mode_problem}; used {mode!r} from {where} instead")
            self.mode_problem = None
        elif self.mode is not None and mode != self.mode:
            self.notes.append(f"mode {self.mode!r} overridden by {mode!r} in {where}")
        self.mode = mode

    def finish(self, clues: _PageClues | None, given: date | None = None) -> Article:
        """Run the DCT cascade and freeze the Article."""
        if self.mode_problem:
            self.problems.append(self.mode_problem + "; the build's mode was used")
            self.mode_problem = None
        proposed = None
        if given is not None:
            if self.published is not None and self.published != given:
                self.notes.append(
                    f"published {self.published.isoformat()} of the document ignored: "
                    f"the dct argument {given.isoformat()} takes precedence"
                )
            if self.published_problem:
                self.notes.append(self.published_problem + "; the dct argument was used instead")
                self.published_problem = None
            self.published, self.dct_source = given, "given"
        elif self.published_problem:
            self.problems.append(self.published_problem + "; no anchor date was set")
            self.published, self.dct_source = None, "none"
        elif self.published is None:
            proposed = self._cascade(clues)
        return Article(
            doc_id=self.doc_id,
            text=self.text,
            published=self.published,
            dct_source=self.dct_source,
            source=self.source,
            title=self.title,
            url=self.url,
            publisher=self.publisher,
            status="degraded" if self.problems else "ok",
            reason="; ".join(self.problems),
            warnings=tuple(self.notes),
            proposed_dct=proposed,
            mode=self.mode,
            date_order=self.date_order,
        )

    def _use(self, day: date, source: str, note: str | None = None) -> None:
        self.published, self.dct_source = day, source
        if note:
            self.notes.append(note)

    def _checked(self, day: date, source: str, note: str) -> date | None:
        """Use a weak date, checked against the text: degraded with a proposal if the text contradicts it."""
        self._use(day, source, note)
        verdict = check_dct(self.text, day, source, display=True)
        if verdict.plausible:
            return None
        self.notes.append(verdict.message)
        self.problems.append(_DOUBTFUL)
        return verdict.proposed

    def _cascade(self, clues: _PageClues | None) -> date | None:
        """Set published and dct_source from the page and the text; return a proposed date, if any."""
        text = self.text
        if clues is not None and clues.published:
            day, _key = clues.published[0]
            self._use(day, "html-meta", None)
            return None
        in_url = url_date(self.url)
        if in_url is not None and not in_url[2]:
            self._use(in_url[0], "url")
            return None
        lines = find_date_lines(text)
        bylines = [line for line in lines if line.kind == "byline"]
        if bylines:
            self._use(bylines[0].day, "text-header")
            return None
        dateline = find_dateline(text)
        if dateline is not None and dateline.year and dateline.month and dateline.day:
            try:
                self._use(date(dateline.year, dateline.month, dateline.day), "text-header")
                return None
            except ValueError:
                pass
        page_lines = clues.lines if clues is not None else []
        page_bylines = [line for line in page_lines if line.kind == "byline"]
        if page_bylines:
            line = page_bylines[0]
            self._use(line.day, "html-meta", f"anchor date {line.day.isoformat()} from the byline {line.text!r}")
            return None
        modified = min(day for day, _ in clues.modified) if clues is not None and clues.modified else None
        if dateline is not None and dateline.month and dateline.day:
            hint, why = None, ""
            if modified is not None:
                hint, why = modified, f"the page's modified date {modified.isoformat()}"
            elif in_url is not None:
                hint, why = in_url[0], f"the date {in_url[0].isoformat()} in the URL"
            elif clues is not None and clues.copyright_year:
                hint, why = date(clues.copyright_year, 12, 31), f"the page's copyright year {clues.copyright_year}"
            filed = dateline.date_near(hint) if hint is not None else None
            if filed is not None:
                quoted = text[dateline.start:dateline.end].strip(" -–—")
                self._use(filed, "text-header", f"anchor date {filed.isoformat()} from the dateline {quoted!r}, "
                                                f"its year from {why}")
                return None
        if in_url is not None:
            return self._checked(in_url[0], "url", f"anchor date {in_url[0].isoformat()} from a Unix timestamp "
                                                   f"in the URL ({in_url[1]})")
        if clues is not None and clues.fast is not None:
            return self._checked(clues.fast, "html-meta", f"anchor date {clues.fast.isoformat()} found by htmldate "
                                                          "in the page's elements (no publication date in its markup)")
        displays = [line for line in lines if line.kind == "display"]
        if displays:
            self._use(displays[0].day, "text-header")  # checked after tagging (timeline.dct_check)
            return None
        page_displays = [line for line in page_lines if line.kind == "display"]
        if page_displays:
            line = page_displays[0]
            return self._checked(line.day, "html-meta", f"anchor date {line.day.isoformat()} from the page's "
                                                        f"date line {line.text!r}")
        if clues is not None:
            found = clues.extensive()
            if found is not None and found not in _dates_written(text):  # a date the story tells is an event
                return self._checked(found, "html-meta", f"anchor date {found.isoformat()} found by htmldate's "
                                                         "extensive search of the page text")
        if modified is not None:
            self.problems.append(f"only a modified date on the page ({modified.isoformat()}), no publication date")
            proposed = self._checked(modified, "html-meta", f"the page gives only its modified date, "
                                                            f"{modified.isoformat()}; used as the anchor date")
            if _DOUBTFUL not in self.problems:
                self.problems.append(_DOUBTFUL)
            return proposed
        year = clues.copyright_year if clues is not None else None
        verdict = propose_dct(text, year)
        if verdict.proposed is not None:
            day = verdict.proposed
            self._use(day, "text-header", verdict.message)
            self.problems.append(f"no publication date found; {day.isoformat()} proposed from the text")
            self.problems.append(_DOUBTFUL)
            return day
        self.published, self.dct_source = None, "none"
        return None


@dataclass
class _PageClues:
    """What an HTML page says about its own dates, outside its main text."""

    published: list[tuple[date, str]] = field(default_factory=list)  # (date, markup key), page order
    modified: list[tuple[date, str]] = field(default_factory=list)
    lines: list[DateLine] = field(default_factory=list)  # date lines at the top of the page
    fast: date | None = None  # htmldate, fast mode, on the page without its furniture
    copyright_year: int | None = None
    cleaned: str = ""

    def extensive(self) -> date | None:
        """htmldate's extensive search on the cleaned page (slow: only when nothing else was found)."""
        if not self.cleaned:
            return None
        return _htmldate(self.cleaned, extensive=True, rejected=self._rejected())

    def _rejected(self) -> set[date]:
        out = {day for day, _ in self.modified}
        if self.copyright_year:
            out.add(date(self.copyright_year, 1, 1))  # htmldate's copyright-year reserve
        return out


def _htmldate(html: str, *, extensive: bool, rejected: set[date]) -> date | None:
    """htmldate's original (publication) date, unless it is a date known not to be one."""
    import htmldate

    try:
        found = htmldate.find_date(html, extensive_search=extensive, original_date=True,
                                   outputformat="%Y-%m-%d", url="")
    except Exception:  # noqa: BLE001 - htmldate on hostile markup: no date, never a crash
        return None
    if not found:
        return None
    day = date.fromisoformat(found)
    return None if day in rejected else day


def _page_clues(html: str, main_text: str) -> _PageClues:
    """Read an HTML page's dates: markup keys, JSON-LD, top-of-page lines, htmldate (fast)."""
    from lxml import etree
    from lxml import html as lxml_html

    clues = _PageClues()
    years = [int(m[1]) for m in _COPYRIGHT.finditer(html)]
    clues.copyright_year = max(years) if years else None
    try:
        try:
            tree = lxml_html.fromstring(html)
        except ValueError:  # a string with an XML encoding declaration
            tree = lxml_html.fromstring(html.encode("utf-8", "replace"))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return clues
    rules = load_pubdate_rules()
    published_keys, modified_keys = rules.published_keys, rules.modified_keys

    def furniture(el: Any) -> bool:
        for node in (el, *el.iterancestors()):
            tag = node.tag if isinstance(node.tag, str) else ""
            if tag in _DROP_TAGS - {"script"}:
                return True
            if tag not in _KEEP_TAGS and rules.page_furniture.search(
                    f"{node.get('class', '')} {node.get('id', '')}"):
                return True
        return False

    def take(key: str, value: Any, where: str) -> None:
        if not isinstance(value, str) or not value.strip():
            return
        day = parse_date_text(value)
        if day is None or not 1990 <= day.year <= 2100:
            return
        if key in modified_keys:
            clues.modified.append((day, where))
        elif key in published_keys:
            clues.published.append((day, where))

    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or "").lower()
        take(key, el.get("content") or el.get("datetime"), key)
    for el in tree.iter("script"):
        if (el.get("type") or "").lower() == "application/ld+json" and el.text:
            for key, value in _json_ld_dates(el.text):
                take(key, value, f"JSON-LD {key}")
    for el in tree.xpath("//*[@itemprop]"):
        if el.tag == "meta" or furniture(el):
            continue
        key = el.get("itemprop", "").lower()
        take(key, el.get("datetime") or el.get("content") or el.text_content(), f"itemprop {key}")
    for el in tree.iter("time"):
        if "pubdate" in el.attrib and not furniture(el):
            take("pubdate", el.get("datetime") or el.text_content(), "time pubdate")

    for el in list(tree.iter()):
        tag = el.tag if isinstance(el.tag, str) else ""
        drop = tag in _DROP_TAGS or (tag not in _KEEP_TAGS and bool(
            rules.page_furniture.search(f"{el.get('class', '')} {el.get('id', '')}")))
        if drop and el.getparent() is not None:
            el.drop_tree()
    clues.cleaned = lxml_html.tostring(tree, encoding="unicode")
    clues.fast = _htmldate(clues.cleaned, extensive=False, rejected=clues._rejected())
    page_lines = _strip_tags(clues.cleaned).splitlines()
    body = next((line for line in main_text.splitlines() if len(line) >= 80), "")[:60]
    top = []
    for line in page_lines[:_PAGE_TOP_LINES]:
        if body and body in line:
            break
        top.append(line)
    for line in top:
        found = find_date_lines(line, 1)
        if found:
            clues.lines.append(found[0])
    return clues


def _dates_written(text: str) -> set[date]:
    """Full dates written in a text (events it tells, not its publication date)."""
    from .datelines import _dates_in

    return {day for line in text.splitlines() for day, _s, _e in _dates_in(line)}


def _json_ld_dates(raw: str) -> list[tuple[str, Any]]:
    """(lowercased key, value) of every date-like key in a JSON-LD block, in document order."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return []
    out: list[tuple[str, Any]] = []
    stack: list[Any] = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, dict):
            for key, value in item.items():
                if isinstance(value, (dict, list)):
                    stack.append(value)
                elif str(key).lower().startswith(("date", "upload")):
                    out.append((str(key).lower(), value))
        elif isinstance(item, list):
            stack.extend(item)
    return out


def _read_document(
    path: Path, suffix: str, given: date | None, max_bytes: int, bounds: tuple[str, ...] | None = None
) -> Article:
    state = _State(doc_id=path.stem or path.name, source=str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        return state.skipped(f"cannot read file: {_os_words(exc)}")
    if len(data) > max_bytes:
        state.notes.append(_size_note(len(data), max_bytes))
    if not data.strip():
        return state.skipped("empty document")
    if _is_binary(data):
        return state.skipped("binary file (not text)")
    declared = _declared_charset(data) if suffix in _HTML_SUFFIXES else None
    raw, caveat = _decode(data, declared)
    if caveat:
        state.problems.append(caveat)

    front: Mapping[str, Any] | None = None
    if suffix in _TEXT_SUFFIXES:
        front, body, problem = _split_front_matter(raw)
        if problem:
            state.problems.append(problem)
        raw = body
    sidecar, sidecar_name, problem = _read_sidecar(path, bounds)
    if problem:
        state.problems.append(problem)
    if front:
        state.apply_meta(front, "front matter")
    if sidecar:
        state.apply_meta(sidecar, sidecar_name)

    clues = None
    if suffix in _HTML_SUFFIXES:
        _read_html(raw, state)
    else:
        state.text = raw
    if not state.text.strip():
        return state.skipped("empty document" if suffix not in _HTML_SUFFIXES else "no text found in the HTML page")
    if suffix in _HTML_SUFFIXES and given is None and state.published is None and not state.published_problem:
        clues = _page_clues(raw, state.text)
    return state.finish(clues, given)


def _read_html(html: str, state: _State) -> None:
    """Fill state.text, title and url from an HTML page (its dates: :func:`_page_clues`)."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False)
    if not text or not text.strip():
        _tree, text, _length = trafilatura.baseline(html)
        how = "trafilatura's baseline extraction"
        if not text.strip():
            text = _strip_tags(html)
            how = "a plain tag strip"
        if text.strip():
            state.problems.append(
                f"no main article text found; used {how} instead, so page boilerplate may remain"
            )
    state.text = text or ""
    metadata = trafilatura.extract_metadata(html, extensive=False)
    if metadata is not None:
        if state.title is None and metadata.title:
            state.title = metadata.title
        if state.url is None and metadata.url:
            state.url = metadata.url
        sitename = getattr(metadata, "sitename", None)
        if state.publisher is None and isinstance(sitename, str) and sitename.strip() and not _LOOKS_LIKE_URL.match(
                sitename.strip()):
            state.publisher = sitename.strip()[:200]


def _read_sidecar(
    path: Path, bounds: tuple[str, ...] | None = None
) -> tuple[Mapping[str, Any] | None, str, str | None]:
    """The sidecar's metadata; ``bounds``: folders a linked sidecar must resolve inside (None: any)."""
    sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
    name = sidecar.name
    if not sidecar.is_file():
        return None, name, None
    if bounds is not None and sidecar.is_symlink() and not _is_inside(os.path.realpath(sidecar), bounds):
        return None, name, (
            f"sidecar {name} is a symbolic link to a file outside the input folders; its metadata was ignored "
            "(use --follow-symlinks to read it)"
        )
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        return None, name, f"cannot read sidecar {name}: {_os_words(exc)}; its metadata was ignored"
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, name, f"sidecar {name} is not valid JSON ({_json_words(exc)}); its metadata was ignored"
    if not isinstance(meta, dict):
        return None, name, f"sidecar {name} is a JSON {_json_type(meta)}, not an object; its metadata was ignored"
    return meta, name, None


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text, so a bad date is reported by its field, not as bad YAML."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _split_front_matter(text: str) -> tuple[Mapping[str, Any] | None, str, str | None]:
    """Split YAML front matter fenced by ``---`` lines at the very top from the body."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, text, None
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            break
    else:
        return None, text, "front matter opened by '---' on line 1 is never closed; it was kept as text"
    body = "".join(lines[i + 1 :])
    try:
        meta = yaml.load("".join(lines[1:i]), Loader=_FrontMatterLoader)  # noqa: S506 - a SafeLoader
    except (yaml.YAMLError, ValueError) as exc:
        where = ""
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            where = f" at line {mark.line + 2}"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, body, f"front matter is not valid YAML ({problem}{where}); its metadata was ignored, text kept"
    if meta is None:
        return {}, body, None
    if not isinstance(meta, dict):
        return None, body, "front matter is not a list of 'key: value' lines; its metadata was ignored, text kept"
    return meta, body, None


# ---------------------------------------------------------------------------
# JSONL


def _read_jsonl(path: Path, given: date | None, max_bytes: int) -> Iterator[Article]:
    base = _State(doc_id=path.stem or path.name, source=str(path))
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield base.skipped(f"cannot read file: {_os_words(exc)}")
        return
    documents = 0
    lineno = 0
    with handle:
        try:
            if _is_binary_jsonl(handle.read(_BINARY_SAMPLE)):
                yield base.skipped("binary file (not text)")
                return
            handle.seek(0)
            for lineno, raw in enumerate(handle, 1):
                if not raw.strip():
                    continue
                documents += 1
                try:
                    article = _jsonl_article(path, lineno, raw, given, max_bytes)
                except Exception as exc:  # noqa: BLE001 - one bad line must not lose the rest of the file
                    article = _State(doc_id=f"{path.stem}:{lineno}", source=f"{path}:{lineno}").skipped(
                        f"line {lineno} could not be processed ({type(exc).__name__}: {exc})"
                    )
                yield article
        except OSError as exc:
            yield base.skipped(f"read error after line {lineno}: {_os_words(exc)}")
            return
    if documents == 0:
        yield base.skipped("empty document (no JSON lines)")


def _jsonl_article(path: Path, lineno: int, raw: bytes, given: date | None, max_bytes: int) -> Article:
    state = _State(doc_id=f"{path.stem}:{lineno}", source=f"{path}:{lineno}")
    if len(raw) > max_bytes:
        state.notes.append(_size_note(len(raw), max_bytes))
    if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    if b"\x00" in raw:
        return state.skipped(f"line {lineno} contains a NUL byte (binary data, not JSON text)")
    line, caveat = _decode(raw, None)
    if caveat:
        state.problems.append(f"line {lineno} {caveat}")
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return state.skipped(f"line {lineno} is not valid JSON ({_json_words(exc)})")
    except RecursionError:  # e.g. a line of 100,000 "[": the parser gives up, the file goes on
        return state.skipped(f"line {lineno} is not usable JSON (nested too deeply)")
    if not isinstance(obj, dict):
        return state.skipped(f"line {lineno} is a JSON {_json_type(obj)}, not an object with a 'text' field")
    state.apply_meta(obj, f"line {lineno}")
    text = obj.get("text")
    if text is None:
        return state.skipped(f"line {lineno} has no 'text' field")
    if not isinstance(text, str):
        return state.skipped(f"the 'text' field of line {lineno} is a JSON {_json_type(text)}, not a string")
    if not text.strip():
        return state.skipped("empty document")
    state.text = text
    return state.finish(None, given)


# ---------------------------------------------------------------------------
# Small helpers


def _parse_published(value: Any) -> tuple[date | None, str | None]:
    """A published field as a date, or the reason it is not one."""
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if not isinstance(value, str):
        return None, f"a {_json_type(value)}, not text"
    return iso_day(value)


def _is_binary_jsonl(sample: bytes) -> bool:
    """A JSONL file is binary only when its first 8 KB are and no line in them looks like JSON.

    Each line stands alone: one line with a NUL byte is reported as that line, and
    does not mark the whole file binary.
    """
    if not _is_binary(sample):
        return False
    lines = sample.split(b"\n")
    if len(sample) >= _BINARY_SAMPLE and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    elif len(lines) == 1:  # one line longer than the sample: judge by its start
        return not sample.lstrip().startswith((b"{", codecs.BOM_UTF8 + b"{"))
    return not any(_is_json_object_line(line) for line in lines)


def _is_json_object_line(raw: bytes) -> bool:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    if not raw.lstrip().startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(raw.decode("utf-8", "replace")), dict)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False


def _is_binary(data: bytes) -> bool:
    sample = data[:_BINARY_SAMPLE]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    controls = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    return controls / len(sample) > 0.1


def _declared_charset(data: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match[1].decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode(data: bytes, declared: str | None) -> tuple[str, str | None]:
    """Decode bytes; return the text and a caveat when the encoding had to be guessed."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    if declared and declared != "utf-8":
        try:
            return data.decode(declared), None
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("cp1252"), "decoded as cp1252 (not valid UTF-8)"
    except UnicodeDecodeError:
        pass
    try:
        import charset_normalizer
    except ImportError:  # pragma: no cover - optional
        pass
    else:
        best = charset_normalizer.from_bytes(data).best()
        if best is not None and best.encoding:
            return str(best), f"decoded as {best.encoding} (not valid UTF-8 or cp1252; encoding guessed)"
    return data.decode("latin-1"), "decoded as latin-1 (not valid UTF-8 or cp1252)"


class _TagStripper(HTMLParser):
    """Last-resort text of an HTML fragment trafilatura cannot parse: data outside script/style."""

    _HIDDEN = frozenset({"script", "style", "noscript", "template"})
    _BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self.hidden += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _strip_tags(html: str) -> str:
    stripper = _TagStripper()
    stripper.feed(html)
    stripper.close()
    lines = (" ".join(line.split()) for line in "".join(stripper.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _size_note(size: int, limit: int) -> str:
    return f"document is {size / 1e6:.1f} MB, over the {limit / 1e6:.1f} MB size limit; it was read in full"


def _os_words(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def _json_words(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        if exc.lineno > 1:
            return f"{exc.msg} at line {exc.lineno} column {exc.colno}"
        return f"{exc.msg} at column {exc.colno}"
    return str(exc)


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    if value is None:
        return "null"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


def _with_warning(article: Article, note: str) -> Article:
    from dataclasses import replace

    return replace(article, warnings=(*article.warnings, note))
