# The two commands of the contract (see README):
#   make site   set up .venv and build site/ from the archive in this repo
#   make test   set up .venv with the test tools (and Debian's chromium) and run every test
#   make offline  build the offline edition (site-offline/, for file://) and its zip; make site runs it first
# Each edition is two builds of the same archive: English at the root, Chinese in zh/ (mkdocs-zh.yml).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# The offline edition's zip; keep it equal to extra.offline_zip in mkdocs.yml (a test checks).
OFFLINE_ZIP := dist/xiamen-linxia-archive-offline.zip

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

# npm packages pinned in package-lock.json: the iframe-worker shim of the offline edition, and the test checkers.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "The offline edition needs npm (Node.js) for the pinned iframe-worker shim: install nodejs and npm" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The offline edition first: the site links its zip, with its size, in every page's footer.
# Each build goes into a scratch folder and is swapped in only when it succeeded,
# so a failed build (bad content or anything else) leaves the previous site/ as it was.
offline: $(VENV)/.site-installed node_modules/.package-lock.json
	rm -rf .site-offline-build
	$(BIN)/mkdocs build --strict -f mkdocs-offline.yml --site-dir .site-offline-build
	$(BIN)/mkdocs build --strict -f mkdocs-offline-zh.yml --site-dir .site-offline-build/zh
	rm -rf site-offline && mv .site-offline-build site-offline
	$(BIN)/python -m docarchive zip site-offline $(OFFLINE_ZIP)

# npm is needed only for the offline edition's pinned shim: without it, the site is built
# without the offline edition (and without its download link), and says so.
site: $(VENV)/.site-installed
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory offline; \
	else echo "npm not found: building without the offline edition (install nodejs and npm, then run make site again)"; fi
	rm -rf .site-build
	$(BIN)/mkdocs build --strict --site-dir .site-build
	$(BIN)/mkdocs build --strict -f mkdocs-zh.yml --site-dir .site-build/zh
	rm -rf site && mv .site-build site
	@echo "Built site/ ($$(find site -name '*.html' -not -path 'site/zh/*' | wc -l) pages) and its Chinese edition site/zh/ ($$(find site/zh -name '*.html' | wc -l) pages): serve it over http (make serve, or any static server)."
	@if [ -f site-offline/index.html ]; then echo "Offline edition: site-offline/index.html (file://) and $(OFFLINE_ZIP)"; fi

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
	rm -rf site .site-build site-offline .site-offline-build dist .cache
