"""The translation round trip on the sample: XLIFF/PO export, QA on import, memory, English edition."""

from __future__ import annotations

import html as html_text
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from ccpipe.models import Document
from ccpipe.publish.english import english_html
from ccpipe.runs.pipeline import Resources, build_document
from ccpipe.translate import qa
from ccpipe.translate.memory import open_memory, tmx_pairs
from ccpipe.translate.po import po_bytes, read_po
from ccpipe.translate.roundtrip import SOURCE_CHANGED, UNKNOWN_UNIT, import_units, official_pairs, prefilled
from ccpipe.translate.segments import SourceUnit, parse_scope, source_units
from ccpipe.translate.store import State, Translations, UnitTranslation, read_translations, translations_bytes
from ccpipe.translate.tmx import tmx_bytes, validate_tmx
from ccpipe.translate.units import Origin, TranslationUnit
from ccpipe.translate.xliff import NS, XliffError, read_xliff, validate_xliff, xliff_bytes
from tests.conftest import SHARED

_X = f"{{{NS}}}"


def english_for(unit: SourceUnit) -> str:
    """A test translation that keeps what QA asks for: the terms' required English and the figures."""
    parts = [f"[EN {unit.kind}]", *(t.en for t in unit.terms), *(f.value.split("/")[0] for f in unit.figures)]
    text = " ".join(parts)
    while len(text) < len(unit.text):
        text += " text"
    return text


def fill(data: bytes, targets: dict[str, str]) -> bytes:
    """Put ``targets`` (English by unit id) into an exported XLIFF, as a CAT tool would."""
    root = etree.fromstring(data)
    for unit in root.iter(f"{_X}unit"):
        segment = unit.find(f"{_X}segment")
        assert segment is not None
        if unit.get("id") in targets:
            target = segment.find(f"{_X}target")
            if target is None:
                target = etree.SubElement(segment, f"{_X}target")
            target.text = targets[unit.get("id") or ""]
            segment.set("state", "translated")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def test_units_scope_ids_and_annotations(sample_document: Document) -> None:
    units = source_units(sample_document)
    kinds = {unit.kind for unit in units}
    assert kinds == {"title", "heading", "keypoint", "sentence"}
    assert len({unit.id for unit in units}) == len(units)
    headings = source_units(sample_document, parse_scope("title,headings"))
    assert {u.kind for u in headings} == {"title", "heading"}
    assert {u.id for u in headings} <= {u.id for u in units}  # a scope never changes an id
    paris = [u for u in units if any(t.en == "Paris Agreement" for t in u.terms)]
    assert paris and all(u.text[t.start : t.end] == t.zh for u in paris for t in u.terms)
    assert any(f.kind == "year" and f.value == "2020" for u in paris for f in u.figures)
    with pytest.raises(ValueError):
        parse_scope("chapters")


def test_ids_survive_a_new_version(sample_document: Document) -> None:
    """The same sentence keeps its id when text is added before it (next year's edition)."""
    units = source_units(sample_document)
    edited = sample_document.model_copy(deep=True)
    first = next(b for b in edited.blocks if b.kind.value == "paragraph" and b.sentences)
    first.text = first.text + "新增一句。"
    again = {u.id for u in source_units(edited)}
    assert len({u.id for u in units} - again) <= 1  # at most the edited paragraph's last sentence


def test_xliff_is_valid_and_readable(sample_document: Document, tmp_path: Path) -> None:
    from translate.storage.xliff2 import Xliff2File

    units = source_units(sample_document)
    data = xliff_bytes(sample_document.document.id, units, {})
    root = validate_xliff(data)
    assert root.get("version") == "2.1" and len(list(root.iter(f"{_X}unit"))) == len(units)
    assert any(m.get("type") == "term" and m.get("value") for m in root.iter(f"{_X}mrk"))
    assert len(Xliff2File(data).units) == len(units)  # translate-toolkit reads it
    broken = data.replace(b"<segment>", b'<segment state="done">', 1)
    with pytest.raises(XliffError, match="state"):
        validate_xliff(broken)
    with pytest.raises(XliffError, match="unit id"):
        validate_xliff(data.replace(units[1].id.encode(), units[0].id.encode()))


