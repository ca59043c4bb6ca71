"""Machine translation engines against a local server on 127.0.0.1 that speaks their protocols (no network)."""

from __future__ import annotations

import importlib.util
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from ccpipe.errors import MachineEngineUnavailableError
from ccpipe.models import Document
from ccpipe.publish.english import english_html
from ccpipe.translate import qa
from ccpipe.translate.machine import MachineError, engine_for, machine_translate
from ccpipe.translate.segments import parse_scope, source_units
from ccpipe.translate.store import Translations
from ccpipe.translate.units import Origin


class _Engine(BaseHTTPRequestHandler):
    """Answers like the engines do: the Chinese echoed after "EN:", the terms it was told to use appended
    (chat), or nothing of them (LibreTranslate), so that QA has something to find."""

    seen: ClassVar[list[tuple[str, Any]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append((self.path, body))
        if self.path == "/v1/chat/completions":
            system, user = body["messages"][0]["content"], body["messages"][1]["content"]
            terms = [line.split(" = ", 1)[1] for line in system.splitlines() if line.startswith("- ")]
            answer: Any = {"choices": [{"message": {"content": f"Translation: {' '.join(terms)} {len(user)}"}}]}
        elif self.path == "/translate":
            answer = {"translatedText": "A machine sentence without the terms."}
        else:
            self.send_error(404)
            return
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Engine)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Engine.seen = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_chat_engine_is_told_the_terms_and_labelled_machine(sample_document: Document, server: str) -> None:
    units = [u for u in source_units(sample_document, parse_scope("keypoints")) if u.terms][:3]
    recorded = Translations(document_id=sample_document.document.id)
    machine_translate(units, recorded, engine_for("openai", server, "local-model"))
    assert len(_Engine.seen) == len(units) and all(path == "/v1/chat/completions" for path, _ in _Engine.seen)
    assert all(t.en in _Engine.seen[0][1]["messages"][0]["content"] for t in units[0].terms)
    assert {recorded.units[u.id].origin for u in units} == {Origin.MACHINE}
    assert not recorded.units[units[0].id].qa or qa.TERM_MISSING not in recorded.units[units[0].id].qa
    assert "machine" in english_html(sample_document, recorded)
    machine_translate(units, recorded, engine_for("openai", server, "local-model"))
    assert len(_Engine.seen) == len(units)  # translated units are not sent again


def test_libretranslate_output_that_drops_terms_fails_qa(sample_document: Document, server: str) -> None:
    units = [u for u in source_units(sample_document) if u.terms][:2]
    recorded = Translations(document_id=sample_document.document.id)
    problems = machine_translate(units, recorded, engine_for("libretranslate", server))
    assert {(p.code, p.unit_id) for p in problems} >= {(qa.TERM_MISSING, units[0].id)}
    assert not recorded.usable()  # nothing of it reaches the brief


def test_unreachable_or_unknown_engine(sample_document: Document, server: str) -> None:
    unit = source_units(sample_document)[:1]
    with pytest.raises(MachineError):
        machine_translate(unit, Translations(document_id="x"), engine_for("deepl", server))  # 404 here
    with pytest.raises(ValueError):
        engine_for("babelfish", server)


def test_local_engine_says_what_to_install_when_ctranslate2_is_missing(tmp_path: Path) -> None:
    """CTranslate2 is not a dependency: asking for the local engine without it stops with a code and advice."""
    if importlib.util.find_spec("ctranslate2") is not None:
        pytest.skip("ctranslate2 is installed here: the engine is available")
    with pytest.raises(MachineEngineUnavailableError, match="ctranslate2") as caught:
        engine_for("ctranslate2", None, model_dir=tmp_path)
    assert caught.value.code == "MT_ENGINE_UNAVAILABLE" and "pip install ctranslate2==" in caught.value.message
    with pytest.raises(ValueError, match="model folder"):
        engine_for("ctranslate2", None)
    with pytest.raises(ValueError, match="--url"):
        engine_for("libretranslate", None)


def test_cli_local_engine_error_code(sample_document: Document, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ccpipe.cli import app
    from ccpipe.publish.json import write_document_json

    if importlib.util.find_spec("ctranslate2") is not None:
        pytest.skip("ctranslate2 is installed here: the engine is available")
    write_document_json(sample_document, tmp_path)
    result = CliRunner().invoke(
        app, ["translate", "machine", str(tmp_path), "--engine", "ctranslate2", "--model-dir", str(tmp_path)]
    )
    assert result.exit_code == 2 and "MT_ENGINE_UNAVAILABLE" in result.output
    assert not (tmp_path / "translations.json").exists()  # nothing recorded


def test_model_files_of_an_argos_package(tmp_path: Path) -> None:
    from ccpipe.errors import MachineModelError
    from ccpipe.translate.local import model_files

    with pytest.raises(MachineModelError) as caught:
        model_files(tmp_path)
    assert caught.value.code == "MT_MODEL_INVALID"
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "model.bin").write_bytes(b"")
    with pytest.raises(MachineModelError, match="SentencePiece"):
        model_files(tmp_path)
    (tmp_path / "sentencepiece.model").write_bytes(b"")
    found = model_files(tmp_path)
    assert (
        found.model == tmp_path / "model" and found.source_spm == found.target_spm == tmp_path / "sentencepiece.model"
    )
