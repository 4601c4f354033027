"""TimelineJS in a real browser: the shipped data's TimelineJS JSON, loaded by TimelineJS from npm
in headless Chromium (Debian's package), with a screenshot and every console error collected.

Steps:

1. build the shipped data (``data/000_43342442af48aa1c.txt`` and ``data/escalation``) and write
   ``to_timelinejs(tl.events, documents=tl.documents)`` to ``OUT/timeline.json``;
2. install ``@knight-lab/timelinejs`` with npm into ``--cache`` (default
   ``/tmp/timeline-browser-cache``; reused when already there), never into the repository;
3. write ``OUT/index.html``, which loads TimelineJS's ``dist`` CSS and JS from that folder and
   calls ``new TL.Timeline(el, data, options)`` with the JSON inline and its ``options``
   (``start_at_slide``), plus ``script_path`` and a system font so that the page loads nothing
   from the network (the machine has none; the default font is on Google Fonts);
4. serve OUT and the TimelineJS folder on 127.0.0.1 (a thread of this process), drive headless
   Chromium through the DevTools protocol over a pipe (``--remote-debugging-pipe``: standard
   library only, no port, no downloaded browser), collect console errors and warnings, uncaught
   exceptions and browser log errors (failed loads), and save ``OUT/timelinejs.png`` (the
   default view) and ``OUT/timelinejs-title.png`` (the title slide);
5. check: no console error, no uncaught exception, no failed load, no TimelineJS configuration
   error; as many ``.tl-slide`` elements as events + 1 (the title slide) and as many time-nav
   markers as events; every slide's headline and ``display_date`` rendered as in the JSON;
   the group rows those of the JSON; the timeline opened on slide ``options.start_at_slide``.

Writes ``benchmarks/results/browser-timelinejs.md`` (or ``--report``) and ``OUT/result.json``.
Exit status: 0 when every check passes, 1 when one fails, 0 with "skipped: ..." when Chromium or
npm (or the TimelineJS package) cannot be had, so it runs as an opt-in check
(``tests/test_browser_timelinejs.py`` with ``TIMELINE_BROWSER_TESTS=1``).

Setup on Debian: ``apt-get install -y chromium`` (npm and node are on the machine).

Usage: python benchmarks/browser_timelinejs.py [--out /tmp/timelinejs_check] [--cache DIR]
       [--chromium PATH] [--timelinejs-version 3.9.11] [--report PATH] [--timeout 60]
"""

from __future__ import annotations

import argparse
import functools
import html
import http.server
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA = REPO / "data"
INPUTS = (DATA / "000_43342442af48aa1c.txt", DATA / "escalation")
DEFAULT_OUT = Path("/tmp/timelinejs_check")
DEFAULT_CACHE = Path(os.environ.get("TIMELINE_BROWSER_CACHE", "/tmp/timeline-browser-cache"))
DEFAULT_REPORT = HERE / "results" / "browser-timelinejs.md"
PACKAGE = "@knight-lab/timelinejs"
#: Chromium flags for a closed network, as root, with no screen.
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio", "--window-size=1280,900")
VIEWPORT = (1280, 900)


@dataclass
class BrowserCheck:
    """What the browser run saw; ``failures`` empty means every check passed."""

    status: str = "skipped"  # "passed", "failed" or "skipped"
    reason: str = ""
    chromium: str = ""
    timelinejs: str = ""
    events: int = 0
    expected_slides: int = 0
    slides: int = 0
    markers: int = 0
    headlines_ok: int = 0
    dates_ok: int = 0
    groups_json: list[str] = field(default_factory=list)
    groups_rendered: list[str] = field(default_factory=list)
    start_at_slide: int = 0
    main_window_markers: int = 0
    main_window_px: int | None = None
    opened_on: str | None = None
    expected_open: str | None = None
    console_errors: list[str] = field(default_factory=list)
    console_warnings: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    log_errors: list[str] = field(default_factory=list)
    config_errors: list[str] = field(default_factory=list)
    config_warnings: list[str] = field(default_factory=list)
    messages_shown: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    screenshot: str = ""
    title_screenshot: str = ""
    page: str = ""
    seconds: float = 0.0
    extra_options: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- tools


