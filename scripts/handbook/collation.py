"""Sorting Chinese the way a reader looks it up: by pinyin, not by code point.

Code-point order puts 中文模型 before 指令微调 for no reason a reader can see;
dictionaries and phone contact lists order Chinese by its pinyin. Latin text
sorts case-insensitively among it (FP8 beside 分布式 under F).
"""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def reading_key(text: str) -> tuple[str, str]:
    """Pinyin without tones, then the text itself to break ties between homophones."""
    return " ".join(lazy_pinyin(text, style=Style.NORMAL, errors="default")).casefold(), text
