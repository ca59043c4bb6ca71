"""Exceptions for what stops a document, each with a stable code and advice for the user.

What merely degrades a document is recorded as a :class:`ccpipe.models.DocIssue` instead.
"""

from __future__ import annotations

import errno
from pathlib import Path

from ccpipe.textutil import visible


class CcpipeError(Exception):
    """Base class: ``code`` is stable, ``str(err)`` names the file and what to do."""

    code = "CCPIPE_ERROR"
    advice = ""

    def __init__(self, path: str | Path | None, detail: str, advice: str | None = None) -> None:
        # Shown to people and written to reports: control, bidi and undecodable characters escaped.
        self.path = visible(str(path)) if path is not None else None
        self.detail = detail
        self.advice = advice if advice is not None else type(self).advice
        super().__init__(self.message)

    def __reduce__(self) -> tuple[type[CcpipeError], tuple[str | None, str, str]]:
        # Errors cross a process boundary (the extraction child of ccpipe.extract.limits): rebuild them
        # from their parts, not from the formatted message that Exception would pickle.
        return type(self), (self.path, self.detail, self.advice)

    @property
    def message(self) -> str:
        where = f"{self.path}: " if self.path else ""
        tail = f"; {self.advice}" if self.advice else ""
        return f"{self.code}: {where}{self.detail}{tail}"


class InternalError(CcpipeError):
    """A bug, or a file nobody foresaw: reported for the one document it happened to."""

    code = "INTERNAL_ERROR"
    advice = "please report this with the file"


class SourceError(CcpipeError):
    """The input file cannot be turned into a document."""

    code = "SOURCE_ERROR"


class EmptySourceError(SourceError):
    code = "SOURCE_EMPTY"
    advice = "the file is empty; check that it was copied completely and drop it in again"


class UnsupportedFormatError(SourceError):
    code = "SOURCE_UNSUPPORTED"
    advice = "supported inputs are .pdf, .docx, .html/.htm, .md and .txt; convert the file to one of them"


class PdfEncryptedError(SourceError):
    code = "PDF_ENCRYPTED"
    advice = "decrypt it (e.g. qpdf --decrypt) or give the password with --password"


class PdfBrokenError(SourceError):
    code = "PDF_BROKEN"
    advice = "the file is damaged; ask the sender for a new copy or repair it (e.g. qpdf, mutool clean)"


class DocxBrokenError(SourceError):
    code = "DOCX_BROKEN"
    advice = (
        "the file is not a readable Word document (damaged, or an old .doc renamed); "
        "open it in Word or LibreOffice and save it again as .docx"
    )


class NoTextLayerError(SourceError):
    code = "EXTRACT_NO_TEXT_LAYER"
    advice = "the PDF has no extractable text (a scan?); OCR it first, e.g. with ocrmypdf"


class OcrUnavailableError(SourceError):
    code = "EXTRACT_OCR_UNAVAILABLE"
    advice = "install the OCR engine: the Python package rapidocr-onnxruntime (`make run` installs it with ccpipe)"


class ExtractTimeoutError(SourceError):
    code = "EXTRACT_TIMEOUT"
    advice = (
        "the file may be damaged or built to hang readers: check or repair it (a PDF with qpdf or mutool clean); "
        "if it is just very long, raise the time limit (--extract-timeout)"
    )


class ExtractCrashedError(PdfBrokenError):
    """Reading the file killed the extraction process (a crash in a native library, or out of memory)."""

    code = "EXTRACT_CRASHED"
    advice = (
        "the file is damaged or too large to read safely: repair it (e.g. qpdf, mutool clean) "
        "or ask the sender for a new copy"
    )


class SourceTooDeepError(SourceError):
    code = "SOURCE_TOO_DEEP"
    advice = "the file nests its elements thousands of levels deep (made to crash readers?); save a flatter copy"


class SourceNotRegularError(SourceError):
    code = "SOURCE_NOT_REGULAR"
    advice = "only regular files are read (not FIFOs, devices or sockets); copy the content into a file"


class SourceOutsideError(SourceError):
    code = "SOURCE_OUTSIDE_FOLDER"
    advice = (
        "a symbolic link in the source folder points outside it and is not followed; copy the file in, "
        "or set follow_symlinks = true in ccpipe.toml if links out of the folder are intended"
    )


class SourceUnreadableError(SourceError):
    code = "SOURCE_UNREADABLE"
    advice = "check that the file exists and that ccpipe may read it"


class ZipBombError(DocxBrokenError):
    """A .docx whose compressed parts expand to far more than any real document (a decompression bomb)."""

    code = "SOURCE_ZIP_BOMB"
    advice = "the file expands to an unreasonable size when unpacked (a zip bomb); it is not read"


