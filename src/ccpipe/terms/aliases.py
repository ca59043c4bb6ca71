"""Short forms a document defines for itself, and the English it gives for its terms.

Chinese reports introduce their abbreviations in a parenthesis right after the full term:
``《联合国气候变化框架公约》（以下简称《公约》）``, ``……（下称“X”）``, ``……（简称X）``, and give the English
name and acronym the same way: ``技术执行委员会（Technology Executive Committee, TEC）``. A short form is
bound to the entry of the tagged term before it for the whole of that document (an abstract or the same
sentence often uses it before the definition) and nowhere else. The glossary stays the authority: a short
form that the glossary gives to another entry keeps its glossary meaning, and English that differs from
the entry's is reported as a document issue for a terminologist, never silently taken or ignored.

Ambiguous short forms (see :mod:`ccpipe.terms.policy`) are the exception: the document decides. Such a form
is tagged in a document that names its entry by another surface (国家能源局 … NEA) and does not define the
form for something else; a document that defines it for another tagged term binds it to that term, and one
that defines it after a name the glossary lacks (挪威环境署（NEA）) leaves it untagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ccpipe.models import Block, DocIssue
from ccpipe.terms.glossary import GlossaryEntry
from ccpipe.terms.searchtext import char_table, search_key
from ccpipe.terms.tag import Match, Matcher, outermost, tag

ENGLISH_MISMATCH = "TERM_ENGLISH_MISMATCH"
ALIAS_CONFLICT = "TERM_ALIAS_CONFLICT"

_LEAD = r"(?:以下简称为?|以下简作|以下称为?|下文简称|下称|简称)"
_SHORT = r"《[^》]{1,30}》|“[^”]{1,30}”|「[^」]{1,30}」|\"[^\"]{1,30}\"|[^）)，,；;、。\s“”《》]{1,30}"
# What may follow a tagged term to define it: closing marks of the term, then the parenthesis.
_DEFINITION = re.compile(
    rf"[》”\"’'」]{{0,2}}\s*[（(]\s*(?:{_LEAD}\s*[:：]?\s*(?P<short>{_SHORT})|(?:英文[:：]?\s*)?(?P<latin>[A-Za-z][^（）()]{{0,150}}?))\s*[）)]"
)
_ACRONYM = re.compile(r"(?:(?:英文)?简称|缩写)?\s*(?P<acronym>[A-Z][A-Za-z0-9&\-]*[A-Z0-9])")
_LIST_SEPARATOR = re.compile(r"\s*[,，;；]\s*")
_MIN_CHINESE_SHORT = 2  # a one-character short form (简称“中”) would match everywhere
# A Latin short form in parentheses, alone or after an English name: （NEA）, (Nuclear Energy Agency, NEA)
_PARENTHESISED = re.compile(r"[（(]\s*(?:[^（）()]{0,150}?[,，]\s*)?(?P<short>[A-Z][A-Za-z0-9&\-]*[A-Z0-9])\s*[）)]")
_CLOSING = "》”\"’'」 "
# A unit of measure in parentheses gives the quantity's unit, not a short form: 供热量（GJ）, 供电量（MWh）, （tCO2/GJ）
_UNIT = re.compile(r"(?:[kMGTP]?(?:Wh?|J|VA|cal)|[kMG]?t(?:CO2(?:e|eq)?|ce)?|Nm3|m[23]?|km[23]?|ha)(?:/\S+)?")


@dataclass(frozen=True)
class Definition:
    """One definition found in a document: ``short`` (as written, may be None) and/or ``english`` for an entry."""

    block: Block
    term: Match
    short: str | None
    english: str | None


def tag_with_aliases(blocks: list[Block], matcher: Matcher) -> tuple[list[Match], list[DocIssue]]:
    """Every match in ``blocks`` (one document), with the document's own short forms, and the issues found."""
    matches = tag(blocks, matcher)
    definitions = find_definitions(blocks, outermost(matches))
    bound, issues = _bind(definitions, matcher)
    confirmed = confirmed_forms(blocks, matches, matcher, bound)
    if not bound and not confirmed:
        return matches, issues
    extra = Matcher.of_surfaces(matcher.glossary, bound.items()) if bound else None
    # Only blocks that can contain a short form are tagged again: a quick test on the 1:1-folded text,
    # skipped (every block redone) for a short form with a space, which white-space folding may move.
    cores = [*(search_key(short).strip("《》") for short in bound), *confirmed]
    table = char_table()
    redo = {block.id for block in blocks if any(" " in core or core in block.text.translate(table) for core in cores)}
    by_block: dict[str, list[Match]] = {}
    for match in matches:
        by_block.setdefault(match.block_id, []).append(match)
    for block in blocks:
        if block.id in redo:
            by_block[block.id] = tag([block], matcher, extra, confirmed)
    return [match for block in blocks for match in by_block.get(block.id, [])], issues


