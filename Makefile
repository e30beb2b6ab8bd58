# The two commands of the README: `make run` and `make test`. Everything else is a helper.
# `make test` builds the test database afresh (a database left by an interrupted run never
# leaks into the result); PYTEST_ARGS="-x tests/licensing" replaces that for quick local runs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: run test install lint format chromium services migrate seed bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	@$(PY) -m pip install --quiet --disable-pip-version-check ".[dev]"
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# The embedded default: SQLite and a folder as broker. Set DATABASE_URL / CELERY_BROKER_URL to
# run the same on PostgreSQL and Redis.
run: install
	@mkdir -p var/broker/out var/broker/processed var/media var/staticfiles
	@$(PY) manage.py migrate --noinput
	@$(PY) manage.py seed_demo
	@echo "RareTrack on http://127.0.0.1:8000  (demo logins in README.md; Ctrl-C stops everything)"
	@$(VENV)/bin/honcho -f Procfile start

test: install chromium
	@DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check_services
	@$(VENV)/bin/ruff check --quiet .
	@$(VENV)/bin/bandit --quiet --recursive --severity-level medium apps config
	@DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run >/dev/null \
		|| { echo "Model changes without a migration: run manage.py makemigrations"; exit 1; }
	@$(VENV)/bin/pytest $(if $(PYTEST_ARGS),$(PYTEST_ARGS),--create-db)

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
	      || { echo "Could not install chromium; install it with: apt-get install chromium"; exit 1; }; \
	  else echo "Chromium is missing for the browser tests; install it with: sudo apt-get install chromium"; exit 1; fi; }

lint: install
	@$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: install
	@$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

bench: install
	@for b in bench/bench_*.py; do [ -e "$$b" ] || continue; echo "== $$b"; DJANGO_SETTINGS_MODULE=config.settings.test $(PY) $$b; done

clean:
	rm -rf $(VENV) var db.sqlite3 .pytest_cache
