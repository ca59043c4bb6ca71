"""Official-document metadata (GB/T 9704-2012): what a 公文 prints besides its body.

Its header gives the document number (发文字号, ``国发〔2021〕23号``) under the title and the addressees (主送机关)
on a line ending in ：; its end gives the issuing body's signature (发文机关署名) over the date of issue
(成文日期) and the attachments' titles (附件说明, ``附件：1.…``). A transmittal notice prints these before the
document it issues; a self-contained one prints the signature after its body. Notes in parentheses tell an
abridged text (本文有删减) or a draft (征求意见稿). A page's own metadata (a gov.cn table) wins over what is read
off the text. A document that prints none of these (a report, a white paper) has no official metadata.
"""

from __future__ import annotations

import re

from ccpipe.models import Block, BlockKind, OfficialInfo
from ccpipe.textutil import iso_date

# 国发〔2021〕23号, 明银保监规［2022）1 号 (brackets as printed, OCR mismatches included).
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号")
_ORGANISATION = re.compile(
    r"(政府|国务院|委员会|办公厅|办公室|部|委|局|分局|厅|院|署|会|中心|银行|分行|公司|集团|大学|管委会|机构|单位|部门|"
    r"办事处|监管分局|人民政府)$"
)
# A body's name ends in what it is: an organ, an office, an administrative area.
_ADDRESSEE = re.compile(
    r"(政府|部门|机构|单位|委员会|委|办|局|厅|署|院|部|会|行|分行|公司|办事处|处|中心|省|自治区|市|县|区|旗|州|盟)$"
)
_ATTACHMENTS = re.compile(r"^附\s*件\s*[:：]\s*(.+)$", re.S)
_ATTACHMENT_ITEM = re.compile(r"(?:^|\s)\d{1,2}\s*[.．、]\s*")
_TRANSMITTED = (
    re.compile(r"关于(?:印发|转发|发布|颁布)(.+?)的(?:通知|决定|函)$"),
    re.compile(r"(?:发表|发布|印发)《(.+?)》"),
)
_HEAD_BLOCKS = 14
_TAIL_BLOCKS = 12


def official_info(blocks: list[Block], declared: OfficialInfo | None, title: str) -> OfficialInfo | None:
    """The GB/T 9704 elements the document prints, merged under those its source declares; None if none."""
    body = [b for b in blocks if b.kind in (BlockKind.PARAGRAPH, BlockKind.TITLE, BlockKind.HEADING)]
    head = _head(body)
    found = OfficialInfo(
        number=_number(head),
        addressees=_addressees(head),
        attachments=_attachments(body, title),
    )
    signature = _signature(head) or _signature(body[-_TAIL_BLOCKS:])
    if signature:
        found.issuer, found.date = signature
    notes = " ".join(b.text for b in head[:_HEAD_BLOCKS] + body[-4:])
    found.draft = bool(re.search(r"征求意见稿|（草案）|\(草案\)", title + notes))
    found.abridged = "有删减" in notes
    if declared is not None:
        merged = found.model_dump() | {k: v for k, v in declared.model_dump().items() if v}
        found = OfficialInfo.model_validate(merged)
    printed = found.number or found.addressees or found.attachments or signature
    return found if printed or declared is not None else None


def _head(body: list[Block]) -> list[Block]:
    """The blocks before the first heading: the title, number, addressees and a transmittal notice."""
    first = next((i for i, b in enumerate(body) if b.kind == BlockKind.HEADING), len(body))
    return body[: max(first, 1)][:40]


def _number(head: list[Block]) -> str | None:
    for block in head[:_HEAD_BLOCKS]:
        found = DOC_NUMBER.search(block.text)
        # The number stands on a line of its own (in brackets at most), or closes the title's block.
        if found and (len(block.text) <= found.end() - found.start() + 4 or block.kind == BlockKind.TITLE):
            return re.sub(r"\s+", "", found.group(0))
    return None


def _addressees(head: list[Block]) -> str | None:
    """The line ending in ： that lists bodies (各省、自治区、直辖市人民政府，国务院各部委…), not a salutation
    (各位代表：) or a lead-in sentence."""
    for block in head[:_HEAD_BLOCKS]:
        text = block.text.strip()
        if not text.endswith(("：", ":")) or len(text) > 200 or "。" in text:
            continue
        names = [name for name in re.split(r"[、，,；;]", text[:-1]) if name.strip()]
        if names and sum(bool(_ADDRESSEE.search(name.strip())) for name in names) * 2 >= len(names):
            return text[:-1].strip()
    return None


def _signature(blocks: list[Block]) -> tuple[str, str] | None:
    """The issuing bodies signed over the date of issue: (issuers joined by 、, ISO date)."""
    for index, block in enumerate(blocks):
        date = iso_date(block.text)
        if not date:
            continue
        names: list[str] = []
        for before in reversed(blocks[max(0, index - 3) : index]):
            text = before.text.strip()
            if len(text) > 30 or re.search(r"[，。；：,]", text) or not _ORGANISATION.search(text):
                break
            names.insert(0, text)
        if names:
            return "、".join(names), date
    return None


def _attachments(body: list[Block], title: str) -> list[str]:
    """The titles listed after 附件： or, for a notice that issues a document (关于印发X的通知), X."""
    found = attachment_list([block.text for block in body], [block.kind == BlockKind.PARAGRAPH for block in body])
    if found:
        return found[2]
    issued = transmitted(title)
    return [issued] if issued and title.endswith("通知") else []


def attachment_list(texts: list[str], plain: list[bool]) -> tuple[int, int, list[str]] | None:
    """Where the 附件说明 is (first and last index) and the attachment titles it lists (one, or numbered
    1. 2. …, on its line or the lines below); ``plain`` tells which texts are plain paragraphs."""
    for index, text in enumerate(texts):
        found = _ATTACHMENTS.match(text.strip())
        if not found:
            continue
        listed, last = found.group(1), index
        for following in range(index + 1, min(index + 20, len(texts))):
            line = texts[following].strip()
            numbered = _ATTACHMENT_ITEM.match(line)
            if len(line) > 80 or not plain[following] or (not numbered and not _unfinished(listed)):
                break
            listed += " " + line if numbered else line
            last = following
        items = [item.strip() for item in _ATTACHMENT_ITEM.split(listed) if item.strip()]
        return index, last, [re.sub(r"\s+", "", item) for item in items]
    return None


def transmitted(title: str) -> str | None:
    """The document a transmittal notice or an announcement names (关于印发X的通知 → X, 发表《X》白皮书 → X)."""
    for pattern in _TRANSMITTED:
        found = pattern.search(title)
        if found:
            return found.group(1).strip("《》 ")
    return None


def _unfinished(listed: str) -> bool:
    """An attachment title wrapped onto the next line: it ends inside a word, not after a full title."""
    return not re.search(r"(表|方案|指南|标准|办法|规定|清单|名单|目录|要点|说明|计划|规划|意见|通知|值|）)$", listed)
