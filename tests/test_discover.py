"""New-term discovery on the sample report, and the review loop back into the glossary."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from ccpipe.errors import GlossaryError
from ccpipe.models import Candidate, Document
from ccpipe.runs.pipeline import Resources, build_document
from ccpipe.terms.discover import Discoverer
from ccpipe.terms.glossary import load_glossary
from ccpipe.terms.review import candidates_csv, merge_reviewed

from .conftest import SAMPLE_PDF

SMALL_GLOSSARY = """
- {id: paris-agreement, category: agreement, zh: 巴黎协定, en: Paris Agreement}
- {id: china, category: country, zh: 中国, en: China}
"""


@pytest.fixture(scope="module")
def sparse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Document, list[Candidate]]:
    """The sample report tagged with a two-entry glossary: everything else is a candidate."""
    folder = tmp_path_factory.mktemp("sparse-glossary")
    (folder / "terms.yaml").write_text(SMALL_GLOSSARY, encoding="utf-8")
    resources = Resources.load(folder, tmp_path_factory.mktemp("jieba"))
    document = build_document(SAMPLE_PDF, resources)
    return document, Discoverer(resources.segmenter.tokenizer).candidates(document)


def by_kind(candidates: list[Candidate], kind: str) -> dict[str, Candidate]:
    return {c.zh: c for c in candidates if c.kind == kind}


def test_titles_quotes_and_parentheticals_are_proposed(sparse: tuple[Document, list[Candidate]]) -> None:
    _, candidates = sparse
    assert {"贝伦宣言", "欧洲绿色新政", "美国国际气候融资计划"} <= set(by_kind(candidates, "title"))
    assert {"全球门户", "全球甲烷承诺", "太阳能外交"} <= set(by_kind(candidates, "quoted"))
    parentheticals = by_kind(candidates, "parenthetical")
    ctcn = parentheticals["气候技术中心和网络"]
    assert (ctcn.en, ctcn.abbreviation) == ("Climate Technology Centre and Network", "CTCN")
    assert parentheticals["技术执行委员会"].abbreviation == "TEC"
    assert parentheticals["国际太阳能联盟"].abbreviation == "ISA"
    assert parentheticals["主要经济体能源与气候论坛"].abbreviation == "MEF"  # 召集 dropped, 主要 kept


def test_known_terms_are_not_proposed_and_examples_are_real(sparse: tuple[Document, list[Candidate]]) -> None:
    document, candidates = sparse
    assert "巴黎协定" not in {c.zh for c in candidates}
    text = "\n".join(block.text for block in document.blocks)
    for candidate in candidates:
        assert candidate.count >= 1
        assert all(candidate.zh in example and example in text for example in candidate.examples)


def test_full_glossary_leaves_few_candidates(sample_document: Document) -> None:
    assert sample_document.candidates, "discovery runs in the pipeline"
    kinds = {c.kind for c in sample_document.candidates}
    assert "title" not in kinds  # every 《…》 title of the sample is in the curated glossary


def test_review_sheet_merges_into_the_glossary(sparse: tuple[Document, list[Candidate]], tmp_path: Path) -> None:
    _, candidates = sparse
    sheet = candidates_csv(candidates)
    assert sheet.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(sheet.decode("utf-8-sig"))))
    for row in rows:
        if row["zh"] == "气候技术中心和网络":
            row.update(accept="y", category="mechanism", id="ctcn")
        if row["zh"] == "全球门户":
            row.update(accept="y", category="initiative", en="Global Gateway")
    reviewed = tmp_path / "reviewed.csv"
    with reviewed.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "terms.yaml").write_text(SMALL_GLOSSARY, encoding="utf-8")
    assert merge_reviewed(reviewed, folder / "reviewed.yaml", folder) == 2
    glossary = load_glossary(folder)
    assert glossary.get("ctcn").abbreviations == ["CTCN"]
    assert glossary.get("global-gateway").category.value == "initiative"
    # Merging the same sheet again would duplicate ids: refused, and the file stays as it was.
    before = (folder / "reviewed.yaml").read_bytes()
    with pytest.raises(GlossaryError, match="ctcn"):
        merge_reviewed(reviewed, folder / "reviewed.yaml", folder)
    assert (folder / "reviewed.yaml").read_bytes() == before


def test_review_rows_need_category_and_english(tmp_path: Path) -> None:
    sheet = tmp_path / "reviewed.csv"
    sheet.write_text("accept,category,id,zh,en\ny,,,全球门户,Global Gateway\n", encoding="utf-8")
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "terms.yaml").write_text(SMALL_GLOSSARY, encoding="utf-8")
    with pytest.raises(GlossaryError, match="row 2"):
        merge_reviewed(sheet, folder / "reviewed.yaml", folder)