def find_chromium(explicit: str | None = None) -> str | None:
    """The Chromium binary: ``explicit``, ``$TIMELINE_CHROMIUM``, else the first on PATH."""
    for name in (explicit, os.environ.get("TIMELINE_CHROMIUM"), "chromium", "chromium-browser",
                 "chromium-headless-shell", "google-chrome"):
        if name:
            path = shutil.which(name) or (name if Path(name).is_file() and os.access(name, os.X_OK) else None)
            if path:
                return path
    return None


def chromium_version(binary: str) -> str:
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return out.strip().splitlines()[-1] if out.strip() else "?"


def install_timelinejs(cache: Path, version: str | None) -> tuple[Path | None, str]:
    """TimelineJS's package folder in ``cache`` (npm-installed there when missing or another
    version is asked for); ``(None, why)`` when it cannot be had."""
    pkg = cache / "node_modules" / "@knight-lab" / "timelinejs"
    manifest = pkg / "package.json"
    if manifest.is_file():
        have = json.loads(manifest.read_text(encoding="utf-8")).get("version", "?")
        if version is None or have == version:
            return pkg, have
    npm = shutil.which("npm")
    if npm is None:
        return None, "npm not found"
    cache.mkdir(parents=True, exist_ok=True)
    spec = PACKAGE + (f"@{version}" if version else "")
    cmd = [npm, "install", "--prefix", str(cache), "--no-audit", "--no-fund", "--ignore-scripts",
           "--no-save", spec]
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"npm install {spec} failed: {exc}"
    if run.returncode != 0 or not manifest.is_file():
        tail = (run.stderr or run.stdout).strip().splitlines()[-3:]
        return None, f"npm install {spec} failed (exit {run.returncode}): " + " | ".join(tail)
    return pkg, json.loads(manifest.read_text(encoding="utf-8")).get("version", "?")


# --------------------------------------------------------------------------- data and page


def timelinejs_json() -> dict[str, Any]:
    import timeline
    from timeline.exports import to_timelinejs

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tl = timeline.build([str(p) for p in INPUTS])
    return to_timelinejs(tl.events, documents=tl.documents)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>timeline: TimelineJS check</title>
<link rel="stylesheet" href="/timelinejs/dist/css/timeline.css">
<style>html, body {{ margin: 0; padding: 0; height: 100%; }} #timeline-embed {{ width: 100%; height: 100%; }}</style>
<script>
// a second record of errors, in the page itself (the DevTools protocol is the main one)
window.__errors = [];
window.addEventListener("error", function (e) {{
  window.__errors.push(e.message || ("failed to load " + ((e.target && (e.target.src || e.target.href)) || "?")));
}}, true);
window.addEventListener("unhandledrejection", function (e) {{
  window.__errors.push("unhandled rejection: " + e.reason);
}});
</script>
<script src="/timelinejs/dist/js/timeline.js"></script>
</head>
<body>
<div id="timeline-embed"></div>
<script>
var data = {data};
var options = Object.assign({{}}, data.options || {{}}, {{
  script_path: new URL("/timelinejs/dist/js/", window.location.href).toString(),
  font: "georgia-helvetica"
}}, {extra});
window.tl = new TL.Timeline("timeline-embed", data, options);
</script>
</body>
</html>
"""


def write_page(out: Path, data: dict[str, Any], extra: dict[str, Any] | None = None) -> Path:
    """The page; ``extra`` TimelineJS options override the JSON's (to try one, e.g. ``initial_zoom``)."""

    def inline(value: Any) -> str:  # "</" inside a string would end the script element: escape it as JSON allows
        return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")

    page = out / "index.html"
    page.write_text(_PAGE.format(data=inline(data), extra=inline(extra or {})), encoding="utf-8")
    return page


class _Handler(http.server.SimpleHTTPRequestHandler):
    """OUT at ``/``, the TimelineJS package at ``/timelinejs/``."""

    def __init__(self, *args: Any, root: Path, package: Path, **kw: Any) -> None:
        self._package = package
        super().__init__(*args, directory=str(root), **kw)

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if clean.startswith("/timelinejs/"):
            rel = Path(clean[len("/timelinejs/"):])
            if ".." not in rel.parts:
                return str(self._package / rel)
        return super().translate_path(path)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


def serve(root: Path, package: Path) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Handler, root=root, package=package))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --------------------------------------------------------------------------- DevTools protocol over a pipe


