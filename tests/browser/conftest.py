"""Browser journeys: Playwright driving Debian's Chromium against pytest-django's live server.

* Every test in this folder carries the ``browser`` marker (``pytest -m "not browser"`` leaves them out).
* Chromium comes from ``$PAIRS_CHROMIUM``, else ``/usr/bin/chromium``, else ``chromium`` on the PATH.
  Playwright never downloads a browser. Without Chromium the journeys are skipped, except in CI
  (``CI=true``) where they fail.
* One browser for the whole session, a fresh context (cookies, storage) for every test.
* Every page a journey visits is checked with axe-core (vendored, ``vendor/axe.min.js``), WCAG 2.1
  A and AA rules. The ``page`` fixture counts the documents loaded and fails the test when one of
  them was never checked, so a journey cannot silently skip the accessibility check of a page.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Response

# Playwright's sync API keeps an asyncio event loop in the test thread; Django would then refuse
# ORM calls made from the tests (SynchronousOnlyOperation). The tests only read or seed data
# between two browser steps, never concurrently with the loop's own work, so this is safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
AXE_SCRIPT = HERE / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
DEFAULT_TIMEOUT_MS = 10_000

MISSING_SKIP_REASON = "Chromium absent: browser journeys skipped (apt-get install chromium)"
MISSING_CI_MESSAGE = "Chromium is required in CI: apt-get install chromium"


# --------------------------------------------------------------------------- marker and Chromium


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items: mark only the ones collected from this folder.
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def find_chromium() -> tuple[str | None, str]:
    """(executable or None, where it was looked for). ``$PAIRS_CHROMIUM``, when set, is authoritative."""
    wanted = os.environ.get("PAIRS_CHROMIUM", "").strip()
    if wanted:
        found = wanted if os.path.isfile(wanted) and os.access(wanted, os.X_OK) else shutil.which(wanted)
        return found, f"PAIRS_CHROMIUM={wanted}"
    if os.path.isfile("/usr/bin/chromium") and os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium", "/usr/bin/chromium"
    return shutil.which("chromium"), "/usr/bin/chromium, then chromium on the PATH"


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    executable, looked_at = find_chromium()
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{MISSING_CI_MESSAGE} (looked at {looked_at})", pytrace=False)
        pytest.skip(MISSING_SKIP_REASON)
    return executable


@pytest.fixture(scope="session")
def playwright(chromium_executable: str) -> Iterator[Playwright]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright, chromium_executable: str) -> Iterator[Browser]:
    """One headless Chromium for the whole session (never a downloaded one)."""
    chromium = playwright.chromium.launch(executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()


# --------------------------------------------------------------------------- pages


@dataclass
class PageWatch:
    """What happened in one page: documents loaded, documents axe-checked, browser errors."""

    loaded: list[str] = field(default_factory=list)
    checked: int = 0
    errors: list[str] = field(default_factory=list)


WATCHES: dict[int, PageWatch] = {}


def _watch(page: Page) -> PageWatch:
    return WATCHES[id(page)]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if report.when == "call":
        item.pairs_call_passed = report.passed  # type: ignore[attr-defined]
    return report


def _open_page(
    request: pytest.FixtureRequest,
    artefacts: Path,
    browser: Browser,
    base_url: str,
    viewport: dict[str, int],
    phone: bool,
) -> Iterator[Page]:
    context = browser.new_context(
        base_url=base_url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport=viewport,  # type: ignore[arg-type]
        is_mobile=phone,
        has_touch=phone,
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    watch = PageWatch()
    WATCHES[id(page)] = watch

    def on_load(loaded: Page) -> None:
        watch.loaded.append(loaded.url)

    def on_console(message: ConsoleMessage) -> None:
        # Chromium asks for /favicon.ico by itself; the site has none (a 404 that no user sees).
        if message.type == "error" and not str(message.location.get("url", "")).endswith("/favicon.ico"):
            watch.errors.append(f"console: {message.text} ({page.url})")

    def on_page_error(error: Exception) -> None:
        watch.errors.append(f"script error: {error} ({page.url})")

    page.on("domcontentloaded", on_load)
    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    try:
        yield page
        if getattr(request.node, "pairs_call_passed", False):
            # Events still in flight are delivered by this call.
            page.evaluate("() => document.readyState")
            unchecked = watch.loaded[watch.checked :]
            if unchecked:
                raise AssertionError(f"Pages visited without an axe check (call check_a11y after each): {unchecked}")
            if watch.errors:
                raise AssertionError("The browser reported errors:\n" + "\n".join(watch.errors))
        elif not page.is_closed():
            _keep_artefacts(artefacts, page)
    finally:
        WATCHES.pop(id(page), None)
        context.close()


def _keep_artefacts(folder: Path, page: Page) -> None:
    """After a failure: a screenshot and the HTML of the last page, in the test's temporary folder."""
    try:
        page.screenshot(path=str(folder / "last-page.png"), full_page=True)
        (folder / "last-page.html").write_text(page.content(), encoding="utf-8")
        print(f"\nLast page ({page.url}) kept in {folder}")
    except Exception as error:  # the artefacts only help debugging: never hide the real failure
        print(f"\nCould not keep the last page: {error}")


