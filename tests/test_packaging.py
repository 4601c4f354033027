"""Packaging and repository hygiene.

Keeps environment.yml in step with pyproject.toml, checks that the rule files
ship in the wheel and load from an installed copy through importlib.resources,
that notebooks are committed without outputs, and that the seed data is intact;
and that the release files (LICENSE, CITATION.cff, CHANGELOG.md, py.typed,
``python -m timeline``, one version number) are present and agree.
"""

from __future__ import annotations

import configparser
import datetime as dt
import glob
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = REPO / "pyproject.toml"
ENVIRONMENT_YML = REPO / "environment.yml"
RULES_DIR = REPO / "timeline" / "rules"
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
SEED_ID = "000_43342442af48aa1c"

_NAME = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")


def _pyproject() -> dict:
    with PYPROJECT.open("rb") as f:
        return tomllib.load(f)


def _environment() -> dict:
    with ENVIRONMENT_YML.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def _normalise(name: str) -> str:
    """PEP 503 normalisation: lower case, runs of ``-``, ``_`` and ``.`` equal.

    Examples:
        >>> _normalise("PyYAML")
        'pyyaml'
        >>> _normalise("jupyter_server.Terminals")
        'jupyter-server-terminals'
    """
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(spec: str) -> str:
    """The bare, normalised package name of a pip or conda requirement.

    Examples:
        >>> _requirement_name("pandas>=2.0")
        'pandas'
        >>> _requirement_name("timeline[test] @ file:///x")
        'timeline'
        >>> _requirement_name("conda-forge::py_yaml 6.0.*")
        'py-yaml'
    """
    spec = spec.split("::")[-1]  # conda channel prefix
    match = _NAME.match(spec)
    assert match, f"cannot read a package name from {spec!r}"
    return _normalise(match.group(1))


def _project_requirements() -> set[str]:
    project = _pyproject()["project"]
    specs = list(project.get("dependencies", []))
    specs += project.get("optional-dependencies", {}).get("test", [])
    return {_requirement_name(s) for s in specs}


def _conda_and_pip_names() -> tuple[set[str], set[str]]:
    conda: set[str] = set()
    pip: set[str] = set()
    for entry in _environment()["dependencies"]:
        if isinstance(entry, dict):
            for spec in entry.get("pip", []):
                if not spec.lstrip().startswith("-"):  # -e ., -r file, ...
                    pip.add(_requirement_name(spec))
        else:
            conda.add(_requirement_name(str(entry)))
    return conda, pip


def _source_rule_files() -> list[str]:
    """Every rule file under timeline/rules, relative to the repo, POSIX style."""
    return sorted(p.relative_to(REPO).as_posix() for p in RULES_DIR.rglob("*.yaml"))


# --- environment.yml <-> pyproject.toml -----------------------------------


def test_environment_yml_basics():
    env = _environment()
    assert env["name"] == "timeline"
    assert "conda-forge" in env["channels"]
    conda, _ = _conda_and_pip_names()
    assert {"python", "pip"} <= conda
    pip_sections = [e["pip"] for e in env["dependencies"] if isinstance(e, dict)]
    assert pip_sections, "environment.yml has no pip: section"
    assert any(
        re.fullmatch(r"-e\s+\.\[test\]", s.strip()) for s in pip_sections[0]
    ), "the pip: section should install this package with `-e .[test]`"


def test_every_project_dependency_is_in_environment_yml():
    conda, pip = _conda_and_pip_names()
    missing = _project_requirements() - conda - pip
    assert not missing, (
        f"in pyproject.toml but not in environment.yml: {sorted(missing)}"
    )


def test_every_conda_package_is_a_project_dependency():
    conda, _ = _conda_and_pip_names()
    extra = conda - {"python", "pip"} - _project_requirements()
    assert not extra, (
        "in environment.yml but not in pyproject.toml [project.dependencies] "
        f"or the test extra: {sorted(extra)}"
    )


# --- entry point and package data -----------------------------------------


