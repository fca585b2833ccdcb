# The two commands of the contract (see README):
#   make site   set up .venv and build site/ from the archive in this repo
#   make test   set up .venv with the test tools (and Debian's chromium) and run every test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: site test serve check offline bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when pyproject.toml changes.
$(VENV)/.site-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml package.json package-lock.json | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	$(BIN)/python -m pip install -q -e '.[test]'
	bash tools/install-test-deps.sh
	touch $@ $(VENV)/.site-installed

# Build into a scratch folder and swap it in only when the build succeeded,
# so a failed build (bad content or anything else) leaves the previous site/ as it was.
site: $(VENV)/.site-installed
	rm -rf .site-build
	$(BIN)/mkdocs build --strict --site-dir .site-build
	rm -rf site && mv .site-build site
	@echo "Built site/ ($$(find site -name '*.html' | wc -l) pages). Open site/index.html or run 'make serve'."

serve: $(VENV)/.site-installed
	$(BIN)/mkdocs serve --livereload

check: $(VENV)/.site-installed
	$(BIN)/python -m docarchive check .

test: $(VENV)/.test-installed
	bash tools/run-tests.sh

bench: $(VENV)/.test-installed
	$(BIN)/python bench/bench_photos.py
	$(BIN)/python bench/bench_build.py

clean:
	rm -rf site .site-build site-offline dist .cache
