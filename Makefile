# Quick start: `make run` (set up, then process source_docs/ into output/) and `make test`.
# Both are idempotent: stamps under .venv/ make a second call skip what is already installed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages: WeasyPrint's Pango/HarfBuzz (harfbuzz-subset makes font subsetting 20x faster),
# CJK fonts so Chinese never renders as tofu, poppler-utils for looking at PDFs in tests,
# tesseract-ocr with its Simplified Chinese data for OCR of scanned pages, chromium to open the HTML brief in a
# real browser in tests (console errors, network requests, screenshots).
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk poppler-utils tesseract-ocr tesseract-ocr-chi-sim \
	chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Prefect's other defaults for this machine (no analytics, longer server start) live in flows/settings.py.
export PREFECT_HOME ?= $(CURDIR)/.prefect

.PHONY: run test system-packages lint clean-output

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

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python system-packages
	$(BIN)/python -m pip install -q -e '.[flows]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python system-packages
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed-run

clean-output:
	find output -mindepth 1 ! -name .gitkeep -delete
