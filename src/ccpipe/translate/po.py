"""Gettext PO for tools that prefer it (Poedit, Weblate): the same units as the XLIFF, context in comments.

``msgctxt`` is the unit id (so two equal sentences stay two entries), ``msgid`` the Chinese, ``msgstr``
the English. Extracted comments (``#.``) give the kind, section, page, required term English and figures;
the reference (``#:``) the block. A memory match that is not exact is flagged ``fuzzy``, as gettext tools
expect; the origin of a pre-filled unit is a comment. The header carries no date: same units, same bytes.
"""

from __future__ import annotations

from ccpipe.translate.segments import SourceUnit
from ccpipe.translate.store import State, UnitTranslation
from ccpipe.translate.xliff import ReadUnit

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"})


def _quoted(text: str) -> str:
    return '"' + text.translate(_ESCAPES) + '"'


def _comments(unit: SourceUnit, done: UnitTranslation | None) -> list[str]:
    lines = [f"#. {unit.kind}; section: {unit.section or '-'}; page {unit.page}"]
    lines += [f"#. term: {term.zh} = {term.en}" for term in unit.terms]
    lines += [f"#. {figure.kind}: {figure.text} = {figure.english or figure.value}" for figure in unit.figures]
    if done is not None and done.joined:
        lines.append("#. joined: the previous unit's English renders this one; leave msgstr empty")
    elif done is not None and done.target:
        match = f" {done.match}%" if done.match is not None else ""
        lines.append(f"#. origin: {done.origin.value}{match}; state: {done.state.value}")
    lines.append(f"#: {unit.location}")
    if done is not None and done.match is not None and done.match < 100:
        lines.append("#, fuzzy")
    return lines


def po_bytes(document_id: str, units: list[SourceUnit], done: dict[str, UnitTranslation]) -> bytes:
    header = (
        f"Project-Id-Version: {document_id}\\n"
        "PO-Revision-Date: 1970-01-01 00:00+0000\\n"
        "Last-Translator: \\n"
        "Language-Team: \\n"
        "Language: en\\n"
        "MIME-Version: 1.0\\n"
        "Content-Type: text/plain; charset=UTF-8\\n"
        "Content-Transfer-Encoding: 8bit\\n"
        "X-Source-Language: zh-CN\\n"
    )
    lines = [f"# Translation units of {document_id} (ccpipe)", 'msgid ""', 'msgstr ""', f'"{header}"', ""]
    for unit in units:
        translation = done.get(unit.id)
        lines += _comments(unit, translation)
        lines += [f"msgctxt {_quoted(unit.id)}", f"msgid {_quoted(unit.text)}"]
        lines += [f"msgstr {_quoted(translation.target if translation else '')}", ""]
    return "\n".join(lines).encode("utf-8")


def read_po(data: bytes) -> tuple[str, list[ReadUnit]]:
    """The document id (the header's Project-Id-Version) and every entry with a context (a unit id)."""
    from translate.storage.po import pofile  # translate-toolkit parses PO with every escape right

    store = pofile(data)
    header: dict[str, str] = store.parseheader()  # type: ignore[no-untyped-call]
    units = []
    for entry in store.units:
        uid = entry.getcontext()
        if entry.isheader() or not uid:
            continue
        target = entry.target or ""
        fuzzy = entry.isfuzzy()
        state = State.INITIAL if not target.strip() or fuzzy else State.TRANSLATED
        units.append(ReadUnit(uid, entry.source, target, state, None, ()))
    return str(header.get("Project-Id-Version", "")), units
