"""Ambiguous numeric dates: the ``date_order`` option, evidence from the document, the ``ambiguous`` flag.

The rule corpus (timeline/rules/en/dates.yaml) holds the automatic cases; its example format
has no ``date_order``, so the cases that need one are here.
"""

from __future__ import annotations

import csv
import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

import timeline
from timeline.cli import main
from timeline.errors import InputError
from timeline.ingest import article_from_text, load
from timeline.model import Article
from timeline.pipeline import build, process_article

DCT = "2024-12-02"


def _slash(text: str, dct: str | None = DCT, **kw) -> tuple[str, bool]:
    """(value, ambiguous) of the single slash date in ``text``."""
    (e,) = [e for e in timeline.tag(text, dct=dct, **kw) if e.rule_id.startswith("date_numeric")]
    return e.value, e.ambiguous


# ---------------------------------------------------------------------------
# Each order on the three forms


@pytest.mark.parametrize(("order", "text", "value"), [
    ("MDY", "03/04/2024", "2024-03-04"),
    ("DMY", "03/04/2024", "2024-04-03"),
    ("MDY", "25/11/2024", "2024-11-25"),  # impossible as MDY: read the only way it can be, not dropped
    ("DMY", "25/11/2024", "2024-11-25"),
    ("DMY", "11/25/2024", "2024-11-25"),  # impossible as DMY
    ("YMD", "24/11/27", "2024-11-27"),
    ("YMD", "03/04/05", "2003-04-05"),
    ("MDY", "24/11/27", "2027-11-24"),  # not YMD: the two-digit year is last, the day first as it must be
    ("DMY", "24/11/27", "2027-11-24"),
    ("YMD", "25/11/2024", "2024-11-25"),  # a four-digit year last: not year first
    ("YMD", "11/25/24", "2024-11-25"),  # 2011, month 25 is impossible: month first, as it can only be
])
def test_forced_order(order: str, text: str, value: str) -> None:
    assert _slash(f"Posted {text} by staff", date_order=order) == (value, False)


def test_order_is_case_insensitive_and_auto_is_the_default() -> None:
    text = "Filed 25/11/2024, amended 03/04/2024."
    assert timeline.tag(text, dct=DCT, date_order="dmy") == timeline.tag(text, dct=DCT, date_order="DMY")
    assert timeline.tag(text, dct=DCT, date_order="auto") == timeline.tag(text, dct=DCT) == \
        timeline.tag(text, dct=DCT, date_order=None)


def test_forced_order_beats_the_document_evidence() -> None:
    text = "Filed 25/11/2024, amended 03/04/2024."
    values = [e.value for e in timeline.tag(text, dct=DCT, date_order="MDY")]
    assert values == ["2024-11-25", "2024-03-04"]


def test_ymd_leaves_four_digit_years_to_the_automatic_choice() -> None:
    # YMD cannot apply to 03/04/2024; the document's 25/11/2024 settles it day first.
    values = [(e.value, e.ambiguous) for e in timeline.tag("Filed 25/11/2024, amended 03/04/2024.", dct=DCT,
                                                          date_order="YMD")]
    assert values == [("2024-11-25", False), ("2024-04-03", False)]
    # Nothing settles it: guessed, and flagged.
    assert _slash("Updated 03/04/2024 by staff", dct="2024-03-06", date_order="YMD") == ("2024-03-04", True)


# ---------------------------------------------------------------------------
# Automatic: the document's evidence, else a guess that is flagged


def test_auto_on_the_three_forms_alone() -> None:
    assert _slash("Posted 25/11/2024 by staff") == ("2024-11-25", False)  # only one reading
    assert _slash("Posted 24/11/27 by staff") == ("2027-11-24", False)
    value, ambiguous = _slash("Posted 03/04/2024 by staff")
    assert ambiguous and value in ("2024-03-04", "2024-04-03")


