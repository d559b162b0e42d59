# Karya. Run `make` to list the targets.
#
# Every target that needs Python first makes sure .venv exists and holds the project with its
# dev tools; pip runs again only when pyproject.toml is newer than the last install.

.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
MANAGE := $(PY) manage.py
# Written after a successful install; depends on pyproject.toml, so a changed
# pyproject.toml (or a deleted .venv) triggers one more install.
INSTALLED := $(VENV)/.installed-dev

PORT ?= 8000
PYTEST_ARGS ?=
# make test spreads the tests over this many pytest-xdist workers (auto: one per core, at
# most 4), each with a PostgreSQL database of its own; PYTEST_ARGS="-n 0" runs them in one.
TEST_WORKERS ?= auto
BENCH_ARGS ?=
# Settings for migrate, messages, worker and beat: the environment's DJANGO_SETTINGS_MODULE
# if set, else the development settings. `make demo` always uses the development settings
# and `make test` always the test settings (from pyproject.toml).
SETTINGS := $(or $(DJANGO_SETTINGS_MODULE),shop.settings.dev)
I18N_IGNORE := --ignore=.venv --ignore=var --ignore=node_modules --ignore=media

.PHONY: help venv install demo test bench lint format migrate messages clean worker beat

help: ## List the targets (the default)
	@echo "Usage: make TARGET   (PORT=8000 for demo, PYTEST_ARGS=\"-k foo\" for test)"
	@echo
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "} {printf "  %-10s %s\n", $$1, $$2}'

venv: $(INSTALLED) ## Create .venv and install the project with its dev tools (only when pyproject.toml changed)

install: venv ## Same as venv

$(INSTALLED): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing the project and its dev tools into $(VENV) (pip -q)"
	$(PIP) install -q -e '.[dev,bench]'
	@touch $@

demo: $(INSTALLED) ## Migrate, load the demo shop and serve it at http://127.0.0.1:8000 (PORT=9000 make demo)
	DJANGO_SETTINGS_MODULE=shop.settings.dev $(MANAGE) migrate --noinput
	@if [ -d locale ] && command -v msgfmt >/dev/null 2>&1; then \
		echo "DJANGO_SETTINGS_MODULE=shop.settings.dev $(MANAGE) compilemessages"; \
		DJANGO_SETTINGS_MODULE=shop.settings.dev $(MANAGE) compilemessages -v 0 $(I18N_IGNORE); \
	else \
		echo "Skipping compilemessages (no locale/ or no msgfmt): the committed .mo files are used"; \
	fi
	DJANGO_SETTINGS_MODULE=shop.settings.dev $(MANAGE) load_demo_data </dev/null
	@echo
	@echo "Karya: http://127.0.0.1:$(PORT)/   (logins in README.md; password karya-demo-2026)"
	@echo
	DJANGO_SETTINGS_MODULE=shop.settings.dev $(MANAGE) runserver 127.0.0.1:$(PORT)

test: $(INSTALLED) ## Run pytest against a throwaway PostgreSQL and Redis (PYTEST_ARGS="-k foo")
	@bash scripts/ensure-system-packages.sh
	@bash scripts/ensure-axe.sh
	bash scripts/with-services.sh env -u DJANGO_SETTINGS_MODULE $(PY) -m pytest \
		-n $(TEST_WORKERS) --maxprocesses 4 --dist loadgroup --durations=25 $(PYTEST_ARGS)

bench: $(INSTALLED) ## Karya against a stock Oscar shop on 10,000 products; prints the table (BENCH_ARGS="--products 2000")
	@bash scripts/ensure-system-packages.sh bench
	bash scripts/with-services.sh env -u DJANGO_SETTINGS_MODULE $(PY) -m tests.benchmarks.run $(BENCH_ARGS)

lint: $(INSTALLED) ## Check code and formatting with ruff (changes nothing)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(INSTALLED) ## Sort imports and format the code with ruff
	$(VENV)/bin/ruff check --select I --fix .
	$(VENV)/bin/ruff format .

migrate: $(INSTALLED) ## Apply database migrations (settings: DJANGO_SETTINGS_MODULE, else dev)
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(MANAGE) migrate --noinput

messages: $(INSTALLED) ## Update locale/id .po files (django + djangojs) and compile them
	mkdir -p locale
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(MANAGE) makemessages -l id -d django $(I18N_IGNORE)
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(MANAGE) makemessages -l id -d djangojs $(I18N_IGNORE)
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(MANAGE) compilemessages $(I18N_IGNORE)

clean: ## Remove var/, db.sqlite3 and caches (keeps .venv)
	rm -rf var db.sqlite3 db.sqlite3-journal db.sqlite3-wal db.sqlite3-shm \
		.pytest_cache .ruff_cache test-results celerybeat-schedule *.egg-info build
	find . -path ./.venv -prune -o -path ./.git -prune -o \
		-type d -name __pycache__ -prune -exec rm -rf {} +

worker: $(INSTALLED) ## Run a Celery worker (needs REDIS_URL; settings as for migrate)
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(VENV)/bin/celery -A shop worker -l info

beat: $(INSTALLED) ## Run Celery beat, the periodic-task scheduler (schedule state in var/)
	mkdir -p var
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(VENV)/bin/celery -A shop beat -l info \
		--schedule var/celerybeat-schedule
