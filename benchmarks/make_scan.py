"""A scanned copy of a PDF: the recipe behind the OCR benchmark and the OCR tests.

Each page is rendered at 150 dpi in greyscale, rotated by a small random angle (up to ±0.8°), blurred
slightly and sprinkled with speckle (dark dots on the paper, light dots in the ink), then written as an
image-only PDF: no text layer at all, as from an office scanner. Deterministic: a fixed seed gives the
same angles and noise, and the PDF carries fixed dates, so the same input gives the same bytes.

`.venv/bin/python benchmarks/make_scan.py [SOURCE.pdf] [-o OUT.pdf]` (default: the sample report to
/tmp/scanned-sample.pdf).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pdfplumber
from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "source_docs" / "全球应对气候变化合作进展评估及相关建议.pdf"
DPI = 150
MAX_ANGLE = 0.8  # degrees, either way
BLUR_RADIUS = 0.6  # pixels: a slightly soft scan
SPECKLE_SHARE = 0.002  # share of pixels flipped (half dark on the paper, half light in the ink)
SEED = 20231001
_FIXED_DATE = time.struct_time((2023, 10, 1, 0, 0, 0, 6, 274, 0))  # the PDF's dates never change


def scan_page(image: Image.Image, rng: random.Random, noise: np.random.Generator) -> Image.Image:
    """One rendered page made to look scanned."""
    grey = image.convert("L")
    angle = rng.uniform(-MAX_ANGLE, MAX_ANGLE)
    rotated = grey.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    blurred = rotated.filter(ImageFilter.GaussianBlur(BLUR_RADIUS))
    pixels = np.asarray(blurred, dtype=np.uint8).copy()
    flips = noise.random(pixels.shape) < SPECKLE_SHARE
    dark = noise.random(pixels.shape) < 0.5
    pixels[flips & dark] = noise.integers(0, 90, size=int((flips & dark).sum()), dtype=np.uint8)
    pixels[flips & ~dark] = noise.integers(170, 256, size=int((flips & ~dark).sum()), dtype=np.uint8)
    return Image.fromarray(pixels, mode="L")


def make_scan(source: Path, target: Path, seed: int = SEED, pages: Sequence[int] | None = None) -> Path:
    """Write the scanned copy of ``source`` (or of its ``pages``, numbered from 1) to ``target``."""
    rng, noise = random.Random(seed), np.random.default_rng(seed)
    with pdfplumber.open(source) as pdf:
        chosen = [pdf.pages[number - 1] for number in pages] if pages else pdf.pages
        images = [scan_page(page.to_image(resolution=DPI).original, rng, noise) for page in chosen]
    target.parent.mkdir(parents=True, exist_ok=True)
    images[0].save(
        target,
        format="PDF",
        save_all=True,
        append_images=images[1:],
        resolution=DPI,
        title="scanned copy",
        creationDate=_FIXED_DATE,
        modDate=_FIXED_DATE,
    )
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=SAMPLE)
    parser.add_argument("-o", "--output", type=Path, default=Path("/tmp/scanned-sample.pdf"))
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--pages", type=int, nargs="*", help="page numbers to scan (default: all)")
    args = parser.parse_args()
    written = make_scan(args.source, args.output, args.seed, args.pages)
    print(f"{written} ({written.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
