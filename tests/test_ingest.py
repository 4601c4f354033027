"""Reading documents: formats, metadata, the DCT cascade and every bad-input class."""

from __future__ import annotations

import json
import pathlib
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from timeline.errors import InputError
from timeline.ingest import article_from_text, find_header_date, load
from timeline.model import DCT_SOURCES, DOCUMENT_STATUSES, Article

DATA = Path(__file__).resolve().parent.parent / "data"
SEED = DATA / "000_43342442af48aa1c.txt"

STORY = "Rebels advanced into Aleppo on Friday night.\n\nAircraft struck Idlib on Sunday.\n"

HTML_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Rebels enter Aleppo | Example News</title>
<meta property="article:published_time" content="2024-12-06T10:00:00Z">
<link rel="canonical" href="https://news.example.com/world/rebels-enter-aleppo">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news section</a></li>
<li><a href="/sport">Sport and more sport</a></li></ul></nav>
<header><div class="menu">Subscribe now to our newsletter for the latest headlines</div></header>
<article><h1>Rebels enter Aleppo</h1>
<p>Insurgents advanced into the city of Aleppo on Friday night, prompting the army to reposition its forces, military sources said.</p>
<p>Aircraft struck the rebel-held city of Idlib on Sunday, rescue workers said, adding that at least seven people were killed in the strikes.</p>
<p>The total number of deaths from air strikes since November 27 has risen to 56, including 20 children, the rescue service said on Monday.</p>
</article>
<footer><p>Copyright 2024 Example News. All rights reserved. Privacy policy. Cookie settings.</p></footer>
</body></html>
"""  # noqa: E501 - an HTML page: each paragraph is one line


def one(paths, **kwargs) -> Article:
    articles = list(load(paths, **kwargs))
    assert len(articles) == 1, articles
    return articles[0]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def check_record(article: Article) -> None:
    assert article.status in DOCUMENT_STATUSES
    assert article.dct_source in DCT_SOURCES
    assert (article.published is None) == (article.dct_source == "none")
    if article.status == "skipped":
        assert article.text == "" and article.reason
    if article.status == "degraded":
        assert article.reason


# --- plain text and markdown ------------------------------------------------


def test_plain_text_is_read_as_is(tmp_path):
    article = one(write(tmp_path / "story.txt", STORY))
    check_record(article)
    assert (article.doc_id, article.text, article.status) == ("story", STORY, "ok")
    assert article.source == str(tmp_path / "story.txt")
    assert article.published is None and article.dct_source == "none"
    assert article.warnings == ()  # a missing date is told by dct_source="none", not a warning


def test_front_matter_gives_metadata_and_is_removed_from_the_text(tmp_path):
    path = write(
        tmp_path / "a.md",
        "---\npublished: 2024-12-02\ntitle: Rebels advance\nurl: https://example.com/x\n"
        "source: Example Wire\ndoc_id: wire-17\n---\n" + STORY,
    )
    article = one(path)
    check_record(article)
    assert article.text == STORY
    assert (article.published, article.dct_source) == (date(2024, 12, 2), "given")
    assert (article.title, article.url, article.doc_id) == ("Rebels advance", "https://example.com/x", "wire-17")
    assert article.source == str(path)  # the publisher key does not replace where it was read from
    assert article.status == "ok"


def test_bad_yaml_front_matter_degrades_and_keeps_the_text(tmp_path):
    article = one(write(tmp_path / "a.md", "---\ntitle: [unclosed\npublished: 2024-12-02\n---\n" + STORY))
    check_record(article)
    assert article.status == "degraded"
    assert "not valid YAML" in article.reason
    assert article.text == STORY
    assert article.published is None


def test_unclosed_front_matter_is_kept_as_text(tmp_path):
    content = "---\ntitle: x\n" + STORY
    article = one(write(tmp_path / "a.txt", content))
    assert article.status == "degraded" and "never closed" in article.reason
    assert article.text == content


def test_invalid_published_in_front_matter_degrades_with_no_anchor(tmp_path):
    article = one(write(tmp_path / "a.txt", "---\npublished: 2024-13-45\n---\nTuesday, June 17, 2025\n\n" + STORY))
    check_record(article)
    assert article.status == "degraded"
    assert "2024-13-45" in article.reason and "YYYY-MM-DD" in article.reason
    assert (article.published, article.dct_source) == (None, "none")  # no guess from the header line


# --- sidecars and the seed story --------------------------------------------


def test_seed_story_takes_its_date_from_the_sidecar():
    article = one(SEED)
    check_record(article)
    assert (article.published, article.dct_source) == (date(2024, 12, 2), "given")
    assert article.doc_id == "000_43342442af48aa1c"
    assert article.title.startswith("At least 25 people")
    assert article.text == SEED.read_text(encoding="utf-8")
    assert article.status == "ok"


def test_a_folder_never_yields_the_sidecar_itself():
    sources = [a.source for a in load(DATA)]
    assert str(SEED) in sources
    assert not any(s.endswith(".meta.json") for s in sources)


def test_seed_story_without_sidecar_uses_its_header_line(tmp_path):
    copy = tmp_path / "seed.txt"
    shutil.copyfile(SEED, copy)
    article = one(copy)
    assert (article.published, article.dct_source) == (date(2025, 6, 17), "text-header")
    assert article.status == "ok"


def test_sidecar_wins_over_front_matter(tmp_path):
    path = write(tmp_path / "s.txt", "---\npublished: 2024-12-01\ntitle: Old\n---\n" + STORY)
    write(tmp_path / "s.meta.json", json.dumps({"published": "2024-12-02", "title": "New"}))
    article = one(path)
    assert (article.published, article.title) == (date(2024, 12, 2), "New")
    assert any("overridden" in w for w in article.warnings)


def test_broken_sidecar_degrades(tmp_path):
    path = write(tmp_path / "s.txt", STORY)
    write(tmp_path / "s.meta.json", "{not json")
    article = one(path)
    assert article.status == "degraded" and "s.meta.json is not valid JSON" in article.reason
    assert article.text == STORY


def test_orphan_sidecar_is_reported(tmp_path):
    write(tmp_path / "gone.meta.json", json.dumps({"published": "2024-12-02"}))
    article = one(tmp_path)
    assert article.status == "skipped" and "without its document" in article.reason


# --- HTML -------------------------------------------------------------------


def test_html_page_main_text_date_title_and_url(tmp_path):
    article = one(write(tmp_path / "page.html", HTML_PAGE))
    check_record(article)
    assert (article.published, article.dct_source) == (date(2024, 12, 6), "html-meta")
    assert article.status == "ok"
    assert "Insurgents advanced into the city of Aleppo on Friday night" in article.text
    assert "since November 27 has risen to 56" in article.text
    for boilerplate in ("Subscribe now", "World news section", "Sport and more sport", "Copyright", "Cookie"):
        assert boilerplate not in article.text
    assert article.title == "Rebels enter Aleppo"
    assert article.url == "https://news.example.com/world/rebels-enter-aleppo"


def test_html_without_page_date_falls_back_to_the_url(tmp_path):
    page = HTML_PAGE.replace(
        '<meta property="article:published_time" content="2024-12-06T10:00:00Z">', ""
    ).replace("world/rebels-enter-aleppo", "2024/12/05/rebels-enter-aleppo")
    article = one(write(tmp_path / "page.htm", page))
    assert (article.published, article.dct_source) == (date(2024, 12, 5), "url")


def test_url_date_from_front_matter(tmp_path):
    article = one(write(tmp_path / "a.txt", "---\nurl: https://example.com/news/2024-12-06-aleppo\n---\n" + STORY))
    assert (article.published, article.dct_source) == (date(2024, 12, 6), "url")


def test_malformed_html_is_read(tmp_path):
    page = "<html><body><div><p>Rebels advanced on Friday night.<p>The army fell back.</div></span></i></body>"
    article = one(write(tmp_path / "broken.html", page))
    check_record(article)
    assert article.status != "skipped"
    assert "Rebels advanced on Friday night." in article.text and "The army fell back." in article.text


def test_html_fragment_trafilatura_rejects_falls_back_to_a_tag_strip(tmp_path):
    article = one(write(tmp_path / "frag.html", "<p>Rebels advanced on <b>Friday night</b></p>"))
    check_record(article)
    assert article.status == "degraded" and "tag strip" in article.reason
    assert article.text == "Rebels advanced on Friday night"


def test_html_declared_legacy_charset_is_not_a_guess(tmp_path):
    page = (HTML_PAGE.replace('charset="utf-8"', 'charset="windows-1252"')
            .replace("Aircraft", "Caf\u00e9 \u201cAircraft\u201d"))
    article = one(write(tmp_path / "legacy.html", page.encode("cp1252")))
    assert article.status == "ok"
    assert "Caf\u00e9 \u201cAircraft\u201d struck" in article.text


def test_html_without_text_is_skipped(tmp_path):
    article = one(write(tmp_path / "empty.html", "<html><head><script>var x = 1;</script></head><body></body></html>"))
    assert article.status == "skipped" and "no text" in article.reason


# --- JSONL ------------------------------------------------------------------


def test_jsonl_one_article_per_line_and_broken_lines_reported(tmp_path):
    lines = [
        json.dumps({"doc_id": "a", "published": "2024-12-02", "text": STORY, "title": "A"}),
        json.dumps({"text": "Aircraft struck Idlib on Sunday."}),
        "",
        "{not json",
        json.dumps({"doc_id": "no-text"}),
        json.dumps({"doc_id": "num", "text": 42}),
        json.dumps({"doc_id": "bad-date", "published": "2024-13-45", "text": STORY}),
        json.dumps(["a", "list"]),
        json.dumps({"doc_id": "blank", "text": "   "}),
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    articles = list(load(path))
    for article in articles:
        check_record(article)
    by_line = {a.source.rsplit(":", 1)[1]: a for a in articles}
    assert sorted(by_line, key=int) == ["1", "2", "4", "5", "6", "7", "8", "9"]  # blank line 3 is no document
    assert all(a.source.startswith(str(path) + ":") for a in articles)

    assert (by_line["1"].doc_id, by_line["1"].published, by_line["1"].dct_source) == ("a", date(2024, 12, 2), "given")
    assert by_line["1"].title == "A" and by_line["1"].text == STORY
    assert by_line["2"].doc_id == "feed:2" and by_line["2"].status == "ok"
    assert by_line["4"].status == "skipped" and "not valid JSON" in by_line["4"].reason
    assert by_line["5"].status == "skipped" and "no 'text' field" in by_line["5"].reason
    assert by_line["6"].status == "skipped" and "not a string" in by_line["6"].reason
    bad = by_line["7"]
    assert (bad.status, bad.published, bad.dct_source) == ("degraded", None, "none")
    assert "2024-13-45" in bad.reason and "YYYY-MM-DD" in bad.reason
    assert bad.text == STORY
    assert by_line["8"].status == "skipped" and "not an object" in by_line["8"].reason
    assert by_line["9"].status == "skipped" and by_line["9"].reason == "empty document"


def test_empty_jsonl_file_still_appears(tmp_path):
    article = one(write(tmp_path / "none.jsonl", "\n\n"))
    assert article.status == "skipped" and "empty" in article.reason


def test_jsonl_cp1252_line_is_degraded(tmp_path):
    path = write(tmp_path / "f.jsonl", '{"text": "Caf\u00e9 owners said \u201cno\u201d."}\n'.encode("cp1252"))
    article = one(path)
    assert article.status == "degraded" and "decoded as cp1252" in article.reason
    assert article.text == "Caf\u00e9 owners said \u201cno\u201d."


# --- bad inputs -------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\t\n"])
def test_empty_documents_are_skipped(tmp_path, content):
    article = one(write(tmp_path / "e.txt", content))
    assert (article.status, article.reason, article.text) == ("skipped", "empty document", "")


def test_binary_file_is_skipped(tmp_path):
    article = one(write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))))
    assert article.status == "skipped" and "binary" in article.reason


def test_cp1252_text_is_decoded_and_degraded(tmp_path):
    text = "Caf\u00e9 owners said \u201cno\u201d \u2013 prices rose 5\u20ac on Monday.\n"
    article = one(write(tmp_path / "legacy.txt", text.encode("cp1252")))
    check_record(article)
    assert article.status == "degraded"
    assert article.reason == "decoded as cp1252 (not valid UTF-8)"
    assert article.text == text


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_utf8_bom_and_utf16_are_clean(tmp_path, encoding):
    article = one(write(tmp_path / "bom.txt", STORY.encode(encoding)))
    assert (article.status, article.text) == ("ok", STORY)


def test_missing_path_is_skipped_with_the_os_error(tmp_path):
    article = one(tmp_path / "nope.pdf")
    assert article.status == "skipped"
    assert article.reason == "cannot read file: No such file or directory"


def test_unreadable_file_is_skipped_with_the_os_error(tmp_path, monkeypatch):
    path = write(tmp_path / "locked.txt", STORY)
    real = pathlib.Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)
    article = one(path)
    assert (article.status, article.reason) == ("skipped", "cannot read file: Permission denied")


def test_unknown_extension_is_skipped(tmp_path):
    article = one(write(tmp_path / "report.pdf", b"%PDF-1.4"))
    assert article.status == "skipped"
    assert "unsupported file type '.pdf'" in article.reason and ".jsonl" in article.reason


def test_large_document_is_read_in_full_with_a_warning(tmp_path):
    article = one(write(tmp_path / "big.txt", STORY * 50), max_bytes=100)
    assert article.status == "ok" and article.text == STORY * 50
    assert any("size limit" in w for w in article.warnings)


# --- the DCT cascade and arguments ------------------------------------------


def test_dct_argument_wins_over_published(tmp_path):
    path = write(tmp_path / "a.txt", "---\npublished: 2024-12-01\n---\n" + STORY)
    article = one(path, dct="2024-12-02")
    assert (article.published, article.dct_source) == (date(2024, 12, 2), "given")
    assert any("takes precedence" in w for w in article.warnings)
    assert one(path, dct=date(2024, 12, 3)).published == date(2024, 12, 3)


def test_usage_errors_raise_at_call_time(tmp_path):
    with pytest.raises(InputError, match="2024-13-45"):
        load(tmp_path, dct="2024-13-45")  # raised before any iteration
    with pytest.raises(InputError):
        load(42)
    with pytest.raises(InputError):
        load(tmp_path, max_bytes=0)


def test_load_is_lazy(tmp_path):
    write(tmp_path / "a.txt", STORY)
    stream = load(tmp_path)
    assert iter(stream) is stream
    assert next(stream).doc_id == "a"


def test_folders_are_walked_sorted_and_hidden_files_skipped(tmp_path):
    write(tmp_path / "b.txt", STORY)
    write(tmp_path / "a.txt", STORY)
    write(tmp_path / "sub" / "c.md", STORY)
    write(tmp_path / ".hidden.txt", STORY)
    write(tmp_path / ".git" / "d.txt", STORY)
    assert [a.doc_id for a in load(tmp_path)] == ["a", "b", "c"]
    # a file named twice is read once; explicit order is kept
    assert [a.doc_id for a in load([tmp_path / "sub", tmp_path, tmp_path / "a.txt"])] == ["c", "a", "b"]


def test_duplicate_doc_ids_are_flagged(tmp_path):
    write(tmp_path / "a.txt", "---\ndoc_id: same\n---\n" + STORY)
    write(tmp_path / "b.txt", "---\ndoc_id: same\n---\n" + STORY)
    first, second = load(tmp_path)
    assert not any("also used" in w for w in first.warnings)
    assert any("also used" in w for w in second.warnings)


def test_every_input_file_and_line_appears_exactly_once(tmp_path):
    files = {
        "01.txt": STORY,
        "02.md": "---\npublished: 2024-12-02\n---\n" + STORY,
        "03.html": HTML_PAGE,
        "04.txt": b"",
        "05.txt": b"\x00\x01\x02binary",
        "06.txt": "Caf\u00e9 \u201cquoted\u201d".encode("cp1252"),
        "07.pdf": b"%PDF-1.4",
        "08.md": "---\n: : bad\n---\n" + STORY,
        "09.jsonl": "\n".join([json.dumps({"text": STORY}), "{broken", json.dumps({"no": "text"})]) + "\n",
        "10.txt": "---\npublished: 2024-13-45\n---\n" + STORY,
    }
    for name, content in files.items():
        write(tmp_path / name, content)
    write(tmp_path / "01.meta.json", json.dumps({"title": "sidecar, not a document"}))
    missing = tmp_path / "11.txt"

    articles = list(load([tmp_path, missing]))
    for article in articles:
        check_record(article)
    expected = [str(tmp_path / n) for n in files if not n.endswith(".jsonl")]
    expected += [f"{tmp_path / '09.jsonl'}:{i}" for i in (1, 2, 3)] + [str(missing)]
    counts = Counter(a.source for a in articles)
    assert sorted(counts) == sorted(expected)
    assert set(counts.values()) == {1}
    statuses = Counter(a.status for a in articles)
    assert statuses == {"ok": 4, "degraded": 3, "skipped": 6}, [(a.source, a.status, a.reason) for a in articles]


# --- per-document mode --------------------------------------------------------


def test_mode_from_front_matter_sidecar_and_jsonl(tmp_path):
    assert one(write(tmp_path / "plain.txt", STORY)).mode is None  # None: the build's mode
    front = one(write(tmp_path / "f" / "h.txt", "---\npublished: 2009-12-19\nmode: narrative\n---\n" + STORY))
    assert (front.mode, front.status, front.text) == ("narrative", "ok", STORY)
    path = write(tmp_path / "s" / "h.txt", "---\nmode: narrative\n---\n" + STORY)
    write(tmp_path / "s" / "h.meta.json", json.dumps({"mode": "News"}))  # the sidecar wins; case is free
    sidecar = one(path)
    assert sidecar.mode == "news" and any("overridden" in w for w in sidecar.warnings)
    lines = [json.dumps({"doc_id": "a", "text": STORY, "mode": "narrative"}),
             json.dumps({"doc_id": "b", "text": STORY})]
    assert [(a.doc_id, a.mode) for a in load(write(tmp_path / "feed.jsonl", "\n".join(lines)))] == [
        ("a", "narrative"), ("b", None)]


@pytest.mark.parametrize("value", ['"history"', "3", "true", "[narrative]"])
def test_invalid_mode_degrades_and_falls_back(tmp_path, value):
    article = one(write(tmp_path / "h.txt", f"---\nmode: {value}\n---\n" + STORY))
    check_record(article)
    assert article.status == "degraded" and article.mode is None
    assert "invalid mode" in article.reason and "expected one of news, narrative" in article.reason
    assert "build's mode" in article.reason
    assert article.text == STORY
    line = json.dumps({"doc_id": "j", "text": STORY, "mode": json.loads(value) if value != "[narrative]" else [1]})
    jsonl = one(write(tmp_path / "feed.jsonl", line))
    assert (jsonl.status, jsonl.mode) == ("degraded", None) and "invalid mode" in jsonl.reason


def test_invalid_sidecar_mode_keeps_the_front_matter_mode(tmp_path):
    path = write(tmp_path / "h.txt", "---\nmode: narrative\n---\n" + STORY)
    write(tmp_path / "h.meta.json", json.dumps({"mode": "histories"}))
    article = one(path)
    assert (article.mode, article.status) == ("narrative", "ok")
    assert any("invalid mode 'histories'" in w and "kept 'narrative'" in w for w in article.warnings)


def test_deeply_nested_jsonl_line_does_not_stop_the_file(tmp_path):
    lines = [json.dumps({"doc_id": "a", "text": STORY}), "[" * 100_000, json.dumps({"doc_id": "c", "text": STORY})]
    articles = list(load(write(tmp_path / "feed.jsonl", "\n".join(lines))))
    assert [(a.doc_id, a.status) for a in articles] == [("a", "ok"), ("feed:2", "skipped"), ("c", "ok")]
    assert "nested too deeply" in articles[1].reason


# --- documents built in memory ---------------------------------------------


def test_article_from_text_header_date():
    article = article_from_text(SEED.read_text(encoding="utf-8"), doc_id="seed")
    assert (article.published, article.dct_source, article.source) == (date(2025, 6, 17), "text-header", "<memory>")


def test_article_from_text_given_url_and_none():
    assert article_from_text(STORY, doc_id="x", published="2024-12-02").dct_source == "given"
    by_url = article_from_text(STORY, doc_id="x", url="https://example.com/2024/12/06/a")
    assert (by_url.published, by_url.dct_source) == (date(2024, 12, 6), "url")
    bare = article_from_text(STORY, doc_id="x")
    assert (bare.published, bare.dct_source, bare.status) == (None, "none", "ok")
    assert article_from_text("  ", doc_id="x").status == "skipped"
    with pytest.raises(InputError, match=r"document 'x', field published: invalid DCT '2024-13-45'.*YYYY-MM-DD"):
        article_from_text(STORY, doc_id="x", published="2024-13-45")
    assert article_from_text(STORY, doc_id="x", mode="narrative").mode == "narrative"
    with pytest.raises(InputError, match=r"document 'x', field mode: invalid mode 'story'; expected one of news"):
        article_from_text(STORY, doc_id="x", mode="story")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tuesday, June 17, 2025\n\nTop 5 This Week", date(2025, 6, 17)),
        ("Top 5 This Week\n\nRelated Posts\n\nDec. 2, 2024 4:07 AM\n", date(2024, 12, 2)),
        ("A\nB\nC\nDecember 2, 2024\n", None),  # fourth non-empty line: too far down
        ("2 days ago\n", None),
        ("June 2025\n", None),  # no day
        ("Rebels advanced on December 2, 2024, officials said.\n", None),
    ],
)
def test_header_date_detection(text, expected):
    found = find_header_date(text)
    assert (found[0] if found else None) == expected


def test_the_outlet_comes_from_the_metadata_and_reaches_documents_and_acled(tmp_path):
    import timeline
    from timeline.exports import to_acled

    (tmp_path / "a.txt").write_text("---\npublisher: Syria Direct\npublished: 2024-12-02\n---\n"
                                    "Rebels captured Saraqeb on Sunday.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("---\nsource: https://example.org/story/1\npublished: 2024-12-02\n---\n"
                                    "Rebels captured Maarat al-Numan on Sunday.\n", encoding="utf-8")
    (article_a,), (article_b,) = load([tmp_path / "a.txt"]), load([tmp_path / "b.txt"])
    assert article_a.publisher == "Syria Direct"
    assert article_b.publisher is None                      # a URL is no outlet's name
    assert any("expected the outlet's name" in w for w in article_b.warnings)
    built = timeline.build([tmp_path / "a.txt"])
    assert built.documents["publisher"].tolist() == ["Syria Direct"]
    assert set(to_acled(built.events, documents=built.documents)["source"]) == {"Syria Direct"}
