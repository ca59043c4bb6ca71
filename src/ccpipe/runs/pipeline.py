"""The stages composed: one function per stage over the document model, and a whole-file runner.

The CLI calls :func:`process_file`; the Prefect flow calls the stage functions one task each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ccpipe import __version__
from ccpipe.errors import CcpipeError
from ccpipe.extract.limits import EXTRACT_SECONDS, extract_with_limit
from ccpipe.models import DocIssue, Document, DocumentInfo, Extracted
from ccpipe.terms.aliases import tag_with_aliases
from ccpipe.terms.align import align
from ccpipe.terms.discover import Discoverer
from ccpipe.terms.glossary import Glossary, load_glossaries
from ccpipe.terms.tag import Match, Matcher
from ccpipe.text.describe import date_of, document_id, publisher_of, title_of
from ccpipe.text.normalize import normalize
from ccpipe.text.quantities import quantify_document
from ccpipe.text.segment import Segmenter

GENERATOR = f"ccpipe {__version__}"


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
        glossary = load_glossaries(locations)
        matcher = Matcher(glossary)  # one automaton per run, shared by segmentation and tagging
        segmenter = Segmenter(glossary, cache_dir, matcher)
        return cls(glossary, matcher, segmenter, Discoverer(segmenter.tokenizer))


@dataclass(frozen=True)
class SourceOptions:
    """How to read sources: a password for encrypted PDFs and the per-document time limit."""

    password: str | None = None
    extract_seconds: float = EXTRACT_SECONDS


DEFAULT_SOURCE_OPTIONS = SourceOptions()


def extract_source(path: Path, options: SourceOptions = DEFAULT_SOURCE_OPTIONS) -> Extracted:
    """Extraction in a child process with a time and memory limit, so a hostile file cannot hang a run."""
    return extract_with_limit(path, options.password, seconds=options.extract_seconds)


def normalize_document(extracted: Extracted) -> Document:
    """Blocks, furniture and metadata for one extracted file."""
    blocks, furniture, issues = normalize(extracted)
    path = Path(extracted.source.path)
    info = DocumentInfo(
        id=document_id(path),
        title=title_of(blocks, extracted.metadata_title, path.stem),
        publisher=publisher_of(blocks),
        date=date_of(blocks),
        source=extracted.source.model_copy(update={"path": path.name}),
    )
    return Document(
        generator=GENERATOR,
        document=info,
        blocks=blocks,
        furniture=furniture,
        issues=[*extracted.issues, *issues],
    )


def segment_document(document: Document, segmenter: Segmenter) -> Document:
    return segmenter.segment_document(document)


def tag_document(document: Document, matcher: Matcher) -> tuple[list[Match], list[DocIssue]]:
    """Glossary matches plus the document's own short forms, and the terminology issues found."""
    return tag_with_aliases(document.blocks, matcher)


def align_document(
    document: Document, matches: list[Match], glossary: Glossary, issues: list[DocIssue] | None = None
) -> Document:
    mentions, entities = align(matches, glossary)
    update = {"mentions": mentions, "entities": entities, "issues": [*document.issues, *(issues or [])]}
    return document.model_copy(update=update)


def discover_document(document: Document, discoverer: Discoverer) -> Document:
    """New-term candidates the glossary lacks, for review."""
    return document.model_copy(update={"candidates": discoverer.candidates(document)})


StageHook = Callable[[str], None]


def _no_hook(stage: str) -> None:
    """The default stage hook: nothing to report to."""


def build_document(
    path: Path, resources: Resources, options: SourceOptions = DEFAULT_SOURCE_OPTIONS, on_stage: StageHook = _no_hook
) -> Document:
    """Every library stage but publishing, in order; ``on_stage`` hears the name of each stage as it starts."""
    on_stage("extract")
    extracted = extract_source(path, options)
    on_stage("normalize")
    document = normalize_document(extracted)
    on_stage("segment")
    document = segment_document(document, resources.segmenter)
    on_stage("tag")
    matches, issues = tag_document(document, resources.matcher)
    on_stage("align")
    document = quantify_document(align_document(document, matches, resources.glossary, issues))
    on_stage("discover")
    return discover_document(document, resources.discoverer)


@dataclass
class Outcome:
    """What happened to one source file in a run."""

    source: Path
    document_id: str | None = None
    outputs: list[Path] = field(default_factory=list)
    error_code: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error_code is None


def guarded(path: Path, work: Callable[[], tuple[str, list[Path]]]) -> Outcome:
    """Run ``work`` (returning document id and outputs) for one file; any error becomes a failed outcome."""
    try:
        document_id, outputs = work()
    except CcpipeError as exc:
        return Outcome(source=path, error_code=exc.code, error=exc.message)
    except Exception as exc:  # a bug or an unforeseen file must not stop the batch
        message = f"INTERNAL_ERROR: {path}: {type(exc).__name__}: {exc}; please report this with the file"
        return Outcome(source=path, error_code="INTERNAL_ERROR", error=message)
    return Outcome(source=path, document_id=document_id, outputs=outputs)


def process_file(
    path: Path,
    resources: Resources,
    output_dir: Path,
    formats: tuple[str, ...],
    options: SourceOptions = DEFAULT_SOURCE_OPTIONS,
    on_stage: StageHook = _no_hook,
) -> Outcome:
    """Build and publish one document; a stopping error becomes a failed :class:`Outcome`."""
    from ccpipe.publish.writer import publish  # publishing pulls in WeasyPrint: load it only when used

    def work() -> tuple[str, list[Path]]:
        document = build_document(path, resources, options, on_stage)
        on_stage("publish")
        return document.document.id, publish(document, output_dir / document.document.id, formats)

    return guarded(path, work)
