"""Related questions: explicit `related:` links made mutual, filled up by computed neighbours.

Neighbours come from shared tags and text similarity over *both* languages, so
a question's Chinese and English pages list the same related questions. The
text features are TF-IDF over a question's most telling parts (title, aliases,
short answer, sub-headings), plus one feature per tag; a score is the dot
product of two questions' feature rows. Scores are computed as sparse matrix
products a block of rows at a time (scipy), so memory grows with the number
of (question, term) pairs, never n×n, and 10,000 questions take seconds.
"""

from __future__ import annotations

import gc
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import rjieba
from scipy import sparse

from handbook import bank

TOP_K = 5
CLUSTER_MIN_SCORE = 0.3
TAG_WEIGHT = 0.15
TERMS_PER_QUESTION = 40
MAX_DOCUMENT_FREQUENCY = 0.2
BLOCK = 256  # rows of the score matrix held at once
TERMS = bank.DATA / "search-terms.txt"
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
LATIN_WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*|[0-9]+[a-z]+")
STOP_WORDS = frozenset(
    """a an and are as at be by can do does for from how in is it its of on or the to what when which why with
    this that these those than into vs not""".split()
)
CJK_STOP = frozenset("的 了 是 在 和 与 有 为 什么 如何 哪些 怎么 一个 以及 还是 之间 区别 主要 进行 可以".split())


@dataclass(frozen=True)
class Link:
    slug: str
    score: float
    explicit: bool
    shared_tags: tuple[str, ...]


@dataclass
class Graph:
    neighbours: dict[str, list[Link]] = field(default_factory=dict)

    def in_degree(self) -> Counter:
        return Counter(link.slug for links in self.neighbours.values() for link in links)