def _high_fd(fd: int) -> int:
    """``fd`` moved to a number of 10 or more, clear of 3 and 4, which the browser's pipe uses."""
    import fcntl

    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


class DevTools:
    """A minimal Chrome DevTools protocol client over ``--remote-debugging-pipe`` (fds 3 and 4,
    messages as JSON ended by a NUL byte)."""

    def __init__(self, binary: str, profile: Path, log: Path) -> None:
        to_browser_r, self._to_browser = (_high_fd(fd) for fd in os.pipe())
        self._from_browser, from_browser_w = (_high_fd(fd) for fd in os.pipe())
        self._log = open(log, "wb")  # noqa: SIM115 - the browser's log for its lifetime; close() closes it
        # the browser reads commands on fd 3 and writes answers on fd 4 (bash: dash takes no fd above 9)
        r, w = to_browser_r, from_browser_w
        launch = [f'exec "$0" "$@" 3<&{r} 4>&{w} {r}<&- {w}>&-', binary, *CHROMIUM_FLAGS,
                  "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"]
        self.proc = subprocess.Popen(["bash", "-c", *launch], stdin=subprocess.DEVNULL, stdout=self._log,
                                     stderr=subprocess.STDOUT, pass_fds=(to_browser_r, from_browser_w))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._next = 0
        self._answers: dict[int, dict[str, Any]] = {}
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._closed = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        buf = b""
        while True:
            try:
                chunk = os.read(self._from_browser, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                break
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                if "id" in msg:
                    with self._cond:
                        self._answers[msg["id"]] = msg
                        self._cond.notify_all()
                else:
                    self.events.put(msg)
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 30.0) -> dict[str, Any]:
        with self._lock:
            self._next += 1
            ident = self._next
        msg: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._to_browser, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        with self._cond:
            while ident not in self._answers:
                left = deadline - time.monotonic()
                if self._closed or left <= 0:
                    raise RuntimeError(f"no answer from Chromium to {method}"
                                       + (" (browser exited)" if self._closed else ""))
                self._cond.wait(left)
            answer = self._answers.pop(ident)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        self._log.close()


def _remote_text(obj: dict[str, Any]) -> str:
    if "value" in obj:
        return obj["value"] if isinstance(obj["value"], str) else json.dumps(obj["value"])
    return obj.get("description") or obj.get("unserializableValue") or obj.get("type", "?")


def _exception_text(details: dict[str, Any]) -> str:
    exc = details.get("exception") or {}
    where = f"{details.get('url', '')}:{details.get('lineNumber', '?')}:{details.get('columnNumber', '?')}"
    return f"{exc.get('description') or details.get('text', 'exception')} at {where}"


#: What the page reports once TimelineJS has rendered: counts, texts and its own error records.
_PROBE = r"""(() => {
  const text = (el) => el ? el.textContent.replace(/\s+/g, " ").trim() : null;
  const slides = [...document.querySelectorAll(".tl-storyslider .tl-slide")];
  const cfg = (window.tl && window.tl.config) || null;
  const messages = [...document.querySelectorAll(".tl-message, .tl-message-full")]
      .filter((el) => el.offsetParent !== null).map(text).filter(Boolean);
  return {
    slides: slides.length,
    headlines: slides.map((s) => text(s.querySelector(".tl-headline"))),
    dates: slides.map((s) => text(s.querySelector(".tl-headline-date"))),
    markers: document.querySelectorAll(".tl-timenav .tl-timemarker").length,
    marker_left: Object.fromEntries([...document.querySelectorAll(".tl-timenav .tl-timemarker")]
        .map((m) => [m.id.replace(/-marker$/, ""), Math.round(m.getBoundingClientRect().left)])),
    groups: [...document.querySelectorAll(".tl-timenav .tl-timegroup-message")].map(text),
    current: window.tl ? String(window.tl.current_id) : null,
    config_errors: cfg && cfg.messages ? (cfg.messages.errors || []).map(String) : [],
    config_warnings: cfg && cfg.messages ? (cfg.messages.warnings || []).map(String) : [],
    messages: messages,
    page_errors: window.__errors || [],
    ready: !!(window.tl && slides.length && document.querySelectorAll(".tl-timemarker").length),
  };
})()"""


