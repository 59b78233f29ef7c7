"""Cross-links: exact neighbours on a small bank, graph properties, and the built pages."""

from __future__ import annotations

import html
import itertools
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures import minibank
from handbook import bank, graph

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bank.Question]:
    return bank.load(minibank.write(tmp_path_factory.mktemp("mini") / "docs"))


def neighbours(related: graph.Graph) -> dict[str, list[str]]:
    return {slug: [link.slug for link in links] for slug, links in related.neighbours.items()}


def test_exact_neighbours_on_the_small_bank(mini: dict[str, bank.Question]) -> None:
    assert neighbours(graph.build(mini, k=3)) == {
        "alpha": ["beta"],
        "beta": ["alpha", "zeta"],
        "delta": ["gamma"],
        "epsilon": ["gamma", "zeta"],
        "gamma": ["zeta", "epsilon", "delta"],  # zeta is explicit (from zeta's related:), so it comes first
        "zeta": ["gamma", "epsilon", "beta"],
    }


def test_clusters_join_only_strong_mutual_links(mini: dict[str, bank.Question]) -> None:
    # gamma and epsilon list each other at 0.35; alpha and beta do too, but at 0.29 (< CLUSTER_MIN_SCORE)
    assert graph.clusters(graph.build(mini, k=3)) == [["epsilon", "gamma"], ["alpha"], ["beta"], ["delta"], ["zeta"]]


def test_explicit_links_are_mutual_and_first(mini: dict[str, bank.Question]) -> None:
    related = graph.build(mini, k=3)
    assert related.neighbours["gamma"][0].explicit and related.neighbours["gamma"][0].slug == "zeta"
    assert related.neighbours["beta"][0].explicit and related.neighbours["beta"][0].slug == "alpha"


def test_reasons_name_the_shared_tags_in_the_page_language(mini: dict[str, bank.Question]) -> None:
    link = graph.build(mini, k=3).neighbours["epsilon"][0]
    assert graph.explain(link, bank.tags(), "zh") == "共同标签：显存优化"
    assert graph.explain(link, bank.tags(), "en") == "shared tags: Memory optimization"


def test_properties_on_the_real_bank() -> None:
    questions = bank.load()
    related = graph.build(questions)
    for slug, links in related.neighbours.items():
        others = [link.slug for link in links]
        assert slug not in others, "self-link"
        assert len(others) == len(set(others)), "duplicate link"
        assert set(others) <= set(questions), "link to a missing page"
        assert len(others) >= 3
        for explicit in questions[slug].related:
            assert explicit in others and slug in neighbours(related)[explicit], "explicit links must be mutual"


def test_deterministic_across_runs_and_file_order() -> None:
    questions = bank.load()
    first = neighbours(graph.build(questions))
    shuffled = list(questions.items())
    random.Random(7).shuffle(shuffled)
    assert neighbours(graph.build(dict(shuffled))) == first
    assert neighbours(graph.build(dict(reversed(shuffled)))) == first


def test_the_block_size_does_not_change_the_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    questions = bank.load()
    whole = graph.build(questions)
    monkeypatch.setattr(graph, "BLOCK", 3)  # rows of the score matrix are taken 3 at a time
    assert graph.build(questions) == whole


def test_ties_go_to_the_slug_first_in_order() -> None:
    scores = graph.sparse.csr_matrix([[0.0, 0.5, 0.25, 0.5, 0.5, 0.0]])
    assert graph.best_columns(scores, 0, excluded=[1], count=2) == [(3, 0.5), (4, 0.5)]
    assert graph.best_columns(scores, 0, excluded=[], count=9) == [(1, 0.5), (3, 0.5), (4, 0.5), (2, 0.25)]


def test_chinese_is_cut_with_the_domain_terms() -> None:
    assert "梯度检查点" in graph.tokens("梯度检查点用计算换显存")
    assert graph.tokens("quantize, quantized, quantizing, quantization") == ["quantiz"] * 4
    assert graph.tokens("Optimizers scaled the loss") == ["optimizer", "scal", "loss"]


