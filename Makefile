# Tandem: the two commands a newcomer needs are `make demo` and `make test`.
# Everything else here is what those two call. All targets can be run again without harm.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# `make demo AS_OF=2027-12-25` (or 2027-03-28T00:30): the demo loaded and served as on that day,
# in a database of its own. `make sweep AS_OF=...`: the date-dependent tests at that moment.
AS_OF ?=
# Test processes (pytest-xdist): one per core. A file's tests stay together in one, so that what
# a module builds once (the demo) is built once. The browser tests run after, in one process:
# their live server flushes the database, built-in templates and all.
JOBS ?= auto
DEMO_DB := $(if $(AS_OF),DATABASE_URL=sqlite:///$(CURDIR)/tandem-as-of-$(subst :,,$(AS_OF)).sqlite3)

.PHONY: demo test sweep ci lint typecheck assets install install-test serve clean

## Start Tandem on SQLite with the demo organisations at http://127.0.0.1:8000, and the task worker
demo: install assets
	$(DEMO_DB) TANDEM_AS_OF="$(AS_OF)" $(PY) manage.py migrate --noinput
	$(DEMO_DB) TANDEM_AS_OF="$(AS_OF)" $(PY) manage.py load_demo
	$(DEMO_DB) TANDEM_AS_OF="$(AS_OF)" scripts/serve-demo.sh "$(PY)" "$(HOST):$(PORT)"

## Run the whole test suite (SQLite by default; PostgreSQL when DATABASE_URL points to one)
test: install-test assets
	scripts/ensure-chromium.sh
	scripts/ensure-postgres.sh
	$(PY) -m pytest -n $(JOBS) --dist loadfile -m "not browser" $(PYTEST_ARGS)
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

## The date sweep: the date-dependent tests again with the clock at each hostile moment, on
## SQLite, several at once (scripts/date_sweep.py lists them); AS_OF=2027-12-25 for one moment
sweep: install-test assets
	env -u DATABASE_URL $(PY) scripts/date_sweep.py $(AS_OF)

## What CI runs besides the tests
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/mypy tandem config

install:
	scripts/bootstrap.sh "$(PYTHON)" "$(VENV)" ""

install-test:
	scripts/bootstrap.sh "$(PYTHON)" "$(VENV)" "test"

assets: node_modules/.package-lock.json static/build/tandem.css

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

static/build/tandem.css: node_modules/.package-lock.json static/scss/tandem.scss scripts/build-assets.mjs
	node scripts/build-assets.mjs

clean:
	rm -rf $(VENV) node_modules static/build staticfiles tandem.sqlite3
