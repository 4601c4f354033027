"""Tests of timeline.evaluation_events: calendar values, anchor scoring, corpus readers, systems."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from timeline.errors import InputError
from timeline.evaluation import corpus_root
from timeline.evaluation_events import (
    EventDocument,
    GoldEvent,
    Prediction,
    anchor_is_right,
    anchor_prediction,
    evaluate_anchoring,
    gold_expressions,
    nearest_in_sentence,
    parse_calendar_value,
    predict_anchor_events,
    predict_dct,
    predict_gold,
    predict_nearest,
    read_cat_events,
    read_semeval_timelines,
    read_timeml_events,
)
from timeline.events.anchor import EventAnchor
from timeline.model import TimeExpression
from timeline.timeml import GoldTimex

# --------------------------------------------------------------------------- calendar values


@pytest.mark.parametrize(
    ("value", "earliest", "latest", "grain"),
    [
        ("2016", datetime(2016, 1, 1), datetime(2017, 1, 1), "year"),
        ("2024-11", datetime(2024, 11, 1), datetime(2024, 12, 1), "month"),
        ("2024-12", datetime(2024, 12, 1), datetime(2025, 1, 1), "month"),
        ("2024-11-29", datetime(2024, 11, 29), datetime(2024, 11, 30), "day"),
        ("2024-W48", datetime(2024, 11, 25), datetime(2024, 12, 2), "week"),
        ("1998-W5", datetime(1998, 1, 26), datetime(1998, 2, 2), "week"),
        ("2024-W48-WE", datetime(2024, 11, 30), datetime(2024, 12, 2), "week"),
        ("2024-W48-5", datetime(2024, 11, 29), datetime(2024, 11, 30), "day"),
        ("1989-Q4", datetime(1989, 10, 1), datetime(1990, 1, 1), "quarter"),
        ("1989-H2", datetime(1989, 7, 1), datetime(1990, 1, 1), "half"),
        ("2015-SU", datetime(2015, 6, 1), datetime(2015, 9, 1), "season"),
        ("2015-WI", datetime(2015, 12, 1), datetime(2016, 3, 1), "season"),
        ("199", datetime(1990, 1, 1), datetime(2000, 1, 1), "decade"),
        ("199X", datetime(1990, 1, 1), datetime(2000, 1, 1), "decade"),
        ("19", datetime(1900, 1, 1), datetime(2000, 1, 1), "century"),
        ("2024-11-29TNI", datetime(2024, 11, 29, 20), datetime(2024, 11, 30), "part-of-day"),
        ("2024-11-29TMO", datetime(2024, 11, 29, 5), datetime(2024, 11, 29, 12), "part-of-day"),
        ("1990-08-15T13:37", datetime(1990, 8, 15, 13, 37), datetime(1990, 8, 15, 13, 38), "minute"),
        ("1998-01-08T12:00:00", datetime(1998, 1, 8, 12), datetime(1998, 1, 8, 12, 1), "minute"),
        ("1998-01-08T12:00-05:00", datetime(1998, 1, 8, 12), datetime(1998, 1, 8, 12, 1), "minute"),
        ("1998-01-08T14", datetime(1998, 1, 8, 14), datetime(1998, 1, 8, 15), "hour"),
    ],
)
def test_calendar_values_parse_to_their_interval_and_grain(value, earliest, latest, grain):
    cv = parse_calendar_value(value)
    assert cv is not None
    assert (cv.earliest, cv.latest, cv.grain) == (earliest, latest, grain)


@pytest.mark.parametrize(
    "value",
    ["", None, "PAST_REF", "PRESENT_REF", "P3D", "PT2H", "XXXX-11-29", "2024-XX", "XXXX-WXX-5", "2024-13",
     "2024-02-30", "2024-W54", "FY1998", "2024-11T10:00", "2024-11-29T25:00", "2024-11-29TXX", "twenty"],
)
def test_non_calendar_values_are_none(value):
    assert parse_calendar_value(value) is None


def test_a_part_of_day_lies_inside_its_day():
    for part in ("MO", "MI", "AF", "EV", "NI", "DT"):
        inner, day = parse_calendar_value(f"2024-11-29T{part}"), parse_calendar_value("2024-11-29")
        assert day.earliest <= inner.earliest < inner.latest <= day.latest


# --------------------------------------------------------------------------- scoring


@pytest.mark.parametrize(
    ("system", "gold", "right"),
    [
        ("2024-11-29", "2024-11-29", True),
        ("2024-11-30", "2024-11-29", False),
        ("2024-11-29TEV", "2024-11-29", True),  # finer, inside
        ("2024-11-29T23:59", "2024-11-29", True),
        ("2024-11", "2024-11-29", False),  # coarser, though it holds the day
        ("2024-W48", "2024-11-29", False),
        ("2024-11-03", "2024-11", True),
        ("2024-12-01", "2024-11", False),
        ("2024-W47", "2024-11", True),  # 18-24 Nov.
        ("2024-W48", "2024-11", False),  # 25 Nov.-1 Dec. runs out of November
        ("2024-W48", "2024-W48", True),
        ("2024-W48-WE", "2024-W48", True),
        ("2024-11-24", "2024-W48", False),
        ("2016", "2016", True),
        ("2016-Q2", "2016", True),
        ("201", "2016", False),
        ("2015-07-14", "2015-SU", True),
        ("2015-SU", "2015-Q3", False),  # June lies outside Q3
        ("2015-Q3", "2015-SU", False),
        ("2015-SU", "2015-SU", True),
        ("2016-01-15", "2015-WI", True),
        ("1989-Q4", "1989-H2", True),
        ("1998-01-08", "1998-01-08T12:00", False),  # coarser than a minute
        ("PAST_REF", "2024-11", False),
        ("XXXX-11-29", "2024-11-29", False),
        (None, "2024-11", False),
        ("", "2024-11", False),
    ],
)
def test_anchor_is_right(system, gold, right):
    assert anchor_is_right(system, gold) is right


def test_gold_must_be_a_calendar_value():
    with pytest.raises(ValueError, match="PAST_REF"):
        anchor_is_right("2024-11", "PAST_REF")


def _anchor(value, earliest, latest, source="dct", relation=None):
    return EventAnchor(0, 1, value, earliest, latest, "day", source, None, relation, "why")


def test_anchor_prediction_uses_the_value_else_the_best_day():
    p = anchor_prediction(_anchor("2024-W48", datetime(2024, 11, 25), datetime(2024, 12, 2), "clause", "included"))
    assert (p.value, p.from_bounds, p.source, p.relation) == ("2024-W48", False, "clause", "included")
    # bounds only: a fallback window gives the publication day (its last day)
    p = anchor_prediction(_anchor(None, datetime(2024, 11, 26), datetime(2024, 12, 3)))
    assert (p.value, p.from_bounds) == ("2024-12-02", True)
    # a non-calendar value is scored by its bounds too
    p = anchor_prediction(_anchor("PAST_REF", datetime(2024, 11, 1), datetime(2024, 12, 3), "clause", "included"))
    assert p.from_bounds and parse_calendar_value(p.value).grain == "day"
    assert anchor_prediction(_anchor(None, None, None, "none")).value is None


def test_nearest_in_sentence_prefers_the_closest_calendar_time_in_the_sentence():
    def e(start, end, value, type_="DATE"):
        return TimeExpression(text="t", start=start, end=end, type=type_, value=value)

    exprs = [e(0, 4, "2024-12-01"), e(10, 14, "P3D", "DURATION"), e(16, 20, "PRESENT_REF"),
             e(30, 34, "2024-11-30"), e(60, 64, "2024-11-29")]
    assert nearest_in_sentence((14, 16), exprs, (0, 50)).value == "2024-12-01"  # durations and REFs skipped
    assert nearest_in_sentence((17, 18), exprs, (0, 50)).value == "2024-11-30"
    assert nearest_in_sentence((20, 22), exprs, (0, 50)).value == "2024-11-30"  # 8 after vs 16 before
    assert nearest_in_sentence((55, 58), exprs, (50, 70)).value == "2024-11-29"  # not across sentences
    assert nearest_in_sentence((45, 46), exprs, (40, 50)) is None
    tie = [e(0, 4, "2024-01-01"), e(12, 16, "2024-02-01")]
    assert nearest_in_sentence((8, 8), tie, (0, 20)).value == "2024-01-01"


# --------------------------------------------------------------------------- readers on small hand-made files

TIMEML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>TEST1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08T12:30" functionInDocument="CREATION_TIME">19980108</TIMEX3></DCT>
<TEXT>Rebels <EVENT eid="e1" class="OCCURRENCE">captured</EVENT> the town on <TIMEX3 tid="t1" type="DATE" value="1998-01-06">Tuesday</TIMEX3> in <TIMEX3 tid="t2" type="DATE" value="1998-01">January</TIMEX3>. Officials <EVENT eid="e2" class="REPORTING">said</EVENT> so.
It <EVENT eid="e3" class="OCCURRENCE">lasted</EVENT> <TIMEX3 tid="t3" type="DURATION" value="P3D">three days</TIMEX3>, <EVENT eid="e4" class="OCCURRENCE">ending</EVENT> <TIMEX3 tid="t4" type="DATE" value="PAST_REF">recently</TIMEX3> and <EVENT eid="e5" class="OCCURRENCE">before</EVENT> the <EVENT eid="e6" class="OCCURRENCE">talks</EVENT>.</TEXT>
<MAKEINSTANCE eventID="e1" eiid="ei1" tense="PAST" aspect="NONE" polarity="POS" pos="VERB" />
<MAKEINSTANCE eventID="e2" eiid="ei2" tense="PAST" aspect="NONE" polarity="POS" pos="VERB" />
<MAKEINSTANCE eventID="e3" eiid="ei3" tense="PAST" aspect="NONE" polarity="POS" pos="VERB" />
<MAKEINSTANCE eventID="e4" eiid="ei4" tense="PAST" aspect="NONE" polarity="POS" pos="VERB" />
<MAKEINSTANCE eventID="e5" eiid="ei5" tense="PAST" aspect="NONE" polarity="POS" pos="VERB" />
<MAKEINSTANCE eventID="e6" eiid="ei6" tense="NONE" aspect="NONE" polarity="POS" pos="NOUN" />
<TLINK lid="l1" relType="IS_INCLUDED" eventInstanceID="ei1" relatedToTime="t2" />
<TLINK lid="l2" relType="INCLUDES" timeID="t1" relatedToEventInstance="ei1" />
<TLINK lid="l3" relType="INCLUDES" timeID="t0" relatedToEventInstance="ei2" />
<TLINK lid="l4" relType="DURING" eventInstanceID="ei3" relatedToTime="t3" />
<TLINK lid="l5" relType="IS_INCLUDED" eventInstanceID="ei4" relatedToTime="t4" />
<TLINK lid="l6" relType="BEFORE" eventInstanceID="ei5" relatedToTime="t0" />
<TLINK lid="l7" relType="IS_INCLUDED" timeID="t2" relatedToEventInstance="ei6" />
</TimeML>
"""  # noqa: E501 - a TimeML document: its sentences are lines


