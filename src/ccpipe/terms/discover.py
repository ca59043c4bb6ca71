"""New-term discovery: names a document uses that the glossary lacks, for a terminologist to review.

Four sources, each a habit of Chinese policy writing: book titles 《…》, bilingual parentheticals
中文（English name, ABBR）, quoted initiative names “…”, and the document's TF-IDF keywords. A
candidate already covered by a glossary mention is not proposed again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import jieba
import jieba.analyse
import jieba.posseg

from ccpipe.models import Block, BlockKind, Candidate, Document, Mention

_TITLE = re.compile(r"《([^《》\n]{2,40})》")
# Quoted names, not quoted clauses: no clause punctuation or enumeration comma inside.
_QUOTED = re.compile(r"“([^“”\n，。；！？、]{2,24})”")
# Chinese followed by a parenthesis holding Latin text: （English name, ABBR）, （ABBR） or （English name）.
_PARENTHETICAL = re.compile(r"([\u4e00-\u9fff·\-—“”]{2,40})（\s*([A-Za-z][A-Za-z0-9 .,'&/\-]*?)\s*）")
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9\-]{1,11}$")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# Parts of speech that can open a name: nouns of all kinds, place and organisation names, abbreviations,
# and the modifiers names start with (主要, 绿色).
_NAME_START = ("n", "nr", "ns", "nt", "nz", "j", "vn", "l", "eng", "b", "a")
_KEYWORD_POS = ("n", "nz", "nt", "ns", "vn", "j", "l")
_KEYWORDS = 20
_EXAMPLES = 2


class Discoverer:
    """Candidate extraction sharing the run's private jieba tokenizer (never jieba's global one)."""

    def __init__(self, tokenizer: jieba.Tokenizer) -> None:
        self._pos = jieba.posseg.POSTokenizer(tokenizer)
        self._tfidf = jieba.analyse.TFIDF()
        self._tfidf.tokenizer = tokenizer
        self._tfidf.postokenizer = self._pos

    def candidates(self, document: Document) -> list[Candidate]:
        """Candidates in a stable order: by kind, then most frequent first, then by text."""
        blocks = [block for block in document.blocks if block.kind != BlockKind.TABLE or block.text]
        covered = _covered(document.mentions)
        found: dict[tuple[str, str], Candidate] = {}
        for kind, zh, en, abbreviation, block, start in self._spans(blocks):
            if _overlaps(covered.get(block.id, []), start, start + len(zh)) or not _HAN.search(zh):
                continue
            key = (kind, zh)
            if key not in found:
                found[key] = Candidate(kind=kind, zh=zh, en=en, abbreviation=abbreviation, count=0)
            found[key].count += 1
        for word, weight in self._keywords(blocks, document.mentions):
            found.setdefault(("keyword", word), Candidate(kind="keyword", zh=word, count=0, score=round(weight, 4)))
        text = "\n".join(block.text for block in blocks)
        for candidate in found.values():
            candidate.count = max(candidate.count, text.count(candidate.zh))
            candidate.examples = _examples(blocks, candidate.zh)
        order = {"title": 0, "parenthetical": 1, "quoted": 2, "keyword": 3}
        return sorted(found.values(), key=lambda c: (order[c.kind], -c.count, c.zh))

    def _spans(self, blocks: list[Block]) -> Iterator[tuple[str, str, str | None, str | None, Block, int]]:
        for block in blocks:
            for match in _TITLE.finditer(block.text):
                yield "title", match.group(1).strip(), None, None, block, match.start(1)
            for match in _QUOTED.finditer(block.text):
                yield "quoted", match.group(1).strip(), None, None, block, match.start(1)
            for match in _PARENTHETICAL.finditer(block.text):
                en, abbreviation = _split_parenthesis(match.group(2))
                name, offset = self._trailing_name(match.group(1))
                yield "parenthetical", name, en, abbreviation, block, match.start(1) + offset

    def _trailing_name(self, run: str) -> tuple[str, int]:
        """The name at the end of a run of Chinese: leading verbs and particles (召集, 建立了…) dropped."""
        words = list(self._pos.cut(run))
        start = 0
        for index, pair in enumerate(words):
            if pair.flag.startswith(_NAME_START):
                break
            start = index + 1
        offset = sum(len(pair.word) for pair in words[:start])
        return run[offset:].strip("“”"), offset

    def _keywords(self, blocks: list[Block], mentions: list[Mention]) -> list[tuple[str, float]]:
        text = "\n".join(block.text for block in blocks if block.kind != BlockKind.FOOTNOTE)
        known = {mention.text for mention in mentions}
        tags = self._tfidf.extract_tags(text, topK=_KEYWORDS * 2, withWeight=True, allowPOS=_KEYWORD_POS)
        # Two-character keywords of a policy text are generic (领域, 建设); names and terms are longer.
        fresh = [(word, weight) for word, weight in tags if len(word) >= 3 and not any(word in k for k in known)]
        return fresh[:_KEYWORDS]


def _split_parenthesis(inside: str) -> tuple[str | None, str | None]:
    """English name and abbreviation from the inside of （…）: "Name, ABBR", "ABBR" or "Name"."""
    head, _, tail = inside.rpartition(",")
    if head and _ACRONYM.match(tail.strip()):
        return head.strip(), tail.strip()
    if _ACRONYM.match(inside) and inside.upper() == inside:
        return None, inside
    return inside, None


def _covered(mentions: Iterable[Mention]) -> dict[str, list[tuple[int, int]]]:
    """Spans of glossary terms per block: a candidate overlapping one is already known."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for mention in mentions:
        spans.setdefault(mention.block_id, []).append((mention.start, mention.end))
    return spans


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)


def _examples(blocks: list[Block], term: str) -> list[str]:
    out: list[str] = []
    for block in blocks:
        for sentence in block.sentences or []:
            text = block.text[sentence.start : sentence.end]
            if term in text:
                out.append(text)
                if len(out) == _EXAMPLES:
                    return out
    return out
