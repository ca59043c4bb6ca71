"""OCR of scanned and garbage pages, and extraction under a time limit, on real files.

Garbage text layers are made from real fixtures by renaming their fonts' /ToUnicode key (same length,
so the file stays valid): pdfminer then cannot decode the text while every renderer still draws it.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from ccpipe.errors import (
    EmptySourceError,
    ExtractCrashedError,
    ExtractTimeoutError,
    NoTextLayerError,
    OcrUnavailableError,
    PdfBrokenError,
    PdfEncryptedError,
    SourceError,
)
from ccpipe.extract import extract
from ccpipe.extract.limits import extract_with_limit
from ccpipe.extract.ocr import OcrOptions, ocr_options
from ccpipe.extract.rapid import MODEL_FILES
from ccpipe.extract.textlayer import valid_share
from ccpipe.machine import child_pids
from ccpipe.models import Extracted

from .conftest import SAMPLE_PDF, child_env, shared_file

LIMIT = 60.0
CJK_SPACE_CJK = re.compile(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]")
# What each broken or protected file must end in: an error class, or None for a result with text.
MALFORMED: dict[str, type[SourceError] | None] = {
    "copy-protected.pdf": None,
    "empty-zero-bytes.pdf": EmptySourceError,
    "evil-xobjects-recursion.pdf": None,
    "identity-cmap-rc4-encrypted-no-password.pdf": None,
    "invalid-structure-one-page.pdf": None,
    "malformed-issue932.pdf": None,  # a scanned page with only its date as text: OCRed
    "missing-xref-trailer.pdf": None,
    "non-unicode-cmap-garbled-text.pdf": None,
    "password-protected.pdf": PdfEncryptedError,
    "zen-of-python-corrupted.pdf": None,
}


def text_of(extracted: Extracted) -> str:
    return "\n".join(line.text for page in extracted.pages for line in page.lines)


def without_unicode_maps(name: str, target: Path) -> Path:
    """A copy of a fixture whose fonts lose their Unicode maps (a common cause of garbage text)."""
    data = shared_file("pdf", name).read_bytes()
    assert b"/ToUnicode" in data
    target.write_bytes(data.replace(b"/ToUnicode", b"/ToUnicodX"))
    return target


def test_every_malformed_fixture_is_listed() -> None:
    assert sorted(p.name for p in shared_file("malformed").glob("*.pdf")) == sorted(MALFORMED)


@pytest.mark.parametrize(("name", "error"), MALFORMED.items(), ids=list(MALFORMED))
def test_malformed_pdf_ends_in_text_or_a_specific_error(name: str, error: type[SourceError] | None) -> None:
    path = shared_file("malformed", name)
    # A file that would hang ends in EXTRACT_TIMEOUT at LIMIT, which fails both branches: no timing needed.
    if error is None:
        assert text_of(extract_with_limit(path, seconds=LIMIT)).strip()
    else:
        with pytest.raises(error) as caught:  # the child's error comes back as its own class
            extract_with_limit(path, seconds=LIMIT)
        assert caught.value.code == error.code and name in caught.value.message


def test_the_non_unicode_cmap_file_decodes_correctly_and_is_not_ocred() -> None:
    extracted = extract(shared_file("malformed", "non-unicode-cmap-garbled-text.pdf"))
    assert text_of(extracted) == "Peněžní prostředky na účtech"
    assert extracted.source.ocr == []


def test_a_scan_with_its_date_as_only_text_is_ocred() -> None:
    extracted = extract(shared_file("malformed", "malformed-issue932.pdf"))
    assert [entry.page for entry in extracted.source.ocr] == [1]
    assert "有限公司" in text_of(extracted)


def test_the_time_limit_stops_a_long_extraction() -> None:
    name = "running-headers-quarterly-report.pdf"
    with pytest.raises(ExtractTimeoutError) as caught:
        extract_with_limit(shared_file("pdf", name), seconds=0.05)
    assert "within the 0.05 s limit" in caught.value.message
    assert caught.value.code == "EXTRACT_TIMEOUT"
    assert name in caught.value.message and "limit" in caught.value.advice


def test_running_out_of_memory_is_a_broken_file_not_a_crash() -> None:
    # In a fresh interpreter: a long-lived process has freed memory that a child could reuse under
    # any address-space limit, which would make a tiny limit pass or fail by test order.
    name = "running-headers-quarterly-report.pdf"
    script = (
        "import sys\n"
        "from ccpipe.errors import ExtractCrashedError\n"
        "from ccpipe.extract.limits import extract_with_limit\n"
        "try:\n"
        "    extract_with_limit(sys.argv[1], memory_mb=1)\n"
        "except ExtractCrashedError as exc:\n"
        "    print(exc.message)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(shared_file("pdf", name))],
        capture_output=True,
        text=True,
        timeout=LIMIT,
        env=child_env(),
    )
    assert done.stdout.startswith("EXTRACT_CRASHED: "), done.stdout + done.stderr
    assert name in done.stdout and "out of memory" in done.stdout
    assert issubclass(ExtractCrashedError, PdfBrokenError)


def test_a_child_that_dies_is_a_crash_error_naming_the_file() -> None:
    """The real extraction child is killed as the kernel's out-of-memory killer would."""

    # Processes this one started before (a Prefect server of an earlier test) are not the extraction child.
    before = set(child_pids(os.getpid()))

    def crash_the_child() -> None:
        for _ in range(1000):
            children = [pid for pid in child_pids(os.getpid()) if pid not in before]
            if children:
                os.kill(children[0], signal.SIGKILL)
                return
            time.sleep(0.005)

    name = "running-headers-quarterly-report.pdf"
    threading.Thread(target=crash_the_child, daemon=True).start()
    with pytest.raises(ExtractCrashedError, match=r"SIGKILL \(out of memory\?\)") as caught:
        extract_with_limit(shared_file("pdf", name), seconds=LIMIT)
    assert name in caught.value.message


