"""The brief as HTML: one self-contained file for screens, its print variant (what WeasyPrint prints to PDF:
the same template with lighter markup, see :mod:`ccpipe.publish.printing`), and a plain semantic variant that
pandoc turns into Word and Markdown. All render the one brief model.

Labels come from the catalogs through Jinja's i18n extension: ``_("Full text")`` gives the label in every
language of the brief, each in a ``<span class="lbl" data-l="…">`` that the view switch shows or hides.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from ccpipe.models import Document
from ccpipe.publish.brief import Brief
from ccpipe.publish.build import build_brief
from ccpipe.publish.i18n import DEFAULT_LANGUAGES, Language
from ccpipe.publish.printing import print_brief
from ccpipe.publish.runs import CATEGORY_LABELS
from ccpipe.publish.translated import ORIGIN_LABELS, paired

TEMPLATE = "brief.html.j2"
PANDOC_TEMPLATE = "brief.pandoc.html.j2"
STYLESHEET = "brief.css"
PRINT_STYLESHEET = "brief.print.css"
_ROOT_RULE = re.compile(r":root\s*\{([^}]*)\}")
_CUSTOM_PROPERTY = re.compile(r"--([\w-]+)\s*:\s*([^;]+);")
_VAR = re.compile(r"var\(--([\w-]+)\s*(?:,\s*([^)]*))?\)")
SCRIPT = "brief.js"
SHORT_HASH = 12


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("ccpipe.publish", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
    )
    # New-style gettext: _("p. %(page)s", page=3) formats after translating, escaping the values. The callables
    # installed here are placeholders; each render passes the ones for its brief's languages in the context.
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        category_labels=CATEGORY_LABELS, origin_labels=ORIGIN_LABELS, short_hash=SHORT_HASH, paired=paired
    )
    return env


def environment() -> Environment:
    """The templates' shared environment (the English edition renders with it too)."""
    return _environment()


@cache
def _asset(name: str) -> str:
    return resources.files("ccpipe.publish").joinpath("templates", name).read_text(encoding="utf-8")


def _grouped(languages: tuple[Language, ...], message: str) -> list[tuple[str, list[str]]]:
    """The translations of ``message``, each text once with the languages (BCP 47) that share it."""
    groups: dict[str, list[str]] = {}
    for lang in languages:
        groups.setdefault(lang.translations.gettext(message), []).append(lang.tag)
    return list(groups.items())


def _label_functions(languages: tuple[Language, ...]) -> dict[str, Callable[..., object]]:
    def gettext(message: str) -> Markup:
        # Jinja's new-style gettext formats the result with the call's keyword arguments (escaped) afterwards.
        return Markup(" ").join(
            Markup('<span class="lbl" data-l="{tags}" lang="{lang}">').format(tags=" ".join(tags), lang=tags[0])
            + escape(text)
            + Markup("</span>")
            for text, tags in _grouped(languages, message)
        )

    def ngettext(singular: str, plural: str, n: int) -> Markup:
        return gettext(singular if n == 1 else plural)

    def tr(message: str, code: str | None = None, **values: object) -> str:
        """Plain text for attributes and metadata: one language, or every language joined by " / "."""
        chosen = [lang for lang in languages if code in (None, lang.code)]
        return " / ".join(dict.fromkeys(lang.gettext(message, **values) for lang in chosen))

    return {"gettext": gettext, "ngettext": ngettext, "tr": tr}


def _render(template: str, brief: Brief, **extra: object) -> str:
    functions = _label_functions(brief.languages)
    env = _environment()
    template_obj = env.get_template(template)
    # Callables per render: a brief's languages are part of what it renders, not of the shared environment.
    context = {
        "brief": brief,
        "info": brief.title,
        "gettext": _newstyle(functions["gettext"]),
        "ngettext": functions["ngettext"],
        "tr": functions["tr"],
        "printing": False,
        **extra,
    }
    return template_obj.render(context)


def _newstyle(gettext: Callable[..., object]) -> Callable[..., Markup]:
    def call(message: str, **values: object) -> Markup:
        text = gettext(message)
        assert isinstance(text, Markup)
        return text % values if values else text

    return call


def prepare_templates() -> None:
    """Compile the templates and read the assets now (they are cached for the process and its forks)."""
    for name in (TEMPLATE, PANDOC_TEMPLATE):
        _environment().get_template(name)
    _asset(STYLESHEET), _asset(SCRIPT)


def render_brief_html(brief: Brief) -> str:
    """The screen/print brief; the same brief always gives the same string."""
    return _render(TEMPLATE, brief, css=Markup(_asset(STYLESHEET)), script=Markup(_asset(SCRIPT)))


def render_print_html(brief: Brief, *, inline_css: bool = True) -> str:
    """The brief as WeasyPrint prints it: a term glossed at its first mention in each section, fewer boxes per
    mark, no view switch or script; the same template and stylesheet, so screen and print never drift apart.

    Without ``inline_css`` the stylesheet is left out, for the renderer to add (:func:`print_stylesheet`): a
    parsed stylesheet can be used for every brief of a process."""
    css = Markup(print_stylesheet() if inline_css else "")
    return _render(TEMPLATE, print_brief(brief), css=css, script=Markup(""), printing=True)


@cache
def print_stylesheet() -> str:
    """brief.css and the print additions, custom properties replaced by their values: WeasyPrint resolves a
    var() again for every element and property that uses it."""
    css = _asset(STYLESHEET) + _asset(PRINT_STYLESHEET)
    root = _ROOT_RULE.search(css)
    values = dict(_CUSTOM_PROPERTY.findall(root.group(1))) if root else {}
    return _VAR.sub(lambda found: values.get(found.group(1)) or found.group(2) or found.group(0), css)


def render_pandoc_html(brief: Brief) -> str:
    """Plain semantic HTML of the same brief, the input pandoc turns into Word and Markdown."""
    return _render(PANDOC_TEMPLATE, brief)


def render_html(document: Document, languages: Iterable[str] = DEFAULT_LANGUAGES) -> str:
    """Build the brief of ``document`` and render it as HTML."""
    return render_brief_html(build_brief(document, languages))
