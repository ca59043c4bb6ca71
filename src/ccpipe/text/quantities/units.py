"""The units of Chinese statistics: surface → kind, unit code and the factor to the code's base unit.

Unit codes are the compact symbols a reader of either language knows (``t``, ``kW``, ``km2``, ``mu``, ``tce``,
``µg/m3``); ``ccpipe.publish.figures`` writes them out. Counts take the classifier here and the English noun
of the thing counted from :mod:`ccpipe.text.quantities.nouns`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ccpipe.models import QuantityKind


@dataclass(frozen=True)
class Unit:
    kind: QuantityKind
    code: str
    factor: Decimal = Decimal(1)


_MONEY = {"元人民币": "CNY", "人民币": "CNY", "美元": "USD", "欧元": "EUR", "英镑": "GBP", "日元": "JPY",
          "港元": "HKD", "港币": "HKD", "澳元": "AUD", "加元": "CAD", "元": "CNY"}  # fmt: skip
# Prices per unit: 元/千瓦时, and 分 (0.01 yuan) per unit as electricity and gas tariffs are quoted.
_PER = {"千瓦时": "kWh", "度": "kWh", "立方米": "m3", "吨": "t"}
_RATES = {
    **{f"元/{s}": Unit(QuantityKind.MONEY, f"CNY/{c}") for s, c in _PER.items()},
    **{f"分/{s}": Unit(QuantityKind.MONEY, f"CNY/{c}", Decimal("0.01")) for s, c in _PER.items()},
}
_MEASURE = {
    # area
    "平方公里": "km2", "平方千米": "km2", "平方米": "m2", "公顷": "ha", "亩": "mu",
    # length
    "公里": "km", "千米": "km", "毫米/年": "mm/year", "毫米": "mm", "厘米": "cm", "米": "m",
    # volume, mass and energy
    "立方米": "m3", "吨标准煤": "tce", "吨标煤": "tce", "吨二氧化碳当量": "tCO2e", "吨CO2当量": "tCO2e",
    "吨二氧化碳": "tCO2", "吨CO2": "tCO2", "吨/万元": "t per 10,000 CNY", "吨/日": "t/d", "吨/天": "t/d",
    "吨/年": "t/year", "蒸吨/小时": "t/h (steam)", "蒸吨": "t/h (steam)", "吨": "t", "公斤": "kg", "千克": "kg",
    "斤": "jin", "克标煤/千瓦时": "gce/kWh", "克标准煤/千瓦时": "gce/kWh", "标准箱": "TEU", "标箱": "TEU",
    "TEU": "TEU",
    # electricity
    "千瓦时": "kWh", "kWh": "kWh", "千瓦": "kW", "kW": "kW", "兆瓦": "MW", "MW": "MW", "吉瓦": "GW", "GW": "GW",
    "千伏": "kV", "kV": "kV",
    # air quality and climate
    "微克/立方米": "µg/m3", "μg/m3": "µg/m3", "μg/m³": "µg/m3", "µg/m3": "µg/m3", "µg/m³": "µg/m3",
    "毫克/立方米": "mg/m3", "℃/10年": "°C per decade", "°C/10年": "°C per decade", "℃": "°C", "°C": "°C",
    "摄氏度": "°C",
    # durations and ages
    "个工作日": "working days", "个月": "months", "小时": "hours", "分钟": "minutes", "天": "days",
    "周": "weeks", "日": "days", "年一遇": "years (return period)", "年": "years", "岁": "age",
}  # fmt: skip
_PERCENT = {"%": "%", "个百分点": "pp", "百分点": "pp"}
# Classifiers of counts with the noun each implies when the text names no other (人 → people); None: the
# classifier says nothing of what is counted (个, 项, 家…).
CLASSIFIERS: dict[str, str | None] = {
    "人次": "person-times", "人口": "people", "人": "people", "名": "people", "位": "people", "户": "households",
    "家次": "enterprise-times", "家": None, "个": None, "项": None, "种": "types", "辆次": "vehicle trips",
    "辆": "vehicles", "艘": "vessels", "架": "aircraft", "台": "units", "套": "sets", "座": None, "条": None,
    "处": "locations", "场次": "sessions", "场": "events", "次": "times", "批": "batches", "所": None,
    "件": None, "篇": "articles", "部": None, "份": None, "期": "sessions", "张": None, "列": "train services",
    "头": "head", "只": None, "颗": None, "款": "models", "宗": None, "大": None,
}  # fmt: skip
# Words that merely start with a classifier or unit: 个月 is a unit of its own, 两位数 is "double-digit",
# 处理 is "treat", 部门 "department", 年代 "decade", 周年 "anniversary", 一次能源 "primary energy", 五年规划
# and 三年行动 are plan names; 个 before a numeral opens a slogan (五个一工程, 六个百分百).
_NOT_BEFORE = {
    "个": "(?![月一二三四五六七八九十百千0-9])", "位": "(?!数|一体)", "次": "(?!能源|产业|分配|加工)",
    "处": "(?!理|置|长)", "部": "(?!门|分|署|委|长)", "台": "(?!账|风|阶)", "架": "(?!构)", "批": "(?![准复])",
    "份": "(?!额)", "名": "(?![称单义词])", "人": "(?![民均])", "张": "(?!家口)", "场": "(?![所景地])",
    "条": "(?![例款件])", "年": "(?![代度级]|规划|计划|行动|攻坚|奋斗|更新报告)", "周": "(?!年|边)",
    "米": "(?!粮)", "日": "(?=以?内|之内)", "列": "(?![入为])",
    "头": "(?!部)", "款": "(?!项)", "种": "(?![类植子])", "件": "(?!事)", "大": "(?!于|幅|部分)",
    "元": "(?!素|旦|首)", "项": "(?!目)",
}  # fmt: skip

UNITS: dict[str, Unit] = {
    **{s: Unit(QuantityKind.MONEY, c) for s, c in _MONEY.items()},
    **_RATES,
    **{s: Unit(QuantityKind.MEASURE, c) for s, c in _MEASURE.items()},
    **{s: Unit(QuantityKind.PERCENT, c) for s, c in _PERCENT.items()},
    "倍": Unit(QuantityKind.MULTIPLE, "times"),
    **{s: Unit(QuantityKind.COUNT, s) for s in CLASSIFIERS},
}
UNIT_PATTERN = "|".join(re.escape(s) + _NOT_BEFORE.get(s, "") for s in sorted(UNITS, key=len, reverse=True))
# A repeated unit after the lower end of a range: 40%－45%, 1.5倍～2倍.
RANGE_UNIT = r"(?:%|倍|℃)"
