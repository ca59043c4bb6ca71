"""RapidOCR (PP-OCRv4 on ONNX Runtime, CPU) as the OCR engine: page images in, recognised segments out.

The detection, recognition and character-position models ship inside the ``rapidocr-onnxruntime``
wheel and are loaded from its own folder: nothing is downloaded at run time. ccpipe drives the
engine's parts itself rather than its one-call API, for three reasons: detection runs on a smaller
copy of the page (the slowest step, and text lines stay easy to find at 1280 px) while recognition
reads crops of the full-resolution page; the 0°/180° line classifier is skipped (rendered PDF pages
are upright, and it turned a few real lines upside down); and each character's position in its line
comes back, from which the spaces that the Chinese model leaves out between Latin words are restored.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ccpipe.extract.ocr_image import Grey, PageImage

# Imported with this module, not on first use: the extraction child (see limits.py) is forked from a
# process that has it already, and imports nothing under its memory limit.
try:
    import rapidocr_onnxruntime
    from rapidocr_onnxruntime import RapidOCR
except ImportError as missing:  # reported per document that needs OCR, not at import
    _IMPORT_ERROR: ImportError | None = missing
else:
    _IMPORT_ERROR = None
from ccpipe.textutil import is_cjk_or_punct, is_ideograph

# Detection runs on a copy of the page at most this long (PP-OCR's own default for documents is 960;
# 1280 keeps 8 pt footnotes of an A4 page findable).
DETECT_SIDE = 1280
# Recognised text below this mean character probability is noise (specks, rules, pictures).
MIN_SCORE = 0.5
# A blank stretch at least this share of the text's height between two Latin characters is a word
# space (measured on scans of the English corpus document and the sample report: letters of one word
# stand at most 0.12 apart, words 0.3 and more) ...
_WORD_SPACE = 0.25
# ... and between a Chinese character and a Latin one, where side bearings add 0.1-0.15 without a space.
_MIXED_SPACE = 0.35
# Sentence punctuation never stands twice in a row in print ("……" and "——" are not sentence marks).
_SENTENCE_MARKS = frozenset("，。、；：·,;:")
# Rows with less ink than this share of the fullest row's do not count in the ideographs' height.
_FULL_ROW_SHARE = 0.2
# Ink height is measured on ideographs' columns when a segment has this many.
_MIN_IDEOGRAPHS = 3
# A pixel column with no more ink pixels than this share of the crop height counts as blank.
_BLANK_INK = 0.03
_INK = 128
# Characters that join what stands on either side of them (2013-2020, 9.5, U.S., don't).
_JOINERS = frozenset("-–./'’%")
_OPENING = frozenset("([{“‘")
_CLOSING = frozenset(")]}”’,;:!?")
_THREADS = 1  # ONNX Runtime threads per session: parallelism comes from pages on worker threads


class EngineUnavailable(Exception):
    """The engine's package or models are missing or do not load; ``str()`` says which."""


class EngineFailed(Exception):
    """The engine ran but failed on one page image."""


@dataclass(frozen=True)
class Segment:
    """One detected and recognised stretch of text, in page-image pixels."""

    text: str
    score: float  # mean character probability, 0-1
    left: float
    top: float
    right: float
    bottom: float
    glyph: float = 0.0  # the typical height of its ideographs' ink; 0 when it has too few


# The model files the engine loads, by its configuration keys (the classifier is loaded, not used).
MODEL_FILES = {
    "det_model_path": "ch_PP-OCRv4_det_infer.onnx",
    "rec_model_path": "ch_PP-OCRv4_rec_infer.onnx",
    "cls_model_path": "ch_ppocr_mobile_v2.0_cls_infer.onnx",
}


@dataclass(frozen=True)
class Engine:
    """The installed engine and the folder its models are read from."""

    models: Path
    version: str

    @property
    def label(self) -> str:
        return f"rapidocr {self.version} PP-OCRv4"

    def read(self, image: PageImage) -> list[Segment]:
        """Detect and recognise the text of one page image (safe on worker threads: one session each)."""
        try:
            return read_segments(_session(self.models), image)
        except (MemoryError, EngineUnavailable):
            raise
        except Exception as exc:  # ONNX Runtime and OpenCV errors are not typed
            raise EngineFailed(f"{type(exc).__name__}: {exc}") from exc


