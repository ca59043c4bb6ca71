"""The stages composed: one stage list, run in order by the CLI's batch and, one task each, by the Prefect flow.

A document travels through :data:`STAGES` as a :class:`Work`: each stage is a plain function that takes
the work so far and the run's shared :class:`Resources` and returns the work with its own result added.
:func:`run_stage` is the only way a stage is run (it runs the stage within what is left of the document's
time and memory budget, times it, and turns a failure into a :class:`DocumentFailed` that carries the
document's outcome), so the CLI and the flow cannot drift apart.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from ccpipe import __version__
from ccpipe.atomic import discard_staged
from ccpipe.collector import fewer_collections
from ccpipe.errors import CcpipeError, InternalError
from ccpipe.extract.limits import extract_with_limit
from ccpipe.extract.ocr import OcrOptions
from ccpipe.models import DocIssue, Document, DocumentInfo, Extracted
from ccpipe.runs.budget import within_budget
from ccpipe.runs.options import PublishOptions, SourceOptions
from ccpipe.terms.aliases import tag_with_aliases
from ccpipe.terms.align import align
from ccpipe.terms.compose import Composer
from ccpipe.terms.discover import Discoverer
from ccpipe.terms.glossary import Glossary, glossary_fingerprint, load_glossaries
from ccpipe.terms.tag import Match, Matcher, outermost
from ccpipe.terms.words import WordBoundaries
from ccpipe.text.describe import date_of, document_id, publisher_of
from ccpipe.text.language import label_blocks
from ccpipe.text.normalize import normalize
from ccpipe.text.quantities import quantify_document
from ccpipe.text.segment import Segmenter, Span
from ccpipe.textutil import visible

GENERATOR = f"ccpipe {__version__}"
T = TypeVar("T")


@dataclass
class Resources:
    """What every document of a run shares: the glossary and the tools built from it."""

    glossary: Glossary
    matcher: Matcher
    segmenter: Segmenter
    discoverer: Discoverer

    @classmethod
    def load(cls, glossaries: str | Path | Sequence[str | Path], cache_dir: Path | None = None) -> Resources:
        """Build the run's tools from one glossary location, or several in priority order."""
        locations = [glossaries] if isinstance(glossaries, str | Path) else list(glossaries)
        glossary = load_glossaries(locations, cache_dir)
        segmenter = Segmenter(cache_dir)
        # One jieba tokenizer per run: segmentation cuts with it, tagging asks it where words end.
        matcher = Matcher(glossary, words=WordBoundaries(segmenter.tokenizer))
        discoverer = Discoverer(segmenter.tokenizer, Composer(matcher, segmenter.tokenizer))
        return cls(glossary, matcher, segmenter, discoverer)


_shared: dict[tuple[str, tuple[Path, ...], Path | None], Resources] = {}
_shared_lock = threading.Lock()


def shared_resources(glossaries: Sequence[Path], cache_dir: Path | None = None) -> Resources:
    """The resources for the glossary as it is now, built once per process and glossary version.

    Keyed by the glossary's fingerprint, not its paths: a long-lived process (``ccpipe watch``, a worker)
    builds the next document with the edited glossary, never with the one it loaded first."""
    key = (glossary_fingerprint(glossaries), tuple(glossaries), cache_dir)
    with _shared_lock:  # tasks of one process may ask at once: build once, the others wait
        if key not in _shared:
            _shared.clear()  # an older glossary version is never used again
            with fewer_collections():  # millions of objects, all of them kept
                _shared[key] = Resources.load(glossaries, cache_dir)
        return _shared[key]


@dataclass
class Work:
    """One document between stages: what the stages so far made of it."""

    path: Path
    options: SourceOptions
    # The id the run gave the source (unique among the run's sources); None: from the file name.
    document_id: str | None = None
    extracted: Extracted | None = None
    # The English edition, when the file holds both editions one after the other (see split_stage).
    edition_extracted: Extracted | None = None
    document: Document | None = None
    matches: list[Match] = field(default_factory=list)
    issues: list[DocIssue] = field(default_factory=list)
    # Seconds spent in this document's own stages, and the fingerprint of the glossary they used.
    seconds: float = 0.0
    glossary: str = ""

    @property
    def built(self) -> Document:
        if self.document is None:
            raise RuntimeError(f"{self.path}: no document yet (run the stages in order)")
        return self.document


