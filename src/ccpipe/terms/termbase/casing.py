"""English thesaurus labels in capitals ("CLIMATE CHANGE") to glossary case ("climate change").

Everything is lowercased except:

* acronyms, told by the other labels of the same concept: a Latin word the Chinese label keeps (MX导弹),
  or the capitalised abbreviations of a mixed-case Russian label (ВИЧ/СПИД → HIV/AIDS, ООН → UN);
* proper names: CLDR territory and language names ("Latin America", "English"), the adjectives and
  demonyms formed from one-word names (African, Europeans, Chinese), and a few names CLDR lacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from babel import Locale

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_SMALL = frozenset(
    {"a", "an", "and", "as", "at", "by", "de", "for", "from", "in", "into", "of", "on", "or", "the", "to"}
    | {"with", "within", "without", "against", "between", "under", "over"}
)
# Names and proper adjectives UN subject labels use that CLDR does not list.
_EXTRA_NAMES = [
    *("Arab", "Arabs", "Arctic", "Antarctic", "Atlantic", "Pacific", "Mediterranean", "Caribbean", "Sahara"),
    *("Sahel", "Andean", "Amazon", "Baltic", "Christian", "Christians", "Christianity", "Islam", "Islamic"),
    *("Muslim", "Muslims", "Jewish", "Jews", "Hindu", "Buddhist", "Catholic", "Protestant", "Latin"),
    *("Celsius", "Internet", "El Niño", "La Niña"),
]
_DEMONYM_SUFFIXES = ("n", "ns", "an", "ans", "ian", "ians", "ese", "i", "is")
# CLDR pseudo and placeholder regions.
_NOT_NAMES = frozenset({"XA", "XB", "ZZ"})


@dataclass(frozen=True)
class _Lexicon:
    words: dict[str, str]
    phrases: re.Pattern[str]
    phrase_spelling: dict[str, str]


@cache
def _lexicon() -> _Lexicon:
    english = Locale("en")
    names = [name.replace("’", "'") for code, name in english.territories.items() if code not in _NOT_NAMES]
    # Only major languages (two-letter codes) and names of 4+ letters: 'Ewe' or 'Ga' are also plain words.
    names += [name for code, name in english.languages.items() if len(code) == 2 and len(name) >= 4]
    words: dict[str, str] = {}
    names += _EXTRA_NAMES
    for name in names:
        if " " in name or "(" in name:
            continue
        words[name.lower()] = name
        if len(name) >= 4 and name.isalpha():
            for stem in (name, name[:-1]):
                for suffix in _DEMONYM_SUFFIXES:
                    words.setdefault((stem + suffix).lower(), stem + suffix)
    phrases = sorted({name for name in names if " " in name}, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, phrases)) + r")(?!\w)", re.IGNORECASE)
    return _Lexicon(words, pattern, {phrase.lower(): phrase for phrase in phrases})


def decapitalise(label: str, *, zh: str = "", ru: str = "", title: bool = False) -> str:
    """Glossary case for an all-capitals ``label``; ``title`` capitalises every word (place names)."""
    lexicon = _lexicon()
    text = " ".join(label.replace("İ", "I").split())
    acronyms = _acronyms(text, zh, ru, lexicon)
    pieces: list[str] = []
    last = 0
    for hit in lexicon.phrases.finditer(text):
        pieces.append(_words(text[last : hit.start()], lexicon, acronyms, title))
        pieces.append(lexicon.phrase_spelling[hit.group(0).lower()])
        last = hit.end()
    pieces.append(_words(text[last:], lexicon, acronyms, title))
    return "".join(pieces)


def _words(text: str, lexicon: _Lexicon, acronyms: set[str], title: bool) -> str:
    def case(hit: re.Match[str]) -> str:
        word = hit.group(0)
        upper, lower = word.upper(), word.lower()
        if lower in lexicon.words:
            return lexicon.words[lower]
        if upper.endswith("S") and upper[:-1] in acronyms:
            return upper[:-1] + "s"
        if upper in acronyms:
            return upper
        if title and lower not in _SMALL:
            return lower[:1].upper() + lower[1:]
        return lower

    return _WORD.sub(case, text)


def _acronyms(text: str, zh: str, ru: str, lexicon: _Lexicon) -> set[str]:
    found = {latin.upper() for latin in re.findall(r"[A-Za-z]{2,}", zh)}
    words = [word.upper() for word in _WORD.findall(text)]
    ru = ru.strip()
    if ru and ru != ru.upper():
        # A mixed-case Russian label writes its abbreviations in capitals: as many English words are
        # abbreviations, the shortest ones (abbreviations are short).
        count = len(re.findall(r"(?<![^\W\d_])[A-ZА-ЯЁ]{2,}", ru))
        candidates = [w for w in words if len(w) <= 5 and w.lower() not in _SMALL and w.lower() not in lexicon.words]
        found.update(sorted(candidates, key=len)[:count])
    elif ru and " " not in ru and len(ru) <= 4 and len(words) == 1 and len(words[0]) <= 5:
        # An all-capitals one-word Russian label that short is an abbreviation too (ДНК for DNA).
        found.add(words[0])
    return found
