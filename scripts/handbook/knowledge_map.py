"""The knowledge map: the whole bank as one SVG drawn at build time.

Sections are horizontal bands (tall rather than wide, so it reads on a phone),
each question a linked circle coloured by section and sized by how many
related links it has; edges are the related-question graph. No script, no
third-party request: the SVG is inlined in the page.
"""

from __future__ import annotations

import html
import math

from handbook import bank, graph

WIDTH = 440
COLUMNS = 2
ROW_HEIGHT = 64
BAND_HEADER = 40
BAND_GAP = 16
LABEL_EM = 13.5  # label width in em at the map font size: half the map, minus the dot
COLOURS = ("#3f51b5", "#00897b", "#c2185b", "#ef6c00", "#6d4c41", "#546e7a", "#7b1fa2")


def _width(text: str) -> float:
    """Display width in em: a CJK character is one em, Latin text about half."""
    return sum(1.0 if ord(char) > 0x2E80 else 0.55 for char in text)


def _cut(text: str, width: float) -> int:
    """How many leading characters of `text` fit in `width` em."""
    used = 0.0
    for index, char in enumerate(text):
        used += _width(char)
        if used > width:
            return index
    return len(text)


def _label_lines(title: str) -> list[str]:
    """At most two lines that fit beside the dot; the second ends in an ellipsis if cut."""
    first = _cut(title, LABEL_EM)
    if first < len(title) and " " in title[:first] and _width(title) == 0.55 * len(title):  # Latin only: break between words
        first = title.rfind(" ", 0, first) + 1
    rest = title[first:].strip()
    if not rest:
        return [title]
    second = _cut(rest, LABEL_EM - 1)
    return [title[:first].strip(), rest if second == len(rest) else rest[:second] + "…"]


def layout(questions: dict[str, bank.Question]) -> tuple[dict[str, tuple[float, float]], list[tuple[bank.Section, float, float]], float]:
    """Node positions, section bands (section, top, height) and the total height."""
    positions: dict[str, tuple[float, float]] = {}
    bands = []
    top = 0.0
    column_width = WIDTH / COLUMNS
    for section in bank.sections():
        members = [slug for slug, q in questions.items() if q.section == section.id]
        rows = max(1, math.ceil(len(members) / COLUMNS))
        height = BAND_HEADER + rows * ROW_HEIGHT
        for index, slug in enumerate(members):
            row, column = divmod(index, COLUMNS)
            positions[slug] = (column_width * column + 24, top + BAND_HEADER + row * ROW_HEIGHT + 14)
        bands.append((section, top, height))
        top += height + BAND_GAP
    return positions, bands, top


def render(language: str, prefix: str = "../") -> str:
    """The SVG for one language; `prefix` leads from the map page to the site's language root."""
    questions, related = graph.for_build()
    positions, bands, height = layout(questions)
    degree = related.in_degree()
    colour = {section.id: COLOURS[i % len(COLOURS)] for i, section in enumerate(bank.sections())}
    title = {"zh": "知识地图：全部问题及其关联", "en": "Knowledge map: every question and how they connect"}[language]
    # role="group", not "img": an image's content is presentational, which would hide the links inside it.
    out = [
        f'<svg class="hb-map" viewBox="0 0 {WIDTH} {height:.0f}" role="group" aria-labelledby="hb-map-title" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="hb-map-title">{html.escape(title)}</title>'
    ]
    for section, top, band_height in bands:
        out.append(
            f'<rect x="0" y="{top:.0f}" width="{WIDTH}" height="{band_height:.0f}" rx="8" fill="{colour[section.id]}" fill-opacity="0.07"/>'
            f'<text x="10" y="{top + 24:.0f}" class="hb-map__section" fill="{colour[section.id]}">'
            f"{html.escape(section.titles[language])}</text>"
        )
    out.append('<g class="hb-map__edges">')
    for a, b in graph.iter_edges(related):
        (x1, y1), (x2, y2) = positions[a], positions[b]
        bend = 60 if abs(y2 - y1) > ROW_HEIGHT else 20
        out.append(f'<path d="M{x1:.0f},{y1:.0f} Q{(x1 + x2) / 2 + bend:.0f},{(y1 + y2) / 2:.0f} {x2:.0f},{y2:.0f}"/>')
    out.append("</g>")
    for slug, question in questions.items():
        x, y = positions[slug]
        radius = 5 + 1.5 * math.sqrt(degree[slug])
        name = question.title(language)
        lines = "".join(
            f'<tspan x="{x + radius + 6:.0f}" dy="{0 if i == 0 else 15}">{html.escape(line)}</tspan>'
            for i, line in enumerate(_label_lines(name))
        )
        out.append(
            f'<a href="{prefix}{question.section}/{slug}/"><title>{html.escape(name)}</title>'
            f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{radius:.1f}" fill="{colour[question.section]}"/>'
            f'<text x="{x + radius + 6:.0f}" y="{y + 4:.0f}" class="hb-map__label">{lines}</text></a>'
        )
    out.append("</svg>")
    return "".join(out)
