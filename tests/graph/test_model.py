"""GraphBatch to the `ctkg extract` JSON object and back."""
from __future__ import annotations

import json

import pytest

from ctkg.graph.model import BatchError, GraphBatch
from ctkg.ingest import extract_all

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def batches() -> list[GraphBatch]:
    return list(extract_all([ROOT / "examples", ROOT / "devset" / "fr"]))


def test_a_batch_survives_the_round_trip_through_json(batches):
    assert len(batches) > 5
    for batch in batches:
        data = json.loads(json.dumps(batch.to_contract(), ensure_ascii=False))
        back = GraphBatch.from_contract(data)
        assert back.to_contract() == data
        assert back.article == batch.article
        assert (back.extractor, back.extractor_version) == (batch.extractor,
                                                             batch.extractor_version)
        assert [(n.id, n.label, n.props, n.mentions, n.evidence) for n in back.nodes] == \
            [(n.id, n.label, n.props, n.mentions, n.evidence) for n in batch.nodes]
        assert [(e.id, e.origin, e.evidence, e.props) for e in back.edges] == \
            [(e.id, e.origin, e.evidence, e.props) for e in batch.edges]


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.pop("edges"), "expected an object with article, nodes and edges"),
    (lambda d: d["nodes"][0].pop("id"), "missing 'id'"),
    (lambda d: d["nodes"][0].update(label="Spaceship"), "unknown node label 'Spaceship'"),
    (lambda d: d["nodes"][0]["mentions"][0].pop("start"), "missing 'start'"),
    (lambda d: d["edges"][0].update(type="LIKES"), "unknown relationship type 'LIKES'"),
    (lambda d: d["edges"][0].update(target="org:nowhere"), "which is not in the batch"),
    (lambda d: d["nodes"][0].update(colour="red"), "has no property ['colour']"),
])
def test_a_bad_object_is_refused_with_what_is_wrong(batches, mutate, message):
    data = batches[0].to_contract()
    mutate(data)
    with pytest.raises(BatchError, match=message.replace("[", r"\[").replace("(", r"\(")):
        GraphBatch.from_contract(data)


@pytest.mark.parametrize("data", [None, [], "text", 3])
def test_not_an_object(data):
    with pytest.raises(BatchError, match="expected an object"):
        GraphBatch.from_contract(data)
