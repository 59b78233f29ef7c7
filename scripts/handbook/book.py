"""The printable book of one language, assembled from the built site (`make pdf`).

Made from the site rather than from the Markdown, so the PDF shows exactly what
the pages show: the same sanitised HTML, MathML formulas with the site's maths
font, the same stylesheets. A cover, then the contents by section in reading
order, then every question with its short answer, details, follow-ups, pitfalls
and references, one question per page start. Links between questions become
links inside the book; everything else points at the published site.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from handbook import bank

BOOK_FOLDER = "book"  # written under the language root while printing, then removed
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.DOTALL)
STYLESHEET = re.compile(r'<link rel="stylesheet" href="\.\./\.\./([^"]+)">')
URL_ATTRIBUTE = re.compile(r'\b(href|src)="([^"#][^"]*|#[^"]*)"')
# Screen-only parts of a question page: practice controls, the report link, permalinks, the related list.
SCREEN_ONLY = (
    re.compile(r'<div class="hb-toolbar".*?</div>', re.DOTALL),
    re.compile(r'<button type="button" class="hb-button hb-reveal"[^>]*>.*?</button>', re.DOTALL),
    re.compile(r' ?<a class="hb-report"[^>]*>.*?</a>', re.DOTALL),
    re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL),
    re.compile('<h2 id="(?:' + "|".join(bank.RELATED_ANCHOR.values()) + ')"[^>]*>.*', re.DOTALL),
)
TEXT = {
    "zh": {"title": "大模型面试手册", "subtitle": "中英双语大模型面试题知识库 · 中文版", "contents": "目录", "count": "共 {n} 题",
           "built": "生成于 {day}，最新版见", "page": "{page} / {total}"},
    "en": {"title": "LLM Interview Handbook", "subtitle": "Interview questions on large models · English edition",
           "contents": "Contents", "count": "{n} questions", "built": "Made on {day}; the latest version is at",
           "page": "Page {page} of {total}"},
}  # fmt: skip
# The CJK font `make pdf` writes beside the book (handbook.cjkfont): TrueType, which Chromium embeds once as a
# subset, where the installed Noto CJK fonts would print as a Type 3 font per page. Latin text keeps the site's fonts.
CJK_FILES = {400: "cjk-400.ttf", 700: "cjk-700.ttf"}
CJK_FACES = "".join(
    f'@font-face {{ font-family: "Handbook CJK"; font-weight: {weight}; src: url("{name}") format("truetype"); }}\n'
    for weight, name in CJK_FILES.items()
)
PRINT_CSS = """
:root {
  --md-text-font: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Handbook CJK";
  --md-code-font: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", "Handbook CJK";
}
.md-typeset math { font-family: "Handbook Math", "Handbook CJK", math; }
@page { size: A4; margin: 18mm 16mm 20mm; }
html, body { background: #fff; }
body { margin: 0; }
.md-typeset { font-size: 10.5pt; }
.hb-book__cover { min-height: 230mm; display: flex; flex-direction: column; justify-content: center; break-after: page; }
.hb-book__cover h1 { font-size: 2.4em; margin: 0 0 0.3em; color: #000; }
.hb-book__contents { break-after: page; }
.hb-book__contents ol { columns: 1; }
.hb-book__section > h1 { break-before: page; }
.hb-book__question { break-before: page; }
.hb-book__section > h1 + .hb-book__question { break-before: avoid; }
.hb-book__question .hb-answer { display: block !important; }
.md-typeset pre, .md-typeset table, .md-typeset .mermaid, .md-typeset details { break-inside: avoid; }
.md-typeset details > :not(summary) { display: block; }
"""
DIAGRAMS = """<script type="module">
document.querySelectorAll("details").forEach((details) => { details.open = true; });
let state = "true";
try {
  const { default: mermaid } = await import("MODULE");
  // Diagram labels in the book's fonts (the CJK one included), not Mermaid's own list.
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict", fontFamily: getComputedStyle(document.body).fontFamily });
  document.querySelectorAll("pre.mermaid").forEach((block) => { block.textContent = block.textContent; });  // drop <code>
  await mermaid.run({ querySelector: "pre.mermaid" });
} catch (error) {
  state = "failed: " + (error && (error.message || error.str || JSON.stringify(error)));
} finally {
  document.body.dataset.ready = state;
}
</script>"""


def site_url_of(site_dir: Path) -> str:
    """The published root, as the build wrote it into the sitemap (SITE_URL or mkdocs.yml's default)."""
    sitemap = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    first = re.search(r"<loc>([^<]+)</loc>", sitemap)
    return first.group(1) if first else ""


def pdf_name(language: str) -> str:
    return f"llm-interview-handbook-{language}.pdf"


def footer(language: str) -> str:
    """Chromium's footer template: page numbers, small and grey."""
    words = html.escape(TEXT[language]["page"]).format(page='<span class="pageNumber"></span>', total='<span class="totalPages"></span>')
    return f'<div style="width:100%;font-size:8px;color:#666;text-align:center;">{words}</div>'


def language_root(site_dir: Path, language: str) -> Path:
    return site_dir if language == bank.DEFAULT_LANGUAGE else site_dir / language


def section_anchor(section_id: str) -> str:
    """The id of a section's heading in the book; the contents links it, so it is also a PDF destination."""
    return f"s-{section_id}"


def question_anchor(slug: str) -> str:
    """The id of a question's article in the book; the contents links it, so it is also a PDF destination."""
    return f"q-{slug}"


def chapters(language: str) -> list[tuple[bank.Section, list[bank.Question]]]:
    """The book's sections in order, each with its questions in reading order; sections without any are left out."""
    questions = [q for q in bank.load().values() if language in q.pages]
    parts = [(section, [q for q in questions if q.section == section.id]) for section in bank.sections()]
    return [(section, members) for section, members in parts if members]


def bookmarks(language: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The PDF's bookmarks: each section's title and named destination, with its questions' under it.

    The contents page links every section and question (`section_anchor`, `question_anchor`), so
    Chromium gives each a named destination, which `make pdf` points the bookmarks at.
    """
    return [
        (section.titles[language], section_anchor(section.id), [(q.title(language), question_anchor(q.slug)) for q in members])
        for section, members in chapters(language)
    ]


def assemble(site_dir: Path, language: str, site_url: str) -> str:
    """The whole book as one HTML page, meant to be written to `<language root>/book/index.html`.

    `site_url` is the published site's root; links that leave the book point there.
    """
    root = language_root(site_dir, language)
    parts = chapters(language)
    questions = [q for _, members in parts for q in members]
    sample = (root / questions[0].section / questions[0].slug / "index.html").read_text(encoding="utf-8")
    styles = "".join(f'<link rel="stylesheet" href="../{href}">' for href in STYLESHEET.findall(sample))
    slugs = {q.slug for q in questions}
    prefix = "" if language == bank.DEFAULT_LANGUAGE else f"{language}/"
    to_root = "../" * (prefix.count("/") + 1)  # from <language root>/book/ to the site root, where assets live
    body = [_cover(language, len(questions), site_url + prefix), _contents(parts, language)]
    for section, members in parts:
        body.append(f'<section class="hb-book__section"><h1 id="{section_anchor(section.id)}">{html.escape(section.titles[language])}</h1>')
        for question in members:
            page = (root / question.section / question.slug / "index.html").read_text(encoding="utf-8")
            body.append(_chapter(question, page, slugs, Site(prefix, to_root, site_url)))
        body.append("</section>")
    module = to_root + "assets/vendor/mermaid/mermaid.esm.min.mjs"
    return (
        f'<!doctype html><html lang="{"zh-Hans" if language == "zh" else "en"}"><head><meta charset="utf-8">'
        f"<title>{html.escape(TEXT[language]['title'])}</title>{styles}<style>{CJK_FACES}{PRINT_CSS}</style></head>"
        f'<body><div class="md-typeset">{"".join(body)}</div>{DIAGRAMS.replace("MODULE", module)}</body></html>'
    )


def _cover(language: str, count: int, home: str) -> str:
    text = TEXT[language]
    link = html.escape(home)
    return (
        f'<section class="hb-book__cover"><h1>{html.escape(text["title"])}</h1><p>{html.escape(text["subtitle"])}</p>'
        f"<p>{html.escape(text['count'].format(n=count))}</p>"
        f'<p>{html.escape(text["built"].format(day=date.today().isoformat()))} <a href="{link}">{link}</a></p></section>'
    )


def _contents(parts: list[tuple[bank.Section, list[bank.Question]]], language: str) -> str:
    html_parts = [f'<section class="hb-book__contents"><h1>{TEXT[language]["contents"]}</h1>']
    for section, members in parts:
        items = "".join(f'<li><a href="#{question_anchor(q.slug)}">{html.escape(q.title(language))}</a></li>' for q in members)
        html_parts.append(f'<h2><a href="#{section_anchor(section.id)}">{html.escape(section.titles[language])}</a></h2><ol>{items}</ol>')
    return "".join(html_parts) + "</section>"


@dataclass(frozen=True)
class Site:
    """Where the book sits: its language's prefix (`en/`), the way up to the site root, the published root."""

    prefix: str
    to_root: str
    url: str


def _chapter(question: bank.Question, page: str, slugs: set[str], site: Site) -> str:
    """One question's article, without screen-only parts, ids made unique, links re-pointed from the book."""
    match = ARTICLE.search(page)
    article = match.group(1) if match else ""
    for pattern in SCREEN_ONLY:
        article = pattern.sub("", article)
    article = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{question.slug}--{m.group(1)}"', article)
    here = f"{site.prefix}{question.section}/{question.slug}/"
    article = URL_ATTRIBUTE.sub(lambda m: f'{m.group(1)}="{_from_book(m.group(2), here, question.slug, slugs, site)}"', article)
    return f'<article class="hb-book__question" id="{question_anchor(question.slug)}">{article}</article>'


def _from_book(url: str, here: str, slug: str, slugs: set[str], site: Site) -> str:
    """Where a link of the question page at `here` (from the site root) leads from the book."""
    if url.startswith("#"):
        return f"#{slug}--{url[1:]}"
    if re.match(r"^[a-z][a-z0-9+.-]*:", url):
        return url
    path, _, fragment = url.partition("#")
    target = posixpath.normpath(posixpath.join(here, path))
    parts = target.removeprefix(site.prefix).strip("/").split("/")
    if target.startswith(site.prefix) and len(parts) == 2 and parts[1] in slugs:
        return f"#{parts[1]}--{fragment}" if fragment else f"#{question_anchor(parts[1])}"
    if target.startswith("assets/"):
        return site.to_root + target  # images and fonts load from the site the book sits in
    return site.url + ("" if target == "." else target + ("/" if path.endswith("/") else ""))