# Each DCT is one where nearness alone would give the other reading.
@pytest.mark.parametrize(("text", "dct", "values"), [
    ("Filed 25/11/2024, amended 03/04/2024.", "2024-03-06", ["2024-11-25", "2024-04-03"]),
    ("Filed 11/25/2024, amended 03/04/2024.", "2024-04-05", ["2024-11-25", "2024-03-04"]),
    # The evidence may come after the ambiguous date.
    ("Amended 03/04/2024; first filed 25/11/2023.", "2024-03-06", ["2024-04-03", "2023-11-25"]),
])
def test_document_evidence_wins_in_auto(text: str, dct: str, values: list[str]) -> None:
    settled = next(v for v in values if v in ("2024-04-03", "2024-03-04"))
    assert _slash("Date: 03/04/2024", dct=dct)[0] != settled  # nearness alone says the other
    found = timeline.tag(text, dct=dct)
    assert [e.value for e in found] == values
    assert not any(e.ambiguous for e in found)


def test_conflicting_evidence_settles_nothing() -> None:
    found = timeline.tag("Filed 25/11/2024 and 11/26/2024, amended 03/04/2024.", dct="2024-03-06")
    assert [(e.value, e.ambiguous) for e in found] == [("2024-11-25", False), ("2024-11-26", False),
                                                       ("2024-03-04", True)]


@pytest.mark.parametrize(("dct", "value"), [("2024-03-06", "2024-03-04"), ("2024-04-05", "2024-04-03")])
def test_guess_is_the_reading_nearer_the_dct(dct: str, value: str) -> None:
    assert _slash("Date: 03/04/2024", dct=dct) == (value, True)


def test_guess_does_not_put_a_past_tense_date_after_the_dct() -> None:
    # 5 June is nearer 30 May than 6 May is, but "was taken" looks back.
    assert _slash("Date: 05/06/2024", dct="2024-05-30") == ("2024-06-05", True)
    assert _slash("The town was taken on 05/06/2024.", dct="2024-05-30") == ("2024-05-06", True)


def test_one_guess_for_the_whole_document() -> None:
    # Alone, 03/04/2024 would be 3 April (7 days from the DCT, not 37) and 04/09/2024 9 April (not
    # 4 September): together month first is nearer overall, and the document is read one way.
    assert _slash("Date: 03/04/2024", dct="2024-04-10") == ("2024-04-03", True)
    found = timeline.tag("Date: 03/04/2024, revised 04/09/2024.", dct="2024-04-10")
    assert [(e.value, e.ambiguous) for e in found] == [("2024-03-04", True), ("2024-04-09", True)]


def test_guess_without_a_dct_or_in_narrative_mode_is_month_first() -> None:
    assert _slash("Updated 03/04/2024 by staff", dct=None) == ("2024-03-04", True)
    # Both readings years from the DCT: nearness says nothing.
    assert _slash("Date: 3/7/98", dct="2024-12-02") == ("1998-03-07", True)
    assert _slash("Date: 3/7/2022", dct="2024-12-02") == ("2022-03-07", True)
    assert _slash("Updated 03/04/2024 by staff", dct="2024-04-05", mode="narrative") == ("2024-03-04", True)


@pytest.mark.parametrize("text", ["Posted 05/05/2024 by staff", "Posted 25/11/2024 by staff",
                                  "Posted 11/25/2024 by staff", "The order, dated 2024-04-03, was published."])
def test_not_ambiguous_when_only_one_reading(text: str) -> None:
    assert not any(e.ambiguous for e in timeline.tag(text, dct=DCT))


@pytest.mark.parametrize("order", ["MDY", "DMY"])
def test_never_ambiguous_when_the_order_is_given(order: str) -> None:
    assert not any(e.ambiguous for e in timeline.tag("Updated 03/04/2024 and 02/05/2024.", dct=DCT,
                                                     date_order=order))


def test_ambiguous_is_the_last_field_and_in_to_dict() -> None:
    (e,) = timeline.tag("Updated 03/04/2024.", dct=DCT)
    assert e.to_dict()["ambiguous"] is True
    assert list(e.to_dict())[-1] == "ambiguous"
    assert timeline.TimeExpression(text="x", start=0, end=1, type="DATE", value="2024").ambiguous is False


# ---------------------------------------------------------------------------
# Invalid values


@pytest.mark.parametrize("bad", ["DYM", "", "US", 3])
def test_invalid_date_order_raises_input_error(bad) -> None:
    with pytest.raises(InputError, match=r"date_order.*auto, MDY, DMY, YMD"):
        timeline.tag("Updated 03/04/2024.", dct=DCT, date_order=bad)
    with pytest.raises(InputError, match="date_order"):
        build([Article(doc_id="a", text="Updated 03/04/2024.", published=None)], date_order=bad)


