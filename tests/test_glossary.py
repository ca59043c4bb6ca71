"""Glossary loading rejects broken files with a message naming the entry and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccpipe.errors import GlossaryError
from ccpipe.terms.glossary import load_glossary

GOOD = "- {id: paris-agreement, category: agreement, zh: 巴黎协定, en: Paris Agreement}\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "terms.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_and_fingerprints(tmp_path: Path) -> None:
    first = load_glossary(write(tmp_path, GOOD))
    assert len(first) == 1 and first.get("paris-agreement").en == "Paris Agreement"
    second = load_glossary(write(tmp_path, GOOD.replace("Paris Agreement", "The Paris Agreement")))
    assert first.fingerprint != second.fingerprint


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD + GOOD, "duplicate entry id 'paris-agreement'"),
        (
            GOOD + "- {id: paris-accord, category: agreement, zh: 巴黎协定, en: Paris Accord}\n",
            "'巴黎协定' is claimed by both 'paris-agreement' and 'paris-accord'",
        ),
        ("- {id: gcf, category: fund, zh: 绿色气候基金}\n", "entry 'gcf': en: Field required"),
        ("- {id: gcf, category: bank, zh: 绿色气候基金, en: Green Climate Fund}\n", "entry 'gcf': category"),
        ("- {id: GCF, category: fund, zh: 绿色气候基金, en: Green Climate Fund}\n", "entry 'GCF': id"),
        ("- {id: gcf, category: fund, zh: 绿色气候基金, en: ' '}\n", "entry 'gcf': en"),
        ("- {id: gcf, category: fund, zh: 绿色气候基金, en: GCF, colour: green}\n", "colour"),
        ("id: gcf\n", "must be a list"),
        ("- [unclosed\n", "not valid UTF-8 YAML"),
    ],
)
def test_broken_glossaries_are_rejected_with_the_entry_named(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(GlossaryError) as caught:
        load_glossary(write(tmp_path, text))
    assert expected in str(caught.value)
    assert caught.value.code == "GLOSSARY_INVALID"


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match=r"no \*\.yaml glossary files"):
        load_glossary(tmp_path)
