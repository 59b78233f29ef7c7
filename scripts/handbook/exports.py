"""Build-time exports: the question index the practice script reads, an Anki deck and a CSV per language.

Everything here is written into the built site only, never into `docs/`, and is
derived from `bank` so the files cannot drift from the pages. Anki matches notes
by GUID, so the GUIDs, the deck ID and the model ID are derived from the slug and
the language: re-importing a newer deck updates the reader's cards (keeping
their review history) instead of adding duplicates.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import html
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import genanki
import markdown

from handbook import bank, sanitize

FOLDER = "exports"
BASENAME = "llm-interview-handbook"
INDEX_NAME = "questions.json"
CSV_COLUMNS = ("slug", "section", "difficulty", "tags", "question", "short_answer", "url")
DECK_NAME = {"zh": "大模型面试手册", "en": "LLM Interview Handbook"}
READ_MORE = {"zh": "阅读完整解答", "en": "Read the full answer"}
MD_LINK = re.compile(r"(\]\()(?!\w+:|/|#)([^)\s]+?\.md)(#[^)\s]*)?(\))")
MARKDOWN_EXTENSIONS = ["pymdownx.arithmatex", "pymdownx.caret", "pymdownx.mark", "pymdownx.tilde"]
MARKDOWN_CONFIG = {"pymdownx.arithmatex": {"generic": True}}  # `\(...\)` is what Anki's MathJax renders
CARD_CSS = """.card { font-family: -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif;
  font-size: 18px; line-height: 1.6; text-align: left; max-width: 40em; margin: 0 auto; }
.hb-link { font-size: 15px; margin-top: 1.5em; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; }"""


@dataclass(frozen=True)
class Card:
    """One question in one language, as every export sees it."""

    slug: str
    section: str
    path: str  # relative to the language's root, e.g. `nlp/t5-text-to-text/`
    url: str  # absolute, for readers outside the site (Anki, spreadsheets)
    title: str  # Markdown, as written in the H1
    difficulty: str
    tags: tuple[str, ...]
    short_answer: str  # Markdown, links made absolute


def language_root(site_url: str, language: str) -> str:
    """Absolute URL of a language's home page; `site_url` is the site root (mkdocs.yml)."""
    root = site_url.rstrip("/") + "/" if site_url else ""
    return root if language == bank.DEFAULT_LANGUAGE else f"{root}{language}/"


def absolute_links(text: str, section: str, root: str) -> str:
    """Turn relative `.md` links into absolute page URLs: outside the site they would lead nowhere."""

    def replace(match: re.Match) -> str:
        folder, name = posixpath.split(posixpath.normpath(posixpath.join(section, match.group(2))))
        stem = name.split(".")[0]  # `t5.md` and `t5.en.md` are the same page
        page = posixpath.join(folder, "" if stem == "index" else stem, "").lstrip("/")
        return f"{match.group(1)}{root}{page}{match.group(3) or ''}{match.group(4)}"

    return MD_LINK.sub(replace, text)


def cards(language: str, site_url: str) -> list[Card]:
    """Every question that has a page in `language`, in the site's reading order."""
    root = language_root(site_url, language)
    short_heading = bank.HEADINGS[language][0]
    result = []
    for question in bank.load().values():
        page = question.pages.get(language)
        if page is None:
            continue
        path = question.url(language)
        short = absolute_links(page.section_text(short_heading).strip(), question.section, root)
        result.append(
            Card(question.slug, question.section, path, root + path, page.title, question.difficulty, tuple(question.tags), short)
        )
    return result


@functools.cache
def _renderer() -> markdown.Markdown:
    """One Markdown instance for every card: building one per call (extensions and all) was most of the export's time."""
    return markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_CONFIG)


def to_html(text: str, inline: bool = False) -> str:
    """Markdown to the simple HTML an Anki card shows, through the site's allowlist: Anki runs scripts in cards."""
    rendered = sanitize.clean(_renderer().reset().convert(text))
    if inline and rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return rendered


def to_text(text: str) -> str:
    """Markdown to plain text, for the question index the browser shows as-is."""
    return html.unescape(re.sub(r"<[^>]+>", "", to_html(text, inline=True))).strip()


