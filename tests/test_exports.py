"""Build-time exports: the Anki decks, the CSV files and the question index, as the built site holds them.

An .apkg is a zip holding a SQLite `collection.anki2`; the tests open it the way
Anki would and check that a second build keeps every note GUID and the deck and
model IDs, which is what lets a re-import update cards instead of duplicating them.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, build_site
from handbook import bank, exports

QUESTIONS = bank.load()


def slugs_in(language: str) -> set[str]:
    return {slug for slug, q in QUESTIONS.items() if language in q.pages}


def export_dir(site: Path, language: str) -> Path:
    return site / ("" if language == bank.DEFAULT_LANGUAGE else language) / exports.FOLDER


def read_deck(site: Path, language: str, scratch: Path) -> dict:
    """Notes, decks and models of one language's package, read straight from its SQLite file."""
    package = export_dir(site, language) / f"{exports.BASENAME}-{language}.apkg"
    with zipfile.ZipFile(package) as archive:
        assert archive.testzip() is None
        assert "collection.anki2" in archive.namelist()
        database = scratch / f"{language}-{package.stat().st_mtime_ns}.anki2"
        database.write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(database)
    try:
        notes = connection.execute("SELECT guid, mid, flds, tags FROM notes").fetchall()
        decks, models = connection.execute("SELECT decks, models FROM col").fetchone()
        cards = connection.execute("SELECT did FROM cards").fetchall()
    finally:
        connection.close()
    return {"notes": notes, "decks": json.loads(decks), "models": json.loads(models), "cards": cards}


def expected_url_end(slug: str, language: str) -> str:
    question = QUESTIONS[slug]
    return f"/{'' if language == bank.DEFAULT_LANGUAGE else language + '/'}{question.url(language)}"


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_anki_deck_is_a_valid_package_with_one_note_per_question(site: Path, language: str, tmp_path: Path) -> None:
    deck = read_deck(site, language, tmp_path)
    guids = {exports.note_guid(slug, language): slug for slug in slugs_in(language)}
    assert len(deck["notes"]) == len(guids)
    assert {guid for guid, *_ in deck["notes"]} == set(guids)
    assert len(deck["cards"]) == len(guids), "one card per note"

    deck_id = exports.stable_id("deck", language)
    assert deck["decks"][str(deck_id)]["name"] == exports.DECK_NAME[language]
    assert {did for (did,) in deck["cards"]} == {deck_id}
    assert list(deck["models"]) == [str(exports.stable_id("model", language))]

    for guid, _, fields, tags in deck["notes"]:
        question = QUESTIONS[guids[guid]]
        front, back, url = fields.split("\x1f")
        assert front and exports.to_text(question.title(language)) in front.replace("&amp;", "&")
        assert back.startswith("<p>") and len(back) > 40, f"{question.slug}: the back holds the short answer"
        assert url.startswith(("https://", "http://")) and url.endswith(expected_url_end(question.slug, language))
        assert set(tags.split()) == {*question.tags, f"section::{question.section}", f"difficulty::{question.difficulty}"}


