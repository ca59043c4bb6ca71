"""The typed document model every stage reads and writes.

Document → Blocks → Sentences, with Mentions pointing into block text by character offsets.
Offsets are Python string indices (code points) into ``Block.text``.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.2"


class Category(StrEnum):
    AGREEMENT = "agreement"
    ORGANIZATION = "organization"
    MECHANISM = "mechanism"
    FUND = "fund"
    INITIATIVE = "initiative"
    EVENT = "event"
    DOCUMENT = "document"
    COUNTRY = "country"
    REGION = "region"
    PERSON = "person"
    CONCEPT = "concept"


class QuantityKind(StrEnum):
    MONEY = "money"
    PERCENT = "percent"
    COUNT = "count"
    MEASURE = "measure"
    MULTIPLE = "multiple"
    YEAR = "year"
    DATE = "date"


class BlockKind(StrEnum):
    TITLE = "title"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    FOOTNOTE = "footnote"
    LIST_ITEM = "list_item"
    TABLE = "table"


class _Model(BaseModel):
    # Serialised documents always carry every field, so the published schema requires them all.
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class BBox(_Model):
    """A rectangle on one page in PDF points, origin top-left (pdfplumber's convention)."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float


class Span(_Model):
    start: int
    end: int


class Sentence(Span):
    """A sentence span; ``tokens`` are jieba words as [start, end] pairs of block offsets."""

    tokens: list[list[int]] = Field(default_factory=list)


class Cell(_Model):
    """One table cell at its top-left grid position; merged cells span several rows or columns."""

    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    text: str


class Table(_Model):
    rows: int
    cols: int
    cells: list[Cell]


class PageTable(_Model):
    """A table found on a page, before it takes its place among the blocks."""

    bbox: BBox
    table: Table


class OcrPage(_Model):
    """A page whose text came from OCR: the engine, its mean character confidence (0-100) and the
    angle in degrees by which the page image was turned straight before reading (0: not skewed)."""

    page: int
    engine: str
    confidence: float
    skew: float = 0.0


class Line(_Model):
    """One text line as extracted, before paragraphs are rebuilt."""

    text: str
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool = False
    # Length of the bold run that opens the line (a run-in lead sentence in bold), 0 if none.
    bold_prefix: int = 0
    # Face class of the run that opens the line (hei, kai, fangsong, song, xbs or a Latin family; see
    # ccpipe.extract.fonts) and that run's length: the whole line's when it is set in one face.
    font: str = ""
    font_prefix: int = 0
    # 0 on full-width text; 1 or 2 for the left or right column of a two-column band.
    column: int = 0
    # The source itself starts a paragraph here (a blank line before it in a text file): never joined to the line
    # before, whatever the spacing says.
    paragraph_start: bool = False


class Page(_Model):
    number: int
    width: float
    height: float
    lines: list[Line] = Field(default_factory=list)
    tables: list[PageTable] = Field(default_factory=list)


class DocIssue(_Model):
    """Something that degraded a document without stopping it; `code` is stable."""

    code: str
    message: str
    page: int | None = None


class Source(_Model):
    path: str
    sha256: str
    pages: int
    format: str
    encoding: str | None = None
    ocr: list[OcrPage] = Field(default_factory=list)


class TextChange(_Model):
    """Characters that normalisation replaced in a block's text (see ccpipe.text.characters).

    Each replacement is one code point for one, so ``start``/``end`` are offsets into the original text
    as much as into ``Block.text``: ``Block.text[start:end]`` now reads what ``original`` read.
    ``kind``: width (Ａ１ → A1) | radical (Kangxi radical ⼀ → 一) | compatibility (CJK compatibility
    ideograph 﨑 → 崎)."""

    start: int
    end: int
    original: str
    kind: str


class Block(_Model):
    id: str
    kind: BlockKind
    level: int | None = None
    page: int
    pages: list[int]
    bboxes: list[BBox] = Field(default_factory=list)
    text: str
    footnote_refs: list[str] = Field(default_factory=list)
    # A footnote's marker (¹, ①, [1]) or a list item's bullet/number.
    label: str | None = None
    # The run-in lead sentence (一是……。 or a bold opening sentence) at the start of a paragraph.
    lead: Span | None = None
    table: Table | None = None
    # The block's language, detected from its text: zh-Hans | zh-Hant | en | mixed | und (no letters).
    language: str = "und"
    # What character normalisation replaced in ``text`` (offsets are unchanged by it).
    changes: list[TextChange] = Field(default_factory=list)
    sentences: list[Sentence] = Field(default_factory=list)


class Furniture(_Model):
    """Running headers, footers and page numbers kept out of the body."""

    kind: str
    page: int
    text: str


class Mention(_Model):
    """A glossary term in a block: ``block.text[start:end] == text``.

    A term inside a longer tagged name is a mention too (中国 in 中国气象局): ``inside`` is the index, in
    ``Document.mentions``, of the shortest mention that contains it (listed before it); None for an outermost
    mention, the name a reader sees glossed.
    """

    block_id: str
    start: int
    end: int
    text: str
    entity_id: str
    en: str
    category: Category
    inside: int | None = None


class Entity(_Model):
    id: str
    zh: str
    en: str
    category: Category
    count: int


class Quantity(_Model):
    """A figure or date in a block's text (see ccpipe.text.quantities); ``block.text[start:end] == text``.

    ``value`` holds one amount in plain units (1000亿美元 → 1e11), ``low``/``high`` a range's ends instead (also a
    vague amount's order of magnitude: 数十 → 20-90). ``unit``: an ISO 4217 code for money (``CNY/kWh`` for a
    tariff), ``%`` or ``pp`` (percentage points) for percentages, the English plural noun of what a count counts
    (``households``, ``enterprises``; null when the text does not say), a unit symbol for measures (``t``,
    ``tce``, ``tCO2e``, ``kW``, ``kWh``, ``m3``, ``km2``, ``ha``, ``mu``, ``µg/m3``, ``°C``, ``days``, ``years``,
    ``age``…), ``times`` for multiples.
    ``qualifier``: about | nearly | over | more_than | at_least | at_most | below | up_to | vague, and for years
    and dates before | by | since, from words such as 约, 超过, 余, 以上, 以内, 不足, 最高, 数十, 到, 以来
    inside the span.
    ``change``: increase | decrease when the figure is a change (增长5.5% = up 5.5%; 增长2倍 = up 200%).
    ``iso``: years and dates in ISO 8601 (``2023``, ``2023-10``, ``2025-01-20``; ranges ``2013/2020``).
    ``english``: how the figure reads in English (``about RMB 13 billion``), filled when document.json is written.
    """

    block_id: str
    start: int
    end: int
    text: str
    kind: QuantityKind
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    qualifier: str | None = None
    change: str | None = None
    iso: str | None = None
    english: str | None = None


class Candidate(_Model):
    """A term the document uses that the glossary lacks, proposed for review (see ccpipe.terms.discover)."""

    kind: str  # title | parenthetical | quoted | term | acronym
    zh: str
    en: str | None = None
    # Where the proposed English comes from: "document" (its own parenthetical) or "composition" (the English
    # of the glossary terms the candidate is made of); None without a proposal.
    en_source: str | None = None
    abbreviation: str | None = None
    count: int
    score: float | None = None
    examples: list[str] = Field(default_factory=list)


class OfficialInfo(_Model):
    """The elements of an official document (公文, GB/T 9704-2012) it prints; None or empty when not shown."""

    issuer: str | None = None  # 发文机关: the issuing body or bodies, as signed
    number: str | None = None  # 发文字号, as printed (国发〔2021〕23号)
    addressees: str | None = None  # 主送机关
    date: str | None = None  # 成文日期, ISO 8601
    attachments: list[str] = Field(default_factory=list)  # 附件: titles of the attachments named
    draft: bool = False  # 征求意见稿 / 草案: a draft for comment
    abridged: bool = False  # 有删减: the text as published is abridged


class DocumentInfo(_Model):
    id: str
    title: str
    title_en: str | None = None
    publisher: str | None = None
    date: str | None = None
    source: Source
    # The document's language, detected from its blocks' text: zh-Hans | zh-Hant | en | mixed.
    language: str = "zh-Hans"
    official: OfficialInfo | None = None


class Typography(_Model):
    """How a block of a structured source is set, as far as the format tells: what heading detection
    compares (layout sources give the same from their lines)."""

    bold: bool = False  # the whole block is bold
    run_in: int = 0  # length of a bold run that opens the block (a run-in heading or lead), 0 if none
    centred: bool = False
    font: str = ""  # face class (see ccpipe.extract.fonts), "" when not given
    size: float = 0.0  # points, 0 when not given
    outline: int | None = None  # outline level the source declares (Word heading style or outline level)
    contents: bool = False  # a table-of-contents entry (a Word TOC field result)


class Extracted(_Model):
    """What extraction hands to normalisation: the raw pages of one file (layout formats such as PDF),
    or blocks already structured by the source format (Word, HTML), or both."""

    source: Source
    pages: list[Page] = Field(default_factory=list)
    blocks: list[Block] = Field(default_factory=list)
    # Typography of structured blocks by block id (blocks without an entry are plain body text).
    typography: dict[str, Typography] = Field(default_factory=dict)
    metadata_title: str | None = None
    # The title is the publisher's declaration for this text (a gov.cn page's 标题), not a file property.
    title_declared: bool = False
    # Official-document elements the source gives as metadata (gov.cn pages' 发文机关/发文字号 table).
    official: OfficialInfo | None = None
    issues: list[DocIssue] = Field(default_factory=list)


class TextRef(_Model):
    """A span of one block's text: ``blocks[block_id].text[start:end]``."""

    block_id: str
    start: int
    end: int


class LinkLevel(StrEnum):
    BLOCK = "block"
    SENTENCE = "sentence"


class AlignmentLink(_Model):
    """Text of this document linked to the text of its other-language edition.

    ``source`` spans are in this document's blocks, ``target`` spans in the edition's blocks; either side
    is empty when the text exists in one edition only. A block link joins whole blocks (1:1, 1:n, n:1);
    a sentence link, inside its block link (``parent``), joins sentences. ``confidence`` (0-1) is the
    aligner's posterior probability of the link; links below the alignment's threshold are reported.
    """

    id: str
    level: LinkLevel
    parent: str | None = None
    source: list[TextRef]
    target: list[TextRef]
    confidence: float


class EditionBlock(_Model):
    """A block of the other-language edition, as much of it as the alignment needs."""

    id: str
    kind: BlockKind
    level: int | None = None
    page: int
    text: str
    label: str | None = None


class Edition(_Model):
    """The other-language edition a document is aligned with (an official translation or the original)."""

    id: str
    language: str
    title: str
    source: Source
    blocks: list[EditionBlock]


class SentencePair(_Model):
    """A sentence of this document and the official English it is linked to."""

    zh: str
    en: str


class TermRendering(_Model):
    """How the official English edition renders one glossary term of this document (term consistency).

    ``linked`` counts the term's (outermost) mentions in sentences linked to the English edition, ``found``
    those whose English has the glossary's English, one of its English aliases or abbreviations; ``examples``
    are up to three sentence pairs where the official English uses another rendering."""

    entity_id: str
    zh: str
    glossary_en: str
    linked: int
    found: int
    examples: list[SentencePair] = Field(default_factory=list)


class Alignment(_Model):
    edition: Edition
    method: str
    threshold: float
    links: list[AlignmentLink]
    # Every glossary term of the document with the English the official edition used (see ccpipe.translate.terms).
    terms: list[TermRendering] = Field(default_factory=list)


class TranslationCoverage(_Model):
    """How much of the document has English that the brief shows (see ccpipe.translate): translation units
    and their Chinese characters, in all and translated by origin (official, human, memory, machine)."""

    units: int
    characters: int
    translated_units: dict[str, int]
    translated_characters: dict[str, int]


class Document(_Model):
    schema_version: str = SCHEMA_VERSION
    generator: str
    document: DocumentInfo
    blocks: list[Block]
    furniture: list[Furniture] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    candidates: list[Candidate] = Field(default_factory=list)
    # The alignment with the document's other-language edition, when it has one (see ccpipe.translate).
    alignment: Alignment | None = None
    # Coverage of the translations recorded for the document (translations.json), when it has any.
    translation: TranslationCoverage | None = None
    issues: list[DocIssue] = Field(default_factory=list)
