"""OCR of a scanned copy of the sample report (benchmarks/make_scan.py: 150 dpi, skewed up to ±0.8°,
blurred, speckled), against the published text; and the page-image steps on their own."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pdfplumber
import pytest
from benchmarks.make_scan import MAX_ANGLE, SEED, make_scan
from PIL import Image

from ccpipe.extract import extract
from ccpipe.extract.accuracy import measure
from ccpipe.extract.ocr_image import render, skew_angle
from ccpipe.models import BlockKind, Document, Extracted
from ccpipe.runs.pipeline import normalize_document

from .conftest import SAMPLE_PDF

HEADER = "全球应对气候变化合作进展评估及相关建议"
CHAPTER = re.compile(r"^[一二三四]、")


@pytest.fixture(scope="session")
def scan_pages_1_to_5(tmp_path_factory: pytest.TempPathFactory) -> Extracted:
    """The cover and four pages of the scanned sample: title, running header, page numbers, two chapter
    headings, a footnote."""
    path = make_scan(SAMPLE_PDF, tmp_path_factory.mktemp("scan") / "sample-pages.pdf", pages=[1, 2, 3, 4, 5])
    return extract(path)


def test_the_scan_recipe_is_deterministic_and_image_only(tmp_path: Path) -> None:
    one = make_scan(SAMPLE_PDF, tmp_path / "one.pdf", pages=[1])
    two = make_scan(SAMPLE_PDF, tmp_path / "two.pdf", pages=[1])
    assert one.read_bytes() == two.read_bytes()
    with pdfplumber.open(one) as pdf:
        assert not pdf.pages[0].chars and pdf.pages[0].images


def test_ocred_pages_carry_engine_confidence_and_skew(scan_pages_1_to_5: Extracted) -> None:
    ocr = scan_pages_1_to_5.source.ocr
    assert [entry.page for entry in ocr] == [1, 2, 3, 4, 5]
    assert all(entry.engine.startswith("rapidocr ") and entry.confidence > 90 for entry in ocr)
    # The recipe turned each page by a random angle within ±0.8°; deskewing found and undid it.
    rng = random.Random(SEED)
    angles = [rng.uniform(-MAX_ANGLE, MAX_ANGLE) for _ in range(5)]  # the recipe's draws, one per page scanned
    assert all(abs(entry.skew + angle) < 0.15 for entry, angle in zip(ocr, angles, strict=True))


def test_ocred_pages_are_built_like_born_digital_ones(scan_pages_1_to_5: Extracted) -> None:
    document = normalize_document(scan_pages_1_to_5)
    headers = [item for item in document.furniture if item.kind == "header"]
    assert len(headers) == 4 and all(item.text == HEADER for item in headers)
    assert document.document.title == HEADER and document.blocks[0].kind == BlockKind.TITLE
    assert not any(HEADER in block.text for block in document.blocks[1:])
    assert any(item.kind == "page_number" for item in document.furniture)
    chapters = [block.text for block in document.blocks if block.kind == BlockKind.HEADING and block.level == 1]
    assert [text[:2] for text in chapters if CHAPTER.match(text)] == ["一、", "二、"]
    text = "\n".join(block.text for block in document.blocks)
    # Latin words keep their spaces, which the Chinese recognition model leaves out.
    assert "Technology Executive Committee" in text and "Climate Technology Centre and Network" in text
    # A paragraph runs on across lines and the page break.
    assert any(
        block.text.startswith("二是发达国家出资承诺尚未兑现") and "资金缺口" in block.text for block in document.blocks
    )


@pytest.mark.slow
def test_the_scanned_sample_reads_within_two_percent_of_the_published_text(tmp_path: Path, reference_text: str) -> None:
    document: Document = normalize_document(extract(make_scan(SAMPLE_PDF, tmp_path / "scan.pdf")))
    accuracy = measure(document, reference_text)
    assert accuracy.cer <= 0.02, accuracy.summary()
    assert accuracy.stray_cjk_spaces == 0
    chapters = [b.text[:2] for b in document.blocks if b.kind == BlockKind.HEADING and CHAPTER.match(b.text)]
    assert chapters == ["一、", "二、", "三、", "四、"]
    assert not any(HEADER in block.text for block in document.blocks if block.kind != BlockKind.TITLE)


@pytest.mark.parametrize("angle", [-0.7, -0.3, 0.45])
def test_the_skew_of_a_turned_page_is_measured(angle: float) -> None:
    with pdfplumber.open(SAMPLE_PDF) as pdf:
        image = render(pdf.pages[2])
    turned = Image.fromarray(image.pixels).rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    assert skew_angle(np.asarray(turned)) == pytest.approx(-angle, abs=0.1)


@pytest.mark.slow
def test_ocr_downloads_nothing(tmp_path: Path) -> None:
    """The models load from the installed package: OCR works in a process without any network."""
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-n", "true"], check=False).returncode:
        pytest.skip("unshare -n (a network namespace) is not available here")
    path = make_scan(SAMPLE_PDF, tmp_path / "page.pdf", pages=[2])
    script = "import sys; from ccpipe.extract import extract; print(extract(sys.argv[1]).source.ocr[0].engine)"
    done = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and done.stdout.startswith("rapidocr "), done.stderr[-2000:]
