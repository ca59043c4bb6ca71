"""Configuration: ``ccpipe.toml``, overridden by ``CCPIPE_*`` environment variables, overridden by CLI flags.

Invalid configuration fails at start with a message naming the key, before any document is touched.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from ccpipe.errors import CcpipeError
from ccpipe.publish.writer import FORMATS
from ccpipe.runs.notify import SmtpSettings

if TYPE_CHECKING:
    from ccpipe.runs.runner import RunConfig

CONFIG_FILE = Path("ccpipe.toml")


class ConfigError(CcpipeError):
    code = "CONFIG_INVALID"
    advice = "fix the key in ccpipe.toml, the CCPIPE_* environment variable or the command-line flag"


class Settings(BaseSettings):
    """Every setting of a run, with its default."""

    model_config = SettingsConfigDict(env_prefix="CCPIPE_", env_nested_delimiter="__", extra="forbid")

    source_dir: Path = Path("source_docs")
    output_dir: Path = Path("output")
    # Highest priority first: the curated glossary, then supplementary ones (e.g. an UNBIS import).
    glossaries: list[Path] = Field(default_factory=lambda: [Path("glossary")])
    formats: list[str] = Field(default_factory=lambda: list(FORMATS))
    schedule: str = "0 6 * * *"
    extract_timeout: float = Field(default=120.0, gt=0)
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    base_url: str | None = None
    # E-mail new and updated briefs after a run (optional): [smtp] host, port, sender, … and recipients.
    smtp: SmtpSettings | None = None
    recipients: list[str] = Field(default_factory=list)

    def run_config(self, sources: list[Path] | None = None, *, prune: bool = False) -> RunConfig:
        """The library's run configuration for these settings (sources default to ``source_dir``)."""
        from ccpipe.runs.runner import RunConfig

        return RunConfig(
            sources=tuple(sources or [self.source_dir]),
            output_dir=self.output_dir,
            glossaries=tuple(self.glossaries),
            formats=tuple(self.formats),
            extract_seconds=self.extract_timeout,
            prune=prune,
            base_url=self.base_url,
            smtp=self.smtp,
            recipients=tuple(self.recipients),
        )

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


def load_settings(config_file: Path | None = None, **flags: Any) -> Settings:
    """Settings from the file (default ./ccpipe.toml if present), the environment and the given flags."""
    path = config_file or CONFIG_FILE
    if config_file is not None and not config_file.is_file():
        raise ConfigError(config_file, "the configuration file does not exist")
    # A subclass per file: pydantic-settings reads the TOML path from the class configuration.
    from_file = type("Settings", (Settings,), {"model_config": {**Settings.model_config, "toml_file": path}})
    try:
        settings: Settings = from_file(**{key: value for key, value in flags.items() if value is not None})
        return settings
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors())
        raise ConfigError(path, problems) from exc
    except ValueError as exc:  # a TOML syntax error
        raise ConfigError(path, f"not valid TOML ({exc})") from exc
