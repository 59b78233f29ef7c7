"""Content rules for contributed pages. Each rule has a stable ID that the style guide cites.

Contributed Markdown is untrusted. Every rule reports *all* its findings as
`path:line: RULE-ID message`, so a contributor fixes everything in one pass.
"""

from __future__ import annotations

import functools
import html
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from handbook import bank, sanitize, template, translation

ALLOWED_KEYS = {"tags", "difficulty", "related", "aliases", "reviewed", "source_hash"}
REQUIRED_KEYS = ("tags", "difficulty", "aliases", "reviewed")
DIFFICULTIES = ("easy", "medium", "hard")
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CJK = r"\u3400-\u4dbf\u4e00-\u9fff"

# Every pattern below runs in linear time: no two adjacent quantifiers can match the same characters,
# and the ones that scan ahead are bounded, so a hostile page cannot make the checker backtrack.
FORBIDDEN_TAGS = re.compile(r"<\s*(?:/\s*)?(script|iframe|object|embed|style|form|link|meta|base|svg)\b", re.IGNORECASE)
LINK_DESTINATION = re.compile(r"\]\(\s*<?([^\s)>]*)")
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[([^\]\n]{1,999})\]:[ \t]*\n?[ \t]*<?([^\s>]*)", re.MULTILINE)
REFERENCE_IMAGE = re.compile(r"!\[([^\]\n]{0,999})\](?:\[([^\]\n]{0,999})\])?")
RAW_DIAGRAM = re.compile(r"\bclass\s*=\s*[\"']?[^\"'<>\n]{0,999}\bmermaid\b", re.IGNORECASE)
ATTR_LIST = re.compile(r"\{:?[ \t]*([^{}\n]{0,999})\}")
ATTR_LIST_KEY = re.compile(r"(?:^|\s)([A-Za-z_:][-\w:.]{0,99})[ \t]*=")
ATTR_LIST_KEYS = frozenset({"width", "height"})  # besides #id and .class
MERMAID_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*mermaid\b[^\n]*\n(.*?)^[ \t]*\1", re.MULTILINE | re.DOTALL)
PAGE_LIMIT = 200_000  # bytes; the longest page of the bank is about a quarter of it
LINE_LIMIT = 4_000  # characters; the longest line of the bank is about 1,300
BRACKET_LIMIT = 200  # "[" per line: Markdown's link parser is quadratic in them (2,000 took a second); the bank's most is 10
TRANSLATION_RATIO = 0.4  # English units per Chinese unit run 0.64–0.89 in the bank; below this it is not a translation
LOOKALIKES = re.compile(r"[\u2e80-\u2eff\u2f00-\u2fdf\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u200b-\u200d\u2060\ufeff]")
MISSING_SPACE = re.compile(rf"[{CJK}][A-Za-z0-9]|[A-Za-z0-9][{CJK}]")
HALF_WIDTH_PUNCT = re.compile(rf"[{CJK}][,;:?!]|[{CJK}]\.(?=\s|$)|[{CJK}][()]|[()][{CJK}]")
TITLE_MARKUP = re.compile(r"[<>&{}\[\]`]|!\[")
LINK_TARGET = re.compile(r"(!?\[[^\]\n]{0,999}\])\([^)\n]{0,999}\)")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+\1")
MATH_SPAN = re.compile(r"(?<!\\)\$(?:[^$\\]|\\.)+\$")
URL = re.compile(r"<?https?://[^\s>)]+>?")
SHORT_ANSWER_LIMIT = {"zh": 150, "en": 80}  # units said in about 30 seconds: Han characters + Latin words (zh), words (en)
SPOKEN_UNIT = re.compile(rf"[{CJK}]|[A-Za-z0-9]+(?:[-'.’+][A-Za-z0-9]+)*")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    rule: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}: {self.rule} {kind}{self.message}"


