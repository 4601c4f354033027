"""Regenerate the README's measured figures from ``benchmarks/results/*.md``.

    python docs/make_readme.py            # rewrite the generated blocks of README.md
    python docs/make_readme.py --check    # exit 1 and name the blocks that are stale

Only the text between a pair of markers is written::

    <!-- generated: accuracy-news (docs/make_readme.py) -->
    | ... table drawn from benchmarks/results/accuracy.md ... |
    <!-- end generated -->

Everything else in the README stays hand-written. A marker pair may also sit inside a line of
prose (a figure quoted in a sentence). ``tests/test_readme_figures.py`` fails when a block differs
from what this script writes from the current results files. The results files are measurement
outputs (each names the command that wrote it); this script only reads them.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
README = ROOT / "README.md"

SCRIPT = "docs/make_readme.py"
BEGIN = re.compile(r"<!-- generated: (?P<name>[a-z0-9-]+) \(docs/make_readme\.py\) -->")
END = "<!-- end generated -->"


# --------------------------------------------------------------------------- results files


@dataclass(frozen=True)
class Table:
    """A markdown table of a results file, with the heading and paragraph just above it."""

    heading: str
    before: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def row(self, first: str, *, prefix: bool = False) -> dict[str, str]:
        """The row whose first cell is ``first`` (or starts with it), as {column: cell}."""
        for cells in self.rows:
            if cells[0] == first or (prefix and cells[0].startswith(first)):
                return dict(zip(self.header, cells))
        raise LookupError(f"no row {first!r} in the table under {self.heading!r}")

    def find(self, **where: str) -> dict[str, str]:
        """The one row whose cells equal ``where`` ({column: value})."""
        for cells in self.rows:
            row = dict(zip(self.header, cells))
            if all(row.get(k) == v for k, v in where.items()):
                return row
        raise LookupError(f"no row {where} in the table under {self.heading!r}")


def _cells(line: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in line.strip().strip("|").split("|"))


def read_tables(text: str) -> list[Table]:
    """Every markdown table of ``text``, in order, with the heading and paragraph above it."""
    tables: list[Table] = []
    heading, last_para = "", ""
    para: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("|") and i + 1 < len(lines) and re.match(r"^\|[\s:|-]+\|\s*$", lines[i + 1]):
            header = _cells(line)
            j = i + 2
            rows = []
            while j < len(lines) and lines[j].startswith("|"):
                rows.append(_cells(lines[j]))
                j += 1
            tables.append(Table(heading, "\n".join(para).strip() or last_para, header, tuple(rows)))
            para, last_para = [], ""
            i = j
            continue
        if line.startswith("#"):
            heading, para, last_para = line.lstrip("#").strip(), [], ""
        elif line.strip():
            para.append(line)
        elif para:
            last_para, para = "\n".join(para).strip(), []
        i += 1
    return tables


class Results:
    """The results files of one folder, read once each."""

    def __init__(self, folder: Path = RESULTS) -> None:
        self.folder = Path(folder)
        self._text: dict[str, str] = {}

    def text(self, name: str) -> str:
        if name not in self._text:
            self._text[name] = (self.folder / name).read_text(encoding="utf-8")
        return self._text[name]

    def tables(self, name: str) -> list[Table]:
        return read_tables(self.text(name))

    def table(self, name: str, heading: str | None = None, column: str | None = None,
              before: str | None = None) -> Table:
        """The first table of ``name`` under ``heading``, with ``column``, after a paragraph
        starting with ``before`` (each test optional)."""
        for t in self.tables(name):
            if heading is not None and t.heading != heading:
                continue
            if column is not None and column not in t.header:
                continue
            if before is not None and not t.before.startswith(before):
                continue
            return t
        raise LookupError(f"{name}: no table under {heading!r} with {column!r} after {before!r}")


# --------------------------------------------------------------------------- formatting


def _int(cell: str) -> int:
    return int(cell.replace(",", "").strip())


def _n(value: int | str) -> str:
    """1383 -> '1,383'."""
    return f"{_int(value) if isinstance(value, str) else value:,}"


def _count_share(cell: str) -> str:
    """'1035 (75% of gold)' -> '1,035 (75%)'; '939 of 1441 (65%)' -> '939 of 1,441 (65%)'."""
    m = re.fullmatch(r"([\d,]+)(?: of ([\d,]+))? \((\d+%)[^)]*\)", cell.strip())
    if not m:
        raise ValueError(f"not a count with a share: {cell!r}")
    count, total, share = m.groups()
    return f"{_n(count)} of {_n(total)} ({share})" if total else f"{_n(count)} ({share})"


def _ratio(x: float) -> str:
    """The README's ratios: 85.73 -> '86x', 10.6 -> '10.6x', 0.11 -> '0.11x'."""
    if x >= 50:
        return f"{x:.0f}x"
    if x >= 1:
        return f"{x:.1f}x"
    return f"{x:.2f}x"


