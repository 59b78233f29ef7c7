"""`make check`: report every content problem as `path:line: RULE-ID message`.

Exit status is 1 if any rule failed (warnings alone do not fail). The strict
MkDocs build runs afterwards from the Makefile and reports links and anchors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from handbook import bank, checks, translation


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=bank.DOCS, help="docs folder to check")
    parser.add_argument("--mark-translated", type=Path, metavar="PAGE", help="record that PAGE matches its source")
    args = parser.parse_args(argv)
    if args.mark_translated:
        digest = translation.mark_translated(args.mark_translated)
        print(f"{args.mark_translated}: source_hash set to {digest}")
        return 0
    problems = checks.run(args.docs)
    for problem in problems:
        print(problem)
    errors = sum(not problem.warning for problem in problems)
    print(f"{errors} error(s), {len(problems) - errors} warning(s)", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
