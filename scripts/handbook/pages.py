"""What the build adds to pages: localized tags, difficulty badges, section lists, nav order."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlencode

from handbook import bank, checks, graph, translation


class BuildError(Exception):
    """Something the build cannot render correctly; the hooks stop the build with its message."""


DIFFICULTY = {
    "easy": {"zh": "简单", "en": "Easy"},
    "medium": {"zh": "中等", "en": "Medium"},
    "hard": {"zh": "困难", "en": "Hard"},
}
QUESTIONS_MARKER = "<!-- questions -->"
MAP_MARKER = "<!-- knowledge-map -->"
H1 = re.compile(r"^# .+$", re.MULTILINE)


def _in_section(path: Path) -> bool:
    return path.parent.parent == bank.DOCS and path.parent.name in {s.id for s in bank.sections()}


def is_question(path: Path) -> bool:
    return _in_section(path) and path.name.split(".")[0] != "index"


def is_section_index(path: Path) -> bool:
    return _in_section(path) and path.name.split(".")[0] == "index"


def badge(difficulty: str, language: str) -> str:
    if difficulty not in DIFFICULTY:
        raise BuildError(f"unknown difficulty {difficulty!r}; expected one of {', '.join(DIFFICULTY)}")
    label = DIFFICULTY[difficulty][language]
    return f'<span class="hb-difficulty hb-difficulty--{difficulty}">{label}</span>'


def tag_label(tag: str, language: str, source: Path) -> str:
    vocabulary = bank.tags()
    if tag not in vocabulary:
        raise BuildError(f"{source}: unknown tag {tag!r}; add it to data/tags.yml first")
    return vocabulary[tag][language]


REPORT = {"zh": "报告错误", "en": "Report an error"}
PERMALINK = {"zh": "永久链接", "en": "Permanent link"}  # mkdocs.yml gives toc the Chinese title


def localize_permalinks(content: str, language: str) -> str:
    """Each heading's permalink tooltip in the page's language (Python-Markdown's toc has one title per build)."""
    old = f'title="{PERMALINK[bank.DEFAULT_LANGUAGE]}"'
    return content if language == bank.DEFAULT_LANGUAGE else content.replace(old, f'title="{PERMALINK[language]}"')


def report_link(repo_url: str, page_url: str, path: Path, language: str) -> str:
    """A link that opens a pre-filled "wrong answer" issue naming this page; no API call at page load."""
    source = path.relative_to(bank.ROOT).as_posix() if path.is_relative_to(bank.ROOT) else path.name
    query = urlencode({"template": "wrong-answer.yml", "title": f"[{path.name.split('.')[0]}] ", "page": page_url, "source": source})
    href = html.escape(f"{repo_url.rstrip('/')}/issues/new?{query}")
    return f'<a class="hb-report" href="{href}" rel="nofollow">{REPORT[language]}</a>'


def decorate_question(markdown: str, meta: dict, path: Path, language: str, report: str) -> str:
    """Show tags in the page's language; put the difficulty badge and the report link under the title."""
    try:
        meta["tags"] = [tag_label(tag, language, path) for tag in meta.get("tags") or []]
        line = f'\n\n<p class="hb-meta">{badge(str(meta.get("difficulty")), language)} {report}</p>\n'
    except BuildError as error:
        raise BuildError(f"{path}: {error}") from None
    return H1.sub(lambda match: match.group(0) + line, markdown, count=1)


# What starts inline Markdown (emphasis, code, links, images, attr_list, maths, marks, sub/superscripts).
# Not parentheses: `\(` would open arithmatex's inline maths.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]!~^=$])")


def literal(text: str) -> str:
    """Text that Markdown shows as typed: a title reused in a list is data, never markup or HTML."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def fill_section_index(markdown: str, path: Path, language: str) -> str:
    """Replace the marker with the section's questions, so adding a question needs no list edit.

    The list is HTML (via `md_in_html`, so links are still checked and rewritten by
    MkDocs) because the practice script filters it by its `data-difficulty` and
    `data-tags` attributes; without JavaScript it is a plain list.
    """
    if QUESTIONS_MARKER not in markdown:
        raise BuildError(f"{path}: section landing page lacks the {QUESTIONS_MARKER} marker")
    questions = _section_questions(path, language)
    items = [
        f'<li data-slug="{html.escape(question.slug)}" data-difficulty="{html.escape(question.difficulty)}" '
        f'data-tags="{html.escape(" ".join(question.tags))}" markdown="span">'
        f"[{literal(question.title(language))}]({question.slug}.md) {badge(question.difficulty, language)}</li>"
        for question in questions
    ]
    listing = '<ul class="hb-questions" markdown>\n' + "\n".join(items) + "\n</ul>"
    return markdown.replace(QUESTIONS_MARKER, f"\n\n{SECTION_TOOLS_SLOT}\n\n{listing}\n\n")


SECTION_TOOLS_SLOT = '<div class="hb-section-tools"></div>'


def add_section_tools(content: str, path: Path, language: str) -> str:
    """Put the section tools into the slot left by `fill_section_index`, after the content was sanitized:
    buttons and selects are the site's own markup, which no page may write."""
    return content.replace(SECTION_TOOLS_SLOT, section_tools(_section_questions(path, language), language), 1)


def _section_questions(path: Path, language: str) -> list[bank.Question]:
    return [q for q in bank.load().values() if q.section == path.parent.name and language in q.pages]


def section_tools(questions: list[bank.Question], language: str) -> str:
    """Progress line, random buttons and filters above a section's list, which practice.js brings to life.

    Built here for the reason of `practice_toolbar`: inserted by the script
    after the first paint, they pushed the list down by 186 px on a phone.
    The progress line holds a no-break space until the script counts.
    """
    text = PRACTICE_LABELS[language]
    present = [d for d in DIFFICULTY if any(q.difficulty == d for q in questions)]
    difficulties = "".join(
        f'<button type="button" class="hb-button hb-filter" data-difficulty="{d}" aria-pressed="{str(not d).lower()}">'
        f"{DIFFICULTY[d][language] if d else text['any']}</button>"
        for d in ["", *present]
    )
    vocabulary = bank.tags()
    tags = sorted({tag for q in questions for tag in q.tags})
    options = "".join(f'<option value="{tag}">{html.escape(vocabulary[tag][language])}</option>' for tag in tags)
    return (
        '<div class="hb-section-tools" data-search-exclude>'
        '<p class="hb-progress-summary">&nbsp;</p>'
        f'<div class="hb-toolbar">{random_buttons(language)}</div>'
        f'<div class="hb-filters" role="group" aria-label="{text["filters"]}">'
        f'<span class="hb-filters__label">{text["difficulty"]}</span>{difficulties}'
        f'<select class="hb-filter-tag" aria-label="{text["tag"]}"><option value="">{text["all-tags"]}</option>{options}</select>'
        '</div><p class="hb-status" role="status"></p></div>'
    )


def order_sections(items: list, language: str) -> None:
    """Title the top-level sections in the page's language and sort them in reading order."""
    titles = {section.id: section.titles[language] for section in bank.sections()}
    order = {section.id: rank for rank, section in enumerate(bank.sections(), start=1)}

    def section_id(item) -> str | None:
        page = next(iter(item.children), None) if item.is_section else None
        return page.file.src_uri.split("/")[0] if page is not None and page.is_page else None

    for item in items:
        if (section := section_id(item)) in titles:
            item.title = titles[section]
            item.children.sort(key=lambda child, section=section: _page_rank(child, section))

    def rank(item) -> int:
        if item.is_page and item.file.src_uri.split(".")[0] == "index":
            return 0
        return order.get(section_id(item), len(order) + 1)

    items.sort(key=rank)


def _page_rank(item, section: str) -> tuple:
    """A section's landing page first, then its questions in the reading order of data/sections.yml."""
    if not _is_question_page(item):
        return (0,)
    return (1, *bank.reading_rank(section, slug_of(Path(item.file.abs_src_path))))


def _is_question_page(item) -> bool:
    return bool(item.is_page and item.file.abs_src_path and is_question(Path(item.file.abs_src_path)))


def _reading_order(items: list) -> list:
    """Every page of the navigation, depth first: a section's landing page, then its questions."""
    pages = []
    for item in items:
        if item.is_page:
            pages.append(item)
        elif item.is_section:
            pages.extend(_reading_order(item.children))
    return pages


def unlist_questions(items: list) -> None:
    """Keep question pages out of the rendered sidebar, but keep their footer links and their section.

    Material renders the active section's whole list on every page, so with
    N/5 questions per section the build renders O(N^2) links (2N pages x N/5)
    and each page carries a list Lighthouse flags as too large. The landing
    pages already list their questions, so the sidebar only names them there.

    Previous/next links are set here, in reading order (the tabs' order), and
    each question keeps its section as `parent`, so its tab stays highlighted.
    """
    order = _reading_order(items)
    for index, page in enumerate(order):
        page.previous_page = order[index - 1] if index > 0 else None
        page.next_page = order[index + 1] if index + 1 < len(order) else None
    for item in items:
        if item.is_section:
            _unlist_questions_of(item)


def _unlist_questions_of(section) -> None:
    section.children = [child for child in section.children if not _is_question_page(child)]


def show_current_question(items: list, page) -> None:
    """List the page being rendered under its section, so the sidebar and the phone drawer show it with its contents.

    Called for every page: it also removes the question listed for the page before.
    """
    for item in items:
        if item.is_section:
            _unlist_questions_of(item)
            if page.parent is item and _is_question_page(page):
                item.children.append(page)


CURRENT_ITEM = '<li class="md-nav__item md-nav__item--active">'  # the page itself, inside its section's list
LIST_TAG = re.compile(r"<(/?)ul\b")
_SIBLINGS: dict[tuple[int, str, str], list[tuple[str, str]]] = {}


def list_section_questions(output: str, slug: str, section: str, language: str) -> str:
    """Put the section's other questions around the current one in the sidebar (and the phone drawer), in reading order.

    Material would render every question of the active section on every page
    (quadratic in the bank); instead each section's items are made once per build
    and language, and only spliced into each page's HTML. Question pages all sit
    at `<section>/<slug>/`, so `../<other>/` leads to a sibling from any of them.
    """
    start = output.find(CURRENT_ITEM)
    if start < 0:
        return output
    depth, end = 0, -1
    for tag in LIST_TAG.finditer(output, start):
        depth += -1 if tag.group(1) else 1
        if depth < 0:
            end = tag.start()
            break
    if end < 0:
        return output
    items = _sibling_items(section, language)
    slugs = [s for s, _ in items]
    position = slugs.index(slug) if slug in slugs else len(slugs)
    before = "".join(item for _, item in items[:position])
    after = "".join(item for s, item in items[position + 1 :])
    return output[:start] + before + output[start:end] + after + output[end:]


def _sibling_items(section: str, language: str) -> list[tuple[str, str]]:
    questions, _ = graph.for_build(check=False)
    key = (id(questions), section, language)
    if key not in _SIBLINGS:
        if len(_SIBLINGS) > 2 * len(bank.sections()) * len(bank.LANGUAGES):  # a new build: drop the last one's
            _SIBLINGS.clear()
        _SIBLINGS[key] = [
            (
                q.slug,
                f'<li class="md-nav__item"><a href="../{q.slug}/" class="md-nav__link">'
                f'<span class="md-ellipsis">{html.escape(q.title(language))}</span></a></li>',
            )
            for q in questions.values()
            if q.section == section and language in q.pages
        ]
    return _SIBLINGS[key]


REWRITTEN_BLOCK = re.compile(r'<table>.*?</table>|<pre class="mermaid">.*?</pre>', re.DOTALL)


def isolate_rewritten_blocks(content: str) -> str:
    """Give each table and diagram a wrapper of its own, because Material replaces them at load.

    Material wraps every table in scroll boxes and swaps a diagram's `<pre>`
    for its drawing, both with `replaceWith()`. Chromium then restyles all
    that the replaced node's parent holds (Material's and KaTeX's stylesheets
    have structural selectors such as `:first-child` and `+ *`): with the
    answer box as the parent, a maths page restyled 1,400 elements at load.
    Under a plain wrapper, which changes no layout, only the block itself is.
    """
    return REWRITTEN_BLOCK.sub(lambda match: f'<div class="hb-block">{match.group(0)}</div>', content)


SHORT_ANSWER_HEADING = re.compile('<h2 id="(?:' + "|".join(bank.SHORT_ANSWER_ANCHOR.values()) + ')"')
META_OPEN = '<p class="hb-meta">'
PRACTICE_LABELS = {
    "zh": {
        "tools": "练习工具",
        "practice": "练习模式",
        "mastered": "已掌握",
        "review": "需复习",
        "section": "本章随机一题",
        "all": "随机一题",
        "show": "显示答案",
        "hide": "隐藏答案",
        "show-detail": "显示详细解答",
        "hide-detail": "隐藏详细解答",
        "filters": "筛选题目",
        "difficulty": "难度",
        "any": "全部",
        "tag": "标签",
        "all-tags": "全部标签",
    },
    "en": {
        "tools": "Practice tools",
        "practice": "Practice mode",
        "mastered": "Mastered",
        "review": "Review",
        "section": "Random from this section",
        "all": "Random question",
        "show": "Show answer",
        "hide": "Hide answer",
        "show-detail": "Show detailed answer",
        "hide-detail": "Hide detailed answer",
        "filters": "Filter questions",
        "difficulty": "Difficulty",
        "any": "All",
        "tag": "Tag",
        "all-tags": "All tags",
    },
}


def practice_toolbar(language: str) -> str:
    """The practice buttons of a question page, which practice.js brings to life.

    In the HTML rather than added by the script: inserted after the first
    paint, they pushed the whole answer down (a layout shift of 0.07 on a
    phone in Lighthouse). Readers without JavaScript never see them
    (`assets.NO_SCRIPT_STYLE`), and search leaves them out (Material's
    `data-search-exclude`), or every question would match "practice mode".
    """
    text = PRACTICE_LABELS[language]
    buttons = [
        ("hb-toggle", 'aria-pressed="false"', text["practice"]),
        *((f"hb-mark hb-mark--{state}", f'data-state="{state}" aria-pressed="false"', text[state]) for state in ("mastered", "review")),
    ]
    html_buttons = "".join(f'<button type="button" class="hb-button {cls}" {attrs}>{label}</button>' for cls, attrs, label in buttons)
    return (
        f'<div class="hb-toolbar" role="group" aria-label="{text["tools"]}" data-search-exclude>'
        f'{html_buttons}{random_buttons(language)}<p class="hb-status" role="status"></p></div>'
    )


def random_buttons(language: str) -> str:
    """ "Random from this section" and "random question", on question and section pages alike."""
    text = PRACTICE_LABELS[language]
    button = '<button type="button" class="hb-button hb-random" data-scope="{0}">{1}</button>'
    return "".join(button.format(scope, text[scope]) for scope in ("section", "all"))


def reveal_button(box: str, show: str, hide: str) -> str:
    """The hidden button that practice mode shows in front of a box: made here because inserting it
    into the article from a script made Chromium restyle the whole article at load (Material's and
    KaTeX's stylesheets have structural selectors)."""
    return (
        f'<button type="button" class="hb-button hb-reveal" aria-expanded="false" aria-controls="{box}" '
        f'data-show="{show}" data-hide="{hide}" data-search-exclude hidden>{show}</button>'
    )


def wrap_answers(content: str, language: str) -> str:
    """Add the practice toolbar, and put the short answer and the rest of a question page in two boxes that practice mode can hide.

    Done here rather than in practice.js: moving every node of a rendered
    page into a new box made the browser style and lay it all out again, the
    largest part of a question page's blocking time on a phone. A page without
    the meta line or the short-answer heading is left alone (`make check`
    reports it).
    """
    meta = content.find(META_OPEN)
    short = SHORT_ANSWER_HEADING.search(content, meta) if meta >= 0 else None
    if short is None:
        return content
    start = content.index("</p>", meta) + len("</p>")
    detail = content.find("<h2", short.end())
    detail = len(content) if detail < 0 else detail
    text = PRACTICE_LABELS[language]
    boxes = reveal_button("hb-answer-short", text["show"], text["hide"])
    boxes += f'<div id="hb-answer-short" class="hb-answer">{content[start:detail]}</div>'
    if content[detail:].strip():
        boxes += reveal_button("hb-answer-detail", text["show-detail"], text["hide-detail"])
        boxes += f'<div id="hb-answer-detail" class="hb-answer">{content[detail:]}</div>'
    return content[:start] + practice_toolbar(language) + boxes


def display(path: Path) -> str:
    """A source path as messages name it: relative to the project when it is inside it."""
    return path.relative_to(bank.ROOT).as_posix() if path.is_relative_to(bank.ROOT) else str(path)


BANNER = {
    "en": (
        '!!! warning "This translation may be out of date"\n\n'
        "    The Chinese original of this page has changed since it was translated. "
        'Check <a href="{link}" hreflang="zh">the Chinese page</a> for the current answer.\n'
    ),
}


def add_translation_banner(markdown: str, path: Path, language: str) -> str:
    """Warn readers of a translation whose source changed after it was translated."""
    if language == bank.DEFAULT_LANGUAGE:
        return markdown
    source = bank.read_page(translation.source_of(path))
    if translation.state(source, bank.read_page(path)) is translation.State.CURRENT:
        return markdown
    link = f"../../../{source.section}/{source.slug}/"
    banner = BANNER[language].format(link=link)
    return H1.sub(lambda match: match.group(0) + "\n\n" + banner, markdown, count=1)


RELATED_HEADING = {"zh": "相关问题", "en": "Related questions"}


def related_heading(language: str) -> str:
    """The `相关问题` / `Related questions` heading appended to a question page's Markdown.

    Markdown renders the heading, so the table of contents lists it; the list
    under it is the build's own HTML (`add_related_list`).
    """
    return f"\n\n## {RELATED_HEADING[language]}\n"


def add_related_list(content: str, slug: str, language: str) -> str:
    """Put the related questions under the related heading, which ends the page, and keep them out of search.

    The list is made from the graph after Markdown and the sanitiser, with
    titles escaped as data: run through Markdown, eight links per page cost the
    build more inline parsing than any other part of a page. Question pages all
    sit at `<section>/<slug>/`, so `../../<section>/<slug>/` leads to any other.
    `data-search-exclude` keeps the titles out of the search index: a query for
    DDPM should find the DDPM page, not every page that links to it.
    """
    heading = f'<h2 id="{bank.RELATED_ANCHOR[language]}">'
    at = content.rfind(heading)
    if at < 0:
        return content
    questions, related = graph.for_build(check=False)  # checked once per build, in on_config
    items = []
    for link in related.neighbours.get(slug, []):
        other = questions[link.slug]
        reason = graph.explain(link, bank.tags(), language)
        note = f' <small class="hb-reason">{html.escape(reason)}</small>' if reason else ""
        items.append(f'<li><a href="../../{other.section}/{other.slug}/">{html.escape(other.title(language))}</a>{note}</li>')
    marked = heading.replace(">", " data-search-exclude>")
    return content[:at] + marked + content[at + len(heading) :] + f"\n<ul>\n{chr(10).join(items)}\n</ul>"


def refuse_content_problems() -> None:
    """Stop the build on what `make check` would report about files and metadata, with the checker's messages.

    Without it, a missing twin or a malformed list surfaced as a traceback from deep in the build.
    """
    if problems := checks.build_problems(bank.DOCS):
        raise BuildError("content problems (the same as `make check` reports):\n" + "\n".join(map(str, problems)))


def slug_of(path: Path) -> str:
    return path.name.split(".")[0]
