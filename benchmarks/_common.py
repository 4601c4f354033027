"""Shared helpers of the benchmarks: corpora, peer taggers as span producers, report metadata.

Not part of the ``timeline`` package; imported by the scripts in this folder
(``python benchmarks/bench_*.py`` puts this folder on ``sys.path``).
"""

from __future__ import annotations

import logging
import os
import platform
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"

#: Peers each benchmark knows; what is not installed is skipped with a note.
#: datefinder-legacy: datefinder's original regex + dateutil engine (``engine="legacy"``), the
#: only engine before datefinder 1.0; the 1.x default ("v2") finds far fewer expressions.
PEERS = ("dateparser", "datefinder", "datefinder-legacy", "ctparse")
#: Peers known but not run by default.
EXTRA_PEERS: tuple[str, ...] = ()

#: News corpora whose plain texts make the speed benchmark's input.
NEWS_CORPORA = ("timebank", "aquaint", "meantime-en")


def set_corpora(path: str | None) -> Path:
    """Corpus root: ``path`` if given (exported as TIMELINE_CORPORA for subprocesses), else timeline's default."""
    if path:
        os.environ["TIMELINE_CORPORA"] = str(Path(path).expanduser().resolve())
    from timeline.evaluation import corpus_root

    root = corpus_root()
    if not root.is_dir():
        sys.exit(f"corpus folder {root} not found: pass --corpora PATH or set TIMELINE_CORPORA")
    return root


def as_datetime(dct: date | None) -> datetime | None:
    return None if dct is None else datetime(dct.year, dct.month, dct.day)


# --------------------------------------------------------------------------- spans


@dataclass(frozen=True, slots=True)
class Span:
    """A peer's expression in the shape the project's scorer wants (start, end, type, value)."""

    start: int
    end: int
    text: str
    type: str
    value: str


def iso_value(dt: datetime) -> str:
    """``YYYY-MM-DD``, or ``YYYY-MM-DDTHH:MM`` when the time is not midnight."""
    if (dt.hour, dt.minute, dt.second) == (0, 0, 0):
        return dt.strftime("%Y-%m-%d")
    return dt.strftime("%Y-%m-%dT%H:%M")


def _drop_overlaps(spans: list[Span]) -> list[Span]:
    """Keep spans in text order; a span overlapping an earlier kept one is dropped."""
    out: list[Span] = []
    last_end = -1
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if s.start >= last_end and s.end > s.start:
            out.append(s)
            last_end = s.end
    return out


# --- dateparser


def _dateparser():
    import dateparser.search

    return dateparser.search


def dateparser_raw(text: str, dct: date | None) -> list[tuple[str, datetime]]:
    search = _dateparser()
    settings = {} if dct is None else {"RELATIVE_BASE": as_datetime(dct)}
    return search.search_dates(text, languages=["en"], settings=settings) or []


def dateparser_spans(text: str, dct: date | None) -> list[Span]:
    """search_dates gives (matched string, datetime); the span is found by searching the text left to right."""
    spans: list[Span] = []
    cursor = 0
    for matched, dt in dateparser_raw(text, dct):
        at = text.find(matched, cursor)
        if at < 0:  # out of order: take the first occurrence anywhere
            at = text.find(matched)
        if at < 0:
            continue
        cursor = at + len(matched)
        spans.append(Span(at, at + len(matched), matched, "DATE", iso_value(dt)))
    return _drop_overlaps(spans)


# --- datefinder


def datefinder_raw(text: str, dct: date | None, engine: str | None = None) -> list[tuple[Any, ...]]:
    import datefinder

    kwargs: dict[str, Any] = {"source": True, "index": True, "base_date": as_datetime(dct)}
    if engine:
        kwargs["engine"] = engine
    return list(datefinder.find_dates(text, **kwargs))


def datefinder_spans(text: str, dct: date | None, engine: str | None = None) -> list[Span]:
    spans = []
    for dt, _source, (start, end) in datefinder_raw(text, dct, engine):
        # index= gives the fragment's indices; trim the whitespace/punctuation the legacy engine keeps
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip(" \n\t:-.,_"))
        trail = len(chunk) - len(chunk.rstrip(" \n\t:-.,_"))
        start, end = start + lead, end - trail
        if end <= start:
            continue
        spans.append(Span(start, end, text[start:end], "DATE", iso_value(dt)))
    return _drop_overlaps(spans)


def datefinder_legacy_raw(text: str, dct: date | None) -> list[tuple[Any, ...]]:
    return datefinder_raw(text, dct, engine="legacy")


def datefinder_legacy_spans(text: str, dct: date | None) -> list[Span]:
    return datefinder_spans(text, dct, engine="legacy")


# --- ctparse

