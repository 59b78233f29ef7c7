"""Related questions: explicit `related:` links made mutual, filled up by computed neighbours.

Neighbours come from shared tags and text similarity over *both* languages, so
a question's Chinese and English pages list the same related questions. The
text features are TF-IDF over a question's most telling parts (title, aliases,
short answer, sub-headings, tags), compared through an inverted index: memory
grows with the number of (question, term) pairs, never n×n.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from handbook import bank

TOP_K = 5
CLUSTER_MIN_SCORE = 0.3
TAG_WEIGHT = 0.15
TERMS_PER_QUESTION = 40
MAX_DOCUMENT_FREQUENCY = 0.2
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
LATIN_WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*|\d+[a-z]+")
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


def normalize_word(word: str) -> str:
    """Fold English inflections so `optimizers`/`optimizer`, `quantized`/`quantize` meet."""
    word = word.replace("-", "")
    for suffix, keep in (("ization", "ize"), ("isation", "ize"), ("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + keep
    return word


def tokens(text: str) -> list[str]:
    """Words of a mixed Chinese/English text: jieba for Chinese runs, normalised Latin words."""
    import jieba

    lowered = text.lower()
    words = [normalize_word(w) for w in LATIN_WORD.findall(lowered) if w not in STOP_WORDS]
    for run in CJK_RUN.findall(lowered):
        words.extend(w for w in jieba.lcut(run, HMM=False) if len(w) > 1 and w not in CJK_STOP)
    return words


def telling_text(question: bank.Question) -> str:
    """The parts of both pages that say what a question is about."""
    parts: list[str] = []
    for page in question.pages.values():
        parts.append(page.title * 3)
        parts.extend(str(alias) for alias in page.meta.get("aliases") or [])
        parts.append(page.section_text(bank.HEADINGS[page.language][0]))
        parts.extend(h.text for h in page.headings if h.level == 3)
    return "\n".join(parts)


def term_vectors(texts: Mapping[str, str]) -> dict[str, dict[str, float]]:
    """Unit-length TF-IDF vectors, each pruned to its strongest terms; very common terms dropped."""
    counts = {slug: Counter(tokens(text)) for slug, text in texts.items()}
    frequency = Counter(term for counter in counts.values() for term in counter)
    total = len(counts)
    limit = max(2, MAX_DOCUMENT_FREQUENCY * total)
    vectors = {}
    for slug, counter in counts.items():
        weights = {
            term: (1 + math.log(n)) * math.log(1 + total / frequency[term]) for term, n in counter.items() if frequency[term] <= limit
        }
        strongest = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:TERMS_PER_QUESTION]
        norm = math.sqrt(sum(w * w for _, w in strongest)) or 1.0
        vectors[slug] = {term: w / norm for term, w in strongest}
    return vectors


def postings_of(vectors: Mapping[str, dict[str, float]]) -> dict[str, list[tuple[str, float]]]:
    """Term -> [(slug, weight)]: the inverted index the similarity rows are read through."""
    postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for slug, vector in vectors.items():
        for term, weight in vector.items():
            postings[term].append((slug, weight))
    return postings


def similarity_row(slug: str, vector: Mapping[str, float], postings: Mapping[str, list[tuple[str, float]]]) -> dict[str, float]:
    """Cosine similarity of one question to every question sharing a term with it."""
    row: dict[str, float] = defaultdict(float)
    for term, weight in vector.items():
        for other, other_weight in postings[term]:
            if other != slug:
                row[other] += weight * other_weight
    return row


def similarities(vectors: Mapping[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """Cosine similarity through an inverted index: only pairs sharing a term are visited."""
    postings = postings_of(vectors)
    return {slug: similarity_row(slug, vector, postings) for slug, vector in vectors.items()}


def tag_index(questions: Mapping[str, bank.Question]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = defaultdict(list)
    for slug, question in questions.items():
        for tag in dict.fromkeys(question.tags):
            index[tag].append(slug)
    return index


def build(questions: Mapping[str, bank.Question], k: int = TOP_K) -> Graph:
    """Compute every question's related list. Deterministic: ties break on slug order.

    Candidates are ranked on their score alone and a `Link` is made only for
    the chosen few, and each question's similarity row is dropped once used:
    with thousands of questions, every question has thousands of candidates.
    """
    explicit = mutual_explicit_links(questions)
    vectors = term_vectors({slug: telling_text(q) for slug, q in questions.items()})
    postings = postings_of(vectors)
    by_tag = tag_index(questions)
    graph = Graph()
    for slug in sorted(questions):
        text_scores = similarity_row(slug, vectors[slug], postings)
        shared = shared_tag_counts(slug, questions[slug].tags, by_tag)
        graph.neighbours[slug] = _choose(questions, slug, text_scores, shared, explicit[slug], k)
    return graph


def shared_tag_counts(slug: str, tags: Iterable[str], by_tag: Mapping[str, list[str]]) -> Counter:
    """How many distinct tags each other question shares with this one."""
    counts: Counter = Counter()
    for tag in dict.fromkeys(tags):
        counts.update(by_tag[tag])
    counts.pop(slug, None)
    return counts


def _choose(
    questions: Mapping[str, bank.Question],
    slug: str,
    text_scores: Mapping[str, float],
    shared: Mapping[str, int],
    explicit: set[str],
    k: int,
) -> list[Link]:
    """Every explicit link, then the best-scoring others (score > 0) up to k; same order and scores as `_link`."""

    def score(other: str) -> float:
        return round(text_scores.get(other, 0.0) + TAG_WEIGHT * shared.get(other, 0), 6)

    chosen = sorted(
        (_link(questions, slug, other, text_scores.get(other, 0.0), True) for other in explicit), key=lambda item: (-item.score, item.slug)
    )
    others = (other for other in text_scores.keys() | shared.keys() if other != slug and other not in explicit)
    best = heapq.nsmallest(max(0, k - len(chosen)), ((-s, other) for other in others if (s := score(other)) > 0))
    return chosen + [_link(questions, slug, other, text_scores.get(other, 0.0), False) for _, other in best]


def _link(questions: Mapping[str, bank.Question], slug: str, other: str, text_score: float, explicit: bool) -> Link:
    shared = tuple(sorted(set(questions[slug].tags) & set(questions[other].tags)))
    return Link(other, round(text_score + TAG_WEIGHT * len(shared), 6), explicit, shared)


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
    words = {"zh": ("作者推荐", "共同标签：", "内容相近"), "en": ("recommended by the authors", "shared tags: ", "similar content")}
    recommended, shared, similar = words[language]
    if link.explicit:
        return recommended
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
