"""The languages of a brief: gettext catalogs for its fixed labels, a Babel locale for its figures and dates.

Labels live in ``ccpipe/locale/<language>/LC_MESSAGES/ccpipe.mo`` (managed with pybabel; see the README).
Adding a language is adding a catalog: name it in the ``brief_languages`` setting (Babel ids, default
``zh_Hans, en``); catalogs outside the package can be put in the folders of the ``locale_dirs`` setting.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.support import NullTranslations, Translations

from ccpipe.errors import LanguageError
from ccpipe.publish.formats import DEFAULT_LANGUAGES as DEFAULT_LANGUAGES

DOMAIN = "ccpipe"


def N_(message: str) -> str:
    """Mark a label for extraction (pybabel's default keywords include N_); it is translated where shown."""
    return message


# The catalog's own setting for how figures are written: en says en_001 so that dollars read US$, not $.
# TRANSLATORS: not a label. The CLDR locale (Babel id) in which figures and dates are written for readers of
# this language, e.g. en_001 (international English: US$100 billion); leave empty to use the language itself.
FIGURES_LOCALE = N_("figures-locale")


@dataclass(frozen=True)
class Language:
    code: str  # Babel id: zh_Hans
    tag: str  # BCP 47 for lang attributes: zh-Hans
    translations: NullTranslations
    figures: Locale  # the CLDR locale figures and dates are written in

    def gettext(self, message: str, **values: object) -> str:
        text = self.translations.gettext(message)
        return text % values if values else text

    @property
    def name(self) -> str:
        """The language's own name (中文, English), for the view switch."""
        return (self.figures.language_name or self.code).capitalize()


def _catalog_dirs(extra: Iterable[Path] = ()) -> tuple[Path, ...]:
    return (*extra, Path(str(resources.files("ccpipe").joinpath("locale"))))


@cache
def _language(code: str, dirs: tuple[Path, ...]) -> Language:
    for directory in dirs:
        translations = Translations.load(str(directory), [code], DOMAIN)
        if isinstance(translations, Translations):  # load() falls back to NullTranslations when there is none
            break
    else:
        raise LanguageError(None, f"no label catalog for language {code!r} in {', '.join(map(str, dirs))}")
    figures_id = translations.gettext(FIGURES_LOCALE)
    try:
        figures = Locale.parse(code if figures_id == FIGURES_LOCALE else figures_id)
    except (UnknownLocaleError, ValueError) as exc:
        raise LanguageError(None, f"language {code!r}: {exc}") from exc
    return Language(code, code.replace("_", "-"), translations, figures)


def language(code: str, catalog_dirs: Iterable[Path] = ()) -> Language:
    return _language(code, _catalog_dirs(catalog_dirs))


def languages(codes: Iterable[str] = DEFAULT_LANGUAGES, catalog_dirs: Iterable[Path] = ()) -> tuple[Language, ...]:
    """The brief's languages in order (the first should be the document's own); ``catalog_dirs`` are looked in
    before the package's own catalogs."""
    chosen = tuple(dict.fromkeys(codes))
    if not chosen:
        raise LanguageError(None, "a brief needs at least one language")
    dirs = tuple(catalog_dirs)
    return tuple(language(code, dirs) for code in chosen)
