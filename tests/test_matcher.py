"""The Aho-Corasick matcher rule by rule, document-defined short forms, term-respecting tokens, evaluation."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ccpipe.cli import app
from ccpipe.models import Block, BlockKind, Category, Document
from ccpipe.runs.pipeline import Resources, build_document
from ccpipe.terms.aliases import ALIAS_CONFLICT, ENGLISH_MISMATCH, tag_with_aliases
from ccpipe.terms.evaluate import evaluate, load_gold
from ccpipe.terms.glossary import Glossary, GlossaryEntry, load_glossary
from ccpipe.terms.searchtext import search_copy
from ccpipe.terms.tag import Matcher
from ccpipe.text.segment import Segmenter

from .conftest import DATA, ROOT, SAMPLE_PDF, shared_file

GLOSSARY_YAML = """
- {id: g7, category: organization, zh: 七国集团, en: Group of Seven, abbreviations: [G7]}
- {id: g77, category: organization, zh: 七十七国集团, en: Group of 77, abbreviations: [G77]}
- id: unfccc
  category: agreement
  zh: 联合国气候变化框架公约
  en: United Nations Framework Convention on Climate Change
  zh_aliases: ["《公约》"]
  abbreviations: [UNFCCC]
- {id: china, category: country, zh: 中国, en: China}
- {id: germany, category: country, zh: 德国, en: Germany, negative_contexts: [德国哥特体]}
- {id: central-asia, category: region, zh: 中亚, en: Central Asia, negative_contexts: [其中亚洲]}
- {id: asia, category: region, zh: 亚洲, en: Asia}
- id: isa
  category: organization
  zh: 国际太阳能联盟
  en: International Solar Alliance
  abbreviations: [ISA]
  ambiguous: false
- {id: cop, category: organization, zh: 缔约方大会, en: Conference of the Parties, abbreviations: [COP]}
- id: cma
  category: organization
  zh: 巴黎协定缔约方会议
  en: Conference of the Parties serving as the meeting of the Parties to the Paris Agreement
  abbreviations: [CMA]
- {id: cop26, category: event, zh: 格拉斯哥气候大会, en: Glasgow Climate Change Conference, abbreviations: [COP26]}
- {id: paris, category: region, zh: 巴黎, en: Paris}
- {id: paris-agreement, category: agreement, zh: 巴黎协定, en: Paris Agreement}
- id: tec
  category: mechanism
  zh: 技术执行委员会
  en: Technology Executive Committee
  abbreviations: [TEC]
  ambiguous: false
- {id: low-carbon-development, category: concept, zh: 低碳发展, en: low-carbon development}
- {id: tir-2023, category: document, zh: 2023年技术和创新报告, en: Technology and Innovation Report 2023}
- {id: us-india, category: initiative, zh: 美印气候及清洁能源 2030 议程伙伴关系, en: U.S.-India Partnership}
- id: triangular-cooperation
  category: concept
  zh: 三方合作
  en: triangular cooperation
  negative_contexts: [三方合作协议]