def test_po_compiles_and_reads_back(sample_document: Document, tmp_path: Path) -> None:
    units = source_units(sample_document)
    done = {units[0].id: prefill(units[0], "Assessment of global climate cooperation")}
    po = tmp_path / "sample.po"
    po.write_bytes(po_bytes(sample_document.document.id, units, done))
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext's msgfmt is needed (apt-get install gettext)"
    checked = subprocess.run([msgfmt, "--check", "-o", str(tmp_path / "x.mo"), str(po)], capture_output=True)
    assert checked.returncode == 0, checked.stderr.decode()
    document_id, read = read_po(po.read_bytes())
    assert document_id == sample_document.document.id and len(read) == len(units)
    assert read[0].target == "Assessment of global climate cooperation" and read[0].state == State.TRANSLATED


def prefill(unit: SourceUnit, target: str) -> UnitTranslation:
    return UnitTranslation(source=unit.text, target=target, state=State.TRANSLATED, origin=Origin.HUMAN)


def test_round_trip_on_the_sample(sample_document: Document, tmp_path: Path) -> None:
    """TMX for the title, headings and key points into the memory; export pre-fills them; a marker text for
    the rest; import; the English edition shows them; re-export shows them translated."""
    doc_id = sample_document.document.id
    units = source_units(sample_document)
    chosen = [u for u in units if u.kind in ("title", "heading", "keypoint")]
    tmx = tmx_bytes(TranslationUnit(u.id, u.text, english_for(u), Origin.HUMAN) for u in chosen)
    with open_memory(tmp_path / "memory.sqlite") as memory:
        assert memory.add(tmx_pairs(tmx)) == len({u.text for u in chosen})
        exported = xliff_bytes(doc_id, units, prefilled(units, Translations(document_id=doc_id), memory))
    _, read = read_xliff(exported)
    assert sum(1 for r in read if r.target) == len(chosen)
    rest = {u.id: f"Marker translation of unit {u.id}." for u in units if u.kind == "sentence"}
    _, filled = read_xliff(fill(exported, rest))
    recorded = Translations(document_id=doc_id)
    report = import_units(units, filled, recorded)
    assert report.applied == len(units)
    usable = recorded.usable()
    assert {u.id for u in chosen} <= set(usable)
    assert all(recorded.units[u.id].origin == Origin.MEMORY for u in chosen)
    html = english_html(sample_document, recorded)
    title = next(u for u in chosen if u.kind == "title")
    assert f"<title>{english_for(title)}</title>" in html
    shown = html_text.unescape(html)  # a term's English may hold an apostrophe (China's solution), escaped in HTML
    assert all(english_for(u) in shown for u in chosen)
    assert "Key points" in html and "not yet translated" in html  # marker sentences fail QA: summarised
    (tmp_path / "translations.json").write_bytes(translations_bytes(recorded))
    again = read_translations(tmp_path, doc_id)
    root = etree.fromstring(xliff_bytes(doc_id, units, prefilled(units, again, None)))
    states = {u.get("id"): u.find(f"{_X}segment").get("state") for u in root.iter(f"{_X}unit")}  # type: ignore[union-attr]
    assert all(states[u.id] == "translated" for u in chosen)


def test_qa_codes_with_unit_ids(sample_document: Document) -> None:
    units = source_units(sample_document)
    unit = next(u for u in units if u.terms and any(f.kind in ("year", "percent", "money") for f in u.figures))
    good = english_for(unit)
    assert qa.check_unit(unit, good) == []
    figure = next(f for f in unit.figures if f.kind in ("year", "percent", "money"))
    number = figure.value.split("/")[0]
    changed = good.replace(number, str(int(float(number[:4])) + 1), 1)
    cases = {
        qa.NUMBER_CHANGED: changed,
        qa.TERM_MISSING: good.replace(unit.terms[0].en, "something else"),
        qa.EMPTY: "  ",
        qa.TAG_BROKEN: good + " <mrk id='m1'>",
    }
    for code, target in cases.items():
        found = {(p.code, p.unit_id) for p in qa.check_unit(unit, target)}
        assert (code, unit.id) in found, (code, found)
    assert (qa.TAG_BROKEN, unit.id) in {(p.code, p.unit_id) for p in qa.check_unit(unit, good, ("m99",))}
    assert qa.LENGTH in {p.code for p in qa.check_unit(unit, good + " padding" * 200)}
    assert qa.UNTRANSLATED in {p.code for p in qa.check_unit(unit, unit.text)}


