# Polku: the two commands are `make run` and `make test` (see README).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export FLASK_APP := server

.PHONY: run serve test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## make run: migrate the SQLite database in instance/, load demo data when empty, serve on localhost:5000
run: $(STAMP)
	$(BIN)/flask db upgrade
	$(BIN)/flask demo-data --if-empty
	@echo "Polku: http://localhost:5000"
	POLKU_INSECURE_COOKIES=1 $(BIN)/flask run --host localhost --port 5000

## make serve: the production server (gunicorn, gunicorn.conf.py) on the configured
## database; see README "Running in production" (migrate with `flask db upgrade` first)
serve: $(STAMP)
	$(BIN)/polku serve

## make test: install what the tests need (Chromium from Debian when root), then the whole suite
test: $(STAMP)
	@sh tests/ensure_chromium.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python bench/sync_bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
