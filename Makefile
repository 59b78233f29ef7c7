# Everything runs from a fresh clone with only python3 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum < requirements.txt | cut -d' ' -f1)
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install serve build check test lint translated new crosslink pdf bench clean

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "error: the handbook needs Python 3.11 or newer; found " + sys.version.split()[0] + " (try: make PYTHON=python3.11 ...)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

serve: install ## live-reloading preview at http://127.0.0.1:8000; a save rebuilds only the edited page (FULL=1: everything; ONLY=zh: no English pages)
	$(if $(filter-out zh,$(ONLY)),$(error ONLY=zh is the one partial preview: the Chinese pages are the source))
	$(if $(ONLY),HANDBOOK_ENGLISH=false )$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 $(if $(FULL),,--dirty)

build: install ## strict build into site/
	$(BIN)/mkdocs build --strict

check: install ## every content rule, then the strict build (links, anchors, what the sanitiser removes)
	$(BIN)/python scripts/check.py
	$(BIN)/mkdocs build --strict

lint: install
	$(BIN)/ruff check scripts benchmark tests
	$(BIN)/ruff format --check scripts benchmark tests

test: install lint ## unit, build and real-browser tests
	$(BIN)/pytest

translated: install ## make translated PAGE=docs/nlp/t5-text-to-text.en.md
	$(BIN)/python scripts/check.py --mark-translated "$(PAGE)"

new: install ## make new SECTION=precision SLUG=my-question
	$(BIN)/python scripts/new.py "$(SECTION)" "$(SLUG)"

pdf: build ## a printable book per language into site/[en/]exports/ (needs Chromium and fonts-noto-cjk)
	$(BIN)/python scripts/pdf.py

crosslink: install ## each question's related questions and scores, orphans and clusters
	$(BIN)/python scripts/crosslink.py --report

bench: install ## make bench [SIZES=200]
	PYTHONPATH=scripts $(BIN)/python -m benchmark $(if $(SIZES),--sizes $(SIZES))

clean:
	rm -rf site .cache .pytest_cache bench/scratch
