"""The walkthrough notebooks: which ones exist and what they may touch.

The notebooks are executed by the test command itself (nbmake, with ``notebooks``
in ``testpaths``); ``tests/test_packaging.py`` checks that they are committed
without outputs. This file checks the conventions that execution cannot: exactly
the four numbered notebooks, data read by relative path from ``data/`` (or from
the corpus folder through ``timeline.evaluation.corpus_root()``), and nothing
fetched from the network.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = REPO / "notebooks"
EXPECTED = (
    "01-seed-story.ipynb",
    "02-escalation.ipynb",
    "03-parsing-functions.ipynb",
    "04-evaluation.ipynb",
)

# A string literal that is an absolute or home-relative path: "/work/...", '~/data', "C:\\data".
_ABSOLUTE_PATH = re.compile(r"""["'](?:/(?!/)|~[/\\]|[A-Za-z]:[/\\])""")
_URL = re.compile(r"\b(?:https?|ftp)://", re.IGNORECASE)
_NETWORK_MODULES = re.compile(
    r"^\s*(?:import|from)\s+(?:requests|httpx|urllib3?|urllib\.request|aiohttp|socket|http\.client)\b",
    re.MULTILINE,
)
_SETS_ENVIRONMENT = re.compile(r"environ\s*(?:\[[^]]*\]\s*=(?!=)|\.(?:setdefault|update)\b)|\bputenv\b")
_DATA_ROOT = re.compile(r"""Path\(\s*["']\.\.["']\s*\)\s*/\s*["']data["']""")


def _cells(name: str) -> list[dict]:
    nb = json.loads((NOTEBOOK_DIR / name).read_text(encoding="utf-8"))
    return nb["cells"]


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _code(name: str) -> str:
    return "\n".join(_source(c) for c in _cells(name) if c.get("cell_type") == "code")


def test_exactly_the_four_numbered_notebooks():
    found = sorted(p.name for p in NOTEBOOK_DIR.glob("*.ipynb"))
    assert found == list(EXPECTED), f"notebooks/ should hold exactly {list(EXPECTED)}, found {found}"
    stray = sorted(p.name for p in NOTEBOOK_DIR.iterdir() if p.name.startswith(".ipynb_checkpoints"))
    assert not stray, f"checkpoint folders in notebooks/: {stray}"


@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_is_valid_and_documented(name):
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", f"{name}: kernelspec should be python3"
    cells = nb.cells
    assert cells and cells[0].cell_type == "markdown" and cells[0].source.startswith("# "), (
        f"{name}: the first cell should be a markdown title"
    )
    n_code = sum(c.cell_type == "code" for c in cells)
    n_markdown = sum(c.cell_type == "markdown" for c in cells)
    assert n_code and n_markdown >= n_code / 2, f"{name}: {n_markdown} markdown cells for {n_code} code cells"


@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_uses_relative_data_paths_only(name):
    code = _code(name)
    absolute = [line.strip() for line in code.splitlines() if _ABSOLUTE_PATH.search(line)]
    assert not absolute, f"{name}: absolute paths in code cells: {absolute}"
    assert "shared/corpora" not in code and not _SETS_ENVIRONMENT.search(code), (
        f"{name}: read the corpora through timeline.evaluation.corpus_root(), not a hard-coded or injected folder"
    )
    assert "os.chdir" not in code, f"{name}: nbmake runs notebooks from their folder; do not change directory"
    if "data" in code:
        assert _DATA_ROOT.search(code), f'{name}: read data/ as Path("..") / "data" (relative to notebooks/)'


@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_uses_no_network(name):
    for i, cell in enumerate(_cells(name)):
        text = _source(cell)
        assert not _URL.search(text), f"{name}: cell {i} contains a URL"
    imports = _NETWORK_MODULES.findall(_code(name))
    assert not imports, f"{name}: network modules imported: {imports}"


def test_corpus_notebook_runs_without_the_corpora():
    """04-evaluation must still run where the annotated corpora are absent: its corpus cells are guarded."""
    code = _code("04-evaluation.ipynb")
    assert "corpus_root()" in code
    assert "root.exists()" in code
