"""Figures and dates in Chinese text: amounts with 万 / 亿, currencies, ranges, percentages, counts of things,
measures of Chinese statistics (亩, 吨标准煤, 万千瓦, 微克/立方米…), multiples (倍), years and dates — each
with the qualifier (约, 超过, 以上, 余…) and the change (增长, 下降…) that the words around it give it.

Numerals that name rather than count (第三次, 四中全会, 三期工程, Ⅳ类, 十四五, “五个一”) are no quantity.
The stage only reads block text; every quantity keeps exact offsets (``block.text[start:end] == text``).
How a quantity reads in each language is a publishing matter: see ``ccpipe.publish.figures``.
"""

from __future__ import annotations

from dataclasses import asdict

from ccpipe.models import Block, Document, Quantity
from ccpipe.text.quantities.amounts import find_amounts
from ccpipe.text.quantities.dates import find_dates
from ccpipe.text.quantities.found import Found, overlaps
from ccpipe.text.quantities.names import is_name, name_spans
from ccpipe.text.quantities.numbers import fullwidth_to_ascii
from ccpipe.text.quantities.phrases import find_phrases
from ccpipe.text.quantities.sharing import share

__all__ = ["Found", "find_quantities", "quantify_document", "quantities_in"]


def find_quantities(text: str) -> list[Found]:
    """Every figure and date in ``text``, in text order; dates claim their span first, then amounts."""
    scan = fullwidth_to_ascii(text)  # one character for one: offsets into ``scan`` are offsets into ``text``
    names = name_spans(scan)
    found = find_dates(scan)
    for figure in [*find_amounts(scan), *find_phrases(scan)]:
        if not overlaps(found, figure.start, figure.end) and not is_name(figure, scan, names):
            found.append(figure)
    return share(scan, sorted(found, key=lambda f: (f.start, f.end)))


def quantities_in(block: Block) -> list[Quantity]:
    return [
        Quantity(block_id=block.id, text=block.text[f.start : f.end], **asdict(f)) for f in find_quantities(block.text)
    ]


def quantify_document(document: Document) -> Document:
    """The quantities stage: fill ``Document.quantities`` from the block text (blocks in reading order)."""
    return document.model_copy(update={"quantities": [q for block in document.blocks for q in quantities_in(block)]})