@pytest.fixture(scope="module")
def scan() -> Extracted:
    # Through the time-limited child: OCR time is added to the limit as pages are planned.
    path = shared_file("pdf", "scanned-no-text-layer.pdf")
    return extract_with_limit(path, seconds=LIMIT, ocr=OcrOptions(page_limit=2))


def test_an_image_only_scan_is_ocred_into_chinese_lines(scan: Extracted) -> None:
    first, second = (page.lines for page in scan.pages[:2])
    text = text_of(scan)
    assert "使用价值" in text and "交换价值" in text
    assert not CJK_SPACE_CJK.search(text)
    assert len(first) > 15 and len(second) > 15
    page = scan.pages[0]
    assert all(0 <= line.x0 < line.x1 <= page.width and 0 <= line.top < line.bottom <= page.height for line in first)
    # Body and footnote lines have one size each, so paragraphs are not cut at every OCR jitter
    # (one line of this book scan prints 9% smaller than its neighbours).
    sizes = Counter(line.size for line in first if len(line.text) > 20).most_common()
    assert len(sizes) >= 2 and sizes[0][1] + sizes[1][1] >= 0.9 * sum(count for _, count in sizes)
    assert sizes[1][0] < 0.85 * sizes[0][0] or sizes[0][0] < 0.85 * sizes[1][0]


def test_ocred_pages_are_recorded_with_engine_and_confidence(scan: Extracted) -> None:
    assert [entry.page for entry in scan.source.ocr] == [1, 2]
    assert all(entry.engine.startswith("rapidocr ") and "PP-OCRv4" in entry.engine for entry in scan.source.ocr)
    assert all(entry.confidence > 80 for entry in scan.source.ocr)
    codes = {(issue.code, issue.page) for issue in scan.issues}
    assert {("EXTRACT_OCR_USED", 1), ("EXTRACT_OCR_USED", 2)} <= codes
    assert {("EXTRACT_OCR_SKIPPED", n) for n in range(3, 9)} <= codes  # the page limit
    assert ("EXTRACT_NO_TEXT_LAYER", 1) not in codes


