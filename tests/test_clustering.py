"""Event identity across documents: ``timeline.table.cluster_events``.

The same incident told by several documents is one cluster; different days or places
never merge; vague rows never glue day-precise events together; tallies stay apart;
the cost grows about linearly with the number of events.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest

from timeline import store
from timeline.table import CLUSTER_COLUMNS, EVENT_COLUMNS, cluster_events, cluster_labels, typed_frame

DAY = pd.Timedelta(days=1)


def row(doc: str, day: str, *, event_type: str = "Battles", location: str | None = "Aleppo",
        precision: str = "day", sentence: str = "", **kw: Any) -> dict[str, Any]:
    """One event row, dated to ``day`` (its own time) unless ``start``/``end``/``precision`` say otherwise."""
    rec: dict[str, Any] = dict.fromkeys(EVENT_COLUMNS)
    ts = pd.Timestamp(day)
    rec.update({"doc_id": doc, "date": ts, "start": ts, "end": ts + DAY, "precision": precision,
                "event_type": event_type, "location": location, "sentence": sentence, "cumulative": False,
                "trigger": "clashes", "published": ts + DAY, "sentence_index": 0})
    rec.update(kw)
    return rec


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    for i, r in enumerate(rows):
        r.setdefault("event_id", f"e{i}")
        if r["event_id"] is None:
            r["event_id"] = f"e{i}"
    return typed_frame(rows, EVENT_COLUMNS)


def clusters_of(events: pd.DataFrame) -> list[set[int]]:
    """The clusters as sets of row positions."""
    groups: dict[str, set[int]] = {}
    for pos, cid in enumerate(events["cluster_id"]):
        groups.setdefault(cid, set()).add(pos)
    return list(groups.values())


def test_columns_keep_their_dtypes_and_ids_follow_table_order() -> None:
    out = cluster_events(frame([
        row("a", "2024-12-01", location="Idlib"), row("a", "2024-12-02", location="Hama"),
        row("b", "2024-12-01", location="Idlib"), row("b", "2024-12-03", location="Homs"),
    ]))
    assert out["cluster_id"].dtype == "string" and out["n_sources"].dtype == "Int64"
    assert out["cluster_id"].tolist() == ["c0001", "c0002", "c0001", "c0003"]
    assert out["n_sources"].tolist() == [2, 1, 2, 1]
    empty = cluster_events(frame([]))
    assert empty["cluster_id"].dtype == "string" and empty["n_sources"].dtype == "Int64" and empty.empty


def test_two_copies_of_a_wire_story_give_one_cluster_per_incident() -> None:
    # The same three incidents, copied with light edits, published a day apart; plus a
    # background sentence dated to each copy's publication week (fallback) in both copies.
    copy_a = [
        row("wire-a", "2024-12-01", event_type="Explosions/Remote violence", location="Idlib", fatalities=11,
            trigger="bombed", sentence="Syrian and Russian warplanes bombed Idlib city and nearby towns on Sunday, "
                                       "killing at least 11 civilians, rescuers said."),
        row("wire-a", "2024-11-30", location="Saraqeb", trigger="took control", sentence_index=1,
            sentence="Rebels took control of the town of Saraqeb on Saturday after heavy fighting."),
        row("wire-a", "2024-12-01", event_type="diplomacy", location="Damascus", trigger="arrived",
            sentence_index=2, sentence="Iranian Foreign Minister Abbas Araghchi arrived in Damascus on Sunday for "
                                       "talks with President Bashar al-Assad."),
        row("wire-a", "2024-12-02", event_type="displacement", location=None, precision="week",
            start=pd.Timestamp("2024-11-26"), end=pd.Timestamp("2024-12-03"), time_flag="dct-fallback",
            trigger="fled", sentence_index=3,
            sentence="Thousands of families have fled towards the Turkish border, aid groups said."),
    ]
    copy_b = [
        row("wire-b", "2024-12-01", event_type="Explosions/Remote violence", location="Idlib", fatalities=12,
            trigger="bombed", sentence="Syrian and Russian jets bombed Idlib city and surrounding towns on Sunday, "
                                       "killing at least 12 civilians, rescue workers said."),
        row("wire-b", "2024-11-30", location="Saraqeb", trigger="seized", sentence_index=1,
            sentence="Rebels seized the town of Saraqeb on Saturday after heavy fighting with government troops."),
        row("wire-b", "2024-12-01", event_type="diplomacy", location="Damascus", trigger="arrived",
            sentence_index=2, sentence="Iran's Foreign Minister Abbas Araghchi arrived in Damascus on Sunday for "
                                       "talks with President Bashar al-Assad."),
        row("wire-b", "2024-12-03", event_type="displacement", location=None, precision="week",
            start=pd.Timestamp("2024-11-27"), end=pd.Timestamp("2024-12-04"), time_flag="dct-fallback",
            trigger="fled", sentence_index=3,
            sentence="Thousands of families have fled toward the Turkish border, aid groups said."),
    ]
    for r in copy_b:
        r["published"] = pd.Timestamp("2024-12-03")
    out = cluster_events(frame(copy_a + copy_b))
    assert sorted(map(sorted, clusters_of(out))) == [[0, 4], [1, 5], [2, 6], [3, 7]]
    assert (out["n_sources"] == 2).all()


def test_a_week_of_daily_clashes_in_one_city_gives_seven_clusters() -> None:
    rows = []
    for d in range(7):
        day = pd.Timestamp("2024-11-27") + d * DAY
        for doc in ("a", "b"):
            rows.append(row(f"{doc}{d}", str(day.date()), sentence=f"Clashes raged in Aleppo on day {d} of the "
                                                                     "offensive, residents said."))
    # Rows that could bridge the days: a week-long "recent days" row and a fallback row.
    rows.append(row("c", "2024-11-27", precision="week", start=pd.Timestamp("2024-11-27"),
                    end=pd.Timestamp("2024-12-04"), sentence="Clashes have raged in Aleppo in recent days."))
    rows.append(row("d", "2024-12-03", precision="week", start=pd.Timestamp("2024-11-27"),
                    end=pd.Timestamp("2024-12-04"), time_flag="dct-fallback",
                    sentence="Fighting continued around Aleppo, the army said."))
    out = cluster_events(frame(rows))
    day_rows = out.iloc[:14]
    assert day_rows["cluster_id"].nunique() == 7
    assert (day_rows.groupby("cluster_id")["date"].nunique() == 1).all()
    assert (day_rows["n_sources"] == 2).all()
    assert out["cluster_id"].nunique() == 9  # the two vague rows stay alone


def test_strikes_in_two_cities_on_one_day_give_two_clusters() -> None:
    rows = [row(doc, "2024-12-01", event_type="Explosions/Remote violence", location=city, trigger="strikes",
                sentence=f"Air strikes hit {city} on Sunday, residents said.")
            for doc in ("a", "b") for city in ("Idlib", "Aleppo")]
    out = cluster_events(frame(rows))
    assert sorted(map(sorted, clusters_of(out))) == [[0, 2], [1, 3]]


@pytest.mark.parametrize("fallback, joins", [
    # similar wording, but no copy of either: stays alone
    ("Government forces said they repelled rebel attacks around Aleppo this week.", False),
    # a copy of both (they differ only in the weekday): joins one, never both
    ("Rebels fought government forces in Aleppo, the army said.", True),
])
def test_a_fallback_row_does_not_join_two_day_precise_rows(fallback: str, joins: bool) -> None:
    rows = [
        row("a", "2024-11-29", sentence="Rebels fought government forces in Aleppo on Friday."),
        row("b", "2024-12-01", sentence="Rebels fought government forces in Aleppo on Sunday."),
        row("c", "2024-12-02", precision="week", start=pd.Timestamp("2024-11-26"), end=pd.Timestamp("2024-12-03"),
            time_flag="dct-fallback", sentence=fallback),
    ]
    out = cluster_events(frame(rows))
    ids = out["cluster_id"].tolist()
    assert ids[0] != ids[1]                       # two days, two incidents, whatever the fallback
    assert (ids[2] in ids[:2]) == joins
    assert out["cluster_id"].nunique() == (2 if joins else 3)


def test_a_vague_near_copy_joins_the_one_member_it_copies() -> None:
    text = "Rebels fought government forces in the streets of Aleppo, residents and a war monitor said."
    rows = [
        row("a", "2024-11-29", sentence=text),
        row("b", "2024-12-01", sentence="Rebels fought government forces in Aleppo on Sunday."),
        # the copy of the first sentence, lost its time in the edit: dated to its publication week
        row("c", "2024-12-02", precision="week", start=pd.Timestamp("2024-11-26"), end=pd.Timestamp("2024-12-03"),
            time_flag="dct-fallback", sentence=text.replace("residents", "witnesses")),
        # the same copy, but in another city: never merged
        row("d", "2024-12-02", location="Homs", precision="week", start=pd.Timestamp("2024-11-26"),
            end=pd.Timestamp("2024-12-03"), time_flag="dct-fallback", sentence=text),
    ]
    out = cluster_events(frame(rows))
    assert sorted(map(sorted, clusters_of(out))) == [[0, 2], [1], [3]]


def test_a_carried_time_joins_a_report_of_that_day_but_never_seeds_or_bridges() -> None:
    air, shell = "Air/drone strike", "Shelling/artillery/missile attack"
    rows = [
        row("a", "2024-12-01", event_type="Explosions/Remote violence", location="Idlib", trigger="targeted",
            sub_event_type=air, sentence="Russian and Syrian aircraft targeted the city of Idlib on Sunday."),
        row("a", "2024-12-01", event_type="Explosions/Remote violence", location="Idlib", trigger="airstrikes",
            fatalities=10, time_flag="carried-from-earlier-sentence", sentence_index=1, sub_event_type=air,
            sentence="Among the dead in the airstrikes in and around Idlib were ten children."),
        # another story's carried row of another kind of attack: not that incident, so it stays alone
        row("b", "2024-12-01", event_type="Explosions/Remote violence", location="Idlib", trigger="shelling",
            time_flag="carried-from-earlier-sentence", sub_event_type=shell,
            sentence="Shelling hit the outskirts of Idlib."),
        # another story's carried row of the same kind, same place and day: the same incident
        row("c", "2024-12-01", event_type="Explosions/Remote violence", location="Idlib", trigger="bombed",
            time_flag="carried-from-earlier-sentence", sub_event_type=air, sentence="Jets bombed Idlib city."),
        # two carried rows of other stories with no day-precise report: each stays alone
        row("d", "2024-12-02", event_type="Explosions/Remote violence", location="Idlib", trigger="bombed",
            time_flag="carried-from-earlier-sentence", sub_event_type=air, sentence="Jets bombed Idlib city."),
        row("e", "2024-12-02", event_type="Explosions/Remote violence", location="Idlib", trigger="bombed",
            time_flag="carried-from-earlier-sentence", sub_event_type=air, sentence="Jets bombed Idlib city."),
    ]
    out = cluster_events(frame(rows))
    clusters = sorted(map(sorted, clusters_of(out)))
    assert [0, 1, 3] in clusters and [2] in clusters
    assert [4, 5] in clusters or ([4] in clusters and [5] in clusters)


@pytest.mark.parametrize("days, joins", [(["2024-12-01"], True), (["2024-11-29", "2024-12-01"], False)])
def test_a_fallback_row_joins_its_own_storys_incident_only_when_there_is_one(days: list[str], joins: bool) -> None:
    rows = [row("a", d, event_type="Explosions/Remote violence", location="Idlib", trigger="targeted",
                sentence_index=k, sentence=f"Aircraft targeted the city of Idlib on day {k}.")
            for k, d in enumerate(days)]
    rows.append(row("a", "2024-12-02", event_type="Explosions/Remote violence", location="Idlib", precision="week",
                    start=pd.Timestamp("2024-11-26"), end=pd.Timestamp("2024-12-03"), time_flag="dct-fallback",
                    trigger="airstrikes", fatalities=10, sentence_index=9,
                    sentence="Among the dead in the airstrikes in and around Idlib were ten children."))
    out = cluster_events(frame(rows))
    ids = out["cluster_id"].tolist()
    assert len(set(ids[:-1])) == len(days)        # the story's incidents stay apart
    assert (ids[-1] in ids[:-1]) == joins


def test_figures_must_be_compatible() -> None:
    rows = [
        row("a", "2024-12-01", fatalities=11), row("b", "2024-12-01", fatalities=25),  # a rising toll
        row("c", "2024-12-01", fatalities=300),                                         # another incident
        row("d", "2024-12-01"),                                                         # no figure: joins the first
    ]
    out = cluster_events(frame(rows))
    assert sorted(map(sorted, clusters_of(out))) == [[0, 1, 3], [2]]


def test_rows_without_a_place_need_similar_wording() -> None:
    rows = [
        row("a", "2024-11-28", location=None, trigger="strike", fatalities=4,
            sentence="A strike on a residential street in Atarib early on Thursday killed four members of one family."),
        row("b", "2024-11-28", location=None, trigger="air strike", fatalities=4,
            sentence="An air strike on Atarib on Thursday morning killed four civilians from the same family."),
        row("c", "2024-11-28", location=None, trigger="targeted",
            sentence="State media said the army had targeted rebel command centres and weapons depots."),
    ]
    out = cluster_events(frame(rows))
    assert sorted(map(sorted, clusters_of(out))) == [[0, 1], [2]]


def test_cumulative_tallies_merge_only_when_they_are_the_same_report() -> None:
    since = pd.Timestamp("2024-11-27")

    def tally(doc: str, reported: str, value: int, sentence: str) -> dict[str, Any]:
        return row(doc, reported, event_type="casualty report", location=None, precision="week", start=since,
                   end=pd.Timestamp(reported) + DAY, cumulative=True, fatalities=value, trigger="killed",
                   sentence=sentence)

    text = "The Syrian Observatory for Human Rights said at least {} people had been killed since the offensive began."
    rows = [
        tally("a", "2024-11-29", 277, text.format(277)),
        tally("b", "2024-11-29", 277, text.format(277).replace("at least", "more than")),  # the same report
        tally("c", "2024-11-30", 277, text.format(277)),      # same value, another day: another report
        tally("d", "2024-11-30", 327, text.format(327)),      # the next day's figure
        tally("e", "2024-11-29", 277, "The defence ministry said 277 fighters were killed since the offensive."),
        # a single incident with the same figure and day is never merged with a tally
        row("f", "2024-11-29", event_type="casualty report", location=None, fatalities=277, trigger="killed",
            sentence=text.format(277)),
    ]
    out = cluster_events(frame(rows))
    assert sorted(map(sorted, clusters_of(out))) == [[0, 1], [2], [3], [4], [5]]


def test_same_sentence_two_triggers_are_not_copies() -> None:
    text = "In recent days, insurgents have taken control of Idlib province in their biggest offensive in years."
    rows = [
        row("a", "2024-11-29", location="Idlib province", precision="week", start=pd.Timestamp("2024-11-26"),
            end=pd.Timestamp("2024-12-03"), trigger="taken control", sentence=text),
        row("a", "2020-01-01", location="Idlib province", precision="year", start=pd.Timestamp("2020-01-01"),
            end=pd.Timestamp("2024-12-03"), trigger="offensive", sentence=text),
    ]
    assert cluster_events(frame(rows))["cluster_id"].nunique() == 2


def test_copies_through_the_pipeline_count_once_in_exports_and_charts() -> None:
    from timeline import plots
    from timeline.exports import to_acled, to_timelinejs

    rows = [
        row("a", "2024-12-01", event_type="Explosions/Remote violence", location="Idlib", fatalities=11,
            sentence="Warplanes bombed Idlib city and nearby towns on Sunday, killing at least 11 civilians."),
        row("b", "2024-12-01", event_type="Explosions/Remote violence", location="Idlib", fatalities=25,
            sentence="Air strikes on Idlib city on Sunday killed at least 25 people, rescuers said on Monday."),
        # a vague copy of the first, dated to its publication week: same incident, not a second one
        row("c", "2024-12-03", event_type="Explosions/Remote violence", location="Idlib", precision="week",
            start=pd.Timestamp("2024-11-27"), end=pd.Timestamp("2024-12-04"), time_flag="dct-fallback",
            fatalities=11, sentence="Warplanes bombed Idlib city and nearby towns, killing at least 11 civilians."),
        row("a", "2024-12-02", location="Hama", sentence="Rebels fought the army on the outskirts of Hama."),
    ]
    events = cluster_events(frame(rows))
    assert events["cluster_id"].nunique() == 2
    data = plots.escalation_data(events)
    assert data["events"].sum() == 2
    assert data["fatalities"].sum() == 25
    assert data.loc["2024-12-01", "events"] == 1
    acled = to_acled(events)
    assert len(acled) == 2 and acled["fatalities"].sum() == 25
    slides = to_timelinejs(events)["events"]
    assert len(slides) == 2


# --------------------------------------------------------------------------------------------
# Cost: blocking, never all pairs
# --------------------------------------------------------------------------------------------

_PLACES = [f"Town{i}" for i in range(400)]
_TYPES = ["Battles", "Explosions/Remote violence", "Strategic developments", "statement"]
_WORDS = [f"w{i}" for i in range(3000)]


def synthetic_events(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` event rows like a big batch: many places and days, vague rows, tallies, and one
    crowded block (10% of the rows: one type and day, no place, all different sentences)."""
    rng = random.Random(seed)
    base = pd.Timestamp("2024-01-01")
    cols: dict[str, list[Any]] = {c: [None] * n for c in EVENT_COLUMNS}
    for i in range(n):
        crowded = i % 10 == 0
        day = base + (0 if crowded else rng.randrange(365)) * DAY
        kind = rng.random()
        words = " ".join(rng.choice(_WORDS) for _ in range(14))
        vals = {
            "event_id": f"e{i}", "doc_id": f"d{i // 8}", "date": day, "start": day, "end": day + DAY,
            "precision": "day", "event_type": _TYPES[0] if crowded else rng.choice(_TYPES),
            "location": None if crowded else (rng.choice(_PLACES) if kind > 0.1 else None),
            "cumulative": False, "trigger": rng.choice(["clashes", "strikes", "seized", "said"]),
            "sentence": f"Sentence {words}.", "sentence_index": i % 8, "published": day + DAY,
            "fatalities": None if crowded else (rng.randrange(50) if kind < 0.3 else None),
        }
        if not crowded and kind > 0.7:      # vague: week-long or fallback
            vals.update(precision="week", start=day - 6 * DAY, end=day + DAY,
                        time_flag="dct-fallback" if kind > 0.85 else None)
        elif not crowded and 0.65 < kind <= 0.7:  # tallies
            vals.update(cumulative=True, event_type="casualty report", start=base, fatalities=rng.randrange(1000))
        for name, value in vals.items():
            cols[name][i] = value
    return typed_frame(cols, EVENT_COLUMNS)


