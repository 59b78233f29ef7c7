"""Real-browser checks in Debian's Chromium against the built site on 127.0.0.1."""

from __future__ import annotations

import urllib.parse

import pytest

from handbook import bank

SWITCHER_SAMPLES = [
    "nlp/mainstream-nlp-pretrained-models/",
    "distributed/data-vs-model-parallelism/",
    "precision/mixed-precision-training/",
    "fine-tuning/sft-data-construction/",
]


def open_page(page, server: str, path: str) -> None:
    page.goto(f"{server}/{path}", wait_until="networkidle")


@pytest.mark.parametrize("path", ["", "en/"])
def test_home_pages_load_cleanly_and_stay_on_this_host(page, server: str, path: str) -> None:
    open_page(page, server, path)
    assert page.locator("h1").first.is_visible()
    assert page.console_errors == []
    assert page.foreign_requests == []


@pytest.mark.parametrize("path", SWITCHER_SAMPLES)
def test_language_switcher_keeps_the_same_question(page, server: str, path: str) -> None:
    open_page(page, server, path)
    zh_title = page.locator("article h1").inner_text()
    page.locator('.md-select__link[hreflang="en"]').first.dispatch_event("click")
    page.wait_for_url(f"{server}/en/{path}")
    en_title = page.locator("article h1").inner_text()
    assert en_title != zh_title
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator('.md-select__link[hreflang="zh"]').first.dispatch_event("click")
    page.wait_for_url(f"{server}/{path}")
    assert page.locator("article h1").inner_text() == zh_title


# Material attaches each rendered diagram in a closed shadow root; tests open it to look inside.
OPEN_SHADOW_ROOTS = (
    "const attach = Element.prototype.attachShadow;"
    "Element.prototype.attachShadow = function (init) { return attach.call(this, {...init, mode: 'open'}); };"
)
SCROLL_TO_EACH_DIAGRAM = """async () => {
  for (const block of [...document.querySelectorAll("pre.mermaid")]) {
    block.scrollIntoView();
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}"""
DIAGRAM_PAGE = "distributed/zero-stages/"  # maths near the top, two diagrams further down


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_math_and_diagrams_render_from_this_host(page, server: str, language: str) -> None:
    prefix = "" if language == bank.DEFAULT_LANGUAGE else f"{language}/"
    open_page(page, server, f"{prefix}{DIAGRAM_PAGE}")
    # MathML made at build time, drawn by the browser with the site's maths font: no maths script, no KaTeX
    assert page.locator(".arithmatex > math").count() > 0
    page.evaluate("document.fonts.ready")
    assert page.evaluate("""() => document.fonts.check('16px "Handbook Math"', '∑')""")
    assert page.evaluate("[...document.querySelectorAll('.arithmatex > math')].every(m => m.getBoundingClientRect().width > 0)")
    page.evaluate(SCROLL_TO_EACH_DIAGRAM)
    # Material swaps each `<pre class="mermaid">` source block for a `<div>` whose closed
    # shadow root holds the SVG: rendered means a div with a height and no source text.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.mermaid')].every(d => d.tagName === 'DIV'"
        " && d.getBoundingClientRect().height > 20 && d.textContent.trim() === '')",
        timeout=15_000,
    )
    assert page.console_errors == []
    assert page.foreign_requests == []


def mermaid_requests(requests: list[str]) -> list[str]:
    return [url for url in requests if "/assets/vendor/mermaid/" in url]


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_a_diagram_loads_mermaid_only_when_scrolled_to_and_then_renders_an_svg(browser, server: str, language: str) -> None:
    # A phone's width and a short window: the diagram is then more than two screens down whatever fonts
    # lay out the text above it (without a CJK font, Chinese pages are much shorter).
    viewport = {"width": PHONE["width"], "height": 200}
    context = browser.new_context(viewport=viewport, is_mobile=True, has_touch=True)
    context.add_init_script(OPEN_SHADOW_ROOTS)
    tab = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    tab.on("pageerror", lambda error: errors.append(str(error)))
    prefix = "" if language == bank.DEFAULT_LANGUAGE else f"{language}/"
    tab.goto(f"{server}/{prefix}{DIAGRAM_PAGE}", wait_until="networkidle")
    tab.wait_for_timeout(500)
    first = tab.locator("pre.mermaid").first
    assert first.bounding_box()["y"] > 2 * viewport["height"], "the sample diagram should start well below the fold"
    assert mermaid_requests(requests) == [], "Mermaid was fetched before any diagram came near the viewport"
    assert tab.evaluate("typeof window.mermaid.render") == "function"  # so Material never fetches it from a CDN

    first.scroll_into_view_if_needed()
    svg = tab.locator("div.mermaid svg").first
    svg.wait_for(timeout=15_000)
    box = svg.bounding_box()
    assert box["width"] > 100 and box["height"] > 10, box  # drawn, not an empty box
    assert any(url.endswith("/mermaid.esm.min.mjs") for url in mermaid_requests(requests))
    assert [url for url in requests if url.startswith("http") and not url.startswith(server)] == []
    assert errors == []
    context.close()


