"""The maths font, cut down at build time to the characters the site's formulas draw.

Browsers draw MathML with an OpenType MATH font, whose MATH table tells them
how to stretch delimiters, build radicals, size large operators and place
scripts. STIX Two Math (SIL Open Font License 1.1, no reserved font name),
from the pinned `@fontsource/stix-two-math`, keeps that table. The whole font
is 403 KB; the characters of every formula on the site, plus the glyphs MathML
draws without writing them, come to about 30 KB, so a reader downloads only
that, and the subset follows the bank as formulas are added.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from fontTools import subset as fontsubset
from fontTools.ttLib import TTFont

from handbook import vendor

PACKAGE = "@fontsource/stix-two-math"
SOURCE = Path("files") / "stix-two-math-latin-400-normal.woff2"
FONT_FILE = Path("assets") / "fonts" / "handbook-math.woff2"
LICENSE_FILE = Path("assets") / "fonts" / "handbook-math-OFL.txt"
# Drawn by MathML without appearing in any formula's text: radicals (msqrt, mroot), the bar of a
# fraction's neighbours, and the delimiters and accents it may stretch.
ALWAYS = "√∛∜()[]{}|‖⟨⟩⌈⌉⌊⌋/\\‾¯^~ˆˇ˘˙¨→←↔⇒⇐⇔⏞⏟⎴⎵−+=0123456789"


def _unpacked_source() -> Path:
    """The font as plain TrueType, made once in the vendor cache: subsetting it takes a quarter
    of the time it takes from WOFF2, which must be decompressed on every build."""
    folder = vendor.folder(PACKAGE)
    unpacked = folder / SOURCE.with_suffix(".ttf")
    if not unpacked.is_file():
        font = TTFont(folder / SOURCE)
        font.flavor = None
        partial = unpacked.with_suffix(".partial")
        font.save(partial)
        partial.rename(unpacked)
    return unpacked


@functools.lru_cache(maxsize=8)
def subset(characters: frozenset[str]) -> bytes:
    """The font cut down to `characters` (and ALWAYS), as WOFF2; cached for `mkdocs serve` rebuilds."""
    options = fontsubset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # keeps the MATH table's variants and assemblies for these glyphs
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(_unpacked_source(), lazy=True)
    subsetter = fontsubset.Subsetter(options)
    subsetter.populate(text="".join(sorted(characters)) + ALWAYS)
    subsetter.subset(font)
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def write(site_dir: Path, characters: set[str]) -> None:
    """Write the subset and the font's licence into the site; nothing when no page has a formula."""
    if not characters:
        return
    target = site_dir / FONT_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(subset(frozenset(characters)))
    (site_dir / LICENSE_FILE).write_bytes((vendor.folder(PACKAGE) / "LICENSE").read_bytes())
