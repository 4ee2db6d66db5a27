# Two commands on a fresh machine:
#   make run   - install, migrate the SQLite database, seed the demo, serve on :8000
#   make test  - install and run the whole test suite
# On demand (needs the local PostgreSQL): make bench [BENCH_ARGS=--reseed]
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test install install-dev lint format check test-postgres fuzz bench messages clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## Create the virtualenv and install the requirements

install-dev: $(VENV)/.installed-dev ## Also install the test and lint tools

run: install ## Migrate, seed the demo and serve on HOST:PORT (127.0.0.1:8000)
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py seed_demo
	@echo ""
	@echo "  API:        http://$(HOST):$(PORT)/api/  (name, version, links; POST /api/auth/login)"
	@echo "  API docs:   http://$(HOST):$(PORT)/api/docs/"
	@echo "  Admin:      http://$(HOST):$(PORT)/admin/  (staff@demo.example)"
	@echo "  Password for every demo login: demo-password"
	@echo ""
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev ## Run the whole test suite (SQLite; DATABASE_URL for PostgreSQL)
	$(PY) -m pytest

# A longer schema-driven fuzzing run than the one in the suite (FUZZ_MAX_EXAMPLES, FUZZ_SEED).
fuzz: install-dev ## A longer schema-driven fuzzing run (FUZZ_MAX_EXAMPLES, FUZZ_SEED)
	FUZZ_MAX_EXAMPLES=$${FUZZ_MAX_EXAMPLES:-200} $(PY) -m pytest practice/tests/test_fuzz_schema.py

test-postgres: install-dev ## Run the test suite on the local PostgreSQL
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/practice} $(PY) -m pytest

# Seeds (once) a practice group on the local PostgreSQL and load-tests the API; see README.
bench: install ## Seed a practice group on PostgreSQL and load-test the API (BENCH_ARGS)
	$(PY) -m bench.run $(BENCH_ARGS)

lint: install-dev ## ruff check and format --check
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install-dev ## ruff fix and format
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

check: install-dev ## Migrations and the OpenAPI schema are up to date
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

# Needs GNU gettext (msgfmt, xgettext). The compiled .mo is committed next to the .po.
messages: install ## Update the Dutch catalogue from the code and compile it
	$(PY) manage.py makemessages -l nl --no-location --ignore ".venv/*" --ignore "bench/*" --ignore "*/tests/*" --ignore "staticfiles/*" --ignore conftest.py
	$(PY) manage.py compilemessages -l nl

clean: ## Remove the virtualenv, the SQLite database and collected static files
	rm -rf $(VENV) db.sqlite3 staticfiles
