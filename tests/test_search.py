"""Search: per-language indexes, domain segmentation, inflections, aliases — and the real search box.

The browser test types every query of `tests/data/search_queries.yml` into the
site's own search box in Chromium and requires hit@5 >= 0.95 and language
purity 1.0 in both languages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from handbook import bank, search
from search_harness import in_language, load_queries, open_search, results, slug_of

QUERIES = load_queries()


# --- Unit tests ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [("optimizers", "optimizer"), ("quantization", "quantize"), ("quantized", "quantize"), ("batches", "batch"), ("loss", "loss")],
)
def test_lemma_folds_english_inflections(word: str, expected: str) -> None:
    assert search.lemma(word) == expected


def test_inflections_cover_what_a_reader_types() -> None:
    assert {"quantize", "quantization", "quantized", "quantizes"} <= search.inflections("quantization")
    assert {"optimizer", "optimizers"} <= search.inflections("optimizer")


def test_long_domain_terms_keep_their_meaningful_parts() -> None:
    assert {"检查点"} <= search.chinese_parts(["梯度检查点"])
    assert {"混合精度"} <= search.chinese_parts(["混合精度训练"])
    assert search.chinese_parts(["检查点"]) == set()  # a term is not its own part


def test_extra_keys_add_missing_forms_only() -> None:
    lead = "ZeRO-3 shards optimizers."
    keys = search.extra_keys("Loss scaling", lead, f"{lead} We use all-reduce. The loss scaling factor.").split()
    assert {"allreduce", "zero3", "optimizer", "losses"} <= set(keys)
    assert "scaling" not in keys  # already in the text
    assert "factors" not in keys  # body words used once are not inflected


def test_aliases_go_on_the_first_entry_only_with_their_parts() -> None:
    entries = [
        {"location": "en/precision/x/", "title": "Where does memory go?", "text": "<p>Medium Report an error</p>"},
        {"location": "en/precision/x/#short-answer", "title": "Short answer", "text": "Checkpointing trades compute."},
        {"location": "en/precision/x/#detailed-answer", "title": "Detailed answer", "text": "More."},
    ]
    localized = search.localize(entries, "en", {"precision/x/": ["activation recomputation"]})
    assert [e["location"] for e in localized] == ["precision/x/", "precision/x/#detailed-answer"]
    assert localized[0]["text"] == "Checkpointing trades compute.", "the result's teaser is the short answer"
    assert localized[0]["aliases"].startswith("activation recomputation")
    assert "aliases" not in localized[1]
    zh = search.localize([{"location": "p/y/", "title": "标题", "text": ""}], "zh", {"p/y/": ["梯度检查点"]})
    # the domain term inside, and the name without its last character (what Material's query cutter looks for)
    assert zh[0]["aliases"].split() == ["梯度检查点", "梯度检查", "检查点"]


def test_translated_pages_point_search_at_their_own_index() -> None:
    html = '<script id="__config" type="application/json">{"annotate": null, "base": "../../..", "features": []}</script>'
    assert '"base": "../../"' in search.point_at_language_root(html, "en/nlp/t5/")
    assert search.point_at_language_root(html, "nlp/t5/") == html


# --- Build tests --------------------------------------------------------------------------


def index_of(site: Path, language: str) -> dict:
    root = site if language == bank.DEFAULT_LANGUAGE else site / language
    return json.loads((root / "search/search_index.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_each_language_has_its_own_compact_index(site: Path, language: str) -> None:
    index = index_of(site, language)
    locations = [doc["location"] for doc in index["docs"]]
    assert len(locations) == len(set(locations)), "an entry appears twice"
    assert not any(location.startswith("en/") for location in locations)
    titles = " ".join(doc["title"] for doc in index["docs"])
    han = len(re.findall(r"[\u4e00-\u9fff]", titles))
    assert (han > 200) if language == "zh" else (han < 20), "index holds the other language"
    raw = (site / ("" if language == "zh" else "en") / "search/search_index.json").read_text(encoding="utf-8")
    assert not re.search(r"\\u[0-9a-fA-F]{4}", raw[raw.index('"docs"') :]), "Unicode is escaped"  # (TeX's \\underbrace is fine)


def test_every_question_carries_its_aliases(site: Path) -> None:
    for language in bank.LANGUAGES:
        first_entries = {doc["location"]: doc for doc in index_of(site, language)["docs"]}
        for question in bank.load().values():
            entry = first_entries[question.url(language)]
            for alias in question.pages[language].meta["aliases"]:
                assert str(alias) in entry["aliases"]


# --- The real search box ------------------------------------------------------------------


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_search_box_finds_the_right_page_in_the_readers_language(page, server: str, language: str) -> None:
    queries = [q for q in QUERIES if q.language == language]
    assert len(queries) >= 30
    open_search(page, f"{server}/" if language == bank.DEFAULT_LANGUAGE else f"{server}/{language}/")
    misses, impure = [], []
    for query in queries:
        top = results(page, query.text)[:5]
        assert len({slug_of(url) for url in top}) == len(top), f"{query.text!r}: a page appears twice: {top}"
        if query.expect not in [slug_of(url) for url in top]:
            misses.append(f"{query.text!r} -> {query.expect}: got {[slug_of(u) for u in top]}")
        impure += [f"{query.text!r}: {url}" for url in top if not in_language(url, server, language)]
    hit_at_5 = 1 - len(misses) / len(queries)
    print(f"\n{language}: hit@5 = {hit_at_5:.3f} over {len(queries)} queries; purity = {1 - bool(impure):.1f}")
    assert not impure, "\n".join(impure)
    assert hit_at_5 >= 0.95, "\n".join(misses)
    assert page.foreign_requests == []


def test_a_rebuild_localizes_only_the_language_whose_pages_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(search, "localize", lambda entries, language, aliases: calls.append(language) or list(entries))
    monkeypatch.setattr(search, "_last", {})
    entries = [{"location": "en/a/", "title": "A", "text": "a"}]
    first = search._localized(entries, "en", {})
    assert search._localized([dict(entry) for entry in entries], "en", {}) is first, "equal entries: the last result"
    search._localized([{"location": "en/a/", "title": "A", "text": "edited"}], "en", {})
    search._localized(entries, "en", {"en/a/": ["alias"]})
    assert calls == ["en", "en", "en"]


# --- Across languages ---------------------------------------------------------------------


def test_a_chinese_name_on_the_english_site_finds_the_english_page(browser, server: str) -> None:
    context = browser.new_context()
    tab = context.new_page()
    open_search(tab, f"{server}/en/")
    found = [slug_of(url) for url in results(tab, "零冗余优化器")[:5]]
    assert "zero-stages" in found and all(in_language(url, server, "en") for url in results(tab, "零冗余优化器"))
    context.close()


@pytest.mark.parametrize(("language", "query", "other"), [("en", "蜂鸟鸣叫", "zh"), ("zh", "zzzquux", "en")])
def test_no_result_offers_the_same_query_in_the_other_language(browser, server: str, language: str, query: str, other: str) -> None:
    context = browser.new_context()
    tab = context.new_page()
    prefix = "" if language == bank.DEFAULT_LANGUAGE else f"{language}/"
    open_search(tab, f"{server}/{prefix}")
    assert results(tab, query) == []
    link = tab.locator(".hb-search-other")
    link.wait_for(timeout=5_000)
    assert query in link.inner_text() and link.get_attribute("hreflang") == other
    link.click()
    tab.wait_for_load_state("load")
    assert in_language(tab.url.split("?")[0], server, other)
    assert tab.locator(".md-search__input").input_value() == query
    context.close()
