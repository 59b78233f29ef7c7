"""Shared fixtures: one real strict build of the site, served on 127.0.0.1, and Debian's Chromium.

Browser tests skip only when Chromium is missing *and* we are not in CI; under
`CI=true` a missing browser is a failure, never a silent skip.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from handbook.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]


PREFIX = "/handbook"  # served below a path, as GitHub Pages serves a project site
SITE_URL = f"https://example.test{PREFIX}/"


def build_site(config: Path, site_dir: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run the real `mkdocs build --strict`; callers assert on the result."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site_dir), *extra],
        cwd=config.parent,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": SITE_URL},
    )


SAMPLE_KEEP = ("mkdocs.yml", "data", "overrides", "scripts")
SAMPLE_PAGES = ("index.md", "index.en.md", "tags.md", "tags.en.md", "map.md", "map.en.md", "assets")


def sample_project(target: Path) -> Path:
    """A scratch copy of the project (real config, hooks and theme) holding the six-question bank of `fixtures/minibank.py`."""
    from fixtures import minibank
    from handbook import translation

    for name in SAMPLE_KEEP:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target / name)
    (target / ".cache").symlink_to(ROOT / ".cache")  # the vendored KaTeX/Mermaid tarballs
    docs = target / "docs"
    docs.mkdir()
    for name in SAMPLE_PAGES:
        source = ROOT / "docs" / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, docs / name)
    for section in ROOT.joinpath("docs").glob("*/index*.md"):
        (docs / section.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copy(section, docs / section.parent.name / section.name)
    minibank.write(docs)
    for twin in docs.glob("*/*.en.md"):
        if twin.name.split(".")[0] != "index":
            translation.mark_translated(twin)
    return target


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's own site, built once per test session."""
    site_dir = tmp_path_factory.mktemp("site")
    result = build_site(ROOT / "mkdocs.yml", site_dir)
    assert result.returncode == 0, result.stderr
    return site_dir


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site below PREFIX and nothing else, like a GitHub Pages project site."""

    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX + "/"):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path(path.removeprefix(PREFIX))

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """The built site over HTTP on 127.0.0.1; yields its base URL (without a trailing slash)."""
    handler = functools.partial(_SiteHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}{PREFIX}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but Chromium is missing at {CHROMIUM}")
        pytest.skip("no Chromium (see the note at the end of the run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, server):
    """A fresh browser context per test, recording console errors and foreign requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.console_errors = []
    tab.foreign_requests = []
    tab.on("console", lambda message: message.type == "error" and tab.console_errors.append(message.text))
    tab.on("pageerror", lambda error: tab.console_errors.append(str(error)))
    tab.on("response", lambda response: response.status >= 400 and tab.console_errors.append(f"HTTP {response.status} {response.url}"))
    tab.on(
        "request",
        lambda request: (
            request.url.startswith(("http:", "https:")) and not request.url.startswith(server) and tab.foreign_requests.append(request.url)
        ),
    )
    yield tab
    context.close()


def pytest_terminal_summary(terminalreporter) -> None:
    """Say once, not per test, why the browser tests skipped and how to run them."""
    if not shutil.which(CHROMIUM) and terminalreporter.stats.get("skipped"):
        terminalreporter.write_line(
            f"Browser tests skipped: no Chromium at {CHROMIUM}. On Debian or Ubuntu: "
            "sudo apt-get install chromium fonts-noto-cjk (or set CHROMIUM=/path/to/chrome); CI=true makes this a failure."
        )