def test_invalid_date_order_on_the_cli_is_a_usage_error(capsys) -> None:
    assert main(["tag", "--dct", DCT, "--date-order", "DYM", "Updated 03/04/2024."]) == 2
    err = capsys.readouterr().err
    assert "--date-order" in err and "MDY" in err and "Traceback" not in err


# ---------------------------------------------------------------------------
# Pipeline: process_article, build on every engine, the document-level warning


def _articles() -> list[Article]:
    return [
        Article(doc_id="guess", text="Rebels seized the airport on 03/04/2024, officials said.",
                published=pd.Timestamp("2024-04-05").date(), dct_source="given"),
        Article(doc_id="evidence", text="Filed 25/11/2024. Rebels seized the airport on 03/04/2024.",
                published=pd.Timestamp("2024-12-02").date(), dct_source="given"),
        Article(doc_id="own", text="Rebels seized the airport on 03/04/2024, officials said.",
                published=pd.Timestamp("2024-04-05").date(), dct_source="given", date_order="MDY"),
    ]


def test_process_article_warns_once_per_document() -> None:
    article, expressions, _ = process_article(_articles()[0])
    notes = [w for w in article.warnings if "ambiguous day/month order" in w]
    assert notes == ["ambiguous day/month order in 1 numeric date, read as day first (DMY), nearer the "
                     "publication date; pass --date-order (or a date_order field) to set it"]
    assert [e.ambiguous for e in expressions if e.rule_id.startswith("date_numeric")] == [True]
    assert article.status == "ok"
    two = Article(doc_id="two", text="Updated 03/04/2024 and 02/05/2024.", published=None)
    notes = [w for w in process_article(two)[0].warnings if "ambiguous" in w]
    assert len(notes) == 1 and "in 2 numeric dates, read as month first (MDY), by default" in notes[0]


def test_process_article_given_order_and_the_documents_own_order() -> None:
    guess, _, own = _articles()
    article, expressions, _ = process_article(guess, date_order="MDY")
    assert not any("ambiguous" in w for w in article.warnings) and article.date_order == "MDY"
    assert [e.value for e in expressions if e.rule_id.startswith("date_numeric")] == ["2024-03-04"]
    # The document's own field wins over the option.
    article, expressions, _ = process_article(own, date_order="DMY")
    assert article.date_order == "MDY"
    assert [e.value for e in expressions if e.rule_id.startswith("date_numeric")] == ["2024-03-04"]


def _build(**kw) -> timeline.pipeline.Timeline:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build(_articles(), **kw)


def _numeric_values(result) -> dict[str, list[str]]:
    return {doc: [e.value for e in exprs if e.rule_id.startswith("date_numeric")]
            for doc, exprs in result.expressions.items()}


@pytest.fixture(scope="module")
def local_dmy():
    return _build(date_order="DMY")


def test_build_passes_the_order_through(local_dmy) -> None:
    auto = _build()
    assert _numeric_values(auto) == {"guess": ["2024-04-03"], "evidence": ["2024-11-25", "2024-04-03"],
                                     "own": ["2024-03-04"]}
    assert _numeric_values(_build(date_order="MDY"))["guess"] == ["2024-03-04"]
    assert _numeric_values(local_dmy)["guess"] == ["2024-04-03"]
    assert _numeric_values(local_dmy)["own"] == ["2024-03-04"]  # the document's own field wins
    warned = auto.documents.set_index("doc_id")["warnings"].fillna("").str.contains("ambiguous day/month")
    assert warned.to_dict() == {"guess": True, "evidence": False, "own": False}
    assert not local_dmy.documents["warnings"].fillna("").str.contains("ambiguous").any()


def test_events_follow_the_order(local_dmy) -> None:
    mdy = _build(date_order="MDY")

    def days(result):
        ev = result.events[result.events["doc_id"] == "guess"]
        return [(pd.Timestamp(d).date().isoformat(), v) for d, v in zip(ev["date"], ev["time_value"])]

    assert days(local_dmy) == [("2024-04-03", "2024-04-03")]
    assert days(mdy) == [("2024-03-04", "2024-03-04")]


