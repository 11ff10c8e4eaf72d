"""Browser fixtures: a live server on the session app, one Chromium per test process, a fresh context per test,
and axe-core on every page a test visits.

"axe-core runs on every page visited and fails on any violation" is enforced here, not left to each test:

- every document gets axe-core and a small runner as init scripts; once the document has loaded (styles applied,
  GOV.UK Frontend initialised) the runner runs axe and hands the result to Python through an exposed binding;
- every main-frame navigation request is held (``page.route``) until the document being left has reported, so a
  quick click, Enter or ``goto`` never skips a page, including pages re-rendered with errors after a POST. (A document
  left before its load event cannot be checked: the browser stops loading it when the next navigation starts. So a
  test waits for each page it opens to load, e.g. by clicking inside ``with page.expect_navigation():``; a test that
  does not is failed with that advice.)
- after each passing test, the last document is waited for, and the test fails on any axe violation, on a document
  left before axe could check it, on uncaught JavaScript errors, console errors, failed requests for assets,
  GOV.UK Frontend components that did not initialise, and on exceptions raised inside the app.

The ``check_a11y`` fixture checks the current state on demand (for a state reached without loading a page) and
fails at once.
"""

from __future__ import annotations

import json
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask, got_request_exception, request
from werkzeug.serving import WSGIRequestHandler, make_server

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000
GATE_TIMEOUT_MS = 5_000  # how long a navigation may be held for axe to finish on the page being left
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    }
}
WATCH_KEY = pytest.StashKey["PageWatch"]()

# Shared by the automatic runner and check_a11y: the fields of a violation worth reading in a failure message,
# and the GOV.UK Frontend components (data-module) that did not mark themselves initialised.
_PAGE_HELPERS = """
window.__a11ySummarise = (violations) => violations.map((v) => ({
  id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
  nodes: v.nodes.map((n) => ({target: n.target, html: n.html, failureSummary: n.failureSummary})),
}));
window.__a11yFrontend = () => ({
  supported: document.body.classList.contains('govuk-frontend-supported'),
  uninitialised: [...document.querySelectorAll('[data-module]')]
    .filter((el) => el.dataset.module.split(/\\s+/).some((m) => m && !el.hasAttribute(`data-${m}-init`)))
    .map((el) => el.outerHTML.slice(0, 160)),
});
"""

_RUNNER = """
(() => {
  if (window.top !== window || !/^https?:$/.test(location.protocol)) return;
  const options = __AXE_OPTIONS__;
  const id = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  window.__a11yBorn(id, location.href);
  window.addEventListener('load', () => {
    window.__a11yLoaded(id);
    setTimeout(async () => {
      let report;
      try {
        const result = await window.axe.run(document, options);
        report = {violations: window.__a11ySummarise(result.violations), frontend: window.__a11yFrontend()};
      } catch (error) {
        report = {error: String((error && error.stack) || error)};
      }
      window.__a11yReport(id, location.href, report);
    }, 0);
  }, {once: true});
})();
""".replace("__AXE_OPTIONS__", json.dumps(AXE_OPTIONS))


# --- collection ---------------------------------------------------------------------------------------------------


MISSING_CHROMIUM = (
    f"the browser tests need Debian's Chromium at {CHROMIUM}: install it with `sudo apt-get install -y chromium "
    "fonts-liberation` (`make test` does this itself when run as root), or deselect them explicitly with "
    "-m 'not browser'"
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test. They are the accessibility checks, so a missing Chromium fails
    them (see `browser`) rather than skipping them: a run passes without them only when they are deselected."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


# --- live server --------------------------------------------------------------------------------------------------


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: object, **kwargs: object) -> None:  # one line per request is only noise here
        pass


@dataclass
class LiveServer:
    url: str
    errors: list[str] = field(default_factory=list)


def _buffered(app: Flask):
    """Read each response fully and close it before sending it.

    When Chromium abandons a request mid-response (a held navigation, a cancelled asset), Werkzeug's
    development server can leave a static file's response unclosed until garbage collection, which
    -W error turns into a random failure of whichever test is running. Buffering closes the file at once."""

    def wsgi(environ, start_response):
        captured: list = []

        def capture(status, headers, exc_info=None):
            captured[:] = [status, headers, exc_info]
            return lambda data: None

        iterable = app(environ, capture)
        try:
            body = b"".join(iterable)
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()
        start_response(*captured)
        return [body]

    return wsgi


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[LiveServer]:
    """The session's app served over real HTTP from a daemon thread.

    Each request runs in the server's own thread, so it pushes its own app context and gets its own database session
    and connection, as in production; it sees whatever the test thread has committed (the database is a file SQLite
    or PostgreSQL, never :memory:)."""
    server = make_server("127.0.0.1", 0, _buffered(app), threaded=True, request_handler=_QuietHandler)
    live = LiveServer(url=f"http://127.0.0.1:{server.server_port}")

    def record(sender: Flask, exception: BaseException, **extra: object) -> None:
        text = "".join(traceback.format_exception(exception)).rstrip()
        live.errors.append(f"{request.method} {request.full_path.rstrip('?')}\n{text}")

    got_request_exception.connect(record, app, weak=False)
    # The live server is the public address here: links to pass on (invitations, share links) point at it.
    base_url = app.config["BASE_URL"]
    app.config["BASE_URL"] = live.url
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield live
    finally:
        got_request_exception.disconnect(record, app)
        app.config["BASE_URL"] = base_url
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


