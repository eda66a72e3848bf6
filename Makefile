# The two commands: `make run` (demo server) and `make test` (the whole suite on PostgreSQL and Redis).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# pytest-xdist workers for `make test` (2 cores here; PYTEST_WORKERS=auto or 1 to change it)
PYTEST_WORKERS ?= 2
TEST_ENV := DJANGO_SETTINGS_MODULE=ocop_portal.settings.test DJANGO_ALLOW_ASYNC_UNSAFE=true

.PHONY: run test venv test-deps services lint messages bench clean backup restore

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

venv: $(VENV)/.runtime-installed

## make run: migrate, load the demo, print the logins and serve on http://$(ADDR) (127.0.0.1:8000 unless set)
## (ADDR=192.168.1.20:8000 make run serves on that address; the demo's QR codes and e-mail links follow it)
ADDR ?= 127.0.0.1:8000
run: export OCOP_SITE_DOMAIN := $(or $(OCOP_SITE_DOMAIN),$(ADDR))
run: venv
	@echo "Certificate QR codes and e-mail links point at http://$(OCOP_SITE_DOMAIN)"
	$(PY) manage.py compile_translations
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@if [ -n "$$CELERY_BROKER_URL" ]; then \
	  echo "Starting a Celery worker with beat on $$CELERY_BROKER_URL"; \
	  $(VENV)/bin/celery -A ocop_portal worker -B --loglevel=INFO & worker=$$!; \
	  trap "kill $$worker" EXIT; \
	  $(PY) manage.py runserver $(ADDR); \
	else \
	  $(PY) manage.py runserver $(ADDR); \
	fi

## make test: start PostgreSQL/Redis/Chromium if needed, lint, check migrations, run pytest
test: services test-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --check --quiet
	$(VENV)/bin/lint-imports
	$(TEST_ENV) $(VENV)/bin/mypy
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(PY) manage.py compile_translations
	$(TEST_ENV) $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist load

test-deps: $(VENV)/.dev-installed

services:
	@bash scripts/ensure-test-services.sh

lint: test-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --check --quiet
	$(VENV)/bin/lint-imports
	$(TEST_ENV) $(VENV)/bin/mypy

## make messages: refresh the .po files from the code and templates (needs gettext)
messages: venv
	$(PY) manage.py makemessages -l vi -l en --ignore=.venv --ignore=staticfiles --no-obsolete

## make backup: database dump + private and media files + manifest, into var/backups/<timestamp>/
backup: venv
	$(PY) manage.py backup $(if $(OUTPUT),--output $(OUTPUT))

## make restore BACKUP=var/backups/<timestamp>: into the (fresh) DATABASE_URL and empty file folders, verified
restore: venv
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=var/backups/<timestamp>"; exit 2; }
	$(PY) manage.py restore $(BACKUP)

bench: test-deps
	@ls bench/*.py >/dev/null 2>&1 && for b in bench/*.py; do $(PY) $$b; done || echo "no benchmarks yet"

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache test-artifacts
