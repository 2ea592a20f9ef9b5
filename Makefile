# Pairs Ressources — the two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test install lint typecheck imports check-migrations check-deploy messages messages-check ci clean-db backup restore security

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

## make demo: install, start PostgreSQL, migrate, load demo data, start the worker, serve :8000
demo: $(STAMP)
	@$(PY) -m pairs.launcher demo

## make test: the whole test suite (browser journeys included when Chromium is present)
test: $(STAMP)
	@$(PY) -m pairs.launcher run $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check pairs tests
	$(VENV)/bin/ruff format --check pairs tests

typecheck: $(STAMP)
	@$(PY) -m pairs.launcher run $(VENV)/bin/mypy pairs tests

imports: $(STAMP)
	$(VENV)/bin/lint-imports

check-migrations: $(STAMP)
	@$(PY) -m pairs.launcher run $(PY) manage.py makemigrations --check --dry-run

check-deploy: $(STAMP)
	DJANGO_SETTINGS_MODULE=pairs.settings.production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	  DATABASE_URL=postgres://unused@127.0.0.1:1/unused ALLOWED_HOSTS=pairs.example.org \
	  PAIRS_ENCRYPTION_KEYS=$$(head -c 32 /dev/urandom | base64 | tr '+/' '-_') \
	  $(PY) manage.py check --deploy --fail-level WARNING

## make messages: refresh the English catalogue from the French source strings, then compile it
messages: $(STAMP)
	$(PY) -m pairs.launcher run $(PY) manage.py makemessages -l en --no-location --no-obsolete \
	  --ignore 'var/*' --ignore 'tests/*' --ignore 'scripts/*' --ignore 'docs/*'
	$(PY) -m pairs.launcher run $(PY) manage.py compilemessages -l en --ignore '.venv' --ignore 'var'

messages-check: $(STAMP)
	@$(PY) -m pairs.launcher run $(PY) scripts/check_catalogue.py

ci: lint imports typecheck check-migrations check-deploy security messages-check test

clean-db:
	rm -rf var/postgres

## make backup: encrypted backup of the database into var/backups/ (key in PAIRS_BACKUP_KEY)
backup: $(STAMP)
	@$(PY) -m pairs.launcher run $(PY) manage.py backup $(BACKUP_ARGS)

## make restore FILE=var/backups/….backup [DATABASE=scratch] YES=1 [RESTORE_ARGS=--clean]: restore, then check every table
restore: $(STAMP)
	@test -n "$(FILE)" || { echo "Usage : make restore FILE=… [DATABASE=nom] YES=1 [RESTORE_ARGS=--clean]"; exit 2; }
	@$(PY) -m pairs.launcher run $(PY) manage.py restore --input "$(FILE)" $(if $(DATABASE),--database "$(DATABASE)") $(if $(YES),--yes) $(RESTORE_ARGS)

## make security: bandit on the application code, no finding of high severity allowed
security: $(STAMP)
	$(VENV)/bin/bandit -q -r pairs -x pairs/territory/data --severity-level high
