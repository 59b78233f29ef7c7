"""The benchmark harness's pure parts: clone generation, budget arithmetic, byte accounting. Nothing here is timed."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from benchmark import browser as bench_browser
from benchmark import clone as bench_clone
from benchmark import report as bench_report
from benchmark import run as bench
from handbook import bank, translation

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

ZH = """---
tags: [lora]
difficulty: easy
related: [beta, ghost]
aliases: [A]
reviewed: 2026-01-01
---

# Alpha question

## 一句话回答

See [beta](../cv/beta.md#short), [the tags](../tags.md), [gone](../nlp/gone.md), [web](https://example.org/x.md) and ![pic](../img.md).
"""


def source(slug: str, section: str, related: str = "") -> bench_clone.Source:
    zh = ZH.replace("related: [beta, ghost]", f"related: [{related}]" if related else "related: []").replace("Alpha", slug)
    en = zh.replace("一句话回答", "Short answer")
    return bench_clone.Source(slug, section, {"zh": zh, "en": en})


@pytest.fixture
def originals() -> list[bench_clone.Source]:
    return [source("alpha", "nlp", "beta, ghost"), source("beta", "cv", "alpha"), source("gamma", "precision")]


def test_plan_gives_unique_slugs_and_spreads_sources(originals) -> None:
    clones = bench_clone.plan(originals, 100)
    assert len({c.slug for c in clones}) == 100
    counts = Counter(c.source.slug for c in clones)
    assert max(counts.values()) - min(counts.values()) <= 1
    assert clones[42].slug.endswith("-c0042")


def test_plan_refuses_an_empty_bank() -> None:
    with pytest.raises(ValueError):
        bench_clone.plan([], 10)


def test_related_and_links_point_at_clones_that_exist(originals) -> None:
    clones = bench_clone.plan(originals, 7)  # rounds 0, 1 complete; round 2 only has alpha
    table = bench_clone.lookup_table(clones)
    slugs = {c.slug for c in clones}
    last = clones[6]
    assert last.round == 2 and last.source.slug == "alpha"
    files = bench_clone.clone_files(last, table, {"tags.md"}.__contains__)
    zh = bank.split_front_matter(files[f"nlp/{last.slug}.md"])[1]
    page = bench_clone.page_of(files[f"nlp/{last.slug}.md"], "zh")
    assert page.meta["related"] == ["beta-c0001"]  # round 2 has no beta: round 0's; ghost dropped
    assert set(page.meta["related"]) <= slugs
    assert "[beta](../cv/beta-c0001.md#short)" in zh
    assert "[the tags](../tags.md)" in zh
    assert "[gone]" not in zh and "gone" in zh  # a page absent from the clone becomes plain text
    assert "(https://example.org/x.md)" in zh and "![pic](../img.md)" in zh


def test_same_round_links_stay_in_their_round(originals) -> None:
    clones = bench_clone.plan(originals, 6)
    table = bench_clone.lookup_table(clones)
    assert bench_clone.rewrite_related(["beta", "alpha", "beta"], clones[3], table) == ["beta-c0004"]


def test_titles_are_unique_per_language_and_headings_survive(originals) -> None:
    clones = bench_clone.plan(originals, 6)
    table = bench_clone.lookup_table(clones)
    titles = set()
    for clone in clones:
        for relative, text in bench_clone.clone_files(clone, table, lambda _: True).items():
            language = bank.language_of(Path(relative))
            page = bench_clone.page_of(text, language)
            titles.add((language, page.title))
            assert [h.level for h in page.headings] == [1, 2]
    assert len(titles) == 12


def test_a_current_translation_stays_current() -> None:
    original = source("alpha", "nlp")
    digest = translation.source_hash(bench_clone.page_of(original.texts["zh"], "zh"))
    en = original.texts["en"].replace("reviewed: 2026-01-01", f"reviewed: 2026-01-01\nsource_hash: {digest}")
    current = bench_clone.Source("alpha", "nlp", {"zh": original.texts["zh"], "en": en})
    assert current.current_translation
    clone = bench_clone.plan([current], 2)[1]
    files = bench_clone.clone_files(clone, bench_clone.lookup_table([clone]), lambda _: True)
    zh, en = (bench_clone.page_of(files[f"nlp/alpha-c0001{suffix}.md"], lang) for suffix, lang in (("", "zh"), (".en", "en")))
    assert translation.state(zh, en) is translation.State.CURRENT


def test_set_key_replaces_flow_and_block_values() -> None:
    raw = "tags: [a]\nrelated:\n  - x\n  - y\ndifficulty: easy\n"
    assert bench_clone.set_key(raw, "related", "[z]") == "tags: [a]\ndifficulty: easy\nrelated: [z]\n"
    assert bench_clone.set_key(raw, "related", None) == "tags: [a]\ndifficulty: easy\n"


def test_write_docs_builds_a_consistent_bank(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    clones = bench_clone.write_docs(docs, 12)
    questions = bank.load(docs)
    assert len(questions) == 12 == len(clones)
    assert all(set(q.pages) == set(bank.LANGUAGES) for q in questions.values())
    assert all(set(q.related) <= questions.keys() for q in questions.values())
    assert (docs / "index.md").is_file() and (docs / "nlp" / "index.md").is_file()


def test_minimal_config_keeps_extensions_and_drops_the_rest() -> None:
    config = bench_clone.minimal_config((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "pymdownx.superfences" in config and "!!python/object/apply:pymdownx.slugs.slugify" in config
    assert "hooks:" not in config and "tags" not in config.split("markdown_extensions:")[0]
    assert "- search\n" in config and "jieba" not in config


def test_growth_and_overhead_budgets() -> None:
    assert bench_report.growth({200: 10.0, 1000: 52.0}) == pytest.approx(5.2)
    assert bench_report.check_growth({200: 10.0, 1000: 52.0}).status == "PASS"
    assert bench_report.check_growth({200: 10.0, 1000: 56.0}).status == "FAIL"
    assert bench_report.check_growth({200: 10.0}).status == "SKIP"
    assert bench_report.check_overhead({200: 1.31, 1000: 1.2}).status == "FAIL"  # judged at 200 when built
    assert bench_report.check_overhead({200: 1.3, 1000: 1.5}).status == "PASS"
    assert bench_report.check_overhead({100: 1.2, 500: 1.31}).status == "FAIL"  # else at the largest size
    assert bench_report.check_overhead({}).status == "SKIP"


def visit(path: str, total_kb: float, index_on_load: int, index_on_search: int) -> dict:
    empty = {c: {"raw": 0, "gzip": 0, "requests": 0} for c in bench_browser.CATEGORIES}
    first = {**empty, "search_index": {"raw": 0, "gzip": 0, "requests": index_on_load}, "total": {"gzip": total_kb * 1000}}
    lazy = {**empty, "search_index": {"raw": 0, "gzip": 0, "requests": index_on_search}, "total": {"gzip": 0}}
    return {"path": path, "first_visit": first, "on_search_open": lazy}


def test_first_visit_budget_counts_the_index_only_when_fetched_on_load() -> None:
    assert bench_report.check_first_visit([visit("a/", 390, 1, 0)], 200).status == "PASS"
    assert bench_report.check_first_visit([visit("a/", 390, 1, 0), visit("b/", 410, 1, 0)], 200).status == "FAIL"
    lazy = bench_report.check_first_visit([visit("b/", 300, 0, 1)], 200)
    assert lazy.status == "PASS" and "only when search opens" in lazy.figure
    assert bench_report.check_first_visit([visit("b/", 450, 0, 1)], 200).status == "FAIL"  # a lazy index does not excuse a heavy page
    assert bench_report.check_first_visit([], 200).status == "SKIP"
    assert bench_report.first_visit_kb(visit("b/", 300, 0, 1)) == (300, True)


def test_lighthouse_axe_and_graph_budgets() -> None:
    good = {"page": "/", "scores": {"performance": 99, "accessibility": 100, "best-practices": 96}}
    bad = {"page": "q/", "scores": {"performance": 94, "accessibility": 100, "best-practices": 100}}
    assert bench_report.check_lighthouse([good]).status == "PASS"
    assert bench_report.check_lighthouse([good, bad]).status == "FAIL"
    assert bench_report.check_lighthouse([{"page": "/", "error": "no Chrome"}]).status == "FAIL"
    clean = {"serious_or_critical": []}
    dirty = {"serious_or_critical": [{"id": "color-contrast", "nodes": 3}]}
    assert bench_report.check_axe([clean]).status == "PASS"
    assert bench_report.check_axe([clean, dirty]).status == "FAIL"
    assert bench_report.check_graph({"build_seconds": 9.9, "questions": 10_000}).status == "PASS"
    assert bench_report.check_graph({"build_seconds": 10.0, "questions": 10_000}).status == "FAIL"
    assert bench_report.check_graph(None).status == "SKIP"
    assert bench_report.check_graph({"build_seconds": 1.0, "questions": 200}).status == "SKIP"  # not the budgeted size
    assert bench_report.failed([bench_report.check_graph({"error": "boom"})])
    book = {"size": 300, "returncode": 0, "books": {"zh": {"bytes": 20 * 2**20}, "en": {"bytes": 9 * 2**20}}}
    assert bench_report.check_pdf(book).status == "PASS"
    assert bench_report.check_pdf({**book, "books": {"zh": {"bytes": 20 * 2**20 + 1}}}).status == "FAIL"
    assert bench_report.check_pdf({**book, "returncode": 1}).status == "FAIL"
    assert bench_report.check_pdf(None).status == "SKIP"


def test_resources_are_bucketed_and_summed() -> None:
    assert bench_browser.categorize("http://h/search/search_index.json", "xhr", "application/json") == "search_index"
    assert bench_browser.categorize("http://h/q/", "document", "text/html") == "html"
    assert bench_browser.categorize("http://h/a.mjs", "script", "text/javascript") == "js"
    assert bench_browser.categorize("http://h/f.woff2", "font", "font/woff2") == "font"
    resources = [
        bench_browser.Resource("http://h/a.css", "stylesheet", "text/css", 100, 40),
        bench_browser.Resource("http://h/", "document", "text/html", 50, 20),
    ]
    summed = bench_browser.totals(resources)
    assert summed["css"]["gzip"] == 40 and summed["total"] == {"raw": 150, "gzip": 60, "requests": 2}
    assert bench_browser.is_text("application/javascript") and not bench_browser.is_text("font/woff2")


def test_sizes_parse_from_make_and_the_command_line() -> None:
    assert bench.parse_sizes(["200"]) == [200]
    assert bench.parse_sizes(["1000,200", "500"]) == [200, 500, 1000]
    assert bench.browser_size([100, 500, 1000]) == 100
    assert bench.browser_size([100, 200, 500]) == 200
    assert bench.arguments(["--sizes", "200"]).custom_sizes
    assert bench.arguments([]).sizes == list(bench.DEFAULT_SIZES)


def test_the_budgeted_size_is_built_three_times() -> None:
    assert [bench.repeats(n, 200, 1) for n in (100, 200, 500)] == [1, 3, 1]
    assert bench.repeats(200, 200, 5) == 5


def test_a_lighthouse_row_shows_scores_timings_calibration_and_failing_audits() -> None:
    report = {
        "page": "/",
        "scores": {"performance": 83, "accessibility": 100, "best-practices": 100},
        "performance_range": [75, 89],
        "default_slowdown": {"scores": {"performance": 74.5, "accessibility": 100, "best-practices": 100}},
        "metrics": {"first-contentful-paint": 1995.2, "largest-contentful-paint": 2554.0, "total-blocking-time": 466.4},
        "benchmark_index": 1133.4,
        "failing_audits": ["legacy-javascript", "total-blocking-time"],
    }
    assert bench_report._lighthouse_row(report) == (
        "| `/` | 83 (75–89) | 74.5 | 100 | 100 | 2.0 s / 2.6 s / 466 ms | 1133 | legacy-javascript, total-blocking-time |"
    )
    assert bench_report._lighthouse_row({"page": "/", "error": "timeout"}) == "| `/` | error: timeout | | | | | | |"


@pytest.mark.parametrize(
    ("benchmark_index", "slowdown"),
    [(150, 1.0), (475, 1.5), (800, 2.0), (1050, 2.5), (1300, 3.0), (1533, 4.0), (2000, 6.0)],
)
def test_the_cpu_slowdown_follows_lighthouses_calculator(benchmark_index: float, slowdown: float) -> None:
    assert bench_browser.calibrated_cpu_slowdown(benchmark_index) == slowdown


def test_a_host_too_slow_to_calibrate_is_an_error() -> None:
    with pytest.raises(ValueError, match="too slow"):
        bench_browser.calibrated_cpu_slowdown(120)


def test_medians_are_taken_per_score_and_per_metric() -> None:
    def run(performance: int, tbt: float, index: float) -> dict:
        scores = {"performance": performance, "accessibility": 100, "best-practices": 100}
        return {"url": "u", "scores": scores, "metrics": {"total-blocking-time": tbt}, "benchmark_index": index}

    median = bench_browser.median_report([run(90, 300, 1100), run(70, 200, 1700), run(80, 900, 1200)])
    assert (median["scores"]["performance"], median["metrics"]["total-blocking-time"], median["benchmark_index"]) == (80, 300, 1200)
    assert median["performance_range"] == [70, 90]


def test_one_slowdown_serves_the_whole_run(tmp_path: Path) -> None:
    loads = [bench_browser.Load("u", tmp_path, index) for index in (1700, 1050, 1300, 1100)]
    calibration = bench_browser.calibration(loads)
    assert calibration == {"benchmark_indexes": [1050, 1100, 1300, 1700], "benchmark_index": 1200, "cpu_slowdown": 2.8}
    assert bench_report.calibration_line(calibration) == (
        "Lighthouse CPU slowdown for this run: **2.8×**, from the median benchmarkIndex 1200 of 4 loads (range 1050–1700); "
        "Lighthouse's default 4× assumes about 1,533. See `bench/README.md`."
    )


def test_the_recorded_slowdown_is_rewritten_in_place(tmp_path: Path) -> None:
    artifacts = tmp_path / "artifacts.json"
    artifacts.write_text('{"BenchmarkIndex": 1200, "settings": {"throttling": {"cpuSlowdownMultiplier": 4, "rttMs": 150}}}')
    bench_browser.set_cpu_slowdown(artifacts, 2.8)
    assert artifacts.read_text() == '{"BenchmarkIndex": 1200, "settings": {"throttling": {"cpuSlowdownMultiplier": 2.8, "rttMs": 150}}}'


def test_no_script_of_the_site_asks_for_idle_callbacks(site: Path) -> None:
    """Lighthouse's gathered load depends on the CPU slowdown only through its requestIdleCallback shim.

    set_cpu_slowdown relies on that: if a script of the site started to use
    requestIdleCallback, each slowdown would need a load of its own.
    """
    scripts = [path for path in site.rglob("*") if path.suffix in (".js", ".mjs")]
    assert scripts
    assert [path.relative_to(site) for path in scripts if b"requestIdleCallback" in path.read_bytes()] == []


def test_the_map_page_is_measured_per_language(tmp_path: Path) -> None:
    from benchmark import builds

    for folder in ("map", "en/map"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "index.html").write_text("<li>question</li>" * 1000, encoding="utf-8")
    sizes = builds.map_sizes(tmp_path)
    assert set(sizes) == {"zh", "en"} and sizes["zh"]["raw"] == 17_000 and 0 < sizes["zh"]["gzip"] < 1_000
    table = "\n".join(bench_report._map_table({"300": {"map_page": sizes}}))
    assert "## Knowledge map page per language" in table and "| 300 | 17.0 |" in table