# --- Question index for practice.js -------------------------------------------------------


def question_index(items: list[Card], language: str) -> dict:
    """Sections, tag labels and questions of one language; kept small, every page may fetch it."""
    used = sorted({tag for card in items for tag in card.tags})
    vocabulary = bank.tags()
    return {
        "language": language,
        "sections": [{"id": s.id, "title": s.titles[language], "url": f"{s.id}/"} for s in bank.sections()],
        "tags": {tag: vocabulary.get(tag, {}).get(language, tag) for tag in used},
        "questions": [
            {
                "slug": c.slug,
                "section": c.section,
                "url": c.path,
                "title": to_text(c.title),
                "difficulty": c.difficulty,
                "tags": list(c.tags),
            }
            for c in items
        ],
    }


def write_index(items: list[Card], language: str, folder: Path) -> Path:
    target = folder / INDEX_NAME
    target.write_text(json.dumps(question_index(items, language), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return target


# --- Anki -----------------------------------------------------------------------------------


def stable_id(*parts: str) -> int:
    """A deck or model ID that never changes for the same inputs, in the range genanki recommends."""
    digest = hashlib.sha256("/".join((BASENAME, *parts)).encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def note_guid(slug: str, language: str) -> str:
    """A note's identity for Anki: the question and its language, nothing that an edit can change."""
    return genanki.guid_for(BASENAME, language, slug)


def anki_tags(card: Card) -> list[str]:
    """Topic tags as they are, plus `section::…` and `difficulty::…` for Anki's tag tree."""
    return [*card.tags, f"section::{card.section}", f"difficulty::{card.difficulty}"]


def anki_model(language: str) -> genanki.Model:
    back = (
        '{{FrontSide}}<hr id="answer">{{Answer}}'
        f'<p class="hb-link"><a href="{{{{URL}}}}">{html.escape(READ_MORE[language])}</a></p>'
    )
    return genanki.Model(
        stable_id("model", language),
        f"{DECK_NAME[language]} ({language})",
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "URL"}],
        templates=[{"name": "Card 1", "qfmt": "{{Question}}", "afmt": back}],
        css=CARD_CSS,
    )


def anki_deck(items: list[Card], language: str) -> genanki.Deck:
    model = anki_model(language)
    deck = genanki.Deck(stable_id("deck", language), DECK_NAME[language])
    for card in items:
        fields = [to_html(card.title, inline=True), to_html(card.short_answer), html.escape(card.url)]
        deck.add_note(genanki.Note(model=model, fields=fields, tags=anki_tags(card), guid=note_guid(card.slug, language)))
    return deck


def write_anki(items: list[Card], language: str, folder: Path) -> Path:
    # genanki stamps notes with the current time; Anki updates a note on re-import only
    # when the incoming copy is newer, so a fixed timestamp would freeze old answers.
    target = folder / f"{BASENAME}-{language}.apkg"
    genanki.Package(anki_deck(items, language)).write_to_file(str(target))
    return target


# --- CSV ------------------------------------------------------------------------------------


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value: str) -> str:
    """A cell a spreadsheet will not run: OWASP's advice for CSV injection, a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_START) else value


def write_csv(items: list[Card], language: str, folder: Path) -> Path:
    """One row per question; UTF-8 with a BOM so spreadsheet programs read the Chinese correctly."""
    target = folder / f"{BASENAME}-{language}.csv"
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for c in items:
            row = [c.slug, c.section, c.difficulty, " ".join(c.tags), to_text(c.title), c.short_answer, c.url]
            writer.writerow([inert_cell(value) for value in row])
    return target


def write_language(site_dir: Path, language: str, site_url: str) -> list[Path]:
    """Write every export of one language into `<site>/[<language>/]exports/`."""
    folder = site_dir / ("" if language == bank.DEFAULT_LANGUAGE else language) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    items = cards(language, site_url)
    return [write_index(items, language, folder), write_anki(items, language, folder), write_csv(items, language, folder)]


def write_all(site_dir: Path, site_url: str) -> list[Path]:
    """Every language at once: `on_post_build` cannot tell reliably which language it is finishing."""
    return [path for language in bank.LANGUAGES for path in write_language(site_dir, language, site_url)]
