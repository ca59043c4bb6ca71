"""TBX-Basic (ISO 30042, the TBX 2008 ``martif`` dialect) export and import.

Mapping, chosen so that glossary → TBX → glossary gives back identical entries:

* ``termEntry id`` = entry id; ``descrip type="subjectField"`` = category;
  ``descrip type="negativeContext"`` (a ccpipe extension, one per phrase) = negative_contexts;
  ``descrip type="matchPolicy"`` / ``descrip type="ambiguousShortForms"`` (ccpipe extensions) = match /
  ambiguous; ``admin type="source"`` = source; ``note`` = note.
* ``langSet xml:lang="zh-Hans"``: ``tig`` zh (termType fullForm, preferredTerm-admn-sts), then one ``tig``
  per zh alias (variant, admittedTerm-admn-sts).
* ``langSet xml:lang="en"``: en (fullForm, preferred), en aliases (variant, admitted), abbreviations
  (acronym, admitted).

Import also takes TBX from other tools: any ``zh*`` / ``en*`` langSet, the preferred (else the first) term
as the main name, ``acronym`` / ``abbreviation`` English terms as abbreviations; other languages are ignored.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ccpipe.errors import GlossaryError
from ccpipe.terms.glossary import GlossaryEntry, validate_entry

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ZH, EN = "zh-Hans", "en"
PREFERRED, ADMITTED = "preferredTerm-admn-sts", "admittedTerm-admn-sts"
NEGATIVE_CONTEXT = "negativeContext"
# ccpipe extensions for the matching policy (see ccpipe.terms.policy): "word" | "anywhere"; "true" | "false".
MATCH_POLICY, AMBIGUOUS = "matchPolicy", "ambiguousShortForms"
# Traditional-script langSets (zh-Hant, zh-TW) are not read: the tagger works on simplified text.
_SIMPLIFIED = frozenset({"zh", "zh-hans", "zh-cn", "zh-sg", "zh-hans-cn"})
_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n'


def to_tbx(entries: Iterable[GlossaryEntry], title: str = "ccpipe bilingual climate-policy glossary") -> bytes:
    """A TBX-Basic document, UTF-8, two-space indented; entries in the order given."""
    root = ET.Element("martif", {"type": "TBX-Basic", XML_LANG: EN})
    header = ET.SubElement(root, "martifHeader")
    source = ET.SubElement(ET.SubElement(header, "fileDesc"), "sourceDesc")
    ET.SubElement(source, "p").text = title
    ET.SubElement(ET.SubElement(header, "encodingDesc"), "p", {"type": "XCSURI"}).text = "TBXBasicXCSV02.xcs"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for entry in entries:
        _entry_element(body, entry)
    ET.indent(root, space="  ")
    return _HEAD + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"


def _entry_element(body: ET.Element, entry: GlossaryEntry) -> None:
    term_entry = ET.SubElement(body, "termEntry", {"id": entry.id})
    ET.SubElement(term_entry, "descrip", {"type": "subjectField"}).text = entry.category.value
    for phrase in entry.negative_contexts:
        ET.SubElement(term_entry, "descrip", {"type": NEGATIVE_CONTEXT}).text = phrase
    if entry.match is not None:
        ET.SubElement(term_entry, "descrip", {"type": MATCH_POLICY}).text = entry.match
    if entry.ambiguous is not None:
        ET.SubElement(term_entry, "descrip", {"type": AMBIGUOUS}).text = "true" if entry.ambiguous else "false"
    if entry.source is not None:
        # TBX-Basic's data category for where a term's English comes from.
        ET.SubElement(term_entry, "admin", {"type": "source"}).text = entry.source
    if entry.note is not None:
        ET.SubElement(term_entry, "note").text = entry.note
    zh = ET.SubElement(term_entry, "langSet", {XML_LANG: ZH})
    _tig(zh, entry.zh, "fullForm", PREFERRED)
    for alias in entry.zh_aliases:
        _tig(zh, alias, "variant", ADMITTED)
    en = ET.SubElement(term_entry, "langSet", {XML_LANG: EN})
    _tig(en, entry.en, "fullForm", PREFERRED)
    for alias in entry.en_aliases:
        _tig(en, alias, "variant", ADMITTED)
    for abbreviation in entry.abbreviations:
        _tig(en, abbreviation, "acronym", ADMITTED)


def _tig(lang_set: ET.Element, text: str, term_type: str, status: str) -> None:
    tig = ET.SubElement(lang_set, "tig")
    ET.SubElement(tig, "term").text = text
    ET.SubElement(tig, "termNote", {"type": "termType"}).text = term_type
    ET.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = status


def read_tbx(path: Path) -> list[GlossaryEntry]:
    return parse_tbx(path, path.read_bytes())


def parse_tbx(file: Path, raw: bytes) -> list[GlossaryEntry]:
    """Entries of a TBX file; malformed XML fails naming the line, a bad entry naming its id."""
    try:
        # defusedxml refuses entity declarations and external references (billion laughs, XXE).
        root = fromstring(raw)
    except ET.ParseError as exc:
        line, column = exc.position
        raise GlossaryError(file, f"line {line}, column {column + 1}: not well-formed TBX ({exc.msg})") from exc
    except DefusedXmlException as exc:
        raise GlossaryError(file, f"TBX refused: {exc}", advice="remove the entity declarations") from exc
    if root.tag != "martif":
        raise GlossaryError(file, f"not a TBX file: the root element is <{root.tag}>, not <martif>")
    return [
        validate_entry(file, _entry_data(element), position=position)
        for position, element in enumerate(root.iter("termEntry"), start=1)
    ]


def _entry_data(element: ET.Element) -> dict[str, Any]:
    data: dict[str, Any] = {"id": element.get("id", "")}
    if not data["id"]:
        data.pop("id")
    negative: list[str] = []
    for descrip in element.findall("descrip"):
        kind, text = descrip.get("type"), descrip.text or ""
        if kind == "subjectField":
            data["category"] = text
        elif kind == NEGATIVE_CONTEXT:
            negative.append(text)
        elif kind == MATCH_POLICY:
            data["match"] = text
        elif kind == AMBIGUOUS:
            data["ambiguous"] = text
    source = element.find("admin[@type='source']")
    if source is not None:
        data["source"] = source.text or ""
    note = element.find("note")
    if note is not None:
        data["note"] = note.text or ""
    for lang_set in element.findall("langSet"):
        lang = (lang_set.get(XML_LANG) or lang_set.get("lang") or "").lower()
        if lang in _SIMPLIFIED:
            main, variants, acronyms = _terms(lang_set)
            data.update(_named("zh", main), zh_aliases=variants + acronyms)
        elif lang.startswith("en"):
            main, variants, acronyms = _terms(lang_set)
            data.update(_named("en", main), en_aliases=variants, abbreviations=acronyms)
    if negative:
        data["negative_contexts"] = negative
    return data


def _named(field: str, main: str | None) -> dict[str, str]:
    # A missing main term is left out, so validation reports the field as required.
    return {field: main} if main is not None else {}


def _terms(lang_set: ET.Element) -> tuple[str | None, list[str], list[str]]:
    """(main term, variants, acronyms) of one langSet: the preferred term, else the first, is the main."""
    tigs = []
    for tig in lang_set.iter("tig"):
        term = tig.find("term")
        if term is None or term.text is None:
            continue
        notes = {note.get("type"): (note.text or "").strip() for note in tig.findall("termNote")}
        tigs.append((term.text, notes.get("termType", ""), notes.get("administrativeStatus", "")))
    if not tigs:
        return None, [], []
    main_index = next((i for i, tig in enumerate(tigs) if tig[2] == PREFERRED), 0)
    others = [tig for i, tig in enumerate(tigs) if i != main_index]
    acronyms = [text for text, kind, _ in others if kind in ("acronym", "abbreviation")]
    variants = [text for text, kind, _ in others if kind not in ("acronym", "abbreviation")]
    return tigs[main_index][0], variants, acronyms
