"""What a reader's browser downloads and what auditors say, for `make bench`.

The built site is served on 127.0.0.1 by a plain static server and loaded in
Debian's Chromium (Playwright for the byte counts and axe-core, Lighthouse
through its own CLI). Byte counts are the bodies the browser received,
gzip-compressed at level 6 when they are text, as GitHub Pages serves them.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import json
import os
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from benchmark.builds import GZIP_LEVEL, gzip_size
from handbook import chromium as chromium_tools
from handbook.chromium import CHROMIUM, CHROMIUM_ARGS

TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml", "application/manifest")
CATEGORIES = ("html", "css", "js", "search_index", "font", "image", "other")
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices")
SERIOUS = ("serious", "critical")


@dataclass(frozen=True)
class Resource:
    url: str
    kind: str  # Playwright's resource type
    content_type: str
    raw: int
    gzip: int

    @property
    def category(self) -> str:
        return categorize(self.url, self.kind, self.content_type)


def categorize(url: str, kind: str, content_type: str) -> str:
    """Bucket a response the way the budget talks about first-visit bytes."""
    path = urlparse(url).path
    if path.endswith("search_index.json"):
        return "search_index"
    if kind == "document" or content_type.startswith("text/html"):
        return "html"
    if kind == "stylesheet" or path.endswith(".css"):
        return "css"
    if kind == "script" or path.endswith((".js", ".mjs")) or "javascript" in content_type:
        return "js"
    if kind == "font" or path.endswith((".woff", ".woff2", ".ttf")):
        return "font"
    if kind == "image":
        return "image"
    return "other"


def is_text(content_type: str) -> bool:
    return content_type.startswith(TEXT_TYPES) or "javascript" in content_type


def totals(resources: list[Resource]) -> dict[str, dict[str, int]]:
    """Raw and gzip bytes per category, plus an overall total."""
    result = {category: {"raw": 0, "gzip": 0, "requests": 0} for category in CATEGORIES}
    for resource in resources:
        bucket = result[resource.category]
        bucket["raw"] += resource.raw
        bucket["gzip"] += resource.gzip
        bucket["requests"] += 1
    result["total"] = {key: sum(result[c][key] for c in CATEGORIES) for key in ("raw", "gzip", "requests")}
    return result


@functools.lru_cache(maxsize=512)
def gzipped(path: Path, mtime_ns: int) -> bytes:
    """Compressed once per file version: the server answers many requests for the same assets."""
    return gzip.compress(path.read_bytes(), compresslevel=GZIP_LEVEL, mtime=0)


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """A static server that behaves like GitHub Pages where it matters to the figures.

    Text is sent gzip-compressed (level 6) to clients that accept it, with
    GitHub Pages' 10-minute cache lifetime; otherwise Lighthouse would score
    uncompressed transfers the real site never makes.
    """

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        content_type = self.guess_type(str(path))
        if not path.is_file() or not is_text(content_type) or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzipped(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", content_type + ("; charset=utf-8" if content_type.startswith("text/") else ""))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path):
    """The built site at http://127.0.0.1:<port>/, as GitHub Pages would serve it at the root."""
    return chromium_tools.serve(site, PagesHandler)


chromium = chromium_tools.launch


def _resource(response) -> Resource | None:
    if response.status >= 300 or response.request.method != "GET":
        return None
    try:
        body = response.body()
    except Exception:  # a body the browser discarded (e.g. an aborted request) counts as nothing
        return None
    content_type = (response.headers.get("content-type") or "").split(";")[0]
    compressed = gzip_size(body) if is_text(content_type) else len(body)
    return Resource(response.url, response.request.resource_type, content_type, len(body), compressed)


