"""Glossary entries as YAML in the curated files' layout (the inverse of the loader)."""

from __future__ import annotations

from collections.abc import Iterable

import yaml

from ccpipe.terms.glossary import GlossaryEntry


class _Dumper(yaml.SafeDumper):
    """Block mappings with flow-style lists, as in the hand-written files: ``zh_aliases: [a, b]``."""


def _flow_list(dumper: yaml.SafeDumper, data: list[str]) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(list, _flow_list)


def to_yaml(entries: Iterable[GlossaryEntry], header: str = "") -> str:
    """One mapping per entry, a blank line between, empty fields left out; ``header`` becomes comments."""
    parts = [_comment(header)] if header else []
    for entry in entries:
        data = entry.model_dump(mode="json", exclude_defaults=True)
        body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)
        parts.append("- " + body.rstrip("\n").replace("\n", "\n  ") + "\n")
    return "\n".join(parts)


def _comment(text: str) -> str:
    return "".join(f"# {line}".rstrip() + "\n" for line in text.strip("\n").split("\n"))
