"""The briefs with recorded translations, by a real round trip on the sample (export, fill, import, publish):
the bilingual brief shows each translated paragraph beside its Chinese with its origin, untranslated ones as
before; the English edition is English only, with or without translations."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pypandoc
import pytest
from lxml import etree

from ccpipe.models import Document
from ccpipe.publish.build import build_brief
from ccpipe.publish.html import render_brief_html
from ccpipe.publish.writer import publish
from ccpipe.runs.pipeline import Resources, build_document
from ccpipe.translate.roundtrip import import_units
from ccpipe.translate.segments import SourceUnit, source_units
from ccpipe.translate.store import State, Translations, UnitTranslation, translations_bytes
from ccpipe.translate.units import Origin
from ccpipe.translate.xliff import NS, read_xliff, xliff_bytes
from tests.test_translation_roundtrip import english_for, fill

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def _paragraphs(units: list[SourceUnit], lead: bool) -> list[list[SourceUnit]]:
    """The sample's paragraphs of two sentences or more in one block, in reading order: those opening with a
    key point (``lead``) or those of plain sentences."""
    found: dict[int, list[SourceUnit]] = {}
    for unit in units:
        found.setdefault(unit.paragraph, []).append(unit)
    return [
        group
        for group in found.values()
        if len(group) >= 2
        and (group[0].kind == "keypoint") == lead
        and all(u.kind == "sentence" for u in group[1:])
        and len({ref.block_id for u in group for ref in u.refs}) == 1
    ]


def _with_origin(data: bytes, machine: set[str]) -> bytes:
    """Mark ``machine`` units as machine translation, as the MT command leaves them."""
    root = etree.fromstring(data)
    for unit in root.iter(f"{{{NS}}}unit"):
        if unit.get("id") in machine:
            segment = unit.find(f"{{{NS}}}segment")
            assert segment is not None
            segment.set("subState", "ccpipe:machine")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


class RoundTrip:
    def __init__(self, document: Document, out: Path) -> None:
        self.units = source_units(document)
        plain = _paragraphs(self.units, lead=False)
        self.human, self.machine, self.untranslated = plain[0], plain[1], plain[2]
        self.partial = _paragraphs(self.units, lead=True)[0]  # its key point translated, not its sentences
        chosen = [u for u in self.units if u.kind in ("title", "heading", "keypoint")]
        chosen += [*self.human, *self.machine]
        self.targets = {u.id: english_for(u) for u in chosen}
        doc_id = document.document.id
        exported = xliff_bytes(doc_id, self.units, {})
        filled = _with_origin(fill(exported, self.targets), {u.id for u in self.machine})
        _, read = read_xliff(filled)
        recorded = Translations(document_id=doc_id)
        self.report = import_units(self.units, read, recorded)
        self.recorded = recorded
        (out / "translations.json").write_bytes(translations_bytes(recorded))
        self.paths = {p.name: p for p in publish(document, out, formats=("json", "html"))}

    def block(self, group: list[SourceUnit]) -> str:
        return group[0].refs[0].block_id


@pytest.fixture(scope="module")
def trip(sample_document: Document, tmp_path_factory: pytest.TempPathFactory) -> RoundTrip:
    return RoundTrip(sample_document, tmp_path_factory.mktemp("translated"))


def _text(html: str) -> str:
    """What a reader sees: the text outside styles, scripts and tags, the source file name left out."""
    html = re.sub(r"<(style|script)>.*?</\1>", "", html, flags=re.S)
    html = re.sub(r'<span lang="zh-Hans">[^<]*</span>', "", html)
    return re.sub(r"<[^>]+>", " ", html)


def test_bilingual_brief_shows_each_translated_paragraph_beside_its_chinese(trip: RoundTrip) -> None:
    assert trip.report.applied == len(trip.targets)
    assert not {p.unit_id for p in trip.report.problems} & set(trip.targets)  # the rest is reported empty
    tree = lxml.html.fromstring(trip.paths["brief.html"].read_bytes())
    pairs = tree.find_class("is-translated")
    beside = {block.get("id"): pair for pair in pairs for block in pair.find_class("pair-zh")[0].find_class("block")}
    for group in (trip.human, trip.machine, trip.partial):
        pair = beside[trip.block(group)]
        english = pair.find_class("pair-en")[0]
        assert english.get("lang") == "en"
        assert english_for(group[0]) in english.text_content()
    assert trip.block(trip.untranslated) not in beside  # untranslated paragraphs stay as they were
    assert tree.get_element_by_id(trip.block(trip.untranslated)).tag == "p"
    labels = {pair_id: beside[pair_id].find_class("origin")[0].get("class") for pair_id in beside}
    assert labels[trip.block(trip.machine)] == "origin is-machine"
    assert labels[trip.block(trip.human)] == "origin is-human"
    machine = beside[trip.block(trip.machine)].find_class("origin")[0].text_content()
    assert "machine translation" in machine and "机器翻译" in machine
    partial = beside[trip.block(trip.partial)].find_class("untranslated")[0].text_content()
    assert f"Sentences not yet translated: {len(trip.partial) - 1}" in partial
    headings = [u for u in trip.units if u.kind == "heading"]
    assert all(trip.block([u]) in beside for u in headings)  # every heading, with its English
    assert len(pairs) == len(beside)


def test_bilingual_brief_title_outline_and_key_points_in_english(trip: RoundTrip) -> None:
    html = trip.paths["brief.html"].read_text(encoding="utf-8")
    title = next(u for u in trip.units if u.kind == "title")
    assert f'<span class="title-en" lang="en">{english_for(title)} <span class="origin is-human"' in html
    tree = lxml.html.fromstring(html)
    outline = tree.get_element_by_id("contents").find_class("translated")
    heading = next(u for u in trip.units if u.kind == "heading")
    assert english_for(heading) in [span.text_content() for span in outline]
    points = tree.get_element_by_id("keypoints").find_class("kp-en")
    assert points and all(span.find_class("origin") for span in points)
    coverage = tree.find_class("coverage")[0].text_content()
    assert f"{len(trip.targets)} of {len(trip.units)} units" in coverage and "个单元中的" in coverage


def test_english_edition_carries_the_translations_and_no_chinese(trip: RoundTrip) -> None:
    html = trip.paths["brief.en.html"].read_text(encoding="utf-8")
    text = _text(html)
    assert not _CJK.search(text), _CJK.findall(text)[:10]
    title = next(u for u in trip.units if u.kind == "title")
    assert f"<title>{english_for(title)}</title>" in html
    assert all(english_for(u) in html for u in trip.human)
    assert "machine translation" in text and "human translation" in text
    assert re.search(r"Section \d[.\d]*, \d+ paragraphs?.*, not yet translated", text)


@pytest.mark.slow
def test_pdfs_carry_the_english(sample_document: Document, trip: RoundTrip, tmp_path: Path) -> None:
    """The PDF brief (as the run prints it) and the English edition's PDF show the recorded English, every
    glyph from an embedded font (no tofu boxes drawn instead)."""
    shutil.copy2(trip.paths["document.json"].parent / "translations.json", tmp_path / "translations.json")
    paths = {p.name: p for p in publish(sample_document, tmp_path, formats=("pdf",))}
    for name in ("brief.pdf", "brief.en.pdf"):
        text = subprocess.run(["pdftotext", str(paths[name]), "-"], capture_output=True, check=True).stdout.decode()
        assert " ".join(english_for(trip.human[0]).split()[:3]) in " ".join(text.split()), name
        assert "machine translation" in text, name
        fonts = subprocess.run(["pdffonts", str(paths[name])], capture_output=True, check=True).stdout.decode()
        assert "Type 3" not in fonts and all(" yes " in line for line in fonts.splitlines()[2:]), fonts


def _lines(text: str) -> list[str]:
    """Non-blank lines as a reader sees them: glosses ("中国 [China]"), list bullets, Markdown escapes and emphasis
    left out (pandoc's plain text shows a list item's second paragraph as an item of its own)."""
    text = re.sub(r"(?<=[^\s>*]) \\?\[[^\]\n]*?\\?\]", "", text)  # a gloss follows its term; "[EN …]" opens a line
    return [re.sub(r"^\s*(- +)?|\\(?=\S)|\*", "", line) for line in text.splitlines() if line.strip()]


def _under(lines: list[str], chinese: str) -> list[str]:
    """The line under each line that holds ``chinese``."""
    found = [lines[i + 1] for i, line in enumerate(lines[:-1]) if chinese in line]
    assert found, chinese
    return found


def test_word_and_markdown_carry_the_translations(sample_document: Document, trip: RoundTrip, tmp_path: Path) -> None:
    """brief.md and brief.docx quote each translated heading, paragraph and key point under its Chinese, with
    its origin (machine translation labelled as such); the Markdown holds no raw HTML."""
    shutil.copy2(trip.paths["document.json"].parent / "translations.json", tmp_path / "translations.json")
    paths = {p.name: p for p in publish(sample_document, tmp_path, formats=("docx", "md"))}
    markdown = paths["brief.md"].read_text(encoding="utf-8")
    assert not re.search(r"</?(span|div|p|em|blockquote)\b|^[> ]*:::|\{lang=|custom-style", markdown, flags=re.M)
    word = pypandoc.convert_file(str(paths["brief.docx"]), "plain", format="docx", extra_args=["--wrap=none"])
    title = next(u for u in trip.units if u.kind == "title")
    headings = [u for u in trip.units if u.kind == "heading"]
    for text, quote in ((markdown, "> "), (word, "")):
        lines = _lines(text)
        assert f"{english_for(title)} (人工翻译 / human translation)" in lines
        shown = [
            _under(lines, h.text).count(f"{quote}{english_for(h)} (人工翻译 / human translation)") for h in headings
        ]
        assert min(shown) >= 1 and max(shown) == 2, shown  # in the full text; a section's in the key points too
        (human,) = _under(lines, trip.human[0].text)
        assert human.startswith(f"{quote}{english_for(trip.human[0])}") and "(人工翻译 / human translation)" in human
        (machine,) = _under(lines, trip.machine[0].text)
        assert machine.startswith(f"{quote}{english_for(trip.machine[0])}")
        assert machine.endswith("(机器翻译 / machine translation)")
        point = _under(lines, trip.partial[0].text)  # its key point, then its paragraph with the rest untranslated
        assert all(
            line.startswith(f"{quote}{english_for(trip.partial[0])} (人工翻译 / human translation)") for line in point
        )
        assert point[-1].endswith(f"Sentences not yet translated: {len(trip.partial) - 1})")
        assert not any(line.startswith(f"{quote}[EN") for line in _under(lines, trip.untranslated[0].text))
        assert f"{len(trip.targets)} of {len(trip.units)} units" in text


def test_english_edition_without_translations_is_english(sample_document: Document, tmp_path: Path) -> None:
    """Every document gets an English edition: names, figures, outline and summaries, no Chinese text."""
    paths = {p.name: p for p in publish(sample_document, tmp_path, formats=("html",))}
    html = paths["brief.en.html"].read_text(encoding="utf-8")
    text = _text(html)
    assert not _CJK.search(text), _CJK.findall(text)[:10]
    assert "Report of the National Center for Climate Change Strategy and International Cooperation" in text
    assert "Translated: 0 of" in text and "US$100 billion" in text and "Paris Agreement" in text
    sections = re.findall(r"Section (\d+), (\d+) paragraphs?[^,]*, not yet translated", text)
    assert [number for number, _ in sections] == ["1", "2", "3", "4"]
    assert not (tmp_path / "translations.json").exists()


def test_english_edition_of_an_aligned_document_shows_the_official_english(tmp_path: Path) -> None:
    """A document with an official English edition: its English edition shows the edition's sentences."""
    from ccpipe.runs.runner import run_batch
    from tests.conftest import run_config, small_pair

    sources = small_pair(tmp_path / "src")
    out = tmp_path / "out"
    assert run_batch(run_config(sources, out, formats=["json", "html"])).ok
    folder = next(p for p in out.iterdir() if (p / "brief.en.html").is_file() and "zh" in p.name)
    html = (folder / "brief.en.html").read_text(encoding="utf-8")
    assert not _CJK.search(_text(html)), _CJK.findall(_text(html))[:10]
    assert "China and the European Union cooperate under the Paris Agreement." in html
    assert '<span class="origin is-official" title="official edition">official edition</span>' in html
    assert "<title>Climate Cooperation Report</title>" in html


