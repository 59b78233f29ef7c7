"""Related-question report for reviewers: `python scripts/crosslink.py --report`.

Shows each question's neighbours with scores and reasons, the questions nothing
links to, and the clusters of the related graph. The same graph is what the
build injects as each page's `相关问题` / `Related questions` section.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from handbook import bank, graph


def report(docs: Path, k: int) -> str:
    questions = bank.load(docs)
    related = graph.build(questions, k)
    lines = [f"# Related questions ({len(questions)} questions, k={k})", ""]
    for slug, links in related.neighbours.items():
        lines.append(f"{slug}  [{questions[slug].section}]")
        for link in links:
            reason = "explicit" if link.explicit else ("tags: " + ", ".join(link.shared_tags) if link.shared_tags else "text")
            lines.append(f"    {link.score:6.3f}  {link.slug}  ({reason})")
    orphans = graph.orphans(related)
    lines += ["", "## Linked from nowhere", *([f"    {slug}" for slug in orphans] or ["    (none)"])]
    lines += ["", "## Clusters"]
    lines += [f"    {len(c)}: {', '.join(c)}" for c in graph.clusters(related)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=bank.DOCS)
    parser.add_argument("-k", type=int, default=graph.TOP_K, help="related questions per page")
    parser.add_argument("--report", action="store_true", help="print the human-readable report (default)")
    parser.add_argument("--json", action="store_true", help="print neighbours as JSON")
    args = parser.parse_args(argv)
    questions = bank.load(args.docs)
    dangling = graph.dangling(questions)
    for page, other in dangling:
        print(f"{page.path}: XREF001 related question {other!r} does not exist", file=sys.stderr)
    if args.json:
        related = graph.build(questions, args.k)
        print(json.dumps({s: [link.slug for link in links] for s, links in related.neighbours.items()}, indent=2))
    else:
        print(report(args.docs, args.k))
    return 1 if dangling else 0


if __name__ == "__main__":
    sys.exit(main())