@dataclass
class Source:
    """A file as read from disk, before any rule trusts its content."""

    path: Path
    display: str
    text: str
    page: bank.Page | None

    @functools.cached_property
    def prose(self) -> str:
        """The text with code, math and comments blanked out, same lines and offsets (what the SAFE rules read)."""
        return blank_code(self.text)

    def line_at(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def read_sources(docs: Path) -> tuple[list[Source], list[Problem]]:
    """Every Markdown file, decoded and size-checked before any other rule reads it."""
    sources, problems = [], []
    for path in sorted(docs.rglob("*.md")):
        display = _display(path)
        if path.is_symlink():
            continue  # FILE009, from check_tree
        if (size := path.stat().st_size) > PAGE_LIMIT:
            problems.append(Problem(display, 1, "FILE007", f"file is {size:,} bytes; the limit is {PAGE_LIMIT:,}"))
            continue
        try:
            text = bank.read_text(path)
        except UnicodeDecodeError as error:
            problems.append(Problem(display, 1, "FILE001", f"not valid UTF-8 ({error.reason} at byte {error.start})"))
            continue
        if too_long := list(_overlong_lines(display, text)):
            problems += too_long
            continue
        try:
            page = bank.read_page(path)
        except bank.FrontMatterError as error:
            problems.append(Problem(display, error.line, "FM008", str(error)))
            page = None
        except (yaml.YAMLError, RecursionError) as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 2 if mark else 1
            problems.append(Problem(display, line, "FM001", f"front matter is not valid YAML: {error}".splitlines()[0]))
            page = None
        sources.append(Source(path, display, text, page))
    return sources, problems


def _overlong_lines(display: str, text: str) -> Iterator[Problem]:
    """FILE008: lines that would make the checker or Markdown slow; nothing else reads such a file."""
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > LINE_LIMIT:
            yield Problem(display, number, "FILE008", f"line is longer than {LINE_LIMIT:,} characters")
        elif line.count("[") > BRACKET_LIMIT:
            yield Problem(display, number, "FILE008", f"line has more than {BRACKET_LIMIT} '[' characters")


# --- Line-based text rules ----------------------------------------------------------------


def prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """Lines outside front matter and fenced code, with code spans, math and URLs masked.

    Masked spans become a Latin letter so that "中文`code`" still counts as
    Chinese touching Latin text.
    """
    _, body, start = bank.split_front_matter(text)
    in_math = False
    for number, line in bank.lines_outside_fences(body, start):
        if line.strip() == "$$":
            in_math = not in_math
            continue
        if in_math or line.lstrip().startswith("$$"):
            continue
        masked = CODE_SPAN.sub("X", line)
        masked = MATH_SPAN.sub("X", masked)
        masked = LINK_TARGET.sub(r"\1", masked)
        masked = URL.sub("X", masked)
        yield number, masked


def raw_lines(text: str) -> Iterator[tuple[int, str]]:
    yield from enumerate(text.splitlines(), start=1)


def _blank(text: str) -> str:
    """The same number of characters and line breaks, nothing else."""
    return re.sub(r"[^\n]", " ", text)


def blank_code(text: str) -> str:
    """The text with fenced code, code spans, math and HTML comments blanked: what the SAFE rules read.

    Offsets and lines stay those of the source, so a finding names its real line,
    and a page can show `<script>` as an example in code.
    """
    _, body, start = bank.split_front_matter(text)
    lines = text.split("\n")
    prose = set(number for number, _ in bank.lines_outside_fences(body, start))
    out, in_math = [], False
    for number, line in enumerate(lines, start=1):
        if number >= start and number in prose and line.strip() == "$$":
            in_math = not in_math
        if number < start or number not in prose or in_math or line.lstrip().startswith("$$"):
            out.append(_blank(line))
        else:
            out.append(MATH_SPAN.sub(lambda m: _blank(m.group(0)), CODE_SPAN.sub(lambda m: _blank(m.group(0)), line)))
    joined = "\n".join(out)
    pieces, position = [], 0
    while (opening := joined.find("<!--", position)) >= 0:
        closing = joined.find("-->", opening + 4)
        closing = len(joined) if closing < 0 else closing + 3
        pieces += [joined[position:opening], _blank(joined[opening:closing])]
        position = closing
    return "".join([*pieces, joined[position:]])


def _url_problems(source: Source, offset: int, tag: str, attribute: str, url: str) -> Iterator[Problem]:
    if finding := sanitize.url_verdict(tag, attribute, html.unescape(url)):
        yield Problem(source.display, source.line_at(offset), finding.rule, finding.message)


def check_safety(source: Source) -> Iterator[Problem]:
    """What the build's sanitiser would remove, found in the Markdown so the author learns where."""
    prose = source.prose
    for match in FORBIDDEN_TAGS.finditer(prose):
        yield Problem(source.display, source.line_at(match.start()), "SAFE001", f"<{match.group(1).lower()}> is not allowed in pages")
    yield from _html_problems(source)
    for match in LINK_DESTINATION.finditer(prose):
        opening = prose.rfind("[", 0, match.start())
        is_image = opening > 0 and prose[opening - 1] == "!"
        yield from _url_problems(source, match.start(1), "img" if is_image else "a", "src" if is_image else "href", match.group(1))
    definitions = {}
    for match in REFERENCE_DEFINITION.finditer(prose):
        definitions[match.group(1).strip().lower()] = match
        yield from _url_problems(source, match.start(2), "a", "href", match.group(2))
    for match in REFERENCE_IMAGE.finditer(prose):
        definition = definitions.get((match.group(2) or match.group(1)).strip().lower())
        if definition is not None:
            yield from _url_problems(source, definition.start(2), "img", "src", definition.group(2))
    for match in ATTR_LIST.finditer(prose):
        for key in ATTR_LIST_KEY.findall(match.group(1)):
            if key.lower() not in ATTR_LIST_KEYS:
                rule = "SAFE002"
                yield Problem(source.display, source.line_at(match.start()), rule, f"attribute {key}= is not allowed in {{: ... }} lists")
    for match in MERMAID_FENCE.finditer(source.text):
        if found := sanitize.DIAGRAM_FORBIDDEN.search(match.group(2)):
            message = f"diagrams may not use {found.group(0).strip()!r} (directives, images, links)"
            yield Problem(source.display, source.line_at(match.start(2) + found.start()), "SAFE006", message)


def _html_problems(source: Source) -> Iterator[Problem]:
    """Raw HTML in the page, read as the browser would (entities decoded, across lines)."""
    for line, finding in sanitize.scan(source.prose):
        yield Problem(source.display, line, finding.rule, finding.message)
    for match in RAW_DIAGRAM.finditer(source.prose):
        message = "class 'mermaid' is for ```mermaid fences only; write the diagram in a fence"
        yield Problem(source.display, source.line_at(match.start()), "SAFE005", message)


def check_characters(source: Source) -> Iterator[Problem]:
    for number, line in prose_lines(source.text):
        for match in LOOKALIKES.finditer(line):
            char = match.group(0)
            yield Problem(source.display, number, "TYPO001", f"look-alike character U+{ord(char):04X}; type the plain character")


def check_chinese_typography(source: Source) -> Iterator[Problem]:
    if bank.language_of(source.path) != "zh":
        return
    for number, line in prose_lines(source.text):
        for match in MISSING_SPACE.finditer(line):
            yield Problem(source.display, number, "TYPO002", f"add a space between Chinese and Latin text: {match.group(0)!r}")
        for match in HALF_WIDTH_PUNCT.finditer(line):
            yield Problem(source.display, number, "TYPO003", f"use full-width punctuation in Chinese text: {match.group(0)!r}")


# --- Page rules ---------------------------------------------------------------------------


def _key_line(source: Source, key: str) -> int:
    for number, line in raw_lines(source.text):
        if line.startswith(f"{key}:"):
            return number
    return 1


def check_file(source: Source) -> Iterator[Problem]:
    if not source.text.strip():
        yield Problem(source.display, 1, "FILE002", "file is empty")
    slug = source.path.name.split(".")[0]
    if not KEBAB.match(slug):
        yield Problem(source.display, 1, "FILE003", f"slug {slug!r} is not kebab-case (a-z, 0-9, hyphens)")


def check_front_matter(source: Source) -> Iterator[Problem]:
    page = source.page
    if page is None:
        return
    if not bank.FRONT_MATTER.match(source.text):
        yield Problem(source.display, 1, "FM001", "missing YAML front matter (--- ... ---)")
        return
    meta = page.meta
    for key in sorted(set(meta) - ALLOWED_KEYS, key=str):
        yield Problem(source.display, _key_line(source, key), "FM005", f"unknown front-matter key {key!r}")
    for key in REQUIRED_KEYS:
        if key not in meta:
            yield Problem(source.display, 2, "FM002", f"required front-matter key {key!r} is missing")
    if "difficulty" in meta and meta["difficulty"] not in DIFFICULTIES:
        yield Problem(
            source.display,
            _key_line(source, "difficulty"),
            "FM003",
            f"difficulty {meta['difficulty']!r} is not one of {', '.join(DIFFICULTIES)}",
        )
    for key in ("tags", "related", "aliases"):
        if key in meta and not (isinstance(meta[key], list) and all(isinstance(v, str) for v in meta[key])):
            yield Problem(source.display, _key_line(source, key), "FM006", f"{key!r} must be a list of strings")
    for tag in _strings(meta.get("tags")):
        if tag not in bank.tags():
            yield Problem(source.display, _key_line(source, "tags"), "FM004", f"tag {tag!r} is not in data/tags.yml")


def _strings(value: object) -> list[str]:
    """The string items of a front-matter list; FM006 reports anything else, the other rules skip it."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def check_structure(source: Source) -> Iterator[Problem]:
    page = source.page
    if page is None:
        return
    titles = [h for h in page.headings if h.level == 1]
    for title in titles:
        if found := TITLE_MARKUP.search(title.text):
            message = f"the title is plain text: {found.group(0)!r} would be read as markup where the title is reused"
            yield Problem(source.display, title.line, "STRUCT005", message)
    if len(titles) != 1:
        line = titles[1].line if len(titles) > 1 else page.body_start
        yield Problem(source.display, line, "STRUCT001", f"a question page has exactly one H1 (found {len(titles)})")
    expected = list(bank.HEADINGS[page.language])
    found = [h for h in page.headings if h.level == 2]
    if [h.text for h in found] != expected:
        line = next((h.line for h, want in zip(found, expected, strict=False) if h.text != want), page.body_start)
        yield Problem(source.display, line, "STRUCT002", f"the ## headings must be exactly, in order: {' / '.join(expected)}")
    references = page.section_text(expected[-1])
    if expected[-1] in (h.text for h in found) and len(re.findall(r"\]\((?:https?://|\.\./)", references)) < 2:
        line = next(h.line for h in found if h.text == expected[-1])
        yield Problem(source.display, line, "STRUCT003", "at least two references with links are required")


def spoken_units(markdown: str) -> int:
    """Han characters plus Latin words and numbers; a formula or code span counts as one word."""
    masked = MATH_SPAN.sub(" X ", CODE_SPAN.sub(" X ", markdown))
    return len(SPOKEN_UNIT.findall(LINK_TARGET.sub(r"\1", masked)))


def check_short_answer(source: Source) -> Iterator[Problem]:
    """STRUCT004: the short answer is what a candidate says in 30 seconds, so it has a hard length."""
    page = source.page
    if page is None:
        return
    heading = bank.HEADINGS[page.language][0]
    found = next((h for h in page.headings if h.level == 2 and h.text == heading), None)
    if found is None:
        return
    text = page.section_text(heading)
    limit = SHORT_ANSWER_LIMIT[page.language]
    unit = "units (Han characters and Latin words)" if page.language == "zh" else "words"
    if (count := spoken_units(text)) > limit:
        yield Problem(source.display, found.line, "STRUCT004", f"the short answer has {count} {unit}; at most {limit} fit 30 seconds")
    if "$$" in text:
        yield Problem(source.display, found.line, "STRUCT004", "no display formulas in the short answer; move them to the detailed answer")


# --- Bank rules (across files) ------------------------------------------------------------


def check_bank(sources: list[Source], docs: Path) -> Iterator[Problem]:
    known_sections = {s.id for s in bank.sections()}
    questions = [s for s in sources if s.page is not None and _is_question(s.path, docs)]
    by_slug: dict[str, set[str]] = {}
    for source in sources:
        relative = source.path.relative_to(docs)
        if len(relative.parts) == 2 and relative.parts[0] not in known_sections and relative.parts[0] != "assets":
            yield Problem(source.display, 1, "FILE005", f"folder {relative.parts[0]!r} is not a section in data/sections.yml")
        if len(relative.parts) > 2 and relative.parts[0] != "assets":
            yield Problem(source.display, 1, "FILE005", "question pages live directly in docs/<section>/")
    for source in questions:
        by_slug.setdefault(source.page.slug, set()).add(source.page.section)
    for source in questions:
        sections_with_slug = by_slug[source.page.slug]
        if len(sections_with_slug) > 1:
            yield Problem(
                source.display,
                1,
                "FILE004",
                f"slug {source.page.slug!r} is used in several sections: {', '.join(sorted(sections_with_slug))}",
            )
        twin = _twin(source.path)
        if not twin.exists():
            yield Problem(source.display, 1, "FILE006", f"missing translation {_display(twin)}")
        related = source.page.meta.get("related") if source.page.language == bank.DEFAULT_LANGUAGE else []
        for slug in _strings(related):
            if slug not in by_slug:
                yield Problem(source.display, _key_line(source, "related"), "XREF001", f"related question {slug!r} does not exist")
            elif slug == source.page.slug:
                yield Problem(source.display, _key_line(source, "related"), "XREF002", "a question cannot be related to itself")
    yield from _check_pairs(questions)
    if docs.resolve() == bank.DOCS.resolve():  # the order in data/sections.yml names this bank's questions, not a test bank's
        yield from check_reading_order({slug: next(iter(owners)) for slug, owners in by_slug.items() if len(owners) == 1})


def check_reading_order(section_of: dict[str, str]) -> Iterator[Problem]:
    """NAV001: every question is listed once, in its own section's `order` in data/sections.yml."""
    path = bank.DATA / "sections.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    for section in bank.sections():
        line = next((n for n, text in enumerate(lines, 1) if text.strip() == f"- id: {section.id}"), 1)
        listed = set()
        for slug in section.order:
            if slug in listed:
                yield Problem(_display(path), line, "NAV001", f"{slug!r} is listed twice in the order of {section.id!r}")
            elif section_of.get(slug) != section.id:
                yield Problem(_display(path), line, "NAV001", f"{slug!r} in the order of {section.id!r} is not a question of that section")
            listed.add(slug)
        for slug in sorted(s for s, owner in section_of.items() if owner == section.id and s not in listed):
            yield Problem(_display(path), line, "NAV001", f"{slug!r} is missing from the reading order of {section.id!r}")


def _is_question(path: Path, docs: Path) -> bool:
    relative = path.relative_to(docs)
    return len(relative.parts) == 2 and relative.parts[0] in {s.id for s in bank.sections()} and relative.name.split(".")[0] != "index"


def _twin(path: Path) -> Path:
    slug = path.name.split(".")[0]
    other = "en" if bank.language_of(path) == bank.DEFAULT_LANGUAGE else bank.DEFAULT_LANGUAGE
    return path.with_name(f"{slug}.md" if other == bank.DEFAULT_LANGUAGE else f"{slug}.{other}.md")


def _check_pairs(questions: list[Source]) -> Iterator[Problem]:
    """Both languages share tags, difficulty and related; the translation records its source."""
    by_path = {source.path: source for source in questions}
    for source in questions:
        if source.page.language == bank.DEFAULT_LANGUAGE:
            continue
        original = by_path.get(_twin(source.path))
        if original is None:
            continue
        for key in ("tags", "difficulty", "related"):
            if source.page.meta.get(key) != original.page.meta.get(key):
                yield Problem(
                    source.display,
                    _key_line(source, key),
                    "FM007",
                    f"{key!r} differs from {original.display}; both languages must agree",
                )
        state = translation.state(original.page, source.page)
        if state is not translation.State.CURRENT:
            yield Problem(
                source.display,
                _key_line(source, "source_hash"),
                "TRANS001",
                f"translation may be out of date with {original.display} ({state.value}); "
                f"update it, then run: make translated PAGE={source.display}",
                warning=True,
            )


def check_template(source: Source) -> Iterator[Problem]:
    """TMPL001: `make new` writes placeholders; a page that still holds one is not finished."""
    if source.page is None:
        return
    placeholders = template.placeholder_lines(source.page.language)
    for number, line in raw_lines(source.text):
        if line.strip() in placeholders:
            yield Problem(source.display, number, "TMPL001", f"replace the template's placeholder: {line.strip()[:60]!r}")


STATIC_FOLDERS = {  # docs/assets/<folder>: what may be published besides the pages
    "images": {"png", "jpg", "jpeg", "webp", "gif"},  # no SVG: it can carry scripts and reach other hosts
    "javascripts": {"js"},  # the site's own code, reviewed as code
    "stylesheets": {"css"},
}
FILE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:\.en)?\.[a-z0-9]+")


