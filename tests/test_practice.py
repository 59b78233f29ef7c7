"""Practice mode, random question, progress and section filters, in Chromium against the built site.

Each test gets a fresh browser context, so localStorage starts empty: whatever
persists did so because practice.js stored it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from handbook import bank

QUESTIONS = bank.load()
PAIRED = [q for q in QUESTIONS.values() if set(q.pages) == set(bank.LANGUAGES)]
SHORT_ID = {"zh": "一句话回答", "en": "short-answer"}
DETAIL_ID = {"zh": "详细解答", "en": "detailed-answer"}
LABELS = {
    "zh": {"show": "显示答案", "hide": "隐藏答案", "mastered": "已掌握", "review": "需复习"},
    "en": {"show": "Show answer", "hide": "Hide answer", "mastered": "mastered", "review": "to review"},
}
MAX_TABS = 120


def prefix(language: str) -> str:
    return "" if language == bank.DEFAULT_LANGUAGE else f"{language}/"


def two_in_one_section() -> tuple[bank.Question, bank.Question]:
    """Two translated questions of the same section, for tests that move between pages."""
    for section in bank.sections():
        members = [q for q in PAIRED if q.section == section.id]
        if len(members) >= 2:
            return members[0], members[1]
    raise AssertionError("no section has two translated questions")


FIRST, SECOND = two_in_one_section()


def open_page(page, server: str, path: str) -> None:
    """Load a page and wait until practice.js has set it up (KaTeX and Mermaid may still be loading)."""
    page.goto(f"{server}/{path}", wait_until="domcontentloaded")
    page.wait_for_selector("article[data-hb-practice]", state="attached")


def reload(page) -> None:
    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector("article[data-hb-practice]", state="attached")


def heading(page, language: str, ids: dict[str, str]):
    return page.locator(f'article h2[id="{ids[language]}"]')


def focus_by_tab(page, selector: str) -> None:
    """Press Tab until `selector` has focus: proves it is reachable from the keyboard alone."""
    target = page.locator(selector)
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("node => node === document.activeElement"):
            return
    raise AssertionError(f"{selector} never received focus after {MAX_TABS} Tab presses")


# --- Practice mode -----------------------------------------------------------------------


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_practice_mode_hides_the_answer_then_reveals_short_then_detailed(page, server: str, language: str) -> None:
    open_page(page, server, f"{prefix(language)}{FIRST.url(language)}?practice=1")
    assert page.locator("article h1").is_visible()
    assert page.locator("article .hb-meta").is_visible()
    short, detail = heading(page, language, SHORT_ID), heading(page, language, DETAIL_ID)
    assert short.is_hidden() and detail.is_hidden()
    assert page.locator("article h2:visible").count() == 0, "every section after the question is hidden"
    contents = page.locator(".md-sidebar--secondary .md-nav--secondary")
    assert contents.is_hidden(), "the table of contents would give the outline away"

    reveal = page.locator(".hb-reveal[aria-controls='hb-answer-short']")
    assert reveal.inner_text() == LABELS[language]["show"]
    assert reveal.get_attribute("aria-expanded") == "false"
    reveal.click()
    assert short.is_visible() and detail.is_hidden()
    assert reveal.get_attribute("aria-expanded") == "true"
    assert reveal.inner_text() == LABELS[language]["hide"]

    more = page.locator(".hb-reveal[aria-controls='hb-answer-detail']")
    assert more.get_attribute("aria-expanded") == "false"
    more.click()
    assert detail.is_visible() and more.get_attribute("aria-expanded") == "true"
    assert contents.is_visible()
    assert page.console_errors == [] and page.foreign_requests == []


def test_without_javascript_nothing_is_hidden(browser, server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(f"{server}/{FIRST.url('zh')}?practice=1")
        assert heading(tab, "zh", SHORT_ID).is_visible()
        assert heading(tab, "zh", DETAIL_ID).is_visible()
        assert tab.locator(".hb-reveal").count() == 2 and not tab.locator(".hb-reveal").first.is_visible()
        assert tab.locator(".hb-toolbar").count() == 1 and not tab.locator(".hb-toolbar").is_visible(), "buttons that would do nothing"
    finally:
        context.close()


# Where `selector` sits when the page is parsed, before practice.js sets the page up (Material
# hands practice.js the page on DOMContentLoaded, after listeners added earlier), and after.
TOP_BEFORE_SCRIPTS = """selector => document.addEventListener("DOMContentLoaded", () => {
  window.hbTopBeforeScripts = document.querySelector(selector).getBoundingClientRect().top;
})"""
TOOLS_AND_WHAT_FOLLOWS = [
    ("question", "#hb-answer-short", ".hb-toolbar .hb-toggle"),
    ("section", "ul.hb-questions", ".hb-section-tools .hb-filter"),
]


@pytest.mark.parametrize("language", bank.LANGUAGES)
@pytest.mark.parametrize(("kind", "follower", "tool"), TOOLS_AND_WHAT_FOLLOWS)
def test_setting_up_practice_tools_moves_nothing_on_a_phone(browser, server: str, language: str, kind, follower, tool) -> None:
    """The tools are in the HTML: the script gives them behaviour without pushing the page down."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        tab = context.new_page()
        tab.add_init_script(f"({TOP_BEFORE_SCRIPTS})({json.dumps(follower)})")
        open_page(tab, server, FIRST.url(language) if kind == "question" else f"{prefix(language)}{FIRST.section}/")
        expect(tab.locator(tool).first).to_be_visible()
        if kind == "section":
            expect(tab.locator(".hb-progress-summary")).not_to_have_text("\u00a0")  # the script has counted
        before = tab.evaluate("window.hbTopBeforeScripts")
        after = tab.evaluate("selector => document.querySelector(selector).getBoundingClientRect().top", follower)
        assert before == after, f"{follower} moved from {before} to {after} px when practice.js ran"
    finally:
        context.close()


