"""Which surface forms the tagger may take as found, and which it must check first.

Chinese is written without spaces, so a short term's characters often occur inside another word: 海地
(Haiti) in 沿海地区 ("coastal areas"), 中亚 (Central Asia) in 中亚热带 ("central subtropics"), 电网 in 充电网络.
A Chinese surface of up to :data:`WORD_CHECK_LENGTH` characters is therefore taken only where it cuts no word
of the text apart (see :mod:`ccpipe.terms.words`); longer ones are specific enough to match anywhere. An
entry overrides this with ``match: word`` (always check) or ``match: anywhere`` (never).

Short Latin forms are just as ambiguous across documents: HAC is the High Ambition Coalition in a climate
report and heteroskedasticity-and-autocorrelation-consistent errors in an econometrics paper, NEA names
agencies of several countries. A letters-only form of up to :data:`AMBIGUOUS_LENGTH` letters (or any Latin
short form of an entry marked ``ambiguous: true``) is taken only where the document confirms the reading:
it defines the form for that entry, or names the entry in full somewhere. ``ambiguous: false`` marks a
short form that means one thing in this field (COP). Forms with digits (G7, COP26, PM2.5) are names.
"""

from __future__ import annotations

import re

from ccpipe.terms.glossary import GlossaryEntry

WORD_CHECK_LENGTH = 3
AMBIGUOUS_LENGTH = 3
# A Latin short form: one word of capitals (a lower-case letter allowed inside: SBTi), digits, & . -
_SHORT_FORM = re.compile(r"[A-Z][A-Za-z0-9&.\-]{0,9}")
_HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0002fa1f]")


def is_short_form(surface: str) -> bool:
    """Whether a Latin surface is an acronym-like short form (NEA, SBTi, G20), not a word or a name."""
    return bool(_SHORT_FORM.fullmatch(surface)) and sum(ch.isupper() or ch.isdigit() for ch in surface) >= 2


def short_forms(entry: GlossaryEntry) -> list[str]:
    """The entry's Latin short forms: its abbreviations and the acronym-like English aliases."""
    forms = [*entry.abbreviations, *(alias for alias in entry.en_aliases if is_short_form(alias))]
    if is_short_form(entry.en):
        forms.append(entry.en)
    return list(dict.fromkeys(forms))


def needs_confirmation(entry: GlossaryEntry, surface: str) -> bool:
    """Whether ``surface`` (one of the entry's forms) is taken only where the document confirms it."""
    if surface not in short_forms(entry):
        return False
    if entry.ambiguous is not None:
        return entry.ambiguous
    return surface.isalpha() and len(surface) <= AMBIGUOUS_LENGTH


def needs_word_check(key: str, match: str | None = None) -> bool:
    """Whether the form ``key`` (in search-copy form) of an entry with ``match`` set so (or unset) must not
    cut a word of the text apart: Chinese forms only."""
    if match == "anywhere" or not _HAN.search(key):
        return False
    return match == "word" or len(key) <= WORD_CHECK_LENGTH
