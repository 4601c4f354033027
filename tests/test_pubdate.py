"""Publication dates from pages: the rules of pubdates.yaml (examples are tests), the cascade's
new steps on small pages, and the benchmark's scorer over data/pages (no silent wrong date)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from timeline.datelines import load_pubdate_rules, read_date_line, url_date
from timeline.dct_check import check_dct, propose_dct
from timeline.ingest import load

REPO = Path(__file__).resolve().parent.parent
RULES = load_pubdate_rules().raw
STORY = ("<p>Artillery shells struck a crowded market in the northern town on Tuesday, killing at least nine "
         "people and wounding 30, a local rescue group said.</p><p>Residents said the shelling began on Monday "
         "night. Fighting in the area has intensified since November 27.</p>")


def page(tmp_path: Path, head: str = "", body: str = "", name: str = "p.html", top: str = "",
         url: str = "https://news.example/world/market-shelled") -> Path:
    html = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Market shelled</title>'
            f'<link rel="canonical" href="{url}">{head}</head><body><header>{top}<nav><a href="/">Home</a></nav>'
            f"</header><article><h1>Market shelled</h1>{body}{STORY}</article></body></html>")
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return path


def one(path: Path):
    (article,) = load(path)
    return article


# --- the rules are data; their examples and negatives are tests ----------------------------


@pytest.mark.parametrize("example", RULES["lines"]["examples"], ids=lambda e: e["text"][:40])
def test_date_line_example(example) -> None:
    found = read_date_line(example["text"])
    assert found is not None and (found.day, found.kind) == (example["date"], example["kind"])


@pytest.mark.parametrize("text", RULES["lines"]["negatives"])
def test_date_line_negative(text) -> None:
    assert read_date_line(text) is None


@pytest.mark.parametrize("example", [e for r in RULES["url"]["rules"] for e in r["examples"]],
                         ids=lambda e: e["url"][-40:])
def test_url_example(example) -> None:
    found = url_date(example["url"])
    assert found is not None and found[0] == example["date"]


@pytest.mark.parametrize("url", RULES["url"]["negatives"])
def test_url_negative(url) -> None:
    assert url_date(url) is None


def test_every_url_rule_has_an_example() -> None:
    assert all(r.get("examples") for r in RULES["url"]["rules"])


@pytest.mark.parametrize("example", RULES["markup"]["examples"], ids=lambda e: e["html"][:40])
def test_markup_example(example, tmp_path) -> None:
    html = example["html"]
    head, body = (html, "") if html.startswith(("<meta", "<script")) else ("", html)
    article = one(page(tmp_path, head=head, body=body))
    if "published" in example:
        assert (article.published, article.dct_source, article.status) == (example["published"], "html-meta", "ok")
    else:  # a modified date alone: used, but said and degraded
        assert (article.published, article.dct_source) == (example["modified"], "html-meta")
        assert article.status == "degraded" and "doubtful anchor date" in article.reason.split("; ")
        assert any("only its modified date" in w for w in article.warnings)


# --- the cascade -------------------------------------------------------------------------


def test_published_wins_over_an_earlier_listed_modified_date(tmp_path) -> None:
    head = ('<meta property="article:modified_time" content="2024-12-06T18:00:00Z">'
            '<meta property="article:published_time" content="2024-12-03T09:00:00Z">')
    assert one(page(tmp_path, head=head)).published == date(2024, 12, 3)


def test_sidebar_dates_are_not_the_pages_date(tmp_path) -> None:
    sidebar = ('<aside class="related"><time datetime="2024-10-16">October 16, 2024</time>'
               '<span class="date">2 October 2024</span></aside>')
    article = one(page(tmp_path, body=sidebar))
    assert article.published not in (date(2024, 10, 16), date(2024, 10, 2))


def test_byline_outside_the_main_text(tmp_path) -> None:
    article = one(page(tmp_path, body='<div class="meta"><span>By Omar Haddad</span> <span>Dec. 3, 2024 / 9:15 PM'
                                      "</span></div>"))
    assert (article.published, article.dct_source, article.status) == (date(2024, 12, 3), "html-meta", "ok")
    assert any("byline" in w for w in article.warnings)


def test_byline_beats_the_sites_display_line(tmp_path) -> None:
    article = one(page(tmp_path, top='<div class="top-bar">Thursday, 05 December 2024</div>',
                       body='<p class="byline">Published 3 December 2024</p>'))
    assert article.published == date(2024, 12, 3) and article.status == "ok"


def test_display_line_far_from_the_story_is_checked(tmp_path) -> None:
    article = one(page(tmp_path, top='<div class="top-bar">Thursday, 05 December 2024</div>'))
    assert article.published == date(2024, 12, 5)  # what the page shows, never silently replaced...
    assert article.status == "degraded" and "doubtful anchor date" in article.reason
    assert article.proposed_dct == date(2024, 12, 3)  # ...but the story's Tuesday is proposed
    assert any("display date" in w for w in article.warnings)


def test_compact_url_date_and_timestamp(tmp_path) -> None:
    compact = one(page(tmp_path, url="https://x.example/world/20241203/market", name="a.html"))
    assert (compact.published, compact.dct_source) == (date(2024, 12, 3), "url")
    stamp = one(page(tmp_path, url="https://x.example/story/1733227200-market", name="b.html"))
    assert (stamp.published, stamp.dct_source, stamp.status) == (date(2024, 12, 3), "url", "ok")
    assert any("Unix timestamp" in w for w in stamp.warnings)


def test_dateline_year_from_the_copyright_line(tmp_path) -> None:
    body = "<p>AMMAN, Dec 3 (AP) — Rebels entered the town on Tuesday, officials said on Tuesday evening.</p>"
    path = page(tmp_path, body=body)
    path.write_text(path.read_text().replace("</body>", "<footer>&copy; 2024 Example</footer></body>"))
    article = one(path)
    assert (article.published, article.dct_source) == (date(2024, 12, 3), "text-header")
    assert any("copyright year 2024" in w for w in article.warnings)


def test_no_date_anywhere_proposes_one_from_the_text(tmp_path) -> None:
    text = "Rebels took the town on Sunday. Talks that began on November 27, 2024 collapsed.\n"
    (tmp_path / "s.txt").write_text(text, encoding="utf-8")
    article = one(tmp_path / "s.txt")
    assert (article.published, article.proposed_dct, article.dct_source) == (
        date(2024, 12, 1), date(2024, 12, 1), "text-header")
    assert article.status == "degraded" and "proposed from the text" in article.reason
    assert "doubtful anchor date" in article.reason.split("; ")
    assert any("Proposed 2024-12-01" in w for w in article.warnings)


def test_no_year_anywhere_stays_undated(tmp_path) -> None:
    (tmp_path / "s.txt").write_text("Rebels took the town on Sunday, a week after November 27.\n")
    article = one(tmp_path / "s.txt")
    assert (article.published, article.dct_source) == (None, "none")
    assert propose_dct("Rebels took the town on Sunday.").proposed is None


def test_doubtful_words_match_the_pipeline() -> None:
    from timeline import ingest, pipeline

    assert ingest._DOUBTFUL == pipeline.DOUBTFUL


# --- the display rule of check_dct ------------------------------------------------------


def test_bare_header_line_days_after_the_story_is_a_display_date() -> None:
    text = ("Thursday, 05 December 2024\n\nRebels took the town on Tuesday, officials said. "
            "Fighting began on Monday night.")
    verdict = check_dct(text, "2024-12-05", "text-header")
    assert not verdict.plausible and verdict.proposed == date(2024, 12, 3)
    assert "display date" in verdict.message and "Tuesday" in verdict.message
    assert check_dct(text, "2024-12-03", "text-header").plausible  # the supported date fits


def test_a_byline_is_not_held_to_the_display_rule() -> None:
    text = "Published 5 December 2024\n\nRebels took the town on Tuesday, officials said."
    assert check_dct(text, "2024-12-05", "text-header").plausible  # a Thursday story about Tuesday
    assert not check_dct(text, "2024-12-05", "text-header", display=True).plausible


# --- the benchmark's scorer over data/pages -----------------------------------------------


@pytest.fixture(scope="module")
def scored():
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import bench_pubdate
    finally:
        sys.path.pop(0)
    return bench_pubdate.read_truth(), bench_pubdate.score_timeline()


def test_pages_set_is_complete(scored) -> None:
    truth, _ = scored
    assert len(truth) >= 30
    files = {p.name for p in (REPO / "data" / "pages").glob("*.html")}
    assert files == {name for name, _, _ in truth}
    assert len({shape for _, _, shape in truth}) >= 10


def test_no_silent_wrong_date_and_every_shape_found(scored) -> None:
    _, rows = scored
    silent = [(r.file, r.truth, r.answer) for r in rows if r.silent_wrong]
    assert not silent
    missed = {r.shape for r in rows} - {r.shape for r in rows if r.found}
    assert not missed
    assert sum(r.right for r in rows) / len(rows) >= 0.9