def test_note_guids_and_deck_ids_are_stable_across_builds(site: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    second_site = tmp_path_factory.mktemp("second-site")
    result = build_site(ROOT / "mkdocs.yml", second_site)
    assert result.returncode == 0, result.stderr
    scratch = tmp_path_factory.mktemp("decks")
    seen: dict[str, set[str]] = {}
    for language in bank.LANGUAGES:
        first, second = read_deck(site, language, scratch), read_deck(second_site, language, scratch)
        assert sorted(n[0] for n in first["notes"]) == sorted(n[0] for n in second["notes"])
        assert set(first["decks"]) == set(second["decks"]) and set(first["models"]) == set(second["models"])
        seen[language] = {n[0] for n in first["notes"]}
    assert not seen["zh"] & seen["en"], "each language is its own set of notes"
    assert exports.stable_id("deck", "zh") != exports.stable_id("deck", "en")


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_csv_has_one_row_per_question(site: Path, language: str) -> None:
    path = export_dir(site, language) / f"{exports.BASENAME}-{language}.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0].keys()) == exports.CSV_COLUMNS
    assert len(rows) == len(slugs_in(language))
    assert {row["slug"] for row in rows} == slugs_in(language)
    for row in rows:
        question = QUESTIONS[row["slug"]]
        assert row["difficulty"] == question.difficulty and row["section"] == question.section
        assert row["question"] and row["short_answer"].strip()
        assert row["url"].endswith(expected_url_end(row["slug"], language))


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_question_index_lists_every_question_with_working_urls(site: Path, language: str) -> None:
    path = export_dir(site, language) / exports.INDEX_NAME
    assert path.stat().st_size < 64_000, "every page may fetch this file; keep it small"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["language"] == language
    assert {q["slug"] for q in data["questions"]} == slugs_in(language)
    language_root = site / ("" if language == bank.DEFAULT_LANGUAGE else language)
    for item in data["questions"]:
        assert (language_root / item["url"] / "index.html").is_file(), item["url"]
        assert item["difficulty"] in ("easy", "medium", "hard")
        assert all(tag in data["tags"] for tag in item["tags"])
    assert [s["id"] for s in data["sections"]] == [s.id for s in bank.sections()]


@pytest.mark.parametrize("language", bank.LANGUAGES)
def test_home_pages_link_to_their_exports(site: Path, language: str) -> None:
    home_dir = site / ("" if language == bank.DEFAULT_LANGUAGE else language)
    home = (home_dir / "index.html").read_text(encoding="utf-8")
    for name in (f"{exports.BASENAME}-{language}.apkg", f"{exports.BASENAME}-{language}.csv"):
        assert f'href="{exports.FOLDER}/{name}"' in home
        assert (home_dir / exports.FOLDER / name).is_file()


def test_exports_are_never_written_into_docs() -> None:
    generated = [p for p in (ROOT / "docs").rglob("*") if p.name.startswith(exports.BASENAME) or p.name == exports.INDEX_NAME]
    assert generated == []


def test_relative_links_in_answers_become_absolute() -> None:
    root = "https://example.org/handbook/en/"
    text = "See [ZeRO](../distributed/zero-stages.md#stages), [T5](t5-text-to-text.md), [NLP](index.md) and [x](https://a.b/c.md)."
    assert exports.absolute_links(text, "nlp", root) == (
        "See [ZeRO](https://example.org/handbook/en/distributed/zero-stages/#stages), "
        "[T5](https://example.org/handbook/en/nlp/t5-text-to-text/), "
        "[NLP](https://example.org/handbook/en/nlp/) and [x](https://a.b/c.md)."
    )
    assert exports.language_root("https://example.org/handbook", "zh") == "https://example.org/handbook/"


HOSTILE = exports.Card(
    slug="hostile",
    section="nlp",
    path="nlp/hostile/",
    url="https://example.org/nlp/hostile/",
    title='=HYPERLINK("https://evil.example","click")',
    difficulty="easy",
    tags=("transformer",),
    short_answer='@SUM(1+1) <img src="x" onerror="alert(1)"><script>alert(2)</script> [x](javascript:alert(3)) <b>ok</b>',
)


def test_a_hostile_answer_gives_an_anki_note_without_active_html(tmp_path: Path) -> None:
    package = exports.write_anki([HOSTILE], "en", tmp_path)
    with zipfile.ZipFile(package) as archive:
        archive.extract("collection.anki2", tmp_path)
    (fields,) = sqlite3.connect(tmp_path / "collection.anki2").execute("SELECT flds FROM notes").fetchone()
    answer = fields.split("\x1f")[1]
    assert "<b>ok</b>" in answer  # allowed markup stays
    for active in ("onerror", "<script", "javascript:", "alert(2)"):
        assert active not in fields.lower(), active


def test_a_hostile_answer_gives_a_csv_without_formula_cells(tmp_path: Path) -> None:
    path = exports.write_csv([HOSTILE, dataclasses.replace(HOSTILE, title="+1", short_answer="-2")], "en", tmp_path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in list(csv.reader(handle))[1:] for cell in row]
    assert cells and not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=HYPERLINK(" in cells[4] and cells[5].startswith("'@SUM")
