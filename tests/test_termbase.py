"""Termbase interchange on the real glossary: TBX and CSV round trips, priorities, UNBIS import, CLDR countries."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ccpipe.cli import app
from ccpipe.errors import GlossaryError
from ccpipe.models import Category
from ccpipe.terms.glossary import Glossary, GlossaryEntry, load_glossaries, load_glossary
from ccpipe.terms.termbase import render
from ccpipe.terms.termbase.countries import countries_yaml, territory_codes
from ccpipe.terms.termbase.tbx import XML_LANG
from ccpipe.terms.termbase.unbis import UnbisImport, import_unbis, unbis_yaml

from .conftest import DATA, ROOT, shared_file

GLOSSARY = ROOT / "glossary"
runner = CliRunner()


@pytest.fixture(scope="module")
def curated() -> Glossary:
    return load_glossary(GLOSSARY)


@pytest.fixture(scope="module")
def unbis() -> UnbisImport:
    return import_unbis(shared_file("glossary", "unbis-thesaurus.json"))


def by_id(entries: tuple[GlossaryEntry, ...] | list[GlossaryEntry]) -> dict[str, GlossaryEntry]:
    return {entry.id: entry for entry in entries}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_tbx_export_is_tbx_basic_and_round_trips_exactly(curated: Glossary, tmp_path: Path) -> None:
    data = render(curated.entries, "tbx")
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>') and render(curated.entries, "tbx") == data
    root = ET.fromstring(data)
    assert root.tag == "martif" and root.get("type") == "TBX-Basic"
    entries = root.findall("./text/body/termEntry")
    assert [e.get("id") for e in entries] == sorted(entry.id for entry in curated.entries)
    for element in entries:
        assert element.find("descrip[@type='subjectField']") is not None
        assert {lang_set.get(XML_LANG) for lang_set in element.findall("langSet")} == {"zh-Hans", "en"}
        for tig in element.iter("tig"):
            assert tig.findtext("term") and tig.find("termNote[@type='termType']") is not None
            assert tig.find("termNote[@type='administrativeStatus']") is not None
    back = load_glossary(write(tmp_path / "glossary.tbx", data.decode("utf-8")))
    assert by_id(back.entries) == by_id(curated.entries)


def test_tbx_mapping_of_one_entry() -> None:
    entry = GlossaryEntry(
        id="unfccc",
        category=Category.AGREEMENT,
        zh="联合国气候变化框架公约",
        en="United Nations Framework Convention on Climate Change",
        zh_aliases=["《公约》"],
        abbreviations=["UNFCCC"],
        negative_contexts=["公约一词"],
        note="a <note> & more",
    )
    element = ET.fromstring(render([entry], "tbx")).find(".//termEntry")
    assert element is not None and element.findtext("note") == "a <note> & more"
    assert element.findtext("descrip[@type='negativeContext']") == "公约一词"
    english = element.find(f"langSet[@{XML_LANG}='en']")
    assert english is not None
    kinds = [(tig.findtext("term"), tig.findtext("termNote[@type='termType']")) for tig in english.iter("tig")]
    assert kinds == [(entry.en, "fullForm"), ("UNFCCC", "acronym")]


def test_csv_round_trip_with_and_without_bom(curated: Glossary, tmp_path: Path) -> None:
    data = render(curated.entries, "csv")
    assert data.startswith("\ufeffid,category,zh,en,".encode())
    path = tmp_path / "glossary.csv"
    path.write_bytes(data)
    assert by_id(load_glossary(path).entries) == by_id(curated.entries)
    path.write_bytes(data.removeprefix("\ufeff".encode()))
    assert by_id(load_glossary(path).entries) == by_id(curated.entries)


def test_yaml_export_round_trips(curated: Glossary, tmp_path: Path) -> None:
    path = tmp_path / "all.yaml"
    path.write_bytes(render(curated.entries, "yaml"))
    assert by_id(load_glossary(path).entries) == by_id(curated.entries)


def test_truncated_tbx_names_file_and_line(curated: Glossary, tmp_path: Path) -> None:
    text = render(curated.entries[:3], "tbx").decode("utf-8")
    path = write(tmp_path / "cut.tbx", text[: len(text) // 2])
    with pytest.raises(GlossaryError) as caught:
        load_glossary(path)
    line = text[: len(text) // 2].count("\n") + 1
    assert str(path) in str(caught.value) and f"line {line}," in str(caught.value)


def test_tbx_with_entity_declarations_is_refused(tmp_path: Path) -> None:
    bomb = '<?xml version="1.0"?><!DOCTYPE martif [<!ENTITY a "aaaa">]><martif><text><body/></text></martif>'
    with pytest.raises(GlossaryError, match="TBX refused"):
        load_glossary(write(tmp_path / "bomb.tbx", bomb))


def test_bad_csv_row_names_line_and_entry(tmp_path: Path) -> None:
    text = "id,category,zh,en\npa,agreement,巴黎协定,Paris Agreement\ngcf,bank,绿色气候基金,Green Climate Fund\n"
    with pytest.raises(GlossaryError, match=r"line 3: entry 'gcf': category"):
        load_glossary(write(tmp_path / "bad.csv", text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "- {id: a, category: fund, zh: 甲基金, en: A Fund}\n\n- id: gcf\n  category: fund\n  zh: 绿色气候基金\n",
            "line 3: entry 'gcf': en",
        ),
        (
            "- id: gcf\n  category: bank\n  zh: 绿色气候基金\n  en: Green Climate Fund\n",
            "line 1: entry 'gcf': category",
        ),
        ("- id: a\n  category: fund\n  zh: [unclosed\n", "line 4: not valid UTF-8 YAML"),
    ],
)
def test_yaml_errors_name_the_line(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path / "terms.yaml", text)
    with pytest.raises(GlossaryError) as caught:
        load_glossary(path)
    assert expected in str(caught.value) and str(path) in str(caught.value)


def test_duplicates_across_files_of_one_glossary_name_both_places(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", "- {id: gcf, category: fund, zh: 绿色气候基金, en: Green Climate Fund}\n")
    write(tmp_path / "b.yaml", "- {id: gcf2, category: fund, zh: 绿色气候基金, en: GCF}\n")
    with pytest.raises(GlossaryError, match=r"claimed by both 'gcf' and 'gcf2' \(.*a\.yaml line 1; .*b\.yaml line 1\)"):
        load_glossary(tmp_path)


def test_higher_priority_glossary_keeps_shared_surfaces(tmp_path: Path) -> None:
    high = write(
        tmp_path / "curated.yaml", "- {id: climate-finance, category: concept, zh: 气候资金, en: climate finance}\n"
    )
    low = write(
        tmp_path / "extra.yaml",
        "- {id: x-finance, category: concept, zh: 气候融资, en: finance for climate, zh_aliases: [气候资金]}\n"
        "- {id: x-funds, category: concept, zh: 气候资金, en: climate funds}\n"
        "- {id: x-other, category: concept, zh: 碳预算, en: carbon budget}\n",
    )
    merged = load_glossaries([high, low])
    assert [e.id for e in merged.entries] == ["climate-finance", "x-finance", "x-other"]
    assert merged.get("x-finance").zh_aliases == [] and merged.get("climate-finance").zh == "气候资金"
    assert [(d.entry_id, d.surface, d.owner_id, d.whole_entry) for d in merged.dropped] == [
        ("x-finance", "气候资金", "climate-finance", False),
        ("x-funds", "气候资金", "climate-finance", True),
    ]
    assert merged.dropped_entries() == ["x-funds"]
    with pytest.raises(GlossaryError, match="duplicate entry id 'climate-finance'"):
        load_glossaries([high, high])


def test_unbis_import_on_the_real_thesaurus(unbis: UnbisImport, curated: Glossary, tmp_path: Path) -> None:
    assert unbis.concepts == 7312
    assert len(unbis.entries) + sum(unbis.skipped.values()) == 7312
    assert len(unbis.entries) > 6900
    assert unbis.skipped["Chinese label of one character"] == 105
    assert unbis.skipped["Chinese label without CJK characters"] == 3
    entries = {entry.zh: entry for entry in unbis.entries}
    assert entries["气候变化"].en == "climate change" and entries["气候变化"].category is Category.CONCEPT
    assert entries["适应气候变化"].en == "climate change adaptation"  # its label had a leading space
    assert entries["人类免疫缺陷病毒/艾滋病预防"].en == "HIV/AIDS prevention"
    assert all(entry.id.startswith("unbis-") and "UNBIS Thesaurus" in (entry.note or "") for entry in unbis.entries)
    assert all(len(entry.zh) >= 2 and entry.zh == entry.zh.strip() for entry in unbis.entries)
    assert not [entry for entry in unbis.entries if not any("\u4e00" <= ch <= "\u9fff" for ch in entry.zh)]
    path = write(tmp_path / "unbis.yaml", unbis_yaml(unbis, "unbis-thesaurus.json"))
    merged = load_glossaries([GLOSSARY, path])
    assert len(merged) == len(curated) + len(unbis.entries) - len(merged.dropped_entries())
    # Countries and regions the curated glossary has keep their curated entry; UNBIS's is left out.
    assert merged.get("china").en == "China" and "unbis-1000961" in merged.dropped_entries()
    assert merged.dropped and all(d.owner_id in by_id(curated.entries) for d in merged.dropped)


def test_countries_cover_cldr_with_the_annotated_ids(curated: Glossary) -> None:
    countries = [entry for entry in curated.entries if entry.note and entry.note.startswith("CLDR territory")]
    assert len(countries) == len(territory_codes()) >= 240
    assert curated.get("china").zh == "中国" and "我国" in curated.get("china").zh_aliases
    assert curated.get("united-states").en == "United States"
    assert "United States of America" in curated.get("united-states").en_aliases
    assert curated.get("ethiopia").zh == "埃塞俄比亚"
    assert curated.get("taiwan").category is Category.REGION
    gold = yaml.safe_load((DATA / "sample_entities.yaml").read_text(encoding="utf-8"))
    items = gold["mentions"] if isinstance(gold, dict) else gold
    for item in items:
        assert curated.get(item["entity"]).en == item["en"], item


def test_countries_file_is_generated_and_up_to_date() -> None:
    text = countries_yaml(GLOSSARY / "sources" / "country-overrides.yaml")
    assert (GLOSSARY / "countries.yaml").read_text(encoding="utf-8") == text
    terms = yaml.safe_load((GLOSSARY / "terms.yaml").read_text(encoding="utf-8"))
    assert not [entry for entry in terms if entry["category"] == "country"]


def test_curated_glossary_size_and_spread(curated: Glossary) -> None:
    assert len(curated) >= 300
    themed = Counter(entry.category for entry in curated.entries if not (entry.note or "").startswith("CLDR"))
    assert sum(themed.values()) >= 300
    wanted = {"cmp", "sbsta", "fund-for-responding-to-loss-and-damage", "aiib", "uae-consensus", "net-zero"}
    assert wanted <= set(by_id(curated.entries))


def test_glossary_commands(curated: Glossary, tmp_path: Path) -> None:
    tbx, csv, back = tmp_path / "g.tbx", tmp_path / "g.csv", tmp_path / "back.yaml"
    assert runner.invoke(app, ["glossary", "export", "-o", str(tbx), str(GLOSSARY)]).exit_code == 0
    assert tbx.stat().st_mode & 0o777 == 0o644  # the one atomic writer: not the private mode of a temporary file
    result = runner.invoke(app, ["glossary", "export", "--format", "csv", "-o", str(csv), str(GLOSSARY)])
    assert result.exit_code == 0 and csv.read_bytes().startswith(b"\xef\xbb\xbf")
    assert runner.invoke(app, ["glossary", "import", str(tbx), "-o", str(back)]).exit_code == 0
    assert by_id(load_glossary(back).entries) == by_id(curated.entries)
    result = runner.invoke(app, ["glossary", "check", str(back)])
    assert result.exit_code == 0 and f"{len(curated)} entries" in result.output
    assert runner.invoke(app, ["check-glossary", str(GLOSSARY)]).exit_code == 0
    broken = write(tmp_path / "broken.yaml", "- id: x\n  category: fund\n  zh: 基金甲\n")
    result = runner.invoke(app, ["glossary", "check", str(broken)])
    assert result.exit_code == 1 and "line 1: entry 'x': en: Field required" in result.output
