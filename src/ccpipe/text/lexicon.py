"""jieba's data, loaded once per process: the dictionary, its part-of-speech table and the IDF table.

jieba keeps module-level copies of everything: importing ``jieba.posseg`` parses the dictionary's
part-of-speech tags for its global tagger, and every new ``POSTokenizer`` parses them again (0.25 s). The
run's tools share that first copy instead, and import it only when a stage needs it (discovery), never to
answer ``--help`` or to plan a run. Discovery needs only the IDF table of ``jieba.analyse``, whose import
parses the table's 350,000 lines (0.34 s); :func:`idf_table` reads it from a marshal cache beside the
dictionary's instead, and ``jieba.analyse`` is never imported. The tokenizer itself is one per process and
cache folder: a new glossary version rebuilds the matcher, not jieba's dictionary.
"""

from __future__ import annotations

import marshal
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jieba

from ccpipe.parsecache import MARSHAL, cached_parse

_tokenizers: dict[Path | None, jieba.Tokenizer] = {}
_lock = threading.Lock()


def tokenizer(cache_dir: Path | None = None) -> jieba.Tokenizer:
    """The process's private jieba tokenizer (never jieba's global one), its dictionary loaded."""
    with _lock:  # tasks of one process may ask at once: load once, the others wait
        if cache_dir not in _tokenizers:
            loaded = jieba.Tokenizer()
            if cache_dir is not None:
                cache_dir.mkdir(parents=True, exist_ok=True)
                loaded.tmp_dir = str(cache_dir)
            # Load the dictionary now, while the cache folder is known to exist, rather than lazily inside
            # the first document's segmentation.
            if not _load_cache(loaded):
                loaded.initialize()  # builds the dictionary and writes the cache
            _tokenizers[cache_dir] = loaded
        return _tokenizers[cache_dir]


def _load_cache(words: jieba.Tokenizer) -> bool:
    """Read jieba's own dictionary cache as jieba does, but in one piece: ``marshal.load`` on a file object reads
    it object by object and takes three times as long as ``marshal.loads`` of its bytes (0.7 s against 0.25).
    False when there is no usable cache, for jieba to build it."""
    if words.dictionary != jieba.DEFAULT_DICT:
        return False
    cache = Path(words.tmp_dir or tempfile.gettempdir()) / "jieba.cache"
    try:
        freq, total = marshal.loads(cache.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return False
    words.FREQ, words.total, words.initialized = freq, total, True
    return True


def pos_tagger(words: jieba.Tokenizer) -> Any:
    """A part-of-speech tagger (``jieba.posseg.POSTokenizer``) cutting with ``words``.

    It shares the tag table ``jieba.posseg`` parsed at import, when both read jieba's own dictionary."""
    import jieba.posseg

    shared = jieba.posseg.dt
    if words.dictionary != shared.tokenizer.dictionary:
        return jieba.posseg.POSTokenizer(words)
    # Not copy.copy: the class forwards unknown attributes to its tokenizer, which a copy does not have yet.
    tagger = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    tagger.tokenizer = words
    tagger.word_tag_tab = shared.word_tag_tab
    return tagger


@dataclass(frozen=True)
class IdfTable:
    """jieba's IDF table (``jieba/analyse/idf.txt``), as ``jieba.analyse.TFIDF`` reads it."""

    idf_freq: dict[str, float]
    median_idf: float


_idf_tables: dict[str | None, IdfTable] = {}


def idf_table(words: jieba.Tokenizer) -> IdfTable:
    """The IDF table, once per process; kept in the tokenizer's cache folder as marshal data (a tenth of the
    time of parsing it), keyed by the text file's bytes."""
    with _lock:
        if words.tmp_dir not in _idf_tables:
            _idf_tables[words.tmp_dir] = _read_idf(Path(words.tmp_dir) if words.tmp_dir else None)
        return _idf_tables[words.tmp_dir]


def _read_idf(cache_dir: Path | None) -> IdfTable:
    raw = (Path(jieba.__file__).parent / "analyse" / "idf.txt").read_bytes()
    freq, median = cached_parse(raw, cache_dir, "jieba-idf", MARSHAL, lambda: _parse_idf(raw))
    return IdfTable(freq, median)


def _parse_idf(raw: bytes) -> tuple[dict[str, float], float]:
    freq = {}
    for line in raw.decode("utf-8").splitlines():  # as jieba.analyse.tfidf.IDFLoader parses it
        word, value = line.strip().split(" ")
        freq[word] = float(value)
    return freq, sorted(freq.values())[len(freq) // 2]


def preload(cache_dir: Path | None = None) -> None:
    """Load jieba's tag table (importing ``jieba.posseg`` parses it) and the IDF table now: before worker
    processes are forked, so that each starts with them."""
    import jieba.posseg  # noqa: F401

    idf_table(tokenizer(cache_dir))