def test_import_reports_unknown_and_changed_units(sample_document: Document) -> None:
    doc_id = sample_document.document.id
    units = source_units(sample_document)
    data = fill(xliff_bytes(doc_id, units[:3], {}), {u.id: english_for(u) for u in units[:3]})
    data = data.replace(units[2].id.encode(), b"unobody")
    _, read = read_xliff(data)
    changed = read[1].__class__(read[1].id, read[1].source + "改", read[1].target, read[1].state, None, ())
    recorded = Translations(document_id=doc_id)
    report = import_units(units, [read[0], changed, read[2]], recorded)
    assert report.codes() == {SOURCE_CHANGED: [units[1].id], UNKNOWN_UNIT: ["unobody"]}
    assert set(recorded.units) == {units[0].id}  # never applied
    unconfirmed = read[0].__class__(units[3].id, units[3].text, english_for(units[3]), State.INITIAL, "memory", ())
    report = import_units(units, [unconfirmed], recorded)
    assert (report.applied, report.untouched, units[3].id in recorded.units) == (0, 1, False)


def test_fuzzy_match_with_percentage(tmp_path: Path) -> None:
    source = "发达国家应当继续带头减排，并向发展中国家提供资金、技术和能力建设支持。"
    with open_memory(tmp_path / "tm.sqlite") as memory:
        memory.add([(source, "Developed countries should continue to take the lead.", Origin.HUMAN, "")])
        exact = memory.lookup(source)
        fuzzy = memory.lookup(source.replace("继续", "进一步"))
        assert exact is not None and exact.percent == 100
        assert fuzzy is not None and 75 <= fuzzy.percent < 100
        assert memory.lookup("完全不同的一句话。") is None


def test_memory_tmx_round_trips_through_translate_toolkit(tmp_path: Path) -> None:
    from translate.storage.tmx import tmxfile

    pairs = [("巴黎协定", "Paris Agreement", Origin.OFFICIAL, "n1"), ("碳达峰", "carbon peak", Origin.HUMAN, "")]
    with open_memory(tmp_path / "tm.sqlite") as memory:
        memory.add(pairs)
        data = tmx_bytes(list(memory.units()))
    validate_tmx(data)
    loaded = tmxfile(data)
    assert [(u.source, u.target) for u in loaded.units] == [(s, t) for s, t, _, _ in pairs]
    with open_memory(tmp_path / "again.sqlite") as memory:
        assert memory.add(tmx_pairs(bytes(loaded))) == 2
        assert [u.origin for u in memory.units()] == [Origin.OFFICIAL, Origin.HUMAN]


@pytest.mark.slow
def test_memory_prefills_the_corpus_pair(resources: Resources, tmp_path: Path) -> None:
    from ccpipe.translate.align import align_pair, with_alignment

    folder = SHARED / "corpus" / "pairs"
    name = "icma-climate-transition-finance-handbook-2020"
    zh = build_document(folder / f"{name}.zh.pdf", resources)
    en = build_document(folder / f"{name}.en.pdf", resources)
    paired = with_alignment(zh, align_pair(zh, en, resources.glossary))
    units = source_units(paired)
    with open_memory(tmp_path / "tm.sqlite") as memory:
        memory.add(official_pairs(paired))
        done = prefilled(units, Translations(document_id=zh.document.id), memory)
    share = len(done) / len(units)
    print(f"pre-filled {len(done)} of {len(units)} units ({share:.1%})")
    assert share >= 0.95


