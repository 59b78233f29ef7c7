"""Formulas rendered to MathML at build time, so a reader's phone runs no maths code.

pymdownx.arithmatex (`generic: true`) leaves each formula as escaped TeX in a
`<span class="arithmatex">\\(...\\)</span>` or `<div class="arithmatex">\\[...\\]</div>`.
Temml (a KaTeX descendant written for MathML) turns it into MathML, which the
browser draws itself with the site's maths font (`handbook.mathfont`). Browsers
without MathML Core draw formulas with KaTeX from the TeX kept on each formula
(`alttext`, `assets.MATH_FALLBACK`); `katex_rejects` lets the tests prove that
KaTeX can draw every formula of the built site, which costs each build a second
if done there. Both pinned scripts run in QuickJS, an embedded JavaScript
engine shipped as a PyPI wheel, so neither needs Node nor a browser.

KaTeX's own HTML was what kept formula-heavy pages slow on phones: about 700
extra elements on such a page, and three web fonts that make every formula lay
out again when they arrive (bench/README.md has the measurements).

Contributed Markdown is untrusted: `trust` stays off (commands such as
`\\href` or `\\includegraphics` fail the build instead of being rendered),
input size and run time are bounded, and any formula Temml rejects stops the
build with the page's path, rather than shipping a red error to readers.
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import quickjs

from handbook import vendor

FORMULA = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.DOTALL)
DELIMITERS = {"span": ("\\(", "\\)"), "div": ("\\[", "\\]")}
MAX_FORMULA_CHARS = 10_000  # the longest real formula is a few hundred characters
TIME_LIMIT_SECONDS = 10
MEMORY_LIMIT_BYTES = 256 * 1024 * 1024

# Errors and untrusted commands throw instead of rendering in red; `wrap: "tex"` lets a long
# inline formula break after a relation or operator, as TeX does.
RENDER = """
function untrusted(context) { throw new Error("command not allowed: " + context.command); }
function render(tex, displayMode) {
  return temml.renderToString(tex, {displayMode: displayMode, wrap: "tex", throwOnError: true, trust: untrusted});
}
"""
# KaTeX as the fallback runs it, but throwing instead of drawing the error in red.
KATEX_CHECK = """
var console = {log() {}, warn() {}, error() {}};  // KaTeX's strict mode warns through it
function check(tex, displayMode) {
  try { katex.renderToString(tex, {displayMode: displayMode, throwOnError: true}); return ""; }
  catch (error) { return String(error.message || error); }
}
"""
MATH_TAG = re.compile(r"<[^>]+>")
# Every character the formulas of the current build draw (handbook.mathfont keeps only these);
# emptied by start_build, filled by render_page.
used_characters: set[str] = set()

# Elements whose children after the first are scripts (sub/superscripts, limits, a root's index).
SCRIPTED = {"msub", "msup", "msubsup", "munder", "mover", "munderover", "mmultiscripts", "mroot"}


class MathError(ValueError):
    """Temml rejected a formula; the message names the formula and the reason."""


def _engine(package: str, script: str, entry: str, glue: str) -> quickjs.Function:
    """One pinned script loaded into QuickJS with the build's memory and time limits.

    `quickjs.Function` runs every call on one worker thread: a QuickJS runtime
    crashes when used from two threads, and `mkdocs serve` rebuilds in another
    thread than the first build.
    """
    source = (vendor.folder(package) / "dist" / script).read_text(encoding="utf-8")
    function = quickjs.Function(entry, source + glue)
    function.set_memory_limit(MEMORY_LIMIT_BYTES)
    function.set_time_limit(TIME_LIMIT_SECONDS)
    return function


@functools.cache
def _renderer() -> quickjs.Function:
    """Temml, loaded once per build process (about 0.05 s)."""
    return _engine("temml", "temml.min.js", "render", RENDER)


@functools.cache
def _katex() -> quickjs.Function:
    return _engine("katex", "katex.min.js", "check", KATEX_CHECK)


def katex_rejects(tex: str, display: bool) -> str:
    """Why KaTeX, the fallback for browsers without MathML, could not draw this formula ("" if it can)."""
    return _katex()(tex, display)


@functools.lru_cache(maxsize=4096)
def render(tex: str, display: bool) -> str:
    """The MathML of one formula; cached because pages share many formulas."""
    if len(tex) > MAX_FORMULA_CHARS:
        raise MathError(f"formula longer than {MAX_FORMULA_CHARS} characters: {tex[:80]}...")
    try:
        return finish(_renderer()(tex, display, run_gc=False), tex)
    except quickjs.JSException as error:
        reason = str(error).splitlines()[0]
        raise MathError(f"{reason}\n  in formula: {tex}") from error


def finish(mathml: str, tex: str) -> str:
    """Keep the TeX on the formula and give scripts TeX's spacing.

    The TeX goes in `alttext`, MathML's text alternative, where the KaTeX
    fallback and assistive tools read it. Temml's own `annotate` option would
    keep it too, but turns off its soft line breaks in inline formulas.
    """
    root = ElementTree.fromstring(mathml)
    root.set("alttext", tex)
    _tighten(root, in_script=False, compact=root.get("display") != "block")
    return ElementTree.tostring(root, encoding="unicode", short_empty_elements=False)


def _tighten(element: ElementTree.Element, in_script: bool, compact: bool) -> None:
    """Drop the space around operators inside scripts and inline fractions, as TeX does.

    TeX sets `x_{t-1}` without space around the minus (no medium or thick
    spaces in script style); Chromium's MathML gives operators their full
    dictionary spacing at every size, so `t − 1` would sprawl. Writing
    `lspace="0" rspace="0"` on those operators restores TeX's spacing.
    """
    if element.tag == "mo" and in_script:
        element.set("lspace", element.get("lspace", "0"))
        element.set("rspace", element.get("rspace", "0"))
    if element.tag == "mstyle" and element.get("displaystyle") is not None:
        compact = element.get("displaystyle") != "true"
    for index, child in enumerate(element):
        scripted = element.tag in SCRIPTED and index > 0 and element.get("accent") != "true"
        fraction_part = element.tag == "mfrac" and compact
        _tighten(child, in_script or scripted or fraction_part, compact or element.tag == "mfrac")


def _tex(tag: str, inner: str) -> str:
    """The formula's TeX without arithmatex's escaping and `\\(`/`\\[` delimiters."""
    opening, closing = DELIMITERS[tag]
    tex = html.unescape(inner).strip()
    if tex.startswith(opening) and tex.endswith(closing):
        tex = tex[len(opening) : -len(closing)]
    return tex.strip()


def start_build() -> None:
    used_characters.clear()


@functools.lru_cache(maxsize=4096)
def characters(mathml: str) -> frozenset[str]:
    """The characters a formula draws: its text, not its markup (nor the TeX in `alttext`)."""
    return frozenset(html.unescape(MATH_TAG.sub("", mathml))) - {" ", "\n"}


def render_page(output: str, path: Path) -> str:
    """Replace every arithmatex formula in a page's HTML with its MathML, keeping the wrapper."""

    def replace(match: re.Match[str]) -> str:
        tag = match.group(1)
        try:
            rendered = render(_tex(tag, match.group(2)), tag == "div")
        except MathError as error:
            raise MathError(f"{path}: cannot render a formula: {error}") from None
        used_characters.update(characters(rendered))
        return f'<{tag} class="arithmatex">{rendered}</{tag}>'

    return FORMULA.sub(replace, output)
