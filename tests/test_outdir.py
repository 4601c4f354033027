"""Outputs are published all at once, with a manifest, by one build at a time (issue 11)."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from timeline.cli import main
from timeline.outdir import LOCK_NAME, MANIFEST_NAME, OutputFolder, OutputLocked

DATA = Path(__file__).resolve().parents[1] / "data"
SEED = DATA / "000_43342442af48aa1c.txt"


def test_a_build_publishes_every_file_and_a_manifest_last(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", str(SEED), "--out", str(out), "--quiet", "--timeml"]) == 0
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert {"events.csv", "documents.csv", "acled.csv", "timelinejs.json", "timeml", "events.parquet",
            "documents.parquet"} <= set(manifest["files"])
    assert manifest["counts"]["documents"] == 1 and manifest["counts"]["events"] > 0
    assert manifest["inputs"] == [str(SEED)] and manifest["options"]["timeml"] is True
    # nothing is left behind: no staging folder, no lock
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_the_manifest_times_each_phase(tmp_path: Path) -> None:
    # issue 9: the share of exports and charts in a build is read from here (benchmarks/bench_scale.py)
    out = tmp_path / "out"
    assert main(["build", str(SEED), "--out", str(out), "--quiet"]) == 0
    timings = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["timings"]
    assert set(timings) == {"processing", "tables", "charts", "exports", "timeml"}
    for phase in timings.values():
        assert phase["wall_s"] >= 0 and phase["cpu_s"] >= 0
    assert timings["processing"]["cpu_s"] > 0 and timings["charts"]["cpu_s"] > 0  # work was done and timed
    assert main(["build", str(SEED), "--out", str(tmp_path / "bare"), "--quiet", "--no-charts"]) == 0
    assert "charts" not in json.loads((tmp_path / "bare" / MANIFEST_NAME).read_text(encoding="utf-8"))["timings"]


def test_an_interrupted_build_leaves_the_previous_outputs_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", str(SEED), "--out", str(out), "--quiet", "--no-charts"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    with pytest.raises(KeyboardInterrupt), OutputFolder(out) as folder:
        (folder.staging / "events.csv").write_text("half,written\n", encoding="utf-8")
        raise KeyboardInterrupt
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert not (out / LOCK_NAME).exists()


def test_old_timeml_files_do_not_survive_a_new_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "timeml").mkdir(parents=True)
    (out / "timeml" / "left-over.tml").write_text("<TimeML/>", encoding="utf-8")
    assert main(["build", str(SEED), "--out", str(out), "--quiet", "--no-charts", "--timeml"]) == 0
    assert sorted(p.name for p in (out / "timeml").iterdir()) == ["000_43342442af48aa1c.tml", "index.csv"]


def test_a_second_build_into_a_busy_folder_is_refused(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    with OutputFolder(out):
        with pytest.raises(OutputLocked), OutputFolder(out):
            pass
        assert main(["build", str(SEED), "--out", str(out), "--quiet", "--no-charts"]) == 1
        assert "another timeline build is writing" in capsys.readouterr().err


def test_the_lock_is_taken_before_any_document_is_read(tmp_path: Path, monkeypatch, capsys) -> None:
    import timeline.pipeline as pipeline

    def must_not_run(*args, **kwargs):
        raise AssertionError("the build ran although the folder is locked")

    monkeypatch.setattr(pipeline, "build_dataset", must_not_run)
    out = tmp_path / "out"
    with OutputFolder(out):
        assert main(["build", str(SEED), "--out", str(out), "--quiet", "--no-charts"]) == 1
    assert "another timeline build is writing" in capsys.readouterr().err


def test_spooled_blocks_stay_out_of_the_published_folder(tmp_path: Path, monkeypatch) -> None:
    import timeline.pipeline as pipeline

    seen = {}
    real_build = pipeline.build_dataset

    def spying_build(*args, **kwargs):
        seen["spool"] = kwargs["scratch"] / "events"
        result = real_build(*args, **kwargs)
        seen["parts"] = sorted(p.name for p in seen["spool"].iterdir())
        return result

    monkeypatch.setattr(pipeline, "build_dataset", spying_build)
    out = tmp_path / "out"
    assert main(["build", str(SEED), str(DATA / "escalation"), "--out", str(out), "--quiet", "--no-charts"]) == 0
    assert seen["spool"].is_relative_to(out) and seen["parts"][0] == "part-00000.parquet"
    assert not seen["spool"].exists()  # removed with the staging folder
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert not [name for name in manifest["files"] if name.startswith(".")]
    assert sorted(p.name for p in (out / "events.parquet").iterdir()) == ["part-00000.parquet"]


def test_a_usage_error_creates_no_output_folder(tmp_path: Path, capsys) -> None:
    out = tmp_path / "never"
    assert main(["build", str(SEED), "--out", str(out), "--dct", "2024-13-45"]) == 2
    assert not out.exists() and "2024-13-45" in capsys.readouterr().err


def test_a_lock_left_by_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    pid = os.getpid()
    while True:  # a pid that runs no process
        pid += 1
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        except PermissionError:
            continue
    (out / LOCK_NAME).write_text(json.dumps({"pid": pid, "host": socket.gethostname(), "since": 0}),
                                 encoding="utf-8")
    assert main(["build", str(SEED), "--out", str(out), "--quiet", "--no-charts"]) == 0
    assert (out / MANIFEST_NAME).exists() and not (out / LOCK_NAME).exists()


def test_timeml_file_names_are_safe_unique_and_mapped(tmp_path: Path) -> None:
    from timeline.model import Article
    from timeline.pipeline import build

    text = "Rebels entered Aleppo on Friday."
    docs = [Article(doc_id=d, text=text, published=None) for d in ("a/b", "a_b", ".hidden", "x" * 300)]
    docs.append(Article(doc_id="ctrl", text=text + " " * 9000 + "\x01 Talks resumed on Monday.", published=None))
    result = build(docs, dct="2024-12-02")
    paths = result.to_timeml(tmp_path / "tml")
    names = [p.name for p in paths]
    assert len({n.lower() for n in names}) == 5
    assert all(not n.startswith(".") and len(n) <= 104 for n in names)
    index = (tmp_path / "tml" / "index.csv").read_text(encoding="utf-8").splitlines()
    assert index[0] == "doc_id,file,characters_replaced" and len(index) == 6
    assert any(line.startswith("ctrl,ctrl.tml,1") for line in index)


@pytest.mark.parametrize("address", ["notaurl", "inproc://x", "tcp://127.0.0.1:99999"])
def test_a_bad_scheduler_address_is_one_clear_line(address: str, tmp_path: Path, capsys) -> None:
    code = main(["build", str(SEED), "--out", str(tmp_path / "o"), "--quiet", "--engine", "dask",
                 "--scheduler", address])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and "is not a Dask scheduler" in err  # a usage error


def test_a_scheduler_without_the_dask_engine_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert main(["build", str(SEED), "--out", str(tmp_path / "o"), "--scheduler", "tcp://10.0.0.5:8786"]) == 2
    assert "--scheduler needs --engine dask" in capsys.readouterr().err


def test_a_killed_worker_is_one_clear_error(monkeypatch, tmp_path: Path) -> None:
    from concurrent.futures.process import BrokenProcessPool

    import timeline.pipeline as pipeline
    from timeline.errors import TimelineError

    class Dead:
        def __init__(self, *args, **kwargs) -> None: ...
        def __enter__(self): return self
        def __exit__(self, *exc) -> None: ...
        def submit(self, *args, **kwargs):
            raise BrokenProcessPool("A process in the process pool was terminated abruptly")

    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", Dead)
    with pytest.raises(TimelineError, match="a worker process died"):
        list(pipeline._process_in_parallel(iter([pipeline.Article(doc_id="a", text="x")]), 2, pipeline._Task()))