def extract_stage(work: Work, resources: Resources) -> Work:
    """Extraction in a child process with a time and memory limit, so a hostile file cannot hang a run.

    The limit is the extraction's own (more for pages needing OCR), within what is left of the document's."""
    options = work.options
    ocr = OcrOptions(workers=options.ocr_workers)
    left = options.document_seconds - work.seconds
    extracted = extract_with_limit(
        work.path,
        options.password,
        seconds=min(options.extract_seconds, left),
        max_seconds=left,
        memory_mb=options.memory_mb,
        ocr=ocr,
        page_processes=options.page_processes,
    )
    return replace(work, extracted=extracted)


def split_stage(work: Work, resources: Resources) -> Work:
    """A file holding the Chinese and the English edition one after the other is split at the page where the
    language changes: the stages go on with the Chinese edition, the English one waits for the editions
    stage. A file of one language passes unchanged."""
    from ccpipe.translate.split import split_editions

    if work.extracted is None:
        raise RuntimeError(f"{work.path}: split before extract")
    editions = split_editions(work.extracted)
    if editions is None:
        return work
    return replace(work, extracted=editions[0], edition_extracted=editions[1])


def normalize_stage(work: Work, resources: Resources) -> Work:
    """Blocks, furniture and metadata for one extracted file."""
    if work.extracted is None:
        raise RuntimeError(f"{work.path}: normalize before extract")
    return replace(work, extracted=None, document=normalize_document(work.extracted, work.document_id))


def normalize_document(extracted: Extracted, doc_id: str | None = None) -> Document:
    """The document of an extraction; its file name is shown with control and bidi characters escaped."""
    normalized = normalize(extracted)
    blocks, language = label_blocks(normalized.blocks)
    path = Path(extracted.source.path)
    info = DocumentInfo(
        id=doc_id or document_id(path),
        title=normalized.title,
        publisher=publisher_of(normalized.blocks),
        date=date_of(normalized.blocks),
        source=extracted.source.model_copy(update={"path": visible(path.name)}),
        official=normalized.official,
        language=language,
    )
    issues = [*extracted.issues, *normalized.issues]
    return Document(generator=GENERATOR, document=info, blocks=blocks, furniture=normalized.furniture, issues=issues)


def tag_stage(work: Work, resources: Resources) -> Work:
    """Glossary matches plus the document's own short forms, and the terminology issues found."""
    matches, issues = tag_with_aliases(work.built.blocks, resources.matcher)
    return replace(work, matches=matches, issues=issues)


def segment_stage(work: Work, resources: Resources) -> Work:
    """Sentences and words, every tagged mention kept one token."""
    return replace(work, document=resources.segmenter.segment_document(work.built, mention_spans(work.matches)))


def mention_spans(matches: Iterable[Match]) -> dict[str, list[Span]]:
    """Per block, the spans of the outermost matches (a term inside a longer one is part of its token)."""
    spans: dict[str, list[Span]] = {}
    for match in outermost(matches):
        spans.setdefault(match.block_id, []).append((match.start, match.end))
    return spans


def align_stage(work: Work, resources: Resources) -> Work:
    """Each match as a mention with its English, the entities, and the terminology issues recorded."""
    document = work.built
    mentions, entities = align(work.matches, resources.glossary)
    update = {"mentions": mentions, "entities": entities, "issues": [*document.issues, *work.issues]}
    return replace(work, document=document.model_copy(update=update), matches=[], issues=[])


def quantify_stage(work: Work, resources: Resources) -> Work:
    """Amounts, percentages, years and dates."""
    return replace(work, document=quantify_document(work.built))


def discover_stage(work: Work, resources: Resources) -> Work:
    """New-term candidates the glossary lacks, for review."""
    document = work.built
    return replace(work, document=document.model_copy(update={"candidates": resources.discoverer.candidates(document)}))


