"""jieba's data, loaded once per process: the dictionary, its part-of-speech table and the IDF table.

jieba keeps module-level copies of everything: importing ``jieba.posseg`` parses the dictionary's
part-of-speech tags for its global tagger, importing ``jieba.analyse`` parses the IDF table for its global
keyword extractor, and every new ``POSTokenizer`` or ``TFIDF`` parses them again (0.25 s each). The run's
tools share those first copies instead, and import them only when a stage needs them (discovery), never
to answer ``--help`` or to plan a run. The tokenizer itself is one per process and cache folder: a new
glossary version rebuilds the matcher, not jieba's dictionary.
"""

from __future__ import annotations

import copy
import marshal
import tempfile
import threading
from pathlib import Path
from typing import Any

import jieba

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


def keyword_extractor(words: jieba.Tokenizer, tagger: Any) -> Any:
    """A TF-IDF keyword extractor (``jieba.analyse.TFIDF``) over ``words`` and ``tagger``, sharing the IDF table
    ``jieba.analyse`` parsed at import."""
    import jieba.analyse

    extractor = copy.copy(jieba.analyse.default_tfidf)
    extractor.stop_words = set(extractor.stop_words)  # its own set: adding stop words must not reach jieba's
    extractor.tokenizer = words
    extractor.postokenizer = tagger
    return extractor


def preload() -> None:
    """Import jieba's tagger and keyword modules now (they parse the tag and IDF tables): before worker processes
    are forked, so that each starts with the tables."""
    import jieba.analyse
    import jieba.posseg  # noqa: F401
