"""What a slow parse of a data file gave, kept in the cache folder for the next process, keyed by the file's bytes.

The key is a digest of the bytes parsed, so an edited file is parsed again and never read stale. The cache is
only an accelerator: an entry that cannot be read, decoded or written is ignored and the file parsed as if it
were not there. Entries hold data only (JSON or marshal, never pickle: nothing in them can run).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ccpipe.atomic import write_atomic


@dataclass(frozen=True)
class Codec:
    suffix: str
    dumps: Callable[[Any], bytes]  # raises TypeError or ValueError for data it cannot keep as it is
    loads: Callable[[bytes], Any]


def _json_dumps(data: Any) -> bytes:
    encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if json.loads(encoded) != data:  # JSON would change it (e.g. an integer key): not kept
        raise ValueError("not representable in JSON as it is")
    return encoded


JSON = Codec(".json", _json_dumps, json.loads)
MARSHAL = Codec(".marshal", marshal.dumps, marshal.loads)


def cached_parse(raw: bytes, cache_dir: Path | None, name: str, codec: Codec, parse: Callable[[], Any]) -> Any:
    """``parse()``'s result for a file whose bytes are ``raw``: from ``cache_dir`` when it holds it (an entry
    ``name``-digest), else parsed and kept there."""
    if cache_dir is None:
        return parse()
    path = cache_dir / f"{name}-{hashlib.sha256(raw).hexdigest()[:32]}{codec.suffix}"
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        return codec.loads(path.read_bytes())
    data = parse()
    with contextlib.suppress(OSError, ValueError, TypeError):  # data it cannot keep, or a read-only folder
        write_atomic(path, codec.dumps(data))
    return data
