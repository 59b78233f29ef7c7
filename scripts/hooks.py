"""MkDocs hooks: the only place where the build calls the handbook's logic.

Each hook does one job and delegates to `scripts/handbook/`. Anything the hook
does not recognise (an unknown section folder, an unknown tag, a missing
translation) stops the build with a message naming the file, because a
silently wrong page is worse than a failed build.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from handbook import alternates, assets, bank, collation, exports, formulas, graph, knowledge_map, mathfont, pages, sanitize, search

log = logging.getLogger("mkdocs.plugins.handbook")
# What a writer needs from a build is the page rebuilt, the time and any problem: not mkdocs-static-i18n's
# "Overriding …" lines (a palette dump per build) nor jieba's dictionary loading chatter.
logging.getLogger("mkdocs.plugins.mkdocs_static_i18n").setLevel(logging.WARNING)
logging.getLogger("jieba").setLevel(logging.WARNING)


@contextmanager
def _stop_build_on(*errors: type[Exception]) -> Iterator[None]:
    """MkDocs shows a PluginError as one line that names the file; anything else would be a traceback."""
    try:
        yield
    except errors as error:
        raise PluginError(str(error)) from None


def _language(config: MkDocsConfig) -> str:
    """The language being built; mkdocs-static-i18n sets the theme language per build."""
    language = config.theme["language"]
    if language not in bank.LANGUAGES:
        raise PluginError(f"mkdocs.yml: unsupported theme language {language!r}")
    return language


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # Per `mkdocs build` and per `mkdocs serve` rebuild (which reloads the config); mkdocs-static-i18n calls it
    # again for each language's build, which the content check's cache absorbs.
    formulas.start_build()
    assets.prepare()
    with _stop_build_on(pages.BuildError):
        pages.refuse_content_problems()
    tags = config.plugins.get("material/tags")
    if tags is not None:  # the tags page lists Chinese tags in pinyin order, as a reader looks them up
        tags.config.tags_sort_by = tags.config.listings_tags_sort_by = _tag_reading_key
    return config


def _tag_reading_key(tag, *_) -> tuple[str, str]:
    return collation.reading_key(tag.name)


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    pages.order_sections(nav.items, _language(config))
    pages.unlist_questions(nav.items)
    return nav


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    language = _language(config)
    path = Path(page.file.abs_src_path)
    with _stop_build_on(pages.BuildError):
        if pages.is_question(path):
            report = pages.report_link(config.repo_url or "", (config.site_url or "") + page.url, path, language)
            markdown = pages.decorate_question(markdown, page.meta, path, language, report)
            markdown = pages.add_translation_banner(markdown, path, language)
            return markdown + pages.related_heading(language)
        if pages.is_section_index(path):
            return pages.fill_section_index(markdown, path, language)
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    path = Path(page.file.abs_src_path)
    html = pages.localize_permalinks(_sanitized(html, path), _language(config))
    # The map goes in after Markdown and after the sanitiser: it is the site's own markup (and its script),
    # and Python-Markdown took seconds to parse one raw HTML block of every question at 1,000 questions.
    if pages.MAP_MARKER in html:
        return html.replace(pages.MAP_MARKER, knowledge_map.render(_language(config)), 1)
    html = pages.isolate_rewritten_blocks(html)
    if pages.is_section_index(path):
        return pages.add_section_tools(html, path, _language(config))
    if pages.is_question(path):
        html = pages.add_related_list(html, pages.slug_of(path), _language(config))
        return pages.wrap_answers(html, _language(config))
    return html


def _sanitized(html: str, path: Path) -> str:
    """The page's content through the allowlist; each thing removed is a warning, which fails the strict build."""
    # The map's own marker is a comment, which the cleaner would drop.
    parts = [sanitize.sanitize(part) for part in html.split(pages.MAP_MARKER)]
    if findings := [finding for _, found in parts for finding in found]:
        source = path.read_text(encoding="utf-8", errors="replace")
        for finding in findings:
            log.warning(f"{pages.display(path)}:{sanitize.line_of(source, finding)}: {finding.rule} {finding.message}")
    return pages.MAP_MARKER.join(text for text, _ in parts)


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    pages.show_current_question(nav.items, page)
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    path = Path(page.file.abs_src_path)
    if pages.is_question(path):
        output = pages.list_section_questions(output, pages.slug_of(path), path.parent.name, _language(config))
    output = search.point_at_language_root(output, page.url)
    output = alternates.drop_head_alternates(output)
    with _stop_build_on(formulas.MathError):  # after the search plugin has indexed the page: the index keeps the TeX
        output = formulas.render_page(output, path)
    return assets.inject(output, page.url)


@event_priority(-110)  # after mkdocs-static-i18n (-100) has built every language and rewritten the merged index
def on_post_build(config: MkDocsConfig) -> None:
    # mkdocs-static-i18n builds the other languages from inside the first build's on_post_build (its
    # `building` flag is up meanwhile), so this hook also runs at the end of each nested build, when the
    # merged index holds only that language. The outer run comes last and sees every language; the
    # nested runs would only write files it rewrites, so they are skipped.
    if getattr(config.plugins.get("i18n"), "building", False):
        return
    site_dir = Path(config.site_dir)
    assets.copy_into(site_dir)
    mathfont.write(site_dir, formulas.used_characters)
    search.split(site_dir, graph.for_build()[0])
    exports.write_all(site_dir, config.site_url or "")
