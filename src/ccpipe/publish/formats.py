"""What a run can publish, and the brief's default languages: plain constants, cheap to import.

The settings and the command line need these before any document is built; importing the publishers
(Jinja, Babel, jsonschema, WeasyPrint) to read them would make every command pay for publishing.
"""

from __future__ import annotations

FORMATS = ("json", "html", "pdf", "docx", "md")
BRIEFS = ("html", "pdf", "docx", "md")
# Babel ids, the document's own first (see :mod:`ccpipe.publish.i18n`).
DEFAULT_LANGUAGES = ("zh_Hans", "en")
