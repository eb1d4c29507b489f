# mhsip's tasks. Run `make` on its own to list them.
#
# Everything a fresh machine needs is installed by these targets (a .venv from PyPI, front-end
# packages from npm); .ci/run adds the system packages (Chromium, PostgreSQL) that CI lacks.

.DEFAULT_GOAL := help
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MHSIP := $(BIN)/mhsip
# Stamp files make `venv` and `assets` no-ops until pyproject.toml or package-lock.json change.
VENV_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
ASSETS_DIR := assets/dist
ASSETS_STAMP := $(ASSETS_DIR)/.built
NHSUK_DIST := node_modules/nhsuk-frontend/dist/nhsuk
CHROMIUM := /usr/bin/chromium
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/mhsip
PYTEST_ARGS ?=

# pytest exits 5 when it collected no tests; treat that as the failure it is, so a broken
# collection can never pass as a green run.
define run_pytest
status=0; $(BIN)/pytest $(PYTEST_ARGS) || status=$$?; \
if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing the run"; exit 1; fi; \
exit $$status
endef

define browser_note
if [ ! -x $(CHROMIUM) ]; then echo "Browser tests SKIPPED: $(CHROMIUM) not found (CI installs it)"; fi; \
$(BIN)/python -c 'import weasyprint' >/dev/null 2>&1 || echo "PDF report tests SKIPPED: Pango not found (apt-get install libpango-1.0-0 libpangoft2-1.0-0; CI installs it)"
endef

.PHONY: help
help: ## List the targets (the default)
	@echo "usage: make <target>"
	@grep -E '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-18s %s\n", $$1, $$2}'

.PHONY: venv
venv: $(VENV_STAMP) ## Create .venv and install mhsip (editable) with its dev tools

$(VENV_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "mhsip needs Python 3.11 or newer as $(PYTHON) (try: make PYTHON=python3.12 ...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --editable '.[dev]'
	touch $@

.PHONY: assets
assets: $(ASSETS_STAMP) ## Install front-end packages (npm ci) and copy the NHS.UK frontend into assets/dist

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(ASSETS_STAMP): $(NODE_STAMP) assets/src/charts.js
	rm -rf $(ASSETS_DIR)
	mkdir -p $(ASSETS_DIR)/nhsuk
	cp $(NHSUK_DIST)/nhsuk-frontend.min.css $(NHSUK_DIST)/nhsuk-frontend.min.css.map \
	   $(NHSUK_DIST)/nhsuk-frontend.min.js $(NHSUK_DIST)/nhsuk-frontend.min.js.map \
	   $(ASSETS_DIR)/nhsuk/
	cp -R $(NHSUK_DIST)/assets $(ASSETS_DIR)/nhsuk/assets
# The compiled stylesheet refers to its icons as /assets/...; make those relative so they
# resolve under STATIC_URL (and collectstatic can fingerprint them).
	sed -i 's#url(/assets/#url(assets/#g' $(ASSETS_DIR)/nhsuk/nhsuk-frontend.min.css
# One file for the interactive charts: Vega, Vega-Lite, vega-embed and the CSP-safe expression
# interpreter, bundled by esbuild (no eval, no CDN).
	node_modules/.bin/esbuild assets/src/charts.js --bundle --minify --format=iife \
	   --log-level=warning --outfile=$(ASSETS_DIR)/charts/charts.js
	touch $@

.PHONY: run
run: venv assets ## Set up the database, load the demo if it is empty, serve http://127.0.0.1:8000
	DEBUG=1 $(MHSIP) migrate --no-input
# A fictional region with demo logins (README, "The demo region"); skipped once the database has
# any organisation, so restarting keeps whatever you changed.
	DEBUG=1 $(MHSIP) load_demo --if-empty
# A task worker runs beside the server for background work (large imports, alerts); it stops
# when the server does.
	DEBUG=1 $(MHSIP) db_worker --interval 2 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	DEBUG=1 $(MHSIP) runserver 127.0.0.1:8000

.PHONY: test
test: venv assets ## Lint, check formatting, then run every test against SQLite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@$(browser_note)
	@$(run_pytest)

.PHONY: test-postgres
test-postgres: venv assets ## Run every test against PostgreSQL (POSTGRES_URL, default 127.0.0.1:5432)
	@$(BIN)/python -c 'import socket, sys, urllib.parse; u = urllib.parse.urlsplit(sys.argv[1]); socket.create_connection((u.hostname, u.port or 5432), timeout=3).close()' '$(POSTGRES_URL)' 2>/dev/null \
	  || { echo "PostgreSQL is not reachable at $(POSTGRES_URL): start it, or set POSTGRES_URL (.ci/run shows how to install it)"; exit 1; }
	@$(browser_note)
	@export DATABASE_URL='$(POSTGRES_URL)'; $(run_pytest)

.PHONY: check
check: venv assets ## Lint, formatting, Django system checks and migrations; changes nothing
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(MHSIP) check --fail-level WARNING
	DEBUG=1 $(MHSIP) makemigrations --check --dry-run

.PHONY: fix
fix: venv ## Fix what ruff can fix, and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

.PHONY: migrations-check
migrations-check: venv ## Fail if a model change has no migration
	DEBUG=1 $(MHSIP) makemigrations --check --dry-run

.PHONY: bench
bench: venv ## Time the SPC core (vs clinical-qikit), the dashboards and the MHSDS import (benchmarks/)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check '.[bench]'
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/dashboards.py
	$(BIN)/python benchmarks/imports.py