def _bold(cells: list[str]) -> list[str]:
    return [f"**{c}**" if c else c for c in cells]


def _md(header: list[str], align: list[str], rows: list[list[str]]) -> str:
    def line(cells: list[str]) -> str:
        return "|" + "|".join(f" {c} " if c else " " for c in cells) + "|"

    return "\n".join([line(header), "|" + "|".join(align) + "|", *map(line, rows)])


# --------------------------------------------------------------------------- blocks


def accuracy_news(r: Results) -> str:
    """The Accuracy section's table: accuracy.md, with HeidelTime's rows from heideltime.md."""
    ours = r.table("accuracy.md", heading="Scores")
    heidel = r.table("heideltime.md", heading="Scores")
    cols = ("strict F1", "relaxed F1", "type F1", "value F1")

    def scores(row: dict[str, str], typed: bool = True) -> list[str]:
        return [row[c] if typed or c != "type F1" else "" for c in cols]

    def label(corpus: str, name: str, tool: str = "timeline", extra: str = "", inner: str = "") -> str:
        row = ours.find(corpus=corpus, tool=tool)
        return f"{name} ({_n(row['docs'])}, {_n(row['gold'])}{inner}){extra}"

    rows: list[list[str]] = []
    tb = "timebank+aquaint"
    rows.append([label(tb, "TimeBank + AQUAINT"), "**timeline**",
                 *_bold(scores(ours.find(corpus=tb, tool="timeline")))])
    rows.append(["", "HeidelTime 2.2.1 + TreeTagger (measured here, same documents and DCTs)",
                 *scores(heidel.find(corpus=tb, tool="HeidelTime 2.2.1"))])
    peers = (("dateparser", "dateparser `search_dates`"), ("datefinder", "datefinder"), ("ctparse", "ctparse"))
    for tool, name in peers:
        rows.append(["", name, *scores(ours.find(corpus=tb, tool=tool))])
    for corpus, name in (("timebank", "TimeBank"), ("aquaint", "AQUAINT")):
        rows.append([label(corpus, name), "timeline", *scores(ours.find(corpus=corpus, tool="timeline"))])
    ww = "wikiwars/tml"
    row = ours.find(corpus=ww, tool="timeline (narrative)")
    rows.append([label(ww, "WikiWars 01-16", "timeline (narrative)", ", narrative mode"), "timeline",
                 row["strict F1"], row["relaxed F1"], "(all gold DATE)", row["value F1"]])
    narratives = heidel.find(corpus=ww, tool="HeidelTime 2.2.1 (NARRATIVES)")
    rows.append(["", "HeidelTime (NARRATIVES)", *scores(narratives, typed=False)])
    rows.append(["", "dateparser", *scores(ours.find(corpus=ww, tool="dateparser"), typed=False)])
    tw = "tweets/testset"
    rows.append([label(tw, "tweets test"), "timeline", *scores(ours.find(corpus=tw, tool="timeline"))])
    rows.append(["", "HeidelTime", *scores(heidel.find(corpus=tw, tool="HeidelTime 2.2.1"))])
    rows.append(["", "dateparser", *scores(ours.find(corpus=tw, tool="dateparser"))])
    mt = "meantime-en"
    rows.append([label(mt, "MEANTIME English", inner="; only article openings annotated: compare recall"),
                 f"timeline: relaxed recall {ours.find(corpus=mt, tool='timeline')['relaxed R']}", "", "", "", ""])
    dateparser_recall = ours.find(corpus=mt, tool="dateparser")["relaxed R"]
    rows.append(["", f"dateparser: relaxed recall {dateparser_recall}", "", "", "", ""])
    return _md(["corpus (docs, gold timexes)", "tool", *cols], ["---", "---", "--:", "--:", "--:", "--:"], rows)