def first_visit(browser, base: str, path: str, query: str = "lora") -> dict:
    """Bytes of a first visit (empty cache), then of opening search and typing a query.

    Everything fetched before the network is idle counts as the first visit;
    what opening search fetches on top is reported separately as lazy.
    """
    context = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True, has_touch=True)
    page = context.new_page()
    responses: list = []
    page.on("response", lambda response: responses.append(response))
    page.goto(base + path, wait_until="networkidle")
    page.wait_for_timeout(1500)
    page.wait_for_load_state("networkidle")
    on_load = len(responses)
    page.locator("label[for='__search']").first.click()
    page.locator(".md-search__input").fill(query)
    page.wait_for_timeout(1500)
    page.wait_for_load_state("networkidle")
    results = page.locator(".md-search-result__item").count()
    loaded = [r for r in map(_resource, responses[:on_load]) if r]
    lazy = [r for r in map(_resource, responses[on_load:]) if r]
    foreign = sorted({r.url for r in responses if not r.url.startswith(base) and r.url.startswith("http")})
    context.close()
    return {
        "path": path,
        "first_visit": totals(loaded),
        "on_search_open": totals(lazy),
        "search_results": results,
        "foreign_requests": foreign,
        "resources": [{"url": r.url.removeprefix(base), "category": r.category, "raw": r.raw, "gzip": r.gzip} for r in loaded],
        "lazy_resources": [{"url": r.url.removeprefix(base), "category": r.category, "raw": r.raw, "gzip": r.gzip} for r in lazy],
    }


# axe audits each page at both sizes: on a phone, wide tables and diagrams scroll and must take focus.
AXE_VIEWPORTS: dict[str, dict | None] = {"desktop": None, "phone": {"width": 390, "height": 844}}


def axe(browser, base: str, path: str, script: Path, viewport: dict | None = None) -> dict:
    """axe-core's violations on one page, counted by impact; serious and critical ones named.

    `viewport` defaults to Playwright's desktop window (`AXE_VIEWPORTS`).
    """
    context = browser.new_context(**({"viewport": viewport} if viewport else {}))
    page = context.new_page()
    page.goto(base + path, wait_until="networkidle")
    page.add_script_tag(path=str(script))
    report = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    context.close()
    counts: dict[str, int] = {}
    serious = []
    for violation in report["violations"]:
        impact = violation.get("impact") or "unknown"
        counts[impact] = counts.get(impact, 0) + len(violation["nodes"])
        if impact in SERIOUS:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
            serious.append(
                {"id": violation["id"], "impact": impact, "nodes": len(violation["nodes"]), "help": violation["help"], "targets": targets}
            )
    return {"path": path, "by_impact": counts, "serious_or_critical": serious, "version": report.get("testEngine", {}).get("version")}


# Lighthouse's mobile preset slows the CPU 4x, which its docs say turns a high-end desktop into the
# mid-tier phone it emulates; on a slower host the same 4x emulates a slower phone than intended.
DEFAULT_CPU_SLOWDOWN = 4.0
SLOWEST_CALIBRATED_HOST = 150


def calibrated_cpu_slowdown(benchmark_index: float) -> float:
    """The slowdown that emulates Lighthouse's intended phone on a host of this benchmarkIndex.

    The formula is Lighthouse's CPU throttling calculator, linked from its
    docs/throttling.md ("Calibrating the CPU slowdown"): 150 → 1x, 800 → 2x,
    1,300 → 3x, then 1x more per 233, so 1,533 gets the default 4x. This
    machine measures 1,050-1,700 from run to run: a fixed 4x would score a
    slower phone whenever the machine is busier.
    """
    if benchmark_index < SLOWEST_CALIBRATED_HOST:
        raise ValueError(f"benchmarkIndex {benchmark_index} is too slow to emulate Lighthouse's phone (needs ≥ {SLOWEST_CALIBRATED_HOST})")
    if benchmark_index < 800:
        slowdown = 1 + (benchmark_index - 150) / 650
    elif benchmark_index < 1300:
        slowdown = 2 + (benchmark_index - 800) / 500
    else:
        slowdown = 3 + (benchmark_index - 1300) / 233
    return round(slowdown, 2)


@dataclass(frozen=True)
class Load:
    """One page load gathered by Lighthouse and saved, to be scored once the slowdown is known."""

    url: str
    artifacts: Path
    benchmark_index: float


def gather(node_modules: Path, url: str, folder: Path) -> Load | dict:
    """Load the page once at full speed; Lighthouse's simulated throttling is applied only when scoring."""
    gathered = _run_lighthouse(node_modules, url, f"--gather-mode={folder}")
    if "error" in gathered:
        return gathered
    return Load(url, folder, json.loads((folder / "artifacts.json").read_text())["BenchmarkIndex"])


