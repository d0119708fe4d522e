# Mulighetsportalen: `make run` serves the demo municipality, `make test` runs everything.
# Both work on a fresh machine with Python 3.11, Node.js and npm.

PYTHON_BOOTSTRAP ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails and feeds are built from this (portal.absolute_urls).
PORTAL_BASE_URL ?= http://$(HOST):$(PORT)
PYTEST_ARGS ?=

.PHONY: run test lint check install browser redis messages migrate seed clean help bench bench-ready bench-hosts

help:
	@echo "make run    - install, migrate, load the demo municipality, serve on http://$(HOST):$(PORT)"
	@echo "make test   - install, lint, check, and run the whole test suite (browser tests too)"
	@echo "make bench  - benchmark at 10 000 and 100 000 ideas (BENCH_ARGS=\"--sizes 2000\" for a quick one)"
	@echo "make bench-hosts - two app servers sharing Redis and PostgreSQL (BENCH_HOSTS_ARGS=\"--size 2000\")"

# --- Installation (re-run only when the dependency files change) ---------------------------

$(VENV)/.python-installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON_BOOTSTRAP) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

# No install scripts: the only package with one is vnu-jar, whose script would download a
# Java runtime; the tests use Debian's (see `browser`).
node_modules/.npm-installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.python-installed node_modules/.npm-installed

# Compiled translations are build output, not source: made from the .po files.
messages: install
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

migrate: messages
	$(MANAGE) migrate --no-input

seed: migrate
	$(MANAGE) seed_demo

run: seed
	PORTAL_BASE_URL=$(PORTAL_BASE_URL) $(MANAGE) runserver $(HOST):$(PORT)

# --- Quality -------------------------------------------------------------------------------

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: messages
	DJANGO_SETTINGS_MODULE=portal.settings.test $(MANAGE) check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=portal.settings.test $(MANAGE) makemigrations --check --dry-run

# Browser tests drive Debian's Chromium; the HTML validity tests run the Nu Html Checker
# (npm's vnu-jar) on Debian's Java. As root we install what is missing, as CI does;
# otherwise we say what to install instead of failing halfway through the suite.
# command:Debian package, for each program the tests need.
BROWSER_PACKAGES := chromium:chromium java:default-jre-headless

browser:
	@missing=""; for pair in $(BROWSER_PACKAGES); do \
	  command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "The tests need:$$missing (sudo apt-get install$$missing)"; exit 1; \
	  fi; \
	fi

# The shared-cache tests (tests/portal: several app servers, one Redis) start Debian's
# redis-server on a free port themselves, or use TEST_REDIS_URL. As root we install it,
# as CI does; otherwise we say what to install.
redis:
	@command -v redis-server >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; \
	  else \
	    echo "The shared-cache tests need Redis: sudo apt-get install redis-server"; exit 1; \
	  fi; }

test: lint check browser redis
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# --- Benchmark (not a test: run it by hand; see bench/README.md) ----------------------------
# Starts its own PostgreSQL and gunicorn on 127.0.0.1, installs Debian's wrk if missing.
BENCH_ARGS ?=

# The benchmark measures what is installed and never installs itself: pip or npm running
# first could change what is measured, or stall on the network. It only checks that
# `make install` has been run, and compiles the translations (no download).
bench-ready:
	@test -x $(PY) || { echo "make bench: no virtualenv in $(VENV); run 'make install' first (the benchmark never installs)"; exit 1; }
	@test -d node_modules || { echo "make bench: no node_modules; run 'make install' first (the benchmark never installs)"; exit 1; }
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

bench: bench-ready
	$(PY) -m bench $(BENCH_ARGS)

# Two app servers ("hosts") sharing Redis and PostgreSQL: a write on one is seen on the
# other's next request, and their throughput side by side. Starts its own Redis too.
BENCH_HOSTS_ARGS ?=

bench-hosts: bench-ready
	$(PY) -m bench.two_hosts $(BENCH_HOSTS_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