StageFunction = Callable[[Work, Resources], Work]
# The one list of the library's stages, in order; publishing follows (see :func:`publish_stage`).
STAGES: tuple[tuple[str, StageFunction], ...] = (
    ("extract", extract_stage),
    ("split", split_stage),
    ("normalize", normalize_stage),
    ("tag", tag_stage),
    ("segment", segment_stage),
    ("align", align_stage),
    ("quantify", quantify_stage),
    ("discover", discover_stage),
)
EDITION_STAGE = "editions"  # paired documents only: see edition_stage
STAGE_NAMES = (*(name for name, _ in STAGES), EDITION_STAGE, "publish")


@dataclass
class Outcome:
    """What happened to one source file in a run."""

    source: Path
    document_id: str | None = None
    outputs: list[Path] = field(default_factory=list)
    error_code: str | None = None
    error: str | None = None
    seconds: float = 0.0
    glossary: str = ""  # fingerprint of the glossary the document was built with ("" if it never got that far)

    @property
    def ok(self) -> bool:
        return self.error_code is None


class DocumentFailed(Exception):
    """A stage failed: the document's outcome, with the error's stable code, for the batch to record."""

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome
        super().__init__(outcome.error)


# Stages that limit themselves: extraction runs in a child of its own, with its own time limit.
SELF_LIMITED = frozenset({"extract"})


def run_stage(name: str, work: Work, resources: Resources) -> Work:
    """Run one stage of :data:`STAGES` on ``work`` within the document's budget; a failure becomes
    :class:`DocumentFailed`."""
    function = dict(STAGES)[name]
    if name in SELF_LIMITED:
        return _timed(work, resources, lambda: function(work, resources))
    return _timed(work, resources, lambda: _within_budget(name, work, lambda: function(work, resources)))


def _within_budget(name: str, work: Work, step: Callable[[], T]) -> T:
    options = work.options
    return within_budget(
        name, work.path, step, spent=work.seconds, seconds=options.document_seconds, memory_mb=options.memory_mb
    )


def _timed(work: Work, resources: Resources, step: Callable[[], Work]) -> Work:
    started = time.monotonic()
    try:
        done = step()
    except Exception as exc:
        raise DocumentFailed(failed_outcome(work.path, exc, work.seconds + time.monotonic() - started)) from exc
    return replace(done, seconds=work.seconds + time.monotonic() - started, glossary=resources.glossary.fingerprint)


def failed_outcome(path: Path, exc: BaseException, seconds: float = 0.0) -> Outcome:
    """A stopping error as an outcome: its stable code, or INTERNAL_ERROR for a bug or an unforeseen file."""
    if not isinstance(exc, CcpipeError):
        exc = InternalError(path, f"{type(exc).__name__}: {exc}")
    return Outcome(source=path, error_code=exc.code, error=exc.message, seconds=seconds)


def remember_official_edition(document: Document, memory: Path) -> int:
    """Put an aligned document's sure pairs into the translation memory (next year's report starts with them)."""
    from ccpipe.translate.memory import open_memory
    from ccpipe.translate.roundtrip import official_pairs

    with open_memory(memory) as tm:
        return tm.add(official_pairs(document))


def publish_stage(work: Work, options: PublishOptions) -> Outcome:
    """Write the document's outputs, as one set, within the document's budget; a failure becomes
    :class:`DocumentFailed` (a failed write an OutputError with its own code, kept as its cause)."""
    # Publishing pulls in WeasyPrint and pandoc: load them only when used, but here, before the fork, so that
    # each document's publishing child finds them loaded.
    from ccpipe.publish.writer import prepare

    document = work.built
    started = time.monotonic()
    folder = options.output_dir / document.document.id
    try:
        try:
            prepare(options.formats)
            outputs = _within_budget("publish", work, lambda: _publish(document, folder, options))
        except BaseException:
            discard_staged(folder)  # what a publishing child stopped half-way left
            raise
    except Exception as exc:
        raise DocumentFailed(failed_outcome(work.path, exc, work.seconds + time.monotonic() - started)) from exc
    seconds = work.seconds + time.monotonic() - started
    return Outcome(work.path, document.document.id, outputs, seconds=seconds, glossary=work.glossary)