def test_word_and_markdown_of_an_aligned_document_quote_the_official_english(tmp_path: Path) -> None:
    """Word and Markdown readers of a document with an official English edition get its English under each
    paragraph and heading, labelled as the official edition's."""
    from ccpipe.runs.runner import run_batch
    from tests.conftest import run_config, small_pair

    sources = small_pair(tmp_path / "src")
    out = tmp_path / "out"
    assert run_batch(run_config(sources, out, formats=["json", "docx", "md"])).ok
    folder = next(p for p in out.iterdir() if (p / "brief.md").is_file() and "zh" in p.name)
    markdown = (folder / "brief.md").read_text(encoding="utf-8")
    word = pypandoc.convert_file(str(folder / "brief.docx"), "plain", format="docx", extra_args=["--wrap=none"])
    for text, quote in ((markdown, "> "), (word, "")):
        lines = _lines(text)
        # The key point (its own sentence), then the paragraph (both sentences).
        point, paragraph = _under(lines, "2023年双方举行了高级别对话")
        assert point == f"{quote}In 2023 the two sides held a high-level dialogue. (官方英文版 / official edition)"
        assert paragraph.startswith(f"{quote}China and the European Union cooperate under the Paris Agreement. In")
        assert paragraph.endswith("(官方英文版 / official edition)")
        assert f"{quote}I. Overview (官方英文版 / official edition)" in _under(lines, "一、总体情况")


