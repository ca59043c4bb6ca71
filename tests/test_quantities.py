"""Figures and dates: extraction from the sample report and another real document, each rule on real excerpts of
the corpus, and Babel's forms in English and Chinese."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from ccpipe.models import Document, Quantity, QuantityKind
from ccpipe.publish.figures import render, singular, with_english
from ccpipe.publish.i18n import language
from ccpipe.runs.pipeline import Resources, build_document
from ccpipe.text.quantities import find_quantities, quantify_document

from .conftest import shared_file

# Every money amount of the sample report: text as printed → (value or (low, high), currency).
SAMPLE_MONEY: dict[str, tuple[float | tuple[float, float], str]] = {
    "1000亿美元": (1.0e11, "USD"),
    "524-833亿美元": ((5.24e10, 8.33e10), "USD"),
    "100亿美元左右": (1.0e10, "USD"),
    "2800亿-5000亿美元": ((2.8e11, 5.0e11), "USD"),
    "约 600 亿美元": (6.0e10, "USD"),
    "1560 亿美元以上": (1.56e11, "USD"),
    "超过 9.5 万亿美元": (9.5e12, "USD"),
    "约10亿美元": (1.0e9, "USD"),
    "114亿美元": (1.14e10, "USD"),
    "16 亿美元": (1.6e9, "USD"),
}


@pytest.fixture(scope="module")
def quantified(sample_document: Document) -> Document:
    return quantify_document(sample_document)


@pytest.fixture(scope="module")
def sichuan(resources: Resources) -> Document:
    path = shared_file("docx", "sichuan-2025-government-work-report.docx")
    return build_document(path, resources)


def _value(q: Quantity) -> float | tuple[float, float]:
    return q.value if q.value is not None else (q.low or 0.0, q.high or 0.0)


def _quantity(text: str, figure: str | None = None) -> Quantity:
    """The quantity of ``text`` that reads ``figure`` (spaces aside), or its only one."""
    found = [Quantity(block_id="b", text=text[f.start : f.end], **asdict(f)) for f in find_quantities(text)]
    if figure is None:
        (only,) = found
        return only
    (quantity,) = [q for q in found if q.text.replace(" ", "") == figure.replace(" ", "")]
    return quantity


def _english(text: str) -> str:
    return render(_quantity(text), language("en"))


def test_every_money_amount_of_the_sample(quantified: Document) -> None:
    money = [q for q in quantified.quantities if q.kind == QuantityKind.MONEY]
    found = {q.text: (_value(q), q.unit) for q in money}
    assert found == SAMPLE_MONEY
    # 1000亿美元 is given twice; each occurrence is a quantity.
    assert [q.text for q in money].count("1000亿美元") == 2


def test_offsets_are_exact(quantified: Document, sichuan: Document) -> None:
    for document in (quantified, sichuan):
        texts = {b.id: b.text for b in document.blocks}
        assert document.quantities
        for q in document.quantities:
            assert texts[q.block_id][q.start : q.end] == q.text


def test_sample_dates_counts_percentages(quantified: Document) -> None:
    by_text = {q.text: q for q in quantified.quantities}
    assert by_text["2023年10月"].kind == QuantityKind.DATE and by_text["2023年10月"].iso == "2023-10"
    assert by_text["2015年12月"].iso == "2015-12"
    assert by_text["2021 年 4月"].iso == "2021-04"
    years = by_text["2013-2020年"]
    assert (years.kind, years.low, years.high, years.iso) == (QuantityKind.YEAR, 2013, 2020, "2013/2020")
    assert (by_text["80%"].kind, by_text["80%"].value, by_text["80%"].unit) == (QuantityKind.PERCENT, 80, "%")
    counts = [("127个", 127, "countries"), ("56期", 56, "sessions"), ("48份", 48, "documents")]
    for text, value, unit in counts:
        assert (by_text[text].kind, by_text[text].value, by_text[text].unit) == (QuantityKind.COUNT, value, unit)
    staff = by_text["约 2400 名"]
    assert (staff.value, staff.unit, staff.qualifier) == (2400, "people", "about")
    assert (by_text["4-5倍"].low, by_text["4-5倍"].high, by_text["4-5倍"].unit) == (4, 5, "times")


def test_every_quantity_carries_its_english(quantified: Document) -> None:
    english = {q.text: q.english for q in with_english(quantified).quantities}
    assert english["约 2400 名"] == "about 2,400 people"
    assert english["2800亿-5000亿美元"] == "US$280–500 billion"
    assert all(english.values())


def test_another_real_document(sichuan: Document) -> None:
    by_text = {q.text: q for q in sichuan.quantities}
    assert (by_text["64697亿元"].value, by_text["64697亿元"].unit) == (6.4697e12, "CNY")
    assert (by_text["26.1亿美元"].value, by_text["26.1亿美元"].unit) == (2.61e9, "USD")
    assert (by_text["超4.4万亿元"].value, by_text["超4.4万亿元"].qualifier) == (4.4e12, "over")
    assert by_text["0.7个百分点"].unit == "pp"
    assert (by_text["1002万千瓦"].kind, by_text["1002万千瓦"].unit) == (QuantityKind.MEASURE, "kW")
    assert by_text["2025年1月20日"].iso == "2025-01-20"
    assert "两位" not in by_text  # 两位数增长: "double-digit", not two of something


@pytest.mark.parametrize(
    "text",
    [
        "扎实开展第四次全国文物普查",  # ordinal
        "区域创新能力继续保持全国第4位",
        "全面贯彻党的二十大和二十届二中、三中全会精神",  # sessions and plenums
        "在浙江省第十四届人民代表大会第三次会议上",
        "全面贯彻党的十九大和十九届二中、三中、四中、五中全会精神",
        "芯联集成三期等项目加快建设",  # phase numbers
        "抓好“三北”六期等重大生态工程",
        "地表水国控断面I—Ⅲ类水质比例",  # grades
        "劣Ⅴ类水体比例下降",
        "成功创建国家5A级旅游景区",
        "2025年是“十四五”规划收官之年",  # plan names
        "推动共建“一带一路”高质量发展",
        "获“五个一工程奖”",  # slogans and names in quotes
        "民生“五位一体”绿色综合服务体系",
        "实施“0.1微克”行动",
        "实施千家万户沐光行动、千乡万村驭风行动",  # idioms
        "国务院关于印发2030年前碳达峰行动方案的通知（国发〔2021〕23号）",  # document numbers
        "非化石能源占一次能源消费比重",  # 一次能源 is "primary energy"
        "细颗粒物（PM2.5）",
        "绿水青山就是金山银山理念提出20周年",  # anniversaries
        "开展节能降碳十大行动",  # a named programme
        "国民经济和社会发展第十四个五年规划",  # a plan name
        "按照党中央对实现第二个百年奋斗目标的战略安排",
        "城乡二元结构",  # a word, not 2 yuan
    ],
)
def test_names_and_ordinals_are_not_amounts(text: str) -> None:
    found = [text[f.start : f.end] for f in find_quantities(text) if f.kind not in (QuantityKind.YEAR,)]
    assert found == []


@pytest.mark.parametrize(
    ("text", "figure", "value", "unit", "qualifier", "change", "english"),
    [
        # 倍: 增长N倍 is up N×100%; 是/为N倍 is N times
        ("在京生产新能源汽车约30万辆、增长近3倍", "增长近3倍", 3, "times", "nearly", "increase", "up nearly 300%"),
        ("2020年GDP比2005年增长超4倍", "增长超 4 倍", 4, "times", "over", "increase", "up over 400%"),
        ("城镇居民人均可支配收入增长0.8倍", "增长0.8倍", 0.8, "times", None, "increase", "up 80%"),
        ("新启动21个改造项目，是计划任务的2.1倍", "2.1倍", 2.1, "times", None, None, "2.1 times"),
        (
            "特困人员基本生活标准不低于当地最低生活保障标准的1.6倍",
            "1.6倍",
            1.6,
            "times",
            "at_least",
            None,
            "at least 1.6 times",
        ),
        ("机器人产量均成倍增长", "成倍增长", 1, "times", "at_least", "increase", "up at least 100%"),
        # qualifiers
        ("为经营主体减负超3000亿元", "超3000亿元", 3e11, "CNY", "over", None, "over RMB 300 billion"),
        ("营收突破9.5万亿元", "突破9.5万亿元", 9.5e12, "CNY", "over", None, "over RMB 9.5 trillion"),
        ("成交额逾29.51亿元", "逾29.51亿元", 2.951e9, "CNY", "over", None, "over RMB 2.951 billion"),
        ("系列活动2000余场", "2000余场", 2000, "events", "more_than", None, "more than 2,000 events"),
        ("发布实施340多项国家节能标准", "340多项", 340, "standards", "more_than", None, "more than 340 standards"),
        (
            "新增100个以上项目纳入国家用地保障范围",
            "100个以上",
            100,
            "projects",
            "at_least",
            None,
            "at least 100 projects",
        ),
        ("锂电材料、光纤行业非电能源占比分别在7%、2%以下", "7%", 7, "%", "at_most", None, "at most 7%"),
        ("营收9万亿元左右", "9万亿元左右", 9e12, "CNY", "about", None, "about RMB 9 trillion"),
        ("已颁发节能产品认证证书近5万张", "近5万张", 5e4, "certificates", "nearly", None, "nearly 50,000 certificates"),
        ("禁止生产和使用厚度低于0.01毫米的地膜", "低于0.01毫米", 0.01, "mm", "below", None, "below 0.01 mm"),
        ("力争2天内完成调查", "2天内", 2, "days", "at_most", None, "at most 2 days"),
        ("到2025年底，至少开展一次全面、系统的土壤", "至少开展一次", 1, "times", "at_least", None, "at least once"),
        # units of Chinese statistics
        ("新增建设用地32.8万亩", "32.8万亩", 328000, "mu", None, None, "328,000 mu (about 21,900 ha)"),
        ("建成高标准农田450万亩", "450万亩", 4.5e6, "mu", None, None, "4.5 million mu (300,000 ha)"),
        ("完成营造红树林5500公顷", "5500公顷", 5500, "ha", None, None, "5,500 ha"),
        ("新增水土流失综合治理面积31万平方公里", "31万平方公里", 3.1e5, "km2", None, None, "310,000 km²"),
        ("细颗粒物年均浓度30.5微克/立方米", "30.5微克/立方米", 30.5, "µg/m3", None, None, "30.5 µg/m³"),
        ("新增电力装机2200万千瓦", "2200万千瓦", 2.2e7, "kW", None, None, "22 million kW (22 GW)"),
        ("外调绿电规模力争达到400亿千瓦时", "400亿千瓦时", 4e10, "kWh", None, None, "40 billion kWh"),
        ("人均年生活用电量达到1000千瓦时左右", "1000千瓦时左右", 1000, "kWh", "about", None, "about 1,000 kWh"),
        ("保障重大项目用能指标1600万吨标准煤", "1600万吨标准煤", 1.6e7, "tce", None, None, "16 million tce"),
        (
            "相当于减排9.66亿吨二氧化碳当量",
            "9.66亿吨二氧化碳当量",
            9.66e8,
            "tCO2e",
            None,
            None,
            "966 million tonnes of CO2 equivalent",
        ),
        ("惠及310万户家庭", "310万户", 3.1e6, "households", None, None, "3.1 million households"),
        ("新增9829张家庭养老床位", "9829张", 9829, "beds", None, None, "9,829 beds"),
        ("开展心理健康宣教活动超2600场次", "超2600场次", 2600, "sessions", "over", None, "over 2,600 sessions"),
        ("全年接待游客超9亿人次", "超9亿人次", 9e8, "person-times", "over", None, "over 900 million person-times"),
        ("争取医保基金预付1个月", "1个月", 1, "months", None, None, "1 month"),
        ("长期护理保险参保人数达4526万人", "4526万人", 4.526e7, "people", None, None, "45.26 million people"),
        ("培育50家再制造解决方案供应商", "50家", 50, "suppliers", None, None, "50 suppliers"),
        ("大中型水闸除险加固8座", "8座", 8, "sluices", None, None, "8 sluices"),
        ("新能源汽车保有量已达603万辆", "603万辆", 6.03e6, "vehicles", None, None, "6.03 million vehicles"),
        ("为全省60岁以上老年人免费接种流感疫苗", "60岁以上", 60, "age", "at_least", None, "aged 60 and over"),
        # percentages, points and fractions
        ("全省生产总值增长5.5%", "增长5.5%", 5.5, "%", None, "increase", "up 5.5%"),
        (
            "单位GDP二氧化碳排放将比2005年下降65%以上",
            "下降65%以上",
            65,
            "%",
            "at_least",
            "decrease",
            "down at least 65%",
        ),
        (
            "天然气消费比重提高约3.5个百分点",
            "提高约3.5个百分点",
            3.5,
            "pp",
            "about",
            "increase",
            "up about 3.5 percentage points",
        ),
        ("占全社会用电量的比重达到三分之一以上", "三分之一以上", 33.333, "%", "at_least", None, "at least one third"),
        # vague amounts
        (
            "风能和太阳能利用实现跃升发展，规模增长了数十倍",
            "增长了数十倍",
            (20, 90),
            "times",
            "vague",
            "increase",
            "grown dozens of times over",
        ),
        ("成千上万座“阳光银行”遍布贫困农村地区", "成千上万座", (1000, 100000), None, "vague", None, "thousands of"),
        (
            "每年减少数百万吨二氧化碳排放",
            "减少数百万吨二氧化碳",
            (2e6, 9e6),
            "tCO2",
            "vague",
            "decrease",
            "down millions of tonnes of CO2",
        ),
        ("居民投诉量从“十三五”初期上百件减少到2020年的4件", "上百件", 100, None, "over", None, "over 100"),
        ("为几十个国家培训", "几十个", (20, 90), "countries", "vague", None, "dozens of countries"),
        # plurals
        ("累计回收1吨", "1吨", 1, "t", None, None, "1 tonne"),
        ("累计回收2吨", "2吨", 2, "t", None, None, "2 tonnes"),
        ("农村环境质量试点监测点位1个", "1个", 1, "monitoring sites", None, None, "1 monitoring site"),
        ("帮扶困难家庭1户", "1户", 1, "households", None, None, "1 household"),
    ],
)
def test_rules_on_real_excerpts(
    text: str,
    figure: str,
    value: float | tuple[float, float],
    unit: str | None,
    qualifier: str | None,
    change: str | None,
    english: str,
) -> None:
    quantity = _quantity(text, figure)
    assert _value(quantity) == pytest.approx(value)
    assert (quantity.unit, quantity.qualifier, quantity.change) == (unit, qualifier, change)
    assert render(quantity, language("en")) == english


@pytest.mark.parametrize(
    ("text", "figure", "iso", "qualifier", "english"),
    [
        ("中国二氧化碳排放力争于2030年前达到峰值", "2030年前", "2030", "before", "before 2030"),
        ("到2030年，城区常住人口", "到2030年", "2030", "by", "by 2030"),
        ("二氧化碳排放2030年左右达到峰值", "2030年左右", "2030", "about", "around 2030"),
        ("1970年以来的50年", "1970年以来", "1970", "since", "since 1970"),
        ("自2014年起对三氟甲烷", "自2014年起", "2014", "since", "since 2014"),
        ("自1961 以来，广东省平均气温", "自1961 以来", "1961", "since", "since 1961"),
        ("到2022年底投入运营加注站6座", "到2022年底", "2022-12-31", "by", "by the end of 2022"),
        ("争取2025年底前完成粤港澳碳标签互认", "2025年底前", "2025-12-31", "before", "by the end of 2025"),
        ("2019年6月底前，研究建立", "2019年6月底前", "2019-06-30", "before", "by the end of June 2019"),
        ("2019年上半年，试点城市政府印发", "2019年上半年", "2019-01/2019-06", None, "the first half of 2019"),
        ("截至2021年9月30日，7个试点碳市场", "2021年9月30日", "2021-09-30", None, "30 September 2021"),
        ("展望二〇三五年，生态环境明显改善", "二〇三五年", "2035", None, "2035"),
        ("1980～2020年，广东省沿海海平面", "1980～2020年", "1980/2020", None, "1980–2020"),
    ],
)
def test_years_and_dates_with_their_words(
    text: str, figure: str, iso: str, qualifier: str | None, english: str
) -> None:
    quantity = _quantity(text, figure)
    assert (quantity.iso, quantity.qualifier) == (iso, qualifier)
    assert render(quantity, language("en")) == english


def test_a_qualifier_after_a_list_serves_every_member() -> None:
    found = find_quantities("乘用车和商用车新车二氧化碳排放强度分别比2020年下降25%和20%以上")
    percents = [f for f in found if f.kind == QuantityKind.PERCENT]
    assert [(f.value, f.qualifier, f.change) for f in percents] == [
        (25, None, "decrease"),
        (20, "at_least", "decrease"),
    ]


def test_a_quote_of_figures_states_them_and_a_quoted_name_does_not() -> None:
    assert [f.unit for f in find_quantities("森林抚育提升“两个200万亩”任务")] == ["mu"]
    assert find_quantities("深化“15分钟品质文化生活圈”建设") == []


def test_singular_of_count_nouns() -> None:
    assert [singular(n) for n in ("people", "countries", "charging points", "countries and regions", "memoranda")] == [
        "person",
        "country",
        "charging point",
        "country and region",
        "memorandum",
    ]


@pytest.mark.parametrize(
    ("text", "english", "chinese"),
    [
        ("1000亿美元", "US$100 billion", "US$1000亿"),
        ("2800亿-5000亿美元", "US$280–500 billion", "US$2800–5000亿"),
        ("524-833亿美元", "US$52.4–83.3 billion", "US$524–833亿"),
        ("9.5万亿美元", "US$9.5 trillion", "US$9.5万亿"),
        ("约10亿欧元", "about €1 billion", "约€10亿"),
        ("64697亿元", "RMB 6,469.7 billion", "64697亿元"),
        ("143.02万人", "1,430,200 people", "143.02万"),
        ("2023年10月", "October 2023", "2023年10月"),
        # CLDR 49 puts thin spaces round the dash of an English year interval; ranges of years read as every other
        # range (7–10 days, US$280–500 billion): no spaces.
        ("2013-2020年", "2013–2020", "2013–2020年"),
        ("2025年1月20日", "20 January 2025", "2025年1月20日"),
        ("80%", "80%", "80%"),
        ("40%－45%", "40%–45%", "40%–45%"),
        ("约 2400 名", "about 2,400 people", "约2,400"),
        ("0.7个百分点", "0.7 percentage points", "0.7个百分点"),
        ("1002万千瓦", "10.02 million kW (10.02 GW)", "1002万千瓦（10.02吉瓦）"),
        ("4-5倍", "4–5 times", "4–5倍"),
        ("30万千瓦级", "300 MW-class", "300兆瓦级"),
        ("粮食总产1142亿斤", "114.2 billion jin (57.1 million tonnes)", "1142亿斤（5710万公吨）"),
        ("下降3-5分/立方米", "down RMB 0.03–0.05 per m³", "下降0.03–0.05元/立方米"),
    ],
)
def test_rendering_per_language(text: str, english: str, chinese: str) -> None:
    quantity = _quantity(text)
    assert render(quantity, language("en")) == english
    assert render(quantity, language("zh_Hans")) == chinese
