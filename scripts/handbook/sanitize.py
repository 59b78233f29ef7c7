"""The allowlist every page's rendered HTML passes through before it reaches a reader.

Contributed Markdown is untrusted, and rules over the source cannot see what
Markdown, attr_list, footnotes and entities turn it into. So the build cleans
the *rendered* content with `nh3` (Rust's ammonia) against one explicit policy:
the elements and attributes the handbook's pages use, URLs that stay on http(s),
mailto or the site, resources from the site only, no ids or classes the theme or
the project's scripts own. The same policy is read by `findings`, a scan of the
same HTML that names everything the cleaner would drop, so the strict build
fails with `path:line: RULE-ID` instead of stripping in silence.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

ELEMENTS = frozenset(
    "a abbr b blockquote br caption code dd del details div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img input "
    "ins kbd label li mark ol p pre s small span strong sub summary sup table tbody td tfoot th thead tr u ul".split()
)
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "noscript", "textarea", "title", "svg", "math"})
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title"})
ATTRIBUTES = {
    "a": {"href", "hreflang", "download", "rel", "name"},  # name: code line anchors
    "img": {"src", "alt", "width", "height", "loading"},
    "input": {"type", "checked", "disabled"},  # task lists: <input type="checkbox" disabled>
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style"},
    "ol": {"start", "type"},
    "details": {"open"},
    "li": {"data-slug", "data-difficulty", "data-tags"},  # section lists (pages.fill_section_index)
}
STYLE_PROPERTIES = frozenset({"text-align"})  # Markdown tables align columns with style="text-align: …"
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
RESOURCE_ATTRIBUTES = {("img", "src")}
URL_ATTRIBUTES = {("a", "href"), *RESOURCE_ATTRIBUTES}
# Classes that Markdown's extensions, Pygments and the project's own markup produce.
CLASS = re.compile(
    r"[a-z]{1,3}[0-9]?|language-[a-z0-9+#_-]+|hb-[a-z0-9_-]+|admonition(?:-title)?|note|abstract|info|tip|success|question"
    r"|warning|failure|danger|bug|example|quote|highlight|highlighttable|linenos|linenodiv|filename|hll|arithmatex"
    r"|headerlink|toclink|footnote(?:-ref|-backref)?|task-list(?:-item|-control|-indicator)?|critic|inline|block"
)
# Ids the theme and the project's scripts look up, and names a script might read from `window`.
# Code blocks' line anchors (`__codelineno-0-1`, pymdownx.highlight's anchor_linenums) are the one exception.
RESERVED_ID = re.compile(r"(?!__codelineno-\d+-\d+$)_.*|hb-.*|md-.*|mermaid|katex|temml|search|document|location|config", re.IGNORECASE)
CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]+")
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# A ```mermaid fence renders as <pre class="hb-diagram">; only here, once it is checked, does it become
# the `mermaid` block that Material hands to the site's own Mermaid. A page cannot write that class.
DIAGRAM = re.compile(r'<pre class="hb-diagram">(.*?)</pre>', re.DOTALL)
# Mermaid directives can restyle the diagram (themeCSS urls), image shapes and links load from other hosts.
DIAGRAM_FORBIDDEN = re.compile(r"%%\s*\{|\bimg\s*:|themeCSS|\bclick\b|\bhref\b|url\s*\(|<\s*img", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """Something the cleaner drops; `needle` is text to look for in the source to find its line."""

    rule: str
    message: str
    needle: str


def url_verdict(tag: str, attribute: str, value: str) -> Finding | None:
    """A link must be http(s), mailto or on the site; a resource must be on the site."""
    compact = CONTROL_OR_SPACE.sub("", value).replace("\\", "/")
    scheme = SCHEME.match(compact)
    if (tag, attribute) in RESOURCE_ATTRIBUTES and (scheme or compact.startswith("//")):
        return Finding("SAFE004", f"<{tag} {attribute}> loads from another host ({value[:60]!r}); keep images in docs/assets/", attribute)
    if scheme and scheme.group(1).lower() not in LINK_SCHEMES:
        return Finding("SAFE003", f"{scheme.group(1).lower()}: URLs are not allowed ({attribute}= on <{tag}>)", scheme.group(1))
    return None


def attribute_verdict(tag: str, attribute: str, value: str) -> Finding | None:
    """Why an attribute is dropped, or None when it is kept as it is."""
    if attribute.startswith("on"):
        return Finding("SAFE002", f"event-handler attribute {attribute}= is not allowed", attribute)
    if attribute not in GLOBAL_ATTRIBUTES and attribute not in ATTRIBUTES.get(tag, ()):
        return Finding("SAFE002", f"attribute {attribute}= is not allowed on <{tag}>", attribute)
    if (tag, attribute) in URL_ATTRIBUTES:
        return url_verdict(tag, attribute, value)
    if attribute in ("id", "name") and RESERVED_ID.fullmatch(value.strip()):
        return Finding("SAFE005", f"id {value!r} is reserved for the theme and the site's scripts", value)
    if attribute == "class" and (unknown := [c for c in value.split() if not CLASS.fullmatch(c)]):
        return Finding("SAFE005", f"class {unknown[0]!r} is not one the handbook's pages use", unknown[0])
    if attribute == "style" and not re.fullmatch(r"\s*text-align\s*:\s*(left|right|center)\s*;?\s*", value):
        return Finding("SAFE002", f"style= is not allowed on <{tag}> (only text-align in tables)", "style")
    if tag == "input" and attribute == "type" and value.lower() != "checkbox":
        return Finding("SAFE002", f"<input type={value!r}> is not allowed (only task-list checkboxes)", "input")
    return None


def _keep(tag: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter: the same verdicts as `findings`."""
    return None if attribute_verdict(tag, attribute, value) else value


