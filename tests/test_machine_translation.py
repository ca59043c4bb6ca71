"""Machine translation engines against a local server on 127.0.0.1 that speaks their protocols (no network)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from ccpipe.models import Document
from ccpipe.publish.english import english_html
from ccpipe.translate import qa
from ccpipe.translate.machine import MachineError, engine_for, machine_translate
from ccpipe.translate.segments import parse_scope, source_units
from ccpipe.translate.store import Translations
from ccpipe.translate.units import Origin

from .conftest import child_env


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


# A Python without CTranslate2, as most installs are: the import of ctranslate2 fails in that process only.
WITHOUT_CTRANSLATE2 = "import sys; sys.modules['ctranslate2'] = None\n"


def test_local_engine_says_what_to_install_when_ctranslate2_is_missing(tmp_path: Path) -> None:
    """CTranslate2 is not a dependency of ccpipe: asking for the local engine without it stops with a code and
    advice."""
    check = WITHOUT_CTRANSLATE2 + textwrap.dedent(
        f"""
        from pathlib import Path
        from ccpipe import errors
        from ccpipe.translate.machine import engine_for
        try:
            engine_for("ctranslate2", None, model_dir=Path({str(tmp_path)!r}))
        except errors.MachineEngineUnavailableError as exc:
            print(exc.code, exc.message)
        """
    )
    found = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, env=child_env(), check=True)
    assert found.stdout.startswith("MT_ENGINE_UNAVAILABLE") and "pip install ctranslate2==" in found.stdout
    with pytest.raises(ValueError, match="model folder"):
        engine_for("ctranslate2", None)
    with pytest.raises(ValueError, match="--url"):
        engine_for("libretranslate", None)


def test_cli_local_engine_error_code(sample_document: Document, tmp_path: Path) -> None:
    from ccpipe.publish.json import write_document_json

    write_document_json(sample_document, tmp_path)
    command = WITHOUT_CTRANSLATE2 + "from ccpipe.cli import app\napp()"
    args = ["translate", "machine", str(tmp_path), "--engine", "ctranslate2", "--model-dir", str(tmp_path)]
    result = subprocess.run([sys.executable, "-c", command, *args], capture_output=True, text=True, env=child_env())
    assert result.returncode == 2 and "MT_ENGINE_UNAVAILABLE" in result.stdout + result.stderr
    assert not (tmp_path / "translations.json").exists()  # nothing recorded


def tiny_model(folder: Path) -> Path:
    """A CTranslate2 model as Argos packages ship it (``model/`` beside ``sentencepiece.model``), built here: a
    SentencePiece model trained on a few sentences and a one-layer Transformer with random weights. Its English
    is nonsense; what it proves is the engine's path, from the Chinese unit to a recorded, labelled target."""
    import ctranslate2.specs
    import numpy as np
    import sentencepiece

    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "中国与欧盟在《巴黎协定》框架下开展合作。",
        "China and the European Union cooperate under the Paris Agreement.",
    ]
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines * 20), model_prefix=str(folder / "sentencepiece"), vocab_size=60,
        character_coverage=1.0, hard_vocab_limit=False, minloglevel=2,
    )  # fmt: skip
    pieces = sentencepiece.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
    vocabulary = [pieces.id_to_piece(i) for i in range(pieces.get_piece_size())]
    spec = ctranslate2.specs.TransformerSpec.from_config(num_layers=1, num_heads=2)
    random = np.random.default_rng(0)
    for name, value in spec.variables().items():
        if value is None:  # a weight to give: its shape follows from its place in the network
            _set(spec, name, 0.3 * random.standard_normal(_shape(name, len(vocabulary))).astype(np.float32))
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization=None)
    (folder / "model").mkdir()
    spec.save(str(folder / "model"))
    return folder


_WIDTH, _FFN = 8, 16


def _shape(name: str, vocabulary: int) -> tuple[int, ...]:
    if name.endswith(("gamma", "beta")):
        return (_WIDTH,)
    if "embeddings" in name or "projection" in name:
        return (vocabulary, _WIDTH)
    if "/ffn/linear_0" in name:
        return (_FFN, _WIDTH)
    if "/ffn/linear_1" in name:
        return (_WIDTH, _FFN)
    if "self_attention/linear_0" in name:
        return (3 * _WIDTH, _WIDTH)  # query, key and value in one
    if name.startswith("decoder") and "/attention/linear_1" in name:
        return (2 * _WIDTH, _WIDTH)  # key and value of the encoder's output
    return (_WIDTH, _WIDTH)


def _set(spec: object, name: str, value: object) -> None:
    """Set ``encoder/layer_0/ffn/linear_1/weight`` on the spec: ``layer_0`` is ``layer[0]``."""
    target = spec
    for part in name.split("/")[:-1]:
        base, _, index = part.rpartition("_")
        target = getattr(target, base)[int(index)] if index.isdigit() and not hasattr(target, part) else (
            getattr(target, part))  # fmt: skip
    setattr(target, name.rsplit("/", 1)[1], value)


def test_local_engine_translates_with_a_ctranslate2_model(sample_document: Document, tmp_path: Path) -> None:
    engine = engine_for("ctranslate2", None, model_dir=tiny_model(tmp_path / "model-package"))
    units = [u for u in source_units(sample_document) if u.terms][:3]
    recorded = Translations(document_id=sample_document.document.id)
    problems = machine_translate(units, recorded, engine)
    targets = [recorded.units[u.id].target for u in units]
    assert all(targets) and {recorded.units[u.id].origin for u in units} == {Origin.MACHINE}
    # The same model gives the same English: a rebuild does not change a brief.
    again = Translations(document_id=sample_document.document.id)
    machine_translate(units, again, engine)
    assert [again.units[u.id].target for u in units] == targets
    # Its nonsense names none of the glossary terms: QA keeps every unit out of the brief.
    assert {(p.code, p.unit_id) for p in problems} >= {(qa.TERM_MISSING, u.id) for u in units}
    assert not recorded.usable()


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
