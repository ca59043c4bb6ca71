"""Extraction's defaults, cheap to import: the settings read them before any reader is loaded."""

from __future__ import annotations

# Reading a text PDF takes seconds (the 22-page quarterly report: 2.5 s); two minutes only stops
# files that would never finish.
EXTRACT_SECONDS = 120.0
# Two tesseract processes (one thread each) on this project's 2-core machines: 1.6x the pages per
# second of one at a time on an otherwise idle machine (less when it is busy); more would only queue.
OCR_WORKERS = 2
