"""Content rules for contributed pages. Each rule has a stable ID that the style guide cites.

Contributed Markdown is untrusted. Every rule reports *all* its findings as
`path:line: RULE-ID message`, so a contributor fixes everything in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from handbook import bank, translation

ALLOWED_KEYS = {"tags", "difficulty", "related", "aliases", "reviewed", "source_hash"}
REQUIRED_KEYS = ("tags", "difficulty", "aliases", "reviewed")
DIFFICULTIES = ("easy", "medium", "hard")
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CJK = r"\u3400-\u4dbf\u4e00-\u9fff"

FORBIDDEN_TAGS = re.compile(r"<\s*/?\s*(script|iframe|object|embed|style|form|link|meta|base|svg)\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\s(on[a-z]+)\s*=", re.IGNORECASE)
UNSAFE_URL = re.compile(
    r"\]\(\s*<?\s*((?:javascript|data|vbscript):)|\b(?:href|src)\s*=\s*[\"']?\s*((?:javascript|data|vbscript):)",
    re.IGNORECASE,
)
REMOTE_RESOURCE = re.compile(
    r"!\[[^\]]*\]\(\s*<?((?:https?:)?//[^)\s>]+)|<(?:img|video|audio|source|track|input)\b[^>]*\bsrc\s*=\s*[\"']?((?:https?:)?//[^\"'\s>]+)",
    re.IGNORECASE,
)
LOOKALIKES = re.compile(r"[\u2e80-\u2eff\u2f00-\u2fdf\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u200b-\u200d\u2060\ufeff]")
MISSING_SPACE = re.compile(rf"[{CJK}][A-Za-z0-9]|[A-Za-z0-9][{CJK}]")
HALF_WIDTH_PUNCT = re.compile(rf"[{CJK}][,;:?!]|[{CJK}]\.(?=\s|$)|[{CJK}][()]|[()][{CJK}]")
LINK_TARGET = re.compile(r"(!?\[[^\]]*\])\([^)]*\)")
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


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def read_sources(docs: Path) -> tuple[list[Source], list[Problem]]:
    sources, problems = [], []
    for path in sorted(docs.rglob("*.md")):
        display = _display(path)
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(Problem(display, 1, "FILE001", f"not valid UTF-8 ({error.reason} at byte {error.start})"))
            continue
        try:
            page = bank.read_page(path)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 2 if mark else 1
            problems.append(Problem(display, line, "FM001", f"front matter is not valid YAML: {error}".splitlines()[0]))
            page = None
        sources.append(Source(path, display, text, page))
    return sources, problems


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


def check_safety(source: Source) -> Iterator[Problem]:
    for number, line in raw_lines(source.text):
        if match := FORBIDDEN_TAGS.search(line):
            yield Problem(source.display, number, "SAFE001", f"<{match.group(1).lower()}> is not allowed in pages")
        if match := EVENT_HANDLER.search(line):
            yield Problem(source.display, number, "SAFE002", f"event-handler attribute {match.group(1)}= is not allowed")
        if match := UNSAFE_URL.search(line):
            scheme = (match.group(1) or match.group(2)).lower()
            yield Problem(source.display, number, "SAFE003", f"{scheme} URLs are not allowed in links")
        if match := REMOTE_RESOURCE.search(line):
            url = match.group(1) or match.group(2)
            yield Problem(
                source.display,
                number,
                "SAFE004",
                f"resource loaded from another host ({url}); keep images in docs/assets/",
            )


def check_characters(source: Source) -> Iterator[Problem]:
    for number, line in prose_lines(source.text):
        for match in LOOKALIKES.finditer(line):
            char = match.group(0)
            yield Problem(source.display, number, "TYPO001", f"look-alike character U+{ord(char):04X}; type the plain character")


def check_chinese_typography(source: Source) -> Iterator[Problem]:
    if bank.language_of(source.path) != "zh":
        return
    for number, line in prose_lines(source.text):
        if match := MISSING_SPACE.search(line):
            yield Problem(source.display, number, "TYPO002", f"add a space between Chinese and Latin text: {match.group(0)!r}")
        if match := HALF_WIDTH_PUNCT.search(line):
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
    for key in sorted(set(meta) - ALLOWED_KEYS):
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
    tags = meta.get("tags") if isinstance(meta.get("tags"), list) else []
    for tag in tags:
        if tag not in bank.tags():
            yield Problem(source.display, _key_line(source, "tags"), "FM004", f"tag {tag!r} is not in data/tags.yml")


def check_structure(source: Source) -> Iterator[Problem]:
    page = source.page
    if page is None:
        return
    titles = [h for h in page.headings if h.level == 1]
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
        for slug in related if isinstance(related, list) else []:
            if slug not in by_slug:
                yield Problem(source.display, _key_line(source, "related"), "XREF001", f"related question {slug!r} does not exist")
            elif slug == source.page.slug:
                yield Problem(source.display, _key_line(source, "related"), "XREF002", "a question cannot be related to itself")
    yield from _check_pairs(questions)


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


PAGE_RULES: tuple[Callable[[Source], Iterator[Problem]], ...] = (
    check_file,
    check_safety,
    check_characters,
    check_chinese_typography,
)


def run(docs: Path = bank.DOCS) -> list[Problem]:
    """Every problem in `docs`, sorted by file and line."""
    sources, problems = read_sources(docs)
    for source in sources:
        for rule in PAGE_RULES:
            problems.extend(rule(source))
        if _is_question(source.path, docs):
            problems.extend(check_front_matter(source))
            problems.extend(check_structure(source))
            problems.extend(check_short_answer(source))
    problems.extend(check_bank(sources, docs))
    return sorted(set(problems))