def test_timeml_reader_takes_the_finest_inside_link_in_either_direction(tmp_path):
    path = tmp_path / "test.tml"
    path.write_text(TIMEML, encoding="utf-8")
    doc = read_timeml_events(path)
    assert doc.doc_id == "TEST1" and doc.dct == date(1998, 1, 8) and doc.dct_value == "1998-01-08T12:30"
    assert doc.n_events == 6
    got = {g.text: (g.value, g.where, g.timex_id, g.relation) for g in doc.events}
    assert got == {
        "captured": ("1998-01-06", "sentence", "t1", "IS_INCLUDED"),  # the day, finer than the month
        "said": ("1998-01-08", "dct", "t0", "IS_INCLUDED"),  # DCT clock time dropped
    }  # a duration, PAST_REF, BEFORE and "the timex inside the event" are no gold anchor
    for g in doc.events:
        assert doc.text[g.start:g.end] == g.text
    assert [t.text for t in doc.timexes] == ["Tuesday", "January", "three days", "recently"]


def test_timeml_reader_marks_a_gold_time_in_another_sentence(tmp_path):
    text = TIMEML.replace('lid="l3" relType="INCLUDES" timeID="t0"', 'lid="l3" relType="INCLUDES" timeID="t2"')
    path = tmp_path / "test.tml"
    path.write_text(text, encoding="utf-8")
    said = next(g for g in read_timeml_events(path).events if g.text == "said")
    assert (said.value, said.where) == ("1998-01", "elsewhere")  # "January" is in the sentence before
    path.write_text(text.replace("in <TIMEX3", "in<TIMEX3").replace("January</TIMEX3>. Officials",
                                                                    "January</TIMEX3>, officials"), encoding="utf-8")
    said = next(g for g in read_timeml_events(path).events if g.text == "said")
    assert (said.value, said.where) == ("1998-01", "sentence")


