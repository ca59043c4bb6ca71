"""New-term discovery on the sample report, and the review loop back into the glossary."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from ccpipe.errors import GlossaryError
from ccpipe.models import Candidate, Document
from ccpipe.runs.pipeline import Resources, build_document
from ccpipe.terms.compose import Composer
from ccpipe.terms.glossary import load_glossary
from ccpipe.terms.ngrams import word_like
from ccpipe.terms.review import candidates_csv, merge_reviewed
from ccpipe.terms.tag import Matcher

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
    return document, resources.discoverer.candidates(document)


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
    with pytest.raises(GlossaryError, match=r"duplicate entry id '(ctcn|global-gateway)'"):
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


def test_english_is_composed_from_the_glossary_terms_a_candidate_is_made_of(
    resources: Resources, tmp_path: Path
) -> None:
    (tmp_path / "terms.yaml").write_text(
        "- {id: carbon-emissions, category: concept, zh: 碳排放, en: carbon emissions}\n"
        "- {id: dual-control, category: mechanism, zh: 双控, en: dual control}\n",
        encoding="utf-8",
    )
    composer = Composer(Matcher(load_glossary(tmp_path)), resources.segmenter.tokenizer)
    assert composer.english("碳排放双控") == "carbon emissions dual control"
    assert composer.english("碳排放与双控") == "carbon emissions and dual control"
    assert composer.english("碳排放总量") is None  # 总量 is not in the glossary: no guess
    assert composer.english("碳排放") is None  # one term is the term itself


def test_word_like_strings_are_whole_words_not_fragments(sample_document: Document) -> None:
    grams = {gram.text: gram for gram in word_like(block.text for block in sample_document.blocks)}
    assert grams["南南合作"].entropy > 1.0 and grams["南南合作"].count >= 18
    # 南南合 is always followed by 作: no branching on the right, a fragment.
    assert grams["南南合"].entropy == 0.0
    assert not [text for text in grams if text.endswith("的") or text.startswith("和")]


def test_candidates_are_ranked_and_field_words_come_first(sparse: tuple[Document, list[Candidate]]) -> None:
    _, candidates = sparse
    scores = [c.score or 0.0 for c in candidates]
    assert scores == sorted(scores, reverse=True)
    top = {c.zh for c in candidates[:50]}
    assert {"南南合作", "发展中国家"} <= top  # the sample's most used field terms the sparse glossary lacks
    assert not {"加强", "推动", "我们"} & {c.zh for c in candidates}  # general words are not terms
