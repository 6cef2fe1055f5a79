# `make demo` and `make test` do all set-up themselves on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# camel-tools is pinned and installed without its dependencies (torch, transformers):
# ctkg uses only its offline normalisation utilities.
CAMEL  := camel-tools==1.6.0

.PHONY: help install demo test bench browser-check neo4j-start neo4j-stop clean

help:
	@echo "make demo   set up, start Neo4j, ingest the example articles, run the headline queries"
	@echo "make test   set up, then run the whole test suite against a real Neo4j"
	@echo "make bench  scale bench on a scratch server (ARTICLES=2000): table and bench.json"
	@echo "make browser-check  headless Chromium: Browser, style, README queries, briefing; screenshots"

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/pip install -q --no-deps $(CAMEL)
	touch $(STAMP)

install: $(STAMP)

neo4j-start: install
	$(BIN)/ctkg neo4j start

neo4j-stop:
	$(BIN)/ctkg neo4j stop

demo: neo4j-start
	$(BIN)/ctkg demo

test: install
	$(BIN)/ctkg neo4j install
	$(BIN)/python -m pytest

# The scale bench starts its own scratch server; ARTICLES=100000 for the full run.
ARTICLES ?= 2000
bench: install
	$(BIN)/ctkg neo4j install
	$(BIN)/python scripts/bench.py --articles $(ARTICLES) --json bench.json

# Not part of `make test` (CI has no browser): Debian's chromium and chromedriver, selenium in
# .venv only, then tests/browser/ with CTKG_BROWSER_CHECK=1 against a scratch server.
browser-check: install
	command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { apt-get update -q && apt-get install -y -q chromium chromium-driver; }
	$(BIN)/python -c 'import selenium' 2>/dev/null || $(BIN)/pip install -q -e '.[test,browser]'
	$(BIN)/ctkg neo4j install
	CTKG_BROWSER_CHECK=1 $(BIN)/python -m pytest tests/browser -v -s

clean:
	rm -rf $(VENV) .pytest_cache .ctkg-test
