"""XLIFF 2.1 for CAT tools (OmegaT, Trados, memoQ, Weblate): write a document's units, read them back.

One ``<unit>`` per source unit, its section, page and kind as notes; glossary terms are ``<mrk type="term">``
annotations whose ``value`` is the required English, figures and dates ``<mrk type="comment">`` whose
``value`` is what the English must show. A unit already translated carries its ``<target>`` and its
segment ``state``; the origin goes in ``subState`` (``ccpipe:memory``), a memory match's percentage in a
note. The OASIS schema is not shipped (and ccpipe downloads nothing), so :func:`validate_xliff` checks the
core schema's constraints this writer relies on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from ccpipe.translate.segments import SourceUnit
from ccpipe.translate.store import State, UnitTranslation

NS = "urn:oasis:names:tc:xliff:document:2.0"
_Q = f"{{{NS}}}"
SOURCE_LANG = "zh-CN"
TARGET_LANG = "en"
INLINE = frozenset({"mrk", "sm", "em", "ph", "pc", "sc", "ec", "cp"})
_NMTOKEN = re.compile(r"^[\w.:-]+$")
_STATES = frozenset(state.value for state in State)
_MRK_TYPES = frozenset({"generic", "comment", "term"})


class XliffError(ValueError):
    """A file that is not the XLIFF 2 this module writes and reads."""


@dataclass(frozen=True)
class ReadUnit:
    """A unit as a CAT tool returned it: the source as plain text, the target's text, the inline element ids
    in its target, its state and origin."""

    id: str
    source: str
    target: str
    state: State
    origin: str | None
    target_inline: tuple[str, ...]


def _annotations(unit: SourceUnit) -> list[tuple[int, int, dict[str, str]]]:
    """Terms first, then figures; an annotation overlapping one already placed is left out (mrk must nest)."""
    wanted = [(t.start, t.end, {"type": "term", "value": t.en}) for t in unit.terms]
    wanted += [
        (f.start, f.end, {"type": "comment", "value": f"{f.kind}: {f.english or f.value}"}) for f in unit.figures
    ]
    placed: list[tuple[int, int, dict[str, str]]] = []
    for start, end, attrs in sorted(wanted, key=lambda a: (a[0], -a[1])):
        if all(end <= s or start >= e for s, e, _ in placed):
            placed.append((start, end, attrs))
    return sorted(placed, key=lambda a: a[0])


def _source_element(segment: etree._Element, unit: SourceUnit) -> None:
    source = etree.SubElement(segment, f"{_Q}source")
    source.text = ""
    last: etree._Element | None = None
    cursor = 0
    for number, (start, end, attrs) in enumerate(_annotations(unit), 1):
        before = unit.text[cursor:start]
        if last is None:
            source.text += before
        else:
            last.tail = (last.tail or "") + before
        last = etree.SubElement(source, f"{_Q}mrk", id=f"m{number}", **attrs)
        last.text = unit.text[start:end]
        cursor = end
    rest = unit.text[cursor:]
    if last is None:
        source.text += rest
    else:
        last.tail = rest


def _unit_element(file: etree._Element, unit: SourceUnit, done: UnitTranslation | None) -> None:
    element = etree.SubElement(file, f"{_Q}unit", id=unit.id, name=unit.kind)
    notes = etree.SubElement(element, f"{_Q}notes")
    for category, text in (("kind", unit.kind), ("section", unit.section), ("page", str(unit.page))):
        if text:
            etree.SubElement(notes, f"{_Q}note", category=category).text = text
    if done is not None and done.match is not None:
        etree.SubElement(notes, f"{_Q}note", category="match").text = f"{done.match}%"
    if done is not None and done.joined:
        etree.SubElement(notes, f"{_Q}note", category="joined").text = "the previous unit's English renders this one"
    segment = etree.SubElement(element, f"{_Q}segment")
    if done is not None and (done.target or done.joined):
        segment.set("state", done.state.value)
        segment.set("subState", "ccpipe:joined" if done.joined else f"ccpipe:{done.origin.value}")
    _source_element(segment, unit)
    if done is not None and (done.target or done.joined):
        etree.SubElement(segment, f"{_Q}target").text = done.target


def xliff_bytes(document_id: str, units: list[SourceUnit], done: dict[str, UnitTranslation]) -> bytes:
    """The units as an XLIFF 2.1 document (UTF-8), pre-filled from ``done`` (translations by unit id)."""
    root = etree.Element(f"{_Q}xliff", nsmap={None: NS}, version="2.1", srcLang=SOURCE_LANG, trgLang=TARGET_LANG)
    file = etree.SubElement(root, f"{_Q}file", id="f1", original=document_id)
    for unit in units:
        _unit_element(file, unit, done.get(unit.id))
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    validate_xliff(data)
    return data


def _parse(data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise XliffError(f"not well-formed XML: {exc}") from exc


def _check_root(root: etree._Element) -> None:
    if root.tag != f"{_Q}xliff":
        raise XliffError(f"the root element is {root.tag}, not xliff in the namespace {NS}")
    if root.get("version") not in ("2.0", "2.1") or not root.get("srcLang"):
        raise XliffError("xliff needs version 2.0 or 2.1 and a srcLang")


def _check_unit(unit: etree._Element, seen: set[str]) -> None:
    uid = unit.get("id") or ""
    if not _NMTOKEN.match(uid) or uid in seen:
        raise XliffError(f"unit id {uid!r} is missing, not an NMTOKEN or repeated")
    seen.add(uid)
    children = [child.tag for child in unit if isinstance(child.tag, str)]
    segments = [tag for tag in children if tag in (f"{_Q}segment", f"{_Q}ignorable")]
    if not segments:
        raise XliffError(f"unit {uid} has no segment")
    if f"{_Q}notes" in children and children.index(f"{_Q}notes") > children.index(segments[0]):
        raise XliffError(f"unit {uid}: notes must come before the segments")
    mrk_ids: set[str] = set()
    for segment in unit.iter(f"{_Q}segment"):
        state = segment.get("state", "initial")
        if state not in _STATES:
            raise XliffError(f"unit {uid}: state {state!r} is not one of {sorted(_STATES)}")
        if segment.get("subState") is not None and segment.get("state") is None:
            raise XliffError(f"unit {uid}: subState without state")
        parts = [child.tag for child in segment if isinstance(child.tag, str)]
        if not parts or parts[0] != f"{_Q}source" or parts[1:] not in ([], [f"{_Q}target"]):
            raise XliffError(f"unit {uid}: a segment holds one source and at most one target, in that order")
        for mrk in segment.find(f"{_Q}source").iter(f"{_Q}mrk"):
            mid, kind = mrk.get("id") or "", mrk.get("type", "generic")
            if not _NMTOKEN.match(mid) or mid in mrk_ids:
                raise XliffError(f"unit {uid}: mrk id {mid!r} is missing or repeated")
            if kind not in _MRK_TYPES and ":" not in kind:
                raise XliffError(f"unit {uid}: mrk type {kind!r} is neither a core type nor prefixed")
            mrk_ids.add(mid)


def validate_xliff(data: bytes) -> etree._Element:
    """Parse ``data`` and check it against the XLIFF 2 core constraints ccpipe relies on: the namespace,
    version and srcLang; unique file and unit ids (NMTOKEN); notes before segments; one source and at most
    one target per segment; states from the core list; unique mrk ids of core or prefixed types."""
    root = _parse(data)
    _check_root(root)
    files = root.findall(f"{_Q}file")
    if not files or len({f.get("id") for f in files}) != len(files) or not all(f.get("id") for f in files):
        raise XliffError("xliff needs at least one file, each with a unique id")
    seen: set[str] = set()
    for file in files:
        for unit in file.iter(f"{_Q}unit"):
            _check_unit(unit, seen)
    return root


def _inline_ids(element: etree._Element | None) -> tuple[str, ...]:
    if element is None:
        return ()
    return tuple(
        child.get("id") or child.get("startRef") or "?"
        for child in element.iter()
        if child is not element and isinstance(child.tag, str) and etree.QName(child).localname in INLINE
    )


def _text(element: etree._Element | None) -> str:
    return "".join(element.itertext()) if element is not None else ""


def read_xliff(data: bytes) -> tuple[str, list[ReadUnit]]:
    """The document id (``original`` of the first file) and every unit with its target."""
    root = validate_xliff(data)
    original = root.find(f"{_Q}file").get("original") or ""
    units = []
    for unit in root.iter(f"{_Q}unit"):
        segment = unit.find(f"{_Q}segment")
        assert segment is not None  # validated
        target = segment.find(f"{_Q}target")
        text = _text(target)
        sub = segment.get("subState") or ""
        origin = sub.split(":", 1)[1] if sub.startswith("ccpipe:") else None
        units.append(
            ReadUnit(
                unit.get("id") or "",
                _text(segment.find(f"{_Q}source")),
                text,
                State(segment.get("state") or ("translated" if text.strip() else "initial")),
                origin,
                _inline_ids(target),
            )
        )
    return original, units


def source_mrk_ids(unit: SourceUnit) -> frozenset[str]:
    """The ids of the inline annotations this writer puts in a unit's source (a target may repeat them)."""
    return frozenset(f"m{number}" for number in range(1, len(_annotations(unit)) + 1))
