"""Build-time KaTeX: formulas become KaTeX markup in Python, and bad or unsafe ones stop the build."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook import formulas

PAGE = Path("docs/nlp/example.md")


def test_an_inline_formula_becomes_katex_html_with_mathml_for_screen_readers() -> None:
    html = formulas.render_page('<p>x <span class="arithmatex">\\(a &lt; b^2\\)</span></p>', PAGE)
    assert html.startswith('<p>x <span class="arithmatex"><span class="katex">')
    assert "<math" in html and 'class="katex-html"' in html
    assert '<annotation encoding="application/x-tex">a &lt; b^2</annotation>' in html


def test_a_display_formula_is_rendered_in_display_mode() -> None:
    html = formulas.render_page('<div class="arithmatex">\\[\n\\sum_i x_i &gt; y\n\\]</div>', PAGE.with_suffix(".en.md"))
    assert html.startswith('<div class="arithmatex"><span class="katex-display">')
    assert 'display="block"' in html


def test_a_page_without_formulas_is_unchanged() -> None:
    page = "<p>No maths, only <code>class=&quot;arithmatex&quot;</code> as text.</p>"
    assert formulas.render_page(page, PAGE) == page


def test_a_formula_katex_rejects_names_the_page_and_the_formula() -> None:
    with pytest.raises(formulas.MathError, match=r"docs/nlp/example\.md: KaTeX cannot render a formula: .*ParseError.*\n.*\\frac\{a\}\{"):
        formulas.render_page('<span class="arithmatex">\\(\\frac{a}{\\)</span>', PAGE)


@pytest.mark.parametrize("command", ["\\href{javascript:alert(1)}{x}", "\\url{https://example.com}", "\\htmlClass{x}{y}"])
def test_commands_that_need_trust_are_refused(command: str) -> None:
    with pytest.raises(formulas.MathError, match="command not allowed"):
        formulas.render(command, False)


def test_an_oversized_formula_is_refused_before_katex_sees_it() -> None:
    with pytest.raises(formulas.MathError, match="longer than"):
        formulas.render("x+" * formulas.MAX_FORMULA_CHARS, False)


def test_macro_bombs_hit_katex_expansion_limit() -> None:
    with pytest.raises(formulas.MathError, match="Too many expansions"):
        formulas.render("\\def\\a{\\a\\a}\\a", False)
