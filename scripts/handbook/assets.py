"""Scripts the theme does not load itself: math, diagrams and the on-demand search index.

KaTeX and Mermaid come from `vendor` (pinned npm tarballs). A page without a
formula or a diagram loads neither, and the search index waits until the
reader opens search, which keeps a question page's first visit small for
readers on phones.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.utils import get_relative_url

from handbook import vendor

MATH_MARKER = 'class="arithmatex"'
DIAGRAM_MARKER = 'class="mermaid"'


def prepare() -> None:
    """Fetch the pinned packages before the build needs them (no-op when cached)."""
    vendor.ensure()


def _url(path: str, page_url: str) -> str:
    return get_relative_url(path, page_url)


def math_tags(page_url: str) -> tuple[str, str]:
    css = f'<link rel="stylesheet" href="{_url("assets/vendor/katex/katex.min.css", page_url)}">'
    js = (
        f'<script src="{_url("assets/vendor/katex/katex.min.js", page_url)}"></script>'
        f'<script src="{_url("assets/javascripts/math.js", page_url)}"></script>'
    )
    return css, js


def diagram_tags(page_url: str) -> str:
    # Material renders `.mermaid` blocks itself and only fetches Mermaid from a CDN
    # when `window.mermaid` is undefined; defining it first keeps the page self-hosted.
    module = _url("assets/vendor/mermaid/mermaid.esm.min.mjs", page_url)
    return f'<script type="module">import mermaid from "{module}"; window.mermaid = mermaid;</script>'


def search_on_demand_tag(page_url: str) -> str:
    return f'<script src="{_url("assets/javascripts/search-on-demand.js", page_url)}"></script>'


def inject(output: str, page_url: str) -> str:
    head, body = search_on_demand_tag(page_url), ""
    if MATH_MARKER in output:
        css, js = math_tags(page_url)
        head, body = head + css, body + js
    if DIAGRAM_MARKER in output:
        head += diagram_tags(page_url)
    output = output.replace("</head>", head + "</head>", 1)
    if body:
        output = output.replace("</body>", body + "</body>", 1)
    return output


def copy_into(site_dir: Path) -> None:
    vendor.copy_into(site_dir)
