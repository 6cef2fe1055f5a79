"""ctkg_batch_v1: the article's typed GraphBatch, checked against graph/schema.yaml: nodes
with deterministic ids, edges with their evidence sentence, and the reference facts of the
vocabulary (a town's province, an agency's ministry) marked as such."""
from __future__ import annotations

import pytest

from ctkg.graph.model import GraphBatch
from ctkg.loaders.articles import RawArticle
from ctkg.loaders.extractor import EXTRACTOR_VERSION, read

ARTICLES = {
    "ar": "تفكيك خلية إرهابية في طنجة\n\nفككت المديرية العامة للأمن الوطني خلية إرهابية من "
          "أربعة أعضاء موالية لتنظيم داعش في طنجة. وكان يتزعم الخلية كريم بنعلي.",
    "fr": "Une cellule terroriste démantelée à Tanger\n\nLa police marocaine a démantelé une "
          "cellule terroriste de quatre membres affiliée à l'État islamique à Tanger. La cellule "
          "était dirigée par Karim Benali.",
    "en": "Terrorist cell dismantled in Tangier\n\nMoroccan police dismantled a terrorist cell "
          "of four members loyal to the Islamic State in Tangier. The cell was led by Karim "
          "Benali.",
}
LEADER = {"ar": "person:krim-bnli-8c46f4", "fr": "person:karim-benali",
          "en": "person:karim-benali"}
TANGIER = "region:ma-001511010"


def _batch(lang: str) -> GraphBatch:
    doc = read(RawArticle(ARTICLES[lang], lang=lang))
    return doc._.ctkg.batch


def _key(node_id: str) -> str:
    """An id made from the article (cell, incident) by its kind; vocabulary ids as they are."""
    kind = node_id.split(":")[0]
    return kind if kind in ("cell", "incident") else node_id


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_nodes(lang):
    batch = _batch(lang)
    batch.validate()
    assert sorted((n.label, _key(n.id)) for n in batch.nodes) == sorted([
        ("Agency", "agency:dgsn-ma"), ("Agency", "agency:interior-ma"),
        ("Cell", "cell"), ("Incident", "incident"),
        ("Organisation", "org:islamic-state"), ("Person", LEADER[lang]),
        ("Region", "region:iq"), ("Region", "region:sy"), ("Region", "region:ma"),
        ("Region", "region:ma-01"), ("Region", "region:ma-01511"), ("Region", TANGIER),
    ])
    (cell,) = [n for n in batch.nodes if n.label == "Cell"]
    assert cell.props.get("members") == 4


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_edges_read_in_the_article(lang):
    text = ARTICLES[lang]
    batch = _batch(lang)
    edges = [e for e in batch.edges if e.origin == "article"]
    assert sorted((e.type, _key(e.source), _key(e.target)) for e in edges) == sorted([
        ("AFFILIATED_WITH", "cell", "org:islamic-state"),
        ("DISMANTLED_BY", "cell", "agency:dgsn-ma"),
        ("OPERATED_IN", "cell", TANGIER),
        ("LEADS", LEADER[lang], "cell"),
        ("INVOLVED", "incident", "cell"),
        ("ATTRIBUTED_TO", "incident", "org:islamic-state"),
        ("CONDUCTED_BY", "incident", "agency:dgsn-ma"),
        ("OCCURRED_IN", "incident", TANGIER),
    ])
    for e in edges:
        assert text[e.evidence.start:e.evidence.end] == e.evidence.text


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_reference_facts_carry_no_evidence(lang):
    reference = [e for e in _batch(lang).edges if e.origin == "reference"]
    assert sorted((e.type, e.source, e.target) for e in reference) == sorted([
        ("PART_OF", TANGIER, "region:ma-01511"), ("PART_OF", "region:ma-01511", "region:ma-01"),
        ("PART_OF", "region:ma-01", "region:ma"),
        ("PART_OF", "agency:dgsn-ma", "agency:interior-ma"),
        ("BASED_IN", "agency:dgsn-ma", "region:ma"),
        ("BASED_IN", "agency:interior-ma", "region:ma"),
        ("BASED_IN", "org:islamic-state", "region:iq"),
        ("BASED_IN", "org:islamic-state", "region:sy"),
    ])
    assert all(e.evidence is None and e.confidence == 1.0 for e in reference)


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_the_article_and_its_extractor(lang):
    batch = _batch(lang)
    contract = batch.to_contract()
    assert contract["article"]["lang"] == lang
    assert contract["article"]["extractor_version"] == EXTRACTOR_VERSION
    assert contract == _batch(lang).to_contract()  # the same article reads the same
