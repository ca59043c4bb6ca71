"""A local machine-translation model: CTranslate2 with SentencePiece, as Argos Translate packages ship them.

Used only when the user points the ``mt_model_dir`` setting (or ``--model-dir``) at a model directory; ccpipe
never downloads a model, and CTranslate2 is not one of its dependencies: without it the engine stops with
``MT_ENGINE_UNAVAILABLE`` saying what to install. A directory is either an Argos package (``model/`` with the
CTranslate2 model, ``sentencepiece.model`` beside it) or a converted model (``model.bin``) with its
SentencePiece model(s) (``sentencepiece.model``, or ``source.spm`` and ``target.spm`` as OPUS-MT has them).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ccpipe.errors import MachineEngineUnavailableError, MachineModelError
from ccpipe.translate.segments import SourceUnit

BEAM_SIZE = 4


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise MachineEngineUnavailableError(
            None, f"the local engine needs the Python package {name}, which is not installed ({exc})"
        ) from exc


@dataclass(frozen=True)
class ModelFiles:
    model: Path  # the folder holding model.bin
    source_spm: Path
    target_spm: Path


def model_files(folder: Path) -> ModelFiles:
    """Where the CTranslate2 model and its SentencePiece models are in ``folder``."""
    model = next((f for f in (folder, folder / "model") if (f / "model.bin").is_file()), None)
    if model is None:
        raise MachineModelError(folder, "no CTranslate2 model (model.bin) in the folder or its model/ folder")
    shared = next((f / "sentencepiece.model" for f in (folder, model) if (f / "sentencepiece.model").is_file()), None)
    source = shared or next((f / "source.spm" for f in (folder, model) if (f / "source.spm").is_file()), None)
    target = shared or next((f / "target.spm" for f in (folder, model) if (f / "target.spm").is_file()), None)
    if source is None or target is None:
        raise MachineModelError(folder, "no SentencePiece model (sentencepiece.model, or source.spm and target.spm)")
    return ModelFiles(model, source, target)


class LocalModel:
    """Translates with a CTranslate2 model on this machine's CPU; nothing leaves it."""

    name = "ctranslate2"

    def __init__(self, folder: Path) -> None:
        ctranslate2, sentencepiece = _module("ctranslate2"), _module("sentencepiece")
        files = model_files(folder)
        self.translator = ctranslate2.Translator(str(files.model), device="cpu")
        self.source = sentencepiece.SentencePieceProcessor(model_file=str(files.source_spm))
        self.target = sentencepiece.SentencePieceProcessor(model_file=str(files.target_spm))

    def translate(self, unit: SourceUnit) -> str:
        tokens = self.source.encode(unit.text, out_type=str)
        result = self.translator.translate_batch([tokens], beam_size=BEAM_SIZE)
        return str(self.target.decode(result[0].hypotheses[0])).strip()