def check_tree(docs: Path) -> Iterator[Problem]:
    """Symlinks, file names and file types under docs/ (and data/, overrides/ beside it), without following links."""
    for root in (docs, docs.parent / "data", docs.parent / "overrides"):
        for folder, folders, files in os.walk(root) if root.is_dir() else ():
            here = Path(folder)
            for name in [*folders, *files]:
                if (here / name).is_symlink():
                    yield Problem(_display(here / name), 1, "FILE009", "symbolic links are not allowed; commit the file itself")
            folders[:] = [name for name in folders if not (here / name).is_symlink()]
            if root == docs:
                yield from _check_published(docs, here, files)


def _check_published(docs: Path, folder: Path, files: list[str]) -> Iterator[Problem]:
    relative = folder.relative_to(docs).parts
    for name in files:
        path = folder / name
        if path.is_symlink():
            continue
        if not FILE_NAME.fullmatch(name):
            yield Problem(_display(path), 1, "FILE003", "file names use a-z, 0-9 and hyphens, then the extension")
        extension = name.rsplit(".", 1)[-1]
        if extension == "md" or (len(relative) == 2 and relative[0] == "assets" and extension in STATIC_FOLDERS.get(relative[1], ())):
            continue
        yield Problem(
            _display(path), 1, "FILE010", "only pages (.md) and images (png, jpg, webp, gif) in docs/assets/images/ are published"
        )