ANCHORING_CORPORA = (("TimeBank + AQUAINT", "TimeBank + AQUAINT"), ("MEANTIME English", "MEANTIME English"),
                     ("SemEval-2015 TimeLine trial", "SemEval-2015 TimeLine trial"))


def _anchoring_rows(r: Results, heading: str) -> dict[str, dict[str, str]]:
    t = r.table("anchoring.md", heading=heading, column="system")
    rows = {}
    for key in ("(a)", "(b)", "(c)", "(d)"):
        try:
            rows[key] = t.row(key, prefix=True)
        except LookupError:
            pass
    return rows


def anchoring_baselines(r: Results) -> str:
    """Event anchoring next to its two baselines, per corpus (anchoring.md)."""
    rows = []
    for heading, name in ANCHORING_CORPORA:
        s = _anchoring_rows(r, heading)
        rows.append([f"{name} ({_n(s['(a)']['events'])})", s["(b)"]["share"], s["(c)"]["share"],
                     f"**{s['(a)']['share']}**", s["(d)"]["share"] if "(d)" in s else ""])
    return _md(["corpus (events with a gold time)", "publication day", "nearest time in the sentence",
                "**timeline.anchor_events**", "anchor_events given the gold TIMEX3"],
               ["---", "--:", "--:", "--:", "--:"], rows)


def _anchoring_targets(r: Results) -> list[tuple[str, bool]]:
    """Issue #8's target per corpus and whether it is met (anchoring.md's 'Better baseline' lines)."""
    found = []
    for heading, _ in ANCHORING_CORPORA:
        section = r.text("anchoring.md").split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
        m = re.search(r"is at least (\d\.\d+); \(a\) is at (\d\.\d+)(?: with \d+ errors against \d+)? "
                      r"\((not met|met)\)", section)
        if not m:
            raise LookupError(f"anchoring.md: no 'Better baseline' line under {heading!r}")
        found.append((m.group(1), m.group(3) == "met"))
    return found


def anchoring_target(r: Results) -> str:
    """The target values, in the order of the table."""
    return ", ".join(value for value, _ in _anchoring_targets(r))


def anchoring_met(r: Results) -> str:
    met = [ok for _, ok in _anchoring_targets(r)]
    return "**met**" if all(met) else "**not met**" if not any(met) else f"met on {sum(met)} of {len(met)} corpora"


def anchoring_gold_timex(r: Results) -> str:
    """anchor_events given the gold TIMEX3, on the corpora that have them."""
    shares = [_anchoring_rows(r, h).get("(d)") for h, _ in ANCHORING_CORPORA]
    return " / ".join(s["share"] for s in shares if s)


def events_devset(r: Results) -> str:
    """The dev set's attachment and end-to-end figures (events.md)."""
    text = r.text("events.md")
    gold = re.search(r"(\d[\d,]*) gold events", text)
    if not gold:
        raise LookupError("events.md: no 'N gold events' line")
    total = _int(gold.group(1))
    att = r.table("events.md", column="publication day").row("all")
    e2e = r.table("events.md", column="found")
    e2e_row = dict(zip(e2e.header, e2e.rows[0]))
    rows = [
        ["publication day (baseline)", _count_share(att["publication day"]), "", "", "", ""],
        ["nearest time in the sentence (baseline)", _count_share(att["nearest expression"]), "", "", "", ""],
        _bold(["timeline", _count_share(att["timeline.anchor_events"]), _count_share(e2e_row["found"]),
               _count_share(e2e_row["on the right day"]), _count_share(e2e_row["rows right (of system rows)"]),
               e2e_row["toll errors"]]),
    ]
    return _md([f"dev set ({_n(total)} gold events)", "right day (attachment)", "found", "right day (end to end)",
                "rows right", "toll errors"], ["---", "--:", "--:", "--:", "--:", "--:"], rows)