@pytest.fixture
def page(
    request: pytest.FixtureRequest, tmp_path: Path, browser: Browser, live_server: Any, transactional_db: None
) -> Iterator[Page]:
    """A desktop-sized page (1280x900) in a fresh French context, on the live server."""
    yield from _open_page(request, tmp_path, browser, live_server.url, DESKTOP, phone=False)


@pytest.fixture
def phone_page(
    request: pytest.FixtureRequest, tmp_path: Path, browser: Browser, live_server: Any, transactional_db: None
) -> Iterator[Page]:
    """A phone-sized page (390x844, touch) in a fresh French context, on the live server."""
    yield from _open_page(request, tmp_path, browser, live_server.url, PHONE, phone=True)


# --------------------------------------------------------------------------- accessibility


_AXE_SOURCE: str | None = None

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html, summary: n.failureSummary})),
  }));
}"""


def _axe_source() -> str:
    global _AXE_SOURCE
    if _AXE_SOURCE is None:
        _AXE_SOURCE = AXE_SCRIPT.read_text(encoding="utf-8")
    return _AXE_SOURCE


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) (axe-core, WCAG 2.1 A/AA) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} [{violation['impact']}]: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}: {node['html'][:200]}")
            summary = " ".join((node["summary"] or "").split())
            if summary:
                lines.append(f"      {summary[:400]}")
    return "\n".join(lines)


def check_a11y(page: Page) -> None:
    """Run axe-core on the current document; fail with every violation, its help and its nodes.

    axe is injected with ``page.evaluate`` (DevTools protocol), which the site's nonce-based CSP
    does not block: no ``bypass_csp`` is needed.
    """
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    violations = page.evaluate(AXE_RUN, AXE_TAGS)
    watch = WATCHES.get(id(page))
    if watch is not None:
        watch.checked = len(watch.loaded)
    if violations:
        raise AssertionError(format_violations(page.url, violations))


def visit_and_check(page: Page, path: str) -> Response | None:
    """Open a path of the live server, check the answer is not an error page, then run axe."""
    response = page.goto(path)
    assert response is not None and response.ok, f"GET {path}: HTTP {response.status if response else '?'}"
    check_a11y(page)
    return response


# --------------------------------------------------------------------------- data


@pytest.fixture
def demo_data(transactional_db: None) -> list[dict[str, str]]:
    """The demo data set (seed 2026, scale 1) in the test database; returns the demo accounts."""
    from pairs.demo.generator import generate

    return generate(seed=2026, scale=1).accounts


@pytest.fixture
def demo_account(demo_data: list[dict[str, str]]) -> Callable[..., dict[str, str]]:
    """``demo_account("coordinator")``: the demo account of a role, on Pairs Rhône unless told."""

    def find(role: str, platform: str = "Pairs Rhône") -> dict[str, str]:
        for account in demo_data:
            if account["role"] == role and account["platform"] == platform:
                return account
        raise LookupError(f"No demo account for {role} on {platform}")

    return find


@pytest.fixture
def run_jobs(transactional_db: None) -> Callable[[], int]:
    """Run the background jobs queued during this test, in this process, through the real tasks.

    Same logic as ``tests/conftest.py``'s fixture. Procrastinate's tables are not Django-managed,
    so the flush between transactional tests keeps the jobs of earlier tests: they are ignored.
    """
    from procrastinate.contrib.django.models import ProcrastinateJob

    last = ProcrastinateJob.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def run() -> int:
        from procrastinate.contrib.django import app

        done = 0
        for job in ProcrastinateJob.objects.filter(status="todo", id__gt=last).order_by("id"):
            app.tasks[job.task_name].func(**job.args)
            done += 1
        return done

    return run
