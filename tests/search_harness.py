"""Type queries into the site's own search box in Chromium and read the results back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

QUERIES = Path(__file__).parent / "data" / "search_queries.yml"
RESULT_ITEMS = ".md-search-result__list > .md-search-result__item"
FIRST_LINKS = "items => items.map(item => item.querySelector('a.md-search-result__link').href)"
ANSWERED = (
    f"() => document.querySelectorAll('{RESULT_ITEMS}').length > 0"
    " || /没有|No matching/.test(document.querySelector('.md-search-result__meta').textContent)"
)
READY = "() => !/Initializing|正在初始化/.test(document.querySelector('.md-search-result__meta').textContent)"


@dataclass(frozen=True)
class Query:
    language: str
    text: str
    expect: str


def load_queries() -> list[Query]:
    return [Query(item["lang"], str(item["query"]), item["expect"]) for item in yaml.safe_load(QUERIES.read_text(encoding="utf-8"))]


def open_search(page, url: str) -> None:
    page.goto(url, wait_until="networkidle")
    page.locator(".md-search__input").click()
    page.wait_for_selector(".md-search__input:focus")
    page.wait_for_function(READY, timeout=30_000)


def results(page, text: str) -> list[str]:
    """The result page URLs, in order, for one query typed into the search box."""
    box = page.locator(".md-search__input")
    box.fill("")
    box.press("End")  # Material reads the query on keyup
    page.wait_for_function(f"() => document.querySelectorAll('{RESULT_ITEMS}').length === 0")
    box.fill(text)
    box.press("End")
    page.wait_for_function(
        ANSWERED,
        timeout=10_000,
    )
    page.wait_for_timeout(150)  # let the worker's last answer for the full query land
    return page.eval_on_selector_all(RESULT_ITEMS, FIRST_LINKS)


def slug_of(url: str) -> str:
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


def in_language(url: str, base: str, language: str) -> bool:
    path = urlsplit(url).path.removeprefix(urlsplit(base).path)
    return path.startswith("/en/") if language == "en" else not path.startswith("/en/")
