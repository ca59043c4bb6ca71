"""Which files are sources, and finding them: kept free of heavy imports so planning a run is fast."""

from __future__ import annotations

from pathlib import Path

PDF_SUFFIXES = frozenset({".pdf"})
TEXT_SUFFIXES = frozenset({".txt"})
DOCX_SUFFIXES = frozenset({".docx"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
PANDOC_SUFFIXES = DOCX_SUFFIXES | HTML_SUFFIXES | MARKDOWN_SUFFIXES
SUPPORTED_SUFFIXES = PDF_SUFFIXES | TEXT_SUFFIXES | PANDOC_SUFFIXES


def is_source(path: Path) -> bool:
    """A supported file that is not hidden or a partial download (.part, ~$lock files of Office)."""
    return path.suffix.lower() in SUPPORTED_SUFFIXES and not path.name.startswith((".", "~$"))


def find_sources(paths: list[Path]) -> list[Path]:
    """Supported files under the given files and directories, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file() and is_source(p))
        else:
            found.append(path)
    return found