def test_a_text_layer_of_ascii_symbols_is_replaced_by_ocr(tmp_path: Path) -> None:
    path = without_unicode_maps("polluted-text-layer.pdf", tmp_path / "credits.pdf")
    extracted = extract(path)
    text = text_of(extracted)
    assert [entry.page for entry in extracted.source.ocr] == [1]
    assert "中华人民共和国" in text and '!"#' not in text


def test_a_text_layer_of_cid_placeholders_is_dropped_even_when_not_ocred(tmp_path: Path) -> None:
    path = without_unicode_maps("running-headers-quarterly-report.pdf", tmp_path / "report.pdf")
    with ocr_options(page_limit=1):
        extracted = extract(path)
    assert [entry.page for entry in extracted.source.ocr] == [1]
    assert "(cid:" not in text_of(extracted)
    assert all(not page.lines for page in extracted.pages[1:])
    skipped = {issue.page for issue in extracted.issues if issue.code == "EXTRACT_OCR_SKIPPED"}
    assert skipped == set(range(2, 23))


def test_good_text_layers_are_kept_as_they_are() -> None:
    sample = extract(SAMPLE_PDF)
    assert sample.source.ocr == [] and sample.issues == []
    polluted = extract(shared_file("pdf", "polluted-text-layer.pdf"))
    assert polluted.source.ocr == [] and "中华人民共和国国务院侨务办公室" in text_of(polluted)


def test_a_poor_ocr_layer_is_kept_and_flagged() -> None:
    extracted = extract(shared_file("pdf", "scanned-with-ocr-layer.pdf"))
    assert extracted.source.ocr == []
    assert "20I5" in text_of(extracted)
    flagged = [issue for issue in extracted.issues if issue.code == "EXTRACT_SUSPECT_TEXT_LAYER"]
    assert flagged[0].page == 1 and "ZOq5" in flagged[0].message


def test_without_the_ocr_models_a_scan_is_a_specific_error(tmp_path: Path) -> None:
    name = "scanned-no-text-layer.pdf"
    with ocr_options(models=tmp_path), pytest.raises(OcrUnavailableError) as caught:  # a folder without models
        extract(shared_file("pdf", name))
    assert caught.value.code == "EXTRACT_OCR_UNAVAILABLE"
    assert name in caught.value.message and "ch_PP-OCRv4_rec_infer.onnx" in caught.value.message
    assert "rapidocr-onnxruntime" in caught.value.advice


def test_damaged_ocr_models_are_a_specific_error(tmp_path: Path) -> None:
    for name in MODEL_FILES.values():
        (tmp_path / name).write_bytes(b"not an ONNX model")
    with ocr_options(models=tmp_path), pytest.raises(OcrUnavailableError, match="do not load"):
        extract(shared_file("pdf", "scanned-no-text-layer.pdf"))


def test_without_the_ocr_engine_other_pages_are_kept_and_the_page_is_flagged(tmp_path: Path) -> None:
    with ocr_options(models=tmp_path):
        extracted = extract(shared_file("malformed", "malformed-issue932.pdf"))
    assert text_of(extracted).replace(" ", "") == "2021331"  # its own text layer, as it is
    issues = [issue for issue in extracted.issues if issue.code == "EXTRACT_OCR_UNAVAILABLE"]
    assert [issue.page for issue in issues] == [1] and "rapidocr-onnxruntime" in issues[0].message


def test_with_ocr_turned_off_a_scan_has_no_text_layer() -> None:
    with ocr_options(page_limit=0), pytest.raises(NoTextLayerError, match="scanned-no-text-layer"):
        extract(shared_file("pdf", "scanned-no-text-layer.pdf"))


@pytest.mark.parametrize(
    ("glyphs", "share"),
    [
        (list("应对气候变化是人类共同事业，"), 1.0),
        (list("Peněžníprostředky"), 1.0),
        (["(cid:12)", "(cid:7)", "(cid:7)", "a"], 0.25),
        (["\x01", "\x02", "\ue001", "1"], 0.25),
        (list("≤5μg/L"), 1.0),
    ],
)
def test_valid_share_counts_text_characters(glyphs: list[str], share: float) -> None:
    assert valid_share(glyphs) == pytest.approx(share)
