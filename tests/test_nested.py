"""Terms inside longer names, word boundaries and ambiguous short forms, rule by rule on a small glossary."""

from __future__ import annotations

from pathlib import Path

import jieba
import pytest

from ccpipe.errors import ContractError, GlossaryError
from ccpipe.models import Block, BlockKind
from ccpipe.publish.json import validate_document
from ccpipe.terms.aliases import tag_with_aliases
from ccpipe.terms.align import align
from ccpipe.terms.glossary import Glossary, load_glossary
from ccpipe.terms.tag import Matcher
from ccpipe.terms.words import WordBoundaries

GLOSSARY_YAML = """
- {id: china, category: country, zh: 中国, en: China}
- {id: cma, category: organization, zh: 中国气象局, en: China Meteorological Administration}
- {id: peaking, category: concept, zh: 碳达峰, en: carbon peaking}
- {id: peaking-plan, category: document, zh: 碳达峰行动方案, en: carbon peaking action plan}
- {id: peaking-plan-2030, category: document, zh: 2030年前碳达峰行动方案, en: Peaking Action Plan 2030}
- {id: haiti, category: country, zh: 海地, en: Haiti}
- {id: central-asia, category: region, zh: 中亚, en: Central Asia}
- {id: grid, category: concept, zh: 电网, en: power grid}
- {id: biden, category: person, zh: 拜登, en: Joe Biden, match: anywhere}
- {id: fyp13, category: document, zh: 第十三个五年规划, en: 13th Five-Year Plan, zh_aliases: ["“十三五”"]}
- {id: nea, category: organization, zh: 国家能源局, en: National Energy Administration, abbreviations: [NEA]}
- {id: cop, category: organization, zh: 缔约方大会, en: COP body, abbreviations: [COP], ambiguous: false}
"""


@pytest.fixture(scope="module")
def glossary(tmp_path_factory: pytest.TempPathFactory) -> Glossary:
    path = tmp_path_factory.mktemp("glossary") / "terms.yaml"
    path.write_text(GLOSSARY_YAML, encoding="utf-8")
    return load_glossary(path)


@pytest.fixture(scope="module")
def words(tmp_path_factory: pytest.TempPathFactory) -> WordBoundaries:
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(tmp_path_factory.mktemp("jieba"))
    tokenizer.initialize()
    return WordBoundaries(tokenizer)


@pytest.fixture(scope="module")
def matcher(glossary: Glossary, words: WordBoundaries) -> Matcher:
    return Matcher(glossary, words=words)


def blocks(*texts: str) -> list[Block]:
    return [Block(id=f"b{i}", kind=BlockKind.PARAGRAPH, page=1, pages=[1], text=t) for i, t in enumerate(texts)]


def test_terms_inside_a_name_are_found_at_every_depth(matcher: Matcher) -> None:
    text = "印发2030年前碳达峰行动方案，中国气象局"
    got = [(m.text, m.entry_id, m.depth) for m in matcher.find("b", text)]
    assert got == [
        ("2030年前碳达峰行动方案", "peaking-plan-2030", 0),
        ("碳达峰行动方案", "peaking-plan", 1),
        ("碳达峰", "peaking", 2),
        ("中国气象局", "cma", 0),
        ("中国", "china", 1),
    ]


def test_nested_mentions_link_to_their_container_and_count_in_the_entities(
    matcher: Matcher, glossary: Glossary
) -> None:
    matches, _ = tag_with_aliases(blocks("碳达峰行动方案与碳达峰", "中国气象局"), matcher)
    mentions, entities = align(matches, glossary)
    assert [(m.text, m.inside) for m in mentions] == [
        ("碳达峰行动方案", None),
        ("碳达峰", 0),
        ("碳达峰", None),
        ("中国气象局", None),
        ("中国", 3),
    ]
    assert {e.id: e.count for e in entities} == {"peaking": 2, "peaking-plan": 1, "cma": 1, "china": 1}


def test_short_terms_do_not_cut_words_apart(matcher: Matcher) -> None:
    def terms(text: str) -> list[str]:
        return [m.text for m in matcher.find("b", text)]

    assert terms("沿海地市加快发展，海地地震") == ["海地"]
    assert terms("中亚热带季风气候；中亚国家") == ["中亚"]
    assert terms("建设充电网络，加强电网建设") == ["电网"]
    assert terms("中国政府与发展中国家") == ["中国"]  # the head of a word, not the middle of one
    assert terms("美国总统拜登上任后") == ["拜登"]  # match: anywhere (jieba reads 登上)


def test_a_term_jieba_does_not_know_is_kept_where_knowing_it_jieba_would_keep_it(words: WordBoundaries) -> None:
    assert not words.cuts_word("推动产业低碳化为", 4, 6)  # 低碳: jieba alone reads 低|碳化
    assert not words.cuts_word("扩大新能源技术", 2, 5)  # 新能源: jieba alone reads 扩|大新|能源
    assert words.cuts_word("撒哈拉以南非洲能源", 4, 6)  # 南非 across 以南|非洲 even so
    assert words.cuts_word("推进污水资源化利用", 3, 6)  # 水资源 across 污水|资源化


def test_word_boundaries_follow_jiebas_dictionary_route(words: WordBoundaries) -> None:
    assert words("沿海地市加快发展") == {0, 2, 3, 4, 6, 8}  # 沿海|地|市|加快|发展
    assert words.cuts_word("沿海地市", 1, 3)  # 海地 across 沿海|地
    assert words.cuts_word("在沿海地区", 2, 4)  # 海地 in the middle of 沿海地区
    assert not words.cuts_word("在沿海地区", 1, 3)
    assert not words.cuts_word("浙江省人民政府", 0, 2)  # 浙江 heads 浙江省


def test_ambiguous_short_forms_need_the_document(matcher: Matcher) -> None:
    alone, _ = tag_with_aliases(blocks("NEA的报告指出"), matcher)
    assert alone == []
    named, _ = tag_with_aliases(blocks("国家能源局发布规划。", "NEA的报告指出"), matcher)
    assert [(m.text, m.entry_id) for m in named] == [("国家能源局", "nea"), ("NEA", "nea")]
    # COP is marked unambiguous: found without the document's help.
    assert [m.text for m in matcher.find("b", "COP 主席国")] == ["COP"]


def test_the_contract_checks_the_nesting_links(matcher: Matcher, glossary: Glossary) -> None:
    from ccpipe.models import Document, DocumentInfo, Source

    block_list = blocks("中国气象局")
    matches, _ = tag_with_aliases(block_list, matcher)
    mentions, entities = align(matches, glossary)
    info = DocumentInfo(id="d", title="t", source=Source(path="d.txt", sha256="0", pages=1, format="txt"))
    document = Document(generator="test", document=info, blocks=block_list, mentions=mentions, entities=entities)
    validate_document(document.model_dump(mode="json"))
    broken = document.model_dump(mode="json")
    broken["mentions"][0]["inside"] = 1  # a container must come first and hold the span
    with pytest.raises(ContractError, match="inside"):
        validate_document(broken)


def test_policy_fields_are_validated(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("- {id: x, category: concept, zh: 中, en: X, match: sometimes}\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="match"):
        load_glossary(path)
    path.write_text("- {id: x, category: concept, zh: 中国, en: X, ambiguous: true}\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="ambiguous"):
        load_glossary(path)


def test_a_form_in_quotation_marks_matches_with_them_and_the_mention_is_inside(matcher: Matcher) -> None:
    text = "超额完成“十三五”约束性目标，十三五期间"
    assert [(m.start, m.end, m.text) for m in matcher.find("b", text)] == [(5, 8, "十三五")]
