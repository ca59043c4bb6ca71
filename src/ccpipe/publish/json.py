"""``document.json``: the contract for downstream systems, validated against the shipped schema."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from ccpipe.atomic import write_atomic
from ccpipe.errors import ContractError
from ccpipe.models import Document
from ccpipe.publish.figures import with_english

SCHEMA_RESOURCE = "document.schema.json"
_NUMBER_ARRAY = re.compile(r"\[\s+(-?\d+(?:,\s+-?\d+)*)\s+\]")


@cache
def document_schema() -> dict[str, Any]:
    text = resources.files("ccpipe.schema").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def generated_schema() -> dict[str, Any]:
    """The schema as the models define it; the shipped file must equal this (a test checks)."""
    schema = Document.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://ccpipe.invalid/schema/document.schema.json"
    return schema


def document_json(document: Document) -> bytes:
    """Serialise deterministically: same document, same bytes; every quantity carries its English."""
    data = with_english(document).model_dump(mode="json")
    text = json.dumps(data, ensure_ascii=False, indent=1)
    # Keep number pairs such as token offsets on one line: the file stays readable and diffable.
    text = _NUMBER_ARRAY.sub(lambda m: "[" + ", ".join(m.group(1).split()).replace(",,", ",") + "]", text)
    return (text + "\n").encode("utf-8")


def validate_document(data: dict[str, Any], path: Path | str | None = None) -> None:
    """Check ``data`` (read from ``path``, if from a file) against the schema and the invariants a schema cannot
    state; raises :class:`ContractError`."""
    try:
        jsonschema.validate(data, document_schema())
    except jsonschema.ValidationError as exc:
        where = "/".join(map(str, exc.absolute_path))
        raise ContractError(path, f"schema violation at '{where}': {exc.message}") from exc
    texts = {block["id"]: block["text"] for block in data["blocks"]}
    for mention in data["mentions"]:
        text = texts.get(mention["block_id"])
        start, end = mention["start"], mention["end"]
        if text is None or not 0 <= start < end <= len(text) or text[start:end] != mention["text"]:
            raise ContractError(path, f"mention {mention!r} does not match its block text")
    _check_nesting(data["mentions"], path)
    for quantity in data.get("quantities", []):
        text = texts.get(quantity["block_id"])
        start, end = quantity["start"], quantity["end"]
        if text is None or not 0 <= start < end <= len(text) or text[start:end] != quantity["text"]:
            raise ContractError(path, f"quantity {quantity!r} does not match its block text")
    entity_ids = {entity["id"] for entity in data["entities"]}
    missing = {mention["entity_id"] for mention in data["mentions"]} - entity_ids
    if missing:
        raise ContractError(path, f"mentioned entities missing from the index: {sorted(missing)}")


def _check_nesting(mentions: list[dict[str, Any]], path: Path | str | None) -> None:
    """A nested mention's ``inside`` names an earlier mention of its block whose span holds its own."""
    for index, mention in enumerate(mentions):
        outer_index = mention.get("inside")
        if outer_index is None:
            continue
        outer = mentions[outer_index] if 0 <= outer_index < index else None
        if (
            outer is None
            or outer["block_id"] != mention["block_id"]
            or not outer["start"] <= mention["start"] < mention["end"] <= outer["end"]
            or (outer["start"], outer["end"]) == (mention["start"], mention["end"])
        ):
            raise ContractError(path, f"mention {index} is not inside mention {outer_index} ('inside')")


def write_document_json(document: Document, out_dir: Path) -> Path:
    payload = document_json(document)
    validate_document(json.loads(payload))
    return write_atomic(out_dir / "document.json", payload)