_ALLOWED_ATTRIBUTES = {"*": set(GLOBAL_ATTRIBUTES), **{tag: set(names) for tag, names in ATTRIBUTES.items()}}
_CLEANER = nh3.Cleaner(
    tags=set(ELEMENTS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes=_ALLOWED_ATTRIBUTES,
    attribute_filter=_keep,
    strip_comments=True,
    link_rel=None,
    url_schemes=set(LINK_SCHEMES),
    filter_style_properties=set(STYLE_PROPERTIES),
)


def _diagram_finding(inner: str) -> Finding | None:
    if match := DIAGRAM_FORBIDDEN.search(html.unescape(inner)):
        return Finding("SAFE006", f"diagrams may not use {match.group(0).strip()!r} (directives, images, links)", match.group(0))
    return None


def line_of(source: str, finding: Finding) -> int:
    """The first source line that holds the finding's needle (case-insensitive), else 1."""
    needle = finding.needle.lower()
    return next((number for number, line in enumerate(source.splitlines(), 1) if needle in line.lower()), 1)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[tuple[int, Finding]] = []  # (line, finding)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag not in ELEMENTS:
            self.findings.append((line, Finding("SAFE001", f"<{tag}> is not allowed in pages", f"<{tag}")))
            return
        for name, value in attrs:
            if verdict := attribute_verdict(tag, name, value or ""):
                self.findings.append((line, verdict))

    handle_startendtag = handle_starttag


def scan(text: str) -> list[tuple[int, Finding]]:
    """(line, finding) for every element and attribute in `text` that the policy refuses."""
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    return scanner.findings


def sanitize(content: str) -> tuple[str, list[Finding]]:
    """The content with everything outside the policy removed, and what was removed, each once, in document order.

    A checked diagram gets the class Material draws; one that reaches out (directives, images, links)
    shows as code.
    """
    found = [finding for tag in START_TAG.finditer(_without_comments(content)) for finding in _tag_findings(tag.group(0))]

    def diagram(match: re.Match) -> str:
        if finding := _diagram_finding(match.group(1)):
            found.append(finding)
            return f"<pre>{match.group(1)}</pre>"
        return f'<pre class="mermaid">{match.group(1)}</pre>'

    cleaned = DIAGRAM.sub(diagram, _CLEANER.clean(content))
    return cleaned, list(dict.fromkeys(found))


def clean(content: str) -> str:
    """The allowlist alone, for HTML that only needs to be safe and holds no diagram (the Anki cards)."""
    return _CLEANER.clean(content)


# Each distinct start tag is judged once: a build renders the same few thousand tags (<p>, <span class="k">, …)
# on every page, and parsing every one of them in Python was most of the sanitiser's cost.
START_TAG = re.compile(r"<[a-zA-Z][a-zA-Z0-9-]*(?=[\s/>])[^<>]*>")


@functools.lru_cache(maxsize=8192)
def _tag_findings(tag: str) -> tuple[Finding, ...]:
    return tuple(finding for _, finding in scan(tag))


def _without_comments(html_text: str) -> str:
    """Comments never reach a reader (the cleaner drops them), so a tag shown inside one is not reported."""
    pieces, position = [], 0
    while (opening := html_text.find("<!--", position)) >= 0:
        pieces.append(html_text[position:opening])
        closing = html_text.find("-->", opening + 4)
        position = len(html_text) if closing < 0 else closing + 3
    return "".join([*pieces, html_text[position:]])
