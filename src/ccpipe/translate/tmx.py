"""TMX 1.4b: translation units as a translation memory file any CAT tool reads (OmegaT, Trados, memoQ).

One ``<tu>`` per unit, the Chinese ``<tuv>`` first (``srclang="zh-CN"``), the English second; each unit
carries its confidence and origin as ``x-`` properties and its context as a note. No dates: the same units
give the same bytes. Every file written is validated against the TMX 1.4b DTD shipped with ccpipe.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources

from lxml import etree

from ccpipe import __version__
from ccpipe.translate.units import TranslationUnit

SOURCE_LANG = "zh-CN"
TARGET_LANG = "en"
_DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class TmxError(ValueError):
    """A TMX document that is not valid against the TMX 1.4b DTD."""


@cache
def tmx_dtd() -> etree.DTD:
    with resources.files("ccpipe.translate").joinpath("data", "tmx14.dtd").open("rb") as handle:
        return etree.DTD(handle)


def tmx_bytes(units: Iterable[TranslationUnit], note: str = "") -> bytes:
    """The units as a TMX 1.4b document, UTF-8."""
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(
        root,
        "header",
        creationtool="ccpipe",
        creationtoolversion=__version__,
        segtype="sentence",
        adminlang="en",
        srclang=SOURCE_LANG,
        datatype="plaintext",
        **{"o-tmf": "ccpipe"},
    )
    if note:
        etree.SubElement(header, "note").text = note
    body = etree.SubElement(root, "body")
    for unit in units:
        tu = etree.SubElement(body, "tu", tuid=unit.id)
        if unit.note:
            etree.SubElement(tu, "note").text = unit.note
        etree.SubElement(tu, "prop", type="x-origin").text = unit.origin.value
        if unit.confidence is not None:
            etree.SubElement(tu, "prop", type="x-confidence").text = f"{unit.confidence:.3f}"
        for lang, text in ((SOURCE_LANG, unit.source), (TARGET_LANG, unit.target)):
            tuv = etree.SubElement(tu, "tuv", {_XML_LANG: lang})
            etree.SubElement(tuv, "seg").text = text
    tree = etree.ElementTree(root)
    data: bytes = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=_DOCTYPE)
    validate_tmx(data)
    return data


def validate_tmx(data: bytes) -> None:
    """Raise :class:`TmxError` unless ``data`` is a TMX 1.4b document valid against the DTD."""
    try:
        document = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except etree.XMLSyntaxError as exc:
        raise TmxError(f"not well-formed XML: {exc}") from exc
    dtd = tmx_dtd()
    if not dtd.validate(document):
        problems = "; ".join(str(error) for error in dtd.error_log.filter_from_errors()[:3])
        raise TmxError(f"not valid TMX 1.4b: {problems}")
