# Two commands set everything up on a fresh machine:
#   make run    install, migrate, load demo data, serve http://127.0.0.1:8000 (SQLite, tasks in-process)
#   make test   install, then run the whole test suite (DATABASE_URL picks PostgreSQL, as CI does)
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_PASSWORD ?= demo-Pass-2026!
SCALE ?= 1
PYTEST_ARGS ?=

.PHONY: run test install assets lint bench migrate seed worker

$(VENV)/.installed: pyproject.toml
	@echo "==> Creating the virtual environment in $(VENV) and installing Python packages"
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet ".[test]"
	@touch $@

static/vendor/.built: package.json package-lock.json assets/scss/app.scss
	@echo "==> Installing front-end packages (GOV.UK Frontend, htmx) and building the stylesheet"
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor/govuk
	npm run --silent build
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/vendor/govuk/
	cp -r node_modules/govuk-frontend/dist/govuk/assets static/vendor/govuk/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/
	mkdir -p static/vendor/autocomplete
	cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.js node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.css static/vendor/autocomplete/
	@touch $@

install: $(VENV)/.installed static/vendor/.built

assets: static/vendor/.built

migrate: install
	@echo "==> Applying database migrations"
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput

seed: migrate
	@echo "==> Loading demo data (scale $(SCALE))"
	DEBUG=$${DEBUG:-true} DEMO_PASSWORD='$(DEMO_PASSWORD)' $(PY) manage.py seed_demo --scale $(SCALE)

run: seed
	@echo "==> Serving MSHT Governance at http://127.0.0.1:8000 (demo logins in README.md; Ctrl+C stops)"
	DEBUG=$${DEBUG:-true} $(PY) manage.py runserver 127.0.0.1:8000

test: install
	@echo "==> Running the test suite against $${DATABASE_URL:-SQLite}"
	$(PY) manage.py makemigrations --check --dry-run --settings=mshtgov.test_settings > /dev/null || (echo "Model changes without migrations"; exit 1)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

worker: install
	DEBUG=$${DEBUG:-true} $(VENV)/bin/celery -A mshtgov worker -Q celery,pdf -l info

bench: install
	$(PY) bench/run.py
