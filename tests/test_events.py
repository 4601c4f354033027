"""Event extraction: trigger examples (from the YAML), segmentation, and the seed story table."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

import timeline
from timeline.events.segment import split_sentences
from timeline.events.triggers import load_triggers
from timeline.model import Article
from timeline.pipeline import build, process_article

DATA = Path(__file__).resolve().parents[1] / "data"
SEED = DATA / "000_43342442af48aa1c.txt"

TRIGGER_EXAMPLES = [
    pytest.param(cls, ex, id=f"{cls.id}:{i}")
    for cls in load_triggers().classes
    for i, ex in enumerate(cls.examples)
]


@pytest.mark.parametrize(("cls", "example"), TRIGGER_EXAMPLES)
def test_trigger_example(cls, example) -> None:
    """Each trigger example yields an event with that trigger and type (rules are data, examples are tests)."""
    article = Article(doc_id="ex", text=example["text"], published=date(2024, 12, 2), dct_source="given")
    _, _, events = process_article(article)
    if cls.context:
        # the setting ("the war", "front lines"): found by the lexicon, but no event of its own
        found = [m for m in load_triggers().find(example["text"]) if m.text == example["trigger"]]
        assert found and found[0].trigger.id == cls.id, found
        assert not [e for e in events if e.trigger == example["trigger"]], [(e.trigger, e.event_type) for e in events]
        return
    hits = [e for e in events if e.trigger == example["trigger"]]
    assert hits, f"no event with trigger {example['trigger']!r}; got {[(e.trigger, e.event_type) for e in events]}"
    assert hits[0].rule_id == cls.id
    assert hits[0].event_type == example["event_type"]
    if "sub_event_type" in example:
        assert hits[0].sub_event_type == example["sub_event_type"]


def _triggers_of(sentence: str) -> list[str]:
    article = Article(doc_id="ex", text=sentence, published=date(2024, 12, 2), dct_source="given")
    return [e.trigger for e in process_article(article)[2]]


@pytest.mark.parametrize("sentence", load_triggers().comparison_examples)
def test_a_superlative_noun_is_no_event_of_its_own(sentence) -> None:
    """triggers.yaml `comparison_before` examples: the noun after the superlative yields no row."""
    lexicon = load_triggers()
    nouns = [m.text for m in lexicon.find(sentence) if lexicon.is_comparison(sentence, m.start)]
    assert nouns, "the example has no superlative trigger noun"
    assert not set(nouns) & set(_triggers_of(sentence)), _triggers_of(sentence)


@pytest.mark.parametrize("case", load_triggers().comparison_negatives)
def test_a_superlative_elsewhere_keeps_the_event(case) -> None:
    assert case["trigger"] in _triggers_of(case["text"])


def test_every_trigger_class_has_an_example() -> None:
    # the generated future_only twins are tested in tests/test_inflections.py
    missing = [cls.id for cls in load_triggers().classes if not cls.examples and not cls.future_only]
    assert not missing


def test_segmentation_flags_headings_and_furniture() -> None:
    text = SEED.read_text(encoding="utf-8")
    sentences = split_sentences(text)
    assert all(text[s.start : s.end] == s.text for s in sentences)
    by_text = {s.text: s for s in sentences}
    assert by_text["LEAVING ALEPPO"].is_heading
    assert by_text["Related Posts"].is_furniture or by_text["Related Posts"].is_heading
    bio = [s for s in sentences if "journalism experience" in s.text]
    assert bio and all(not s.is_body for s in bio)
    assert by_text["Reuters has sought a response from the Russian defense ministry."].is_body


@pytest.mark.parametrize("sentence", [
    "The prime minister said he was ready to hand over power to any leadership the people choose.",
    "The SDF said it had agreed to withdraw its fighters east of the Euphrates.",
    "He said he hoped to travel to Damascus soon.",
    "A second bomber, who was intended to strike a shrine, had been arrested.",
    "Figures cover the 24 hours to 08:00 on 14 April unless stated otherwise.",
])
def test_readiness_or_an_agreement_to_act_is_not_the_act(sentence) -> None:
    """irrealis_cues in triggers.yaml: "ready to", "agreed to", "hoped to", "intended to", "unless"."""
    acts = {"hand over", "withdraw", "travel", "strike", "stated"}
    assert not acts & set(_triggers_of(sentence))


def test_a_list_of_verb_phrases_tells_an_event_each() -> None:
    """ "cordoned off the area, evacuated the wounded": one subject, two events; a participle
    after a noun ("the town, captured last week,") is no phrase of its own."""
    triggers = _triggers_of("Police cordoned off the market within minutes, evacuated the wounded to two "
                            "hospitals and arrested three men on Sunday.")
    assert {"cordoned off", "evacuated", "arrested"} <= set(triggers), triggers
    assert len(_triggers_of("Rebels shelled Sukna, captured last week by the army, on Sunday.")) == 1


def test_a_question_asserts_no_event() -> None:
    triggers = _triggers_of("How did the fighting start?\n\nIndian missiles struck nine sites on Wednesday.\n\n"
                            "Did the truce hold? Pakistan said its forces had shelled Indian posts on Sunday.")
    assert len(triggers) == 2 and "shelled" in triggers and not {"fighting", "truce"} & set(triggers), triggers


def test_a_wire_revision_line_is_furniture() -> None:
    text = ("Air strikes hit Idlib on Monday, killing nine people, rescuers said.\n\n"
            "(Adds updated toll, bridge strike, displacement; Reporting by the Beirut bureau)\n")
    by_text = {s.text.strip(): s for s in split_sentences(text)}
    assert by_text["Air strikes hit Idlib on Monday, killing nine people, rescuers said."].is_body
    revision = [s for t, s in by_text.items() if t.startswith("(Adds")]
    assert revision and all(s.is_furniture for s in revision)


def test_a_quoted_narration_in_the_past_is_an_event_a_quoted_threat_is_not() -> None:
    article = Article(doc_id="nq", published=date(2025, 5, 14), dct_source="given",
                      text="\u201cThey went from house to house, executing young men,\u201d a resident said. "
                           "\u201cWe will crush them in battle,\u201d the commander said.")
    _, _, events = process_article(article)
    triggers = [e.trigger for e in events]
    assert "executing" in triggers and "battle" not in triggers


def test_denied_and_quoted_triggers_are_not_events() -> None:
    article = Article(doc_id="neg", published=date(2024, 12, 2), dct_source="given",
                      text="The army says it does not target civilians and denies bombing hospitals. "
                           "He said: \u201cWe will defeat them in battle.\u201d")
    _, _, events = process_article(article)
    assert [e.trigger for e in events if e.rule_id in ("strike", "air_strike", "clash")] == []


def test_a_short_quoted_phrase_of_the_report_is_an_event_a_quoted_saying_is_not() -> None:
    article = Article(doc_id="pq", published=date(2024, 11, 30), dct_source="given",
                      text="Syrian state television said on Saturday that the army had carried out a "
                           "\u201ctemporary redeployment\u201d of its units in Aleppo. "
                           "Hezbollah leader Naim Qassem proclaimed \u201ca great victory\u201d on Friday.")
    _, _, events = process_article(article)
    triggers = [e.trigger for e in events]
    assert "redeployment" in triggers  # the reporter's clause, a word quoted
    assert "proclaimed" in triggers and "victory" not in triggers  # what was proclaimed is the saying


@pytest.fixture(scope="module")
def seed_table() -> pd.DataFrame:
    return build(SEED, dct="2024-12-02").events


def _event(table: pd.DataFrame, sentence_part: str, trigger: str | None = None) -> pd.Series:
    rows = table[table["sentence"].str.contains(sentence_part, regex=False)]
    if trigger is not None:
        rows = rows[rows["trigger"].str.lower() == trigger.lower()]
    assert len(rows) >= 1, f"no event in a sentence containing {sentence_part!r} (trigger {trigger!r})"
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("sentence_part", "trigger", "day"),
    [
        ("insurgents also advanced into Aleppo", "advanced into", "2024-11-29"),
        ("aircraft targeted the rebel-controlled city of Idlib", "targeted", "2024-12-01"),
        ("During a visit to Damascus on Sunday", "visit", "2024-12-01"),
        # "On Sunday, rebels reported ... seizing the town": a gerund, not reported speech
        ("seizing the town of Khansir", "seizing", "2024-12-01"),
    ],
)
def test_seed_story_events_land_on_their_day(seed_table, sentence_part, trigger, day) -> None:
    row = _event(seed_table, sentence_part, trigger)
    assert row["date"] == pd.Timestamp(day)
    assert row["precision"] in ("day", "part-of-day")
    assert row["time_precision"] == 1


@pytest.mark.parametrize(
    ("sentence_part", "trigger", "day", "earliest", "latest"),
    [
        # "bloggers indicated on Sunday that Moscow had relieved Kisel": strictly before Sunday
        ("Moscow had relieved Sergei Kisel", "relieved", "2024-11-30", None, "2024-12-01"),
        # "... as reported by the White Helmets, ..., early on Monday": the strikes on or before the report
        ("as reported by the White Helmets", None, "2024-12-02", "2024-12-01", "2024-12-03"),
    ],
)
def test_seed_story_reported_events_lie_before_their_report(seed_table, sentence_part, trigger, day, earliest,
                                                            latest) -> None:
    row = _event(seed_table, sentence_part, trigger)
    assert row["date"] == pd.Timestamp(day)
    assert row["end"] == pd.Timestamp(latest)
    if earliest is not None:
        assert row["start"] == pd.Timestamp(earliest)
    else:
        assert row["start"] < pd.Timestamp(day)


def test_seed_story_white_helmets_toll(seed_table) -> None:
    row = _event(seed_table, "as reported by the White Helmets")
    assert row["fatalities"] == 25
    assert not row["cumulative"]


def test_seed_story_cumulative_tally_keeps_its_interval(seed_table) -> None:
    row = _event(seed_table, "has risen to 56")
    assert row["fatalities"] == 56
    assert row["children"] == 20
    assert bool(row["cumulative"])
    assert row["start"] == pd.Timestamp("2024-11-27")
    assert row["end"] == pd.Timestamp("2024-12-03")


@pytest.mark.parametrize(
    ("sentence_part", "year"),
    [("victory in 2016", 2016)],
)
def test_seed_story_context_has_year_precision(seed_table, sentence_part, year) -> None:
    rows = seed_table[seed_table["sentence"].str.contains(sentence_part, regex=False)
                      & (seed_table["time_value"] == str(year))]
    assert len(rows) >= 1, f"no event dated by {year} in the sentence with {sentence_part!r}"
    row = rows.iloc[0]
    assert row["start"].year == year
    assert row["precision"] in ("year", "decade")
    assert row["time_precision"] == 3


def test_seed_story_settings_are_no_events(seed_table) -> None:
    # "a civil war that had seen front lines largely stagnant since 2020": the setting, not an event
    rows = seed_table[seed_table["sentence"].str.contains("stagnant since 2020", regex=False)]
    assert "front lines" not in set(rows["trigger"]), rows[["trigger", "date"]]
    # the war-long toll keeps the interval the sentence gives it ("has persisted since 2011")
    war = seed_table[seed_table["sentence"].str.contains("persisted since 2011", regex=False)]
    assert "war" not in set(war["trigger"])
    tolls = war[war["fatalities"].notna()]
    assert len(tolls) == 1 and bool(tolls.iloc[0]["cumulative"]), war[["trigger", "cumulative"]]
    assert tolls.iloc[0]["start"].year == 2011


def test_seed_story_nothing_from_furniture(seed_table) -> None:
    for phrase in ("journalism experience", "Subscribe", "LEAVE A REPLY", "Defence Talks", "Top 5"):
        assert not seed_table["sentence"].str.contains(phrase, regex=False).any(), phrase


def test_seed_story_table_is_sorted_and_typed(seed_table) -> None:
    dates = seed_table["date"].dropna()
    assert dates.is_monotonic_increasing
    assert str(seed_table["date"].dtype).startswith("datetime64")
    assert str(seed_table["fatalities"].dtype) == "Int64"
    assert isinstance(seed_table["event_type"].dtype, pd.CategoricalDtype)
    assert seed_table["event_id"].is_unique


def test_event_ids_are_stable_across_runs() -> None:
    first = build(SEED, dct="2024-12-02").events["event_id"].tolist()
    second = build(SEED, dct="2024-12-02").events["event_id"].tolist()
    assert first == second


def test_display_date_is_flagged_and_a_better_date_proposed() -> None:
    """Without the metadata, the header date 2025-06-17 is used but flagged, with the evidence."""
    text = SEED.read_text(encoding="utf-8")
    with pytest.warns(timeline.AnchorWarning):
        result = build([Article(doc_id="seed", text=text, published=date(2025, 6, 17), dct_source="text-header")])
    doc = result.documents.iloc[0]
    assert doc["status"] == "degraded"
    assert doc["proposed_dct"] == pd.Timestamp("2024-12-02")
    assert "2025-06-17" in doc["warnings"]


def test_narrative_time_carries_to_the_next_sentence() -> None:
    article = Article(doc_id="n", published=date(2024, 12, 2), dct_source="given",
                      text="Aircraft bombed the town of Sarmada on Sunday. Rescuers said seven people were killed.")
    _, _, events = process_article(article)
    killed = [e for e in events if e.rule_id == "deaths"]
    assert killed and killed[0].date == datetime(2024, 12, 1)
    assert killed[0].anchor_source == "narrative"


def test_event_without_any_time_falls_back_to_the_dct_week_and_is_flagged() -> None:
    article = Article(doc_id="f", published=date(2024, 12, 2), dct_source="given",
                      text="Rebels seized the town of Saraqeb.")
    _, _, events = process_article(article)
    assert events[0].time_flag == "dct-fallback"
    assert events[0].precision == "week"
    assert events[0].start == datetime(2024, 11, 26) and events[0].end == datetime(2024, 12, 3)


@pytest.mark.parametrize(
    ("text", "dct", "report_day"),
    [
        ("More than 780 civilians have been killed in El Fasher since the RSF laid siege to the city in May, "
         "according to the United Nations.", "2024-12-04", "2024-12-04"),
        ("The defence ministry said on Saturday that its forces had killed more than 400 fighters in the past "
         "72 hours.", "2024-12-01", "2024-11-30"),
        ("Russia's full-scale invasion, launched in February 2022, has killed more than 12,600 civilians, "
         "according to the U.N.", "2025-03-11", "2025-03-11"),
        ("Health officials put the toll higher, saying on Saturday that 162 people had died since the start "
         "of the month.", "2024-08-12", "2024-08-10"),
    ],
)
def test_running_tolls_are_reports_dated_on_their_report(text: str, dct: str, report_day: str) -> None:
    article = Article(doc_id="t", text=text, published=date.fromisoformat(dct), dct_source="given")
    _, _, events = process_article(article)
    tolls = [e for e in events if e.fatalities is not None]
    assert tolls and all(e.cumulative for e in tolls), [(e.trigger, e.cumulative) for e in tolls]
    assert tolls[0].date == datetime.fromisoformat(report_day)
    assert tolls[0].end == datetime.fromisoformat(report_day) + timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        # an event noun after since/after with no time of its own refers back to an event already told
        ("Rebels pushed south after a lightning offensive.", "offensive", "pushed south"),
        ("At least 300 people have been killed since the offensive, the monitor said.", "offensive", None),
        # ... but with a time of its own it is news
        ("Hundreds have died since the offensive began on Wednesday, the monitor said.", None, "offensive"),
        # the deaths of an attack are its toll, not a second event
        ("Six civilians were killed on November 1 when separatist artillery hit the town's market.", "killed", "hit"),
        # a bound, and a demand, are not events
        ("The army vowed to fight until every inch of the homeland is liberated.", "liberated", None),
        ("Hundreds joined a march to demand the fall of the government.", "fall of", None),
        # a modal is unreal, a plan with a date told in reported speech is not; a cue in another clause is neither
        ("A spokesman said the rebels would attack the town.", "attack", None),
        ("Syrian Airlines said domestic flights from Damascus would resume next week.", None, "resume"),
        ("In Gaza, where there is no truce, Israeli strikes killed at least 21 people on Wednesday.", None,
         "strikes"),
    ],
)
def test_what_is_not_a_new_event(text: str, absent: str | None, present: str | None) -> None:
    article = Article(doc_id="n", text=text, published=date(2024, 12, 2), dct_source="given")
    _, _, events = process_article(article)
    triggers = [e.trigger for e in events]
    if absent is not None:
        assert absent not in triggers, triggers
    if present is not None:
        assert present in triggers, triggers


@pytest.mark.parametrize(
    ("text", "fatalities", "day"),
    [
        ("Syria's Defense Ministry said on Sunday that 16 soldiers had been killed in Saturday's attack.", 16,
         "2024-11-30"),
        ("Rescuers said 14 people were killed in this morning's shelling.", 14, "2024-12-02"),
    ],
)
def test_a_toll_of_a_named_attack_is_one_casualty_report(text: str, fatalities: int, day: str) -> None:
    _, _, events = process_article(Article(doc_id="t", text=text, published=date(2024, 12, 2), dct_source="given"))
    assert [(e.trigger, e.event_type, e.fatalities) for e in events] == [("killed", "casualty report", fatalities)]
    assert events[0].date == datetime.fromisoformat(day)


@pytest.mark.parametrize(
    ("text", "trigger", "event_type", "fatalities", "day"),
    [
        # an attack told for the first time is the row; its deaths are its fatalities
        ("At least 25 people were killed in Syrian and Russian air strikes on Idlib on Sunday, rescuers said.",
         "air strikes", "Explosions/Remote violence", 25, "2024-12-01"),
        ("Two soldiers were killed in an Israeli air strike on Beirut on Friday.", "air strike",
         "Explosions/Remote violence", 2, "2024-11-29"),
        # "the toll from X" is a report whatever X is
        ("The toll from air raids on Idlib since Wednesday has risen to 56, the civil defence said.", "toll",
         "casualty report", 56, "2024-12-02"),
    ],
)
def test_deaths_in_a_new_attack_belong_to_the_attack(text: str, trigger: str, event_type: str, fatalities: int,
                                                      day: str) -> None:
    _, _, events = process_article(Article(doc_id="t", text=text, published=date(2024, 12, 2), dct_source="given"))
    assert [(e.trigger, e.event_type, e.fatalities) for e in events] == [(trigger, event_type, fatalities)]
    assert events[0].date == datetime.fromisoformat(day)


@pytest.mark.parametrize(
    ("text", "triggers"),
    [
        # a verb coordinated with "and"/"but" is an event of its own
        ("Russian forces reached the outskirts of Pokrovsk on Monday and cut the road to Mezhova.",
         ["reached", "cut"]),
        ("Our forces have killed more than 1,600 terrorists and destroyed more than 140 tanks since 27 November.",
         ["killed", "destroyed"]),
        # a noun after the coordinated verb belongs to that verb's phrase; a progressive coordinates too
        ("The minister visited the command in Hama yesterday and met the commanders of the units engaged in the "
         "battles.", ["visited", "met"]),
        ("Rebel commanders say their fighters have encircled Homs and are battling government troops.",
         ["encircled", "battling"]),
        # a verb that is no trigger still starts its own phrase; "In a statement," is the frame
        ("Israel's military says it has sent reinforcements to the Golan Heights and helped UN peacekeepers "
         "repel an attack by gunmen.", ["sent", "repel"]),
        ("In a statement, the aid workers' employer condemned the kidnapping.", ["condemned"]),
        # "as" with a subject and a past verb opens a clause, and its event, of its own
        ("Jets pounded the rebel-held towns on Wednesday night as troops fought to hold the hill.",
         ["pounded", "fought"]),
        # the deaths a participle adds are the main event's toll
        ("Ukraine launched hundreds of drones at Moscow overnight, killing at least three people.", ["launched"]),
        # the object of a condemnation is the event it refers to, the condemnation is the news
        ("The aid workers' employer condemned the kidnapping on Friday.", ["condemned"]),
        # a denial is news even as the frame of reported speech
        ("A spokesman denied that the town had fallen and said his men were still fighting.", ["denied", "fighting"]),
        # a declaration is news with what it declares; a plain "said" is only the frame
        ("Prime Minister Benjamin Netanyahu declared on Sunday that the disengagement accord had collapsed after "
         "Syrian soldiers abandoned their posts.", ["declared", "collapsed", "abandoned"]),
        ("The army said on Sunday that its troops had pulled back from Hama.", ["pulled back"]),
        # a past verb next to a day, in a clause with no trigger of its own, is an event (dated_action)
        ("The crossing, closed since 30 November, reopened to humanitarian traffic on 14 December.", ["reopened"]),
        # a noun with a modal predicate is no event; a dated saying is then the news
        ("The government's chief negotiator said on Wednesday that a ceasefire could be signed within weeks.",
         ["said"]),
        # the clause's verb heads a noun trigger in its object
        ("The Kremlin condemned the assault on Friday as an attack on Syrian sovereignty.", ["condemned"]),
    ],
)
def test_events_of_coordinated_and_framed_clauses(text: str, triggers: list[str]) -> None:
    _, _, events = process_article(Article(doc_id="c", text=text, published=date(2024, 12, 2), dct_source="given"))
    assert [e.trigger for e in events] == triggers


@pytest.mark.parametrize(
    ("text", "dct", "trigger", "day"),
    [
        # an occurrence over a period "since X" is dated, like any period, on its first day ...
        ("Since Monday, government forces have fought fierce battles with the rebels around Hama.", "2024-12-05",
         "fought", "2024-12-02"),
        # ... a state since X holds up to its report
        ("Rebels have controlled the city since Friday, residents said.", "2024-12-02", "controlled", "2024-12-02"),
        # ... so does a closure; the month "May" is no modal
        ("Commercial flights into and out of Port Sudan have been suspended since 6 May.", "2025-05-07",
         "suspended", "2025-05-06"),
        ("Since 4 May, drone attacks have struck Port Sudan on four consecutive days.", "2025-05-07",
         "drone attacks", "2025-05-04"),
        # a count of occurrences, or of displaced people, since X is a tally as of its report
        ("The monitor said on Monday that Israeli warplanes had carried out more than 310 strikes since Sunday.",
         "2024-12-10", "strikes", "2024-12-09"),
        ("The UN refugee agency said on Monday that more than 400,000 people had been displaced since the start "
         "of the year.", "2025-01-28", "displaced", "2025-01-27"),
        # a relative clause that tells when the event noun began dates it, even after "after" or "as"
        ("Fighters said Saturday that they had taken Daraa after clashes with government troops that began on "
         "Friday.", "2024-12-07", "clashes", "2024-12-06"),
        # a time told in another coordinated verb phrase dates that phrase first
        ("Assad's forces recaptured eastern Aleppo in December 2016 and overran eastern Ghouta in April 2018.",
         "2024-12-09", "overran", "2018-04-01"),
        # a report is never after publication: the future time of a relative clause is not the report's
        ("Unexploded shells have killed at least four people since the offensive began, according to the White "
         "Helmets, whose teams will begin surveying farmland on Thursday.", "2024-12-10", "killed", "2024-12-10"),
    ],
)
def test_periods_and_relative_clauses_date_their_events(text: str, dct: str, trigger: str, day: str) -> None:
    article = Article(doc_id="p", text=text, published=date.fromisoformat(dct), dct_source="given")
    _, _, events = process_article(article)
    rows = [e for e in events if e.trigger == trigger]
    assert rows, [(e.trigger, e.date) for e in events]
    assert rows[0].date == datetime.fromisoformat(day), [(e.trigger, e.date, e.notes) for e in events]


def test_a_month_named_may_is_not_a_modal() -> None:
    text = "On 5 May, drones hit the main fuel depot at the port. In May rebels may attack the town."
    _, _, events = process_article(Article(doc_id="m", text=text, published=date(2025, 5, 7), dct_source="given"))
    assert [(e.trigger, e.date) for e in events] == [("hit", datetime(2025, 5, 5))]


def test_the_city_is_the_place_just_named() -> None:
    text = ("Rebels entered Hama on Thursday, residents said. They freed hundreds of inmates from the city's "
            "central prison within hours. In the east, Kurdish-led forces captured Deir ez-Zor.")
    _, _, events = process_article(Article(doc_id="c", text=text, published=date(2024, 12, 6), dct_source="given"))
    places = {e.trigger: e.location for e in events}
    assert places["entered"] == "Hama" and places["freed"] == "Hama"
    assert places["captured"] == "Deir ez-Zor"


@pytest.mark.parametrize(
    ("text", "dct", "rows"),
    [
        # the day's deaths belong to the incident; the running total is a report of its own
        ("SOHR documented the deaths of 48 people on Friday, bringing the overall toll since November 27 to 372.",
         "2024-12-07", [("deaths", 48, False, "2024-12-06"), ("toll", 372, True, "2024-12-07")]),
        ("Israeli strikes killed 12 people in Baalbek on Monday, bringing the death toll since the escalation "
         "began to 560.", "2024-10-01",
         [("strikes", 12, False, "2024-09-30"), ("death toll", 560, True, "2024-10-01")]),
        # only the total is told as a toll: the toll word reports it
        ("Rescuers said that two more bodies had been pulled from the rubble, bringing the toll to five.",
         "2025-02-05", [("toll", 5, True, "2025-02-05")]),
    ],
)
def test_a_day_toll_and_the_running_total_are_two_rows(text: str, dct: str, rows: list) -> None:
    article = Article(doc_id="t", text=text, published=date.fromisoformat(dct), dct_source="given")
    _, _, events = process_article(article)
    got = [(e.trigger, e.fatalities, e.cumulative, e.date.date().isoformat()) for e in events if e.fatalities]
    assert got == rows


def test_the_city_of_a_story_about_one_city_is_that_city() -> None:
    """With no city named in the sentences before, "the city" is the city the story names most."""
    text = ("Hama has seen this before. In 1982 the army besieged Hama for 27 days. In 2011 Hama's squares "
            "filled with protesters.\n\nLast Thursday, the silence broke. Rebel fighters swept into the city "
            "after government troops abandoned their posts.")
    article = Article(doc_id="h", text=text, published=date(2024, 12, 10), dct_source="given")
    _, _, events = process_article(article)
    swept = [e for e in events if e.trigger == "swept into"]
    assert swept and swept[0].location == "Hama"


@pytest.mark.parametrize("text, trigger, event_type", [
    # one of a set of events is the subject of the violence verb: the verb is the event
    ("One of the raids hit a camp for displaced people near Kafr Lusin this morning, killing four civilians.",
     "hit", "Explosions/Remote violence"),
    # the noun renames the verb's event in an apposition
    ("On 4 May, drones struck an air base near Port Sudan airport, the first attack on the city since the war began.",
     "struck", "Explosions/Remote violence"),
    # a generic verb does not take over from its subject noun
    ("One raid destroyed part of the bridge over the Orontes on Monday.", "raid", None),
    # a whole noun keeps the event
    ("A drone strike hit a car near Marjayoun on Monday.", "drone strike", "Explosions/Remote violence"),
])
def test_clause_event_is_the_violence_verb_over_its_subject_or_apposition_noun(text, trigger, event_type) -> None:
    table = build([Article(doc_id="clause", text=text, published=date(2024, 12, 2), dct_source="given")]).events
    assert list(table["trigger"]) == [trigger]
    if event_type is not None:
        assert table["event_type"].iloc[0] == event_type


def test_a_subset_of_a_running_tally_is_no_toll_of_its_own() -> None:
    text = ("At least 327 people have been killed since the offensive began on Wednesday, including 61 civilians, "
            "the monitor said on Saturday.")
    table = build([Article(doc_id="tally", text=text, published=date(2024, 11, 30), dct_source="given")]).events
    tolls = table[table["fatalities"].notna()]
    assert list(tolls["fatalities"]) == [327] and bool(tolls["cumulative"].iloc[0])


def test_the_city_is_the_one_the_story_introduced_as_the_city_of() -> None:
    text = ("Since Monday, rebels have attacked the city of Hama from several directions. At dawn, jets struck "
            "rebel supply routes in the countryside of Idlib and Hama. During the past hours the rebels were able "
            "to break through several axes in the city and enter it.")
    table = build([Article(doc_id="city", text=text, published=date(2024, 12, 5), dct_source="given")]).events
    entered = table[table["trigger"].str.lower().isin(["enter", "break through"])]
    assert len(entered) >= 1 and set(entered["location"]) == {"Hama"}
