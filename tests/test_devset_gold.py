"""The dev set's gold is well formed: every line points at one sentence of a shipped report."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from timeline.ingest import load
from timeline.vocabulary import EVENT_TYPES

DATA = Path(__file__).resolve().parents[1] / "data"
SETS = [DATA / "devset", DATA / "holdout", DATA / "holdout-b"]


def _gold(folder: Path) -> list[dict]:
    lines = (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.mark.parametrize("folder", SETS, ids=[f.name for f in SETS])
def test_gold_lines_point_at_one_sentence_of_a_report(folder: Path) -> None:
    texts = {a.doc_id: a.text for a in load(sorted(folder.glob("*.txt")))}
    problems = []
    for i, g in enumerate(_gold(folder), 1):
        text = texts.get(g["doc_id"])
        if text is None:
            problems.append(f"line {i}: no report {g['doc_id']!r}")
            continue
        if text.count(g["sentence_contains"]) != 1:
            problems.append(f"line {i}: sentence_contains occurs {text.count(g['sentence_contains'])} times")
        at = text.find(g["sentence_contains"])
        window = text[max(0, at - 400): at + len(g["sentence_contains"]) + 400].lower()
        if g["trigger"].lower() not in window:
            problems.append(f"line {i}: trigger {g['trigger']!r} not near its sentence")
        if not date.fromisoformat(g["earliest"]) <= date.fromisoformat(g["date"]) <= date.fromisoformat(g["latest"]):
            problems.append(f"line {i}: date outside [earliest, latest]")
        if g["event_type"] not in EVENT_TYPES:
            problems.append(f"line {i}: unknown event type {g['event_type']!r}")
    assert not problems, problems[:20]