def test_console_script_is_declared():
    scripts = _pyproject()["project"].get("scripts", {})
    assert scripts.get("timeline") == "timeline.cli:main"


def test_rule_files_exist_parse_and_match_package_data():
    """Cheap, build-free twin of the wheel test below: the package-data globs
    cover every rule file in the source tree."""
    rule_files = _source_rule_files()
    assert rule_files, f"no *.yaml rule files under {RULES_DIR.relative_to(REPO)}"
    for rel in rule_files:
        with (REPO / rel).open(encoding="utf-8") as f:
            list(yaml.safe_load_all(f))  # raises on bad YAML

    patterns = (
        _pyproject()
        .get("tool", {})
        .get("setuptools", {})
        .get("package-data", {})
        .get("timeline", [])
    )
    pkg = REPO / "timeline"
    covered = {
        "timeline/" + Path(m).as_posix()
        for pattern in patterns
        for m in glob.glob(pattern, root_dir=pkg, recursive=True)
    }
    uncovered = sorted(set(rule_files) - covered)
    assert not uncovered, (
        "rule files not matched by [tool.setuptools.package-data] timeline = "
        f"{patterns}: {uncovered}"
    )


def _unmet_build_requirements() -> list[str]:
    from packaging.requirements import Requirement

    unmet = []
    for spec in _pyproject()["build-system"]["requires"]:
        req = Requirement(spec)
        try:
            have = importlib.metadata.version(req.name)
        except importlib.metadata.PackageNotFoundError:
            unmet.append(f"{spec} (not installed)")
            continue
        if not req.specifier.contains(have, prereleases=True):
            unmet.append(f"{spec} (have {have})")
    return unmet


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    assert proc.returncode == 0, (
        f"command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n"
        f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
    )
    return proc


# Build from a copy of the tree: a stale build/ in the checkout cannot mask a
# missing file, and concurrent test runs do not share build/ or *.egg-info.
_COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__",
    ".pytest_cache", ".hypothesis", ".ipynb_checkpoints", "out", "*.pyc",
)

_INSTALLED_CHECK = textwrap.dedent(
    """
    import importlib.resources, pathlib, sys
    import yaml
    import timeline

    venv = pathlib.Path(sys.argv[1]).resolve()
    assert timeline.__file__ is not None, (
        "timeline imported as a namespace package: no __init__.py in the wheel")
    where = pathlib.Path(timeline.__file__).resolve()
    assert venv in where.parents, f"timeline imported from {where}, not the venv"

    assert (importlib.resources.files("timeline") / "py.typed").is_file(), "py.typed not installed"
    rules = importlib.resources.files("timeline") / "rules" / "en"
    names = sorted(e.name for e in rules.iterdir() if e.name.endswith(".yaml"))
    assert names, f"no .yaml files in {rules}"
    for name in names:
        list(yaml.safe_load_all((rules / name).read_text(encoding="utf-8")))
    print(where, *names)
    """
)


