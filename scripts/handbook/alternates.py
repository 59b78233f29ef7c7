"""Language alternates: keep the selector's per-page links, drop the head's `<link rel="alternate">`.

Material treats every `<link rel="alternate">` as a language *root*: it fetches
`sitemap.xml` next to it and, on a language switch, looks the current page up
in that sitemap. mkdocs-static-i18n writes per-page alternate links instead,
so Material requests `<page>/sitemap.xml` (a 404 on every page view), and with
root links its lookup misses whenever the site runs on a port (`make serve`)
and sends the reader to the other language's home page.

Dropping the head links leaves the language selector with mkdocs-static-i18n's
per-page links, which lead to the same question in the other language; search
engines still get hreflang pairs from the root `sitemap.xml`.
"""

from __future__ import annotations

import re

ALTERNATE = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[a-zA-Z-]+">\s*')


def drop_head_alternates(output: str) -> str:
    head, separator, body = output.partition("</head>")
    return ALTERNATE.sub("", head) + separator + body