def test_the_practice_choice_persists_across_pages_and_reloads(page, server: str) -> None:
    open_page(page, server, FIRST.url("zh"))
    toggle = page.locator(".hb-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    assert heading(page, "zh", SHORT_ID).is_visible()

    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert heading(page, "zh", SHORT_ID).is_hidden()

    reload(page)
    assert heading(page, "zh", SHORT_ID).is_hidden()
    open_page(page, server, SECOND.url("zh"))
    assert page.locator(".hb-toggle").get_attribute("aria-pressed") == "true"
    assert heading(page, "zh", SHORT_ID).is_hidden()
    open_page(page, server, f"en/{SECOND.url('en')}")
    assert heading(page, "en", SHORT_ID).is_hidden(), "the choice holds in the other language too"

    page.locator(".hb-toggle").click()
    reload(page)
    assert page.locator(".hb-toggle").get_attribute("aria-pressed") == "false"
    assert heading(page, "en", SHORT_ID).is_visible()
    open_page(page, server, f"{FIRST.url('zh')}?practice=1")
    open_page(page, server, SECOND.url("zh"))
    assert heading(page, "zh", SHORT_ID).is_hidden(), "?practice=1 is remembered like the toggle"


def test_practice_mode_works_with_the_keyboard(page, server: str) -> None:
    open_page(page, server, f"en/{FIRST.url('en')}?practice=1")
    focus_by_tab(page, ".hb-reveal[aria-controls='hb-answer-short']")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "the focused button shows a visible focus ring"
    page.keyboard.press("Enter")
    assert heading(page, "en", SHORT_ID).is_visible()
    assert heading(page, "en", DETAIL_ID).is_hidden()

    focus_by_tab(page, ".hb-reveal[aria-controls='hb-answer-detail']")
    page.keyboard.press("Space")
    assert heading(page, "en", DETAIL_ID).is_visible()

    reload(page)
    focus_by_tab(page, ".hb-toggle")
    page.keyboard.press("Space")
    assert page.locator(".hb-toggle").get_attribute("aria-pressed") == "false"
    assert heading(page, "en", DETAIL_ID).is_visible()


def test_a_link_into_the_hidden_answer_reveals_it(page, server: str) -> None:
    open_page(page, server, f"en/{FIRST.url('en')}?practice=1#{DETAIL_ID['en']}")
    assert heading(page, "en", DETAIL_ID).is_visible()


# --- Random question ---------------------------------------------------------------------


def question_urls(language: str, section: str | None = None) -> set[str]:
    return {q.url(language) for q in PAIRED if section in (None, q.section)}


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_random_question_from_this_section_stays_in_section_and_language(page, server: str, language: str) -> None:
    section = FIRST.section
    open_page(page, server, f"{prefix(language)}{section}/")
    for _ in range(3):
        with page.expect_navigation(wait_until="load"):
            page.locator(".hb-random[data-scope='section']").click()
        path = page.url.removeprefix(f"{server}/").removeprefix(prefix(language))
        assert path in question_urls(language, section), page.url
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("article .hb-meta").count() == 1
        open_page(page, server, f"{prefix(language)}{section}/")


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_random_question_from_all_sections_opens_another_question(page, server: str, language: str) -> None:
    start = f"{prefix(language)}{FIRST.url(language)}"
    open_page(page, server, start)
    with page.expect_navigation(wait_until="load"):
        page.locator(".hb-toolbar .hb-random[data-scope='all']").click()
    assert page.url != f"{server}/{start}"
    assert page.url.removeprefix(f"{server}/").removeprefix(prefix(language)) in question_urls(language)
    assert page.locator("html").get_attribute("lang") == language


# --- Progress ----------------------------------------------------------------------------


def section_size(language: str, section: str) -> int:
    return sum(1 for q in QUESTIONS.values() if q.section == section and language in q.pages)


def test_marks_persist_and_section_counts_update(page, server: str) -> None:
    section, n = FIRST.section, section_size("zh", FIRST.section)
    open_page(page, server, f"{section}/")
    assert page.locator(".hb-progress-summary").inner_text() == f"0 / {n} 已掌握"

    open_page(page, server, FIRST.url("zh"))
    mastered = page.locator(".hb-mark[data-state='mastered']")
    assert mastered.inner_text().endswith("已掌握")
    mastered.click()
    reload(page)
    assert page.locator(".hb-mark[data-state='mastered']").get_attribute("aria-pressed") == "true"

    open_page(page, server, SECOND.url("zh"))
    page.locator(".hb-mark[data-state='review']").click()
    assert page.locator(".hb-mark[data-state='review']").get_attribute("aria-pressed") == "true"

    open_page(page, server, f"{section}/")
    expect(page.locator(".hb-progress-summary")).to_have_text(f"1 / {n} 已掌握 · 1 道需复习")
    expect(page.locator(f"li[data-slug='{FIRST.slug}'] .hb-mark-label--mastered")).to_have_text("已掌握")
    expect(page.locator(f"li[data-slug='{SECOND.slug}'] .hb-mark-label--review")).to_have_text("需复习")

    open_page(page, server, "")
    row = page.locator(f"article table a[href='{section}/'] + .hb-section-progress")
    expect(row).to_have_text(f"1 / {n} 已掌握 · 1 道需复习")
    open_page(page, server, "en/")
    row = page.locator(f"article table a[href='{section}/'] + .hb-section-progress")
    expect(row).to_have_text(f"1 / {section_size('en', section)} mastered · 1 to review")

    open_page(page, server, FIRST.url("zh"))
    page.locator(".hb-mark[data-state='review']").click()
    assert page.locator(".hb-mark[data-state='mastered']").get_attribute("aria-pressed") == "false", "one state at a time"
    page.locator(".hb-mark[data-state='review']").click()
    open_page(page, server, f"{section}/")
    expect(page.locator(".hb-progress-summary")).to_have_text(f"0 / {n} 已掌握 · 1 道需复习")


def test_progress_exports_and_imports_as_json(page, server: str, tmp_path: Path) -> None:
    open_page(page, server, FIRST.url("zh"))
    page.locator(".hb-mark[data-state='mastered']").click()
    open_page(page, server, "")
    total = sum(1 for q in QUESTIONS.values() if "zh" in q.pages)
    summary = page.locator(".hb-progress-panel .hb-progress-summary")
    expect(summary).to_have_text(f"1 / {total} 已掌握")

    with page.expect_download() as download:
        page.locator(".hb-export").click()
    saved = tmp_path / "progress.json"
    download.value.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["format"] == "llm-interview-handbook-progress"
    assert data["marks"][FIRST.slug]["state"] == "mastered"

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".hb-clear").click()
    expect(summary).to_have_text(f"0 / {total} 已掌握")

    page.locator(".hb-file").set_input_files(str(saved))
    expect(page.locator(".hb-progress-panel .hb-status")).to_have_text("已导入 1 条记录。")
    expect(summary).to_have_text(f"1 / {total} 已掌握")

    bad = tmp_path / "bad.json"
    bad.write_text('{"marks": {"x": {"state": "mastered"}}}', encoding="utf-8")
    page.locator(".hb-file").set_input_files(str(bad))
    expect(page.locator(".hb-progress-panel .hb-status")).to_contain_text("无法识别")
    expect(summary).to_have_text(f"1 / {total} 已掌握")
    assert page.console_errors == [] and page.foreign_requests == []