PHONE = {"width": 390, "height": 844}


def test_a_browser_without_mathml_gets_katex_from_the_tex(browser, server: str) -> None:
    """Chromium before 109 has no MathML Core (no `MathMLElement`): KaTeX draws every formula from its annotation."""
    context = browser.new_context()
    context.add_init_script("delete window.MathMLElement")
    tab = context.new_page()
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    tab.goto(f"{server}/precision/mixed-precision-training/", wait_until="networkidle")
    tab.wait_for_function("() => !document.documentElement.classList.contains('hb-no-mathml')")
    assert tab.locator(".arithmatex > math").count() == 0
    assert tab.locator(".arithmatex .katex .katex-html").count() > 0
    assert tab.locator(".katex-error").count() == 0
    assert any(url.endswith("assets/vendor/katex/katex.min.js") for url in requests)
    context.close()


def test_a_browser_with_mathml_never_loads_katex(page, server: str) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    open_page(page, server, "precision/mixed-precision-training/")
    page.wait_for_load_state("networkidle")
    assert [url for url in requests if "katex" in url] == []
    assert any(url.endswith("assets/fonts/handbook-math.woff2") for url in requests)


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_no_question_page_scrolls_sideways_on_a_phone(browser, server: str, language: str) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    tab = context.new_page()
    prefix = "" if language == bank.DEFAULT_LANGUAGE else f"{language}/"
    wide = []
    for question in bank.load().values():
        tab.goto(f"{server}/{prefix}{question.url(language)}", wait_until="load")
        tab.evaluate("document.fonts.ready")
        width = tab.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide.append(f"{question.url(language)}: {width}px")
    context.close()
    assert not wide, "pages wider than the phone:\n" + "\n".join(wide)


def test_readme_screenshots(browser, server: str, tmp_path) -> None:
    """Takes the README's screenshots from the real build; UPDATE_SCREENSHOTS=1 refreshes the committed ones."""
    import os
    import shutil
    import subprocess
    from pathlib import Path

    update = os.environ.get("UPDATE_SCREENSHOTS") == "1"
    if update:  # a machine without a CJK font would commit screenshots full of empty boxes
        fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
        assert fonts.strip(), "no CJK font: install fonts-noto-cjk before refreshing the screenshots"
    target = Path(__file__).resolve().parents[1] / "docs" / "assets" / "images"
    question, desktop = "precision/mixed-precision-training/", {"width": 1280, "height": 800}
    shots = {
        "question-desktop.png": (question, desktop, ".arithmatex > math"),
        "question-phone.png": (question, PHONE, ".arithmatex > math"),
        "map-desktop.png": ("map/", desktop, ".hb-map__item"),
    }
    for name, (url, viewport, ready) in shots.items():
        context = browser.new_context(viewport=viewport, device_scale_factor=1)
        tab = context.new_page()
        tab.goto(f"{server}/{url}", wait_until="networkidle")
        tab.wait_for_selector(ready)
        if url == "map/":  # show what the map does: a question's related questions lit up
            tab.locator(".hb-map__item .hb-map__count").nth(2).click()
        tab.evaluate("document.fonts.ready")
        tab.screenshot(path=tmp_path / name)
        context.close()
        assert (tmp_path / name).stat().st_size > 20_000, "blank screenshot"
        if update:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(tmp_path / name, target / name)


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_the_phone_drawer_shows_the_question_and_its_contents(browser, server: str, language: str) -> None:
    """On a phone the drawer shows the page with its contents, among its section's questions in reading order."""
    question = bank.load()["mixed-precision-training"]
    prefix = "" if language == bank.DEFAULT_LANGUAGE else f"{language}/"
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    tab = context.new_page()
    tab.goto(f"{server}/{prefix}{question.url(language)}", wait_until="load")
    tab.locator('label.md-header__button[for="__drawer"]').click()
    drawer = tab.locator(".md-sidebar--primary")
    current = drawer.locator("label.md-nav__link--active[for='__toc']")
    current.wait_for(state="visible")
    assert question.title(language) in current.inner_text()
    current.click()
    first_heading = bank.HEADINGS[language][0]
    drawer.locator(".md-nav--secondary a.md-nav__link", has_text=first_heading).first.wait_for(state="visible")
    section = [q for q in bank.load().values() if q.section == question.section]
    listed = drawer.locator(".md-nav[data-md-level='1'] > .md-nav__list > .md-nav__item")
    assert listed.count() == len(section)
    names = [text.strip() for text in listed.all_inner_texts()]
    assert [name.splitlines()[0].strip() for name in names] == [q.title(language) for q in section]
    context.close()


