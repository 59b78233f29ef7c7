"""What the theme does not load itself: the maths fallback, diagrams and the on-demand search index.

KaTeX and Mermaid come from `vendor` (pinned npm tarballs). Formulas are
MathML made at build time (`formulas`), drawn by the browser with the site's
maths font (`mathfont`, declared in handbook.css); only a browser without
MathML Core loads KaTeX, to draw them from their TeX. A diagram page loads
Mermaid only when a diagram comes near the viewport; the search index waits
until the reader opens search. A page without a formula or a diagram loads
neither, which keeps a question page's first visit small for readers on phones.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from handbook import vendor

MATH_MARKER = 'class="arithmatex"'
DIAGRAM_MARKER = 'class="mermaid"'
MATERIAL_CONFIG = '<script id="__config"'
TOOLBAR_MARKER = 'class="hb-toolbar"'
# The practice tools are in the HTML (pages.practice_toolbar, pages.section_tools); without a script they would do nothing.
NO_SCRIPT_STYLE = "<noscript><style>.hb-toolbar,.hb-section-tools{display:none}</style></noscript>"


def prepare() -> None:
    """Fetch the pinned packages before the build needs them (no-op when cached)."""
    vendor.ensure()


def relative_url(target: str, page_url: str) -> str:
    """`target`, a path from the site's root, as a link from the page at `page_url` (MkDocs' page.url).

    A page's URL is a folder ("cv/clip/", "" for the home page) or a file ("404.html"), whose
    folder is what a relative link starts from. A folder target keeps its trailing slash.
    """
    folder, _, name = page_url.rpartition("/")
    start = folder if "." in name else page_url
    link = posixpath.relpath("/" + target, "/" + start)
    return link + "/" if target.endswith("/") else link


# Chromium before 109 (still inside some in-app browsers) and other browsers without MathML Core
# would show a formula's bare letters; they get KaTeX, which draws it from the TeX that each
# <math> keeps in `alttext`. Inline in <head>, so the formulas are hidden before the first paint.
MATH_FALLBACK = """<script>
if (!("MathMLElement" in window)) {
  document.documentElement.classList.add("hb-no-mathml");
  (function (base) {
    function draw() {
      document.querySelectorAll(".arithmatex math").forEach(function (math) {
        var box = document.createElement("span");
        katex.render(math.getAttribute("alttext") || "", box,
          {displayMode: math.getAttribute("display") === "block", throwOnError: false});
        math.parentNode.replaceChild(box, math);
      });
      document.documentElement.classList.remove("hb-no-mathml");
    }
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = base + "katex.min.css";
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = base + "katex.min.js";
    script.onload = function () {
      if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
      else draw();
    };
    document.head.appendChild(script);
  })("KATEX_FOLDER");
}
</script>"""


def math_tag(page_url: str) -> str:
    return MATH_FALLBACK.replace("KATEX_FOLDER", relative_url("assets/vendor/katex/", page_url))


def diagram_tag(page_url: str) -> str:
    """The stub `window.mermaid` that imports the vendored module when a diagram is near.

    Material renders `.mermaid` blocks itself and fetches Mermaid from a CDN when
    `window.mermaid` is undefined; the stub is defined (deferred, so before
    DOMContentLoaded, when Material mounts its components) on every diagram page.
    """
    script = relative_url("assets/javascripts/mermaid-on-demand.js", page_url)
    module = relative_url("assets/vendor/mermaid/mermaid.esm.min.mjs", page_url)
    return f'<script defer src="{script}" data-module="{module}"></script>'


def search_on_demand_tag(page_url: str) -> str:
    return f'<script src="{relative_url("assets/javascripts/search-on-demand.js", page_url)}"></script>'


def inject(output: str, page_url: str) -> str:
    head = ""
    if MATH_MARKER in output:
        head += math_tag(page_url)
    if DIAGRAM_MARKER in output:
        head += diagram_tag(page_url)
    if TOOLBAR_MARKER in output:
        head += NO_SCRIPT_STYLE
    output = output.replace("</head>", head + "</head>", 1)
    # Right before Material's configuration and bundle, which it must precede, rather than in
    # <head>, where a parser-blocking script would hold up the first paint by a round trip.
    if MATERIAL_CONFIG not in output:
        raise ValueError(f"{page_url}: Material's {MATERIAL_CONFIG!r} not found; cannot place the search script")
    return output.replace(MATERIAL_CONFIG, search_on_demand_tag(page_url) + MATERIAL_CONFIG, 1)


def copy_into(site_dir: Path) -> None:
    vendor.copy_into(site_dir)