CAT = """<?xml version="1.0" ?><Document doc_id="1" doc_name="1_Test" lang="en">
<token number="0" sentence="0" t_id="1">Apple</token>
<token number="1" sentence="0" t_id="2">launched</token>
<token number="2" sentence="0" t_id="3">iPods</token>
<token number="3" sentence="0" t_id="4">in</token>
<token number="4" sentence="0" t_id="5">2003</token>
<token number="5" sentence="0" t_id="6">.</token>
<token number="6" sentence="1" t_id="7">March</token>
<token number="7" sentence="1" t_id="8">1</token>
<token number="8" sentence="1" t_id="9">,</token>
<token number="9" sentence="1" t_id="10">2008</token>
<token number="10" sentence="2" t_id="11">Sales</token>
<token number="11" sentence="2" t_id="12">rose</token>
<token number="12" sentence="2" t_id="13">sharply</token>
<token number="13" sentence="2" t_id="14">.</token>
<Markables>
<EVENT_MENTION m_id="20" pred="launch"><token_anchor t_id="2"/></EVENT_MENTION>
<EVENT_MENTION m_id="21" pred="rise"><token_anchor t_id="12"/></EVENT_MENTION>
<EVENT_MENTION m_id="22" pred="sale"><token_anchor t_id="11"/></EVENT_MENTION>
<TIMEX3 functionInDocument="CREATION_TIME" m_id="30" type="DATE" value="2008-03-01">
<token_anchor t_id="7"/><token_anchor t_id="8"/><token_anchor t_id="9"/><token_anchor t_id="10"/></TIMEX3>
<TIMEX3 functionInDocument="NONE" m_id="31" type="DATE" value="2003"><token_anchor t_id="5"/></TIMEX3>
</Markables>
<Relations>
<TLINK r_id="1" reltype="INCLUDES"><source m_id="31"/><target m_id="20"/></TLINK>
<TLINK r_id="2" reltype="SIMULTANEOUS"><source m_id="21"/><target m_id="30"/></TLINK>
<TLINK r_id="3" reltype="AFTER"><source m_id="22"/><target m_id="30"/></TLINK>
</Relations>
</Document>
"""


