"""Budgets for `make bench` and the Markdown report: pure functions over the results dict.

Every budget is a ratio or a count measured in the same run, never an
absolute number of seconds, so the verdict holds on any machine of this size.
A budget whose measurement was skipped says SKIP, never PASS.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

GROWTH_LIMIT = 5.5  # time(1000) / time(200): linear growth would be 5.0
OVERHEAD_LIMIT = 1.3  # project build / minimal Material build of the same pages
FIRST_VISIT_LIMIT_KB = 400  # gzip, question page, 200 questions, search index included unless lazy
LIGHTHOUSE_MIN = 95
GRAPH_LIMIT_SECONDS = 10.0
PDF_LIMIT_MB = 20  # each language's book, at 300 questions
GROWTH_SIZES = (200, 1000)
GRAPH_SIZE = 10_000


@dataclass(frozen=True)
class Verdict:
    budget: str
    status: str  # PASS, FAIL or SKIP
    figure: str
    limit: str

    def as_dict(self) -> dict:
        return asdict(self)


def _verdict(budget: str, ok: bool | None, figure: str, limit: str) -> Verdict:
    status = "SKIP" if ok is None else ("PASS" if ok else "FAIL")
    return Verdict(budget, status, figure, limit)


def growth(times: Mapping[int, float], sizes: tuple[int, int] = GROWTH_SIZES) -> float | None:
    small, large = sizes
    if small not in times or large not in times or not times[small]:
        return None
    return times[large] / times[small]


def check_growth(times: Mapping[int, float]) -> Verdict:
    ratio = growth(times)
    figure = "not measured (needs sizes 200 and 1000)" if ratio is None else f"{ratio:.2f}×"
    return _verdict(
        "build time growth: time(1000) ÷ time(200)", None if ratio is None else ratio <= GROWTH_LIMIT, figure, f"≤ {GROWTH_LIMIT}×"
    )


OVERHEAD_SIZE = 200


def overhead_size(sizes: list[int]) -> int | None:
    """The size the overhead budget is judged at: 200 questions when built, else the largest size run.

    Not simply the largest: the minimal build renders the full navigation on
    every page (no `navigation.prune`), which is quadratic, so at large sizes
    the ratio falls for reasons unrelated to the project's own work.
    """
    if not sizes:
        return None
    return OVERHEAD_SIZE if OVERHEAD_SIZE in sizes else max(sizes)


def check_overhead(ratios: Mapping[int, float]) -> Verdict:
    size = overhead_size(sorted(ratios))
    name = "project build ÷ minimal Material build (same pages)"
    if size is None:
        return _verdict(name, None, "not measured", f"≤ {OVERHEAD_LIMIT}×")
    return _verdict(name, ratios[size] <= OVERHEAD_LIMIT, f"{ratios[size]:.2f}× at N={size}", f"≤ {OVERHEAD_LIMIT}×")


def first_visit_kb(visit: Mapping) -> tuple[float, bool]:
    """(gzip KB of the first visit, whether the search index was left for when search opens)."""
    first = visit["first_visit"]
    lazy_index = first["search_index"]["requests"] == 0 and visit["on_search_open"]["search_index"]["requests"] > 0
    return first["total"]["gzip"] / 1000, lazy_index


def check_first_visit(visits: list[Mapping], size: int | None) -> Verdict:
    """The heaviest question page decides.

    The search index counts when the page fetches it on load; fetched only when
    the reader opens search, it is left out, but the rest of the page must
    still fit: a lazy index does not excuse a heavy page.
    """
    name = f"question page first visit (gzip) at N={size}"
    limit = f"≤ {FIRST_VISIT_LIMIT_KB} KB, search index included unless fetched only when search opens"
    if not visits:
        return _verdict(name, None, "not measured", limit)
    measured = [(first_visit_kb(v), v["path"]) for v in visits]
    (kb, _), path = max(measured, key=lambda item: item[0][0])
    every_lazy = all(is_lazy for (_, is_lazy), _ in measured)
    figure = f"{kb:.0f} KB ({path}); index {'fetched only when search opens' if every_lazy else 'fetched on load'}"
    return _verdict(name, kb <= FIRST_VISIT_LIMIT_KB, figure, limit)


def check_lighthouse(reports: list[Mapping]) -> Verdict:
    name = "Lighthouse mobile, CPU slowdown calibrated to this machine: performance / accessibility / best practices"
    limit = f"each ≥ {LIGHTHOUSE_MIN}"
    if not reports:
        return _verdict(name, None, "not measured", limit)
    if any("error" in r for r in reports):
        return _verdict(name, False, "Lighthouse failed: " + next(r["error"] for r in reports if "error" in r), limit)
    lowest = min(score for r in reports for score in r["scores"].values())
    figure = "; ".join(f"{r['page']}: " + "/".join(_score(s) for s in r["scores"].values()) for r in reports)
    return _verdict(name, lowest >= LIGHTHOUSE_MIN, figure, limit)


LIGHTHOUSE_TABLES = (
    ("lighthouse", "## Lighthouse 12.2.3, mobile"),
    (
        "lighthouse_minimal",
        "## Lighthouse 12.2.3, mobile: the same pages built with the minimal Material configuration (reference, not budgeted)",
    ),
)
LIGHTHOUSE_HEADER = (
    "| page | performance (range of the loads) | at the default 4× | accessibility | best practices "
    "| FCP / LCP / TBT | benchmarkIndex | failing audits |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
)


def _lighthouse_row(report: Mapping) -> str:
    if "error" in report:
        return f"| `{report['page']}` | error: {report['error']} | | | | | | |"
    s, m = report["scores"], report["metrics"]
    timings = " / ".join(_timing(key, m[key]) for key in LIGHTHOUSE_TIMINGS if key in m)
    default = _score(report["default_slowdown"]["scores"]["performance"])
    failing = ", ".join(report.get("failing_audits", [])) or "—"
    low, high = report.get("performance_range", (s["performance"],) * 2)
    return (
        f"| `{report['page']}` | {_score(s['performance'])} ({low:g}–{high:g}) | {default} | {_score(s['accessibility'])} | "
        f"{_score(s['best-practices'])} | {timings} | {report['benchmark_index']:.0f} | {failing} |"
    )


def calibration_line(calibration: Mapping) -> str:
    indexes = calibration["benchmark_indexes"]
    return (
        f"Lighthouse CPU slowdown for this run: **{calibration['cpu_slowdown']:g}×**, from the median benchmarkIndex "
        f"{calibration['benchmark_index']:.0f} of {len(indexes)} loads (range {indexes[0]:.0f}–{indexes[-1]:.0f}); "
        "Lighthouse's default 4× assumes about 1,533. See `bench/README.md`."
    )


def _score(score: float) -> str:
    """Medians of an even number of runs can end in .5; say so rather than round."""
    return f"{score:g}"


LIGHTHOUSE_TIMINGS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time")


def _timing(key: str, milliseconds: float) -> str:
    return f"{milliseconds:.0f} ms" if key == "total-blocking-time" else f"{milliseconds / 1000:.1f} s"


def check_axe(reports: list[Mapping]) -> Verdict:
    name = "axe-core serious + critical violations"
    if not reports:
        return _verdict(name, None, "not measured", "0")
    count = sum(item["nodes"] for r in reports for item in r["serious_or_critical"])
    ids = sorted({item["id"] for r in reports for item in r["serious_or_critical"]})
    figure = f"{count} nodes" + (f" ({', '.join(ids)})" if ids else "") + f" in {len(reports)} audits (pages × screen sizes)"
    return _verdict(name, count == 0, figure, "0")


def check_graph(result: Mapping | None) -> Verdict:
    """Judged only at the stated size: a smaller bank's time says nothing about the budget."""
    name = f"cross-link graph build at {GRAPH_SIZE:,} questions"
    limit = f"< {GRAPH_LIMIT_SECONDS:.0f} s"
    if not result:
        return _verdict(name, None, "not measured", limit)
    if "error" in result:
        return _verdict(name, False, f"failed: {result['error']}", limit)
    seconds = result.get("build_cpu_seconds", result["build_seconds"])
    figure = f"{seconds:.1f} s CPU ({result['build_seconds']:.1f} s wall) for {result['questions']:,} questions"
    return _verdict(name, seconds < GRAPH_LIMIT_SECONDS if result["questions"] >= GRAPH_SIZE else None, figure, limit)