# --- browser ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM, pytrace=False)
    if not AXE_PATH.exists():
        pytest.fail(f"axe-core is missing at {AXE_PATH}: run `npm ci` (or `make install`)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, timeout=30_000
        )
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@dataclass
class _Document:
    id: str
    url: str
    loaded: bool = False
    left_before_load: bool = False
    report: dict | None = None


def _format_violations(url: str, violations: list[dict]) -> list[str]:
    lines = []
    for v in violations:
        targets = ", ".join(
            " ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"]) for n in v["nodes"]
        )
        first = (v["nodes"][0].get("failureSummary") or "").replace("\n", "\n      ") if v["nodes"] else ""
        lines.append(
            f"- {url}: [{v['id']}] ({v['impact']}) {v['help']}\n"
            f"    {v['helpUrl']}\n"
            f"    targets ({len(v['nodes'])}): {targets}\n"
            f"    first node: {v['nodes'][0]['html'] if v['nodes'] else ''}\n"
            f"      {first}"
        )
    return lines


class PageWatch:
    """Follows one page: the documents it loads and axe's report on each, JS errors, failed asset requests."""

    def __init__(self, live_server: LiveServer) -> None:
        self.live_server = live_server
        self.server_errors_before = len(live_server.errors)
        self.documents: list[_Document] = []
        self.problems: list[str] = []
        self.page = None

    # bindings called from the page
    def born(self, source: dict, doc_id: str, url: str) -> None:
        self.documents.append(_Document(doc_id, url))

    def loaded(self, source: dict, doc_id: str) -> None:
        for document in self.documents:
            if document.id == doc_id:
                document.loaded = True

    def reported(self, source: dict, doc_id: str, url: str, report: dict) -> None:
        for document in self.documents:
            if document.id == doc_id:
                document.url = url
                document.report = report

    def attach(self, page) -> None:
        self.page = page
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error on {page.url}: {error}"))
        page.on("console", self._console)
        page.on("response", self._response)
        page.on("requestfailed", self._request_failed)
        page.route(f"{self.live_server.url}/**", self._gate)

    def _console(self, message) -> None:
        if message.type != "error":
            return
        location = message.location.get("url", "") if message.location else ""
        # Chromium logs every 4xx/5xx document as a console error; those statuses are asserted by the tests.
        if message.text.startswith("Failed to load resource") and self._is_document(location):
            return
        self.problems.append(f"console error on {self.page.url}: {message.text} ({location})")

    def _is_document(self, url: str) -> bool:
        return any(d.url.split("#")[0] == url.split("#")[0] for d in self.documents) or url == self.page.url

    def _response(self, response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(f"{response.status} for {response.request.resource_type} {response.url}")

    def _request_failed(self, req) -> None:
        failure = req.failure or ""
        if req.resource_type != "document" and "ERR_ABORTED" not in failure:
            self.problems.append(f"request failed: {req.resource_type} {req.url}: {failure}")

    def _gate(self, route, req) -> None:
        """Hold a main-frame navigation until axe has reported on the document being left.

        A document that has not loaded yet never will (starting a navigation stops its loading), so it is marked
        instead of waited for, after a moment's grace for a "loaded" message already on its way."""
        if req.is_navigation_request() and req.frame == self.page.main_frame and self.documents:
            current = self.documents[-1]
            grace = time.monotonic() + 0.25
            while current.report is None and not current.loaded and time.monotonic() < grace:
                self.page.wait_for_timeout(10)
            if current.report is None and not current.loaded:
                current.left_before_load = True
            else:
                self.wait_for_current(GATE_TIMEOUT_MS / 1000)
        route.fallback()

    def _current_pending(self) -> bool:
        return bool(self.documents) and self.documents[-1].report is None and not self.documents[-1].left_before_load

    def wait_for_current(self, timeout_s: float = TIMEOUT_MS / 1000) -> None:
        deadline = time.monotonic() + timeout_s
        while self._current_pending() and time.monotonic() < deadline and not self.page.is_closed():
            self.page.wait_for_timeout(25)

    def check_now(self) -> None:
        """Run axe on the current state of the page and fail at once on any violation."""
        page = self.page
        page.wait_for_load_state("load")
        self.wait_for_current()  # never two axe runs at once in one document
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE_PATH))
        if not page.evaluate("typeof window.__a11ySummarise !== 'undefined'"):
            page.add_script_tag(content=_PAGE_HELPERS)
        violations = page.evaluate(
            "async (options) => window.__a11ySummarise((await window.axe.run(document, options)).violations)",
            AXE_OPTIONS,
        )
        if violations:
            lines = _format_violations(f"{page.url} (checked on demand)", violations)
            raise AssertionError(f"axe-core found {len(violations)} accessibility violation(s):\n" + "\n".join(lines))

    def problems_found(self, wait: bool = True) -> list[str]:
        if wait and self.page is not None and not self.page.is_closed():
            self.wait_for_current()
        found: list[str] = []
        for index, document in enumerate(self.documents):
            report = document.report
            if report is None:
                if document.left_before_load:
                    reason = (
                        "the test navigated away before the page had loaded; wait for each page to load, for example "
                        "by clicking inside `with page.expect_navigation():`"
                    )
                elif index == len(self.documents) - 1:
                    reason = "axe did not finish in time"
                else:
                    reason = "the test left it before axe could check it"
                found.append(f"- {document.url}: not checked: {reason}")
            elif "error" in report:
                found.append(f"- {document.url}: axe failed: {report['error']}")
            else:
                found.extend(_format_violations(document.url, report["violations"]))
                frontend = report["frontend"]
                if not frontend["supported"]:
                    found.append(f"- {document.url}: <body> lacks govuk-frontend-supported (template script blocked?)")
                for html in frontend["uninitialised"]:
                    found.append(f"- {document.url}: GOV.UK Frontend component not initialised: {html}")
        found.extend(f"- {problem}" for problem in self.problems)
        found.extend(f"- app exception: {error}" for error in self.live_server.errors[self.server_errors_before :])
        return found

    def checked_urls(self) -> list[str]:
        return [d.url for d in self.documents if d.report is not None and "error" not in d.report]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    watch = item.stash.get(WATCH_KEY, None)
    try:
        result = yield
    except BaseException:
        if watch is not None:
            found = watch.problems_found(wait=False)
            if found:
                item.add_report_section("call", "browser", "\n".join(found))
        raise
    if watch is not None:
        found = watch.problems_found()
        if found:
            pages = len(watch.documents)
            pytest.fail(
                f"{len(found)} problem(s) in the {pages} page(s) this test visited:\n" + "\n".join(found), pytrace=False
            )
    return result