@cache
def normalize_word(word: str) -> str:
    """Fold English inflections so `optimizers`/`optimizer` and `quantize`/`quantized`/`quantizing` meet."""
    word = word.replace("-", "")
    for suffix, keep in (("ization", "ize"), ("isation", "ize"), ("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)] + keep
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


@cache
def segmenter() -> rjieba.Jieba:
    """jieba's dictionary and algorithm in its Rust port (~10x faster), plus the domain terms search uses.

    Loading the terms here, rather than relying on what the search plugin may
    have loaded into the `jieba` module, makes a build and `crosslink.py
    --report` cut Chinese the same way.
    """
    segments = rjieba.Jieba()
    for line in TERMS.read_text(encoding="utf-8").splitlines():
        word, *rest = line.split() or [""]
        if word:
            segments.add_word(word, int(rest[0]) if rest else None, rest[1] if len(rest) > 1 else None)
    return segments


@cache
def latin_term(word: str) -> str:
    """A Latin word as the graph counts it, or "" for a stop word (cached: the vocabulary is small)."""
    return "" if word in STOP_WORDS else normalize_word(word)


def tokens(text: str) -> list[str]:
    """Words of a mixed Chinese/English text: jieba for Chinese runs, normalised Latin words."""
    lowered = text.lower()
    words = [term for term in map(latin_term, LATIN_WORD.findall(lowered)) if term]
    runs = CJK_RUN.findall(lowered)
    if runs:  # one call for all runs: jieba cuts at the spaces anyway, and each call has a cost
        words += [w for w in segmenter().cut(" ".join(runs), False) if len(w) > 1 and w not in CJK_STOP]
    return words


def term_counts(question: bank.Question) -> Counter:
    """Words of the parts of both pages that say what a question is about; title words count thrice."""
    words: list[str] = []
    for page in question.pages.values():
        parts = [str(alias) for alias in page.meta.get("aliases") or []]
        parts.append(page.section_text(bank.HEADINGS[page.language][0]))
        parts.extend(h.text for h in page.headings if h.level == 3)
        words += tokens(page.title) * 3 + tokens("\n".join(parts))
    return Counter(words)


def term_weights(slugs: list[str], counts: Mapping[str, Counter]) -> sparse.csr_matrix:
    """Unit-length TF-IDF rows, each pruned to its strongest terms (ties on the term); very common terms dropped.

    Columns are the terms in sorted order, so every later sum runs in one order
    whatever order the questions came in.
    """
    terms = sorted({term for slug in slugs for term in counts[slug]})
    column_of = {term: i for i, term in enumerate(terms)}
    sizes = [len(counts[slug]) for slug in slugs]
    rows = np.repeat(np.arange(len(slugs)), sizes)
    columns = np.fromiter((column_of[t] for slug in slugs for t in counts[slug]), dtype=np.int64, count=sum(sizes))
    tf = np.fromiter((n for slug in slugs for n in counts[slug].values()), dtype=np.float64, count=sum(sizes))
    df = np.bincount(columns, minlength=len(terms))
    kept = df[columns] <= max(2, MAX_DOCUMENT_FREQUENCY * len(slugs))
    rows, columns, tf = rows[kept], columns[kept], tf[kept]
    weights = (1 + np.log(tf)) * np.log(1 + len(slugs) / df[columns])
    order = np.lexsort((columns, -weights, rows))
    rows, columns, weights = rows[order], columns[order], weights[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows)
    strongest = rank < TERMS_PER_QUESTION
    rows, columns, weights = rows[strongest], columns[strongest], weights[strongest]
    norms = np.sqrt(np.bincount(rows, weights * weights, minlength=len(slugs)))
    weights /= np.where(norms > 0, norms, 1.0)[rows]
    return sparse.csr_matrix((weights, (rows, columns)), shape=(len(slugs), len(terms)))


def tag_features(slugs: list[str], tags: Mapping[str, frozenset[str]]) -> sparse.csr_matrix:
    """One column per tag, weighted so that a dot product adds TAG_WEIGHT per shared tag."""
    names = {tag: i for i, tag in enumerate(sorted({t for slug in slugs for t in tags[slug]}))}
    rows = [i for i, slug in enumerate(slugs) for _ in tags[slug]]
    columns = [names[t] for slug in slugs for t in sorted(tags[slug])]
    weights = np.full(len(rows), math.sqrt(TAG_WEIGHT))
    return sparse.csr_matrix((weights, (rows, columns)), shape=(len(slugs), len(names)))


def feature_matrix(slugs: list[str], questions: Mapping[str, bank.Question], tags: Mapping[str, frozenset[str]]) -> sparse.csr_matrix:
    """Rows whose dot products are the scores: text cosine + TAG_WEIGHT x shared tags."""
    text = term_weights(slugs, {slug: term_counts(questions[slug]) for slug in slugs})
    matrix = sparse.hstack([text, tag_features(slugs, tags)], format="csr")
    matrix.sort_indices()
    return matrix


def pair_scores(matrix: sparse.csr_matrix, pairs: list[tuple[int, int]]) -> list[float]:
    """Chosen entries of the score matrix, summed in the same order as the block products."""
    if not pairs:
        return []
    left, right = zip(*pairs, strict=True)
    products = matrix[list(left)].multiply(matrix[list(right)]).tocsr()
    products.sort_indices()
    return np.round(np.asarray(products.sum(axis=1)).ravel(), 6).tolist()


def best_columns(matrix: sparse.csr_matrix, row: int, excluded: Iterable[int], count: int) -> list[tuple[int, float]]:
    """(column, score) of the `count` best scores > 0 in a row, ties on the lower column, i.e. the slug first in order."""
    start, end = matrix.indptr[row], matrix.indptr[row + 1]
    columns, scores = matrix.indices[start:end], matrix.data[start:end]
    keep = scores > 0
    for column in excluded:
        keep &= columns != column
    columns, scores = columns[keep], scores[keep]
    if count <= 0:
        return []
    if len(scores) > count:
        tied = scores >= np.partition(scores, len(scores) - count)[len(scores) - count]
        columns, scores = columns[tied], scores[tied]
    order = np.lexsort((columns, -scores))[:count]
    return list(zip(columns[order].tolist(), scores[order].tolist(), strict=True))


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cycle collector, which the graph's millions of short-lived words trigger.

    Each collection re-scans every object of the loaded bank (10% of the time at
    10,000 questions) and finds nothing: the graph creates no reference cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build(questions: Mapping[str, bank.Question], k: int = TOP_K) -> Graph:
    """Compute every question's related list. Deterministic: ties break on slug order.

    Scores are sparse products taken BLOCK rows at a time, so memory grows with
    the bank, never n x n, and only the chosen few of a row become `Link`s.
    """
    with cycle_collection_paused():
        return _build(questions, k)


def _build(questions: Mapping[str, bank.Question], k: int) -> Graph:
    slugs = sorted(questions)
    index = {slug: i for i, slug in enumerate(slugs)}
    tags = {slug: frozenset(questions[slug].tags) for slug in slugs}
    matrix = feature_matrix(slugs, questions, tags)
    pairs = [(slug, other) for slug, others in sorted(mutual_explicit_links(questions).items()) for other in sorted(others)]
    explicit: dict[str, list[Link]] = {slug: [] for slug in slugs}
    for (slug, other), score in zip(pairs, pair_scores(matrix, [(index[a], index[b]) for a, b in pairs]), strict=True):
        explicit[slug].append(Link(other, score, True, tuple(sorted(tags[slug] & tags[other]))))
    transposed = matrix.T.tocsr()
    graph = Graph()
    for start in range(0, len(slugs), BLOCK):
        scores = (matrix[start : start + BLOCK] @ transposed).tocsr()
        scores.data = np.round(scores.data, 6)
        for offset, slug in enumerate(slugs[start : start + BLOCK]):
            mine = sorted(explicit[slug], key=lambda link: (-link.score, link.slug))
            others = best_columns(scores, offset, [index[slug], *(index[link.slug] for link in mine)], k - len(mine))
            graph.neighbours[slug] = mine + [Link(slugs[c], s, False, tuple(sorted(tags[slug] & tags[slugs[c]]))) for c, s in others]
    return graph


def mutual_explicit_links(questions: Mapping[str, bank.Question]) -> dict[str, set[str]]:
    """If A lists B in `related:`, B shows A too. Unknown slugs are the checker's job (XREF001)."""
    links: dict[str, set[str]] = {slug: set() for slug in questions}
    for slug, question in questions.items():
        for other in question.related:
            if other in questions and other != slug:
                links[slug].add(other)
                links[other].add(slug)
    return links


def dangling(questions: Mapping[str, bank.Question]) -> list[tuple[bank.Page, str]]:
    """(page, slug) for every `related:` entry that names no question."""
    return [
        (page, other)
        for question in questions.values()
        for page in question.pages.values()
        for other in page.meta.get("related") or []
        if other not in questions
    ]


def clusters(graph: Graph) -> list[list[str]]:
    """Groups of questions joined by strong *mutual* related links, largest first.

    With every link, a bank of a few dozen questions is one component; keeping
    only pairs that list each other with a score of at least CLUSTER_MIN_SCORE
    shows the topics that really hang together (on the v1 bank: systems, NLP
    and alignment, vision, PEFT), and a question left alone is worth a look.
    """
    scores = {slug: {link.slug: link.score for link in links} for slug, links in graph.neighbours.items()}
    adjacency = {
        slug: {other for other, score in row.items() if min(score, scores.get(other, {}).get(slug, 0.0)) >= CLUSTER_MIN_SCORE}
        for slug, row in scores.items()
    }
    seen: set[str] = set()
    components = []
    for start in sorted(adjacency):
        if start in seen:
            continue
        stack, component = [start], []
        seen.add(start)
        while stack:
            node = stack.pop()
            component.append(node)
            for other in sorted(adjacency[node] - seen):
                seen.add(other)
                stack.append(other)
        components.append(sorted(component))
    return sorted(components, key=lambda c: (-len(c), c))


def orphans(graph: Graph) -> list[str]:
    """Questions that no other question lists as related."""
    degree = graph.in_degree()
    return sorted(slug for slug in graph.neighbours if degree[slug] == 0)


def explain(link: Link, tag_labels: Mapping[str, Mapping[str, str]], language: str) -> str:
    """Why a computed link is there, in a few words; an author's own `related:` link needs no reason ("")."""
    words = {"zh": ("共同标签：", "内容相近"), "en": ("shared tags: ", "similar content")}
    shared, similar = words[language]
    if link.explicit:
        return ""
    if link.shared_tags:
        separator = "、" if language == "zh" else ", "
        return shared + separator.join(tag_labels[t][language] for t in link.shared_tags)
    return similar


def iter_edges(graph: Graph) -> Iterable[tuple[str, str]]:
    """Undirected edges, each once, in a stable order."""
    seen = set()
    for slug in sorted(graph.neighbours):
        for link in graph.neighbours[slug]:
            edge = tuple(sorted((slug, link.slug)))
            if edge not in seen:
                seen.add(edge)
                yield edge


_CACHE: dict[tuple, tuple[dict[str, bank.Question], Graph]] = {}


def for_build(docs=bank.DOCS, *, check: bool = True) -> tuple[dict[str, bank.Question], Graph]:
    """The bank and its graph, computed once per build however many languages or pages ask.

    Keyed on every question file's name, size and mtime, so `mkdocs serve`
    recomputes after an edit and reuses the result otherwise. That check reads
    every file's metadata, so a caller that runs once per page passes
    `check=False` and gets what this build already checked: every build, serve
    rebuilds included, checks first (`on_config` -> `pages.refuse_dangling_related`).
    Without it, N pages x N files made the build quadratic.
    """
    if not check:
        cached = next((value for key, value in _CACHE.items() if key[0] == str(docs)), None)
        if cached is not None:
            return cached
    files = bank.question_files(docs)
    key = (str(docs), tuple((str(path), stat.st_size, stat.st_mtime_ns) for path in files for stat in (path.stat(),)))
    if key not in _CACHE:
        _CACHE.clear()
        questions = bank.load(docs)
        _CACHE[key] = (questions, build(questions))
    return _CACHE[key]
