"""Hostile contributions, tried as an attacker would: each is refused by `make check` with its rule and,
independently, kept from readers by the build.

Two kinds of case. *Neutralised* payloads are appended to a copy of a real page (both languages): the
checker names file and rule, the strict build fails naming them too, and the build alone (not strict,
no checker) publishes the page with nothing executable or from another host, which a scan of the HTML
and a Chromium load both confirm. *Refused* files (names, links, types, front matter, limits) stop the
build before it renders anything, with the checker's own `path:line: RULE-ID` messages, never a traceback.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, build_site, sample_project
from handbook import translation

# name: (rule the checker reports, payload appended to the page)
NEUTRALISED = {
    "split-handler": ("SAFE002", '<img src="x"\nonerror="alert(1)">'),
    "footnote-handler": ("SAFE002", '脚注[^1]\n\n[^1]: <img src="x"\n    onerror="alert(1)">'),
    "deflist-handler": ("SAFE002", '术语\n:   <img src="x"\n    onerror="alert(1)">'),
    "admonition-handler": ("SAFE002", '!!! note\n\n    <img src="x"\n    onerror="alert(1)">'),
    "attr-list-focus": ("SAFE002", '文本\n{: tabindex=0 autofocus onfocus="alert(1)" }'),
    "attr-list-image": ("SAFE002", '![x](#){onerror="alert(1)"}'),
    "attr-list-href": ("SAFE002", '[x](https://example.com){href="jav&#x61;script:alert(1)"}'),
    "attr-list-style": ("SAFE002", '文本\n{: style="background:url(https://evil.example/x.png)" }'),
    "reference-javascript": ("SAFE003", "[链接][r]\n\n[r]: javascript:alert(1)"),
    "line-break-javascript": ("SAFE003", "[链接](\njavascript:alert(1))"),
    "entity-javascript": ("SAFE003", "[链接](jav&#x61;script:alert(1))"),
    "colon-entity": ("SAFE003", '<a href="javascript&colon;alert(1)">x</a>'),
    "tab-entity": ("SAFE003", '<a href="java&#9;script:alert(1)">x</a>'),
    "theme-config": ("SAFE005", '<div id="__config">{"base": "https://evil.example"}</div>'),
    "reference-image": ("SAFE004", "![x][img]\n\n[img]: https://evil.example/x.png"),
    "srcset": ("SAFE002", '<img src="x.png" srcset="https://evil.example/x.png 2x">'),
    "picture-source": ("SAFE001", '<picture><source srcset="https://evil.example/x.png"><img src="x.png"></picture>'),
    "poster": ("SAFE001", '<video poster="https://evil.example/x.png"></video>'),
    "style-url": ("SAFE002", '<p style="background:url(https://evil.example/x.png)">x</p>'),
    "ping": ("SAFE002", '<a href="../" ping="https://evil.example/p">x</a>'),
    "schemeless-image": ("SAFE004", "![x](http:evil.example/x.png)"),
    "raw-diagram": ("SAFE005", '<pre class="mermaid">graph TD; A-->B</pre>'),
    "diagram-directive": (
        "SAFE006",
        '```mermaid\n%%{init: {"themeCSS": ".a{background:url(https://evil.example/x)}"}}%%\ngraph TD\nA-->B\n```',
    ),
    "diagram-image": ("SAFE006", '```mermaid\nflowchart TD\nA@{ img: "https://evil.example/x.png" }\n```'),
    "script": ("SAFE001", "<script>alert(1)</script>"),
}
PLAIN = """---
tags: [transformer]
difficulty: easy
aliases: [x]
reviewed: 2026-12-05
---
"""
# name: (rule, line, how to make the file or files)
REFUSED = {
    "title-breakout": ("STRUCT005", 8, ("docs/nlp/title-breakout.md", PLAIN + "\n# &lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;?\n")),
    "title-image": ("STRUCT005", 8, ("docs/nlp/title-image.md", PLAIN + '\n# 标题 ![x](#){onerror="alert(1)"}\n')),
    "alias-bomb": ("FM008", 2, ("docs/nlp/alias-bomb.md", "---\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n---\n# t\n")),
    "nested-tags": ("FM006", 2, ("docs/nlp/nested-tags.md", PLAIN.replace("[transformer]", "[[transformer]]") + "\n# 标题？\n")),
    "mixed-keys": ("FM005", 4, ("docs/nlp/mixed-keys.md", PLAIN.replace("easy\n", "easy\n1: x\n") + "\n# 标题？\n")),
    "missing-twin": ("FILE006", 1, ("docs/nlp/missing-twin.md", PLAIN + "\n# 标题？\n")),
    "not-utf8": ("FILE001", 1, ("docs/nlp/not-utf8.md", "# 标题\n".encode("gbk"))),
    "quote-in-name": ("FILE003", 1, ('docs/nlp/a"onmouseover="alert(1).md', PLAIN + "\n# 标题？\n")),
    "unknown-folder": ("FILE005", 1, ("docs/evil/page.md", PLAIN + "\n# 标题？\n")),
    "stray-html": ("FILE010", 1, ("docs/assets/evil.html", "<script>alert(1)</script>")),
    "svg-script": (
        "FILE010",
        1,
        ("docs/assets/images/evil.svg", "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
    ),
    "symlink": ("FILE009", 1, ("docs/assets/images/environ.png", Path("/proc/self/environ"))),
    "long-line": ("FILE008", 8, ("docs/nlp/long-line.md", PLAIN + "\n<" + " " * 50_000 + "\n")),
    "bracket-bomb": ("FILE008", 8, ("docs/nlp/bracket-bomb.md", PLAIN + "\n" + "![" * 12_000 + "\n")),
    "huge-page": ("FILE007", 1, ("docs/nlp/huge-page.md", PLAIN + ("正文。\n" * 40_000))),
}
EVENT_ATTRIBUTE = re.compile(r"^on", re.IGNORECASE)
URL_ATTRIBUTES = {"href", "src", "srcset", "poster", "action", "formaction", "data", "ping", "background", "xlink:href"}
RESOURCE_ATTRIBUTES = URL_ATTRIBUTES - {"href", "action", "formaction"}
BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data:text/html)", re.IGNORECASE)


def run_check(docs: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "scripts/check.py", "--docs", str(docs)], cwd=ROOT, capture_output=True, text=True)


def reported(output: str) -> set[tuple[str, int, str]]:
    return {(Path(path).name, int(line), rule) for path, line, rule in re.findall(r"^(.+?):(\d+): ([A-Z]+\d{3}) ", output, re.MULTILINE)}


def hostile_copy(docs: Path, name: str, payload: str) -> tuple[Path, int]:
    """Copies of the sample bank's first question (both languages) with the payload at the end; returns the Chinese page
    and the line the payload starts on."""
    pages = []
    for suffix in (".md", ".en.md"):
        text = (docs / "nlp" / f"alpha{suffix}").read_text(encoding="utf-8")
        page = docs / "nlp" / f"rt-{name}{suffix}"
        page.write_text(f"{text}\n{payload}\n", encoding="utf-8")
        pages.append(page)
    translation.mark_translated(pages[1])
    return pages[0], pages[0].read_text(encoding="utf-8").count("\n") - payload.count("\n")


@pytest.fixture(scope="module")
def neutralised(tmp_path_factory: pytest.TempPathFactory) -> dict:
    project = sample_project(tmp_path_factory.mktemp("hostile"))
    lines = {name: hostile_copy(project / "docs", name, payload)[1] for name, (_, payload) in NEUTRALISED.items()}
    return {
        "project": project,
        "lines": lines,
        "check": run_check(project / "docs"),
        "strict": build_site(project / "mkdocs.yml", project / "strict-site"),
        "build": subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site")],
            cwd=project,
            capture_output=True,
            text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        ),
    }


@pytest.mark.parametrize("name", sorted(NEUTRALISED))
def test_check_names_file_line_and_rule(neutralised: dict, name: str) -> None:
    rule, _ = NEUTRALISED[name]
    found = [(line, r) for page, line, r in reported(neutralised["check"].stdout) if page == f"rt-{name}.md"]
    assert any(r == rule and line >= neutralised["lines"][name] for line, r in found), (rule, found)
    assert neutralised["check"].returncode == 1


@pytest.mark.parametrize("name", sorted(NEUTRALISED))
def test_the_strict_build_fails_naming_file_and_rule(neutralised: dict, name: str) -> None:
    strict = neutralised["strict"]
    assert strict.returncode != 0
    assert re.search(rf"docs/nlp/rt-{name}(\.en)?\.md:\d+: SAFE\d{{3}} ", strict.stderr), strict.stderr[-3000:]
    assert "Traceback" not in strict.stderr


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))


def elements(page: Path) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.elements


def test_the_build_alone_publishes_nothing_executable_or_from_another_host(neutralised: dict) -> None:
    assert neutralised["build"].returncode == 0, neutralised["build"].stderr[-3000:]
    site = neutralised["project"] / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 2 * len(NEUTRALISED)
    for page in pages:
        found = elements(page)
        where = page.relative_to(site)
        assert [tag for tag, attrs in found if attrs.get("id") == "__config"] == ["script"], where
        for tag, attrs in found:
            assert not [a for a in attrs if EVENT_ATTRIBUTE.match(a)], (where, tag, attrs)
            assert "style" not in attrs or "url(" not in attrs["style"], (where, tag, attrs)
            for attribute in URL_ATTRIBUTES & attrs.keys():
                value = re.sub(r"[\x00-\x20]", "", html.unescape(attrs[attribute]))
                assert not BAD_SCHEME.match(value), (where, tag, attribute, value)
                if attribute in RESOURCE_ATTRIBUTES:
                    assert not re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", value, re.IGNORECASE), (where, tag, attribute, value)


@pytest.mark.parametrize("language", ["", "en/"])
def test_chromium_runs_nothing_and_asks_no_other_host(neutralised: dict, browser, language: str) -> None:
    from handbook.chromium import serve

    with serve(neutralised["project"] / "site") as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        dialogs, foreign = [], []
        context.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        context.on("request", lambda request: not request.url.startswith(base) and foreign.append(request.url))
        try:
            tab = context.new_page()
            for name in sorted(NEUTRALISED):
                tab.goto(f"{base}{language}nlp/rt-{name}/", wait_until="load")
                tab.mouse.wheel(0, 20_000)  # bring diagrams near, so Mermaid runs
                tab.wait_for_timeout(150)
        finally:
            context.close()
    assert dialogs == []
    assert foreign == []


@pytest.fixture(scope="module")
def refused(tmp_path_factory: pytest.TempPathFactory) -> dict:
    project = sample_project(tmp_path_factory.mktemp("refused"))
    for _, _, (relative, content) in REFUSED.values():
        target = project / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            target.symlink_to(content)
        elif isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    started = time.perf_counter()
    check = run_check(project / "docs")
    seconds = time.perf_counter() - started
    return {"project": project, "check": check, "seconds": seconds, "build": build_site(project / "mkdocs.yml", project / "site")}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_by_check_and_build_with_the_same_message(refused: dict, name: str) -> None:
    rule, line, (relative, _) = REFUSED[name]
    expected = (Path(relative).name, line, rule)
    assert expected in reported(refused["check"].stdout), refused["check"].stdout
    assert expected in reported(refused["build"].stderr.replace("ERROR    -  ", "")), refused["build"].stderr[-3000:]
    assert refused["build"].returncode != 0
    for output in (refused["check"].stdout + refused["check"].stderr, refused["build"].stderr):
        assert "Traceback" not in output


def test_refused_files_publish_nothing(refused: dict) -> None:
    assert not list((refused["project"] / "site").rglob("*.html"))


def test_check_stays_fast_on_hostile_input(refused: dict, tmp_path: Path) -> None:
    """Generous bound for regex bombs: the quadratic patterns took 47 s on one of these pages."""
    assert refused["seconds"] < 5
    docs = sample_project(tmp_path) / "docs"
    below_limits = {"spaces": "<" + " " * 3_990, "brackets": "![" * 199 + "x" * 3_500, "handlers": "<a " + "b " * 1_900}
    for name, line in below_limits.items():
        hostile_copy(docs, name, "\n".join([line] * 45))
    started = time.perf_counter()
    run_check(docs)
    assert time.perf_counter() - started < 5


def test_code_and_comments_may_show_unsafe_examples(tmp_path: Path) -> None:
    docs = sample_project(tmp_path) / "docs"
    example = '`<script>alert(1)</script>`\n\n```html\n<img src="x" onerror="alert(1)">\n```\n\n<!-- <iframe src="https://e.example"> -->'
    hostile_copy(docs, "examples", example)
    assert not [p for p in reported(run_check(docs).stdout) if p[0].startswith("rt-examples")]


def test_crlf_and_bom_pages_are_read_as_written(tmp_path: Path) -> None:
    docs = sample_project(tmp_path) / "docs"
    for path in (docs / "nlp").glob("alpha*.md"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    result = run_check(docs)
    assert result.returncode == 0, result.stdout