def test_cat_reader_rebuilds_text_sentences_dct_and_gold(tmp_path):
    path = tmp_path / "1_Test.xml"
    path.write_text(CAT, encoding="utf-8")
    doc = read_cat_events(path)
    assert doc.text == "Apple launched iPods in 2003 .\nMarch 1 , 2008\nSales rose sharply ."
    assert doc.dct == date(2008, 3, 1) and doc.n_events == 3
    assert [doc.text[a:b] for a, b in doc.sentences] == doc.text.split("\n")
    got = [(g.text, g.value, g.where, g.relation) for g in doc.events]
    assert got == [("launched", "2003", "sentence", "IS_INCLUDED"), ("rose", "2008-03-01", "dct", "SIMULTANEOUS")]
    assert [t.text for t in doc.timexes] == ["2003"]  # the DCT is not a timex of the text


def _semeval(tmp_path: Path, timeline: str) -> Path:
    (tmp_path / "documents").mkdir()
    (tmp_path / "timelines").mkdir()
    (tmp_path / "documents" / "1234_Test.tml").write_text(
        '<?xml version="1.0" ?><TimeML><DOCID>1234</DOCID>'
        '<DCT><TIMEX3 functionInDocument="CREATION_TIME" tid="t0" type="DATE" value="2008-01-09">x</TIMEX3></DCT>'
        '<TEXT><s id="0">Apple to lower prices</s><s id="1">Apple <EVENT eid="e1">launched</EVENT> the store'
        ' in 2003 and <EVENT eid="e2">sold</EVENT> songs .</s><s id="2">It <EVENT eid="e3">took</EVENT> six'
        ' months off and <EVENT eid="e4">said</EVENT> it <EVENT eid="e5">said</EVENT> so .</s></TEXT></TimeML>',
        encoding="utf-8")
    (tmp_path / "timelines" / "apple.txt").write_text(timeline, encoding="utf-8")
    return tmp_path


