"""Extraction's defaults, cheap to import: the settings read them before any reader is loaded."""

from __future__ import annotations

from ccpipe.machine import available_cores

# Reading a text PDF takes seconds (the 22-page quarterly report: 2.5 s); two minutes only stops
# files that would never finish.
EXTRACT_SECONDS = 120.0
# Pages recognised at once by default, one thread each: the cores this process may use.
OCR_WORKERS = available_cores()
