"""The brief model: everything a brief shows, built once from a document and rendered to every format.

Nothing here is invented: each piece of text is a span of a block (kept with its block id and offsets), a
glossary name, a figure rewritten by Babel, or a label from the catalogs (chosen by the renderers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ccpipe.models import Block, Category, Entity, OfficialInfo, Quantity
from ccpipe.publish.i18n import Language

if TYPE_CHECKING:
    from ccpipe.publish.bilingual import Bilingual
    from ccpipe.publish.translated import Translated


def is_english(language: str) -> bool:
    """Whether a language tag (BCP 47) is English."""
    return language.split("-")[0].lower() == "en"


@dataclass(frozen=True)
class Gloss:
    """What follows a term or figure for readers of another language: an English name, a rewritten figure."""

    text: str
    lang: str  # BCP 47


@dataclass(frozen=True)
class Run:
    """A piece of source text, marked when it is a term, a figure, a footnote call or a URL."""

    text: str
    kind: str = "text"  # text | term | figure | note | url
    category: str = ""  # term: glossary category
    entity: str = ""  # term: entity id
    tip: str = ""  # term / figure: shown on hover and focus
    glosses: tuple[Gloss, ...] = ()
    same: bool = False  # term whose English is the text itself: the gloss is kept but not shown
    gid: str = ""  # id of the first gloss, for aria-describedby
    ref: str = ""  # note: footnote id; url: the address
    ref_id: str = ""  # note: this call's id, target of the footnote's back link
    raised: bool = False  # note: a plain "1" or "[1]" label, raised so that it reads as a call


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    rowspan: int
    colspan: int
    runs: list[Run]


@dataclass
class TextBlock:
    """One element of the full text; list items are grouped under a ``ul`` element."""

    block: Block
    tag: str  # h3 | h4 | h5 | p | li | table | ul
    runs: list[Run]
    lang: str
    cells: list[Cell] = field(default_factory=list)
    children: list[TextBlock] = field(default_factory=list)
    # A later piece of a paragraph too long to print as one (no id or page reference of its own).
    continued: bool = False

    @property
    def pages(self) -> tuple[int, int]:
        pages = sorted(set(self.block.pages) or {self.block.page})
        return pages[0], pages[-1]


@dataclass(frozen=True)
class Figure:
    """A quantity with its forms in the brief's other languages (language code → text)."""

    quantity: Quantity
    forms: dict[str, str]
    page: int
    context: list[Run]  # the clause around it, marked like the full text


@dataclass(frozen=True)
class KeyPoint:
    """A sentence of the source chosen for the key points: a lead sentence, a subheading or a ranked one."""

    block_id: str
    start: int
    end: int
    kind: str  # heading | lead | ranked
    page: int
    runs: list[Run]
    terms: list[Entity]


@dataclass(frozen=True)
class Section:
    """A level-1 section of the report (or the text before the first heading, ``heading`` None)."""

    heading: Block | None
    heading_runs: list[Run]
    points: list[KeyPoint]


@dataclass(frozen=True)
class IndexRow:
    entity: Entity
    count: int
    first_block: str
    first_page: int


@dataclass(frozen=True)
class TitleBlock:
    title: str
    title_en: str | None
    publisher: str | None
    publisher_en: str | None
    date: str | None  # ISO
    dates: dict[str, str]  # language code → localised publication date
    pages: int
    source: str
    sha256: str
    generator: str
    # The official document's own elements (GB/T 9704: issuer, number, addressees, date of issue, attachments,
    # draft or abridged), with the date of issue written for each language; None for other documents.
    official: OfficialInfo | None = None
    issued: dict[str, str] = field(default_factory=dict)
    # Where ``title_en`` comes from when it is a recorded translation ("human translation"); empty otherwise.
    title_origin: str = ""


@dataclass(frozen=True)
class Brief:
    languages: tuple[Language, ...]
    source_lang: str  # BCP 47 of the document
    title: TitleBlock
    figures: list[Figure]
    main_entities: list[IndexRow]
    sections: list[Section]
    outline: list[tuple[Block, list[Block]]]
    index: list[tuple[Category, list[IndexRow]]]
    body: list[TextBlock]
    footnotes: list[TextBlock]
    backrefs: dict[str, list[str]]
    glossary: list[IndexRow]  # the terms used, A–Z by English
    keywords: list[str]
    # The official English edition placed beside the text, for a document aligned with one.
    bilingual: Bilingual | None = None
    # The translations recorded for a document without an official edition, placed beside the text.
    translated: Translated | None = None

    @property
    def english_source(self) -> bool:
        """An English document: its terms are shown in English and glossed with their Chinese names."""
        return is_english(self.source_lang)

    @property
    def others(self) -> tuple[Language, ...]:
        """The languages other than the document's: the ones glosses are written for."""
        return tuple(lang for lang in self.languages if lang.tag != self.source_lang)