def find_engine(models: Path | None = None) -> Engine:
    """The engine reading its models from ``models`` (default: the ones in its own package)."""
    if _IMPORT_ERROR is not None:
        raise EngineUnavailable(f"the OCR engine rapidocr-onnxruntime does not load ({_IMPORT_ERROR})")
    try:
        installed = version("rapidocr-onnxruntime")
    except PackageNotFoundError as exc:
        raise EngineUnavailable("the OCR engine rapidocr-onnxruntime is not installed") from exc
    folder = models or Path(next(iter(rapidocr_onnxruntime.__path__))) / "models"
    missing = [name for name in MODEL_FILES.values() if not (folder / name).is_file()]
    if missing:
        raise EngineUnavailable(f"the OCR models {', '.join(missing)} are missing from {folder}")
    return Engine(folder, installed)


_local = threading.local()


def _session(models: Path) -> Any:
    """This thread's engine for ``models``, loaded on first use (about a second)."""
    sessions: dict[Path, Any] = _local.__dict__.setdefault("sessions", {})
    if models not in sessions:
        paths = {key: str(models / name) for key, name in MODEL_FILES.items()}
        try:
            sessions[models] = RapidOCR(
                intra_op_num_threads=_THREADS,
                inter_op_num_threads=_THREADS,
                use_cls=False,
                text_score=MIN_SCORE,
                **paths,
            )
        except Exception as exc:  # a damaged model file
            raise EngineUnavailable(f"the OCR models in {models} do not load ({type(exc).__name__}: {exc})") from exc
    return sessions[models]


def read_segments(engine: Any, image: PageImage) -> list[Segment]:
    """Detect, then recognise, the text of one page image with one RapidOCR instance."""
    colour: Grey = np.repeat(image.pixels[:, :, None], 3, axis=2)  # the models take three channels
    boxes = _detect(engine, colour)
    if not boxes:
        return []
    crops = engine.get_crop_img_list(colour, boxes)
    results, _ = engine.text_rec(crops, return_word_box=True)
    segments = []
    for box, crop, (text, score, info) in zip(boxes, crops, results, strict=True):
        if score >= MIN_SCORE and text.strip():
            segments.append(_segment(box, crop[:, :, 0], text, float(score), info))
    return segments


def _detect(engine: Any, colour: Grey) -> list[Any]:
    height, width = colour.shape[:2]
    factor = min(1.0, DETECT_SIDE / max(height, width))
    size = (round(width * factor), round(height * factor))
    small = colour if factor == 1.0 else cv2.resize(colour, size, interpolation=cv2.INTER_AREA)
    found, _ = engine.text_det(small)
    if found is None or len(found) == 0:
        return []
    boxes: list[Any] = list(engine.sorted_boxes(found / factor))
    return [box.astype(np.float32) for box in boxes]


def _segment(box: Any, crop: Grey, text: str, score: float, info: list[Any]) -> Segment:
    """The segment's text and extent; its top and bottom are those of its ink, not of the detected box
    (drawn with a margin that takes in bits of the lines above and below)."""
    left, right = float(box[:, 0].min()), float(box[:, 0].max())
    # The box's mean top and bottom edges: a line still sloping a little is as tall as its crop.
    top, bottom = float(box[:2, 1].mean()), float(box[2:, 1].mean())
    chars = _chars(text, crop, info)
    first, last = _ink_rows(crop, chars)
    per_row = (bottom - top) / crop.shape[0]
    return Segment(
        _spaced(chars, crop, max(last - first + 1, 1)),
        score,
        left,
        top + first * per_row,
        right,
        top + (last + 1) * per_row,
        glyph=_glyph_height(crop[first : last + 1], chars) * per_row,
    )


def _glyph_height(band: Grey, chars: list[_Char]) -> float:
    """The ink height of the ideographs in the line's band: the rows that hold at least a fifth of the
    fullest row's ink, over the ideographs' columns. Sparse top and bottom rows (a dot, the tip of a
    stroke, a speck) are left out the same way on every line, so one type size measures alike."""
    half = 0.3 * band.shape[0]
    columns = np.zeros(band.shape[1], dtype=bool)
    centres = [char.centre for char in chars if is_ideograph(char.text)]
    if len(centres) < _MIN_IDEOGRAPHS:
        return 0.0
    for centre in centres:
        columns[max(0, int(centre - half)) : int(centre + half) + 1] = True
    ink = (band[:, columns] < _INK).sum(axis=1)
    if ink.max() <= 0:
        return 0.0
    rows = np.nonzero(ink >= _FULL_ROW_SHARE * ink.max())[0]
    return float(rows[-1] - rows[0] + 1)