@pytest.mark.slow
def test_wheel_ships_rule_files_and_loads_them_when_installed(tmp_path):
    rule_files = _source_rule_files()
    assert rule_files, f"no *.yaml rule files under {RULES_DIR.relative_to(REPO)}"
    unmet = _unmet_build_requirements()
    if unmet:
        pytest.skip(
            "cannot build without isolation, [build-system] requirements unmet: "
            + ", ".join(unmet)
            + " (pip install 'setuptools>=68' wheel)"
        )

    # 1. Build the wheel.
    src = tmp_path / "src"
    shutil.copytree(REPO, src, ignore=_COPY_IGNORE, symlinks=True)
    wheelhouse = tmp_path / "wheelhouse"
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "-w", str(wheelhouse), "."],
        cwd=src,
    )
    wheels = sorted(wheelhouse.glob("timeline-*.whl"))
    assert len(wheels) == 1, f"expected one timeline wheel, got {wheels}"
    wheel = wheels[0]

    # 2. It carries every rule file and the console script.
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        missing = sorted(set(rule_files) - names)
        assert not missing, f"rule files missing from {wheel.name}: {missing}"
        assert "timeline/py.typed" in names, f"timeline/py.typed missing from {wheel.name}"
        licences = [n for n in names if ".dist-info/" in n and Path(n).name == "LICENSE"]
        assert licences, f"LICENSE missing from {wheel.name}'s .dist-info"
        (ep_name,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        entry_points = configparser.ConfigParser()
        entry_points.read_string(zf.read(ep_name).decode("utf-8"))
    assert entry_points.get("console_scripts", "timeline") == "timeline.cli:main"

    # 3. Installed into a fresh venv, the rules load via importlib.resources.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)])
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    vpython = bindir / ("python.exe" if os.name == "nt" else "python")
    # When pytest itself runs in a venv, --system-site-packages only reaches
    # the base interpreter's packages. Append ours (pyyaml, pandas, ...) after
    # the new venv's own site-packages; plain directory lines in a .pth file
    # do not pull in the editable install of timeline living there.
    purelib = _run(
        [str(vpython), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    ).stdout.strip()
    import site

    ours = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (Path(purelib) / "_timeline_test_parent_site.pth").write_text(
        "\n".join(ours) + "\n", encoding="utf-8"
    )
    _run(
        [str(vpython), "-m", "pip", "install", "--no-deps", "--no-index",
         "--disable-pip-version-check", "-q", str(wheel)]
    )
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    env["MPLBACKEND"] = "Agg"
    _run([str(vpython), "-c", _INSTALLED_CHECK, str(venv)], cwd=tmp_path, env=env)


# --- notebooks ------------------------------------------------------------


@pytest.mark.parametrize(
    "notebook",
    NOTEBOOKS or [None],
    ids=[p.name for p in NOTEBOOKS] or ["no-notebooks-yet"],
)
def test_notebook_has_no_outputs(notebook):
    if notebook is None:
        return  # vacuous until the first notebook lands
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    dirty = [
        i
        for i, cell in enumerate(nb.get("cells", []))
        if cell.get("cell_type") == "code"
        and (cell.get("outputs") != [] or cell.get("execution_count") is not None)
    ]
    assert not dirty, (
        f"{notebook.name}: code cells {dirty} keep outputs or execution counts; "
        "clear them (jupyter nbconvert --clear-output --inplace, or nbstripout)"
    )


# --- seed data ------------------------------------------------------------


def test_seed_story_matches_shared_copy():
    ours = REPO / "data" / f"{SEED_ID}.txt"
    shared = REPO.parent / "shared" / "seed" / f"{SEED_ID}.txt"
    assert ours.is_file()
    if not shared.is_file():
        pytest.skip(f"{shared} not present")
    assert ours.read_bytes() == shared.read_bytes(), f"{ours} differs from {shared}"


def test_seed_story_metadata():
    meta = json.loads((REPO / "data" / f"{SEED_ID}.meta.json").read_text(encoding="utf-8"))
    assert meta["doc_id"] == SEED_ID
    assert dt.date.fromisoformat(meta["published"]) == dt.date(2024, 12, 2)
    # The page header's display date is not the publication date.
    assert meta["display_date"] != meta["published"]


# --- release files: licence, citation, changelog, typing, one version -----


def _timeline_version() -> str:
    import timeline

    return timeline.__version__


def test_version_is_single_sourced_from_the_package():
    """pyproject.toml has no version of its own: setuptools reads timeline.__version__."""
    pyproject = _pyproject()
    assert "version" not in pyproject["project"], "pyproject.toml repeats the version"
    assert "version" in pyproject["project"].get("dynamic", [])
    attr = pyproject["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "timeline.__version__"
    # setuptools reads it without importing: a plain string assignment in __init__.py.
    init = (REPO / "timeline" / "__init__.py").read_text(encoding="utf-8")
    assigned = re.findall(r'^__version__\s*=\s*"([^"]+)"\s*$', init, flags=re.M)
    assert assigned == [_timeline_version()]
    assert re.fullmatch(r"\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?(?:\.dev\d+)?", assigned[0])


def test_installed_metadata_carries_the_package_version():
    try:
        installed = importlib.metadata.version("timeline")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("timeline is not installed (pip install -e .)")
    assert installed == _timeline_version(), (
        f"installed metadata says {installed}, timeline.__version__ is {_timeline_version()}: "
        "reinstall (pip install -e .)"
    )


def test_license_is_mit_as_pyproject_says():
    project = _pyproject()["project"]
    assert project["license"] == "MIT"
    assert project.get("license-files") == ["LICENSE"]
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.splitlines()[0].strip() == "MIT License"
    assert re.search(r"^Copyright \(c\) \d{4} \S", text, flags=re.M), "no copyright line"
    for clause in (
        "Permission is hereby granted, free of charge, to any person obtaining a copy",
        "The above copyright notice and this permission notice shall be included in all",
        'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND',
    ):
        assert clause in text, f"LICENSE lacks the MIT clause {clause!r}"
    classifiers = project.get("classifiers", [])
    # PEP 639: with an SPDX expression, licence classifiers are refused by setuptools.
    assert not [c for c in classifiers if c.startswith("License ::")]


def test_citation_cff_parses_and_matches_the_package():
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert isinstance(cff, dict)
    assert cff["cff-version"] == "1.2.0"
    assert cff["message"].strip()
    assert cff["title"] == _pyproject()["project"]["name"] == "timeline"
    assert str(cff["version"]) == _timeline_version()
    assert cff["license"] == _pyproject()["project"]["license"]
    authors = cff["authors"]
    assert authors and all(a.get("name") or a.get("family-names") for a in authors)


def test_changelog_has_a_section_for_the_current_version():
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings, "CHANGELOG.md has no version sections"
    assert any(_timeline_version() in h for h in headings), (
        f"no CHANGELOG.md heading names version {_timeline_version()}: {headings}"
    )


def test_py_typed_is_shipped_as_package_data():
    import importlib.resources

    marker = importlib.resources.files("timeline") / "py.typed"
    assert marker.is_file(), "timeline/py.typed missing (PEP 561 marker)"
    patterns = _pyproject()["tool"]["setuptools"]["package-data"]["timeline"]
    assert "py.typed" in patterns


def _python_m_timeline(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    env["MPLBACKEND"] = "Agg"
    return subprocess.run([sys.executable, "-m", "timeline", *args], capture_output=True,
                          text=True, cwd=REPO, env=env, timeout=120)


def test_python_m_timeline_runs_the_cli():
    """``python -m timeline`` is the console script: same help, version and exit codes."""
    from timeline.cli import EXIT_USAGE

    helped = _python_m_timeline("--help")
    assert helped.returncode == 0, helped.stderr
    assert helped.stdout.startswith("usage: timeline "), helped.stdout[:200]
    for command in ("tag", "anchor", "build", "evaluate"):
        assert command in helped.stdout

    version = _python_m_timeline("--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"timeline {_timeline_version()}"

    bare = _python_m_timeline()  # a sub-command is required: a usage error, as main() returns
    assert bare.returncode == EXIT_USAGE
    assert "usage: timeline" in bare.stderr

    tagged = _python_m_timeline("tag", "--dct", "2024-12-02", "Two days later, talks resumed.")
    assert tagged.returncode == 0, tagged.stderr
    rows = [json.loads(line) for line in tagged.stdout.splitlines() if line.strip()]
    assert [r.get("value") for r in rows] == ["2024-12-04"]


def test_readme_ends_with_limitations_and_how_to_cite():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert "## Limitations" in headings and "## How to cite" in headings
    cite = text.split("## How to cite", 1)[1]
    assert "CITATION.cff" in cite
    limits = text.split("## Limitations", 1)[1].split("\n## ", 1)[0]
    for needed in ("English", "synthetic", "benchmarks/results/"):
        assert needed in limits, f"the Limitations section does not mention {needed!r}"