#: Sentence ends: ., ! or ? followed by whitespace, or a blank line / line end.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n")


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pieces of ``text``, split naively at sentence ends and line breaks."""
    out = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if text[start : m.start()].strip():
            out.append((start, text[start : m.start()]))
        start = m.end()
    if text[start:].strip():
        out.append((start, text[start:]))
    return out


def _ctparse_offset_map(sentence: str) -> list[int]:
    """For each char of ctparse's preprocessed string, its index in ``sentence``.

    Mirrors ``ctparse.ctparse._preprocess_string``: runs of ``[,;\\pZ\\pC\\p{Ps}\\p{Pe}]``
    become one space, strip, runs of dashes become ``-``, strip.
    """
    from ctparse.ctparse import _repl1, _repl2

    def collapse(s: str, idx: list[int], pattern: Any, repl: str) -> tuple[str, list[int]]:
        out_chars: list[str] = []
        out_idx: list[int] = []
        pos = 0
        for m in pattern.finditer(s, concurrent=True):
            out_chars.append(s[pos : m.start()])
            out_idx.extend(idx[pos : m.start()])
            out_chars.append(repl)
            out_idx.append(idx[m.start()])
            pos = m.end()
        out_chars.append(s[pos:])
        out_idx.extend(idx[pos:])
        return "".join(out_chars), out_idx

    def strip(s: str, idx: list[int]) -> tuple[str, list[int]]:
        lead = len(s) - len(s.lstrip())
        kept = s.strip()
        return kept, idx[lead : lead + len(kept)]

    s, idx = collapse(sentence, list(range(len(sentence))), _repl1, " ")
    s, idx = strip(s, idx)
    s, idx = collapse(s, idx, _repl2, "-")
    s, idx = strip(s, idx)
    return idx


def ctparse_raw(text: str, dct: date | None) -> list[tuple[int, str, Any]]:
    """ctparse.ctparse(sentence, ts=dct) on each sentence: its best parse (at most one per sentence)."""
    from ctparse import ctparse

    ts = as_datetime(dct)
    out = []
    for offset, sentence in sentences(text):
        parse = ctparse(sentence, ts=ts)
        if parse is not None:
            out.append((offset, sentence, parse))
    return out


def _ctparse_value(resolution: Any) -> tuple[str, str] | None:
    from ctparse.types import Duration, Interval, Time

    if isinstance(resolution, Interval):
        resolution = resolution.t_from or resolution.t_to
    if isinstance(resolution, Duration):
        unit = {"minutes": "TM", "hours": "TH", "days": "D", "nights": "D", "weeks": "W", "months": "M"}.get(
            resolution.unit.value, "X"
        )
        if unit.startswith("T"):
            return "DURATION", f"PT{resolution.value}{unit[1:]}"
        return "DURATION", f"P{resolution.value}{unit}"
    if not isinstance(resolution, Time):
        return None
    r = resolution
    if r.year is not None and r.month is not None and r.day is not None:
        value = f"{r.year:04d}-{r.month:02d}-{r.day:02d}"
    elif r.year is not None and r.month is not None:
        value = f"{r.year:04d}-{r.month:02d}"
    elif r.year is not None:
        value = f"{r.year:04d}"
    else:
        value = "XXXX-XX-XX"
    if r.hour is not None and (r.hour, r.minute or 0) != (0, 0):
        value += f"T{r.hour:02d}:{r.minute or 0:02d}"
    return "DATE", value


def ctparse_spans(text: str, dct: date | None) -> list[Span]:
    spans = []
    for offset, sentence, parse in ctparse_raw(text, dct):
        res = parse.resolution
        tv = _ctparse_value(res)
        if tv is None:
            continue
        idx = _ctparse_offset_map(sentence)
        if not idx or res.mend <= res.mstart or res.mend > len(idx):
            continue
        start = offset + idx[res.mstart]
        end = offset + idx[res.mend - 1] + 1
        spans.append(Span(start, end, text[start:end], tv[0], tv[1]))
    return _drop_overlaps(spans)


# --- registry


def raw_function(tool: str) -> Callable[[str, date | None], Any]:
    """The tool's own call (what the speed benchmark times); returns something with len()."""
    if tool == "timeline":
        import timeline

        return lambda text, dct: timeline.tag(text, dct)
    return {
        "dateparser": dateparser_raw,
        "datefinder": datefinder_raw,
        "datefinder-legacy": datefinder_legacy_raw,
        "ctparse": ctparse_raw,
    }[tool]


def span_function(tool: str) -> Callable[[str, date | None], list[Span]]:
    return {
        "dateparser": dateparser_spans,
        "datefinder": datefinder_spans,
        "datefinder-legacy": datefinder_legacy_spans,
        "ctparse": ctparse_spans,
    }[tool]


def quiet_peers() -> None:
    """ctparse logs a warning for every sentence without a parse."""
    logging.getLogger("ctparse").setLevel(logging.ERROR)
    logging.getLogger("ctparse.ctparse").setLevel(logging.ERROR)


def available(tool: str) -> str | None:
    """None if the tool imports, else why not."""
    module = {"datefinder-legacy": "datefinder"}.get(tool, tool)
    try:
        __import__(module)
    except Exception as exc:  # noqa: BLE001 - report whatever broke the import
        return f"{type(exc).__name__}: {exc}"
    return None


def version(tool: str) -> str:
    dist = {"datefinder-legacy": "datefinder"}.get(tool, tool)
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


# --------------------------------------------------------------------------- report metadata


def machine_notes() -> list[str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_DIR, capture_output=True, text=True, check=False
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "timeline"], cwd=REPO_DIR, capture_output=True, text=True,
            check=False,
        ).stdout.strip()
        commit = f"{commit}{' + uncommitted changes in timeline/' if dirty else ''}"
    except OSError:
        commit = "?"
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    return [
        f"- date: {datetime.now().strftime('%Y-%m-%d %H:%M')}",
        f"- machine: {platform.machine()}, {cpu}, {os.cpu_count()} logical CPUs, load average at start {load}",
        f"- Python {platform.python_version()} ({sys.executable}), {platform.platform()}",
        f"- timeline {version('timeline')} at git {commit}",
        "- peers: " + ", ".join(f"{t} {version(t)}" for t in PEERS if t != "datefinder-legacy"),
    ]


def command_line() -> str:
    args = " ".join(sys.argv[1:])
    script = os.path.relpath(sys.argv[0], REPO_DIR)
    return f"python {script}{' ' + args if args else ''}"


def write_result(name: str | Path, text: str) -> Path:
    """Write a benchmark's report: a bare file name goes to ``benchmarks/results/``, a path where it says."""
    path = RESULTS_DIR / name if isinstance(name, str) and "/" not in name and "\\" not in name else Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
