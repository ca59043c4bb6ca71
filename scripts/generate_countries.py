"""Regenerate glossary/countries.yaml from CLDR (Babel) and glossary/sources/country-overrides.yaml.

Same as ``ccpipe glossary countries``. From the project root: ``.venv/bin/python scripts/generate_countries.py``;
``--check`` only reports whether the file is up to date (exit status 1 if not).
"""

from __future__ import annotations

import sys

import typer

from ccpipe.terms.termbase.cli import COUNTRIES, OVERRIDES, countries

if __name__ == "__main__":
    try:
        countries(output=COUNTRIES, overrides=OVERRIDES, check_only="--check" in sys.argv[1:])
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