def test_semeval_reader_dates_mentions_at_the_timeline_grain(tmp_path):
    folder = _semeval(tmp_path, "Apple\n0\tXXXX-XX-XX\t1234-1-sold\n1\t2003-XX-XX\t1234-1-launched\n"
                                "2\t2008-01\t2413-2-took_off\n3\t2008-01-09\t1234-2-said\n"
                                "4\t2008-01-08\t1234-2-said\n5\tXXX-XX-XX\t1234-0-lower\n6\t2008\t1234-2-gone\n")
    docs, notes = read_semeval_timelines(folder)
    (doc,) = docs
    assert doc.text.split("\n")[1] == "Apple launched the store in 2003 and sold songs ."
    assert doc.dct == date(2008, 1, 9) and doc.n_events == 5
    dated = [(g.text, g.value) for g in doc.events]
    # "took_off": id 2413 repaired to 1234, the split particle verb taken at "took"; a key listed twice is one
    # mention (keys cannot tell the two "said" apart), dated by the first of two dates at the same grain
    assert dated == [("launched", "2003"), ("took", "2008-01"), ("said", "2008-01-09")]
    assert [(g.text, g.value) for g in doc.undated] == [("lower", ""), ("sold", "")]  # "lower": no <EVENT>, its token
    assert sorted({g.start for g in doc.events}) == sorted(g.start for g in doc.events)
    assert any("2413 read as 1234" in n for n in notes)
    assert any("'gone' not in sentence 2" in n for n in notes)
    assert any("dated both '2008-01-09' and '2008-01-08'" in n for n in notes)


def test_semeval_reader_needs_its_layout(tmp_path):
    with pytest.raises(InputError, match="documents/ and timelines/"):
        read_semeval_timelines(tmp_path)


def test_gold_expressions_carry_intervals_and_since(tmp_path):
    text = "Fighting has raged since 2011 and resumed on Friday for three days."  # Friday is no since-bound
    doc = EventDocument("d", "p", text, date(2024, 12, 2), "2024-12-02", (), timexes=(
        GoldTimex("t1", 25, 29, "2011", "DATE", "2011"),
        GoldTimex("t2", 45, 51, "Friday", "DATE", "2024-11-29"),
        GoldTimex("t3", 56, 66, "three days", "DURATION", "P3D"),
    ))
    since, friday, duration = gold_expressions(doc)
    assert since.since and since.until == datetime(2024, 12, 3) and since.grain == "year"
    assert (friday.since, friday.earliest, friday.latest, friday.grain) == (
        False, datetime(2024, 11, 29), datetime(2024, 11, 30), "day")
    assert (duration.earliest, duration.grain, duration.type) == (None, None, "DURATION")


# --------------------------------------------------------------------------- systems


