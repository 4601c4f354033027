"""The charts at growing event counts: their cost must follow days x types, not events.

The input is the shipped escalation story (``timeline.build(["data/escalation"]).events``,
169 events over two weeks) repeated with shifted dates until each size: copy ``k`` moves
every date of the story ``k`` days later (plus or minus a day of jitter, fixed seed), with its
own event, document and cluster ids, so that 100,000 events cover about 20 months of news.
Building the events is not timed. For each size the script times, in one process and side
by side, ``plot_timeline``, ``plot_escalation`` and ``save_figure`` (PNG, 150 dpi) of each,
and reports seconds per chart, seconds per 1,000 events and the growth of the time against
the growth of the events from one size to the next (1.00 = linear, above 1 = super-linear,
below 1 = the fixed cost of a chart still dominates). It also counts the artists of each
figure: they must not grow with the events.

Usage: python benchmarks/bench_charts.py [--sizes 1000,10000,100000] [--repeat 1]
       [--output results/charts.md] [--keep DIR]   (--keep writes the PNGs there to look at)
"""

from __future__ import annotations

import argparse
import gc
import itertools
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from _common import command_line, machine_notes, write_result

HERE = Path(__file__).resolve().parent
STORY = HERE.parent / "data" / "escalation"


def synthetic_events(base: pd.DataFrame, n: int, seed: int = 0, spacing_days: float = 1.0) -> pd.DataFrame:
    """``n`` events: copies of ``base`` shifted ``spacing_days`` apart (plus or minus one day of
    jitter per row), each copy with its own event, document and cluster ids."""
    rng = np.random.default_rng(seed)
    copies = -(-n // len(base))
    parts = []
    for c in range(copies):
        part = base.copy()
        shift = pd.to_timedelta(np.round(c * spacing_days + rng.integers(-1, 2, len(part))), unit="D")
        for col in ("date", "start", "end", "published"):
            part[col] = part[col] + shift
        for col in ("event_id", "doc_id", "cluster_id"):
            part[col] = part[col] + f"~{c}"
        parts.append(part)
    return pd.concat(parts, ignore_index=True).iloc[:n].copy()


def n_artists(fig) -> int:
    """Artists drawn in the figure's axes (collections, patches, lines, texts, images)."""
    return sum(len(ax.get_children()) for ax in fig.axes) + len(fig.texts)


def time_chart(draw, events: pd.DataFrame, out: Path, repeat: int) -> tuple[float, float, float, float, int]:
    """Best of ``repeat``: (draw wall s, draw CPU s, save wall s, save CPU s, artists)."""
    from timeline.plots import save_figure

    best = None
    for _ in range(repeat):
        gc.collect()
        w0, c0 = time.perf_counter(), time.process_time()
        fig = draw(events)
        w1, c1 = time.perf_counter(), time.process_time()
        save_figure(fig, out)
        w2, c2 = time.perf_counter(), time.process_time()
        row = (w1 - w0, c1 - c0, w2 - w1, c2 - c1, n_artists(fig))
        if best is None or row[0] + row[2] < best[0] + best[2]:
            best = row
    assert best is not None
    return best


def main() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import timeline
    from timeline.plots import escalation_data, escalation_freq, plot_escalation, plot_timeline

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000", help="event counts, comma-separated")
    ap.add_argument("--repeat", type=int, default=1, help="timed passes per chart and size (best kept)")
    ap.add_argument("--output", default=str(HERE / "results" / "charts.md"))
    ap.add_argument("--keep", default=None, help="folder to keep the PNGs in (default: a temporary one)")
    args = ap.parse_args()
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    warnings.simplefilter("ignore")
    base = timeline.build([STORY]).events
    charts = {"timeline": plot_timeline, "escalation": plot_escalation}
    with tempfile.TemporaryDirectory() as tmp:
        out_dir = Path(args.keep or tmp)
        out_dir.mkdir(parents=True, exist_ok=True)
        # warm-up: imports, fonts, the first figure
        for name, draw in charts.items():
            time_chart(draw, base, out_dir / f"warmup-{name}", 1)
        rows = []
        for n in sizes:
            events = synthetic_events(base, n)
            freq = escalation_freq(events)
            window = escalation_data(events, freq).attrs.get("window")
            span = (window[1] - window[0]).days + 1 if window else 0
            for name, draw in charts.items():
                dw, dc, sw, sc, art = time_chart(draw, events, out_dir / f"{name}-{n}", args.repeat)
                rows.append({"n": n, "chart": name, "draw": dw, "draw_cpu": dc, "save": sw, "save_cpu": sc,
                             "artists": art, "span": span, "freq": freq})
                print(f"{n:>8,} events  {name:<10} draw {dc:6.2f} CPU s  save {sc:6.2f} CPU s  "
                      f"{(dc + sc) / n * 1000:7.3f} CPU s per 1k events  (wall {dw + sw:.2f} s)  {art:>4} artists",
                      flush=True)

    lines = ["# Charts at growing event counts", "",
             f"Command: `{command_line()}`", "",
             *machine_notes()[:4],
             f"- input: the shipped escalation story ({len(base)} events, `timeline.build([\"data/escalation\"])`) "
             "repeated with dates shifted one day per copy (fixed seed), new ids per copy; building them is not "
             "timed; best of "
             f"{args.repeat} pass{'es' if args.repeat != 1 else ''}; CPU seconds of this process "
             "(`time.process_time`, robust to other load on a shared machine), wall-clock seconds beside them; "
             "`save_figure` writes one PNG at 150 dpi; window: the escalation chart's main window", "",
             "| events | window days | escalation period | chart | draw CPU s | save CPU s | total CPU s "
             "| total wall s | CPU s per 1k events | time growth / event growth | artists |",
             "|--:|--:|:-:|:--|--:|--:|--:|--:|--:|--:|--:|"]
    by_chart = {name: [r for r in rows if r["chart"] == name] for name in charts}
    for n in sizes:
        for name in charts:
            r = next(r for r in by_chart[name] if r["n"] == n)
            total = r["draw_cpu"] + r["save_cpu"]
            prev = [p for p in by_chart[name] if p["n"] < n]
            growth = "–"
            if prev:
                p = prev[-1]
                growth = f"{(total / (p['draw_cpu'] + p['save_cpu'])) / (n / p['n']):.2f}"
            lines.append(f"| {n:,} | {r['span']:,} | {r['freq']} | {name} | {r['draw_cpu']:.2f} | {r['save_cpu']:.2f} "
                         f"| {total:.2f} | {r['draw'] + r['save']:.2f} | {total / n * 1000:.3f} "
                         f"| {growth} | {r['artists']} |")
    totals = {n: sum(r["draw_cpu"] + r["save_cpu"] for r in rows if r["n"] == n) for n in sizes}
    lines += ["", "Both charts, drawn and saved:", "",
              "| events | total CPU s | CPU s per 1k events | time growth / event growth |", "|--:|--:|--:|--:|"]
    for (n, t), prev in zip(totals.items(), itertools.chain([None], totals.items())):
        growth = f"{(t / prev[1]) / (n / prev[0]):.2f}" if prev else "–"
        lines.append(f"| {n:,} | {t:.2f} | {t / n * 1000:.3f} | {growth} |")
    lines += ["", "Growth below 1 means the cost grows slower than the events (the fixed cost of a figure "
              "dominates); 1 is linear; above 1 super-linear. The artists stay flat: the escalation chart "
              "draws one collection per event type, the timeline labels at most `max_labels` items and "
              "draws the rest as one dot collection and one line collection per lane."]
    write_result(Path(args.output), "\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"(written to {args.output})")


if __name__ == "__main__":
    main()