def _markdown_document(resources: Resources, folder: Path, text: str) -> Document:
    source = folder / "brief-source.md"
    source.write_text(text, encoding="utf-8")
    return build_document(source, resources)


def _recorded(document: Document, english: list[tuple[SourceUnit, str]], origin: Origin) -> Translations:
    """Translations of ``document`` recorded as translated, each unit with the given English."""
    recorded = Translations(document_id=document.document.id)
    for unit, target in english:
        recorded.units[unit.id] = UnitTranslation(
            source=unit.text, target=target, state=State.TRANSLATED, origin=origin
        )
    return recorded


def test_a_translated_subheading_among_the_key_points_shows_its_english(resources: Resources, tmp_path: Path) -> None:
    document = _markdown_document(
        resources,
        tmp_path,
        "# 简报\n\n## 一、总体情况\n\n### （一）合作进展\n\n中国与欧盟在《巴黎协定》框架下开展合作。\n\n"
        "### （二）下一步工作\n\n双方将举行高级别对话。\n",
    )
    headings = {u.text: u for u in source_units(document) if u.kind == "heading"}
    recorded = _recorded(document, [(headings["（一）合作进展"], "(1) Progress in cooperation")], Origin.HUMAN)
    brief = build_brief(document, translations=recorded)
    assert brief.translated is not None
    subheadings = [p for section in brief.sections for p in section.points if p.kind == "heading"]
    english = {p.block_id: brief.translated.points.get((p.block_id, p.start, p.end)) for p in subheadings}
    assert [e.text if e else None for e in english.values()] == ["(1) Progress in cooperation", None]
    tree = lxml.html.fromstring(render_brief_html(brief))
    assert any("(1) Progress in cooperation" in e.text_content() for e in tree.find_class("kp-en"))


