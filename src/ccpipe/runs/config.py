"""The one configuration: ``ccpipe.toml``, overridden by ``CCPIPE_*`` environment variables, overridden by flags.

:class:`Settings` holds every setting with its default; what the run machinery, the stages and the flows
need (:class:`~ccpipe.runs.runner.RunConfig`, source and publish options, watch options) is derived from it
and has no defaults of its own. Invalid configuration fails at start with a message naming the key, before
any document is touched.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

# Defaults come from modules of plain constants: importing the settings must not load the stages.
from ccpipe.errors import ConfigError, GlossaryNotFoundError
from ccpipe.extract.defaults import EXTRACT_SECONDS, OCR_WORKERS
from ccpipe.machine import available_cores
from ccpipe.publish.formats import DEFAULT_LANGUAGES, FORMATS
from ccpipe.runs.budget import DOCUMENT_MEMORY_MB, DOCUMENT_SECONDS
from ccpipe.runs.notify import SmtpSettings
from ccpipe.runs.options import PublishOptions, SourceOptions

if TYPE_CHECKING:
    from ccpipe.runs.options import PublishOptions, SourceOptions
    from ccpipe.runs.runner import RunConfig

CONFIG_FILE = Path("ccpipe.toml")
# The glossary folder of a project checkout; outside one, the glossary shipped inside the package.
PROJECT_GLOSSARY = Path("glossary")


def shipped_glossary() -> Path:
    """The curated glossary that ships inside the package (the project's glossary/ folder, installed)."""
    return Path(str(resources.files("ccpipe").joinpath("glossary")))


def _default_glossaries() -> list[Path]:
    return [PROJECT_GLOSSARY if PROJECT_GLOSSARY.is_dir() else shipped_glossary()]


def _comma_list(value: Any) -> Any:
    """CCPIPE_FORMATS=json,html and ["json", "html"] alike (an environment variable is one string)."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


CommaList = Annotated[list[str], NoDecode]
LIST_SETTINGS = ("glossaries", "formats", "brief_languages", "locale_dirs", "recipients")
PathList = Annotated[list[Path], NoDecode]


class Settings(BaseSettings):
    """Every setting of a run, with its default: the only place defaults are written."""

    model_config = SettingsConfigDict(env_prefix="CCPIPE_", env_nested_delimiter="__", extra="forbid")

    source_dir: Path = Path("source_docs")
    output_dir: Path = Path("output")
    # Highest priority first: the curated glossary, then supplementary ones (e.g. an UNBIS import).
    glossaries: PathList = Field(default_factory=_default_glossaries)
    cache_dir: Path = Path(".cache")
    formats: CommaList = Field(default_factory=lambda: list(FORMATS))
    # The brief's languages (Babel ids), the document's own first; label catalogs beyond the package's.
    brief_languages: CommaList = Field(default_factory=lambda: list(DEFAULT_LANGUAGES))
    locale_dirs: PathList = Field(default_factory=list)
    password: str | None = None
    extract_timeout: float = Field(default=EXTRACT_SECONDS, gt=0)
    # Every document's budget over all its stages, publishing included: sized for two documents at a time on
    # a 2-core, 24 GB machine (the 14-page sample with every format needs ~30 s and ~0.4 GB; a 50-page
    # scan ~6 min of OCR). Past it the document fails with DOCUMENT_TIMEOUT or DOCUMENT_OUT_OF_MEMORY and
    # the batch goes on.
    document_timeout: float = Field(default=DOCUMENT_SECONDS, gt=0)
    document_memory_mb: int = Field(default=DOCUMENT_MEMORY_MB, ge=256)
    # Symbolic links in the source folder are followed only to files inside it, unless this is true.
    follow_symlinks: bool = False
    ocr_workers: int = Field(default=OCR_WORKERS, ge=1)
    # Documents built at once: worker processes of `ccpipe run`, the flow's task runner (default: the cores).
    workers: int = Field(default_factory=available_cores, ge=1)
    # Scale-out (flows only): a Dask scheduler address, or "local" for a local cluster of `workers` processes.
    dask_address: str | None = None
    schedule: str = "0 6 * * *"
    # Drop-in runs: seconds a new file must stay unchanged, and how long to wait for a PDF's %%EOF.
    watch_debounce: float = Field(default=1.5, ge=0)
    watch_pdf_grace: float = Field(default=30.0, ge=0)
    catalogue: bool = True
    base_url: str | None = None
    # E-mail new and updated briefs after a run (optional): [smtp] host, port, sender, … and recipients.
    smtp: SmtpSettings | None = None
    recipients: CommaList = Field(default_factory=list)
    # Editions of one document: [[Chinese, English], …] paths, beside the pairs recognised by file name.
    pairs: list[tuple[Path, Path]] = Field(default_factory=list)
    # The translation memory (SQLite); default: memory.sqlite in the output folder.
    memory: Path | None = None
    # A local machine-translation model (CTranslate2/Argos folder) for `ccpipe translate machine --engine
    # ctranslate2`; never downloaded, never used unless asked for.
    mt_model_dir: Path | None = None

    _split_lists = field_validator(
        "glossaries", "formats", "brief_languages", "locale_dirs", "recipients", mode="before"
    )(_comma_list)

    @field_validator("formats")
    @classmethod
    def _known_formats(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(FORMATS))
        if unknown:
            raise ValueError(f"unknown output formats {unknown}; choose from {list(FORMATS)}")
        return value

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str) -> str:
        if len(value.split()) != 5:
            raise ValueError("a cron schedule has five fields, e.g. '0 6 * * *'")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Flags (init) beat the environment, which beats the file (model_config["toml_file"]).
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls)

    def memory_path(self) -> Path:
        return self.memory or self.output_dir / "memory.sqlite"

    def source_options(self) -> SourceOptions:
        return SourceOptions(
            self.password, self.extract_timeout, self.ocr_workers, self.document_timeout, self.document_memory_mb
        )

    def publish_options(self) -> PublishOptions:
        return PublishOptions(
            self.output_dir,
            tuple(self.formats),
            tuple(self.brief_languages),
            tuple(self.locale_dirs),
            self.memory_path(),
        )

    def run_config(self, sources: list[Path] | None = None, *, prune: bool = False) -> RunConfig:
        """The run configuration for these settings (sources default to ``source_dir``)."""
        from ccpipe.runs.runner import RunConfig

        return RunConfig(
            sources=tuple(sources or [self.source_dir]),
            glossaries=tuple(self.glossaries),
            cache_dir=self.cache_dir,
            source=self.source_options(),
            publishing=self.publish_options(),
            prune=prune,
            follow_symlinks=self.follow_symlinks,
            catalogue=self.catalogue,
            base_url=self.base_url,
            smtp=self.smtp,
            recipients=tuple(self.recipients),
            pairs=tuple(self.pairs),
            workers=self.workers,
        )


def load_settings(config_file: Path | None = None, **flags: Any) -> Settings:
    """Settings from the file (default ./ccpipe.toml if present), the environment and the given flags.

    Flags that are None are not given. The glossaries and the brief languages are checked here, so a
    wrong one stops the run before any document is read."""
    path = config_file or CONFIG_FILE
    if config_file is not None and not config_file.is_file():
        raise ConfigError(config_file, "the configuration file does not exist")
    # A subclass per file: pydantic-settings reads the TOML path from the class configuration.
    from_file = type("Settings", (Settings,), {"model_config": {**Settings.model_config, "toml_file": path}})
    given = {key: value for key, value in flags.items() if value is not None}
    try:
        settings: Settings = from_file(**given)
    except ValidationError as exc:
        raise _blamed(exc, given, path) from exc
    except ValueError as exc:  # a TOML syntax error
        raise ConfigError(path, f"not valid TOML ({exc})") from exc
    check_settings(settings)
    return settings


# Settings whose command-line flag is not the setting's name.
_FLAGS = {"output_dir": "--output", "source_dir": "--source", "glossaries": "--glossary", "dask_address": "--dask",
          "watch_debounce": "--debounce"}  # fmt: skip


def _blamed(exc: ValidationError, flags: dict[str, Any], path: Path) -> ConfigError:
    """The error naming where the bad value came from: the flag, the environment variable, or the file."""
    first = exc.errors()[0]
    key = str(first["loc"][0]) if first["loc"] else ""
    problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors())
    variable = f"CCPIPE_{key.upper()}"
    if key in flags:
        flag = _FLAGS.get(key, f"--{key.replace('_', '-')}")
        return ConfigError(None, f"{flag}: {problems}", advice=f"fix the value given with {flag}")
    if variable in os.environ or any(name.startswith(variable + "__") for name in os.environ):
        return ConfigError(None, f"{variable}: {problems}", advice=f"fix the environment variable {variable}")
    return ConfigError(path, problems, advice=f"fix the key in {path}")


def check_settings(settings: Settings) -> None:
    """What validation of single fields cannot see: files that must exist, catalogs that must load."""
    from ccpipe.publish.i18n import languages

    for glossary in settings.glossaries:
        if not glossary.exists():
            raise GlossaryNotFoundError(glossary, "the glossary does not exist")
    languages(settings.brief_languages, settings.locale_dirs)
