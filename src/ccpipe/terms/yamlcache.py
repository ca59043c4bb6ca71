"""Parsed glossary files kept as JSON beside jieba's cache, keyed by the file's bytes.

A cold run spent 0.8 s parsing the glossary's 4,400 entries of YAML (libyaml scans, but PyYAML builds every
object in Python) before its first document; reading the same data back as JSON takes a fortieth of that.
The key is a digest of the file's bytes, so an edited file is parsed again and never read stale; the cache
holds plain JSON (never pickle: nothing in it can run) and is only an accelerator: a file that cannot be
read, written or decoded is ignored, and the YAML is parsed as if it were not there.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ccpipe.atomic import write_atomic

# Part of every key: bump it when what the parser returns changes shape (e.g. the line numbers it records).
FORMAT = "glossary-yaml-1"


def cached_parse(raw: bytes, cache_dir: Path | None, parse: Callable[[], Any]) -> Any:
    """``parse()``'s result for a file whose bytes are ``raw``, from ``cache_dir`` when it holds it."""
    if cache_dir is None:
        return parse()
    path = cache_dir / f"{FORMAT}-{hashlib.sha256(raw).hexdigest()[:32]}.json"
    with contextlib.suppress(OSError, ValueError):
        return json.loads(path.read_bytes())
    data = parse()
    _store(path, data)
    return data


def _store(path: Path, data: Any) -> None:
    try:
        encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError):  # a YAML date or other non-JSON value: such a file is parsed every time
        return
    if json.loads(encoded) != data:  # JSON would change it (e.g. an integer key): keep to the YAML
        return
    with contextlib.suppress(OSError):  # a read-only or full cache folder costs speed only
        write_atomic(path, encoded)
