"""``feed.xml``: an Atom feed of the briefs, one entry per document, dated by the manifest (never by mtimes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urljoin

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from ccpipe import __version__
from ccpipe.catalog.index import FILE_LABELS, href
from ccpipe.catalog.manifest import Entry, parse_timestamp

FEED_NAME = "feed.xml"
FEED_TITLE = "气候政策简报 · Climate-policy briefs"
# Without a base URL the feed has no address of its own, so its id is a fixed name rather than a location.
DEFAULT_FEED_ID = "urn:ccpipe:catalogue"
# Links an entry carries after its alternate (the HTML brief), with Atom rel and media type.
_RELATED = {
    "brief.pdf": ("enclosure", "application/pdf"),
    "brief.en.html": ("related", "text/html"),
    "brief.en.pdf": ("related", "application/pdf"),
    "brief.docx": ("related", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "brief.md": ("related", "text/markdown"),
    "document.json": ("related", "application/json"),
    "candidates.csv": ("related", "text/csv"),
}
# The English editions, marked for readers that pick a link by language (the other briefs are bilingual).
_HREFLANG = {"brief.en.html": "en", "brief.en.pdf": "en"}


# feedgen builds elements by bare name under a default-namespace root; either spelling is accepted.
_ATOM_LINK = "{http://www.w3.org/2005/Atom}link"
_LINK_ATTRIBUTES = ("rel", "type", "hreflang", "title", "length")


class _Entry(FeedEntry):  # type: ignore[misc]  # feedgen is untyped
    """feedgen 1.0 writes an entry's links with href only (lkiesow/python-feedgen#135): put the rest back."""

    def atom_entry(self, extensions: bool = True) -> Any:
        element = super().atom_entry(extensions)
        for node, data in zip(element.iter("link", _ATOM_LINK), self.link() or [], strict=True):
            for name in _LINK_ATTRIBUTES:
                if data.get(name):
                    node.set(name, data[name])
        return element


def _url(relative: str, base_url: str | None) -> str:
    if not base_url:
        return relative
    return urljoin(base_url if base_url.endswith("/") else base_url + "/", relative)


def summary(entry: Entry) -> str:
    """Plain text: English title, publisher, date and the main entities (zh and en)."""
    lines = []
    if entry.title_en:
        lines.append(entry.title_en)
    if entry.publisher:
        lines.append(f"发布机构 Publisher: {entry.publisher}")
    if entry.date:
        lines.append(f"日期 Date: {entry.date}")
    lines.append(f"原文 Source: {entry.source.path} ({entry.source.pages} 页 pages)")
    if entry.entities:
        names = "; ".join(f"{e.zh} ({e.en})" for e in entry.entities)
        lines.append(f"主要实体 Main entities: {names}")
    return "\n".join(lines)


def _links(entry: Entry, base_url: str | None) -> list[dict[str, str]]:
    """Atom requires an alternate link when there is no content: the HTML brief, else the first file there is."""
    alternate = "brief.html" if entry.has("brief.html") else entry.files[0].name if entry.files else None
    links = []
    for file in entry.files:
        rel, media = _RELATED.get(file.name, ("related", "text/html"))
        if file.name == alternate:
            rel = "alternate"
        link = {"href": _url(href(entry, file.name), base_url), "rel": rel, "type": media}
        link["title"] = FILE_LABELS.get(file.name, (file.name, file.name))[1]
        if file.name in _HREFLANG:
            link["hreflang"] = _HREFLANG[file.name]
        if rel == "enclosure":
            link["length"] = str(file.size)
        links.append(link)
    return links


def render_feed(entries: Sequence[Entry], updated: str, base_url: str | None = None) -> bytes:
    """The Atom feed, most recently updated first; ``updated`` is the feed's own time (the newest entry's)."""
    fg = FeedGenerator()
    fg.id(_url(FEED_NAME, base_url) if base_url else DEFAULT_FEED_ID)
    fg.title(FEED_TITLE)
    fg.language("zh-Hans")
    fg.author({"name": "ccpipe"})
    # feedgen stamps its own name and the wall clock by default; both are replaced so the bytes are reproducible.
    fg.generator("ccpipe", version=__version__)
    fg.updated(parse_timestamp(updated))
    fg.link(href=_url("index.html", base_url), rel="alternate", type="text/html")
    if base_url:
        fg.link(href=_url(FEED_NAME, base_url), rel="self", type="application/atom+xml")
    for entry in sorted(entries, key=lambda e: e.updated, reverse=True):
        fe = fg.add_entry(_Entry(), order="append")
        fe.id(entry.feed_id)
        fe.title(entry.title)
        fe.updated(parse_timestamp(entry.updated))
        fe.published(parse_timestamp(entry.first_published))
        fe.author({"name": entry.publisher or "ccpipe"})
        fe.summary(summary(entry))
        for link in _links(entry, base_url):
            fe.link(**link)
        for entity in entry.entities:
            # The scheme names the glossary category, so readers can group by it.
            fe.category(
                term=entity.id, label=f"{entity.zh} / {entity.en}", scheme=f"urn:ccpipe:category:{entity.category}"
            )
    data: bytes = fg.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data
