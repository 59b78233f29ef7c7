"""The question bank as data: sections, tags and question pages.

One module reads the Markdown sources so that the build hooks, the checker,
the cross-linker and the exports agree on what a question is.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
DATA = ROOT / "data"
LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

HEADINGS = {
    "zh": ("一句话回答", "详细解答", "常见追问", "易错点", "参考资料"),
    "en": ("Short answer", "Detailed answer", "Follow-up questions", "Common pitfalls", "References"),
}

SHORT_ANSWER_ANCHOR = {"zh": "一句话回答", "en": "short-answer"}  # the ids the build gives HEADINGS[*][0]
RELATED_ANCHOR = {"zh": "相关问题", "en": "related-questions"}  # the id of the related-questions heading the build appends

# libyaml's loader parses front matter ~10x faster than the pure-Python one; same safe schema.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.DOTALL)
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


@dataclass(frozen=True)
class Section:
    id: str
    titles: dict[str, str]
    order: tuple[str, ...] = ()  # reading order: foundations first (checked by NAV001)


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int


@dataclass
class Page:
    """One language version of a question, as written in `docs/`."""

    path: Path
    language: str
    meta: dict
    body: str
    body_start: int  # 1-based line number of the first body line
    headings: list[Heading] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.path.name.split(".")[0]

    @property
    def section(self) -> str:
        return self.path.parent.name

    @property
    def title(self) -> str:
        return next((h.text for h in self.headings if h.level == 1), self.slug)

    def section_text(self, heading: str) -> str:
        """The Markdown under one `##` heading, up to the next `##`."""
        lines = self.body.splitlines()
        start = next((h.line for h in self.headings if h.level == 2 and h.text == heading), None)
        if start is None:
            return ""
        chunk = lines[start - self.body_start + 1 :]
        end = next((i for i, line in enumerate(chunk) if line.startswith("## ")), len(chunk))
        return "\n".join(chunk[:end])


@dataclass
class Question:
    """Both language versions of one question, keyed by its slug."""

    slug: str
    section: str
    pages: dict[str, Page]

    @property
    def difficulty(self) -> str:
        return str(self.pages[DEFAULT_LANGUAGE].meta.get("difficulty", ""))

    @property
    def tags(self) -> list[str]:
        return list(self.pages[DEFAULT_LANGUAGE].meta.get("tags") or [])

    @property
    def related(self) -> list[str]:
        return list(self.pages[DEFAULT_LANGUAGE].meta.get("related") or [])

    def title(self, language: str) -> str:
        return self.pages[language].title

    def url(self, language: str) -> str:
        """Site-relative URL of the page (directory URLs), without the language prefix."""
        return f"{self.section}/{self.slug}/"


@functools.cache
def sections() -> tuple[Section, ...]:
    raw = yaml.safe_load((DATA / "sections.yml").read_text(encoding="utf-8"))
    return tuple(Section(item["id"], {lang: item[lang] for lang in LANGUAGES}, tuple(item.get("order") or ())) for item in raw)


@functools.cache
def tags() -> dict[str, dict[str, str]]:
    return yaml.safe_load((DATA / "tags.yml").read_text(encoding="utf-8"))


def language_of(path: Path) -> str:
    parts = path.name.split(".")
    return parts[-2] if len(parts) == 3 and parts[-2] in LANGUAGES else DEFAULT_LANGUAGE


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Return (yaml text, body, 1-based line where the body starts)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return "", text, 1
    return match.group(1) or "", text[match.end() :], match.group(0).count("\n") + 1


def lines_outside_fences(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """(line number, line) for every line that is not inside (or delimiting) a fenced code block."""
    fence = ""
    for number, line in enumerate(body.splitlines(), start=first_line):
        opened = FENCE.match(line) if line.lstrip()[:1] in ("`", "~") else None  # the cheap test first: most lines are prose
        if opened:
            marker = opened.group(2)
            if not fence:
                fence = marker
            elif marker.startswith(fence[0]) and len(marker) >= len(fence):
                fence = ""
            continue
        if not fence:
            yield number, line


def parse_headings(body: str, first_line: int) -> list[Heading]:
    """ATX headings outside fenced code blocks."""
    headings = []
    for number, line in lines_outside_fences(body, first_line):
        if line.startswith("#") and (match := HEADING.match(line)):
            headings.append(Heading(len(match.group(1)), match.group(2).strip(), number))
    return headings


class FrontMatterError(yaml.YAMLError):
    """Front matter that is valid YAML but that the handbook refuses to load, with the line to blame."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


