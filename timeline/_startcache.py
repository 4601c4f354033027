"""What every process rebuilds from the rule files at start-up, kept across processes.

The first document a process tags and extracts parses about 15 YAML rule files (about 0.15 s)
and compiles about 540 regular expressions from them (the tagger's rules, the trigger lexicon,
the casualty rules: about 0.35 s), of a one-sentence build's start-up of about 1.2 s. Both are
kept beside the gazetteer's index (:func:`timeline.events.gazetteer.cache_dir`; off with
``TIMELINE_CACHE_DIR=off`` or ``TIMELINE_NO_CACHE=1``):

* ``yaml-*.marshal``: each rule file's parsed data, keyed by a hash of its text
  (:func:`load_yaml`), so an edited file is simply another entry (dates are kept as tagged
  tuples; a file with another type marshal cannot hold is parsed every time).
* ``regex-*.marshal``: the matcher code of the patterns compiled inside :func:`cached_rules`.
  Python's ``re`` parses a pattern and generates its code in Python; the code is a list of ints
  that ``_sre.compile`` turns into a ``Pattern``, and ``_sre.compile`` validates it (a damaged
  entry raises, and the pattern is compiled as usual). The file is keyed by the exact interpreter
  and a pattern by its text and flags: the patterns are those ``re.compile`` makes, code and all.
  Only on CPython 3.10 to 3.13, whose ``re`` is laid out as this expects.

New entries are written (atomically) when the outermost :func:`cached_rules` block ends.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import marshal
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

#: At most this many entries are kept in a file (a build uses about 600 patterns, 15 files).
MAX_ENTRIES = 5_000
_LOCK = threading.RLock()


class _Store:
    """One cache file: its entries, read once per process, and whether some are new."""

    def __init__(self, name: Callable[[], str]) -> None:
        self._name = name
        self.path: Path | None = None
        self.entries: dict[Any, Any] = {}
        self.dirty = False

    def ready(self) -> bool:
        """Read the file of the current cache folder (once); False when the cache is off."""
        from .events.gazetteer import cache_dir

        folder = cache_dir()
        path = None if folder is None else folder / self._name()
        if path != self.path:
            self.path, self.entries, self.dirty = path, _read(path) if path is not None else {}, False
        return path is not None

    def add(self, key: Any, value: Any) -> None:
        if len(self.entries) < MAX_ENTRIES:
            self.entries[key] = value
            self.dirty = True

    def save(self) -> None:
        if self.dirty and self.path is not None:
            _write(self.path, self.entries)
        self.dirty = False


def _read(path: Path) -> dict[Any, Any]:
    try:
        data = marshal.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except Exception as exc:  # noqa: BLE001 - a damaged file is no cache
        logger.debug("start-up cache %s unreadable: %r", path, exc)
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, entries: dict[Any, Any]) -> None:
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name.split('-')[0]}-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(marshal.dumps(entries))
        os.replace(tmp, path)
        tmp = None
    except Exception as exc:  # noqa: BLE001 - read-only home, disk full: no cache
        logger.debug("start-up cache %s not written: %r", path, exc)
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _python_tag() -> str:
    import importlib

    sre = importlib.import_module("_sre")
    return hashlib.sha1(f"{sys.version}|{sre.MAGIC}|{sre.CODESIZE}".encode()).hexdigest()[:12]


def _yaml_name() -> str:
    import yaml

    return f"yaml-{yaml.__version__}-{sys.version_info[0]}.{sys.version_info[1]}.marshal"


_YAML = _Store(_yaml_name)
_REGEX = _Store(lambda: f"regex-{sys.version_info[0]}.{sys.version_info[1]}-{_python_tag()}.marshal")


_DATE = "\x00date"  # a tuple tag: YAML's safe loader makes lists, never tuples


def _walk(data: Any, memo: dict[int, Any], leaf: Callable[[Any], Any]) -> Any:
    """``data`` rebuilt with ``leaf`` applied to every value that is no dict or list (keys too).
    Shared dicts and lists stay shared."""
    done = memo.get(id(data))
    if done is not None:
        return done
    if isinstance(data, dict):
        out: Any = memo.setdefault(id(data), {})
        for k, v in data.items():
            out[_walk(k, memo, leaf)] = _walk(v, memo, leaf)
        return out
    if isinstance(data, list):
        out = memo.setdefault(id(data), [])
        out.extend(_walk(v, memo, leaf) for v in data)
        return out
    return leaf(data)


def _tag_leaf(data: Any) -> Any:
    import datetime as dt

    if isinstance(data, dt.datetime):
        return (_DATE, "datetime", data.isoformat())
    if isinstance(data, dt.date):
        return (_DATE, "date", data.isoformat())
    if data is None or isinstance(data, (str, int, float, bytes)):
        return data
    raise ValueError(f"no cache entry for a {type(data).__name__}")


def _untag_leaf(data: Any) -> Any:
    import datetime as dt

    if isinstance(data, tuple) and len(data) == 3 and data[0] == _DATE:
        kind = dt.datetime if data[1] == "datetime" else dt.date
        return kind.fromisoformat(data[2])
    return data


def _tagged(data: Any, memo: dict[int, Any]) -> Any:
    """``data`` with its dates as tagged tuples (marshal holds no dates); ValueError for another
    type marshal cannot hold. Shared objects stay shared."""
    return _walk(data, memo, _tag_leaf)


def _untagged(data: Any, memo: dict[int, Any]) -> Any:
    """``data`` with its tagged tuples back as dates (the inverse of :func:`_tagged`)."""
    return _walk(data, memo, _untag_leaf)


def load_yaml(text: str, parse: Callable[[str], Any]) -> Any:
    """``parse(text)``, from the cache when this text was parsed before (a fresh copy each time)."""
    with _LOCK:
        on = _YAML.ready()
        key = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
        entry = _YAML.entries.get(key) if on else None
    if isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], bytes):
        try:
            data = marshal.loads(entry[1])
            return _untagged(data, {}) if entry[0] == "tagged" else data
        except Exception:  # noqa: BLE001 - a damaged entry: parse again
            pass
    data = parse(text)
    if on:
        try:
            entry = ("plain", marshal.dumps(data))
        except ValueError:  # dates: tagged
            try:
                entry = ("tagged", marshal.dumps(_tagged(data, {})))
            except ValueError:  # a type marshal cannot hold: no entry
                return data
        with _LOCK:
            _YAML.add(key, entry)
    return data


def _re_modules() -> tuple[Any, Any, Any] | None:
    """re's compiler and parser modules and ``_sre``, where they are laid out as this expects."""
    if sys.implementation.name != "cpython" or not (3, 10) <= sys.version_info[:2] <= (3, 13):
        return None
    import importlib

    try:
        sre = importlib.import_module("_sre")
        new = sys.version_info >= (3, 11)
        compiler = importlib.import_module("re._compiler" if new else "sre_compile")
        parser = importlib.import_module("re._parser" if new else "sre_parse")
        for module, name in ((compiler, "_code"), (compiler, "SRE_FLAG_DEBUG"), (parser, "parse"), (sre, "compile")):
            getattr(module, name)  # what the hook uses
    except (ImportError, AttributeError):  # pragma: no cover
        return None
    return compiler, parser, sre