def test_a_crowded_block_of_unrelated_rows_does_not_collapse() -> None:
    """Speed is measured in benchmarks/bench_clustering.py; here only the behaviour at size."""
    out = cluster_events(synthetic_events(10_000))
    crowded = out.iloc[::10]  # one type and day, no place, all different sentences
    assert crowded["cluster_id"].nunique() > 0.9 * len(crowded)


@pytest.mark.parametrize("published", [(date(2024, 12, 2), date(2024, 12, 3))])
def test_wire_copies_through_build(published: tuple[date, date]) -> None:
    import timeline
    from timeline.model import Article

    a = ("Syrian and Russian warplanes bombed the city of Idlib on Sunday, killing at least 11 civilians, "
         "rescuers said. Rebels took control of the town of Saraqeb on Saturday after heavy fighting with "
         "government forces. Iranian Foreign Minister Abbas Araghchi arrived in Damascus on Sunday for talks "
         "with President Bashar al-Assad.")
    b = ("Syrian and Russian jets bombed the city of Idlib on Sunday, killing at least 12 civilians, rescue "
         "workers said. Rebels took full control of the town of Saraqeb on Saturday after heavy fighting with "
         "government troops. Iran's Foreign Minister Abbas Araghchi arrived in Damascus on Sunday for talks "
         "with President Bashar al-Assad.")
    arts = [Article("wire-a", a, published=published[0], dct_source="given"),
            Article("wire-b", b, published=published[1], dct_source="given")]
    events = timeline.build(arts).events
    day = events[events["precision"].astype("string").isin(["day", "part-of-day", "hour", "minute"]).fillna(False)
                 & events["time_flag"].isna() & events["location"].notna()]
    incidents = day.groupby(["event_type", "location", "date"], observed=True)
    assert incidents.ngroups >= 2
    for _, group in incidents:
        # both copies report it, and their rows are one cluster of two sources
        assert set(group["doc_id"]) == {"wire-a", "wire-b"}
        assert group["cluster_id"].nunique() == 1 and (group["n_sources"] == 2).all()


