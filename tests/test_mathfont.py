"""The maths font subset: the glyphs the formulas draw, the MATH table that lays them out, and its licence."""

from __future__ import annotations

import io
from pathlib import Path

from fontTools.ttLib import TTFont

from handbook import mathfont


def test_the_subset_keeps_the_drawn_characters_the_math_table_and_nothing_else() -> None:
    data = mathfont.subset(frozenset("𝒩α∑"))
    font = TTFont(io.BytesIO(data))
    cmap = font.getBestCmap()
    assert font.flavor == "woff2" and "MATH" in font
    assert {ord(c) for c in "𝒩α∑√("} <= cmap.keys()  # drawn, plus what MathML draws unwritten (radical, delimiters)
    assert ord("Z") not in cmap and ord("β") not in cmap
    assert len(data) < 40_000


def test_the_font_and_its_licence_are_written_only_when_a_formula_needs_them(tmp_path: Path) -> None:
    mathfont.write(tmp_path, set())
    assert not (tmp_path / mathfont.FONT_FILE).exists()
    mathfont.write(tmp_path, {"x"})
    assert (tmp_path / mathfont.FONT_FILE).stat().st_size > 1000
    assert "SIL OPEN FONT LICENSE" in (tmp_path / mathfont.LICENSE_FILE).read_text(encoding="utf-8")
