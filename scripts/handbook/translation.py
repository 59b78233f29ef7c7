"""Translation tracking: a translation records the hash of the source text it was made from.

The Chinese page is the source; its English twin carries `source_hash:` in its
front matter. When the Chinese body changes, the hash no longer matches, the
checker warns and the built English page shows a banner, so readers are never
shown a stale translation silently.
"""

from __future__ import annotations

import enum
import hashlib
import re
from pathlib import Path

from handbook import bank

HASH_LENGTH = 12


class State(enum.Enum):
    CURRENT = "current"
    UNTRACKED = "no source_hash recorded"
    STALE = "source changed since translation"


def source_hash(page: bank.Page) -> str:
    """Hash of the source body with trailing spaces and blank-line runs normalised."""
    lines = [line.rstrip() for line in page.body.strip().splitlines()]
    normalized = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def state(source: bank.Page, translated: bank.Page) -> State:
    recorded = translated.meta.get("source_hash")
    if not recorded:
        return State.UNTRACKED
    return State.CURRENT if str(recorded) == source_hash(source) else State.STALE


def source_of(translated_path: Path) -> Path:
    return translated_path.with_name(translated_path.name.split(".")[0] + ".md")


def mark_translated(translated_path: Path) -> str:
    """Record the current source hash in the translation's front matter; returns the hash."""
    digest = source_hash(bank.read_page(source_of(translated_path)))
    text = translated_path.read_text(encoding="utf-8")
    raw, body, _ = bank.split_front_matter(text)
    lines = [line for line in raw.splitlines() if not line.startswith("source_hash:")]
    lines.append(f"source_hash: {digest}")
    translated_path.write_text("---\n" + "\n".join(lines) + "\n---\n" + body, encoding="utf-8")
    return digest