def _same(a, b) -> None:
    pd.testing.assert_frame_equal(a.events, b.events)
    pd.testing.assert_frame_equal(a.documents, b.documents)
    assert _numeric_values(a) == _numeric_values(b)


def test_jobs_gives_identical_output(local_dmy) -> None:
    _same(local_dmy, _build(date_order="DMY", jobs=2))
    _same(_build(), _build(jobs=2))


def test_dask_gives_identical_output(local_dmy) -> None:
    pytest.importorskip("dask.bag")
    _same(local_dmy, _build(date_order="DMY", engine="dask", scheduler="synchronous"))
    _same(_build(), _build(engine="dask", scheduler="synchronous"))


# ---------------------------------------------------------------------------
# Per-document field in ingest


def test_front_matter_and_jsonl_date_order(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("---\npublished: 2024-04-05\ndate_order: mdy\n---\nSeized on 03/04/2024.\n")
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"doc_id": "b1", "published": "2024-04-05", "text": "Seized on 03/04/2024.",
                    "date_order": "DMY"}) + "\n"
        + json.dumps({"doc_id": "b2", "published": "2024-04-05", "text": "Seized on 03/04/2024.",
                      "date_order": "sideways"}) + "\n")
    docs = {a.doc_id: a for a in load([tmp_path])}
    assert docs["a"].date_order == "MDY" and docs["b1"].date_order == "DMY"
    assert docs["b2"].date_order is None
    assert any("ignored date_order 'sideways'" in w for w in docs["b2"].warnings)
    assert article_from_text("x", doc_id="c", date_order="ymd").date_order == "YMD"
    with pytest.raises(InputError, match="date_order"):
        article_from_text("x", doc_id="c", date_order="sideways")


# ---------------------------------------------------------------------------
# CLI


def test_cli_tag_date_order(capsys) -> None:
    for order, value in (("MDY", "2024-03-04"), ("DMY", "2024-04-03"), ("dmy", "2024-04-03")):
        assert main(["tag", "--dct", DCT, "--date-order", order, "Updated 03/04/2024."]) == 0
        (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert (row["value"], row["ambiguous"]) == (value, False)
    assert main(["tag", "--dct", "2024-04-05", "Updated 03/04/2024."]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (row["value"], row["ambiguous"]) == ("2024-04-03", True)


def test_cli_tag_batch_and_anchor_date_order(tmp_path: Path, capsys) -> None:
    docs = tmp_path / "docs.jsonl"
    text = "Rebels seized the airport on 03/04/2024."
    docs.write_text(json.dumps({"doc_id": "d", "published": "2024-04-05", "text": text,
                                "events": [{"id": "e1", "start": text.index("seized"),
                                            "end": text.index("seized") + 6}]}) + "\n")
    assert main(["tag", "--input", str(docs), "--date-order", "MDY"]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["value"] == "2024-03-04"
    for order, value in (("MDY", "2024-03-04"), ("DMY", "2024-04-03")):
        assert main(["anchor", "--input", str(docs), "--date-order", order]) == 0
        (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert row["value"] == value


@pytest.mark.parametrize("extra", [[], ["--jobs", "2"], ["--engine", "dask", "--scheduler", "synchronous"]])
def test_cli_build_date_order(tmp_path: Path, capsys, extra: list[str]) -> None:
    if "dask" in extra:
        pytest.importorskip("dask.bag")
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("---\npublished: 2024-04-05\n---\nRebels seized the airport on 03/04/2024.\n")
    rows = {}
    for order in ("auto", "MDY"):
        out = tmp_path / f"out-{order}-{len(extra)}"
        assert main(["build", str(src), "--out", str(out), "--no-charts", "--quiet", "--date-order", order,
                     *extra]) == 0
        with open(out / "documents.csv", encoding="utf-8") as handle:
            (rows[order],) = list(csv.DictReader(handle))
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["options"]["date_order"] == order
    assert "ambiguous day/month order in 1 numeric date" in rows["auto"]["warnings"]
    assert "ambiguous" not in rows["MDY"]["warnings"]
    capsys.readouterr()
    assert main(["build", str(src), "--out", str(tmp_path / "bad"), "--date-order", "XYZ"]) == 2
    assert "--date-order" in capsys.readouterr().err
