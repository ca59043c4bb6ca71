"""Figures and dates: extraction from the sample report and another real document, and Babel's English forms."""

from __future__ import annotations

import pytest

from ccpipe.models import Document, Quantity, QuantityKind
from ccpipe.publish.figures import render
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
    for text, value, unit in [("127个", 127, "个"), ("56期", 56, "期"), ("48份", 48, "份")]:
        assert (by_text[text].kind, by_text[text].value, by_text[text].unit) == (QuantityKind.COUNT, value, unit)
    staff = by_text["约 2400 名"]
    assert (staff.value, staff.unit, staff.qualifier) == (2400, "名", "about")
    assert (by_text["4-5倍"].low, by_text["4-5倍"].high, by_text["4-5倍"].unit) == (4, 5, "times")


def test_another_real_document(sichuan: Document) -> None:
    by_text = {q.text: q for q in sichuan.quantities}
    assert (by_text["64697亿元"].value, by_text["64697亿元"].unit) == (6.4697e12, "CNY")
    assert (by_text["26.1亿美元"].value, by_text["26.1亿美元"].unit) == (2.61e9, "USD")
    assert (by_text["超4.4万亿元"].value, by_text["超4.4万亿元"].qualifier) == (4.4e12, "over")
    assert by_text["0.7个百分点"].unit == "pp"
    assert (by_text["1002万千瓦"].kind, by_text["1002万千瓦"].unit) == (QuantityKind.MEASURE, "power-kilowatt")
    assert by_text["2025年1月20日"].iso == "2025-01-20"
    assert "两位" not in by_text  # 两位数增长: "double-digit", not two of something


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("节约1000万吨标准煤", [("1000万吨", 1e7, None)]),  # 节约 is "save", not 约 "about"
        ("城乡二元结构", []),  # a word, not 2 yuan
        ("提出三个主渠道与一个限制措施", [("三个", 3, None)]),  # 一个 is "a"
        ("第一次定期审查、第5位", []),  # ordinals
        ("人民币500亿元", [("人民币500亿元", 5e10, None)]),
        ("二〇二三年十二月", [("二〇二三年十二月", None, None)]),
        ("为 120 多个发展中国家", [("120 多个", 120, "over")]),
        ("不足5%", [("不足5%", 5, "under")]),
        ("6个月", []),  # a duration
    ],
)
def test_find_quantities(text: str, expected: list[tuple[str, float | None, str | None]]) -> None:
    found = [(text[f.start : f.end], f.value, f.qualifier) for f in find_quantities(text)]
    assert found == expected


def test_chinese_year_digits_give_iso() -> None:
    (found,) = find_quantities("二〇二三年十二月")
    assert found.iso == "2023-12"


@pytest.mark.parametrize(
    ("text", "english", "chinese"),
    [
        ("1000亿美元", "US$100 billion", "US$1000亿"),
        ("2800亿-5000亿美元", "US$280–500 billion", "US$2800–5000亿"),
        ("524-833亿美元", "US$52.4–83.3 billion", "US$524–833亿"),
        ("9.5万亿美元", "US$9.5 trillion", "US$9.5万亿"),
        ("约10亿欧元", "about €1 billion", "约€10亿"),
        ("64697亿元", "CN¥6.47 trillion", "¥6.47万亿"),
        ("2023年10月", "October 2023", "2023年10月"),
        # CLDR data: the interval pattern of the locked Babel (2.19, CLDR 49) puts thin spaces round the dash
        # in English; requirements/*.lock pins it, so a newer Babel on the machine cannot change this.
        ("2013-2020年", "2013\u2009–\u20092020", "2013–2020年"),
        ("2025年1月20日", "20 January 2025", "2025年1月20日"),
        ("80%", "80%", "80%"),
        ("约 2400 名", "about 2,400", "约2,400"),
        ("0.7个百分点", "0.7 percentage points", "0.7个百分点"),
        ("1002万千瓦", "10.02 million kilowatts", "1002万千瓦"),
        ("4-5倍", "4–5 times", "4–5倍"),
    ],
)
def test_rendering_per_language(text: str, english: str, chinese: str) -> None:
    (found,) = find_quantities(text)
    quantity = Quantity(block_id="b", start=found.start, end=found.end, text=text, kind=found.kind,
                        value=found.value, low=found.low, high=found.high, unit=found.unit,
                        qualifier=found.qualifier, iso=found.iso)  # fmt: skip
    assert render(quantity, language("en")) == english
    assert render(quantity, language("zh_Hans")) == chinese
