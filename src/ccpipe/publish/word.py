"""Word and Markdown briefs: pandoc (bundled by pypandoc_binary) converts the plain HTML rendering of the brief.

Terms, figures and glosses reach Word as character styles (Term, Amount, Gloss) defined in a reference
document derived from pandoc's own, so a reader sees them marked and an editor can restyle them at once.
"""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
import zipfile
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pypandoc

from ccpipe.publish.brief import Brief
from ccpipe.publish.html import render_pandoc_html

# The HTML carries no resource; --sandbox still keeps pandoc from reading or fetching anything a document names.
_COMMON = ["--sandbox", "--from=html"]
# Pandoc's own Markdown, so that merged table cells survive (grid tables); spans, link attributes and raw HTML
# are dropped, which leaves terms followed by their [English] in plain text. No wrapping: a line break between
# two Chinese characters would read as a space in most Markdown readers (pandoc's east_asian_line_breaks aside).
MARKDOWN = (
    "markdown-bracketed_spans-native_spans-native_divs-raw_html-header_attributes-smart-tex_math_dollars"
    "-simple_tables-multiline_tables-link_attributes"
)
_STYLES = {
    "Term": '<w:u w:val="single" w:color="0D5C57"/>',
    "Amount": '<w:b/><w:color w:val="0D5C57"/>',
    "Gloss": '<w:color w:val="5D6675"/><w:sz w:val="18"/><w:szCs w:val="18"/>',
    "Origin": '<w:color w:val="5D6675"/><w:sz w:val="16"/><w:szCs w:val="16"/>',
}


def _pandoc(args: list[str], source: str, epoch: int) -> bytes:
    # SOURCE_DATE_EPOCH makes pandoc's Word file (core properties, zip times) the same bytes on every run.
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    done = subprocess.run(
        [pypandoc.get_pandoc_path(), *args], input=source.encode("utf-8"), capture_output=True, env=env, check=False
    )
    if done.returncode:
        raise RuntimeError(f"pandoc failed ({done.returncode}): {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout


@cache
def _reference_docx() -> bytes:
    """Pandoc's default reference document plus the brief's character styles."""
    default = _pandoc(["--print-default-data-file", "reference.docx"], "", 0)
    styles = "".join(
        f'<w:style w:type="character" w:customStyle="1" w:styleId="{name}"><w:name w:val="{name}"/>'
        f'<w:basedOn w:val="DefaultParagraphFont"/><w:rPr>{props}</w:rPr></w:style>'
        for name, props in _STYLES.items()
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(default)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/styles.xml":
                data = data.replace(b"</w:styles>", styles.encode("utf-8") + b"</w:styles>")
            dst.writestr(zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return out.getvalue()


def _epoch(brief: Brief) -> int:
    """The source's publication date as the Word file's date: fixed per document, and meaningful."""
    parts = [int(p) for p in (brief.title.date or "1980").split("-")[:3]] + [1, 1]
    try:
        return int(datetime(parts[0], parts[1], parts[2], tzinfo=UTC).timestamp())
    except ValueError:
        return 315532800  # 1980-01-01, the earliest date a zip file can hold


def render_docx(brief: Brief) -> bytes:
    with tempfile.TemporaryDirectory(prefix="ccpipe-docx-") as tmp:
        reference = Path(tmp) / "reference.docx"
        reference.write_bytes(_reference_docx())
        args = [*_COMMON, "--to=docx", f"--reference-doc={reference}", "--output=-"]
        return _pandoc(args, render_pandoc_html(brief), _epoch(brief))


def render_markdown(brief: Brief) -> str:
    args = [*_COMMON, f"--to={MARKDOWN}", "--wrap=none"]
    return _pandoc(args, render_pandoc_html(brief), _epoch(brief)).decode("utf-8")