@dataclass(frozen=True)
class _Char:
    text: str
    centre: float  # pixel column of its middle in the crop
    confidence: float


def _chars(text: str, crop: Grey, info: list[Any]) -> list[_Char]:
    """The recognised characters with their places, less doubled sentence punctuation (a speck read
    as a mark next to a real one: "，·" "。：" "、、"), of which the less certain goes."""
    columns, _, column_lists, _, confidences = info
    positions = [column for word in column_lists for column in word]
    if len(positions) != len(text) or len(confidences) != len(text) or not columns:
        return [_Char(ch, crop.shape[1] * (i + 0.5) / len(text), 1.0) for i, ch in enumerate(text)]
    step = crop.shape[1] / float(columns)
    chars = [_Char(ch, (col + 0.5) * step, float(p)) for ch, col, p in zip(text, positions, confidences, strict=True)]
    kept: list[_Char] = []
    for char in chars:
        if kept and char.text in _SENTENCE_MARKS and kept[-1].text in _SENTENCE_MARKS:
            if char.confidence <= kept[-1].confidence:
                continue
            kept.pop()
        kept.append(char)
    return kept


def _ink_rows(crop: Grey, chars: list[_Char]) -> tuple[int, int]:
    """First and last row of the text's own band of ink: the run of inked rows with the most ink,
    which the blank rows of line spacing part from neighbouring lines' ink. Measured on the columns
    of ideographs where there are some (they fill the em square; Latin ascenders and descenders
    would make a line of mixed text look set in larger type)."""
    half = 0.3 * crop.shape[0]
    ideographs = [char.centre for char in chars if is_ideograph(char.text)]
    if len(ideographs) >= _MIN_IDEOGRAPHS:
        columns = np.zeros(crop.shape[1], dtype=bool)
        for centre in ideographs:
            columns[max(0, int(centre - half)) : int(centre + half) + 1] = True
        crop = crop[:, columns]
    ink = (crop < _INK).sum(axis=1)
    inked = ink > max(1, round(_BLANK_INK * crop.shape[1] * 0.1))
    best, best_mass, start = (0, crop.shape[0] - 1), -1, None
    for row, flag in enumerate([*inked.tolist(), False]):
        if flag and start is None:
            start = row
        elif not flag and start is not None:
            mass = int(ink[start:row].sum())
            if mass > best_mass:
                best, best_mass = (start, row - 1), mass
            start = None
    return best


def _spaced(chars: list[_Char], crop: Grey, band: int) -> str:
    """The text with a space wherever the image shows one that the
    model left out: between Latin words, and between Chinese and a Latin word or number set apart."""
    if not chars:
        return ""
    blank = (crop < _INK).sum(axis=0) <= max(1, round(_BLANK_INK * crop.shape[0]))
    out = [chars[0].text]
    for before, char in itertools.pairwise(chars):
        share = _space_share(before.text, char.text)
        if share:
            gap = _longest_run(blank[int(before.centre) : int(char.centre) + 1])
            if gap >= share * band:
                out.append(" ")
        out.append(char.text)
    return "".join(out).strip()


def _space_share(before: str, char: str) -> float:
    """How wide a blank between two characters must be, as a share of the text's height, to be a word
    space; 0 where no space can stand (inside a number, a hyphenation or a decimal; next to
    punctuation; between two Chinese characters)."""
    if before.isspace() or char.isspace() or before in _JOINERS or char in _JOINERS:
        return 0.0
    if (before.isdigit() and char.isdigit()) or before in _OPENING or char in _CLOSING:
        return 0.0
    if _chinese_mark(before) or _chinese_mark(char):
        return 0.0
    chinese = is_ideograph(before), is_ideograph(char)
    if all(chinese):
        return 0.0
    return _MIXED_SPACE if any(chinese) else _WORD_SPACE


def _chinese_mark(char: str) -> bool:
    """Chinese punctuation and full-width forms: no space goes next to them."""
    return is_cjk_or_punct(char) and not is_ideograph(char)


def _longest_run(flags: Any) -> int:
    best = run = 0
    for flag in flags.tolist():
        run = run + 1 if flag else 0
        best = max(best, run)
    return best
