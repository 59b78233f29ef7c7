"""Small sample-site builds: what the build does with a contributor's edit, good or bad.

Each test builds a scratch copy of the project (real config, hooks and theme)
holding the six-question bank from `fixtures/minibank.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_site, sample_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return sample_project(tmp_path)


def build(project: Path):
    return build_site(project / "mkdocs.yml", project / "site")


def test_a_source_edit_shows_the_out_of_date_banner_on_the_translation(project: Path) -> None:
    source = project / "docs" / "nlp" / "alpha.md"
    source.write_text(source.read_text(encoding="utf-8").replace("BERT 用掩码", "BERT 使用掩码"), encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stderr
    english = (project / "site/en/nlp/alpha/index.html").read_text(encoding="utf-8")
    assert "This translation may be out of date" in english
    assert 'href="../../../nlp/alpha/" hreflang="zh"' in english
    assert "may be out of date" not in (project / "site/en/nlp/beta/index.html").read_text(encoding="utf-8")
    assert "may be out of date" not in (project / "site/nlp/alpha/index.html").read_text(encoding="utf-8")


def test_the_build_refuses_unsafe_markdown_naming_the_file(project: Path) -> None:
    page = project / "docs" / "nlp" / "beta.en.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n<iframe src="https://example.com"></iframe>\n', encoding="utf-8")
    result = build(project)
    assert result.returncode != 0
    assert "docs/nlp/beta.en.md" in result.stderr and "SAFE001" in result.stderr
    assert not (project / "site/en/nlp/beta/index.html").exists() or "<iframe" not in (project / "site/en/nlp/beta/index.html").read_text(
        encoding="utf-8"
    )


def test_the_build_fails_on_a_dangling_related_slug_naming_the_file(project: Path) -> None:
    page = project / "docs" / "nlp" / "alpha.md"
    page.write_text(page.read_text(encoding="utf-8").replace("related: [beta]", "related: [beta, gone]"), encoding="utf-8")
    result = build(project)
    assert result.returncode != 0
    assert "docs/nlp/alpha.md:4: XREF001 related question 'gone' does not exist" in result.stderr
    assert "Traceback" not in result.stderr, "the hooks turn the handbook's own errors into MkDocs' one-line message"


def test_a_broken_internal_link_fails_the_strict_build_naming_the_file(project: Path) -> None:
    page = project / "docs" / "nlp" / "beta.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[坏链接](../nlp/no-such-page.md)\n", encoding="utf-8")
    result = build(project)
    assert result.returncode != 0
    assert "nlp/beta.md" in result.stderr and "no-such-page.md" in result.stderr


def test_a_formula_that_cannot_be_parsed_fails_the_build_naming_the_file(project: Path) -> None:
    page = project / "docs" / "nlp" / "beta.en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n$$\n\\frac{a}{b\n$$\n", encoding="utf-8")
    result = build(project)
    assert result.returncode != 0
    assert "docs/nlp/beta.en.md: cannot render a formula" in result.stderr
    assert "\\frac{a}{b" in result.stderr
    assert "Traceback" not in result.stderr