def check_pdf(result: Mapping | None) -> Verdict:
    name = "PDF book per language (make pdf)"
    limit = f"≤ {PDF_LIMIT_MB} MB each"
    if not result:
        return _verdict(name, None, "not measured (needs size 300)", limit)
    if "error" in result or not result.get("books"):
        return _verdict(name, False, f"failed: {result.get('error') or result.get('log_tail', 'no book written')}", limit)
    sizes = {language: book["bytes"] / 2**20 for language, book in result["books"].items()}
    figure = ", ".join(f"{language} {mb:.1f} MB" for language, mb in sizes.items()) + f" at N={result['size']}"
    return _verdict(name, result["returncode"] == 0 and max(sizes.values()) <= PDF_LIMIT_MB, figure, limit)


def _failed_step(name: str, error: str) -> Verdict:
    return _verdict(name, False, f"measurement failed: {error}", "—")


def verdicts(results: Mapping) -> list[Verdict]:
    builds = results.get("builds", {})
    project_times = {int(n): b["project"]["cpu_seconds"] for n, b in builds.items() if "project" in b}
    ratios = {int(n): b["ratio"] for n, b in builds.items() if b.get("ratio") is not None}
    browser = results.get("browser", {})
    browser_checks = [
        check_first_visit(browser.get("first_visits", []), browser.get("size")),
        check_lighthouse(browser.get("lighthouse", [])),
        check_axe(browser.get("axe", [])),
    ]
    if "error" in browser:  # a crashed measurement fails its budgets rather than skipping them
        browser_checks = [_failed_step(v.budget, browser["error"]) for v in browser_checks]
    return [
        check_growth(project_times),
        check_overhead(ratios),
        *browser_checks,
        check_graph(results.get("graph")),
        check_pdf(results.get("pdf")),
    ]


