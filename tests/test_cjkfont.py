"""The PDF books' CJK font: the characters asked for, with TrueType outlines that Chromium embeds as a subset."""

from __future__ import annotations

import io

import pytest
from fontTools.ttLib import TTFont

from handbook import cjkfont


def test_wide_characters_are_the_text_s_han_and_full_width_forms() -> None:
    page = '<p title="标题">大模型 &amp; LLM：<b>注意力</b>&#x6A21;</p>'
    assert cjkfont.wide_characters(page) == "".join(sorted("大模型：注意力"))


@pytest.fixture(scope="module")
def regular() -> tuple:
    try:
        return cjkfont.installed(400)
    except cjkfont.FontMissing as missing:  # .ci/run installs fonts-noto-cjk; make pdf stops with the same message
        pytest.fail(str(missing))


def test_the_subset_draws_exactly_what_was_asked_with_truetype_outlines(regular: tuple) -> None:
    font = TTFont(io.BytesIO(cjkfont.truetype_subset(*regular, "大模型面试")))
    assert "glyf" in font and "CFF " not in font
    assert {chr(code) for code in font.getBestCmap()} == set("大模型面试")
    glyphs = font.getGlyphSet()
    name = font.getBestCmap()[ord("模")]
    assert font["glyf"][name].numberOfContours > 0 and font["hmtx"][name][0] == glyphs[name].width
