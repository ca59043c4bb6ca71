"""What a run can publish, and the brief's default languages: plain constants, cheap to import.

The settings and the command line need these before any document is built; importing the publishers
(Jinja, Babel, jsonschema, WeasyPrint) to read them would make every command pay for publishing.
"""

from __future__ import annotations

FORMATS = ("json", "html", "pdf", "docx", "md")
BRIEFS = ("html", "pdf", "docx", "md")
# The files each format writes into a document's folder (every document's English edition goes with its HTML
# and PDF briefs); a build recorded without one of them is redone.
FORMAT_FILES = {
    "json": ("document.json",),
    "html": ("brief.html", "brief.en.html"),
    "pdf": ("brief.pdf", "brief.en.pdf"),
    "docx": ("brief.docx",),
    "md": ("brief.md",),
}
# Babel ids, the document's own first (see :mod:`ccpipe.publish.i18n`).
DEFAULT_LANGUAGES = ("zh_Hans", "en")