def events_identity(r: Results) -> str:
    """The dev set's event identity line (events.md)."""
    m = re.search(r"\*\*Event identity\*\*: (\d[\d,]*) of (\d[\d,]*) pairs of gold events that are one incident "
                  r"told by two documents \([^)]*\) are in one cluster; (\d[\d,]*) pairs of different gold events",
                  r.text("events.md"))
    if not m:
        raise LookupError("events.md: no 'Event identity' line")
    same, pairs, merged = m.groups()
    return (f"{_n(same)} of {_n(pairs)} pairs of gold events that are one incident told by two documents share a "
            f"cluster; {_n(merged)} pairs of different events do")


@dataclass(frozen=True)
class _Measurement:
    attachment: dict[str, str]  # publication day, nearest expression, anchor_events -> 'n (p%)'
    e2e: dict[str, str]  # found, right day, rows right, toll errors


def _holdout_measurements(r: Results) -> dict[str, _Measurement]:
    """data/holdout's measurements by their word ('first', 'second', ..., and 'last')."""
    text = r.text("events-holdout.md").split("\n# Second held-out set", 1)[0]
    parts = re.split(r"(?m)^(?=\w+ measurement\b)|(?<=\. )(?=First measurement\b)", text)
    found: dict[str, _Measurement] = {}
    for part in parts:
        m = re.match(r"(\w+) measurement\b", part)
        if not m:
            continue
        tables = read_tables(part)
        e2e_t = next(t for t in tables if "found" in t.header)
        e2e = dict(zip(e2e_t.header, e2e_t.rows[0]))
        by_class = [t for t in tables if "publication day" in t.header]
        if by_class:
            row = by_class[0].row("all")
            att = {"publication day": row["publication day"], "nearest expression": row["nearest expression"],
                   "anchor_events": row["timeline.anchor_events"]}
        else:
            a = re.search(r"Attachment in the same run: publication day (\d+ \(\d+%\)), nearest expression "
                          r"(\d+ \(\d+%\)), `timeline\.anchor_events` (\d+ \(\d+%\))", part)
            att = dict(zip(("publication day", "nearest expression", "anchor_events"), a.groups())) if a else {}
        found[m.group(1).lower()] = _Measurement(att, {
            "found": e2e["found"], "right day": e2e["on the right day"],
            "rows right": e2e["rows right (of system rows)"], "toll errors": e2e["toll errors"]})
    found["last"] = found[list(found)[-1]]
    return found


def _holdout_b_measurements(r: Results) -> dict[str, _Measurement]:
    """data/holdout-b's measurements by the start of their label, and 'last'."""
    t = r.table("events-holdout.md", heading="Second held-out set (data/holdout-b/)", column="measurement")
    found: dict[str, _Measurement] = {}
    for cells in t.rows:
        row = dict(zip(t.header, cells))
        found[row["measurement"]] = _Measurement(
            {"publication day": row["publication day (attachment)"],
             "nearest expression": row["nearest expression (attachment)"],
             "anchor_events": row["anchor_events (attachment)"]},
            {"found": row["found"], "right day": row["right day (end to end)"], "rows right": row["rows right"],
             "toll errors": row["toll errors"]})
    found["last"] = found[t.rows[-1][0]]
    return found


def _pick(measurements: dict[str, _Measurement], start: str) -> _Measurement:
    for label, m in measurements.items():
        if label == start or label.startswith(start + " ") or label.startswith(start + ","):
            return m
    raise LookupError(f"events-holdout.md: no measurement {start!r}")