PAGE_RULES: tuple[Callable[[Source], Iterator[Problem]], ...] = (
    check_file,
    check_safety,
    check_characters,
    check_chinese_typography,
)


def run(docs: Path = bank.DOCS) -> list[Problem]:
    """Every problem in `docs`, sorted by file and line."""
    return _run(docs, PAGE_RULES, QUESTION_RULES, translation_lengths=True)


def check_translation_lengths(sources: list[Source], docs: Path) -> Iterator[Problem]:
    """TRANS002: an English page far shorter than its source is a summary or the template, not a translation."""
    questions = {source.path: source for source in sources if source.page is not None and _is_question(source.path, docs)}
    for path, source in questions.items():
        original = questions.get(_twin(path)) if source.page.language != bank.DEFAULT_LANGUAGE else None
        if original is None:
            continue
        english, chinese = spoken_units(source.page.body), spoken_units(original.page.body)
        if english < TRANSLATION_RATIO * chinese:
            message = f"the English page has {english} words for {chinese} units of Chinese; translate the whole page"
            yield Problem(source.display, source.page.body_start, "TRANS002", message)


QUESTION_RULES: tuple[Callable[[Source], Iterator[Problem]], ...] = (
    check_front_matter,
    check_structure,
    check_short_answer,
    check_template,
)


