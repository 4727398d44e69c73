# Two commands set up everything on a fresh machine:
#   make serve   the example register and user guide at http://127.0.0.1:8000
#   make test    lint, type-check and the whole test suite (browser tests included)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test lint check-tools clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

serve: $(BIN)/.installed
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(BIN)/.installed
	$(BIN)/mkdocs build --strict

lint: $(BIN)/.installed
	$(BIN)/ruff check plugin tests benchmarks
	$(BIN)/ruff format --check plugin tests benchmarks
	$(BIN)/mypy

check-tools:
	bash scripts/install-browser

test: $(BIN)/.installed node_modules/.installed check-tools lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) node_modules site .pytest_cache .mypy_cache .ruff_cache
