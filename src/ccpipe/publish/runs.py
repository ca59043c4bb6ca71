"""Source text cut into runs: terms, figures, footnote calls and URLs marked, the rest plain text."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ccpipe.models import Category, Mention, Quantity
from ccpipe.publish.brief import Gloss, Run, is_english
from ccpipe.publish.figures import render, worth_glossing
from ccpipe.publish.i18n import N_, Language

CATEGORY_LABELS: dict[Category, str] = {
    Category.AGREEMENT: N_("Agreements"),
    Category.ORGANIZATION: N_("Organizations"),
    Category.MECHANISM: N_("Mechanisms"),
    Category.FUND: N_("Funds"),
    Category.INITIATIVE: N_("Initiatives"),
    Category.EVENT: N_("Events"),
    Category.DOCUMENT: N_("Documents"),
    Category.COUNTRY: N_("Countries"),
    Category.REGION: N_("Regions"),
    Category.PERSON: N_("People"),
    Category.CONCEPT: N_("Concepts"),
}
CATEGORY_ORDER = tuple(CATEGORY_LABELS)
ENGLISH = "en"  # the glossary's names are English whatever languages the brief is in
CHINESE = "zh-Hans"  # ... and Chinese, simplified

_URL = re.compile(r"https?://[^\s<>\"'\u3000-\u303f\uff00-\uffef]+")
_PLAIN_LABEL = re.compile(r"\[?\d+\]?")


@dataclass(frozen=True)
class Call:
    """A footnote call to place in a block: the note's id, its label and this call's own id."""

    note_id: str
    label: str
    call_id: str


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    run: Run


class RunMaker:
    """Cuts text into runs for one brief (its languages decide the glosses and hover texts)."""

    def __init__(
        self, languages: tuple[Language, ...], source_lang: str, chinese: dict[str, str] | None = None
    ) -> None:
        self.languages = languages
        self.others = tuple(lang for lang in languages if lang.tag != source_lang)
        # An English source is glossed the other way: each term with its Chinese name (entity id → zh).
        self.chinese = chinese if is_english(source_lang) else None

    def category(self, category: Category) -> str:
        return " / ".join(dict.fromkeys(lang.gettext(CATEGORY_LABELS[category]) for lang in self.languages))

    def forms(self, quantity: Quantity) -> dict[str, str]:
        return {lang.code: render(quantity, lang) for lang in self.others}

    def _term(self, mention: Mention, gid: str) -> Run:
        if self.chinese is not None:
            zh = self.chinese.get(mention.entity_id, "")
            return Run(
                text=mention.text,
                kind="term",
                category=mention.category.value,
                entity=mention.entity_id,
                tip=f"{zh} · {self.category(mention.category)}" if zh else self.category(mention.category),
                glosses=(Gloss(zh, CHINESE),) if zh else (),
                same=not zh,
                gid=gid,
            )
        same = mention.text.casefold() == mention.en.casefold()
        return Run(
            text=mention.text,
            kind="term",
            category=mention.category.value,
            entity=mention.entity_id,
            tip=f"{mention.en} · {self.category(mention.category)}",
            glosses=(Gloss(mention.en, ENGLISH),),
            same=same,
            gid=gid,
        )

    def _figure(self, quantity: Quantity, text: str, gid: str) -> Run:
        forms = self.forms(quantity)
        shown = worth_glossing(quantity)
        glosses = tuple(Gloss(forms[lang.code], lang.tag) for lang in self.others) if shown else ()
        return Run(text=text, kind="figure", tip=" · ".join(dict.fromkeys(forms.values())), glosses=glosses, gid=gid)

    def runs(
        self,
        text: str,
        mentions: list[Mention],
        quantities: list[Quantity],
        calls: list[Call],
        prefix: str,
        offset: int = 0,
    ) -> list[Run]:
        """Runs of ``text``, which starts at ``offset`` of its block (mentions and quantities use block offsets).

        On overlap the first kept wins: terms, then figures, footnote calls, URLs. ``prefix`` makes the
        gloss ids unique when the same text appears twice in a brief (key points and full text).
        """
        spans = _Spans()
        end = offset + len(text)
        for m in mentions:
            if offset <= m.start and m.end <= end:
                spans.add(_Span(m.start - offset, m.end - offset, self._term(m, f"{prefix}-{m.start}")))
        for q in quantities:
            if offset <= q.start and q.end <= end:
                run = self._figure(q, q.text, f"{prefix}-{q.start}")
                spans.add(_Span(q.start - offset, q.end - offset, run))
        tail: list[Run] = []
        for call in calls:
            raised = bool(_PLAIN_LABEL.fullmatch(call.label))
            run = Run(call.label, "note", ref=call.note_id, ref_id=call.call_id, raised=raised)
            found = (m.start() for m in re.finditer(re.escape(call.label), text))
            at = next((i for i in found if spans.free(i, i + len(call.label))), -1)
            if at >= 0:
                spans.add(_Span(at, at + len(call.label), run))
            else:  # the call marker was lost in extraction: still link the note, at the end of the text
                tail.append(run)
        for match in _URL.finditer(text):
            url = match.group(0).rstrip(".,;:)]}>")
            spans.add(_Span(match.start(), match.start() + len(url), Run(url, "url", ref=url)))
        out: list[Run] = []
        pos = 0
        for span in spans.in_order():
            if span.start > pos:
                out.append(Run(text[pos : span.start]))
            out.append(span.run)
            pos = span.end
        if pos < len(text):
            out.append(Run(text[pos:]))
        return out + tail


class _Spans:
    """Spans that do not overlap, kept sorted: adding one checks its two neighbours only (a block with
    thousands of terms costs n log n, not n²). A span that overlaps one already there is not added."""

    def __init__(self) -> None:
        self._spans: list[_Span] = []

    def free(self, start: int, end: int) -> bool:
        at = bisect.bisect_left(self._spans, start, key=lambda span: span.start)
        before_ok = at == 0 or self._spans[at - 1].end <= start
        after_ok = at == len(self._spans) or end <= self._spans[at].start
        return before_ok and after_ok

    def add(self, span: _Span) -> None:
        if self.free(span.start, span.end):
            bisect.insort(self._spans, span, key=lambda kept: kept.start)

    def in_order(self) -> list[_Span]:
        return self._spans


def plain(runs: list[Run]) -> str:
    return "".join(run.text for run in runs)
