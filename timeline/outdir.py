"""Writing a build's outputs into ``--out`` safely: all or nothing, one build at a time.

:class:`OutputFolder` takes a lock file in the folder (a second build into the same
folder is refused while the first runs; a lock left by a process that no longer runs is
taken over), lets the build write into a staging folder inside it, then moves each file
into place with an atomic rename and writes ``manifest.json`` last: a folder with a
manifest holds one build's complete outputs, and nothing of an interrupted build
replaces the previous one. Nothing is written outside the output folder. Working files
(the event blocks a build spools as it goes) live in a scratch folder beside the staging
folder, and are removed with it, never published.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from .errors import InputError

LOCK_NAME = ".timeline.lock"
MANIFEST_NAME = "manifest.json"
_STAGING_PREFIX = ".staging-"


class OutputLocked(InputError):
    """Another build is writing into the same output folder."""


class OutputFolder:
    """Stage a build's files inside ``out`` and publish them at once (see the module docstring).

    Examples:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp()) / "out"
        >>> with OutputFolder(out) as folder:
        ...     _ = (folder.staging / "events.csv").write_text("a,b\\n", encoding="utf-8")
        ...     published = folder.publish({"events": 0})
        >>> sorted(p.name for p in out.iterdir())
        ['events.csv', 'manifest.json']
    """

    def __init__(self, out: str | Path) -> None:
        self.out = Path(out)
        self.staging = self.out / f"{_STAGING_PREFIX}{os.getpid()}"
        #: Working files of the build (spooled event blocks): never published, removed at the end.
        self.scratch = self.out / f"{_STAGING_PREFIX}{os.getpid()}-scratch"
        self._lock = self.out / LOCK_NAME
        self._locked = False

    def __enter__(self) -> OutputFolder:
        self.out.mkdir(parents=True, exist_ok=True)
        self._acquire()
        for folder in (self.staging, self.scratch):
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        shutil.rmtree(self.scratch, ignore_errors=True)
        if self._locked:
            self._lock.unlink(missing_ok=True)
            self._locked = False

    def _acquire(self) -> None:
        record = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": time.time()})
        for _ in range(2):
            try:
                fd = os.open(self._lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if self._stale():
                    self._lock.unlink(missing_ok=True)
                    continue
                raise OutputLocked(
                    f"another timeline build is writing into {self.out} (lock file {self._lock}); wait for it, "
                    "or remove the lock file if no build is running") from None
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(record)
            self._locked = True
            return
        raise OutputLocked(f"could not take the lock {self._lock}")

    def _stale(self) -> bool:
        """A lock left by a process of this host that no longer runs (a crash, a kill)."""
        try:
            info = json.loads(self._lock.read_text(encoding="utf-8"))
            pid, host = int(info["pid"]), str(info["host"])
        except (OSError, ValueError, KeyError, TypeError):
            return False
        if host != socket.gethostname():
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False

    def publish(self, manifest: dict[str, Any]) -> list[Path]:
        """Move the staged files and folders into place, then write ``manifest.json`` (with
        the list of what was published); returns the published paths."""
        published: list[Path] = []
        old_manifest = self.out / MANIFEST_NAME
        old_manifest.unlink(missing_ok=True)  # until the new one is written, the folder is not complete
        for item in sorted(self.staging.iterdir()):
            target = self.out / item.name
            if item.is_dir():
                # a folder (timeml/) is replaced whole: no file of an earlier build is left in it
                if target.exists():
                    trash = self.out / f"{_STAGING_PREFIX}old-{os.getpid()}-{item.name}"
                    os.replace(target, trash)
                    os.replace(item, target)
                    shutil.rmtree(trash, ignore_errors=True)
                else:
                    os.replace(item, target)
            else:
                os.replace(item, target)
            published.append(target)
        record = dict(manifest, files=[p.name for p in published], written=time.strftime("%Y-%m-%dT%H:%M:%S%z"))
        tmp = self.staging.parent / f"{_STAGING_PREFIX}{os.getpid()}-{MANIFEST_NAME}"
        tmp.write_text(json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        os.replace(tmp, old_manifest)
        return published
