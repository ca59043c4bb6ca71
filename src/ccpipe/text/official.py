"""Official-document metadata (GB/T 9704-2012): issuer, number, addressees, date, attachments, draft, abridged."""

from __future__ import annotations

from ccpipe.models import Block, OfficialInfo


def official_info(blocks: list[Block], declared: OfficialInfo | None, title: str) -> OfficialInfo | None:
    return declared
