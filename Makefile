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
# The offline edition's zip; keep it equal to extra.docarchive.offline_zip in mkdocs.yml (a test checks).
OFFLINE_ZIP := dist/xiamen-linxia-archive-offline.zip
# The BagIt bag of a release (make bag): this folder, and the zip beside it.
BAG := dist/xiamen-linxia-archive-bag

.PHONY: site test serve check offline offline-staged bench lighthouse clean bag

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when pyproject.toml changes.
# compileall: an editable install compiles none of the engine, and a build cannot under PYTHONDONTWRITEBYTECODE.
$(VENV)/.site-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	$(BIN)/python -m pip install -q -e .
	$(BIN)/python -m compileall -q hooks
	touch $@

$(VENV)/.test-installed: pyproject.toml package.json package-lock.json | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	$(BIN)/python -m pip install -q -e '.[test]'
	bash tools/install-test-deps.sh
	$(BIN)/python -m compileall -q hooks
	touch $@ $(VENV)/.site-installed

# npm packages pinned in package-lock.json: the iframe-worker shim of the offline edition, and the test checkers.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "The offline edition needs npm (Node.js) for the pinned iframe-worker shim: install nodejs and npm" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Atomic deploys. Each build goes into scratch places beside its targets (.site-build/,
# .site-offline-build/, and the zip in dist/.staged/); only when every one of them succeeded
# are they renamed into place, so a build that fails (bad content or anything else) or is
# killed leaves site/, site-offline/ and the zip as they were. Each build first removes what
# a killed one left behind. The offline edition is built first: the site links its new zip,
# with its size, in every page's footer (DOCARCHIVE_OFFLINE_ZIP says where it is staged).
STAGED_ZIP := $(dir $(OFFLINE_ZIP)).staged/$(notdir $(OFFLINE_ZIP))
SCRATCH := .site-build .site-offline-build .site-build-zh .site-offline-build-zh $(dir $(STAGED_ZIP)) site.old site-offline.old $(OFFLINE_ZIP).old
# $(call publish,NEW,TARGET): the old target is moved aside, the new one renamed into its place.
publish = rm -rf $(2).old && { [ ! -e $(2) ] || mv $(2) $(2).old; } && mv $(1) $(2) && rm -rf $(2).old

offline: $(VENV)/.site-installed node_modules/.package-lock.json
	rm -rf $(SCRATCH)
	$(MAKE) --no-print-directory offline-staged
	$(call publish,.site-offline-build,site-offline)
	$(call publish,$(STAGED_ZIP),$(OFFLINE_ZIP))
	rm -rf $(dir $(STAGED_ZIP))

# Internal: the offline edition and its zip, built into their scratch places only.
# docarchive editions loads the archive once, then builds each tree's English and Chinese side by side
# (the Chinese in a forked process), each reusing that work (the loaded archive, jieba, compiled templates, photos), and reproducibly (SOURCE_DATE_EPOCH
# defaults to the last commit's time; docs/offline-and-search.md).
offline-staged: $(VENV)/.site-installed node_modules/.package-lock.json
	$(BIN)/docarchive editions . --zip $(STAGED_ZIP) --no-site

# npm is needed only for the offline edition's pinned shim: without it, the site is built
# without the offline edition (and without its download link), and says so.
site: $(VENV)/.site-installed
	rm -rf $(SCRATCH)
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory node_modules/.package-lock.json && \
		$(BIN)/docarchive editions . --zip $(STAGED_ZIP); \
	else echo "npm not found: building without the offline edition (install nodejs and npm, then run make site again)" && \
		$(BIN)/docarchive editions .; fi
	if [ -d .site-offline-build ]; then $(call publish,.site-offline-build,site-offline) && \
	  $(call publish,$(STAGED_ZIP),$(OFFLINE_ZIP)); fi
	$(call publish,.site-build,site)
	rm -rf $(dir $(STAGED_ZIP))
	@echo "Built site/ ($$(find site -name '*.html' -not -path 'site/zh/*' | wc -l) pages) and its Chinese edition site/zh/ ($$(find site/zh -name '*.html' | wc -l) pages): serve it over http (make serve, or any static server)."
	@if [ -f site-offline/index.html ]; then echo "Offline edition: site-offline/index.html (file://) and $(OFFLINE_ZIP)"; fi

# Both editions and the bag dated from the commit (or SOURCE_DATE_EPOCH if set): the same commit
# gives the same bag, byte for byte. docs/preservation.md says what is in it and how to verify it.
bag: $(VENV)/.site-installed
	export SOURCE_DATE_EPOCH="$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct)}" && \
	$(MAKE) --no-print-directory site && \
	$(BIN)/docarchive bag . --out $(BAG) && \
	$(BIN)/docarchive verify $(BAG)

# --dirty: each save makes again only the pages whose inputs changed, and the served folder stays
# equal to a clean build (hooks/docarchive/pagecache.py). make serve ADDR=0.0.0.0:8000 serves elsewhere.
serve: $(VENV)/.site-installed
	$(BIN)/mkdocs serve --livereload --dirty $(if $(ADDR),-a $(ADDR))

check: $(VENV)/.site-installed
	$(BIN)/docarchive check .

test: $(VENV)/.test-installed
	bash tools/run-tests.sh

# Not a test: prints the build table for 100, 1,000 and 3,000 stories and writes bench/results.md
# (long: about half an hour on 2 cores). BENCH_ARGS=--quick for 30, 100 and 300 stories.
bench: $(VENV)/.test-installed
	$(BIN)/python bench/bench_photos.py
	$(BIN)/python bench/bench_build.py $(BENCH_ARGS)
	$(BIN)/python bench/bench_check.py

# Not a test: Lighthouse's mobile scores of each page kind of the archive (English and zh/), built with
# site_url set to where it is served with gzip, and of a story page of 1,000 stories (bench/lighthouse.py).
lighthouse: $(VENV)/.test-installed
	$(BIN)/python bench/lighthouse.py --archive . --synthetic 1000

clean:
	rm -rf site site-offline $(SCRATCH) dist .cache
