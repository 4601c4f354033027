"""The README's measured figures are what benchmarks/results/*.md say today.

Each generated block of README.md (between ``<!-- generated: NAME (docs/make_readme.py) -->``
and ``<!-- end generated -->``) must be exactly what ``docs/make_readme.py`` writes from the
current results files; when a benchmark is rerun, ``python docs/make_readme.py`` brings the
README up to date.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_SPEC = importlib.util.spec_from_file_location("make_readme", ROOT / "docs" / "make_readme.py")
assert _SPEC is not None and _SPEC.loader is not None
make_readme = importlib.util.module_from_spec(_SPEC)
sys.modules.setdefault("make_readme", make_readme)  # dataclasses look their module up there
_SPEC.loader.exec_module(make_readme)

README = (ROOT / "README.md").read_text(encoding="utf-8")
FIX = "run python docs/make_readme.py"


@pytest.fixture(scope="module")
def results():
    return make_readme.Results(make_readme.RESULTS)


def test_readme_blocks_are_known_and_all_present() -> None:
    found = make_readme.blocks(README)  # raises on unmatched or repeated markers
    unknown = sorted(set(found) - set(make_readme.BLOCKS))
    missing = sorted(set(make_readme.BLOCKS) - set(found))
    assert not unknown, f"README.md has blocks docs/make_readme.py does not know: {unknown}"
    assert not missing, f"README.md lacks the generated blocks {missing}"


@pytest.mark.parametrize("name", sorted(make_readme.BLOCKS))
def test_block_sources_exist(name: str) -> None:
    block = make_readme.BLOCKS[name]
    assert block.sources, f"block {name} names no results file"
    for source in block.sources:
        assert (make_readme.RESULTS / source).is_file(), f"block {name}: benchmarks/results/{source} is missing"


@pytest.mark.parametrize("name", sorted(make_readme.BLOCKS))
def test_block_is_what_the_results_say(name: str, results) -> None:
    written = make_readme.blocks(README).get(name)
    assert written is not None, f"README.md has no block {name}: {FIX}"
    expected = make_readme.body(make_readme.BLOCKS[name], results)
    assert written == expected, f"README.md block {name} differs from benchmarks/results: {FIX}"


@pytest.mark.parametrize("name", sorted(make_readme.BLOCKS))
def test_block_reads_only_its_sources(name: str, tmp_path: Path) -> None:
    """A block drawn from a folder holding only its declared sources: the declaration is complete."""
    for source in make_readme.BLOCKS[name].sources:
        shutil.copyfile(make_readme.RESULTS / source, tmp_path / source)
    make_readme.BLOCKS[name].render(make_readme.Results(tmp_path))


def test_markers_do_not_break_the_markdown() -> None:
    """A table block's markers stand on their own lines with blank lines around the content; an
    inline marker never starts a line (a line starting with ``<!--`` is an HTML block in markdown,
    which would end the paragraph and show the figure as raw text)."""
    for m in re.finditer(make_readme.BEGIN, README):
        block = make_readme.BLOCKS[m.group("name")]
        at_line_start = m.start() == 0 or README[m.start() - 1] == "\n"
        if block.inline:
            assert not at_line_start, f"inline block {block.name} starts a line"
        else:
            assert at_line_start and README[m.end():m.end() + 2] == "\n\n", f"block {block.name}: markers on own lines"


def test_a_changed_result_changes_only_its_block(tmp_path: Path) -> None:
    """The check can fail: a new figure in a results file shows in its block and nowhere else."""
    shutil.copytree(make_readme.RESULTS, tmp_path / "results")
    anchoring = tmp_path / "results" / "anchoring.md"
    text = anchoring.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| (a) anchor_events, own tagger |"))
    share = row.split("|")[4].strip()
    new_share = f"{float(share) + 0.001:.3f}"
    anchoring.write_text(text.replace(row, row.replace(f"| {share} |", f"| {new_share} |"), 1), encoding="utf-8")

    redrawn = make_readme.regenerate(README, make_readme.Results(tmp_path / "results"))
    old, new = make_readme.blocks(README), make_readme.blocks(redrawn)
    changed = sorted(name for name in old if old[name] != new[name])
    assert changed == ["anchoring-baselines"]
    assert f"**{new_share}**" in new["anchoring-baselines"]

    def outside(readme: str) -> str:
        return make_readme._PAIR.sub("", readme)

    assert outside(redrawn) == outside(README)


def test_a_missing_results_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        make_readme.regenerate(README, make_readme.Results(tmp_path))


def test_an_unknown_or_unclosed_block_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown generated block"):
        make_readme.regenerate("x <!-- generated: no-such (docs/make_readme.py) -->1<!-- end generated -->")
    with pytest.raises(ValueError, match="unmatched"):
        make_readme.blocks("<!-- generated: speed (docs/make_readme.py) -->\n| a |\n")
