"""The built site's structure: both languages, five sections, every question paired."""

from __future__ import annotations

import html
import itertools
import json
import posixpath
import re
from pathlib import Path

import pytest

from conftest import ROOT, build_site
from handbook import assets, bank, mathfont, pages
from handbook.formulas import characters, katex_rejects

QUESTIONS = bank.load()
SECTION_TITLES = {section.id: section.titles for section in bank.sections()}
# Tags that make the browser fetch something. <link rel="canonical|alternate"> only names a URL.
EXTERNAL_RESOURCE = re.compile(
    r"<(?:script|img|iframe|source|audio|video|embed|object)\b[^>]*\b(?:src|data)=[\"']?(?:https?:)?//[^>]*>|"
    r"<link\b(?=[^>]*\brel=[\"']?(?:stylesheet|preload|modulepreload|prefetch|preconnect|dns-prefetch|icon|manifest))"
    r"[^>]*\bhref=[\"']?(?:https?:)?//[^>]*>|"
    r"@import\s+(?:url\()?[\"']?(?:https?:)?//|url\([\"']?(?:https?:)?//",
    re.IGNORECASE,
)


def html_of(site: Path, language: str, url: str) -> str:
    prefix = "" if language == bank.DEFAULT_LANGUAGE else f"{language}/"
    return (site / prefix / url / "index.html").read_text(encoding="utf-8")


def test_five_sections_have_landing_pages_in_both_languages(site: Path) -> None:
    assert [section.id for section in bank.sections()] == ["nlp", "cv", "distributed", "precision", "inference", "fine-tuning"]
    for section in bank.sections():
        for language in bank.LANGUAGES:
            page = html_of(site, language, section.id)
            assert "<h1" in page and section.titles[language] in page


def test_every_question_exists_in_both_languages(site: Path) -> None:
    for section in bank.sections():
        assert sum(q.section == section.id for q in QUESTIONS.values()) >= 8, f"{section.id} has fewer than eight questions"
    for slug, question in QUESTIONS.items():
        assert set(question.pages) == set(bank.LANGUAGES), f"{slug} lacks a translation"
        for language in bank.LANGUAGES:
            assert question.title(language) in html_of(site, language, question.url(language))


def test_section_landing_pages_list_their_questions(site: Path) -> None:
    for question in QUESTIONS.values():
        for language in bank.LANGUAGES:
            landing = html_of(site, language, question.section)
            assert f'href="{question.slug}/"' in landing, f"{question.slug} missing from its {language} landing page"


def test_pages_are_in_their_own_language(site: Path) -> None:
    assert '<html lang="zh"' in html_of(site, "zh", ".")
    assert '<html lang="en"' in html_of(site, "en", ".")
    english_nav = html_of(site, "en", "nlp")
    for section in bank.sections():
        assert section.titles["en"] in english_nav
        assert section.titles["zh"] not in english_nav or section.titles["zh"] == section.titles["en"]


def test_chinese_headings_keep_unicode_anchors(site: Path) -> None:
    zh_page = html_of(site, "zh", "precision/mixed-precision-training")
    assert 'id="一句话回答"' in zh_page and 'id="_1"' not in zh_page