FRONT_MATTER_LIMIT = 8_000  # characters; real front matter is a few hundred
FRONT_MATTER_DEPTH = 3  # a mapping of lists of scalars, plus one level of slack


def guard_front_matter(raw: str) -> None:
    """Refuse anchors, aliases, deep nesting and size before anything is built from the YAML.

    An alias bomb expands exponentially only when constructed; the parser's
    events show the anchors without building anything.
    """
    if len(raw) > FRONT_MATTER_LIMIT:
        raise FrontMatterError(f"front matter is longer than {FRONT_MATTER_LIMIT} characters", 2)
    depth = 0
    for event in yaml.parse(raw, Loader=SAFE_LOADER):
        line = event.start_mark.line + 2 if event.start_mark else 2
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise FrontMatterError("front matter may not use YAML anchors (&) or aliases (*)", line)
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > FRONT_MATTER_DEPTH:
                raise FrontMatterError("front matter is nested too deeply: keys take a string or a list of strings", line)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def read_text(path: Path) -> str:
    """A source file's text: UTF-8 with or without a BOM, any line ending, as LF."""
    return path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def read_page(path: Path) -> Page:
    """Parse a page; YAML errors (FrontMatterError included) propagate so the caller decides how to report them.

    Parsed once per version of the file: the build's content check and the bank read the same pages.
    The Page is shared; treat it as read-only.
    """
    stat = path.stat()
    return _read_page(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8192)
def _read_page(path: Path, mtime_ns: int, size: int) -> Page:
    raw, body, start = split_front_matter(read_text(path))
    guard_front_matter(raw)
    meta = yaml.load(raw, Loader=SAFE_LOADER) if raw.strip() else {}
    return Page(path, language_of(path), meta if isinstance(meta, dict) else {}, body, start, parse_headings(body, start))


def question_files(docs: Path = DOCS) -> list[Path]:
    """Every question source file: `docs/<section>/<slug>[.en].md`, landing pages excluded."""
    known = {section.id for section in sections()}
    return sorted(path for path in docs.glob("*/*.md") if path.parent.name in known and path.name.split(".")[0] != "index")


_LOADED: dict[tuple, dict[str, Question]] = {}


def load(docs: Path = DOCS) -> dict[str, Question]:
    """All questions by slug, in section order then slug order.

    Parsed once per set of files: keyed on every question file's name, size and
    mtime, so a build's many callers (landing pages, exports, the graph) share
    one parse and `mkdocs serve` re-reads after an edit. The Question objects
    are shared between callers; treat them as read-only.
    """
    files = question_files(docs)
    key = tuple((str(path), stat.st_size, stat.st_mtime_ns) for path in files for stat in (path.stat(),))
    if key not in _LOADED:
        _LOADED.clear()
        _LOADED[key] = _parse(files)
    return dict(_LOADED[key])


def reading_rank(section_id: str, slug: str) -> tuple[int, int, str]:
    """Where a question sits in the reading order: its section, then its place in the section's `order`
    (questions not listed yet come last, by slug)."""
    ranks = {section.id: (i, section.order) for i, section in enumerate(sections())}
    position, order = ranks.get(section_id, (len(ranks), ()))
    return position, order.index(slug) if slug in order else len(order), slug


def _parse(files: list[Path]) -> dict[str, Question]:
    questions: dict[str, Question] = {}
    for path in files:
        page = read_page(path)
        question = questions.setdefault(page.slug, Question(page.slug, page.section, {}))
        question.pages[page.language] = page
    return dict(sorted(questions.items(), key=lambda item: reading_rank(item[1].section, item[0])))
