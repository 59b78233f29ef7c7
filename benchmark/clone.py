"""Synthetic question banks for `make bench`: N clones of the real question pages.

Budgets are about how the pipeline scales, and the real bank is too small to
show that, so the benchmark clones it. A clone must look to the build like a
real question, or the figures measure a different site:

- unique slugs (`<slug>-c0042`) and H1s, so pages, nav entries and search
  entries do not collapse into each other;
- `related:` and in-body links pointing at clones that exist, so the graph and
  the link validator work on a consistent bank instead of warning on every page;
- the clone stays in its source's section, so sections stay balanced;
- a translation that was current stays current (its `source_hash` is
  recomputed), so the clone does not grow an "out of date" banner the
  original lacks.

Only questions with both language files are cloned: a half-written question
from a content writer would otherwise break every synthetic build.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from handbook import bank, translation

LINK = re.compile(r"(?<!!)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(([^)\s]+)\)")
H1 = re.compile(r"^# (.+?)[ \t]*$", re.MULTILINE)
PROJECT_PARTS = ("mkdocs.yml", "data", "overrides", "scripts")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc")


@dataclass(frozen=True)
class Source:
    """One real question with both language files, read once and cloned many times."""

    slug: str
    section: str
    texts: dict[str, str]  # language -> file text

    @cached_property
    def current_translation(self) -> bool:
        """Whether the English page records the hash of the Chinese page as it is now."""
        zh, en = (page_of(self.texts[lang], lang) for lang in bank.LANGUAGES)
        return translation.state(zh, en) is translation.State.CURRENT


@dataclass(frozen=True)
class Clone:
    number: int
    round: int
    source: Source

    @property
    def slug(self) -> str:
        return f"{self.source.slug}-c{self.number:04d}"


def page_of(text: str, language: str) -> bank.Page:
    """A `bank.Page` parsed from text rather than a file (clones exist only in memory at first)."""
    raw, body, start = bank.split_front_matter(text)
    meta = yaml.safe_load(raw) if raw.strip() else {}
    return bank.Page(Path(), language, meta or {}, body, start, bank.parse_headings(body, start))


def sources(docs: Path = bank.DOCS) -> list[Source]:
    """Questions that have every language file, in the bank's order."""
    by_slug: dict[str, dict[str, Path]] = {}
    for path in bank.question_files(docs):
        by_slug.setdefault(path.name.split(".")[0], {})[bank.language_of(path)] = path
    return [
        Source(slug, files[bank.DEFAULT_LANGUAGE].parent.name, {lang: files[lang].read_text(encoding="utf-8") for lang in bank.LANGUAGES})
        for slug, files in sorted(by_slug.items())
        if set(files) == set(bank.LANGUAGES)
    ]