def _doc() -> EventDocument:
    text = "Rebels captured the town on Sunday. Officials met on Monday. Talks went on."
    spans = [(text.index(w), text.index(w) + len(w)) for w in ("captured", "met", "went")]
    gold = [GoldEvent(f"e{i}", a, b, text[a:b], v, "sentence") for i, ((a, b), v) in
            enumerate(zip(spans, ["2024-12-01", "2024-12-02", "2024-12-02"]))]
    return EventDocument("d", "p", text, date(2024, 12, 2), "2024-12-02", tuple(gold),
                         sentences=((0, 35), (36, 60), (61, len(text))))


def _tagger(text, dct):
    return [TimeExpression(text="Sunday", start=text.index("Sunday"), end=text.index("Sunday") + 6, type="DATE",
                           value="2024-12-01", earliest=datetime(2024, 12, 1), latest=datetime(2024, 12, 2),
                           grain="day")]


def test_baselines_and_gold_on_a_small_document():
    doc = _doc()
    outcomes = evaluate_anchoring([doc], {"b": predict_dct, "c": predict_nearest, "gold": predict_gold},
                                  tagger=_tagger)
    right = {(o.system, o.event.text): o.right for o in outcomes}
    assert right == {("b", "captured"): False, ("b", "met"): True, ("b", "went"): True,
                     ("c", "captured"): True, ("c", "met"): True, ("c", "went"): True,
                     ("gold", "captured"): True, ("gold", "met"): True, ("gold", "went"): True}
    nearest = [o.prediction for o in outcomes if o.system == "c"]
    assert [p.source for p in nearest] == ["sentence", "dct", "dct"]


def test_anchor_events_system_runs_on_every_event():
    doc = _doc()
    outcomes = evaluate_anchoring([doc], {"a": predict_anchor_events})
    assert [o.event.text for o in outcomes] == ["captured", "met", "went"]
    assert outcomes[0].right  # "captured ... on Sunday": the time of its own clause
    assert all(isinstance(o.prediction, Prediction) for o in outcomes)


def test_a_system_must_answer_every_event():
    with pytest.raises(ValueError, match="predictions for 3 events"):
        evaluate_anchoring([_doc()], {"bad": lambda doc, exprs: []}, tagger=_tagger)


# --------------------------------------------------------------------------- the real corpora


def _corpus(*parts: str) -> Path:
    path = corpus_root().joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not found (set TIMELINE_CORPORA)")
    return path


def _assert_spans_and_self_score(docs):
    for doc in docs:
        for g in doc.events + doc.undated:
            assert doc.text[g.start:g.end] == g.text and g.text.strip()
    outcomes = evaluate_anchoring(docs, {"gold": predict_gold}, tagger=lambda text, dct: [])
    scored = [o for o in outcomes if o.right is not None]
    assert scored and all(o.right for o in scored)


@pytest.mark.corpus
def test_timebank_file():
    doc = read_timeml_events(_corpus("timebank", "wsj_1073.tml"))
    assert doc.dct == date(1989, 10, 25) and doc.n_events == 5
    assert [(g.text, g.value, g.where, g.relation) for g in doc.events] == [("sales", "1988", "sentence", "DURING")]
    _assert_spans_and_self_score([doc])


@pytest.mark.corpus
def test_meantime_file():
    doc = read_cat_events(_corpus("meantime-en", "intra-doc_annotation", "corpus_apple",
                                  "23468_Apple_plans_another_special_event.xml"))
    assert doc.dct == date(2005, 10, 4) and len(doc.sentences) == 11
    assert [(g.text, g.value, g.where) for g in doc.events] == [
        ("announced", "2005-10-04", "dct"), ("held", "2005-10-12", "sentence"),
        ("reads", "2005-10-04", "dct"), ("were", "2005-10-04", "dct")]
    _assert_spans_and_self_score([doc])


@pytest.mark.corpus
def test_semeval_trial_data():
    docs, notes = read_semeval_timelines(_corpus("semeval2015-timeline-trial"))
    assert len(docs) >= 20 and sum(len(d.events) for d in docs) > 100
    assert sum(len(d.undated) for d in docs) > 0
    assert any("9590 read as 9509" in n for n in notes)  # the typo SOURCE.md warns about
    _assert_spans_and_self_score(docs)
