"""The start-up cache (issue 9): rule files' parsed data and compiled patterns kept across processes
are exactly what parsing and compiling give, and a damaged or missing cache is never an error."""

from __future__ import annotations

import datetime as dt
import json
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from timeline import _startcache
from timeline.yamlio import safe_load

DATA = Path(__file__).resolve().parents[1] / "data"
PATTERNS = [
    r"\b(?P<day>\d{1,2})\s+(?P<month>Jan(?:uary)?|Feb(?:ruary)?)\b",
    r"(?i)\b(?:last|next)\s+(?:week|month|year)\b",
    r"(?x) \d+ \s* (?: killed | dead ) # a comment",
    r"^(?:[^\W\d_]+\s){0,3}said$",
    r"(?<![\w-])(?:al-)?Hama(?=\W|$)",
    r"(a)(b)?(?(2)c|d)",
]


@pytest.fixture(autouse=True)
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test has its own cache folder, read afresh."""
    monkeypatch.delenv("TIMELINE_NO_CACHE", raising=False)
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    for store in (_startcache._REGEX, _startcache._YAML):
        store.path, store.entries, store.dirty = None, {}, False
    yield tmp_path / "cache"
    for store in (_startcache._REGEX, _startcache._YAML):
        store.path, store.entries, store.dirty = None, {}, False


def _compiled(flags: int = 0) -> list[re.Pattern[str]]:
    re.purge()  # re's own cache would answer before the hook
    with _startcache.cached_rules():
        return [re.compile(p, flags) for p in PATTERNS]


@pytest.mark.skipif(_startcache._re_modules() is None, reason="re is not laid out as the cache expects")
def test_patterns_from_the_cache_are_those_re_compiles(folder: Path) -> None:
    first = _compiled(re.MULTILINE)
    [written] = folder.glob("regex-*.marshal")
    assert len(marshal.loads(written.read_bytes())) >= len(PATTERNS)
    _startcache._REGEX.path = None  # a new process: the file read back
    again = _compiled(re.MULTILINE)
    re.purge()
    plain = [re.compile(p, re.MULTILINE) for p in PATTERNS]
    for a, b, c in zip(first, again, plain, strict=True):
        assert a == b == c  # Pattern equality compares flags, pattern and the matcher code
        assert (a.groups, dict(a.groupindex)) == (c.groups, dict(c.groupindex))
    assert again[0].match("12 February").groupdict() == {"day": "12", "month": "February"}
    assert re.compile is not None and "_compile_hook" not in repr(re._compiler.compile)  # put back


@pytest.mark.skipif(_startcache._re_modules() is None, reason="re is not laid out as the cache expects")
def test_a_damaged_regex_cache_is_compiled_anew(folder: Path) -> None:
    _compiled()
    [written] = folder.glob("regex-*.marshal")
    entries = marshal.loads(written.read_bytes())
    key = (PATTERNS[0], 0)
    entries[key] = (entries[key][0], [1, 2, 3], *entries[key][2:])  # code _sre refuses
    written.write_bytes(marshal.dumps(entries))
    _startcache._REGEX.path = None
    re.purge()
    plain = [re.compile(p) for p in PATTERNS]
    assert _compiled() == plain
    written.write_bytes(b"not marshal at all")
    _startcache._REGEX.path = None
    assert _compiled() == plain


def test_yaml_from_the_cache_equals_parsing_and_is_a_fresh_copy(folder: Path) -> None:
    text = "rules:\n  - id: a\n    examples: [2024-12-02, 'x']\n    when: 2024-12-02 10:30:00\n  - id: b\n"
    first = safe_load(text)
    assert first["rules"][0]["examples"][0] == dt.date(2024, 12, 2)
    with _startcache.cached_rules():
        pass  # the outermost block's end writes what is new
    [written] = folder.glob("yaml-*.marshal")
    _startcache._YAML.path = None
    again = safe_load(text)
    assert again == first and type(again["rules"][0]["when"]) is dt.datetime
    again["rules"].append("changed")
    assert safe_load(text) == first
    assert len(marshal.loads(written.read_bytes())) == 1
    # a damaged entry is parsed again
    _startcache._YAML.entries = dict.fromkeys(_startcache._YAML.entries, ("plain", b"\x00broken"))
    assert safe_load(text) == first


def test_cache_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMELINE_CACHE_DIR", "off")
    assert safe_load("a: 1") == {"a": 1}
    _compiled()
    assert not any(tmp_path.rglob("*.marshal"))


def test_builds_through_the_cache_equal_builds_without_it(folder: Path) -> None:
    """Three fresh processes: cache off, first run (fills the folder), second run (reads it)."""
    code = ("import json, warnings, timeline; warnings.simplefilter('ignore'); "
            f"t = timeline.build({str(DATA / '000_43342442af48aa1c.txt')!r}); "
            "print(t.events.to_json(orient='records', date_format='iso'))")
    outputs = []
    for cache in ("off", str(folder), str(folder)):
        env = {**os.environ, "TIMELINE_CACHE_DIR": cache, "MPLBACKEND": "Agg"}
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1] == outputs[2] and len(outputs[0]) > 5
    names = sorted(p.name.split("-")[0] for p in folder.glob("*.marshal"))
    assert names == (["gazetteer", "regex", "yaml"] if _startcache._re_modules() else ["gazetteer", "yaml"])
