"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Run them with `make test-e2e`; `make test` runs them too when /usr/bin/chromium
exists and otherwise skips them, loudly. Never `playwright install`: it downloads
a browser, and Debian's Chromium is the one we test with.
"""

import os
import shutil
import warnings
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.builders import CHROMIUM_ARGS, DESKTOP, BrowserProblems

# E2E_CHROMIUM points at another build (or at nothing, to see the skip).
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_MISSING = "Chromium not installed: browser tests skipped (apt-get install chromium)"
# `make test-e2e` sets this: there a missing browser or tool fails instead of skipping.
REQUIRED = os.environ.get("E2E_REQUIRED") == "1"

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
NODE_MODULES = ROOT / "node_modules"

_SKIPPED = pytest.StashKey[int]()


def chromium_available() -> bool:
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


@pytest.hookimpl(trylast=True)  # after pytest-django has put the database tests first
def pytest_collection_modifyitems(config, items):
    browser_tests = [item for item in items if item.get_closest_marker("e2e")]
    if not browser_tests:
        return
    # The browser tests run last in each process, this folder's first: while
    # Playwright runs, its event loop sits in the main thread (see the
    # `playwright` fixture below), and other tests should not run beside it.
    here = Path(__file__).parent
    browser_tests.sort(key=lambda item: here not in item.path.parents)
    items[:] = [item for item in items if not item.get_closest_marker("e2e")] + browser_tests
    if chromium_available():
        return
    if REQUIRED:
        raise pytest.UsageError(f"{CHROMIUM} is missing: apt-get install -y chromium")
    skip = pytest.mark.skip(reason=CHROMIUM_MISSING)
    for item in browser_tests:
        item.add_marker(skip)
    config.stash[_SKIPPED] = len(browser_tests)
    # Under pytest-xdist this runs in the workers: the main process never loads
    # this conftest, so pytest_terminal_summary below cannot speak there. The
    # workers' warnings are forwarded to it and printed in the warnings summary.
    warnings.warn(
        f"!!! {CHROMIUM_MISSING}: {len(browser_tests)} browser tests NOT RUN !!!",
        pytest.PytestWarning,
        stacklevel=1,
    )


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = config.stash.get(_SKIPPED, 0) or sum(
        CHROMIUM_MISSING in str(getattr(report, "longrepr", ""))
        for report in terminalreporter.stats.get("skipped", [])
    )
    if not skipped:
        return
    terminalreporter.write_sep("!", "BROWSER TESTS NOT RUN", red=True, bold=True)
    terminalreporter.write_line(
        f"WARNING: {CHROMIUM_MISSING}: {skipped} tests skipped", red=True, bold=True
    )
    terminalreporter.write_sep("!", red=True, bold=True)


# Playwright: Debian's Chromium, a live server, the Indonesian defaults -------


# pytest-playwright's browser fixtures live for the whole session. Here they
# live for this folder (scope="package") and stop when its last test is done:
# Playwright's sync API refuses to start while another instance runs in the
# process, and tests/security starts one of its own. The browser tests of this
# folder run before any other browser test (pytest_collection_modifyitems).


@pytest.fixture(scope="package")
def playwright(_pw_api_request_contexts):
    """Playwright, with Django's async-safety check off while it runs.

    Playwright's sync API keeps an asyncio loop running in the main thread (in
    a greenlet) from start to stop, so Django sees a running loop and refuses
    the ORM queries of the tests and of the database fixtures. Nothing runs
    async code concurrently here. The variable is set for as long as
    Playwright runs and no longer: a deployment check rightly fails on it.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    instance = sync_playwright().start()
    if _pw_api_request_contexts:
        _pw_api_request_contexts.instrument(instance)
    yield instance
    instance.stop()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a browser Playwright downloads."""
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="package")
def launch_browser(browser_type_launch_args, browser_type):
    def launch(**kwargs):
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="package")
def browser(launch_browser):
    browser = launch_browser()
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def browser_context_args(live_server):
    """Every context opens on the live server."""
    return {"base_url": live_server.url}


@pytest.fixture
def browser_problems(live_server):
    """Uncaught script errors and failed same-origin requests, from every context."""
    problems = BrowserProblems(live_server.url)
    yield problems
    problems.assert_none()


@pytest.fixture
def new_context(new_context, browser_problems):
    """pytest-playwright's context factory, with every context watched for problems.

    The `context` and `page` fixtures use this too, so any test with a page
    fails when a page had an uncaught JavaScript error or a same-origin
    request failed.
    """

    def make(**kwargs):
        # An Indonesian reader in Jakarta at a desktop width, unless the test says otherwise.
        kwargs = {"locale": "id-ID", "timezone_id": "Asia/Jakarta", "viewport": DESKTOP, **kwargs}
        context = new_context(**kwargs)
        browser_problems.watch(context)
        context.set_default_timeout(10_000)
        return context

    return make


@pytest.fixture(autouse=True)
def _site_url_is_the_live_server(request, settings):
    """The live server is the site's public address (SITE_URL, core.origin): the
    links in mails a journey follows, canonical links and feeds point at it."""
    if "live_server" in request.fixturenames:
        settings.SITE_URL = request.getfixturevalue("live_server").url


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads go to a temporary folder, which the live server serves at MEDIA_URL."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """artifacts/ at the repository root (gitignored; CI keeps it)."""
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def axe_source() -> str:
    path = NODE_MODULES / "axe-core" / "axe.min.js"
    if not path.is_file():
        _missing_tool(f"{path} is missing: run `npm ci` at the repository root")
    return path.read_text()


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    jar = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    java = shutil.which("java")
    if not jar.is_file():
        _missing_tool(f"{jar} is missing: run `npm ci` at the repository root")
    if java is None:
        _missing_tool("java is missing: apt-get install -y default-jre-headless")
    return [java, "-jar", str(jar)]


def _missing_tool(message: str):
    if REQUIRED:
        pytest.fail(message)
    pytest.skip(message)
