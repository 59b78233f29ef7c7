"""Per-language search indexes, post-processed from Material's own index.

Material's search plugin (with mkdocs-static-i18n) writes one index holding
every language. After the build this module splits it so that each
language's pages search only their own index, and adds two hidden fields
Material's worker indexes but never displays:

- `aliases`: the reader's words for a question (front matter), and the domain
  terms inside them and inside the title, boosted high;
- `keys`: forms the reader may type that the text lacks: the parts of long
  Chinese terms (`检查点` inside `梯度检查点`), English inflections
  (`optimizers`, `quantize`/`quantization`) and hyphen-free compounds
  (`allreduce`, `zero3`).

Queries are prefix-matched and not stemmed by Material, so recall is fixed on
the index side, with the stemmer off so that index terms stay what was written.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from handbook import assets, bank

INDEX = Path("search") / "search_index.json"
TERMS = bank.DATA / "search-terms.txt"
SEPARATOR = r"[\s\u200b\u3000\-、。，．？！；：（）“”,.:;!?()\[\]/]+"
FIELDS = {
    "title": {"boost": 1000.0},
    "aliases": {"boost": 1000.0},
    "text": {"boost": 1.0},
    "keys": {"boost": 1.0},
    "tags": {"boost": 100.0},
}
# No trimmer: lunr's strips every non-ASCII "non-word" character, which erased the Chinese aliases that the
# English index carries (a Chinese name typed on the English site); SEPARATOR already splits off punctuation.
PIPELINE = {"zh": ["stopWordFilter"], "en": ["stopWordFilter"]}
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{3,}")
STOP_WORDS = frozenset(
    """about above after again against also although among another because been before being below between both
    cannot could does doing down during each either every from further have having here into itself just more most
    much must never only other over same should since some such than that their them then there these they this
    those through under until upon very what when where which while whom whose will with within without would your
    yours""".split()
)
LATIN = re.compile(r"[A-Za-z][A-Za-z]{3,}")
COMPOUND = re.compile(r"[A-Za-z0-9]+(?:[-‑][A-Za-z0-9]+)+")
TAG = re.compile(r"<[^>]+>")
SHORT_ANSWER_ANCHORS = tuple("#" + anchor for anchor in bank.SHORT_ANSWER_ANCHOR.values())


def lemma(word: str) -> str:
    """A light English lemma: enough for plurals and -ize/-ization/-ized/-izing."""
    rules = (
        ("izations", "ize"), ("ization", "ize"), ("isations", "ise"), ("isation", "ise"),
        ("izing", "ize"), ("ized", "ize"), ("ies", "y"), ("sses", "ss"), ("ches", "ch"), ("shes", "sh"), ("xes", "x"),
    )  # fmt: skip
    for suffix, replacement in rules:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + replacement
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 4:
        return word[:-1]
    return word


def plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def inflections(word: str) -> set[str]:
    base = lemma(word.lower())
    forms = {base, plural(base)}
    if base.endswith(("ize", "ise")):
        forms |= {base[:-1] + "ation", base + "d", base[:-1] + "ing", base + "r"}
    return forms


@cache
def domain_terms() -> frozenset[str]:
    """The LLM terms of `data/search-terms.txt` (jieba's user-dictionary format: term [freq] [tag])."""
    lines = TERMS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.split()[0] for line in lines if line.strip())


def chinese_parts(tokens: Iterable[str]) -> set[str]:
    """Domain terms inside longer Chinese words, e.g. 检查点 in 梯度检查点, 混合精度 in 混合精度训练."""
    words = domain_terms()
    parts: set[str] = set()
    for token in {t for t in tokens if HAN.fullmatch(t)}:
        parts.update(
            token[start:end]
            for start in range(len(token) - 1)
            for end in range(start + 2, len(token) + (start > 0))
            if token[start:end] in words
        )
    return parts


def query_stems(tokens: Iterable[str]) -> set[str]:
    """Each long Chinese name without its last character (混合精 for 混合精度), so that a query for the name finds it.

    Material cuts a Chinese query into words of the index, and never takes the
    whole query as one word: it takes the longest index word that the query
    starts with and drops what follows. For 混合精度 that was 混合, which also
    starts 混合专家 and 混合分片, so the page on mixed precision ranked sixth.
    With 混合精 in the index the query becomes 混合精*, which only the name matches.
    """
    return {token[:-1] for token in tokens if HAN.fullmatch(token)}


def english_words(text: str) -> Counter:
    return Counter(word.lower() for word in LATIN.findall(text))


def extra_keys(headings: str, lead: str, text: str) -> str:
    """Index-only forms for one page: words the reader may type that the page lacks.

    English inflections are generated for the words that say what the page is
    about (headings, aliases, the short answer, words used three times or more),
    not for every word, to keep the index small.
    """
    plain = TAG.sub(" ", f"{headings} {text}")
    tokens = [token for token in re.split(SEPARATOR, plain) if token]
    present = {token.lower() for token in tokens}
    counts = english_words(plain.replace("\u200b", " "))
    telling = set(english_words(f"{headings} {lead}")) | {word for word, n in counts.items() if n >= 3}
    keys = chinese_parts(tokens)
    for word in telling - STOP_WORDS:
        keys |= inflections(word)
    compounds = Counter(re.sub(r"[-‑]", "", c).lower() for c in COMPOUND.findall(plain.replace("\u200b", " ")))
    repeated = [word for word, n in sorted(compounds.items()) for _ in range(min(n, 5))]  # term frequency ranks the page
    return " ".join(sorted(keys - present) + repeated)