# --- Section filters ---------------------------------------------------------------------


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_section_list_filters_by_difficulty_and_tag(page, server: str, language: str) -> None:
    section = FIRST.section
    members = [q for q in QUESTIONS.values() if q.section == section and language in q.pages]
    open_page(page, server, f"{prefix(language)}{section}/")
    visible = page.locator("ul.hb-questions > li:visible")
    assert visible.count() == len(members)

    difficulty = FIRST.difficulty
    page.locator(f".hb-filter[data-difficulty='{difficulty}']").click()
    expected = {q.slug for q in members if q.difficulty == difficulty}
    assert {li.get_attribute("data-slug") for li in visible.all()} == expected

    page.locator(".hb-filter[data-difficulty='']").click()
    tag = FIRST.tags[0]
    page.locator(".hb-filter-tag").select_option(tag)
    assert {li.get_attribute("data-slug") for li in visible.all()} == {q.slug for q in members if tag in q.tags}
    # Tags are offered under their names in the page's language.
    expect(page.locator(f".hb-filter-tag option[value='{tag}']")).to_have_text(bank.tags()[tag][language])


# --- Print -------------------------------------------------------------------------------


def test_a_question_prints_without_chrome_and_with_everything_open(page, server: str) -> None:
    open_page(page, server, f"{FIRST.url('zh')}?practice=1")
    assert page.locator("article details:not([open])").count() > 0, "the sample page should have a closed <details>"
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".hb-toolbar", ".hb-reveal"):
        assert page.locator(chrome).first.is_hidden(), f"{chrome} is printed"
    assert heading(page, "zh", SHORT_ID).is_visible() and heading(page, "zh", DETAIL_ID).is_visible()
    closed_body = page.locator("article details:not([open]) > :not(summary)").first
    assert closed_body.is_visible(), "closed <details> print open"

    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("article details:not([open])").count() == 0
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.locator("article details:not([open])").count() > 0, "closed again after printing"