"""


@pytest.fixture(scope="module")
def glossary(tmp_path_factory: pytest.TempPathFactory) -> Glossary:
    path = tmp_path_factory.mktemp("glossary") / "terms.yaml"
    path.write_text(GLOSSARY_YAML, encoding="utf-8")
    return load_glossary(path)


@pytest.fixture(scope="module")
def matcher(glossary: Glossary) -> Matcher:
    return Matcher(glossary)


def found(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    """The outermost matches (the terms inside them are tested on their own)."""
    matches = matcher.find("b1", text)
    assert all(text[m.start : m.end] == m.text for m in matches)
    return [(m.text, m.entry_id) for m in matches if m.depth == 0]


def blocks(*texts: str) -> list[Block]:
    return [Block(id=f"b{i}", kind=BlockKind.PARAGRAPH, page=1, pages=[1], text=text) for i, text in enumerate(texts)]


# --- the matcher ------------------------------------------------------------------------------------


def test_book_title_forms_need_the_marks_and_plain_forms_match_inside_marks(matcher: Matcher) -> None:
    assert found(matcher, "《公约》明确了原则，公约一词不算") == [("公约", "unfccc")]
    assert found(matcher, "在《巴黎协定》和“中国”下") == [("巴黎协定", "paris-agreement"), ("中国", "china")]
    assert found(matcher, "《 公约 》") == [("公约", "unfccc")]


def test_full_width_and_traditional_forms_match_simplified_entries(matcher: Matcher) -> None:
    text = "聯合國氣候變化框架公約與《公約》、Ｇ７峰會和ＵＮＦＣＣＣ"
    assert found(matcher, text) == [
        ("聯合國氣候變化框架公約", "unfccc"),
        ("公約", "unfccc"),
        ("Ｇ７", "g7"),
        ("ＵＮＦＣＣＣ", "unfccc"),
    ]


def test_acronyms_are_case_sensitive_with_ascii_boundaries(matcher: Matcher) -> None:
    assert found(matcher, "G77和G7成员") == [("G77", "g77"), ("G7", "g7")]
    assert found(matcher, "ISAAC and ISA、加入ISA。") == [("ISA", "isa"), ("ISA", "isa")]
    assert found(matcher, "G7x, xG7, G70, isa, Isa") == []


def test_numbered_sessions_are_one_mention_of_the_session_or_the_body(matcher: Matcher) -> None:
    text = "COP26、COP 26、COP28、COP 28、CMA5、COP2600、COP26s"
    assert found(matcher, text) == [
        ("COP26", "cop26"),
        ("COP 26", "cop26"),
        ("COP28", "cop"),
        ("COP 28", "cop"),
        ("CMA5", "cma"),
    ]


def test_white_space_and_hyphens_are_flexible(matcher: Matcher) -> None:
    assert found(matcher, "Technology  Executive\nCommittee") == [("Technology  Executive\nCommittee", "tec")]
    assert found(matcher, "low carbon development; low-carbon  development; Low carbon development") == [
        ("low carbon development", "low-carbon-development"),
        ("low-carbon  development", "low-carbon-development"),
    ]
    # Spaces next to Chinese (a PDF artefact) do not matter, in the text or in the glossary form.
    assert found(matcher, "2023 年技术和创新报告") == [("2023 年技术和创新报告", "tir-2023")]
    assert found(matcher, "美印气候及清洁能源2030议程伙伴关系") == [("美印气候及清洁能源2030议程伙伴关系", "us-india")]


def test_negative_contexts_drop_the_match(matcher: Matcher) -> None:
    assert found(matcher, "德国哥特体与德国") == [("德国", "germany")]
    assert found(matcher, "其中亚洲和中亚") == [("亚洲", "asia"), ("中亚", "central-asia")]
    assert found(matcher, "签署三方合作协议，开展三方合作") == [("三方合作", "triangular-cooperation")]


def test_a_refused_longest_match_falls_back_to_the_next_longest(matcher: Matcher) -> None:
    assert found(matcher, "Paris Agreements; Paris Agreement") == [
        ("Paris", "paris"),
        ("Paris Agreement", "paris-agreement"),
    ]


def test_a_supplementary_glossary_only_fills_the_gaps_the_curated_one_leaves() -> None:
    entries = [
        GlossaryEntry(id="climate-investment", category=Category.CONCEPT, zh="气候投融资", en="climate investment"),
        GlossaryEntry(id="unbis-atmosphere", category=Category.CONCEPT, zh="大气", en="ATMOSPHERE"),
        GlossaryEntry(id="unbis-pollution", category=Category.CONCEPT, zh="大气污染", en="AIR POLLUTION"),
    ]
    glossary = Glossary(entries, "levels")
    text = "扩大气候投融资，治理大气污染"
    flat = [m.text for m in Matcher(glossary).find("b", text) if m.depth == 0]
    assert flat == ["大气", "大气污染"]  # plain leftmost-longest loses the curated term
    levels = {"unbis-atmosphere": 1, "unbis-pollution": 1}
    outermost = [m.text for m in Matcher(glossary, levels=levels).find("b", text) if m.depth == 0]
    assert outermost == ["气候投融资", "大气污染"]


def test_leftmost_longest_against_a_brute_force_reference() -> None:
    # pyahocorasick's own iter_long() fails this; the matcher must not.
    rng = random.Random(7)
    alphabet = "中国家发展"
    for trial in range(300):
        words = sorted({"".join(rng.choices(alphabet, k=rng.randint(2, 4))) for _ in range(rng.randint(1, 6))})
        entries = [
            GlossaryEntry(id=f"t{trial}-{i}", category=Category.CONCEPT, zh=word, en=f"w{i}")
            for i, word in enumerate(words)
        ]
        text = "".join(rng.choices(alphabet, k=rng.randint(0, 14)))
        got = [(m.start, m.text) for m in Matcher(Glossary(entries, "t")).find("b", text) if m.depth == 0]
        assert got == _leftmost_longest(words, text), (words, text)


def _leftmost_longest(words: list[str], text: str) -> list[tuple[int, str]]:
    out, position = [], 0
    while position < len(text):
        longest = max((w for w in words if text.startswith(w, position)), key=len, default=None)
        if longest:
            out.append((position, longest))
        position += len(longest) if longest else 1
    return out


def test_search_copy_offsets_map_back_exactly() -> None:
    for text in ["Technology  Executive\nCommittee", " 聯合國 氣候 ", "a  b   c", "x 《 公约 》y", "Ｇ７\u3000峰会"]:
        copy, offsets = search_copy(text)
        for index in range(len(copy)):
            assert text[offsets.original(index)].strip() or copy[index] == " ", (text, index)


def test_unbis_as_a_supplementary_level_keeps_every_curated_match(sample_document: Document) -> None:
    curated = load_glossary(ROOT / "glossary")
    claimed = {surface for entry in curated.entries for surface in entry.surfaces()}
    extra = []
    for topic in json.loads(shared_file("glossary", "unbis-thesaurus.json").read_text(encoding="utf-8"))["topics"]:
        zh, en = topic["labels"].get("zh", "").strip(), topic["labels"].get("en", "").strip()
        if len(zh) >= 2 and en and zh not in claimed and en not in claimed:
            claimed.update((zh, en))
            ident = "unbis-" + re.sub(r"[^a-z0-9]+", "-", topic["identifier"].lower()).strip("-")
            extra.append(GlossaryEntry(id=ident, category=Category.CONCEPT, zh=zh, en=en))
    assert len(extra) > 6000
    combined = Matcher(Glossary([*curated.entries, *extra], "curated+unbis"), levels={e.id: 1 for e in extra})
    alone = Matcher(curated)
    texts = {block.id: block.text for block in sample_document.blocks}
    both = {m for block in sample_document.blocks for m in combined.find(block.id, block.text)}
    assert all(texts[m.block_id][m.start : m.end] == m.text for m in both)
    assert {m for block in sample_document.blocks for m in alone.find(block.id, block.text)} <= both
    # A general word the curated glossary leaves out on purpose comes from UNBIS (国际合作, international cooperation)
    assert ("国际合作", "unbis-1003291") in {(m.text, m.entry_id) for m in both}


# --- document-defined short forms --------------------------------------------------------------------


def test_short_forms_bind_to_the_preceding_term_for_that_document_only(matcher: Matcher) -> None:
    matches, issues = tag_with_aliases(
        blocks("国际太阳能联盟（以下简称“联盟”）成立，联盟扩大。", "联盟的成员"), matcher
    )
    assert [(m.block_id, m.text, m.entry_id) for m in matches] == [
        ("b0", "国际太阳能联盟", "isa"),
        ("b0", "联盟", "isa"),
        ("b0", "联盟", "isa"),
        ("b1", "联盟", "isa"),
    ]
    assert issues == []
    assert found(matcher, "联盟的成员") == []  # another document: no binding
    for definition in ["（下称太阳能联盟）", "（简称太阳能联盟）"]:
        matches, _ = tag_with_aliases(blocks(f"国际太阳能联盟{definition}", "太阳能联盟"), matcher)
        assert [m.text for m in matches] == ["国际太阳能联盟", "太阳能联盟", "太阳能联盟"]


def test_english_in_the_definition_is_checked_against_the_glossary(matcher: Matcher) -> None:
    good = "技术执行委员会（technology executive  committee, TEC）"
    assert tag_with_aliases(blocks(good), matcher)[1] == []
    matches, issues = tag_with_aliases(blocks("技术执行委员会（Technical Executive Committee，TEC）"), matcher)
    assert [m.text for m in matches] == ["技术执行委员会", "TEC"]
    assert [issue.code for issue in issues] == [ENGLISH_MISMATCH]
    for name in ["技术执行委员会", "Technical Executive Committee", "Technology Executive Committee"]:
        assert name in issues[0].message


def test_a_short_form_the_glossary_gives_another_entry_keeps_it(matcher: Matcher) -> None:
    matches, issues = tag_with_aliases(blocks("七国集团（G77）"), matcher)
    assert [(m.text, m.entry_id) for m in matches] == [("七国集团", "g7"), ("G77", "g77")]
    assert [issue.code for issue in issues] == [ALIAS_CONFLICT]


def test_every_gongyue_in_the_sample_is_the_unfccc_even_without_the_glossary_alias(sample_document: Document) -> None:
    curated = load_glossary(ROOT / "glossary")
    entries = [
        entry.model_copy(update={"zh_aliases": [a for a in entry.zh_aliases if a != "《公约》"]})
        for entry in curated.entries
    ]
    bare = Matcher(Glossary(entries, "no-bracketed-alias"))
    assert not any(m.text == "公约" for block in sample_document.blocks for m in bare.find(block.id, block.text))
    matches, _ = tag_with_aliases(sample_document.blocks, bare)
    texts = {block.id: block.text for block in sample_document.blocks}
    titled = [m for m in matches if texts[m.block_id][m.start - 1 : m.end + 1] == "《公约》"]
    assert len(titled) >= 10 and {m.entry_id for m in titled} == {"unfccc"}


def test_the_sample_document_has_tec_ctcn_and_the_acto_conflict(sample_document: Document) -> None:
    english = {(m.text, m.en) for m in sample_document.mentions}
    assert ("TEC", "Technology Executive Committee") in english
    assert ("Technology Executive Committee", "Technology Executive Committee") in english
    assert ("CTCN", "Climate Technology Centre and Network") in english
    assert {m.entity_id for m in sample_document.mentions if m.text == "公约"} == {"unfccc"}
    codes = {issue.code for issue in sample_document.issues}
    assert ENGLISH_MISMATCH not in codes
    assert ALIAS_CONFLICT in codes  # 亚马逊合作条约（ACTO）: ACTO is the treaty organisation's acronym


# --- tokens -----------------------------------------------------------------------------------------


def test_terms_with_spaces_are_one_token_and_refused_matches_cut_naturally(
    glossary: Glossary, matcher: Matcher, tmp_path: Path
) -> None:
    segmenter = Segmenter(tmp_path)
    text = "推进美印气候及清洁能源 2030 议程伙伴关系与《公约》。其中亚洲国家"
    (block,) = blocks(text)
    block = segmenter.segment(block, [(m.start, m.end) for m in matcher.find(block.id, block.text)])
    tokens = [text[a:b] for sentence in block.sentences for a, b in sentence.tokens]
    assert "美印气候及清洁能源 2030 议程伙伴关系" in tokens and "公约" in tokens
    assert "其中" in tokens and "亚洲" in tokens


# --- evaluation -------------------------------------------------------------------------------------


def test_eval_on_the_sample_meets_the_acceptance_bar(sample_document: Document) -> None:
    result = evaluate(sample_document, load_gold(DATA / "sample_entities.yaml"))
    assert result.overall.precision >= 0.95 and result.overall.recall >= 0.95
    assert result.overall.f1 >= 0.95
    assert "organization" in result.by_category and "agreement" in result.by_category


def test_eval_command_prints_the_table_and_the_false_tags(sample_document: Document, tmp_path: Path) -> None:
    document = tmp_path / "document.json"
    document.write_text(sample_document.model_dump_json(), encoding="utf-8")
    gold = str(DATA / "sample_entities.yaml")
    result = CliRunner().invoke(app, ["eval", str(document), "--gold", gold, "--fail-under", "0.95"])
    assert result.exit_code == 0, result.output
    assert "overall" in result.output and "precision" in result.output and "False tags" in result.output
    failing = CliRunner().invoke(app, ["eval", str(document), "--gold", gold, "--fail-under", "1.01"])
    assert failing.exit_code == 1


def test_a_supplement_loaded_with_the_glossary_only_fills_gaps(tmp_path: Path) -> None:
    """The priority is wired in: loaded after the curated glossary, UNBIS never takes a curated match."""
    unbis = tmp_path / "unbis.yaml"
    result = CliRunner().invoke(
        app, ["glossary", "import-unbis", str(shared_file("glossary", "unbis-thesaurus.json")), "-o", str(unbis)]
    )
    assert result.exit_code == 0, result.output
    resources = Resources.load([ROOT / "glossary", unbis], tmp_path)
    assert resources.glossary.levels["climate-investment-and-financing"] == 0
    document = build_document(SAMPLE_PDF, resources)
    found = {(m.text, m.entity_id) for m in document.mentions}
    assert ("气候投融资", "climate-investment-and-financing") in found
    assert any(entity.startswith("unbis-") for _, entity in found)  # the supplement does add its own terms
