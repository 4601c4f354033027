"""TimelineJS export that opens as its users expect: a display date on every slide in one
style, groups in one style, background years in their own group with the default view on
the main window, a title from the corpus; and the one-pass cost of both exports."""

from __future__ import annotations

import time

import pandas as pd
from test_exports import ROWS, make_events

from timeline.exports import to_acled, to_timelinejs
from timeline.exports.timelinejs import BACKGROUND_GROUP, corpus_title, group_label, slide_date_label


def test_every_slide_has_a_display_date_in_one_style() -> None:
    slides = {s["unique_id"]: s for s in to_timelinejs(make_events(ROWS))["events"]}
    assert all(s.get("display_date") for s in slides.values())
    assert slides["c0099"]["display_date"] == "1 Dec 2024"                 # a day: the day itself
    assert slides["c0002"]["display_date"] == "early December 2024"        # vague: how vague
    assert slide_date_label("2024-12-01 06:30", None, "minute") == "1 Dec 2024, 06:30"


def test_groups_in_one_style() -> None:
    groups = {s["group"] for s in to_timelinejs(make_events(ROWS))["events"]}
    assert all(g[0].isupper() for g in groups)
    assert "Casualty report" in groups or BACKGROUND_GROUP in groups
    assert group_label("statement") == "Statement" and group_label("Battles") == "Battles"


def test_background_years_have_their_own_group_and_the_view_opens_on_the_main_window() -> None:
    tj = to_timelinejs(make_events(ROWS))
    slides = tj["events"]
    background = [s for s in slides if s["group"] == BACKGROUND_GROUP]
    # the 2016 siege and the toll since 2011 start years before the reports (published 2 Dec 2024)
    assert {s["unique_id"] for s in background} == {"c0001", "c0006"}
    assert all(s["start_date"]["year"] < 2024 for s in background)
    assert all(s["group"] != BACKGROUND_GROUP for s in slides if s["start_date"]["year"] == 2024)
    start = tj["options"]["start_at_slide"]        # slide 0 is the title slide
    assert start == len(background) + 1 and slides[start - 1]["start_date"]["year"] == 2024
    # the time bar is drawn wide enough that the main window's days do not collapse next to 2011
    assert 2 < tj["options"]["scale_factor"] <= 400


def test_no_background_opens_on_the_title() -> None:
    recent = [r for r in ROWS if r["date"].startswith("2024") and r["start"].startswith("2024")]
    tj = to_timelinejs(make_events(recent))
    assert tj["options"]["start_at_slide"] == 0
    assert BACKGROUND_GROUP not in {s["group"] for s in tj["events"]}
    assert "scale_factor" not in tj["options"]                   # TimelineJS's default will do


def test_title_from_the_corpus_not_document_ids() -> None:
    events = make_events(ROWS)
    title = corpus_title(events)
    assert title == "Syria, 2 Dec 2024"
    assert to_timelinejs(events)["title"]["text"]["headline"] == "Syria, 2 Dec 2024"
    assert "d1" not in title
    one = pd.DataFrame({"doc_id": ["d1"], "title": ["Rebels enter Aleppo"]})
    assert corpus_title(events, one) == "Rebels enter Aleppo"
    spread = make_events([{"date": "2024-11-27", "published": "2024-11-27", "location": "Aleppo"},
                          {"date": "2024-12-09", "published": "2024-12-09", "location": "Aleppo"}])
    assert corpus_title(spread) == "Aleppo, 27 Nov \u2013 9 Dec 2024"
    assert to_timelinejs(events, title="Given")["title"]["text"]["headline"] == "Given"


def many(n: int) -> pd.DataFrame:
    """``n`` events: the hand-made rows repeated with distinct ids (one cluster per copy)."""
    base = make_events(ROWS)
    parts = []
    for k in range(-(-n // len(base))):
        part = base.copy()
        for name in ("doc_id", "event_id", "cluster_id"):
            part[name] = (part[name].astype("string") + f"~{k}").astype("string")
        parts.append(part)
    return pd.concat(parts, ignore_index=True).iloc[:n]


def test_exports_cost_grows_linearly() -> None:
    small, large = many(1_000), many(8_000)
    to_acled(small), to_timelinejs(small)                       # warm-up (lexicons, gazetteer)

    def cpu(events: pd.DataFrame) -> float:
        best = float("inf")
        for _ in range(2):
            t0 = time.process_time()
            to_acled(events)
            to_timelinejs(events)
            best = min(best, time.process_time() - t0)
        return best

    t_small, t_large = cpu(small), cpu(large)
    # 8 times the events: about 8 times the cost when linear (all pairs would be 64)
    assert t_large / max(t_small, 1e-3) < 16
    # and well under the old one-group-at-a-time cost (about 4 ms per event)
    assert t_large / len(large) < 1e-3
