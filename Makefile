# The one entry point for every routine task. `make help` lists them.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
DB ?= output/congvan.db

# PostgreSQL for `make pg` (issue 13): a local cluster of Debian's postgresql package.
PG_VERSION ?= $(shell ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
PG_CLUSTER ?= main
PG_USER ?= congvan
PG_PASSWORD ?= congvan
PG_DB ?= congvan
PG_PORT ?= 5432
PG_URL := postgresql://$(PG_USER):$(PG_PASSWORD)@localhost:$(PG_PORT)/$(PG_DB)

.PHONY: help venv venv-test run test eval bench bench-scale pg lint corpus clean i18n screenshots

help:
	@echo "make run    - set up .venv, ingest corpus/ into $(DB), print a summary, write output/tasks.csv"
	@echo "make test   - set up .venv with test extras and run pytest"
	@echo "make eval   - score the tool on $(SHARED)/gold and refresh the README accuracy table"
	@echo "make bench  - speed figures (pages/s, docs/s, peak memory)"
	@echo "make pg     - start a local PostgreSQL (Debian's postgresql), create role and database, print the URL"
	@echo "make bench-scale - SQLite vs PostgreSQL vs Dask ingest, and 100,000 letters in PostgreSQL (docs/SCALE.md)"
	@echo "make lint   - ruff and mypy"
	@echo "make corpus - regenerate the seed letter's DOCX and PDF in corpus/ (needs LibreOffice)"
	@echo "make screenshots - docs/register.png and docs/tasks.png: congvan serve seen in headless Chromium"
	@echo "make i18n   - compile the English catalog (pipeline/locale/en/LC_MESSAGES/congvan.po)"

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

# A PostgreSQL for congvan on this machine: starts the cluster (pg_ctlcluster), creates the role and
# the database (owner: the role, so it may create the unaccent extension), prints the address.
# Use it with: export CONGVAN_DB=$$(make -s pg-url)  or  congvan ... --db $$(make -s pg-url)
pg:
	@test -n "$(PG_VERSION)" || { echo "PostgreSQL is not installed: apt-get install postgresql" >&2; exit 1; }
	@pg_lsclusters -h | grep -q "^$(PG_VERSION) *$(PG_CLUSTER) " || pg_createcluster $(PG_VERSION) $(PG_CLUSTER) >/dev/null
	@pg_ctlcluster $(PG_VERSION) $(PG_CLUSTER) status >/dev/null 2>&1 || pg_ctlcluster $(PG_VERSION) $(PG_CLUSTER) start
	@su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = '$(PG_USER)'\"" | grep -q 1 || \
	  su postgres -c "psql -qc \"CREATE ROLE $(PG_USER) LOGIN PASSWORD '$(PG_PASSWORD)'\""
	@su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname = '$(PG_DB)'\"" | grep -q 1 || \
	  su postgres -c "createdb -O $(PG_USER) $(PG_DB)"
	@su postgres -c "PGOPTIONS=--client-min-messages=warning psql -q -d $(PG_DB) -c 'CREATE EXTENSION IF NOT EXISTS unaccent'"
	@echo "$(PG_URL)"

pg-url:
	@echo "$(PG_URL)"

bench-scale: $(VENV)/.test-extras
	$(MAKE) -s pg >/dev/null
	$(BIN)/python tools/bench_scale.py --pg $${CONGVAN_TEST_PG:-$(PG_URL)}

lint: $(VENV)/.test-extras
	$(BIN)/ruff check pipeline tests tools
	$(BIN)/mypy pipeline

# issue 11: the English catalog compiled (after editing pipeline/locale/en/LC_MESSAGES/congvan.po)
i18n:
	msgfmt -c -o pipeline/locale/en/LC_MESSAGES/congvan.mo pipeline/locale/en/LC_MESSAGES/congvan.po

# issue 11: the README's screenshots of `congvan serve` (register, task board) in headless Chromium,
# over the real corpus (../shared/corpus) ingested into output/screenshots.db
screenshots: $(VENV)/.test-extras
	@mkdir -p output
	test -f output/screenshots.db || $(BIN)/congvan ingest $(SHARED)/corpus --db output/screenshots.db --no-progress || true
	$(BIN)/python -m pipeline.serve output/screenshots.db docs

corpus: $(BIN)/congvan
	$(BIN)/python tools/make_seed_docs.py

clean:
	rm -rf $(VENV) output/congvan.db output/tasks.csv
