"""The catalogue of an output folder: an index page, an Atom feed and a manifest of every brief."""

from __future__ import annotations

from ccpipe.catalog.build import Catalogue, build_catalogue, update_catalogue
from ccpipe.catalog.manifest import CatalogWarning, Entry, Manifest, OutputFile

__all__ = [
    "CatalogWarning",
    "Catalogue",
    "Entry",
    "Manifest",
    "OutputFile",
    "build_catalogue",
    "update_catalogue",
]
