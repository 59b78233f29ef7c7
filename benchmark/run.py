"""`make bench`: how the handbook's pipeline scales, measured side by side in one run.

    PYTHONPATH=scripts .venv/bin/python -m benchmark                 # N = 100, 200, 500, 1000 and everything else
    PYTHONPATH=scripts .venv/bin/python -m benchmark --sizes 200     # one quick size
    PYTHONPATH=scripts .venv/bin/python -m benchmark --skip-lighthouse --skip-graph

Synthetic banks are clones of the real questions (see benchmark/clone.py)
written to bench/scratch/. Each size is built with the project's own
configuration and with a minimal Material configuration over the same pages,
alternately, so both see the same machine state. Results go to
bench/results.json and bench/results.md; the exit status is 1 if a budget
fails, after everything has been printed.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmark import browser as audit
from benchmark import builds
from benchmark import clone as cloning
from benchmark import report as reporting
from handbook import bank, book, exports, vendor

ROOT = bank.ROOT
BENCH = ROOT / "bench"
SCRATCH = BENCH / "scratch"
NODE_MODULES = BENCH / "node_modules"
DEFAULT_SIZES = (100, 200, 300, 500, 1000)
PDF_SIZE = 300  # the size for the books (≤ 20 MB each)
BROWSER_SIZE = 200
GRAPH_SIZE = 10_000
PROJECT_SITE, MINIMAL_SITE, MINIMAL_CONFIG = "site", "site-minimal", "mkdocs.minimal.yml"


def parse_sizes(values: list[str]) -> list[int]:
    """`--sizes 200`, `--sizes 200,1000` or `--sizes 200 1000`; sorted, unique, positive."""
    sizes = sorted({int(part) for value in values for part in value.split(",") if part.strip()})
    if not sizes or sizes[0] <= 0:
        raise argparse.ArgumentTypeError("sizes must be positive integers")
    return sizes


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=[",".join(map(str, DEFAULT_SIZES))], help="question counts to build")
    parser.add_argument("--repeat", type=int, default=1, help="builds per configuration and size, ≥ 3 at the budgeted size; median kept")
    parser.add_argument("--graph-size", type=int, default=GRAPH_SIZE, help="questions in the cross-link graph benchmark")
    parser.add_argument("--lighthouse-runs", type=int, default=3, help="Lighthouse runs per page; the median score is kept")
    parser.add_argument("--skip-minimal", action="store_true", help="do not build the minimal Material configuration")
    parser.add_argument("--skip-browser", action="store_true", help="skip first-visit bytes, axe and Lighthouse")
    parser.add_argument("--skip-lighthouse", action="store_true", help="skip Lighthouse (the slowest browser part)")
    parser.add_argument("--skip-axe", action="store_true")
    parser.add_argument("--skip-serve", action="store_true", help="skip the `mkdocs serve` rebuild measurement")
    parser.add_argument("--skip-graph", action="store_true", help="skip the 10,000-question graph benchmark")
    parser.add_argument("--skip-pdf", action="store_true", help=f"skip `make pdf` at N={PDF_SIZE}")
    parser.add_argument("--output", type=Path, default=BENCH, help="folder for results.json and results.md")
    args = parser.parse_args(argv)
    args.custom_sizes = args.sizes != parser.get_default("sizes")
    args.sizes = parse_sizes(args.sizes)
    return args


def say(message: str) -> None:
    print(message, flush=True)


def browser_size(sizes: list[int]) -> int:
    """The browser budgets are stated at 200 questions; without it, the size closest to 200."""
    return min(sizes, key=lambda n: (abs(n - BROWSER_SIZE), n))


def scratch_project(n: int, originals: list[cloning.Source]) -> Path:
    project = SCRATCH / f"n{n:05d}"
    cloning.write_project(project, n, ROOT, originals)
    (project / MINIMAL_CONFIG).write_text(cloning.minimal_config((ROOT / "mkdocs.yml").read_text(encoding="utf-8")), encoding="utf-8")
    return project


BUDGETED_SIZE_REPEATS = 3


def repeats(n: int, budgeted: int, asked: int) -> int:
    """Builds per configuration at size n: at least 3 at the size whose ratio is budgeted.

    One stock-Material build of the same 400 pages took 23-31 s CPU from run to
    run on this machine, enough to move the project ÷ stock ratio across its
    1.3 limit; the median of three does not swing like that.
    """
    return max(asked, BUDGETED_SIZE_REPEATS) if n == budgeted else asked


def median_run(runs: list[builds.Run]) -> builds.Run:
    """The run with the median CPU time (a real run, so its memory and log belong to it)."""
    ordered = sorted(runs, key=lambda run: run.cpu_seconds)
    return ordered[(len(ordered) - 1) // 2]


def measure_builds(project: Path, repeat: int, minimal: bool, originals: int) -> dict:
    """Project and minimal builds of one scratch project, alternating so drift hits both equally."""
    runs: dict[str, list[builds.Run]] = {"project": [], "minimal": []}
    for _ in range(repeat):
        runs["project"].append(builds.build(project, "mkdocs.yml", PROJECT_SITE))
        if minimal:
            runs["minimal"].append(builds.build(project, MINIMAL_CONFIG, MINIMAL_SITE))
    result: dict = {name: median_run(r).as_dict() for name, r in runs.items() if r}
    for name, r in runs.items():
        if len(r) > 1:
            result[name]["all_cpu_seconds"] = [run.cpu_seconds for run in r]
    ok = all(result[name]["returncode"] == 0 for name in result)
    both = minimal and ok
    result["ratio"] = round(result["project"]["cpu_seconds"] / result["minimal"]["cpu_seconds"], 3) if both else None
    result["wall_ratio"] = round(result["project"]["seconds"] / result["minimal"]["seconds"], 3) if both else None
    result["search_index"] = builds.index_sizes(project / PROJECT_SITE, originals)
    result["map_page"] = builds.map_sizes(project / PROJECT_SITE)
    if minimal:
        result["minimal_search_index"] = builds.index_sizes(project / MINIMAL_SITE)
    return result


def report_build(n: int, result: dict) -> None:
    p, m = result["project"], result.get("minimal")
    line = f"  N={n}: project {p['cpu_seconds']:.1f} s CPU ({p['seconds']:.1f} s wall), {p['peak_rss_mb']:.0f} MB"
    line += f" (exit {p['returncode']}, {p['warnings']} warnings, load {p['load_average']})"
    if m:
        line += f" | minimal {m['cpu_seconds']:.1f} s CPU ({m['seconds']:.1f} s wall), {m['peak_rss_mb']:.0f} MB | ratio {result['ratio']}"
    say(line)
    for name in ("project", "minimal"):
        if name in result and result[name]["returncode"] != 0:
            say(f"  {name} build failed:\n" + result[name]["log_tail"])


def question_paths(clones: list[cloning.Clone]) -> list[str]:
    """Question pages to load: the heaviest kinds (maths and diagrams) and a plain one, in both languages."""
    chosen: dict[str, cloning.Clone] = {}
    for clone in clones:
        text = clone.source.texts[bank.DEFAULT_LANGUAGE]
        kind = "diagram" if "```mermaid" in text else ("math" if "$" in text else "plain")
        chosen.setdefault(kind, clone)
    paths = [f"{c.source.section}/{c.slug}/" for c in chosen.values()]
    return [*paths, f"en/{paths[0]}"]


def measure_browser(project: Path, clones: list[cloning.Clone], args: argparse.Namespace) -> dict:
    site = project / PROJECT_SITE
    pages = question_paths(clones)
    result: dict = {"size": len(clones), "first_visits": [], "axe": [], "lighthouse": []}
    with audit.serve(site) as base, audit.chromium() as browser:
        for path in pages:
            visit = audit.first_visit(browser, base, path)
            say(f"  first visit {path}: {visit['first_visit']['total']['gzip'] / 1000:.0f} KB gzip on load, "
                f"{visit['on_search_open']['total']['gzip'] / 1000:.0f} KB more when search opens")  # fmt: skip
            result["first_visits"].append(visit)
        if not args.skip_axe:
            script = NODE_MODULES / "axe-core" / "axe.min.js"
            for size, viewport in audit.AXE_VIEWPORTS.items():
                for path in ["", "en/", pages[0], pages[-1]]:
                    result["axe"].append({**audit.axe(browser, base, path, script, viewport), "viewport": size})
                    say(f"  axe {path or '/'} ({size}): {result['axe'][-1]['by_impact']}")
    if not args.skip_lighthouse:
        sites = {"lighthouse": site, "lighthouse_minimal": project / MINIMAL_SITE}
        result |= lighthouse_sites({key: path for key, path in sites.items() if path.is_dir()}, ["", *pages[:-1]], args.lighthouse_runs)
    return result


def lighthouse_sites(sites: dict[str, Path], paths: list[str], runs: int) -> dict:
    """Lighthouse on the home page and one question page of each kind, of our site and stock Material's.

    Every page is loaded `runs` times (runs interleaved, so a busy spell of the
    machine is shared out) before anything is scored: the CPU slowdown comes
    from the median benchmarkIndex of all these loads.
    """
    SCRATCH.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lighthouse-", dir=SCRATCH) as folder:
        loads: dict[str, dict[str, list]] = {key: {path: [] for path in paths} for key in sites}
        for key, site in sites.items():
            with audit.serve(site) as base:
                for run, (number, path) in itertools.product(range(runs), enumerate(paths)):
                    load = audit.gather(NODE_MODULES, base + path, Path(folder) / f"{key}-{number}-{run}")
                    loads[key][path].append(load)
                    say(f"  {key} load {run + 1}/{runs} {path or '/'}: {getattr(load, 'benchmark_index', load)}")
        usable = [load for by_path in loads.values() for page in by_path.values() for load in page if isinstance(load, audit.Load)]
        try:
            calibration = audit.calibration(usable) if usable else None
        except ValueError as error:
            return {key: [{"page": path or "/", "error": str(error)} for path in paths] for key in sites}
        slowdown = calibration["cpu_slowdown"] if calibration else audit.DEFAULT_CPU_SLOWDOWN
        say(f"  lighthouse: CPU slowdown {slowdown}× for this machine ({calibration})")
        result: dict = {"lighthouse_calibration": calibration}
        for key, by_path in loads.items():
            result[key] = [score_page(path, page_loads, slowdown) for path, page_loads in by_path.items()]
    return result


def score_page(path: str, loads: list, slowdown: float) -> dict:
    failed = [load for load in loads if not isinstance(load, audit.Load)]
    report = failed[0] if failed else audit.score(NODE_MODULES, loads, slowdown)
    say(f"  lighthouse {path or '/'}: {report.get('scores', report.get('error'))}")
    return {**report, "page": path or "/"}


def measure_pdf(project: Path, size: int) -> dict:
    """Both books of a scratch project, printed by its own copy of `scripts/pdf.py` (which reads that bank)."""
    from pypdf import PdfReader

    site = project / PROJECT_SITE
    started = time.monotonic()
    command = [sys.executable, "scripts/pdf.py", "--site", str(site)]
    printed = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
    books = {}
    for language in bank.LANGUAGES:
        path = book.language_root(site, language) / exports.FOLDER / book.pdf_name(language)
        if path.is_file():
            books[language] = {"bytes": path.stat().st_size, "pages": len(PdfReader(path).pages)}
    result = {"size": size, "seconds": round(time.monotonic() - started, 1), "books": books, "returncode": printed.returncode}
    if printed.returncode != 0:
        result["log_tail"] = printed.stderr[-600:]
    return result


def install_node_tools() -> None:
    """`npm ci --prefix bench`: the exact versions in bench/package-lock.json, without install scripts."""
    installed = NODE_MODULES / ".package-lock.json"
    if installed.is_file() and installed.stat().st_mtime >= (BENCH / "package-lock.json").stat().st_mtime:
        return
    if not shutil.which("npm"):
        raise SystemExit("npm is needed for axe-core and Lighthouse; use --skip-browser or install Node 20")
    subprocess.run(["npm", "ci", "--prefix", str(BENCH), "--ignore-scripts", "--no-audit", "--no-fund"], check=True)


def measure_serve(project: Path, clones: list[cloning.Clone], build_seconds: float | None) -> dict:
    clone = clones[len(clones) // 2]
    page = project / "docs" / clone.source.section / f"{clone.slug}.md"
    result = builds.serve_rebuild(project, page, f"{clone.source.section}/{clone.slug}/")
    return {**result, "size": len(clones), "build_seconds": build_seconds}


def measure_graph(n: int, originals: list[cloning.Source]) -> dict:
    docs = SCRATCH / f"graph{n}" / "docs"
    cloning.write_docs(docs, n, ROOT / "docs", originals)
    return builds.graph_benchmark(docs)


def metadata(args: argparse.Namespace) -> dict:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}",
        "commit": commit + ("+uncommitted" if dirty else ""),
        "sizes": args.sizes,
        "custom_sizes": args.custom_sizes,
        "repeat": args.repeat,
    }


def step(title: str, work: Callable[[], dict]) -> dict:
    say(f"\n== {title}")
    try:
        return work()
    except Exception as error:  # one broken measurement must not hide the others
        say(f"  failed: {error!r}")
        return {"error": repr(error)}


def run(args: argparse.Namespace) -> dict:
    results: dict = {"meta": metadata(args), "builds": {}}
    vendor.ensure()
    originals = cloning.sources(ROOT / "docs")
    say(f"Cloning {len(originals)} questions that have both languages.")
    target = browser_size(args.sizes)
    for n in args.sizes:
        say(f"\n== Build N={n} ({2 * n} pages)")
        project = scratch_project(n, originals)
        results["builds"][str(n)] = measure_builds(project, repeats(n, target, args.repeat), not args.skip_minimal, len(originals))
        report_build(n, results["builds"][str(n)])
    if not args.skip_pdf and results["builds"].get(str(PDF_SIZE), {}).get("project", {}).get("returncode") == 0:
        results["pdf"] = step(f"make pdf at N={PDF_SIZE}", lambda: measure_pdf(SCRATCH / f"n{PDF_SIZE:05d}", PDF_SIZE))
        say(f"  {results['pdf']}")
    project = SCRATCH / f"n{target:05d}"
    clones = cloning.plan(originals, target)
    built = results["builds"][str(target)]["project"]
    if not args.skip_browser and built["returncode"] == 0:
        if not (args.skip_axe and args.skip_lighthouse):
            install_node_tools()
        results["browser"] = step(f"Browser at N={target}", lambda: measure_browser(project, clones, args))
    if not args.skip_serve:
        results["serve"] = step(f"mkdocs serve at N={target}", lambda: measure_serve(project, clones, built["cpu_seconds"]))
        say(f"  {results['serve']}")
    if not args.skip_graph:
        results["graph"] = step(f"Cross-link graph at N={args.graph_size}", lambda: measure_graph(args.graph_size, originals))
        say(f"  {results['graph']}")
    results["budgets"] = [v.as_dict() for v in reporting.verdicts(results)]
    return results


def write(results: dict, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "results.md").write_text(reporting.markdown(results), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    results = run(args)
    write(results, args.output)
    say("\n== Budgets")
    for verdict in results["budgets"]:
        say(f"  {verdict['status']:4}  {verdict['budget']}: {verdict['figure']} (limit {verdict['limit']})")
    say(f"\nWrote {args.output / 'results.json'} and {args.output / 'results.md'}")
    return 1 if any(v["status"] == "FAIL" for v in results["budgets"]) else 0
