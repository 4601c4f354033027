"""Regenerate the README's charts (docs/*.png) from the quick start's inputs.

    python docs/make_figures.py

It runs the quick start command (``timeline build data/000_43342442af48aa1c.txt data/escalation``)
into a temporary folder and copies its two charts here; ``tests/test_docs_figures.py`` checks
that the committed images are what that command draws today.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INPUTS = [ROOT / "data" / "000_43342442af48aa1c.txt", ROOT / "data" / "escalation"]
CHARTS = ("timeline.png", "escalation.png")


def draw(out: Path) -> list[Path]:
    """The quick start's charts, drawn into ``out``; returns their paths."""
    from timeline.cli import main

    code = main(["build", *map(str, INPUTS), "--out", str(out), "--quiet"])
    if code not in (0, None):
        raise SystemExit(f"timeline build exited {code}")
    return [out / name for name in CHARTS]


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        for path in draw(Path(tmp) / "out"):
            shutil.copyfile(path, ROOT / "docs" / path.name)
            print(f"wrote docs/{path.name}", file=sys.stderr)