def calibration(loads: list[Load]) -> dict:
    """One slowdown for a whole bench run, from the median benchmarkIndex of all its loads.

    The index is a 0.25-second benchmark and swings by half between loads
    here; calibrating each load by its own index would pass that noise on to
    the scores, so all pages, ours and stock Material's, share one slowdown.
    """
    indexes = sorted(load.benchmark_index for load in loads)
    median = statistics.median(indexes)
    return {"benchmark_indexes": indexes, "benchmark_index": median, "cpu_slowdown": calibrated_cpu_slowdown(median)}


def score(node_modules: Path, loads: list[Load], slowdown: float) -> dict:
    """The median report of one page's loads at `slowdown`, with the default 4x beside it."""
    calibrated = [_audit(node_modules, load, slowdown) for load in loads]
    default = [_audit(node_modules, load, DEFAULT_CPU_SLOWDOWN) for load in loads]
    failed = [r for r in calibrated + default if "error" in r]
    if failed:
        return failed[0]
    return {**median_report(calibrated), "default_slowdown": median_report(default), "runs": len(loads)}


def median_report(reports: list[dict]) -> dict:
    """Each score and metric is the median of its own runs; the rest is the first run's.

    The performance scores' range is kept too: loads of one page fall into two groups 10-15 points apart
    (bench/README.md), and a median of a few loads says nothing of which group it came from.
    """
    performance = [r["scores"]["performance"] for r in reports]
    return {
        **reports[0],
        "performance_range": [min(performance), max(performance)],
        "scores": {c: statistics.median(r["scores"][c] for r in reports) for c in LIGHTHOUSE_CATEGORIES},
        "metrics": {key: statistics.median(r["metrics"][key] for r in reports) for key in reports[0]["metrics"]},
        "benchmark_index": statistics.median(r["benchmark_index"] for r in reports),
    }


def _audit(node_modules: Path, load: Load, slowdown: float) -> dict:
    set_cpu_slowdown(load.artifacts / "artifacts.json", slowdown)
    run = _run_lighthouse(node_modules, load.url, f"--audit-mode={load.artifacts}", f"--throttling.cpuSlowdownMultiplier={slowdown}")
    if "error" in run:
        return run
    return {**summarize_lighthouse(run["report"], load.url), "cpu_slowdown": slowdown}


def set_cpu_slowdown(artifacts: Path, multiplier: float) -> None:
    """Record the slowdown in the gathered settings, which Lighthouse requires to match the audit's.

    The recorded value did not shape the load: simulated throttling only uses
    it in a requestIdleCallback shim, and no script of the site calls
    requestIdleCallback (tests/test_bench.py checks the built site).
    """
    gathered = json.loads(artifacts.read_text())
    gathered["settings"]["throttling"]["cpuSlowdownMultiplier"] = multiplier
    artifacts.write_text(json.dumps(gathered))


def _run_lighthouse(node_modules: Path, url: str, *mode: str) -> dict:
    command = [
        "node",
        str(node_modules / "lighthouse" / "cli" / "index.js"),
        url,
        *mode,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
        "--no-enable-error-reporting",
        f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)
    if result.returncode != 0:
        return {"url": url, "error": (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1]}
    return {"report": json.loads(result.stdout)} if result.stdout.strip() else {}


def summarize_lighthouse(report: dict, url: str) -> dict:
    """Scores out of 100, failing audits, and any request that left 127.0.0.1."""
    host = urlparse(url).netloc
    scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in LIGHTHOUSE_CATEGORIES}
    requests = report["audits"].get("network-requests", {}).get("details", {}).get("items", [])
    foreign = sorted({item["url"] for item in requests if urlparse(item["url"]).netloc not in (host, "")})
    failing = sorted(
        audit_id
        for audit_id, audit in report["audits"].items()
        if audit.get("score") is not None
        and audit["score"] < 0.9
        and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    )
    metrics = {
        key: report["audits"][key]["numericValue"]
        for key in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index")
        if key in report["audits"]
    }
    return {
        "url": url,
        "benchmark_index": report.get("environment", {}).get("benchmarkIndex"),
        "scores": scores,
        "failing_audits": failing,
        "metrics": metrics,
        "foreign_requests": foreign,
        "warnings": report.get("runWarnings", []),
    }
