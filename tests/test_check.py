"""The checker: every rule rejects its bad page with rule ID, file and line; good pages pass."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from fixtures import minibank
from handbook import bank, checks, translation

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).parent / "corpus"
ENGLISH_BODY = """
# Is this an example question?

## Short answer

An example answer for the checker.

## Detailed answer

Details.

## Follow-up questions

- A follow-up?

## Common pitfalls

- A misconception → the correction.

## References

1. [Attention Is All You Need](https://arxiv.org/abs/1706.03762)
2. [BERT](https://arxiv.org/abs/1810.04805)
"""
EXPECTED_LINE = {
    "FM001": 3, "FM002": 2, "FM003": 3, "FM004": 2, "FM005": 7, "FM006": 5,
    "STRUCT001": 15, "STRUCT002": 23, "STRUCT003": 27,
    "SAFE001": 19, "SAFE002": 19, "SAFE003": 17, "SAFE004": 19,
    "TYPO001": 17, "TYPO002": 17, "TYPO003": 17,
    "XREF001": 4, "XREF002": 4,
}  # fmt: skip


def run_check(docs: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "scripts/check.py", "--docs", str(docs)], cwd=ROOT, capture_output=True, text=True)


def problems(result: subprocess.CompletedProcess) -> list[tuple[str, int, str]]:
    found = re.findall(r"^(.+?):(\d+): ([A-Z]+\d{3}) ", result.stdout, re.MULTILINE)
    return [(Path(path).name, int(line), rule) for path, line, rule in found]


def english_twin(chinese: Path) -> Path:
    """An English page with the same front matter, so pair rules stay quiet."""
    raw, _, _ = bank.split_front_matter(chinese.read_text(encoding="utf-8"))
    twin = chinese.with_name(chinese.name.split(".")[0] + ".en.md")
    twin.write_text(f"---\n{raw}---\n{ENGLISH_BODY}", encoding="utf-8")
    return twin


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A clean six-question bank whose translations are marked current."""
    docs = minibank.write(tmp_path / "docs")
    for twin in docs.glob("*/*.en.md"):
        translation.mark_translated(twin)
    return docs


def test_good_pages_pass(docs: Path) -> None:
    shutil.copy(CORPUS / "good.md", docs / "nlp" / "good-page.md")
    translation.mark_translated(english_twin(docs / "nlp" / "good-page.md"))
    result = run_check(docs)
    assert result.returncode == 0, result.stdout
    assert problems(result) == []


@pytest.mark.parametrize("rule", sorted(EXPECTED_LINE))
def test_each_bad_page_is_rejected_with_its_rule_file_and_line(docs: Path, rule: str) -> None:
    page = docs / "nlp" / f"{rule.lower()}.md"
    shutil.copy(CORPUS / f"{rule}.md", page)
    if rule != "FM001":
        translation.mark_translated(english_twin(page))
    result = run_check(docs)
    assert result.returncode == 1
    assert (page.name, EXPECTED_LINE[rule], rule) in problems(result), result.stdout
    assert all(name.startswith(rule.lower()) for name, _, _ in problems(result)), "other pages were flagged"


def test_all_problems_are_reported_at_once(docs: Path) -> None:
    for rule in ("TYPO002", "SAFE001", "FM003"):
        page = docs / "nlp" / f"{rule.lower()}.md"
        shutil.copy(CORPUS / f"{rule}.md", page)
        translation.mark_translated(english_twin(page))
    assert {rule for _, _, rule in problems(run_check(docs))} == {"TYPO002", "SAFE001", "FM003"}


# --- File and pair rules ------------------------------------------------------------------


def test_file001_invalid_utf8(docs: Path) -> None:
    (docs / "nlp" / "alpha.md").write_bytes("# 标题\n".encode("gbk"))
    assert ("alpha.md", 1, "FILE001") in problems(run_check(docs))


def test_file002_empty_file(docs: Path) -> None:
    (docs / "nlp" / "alpha.en.md").write_text("", encoding="utf-8")
    assert ("alpha.en.md", 1, "FILE002") in problems(run_check(docs))


def test_file003_slug_not_kebab_case(docs: Path) -> None:
    for path in (docs / "nlp").glob("alpha*.md"):
        path.rename(path.with_name(path.name.replace("alpha", "Alpha_Page")))
    assert ("Alpha_Page.md", 1, "FILE003") in problems(run_check(docs))


def test_file004_slug_used_in_two_sections(docs: Path) -> None:
    for path in (docs / "nlp").glob("alpha*.md"):
        shutil.copy(path, docs / "cv" if (docs / "cv").exists() else (docs / "cv").mkdir() or docs / "cv")
    assert ("alpha.md", 1, "FILE004") in problems(run_check(docs))


def test_file005_page_outside_a_known_section(docs: Path) -> None:
    (docs / "robotics").mkdir()
    shutil.copy(docs / "nlp" / "alpha.md", docs / "robotics" / "alpha-two.md")
    assert ("alpha-two.md", 1, "FILE005") in problems(run_check(docs))


def test_file006_missing_translation(docs: Path) -> None:
    (docs / "nlp" / "alpha.en.md").unlink()
    assert ("alpha.md", 1, "FILE006") in problems(run_check(docs))


def test_fm007_languages_disagree_on_metadata(docs: Path) -> None:
    twin = docs / "nlp" / "alpha.en.md"
    twin.write_text(twin.read_text(encoding="utf-8").replace("difficulty: medium", "difficulty: hard"), encoding="utf-8")
    assert ("alpha.en.md", 3, "FM007") in problems(run_check(docs))


def test_trans001_warns_when_the_source_changes_and_marking_clears_it(docs: Path) -> None:
    source = docs / "nlp" / "alpha.md"
    source.write_text(source.read_text(encoding="utf-8").replace("BERT 用掩码", "BERT 使用掩码"), encoding="utf-8")
    result = run_check(docs)
    assert result.returncode == 0, "a stale translation warns, it does not fail"
    assert ("alpha.en.md", 7, "TRANS001") in problems(result)
    assert "warning" in result.stdout
    marked = subprocess.run(
        [sys.executable, "scripts/check.py", "--mark-translated", str(docs / "nlp" / "alpha.en.md")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert marked.returncode == 0
    assert problems(run_check(docs)) == []


# --- Scaffold -----------------------------------------------------------------------------


def test_an_untouched_scaffold_fails_only_on_its_placeholders(docs: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    import new

    paths = new.create("precision", "my-new-question", docs)
    assert [p.name for p in paths] == ["my-new-question.md", "my-new-question.en.md"]
    result = run_check(docs)
    assert result.returncode == 1
    found = problems(result)
    assert {rule for _, _, rule in found} == {"TMPL001"}, result.stdout
    assert {(name, line) for name, line, _ in found} >= {("my-new-question.md", 9), ("my-new-question.en.md", 10)}
    assert "arXiv:0000.00000" in result.stdout and "example.org" in result.stdout
    with pytest.raises(new.ScaffoldError, match="already exists"):
        new.create("nlp", "my-new-question", docs)
    with pytest.raises(new.ScaffoldError, match="unknown section"):
        new.create("robotics", "another-question", docs)
    with pytest.raises(new.ScaffoldError, match="kebab-case"):
        new.create("nlp", "Bad_Slug", docs)


def test_make_new_refuses_an_existing_slug() -> None:
    result = subprocess.run(["make", "-s", "new", "SECTION=precision", "SLUG=loss-scaling"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert "already exists" in result.stderr


def test_the_real_bank_passes() -> None:
    result = run_check(bank.DOCS)
    assert result.returncode == 0, result.stdout
    assert "TRANS001" not in result.stdout, "a translation is out of date"


# --- Length, translation and reading-order rules -----------------------------------------


def test_struct004_a_short_answer_longer_than_30_seconds(docs: Path) -> None:
    page = docs / "nlp" / "alpha.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("BERT 用掩码语言模型预训练 Transformer 编码器。", "这是一个很长的回答。" * 20), encoding="utf-8")
    twin = docs / "nlp" / "alpha.en.md"
    twin.write_text(
        twin.read_text(encoding="utf-8").replace("masked language modelling.", "masked language modelling. " + "word " * 80),
        encoding="utf-8",
    )
    translation.mark_translated(twin)
    found = problems(run_check(docs))
    assert ("alpha.md", 11, "STRUCT004") in found and ("alpha.en.md", 12, "STRUCT004") in found, found
    assert checks.spoken_units("这是 FP16 的 `code` 和 $x^2$ top-k") == 8  # 这 是 FP16 的 code 和 formula top-k


def test_trans002_an_english_page_far_shorter_than_its_source(docs: Path) -> None:
    source = docs / "nlp" / "alpha.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("## 详细解答\n", "## 详细解答\n\n" + "详细的中文解释。" * 60 + "\n"), encoding="utf-8"
    )
    translation.mark_translated(docs / "nlp" / "alpha.en.md")
    assert "TRANS002" in {rule for name, _, rule in problems(run_check(docs)) if name == "alpha.en.md"}


def test_nav001_every_question_once_in_its_sections_reading_order() -> None:
    section_of = {q.slug: q.section for q in bank.load().values()}
    assert list(checks.check_reading_order(section_of)) == [], "the real bank's order is complete"
    moved = {**section_of, "new-question": "nlp"}
    moved.pop("lora")
    messages = [p.message for p in checks.check_reading_order(moved)]
    assert "'new-question' is missing from the reading order of 'nlp'" in messages
    assert "'lora' in the order of 'fine-tuning' is not a question of that section" in messages


def test_make_new_lists_the_question_last_in_its_sections_reading_order(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    import new

    sections = tmp_path / "sections.yml"
    sections.write_text("- id: a\n  zh: A\n  en: A\n- id: b\n  zh: B\n  en: B\n  order:\n    - x\n", encoding="utf-8")
    new.add_to_reading_order(sections, "a", "first")
    new.add_to_reading_order(sections, "b", "second")
    assert [s.get("order") for s in yaml.safe_load(sections.read_text(encoding="utf-8"))] == [["first"], ["x", "second"]]