def test_cli_round_trip_rebuilds_exactly_the_translated_brief(tmp_path: Path) -> None:
    """export → fill → import with the command; the next run rebuilds the translated document only, and
    writes its English edition; QA problems are listed with code and unit id (exit 1)."""
    from typer.testing import CliRunner

    from ccpipe.cli import app
    from tests.conftest import ROOT

    runner = CliRunner()
    sources = tmp_path / "src"
    sources.mkdir()
    (sources / "briefing.md").write_text(
        "# 中欧气候合作简报\n\n中国与欧盟在《巴黎协定》框架下开展合作。2023年双方举行了对话。\n", encoding="utf-8"
    )
    (sources / "other.txt").write_text("另一份文件。\n", encoding="utf-8")
    out, xlf = tmp_path / "out", tmp_path / "briefing.xlf"
    common = ["--output", str(out), "--glossary", str(ROOT / "glossary"), "--formats", "json,html", "-q"]
    assert runner.invoke(app, ["run", str(sources), *common]).exit_code == 0
    memory = ["--memory", str(tmp_path / "tm.sqlite")]
    result = runner.invoke(app, ["translate", "export", str(out / "briefing"), "-o", str(xlf), *memory])
    assert result.exit_code == 0, result.output
    _, units = read_xliff(xlf.read_bytes())
    targets = {units[0].id: "EU-China climate cooperation briefing"}
    targets[units[1].id] = "China and the European Union cooperate under the Paris Agreement."
    targets[units[2].id] = "The two sides held a dialogue in 2024."  # a changed year
    xlf.write_bytes(fill(xlf.read_bytes(), targets))
    imported = runner.invoke(app, ["translate", "import", str(xlf), "--doc", str(out / "briefing"), *memory])
    assert imported.exit_code == 1
    assert f"{qa.NUMBER_CHANGED}\t{units[2].id}" in imported.output
    rerun = runner.invoke(app, ["run", str(sources), *common[:-1], "--json"])
    built = {doc["document_id"] for doc in __import__("json").loads(rerun.stdout) if doc["status"] == "built"}
    assert built == {"briefing"}
    english = (out / "briefing" / "brief.en.html").read_text(encoding="utf-8")
    assert '<h1>EU-China climate cooperation briefing <span class="origin is-human"' in english
    assert "cooperate under the Paris Agreement" in english and "held a dialogue" not in english
    document = Document.model_validate_json((out / "briefing" / "document.json").read_bytes())
    assert document.translation is not None
    assert (document.translation.units, document.translation.translated_units) == (3, {"human": 2})
    assert any(i.code == qa.NUMBER_CHANGED and units[2].id in i.message for i in document.issues)
    manifest = __import__("json").loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = next(e for e in manifest["documents"] if e["id"] == "briefing")
    assert entry["translated"] > 0 and "brief.en.html" in {f["name"] for f in entry["files"]}


def test_english_edition_renders_as_pdf(sample_document: Document) -> None:
    from ccpipe.publish.pdf import render_pdf

    units = source_units(sample_document, parse_scope("title"))
    recorded = Translations(document_id=sample_document.document.id)
    recorded.units[units[0].id] = prefill(units[0], "Assessment of global climate cooperation")
    assert render_pdf(english_html(sample_document, recorded)).startswith(b"%PDF")


def test_figures_in_english_satisfy_the_number_check(sample_document: Document) -> None:
    """The figures' English renderings (Quantity.english) pass QA as they are: scales and ranges read."""
    from ccpipe.publish.json import document_json

    units = source_units(Document.model_validate_json(document_json(sample_document)))  # as written
    ranged = [u for u in units if any(f.kind == "money" and "/" in f.value for f in u.figures)]
    assert ranged
    for unit in ranged:
        assert all(f.english for f in unit.figures)
        english = " ".join([*(t.en for t in unit.terms), *(f.english for f in unit.figures)]) + " text" * 20
        assert not [p for p in qa.check_unit(unit, english) if p.code == qa.NUMBER_CHANGED], unit.text


def test_accepted_variants_of_a_required_term(sample_document: Document, resources: Resources) -> None:
    variants = qa.glossary_variants(resources.glossary)
    unit = next(u for u in source_units(sample_document) if any(t.en in variants for t in u.terms))
    term = next(t for t in unit.terms if t.en in variants)
    variant = sorted(variants[term.en])[0]
    english = english_for(unit).replace(term.en, variant)
    assert (qa.TERM_MISSING, unit.id) in {(p.code, p.unit_id) for p in qa.check_unit(unit, english)}
    missing = [p for p in qa.check_unit(unit, english, variants=variants) if p.code == qa.TERM_MISSING]
    assert not [p for p in missing if term.zh in p.message]


def test_a_run_puts_an_aligned_edition_into_the_memory(tmp_path: Path) -> None:
    """The official English of a paired document goes into the memory, and pre-fills its export."""
    from ccpipe.runs.runner import run_batch
    from tests.conftest import run_config, small_pair

    sources = small_pair(tmp_path / "src")
    out = tmp_path / "out"
    assert run_batch(run_config(sources, out, formats=["json"])).ok
    with open_memory(out / "memory.sqlite") as memory:
        assert memory.count() >= 2
        match = memory.lookup("中国与欧盟在《巴黎协定》框架下开展合作。")
        assert match is not None and match.percent == 100 and match.origin == Origin.OFFICIAL
        assert "Paris Agreement" in match.target
