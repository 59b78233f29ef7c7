"""Formulas rendered to KaTeX HTML at build time, so a reader's phone runs no maths code.

pymdownx.arithmatex (`generic: true`) leaves each formula as escaped TeX in a
`<span class="arithmatex">\\(...\\)</span>` or `<div class="arithmatex">\\[...\\]</div>`.
The vendored `katex.min.js` (the same pinned file a browser would run) is
evaluated once per build in QuickJS, an embedded JavaScript engine shipped as a
PyPI wheel, so the build needs neither Node nor a browser. The page then only
loads `katex.min.css` and the fonts its formulas use.

Contributed Markdown is untrusted: KaTeX's `trust` stays off (commands such as
`\\href` or `\\includegraphics` fail the build instead of being rendered), input
size and run time are bounded, and any formula KaTeX rejects stops the build
with the page's path, rather than shipping a red error to readers.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path

import quickjs

from handbook import vendor

FORMULA = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.DOTALL)
DELIMITERS = {"span": ("\\(", "\\)"), "div": ("\\[", "\\]")}
MAX_FORMULA_CHARS = 10_000  # the longest real formula is a few hundred characters
TIME_LIMIT_SECONDS = 10
MEMORY_LIMIT_BYTES = 256 * 1024 * 1024

# KaTeX options: the browser defaults (HTML for the eye, MathML for screen readers),
# except that errors and untrusted commands throw instead of rendering in red.
RENDER = """
var console = {log() {}, warn() {}, error() {}};  // KaTeX's strict mode warns through it
function render(tex, displayMode) {
  return katex.renderToString(tex, {
    displayMode: displayMode,
    output: "htmlAndMathml",
    throwOnError: true,
    trust: function (context) { throw new Error("command not allowed: " + context.command); }
  });
}
"""


class MathError(ValueError):
    """KaTeX rejected a formula; the message names the formula and KaTeX's reason."""


@functools.cache
def _renderer() -> quickjs.Function:
    """KaTeX loaded once per build process (about 0.1 s).

    `quickjs.Function` runs every call on one worker thread: a QuickJS runtime
    crashes when used from two threads, and `mkdocs serve` rebuilds in another
    thread than the first build.
    """
    katex = (vendor.folder("katex") / "dist" / "katex.min.js").read_text(encoding="utf-8")
    function = quickjs.Function("render", katex + RENDER)
    function.set_memory_limit(MEMORY_LIMIT_BYTES)
    function.set_time_limit(TIME_LIMIT_SECONDS)
    return function


@functools.lru_cache(maxsize=4096)
def render(tex: str, display: bool) -> str:
    """KaTeX's HTML for one formula; cached because pages share many formulas."""
    if len(tex) > MAX_FORMULA_CHARS:
        raise MathError(f"formula longer than {MAX_FORMULA_CHARS} characters: {tex[:80]}...")
    try:
        return _renderer()(tex, display, run_gc=False)
    except quickjs.JSException as error:
        reason = str(error).splitlines()[0]
        raise MathError(f"{reason}\n  in formula: {tex}") from error


def _tex(tag: str, inner: str) -> str:
    """The formula's TeX without arithmatex's escaping and `\\(`/`\\[` delimiters."""
    opening, closing = DELIMITERS[tag]
    tex = html.unescape(inner).strip()
    if tex.startswith(opening) and tex.endswith(closing):
        tex = tex[len(opening) : -len(closing)]
    return tex.strip()


def render_page(output: str, path: Path) -> str:
    """Replace every arithmatex formula in a page's HTML with KaTeX's markup, keeping the wrapper."""

    def replace(match: re.Match[str]) -> str:
        tag = match.group(1)
        try:
            rendered = render(_tex(tag, match.group(2)), tag == "div")
        except MathError as error:
            raise MathError(f"{path}: KaTeX cannot render a formula: {error}") from None
        return f'<{tag} class="arithmatex">{rendered}</{tag}>'

    return FORMULA.sub(replace, output)