def palette(tab) -> dict:
    """The scheme the page shows, which toggle is offered, and what the browser chrome is told."""
    return tab.evaluate(
        """() => ({
          scheme: document.body.dataset.mdColorScheme,
          toggle: [...document.querySelectorAll("[data-hb-palette] label")].filter((l) => !l.hidden).map((l) => l.title),
          themeColor: document.querySelector("meta[name=theme-color]")?.content,
          colorScheme: document.querySelector("meta[name=color-scheme]")?.content,
        })"""
    )


@pytest.mark.parametrize(("system", "first", "switched"), [("light", "default", "slate"), ("dark", "slate", "default")])
def test_the_palette_follows_the_system_then_the_readers_choice_on_every_page(browser, server: str, system, first, switched) -> None:
    context = browser.new_context(color_scheme=system)
    try:
        tab = context.new_page()
        tab.goto(f"{server}/{SWITCHER_SAMPLES[0]}")
        shown = palette(tab)
        assert shown["scheme"] == first and len(shown["toggle"]) == 1, shown
        assert shown["colorScheme"] == ("dark" if first == "slate" else "light")
        assert tab.locator("[data-md-component=palette]").count() == 0, "Material's palette component restyles every page on load"
        tab.locator("[data-hb-palette] label:not([hidden])").click()
        switched_to = palette(tab)
        assert switched_to["scheme"] == switched and switched_to["toggle"] != shown["toggle"]
        assert switched_to["colorScheme"] == ("dark" if switched == "slate" else "light"), "form controls and scrollbars follow"
        assert switched_to["themeColor"] == shown["themeColor"] == "#4051b5", "the browser's toolbar takes the header's indigo"
        tab.goto(f"{server}/en/{SWITCHER_SAMPLES[1]}")
        assert palette(tab)["scheme"] == switched, "the choice holds on the next page, in either language"
        tab.locator("[data-hb-palette] input:checked").focus()
        tab.keyboard.press("Enter")
        assert palette(tab)["scheme"] == first, "Enter on the focused toggle switches back, as in Material"
    finally:
        context.close()


# Counts the computed-style reads made before the page's content has been parsed.
COUNT_EARLY_STYLE_READS = """
window.__earlyStyleReads = 0;
const read = window.getComputedStyle;
window.getComputedStyle = function (...args) {
  if (!document.querySelector(".md-content")) window.__earlyStyleReads += 1;
  return read.apply(this, args);
};
"""


def test_the_header_reads_no_style_while_the_page_is_parsed(browser, server: str) -> None:
    """A style read in the header forced a style pass mid-parse; Chromium then painted the header alone
    and laid the whole page out again inside Material's bundle, a long task after the first paint."""
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.add_init_script(COUNT_EARLY_STYLE_READS)
        tab.goto(f"{server}/{SWITCHER_SAMPLES[0]}", wait_until="load")
        assert tab.evaluate("window.__earlyStyleReads") == 0
        assert palette(tab)["themeColor"] == "#4051b5", "the toolbar colour is still set, once the page is parsed"
    finally:
        context.close()


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_a_wide_table_scrolls_from_the_keyboard_on_a_phone_and_keeps_its_style(browser, server: str, language: str) -> None:
    """Its scroll box takes focus, not the table: Material's focus-visible polyfill leaves a class on a focused
    element, and Material's table styles (border, small type) apply only to tables without one."""
    question = bank.load()["3d-and-sequence-parallelism"]
    prefix = "" if language == bank.DEFAULT_LANGUAGE else f"{language}/"
    context = browser.new_context(viewport=PHONE)
    try:
        tab = context.new_page()
        tab.goto(f"{server}/{prefix}{question.url(language)}", wait_until="load")
        box = tab.locator("article .md-typeset__scrollwrap[tabindex='0']").first
        box.wait_for(state="attached")
        assert box.evaluate("(box) => box.scrollWidth > box.clientWidth"), "only a box that scrolls takes focus"
        box.focus()
        tab.keyboard.press("ArrowRight")
        tab.wait_for_function("(box) => box.scrollLeft > 0", arg=box.element_handle())
        table = box.locator("table")
        assert table.get_attribute("class") is None
        assert table.evaluate("(table) => getComputedStyle(table).borderTopStyle") == "solid", "Material's table style still applies"
        narrow = tab.evaluate(
            "() => [...document.querySelectorAll('article .md-typeset__scrollwrap')]"
            ".filter((box) => box.scrollWidth <= box.clientWidth && box.hasAttribute('tabindex')).length"
        )
        assert narrow == 0, "a table that fits is no extra tab stop"
    finally:
        context.close()


