"""The CJK font the PDF books embed: the characters a book uses, from Noto Sans CJK SC, with TrueType outlines.

Chromium's PDF writer (Skia) embeds a TrueType font once, as a subset of the
glyphs a document uses. A font with PostScript (CFF) outlines, which is what
Debian's Noto CJK fonts are, it draws as Type 3 fonts instead: the glyphs again
as drawing commands, in new font objects page after page (389 of them, about
2 MB, in the Chinese book at 120 questions). So `make pdf` first cuts the installed Noto Sans CJK SC down to the book's wide
characters and converts their outlines to TrueType's quadratic curves (fontTools'
cu2qu, at most 1 unit in 1,000 off), and the book loads that font under its own
name (`Handbook CJK`, `book.CJK_FACES`).
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

FAMILY = "Noto Sans CJK SC"
WEIGHTS = {400: "Regular", 700: "Bold"}
MAX_ERROR = 1.0  # font units (Noto CJK has 1,000 per em): how far a converted curve may stray
TAG = re.compile(r"<[^>]+>")


class FontMissing(RuntimeError):
    """Noto Sans CJK SC is not installed; the message says how to install it."""


def installed(weight: int) -> tuple[Path, int]:
    """The font file and face index of Noto Sans CJK SC at this weight, as fontconfig finds it."""
    hint = f"make pdf needs {FAMILY} (sudo apt-get install fonts-noto-cjk)"
    if not shutil.which("fc-match"):
        raise FontMissing(hint)
    found = subprocess.run(
        ["fc-match", "--format=%{file}\t%{index}\t%{family}", f"{FAMILY}:style={WEIGHTS[weight]}"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    file, _, rest = found.stdout.partition("\t")
    index, _, families = rest.partition("\t")
    if found.returncode != 0 or FAMILY not in families.split(","):
        raise FontMissing(hint)
    return Path(file), int(index)


def wide_characters(page: str) -> str:
    """The East Asian wide and full-width characters of an HTML page's text, sorted: what the CJK font must draw."""
    text = html.unescape(TAG.sub("", page))
    return "".join(sorted({c for c in text if unicodedata.east_asian_width(c) in ("W", "F")}))


def truetype_subset(source: Path, index: int, characters: str) -> bytes:
    """The face's glyphs for `characters` (and what its layout features reach from them), as a TrueType font."""
    font = TTFont(source, fontNumber=index, lazy=True)
    options = subset.Options()
    options.desubroutinize = True
    options.hinting = False
    options.name_IDs = ["*"]  # the copyright and licence (SIL OFL) travel with the subset
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=[ord(c) for c in characters])
    cutter.subset(font)
    _to_truetype(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def _to_truetype(font: TTFont) -> None:
    """Replace the CFF outlines with quadratic `glyf` outlines and the tables that go with them."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    outlines = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))  # TrueType winds the other way
        outlines[name] = pen.glyph()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, outlines
    font["glyf"], font["loca"] = glyf, newTable("loca")
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    glyf.compile(font)  # computes each glyph's bounds, which the left side bearings below need
    metrics = font["hmtx"].metrics
    for name in order:
        metrics[name] = (metrics[name][0], getattr(outlines[name], "xMin", 0))
    font["maxp"] = _maxp_for_truetype(len(order))
    font["post"].formatType = 3.0  # no glyph names: a CID font has none worth keeping
    font.sfntVersion = "\x00\x01\x00\x00"


def _maxp_for_truetype(glyph_count: int):
    """Version 1.0 of `maxp`, which TrueType outlines need; fontTools recomputes the point counts on save."""
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = glyph_count
    maxp.maxZones = 1
    for field in (
        "maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours", "maxTwilightPoints", "maxStorage",
        "maxFunctionDefs", "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
        "maxComponentDepth",
    ):  # fmt: skip
        setattr(maxp, field, 0)
    return maxp
