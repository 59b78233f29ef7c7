"""`make new SECTION=<section> SLUG=<slug>`: create both language files of a new question.

The pages start from the template with front matter filled in, so they pass
the structural rules at once and the contributor only writes the answer.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from handbook import bank, checks, translation

FRONT_MATTER = """---
tags: [{tag}]
difficulty: medium
related: []
aliases: [{slug}]
reviewed: {today}
---
"""

TEMPLATE = {
    "zh": FRONT_MATTER
    + """
# 在这里写下面试官会怎么问这个问题？

## 一句话回答

用 2–4 句话回答，能在 30 秒内说完。

## 详细解答

机制、取舍和数字，每个数字都注明出处（论文、年份、机构）。

## 常见追问

??? question "面试官接下来会问什么？"

    简短回答，或链接到回答它的页面。

## 易错点

- 常见误解 → 正确说法。

## 参考资料

1. 作者，*论文标题*，会议或期刊，年份。[arXiv:0000.00000](https://arxiv.org/abs/0000.00000)
2. 项目，*官方文档标题*。[文档](https://example.org/docs)
""",
    "en": FRONT_MATTER
    + """
# Write the question here, as an interviewer would ask it?

## Short answer

Answer in 2–4 sentences that can be said in 30 seconds.

## Detailed answer

Mechanisms, trade-offs and figures, each figure with its source (paper, year, organisation).

## Follow-up questions

??? question "What does the interviewer ask next?"

    A short answer, or a link to the page that answers it.

## Common pitfalls

- A common misconception → the correct statement.

## References

1. Author. *Paper title*. Venue, year. [arXiv:0000.00000](https://arxiv.org/abs/0000.00000)
2. Project. *Official documentation title*. [Docs](https://example.org/docs)
""",
}


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
    return paths


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
    print("next: write both pages, then run `make check` and `make serve`")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