def confirmed_forms(
    blocks: list[Block], matches: list[Match], matcher: Matcher, bound: dict[str, str]
) -> frozenset[str]:
    """The ambiguous glossary forms this document confirms: it names their entry by another surface, and
    neither defines them for something else nor binds them to another term."""
    mentioned = {match.entry_id for match in matches}
    other = redefined_forms(blocks, outermost(matches), matcher) | {search_key(short) for short in bound}
    return frozenset(
        key for key, entry_id in matcher.ambiguous_forms().items() if entry_id in mentioned and key not in other
    )


def redefined_forms(blocks: list[Block], outer: list[Match], matcher: Matcher) -> set[str]:
    """Ambiguous glossary forms the document defines in parentheses after something other than their entry."""
    ends = {(match.block_id, match.end): match.entry_id for match in outer}
    found = set()
    for block in blocks:
        for parenthesis in _PARENTHESISED.finditer(block.text):
            short = parenthesis.group("short")
            if not matcher.is_ambiguous(short):
                continue
            before = len(block.text[: parenthesis.start()].rstrip(_CLOSING))
            if ends.get((block.id, before)) != matcher.entry_of(short):
                found.add(search_key(short))
    return found


def find_definitions(blocks: list[Block], matches: list[Match]) -> list[Definition]:
    """Definitions right after a tagged term: ``（以下简称X）``, ``（English Name, ACRONYM）``, ``（ACRONYM）``."""
    texts = {block.id: block for block in blocks}
    found = []
    for match in matches:
        block = texts[match.block_id]
        definition = _DEFINITION.match(block.text, match.end)
        if definition is None:
            continue
        if definition.group("short"):
            short = definition.group("short")
            if short[0] in '“「"':  # quotes mark the word; later uses are usually bare
                short = short[1:-1].strip()
            if len(short.strip("《》")) >= _MIN_CHINESE_SHORT or short.isascii():
                found.append(Definition(block, match, short, None))
            continue
        english, acronym = _split_latin(definition.group("latin"))
        if _UNIT.fullmatch(definition.group("latin").strip()):
            continue
        if english or acronym:
            found.append(Definition(block, match, acronym, english))
    return found


def english_matches(english: str, entry: GlossaryEntry) -> bool:
    """Whether ``english`` is the entry's English name or an English alias, ignoring case and spacing."""
    wanted = _loose(english)
    return any(_loose(name) == wanted for name in [entry.en, *entry.en_aliases])


def _bind(definitions: list[Definition], matcher: Matcher) -> tuple[dict[str, str], list[DocIssue]]:
    """Short form → entry id for the document, and the issues: English mismatches, short-form conflicts."""
    glossary = matcher.glossary
    bound: dict[str, str] = {}
    issues: dict[tuple[str, str], DocIssue] = {}
    for definition in definitions:
        entry = glossary.get(definition.term.entry_id)
        page = definition.block.page
        if definition.english and not english_matches(definition.english, entry):
            message = (
                f"'{definition.term.text}' ({entry.id}) is given the English '{definition.english}' here; "
                f"the glossary has '{entry.en}'"
            )
            issues.setdefault((ENGLISH_MISMATCH, message), DocIssue(code=ENGLISH_MISMATCH, message=message, page=page))
        short = definition.short
        if short is None:
            continue
        owner = matcher.entry_of(short) or bound.get(short)
        if owner is None or (owner != entry.id and matcher.is_ambiguous(short) and short not in bound):
            bound[short] = entry.id  # an ambiguous glossary form means what the document says it means
        elif owner != entry.id:
            message = (
                f"'{short}' is defined here as '{definition.term.text}' ({entry.id}), but it already names {owner}; "
                f"kept {owner}"
            )
            issues.setdefault((ALIAS_CONFLICT, message), DocIssue(code=ALIAS_CONFLICT, message=message, page=page))
    return bound, list(issues.values())


def _split_latin(content: str) -> tuple[str | None, str | None]:
    """``Technology Executive Committee, TEC`` → (English name, acronym); either may be missing."""
    parts = _LIST_SEPARATOR.split(content.strip())
    acronym = _ACRONYM.fullmatch(parts[-1])
    # An acronym has two capitals or digits at least (TEC, G7); a single capitalised word is a name.
    if acronym and sum(ch.isupper() or ch.isdigit() for ch in acronym.group("acronym")) >= 2:
        english = ", ".join(parts[:-1]).strip() or None
        return english, acronym.group("acronym")
    return content.strip(), None


def _loose(name: str) -> str:
    return "".join(search_key(name).split()).replace("-", "").casefold()