@pytest.fixture
def page(browser, live_server: LiveServer, app: Flask, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """A fresh browser context (no cookies) and page, with base_url set to the live server and axe on every page.

    CSRF protection is on, as in production, so the real forms are exercised with their real tokens."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    context = browser.new_context(
        base_url=live_server.url,
        bypass_csp=True,  # axe is injected as a script; the app's CSP allows only its own nonce
        viewport={"width": 1024, "height": 768},
        locale="en-GB",
        timezone_id="Europe/London",
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    watch = PageWatch(live_server)
    context.expose_binding("__a11yBorn", watch.born)
    context.expose_binding("__a11yLoaded", watch.loaded)
    context.expose_binding("__a11yReport", watch.reported)
    context.add_init_script(path=str(AXE_PATH))
    context.add_init_script(script=_PAGE_HELPERS)
    context.add_init_script(script=_RUNNER)
    new_page = context.new_page()
    watch.attach(new_page)
    request.node.stash[WATCH_KEY] = watch
    try:
        yield new_page
    finally:
        context.close()


@pytest.fixture
def check_a11y(request: pytest.FixtureRequest) -> Callable:
    """check_a11y(page): run axe on the page as it is now and fail at once on any violation. Pages that load are
    checked automatically; use this for states reached without loading a page (for example after a JS change)."""

    def check(page) -> None:
        watch = request.node.stash.get(WATCH_KEY, None)
        if watch is None or watch.page is not page:
            raise RuntimeError("check_a11y works on the `page` fixture's page")
        watch.check_now()

    return check


@pytest.fixture
def a11y_watch(page, request: pytest.FixtureRequest) -> PageWatch:
    """The watch on `page`, for tests that assert which pages axe has checked."""
    return request.node.stash[WATCH_KEY]