def test_a_list_with_translated_items_is_shown_beside_its_english(resources: Resources, tmp_path: Path) -> None:
    document = _markdown_document(
        resources,
        tmp_path,
        "# 简报\n\n## 一、要点\n\n- 中国与欧盟在《巴黎协定》框架下开展合作。\n- 双方举行了对话。\n- 第三项内容。\n\n"
        "结尾段落。\n",
    )
    units = [u for u in source_units(document) if u.kind == "sentence"]
    recorded = _recorded(document, [(unit, f"English of {unit.id}.") for unit in units[:2]], Origin.MACHINE)
    tree = lxml.html.fromstring(render_brief_html(build_brief(document, translations=recorded)))
    (pair,) = tree.find_class("is-translated")
    assert [li.get("id") for li in pair.iter("li")] == [u.refs[0].block_id for u in units[:3]]
    english = [p.text_content() for p in pair.find_class("pair-en")[0].iter("p")]
    assert english[0].startswith(f"English of {units[0].id}.") and "machine translation" in english[0]
    assert "Sentences not yet translated: 1" in english[2]
    assert tree.get_element_by_id(units[3].refs[0].block_id).getparent().tag == "main"  # the last paragraph as before


def test_english_edition_of_an_official_document(sample_document: Document) -> None:
    from ccpipe.models import OfficialInfo
    from ccpipe.publish.english import english_html

    info = sample_document.document
    official = OfficialInfo(issuer=info.publisher, number="国发〔2023〕1号", date="2023-10-08", draft=True)
    document = sample_document.model_copy(update={"document": info.model_copy(update={"official": official})})
    html = english_html(document, Translations(document_id=info.id))
    expected = "issued by National Center for Climate Change Strategy and International Cooperation · date of issue"
    assert f"Official document: {expected} 8 October 2023 · draft for comment" in html
    assert "国发" not in html


