"""Tests of timeline.timeml: TimeML/CAT reading, offsets, DCT, writing and round trips."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from timeline.errors import InputError
from timeline.evaluation import corpus_root, score_document
from timeline.model import TimeExpression
from timeline.timeml import GoldTimex, TimeMLDocument, read_cat, read_corpus, read_timeml, write_timeml

TIMEML = """<?xml version="1.0" ?>
<TimeML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<DOCID>doc1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="{dct}" functionInDocument="CREATION_TIME">August 7, 1998</TIMEX3></DCT>
<TEXT>
AT&amp;T <EVENT eid="e1" class="REPORTING">said</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-08-06">Thursday</TIMEX3> that &quot;Q&lt;3&quot; | <TIMEX3 tid="t2" type="DURATION" value="P2Y" mod="APPROX">about two <SIGNAL sid="s1">years</SIGNAL></TIMEX3> ago.
</TEXT>
<TLINK lid="l1" relType="BEFORE" eventInstanceID="ei1" relatedToTime="t1"/>
</TimeML>
"""  # noqa: E501 - a TimeML document: its text is one line

PLAIN = '\nAT&T said Thursday that "Q<3" | about two years ago.\n'


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_read_timeml_text_offsets_entities_and_attributes(tmp_path):
    doc = read_timeml(write(tmp_path, "doc1.tml", TIMEML.format(dct="1998-08-07")))
    assert doc.doc_id == "doc1"
    assert doc.path == str(tmp_path / "doc1.tml")
    assert doc.text == PLAIN
    assert doc.dct == date(1998, 8, 7)
    assert doc.timexes == (
        GoldTimex("t1", 11, 19, "Thursday", "DATE", "1998-08-06", None),
        GoldTimex("t2", 33, 48, "about two years", "DURATION", "P2Y", "APPROX"),
    )
    for timex in doc.timexes:
        assert doc.text[timex.start : timex.end] == timex.text


def test_read_timeml_crlf_is_normalised(tmp_path):
    content = TIMEML.format(dct="1998-08-07").replace("\n", "\r\n").encode("utf-8")
    doc = read_timeml(write(tmp_path, "crlf.tml", content))
    assert "\r" not in doc.text
    assert doc.text == PLAIN
    assert [(t.start, t.end) for t in doc.timexes] == [(11, 19), (33, 48)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1998-08-07T10:30:00", date(1998, 8, 7)),
        ("19980807", date(1998, 8, 7)),
        ("1998-02-30", None),
        ("XXXX-XX-XX", None),
        ("", None),
    ],
)
def test_dct_values(tmp_path, value, expected):
    doc = read_timeml(write(tmp_path, "d.tml", TIMEML.format(dct=value)))
    assert doc.dct == expected
    assert [t.tid for t in doc.timexes] == ["t1", "t2"]


def test_creation_time_without_dct_element_is_the_dct_and_not_a_timex(tmp_path):
    content = (
        "<TimeML><TEXT><TIMEX3 tid=\"t9\" type=\"DATE\" value=\"2011-11-26\" functionInDocument=\"CREATION_TIME\">"
        "Nov 26</TIMEX3>: sale <TIMEX3 tid=\"t1\" type=\"SET\" value=\"P1D\">daily</TIMEX3></TEXT></TimeML>"
    )
    doc = read_timeml(write(tmp_path, "x.tml", content))
    assert doc.doc_id == "x"  # no DOCID: the file stem
    assert doc.dct == date(2011, 11, 26)
    assert doc.text == "Nov 26: sale daily"
    assert doc.timexes == (GoldTimex("t1", 13, 18, "daily", "SET", "P1D"),)


def test_no_dct_gives_none(tmp_path):
    doc = read_timeml(write(tmp_path, "x.tml", "<TimeML><TEXT>no dates</TEXT></TimeML>"))
    assert doc.dct is None
    assert doc.timexes == ()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("<TimeML><TEXT>broken <TIMEX3 tid='t1'>x</TEXT></TimeML>", "not well-formed"),
        ("<TimeML><DOCID>a</DOCID></TimeML>", "no <TEXT>"),
        ("<TimeML><TEXT>a <TIMEX3 tid='t1' value='P1D'>day</TIMEX3></TEXT></TimeML>", "no type"),
        ("<TimeML><TEXT>AT&T</TEXT></TimeML>", "not well-formed"),
    ],
)
def test_malformed_files_raise_input_error_naming_path(tmp_path, content, reason):
    path = write(tmp_path, "bad.tml", content)
    with pytest.raises(InputError, match=reason) as info:
        read_timeml(path)
    assert str(path) in str(info.value)


def test_missing_file_raises_input_error(tmp_path):
    with pytest.raises(InputError, match="missing.tml"):
        read_timeml(tmp_path / "missing.tml")


CAT = """<?xml version="1.0" ?><Document doc_id="42" doc_name="42_GM_news" lang="en">
<token number="0" sentence="0" t_id="1">GM</token>
<token number="1" sentence="0" t_id="2">news</token>
<token number="2" sentence="1" t_id="3">December</token>
<token number="3" sentence="1" t_id="4">10</token>
<token number="4" sentence="1" t_id="5">,</token>
<token number="5" sentence="1" t_id="6">2013</token>
<token number="6" sentence="2" t_id="7">Sales</token>
<token number="7" sentence="2" t_id="8">rose</token>
<token number="8" sentence="2" t_id="9">for</token>
<token number="9" sentence="2" t_id="10">three</token>
<token number="10" sentence="2" t_id="11">years</token>
<token number="11" sentence="2" t_id="12">&amp;</token>
<token number="12" sentence="2" t_id="13">today</token>
<Markables>
<TIMEX3 m_id="9" type="DATE" value="2013-12-10" functionInDocument="CREATION_TIME">
<token_anchor t_id="3"/><token_anchor t_id="4"/><token_anchor t_id="5"/><token_anchor t_id="6"/>
</TIMEX3>
<TIMEX3 m_id="11" type="DATE" value="PRESENT_REF" functionInDocument="NONE"><token_anchor t_id="13"/></TIMEX3>
<TIMEX3 m_id="10" type="DURATION" value="P3Y" functionInDocument="NONE">
<token_anchor t_id="10"/><token_anchor t_id="11"/>
</TIMEX3>
<TIMEX3 m_id="12" type="DATE" value="1980" functionInDocument="NONE"/>
<VALUE m_id="14" type="QUANTITY"><token_anchor t_id="10"/></VALUE>
</Markables>
</Document>
"""


def test_read_cat_joins_tokens_and_maps_anchors(tmp_path):
    doc = read_cat(write(tmp_path, "42_GM_news.xml", CAT))
    assert doc.doc_id == "42_GM_news"
    assert doc.text == "GM news\nDecember 10 , 2013\nSales rose for three years & today"
    assert doc.dct == date(2013, 12, 10)
    assert doc.timexes == (
        GoldTimex("10", 42, 53, "three years", "DURATION", "P3Y"),
        GoldTimex("11", 56, 61, "today", "DATE", "PRESENT_REF"),
    )
    for timex in doc.timexes:
        assert doc.text[timex.start : timex.end] == timex.text


def test_read_cat_rejects_unknown_token_and_non_cat(tmp_path):
    bad = CAT.replace('<token_anchor t_id="13"/>', '<token_anchor t_id="99"/>')
    with pytest.raises(InputError, match="unknown token"):
        read_cat(write(tmp_path, "bad.xml", bad))
    with pytest.raises(InputError, match="CAT XML"):
        read_cat(write(tmp_path, "tml.xml", TIMEML.format(dct="1998-08-07")))


def test_read_corpus_folder_sorted_recursive_mixed_formats(tmp_path):
    write(tmp_path, "b.tml", TIMEML.format(dct="1998-08-07"))
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "a.xml", CAT)
    write(tmp_path, "._b.tml", "\x00\x05 macOS resource fork")
    write(tmp_path, "notes.txt", "not a document")
    docs = read_corpus(tmp_path)
    assert [Path(d.path).name for d in docs] == ["b.tml", "a.xml"]
    assert [d.doc_id for d in docs] == ["doc1", "42_GM_news"]
    assert read_corpus(tmp_path / "b.tml")[0].text == PLAIN


def test_read_corpus_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_corpus(tmp_path / "nothing")
    with pytest.raises(InputError, match="no .tml or .xml"):
        read_corpus(tmp_path)
    write(tmp_path, "a.tml", "<TimeML><TEXT>On <TIMEX3 tid='t1' type='DATE' value='1939'>1939</TIMEX3></TEXT></TimeML>")
    write(tmp_path, "b.xml", "<TimeML><TEXT>On 1940</TEXT></TimeML>")  # TimeML in a .xml file
    assert [d.text for d in read_corpus(tmp_path)] == ["On 1939", "On 1940"]
    # WikiWars' inline TIMEX2 files are neither TimeML nor CAT: an error naming the file.
    write(tmp_path, "x.key.xml", "<DOC><TEXT>On <TIMEX2 val='1939'>1939</TIMEX2></TEXT></DOC>")
    with pytest.raises(InputError, match=r"x\.key\.xml.*<DOC>"):
        read_corpus(tmp_path)


def test_write_timeml_round_trip(tmp_path):
    text = 'AT&T said <"Q3"> on Friday, 29 Nov & every week\r\nsince 2024 — über.'
    expressions = [
        TimeExpression("Friday, 29 Nov", 20, 34, "DATE", "2024-11-29", rule_id="r1"),
        TimeExpression("every week", 37, 47, "SET", "P1W", quant="EVERY", freq="1W"),
        TimeExpression("since 2024", 49, 59, "DATE", "2024", mod="AFTER"),
    ]
    for e in expressions:
        assert text[e.start : e.end] == e.text
    path = write_timeml(tmp_path / "out" / "doc.tml", "doc&1", text, date(2024, 12, 2), expressions)
    doc = read_timeml(path)
    assert doc.doc_id == "doc&1"
    assert doc.text == text
    assert doc.dct == date(2024, 12, 2)
    assert [(t.start, t.end, t.text, t.type, t.value, t.mod) for t in doc.timexes] == [
        (e.start, e.end, e.text, e.type, e.value, e.mod) for e in expressions
    ]
    assert [t.tid for t in doc.timexes] == ["t1", "t2", "t3"]
    raw = path.read_text(encoding="utf-8")
    assert 'quant="EVERY" freq="1W"' in raw
    assert 'functionInDocument="CREATION_TIME"' in raw
    scores, mismatches = score_document(doc.timexes, expressions)
    assert scores.strict_f1 == scores.value_accuracy == 1.0 and mismatches == []


def test_write_timeml_drops_later_overlaps_and_validates(tmp_path):
    text = "on Friday night and Monday"
    first = TimeExpression("Friday night", 3, 15, "TIME", "2024-11-29TNI")
    inner = TimeExpression("Friday", 3, 9, "DATE", "2024-11-29")
    last = TimeExpression("Monday", 20, 26, "DATE", "2024-12-02")
    path = write_timeml(tmp_path / "o.tml", "o", text, None, [last, first, inner])
    doc = read_timeml(path)
    assert doc.dct is None
    assert [(t.text, t.tid) for t in doc.timexes] == [("Friday night", "t1"), ("Monday", "t2")]
    with pytest.raises(InputError, match="outside the text"):
        write_timeml(tmp_path / "e.tml", "e", text, None, [TimeExpression("x", 20, 40, "DATE", "X")])
    with pytest.raises(InputError, match="XML 1.0"):
        write_timeml(tmp_path / "e.tml", "e", "bad \x0c char", None, [])


# --- the real corpora -------------------------------------------------------

CORPORA = {
    # folder: (documents, timexes, {type: count}) from each SOURCE.md
    "timebank": (183, 1243, {"DATE": 1016, "DURATION": 189, "TIME": 22, "SET": 16}),
    "aquaint": (73, 579, {"DATE": 489, "DURATION": 68, "SET": 14, "TIME": 8}),
    "tweets/trainingset": (742, 892, {"DATE": 554, "DURATION": 167, "TIME": 139, "SET": 32}),
    "tweets/testset": (200, 237, {"DATE": 164, "DURATION": 33, "TIME": 34, "SET": 6}),
    "wikiwars/tml": (16, None, None),  # every type DATE; SOURCE.md counts all 22 documents
    "meantime-en": (120, 370, {"DATE": 286, "DURATION": 62, "TIME": 18, "SET": 4}),
}

_cache: dict[str, list[TimeMLDocument]] = {}


def load(folder: str) -> list[TimeMLDocument]:
    path = corpus_root() / folder
    if not path.is_dir():
        pytest.skip(f"corpus {folder} not found under {corpus_root()}")
    if folder not in _cache:
        _cache[folder] = read_corpus(path)
    return _cache[folder]


@pytest.mark.corpus
@pytest.mark.parametrize("folder", sorted(CORPORA))
def test_corpus_reads_with_exact_offsets_and_counts(folder):
    docs = load(folder)
    n_docs, n_timexes, types = CORPORA[folder]
    assert len(docs) == n_docs
    assert len({d.doc_id for d in docs}) == n_docs
    for doc in docs:
        assert "\r" not in doc.text
        for timex in doc.timexes:
            assert doc.text[timex.start : timex.end] == timex.text, (doc.path, timex)
            assert timex.text.strip()
    all_timexes = [t for d in docs for t in d.timexes]
    if n_timexes is not None:
        assert len(all_timexes) == n_timexes
        counts: dict[str, int] = {}
        for t in all_timexes:
            counts[t.type] = counts.get(t.type, 0) + 1
        assert counts == types
    else:
        assert all_timexes and {t.type for t in all_timexes} == {"DATE"}


@pytest.mark.corpus
@pytest.mark.parametrize("folder", ["timebank", "aquaint", "tweets/trainingset", "tweets/testset", "wikiwars/tml"])
def test_tml_corpora_all_have_a_dct(folder):
    assert all(d.dct is not None for d in load(folder))


@pytest.mark.corpus
def test_meantime_dcts():
    docs = load("meantime-en")
    # SOURCE.md: a CREATION_TIME TIMEX3 in 118 documents; one of them has the
    # ambiguous value "03-02-2009", which is not parsed.
    assert sum(d.dct is not None for d in docs) == 117


@pytest.mark.corpus
def test_tweets_with_pipe_and_crlf():
    docs = load("tweets/trainingset")
    with_pipe = [d for d in docs if "|" in d.text]
    assert with_pipe
    raw = Path(with_pipe[0].path).read_bytes()
    assert b"\r\n" in raw


def test_text_walk_is_iterative_for_deep_nesting() -> None:
    import xml.etree.ElementTree as ET

    from timeline.timeml import text_spans

    depth = 5000
    root = ET.fromstring("<TEXT>" + "<s>" * depth + "x" + "</s>" * depth + " end</TEXT>")
    text, spans = text_spans(root)
    assert text == "x end" and spans[id(root)] == (0, 5)
