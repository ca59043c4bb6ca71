"""One file holding both editions one after the other (a common way of submitting to the UN): split it.

Each page is Chinese (a fair share of its letters are CJK), English (Latin letters, almost no CJK) or
neither (blank, figures only). The file holds two editions when its pages read Chinese then English (or
English then Chinese) with a single change of language; the split falls at the first page of the second
language, and a page of neither goes with the edition it follows.
"""

from __future__ import annotations

from ccpipe.models import Extracted, Page
from ccpipe.textutil import is_cjk

_CHINESE_SHARE = 0.3  # of a page's letters, CJK
_ENGLISH_SHARE = 0.02  # at most, on an English page
_MIN_LETTERS = 40  # a page with fewer says nothing about its language
_AGREEMENT = 0.9  # share of the pages of known language that must fit the split


def page_language(page: Page) -> str | None:
    """``zh``, ``en`` or None (too little text to tell)."""
    text = "".join(line.text for line in page.lines)
    cjk = sum(1 for ch in text if is_cjk(ch))
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    if cjk + latin < _MIN_LETTERS:
        return None
    share = cjk / (cjk + latin)
    if share >= _CHINESE_SHARE:
        return "zh"
    return "en" if share <= _ENGLISH_SHARE else None


def _best_split(languages: list[str | None]) -> tuple[int, str] | None:
    """The page index where the second edition starts and the first edition's language, if the pages fit."""
    known = sum(1 for language in languages if language)
    best: tuple[int, int, str] | None = None
    for first in ("zh", "en"):
        second = "en" if first == "zh" else "zh"
        for cut in range(1, len(languages)):
            fits = sum(1 for lang in languages[:cut] if lang == first) + sum(
                1 for lang in languages[cut:] if lang == second
            )
            if best is None or fits > best[0]:
                best = (fits, cut, first)
    if best is None or not known or best[0] / known < _AGREEMENT:
        return None
    fits, cut, first = best
    second = "en" if first == "zh" else "zh"
    if first not in languages[:cut] or second not in languages[cut:]:
        return None
    while languages[cut] is None:  # pages of neither language stay with the edition before them
        cut += 1
    return cut, first


def split_editions(extracted: Extracted) -> tuple[Extracted, Extracted] | None:
    """The Chinese and the English edition of a file that holds both, or None for a file of one language.

    Page numbers stay those of the file, so every page reference points into it."""
    pages = extracted.pages
    if len(pages) < 2 or extracted.blocks:
        return None
    found = _best_split([page_language(page) for page in pages])
    if found is None:
        return None
    cut, first = found
    head, tail = pages[:cut], pages[cut:]
    parts = [_part(extracted, head), _part(extracted, tail)]
    return (parts[0], parts[1]) if first == "zh" else (parts[1], parts[0])


def _part(extracted: Extracted, pages: list[Page]) -> Extracted:
    source = extracted.source.model_copy(update={"pages": len(pages)})
    return extracted.model_copy(update={"pages": pages, "source": source})
