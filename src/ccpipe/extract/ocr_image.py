"""Page images for OCR: rendering a PDF page and straightening a skewed scan.

A scan fed in a few tenths of a degree askew drifts by half a line across an A4 page: text lines
slope, and their tops and bottoms (which paragraph building and furniture detection compare) are
wrong at one end. :func:`deskew` finds the angle from the image itself and turns the page straight.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

Grey = npt.NDArray[np.uint8]

# RapidOCR's models work on images up to 2000 px on the long side (larger ones are scaled down
# first): render at that size, so nothing is rendered only to be thrown away (171 dpi for A4) ...
_LONG_SIDE_PX = 2000
# ... but never more than this resolution (a small page) nor less (a huge one: its print is large).
_MAX_DPI = 300.0
_MIN_DPI = 72.0
# Skew angles tried, in degrees either way: scanners and phone captures of a page laid flat stay
# within a few degrees; a page turned further is a rotated page, not a skewed one.
_MAX_SKEW = 3.0
# Angles below this are left alone: resampling blurs the glyphs for no gain in line positions.
_MIN_SKEW = 0.05
# The angle is measured on a copy this wide (enough to resolve 0.05° over a text line's length).
_PROBE_WIDTH = 1000
# Pixels darker than this are ink.
_INK = 128


@dataclass(frozen=True)
class PageImage:
    """A rendered page, with the mapping from its pixels back to PDF points."""

    pixels: Grey
    dpi: float
    left: float
    top: float
    scale: float  # pixels per point
    skew: float = 0.0  # degrees the scan was turned back by (counter-clockwise positive)

    def point_x(self, px: float) -> float:
        return round(self.left + px / self.scale, 2)

    def point_y(self, px: float) -> float:
        return round(self.top + px / self.scale, 2)


def render(pdf_page: Any) -> PageImage:
    """The page as a greyscale image (pdfium via pdfplumber). Not thread-safe: call from one thread."""
    long_side = max(float(pdf_page.width), float(pdf_page.height), 1.0)
    dpi = max(_MIN_DPI, min(_MAX_DPI, _LONG_SIDE_PX * 72 / long_side))
    shown = pdf_page.to_image(resolution=dpi, antialias=True)
    pixels = np.asarray(shown.original.convert("L"), dtype=np.uint8)
    return PageImage(pixels, dpi, float(shown.bbox[0]), float(shown.bbox[1]), float(shown.scale))


def deskew(image: PageImage) -> PageImage:
    """The page turned straight, if its text lines slope (the turned-in corners are white)."""
    angle = skew_angle(image.pixels)
    if abs(angle) < _MIN_SKEW:
        return image
    height, width = image.pixels.shape
    # OpenCV's positive angle turns counter-clockwise on screen, which lifts a line falling to the right.
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    straight = cv2.warpAffine(
        image.pixels, turn, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT, borderValue=255
    )
    return PageImage(
        np.asarray(straight, dtype=np.uint8), image.dpi, image.left, image.top, image.scale, skew=round(angle, 2)
    )


def skew_angle(pixels: Grey) -> float:
    """The slope of the text lines in degrees (positive: they fall to the right, in image coordinates).

    Projection profiles: sheared by the right angle, the ink of each text line falls into few rows,
    so the row histogram is most peaked (largest sum of squares). Coarse steps first, then fine ones
    around the best. A page without ink (or of one dot) has no slope.
    """
    height, width = pixels.shape
    factor = min(1.0, _PROBE_WIDTH / max(width, 1))
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    small = np.asarray(cv2.resize(pixels, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)
    ys, xs = np.nonzero(small < _INK)
    if len(xs) < 100:
        return 0.0
    xs_f = xs.astype(np.float64) - small.shape[1] / 2
    ys_f = ys.astype(np.float64)
    rows = small.shape[0]

    def peakedness(degrees: float) -> float:
        shifted = ys_f - xs_f * np.tan(np.radians(degrees))
        counts = np.bincount(np.clip(np.round(shifted), 0, rows - 1).astype(np.int64), minlength=rows)
        return float(np.dot(counts, counts))

    best = max(np.arange(-_MAX_SKEW, _MAX_SKEW + 1e-9, 0.25), key=peakedness)
    best = max(np.arange(best - 0.25, best + 0.25 + 1e-9, 0.025), key=peakedness)
    return round(float(best), 3)