def _compile_hook(compiler: Any, parser: Any, sre: Any, original: Any) -> Any:
    def compile(p: Any, flags: int = 0) -> Any:  # noqa: A001 - stands in for re's compile
        if not isinstance(p, str) or flags & compiler.SRE_FLAG_DEBUG:
            return original(p, flags)
        key = (p, int(flags))
        entry = _REGEX.entries.get(key)
        if isinstance(entry, tuple) and len(entry) == 5:
            try:
                return sre.compile(p, *entry)
            except Exception:  # noqa: BLE001 - code this interpreter does not accept: compile anew
                _REGEX.entries.pop(key, None)
        # what re's compile does for a str pattern, keeping the code
        parsed = parser.parse(p, flags)
        code = compiler._code(parsed, flags)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in parsed.state.groupdict.items():
            indexgroup[index] = name
        # plain ints (the opcodes are an int subclass, the flags a RegexFlag): what marshal writes
        entry = (int(flags | parsed.state.flags), [int(c) for c in code], int(parsed.state.groups - 1),
                 {str(k): int(v) for k, v in parsed.state.groupdict.items()}, tuple(indexgroup))
        pattern = sre.compile(p, *entry)
        with _LOCK:
            _REGEX.add(key, entry)
        return pattern

    return compile


_DEPTH = [0]
_ORIGINAL: list[Any] = []


@contextlib.contextmanager
def cached_rules() -> Iterator[None]:
    """Inside this block, patterns ``re`` compiles come from the regex cache when it has them;
    when the outermost block ends, new entries of both caches are written."""
    with _LOCK:
        if _DEPTH[0] == 0:
            _install()
        _DEPTH[0] += 1
    try:
        yield
    finally:
        with _LOCK:
            _DEPTH[0] -= 1
            if _DEPTH[0] == 0:
                _uninstall()
                _REGEX.save()
                _YAML.save()


def _install() -> None:
    modules = _re_modules()
    if modules is None or not _REGEX.ready():
        return
    compiler, parser, sre = modules
    _ORIGINAL.append(compiler.compile)
    compiler.compile = _compile_hook(compiler, parser, sre, compiler.compile)


def _uninstall() -> None:
    if _ORIGINAL:
        modules = _re_modules()
        if modules is not None:
            modules[0].compile = _ORIGINAL[0]
        _ORIGINAL.clear()
