"""`make pdf`: print the built site as one book per language, with the Chromium the tests use.

The PDFs go next to the other exports (`site/[en/]exports/`), so the home pages
link to them and the Pages workflow publishes them. The build itself never needs
Chromium: a machine without it still builds the site, just without the PDFs.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from handbook import bank, book, chromium, cjkfont, exports

LIMIT = 20 * 1024 * 1024


def print_books(site_dir: Path, browser=None) -> list[Path]:
    """Write one PDF per language into its exports folder; returns their paths.

    Uses the given Playwright browser (the tests share theirs), or launches Chromium.
    """
    if browser is None:
        with chromium.launch() as launched:
            return print_books(site_dir, launched)
    site_url = book.site_url_of(site_dir)
    with chromium.serve(site_dir) as served:
        return [_print(browser, site_dir, language, site_url, served) for language in bank.LANGUAGES]


def _print(browser, site_dir: Path, language: str, site_url: str, served: str) -> Path:
    root = book.language_root(site_dir, language)
    folder = root / book.BOOK_FOLDER
    folder.mkdir(exist_ok=True)
    target = root / exports.FOLDER / book.pdf_name(language)
    target.parent.mkdir(exist_ok=True)
    try:
        page_html = book.assemble(site_dir, language, site_url)
        (folder / "index.html").write_text(page_html, encoding="utf-8")
        characters = cjkfont.wide_characters(page_html)
        for weight, name in book.CJK_FILES.items():
            (folder / name).write_bytes(cjkfont.truetype_subset(*cjkfont.installed(weight), characters))
        page = browser.new_page()
        prefix = "" if language == bank.DEFAULT_LANGUAGE else f"{language}/"
        page.goto(f"{served}{prefix}{book.BOOK_FOLDER}/", wait_until="load")
        page.wait_for_selector("body[data-ready]", state="attached", timeout=120_000)
        if (state := page.evaluate("document.body.dataset.ready")) != "true":
            raise SystemExit(f"{language}: the book's diagrams did not render ({state})")
        page.evaluate("document.fonts.ready")
        page.pdf(
            path=str(target),
            format="A4",
            print_background=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=book.footer(language),
            margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
        )
        page.close()
        add_bookmarks(target, language)
    finally:
        shutil.rmtree(folder)
    if target.stat().st_size > LIMIT:
        raise SystemExit(f"{target}: {target.stat().st_size:,} bytes, over the {LIMIT:,} budget")
    return target


def add_bookmarks(path: Path, language: str) -> None:
    """Sections and questions as the PDF's bookmarks, for readers who jump around.

    Chromium writes bookmarks only into a tagged PDF, and the structure tree of a
    tagged book (80,000 elements at 120 questions) made it 2.4 times larger:
    17.3 MB instead of 7.1 for the Chinese book. The bookmarks point at the named destinations that the
    contents page's links gave every section and question.
    """
    reader = PdfReader(path)
    pages = {name.lstrip("/"): reader.get_destination_page_number(place) for name, place in reader.named_destinations.items()}
    writer = PdfWriter(clone_from=reader)
    for title, destination, questions in book.bookmarks(language):
        parent = writer.add_outline_item(title=title, page_number=pages[destination])
        for question, place in questions:
            writer.add_outline_item(title=question, page_number=pages[place], parent=parent)
    writer.page_mode = "/UseOutlines"
    writer.write(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=bank.ROOT / "site", help="the built site (make build)")
    args = parser.parse_args(argv)
    if not shutil.which(chromium.CHROMIUM):
        print(f"make pdf needs Chromium at {chromium.CHROMIUM} (sudo apt-get install chromium fonts-noto-cjk)", file=sys.stderr)
        return 1
    try:
        cjkfont.installed(400)
    except cjkfont.FontMissing as missing:
        print(missing, file=sys.stderr)
        return 1
    for path in print_books(args.site):
        print(f"{path}: {path.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