def test_report_lists_neighbours_orphans_and_clusters() -> None:
    result = subprocess.run([sys.executable, "scripts/crosslink.py", "--report"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "## Linked from nowhere" in result.stdout and "## Clusters" in result.stdout
    assert re.search(r"^zero-stages  \[distributed\]\n(    +\d\.\d{3}  [a-z0-9-]+  \(.+\)\n){3,}", result.stdout, re.MULTILINE)


def test_a_dangling_related_slug_fails_check_and_build_naming_the_file(tmp_path: Path) -> None:
    docs = minibank.write(tmp_path / "docs")
    for name in ("alpha.md", "alpha.en.md"):
        page = docs / "nlp" / name
        page.write_text(page.read_text(encoding="utf-8").replace("related: [beta]", "related: [beta, no-such-question]"), encoding="utf-8")
    check = subprocess.run([sys.executable, "scripts/check.py", "--docs", str(docs)], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 1
    assert re.search(r"alpha\.md:4: XREF001 related question 'no-such-question' does not exist", check.stdout)
    dangling = graph.dangling(bank.load(docs))
    assert {(page.path.name, slug) for page, slug in dangling} == {("alpha.md", "no-such-question"), ("alpha.en.md", "no-such-question")}


# --- The built site -----------------------------------------------------------------------

HEADING = {"zh": "相关问题", "en": "Related questions"}


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_every_question_page_links_to_related_questions_of_its_language(site: Path, language: str) -> None:
    root = site if language == bank.DEFAULT_LANGUAGE else site / language
    for question in bank.load().values():
        page = root / question.url(language) / "index.html"
        html = page.read_text(encoding="utf-8")
        section = html.split(f">{HEADING[language]}<", 1)
        assert len(section) == 2, f"{page}: no related section"
        links = re.findall(r'<li><a href="([^"]+)">', section[1].split("</ul>", 1)[0])
        assert len(links) >= 3, f"{page}: {links}"
        for href in links:
            target = (page.parent / href / "index.html").resolve()
            assert target.is_file(), f"{page}: broken link {href}"
            assert target.is_relative_to(root.resolve())
            assert (target.parent.parent.parent == root.resolve()) and target.parent.name in bank.load(), f"{href} is not a question"
            if language == bank.DEFAULT_LANGUAGE:
                assert not target.is_relative_to((site / "en").resolve())


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_related_lists_stay_out_of_the_search_index(site: Path, language: str) -> None:
    """A query should find the page about a topic, not every page whose related list names it."""
    root = site if language == bank.DEFAULT_LANGUAGE else site / language
    docs = json.loads((root / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    anchor = "#" + bank.RELATED_ANCHOR[language]
    assert len(docs) > len(bank.load()) and not [doc["location"] for doc in docs if doc["location"].endswith(anchor)]


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_the_knowledge_map_links_every_question_once_with_its_whole_title(site: Path, language: str) -> None:
    root = site if language == bank.DEFAULT_LANGUAGE else site / language
    page = (root / "map" / "index.html").read_text(encoding="utf-8")
    start = page.index('<div class="hb-map"')
    block = page[start : page.index("</script>", start)]
    links = re.findall(r'<li class="hb-map__item" data-slug="([^"]+)" data-related="([^"]*)"><a href="([^"]+)">([^<]+)</a>', block)
    questions, related = graph.for_build()
    assert sorted(slug for slug, *_ in links) == sorted(q.slug for q in questions.values() if language in q.pages)
    for slug, neighbours, href, title in links:
        assert (root / "map" / href / "index.html").resolve().is_file(), href
        assert html.unescape(title) == questions[slug].title(language), "labels are whole titles"
        assert neighbours.split() == [link.slug for link in related.neighbours.get(slug, [])], "the same graph as the related lists"
    assert "http" not in block


MAP_BOXES = """() => [...document.querySelectorAll(".hb-map__item a")].map((a) => {
  const box = a.getBoundingClientRect();
  return {x: box.left, y: box.top + window.scrollY, w: box.width, h: box.height, size: parseFloat(getComputedStyle(a).fontSize)};
})"""


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}], ids=["phone", "desktop"])
def test_the_knowledge_map_reads_without_zoom_and_lights_up_neighbours(browser, server: str, viewport: dict) -> None:
    context = browser.new_context(viewport=viewport)
    tab = context.new_page()
    tab.goto(f"{server}/en/map/", wait_until="networkidle")
    boxes = tab.evaluate(MAP_BOXES)
    assert len(boxes) == len(bank.load())
    assert min(box["size"] for box in boxes) >= 11, "labels readable without pinch-zoom"
    assert tab.evaluate("document.documentElement.scrollWidth") <= viewport["width"], "the map widens the page"
    ordered = sorted(boxes, key=lambda box: (box["x"], box["y"]))
    for a, b in itertools.pairwise(ordered):  # one column: each label ends before the next begins
        if abs(a["x"] - b["x"]) < 1:
            assert a["y"] + a["h"] <= b["y"] + 0.5, (a, b)
    _, related = graph.for_build()
    slug = max(related.neighbours, key=lambda s: len(related.neighbours[s]))
    tab.locator(f'.hb-map__item[data-slug="{slug}"] a').focus()
    lit = tab.eval_on_selector_all(".hb-map__item.is-related", "items => items.map(item => item.dataset.slug)")
    assert sorted(lit) == sorted(link.slug for link in related.neighbours[slug])
    tab.locator(".hb-map__find input").fill("BERT")
    shown = tab.eval_on_selector_all(".hb-map__item:not([hidden]) a", "links => links.map(a => a.textContent)")
    assert shown and all("bert" in text.lower() for text in shown)
    context.close()
