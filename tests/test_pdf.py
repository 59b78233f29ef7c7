"""`make pdf`: each language's book opens, numbers its pages, holds every question and stays under 20 MB."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

import pdf
from handbook import bank, book

FOOTER = {"zh": r"第\s*{page}\s*\S\s*[,，]\s*共\s*{total}\s*\S", "en": r"Page\s*{page}\s*of\s*{total}"}


# The CJK font maps some simplified characters to radical code points, which NFKC does not fold.
RADICALS = str.maketrans("⻓⻔⻚⻛⻜⻢⻉⻋⻅⻆⻈⻊⻘⻝⻥⻦⻩⻬⻭⻮⻯", "长门页风飞马贝车见角讠钅青饣鱼鸟黄齐齿龙龟")


def plain(text: str) -> str:
    """Text as a reader sees it: compatibility forms folded (PDF fonts map some ideographs to radicals, ff to a ligature)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(RADICALS))


@pytest.fixture(scope="module")
def books(site: Path, browser) -> dict[str, Path]:
    return dict(zip(bank.LANGUAGES, pdf.print_books(site, browser), strict=True))


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_each_book_has_every_question_page_numbers_and_fits_the_budget(books: dict[str, Path], site: Path, language: str) -> None:
    from pypdf import PdfReader

    path = books[language]
    assert path == book.language_root(site, language) / "exports" / book.pdf_name(language)
    assert path.stat().st_size <= 20 * 1024 * 1024
    reader = PdfReader(path)
    pages = [page.extract_text() for page in reader.pages]
    text = plain("".join(pages))
    questions = [q for q in bank.load().values() if language in q.pages]
    assert len(reader.pages) > len(questions)
    missing = [q.slug for q in questions if plain(q.title(language)) not in text]
    assert not missing, missing
    total = len(pages)
    for number in (2, total // 2, total):
        assert re.search(FOOTER[language].format(page=number, total=total), unicodedata.normalize("NFKC", pages[number - 1]))
    assert not (book.language_root(site, language) / book.BOOK_FOLDER).exists(), "the printing page is removed"


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_home_pages_link_their_book(site: Path, language: str) -> None:
    home = (book.language_root(site, language) / "index.html").read_text(encoding="utf-8")
    assert f'href="exports/{book.pdf_name(language)}"' in home
