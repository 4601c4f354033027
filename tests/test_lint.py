"""Lint and type checks as part of the test command.

``ruff check`` (rules in ``[tool.ruff]`` of pyproject.toml) over the package, the tests,
the benchmarks and the docs scripts, and ``mypy`` (``[tool.mypy]``) over the package.
Either fails with the tool's own report. They run as subprocesses of this interpreter
(``python -m ruff``, ``python -m mypy``) so the versions of the test environment are the
ones used; a test is skipped only when its tool is not installed (``pip install -e .[test]``).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RUFF_PATHS = ["timeline", "tests", "benchmarks", "docs"]
MYPY_PATHS = ["timeline"]


def _require(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed: pip install -e '.[test]' (it is in the test extra)")


def _run(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    env["NO_COLOR"] = "1"
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True,
                          env=env, timeout=timeout, check=False)


def _report(proc: subprocess.CompletedProcess[str]) -> str:
    return (f"`{' '.join(proc.args[2:])}` exited {proc.returncode}:\n"
            f"{proc.stdout.strip()}\n{proc.stderr.strip()}").rstrip()


def test_ruff_reports_nothing() -> None:
    _require("ruff")
    proc = _run("ruff", "check", "--no-cache", "--output-format", "concise", *RUFF_PATHS, timeout=120)
    if proc.returncode != 0:
        pytest.fail(_report(proc), pytrace=False)


def test_mypy_reports_nothing() -> None:
    _require("mypy")
    proc = _run("mypy", *MYPY_PATHS, timeout=600)
    if proc.returncode != 0 or "Success: no issues found" not in proc.stdout:
        pytest.fail(_report(proc), pytrace=False)


def test_ruff_and_mypy_are_configured_in_pyproject() -> None:
    """The checks above read their settings from pyproject.toml, not from a tool's defaults."""
    import tomllib

    with (REPO / "pyproject.toml").open("rb") as f:
        tool = tomllib.load(f)["tool"]
    assert tool["ruff"]["line-length"] == 120
    assert {"E", "F", "W", "I", "B", "UP"} <= set(tool["ruff"]["lint"]["select"])
    mypy = tool["mypy"]
    assert mypy.get("warn_unused_ignores") is True
    assert not mypy.get("ignore_errors"), "no global ignore_errors: ignore missing imports by module name"
    assert not mypy.get("ignore_missing_imports"), "ignore missing imports by module name, not globally"
    for override in mypy.get("overrides", []):
        assert not override.get("ignore_errors"), f"ignore_errors for {override.get('module')}"