def test_no_page_loads_a_resource_from_another_host(site: Path) -> None:
    offenders = [
        f"{path.relative_to(site)}: {match.group(0)[:120]}"
        for path in [*site.rglob("*.html"), *site.rglob("*.css")]
        for match in EXTERNAL_RESOURCE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "\n".join(offenders)


def test_vendored_files_are_in_the_site_less_what_only_the_build_uses(site: Path) -> None:
    assert (site / "assets/vendor/mermaid/mermaid.esm.min.mjs").is_file()
    # KaTeX only for browsers without MathML Core (assets.MATH_FALLBACK)
    assert (site / "assets/vendor/katex/katex.min.js").is_file()
    assert (site / "assets/vendor/katex/fonts/KaTeX_Main-Regular.woff2").is_file()
    css = (site / "assets/vendor/katex/katex.min.css").read_text(encoding="utf-8")
    assert css.count("@font-face{") == css.count("@font-face{font-display:swap;") > 0
    assert not (site / "assets/vendor/temml").exists()  # it runs at build time only
    assert (site / mathfont.FONT_FILE).stat().st_size < 60_000
    assert (site / mathfont.LICENSE_FILE).is_file()


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_formulas_are_mathml_in_the_built_page_and_need_no_script(site: Path, language: str) -> None:
    page = html_of(site, language, "precision/mixed-precision-training")
    formulas = re.findall(r'<(span|div) class="arithmatex">(.{0,40})', page)
    assert formulas, "the sample page has no formula"
    assert all(start.startswith("<math") for _, start in formulas)
    assert 'alttext="' in page  # the TeX, for the fallback and for assistive tools
    assert "katex-html" not in page and "katex.min.css" not in page.split("MathMLElement")[0]
    assert "MathMLElement" in page  # the fallback's test, inline in <head>


def test_katex_can_draw_every_formula_for_browsers_without_mathml(site: Path) -> None:
    """The fallback (assets.MATH_FALLBACK) draws each formula from its alttext; none may come out as an error."""
    found = set()
    for page in site.rglob("*.html"):
        for display, tex in re.findall(r'<math( display="block")?[^>]*? alttext="([^"]*)"', page.read_text(encoding="utf-8")):
            found.add((html.unescape(tex), bool(display)))
    assert len(found) > 50
    assert [f"{tex}: {why}" for tex, display in sorted(found) if (why := katex_rejects(tex, display))] == []


def test_the_font_keeps_every_character_the_formulas_draw(site: Path) -> None:
    """Characters the full font lacks (Chinese in \\text{}, say) come from system fonts; the rest must be kept."""
    from fontTools.ttLib import TTFont

    drawn: set[str] = set()
    for page in site.rglob("*.html"):
        for math in re.findall(r"<math.*?</math>", page.read_text(encoding="utf-8"), re.DOTALL):
            drawn |= characters(math)
    full = TTFont(mathfont._unpacked_source()).getBestCmap()
    kept = TTFont(site / mathfont.FONT_FILE).getBestCmap()
    assert len(drawn) > 20
    assert sorted(c for c in drawn if ord(c) in full and ord(c) not in kept) == []


def test_a_page_without_formulas_or_diagrams_loads_neither(site: Path) -> None:
    page = html_of(site, bank.DEFAULT_LANGUAGE, ".")
    assert "katex" not in page and "mermaid" not in page


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_diagram_pages_define_the_on_demand_mermaid_before_material_mounts(site: Path, language: str) -> None:
    page = html_of(site, language, "distributed/zero-stages")
    head = page.split("</head>", 1)[0]
    stub = r'<script defer src="[./]*assets/javascripts/mermaid-on-demand\.js"'
    assert re.search(stub + r' data-module="[./]*assets/vendor/mermaid/mermaid\.esm\.min\.mjs">', head)
    assert 'type="module"' not in page  # the module is imported only when a diagram comes near


def test_every_question_page_has_a_prefilled_report_link(site: Path) -> None:
    from urllib.parse import parse_qs, urlsplit

    for question in QUESTIONS.values():
        for language in bank.LANGUAGES:
            page = html_of(site, language, question.url(language))
            match = re.search(r'<a class="hb-report" href="([^"]+)"', page)
            assert match, f"{language}/{question.url(language)} has no report link"
            url = urlsplit(match.group(1).replace("&amp;", "&"))
            fields = parse_qs(url.query)
            assert url.path.endswith("/issues/new") and fields["template"] == ["wrong-answer.yml"]
            assert fields["page"][0].endswith(("" if language == "zh" else "en/") + question.url(language))
            assert fields["source"] == [f"docs/{question.section}/{question.slug}{'' if language == 'zh' else '.en'}.md"]


def test_tag_index_pages_list_every_question_in_both_languages(site: Path) -> None:
    for language in bank.LANGUAGES:
        tags_page = html_of(site, language, "tags")
        for question in QUESTIONS.values():
            assert f"{question.url(language)}" in tags_page, f"{question.slug} missing from the {language} tag index"
        for tag in {tag for question in QUESTIONS.values() for tag in question.tags}:
            assert bank.tags()[tag][language] in tags_page


def test_difficulty_badges_render_in_the_page_language(site: Path) -> None:
    labels = {"zh": {"easy": "简单", "medium": "中等", "hard": "困难"}, "en": {"easy": "Easy", "medium": "Medium", "hard": "Hard"}}
    for question in QUESTIONS.values():
        for language in bank.LANGUAGES:
            badge = f'<span class="hb-difficulty hb-difficulty--{question.difficulty}">{labels[language][question.difficulty]}</span>'
            assert badge in html_of(site, language, question.url(language))


def test_every_question_page_follows_the_template(site: Path) -> None:
    for question in QUESTIONS.values():
        for language in bank.LANGUAGES:
            page = question.pages[language]
            assert [h.text for h in page.headings if h.level == 2] == list(bank.HEADINGS[language])
            built = html_of(site, language, question.url(language))
            positions = [built.find(f">{heading}<") for heading in bank.HEADINGS[language]]
            assert -1 not in positions and positions == sorted(positions), f"{language}/{question.slug}: headings out of order"
            references = built[positions[-1] :].split("<h2", 1)[0]
            assert len(re.findall(r'<a href="https?://', references)) >= 2, f"{language}/{question.slug}: fewer than two reference links"


def test_the_chinese_only_preview_builds_strictly_without_english_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDBOOK_ENGLISH", "false")  # what `make serve ONLY=zh` sets
    result = build_site(ROOT / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "fine-tuning" / "lora" / "index.html").is_file()
    assert not (tmp_path / "site" / "en" / "fine-tuning").exists()


def sidebar_of(page: str) -> str:
    """The primary sidebar (site navigation) of a built page, up to the table of contents' sidebar."""
    return page.split('class="md-sidebar md-sidebar--primary"', 1)[1].split('class="md-sidebar md-sidebar--secondary"', 1)[0]


def test_a_question_page_lists_its_section_in_reading_order_in_the_sidebar(site: Path) -> None:
    """The section's questions around the current one, in the order of data/sections.yml, without Material rendering them."""
    for question in QUESTIONS.values():
        for language in bank.LANGUAGES:
            page = html_of(site, language, question.url(language))
            sidebar = sidebar_of(page)
            assert 'href="../" class="md-nav__link' in sidebar, f"{language}/{question.slug}: no link to its landing page"
            assert 'href="./" class="md-nav__link md-nav__link--active"' in sidebar
            section = [q.slug for q in QUESTIONS.values() if q.section == question.section]
            listed = [
                slug if slug != "." else question.slug
                for slug in re.findall(r'<a href="(?:\.\./)?([^"/]+)/?" class="md-nav__link(?: md-nav__link--active)?"', sidebar)
                if slug in section or slug == "."
            ]
            assert listed == section, f"{language}/{question.slug}: the sidebar lists {listed}"
            active_tab = page.split('class="md-tabs__item md-tabs__item--active"', 1)[1].split("</li>", 1)[0]
            assert SECTION_TITLES[question.section][language] in active_tab, f"{language}/{question.slug}: its tab is not active"


def footer_target(site: Path, language: str, url: str, direction: str) -> str | None:
    """Where a page's previous/next footer link leads, as a site path without slashes at the ends."""
    match = re.search(rf'<a href="([^"]*)" class="md-footer__link md-footer__link--{direction}"', html_of(site, language, url))
    return posixpath.normpath(posixpath.join(url, match.group(1))) if match else None


def test_footer_links_walk_the_site_in_the_order_of_the_tabs(site: Path) -> None:
    """Questions left the sidebar but keep previous/next links: home, each section's landing page then its questions, map, tags."""
    for language in bank.LANGUAGES:
        order = ["."]
        for section in bank.sections():
            order.append(section.id)
            order += [f"{q.section}/{q.slug}" for q in QUESTIONS.values() if q.section == section.id]
        order += ["map", "tags"]
        for before, after in itertools.pairwise(order):
            assert footer_target(site, language, before, "next") == after, f"{language}: after {before}"
            assert footer_target(site, language, after, "prev") == before, f"{language}: before {after}"
        assert footer_target(site, language, ".", "prev") is None and footer_target(site, language, "tags", "next") is None


def test_the_sitemap_still_names_every_question(site: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for question in QUESTIONS.values():
        assert f"{question.section}/{question.slug}/</loc>" in sitemap


# Practice mode's reveal button, built hidden in front of its box (practice.js only shows it).
REVEAL = (
    r'<button type="button" class="hb-button hb-reveal" aria-expanded="false" aria-controls="hb-answer-\w+" '
    r'data-show="[^"]+" data-hide="[^"]+" data-search-exclude hidden>[^<]+</button>'
)


@pytest.mark.parametrize("language", ["", "en/"])
def test_the_answer_comes_in_two_boxes_for_practice_mode(site: Path, language: str) -> None:
    page = (site / language / "fine-tuning" / "lora" / "index.html").read_text(encoding="utf-8")
    heading = "short-answer" if language else "一句话回答"
    short_box = re.search(f'</div>{REVEAL}<div id="hb-answer-short" class="hb-answer">\\s*<h2 id="{heading}">', page)
    assert short_box, "the short answer's box opens right after the meta line, the toolbar and its reveal button"
    detail_box = f'</div>{REVEAL}<div id="hb-answer-detail" class="hb-answer"><h2 id="'
    assert re.search(detail_box, page)
    detail_box = '<div id="hb-answer-detail" class="hb-answer"><h2 id="'
    assert short_box.start() < page.index(detail_box), "the rest follows in a second box, from the next heading"
    assert page.count('class="hb-answer"') == 2


@pytest.mark.parametrize(("language", "label"), [("", "练习模式"), ("en/", "Practice mode")])
def test_the_practice_toolbar_is_built_into_the_page_and_hidden_without_scripts(site: Path, language: str, label: str) -> None:
    page = (site / language / "fine-tuning" / "lora" / "index.html").read_text(encoding="utf-8")
    opening = '</p><div class="hb-toolbar" role="group" aria-label="[^"]+" data-search-exclude>'
    toolbar = re.search(f'{opening}(.*?)</div>{REVEAL}<div id="hb-answer-short"', page)
    assert toolbar, "the toolbar sits between the meta line and the short answer"
    assert f'class="hb-button hb-toggle" aria-pressed="false">{label}</button>' in toolbar.group(1)
    assert re.findall(r'data-(?:state|scope)="(\w+)"', toolbar.group(1)) == ["mastered", "review", "section", "all"]
    head = page[: page.index("</head>")]
    assert "<noscript><style>.hb-toolbar,.hb-section-tools{display:none}</style></noscript>" in head
    home = (site / language / "index.html").read_text(encoding="utf-8")
    assert "hb-toolbar" not in home[: home.index("</head>")], "pages without a toolbar carry no rule for it"
    index = json.loads((site / language / "search" / "search_index.json").read_text(encoding="utf-8"))
    lora = [doc for doc in index["docs"] if "fine-tuning/lora/" in doc["location"]]
    assert lora and not any(label in doc["text"] + doc["title"] for doc in lora), "search leaves the buttons out"


@pytest.mark.parametrize(
    ("target", "page_url", "link"),
    [
        ("assets/javascripts/practice.js", "", "assets/javascripts/practice.js"),
        ("assets/javascripts/practice.js", "cv/clip-vs-siglip/", "../../assets/javascripts/practice.js"),
        ("assets/vendor/katex/", "en/cv/clip-vs-siglip/", "../../../assets/vendor/katex/"),
        ("assets/vendor/katex/", "404.html", "assets/vendor/katex/"),
        ("en/", "en/cv/clip-vs-siglip/", "../../"),
        ("en/", "en/", "./"),
        ("en/", "en/404.html", "./"),
    ],
)
def test_links_to_site_files_are_relative_to_the_page(target: str, page_url: str, link: str) -> None:
    """The build's own links work wherever the site is served from, as MkDocs' do (without importing MkDocs)."""
    assert assets.relative_url(target, page_url) == link


def test_tables_and_diagrams_get_a_wrapper_of_their_own_for_material_to_rewrite_in() -> None:
    html = '<p>a</p><table>\n<tr><td>1</td></tr>\n</table><pre class="mermaid"><code>graph LR</code></pre><pre><code>x</code></pre>'
    assert pages.isolate_rewritten_blocks(html) == (
        '<p>a</p><div class="hb-block"><table>\n<tr><td>1</td></tr>\n</table></div>'
        '<div class="hb-block"><pre class="mermaid"><code>graph LR</code></pre></div><pre><code>x</code></pre>'
    )


def test_every_table_and_diagram_of_the_site_is_wrapped(site: Path) -> None:
    for page in site.rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        for block in ("<table>", '<pre class="mermaid">'):
            assert text.count(block) == text.count(f'<div class="hb-block">{block}'), f"{page}: a bare {block}"


@pytest.mark.parametrize(("language", "label"), [("", "筛选题目"), ("en/", "Filter questions")])
def test_section_tools_are_built_above_the_list_with_every_tag_and_difficulty(site: Path, language: str, label: str) -> None:
    page = (site / language / "distributed" / "index.html").read_text(encoding="utf-8")
    tools = re.search(r'<div class="hb-section-tools" data-search-exclude>(.*?)</div><p class="hb-status" role="status"></p></div>', page)
    assert tools and page.index("hb-section-tools") < page.index('<ul class="hb-questions">')
    assert f'aria-label="{label}"' in tools.group(1)
    members = [q for q in bank.load().values() if q.section == "distributed"]
    difficulties = re.findall(r'class="hb-button hb-filter" data-difficulty="(\w*)"', tools.group(1))
    assert difficulties == ["", *[d for d in pages.DIFFICULTY if any(q.difficulty == d for q in members)]]
    assert set(re.findall(r'<option value="([\w-]+)">', tools.group(1))) == {tag for q in members for tag in q.tags}
    assert "<noscript><style>.hb-toolbar,.hb-section-tools{display:none}</style></noscript>" in page
