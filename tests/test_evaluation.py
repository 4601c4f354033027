"""Tests of timeline.evaluation: TempEval-3 measures, matching, corpus evaluation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from timeline.errors import InputError
from timeline.evaluation import EvaluationReport, Mismatch, Scores, corpus_root, evaluate_corpus, score_document
from timeline.model import TimeExpression
from timeline.timeml import GoldTimex, TimeMLDocument, read_corpus, write_timeml


def g(start: int, end: int, type_: str = "DATE", value: str = "X", tid: str = "t") -> GoldTimex:
    return GoldTimex(tid, start, end, f"<{start}-{end}>", type_, value)


GOLD = [
    g(0, 10, "DATE", "2024-01-01"),
    g(20, 30, "DURATION", "P3D"),
    g(40, 45, "TIME", "2024-01-01T10:00"),
    g(60, 70, "SET", "P1W"),
]
SYSTEM = [
    g(0, 10, "DATE", "2024-01-01"),  # strict match, type and value right
    g(22, 30, "DATE", "P3D"),  # relaxed only, wrong type
    g(40, 45, "TIME", "2024-01-01T11:00"),  # strict, wrong value
    g(80, 85, "DATE", "2024"),  # spurious
    g(90, 95, "DATE", "PRESENT_REF"),  # spurious
]  # gold (60, 70) is missed


def test_hand_computed_scores():
    scores, mismatches = score_document(GOLD, SYSTEM)
    assert (scores.gold, scores.system, scores.strict_matched, scores.relaxed_matched) == (4, 5, 2, 3)
    assert (scores.type_correct, scores.value_correct) == (2, 2)
    assert scores.strict_precision == pytest.approx(2 / 5)
    assert scores.strict_recall == pytest.approx(2 / 4)
    assert scores.strict_f1 == pytest.approx(4 / 9)  # 2 * 0.4 * 0.5 / 0.9
    assert scores.relaxed_precision == pytest.approx(3 / 5)
    assert scores.relaxed_recall == pytest.approx(3 / 4)
    assert scores.relaxed_f1 == pytest.approx(2 / 3)  # 2 * 0.6 * 0.75 / 1.35
    assert scores.type_accuracy == pytest.approx(2 / 3)
    assert scores.value_accuracy == pytest.approx(2 / 3)
    assert scores.type_f1 == pytest.approx(4 / 9)  # accuracy x relaxed F1
    assert scores.value_f1 == pytest.approx(4 / 9)
    kinds = sorted((m.kind, m.gold_span or m.system_span) for m in mismatches)
    assert kinds == [
        ("extent", (20, 30)),
        ("missed", (60, 70)),
        ("spurious", (80, 85)),
        ("spurious", (90, 95)),
        ("type", (20, 30)),
        ("value", (40, 45)),
    ]
    extent = next(m for m in mismatches if m.kind == "extent")
    assert extent == Mismatch("extent", "<20-30>", (20, 30), "DURATION", "P3D", "<22-30>", (22, 30), "DATE", "P3D")
    missed = next(m for m in mismatches if m.kind == "missed")
    assert missed.system_span is None and missed.gold_type == "SET"


def test_mismatch_text_comes_from_document_text():
    text = "It rained on Friday night."
    _, mismatches = score_document([g(13, 25)], [g(13, 19)], text=text)
    assert (mismatches[0].gold_text, mismatches[0].system_text) == ("Friday night", "Friday")


def test_matching_is_one_to_one_and_prefers_exact_then_largest_overlap():
    # One system timex spanning two gold ones counts once.
    scores, mismatches = score_document([g(0, 5), g(6, 10)], [g(0, 10)])
    assert (scores.relaxed_matched, scores.strict_matched) == (1, 0)
    assert [m.kind for m in mismatches].count("missed") == 1
    # The exact extent wins over an earlier, larger overlap.
    scores, _ = score_document([g(0, 10)], [g(0, 9), g(0, 10)])
    assert (scores.strict_matched, scores.relaxed_matched, scores.system) == (1, 1, 2)
    # Largest overlap wins: system (5, 12) pairs with gold (4, 12), not (0, 6).
    scores, mismatches = score_document([g(0, 6), g(4, 12)], [g(5, 12), g(0, 5)])
    assert scores.relaxed_matched == 2
    pairs = {(m.gold_span, m.system_span) for m in mismatches if m.kind == "extent"}
    assert pairs == {((0, 6), (0, 5)), ((4, 12), (5, 12))}


def test_values_compare_as_exact_strings():
    scores, _ = score_document([g(0, 4, value="2024-W49")], [g(0, 4, value="2024-w49")])
    assert scores.value_accuracy == 0.0
    scores, _ = score_document([g(0, 4, type_="DATE")], [g(0, 4, type_="date")])
    assert scores.type_accuracy == 0.0


def test_edge_cases_follow_the_toolkit():
    nothing = Scores()
    assert nothing.strict_f1 == nothing.relaxed_f1 == nothing.type_f1 == nothing.value_f1 == 1.0
    assert nothing.relaxed_precision == nothing.relaxed_recall == 0.0
    no_system, _ = score_document([g(0, 4)], [])
    assert (no_system.relaxed_precision, no_system.relaxed_recall, no_system.relaxed_f1) == (0.0, 0.0, 0.0)
    assert no_system.value_accuracy == 0.0 and no_system.value_f1 == 0.0
    no_gold, mismatches = score_document([], [g(0, 4)])
    assert no_gold.relaxed_f1 == 0.0 and [m.kind for m in mismatches] == ["spurious"]


def test_scores_add_micro_average_and_as_dict():
    a, _ = score_document(GOLD[:2], SYSTEM[:2])
    b, _ = score_document(GOLD[2:], SYSTEM[2:])
    total = a + b
    assert total == score_document(GOLD, SYSTEM)[0]
    assert sum([a, b]) == total
    d = total.as_dict()
    assert d["gold"] == 4 and d["relaxed_f1"] == pytest.approx(2 / 3)
    assert set(d) >= {"strict_precision", "strict_recall", "type_accuracy", "value_f1", "type_correct"}


def test_works_with_time_expressions():
    system = [TimeExpression("Friday", 13, 19, "DATE", "2024-11-29")]
    scores, _ = score_document([GoldTimex("t1", 13, 19, "Friday", "DATE", "2024-11-29")], system)
    assert scores.strict_f1 == scores.type_accuracy == scores.value_accuracy == 1.0


def make_doc(doc_id: str, text: str, timexes: list[tuple[str, str, str]], path: str = "") -> TimeMLDocument:
    gold = []
    for n, (phrase, type_, value) in enumerate(timexes, start=1):
        start = text.index(phrase)
        gold.append(GoldTimex(f"t{n}", start, start + len(phrase), phrase, type_, value))
    return TimeMLDocument(doc_id, path or f"/gold/{doc_id}.tml", text, date(2024, 12, 2), tuple(gold))


DOCS = [
    make_doc("a", "Talks resumed on Friday after two days.",
             [("Friday", "DATE", "2024-11-29"), ("two days", "DURATION", "P2D")]),
    make_doc("b", "Nothing happened today & tomorrow.", [("today", "DATE", "2024-12-02")]),
]


def fake_tagger(text: str, dct: date | None) -> list[TimeExpression]:
    assert dct == date(2024, 12, 2)
    out = []
    for phrase, type_, value in [("Friday", "DATE", "2024-11-29"), ("days", "DURATION", "P3D"),
                                 ("tomorrow", "DATE", "2024-12-03")]:
        if phrase in text:
            start = text.index(phrase)
            out.append(TimeExpression(phrase, start, start + len(phrase), type_, value))
    return out


def test_evaluate_corpus_with_tagger_writes_output_and_rescoring_agrees(tmp_path):
    report = evaluate_corpus(DOCS, tagger=fake_tagger, out_dir=tmp_path / "out")
    t = report.total
    counts = (t.gold, t.system, t.strict_matched, t.relaxed_matched, t.type_correct, t.value_correct)
    assert counts == (3, 3, 1, 2, 2, 1)
    assert set(report.per_document) == {"a", "b"}
    assert report.per_document["b"].relaxed_matched == 0
    assert sorted((doc_id, m.kind) for doc_id, m in report.mismatches) == [
        ("a", "extent"),
        ("a", "value"),
        ("b", "missed"),
        ("b", "spurious"),
    ]
    per_type = report.per_type()
    assert list(per_type) == ["DATE", "DURATION"]
    assert (per_type["DATE"].gold, per_type["DATE"].relaxed_matched) == (2, 1)
    assert per_type["DURATION"].relaxed_recall == 1.0 and per_type["DURATION"].strict_recall == 0.0
    table = report.format_table()
    assert "strict" in table and "relaxed" in table and "value" in table and "DURATION" in table
    assert f"{100 * t.relaxed_f1:.2f}" in table

    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["a.tml", "b.tml"]
    system_docs = read_corpus(tmp_path / "out")
    again = evaluate_corpus(DOCS, system_docs=system_docs)
    assert again.total == report.total
    assert again.per_document == report.per_document


def test_evaluate_corpus_gold_against_itself():
    report = evaluate_corpus(DOCS, system_docs=DOCS)
    assert report.total.strict_f1 == report.total.value_f1 == 1.0
    assert report.mismatches == []


def test_evaluate_corpus_errors(tmp_path):
    with pytest.raises(InputError, match="exactly one"):
        evaluate_corpus(DOCS)
    with pytest.raises(InputError, match="exactly one"):
        evaluate_corpus(DOCS, tagger=fake_tagger, system_docs=DOCS)
    with pytest.raises(InputError, match="needs tagger"):
        evaluate_corpus(DOCS, system_docs=DOCS, out_dir=tmp_path)
    with pytest.raises(InputError, match="no system document"):
        evaluate_corpus(DOCS, system_docs=DOCS[:1])
    other = [make_doc("a", "Different text.", []), DOCS[1]]
    with pytest.raises(InputError, match="text differs"):
        evaluate_corpus(DOCS, system_docs=other)
    with pytest.raises(InputError, match="already used"):
        evaluate_corpus([DOCS[0], DOCS[0]], tagger=fake_tagger)


def test_system_docs_pair_by_file_name_then_doc_id(tmp_path):
    # System files named like the gold files but with other DOCIDs, and CAT-style gold (.xml).
    gold = [make_doc("x1", "On Monday.", [("Monday", "DATE", "2024-12-02")], path="/g/sub/42_news.xml")]
    write_timeml(tmp_path / "42_news.tml", "other-id", gold[0].text, None, list(gold[0].timexes))
    report = evaluate_corpus(gold, system_docs=read_corpus(tmp_path))
    assert report.total.strict_f1 == 1.0
    renamed = [TimeMLDocument("x1", "/s/whatever.tml", gold[0].text, None, gold[0].timexes)]
    assert evaluate_corpus(gold, system_docs=renamed).total.value_f1 == 1.0


def test_corpus_root_env(monkeypatch, tmp_path):
    monkeypatch.setenv("TIMELINE_CORPORA", str(tmp_path))
    assert corpus_root() == tmp_path.resolve()
    monkeypatch.delenv("TIMELINE_CORPORA")
    import timeline.evaluation as evaluation

    repository = Path(evaluation.__file__).resolve().parent.parent
    assert corpus_root() == (repository.parent / "shared" / "corpora").resolve()


def test_report_defaults():
    report = EvaluationReport()
    assert report.total == Scores() and report.per_type() == {}
    assert "0 documents" in report.format_table()


CORPUS_FOLDERS = ["timebank", "aquaint", "tweets/trainingset", "tweets/testset", "wikiwars/tml", "meantime-en"]


@pytest.mark.corpus
@pytest.mark.parametrize("folder", CORPUS_FOLDERS)
def test_gold_scored_against_itself_is_perfect(folder):
    path = corpus_root() / folder
    if not path.is_dir():
        pytest.skip(f"corpus {folder} not found under {corpus_root()}")
    docs = read_corpus(path)
    report = evaluate_corpus(docs, system_docs=docs)
    total = report.total
    assert total.gold == total.system == total.strict_matched == total.relaxed_matched > 0
    assert total.strict_f1 == total.relaxed_f1 == 1.0
    assert total.type_accuracy == total.value_accuracy == 1.0
    assert total.type_f1 == total.value_f1 == 1.0
    assert report.mismatches == []


@pytest.mark.corpus
def test_tagger_output_round_trips_through_timeml_on_a_corpus(tmp_path):
    path = corpus_root() / "tweets" / "testset"
    if not path.is_dir():
        pytest.skip(f"corpus not found under {corpus_root()}")
    docs = read_corpus(path)[:50]

    pending = iter(docs)  # evaluate_corpus tags the documents in order

    def echo_gold(text: str, dct: date | None) -> list[GoldTimex]:
        doc = next(pending)
        assert (doc.text, doc.dct) == (text, dct)
        return list(doc.timexes)

    report = evaluate_corpus(docs, tagger=echo_gold, out_dir=tmp_path)
    rescored = evaluate_corpus(docs, system_docs=read_corpus(tmp_path))
    assert report.total == rescored.total
    assert rescored.total.value_f1 == 1.0