def plan(originals: list[Source], n: int) -> list[Clone]:
    """N clones, cycling through the originals so every section grows at the same rate."""
    if not originals:
        raise ValueError("no question has both language files; nothing to clone")
    return [Clone(i, i // len(originals), originals[i % len(originals)]) for i in range(n)]


def lookup_table(clones: Iterable[Clone]) -> dict[tuple[str, int], str]:
    return {(clone.source.slug, clone.round): clone.slug for clone in clones}


def target_of(table: Mapping[tuple[str, int], str], slug: str, round_: int) -> str | None:
    """The clone that stands for original `slug` seen from a clone of round `round_`.

    Same round first, so each round is a faithful copy of the real bank's
    link structure; round 0 otherwise (the last round is partial).
    """
    return table.get((slug, round_)) or table.get((slug, 0))


def set_key(raw: str, key: str, value: str | None) -> str:
    """Replace one top-level front-matter key (flow or block style) without re-dumping the rest."""
    kept: list[str] = []
    skipping = False
    for line in raw.splitlines():
        if skipping and (line.startswith((" ", "\t", "-")) or not line.strip()):
            continue
        skipping = line.startswith(f"{key}:")
        if not skipping:
            kept.append(line)
    if value is not None:
        kept.append(f"{key}: {value}")
    return "\n".join(kept) + "\n"


def rewrite_related(related: Iterable[str], clone: Clone, table: Mapping[tuple[str, int], str]) -> list[str]:
    result: list[str] = []
    for slug in related:
        target = target_of(table, str(slug), clone.round)
        if target and target != clone.slug and target not in result:
            result.append(target)
    return result


def rewrite_links(body: str, clone: Clone, table: Mapping[tuple[str, int], str], exists: Callable[[str], bool]) -> str:
    """Point question links at clones; turn links to pages absent from the clone into plain text."""
    sections = {section.id for section in bank.sections()}
    originals = {slug for slug, _ in table}

    def replace(match: re.Match) -> str:
        text, target = match.group(1), match.group(2)
        path, hash_, anchor = target.partition("#")
        if not path.endswith(".md") or re.match(r"^[a-z][a-z0-9+.-]*:", path):
            return match.group(0)
        resolved = posixpath.normpath(posixpath.join(clone.source.section, path))
        section, _, name = resolved.rpartition("/")
        slug = name.removesuffix(".md")
        if section in sections and slug != "index" and "/" not in section:
            new = target_of(table, slug, clone.round) if slug in originals else None
            return f"[{text}](../{section}/{new}.md{hash_}{anchor})" if new else text
        return match.group(0) if exists(resolved) else text

    return LINK.sub(replace, body)


def clone_text(text: str, language: str, clone: Clone, table: Mapping[tuple[str, int], str], exists: Callable[[str], bool]) -> str:
    """One language file of a clone: unique H1, rewritten `related:` and links."""
    raw, body, _ = bank.split_front_matter(text)
    meta = yaml.safe_load(raw) if raw.strip() else {}
    related = rewrite_related((meta or {}).get("related") or [], clone, table)
    raw = set_key(raw, "related", f"[{', '.join(related)}]" if related else None)
    body = H1.sub(lambda m: f"# {m.group(1)} (c{clone.number:04d})", body, count=1)
    body = rewrite_links(body, clone, table, exists)
    return f"---\n{raw}---\n{body}"


def clone_files(clone: Clone, table: Mapping[tuple[str, int], str], exists: Callable[[str], bool]) -> dict[str, str]:
    """Both language files of a clone, keyed by path relative to `docs/`."""
    texts = {lang: clone_text(clone.source.texts[lang], lang, clone, table, exists) for lang in bank.LANGUAGES}
    if clone.source.current_translation:
        digest = translation.source_hash(page_of(texts[bank.DEFAULT_LANGUAGE], bank.DEFAULT_LANGUAGE))
        for lang in bank.LANGUAGES:
            if lang != bank.DEFAULT_LANGUAGE:
                raw, body, _ = bank.split_front_matter(texts[lang])
                texts[lang] = f"---\n{set_key(raw, 'source_hash', repr(digest))}---\n{body}"
    return {
        f"{clone.source.section}/{clone.slug}{'' if lang == bank.DEFAULT_LANGUAGE else '.' + lang}.md": text for lang, text in texts.items()
    }


def non_question_files(docs: Path) -> list[Path]:
    """Everything under docs/ the build needs besides questions: home, landing pages, map, tags, assets."""
    questions = set(bank.question_files(docs))
    return sorted(path for path in docs.rglob("*") if path.is_file() and path not in questions)


def write_docs(target: Path, n: int, docs: Path = bank.DOCS, originals: list[Source] | None = None) -> list[Clone]:
    """Write a complete docs/ folder with N cloned questions (2N pages); returns the clones."""
    originals = sources(docs) if originals is None else originals
    shutil.rmtree(target, ignore_errors=True)
    kept = non_question_files(docs)
    for path in kept:
        destination = target / path.relative_to(docs)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
    present = {path.relative_to(docs).as_posix() for path in kept}
    clones = plan(originals, n)
    table = lookup_table(clones)
    for clone in clones:
        for relative, text in clone_files(clone, table, present.__contains__).items():
            (target / relative).write_text(text, encoding="utf-8")
    return clones


def write_project(target: Path, n: int, root: Path = bank.ROOT, originals: list[Source] | None = None) -> list[Clone]:
    """A buildable copy of the project with a synthetic bank.

    `scripts/` is copied too because `handbook.bank` finds `docs/` from its own
    file location: the hooks must read the scratch docs, not the real ones. The
    vendored KaTeX/Mermaid cache is linked, not copied, so no build downloads.
    """
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source, destination = root / part, target / part
        if destination.is_dir():
            shutil.rmtree(destination)
        if source.is_dir():
            shutil.copytree(source, destination, ignore=IGNORED)
        else:
            shutil.copy2(source, destination)
    _link_vendor_cache(root, target)
    return write_docs(target / "docs", n, root / "docs", originals)


def _link_vendor_cache(root: Path, target: Path) -> None:
    cache = root / ".cache" / "vendor"
    cache.mkdir(parents=True, exist_ok=True)
    link = target / ".cache" / "vendor"
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.exists():
        link.unlink() if link.is_symlink() else shutil.rmtree(link)
    os.symlink(cache, link, target_is_directory=True)


def extension_block(config_text: str) -> str:
    """The `markdown_extensions:` block of a mkdocs.yml, verbatim (it holds `!!python` tags yaml.safe_load refuses)."""
    lines = config_text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("markdown_extensions:")), None)
    if start is None:
        return ""
    end = next((i for i in range(start + 1, len(lines)) if lines[i] and not lines[i].startswith((" ", "\t", "#"))), len(lines))
    return "\n".join(lines[start:end]).rstrip() + "\n"


def minimal_config(project_config: str, site_dir: str = "site-minimal") -> str:
    """A stock Material site over the same pages: no hooks, no tags, stock search, same Markdown extensions.

    Search stays on because a bare `theme: material` site has it by default;
    the comparison then charges the project only for what it adds.
    """
    return (
        "site_name: 大模型面试手册\n"
        f"site_dir: {site_dir}\n"
        # System fonts, as in the project: Google Fonts would only time a CDN many readers cannot reach.
        "theme:\n  name: material\n  language: zh\n  font: false\n"
        "plugins:\n"
        "  - search\n"
        "  - i18n:\n"
        "      docs_structure: suffix\n"
        "      fallback_to_default: false\n"
        "      reconfigure_material: true\n"
        "      reconfigure_search: true\n"
        "      languages:\n"
        "        - {locale: zh, default: true, name: 简体中文, build: true}\n"
        "        - {locale: en, name: English, build: true}\n" + extension_block(project_config)
    )
