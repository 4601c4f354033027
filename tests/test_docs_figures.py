"""The README's charts (docs/*.png) are what the quick start command draws today."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
_SPEC = importlib.util.spec_from_file_location("make_figures", ROOT / "docs" / "make_figures.py")
assert _SPEC is not None and _SPEC.loader is not None
make_figures = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(make_figures)

#: Share of pixels that may differ (anti-aliasing across FreeType builds), and by how much.
TOLERANCE_PIXELS = 0.01
TOLERANCE_LEVEL = 0.1


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("quickstart") / "out"
    return {p.name: p for p in make_figures.draw(out)}


@pytest.mark.parametrize("name", make_figures.CHARTS)
def test_committed_chart_is_what_the_quick_start_draws(drawn: dict[str, Path], name: str) -> None:
    import matplotlib.image as mpimg

    committed = mpimg.imread(ROOT / "docs" / name)
    fresh = mpimg.imread(drawn[name])
    assert committed.shape == fresh.shape, (
        f"docs/{name} is {committed.shape[1]}x{committed.shape[0]}, the quick start draws "
        f"{fresh.shape[1]}x{fresh.shape[0]}: run python docs/make_figures.py")
    differs = (np.abs(committed - fresh).max(axis=-1) > TOLERANCE_LEVEL).mean()
    assert differs <= TOLERANCE_PIXELS, f"docs/{name}: {differs:.1%} of pixels differ: run python docs/make_figures.py"
