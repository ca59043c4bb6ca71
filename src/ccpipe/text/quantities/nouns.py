"""What a count counts: the English noun of the thing named after the classifier (127个发展中国家 → countries),
or right before the figure (充电桩2万个 → charging points), or implied by the classifier (辆 → vehicles).

Nouns come from :mod:`ccpipe.text.quantities.lexicon`, and only nouns the classifier can count are taken. A
count whose noun is not found keeps the classifier's own noun, or none: its English is then the number alone,
never a guess.
"""

from __future__ import annotations

import re

from ccpipe.text.quantities.lexicon import COUNTS, KIND, NOUNS
from ccpipe.text.quantities.units import CLASSIFIERS

# Where the noun phrase after a classifier ends: punctuation, numerals, another count and the verbs that follow a
# counted object (…个城市开展试点).
_BOUNDARY = re.compile(
    r"[，。；：、,;:（()）《》\s0-9]|[一二两三四五六七八九十][个项家种条]|实施|开展|建设|建成|纳入|获得|获批|入选|参加|参与|完成|实现|进入|"
    r"加入|开通|签署|提供|发起|开工|投产|得到|达到|成为|列入|覆盖|承接|惠及|带动|按照|于一体|遍布|分布"
)
# The words between a subject noun and its figure: 新能源汽车保有量达到100万台, 人口超过300万.
_LINK = re.compile(r"(?:保有量|数量|总量|总数|规模)?(?:已|累计|共)?(?:达到|达|为|超过|突破|超|近|约)?$")
_WINDOW = 16
_GAP = 4  # characters between two nouns of one compound: 国家区域医疗中心
_QUOTED = re.compile(r"“[^”]{1,10}”")
_BY_LENGTH = sorted(NOUNS, key=len, reverse=True)
_COORDINATION = re.compile(r"[和及与]")
# Inside a phrase 和 can join modifiers (190个适应和减缓项目); after its head it joins another phrase.
_AFTER_HEAD = re.compile(r"[和及与或等的]")
_ALTERNATIVES = re.compile(r"（([^（）]{1,12})）")
# A one-character noun (省, 村, 园) stands alone only right after the classifier and before a non-word: 10个省（市）,
# 157个村6.82万户; inside words (省外, 景区, 校园) it is no noun.
_ALONE_AFTER = re.compile(r"$|[^\u4e00-\u9fff]|[和及与等的]")
# Classifiers of people, households and vehicles take a noun only right after them; "-times" classifiers none.
_ADJACENT_ONLY = frozenset({"人", "名", "位", "户", "人口", "辆", "艘", "架", "列", "头"})
_FIXED = frozenset({"人次", "家次", "辆次"})
_COUNTED_BEFORE = re.compile(
    "[0-9一二两三四五六七八九十百千][多余]?[万亿]?\\s?["
    + "".join(sorted({c for c in CLASSIFIERS if len(c) == 1}))
    + "]$"
)
_CLAUSE = re.compile(r"[，。；：、,;:]")
_VERB = 4  # characters of a verb between a subject noun and its count: 水闸除险加固8座


def _fits(noun: str, classifier: str | None) -> bool:
    return classifier not in COUNTS or KIND[noun] in COUNTS[classifier]


def _match_at(text: str, at: int, classifier: str | None, adjacent: bool = False) -> str | None:
    """The longest lexicon noun starting at ``at`` that ``classifier`` can count."""
    for noun in _BY_LENGTH:
        if text.startswith(noun, at) and _fits(noun, classifier):
            alone = _ALONE_AFTER.match(text, at + 1) or _BOUNDARY.match(text, at + 1)
            if len(noun) > 1 or (adjacent and alone):
                return noun
    return None


def _head_after(text: str, start: int, classifier: str | None) -> str | None:
    """The head noun of the phrase that starts at ``start``: the last fitting noun before a boundary."""
    head, at, end, since_head = None, start, min(len(text), start + _WINDOW), 0
    quote = None
    while at < end:
        noun = _match_at(text, at, classifier, adjacent=at == start)
        quoted = _QUOTED.match(text, at)
        if noun:
            head, at, since_head = NOUNS[noun], at + len(noun), 0
        elif quoted:  # 1家“碳中和”网点: a quoted name modifies the noun after it
            quote, at = quoted, quoted.end()
        elif _BOUNDARY.match(text, at) or (head and (_AFTER_HEAD.match(text, at) or since_head >= _GAP)):
            break  # after a head, 和 / 的 or a run of other words opens another phrase: 功能于一体的…场景
        else:
            at, since_head = at + 1, since_head + 1
    if head is None and quote is not None:  # 2个示范型“绿盈驿站”: the name's own head noun
        head = _head_after(quote.group(0)[1:-1], 0, classifier)
    alternatives = _ALTERNATIVES.match(text, at)
    if head and alternatives:  # 28个城市（区、县）: cities (districts, counties)
        others = [NOUNS.get(part) for part in alternatives.group(1).split("、")]
        if all(others):
            return f"{head} ({', '.join(o for o in others if o)})"
    if head and _COORDINATION.match(text, at):  # 城市和园区: cities and parks
        other = _match_at(text, at + 1, classifier)
        if other and NOUNS[other] != head:
            return f"{head} and {NOUNS[other]}"
    return head


def _head_before(text: str, start: int, classifier: str | None) -> str | None:
    """A noun that ends right before the figure, across a linking verb (充电桩2万个, 人口超过300万); for a
    classifier that says what it can count, across a short verb too (水闸除险加固8座, 养老床位新增1.1万张)."""
    window = text[max(0, start - _WINDOW) : start].rstrip()
    link = _LINK.search(window)
    before = window[: link.start()].rstrip() if link else window
    reach = _VERB if classifier in COUNTS else 0
    for gap in range(min(reach, len(before)) + 1):
        if _CLAUSE.search(before, len(before) - gap) or re.search(r"[0-9]", before[len(before) - gap :]):
            return None  # another clause or figure stands between
        end = len(before) - gap
        for noun in _BY_LENGTH:
            # 157个村6.82万户: 村 belongs to the count before it, not to this one.
            fits = len(noun) > 1 and before.endswith(noun, 0, end) and _fits(noun, classifier)
            if fits and not _COUNTED_BEFORE.search(before[: end - len(noun)]):
                return NOUNS[noun]
    return None


def counted(text: str, start: int, end: int, classifier: str | None) -> str | None:
    """The English plural of what the count ``text[start:end]`` counts, or None if the text does not say.

    The head of the noun phrase after the classifier comes first (个国家和地区, 张家庭养老床位), then a noun right
    before the figure (充电桩2万个, 水闸除险加固8座), then the noun the classifier implies (辆 → vehicles).
    Classifiers of people and households (人, 户…) take a noun only right after them: in 2.16万户灾损农房 the
    households are counted, not the houses.
    """
    implied = CLASSIFIERS.get(classifier) if classifier else None
    if classifier is None:  # 80万重点群体, 常住人口超过300万
        return _head_before(text, start, None) or _head_after(text, end, None)
    if classifier in _FIXED:
        return implied
    if classifier in _ADJACENT_ONLY:
        adjacent = _match_at(text, end, classifier, adjacent=True)
        after = NOUNS[adjacent] if adjacent else None
    else:
        after = _head_after(text, end, classifier)
    return after or _head_before(text, start, classifier) or implied
