"""What the glossary knows about a new term: the English of its parts, and how much of it is field vocabulary.

A term the glossary lacks is often built of terms it has: 碳排放双控 of 碳排放 (carbon emissions) and 双控
(dual control), 绿色低碳技术 of 绿色低碳 and 技术. The proposed English is then the parts' English in the
Chinese order, joined as English compounds are (``carbon emissions dual control``), for a terminologist to
polish; 和/与/及/、 between parts become "and", 的 is dropped. A part the glossary does not know leaves the
term without a proposal: a guess would look like a translation.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

import jieba

from ccpipe.terms.glossary import Glossary
from ccpipe.terms.tag import Matcher, outermost

_AND = frozenset({"和", "与", "及", "、", "以及"})
_DROPPED = frozenset({"的"})


class Composer:
    """Proposes English for a Chinese term from the glossary terms it is made of."""

    def __init__(self, matcher: Matcher, tokenizer: jieba.Tokenizer) -> None:
        self._matcher = matcher
        self._glossary: Glossary = matcher.glossary
        self._tokenizer = tokenizer

    def english(self, zh: str) -> str | None:
        """The parts' English when glossary terms (and connectors) make up all of ``zh`` and there are two or
        more of them; None otherwise."""
        parts: list[str] = []
        position = 0
        for match in outermost(self._matcher.find("candidate", zh)):
            gap = zh[position : match.start].strip()
            if gap and gap not in _AND | _DROPPED:
                return None
            if gap in _AND:
                parts.append("and")
            parts.append(self._glossary.get(match.entry_id).en)
            position = match.end
        terms = sum(1 for part in parts if part != "and")
        if zh[position:].strip() or terms < 2:
            return None
        return " ".join(parts)

    def known(self, zh: str) -> bool:
        """Whether ``zh`` is a surface form of a glossary entry."""
        return self._matcher.entry_of(zh) is not None

    def field_share(self, words: Sequence[str]) -> float:
        """The share of ``words`` that the glossary's own Chinese names are made of."""
        vocabulary = self._vocabulary
        return sum(word in vocabulary for word in words) / len(words) if words else 0.0

    @cached_property
    def _vocabulary(self) -> frozenset[str]:
        # Built on first use (a fraction of a second for thousands of entries), not when the run loads.
        words: set[str] = set()
        for entry in self._glossary.entries:
            for surface in (entry.zh, *entry.zh_aliases):
                words.update(word for word in self._tokenizer.lcut(surface, HMM=False) if len(word) >= 2)
        return frozenset(words)
