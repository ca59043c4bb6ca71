"""Alignment: give every match its English term and category, and build the entity index."""

from __future__ import annotations

from collections import Counter

from ccpipe.models import Entity, Mention
from ccpipe.terms.glossary import Glossary
from ccpipe.terms.tag import Match


def align(matches: list[Match], glossary: Glossary) -> tuple[list[Mention], list[Entity]]:
    """Mentions in reading order, each nested one linked to its container, and the entities they name (every
    mention counted, nested ones too), most mentioned first."""
    mentions = []
    containers: list[int] = []  # the index of the latest mention at each depth
    for index, match in enumerate(matches):
        entry = glossary.get(match.entry_id)
        del containers[match.depth :]
        mentions.append(
            Mention(
                block_id=match.block_id,
                start=match.start,
                end=match.end,
                text=match.text,
                entity_id=entry.id,
                en=entry.en,
                category=entry.category,
                inside=containers[-1] if match.depth else None,
            )
        )
        containers.append(index)
    counts = Counter(mention.entity_id for mention in mentions)
    entities = []
    for entity_id, count in counts.items():
        entry = glossary.get(entity_id)
        entities.append(Entity(id=entry.id, zh=entry.zh, en=entry.en, category=entry.category, count=count))
    entities.sort(key=lambda entity: (-entity.count, entity.id))
    return mentions, entities