def edition_stage(work: Work, resources: Resources, edition: Path | None = None) -> Work:
    """The document aligned with its other-language edition: the file ``edition``, or the second half of
    its own file (see :func:`split_stage`), built here with the same stages. Only paired documents run this
    stage, after :data:`STAGES`. An edition that cannot be built leaves the document unaligned, with an
    ``ALIGN_EDITION_FAILED`` issue."""
    from ccpipe.translate.align import align_pair, with_alignment
    from ccpipe.translate.terms import with_term_report

    document = work.built
    try:
        other = _edition_document(work, resources, edition)
    except CcpipeError as exc:
        name = edition.name if edition else work.path.name
        issue = DocIssue(code="ALIGN_EDITION_FAILED", message=f"{name}: {exc.code}: {exc.message}")
        return replace(work, document=document.model_copy(update={"issues": [*document.issues, issue]}))
    aligned = with_alignment(document, align_pair(document, other, resources.glossary))
    return replace(work, document=with_term_report(aligned, resources.glossary))


def _edition_document(work: Work, resources: Resources, edition: Path | None) -> Document:
    if edition is not None:
        return build_document(edition, resources, work.options)
    other = Work(work.path, work.options, extracted=work.edition_extracted)
    for name, function in STAGES:
        if name not in ("extract", "split"):
            other = function(other, resources)
    return other.built


def has_edition(work: Work, edition: Path | None) -> bool:
    """Whether the document has an edition to be aligned with (a paired file, or half of its own file)."""
    return edition is not None or work.edition_extracted is not None


def run_edition_stage(work: Work, resources: Resources, edition: Path | None = None) -> Work:
    """:func:`edition_stage`, within the document's budget, timed and failing like every stage (see
    :func:`run_stage`)."""

    def aligned() -> Work:
        return edition_stage(work, resources, edition)

    return _timed(work, resources, lambda: _within_budget(EDITION_STAGE, work, aligned))


def _publish(document: Document, folder: Path, options: PublishOptions) -> list[Path]:
    from ccpipe.publish.writer import publish

    outputs = publish(document, folder, options.formats, options.languages, options.catalog_dirs)
    if document.alignment is not None and options.memory is not None:
        remember_official_edition(document, options.memory)
    return outputs


StageHook = Callable[[str], None]


def _no_hook(stage: str) -> None:
    """The default stage hook: nothing to report to."""


def build_work(
    path: Path,
    resources: Resources,
    options: SourceOptions,
    on_stage: StageHook = _no_hook,
    document_id: str | None = None,
) -> Work:
    """Every library stage but publishing, in order; ``on_stage`` hears each stage's name as it starts."""
    work = Work(path, options, document_id)
    for name, _ in STAGES:
        on_stage(name)
        work = run_stage(name, work, resources)
    return work


def build_document(
    path: Path, resources: Resources, options: SourceOptions | None = None, on_stage: StageHook = _no_hook
) -> Document:
    """The document of ``path`` after every stage but publishing (raises what the failing stage raised)."""
    try:
        return build_work(path, resources, options or default_source_options(), on_stage).built
    except DocumentFailed as failed:
        raise failed.__cause__ or failed from None


def default_source_options() -> SourceOptions:
    """The source options of the default settings (for library callers and tests)."""
    from ccpipe.runs.config import Settings

    return Settings().source_options()


def process_file(
    path: Path,
    resources: Resources,
    source: SourceOptions,
    publishing: PublishOptions,
    on_stage: StageHook = _no_hook,
    edition: Path | None = None,
    document_id: str | None = None,
) -> Outcome:
    """Build and publish one document, aligned with its English ``edition`` when it has one; a stopping error
    becomes a failed :class:`Outcome`, never an exception."""
    try:
        work = build_work(path, resources, source, on_stage, document_id)
        if has_edition(work, edition):
            on_stage(EDITION_STAGE)
            work = run_edition_stage(work, resources, edition)
        on_stage("publish")
        return publish_stage(work, publishing)
    except DocumentFailed as failed:
        return failed.outcome
