# The one entry point for every routine task. `make help` lists them.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
DB ?= output/congvan.db

.PHONY: help venv venv-test run test eval bench lint corpus clean

help:
	@echo "make run    - set up .venv, ingest corpus/ into $(DB), print a summary, write output/tasks.csv"
	@echo "make test   - set up .venv with test extras and run pytest"
	@echo "make eval   - score the tool on $(SHARED)/gold and refresh the README accuracy table"
	@echo "make bench  - speed figures (pages/s, docs/s, peak memory)"
	@echo "make lint   - ruff and mypy"
	@echo "make corpus - regenerate the seed letter's DOCX and PDF in corpus/ (needs LibreOffice)"

$(BIN)/congvan: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.test-extras: $(BIN)/congvan
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

venv: $(BIN)/congvan
venv-test: $(VENV)/.test-extras

run: $(BIN)/congvan
	@mkdir -p output
	$(BIN)/congvan ingest corpus --db $(DB) --summary
	$(BIN)/congvan export tasks --db $(DB) --format csv -o output/tasks.csv

test: $(VENV)/.test-extras
	$(BIN)/python -m pytest -q

eval: $(BIN)/congvan
	$(BIN)/python tools/eval_gold.py --shared $(SHARED) --readme README.md

bench: $(BIN)/congvan
	$(BIN)/pip install -q -e ".[bench]"
	$(BIN)/python tools/bench.py --shared $(SHARED)

lint: $(VENV)/.test-extras
	$(BIN)/ruff check pipeline tests tools
	$(BIN)/mypy pipeline

corpus: $(BIN)/congvan
	$(BIN)/python tools/make_seed_docs.py

clean:
	rm -rf $(VENV) output/congvan.db output/tasks.csv
