"""Glossary loading rejects broken files with a message naming the entry and the problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ccpipe.errors import GlossaryError
from ccpipe.terms.glossary import load_glossaries, load_glossary

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


def test_parsed_files_are_kept_as_json_keyed_by_their_bytes(tmp_path: Path) -> None:
    """The cache is read when the file is unchanged, never when it changed, and a broken or unwritable cache
    only costs the time of parsing the YAML again."""
    source = write(tmp_path, GOOD)
    cache = tmp_path / "cache"
    first = load_glossaries([source], cache)
    (kept,) = cache.glob("glossary-yaml-*.json")
    assert json.loads(kept.read_text(encoding="utf-8"))[0]["en"] == "Paris Agreement"
    # The next process reads the JSON, not the YAML: what the JSON says is what it gets.
    kept.write_text(kept.read_text(encoding="utf-8").replace("Paris Agreement", "Cached Agreement"), encoding="utf-8")
    assert load_glossaries([source], cache).get("paris-agreement").en == "Cached Agreement"
    # An edited file has other bytes, so another key: parsed again, never served stale.
    write(tmp_path, GOOD.replace("Paris Agreement", "The Paris Agreement"))
    assert load_glossaries([source], cache).get("paris-agreement").en == "The Paris Agreement"
    # A broken cache file is ignored; so is a cache folder that cannot be written.
    write(tmp_path, GOOD)
    kept.write_bytes(b"{not json")
    assert load_glossaries([source], cache).get("paris-agreement") == first.get("paris-agreement")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    assert load_glossaries([source], blocked).get("paris-agreement") == first.get("paris-agreement")
    # A broken YAML file is still reported, whatever the cache holds.
    write(tmp_path, "- {id: gcf, category: fund, zh: 绿色气候基金}\n")
    with pytest.raises(GlossaryError, match="entry 'gcf': en: Field required"):
        load_glossaries([source], cache)


def test_the_project_glossary_is_the_same_from_its_cache(tmp_path: Path) -> None:
    glossary = Path(__file__).resolve().parent.parent / "glossary"
    parsed = load_glossaries([glossary], tmp_path)
    cached = load_glossaries([glossary], tmp_path)
    assert len(list(tmp_path.glob("glossary-yaml-*.json"))) == len(list(glossary.glob("*.yaml")))
    assert cached.entries == parsed.entries and cached.dropped == parsed.dropped
    assert cached.fingerprint == parsed.fingerprint
