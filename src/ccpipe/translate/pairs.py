"""Which sources are two editions of one document: by file name, or as the configuration pairs them.

Names: ``report.zh.pdf`` + ``report.en.pdf``, ``报告.pdf`` + ``报告_EN.pdf``, ``plan-en.docx``, ``规划（英文版）.pdf``,
``白皮书英文版.pdf``… A file whose name ends in an English marker pairs with the file of the same name that
has a Chinese marker or none (any supported format). Names only: planning a run stays as cheap as hashing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

# A language marker ends the file name: after a separator for Latin ones (so "green" is not "gre" + "en").
_ENGLISH = re.compile(r"(?:[._\- ](?:en|eng|english)|[（(]?英文版?[）)]?|[（(]english[）)])$", re.IGNORECASE)
_CHINESE = re.compile(
    r"(?:[._\- ](?:zh|cn|chs|zh-cn|zh-hans|chinese)|[（(]?中文版?[）)]?|[（(]chinese[）)])$", re.IGNORECASE
)
_TRAILING = re.compile(r"[._\- ]+$")


def edition_of_name(path: Path) -> tuple[str, str | None]:
    """The name without its language marker (case-folded) and the marker's language: ``en``, ``zh`` or None."""
    stem = path.stem
    for language, marker in (("en", _ENGLISH), ("zh", _CHINESE)):
        found = marker.search(stem)
        if found and found.start() > 0:
            return _TRAILING.sub("", stem[: found.start()]).casefold(), language
    return stem.casefold(), None


def find_pairs(sources: Iterable[Path], explicit: Sequence[tuple[Path, Path]] = ()) -> dict[Path, Path]:
    """Chinese edition → English edition, for every pair among ``sources``; ``explicit`` [zh, en] pairs from
    the configuration come first and take both files out of name matching."""
    sources = sorted(sources)
    by_resolved = {path.resolve(): path for path in sources}
    pairs: dict[Path, Path] = {}
    for zh, en in explicit:
        if zh.resolve() in by_resolved and en.resolve() in by_resolved:
            pairs[by_resolved[zh.resolve()]] = by_resolved[en.resolve()]
    taken = set(pairs) | set(pairs.values())
    chinese: dict[tuple[Path, str], list[Path]] = {}
    english: list[tuple[Path, str]] = []
    for path in sources:
        if path in taken:
            continue
        base, language = edition_of_name(path)
        if language == "en":
            english.append((path, base))
        else:
            chinese.setdefault((path.parent, base), []).append(path)
    for path, base in english:
        candidates = chinese.get((path.parent, base), [])
        # Two Chinese candidates (报告.pdf and 报告.docx): the one in the English edition's format.
        candidates = sorted(candidates, key=lambda c: (c.suffix.lower() != path.suffix.lower(), c.name))
        for candidate in candidates:
            if candidate not in pairs:
                pairs[candidate] = path
                break
    return dict(sorted(pairs.items()))
