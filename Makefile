# The two commands a newcomer needs are `make book` and `make test`; both set up
# .venv from the pinned requirements first. See README.md.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
BUILD  := _build
# Everything the executed notebooks depend on besides themselves (the library and the
# data files that chapters read): when any of it changes, the execution cache and the
# built pages are thrown away, so the book never shows output computed from older code.
BOOK_INPUTS := requirements.txt $(sort $(wildcard cnnmath/*.py cnnmath/*/*.py book/data/*))
# The notebooks run on the venv's own kernel, whatever kernels the machine has.
export JUPYTER_PATH := $(CURDIR)/$(VENV)/share/jupyter

# What the built book carries besides its pages (tools/): the student kit, one zip that
# the "Run this chapter yourself" notes link, and the whole book as one PDF.
KIT := $(BUILD)/html/cnnmath-student-kit.zip
PDF := $(BUILD)/pdf/cnnmath-book.pdf

.PHONY: help venv lint mutants book html kit pdf workbook test unit kit-test notebooks \
	browser lab clean bench

help:
	@echo "make book   build the HTML book into $(BUILD)/html (executes every notebook), with"
	@echo "            the student kit ($(KIT)) and the PDF ($(PDF))"
	@echo "make pdf    the whole book as one PDF, $(PDF), from the notebooks that make book"
	@echo "            executed (nothing runs twice); needs chromium"
	@echo "make workbook  every chapter without its solutions, with a cell for each checked"
	@echo "            answer, into workbook/"
	@echo "make kit    the student kit alone: $(KIT)"
	@echo "make lint   ruff over cnnmath, tests, bench and the notebooks (pyproject.toml)"
	@echo "make test   lint, unit and property tests, nbval over every notebook, the book build"
	@echo "            with warnings as errors, and the offline browser check of every page"
	@echo "make bench  time the loops, cnnmath and PyTorch; writes book/data/bench-results.json"
	@echo "make mutants  apply each hand-written mutant of the formula modules and check that"
	@echo "            the tests or the notebooks notice it; writes tests/mutation/report.md"
	@echo "make lab    JupyterLab on the book's notebooks, with the project's kernel"
	@echo "make clean  remove $(BUILD) and $(VENV)"

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==26.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

# PyTorch is an oracle for the tests only, so only `make test` installs it.
$(TEST_STAMP): requirements-test.txt $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $(TEST_STAMP)

venv: $(STAMP)

# The HTML pages; `book` adds the kit and the PDF, which the pages link.
html: venv
	@sum=$$(cat $(BOOK_INPUTS) | sha256sum | cut -d' ' -f1); \
	if [ "$$(cat $(BUILD)/.inputs.sha256 2>/dev/null)" != "$$sum" ]; then \
		echo "cnnmath or the requirements changed: re-executing every notebook"; \
		rm -rf $(BUILD); mkdir -p $(BUILD); echo "$$sum" > $(BUILD)/.inputs.sha256; \
	fi
	$(BIN)/jupyter-book build . -W -n --keep-going

book: html
	$(BIN)/python -m tools.kit --out $(KIT)
	@if command -v chromium >/dev/null; then $(BIN)/python -m tools.pdf; \
	else echo "NOTE: chromium is not installed, so the PDF of the book was NOT made (apt-get install chromium)."; fi
	@echo "The book is in $(BUILD)/html/index.html, its PDF in $(PDF), the student kit in $(KIT)"

# Sphinx's single-page HTML of the book, from the execution cache of `html`, printed by
# headless Chromium (tools/pdf.py); copied into $(BUILD)/html, which links it.
pdf: html
	$(BIN)/python -m tools.pdf

kit: venv
	$(BIN)/python -m tools.kit --out $(KIT)

workbook: venv
	$(BIN)/python -m tools.workbook --out workbook

lint: venv
	$(BIN)/ruff check .

unit: $(TEST_STAMP)
	$(BIN)/python -m pytest tests --ignore=tests/built_book --ignore=tests/test_kit.py

# Builds the kit, installs it into a fresh virtual environment outside the repository and
# runs a chapter from it: once, on the default Python (its pins are the book's).
kit-test: $(TEST_STAMP)
	$(BIN)/python -m pytest tests/test_kit.py -s

notebooks: venv
	$(BIN)/python -m pytest -p no:cacheprovider --nbval-lax --nbval-current-env book

# axe-core, pinned in tests/built_book/package-lock.json, for the accessibility check.
AXE := tests/built_book/node_modules/axe-core/axe.min.js
$(AXE): tests/built_book/package.json tests/built_book/package-lock.json
	@if command -v npm >/dev/null; then \
		cd tests/built_book && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/axe-core/axe.min.js; \
	else echo "NOTE: npm is not installed, so the accessibility check of the built book will be SKIPPED (apt-get install nodejs npm to run it)."; fi

browser: venv $(AXE)
	@command -v chromium >/dev/null || echo "NOTE: chromium is not installed, so the offline browser check of the built book will be SKIPPED (apt-get install chromium to run it)."
	$(BIN)/python -m pytest tests/built_book

test: lint unit kit-test notebooks book browser

# Times the reference loops, cnnmath and PyTorch (installed by the test requirements) and
# writes book/data/bench-results.json, which the chapter "Making it fast" reads.
bench: $(TEST_STAMP)
	$(BIN)/python -m bench.run

# Not part of `make test`: each mutant reruns the tests that guard its module.
mutants: $(TEST_STAMP)
	$(BIN)/python tests/mutation/run.py

LAB_STAMP := $(VENV)/.installed-lab
$(LAB_STAMP): requirements-lab.txt $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-lab.txt
	touch $(LAB_STAMP)

# JupyterLab refuses to run as root unless told; containers often are root.
lab: $(LAB_STAMP)
	cd book && ../$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root)

clean:
	rm -rf $(BUILD) $(VENV) .venv-* .pytest_cache .hypothesis workbook
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
