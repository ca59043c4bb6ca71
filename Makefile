# Quick start: `make run` (set up, then process source_docs/ into output/) and `make test`.
# Both are idempotent: stamps under .venv/ make a second call skip what is already installed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages: WeasyPrint's Pango/HarfBuzz (harfbuzz-subset makes font subsetting 20x faster),
# CJK fonts so Chinese never renders as tofu, poppler-utils (with poppler-data for PDFs whose CJK fonts are
# not embedded) for looking at PDFs in tests, chromium to open the HTML brief in a real browser in tests
# (console errors, network requests, screenshots), gettext for msgfmt --check of PO exports. OCR's models come
# from PyPI with ccpipe (RapidOCR); the OpenCV wheel it requires links libGL and GLib (libgl1, libglib2.0-0).
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk poppler-utils poppler-data gettext chromium libgl1 libglib2.0-0
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Prefect's other defaults for this machine (no analytics, longer server start) live in flows/settings.py.
export PREFECT_HOME ?= $(CURDIR)/.prefect

.PHONY: run test system-packages lint lock lock-upgrade clean-output countries

run: $(VENV)/.installed-run
	$(BIN)/python -m flows.run

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src flows tests benchmarks
	$(BIN)/ruff format --check src flows tests benchmarks
	$(BIN)/mypy

system-packages:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# Python packages come only from the lock files, exact versions with hashes (see README, "Dependencies");
# `make lock` refreshes them on purpose. The build back end is installed first from its own lock, so
# packages published as source (jieba) build with the locked setuptools, not whatever is newest. The lock
# holds every package, so pip resolves nothing (--no-deps: it would otherwise look up extras such as
# sqlalchemy[asyncio] on the index); `pip check` then proves the installed set complete and consistent.
PIP_LOCKED := $(BIN)/python -m pip install -q --require-hashes --no-deps --no-build-isolation
UV_COMPILE := $(BIN)/uv pip compile -q --universal --python-version 3.11 --generate-hashes

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-build: requirements/build.lock | $(VENV)/bin/python
	$(BIN)/python -m pip install -q --require-hashes -r requirements/build.lock
	touch $@

$(VENV)/.installed-run: requirements/run.lock pyproject.toml $(VENV)/.installed-build | system-packages
	$(PIP_LOCKED) -r requirements/run.lock
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $@

$(VENV)/.installed-dev: requirements/dev.lock pyproject.toml $(VENV)/.installed-build | system-packages
	$(PIP_LOCKED) -r requirements/dev.lock
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $@ $(VENV)/.installed-run

# Refresh the lock files after a change of pyproject.toml, keeping every pin that still fits;
# `make lock-upgrade` moves every package to its newest allowed release (then run `make test`).
lock: | $(VENV)/.installed-dev
	$(UV_COMPILE) $(UPGRADE) requirements/build.in -o requirements/build.lock
	$(UV_COMPILE) $(UPGRADE) pyproject.toml requirements/build.in --extra flows -o requirements/run.lock
	$(UV_COMPILE) $(UPGRADE) pyproject.toml requirements/build.in --extra dev -o requirements/dev.lock

lock-upgrade:
	$(MAKE) lock UPGRADE=--upgrade

clean-output:
	find output -mindepth 1 ! -name .gitkeep -delete

# glossary/countries.yaml from the locked Babel's CLDR data and glossary/sources/country-overrides.yaml.
countries: $(VENV)/.installed-run
	$(BIN)/ccpipe glossary countries