WIDE_DIAGRAM_PAGES = ("cv/dalle-and-imagen/", "distributed/pipeline-parallelism/", "distributed/zero-stages/")
DIAGRAM_LABEL_HEIGHTS = """() => [...document.querySelectorAll("div.mermaid")].flatMap((box) =>
  [...(box.shadowRoot || box).querySelectorAll("svg .nodeLabel, svg .edgeLabel, svg text")]
    .map((label) => label.getBoundingClientRect().height).filter((height) => height > 0))"""


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 800}], ids=["phone", "desktop"])
@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_diagram_labels_stay_readable_and_wide_diagrams_scroll(browser, server: str, language: str, viewport: dict) -> None:
    """Labels keep Mermaid's natural size (>= 11 px); a diagram wider than the column scrolls in its own box."""
    context = browser.new_context(viewport=viewport)
    context.add_init_script(OPEN_SHADOW_ROOTS)
    tab = context.new_page()
    prefix = "" if language == bank.DEFAULT_LANGUAGE else f"{language}/"
    smallest, scrolled = [], []
    for url in WIDE_DIAGRAM_PAGES:
        tab.goto(f"{server}/{prefix}{url}", wait_until="networkidle")
        tab.evaluate(SCROLL_TO_EACH_DIAGRAM)
        tab.locator("div.mermaid svg").last.wait_for(timeout=15_000)
        heights = tab.evaluate(DIAGRAM_LABEL_HEIGHTS)
        assert heights, url
        smallest.append((min(heights), url))
        assert tab.evaluate("document.documentElement.scrollWidth") <= viewport["width"], "a diagram widened the page"
        scrolled += tab.evaluate("[...document.querySelectorAll('div.mermaid[tabindex]')].map((box) => box.scrollWidth > box.clientWidth)")
    context.close()
    assert min(smallest)[0] >= 11, smallest
    if viewport is PHONE:
        assert scrolled and all(scrolled), "on a phone the wide diagrams scroll in a focusable box"


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_the_short_answer_starts_on_a_phones_first_screen(browser, server: str, language: str) -> None:
    """With the bank's longest titles, the short answer's first line is within 796 px of a 390x844 phone."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    tab = context.new_page()
    prefix = "" if language == bank.DEFAULT_LANGUAGE else f"{language}/"
    longest = sorted(bank.load().values(), key=lambda q: -len(q.title(language)))[:3]
    tops = {}
    for question in longest:
        tab.goto(f"{server}/{prefix}{question.url(language)}", wait_until="load")
        tops[question.slug] = tab.evaluate("document.querySelector('#hb-answer-short p').getBoundingClientRect().top")
        assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()
    assert max(tops.values()) <= 796, tops


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_the_language_switch_lands_on_the_same_heading(page, server: str, language: str) -> None:
    prefix = "" if language == bank.DEFAULT_LANGUAGE else f"{language}/"
    other = "en" if language == bank.DEFAULT_LANGUAGE else bank.DEFAULT_LANGUAGE
    page.goto(f"{server}/{prefix}precision/loss-scaling/", wait_until="load")
    page.evaluate("document.fonts.ready")
    heading = page.locator("article h2[id], article h3[id]").nth(4)
    heading.evaluate("(heading) => heading.scrollIntoView()")
    page.wait_for_timeout(300)
    assert heading.evaluate("(heading) => heading.getBoundingClientRect().top") < 120, "the reader is at the fifth heading"
    page.locator(".md-header__option .md-select").hover()
    page.locator(f"a.md-select__link[hreflang='{other}']").click()
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    fifth = page.locator("article h2[id], article h3[id]").nth(4)
    assert urllib.parse.unquote(page.url).endswith("#" + fifth.get_attribute("id"))
    assert 0 <= fifth.evaluate("(heading) => heading.getBoundingClientRect().top") < 200