#: The held-out table's rows: (set, which measurement, label in the README). Which earlier
#: measurements to show is an editorial choice, made here; every figure comes from the file.
HOLDOUT_ROWS = (
    ("holdout", "first", "first measurement"),
    ("holdout", "ninth", "at the start of this round (ninth)"),
    ("holdout", "last", "now (tenth)"),
    ("holdout-b", "first", "first measurement"),
    ("holdout-b", "a fifth session", "at the start of this round"),
    ("holdout-b", "last", "now"),
)


def events_holdout(r: Results) -> str:
    """Both held-out sets: the baselines of the latest run, then the chosen measurements."""
    sets = {"holdout": _holdout_measurements(r), "holdout-b": _holdout_b_measurements(r)}
    rows = []
    for name, measurements in sets.items():
        last = measurements["last"]
        rows.append([f"`{name}`: publication day (baseline)", _count_share(last.attachment["publication day"]),
                     "", "", "", ""])
        rows.append([f"`{name}`: nearest time in the sentence (baseline, now)",
                     _count_share(last.attachment["nearest expression"]), "", "", "", ""])
        for set_name, which, label in HOLDOUT_ROWS:
            if set_name != name:
                continue
            m = _pick(measurements, which)
            cells = [f"`{name}`: {label}",
                     _count_share(m.attachment["anchor_events"]) if m.attachment else "",
                     _count_share(m.e2e["found"]), _count_share(m.e2e["right day"]),
                     _count_share(m.e2e["rows right"]), m.e2e["toll errors"]]
            rows.append(_bold(cells) if which == "last" else cells)
    return _md(["held-out", "right day (attachment)", "found", "right day (end to end)", "rows right", "toll errors"],
               ["---", "--:", "--:", "--:", "--:", "--:"], rows)


def holdout_attachment(r: Results) -> str:
    """Attachment on both held-out sets now, next to the nearest-time baseline."""
    now = [_holdout_measurements(r)["last"], _holdout_b_measurements(r)["last"]]

    def share(m: _Measurement, key: str) -> str:
        return _count_share(m.attachment[key]).split("(")[1].rstrip(")")

    return (f"{share(now[0], 'anchor_events')} and {share(now[1], 'anchor_events')} against "
            f"{share(now[0], 'nearest expression')} and {share(now[1], 'nearest expression')} for the nearest time")


def speed(r: Results) -> str:
    """timeline.tag's throughput next to its peers' (speed.md)."""
    thr = r.table("speed.md", heading="Throughput and memory")
    ratios = r.table("speed.md", heading="Ratios")
    peers_line = r.text("speed.md").split("- peers:", 1)[1].split("\n", 1)[0]
    versions = dict(re.findall(r"(\w[\w-]*) (\d+\.\d+)\.\d+", peers_line))
    full = next(dict(zip(thr.header, c)) for c in thr.rows if c[0] == "timeline" and c[1].startswith("full"))
    sub = next(dict(zip(thr.header, c)) for c in thr.rows if c[0] == "timeline" and c[1].startswith("subset"))
    mb = round(_int(full["chars"]) / 1e6)

    def peer(tool: str) -> tuple[str, str, str]:
        row = thr.find(tool=tool)
        ratio = float(ratios.find(peer=tool)["ratio timeline/peer (same subset)"].rstrip("x"))
        return row["chars/s (CPU)"], _ratio(ratio), row["expressions"]

    dp, df, dl, cp = peer("dateparser"), peer("datefinder"), peer("datefinder-legacy"), peer("ctparse")
    share = _int(df[2]) / _int(sub["expressions"])
    rows = [
        [f"**timeline.tag** (full {mb} MB)", f"**{full['chars/s (CPU)']}**", "", full["expressions"]],
        ["timeline.tag (subset)", sub["chars/s (CPU)"], "1.0x", sub["expressions"]],
        ["dateparser `search_dates`", dp[0], f"**{dp[1]}**", dp[2]],
        [f"datefinder {versions.get('datefinder', '')} (default \"v2\" engine)".replace("  ", " "), df[0],
         f"{df[1]} (it finds {share:.0%} as many expressions)", df[2]],
        ["datefinder, legacy engine", *dl],
        ["ctparse (per sentence)", *cp],
    ]
    return _md(["tool", "chars/s", "timeline / tool (same text)", "expressions"], ["---", "--:", "--:", "--:"], rows)