def _evaluate(dt: DevTools, session: str, expression: str, timeout: float = 30.0) -> Any:
    result = dt.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                          "awaitPromise": True}, session, timeout=timeout)
    if "exceptionDetails" in result:
        raise RuntimeError("page script failed: " + _exception_text(result["exceptionDetails"]))
    return result["result"].get("value")


def _drain(dt: DevTools, check: BrowserCheck) -> None:
    while True:
        try:
            ev = dt.events.get_nowait()
        except queue.Empty:
            return
        method, params = ev.get("method"), ev.get("params", {})
        if method == "Runtime.consoleAPICalled":
            msg = " ".join(_remote_text(a) for a in params.get("args", []))
            if params.get("type") in ("error", "assert"):
                check.console_errors.append(msg)
            elif params.get("type") == "warning":
                check.console_warnings.append(msg)
        elif method == "Runtime.exceptionThrown":
            check.exceptions.append(_exception_text(params.get("exceptionDetails", {})))
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            if entry.get("level") == "error":
                check.log_errors.append(f"{entry.get('source', '?')}: {entry.get('text', '')} {entry.get('url', '')}"
                                        .strip())


def _screenshot(dt: DevTools, session: str, path: Path) -> None:
    import base64

    shot = dt.send("Page.captureScreenshot", {"format": "png"}, session, timeout=60)
    path.write_bytes(base64.b64decode(shot["data"]))


def run_browser(binary: str, url: str, out: Path, check: BrowserCheck, timeout: float) -> dict[str, Any]:
    """Open ``url`` in headless Chromium; fills the error lists of ``check`` and returns the probe."""
    profile = Path(tempfile.mkdtemp(prefix="timeline-chromium-"))
    dt = DevTools(binary, profile, out / "chromium.log")
    try:
        product = dt.send("Browser.getVersion", timeout=60).get("product", "?")
        check.chromium = check.chromium if check.chromium not in ("", "?") else product
        target = dt.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = dt.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for method in ("Page.enable", "Runtime.enable", "Log.enable"):
            dt.send(method, session=session)
        dt.send("Emulation.setDeviceMetricsOverride", {"width": VIEWPORT[0], "height": VIEWPORT[1],
                                                       "deviceScaleFactor": 1, "mobile": False}, session)
        dt.send("Page.navigate", {"url": url}, session)
        deadline = time.monotonic() + timeout
        probe: dict[str, Any] = {}
        while time.monotonic() < deadline:
            probe = _evaluate(dt, session, _PROBE) or {}
            if probe.get("ready") or probe.get("config_errors"):
                break
            time.sleep(0.25)
        if not probe.get("ready"):
            check.failures.append(f"TimelineJS did not render within {timeout:g} s")
        time.sleep(2.0)  # the opening slide's animation and web fonts
        probe = _evaluate(dt, session, _PROBE) or probe
        _screenshot(dt, session, out / "timelinejs.png")
        _evaluate(dt, session, "window.tl && window.tl.goToStart(); true")
        time.sleep(1.5)
        _screenshot(dt, session, out / "timelinejs-title.png")
        time.sleep(0.2)
        _drain(dt, check)
        return probe
    finally:
        dt.close()
        shutil.rmtree(profile, ignore_errors=True)


# --------------------------------------------------------------------------- checks and report