def failed(checked: list[Verdict]) -> bool:
    return any(v.status == "FAIL" for v in checked)


def _kb(n: int) -> str:
    return f"{n / 1000:,.1f}"


def markdown(results: Mapping) -> str:
    """`bench/results.md`: the verdicts first, then every figure behind them."""
    meta = results["meta"]
    lines = [
        "# Benchmark results",
        "",
        f"Measured {meta['date']} on {meta['machine']} (commit `{meta['commit']}`), by `make bench`"
        f"{' --sizes ' + ','.join(map(str, meta['sizes'])) if meta.get('custom_sizes') else ''}. "
        "Regenerate with `make bench`; see `bench/README.md`.",
        "",
        "## Budgets",
        "",
        "| budget | figure | limit | verdict |",
        "| --- | --- | --- | --- |",
        *(f"| {v['budget']} | {v['figure']} | {v['limit']} | **{v['status']}** |" for v in results["budgets"]),
    ]
    lines += _builds_table(results.get("builds", {}))
    lines += _index_table(results.get("builds", {}))
    lines += _map_table(results.get("builds", {}))
    lines += _browser_tables(results.get("browser", {}))
    lines += _misc_table(results)
    return "\n".join(lines) + "\n"


def _builds_table(builds: Mapping) -> list[str]:
    if not builds:
        return []
    lines = [
        "",
        "## Full builds (both languages, 2N pages)",
        "",
        "| N questions | project CPU (wall) | minimal CPU (wall) | ratio CPU (wall) | peak RSS project / minimal | warnings | load avg |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n, b in sorted(builds.items(), key=lambda item: int(item[0])):
        p, m = b["project"], b.get("minimal") or {}
        ratio = f"{b['ratio']:.2f}× ({b['wall_ratio']:.2f}×)" if b.get("ratio") is not None else "—"
        minimal = f"{m['cpu_seconds']:.1f} s ({m['seconds']:.1f} s)" if m else "—"
        lines.append(
            f"| {int(n):,} | {p['cpu_seconds']:.1f} s ({p['seconds']:.1f} s) | {minimal} | {ratio} | "
            f"{p['peak_rss_mb']:.0f} / {m.get('peak_rss_mb', 0):.0f} MB | {p['warnings']} / {m.get('warnings', '—')} | "
            f"{p['load_average']} |"
        )
    lines.append("")
    lines.append(
        "CPU seconds (user + system of the build process) are budgeted: builds are single-threaded, and CPU time does not "
        "grow when other work shares the machine. Seconds are shown only so the ratios can be checked."
    )
    return lines


def _map_table(builds: Mapping) -> list[str]:
    return _sizes_table(builds, "map_page", "Knowledge map page per language (project build), KB", {"raw": "raw", "gzip": "gzip"})


def _index_table(builds: Mapping) -> list[str]:
    columns = {"raw": "raw", "gzip": "gzip", "gzip_distinct": "gzip, distinct questions (est.)"}
    lines = _sizes_table(builds, "search_index", "Search index per language (project build), KB", columns)
    return lines and [
        *lines,
        "",
        "Clones repeat the real bank's text, which gzip folds away; the estimate compresses each copy of the bank apart, "
        "which is what an index of distinct questions would cost.",
    ]


def _sizes_table(builds: Mapping, field: str, title: str, columns: Mapping[str, str]) -> list[str]:
    """One row per size: each language's sizes of `field` (bytes, shown in KB), in the order of `columns`."""
    rows = [(int(n), b[field]) for n, b in builds.items() if b.get(field)]
    if not rows:
        return []
    header = " | ".join(f"{lang} {label}" for lang in ("zh", "en") for label in columns.values())
    lines = ["", f"## {title}", "", f"| N | {header} |", "| ---: |" + " ---: |" * (2 * len(columns))]
    for n, sizes in sorted(rows):
        cells = [_kb(sizes.get(lang, {}).get(key, 0)) for lang in ("zh", "en") for key in columns]
        lines.append(f"| {n:,} | " + " | ".join(cells) + " |")
    return lines


def _browser_tables(browser: Mapping) -> list[str]:
    lines: list[str] = []
    visits = browser.get("first_visits", [])
    if visits:
        lines += ["", f"## First visit of a question page at N={browser.get('size')} (gzip level 6, KB)", ""]
        lines += ["| page | HTML | CSS | JS | search index | fonts | other | total | fetched when search opens |"]
        lines += ["| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for v in visits:
            f, lazy = v["first_visit"], v["on_search_open"]
            other = f["image"]["gzip"] + f["other"]["gzip"]
            lines.append(
                f"| `{v['path']}` | {_kb(f['html']['gzip'])} | {_kb(f['css']['gzip'])} | {_kb(f['js']['gzip'])} | "
                f"{_kb(f['search_index']['gzip'])} | {_kb(f['font']['gzip'])} | {_kb(other)} | **{_kb(f['total']['gzip'])}** | "
                f"{_kb(lazy['total']['gzip'])} ({lazy['search_index']['requests']} index) |"
            )
    if browser.get("lighthouse_calibration"):
        lines += ["", calibration_line(browser["lighthouse_calibration"])]
    for key, heading in LIGHTHOUSE_TABLES:
        if browser.get(key):
            lines += ["", heading, "", *LIGHTHOUSE_HEADER]
            lines += [_lighthouse_row(r) for r in browser[key]]
    for r in browser.get("axe", []):
        if r is browser["axe"][0]:
            lines += ["", f"## axe-core {r.get('version')}", "", "| page | violations by impact (nodes) | serious/critical rules |"]
            lines += ["| --- | --- | --- |"]
        impacts = ", ".join(f"{k}: {n}" for k, n in sorted(r["by_impact"].items())) or "none"
        rules = ", ".join(item["id"] for item in r["serious_or_critical"]) or "—"
        size = f" ({r['viewport']})" if "viewport" in r else ""
        lines.append(f"| `{r['path'] or '/'}`{size} | {impacts} | {rules} |")
    return lines


def _misc_table(results: Mapping) -> list[str]:
    lines = ["", "## Other figures", "", "| measurement | figure |", "| --- | --- |"]
    serve = results.get("serve")
    if serve:
        lines.append(f"| `make serve` at N={serve.get('size')}: first serve | {serve.get('first_serve_seconds')} s |")
        lines.append(
            f"| `make serve` at N={serve.get('size')}: edit one page until served | {serve.get('rebuild_seconds')} s wall, "
            f"{serve.get('rebuild_cpu_seconds')} s CPU |"
        )
        if serve.get("build_seconds") and serve.get("rebuild_cpu_seconds"):
            lines.append(f"| … rebuild CPU ÷ full build CPU at that size | {serve['rebuild_cpu_seconds'] / serve['build_seconds']:.2f}× |")
    graph = results.get("graph")
    if graph and "error" not in graph:
        lines.append(f"| graph at {graph['questions']:,} questions: `bank.load` | {graph['load_seconds']} s |")
        lines.append(f"| graph: Chinese segmenter dictionary load | {graph.get('segmenter_init_seconds')} s |")
        lines.append(f"| graph: `graph.build` | {graph.get('build_cpu_seconds')} s CPU, {graph['build_seconds']} s wall |")
        lines.append(f"| graph: `graph.build` peak traced memory | {graph.get('build_peak_mb')} MB |")
    pdf = results.get("pdf")
    if pdf and pdf.get("books"):
        for language, book in pdf["books"].items():
            lines.append(f"| `make pdf` at N={pdf['size']}: {language} book | {book['bytes'] / 2**20:.1f} MB, {book['pages']} pages |")
        lines.append(f"| `make pdf` at N={pdf['size']}: both books | {pdf['seconds']} s wall |")
    growth_ratio = growth({int(n): b["project"]["cpu_seconds"] for n, b in results.get("builds", {}).items()})
    if growth_ratio is not None:
        lines.append(f"| time(1000) ÷ time(200), project build (CPU) | {growth_ratio:.2f}× |")
    return lines if len(lines) > 5 else []
