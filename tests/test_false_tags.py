"""The false tags of issue 12, each on text as documents write it, with the project glossary: all untagged,
while the same terms are still tagged where they mean what the glossary says.

Sentences marked (corpus) are quoted from ../shared/corpus documents; the others are written the way Chinese
provincial descriptions and research papers write (no corpus document has a 中亚热带 or an econometric HAC).
"""

from __future__ import annotations

import pytest

from ccpipe.models import Block, BlockKind
from ccpipe.runs.pipeline import Resources
from ccpipe.terms.aliases import tag_with_aliases


def tagged(resources: Resources, *texts: str) -> list[tuple[str, str]]:
    """(surface, entry) of every mention, nested ones too, in one document made of ``texts``."""
    blocks = [Block(id=f"b{i}", kind=BlockKind.PARAGRAPH, page=1, pages=[1], text=t) for i, t in enumerate(texts)]
    matches, _ = tag_with_aliases(blocks, resources.matcher)
    return [(match.text, match.entry_id) for match in matches]


def entries(resources: Resources, *texts: str) -> set[str]:
    return {entry for _, entry in tagged(resources, *texts)}


@pytest.mark.parametrize(
    "text",
    [
        "在沿海地区，组织开展年度全国海平面变化监测、影响调查与评估",  # (corpus) white paper
        "完善环渤海地区LNG 储运体系",  # (corpus) NDRC/NEA energy system plan
        "金山滨海地区开发建设加快推进",  # (corpus) Shanghai work report
        "推动沿海地市海上风电规模化开发",
    ],
)
def test_haiti_is_not_in_coastal_areas(resources: Resources, text: str) -> None:
    assert "haiti" not in entries(resources, text)


def test_haiti_is_still_haiti(resources: Resources) -> None:
    assert "haiti" in entries(resources, "2010年海地地震后，中国派出救援队")


def test_central_asia_is_not_in_the_central_subtropics(resources: Resources) -> None:
    assert not [m for m in tagged(resources, "全省属中亚热带季风气候，雨热同期") if m[0] == "中亚"]
    # (corpus) Guangdong work report: the region itself
    assert ("中亚", "central-asia") in tagged(resources, "拓展东盟、中东、拉美、中亚等新兴市场")


def test_an_econometric_acronym_is_not_a_climate_coalition(resources: Resources) -> None:
    paper = "表3报告了采用Newey-West HAC稳健标准误的回归结果，碳排放强度的系数显著为负。"
    assert "high-ambition-coalition" not in entries(resources, paper)
    # A document that names the coalition confirms the acronym.
    report = ("高雄心联盟成员在大会期间发表联合声明。", "HAC呼吁各方提高国家自主贡献力度。")
    assert ("HAC", "high-ambition-coalition") in tagged(resources, *report)


def test_an_agency_acronym_is_not_given_another_countrys_agency(resources: Resources) -> None:
    # The document names China's National Energy Administration, but its NEA is the OECD's agency.
    document = (
        "国家能源局发布了核电发展规划。",
        "经济合作与发展组织核能署（NEA）认为，小型模块化反应堆仍面临成本挑战。",
        "NEA的报告还指出了供应链风险。",
    )
    found = tagged(resources, *document)
    assert ("国家能源局", "national-energy-administration") in found
    assert not [m for m in found if m[0] == "NEA"]
    # (corpus) China's NDC update, where NEA is China's administration and the document says so.
    ndc = ("Data source: China Electricity Council / CEC and National Energy Administration / NEA)", "(Source: NEA)")
    assert [m for m in tagged(resources, *ndc) if m[0] == "NEA"] == [("NEA", "national-energy-administration")] * 2


def test_an_acronym_inside_a_journal_title_is_not_tagged(resources: Resources) -> None:
    document = ("国家能源局（NEA）负责能源行业管理。", "相关论述见《NEA News》及OECD NEA Nuclear Law Bulletin。")
    nea = [m for m in tagged(resources, *document) if m[0] == "NEA"]
    assert nea == [("NEA", "national-energy-administration")]  # the definition only


def test_a_unit_in_parentheses_is_no_short_form(resources: Resources) -> None:
    # (corpus) MEE allocation scheme: the unit of a quantity, not an abbreviation of heat supplied
    document = ("机组的供电量（MWh）、供热量（GJ）数据。", "机组供热量，单位：GJ", "碳排放基准值，单位：tCO2/GJ")
    found = tagged(resources, *document)
    assert ("供热量", "heat-supplied") in found
    assert not [m for m in found if m[0] in {"GJ", "MWh"}]


def test_a_term_crossing_another_inside_a_name_is_a_mention_only_as_whole_words(resources: Resources) -> None:
    # (corpus) white paper: 绿色低碳发展 holds both 绿色低碳 and 低碳发展
    found = tagged(resources, "坚定走绿色低碳发展道路")
    assert ("绿色低碳", "green-and-low-carbon") in found and ("低碳发展", "low-carbon-development") in found
    assert [m for m in found if m[0] == "低碳"] == [("低碳", "low-carbon")]  # inside both, recorded once
    # (corpus) 2030 action plan: 碳循环 (carbon cycle) cuts 低碳 apart; 市人民政府 cuts 直辖市
    assert "carbon-cycle" not in entries(resources, "绿色低碳循环发展政策体系基本健全")
    assert not [m for m in tagged(resources, "各省、自治区、直辖市人民政府要按照国家总体部署") if m[0] == "市人民政府"]


def test_the_terms_inside_a_names_own_shorter_name_are_mentions(resources: Resources) -> None:
    # 减污降碳 is 减污降碳协同增效's own shorter name: not a second reference, but 降碳 inside it is one
    found = tagged(resources, "推动减污降碳协同增效")
    assert [entry for _, entry in found].count(found[0][1]) == 1
    assert ("降碳", "cutting-carbon-emissions") in found


def test_field_terms_are_not_found_across_other_words(resources: Resources) -> None:
    # (corpus) Hohhot plan: the second national pollution-source census, not secondary pollution
    assert "secondary-pollution" not in entries(resources, "完成第二次污染源普查工作")
    assert "secondary-pollution" in entries(resources, "防止垃圾渗滤液造成二次污染")
    # (corpus) Hohhot plan: gross ecosystem product holds no GDP
    found = tagged(resources, "试点开展生态系统生产总值（GEP）核算", "地区生产总值增长5.5%")
    assert ("生产总值", "gross-domestic-product") not in found[:-1]
    assert found[-1] == ("地区生产总值", "gross-domestic-product")


@pytest.mark.parametrize(
    ("text", "surfaces"),
    [
        # (corpus) MEE allocation scheme: allocation vocabulary of the power sector
        ("燃气机组的供热量修正系数为1，配额清缴义务为已获得的全部免费配额量", {"燃气机组", "修正系数", "配额", "清缴"}),
        # (corpus) white paper: climate governance
        ("中国积极参与全球气候治理，实施积极应对气候变化国家战略", {"气候治理", "积极应对气候变化", "气候变化"}),
        # (corpus) ICMA handbook (Chinese edition): transition finance
        ("发行人应披露其气候转型战略和公司治理，并接受独立评审", {"转型战略", "公司治理", "独立评审"}),
        # (corpus) Guangdong plan: energy statistics
        ("煤炭消费比重高于世界平均水平，单位地区生产总值能耗持续下降", {"煤炭", "地区生产总值"}),
    ],
)
def test_the_fields_everyday_terms_are_tagged(resources: Resources, text: str, surfaces: set[str]) -> None:
    assert surfaces <= {surface for surface, _ in tagged(resources, text)}