def _plain(markup: str | None) -> str | None:
    """What a browser shows for TimelineJS's HTML text: tags dropped, entities decoded, spaces folded."""
    if markup is None:
        return None
    import re

    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def compare(data: dict[str, Any], probe: dict[str, Any], check: BrowserCheck) -> None:
    events = data["events"]
    check.events = len(events)
    check.expected_slides = len(events) + 1
    check.slides = int(probe.get("slides", 0))
    check.markers = int(probe.get("markers", 0))
    check.groups_rendered = [g for g in probe.get("groups", []) if g]
    check.groups_json = sorted({e["group"] for e in events if e.get("group")})
    check.config_errors = list(probe.get("config_errors", []))
    check.config_warnings = list(probe.get("config_warnings", []))
    check.messages_shown = list(probe.get("messages", []))
    check.start_at_slide = int((data.get("options") or {}).get("start_at_slide", 0))
    for err in probe.get("page_errors", []):
        if err.startswith("failed to load "):  # a resource: the browser log has it, with the status
            url = err[len("failed to load "):]
            if not any(url in seen for seen in check.log_errors):
                check.log_errors.append(f"(page) {err}")
        elif not any(err.removeprefix("unhandled rejection: ") in seen for seen in check.exceptions):
            check.exceptions.append(f"(page) {err}")
    if check.slides != check.expected_slides:
        check.failures.append(f"{check.slides} slides rendered, expected {check.expected_slides} (events + title)")
    if check.markers != check.events:
        check.failures.append(f"{check.markers} time-nav markers rendered, expected {check.events}")
    # TimelineJS sorts its slides by date (stably); ours are already in date order
    expected = [data["title"]] + events
    headlines, dates = probe.get("headlines", []), probe.get("dates", [])
    for i, slide in enumerate(expected if check.slides else []):  # nothing rendered: said above
        want = _plain(slide.get("text", {}).get("headline"))
        got = headlines[i] if i < len(headlines) else None
        if want == got:
            check.headlines_ok += 1
        else:
            check.mismatches.append(f"slide {i}: headline {got!r}, expected {want!r}")
        if i == 0:
            continue
        want_date = slide.get("display_date")
        got_date = dates[i] if i < len(dates) else None
        if want_date is None or want_date == got_date:
            check.dates_ok += 1
        else:
            check.mismatches.append(f"slide {i}: date {got_date!r}, expected {want_date!r}")
    if check.mismatches:
        check.failures.append(f"{len(check.mismatches)} slide texts differ from the JSON")
    if sorted(set(check.groups_rendered)) != check.groups_json:
        check.failures.append(f"group rows {sorted(set(check.groups_rendered))}, expected {check.groups_json}")
    start = check.start_at_slide
    check.expected_open = (str(expected[start].get("unique_id")) if 0 < start < len(expected)
                           else None)
    check.opened_on = probe.get("current")
    # how far apart the main window's markers lie in the time nav at the default zoom (a measure)
    lefts = probe.get("marker_left") or {}
    main = [lefts[str(e.get("unique_id"))] for e in events[max(start - 1, 0):] if str(e.get("unique_id")) in lefts]
    check.main_window_markers = len(main)
    check.main_window_px = (max(main) - min(main)) if main else None
    if check.expected_open is not None and check.opened_on != check.expected_open:
        check.failures.append(f"opened on slide {check.opened_on!r}, expected {check.expected_open!r} "
                              f"(start_at_slide {start})")
    for name, values in (("console error", check.console_errors), ("uncaught exception", check.exceptions),
                         ("browser log error", check.log_errors), ("TimelineJS configuration error",
                                                                   check.config_errors),
                         ("TimelineJS message shown", check.messages_shown)):
        if values:
            check.failures.append(f"{len(values)} {name}{'s' if len(values) != 1 else ''}")


