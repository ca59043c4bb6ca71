"""HTML as government sites serve it: the page's metadata table, its body, and none of its chrome.

gov.cn policy pages (and the many sites built like them) print the official document's metadata as a table of
label/value cells (索引号, 发文机关, 标题, 发文字号, 成文日期…) above the text, and wrap the text in navigation,
share and print buttons, QR codes and footers. Crawled pages are often fragments without ``<html>``,
``<head>`` or a charset. Before pandoc reads a page:

- the metadata table is read as metadata and removed;
- the body is the innermost element that holds nearly all of the remaining text (the rest is chrome);
- inline styles pandoc ignores become markup it keeps (``font-weight: bold`` → ``<strong>``), and centred
  paragraphs are noted as layout hints (see :class:`ccpipe.models.Typography`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import lxml.html
from lxml.etree import ParserError

from ccpipe.models import OfficialInfo, Typography
from ccpipe.textutil import iso_date

# Labels of the metadata table, spaces and the closing colon removed.
_LABELS = frozenset({"索引号", "主题分类", "发文机关", "成文日期", "标题", "发文字号", "发布日期", "主题词", "文号"})
# An element holding this share of its parent's text is where the body is.
_BODY_SHARE = 0.8
_BOLD = re.compile(r"font-weight\s*:\s*(bold|[6-9]00)", re.I)
_CENTRED = re.compile(r"text-align\s*:\s*center", re.I)
_DROP = ("script", "style", "noscript", "iframe", "canvas", "nav", "button", "form")


@dataclass
class HtmlPage:
    html: str  # the body, for pandoc
    metadata: dict[str, str] = field(default_factory=dict)  # label → value of the metadata table
    hints: dict[str, Typography] = field(default_factory=dict)  # by paragraph text without white space
    title: str | None = None  # the page's <title>

    @property
    def declared_title(self) -> str | None:
        return self.metadata.get("标题") or None

    def official(self) -> OfficialInfo | None:
        """The official-document elements the metadata table gives, None when it has none."""
        number = self.metadata.get("发文字号") or self.metadata.get("文号")
        issuer = self.metadata.get("发文机关")
        date = iso_date(self.metadata.get("成文日期", ""))
        if not (number or issuer or date):
            return None
        return OfficialInfo(issuer=issuer or None, number=number or None, date=date)


def read_page(text: str) -> HtmlPage:
    """The page's body, metadata and layout hints; a page that does not parse is passed on whole."""
    try:
        root = lxml.html.fromstring(text)
    except (ParserError, ValueError):
        return HtmlPage(html=text)
    title = root.findtext(".//title")
    for element in list(root.iter(*_DROP)):
        _remove(element)
    metadata = _metadata(root)
    body = _body(root)
    hints = _restyle(body)
    return HtmlPage(lxml.html.tostring(body, encoding="unicode"), metadata, hints, title.strip() if title else None)


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def _metadata(root: lxml.html.HtmlElement) -> dict[str, str]:
    """Label/value pairs of the tables made of them; the tables are removed from the page."""
    found: dict[str, str] = {}
    for table in list(root.iter("table")):
        cells = list(table.iter("td", "th"))
        pairs = {}
        for cell, following in itertools.pairwise(cells):
            label = _clean(cell.text_content()).rstrip(":：")
            if label in _LABELS:
                pairs[label] = following.text_content().strip() if _clean(following.text_content()) else ""
        if pairs and not any(table.iter("p")):
            found.update({label: value for label, value in pairs.items() if value})
            _remove(table)
    return found


def _body(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The innermost element holding nearly all of the page's text."""
    current = root
    while True:
        total = len(_clean(current.text_content()))
        children = [child for child in current if isinstance(child.tag, str)]
        if not children or not total:
            return current
        best = max(children, key=lambda child: len(_clean(child.text_content())))
        if len(_clean(best.text_content())) < _BODY_SHARE * total:
            return current
        current = best


def _restyle(body: lxml.html.HtmlElement) -> dict[str, Typography]:
    """Bold spans as <strong>; centred paragraphs as hints."""
    for span in body.iter("span", "font"):
        if _BOLD.search(span.get("style", "")):
            span.tag = "strong"
    hints: dict[str, Typography] = {}
    for paragraph in body.iter("p", "div", "h1", "h2", "h3", "h4", "h5", "h6"):
        centred = _CENTRED.search(paragraph.get("style", "")) or paragraph.get("align", "").lower() == "center"
        text = _clean(paragraph.text_content())
        if centred and text:
            hints[text] = Typography(centred=True)
    return hints


def _remove(element: lxml.html.HtmlElement) -> None:
    """Remove an element but keep the text that follows it (its tail)."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)