class TextDecodingError(SourceError):
    code = "TEXT_UNDECODABLE"
    advice = "save the file as UTF-8 and drop it in again"


class DocumentLimitError(CcpipeError):
    """A document exceeded its time or memory budget, or a stage died on it; the batch goes on."""

    code = "DOCUMENT_LIMIT"


class DocumentTimeoutError(DocumentLimitError):
    code = "DOCUMENT_TIMEOUT"
    advice = (
        "the document may be built to hang the pipeline; if it is just very large, raise document_timeout "
        "(ccpipe.toml, CCPIPE_DOCUMENT_TIMEOUT)"
    )


class DocumentOutOfMemoryError(DocumentLimitError):
    code = "DOCUMENT_OUT_OF_MEMORY"
    advice = (
        "the document needs more memory than its budget; if it is just very large, raise document_memory_mb "
        "(ccpipe.toml, CCPIPE_DOCUMENT_MEMORY_MB)"
    )


class DocumentCrashedError(DocumentLimitError):
    code = "DOCUMENT_CRASHED"
    advice = "a library crashed on this document; please report this with the file"


class OutputError(CcpipeError):
    """Writing the outputs failed; the document keeps its previous outputs (all old, never a mix)."""

    code = "OUTPUT_WRITE_FAILED"
    advice = "check the disk holding the output folder, then run again"


class OutputNoSpaceError(OutputError):
    code = "OUTPUT_NO_SPACE"
    advice = (
        "the disk holding the output folder is full: free some space (or point output_dir elsewhere) and run "
        "again; documents that were not written are built then"
    )


class OutputNotWritableError(OutputError):
    code = "OUTPUT_NOT_WRITABLE"
    advice = (
        "ccpipe may not write the output folder (a read-only file system, or no permission): make it writable "
        "or point output_dir (--output, CCPIPE_OUTPUT_DIR) elsewhere"
    )


_NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})
_NOT_WRITABLE = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})


def output_error(exc: OSError, path: str | Path | None = None) -> OutputError:
    """The output error for a failed write: no space, not writable, or another file-system failure."""
    where = path if path is not None else exc.filename
    reason = exc.strerror or type(exc).__name__
    if exc.errno in _NO_SPACE:
        return OutputNoSpaceError(where, f"writing the outputs failed: {reason}")
    if exc.errno in _NOT_WRITABLE:
        return OutputNotWritableError(where, f"writing the outputs failed: {reason}")
    return OutputError(where, f"writing the outputs failed: {reason}")


class GlossaryError(CcpipeError):
    """The glossary cannot be loaded; nothing is processed with a broken glossary."""

    code = "GLOSSARY_INVALID"
    advice = "fix the entry in the glossary file and run again"


class GlossaryNotFoundError(GlossaryError):
    """A glossary named in the settings or on the command line does not exist."""

    code = "GLOSSARY_NOT_FOUND"
    advice = (
        "check the path in the glossaries setting, CCPIPE_GLOSSARIES or --glossary; without any, ccpipe uses "
        "./glossary if present, else the glossary shipped with it"
    )


class ConfigError(CcpipeError):
    """A setting that cannot be used: the run stops before any document is touched."""

    code = "CONFIG_INVALID"
    advice = "fix the key in ccpipe.toml, the CCPIPE_* environment variable or the command-line flag"


class LanguageError(ConfigError):
    """A brief language without a label catalog or a Babel locale."""

    code = "BRIEF_LANGUAGE_UNKNOWN"
    advice = (
        "create its catalog with pybabel init (README, 'Translations of labels'), add its folder to the "
        "locale_dirs setting, or remove it from brief_languages"
    )


class ContractError(CcpipeError):
    """A document that breaks the JSON contract (schema or offset invariants): a bug, or a hand-edited file."""

    code = "CONTRACT_VIOLATION"
    advice = "regenerate it with ccpipe run; if ccpipe wrote it, please report this with the source file"


class MachineEngineUnavailableError(ConfigError):
    """The local machine-translation engine is asked for but its packages are not installed."""

    code = "MT_ENGINE_UNAVAILABLE"
    advice = (
        "install CTranslate2 and SentencePiece into ccpipe's environment (.venv/bin/pip install ctranslate2==4.8.5 "
        "sentencepiece==0.2.3), or use an HTTP engine (--engine openai|libretranslate|deepl)"
    )


class MachineModelError(ConfigError):
    """The folder given as the local machine-translation model holds no usable model."""

    code = "MT_MODEL_INVALID"
    advice = (
        "point mt_model_dir (or --model-dir) at an Argos Translate package folder (model/ and sentencepiece.model) "
        "or a converted CTranslate2 model with its SentencePiece model"
    )