def _speed_target(r: Results, what: str) -> re.Match[str]:
    pattern = {"ratio": r"10x dateparser search_dates throughput \(same docs\): \*\*(PASS|FAIL)\*\* \(([\d.]+)x\)",
               "mbs": r"1 MB/s per core .*: \*\*(PASS|FAIL)\*\* \(([\d.]+) MB/s"}[what]
    m = re.search(pattern, r.text("speed.md"))
    if not m:
        raise LookupError(f"speed.md: no 'Targets' line for {what}")
    return m


def speed_ratio(r: Results) -> str:
    """timeline over dateparser on the same subset (speed.md's target line)."""
    return f"{float(_speed_target(r, 'ratio').group(2)):.1f}x"


def speed_mbs(r: Results) -> str:
    """timeline.tag's MB/s per core on the full input (speed.md's target line)."""
    return f"{float(_speed_target(r, 'mbs').group(2)):.2f} MB/s"


def speed_input(r: Results) -> str:
    """What speed.md tagged: the full input and the peers' subset."""
    thr = r.table("speed.md", heading="Throughput and memory")
    full = next(c for c in thr.rows if c[0] == "timeline" and c[1].startswith("full"))
    sub = next(c for c in thr.rows if c[0] == "timeline" and c[1].startswith("subset"))
    corpora = re.search(r"plain texts of ([\w, -]+?) \(`read_corpus`", r.text("speed.md"))
    names = {"timebank": "TimeBank", "aquaint": "AQUAINT", "meantime-en": "MEANTIME"}
    listed = [names.get(c.strip(), c.strip()) for c in corpora.group(1).split(",")] if corpora else []
    said = (", ".join(listed[:-1]) + " and " + listed[-1]) if len(listed) > 1 else "".join(listed)
    return (f"{full[3]} characters of {said} text for `timeline.tag`; the peers on its first {sub[3]} characters")


def pubdate(r: Results) -> str:
    """The HTML publication-date cascade next to htmldate's defaults (pubdate.md)."""
    t = r.table("pubdate.md", column="silent wrong")
    ours, theirs = t.find(system="timeline"), t.find(system="htmldate.find_date (defaults)")

    def n(cell: str) -> int:
        return int(cell.split("/", 1)[0])

    share = ours["right"].split("(", 1)[1].rstrip(")")
    wrong, silent = n(ours["wrong"]), n(ours["silent wrong"])
    flagged = ("none wrong" if wrong == 0 else
               f"{wrong} wrong and {'both' if wrong == 2 else 'all'} flagged, none wrong with status ok" if silent == 0
               else f"{wrong} wrong, {silent} of them with status ok")
    h_wrong, h_silent = n(theirs["wrong"]), n(theirs["silent wrong"])
    h_share = theirs["right"].split("(", 1)[1].rstrip(")")
    return (f"{n(ours['right'])} right ({share}), {flagged}; `htmldate.find_date` with its defaults on the same "
            f"pages, same run: {n(theirs['right'])} right ({h_share}), {h_wrong} wrong"
            + (", all silently" if h_silent == h_wrong else f", {h_silent} silently"))


def charts(r: Results) -> str:
    """Both charts drawn and saved, at the smallest and largest event counts (charts.md)."""
    t = r.table("charts.md", column="CPU s per 1k events", before="Both charts")
    lo, hi = dict(zip(t.header, t.rows[0])), dict(zip(t.header, t.rows[-1]))
    return (f"{float(lo['total CPU s']):.1f} CPU s at {lo['events']} events and "
            f"{float(hi['total CPU s']):.1f} s at {hi['events']}")


