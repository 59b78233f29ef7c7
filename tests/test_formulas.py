"""Build-time maths: formulas become MathML in Python, and bad or unsafe ones stop the build."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook import formulas

PAGE = Path("docs/nlp/example.md")


def test_an_inline_formula_becomes_mathml_that_keeps_its_tex() -> None:
    html = formulas.render_page('<p>x <span class="arithmatex">\\(a &lt; b^2\\)</span></p>', PAGE)
    assert html == (
        '<p>x <span class="arithmatex"><math alttext="a &lt; b^2"><mrow><mi>a</mi><mo>&lt;</mo></mrow>'
        "<mrow><msup><mi>b</mi><mn>2</mn></msup></mrow></math></span></p>"
    )


def test_a_display_formula_is_rendered_in_display_mode() -> None:
    html = formulas.render_page('<div class="arithmatex">\\[\n\\sum_i x_i &gt; y\n\\]</div>', PAGE.with_suffix(".en.md"))
    assert html.startswith('<div class="arithmatex"><math display="block"')
    assert "katex" not in html


def test_script_operators_lose_their_spacing_as_in_tex() -> None:
    script = "<msub><mi>x</mi><mrow><mi>t</mi><mo>−</mo><mn>1</mn></mrow></msub>"
    inline = formulas.finish(f"<math>{script}<mo>=</mo><mi>y</mi></math>", "x_{t-1}=y")
    assert inline == (
        '<math alttext="x_{t-1}=y"><msub><mi>x</mi><mrow><mi>t</mi><mo lspace="0" rspace="0">−</mo><mn>1</mn></mrow></msub>'
        "<mo>=</mo><mi>y</mi></math>"
    )
    fraction = "<mfrac><mrow><mi>a</mi><mo>+</mo><mi>b</mi></mrow><mn>2</mn></mfrac>"
    assert 'lspace="0"' in formulas.finish(f"<math>{fraction}</math>", "")  # an inline fraction is set in script style
    assert 'lspace="0"' not in formulas.finish(f'<math display="block">{fraction}</math>', "")  # a display one is not
    accent = '<mover accent="true"><mi>a</mi><mo>^</mo></mover>'
    assert formulas.finish(f"<math>{accent}</math>", "") == f'<math alttext="">{accent}</math>'


def test_a_long_inline_formula_may_break_after_a_relation() -> None:
    """Temml splits it into top-level rows, which handbook.css lets wrap on a phone."""
    html = formulas.render("a + b \\neq c + d", False)
    assert html.count("<mrow>") >= 2 and html.startswith('<math alttext="a + b \\neq c + d"><mrow>')


def test_the_characters_a_page_draws_are_collected_for_the_font() -> None:
    formulas.start_build()
    formulas.render_page('<span class="arithmatex">\\(\\mathcal{N}(\\alpha)\\)</span>', PAGE)
    assert formulas.used_characters == {"𝒩", "(", "α", ")"}  # not the letters of the TeX in alttext
    formulas.start_build()
    assert formulas.used_characters == set()


def test_a_page_without_formulas_is_unchanged() -> None:
    page = "<p>No maths, only <code>class=&quot;arithmatex&quot;</code> as text.</p>"
    assert formulas.render_page(page, PAGE) == page


def test_a_formula_that_cannot_be_parsed_names_the_page_and_the_formula() -> None:
    with pytest.raises(formulas.MathError, match=r"docs/nlp/example\.md: cannot render a formula: .*ParseError.*\n.*\\frac\{a\}\{"):
        formulas.render_page('<span class="arithmatex">\\(\\frac{a}{\\)</span>', PAGE)


@pytest.mark.parametrize("command", ["\\href{javascript:alert(1)}{x}", "\\url{https://example.com}", "\\htmlClass{x}{y}"])
def test_commands_that_need_trust_are_refused(command: str) -> None:
    with pytest.raises(formulas.MathError, match=r"command not allowed|Unsupported function name"):
        formulas.render(command, False)


def test_an_oversized_formula_is_refused_before_katex_sees_it() -> None:
    with pytest.raises(formulas.MathError, match="longer than"):
        formulas.render("x+" * formulas.MAX_FORMULA_CHARS, False)


def test_the_fallback_check_names_what_katex_cannot_draw() -> None:
    assert formulas.katex_rejects("\\frac{a}{b}", True) == ""
    assert "Undefined control sequence" in formulas.katex_rejects("\\notacommand", False)


def test_macro_bombs_hit_the_expansion_limit() -> None:
    with pytest.raises(formulas.MathError, match="Too many expansions"):
        formulas.render("\\def\\a{\\a\\a}\\a", False)
