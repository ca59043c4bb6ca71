"""The words around a figure that change what it says: qualifiers (约, 超过, 以上, 左右…) and changes (增长, 下降…).

Each table maps a surface to the qualifier or change it gives. Words before the figure are matched at its left
edge, words after it at its right edge; both become part of the figure's span (约100亿美元, 增长5.5%, 35万亩以上),
as the reference of figures records them, so a reader sees the English beside the whole phrase.
"""

from __future__ import annotations

import re

# Qualifier before the figure. Longest first; the lookbehinds keep words that merely contain the character out:
# 节约 (save), 制约, 条约, 最近 / 附近 (recent, nearby), 赶超 (overtake).
BEFORE: dict[str, str] = {
    "约合": "about", "大约": "about", "约": "about", "将近": "nearly", "接近": "nearly", "近": "nearly",
    "超过": "over", "突破": "over", "超": "over", "逾": "over", "高于": "over", "大于": "over", ">": "over",
    "不低于": "at_least", "不少于": "at_least", "至少": "at_least", "最少": "at_least", "最短": "at_least",
    "最低": "at_least", "不超过": "at_most", "不高于": "at_most", "不多于": "at_most", "控制在": "at_most",
    "不足": "below", "不到": "below", "低于": "below", "小于": "below", "<": "below",
    "最高": "up_to", "最多": "up_to", "可达": "up_to", "最长": "up_to",
}  # fmt: skip
_NOT_AFTER = {"约": "(?<![节制契预公条隐简合])", "近": "(?<![最附临靠亲就接将])", "超": "(?<![赶高])"}
# Qualifier after the figure (and its unit).
AFTER: dict[str, str] = {
    "（不含）以下": "below", "(不含)以下": "below", "等级及以上": "at_least", "等级以上": "at_least",
    "级及以上": "at_least", "级以上": "at_least", "及以上": "at_least", "以上": "at_least",
    "及以下": "at_most", "以下": "at_most", "以内": "at_most", "之内": "at_most", "范围内": "at_most",
    "内": "at_most", "左右": "about", "上下": "about", "水平": "about", "级": "about",
}  # fmt: skip
# 多 / 余 after the numeral or its scale: 2000余场, 340多项, 1亿多吨.
MORE = "more_than"
# A change of level: 增长5.5% is "up 5.5%"; 提高到 / 下降到 / 降至 name the new level and are no change.
CHANGES: dict[str, str] = {
    "增长": "increase", "增加": "increase", "提高": "increase", "提升": "increase", "上升": "increase",
    "升高": "increase", "上涨": "increase", "扩大": "increase", "下降": "decrease", "降低": "decrease",
    "减少": "decrease", "压减": "decrease", "减量": "decrease", "缩小": "decrease", "缩减": "decrease",
    "回落": "decrease", "下调": "decrease",
}  # fmt: skip
# A verb of level between a qualifier and its figure: 最短缩至30分钟, 最高可达; 至少 also before any verb of two
# characters (至少开展一次).
LEVEL = "(?:缩至|降至|减至|达到|达)"
# 再增加 (a further rise); 了 after the verb.
FURTHER = "再"


def _alternation(words: dict[str, str], guards: dict[str, str] | None = None) -> str:
    guards = guards or {}
    return "|".join(guards.get(w, "") + re.escape(w) for w in sorted(words, key=len, reverse=True))


_S = r"[ \u00a0\u2009\u202f]?"
# Left context, read backwards from the figure: [再] change [了] qualifier, each optional.
LEFT = re.compile(
    rf"(?:(?P<further>{FURTHER})?(?P<change>{_alternation(CHANGES)})了?)?"
    rf"(?:(?P<qualifier>{_alternation(BEFORE, _NOT_AFTER)}){LEVEL}?|(?P<least>至少)[\u4e00-\u9fff]{{2}})?{_S}$"
)
RIGHT = re.compile(rf"{_S}(?P<qualifier>{_alternation(AFTER)})")  # used with .match(text, end)
