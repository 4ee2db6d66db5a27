# Two commands on a fresh machine:
#   make run   - install, migrate the SQLite database, seed the demo, serve on :8000
#   make test  - install and run the whole test suite
# On demand (needs the local PostgreSQL): make bench [BENCH_ARGS=--reseed]
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev lint format check test-postgres fuzz bench clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py seed_demo
	@echo ""
	@echo "  API:        http://$(HOST):$(PORT)/api/  (POST /api/auth/login)"
	@echo "  API docs:   http://$(HOST):$(PORT)/api/docs/"
	@echo "  Admin:      http://$(HOST):$(PORT)/admin/  (staff@demo.example)"
	@echo "  Password for every demo login: demo-password"
	@echo ""
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(PY) -m pytest

# A longer schema-driven fuzzing run than the one in the suite (FUZZ_MAX_EXAMPLES, FUZZ_SEED).
fuzz: install-dev
	FUZZ_MAX_EXAMPLES=$${FUZZ_MAX_EXAMPLES:-200} $(PY) -m pytest practice/tests/test_fuzz_schema.py

test-postgres: install-dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/practice} $(PY) -m pytest

# Seeds (once) a practice group on the local PostgreSQL and load-tests the API; see README.
bench: install
	$(PY) -m bench.run $(BENCH_ARGS)

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install-dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

check: install-dev
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
