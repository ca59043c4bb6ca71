"""The JSON contract: shipped schema, validation, golden document.json, determinism."""

from __future__ import annotations

import copy
import json

import pytest

from ccpipe.models import Document
from ccpipe.publish.json import ContractError, document_json, document_schema, generated_schema, validate_document

from .conftest import GOLDEN, UPDATE_GOLDEN

GOLDEN_JSON = GOLDEN / "sample" / "document.json"


def test_shipped_schema_is_the_models_schema() -> None:
    assert document_schema() == generated_schema(), "run: ccpipe schema > src/ccpipe/schema/document.schema.json"


def test_sample_document_validates(sample_document: Document) -> None:
    data = json.loads(document_json(sample_document))
    validate_document(data)
    assert data["schema_version"] == "1.2"
    assert set(data["document"]["source"]) >= {"path", "sha256", "pages"}


def test_golden_document_json(sample_document: Document) -> None:
    payload = document_json(sample_document)
    if UPDATE_GOLDEN:
        GOLDEN_JSON.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN_JSON.write_bytes(payload)
    assert GOLDEN_JSON.exists(), "run with CCPIPE_UPDATE_GOLDEN=1 once to create the golden file"
    assert payload.decode("utf-8") == GOLDEN_JSON.read_text(encoding="utf-8")


def test_serialisation_is_deterministic(sample_document: Document) -> None:
    reparsed = Document.model_validate_json(document_json(sample_document))
    assert document_json(reparsed) == document_json(sample_document)


def _broken_copies(data: dict) -> list[tuple[str, dict]]:
    shifted = copy.deepcopy(data)
    shifted["mentions"][0]["start"] += 1
    unknown_kind = copy.deepcopy(data)
    unknown_kind["blocks"][0]["kind"] = "sidebar"
    orphan = copy.deepcopy(data)
    orphan["entities"] = orphan["entities"][1:]
    no_version = copy.deepcopy(data)
    del no_version["schema_version"]
    return [("offset", shifted), ("kind", unknown_kind), ("entity", orphan), ("version", no_version)]


def test_validation_catches_broken_documents(sample_document: Document) -> None:
    data = json.loads(document_json(sample_document))
    for name, broken in _broken_copies(data):
        with pytest.raises(ContractError):
            validate_document(broken)
            pytest.fail(f"broken {name} passed validation")
