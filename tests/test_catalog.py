"""The catalogue (index.html, feed.xml, manifest.json) over an output folder the real pipeline wrote."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import feedparser
import pytest

from ccpipe.catalog import build_catalogue, update_catalogue
from ccpipe.models import Document
from ccpipe.publish.writer import publish
from ccpipe.runs.pipeline import Resources, default_source_options, process_file

from .conftest import SAMPLE_PDF, publish_options, shared_file

T1 = datetime(2025, 3, 1, 8, 30, tzinfo=UTC)
T2 = datetime(2025, 4, 2, 9, 45, 12, 345678, tzinfo=UTC)
SITE = "https://briefs.example.org/climate/"
CATALOGUE_FILES = ("index.html", "feed.xml", "manifest.json")


@pytest.fixture(scope="module")
def published(resources: Resources, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("published")
    sources = (
        SAMPLE_PDF,
        shared_file("docx", "sichuan-2025-government-work-report.docx"),
        shared_file("pdf", "merged-cell-table.pdf"),
    )
    for source in sources:
        outcome = process_file(source, resources, default_source_options(), publish_options(out))
        assert outcome.ok, outcome.error
    return out


@pytest.fixture
def output(published: Path, tmp_path: Path) -> Path:
    """A private copy of the published folder, so each test may change it."""
    return Path(shutil.copytree(published, tmp_path / "output"))


def _documents(output: Path) -> dict[str, dict[str, Any]]:
    return {
        p.parent.name: json.loads(p.read_text(encoding="utf-8"))["document"] for p in output.glob("*/document.json")
    }


def _feed(output: Path) -> feedparser.FeedParserDict:
    feed = feedparser.parse((output / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def _manifest(output: Path) -> dict[str, dict[str, Any]]:
    data = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    return {doc["dir"]: doc for doc in data["documents"]}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "href" and value:
                self.hrefs.append(value)
            if name == "src" and value:
                self.external.append(value)


def test_feed_has_one_entry_per_document_with_working_links(output: Path) -> None:
    paths = build_catalogue(output, now=T1)
    assert [p.name for p in paths] == list(CATALOGUE_FILES)
    feed = _feed(output)
    documents = _documents(output)
    assert len(feed.entries) == len(documents) == 3
    assert {e.id for e in feed.entries} == {f"urn:sha256:{d['source']['sha256']}" for d in documents.values()}
    assert feed.feed.updated == "2025-03-01T08:30:00+00:00"
    for entry in feed.entries:
        folder = next(name for name, d in documents.items() if entry.id.endswith(d["source"]["sha256"]))
        assert entry.title == documents[folder]["title"]
        assert entry.updated == "2025-03-01T08:30:00+00:00"
        links = {link.rel: link.href for link in entry.links}
        assert unquote(links["alternate"]) == f"{folder}/brief.html"
        for link in entry.links:
            assert (output / unquote(link.href)).is_file()
    sample = next(e for e in feed.entries if "国家应对气候变化战略研究和国际合作中心" in e.summary)
    assert "巴黎协定 (Paris Agreement)" in sample.summary


def test_feed_links_are_absolute_with_a_base_url(output: Path) -> None:
    build_catalogue(output, now=T1, base_url=SITE.rstrip("/"))
    feed = _feed(output)
    assert feed.feed.id == SITE + "feed.xml"
    assert any(link.rel == "self" and link.href == SITE + "feed.xml" for link in feed.feed.links)
    for entry in feed.entries:
        for link in entry.links:
            assert link.href.startswith(SITE)
            assert (output / unquote(link.href[len(SITE) :])).is_file()


def test_index_links_resolve_and_list_newest_first(output: Path) -> None:
    build_catalogue(output, now=T1, base_url=SITE)
    html = (output / "index.html").read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(html)
    assert parser.external == []  # self-contained: no scripts, images or fonts fetched
    for link in parser.hrefs:
        parts = urlsplit(link)
        assert not parts.scheme and not parts.netloc, f"index links must be relative: {link}"
        assert (output / unquote(parts.path)).is_file(), link
    for folder in _documents(output):
        for name in ("brief.html", "document.json", "candidates.csv"):
            assert any(unquote(h) == f"{folder}/{name}" for h in parser.hrefs), (folder, name)
    assert '<html lang="zh-Hans">' in html
    assert '<span lang="en">Publisher</span>' in html
    # Entity facets: checkboxes to filter by, and each brief's main entities with English names.
    assert 'value="paris-agreement"' in html
    assert '<span class="en" lang="en">Paris Agreement</span>' in html
    # Newest first by document date (the sample is dated 2023-10), then undated ones by title.
    order = [
        html.index(title)
        for title in ("全球应对气候变化合作进展评估及相关建议", "2025年四川省政府工作报告", "merged-cell-table")
    ]
    assert order == sorted(order)


def test_rebuilding_unchanged_output_changes_no_byte(output: Path) -> None:
    build_catalogue(output, now=T1)
    before = {name: (output / name).read_bytes() for name in CATALOGUE_FILES}
    catalogue = update_catalogue(output, now=T2)
    assert catalogue.changed == []
    assert {name: (output / name).read_bytes() for name in CATALOGUE_FILES} == before
    assert b"2025-04-02" not in before["index.html"] + before["feed.xml"] + before["manifest.json"]


def test_republished_document_updates_only_its_entry(output: Path) -> None:
    build_catalogue(output, now=T1)
    folder = "sichuan-2025-government-work-report"
    document = Document.model_validate_json((output / folder / "document.json").read_bytes())
    retitled = document.model_copy(
        update={"document": document.document.model_copy(update={"title": "2025年四川省政府工作报告（修订）"})}
    )
    publish(retitled, output / folder, ("json", "html"))

    catalogue = update_catalogue(output, now=T2)

    assert [entry.dir for entry in catalogue.changed] == [folder]
    manifest = _manifest(output)
    assert manifest[folder]["updated"] == "2025-04-02T09:45:12Z"
    assert manifest[folder]["first_published"] == "2025-03-01T08:30:00Z"
    assert manifest[folder]["title"] == "2025年四川省政府工作报告（修订）"
    assert {d["updated"] for name, d in manifest.items() if name != folder} == {"2025-03-01T08:30:00Z"}
    feed = _feed(output)
    assert feed.feed.updated == "2025-04-02T09:45:12+00:00"
    updated = {e.title: e.updated for e in feed.entries}
    assert updated["2025年四川省政府工作报告（修订）"] == "2025-04-02T09:45:12+00:00"
    assert sorted(updated.values()).count("2025-03-01T08:30:00+00:00") == 2
    assert feed.entries[0].title == "2025年四川省政府工作报告（修订）"  # most recently updated first
    assert "2025年四川省政府工作报告（修订）" in (output / "index.html").read_text(encoding="utf-8")


def test_broken_and_foreign_folders_are_skipped_and_reported(output: Path) -> None:
    (output / "half-written").mkdir()
    (output / "half-written" / "document.json").write_text('{"document": {"id": "x"', encoding="utf-8")
    (output / "no-document").mkdir()
    (output / "runs").mkdir()
    (output / "runs" / "2025-03-01.json").write_text("{}", encoding="utf-8")
    (output / ".cache").mkdir()
    (output / "notes.txt").write_text("not a folder", encoding="utf-8")

    catalogue = update_catalogue(output, now=T1)

    assert len(catalogue.entries) == 3
    assert {(w.dir, w.code) for w in catalogue.warnings} == {
        ("half-written", "CATALOG_BAD_DOCUMENT"),
        ("no-document", "CATALOG_NO_DOCUMENT"),
    }
    data = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    assert {w["dir"] for w in data["warnings"]} == {"half-written", "no-document"}
    assert len(_feed(output).entries) == 3


def test_removed_and_added_documents(output: Path, published: Path) -> None:
    build_catalogue(output, now=T1)
    shutil.move(output / "merged-cell-table", output.parent / "moved-away")
    catalogue = update_catalogue(output, now=T2)
    assert "merged-cell-table" not in _manifest(output)
    assert catalogue.changed == []
    shutil.move(output.parent / "moved-away", output / "merged-cell-table")
    catalogue = update_catalogue(output, now=T2)
    # Back after an absence: a new publication as far as the feed's readers know.
    assert [e.dir for e in catalogue.changed] == ["merged-cell-table"]
    assert _manifest(output)["merged-cell-table"]["first_published"] == "2025-04-02T09:45:12Z"


def test_english_editions_are_linked_where_written(output: Path, resources: Resources) -> None:
    """The English edition (brief.en.html with the HTML brief, brief.en.pdf with the PDF) is linked beside the
    briefs: in the feed marked as English with its media type, in the index also from the English title. A
    document whose formats wrote no English edition links none."""
    folder, pdf_only = "全球应对气候变化合作进展评估及相关建议", "merged-cell-table"
    sichuan = "sichuan-2025-government-work-report"
    options = publish_options(output, ("json", "pdf"))
    outcome = process_file(shared_file("pdf", f"{pdf_only}.pdf"), resources, default_source_options(), options)
    assert outcome.ok, outcome.error
    (output / sichuan / "brief.en.html").unlink()  # as if written before editions
    build_catalogue(output, now=T1)
    documents = _documents(output)
    assert set(documents) == {folder, pdf_only, sichuan}
    english = {}
    for entry in _feed(output).entries:
        name = next(n for n, d in documents.items() if entry.id.endswith(d["source"]["sha256"]))
        english[name] = {unquote(link.href): link for link in entry.links if ".en." in link.href}
    html, pdf = f"{folder}/brief.en.html", f"{pdf_only}/brief.en.pdf"
    assert set(english[folder]) == {html} and set(english[pdf_only]) == {pdf}
    assert not english[sichuan]
    assert (english[folder][html].type, english[folder][html].hreflang) == ("text/html", "en")
    assert (english[pdf_only][pdf].type, english[pdf_only][pdf].hreflang) == ("application/pdf", "en")
    assert english[folder][html].title == "English edition (HTML)"

    index = (output / "index.html").read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(index)
    linked = {unquote(h) for h in parser.hrefs if ".en." in h}
    assert linked == {html, pdf}
    title_en = documents[folder]["title_en"] or "English edition"  # the sample's title has no glossary English
    assert f'<a class="en" lang="en" href="{quote(folder)}/brief.en.html">{title_en}</a>' in index
    files = {name: {f["name"] for f in entry["files"]} for name, entry in _manifest(output).items()}
    editions = {name: sorted(f for f in names if ".en." in f) for name, names in files.items()}
    assert editions == {folder: ["brief.en.html"], pdf_only: ["brief.en.pdf"], sichuan: []}
