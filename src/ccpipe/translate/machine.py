"""Machine translation as an optional engine, never a default: nothing is sent anywhere unless configured.

Engines speak HTTP with the standard library only: an OpenAI-compatible chat endpoint (``/v1/chat/completions``,
a local llama.cpp or vLLM server as well as a hosted one), LibreTranslate (``/translate``) and DeepL
(``/v2/translate``); a local CTranslate2 model (:mod:`ccpipe.translate.local`) when the settings point at one.
The glossary is enforced twice: the chat engine is told each term's required English,
and every result goes through QA like a human translation, so a machine sentence that drops a required term
stays out of the brief. Results are recorded with origin ``machine`` and the brief labels them so.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ccpipe.translate.qa import Problem, check_unit
from ccpipe.translate.segments import SourceUnit
from ccpipe.translate.store import State, Translations, UnitTranslation
from ccpipe.translate.units import Origin

ENGINES = ("openai", "libretranslate", "deepl", "ctranslate2")
TIMEOUT = 60.0


class MachineError(RuntimeError):
    """The engine could not be reached or answered something unusable."""


class Engine(Protocol):
    @property
    def name(self) -> str: ...

    def translate(self, unit: SourceUnit) -> str: ...


def _post(url: str, payload: Mapping[str, Any], headers: Mapping[str, str] = {}) -> Any:
    request = urllib.request.Request(
        url, json.dumps(payload).encode("utf-8"), {"Content-Type": "application/json", **headers}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise MachineError(f"{url}: {exc}") from exc


@dataclass(frozen=True)
class OpenAIChat:
    url: str  # the server's base, e.g. http://127.0.0.1:8080
    model: str
    api_key: str | None = None
    name: str = "openai"

    def translate(self, unit: SourceUnit) -> str:
        terms = "".join(f"\n- {t.zh} = {t.en}" for t in unit.terms)
        rules = f" Use exactly these English terms:{terms}" if terms else ""
        messages = [
            {"role": "system", "content": "Translate Chinese climate-policy text into English. Answer with the "
             f"translation only, keeping every number and date.{rules}"},
            {"role": "user", "content": unit.text},
        ]  # fmt: skip
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        body = {"model": self.model, "messages": messages, "temperature": 0}
        answer = _post(f"{self.url.rstrip('/')}/v1/chat/completions", body, headers)
        try:
            return str(answer["choices"][0]["message"]["content"]).strip()
        except (KeyError, IndexError, TypeError) as exc:
            raise MachineError(f"{self.url}: no translation in the answer") from exc


@dataclass(frozen=True)
class LibreTranslate:
    url: str
    api_key: str | None = None
    name: str = "libretranslate"

    def translate(self, unit: SourceUnit) -> str:
        body = {"q": unit.text, "source": "zh", "target": "en", "format": "text"}
        if self.api_key:
            body["api_key"] = self.api_key
        answer = _post(f"{self.url.rstrip('/')}/translate", body)
        if not isinstance(answer, dict) or "translatedText" not in answer:
            raise MachineError(f"{self.url}: no translatedText in the answer")
        return str(answer["translatedText"]).strip()


@dataclass(frozen=True)
class DeepL:
    url: str  # https://api-free.deepl.com or https://api.deepl.com
    api_key: str | None = None
    name: str = "deepl"

    def translate(self, unit: SourceUnit) -> str:
        headers = {"Authorization": f"DeepL-Auth-Key {self.api_key}"} if self.api_key else {}
        body = {"text": [unit.text], "source_lang": "ZH", "target_lang": "EN-GB"}
        answer = _post(f"{self.url.rstrip('/')}/v2/translate", body, headers)
        try:
            return str(answer["translations"][0]["text"]).strip()
        except (KeyError, IndexError, TypeError) as exc:
            raise MachineError(f"{self.url}: no translation in the answer") from exc


def engine_for(
    name: str, url: str | None, model: str | None = None, api_key: str | None = None, model_dir: Path | None = None
) -> Engine:
    """The engine called ``name``: an HTTP one at ``url``, or the local model in ``model_dir`` (ctranslate2)."""
    if name == "ctranslate2":
        if model_dir is None:
            raise ValueError("the ctranslate2 engine needs a model folder (--model-dir or the mt_model_dir setting)")
        from ccpipe.translate.local import LocalModel  # CTranslate2 is optional: imported only when asked for

        return LocalModel(model_dir)
    makers: dict[str, Callable[[str], Engine]] = {
        "openai": lambda at: OpenAIChat(at, model or "default", api_key),
        "libretranslate": lambda at: LibreTranslate(at, api_key),
        "deepl": lambda at: DeepL(at, api_key),
    }
    if name not in makers:
        raise ValueError(f"unknown engine {name!r}; choose from {ENGINES}")
    if not url:
        raise ValueError(f"the {name} engine needs --url, its server's address")
    return makers[name](url)


def machine_translate(
    units: list[SourceUnit],
    recorded: Translations,
    engine: Engine,
    variants: Mapping[str, frozenset[str]] = {},
) -> list[Problem]:
    """Translate the units that have no English yet; record each with origin ``machine`` and its QA codes."""
    problems: list[Problem] = []
    for unit in units:
        known = recorded.units.get(unit.id)
        if known is not None and known.source == unit.text and (known.target or known.joined):
            continue
        target = engine.translate(unit)
        found = check_unit(unit, target, variants=variants)
        problems += found
        recorded.units[unit.id] = UnitTranslation(
            source=unit.text,
            target=target,
            state=State.TRANSLATED,
            origin=Origin.MACHINE,
            qa=sorted({p.code for p in found}),
        )
    return problems
