"""axe-core on the built site: no serious or critical accessibility violation, in either language.

The same pinned axe-core as `make bench` (fetched by handbook.vendor, never
shipped with the site), so a regression fails `make test` rather than waiting
for the next benchmark run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmark import browser as bench_browser
from handbook import vendor

PAGES = (
    "/",  # home: hero, section cards, progress counts
    "nlp/",  # section landing page: question list and filters
    "distributed/3d-and-sequence-parallelism/",  # a Mermaid diagram
    "distributed/data-vs-model-parallelism/",  # formulas
    "tags/",
    "map/",
)


@pytest.fixture(scope="module")
def axe_script() -> Path:
    return vendor.ensure((vendor.AXE,))[0].folder / "axe.min.js"


@pytest.mark.parametrize("viewport", bench_browser.AXE_VIEWPORTS.values(), ids=bench_browser.AXE_VIEWPORTS.keys())
@pytest.mark.parametrize("language", ["", "en/"])
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_violations(browser, server: str, axe_script: Path, language: str, path: str, viewport) -> None:
    """On a phone, wide tables and diagrams scroll sideways: each must be reachable from the keyboard."""
    report = bench_browser.axe(browser, server + "/", language + path.lstrip("/"), axe_script, viewport)
    assert report["version"] == vendor.AXE.version
    assert report["serious_or_critical"] == [], report["serious_or_critical"]