def pubdate_pages(r: Results) -> str:
    """How many pages the publication-date benchmark reads (pubdate.md)."""
    pages = int(r.table("pubdate.md", column="silent wrong").find(system="timeline")["right"].split("/")[1].split()[0])
    return f"{pages} pages of `data/pages/`"


def pubdate_shapes(r: Results) -> str:
    """How many page shapes the publication-date benchmark has (pubdate.md's 'By shape' table)."""
    return f"{len(r.table('pubdate.md', heading='By shape').rows)} shapes"


def exports(r: Results) -> str:
    """Both exports' cost per event at the largest size measured (exports.md, first table)."""
    t = r.tables("exports.md")[0]
    per_1k = [float(c) for h, c in zip(t.header, t.rows[-1]) if h == "per 1k events"]
    per_event_ms = sum(per_1k)  # CPU s per 1,000 events = ms per event
    return f"about {per_event_ms:.1f} ms per event"


def scale(r: Results) -> str:
    """The extrapolation to a million articles, from scale.md's largest build (and the growth of the
    main process's peak from its smallest build with the same jobs)."""
    t = r.table("scale.md", column="KB/s per core (CPU)")
    rows = [dict(zip(t.header, cells)) for cells in t.rows]
    row = rows[-1]
    chars, docs, cpu = _int(row["chars"]), _int(row["docs"]), float(row["CPU s (all processes)"])
    per_core = chars / cpu  # chars per CPU second
    events = _int(row["events"])
    events_per_mb = events / (chars / 1e6)
    total_chars = 1_000_000 * 4_000
    core_s = total_chars / per_core
    rows_m = total_chars / 1e6 * events_per_mb / 1e6
    small = min((x for x in rows if x["jobs"] == row["jobs"]), key=lambda x: _int(x["events"]))
    peak, small_peak = float(row["peak RSS MiB"]), float(small["peak RSS MiB"])
    per_100k = (peak - small_peak) / max(events - _int(small["events"]), 1) * 1e5  # MiB per 100,000 events
    at_size = peak + per_100k * (rows_m * 1e6 - events) / 1e5
    return (f"**What a million articles would cost**, extrapolated from `benchmarks/results/scale.md` "
            f"({row['input MB']} MB, {_n(docs)} documents, jobs {row['jobs']}: {cpu:.0f} CPU s in all processes, "
            f"i.e. about {per_core / 1e3:.0f} KB/s per core, {cpu / docs * 1e3:.0f} ms per average "
            f"{chars / docs / 1e3:.1f} KB document, start-up of each process included): 1,000,000 news articles "
            f"of about 4 KB each are 4 GB of text, about {round(core_s, -2):,.0f} core-seconds, "
            f"**about {core_s / 3600:.1f} core-hours**: roughly {core_s / 16 / 60:.0f} minutes on 16 workers or "
            f"{core_s / 64 / 60:.0f} minutes on 64, plus scheduling overhead. The events table grows with the "
            f"output (about {round(events_per_mb, -2):,.0f} events per MB of news, so about {rows_m:.0f} million "
            f"rows for 4 GB). The main process never holds that table whole, but its peak still grows with it "
            f"(the key columns it sorts and clusters, the columns the charts and exports read): "
            f"{peak:.0f} MiB at {row['input MB']} MB ({_n(events)} events) against {small_peak:.0f} MiB at "
            f"{small['input MB']} MB, about {per_100k:.0f} MiB more per 100,000 events, so roughly "
            f"{at_size / 1024:.0f} GiB at {rows_m:.0f} million rows if it stays linear: at that size, build per "
            f"shard (a folder or JSONL file per run) and concatenate the Parquet datasets.")


@dataclass(frozen=True)
class Block:
    """One generated block: its name in the markers, the results files it reads, how to draw it."""

    name: str
    sources: tuple[str, ...]
    render: Callable[[Results], str]
    inline: bool = False  # inside a line of prose (no line breaks around the content)
    wrap: bool = False  # a paragraph of prose, wrapped at the README's width