def test_a_generic_clash_and_a_capture_of_one_place_and_day_are_one_incident() -> None:
    rows = [row("a", "2024-12-05", location="Hama", trigger="seized",
                sub_event_type="Non-state actor overtakes territory",
                sentence="Rebels seized the city of Hama on Thursday."),
            row("b", "2024-12-05", location="Hama", trigger="pushed into", sub_event_type="Armed clash",
                sentence="Fighters pushed into Hama from the north and east."),
            # the army regaining the city that day is another incident
            row("c", "2024-12-05", location="Hama", trigger="recaptured", sub_event_type="Government regains territory",
                sentence="The army recaptured villages near Hama.")]
    clusters = sorted(map(sorted, clusters_of(cluster_events(frame(rows)))))
    assert clusters == [[0, 1], [2]]


def test_background_told_with_its_own_month_clusters_by_type_place_and_month() -> None:
    def past(doc: str, value: str, place: str) -> dict[str, Any]:
        return row(doc, f"{value}-01", location=place, precision="month", time_value=value, trigger="retook",
                   sub_event_type="Government regains territory", start=pd.Timestamp(f"{value}-01"),
                   end=pd.Timestamp(f"{value}-01") + pd.Timedelta(days=31),
                   sentence=f"Government forces retook {place} in {value}.")
    rows = [past("a", "2016-12", "Aleppo"), past("b", "2016-12", "Aleppo"), past("c", "2018-04", "Aleppo"),
            past("d", "2016-12", "Homs")]
    clusters = sorted(map(sorted, clusters_of(cluster_events(frame(rows)))))
    assert clusters == [[0, 1], [2], [3]]


def test_cluster_labels_in_a_given_order_equal_cluster_events() -> None:
    """A build clusters its spooled rows from their key columns in table order, never copying them
    in order (cluster_labels with ``rows``): the clusters of cluster_events on the sorted table."""
    events = synthetic_events(3_000, seed=3)
    expected = cluster_events(events)
    shuffled = np.random.default_rng(0).permutation(len(events))
    table = store.to_arrow(events.iloc[shuffled], {c: EVENT_COLUMNS[c] for c in CLUSTER_COLUMNS})
    rows = np.argsort(shuffled)  # the shuffled table's rows in table order
    ids, n_sources = cluster_labels(table, rows)
    assert ids == expected["cluster_id"].tolist()
    assert n_sources == expected["n_sources"].tolist()
