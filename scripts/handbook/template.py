"""The scaffold `make new` writes: front matter and headings filled in, placeholders to replace.

Kept apart from `new.py` so that the checker can recognise a placeholder left unreplaced (TMPL001).
"""

from __future__ import annotations

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


def placeholder_lines(language: str) -> frozenset[str]:
    """The scaffold's own sentences, title and references: a page that still holds one was not finished."""
    _, _, body = TEMPLATE[language].partition("\n---\n")
    return frozenset(line.strip() for line in body.splitlines() if line.strip() and not line.startswith("## "))
