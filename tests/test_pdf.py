"""`make pdf`: each language's book opens, numbers its pages, holds every question and stays under 20 MB."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

import pdf
from handbook import bank, book

# The CJK font maps some simplified characters to radical code points, which NFKC does not fold.
RADICALS = str.maketrans("⻓⻔⻚⻛⻜⻢⻉⻋⻅⻆⻈⻊⻘⻝⻥⻦⻩⻬⻭⻮⻯", "长门页风飞马贝车见角讠钅青饣鱼鸟黄齐齿龙龟")


def plain(text: str) -> str:
    """Text as a reader sees it: compatibility forms folded (PDF fonts map some ideographs to radicals, ff to a ligature)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(RADICALS))


@pytest.fixture(scope="module")
def books(site: Path, browser) -> dict[str, Path]:
    return dict(zip(bank.LANGUAGES, pdf.print_books(site, browser), strict=True))


def outline_titles(outline: list) -> list[str]:
    """Every bookmark's title, nested ones included."""
    return [title for item in outline for title in (outline_titles(item) if isinstance(item, list) else [item.title])]


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_each_book_has_every_question_page_numbers_and_fits_the_budget(books: dict[str, Path], site: Path, language: str) -> None:
    from pypdf import PdfReader

    path = books[language]
    assert path == book.language_root(site, language) / "exports" / book.pdf_name(language)
    assert path.stat().st_size <= 20 * 1024 * 1024
    reader = PdfReader(path)
    questions = [q for q in bank.load().values() if language in q.pages]
    assert len(reader.pages) > len(questions)
    # The bookmarks hold the headings as text whatever fonts drew them (a machine without a CJK font prints boxes).
    bookmarks = " | ".join(plain(title) for title in outline_titles(reader.outline))
    missing = [q.slug for q in questions if plain(q.title(language)) not in bookmarks]
    assert not missing, missing
    total = len(reader.pages)
    for number in (2, total // 2, total):
        footer = unicodedata.normalize("NFKC", reader.pages[number - 1].extract_text())
        assert re.search(rf"(?<!\d){number}\D{{1,16}}{total}(?!\d)", footer), f"page {number} has no 'page {number} of {total}'"
    assert not (book.language_root(site, language) / book.BOOK_FOLDER).exists(), "the printing page is removed"


def embedded_fonts(reader) -> dict[str, str]:
    """Each font the pages draw with (in forms too): its name and how it is stored."""
    fonts: dict[str, str] = {}

    def visit(resources, depth: int = 0) -> None:
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            fonts[str(font.get("/BaseFont", f"Type3-{id(font)}"))] = str(font["/Subtype"])
        for form in (resources.get("/XObject") or {}).values():
            if depth < 4 and form.get_object().get("/Subtype") == "/Form":
                visit(form.get_object().get("/Resources"), depth + 1)

    for page in reader.pages:
        visit(page.get("/Resources"))
    return fonts


def test_the_chinese_book_embeds_its_cjk_font_once_as_truetype(books: dict[str, Path]) -> None:
    """Noto CJK's CFF outlines would print as Type 3 fonts, new ones page after page (389 at 120 questions)."""
    from pypdf import PdfReader

    reader = PdfReader(books["zh"])
    fonts = embedded_fonts(reader)
    cjk = {name: kind for name, kind in fonts.items() if "NotoSansCJK" in name}
    assert sorted(name.split("+")[-1] for name in cjk) == ["NotoSansCJKsc-Bold", "NotoSansCJKsc-Regular"], fonts
    assert set(cjk.values()) == {"/Type0"}
    type3 = [name for name, kind in fonts.items() if kind == "/Type3"]
    assert len(type3) < len(reader.pages) / 10, f"{len(type3)} Type 3 fonts over {len(reader.pages)} pages"


def test_bookmarks_follow_the_contents(books: dict[str, Path]) -> None:
    from pypdf import PdfReader

    reader = PdfReader(books["en"])
    expected = book.bookmarks("en")
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in top] == [title for title, _, _ in expected]
    first_section = reader.outline[1]
    assert [item.title for item in first_section] == [title for title, _ in expected[0][2]]
    pages = [reader.get_destination_page_number(item) for item in first_section]
    assert pages == sorted(pages) and len(set(pages)) == len(pages), "one question per page start, in reading order"


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_home_pages_link_their_book(site: Path, language: str) -> None:
    home = (book.language_root(site, language) / "index.html").read_text(encoding="utf-8")
    assert f'href="exports/{book.pdf_name(language)}"' in home