BLOCKS: dict[str, Block] = {b.name: b for b in (
    Block("accuracy-news", ("accuracy.md", "heideltime.md"), accuracy_news),
    Block("anchoring-baselines", ("anchoring.md",), anchoring_baselines),
    Block("anchoring-target", ("anchoring.md",), anchoring_target, inline=True),
    Block("anchoring-met", ("anchoring.md",), anchoring_met, inline=True),
    Block("anchoring-gold-timex", ("anchoring.md",), anchoring_gold_timex, inline=True),
    Block("events-identity", ("events.md",), events_identity, inline=True),
    Block("holdout-attachment", ("events-holdout.md",), holdout_attachment, inline=True),
    Block("speed-input", ("speed.md",), speed_input, inline=True),
    Block("speed-ratio", ("speed.md",), speed_ratio, inline=True),
    Block("speed-mbs", ("speed.md",), speed_mbs, inline=True),
    Block("events-devset", ("events.md",), events_devset),
    Block("events-holdout", ("events-holdout.md",), events_holdout),
    Block("speed", ("speed.md",), speed),
    Block("pubdate-pages", ("pubdate.md",), pubdate_pages, inline=True),
    Block("pubdate-shapes", ("pubdate.md",), pubdate_shapes, inline=True),
    Block("pubdate", ("pubdate.md",), pubdate, inline=True),
    Block("charts", ("charts.md",), charts, inline=True),
    Block("exports", ("exports.md",), exports, inline=True),
    Block("scale", ("scale.md",), scale, wrap=True),
)}


# --------------------------------------------------------------------------- the README


_PAIR = re.compile(BEGIN.pattern + r"(?P<body>.*?)" + re.escape(END), re.S)


def blocks(readme: str) -> dict[str, str]:
    """The body of each generated block in ``readme`` (as written, markers left out)."""
    found: dict[str, str] = {}
    for m in _PAIR.finditer(readme):
        if m.group("name") in found:
            raise ValueError(f"README.md: block {m.group('name')!r} appears twice")
        found[m.group("name")] = m.group("body")
    opened = len(BEGIN.findall(readme))
    if opened != len(found) or readme.count(END) != len(found):
        raise ValueError("README.md: unmatched generated-block markers")
    return found


def body(block: Block, results: Results) -> str:
    """What the block's markers enclose: the content, on its own lines unless inline."""
    content = block.render(results)
    if block.wrap:
        content = _fill(content)
    return content if block.inline else f"\n\n{content}\n\n"


#: A line that would start a list, heading, quote or HTML block inside a paragraph.
_BLOCK_START = re.compile(r"^(?:[-+*>#]|\d+[.)]\s|<)")


def _fill(text: str, width: int = 100) -> str:
    """``text`` wrapped at ``width`` without a line that markdown would read as a new block."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width and not _BLOCK_START.match(word):
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def regenerate(readme: str, results: Results | None = None) -> str:
    """``readme`` with every generated block redrawn from ``results`` (the rest untouched)."""
    results = results or Results()

    def redraw(m: re.Match[str]) -> str:
        name = m.group("name")
        if name not in BLOCKS:
            raise ValueError(f"README.md: unknown generated block {name!r} (known: {', '.join(BLOCKS)})")
        return m.group(0)[: m.start("body") - m.start(0)] + body(BLOCKS[name], results) + END

    blocks(readme)  # validates the markers
    return _PAIR.sub(redraw, readme)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="only say which blocks are stale; exit 1 if any")
    parser.add_argument("--readme", type=Path, default=README)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    old = args.readme.read_text(encoding="utf-8")
    new = regenerate(old, Results(args.results))
    stale = [name for name, text in blocks(new).items() if blocks(old)[name] != text]
    if args.check:
        for name in stale:
            print(f"stale: {name}", file=sys.stderr)
        return 1 if stale else 0
    if stale:
        # Re-read just before writing: others may edit the hand-written parts meanwhile.
        if args.readme.read_text(encoding="utf-8") != old:
            print("README.md changed while regenerating; run again", file=sys.stderr)
            return 1
        args.readme.write_text(new, encoding="utf-8")
    for name in stale:
        print(f"rewrote {name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
