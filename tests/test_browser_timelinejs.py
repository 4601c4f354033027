"""TimelineJS in a real browser (opt-in): the shipped data's TimelineJS JSON loaded by TimelineJS
from npm in headless Chromium, through ``benchmarks/browser_timelinejs.py``.

Skipped unless ``TIMELINE_BROWSER_TESTS=1``: it needs Debian's chromium (``apt-get install -y
chromium``) and npm with the registry (``@knight-lab/timelinejs`` is installed into
``$TIMELINE_BROWSER_CACHE``, default ``/tmp/timeline-browser-cache``). Once opted in, a missing
tool fails the test instead of passing it silently.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.environ.get("TIMELINE_BROWSER_TESTS") != "1",
                                reason="browser check: set TIMELINE_BROWSER_TESTS=1 (needs chromium and npm)")

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "browser_timelinejs.py"


def _script():
    spec = importlib.util.spec_from_file_location("browser_timelinejs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_timelinejs_renders_the_shipped_data_without_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    bench = _script()
    if bench.find_chromium() is None:
        pytest.fail("TIMELINE_BROWSER_TESTS=1 but no chromium: apt-get install -y chromium (or TIMELINE_CHROMIUM)")
    rc = bench.main(["--out", str(tmp_path), "--report", str(tmp_path / "report.md")])
    printed = capsys.readouterr().out
    assert not printed.startswith("skipped:"), printed
    result = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    data = json.loads((tmp_path / "timeline.json").read_text(encoding="utf-8"))
    assert result["console_errors"] == []
    assert result["exceptions"] == []
    assert result["log_errors"] == []
    assert result["config_errors"] == []
    assert data["events"], "the shipped data gave no slides"
    assert result["slides"] == len(data["events"]) + 1  # the events and the title slide
    assert result["markers"] == len(data["events"])
    assert result["mismatches"] == []
    assert result["opened_on"] == result["expected_open"]
    assert (tmp_path / "timelinejs.png").stat().st_size > 10_000
    assert rc == 0, result["failures"]