def language_of(location: str) -> str:
    first = location.split("/", 1)[0]
    return first if first in bank.LANGUAGES and first != bank.DEFAULT_LANGUAGE else bank.DEFAULT_LANGUAGE


def localize(entries: list[dict], language: str, aliases: Mapping[str, list[str]]) -> list[dict]:
    """This language's entries with site-relative locations; hidden fields go on each page's first entry.

    Keys are computed over the whole page and stored once, not per section,
    which keeps the index small: Material groups results by page anyway.
    """
    prefix = "" if language == bank.DEFAULT_LANGUAGE else f"{language}/"
    pages: dict[str, list[dict]] = {}
    for entry in entries:
        location = entry["location"].removeprefix(prefix)
        item = {"location": location, "title": entry["title"], "text": entry["text"]}
        if entry.get("tags"):
            item["tags"] = entry["tags"]
        pages.setdefault(location.split("#")[0], []).append(item)
    result = []
    for url, items in pages.items():
        first = items[0]
        if url in aliases:
            named = aliases[url] + [first["title"]]
            tokens = [token for name in named for token in re.split(SEPARATOR, name)]
            parts = chinese_parts(tokens) | query_stems(tokens)
            first["aliases"] = " ".join(aliases[url] + sorted(parts))
        headings = " ".join([item["title"] for item in items] + aliases.get(url, []))
        lead = items[1]["text"] if len(items) > 1 else ""
        keys = extra_keys(headings, lead, " ".join(item["text"] for item in items))
        if keys:
            first["keys"] = keys
        if len(items) > 1 and items[1]["location"].endswith(SHORT_ANSWER_ANCHORS):
            first["text"] = items.pop(1)["text"]  # the result's teaser: the answer, not the badge and report link
        result.extend(items)
    return result


def aliases_by_url(questions: Mapping[str, bank.Question], language: str) -> dict[str, list[str]]:
    """Each page's aliases; a translation also carries its Chinese source's, so that a reader who types
    the Chinese name of a topic on the English site still finds the English page."""

    def aliases(question: bank.Question, of: str) -> list[str]:
        page = question.pages.get(of)
        return [str(a) for a in page.meta.get("aliases") or []] if page else []

    sources = [language] if language == bank.DEFAULT_LANGUAGE else [language, bank.DEFAULT_LANGUAGE]
    return {q.url(language): [a for of in sources for a in aliases(q, of)] for q in questions.values() if language in q.pages}


def index_config(language: str) -> dict:
    return {"lang": [language], "separator": SEPARATOR, "pipeline": PIPELINE[language], "fields": FIELDS}


def split(site_dir: Path, questions: Mapping[str, bank.Question]) -> dict[str, Path]:
    """Rewrite the merged index as one compact, unescaped index per language; returns their paths."""
    merged = json.loads((site_dir / INDEX).read_text(encoding="utf-8"))
    by_language: dict[str, list[dict]] = {}
    for entry in merged["docs"]:
        by_language.setdefault(language_of(entry["location"]), []).append(entry)
    written = {}
    for language, entries in by_language.items():
        docs = _localized(_unique(entries), language, aliases_by_url(questions, language))
        root = site_dir if language == bank.DEFAULT_LANGUAGE else site_dir / language
        path = root / INDEX
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"config": index_config(language), "docs": docs}
        path.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        written[language] = path
    return written


_last: dict[str, tuple[list[dict], dict[str, list[str]], list[dict]]] = {}


def _localized(entries: list[dict], language: str, aliases: dict[str, list[str]]) -> list[dict]:
    """`localize`, skipped when `mkdocs serve` rebuilds and this language's entries did not change.

    Editing a Chinese page leaves the English entries as they were; comparing
    them costs far less than computing their keys again (about 2 s per
    language at 200 questions).
    """
    last = _last.get(language)
    if last and last[0] == entries and last[1] == aliases:
        return last[2]
    docs = localize(entries, language, aliases)
    _last[language] = (entries, aliases, docs)
    return docs


def _unique(entries: Iterable[dict]) -> list[dict]:
    seen, result = set(), []
    for entry in entries:
        if entry["location"] not in seen:
            seen.add(entry["location"])
            result.append(entry)
    return result


BASE = re.compile(r'(<script id="__config" type="application/json">[^<]*?"base": ")([^"]*)(")')


def point_at_language_root(output: str, page_url: str) -> str:
    """Make a translated page's search use its own language's index (Material reads `base`)."""
    language = language_of(page_url)
    if language == bank.DEFAULT_LANGUAGE:
        return output
    root = assets.relative_url(f"{language}/", page_url)
    return BASE.sub(lambda m: m.group(1) + root + m.group(3), output, count=1)