def test_a_long_paragraph_cut_in_pieces_is_one_pair(resources: Resources, tmp_path: Path) -> None:
    """The body cuts a paragraph longer than PIECE_CHARS into pieces; translated, they stay together beside
    their English (given once), and the English edition counts the paragraph once."""
    from ccpipe.publish.build import PIECE_CHARS, build_brief
    from ccpipe.publish.english import english_html
    from ccpipe.publish.html import render_brief_html

    sentence = "中国与欧盟在《巴黎协定》框架下开展应对气候变化合作，双方同意继续加强政策对话和务实合作。"
    long = "".join(f"第{n}条：{sentence}" for n in range(PIECE_CHARS // len(sentence) + 40))
    source = tmp_path / "long.md"
    source.write_text(f"# 简报\n\n## 一、要点\n\n{long}\n\n第二段落没有英文。\n", encoding="utf-8")
    document = build_document(source, resources)
    units = [u for u in source_units(document) if u.kind == "sentence"]
    long_block = units[0].refs[0].block_id
    recorded = Translations(document_id=document.document.id)
    for unit in units:
        if unit.refs[0].block_id == long_block:
            recorded.units[unit.id] = UnitTranslation(
                source=unit.text, target=f"Article {unit.id}.", state=State.TRANSLATED, origin=Origin.HUMAN
            )
    brief = build_brief(document, translations=recorded)
    pieces = [item for item in brief.body if item.block.id == long_block]
    assert len(pieces) > 1 and pieces[1].continued
    tree = lxml.html.fromstring(render_brief_html(brief))
    (pair,) = [p for p in tree.find_class("is-translated") if p.find_class("pair-en")[0].find_class("en-p")]
    assert len(pair.find_class("pair-zh")[0].find_class("block")) == len(pieces)
    english = pair.find_class("pair-en")[0].text_content()
    assert english.count(f"Article {units[0].id}.") == 1
    fulltext = lxml.html.fromstring(english_html(document, recorded, brief)).get_element_by_id("fulltext")
    text = fulltext.text_content()
    assert "Section 1, 1 paragraph, not yet translated" in text and text.count(f"Article {units[0].id}.") == 1
