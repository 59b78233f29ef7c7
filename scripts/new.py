"""`make new SECTION=<section> SLUG=<slug>`: create both language files of a new question.

The pages start from the template with front matter filled in, so they pass
the structural rules at once and the contributor only writes the answer.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from handbook import bank, checks, translation
from handbook.template import TEMPLATE


class ScaffoldError(ValueError):
    pass


def create(section: str, slug: str, docs: Path = bank.DOCS) -> list[Path]:
    known = [s.id for s in bank.sections()]
    if section not in known:
        raise ScaffoldError(f"unknown section {section!r}; choose one of: {', '.join(known)}")
    if not checks.KEBAB.match(slug or ""):
        raise ScaffoldError(f"slug {slug!r} must be kebab-case: lowercase letters, digits and hyphens")
    existing = [p for p in bank.question_files(docs) if p.name.split(".")[0] == slug]
    if existing:
        raise ScaffoldError(f"slug {slug!r} already exists: {existing[0]}")
    fields = {"tag": next(iter(bank.tags())), "slug": slug, "today": datetime.date.today().isoformat()}
    paths = [docs / section / f"{slug}.md", docs / section / f"{slug}.en.md"]
    for path, language in zip(paths, bank.LANGUAGES, strict=True):
        path.write_text(TEMPLATE[language].format(**fields), encoding="utf-8")
    translation.mark_translated(paths[1])
    add_to_reading_order(docs.parent / "data" / "sections.yml", section, slug)
    return paths


def add_to_reading_order(sections_file: Path, section: str, slug: str) -> None:
    """List the new question last in its section's `order` (NAV001); move the line to where a reader should meet it."""
    if not sections_file.is_file():
        return
    lines = sections_file.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {section}")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("- id:")), len(lines))
    order = next((i for i in range(start, end) if lines[i].strip() == "order:"), None)
    if order is None:
        lines[end:end] = ["  order:\n", f"    - {slug}\n"]
    else:
        last = max([order, *(i for i in range(order, end) if lines[i].startswith("    - "))])
        lines.insert(last + 1, f"    - {slug}\n")
    sections_file.write_text("".join(lines), encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: make new SECTION=<section> SLUG=<slug>", file=sys.stderr)
        return 2
    try:
        paths = create(*argv)
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"created {path.relative_to(bank.ROOT) if path.is_relative_to(bank.ROOT) else path}")
    print(f"listed last in the reading order of {argv[0]!r} in data/sections.yml; move it where a reader should meet it")
    print("next: write both pages, then run `make check` and `make serve`")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