def _run(docs: Path, page_rules: tuple, question_rules: tuple, translation_lengths: bool = False) -> list[Problem]:
    sources, problems = read_sources(docs)
    if translation_lengths:
        problems.extend(check_translation_lengths(sources, docs))
    for source in sources:
        for rule in page_rules:
            problems.extend(rule(source))
        if _is_question(source.path, docs):
            for rule in question_rules:
                problems.extend(rule(source))
    problems.extend(check_bank(sources, docs))
    problems.extend(check_tree(docs))
    return sorted(set(problems))


BUILD_RULES = ("FILE", "FM", "XREF", "STRUCT005")


def build_problems(docs: Path = bank.DOCS) -> list[Problem]:
    """The problems the build refuses to build past: files it would publish or parse wrongly, broken metadata.

    Only the rules that can raise them run (not typography or safety, which the sanitiser covers in the build).
    """
    key = _tree_stamp(docs)
    if key not in _BUILD_CHECKED:  # mkdocs-static-i18n configures each language's build: check the tree once
        _BUILD_CHECKED.clear()
        problems = _run(docs, (check_file,), (check_front_matter, check_structure))
        _BUILD_CHECKED[key] = [p for p in problems if p.rule.startswith(BUILD_RULES) and not p.warning]
    return _BUILD_CHECKED[key]


_BUILD_CHECKED: dict[tuple, list[Problem]] = {}


def _tree_stamp(docs: Path) -> tuple:
    """Every file's path, size and mtime under docs/, data/ and overrides/ (symlinks not followed)."""
    stamp = []
    for root in (docs, docs.parent / "data", docs.parent / "overrides"):
        for folder, _, files in os.walk(root):
            for name in files:
                stat = os.lstat(os.path.join(folder, name))
                stamp.append((folder, name, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(stamp))
