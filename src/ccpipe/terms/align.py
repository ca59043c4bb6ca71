"""Alignment: give every match its English term and category, and build the entity index."""

from __future__ import annotations

from collections import Counter

from ccpipe.models import Entity, Mention
from ccpipe.terms.glossary import Glossary
from ccpipe.terms.tag import Match


def align(matches: list[Match], glossary: Glossary) -> tuple[list[Mention], list[Entity]]:
    """Mentions in reading order and the entities they name, most mentioned first."""
    mentions = []
    for match in matches:
        entry = glossary.get(match.entry_id)
        mentions.append(
            Mention(
                block_id=match.block_id,
                start=match.start,
                end=match.end,
                text=match.text,
                entity_id=entry.id,
                en=entry.en,
                category=entry.category,
            )
        )
    counts = Counter(mention.entity_id for mention in mentions)
    entities = []
    for entity_id, count in counts.items():
        entry = glossary.get(entity_id)
        entities.append(Entity(id=entry.id, zh=entry.zh, en=entry.en, category=entry.category, count=count))
    entities.sort(key=lambda entity: (-entity.count, entity.id))
    return mentions, entities