def check_timelinejs(out: Path = DEFAULT_OUT, cache: Path = DEFAULT_CACHE, chromium: str | None = None,
                     version: str | None = None, timeout: float = 60.0,
                     options: dict[str, Any] | None = None) -> BrowserCheck:
    """The whole check; never raises for a missing tool (status "skipped")."""
    started = time.monotonic()
    check = BrowserCheck()
    binary = find_chromium(chromium)
    if binary is None:
        check.reason = "no chromium (apt-get install -y chromium, or pass --chromium PATH)"
        return check
    check.chromium = chromium_version(binary)
    package, tl_version = install_timelinejs(cache, version)
    if package is None:
        check.reason = f"no TimelineJS from npm: {tl_version}"
        return check
    check.timelinejs = f"{PACKAGE} {tl_version}"
    out.mkdir(parents=True, exist_ok=True)
    data = timelinejs_json()
    (out / "timeline.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    check.events, check.expected_slides = len(data["events"]), len(data["events"]) + 1
    page = write_page(out, data, options)
    check.extra_options = dict(options or {})
    check.page = str(page)
    server = serve(out, package)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/{page.name}"
        probe = run_browser(binary, url, out, check, timeout)
    except (RuntimeError, OSError) as exc:
        check.failures.append(f"browser run failed: {exc}")
        probe = {}
    finally:
        server.shutdown()
        server.server_close()
    if probe:
        compare(data, probe, check)
    for name, attr in (("timelinejs.png", "screenshot"), ("timelinejs-title.png", "title_screenshot")):
        if (out / name).is_file():
            setattr(check, attr, str(out / name))
        else:
            check.failures.append(f"no screenshot {name}")
    check.status = "failed" if check.failures else "passed"
    check.seconds = round(time.monotonic() - started, 1)
    return check


def _list(title: str, values: list[str], limit: int = 20) -> list[str]:
    if not values:
        return [f"- {title}: none"]
    lines = [f"- {title}: {len(values)}"]
    lines += [f"  - `{v[:300]}`" for v in values[:limit]]
    if len(values) > limit:
        lines.append(f"  - ... {len(values) - limit} more")
    return lines


def report(check: BrowserCheck, command: str) -> str:
    lines = ["# TimelineJS in headless Chromium", "",
             "The shipped data's TimelineJS JSON (`timeline.build(['data/000_43342442af48aa1c.txt', "
             "'data/escalation'])`, `to_timelinejs(tl.events, documents=tl.documents)`) loaded by TimelineJS "
             "from npm in Debian's Chromium, driven through the DevTools protocol "
             "(`benchmarks/browser_timelinejs.py`).", "",
             f"- command: `{command}`",
             f"- date: {datetime.now().strftime('%Y-%m-%d %H:%M')}",
             f"- result: **{check.status}**" + (f" ({check.reason})" if check.reason else ""),
             f"- Chromium: {check.chromium or '-'}",
             f"- TimelineJS: {check.timelinejs or '-'}"]
    if check.extra_options:
        lines.append(f"- TimelineJS options tried over the JSON's: `{json.dumps(check.extra_options)}`")
    if check.status != "skipped":
        lines += [
            f"- slides rendered: {check.slides} (expected {check.expected_slides}: {check.events} events + title); "
            f"time-nav markers: {check.markers}",
            f"- headlines as in the JSON: {check.headlines_ok}/{check.expected_slides}; display dates as in the "
            f"JSON: {check.dates_ok}/{check.events}",
            f"- group rows rendered: {', '.join(check.groups_rendered)}",
            f"- opened on slide {check.start_at_slide} (`start_at_slide`): unique_id {check.opened_on} "
            f"(expected {check.expected_open})",
            f"- time nav at the default zoom ({VIEWPORT[0]} px wide): the {check.main_window_markers} markers from "
            f"slide {check.start_at_slide} on start within {check.main_window_px} px of each other (a measure, "
            f"not a check)",
            *_list("console errors", check.console_errors),
            *_list("uncaught exceptions", check.exceptions),
            *_list("browser log errors (failed loads and others)", check.log_errors),
            *_list("TimelineJS configuration errors", check.config_errors),
            *_list("TimelineJS configuration warnings", check.config_warnings),
            *_list("console warnings", check.console_warnings),
            *_list("TimelineJS messages shown on the page", check.messages_shown),
            *_list("slide texts that differ from the JSON", check.mismatches),
            *_list("failed checks", check.failures),
            f"- screenshots: `{check.screenshot}` (default view), `{check.title_screenshot}` (title slide); "
            f"page `{check.page}`",
            f"- time: {check.seconds} s",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="page, JSON, screenshots, result.json")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="npm folder for TimelineJS")
    parser.add_argument("--chromium", help="Chromium binary (default: chromium on PATH)")
    parser.add_argument("--timelinejs-version", help="TimelineJS version (default: the cached one, else latest)")
    parser.add_argument("--report", type=Path, default=DEFAULT_REPORT, help="markdown report")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for TimelineJS to render")
    parser.add_argument("--option", action="append", default=[], metavar="KEY=JSON",
                        help="a TimelineJS option over the JSON's, to try one (e.g. initial_zoom=5); repeatable")
    args = parser.parse_args(argv)
    extra: dict[str, Any] = {}
    for item in args.option:
        key, _, value = item.partition("=")
        try:
            extra[key] = json.loads(value)
        except json.JSONDecodeError:
            extra[key] = value
    check = check_timelinejs(args.out, args.cache, args.chromium, args.timelinejs_version, args.timeout, extra)
    given = sys.argv[1:] if argv is None else argv
    command = " ".join(["python", os.path.relpath(__file__, REPO), *given])
    if check.status == "skipped":
        print(f"skipped: {check.reason}")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "result.json").write_text(json.dumps(asdict(check), ensure_ascii=False, indent=1) + "\n",
                                          encoding="utf-8")
    text = report(check, command)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(text, encoding="utf-8")
    print(text)
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
