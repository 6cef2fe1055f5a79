"""The issue's done-when, on the seed article (examples/seed-ar-001.txt).

The article repeats its paragraphs 2-4 verbatim; every fact must come out once, read from
the first occurrence.
"""
from __future__ import annotations

import re
from collections import Counter

import pytest

from ctkg.loaders.articles import iter_articles
from ctkg.loaders.extractor import extract
from ctkg.loaders.gazetteer import load_gazetteer
from ctkg.loaders.tokens import shared_tokenizer

from tests.conftest import ROOT

SEED = ROOT / "examples" / "seed-ar-001.txt"
DUPUY = "إيمانويل دوبوي"


@pytest.fixture(scope="module")
def seed() -> dict:
    [raw] = list(iter_articles([SEED]))
    return extract(raw).to_contract()


def nodes(seed, label):
    return [n for n in seed["nodes"] if n["label"] == label]


def edges(seed, type_, source=None, target=None):
    return [e for e in seed["edges"] if e["type"] == type_
            and source in (None, e["source"]) and target in (None, e["target"])]


@pytest.fixture(scope="module")
def cell(seed) -> str:
    cells = nodes(seed, "Cell")
    assert len(cells) == 1, [c["name"] for c in cells]
    return cells[0]["id"]


@pytest.fixture(scope="module")
def bcij() -> str:
    [(refs, _)] = load_gazetteer().matcher.find(shared_tokenizer()("BCIJ"))
    [entry] = refs
    assert entry.label == "Agency"
    return entry.id


def test_exactly_one_cell(seed):
    cells = nodes(seed, "Cell")
    assert len(cells) == 1
    assert any(m["text"] == "خلية متطرفة" for m in cells[0]["mentions"])


def test_cell_directed_by_the_islamic_state(seed, cell):
    assert len(edges(seed, "DIRECTED_BY", cell, "org:islamic-state")) == 1


def test_cell_dismantled_by_the_bcij(seed, cell, bcij):
    assert len(edges(seed, "DISMANTLED_BY", cell, bcij)) == 1
    [agency] = [n for n in seed["nodes"] if n["id"] == bcij]
    assert agency["label"] == "Agency" and agency["mentions"]


def test_dupuy_made_a_statement_commenting_on_the_cell(seed, cell):
    persons = [n for n in nodes(seed, "Person") if n["name"] == DUPUY]
    assert len(persons) == 1, [n["name"] for n in nodes(seed, "Person")]
    person = persons[0]["id"]
    made = edges(seed, "MADE", person)
    assert made, "no Statement MADE by Dupuy"
    statements = {n["id"] for n in nodes(seed, "Statement")}
    assert {e["target"] for e in made} <= statements
    assert any(edges(seed, "COMMENTED_ON", e["target"], cell) for e in made)


def test_cell_targeted_morocco(seed, cell):
    assert len(edges(seed, "TARGETED", cell, "region:ma")) == 1


@pytest.mark.parametrize("region_id", ["region:ma", "region:north-africa", "region:sahel",
                                       "region:mediterranean"])
def test_region_is_mentioned(seed, region_id):
    mentioned = {n["id"] for n in nodes(seed, "Region") if n["mentions"]}
    assert region_id in mentioned


def test_each_fact_once(seed):
    node_ids = Counter(n["id"] for n in seed["nodes"])
    assert [i for i, k in node_ids.items() if k > 1] == []
    triples = Counter((e["type"], e["source"], e["target"]) for e in seed["edges"])
    assert [t for t, k in triples.items() if k > 1] == []


def test_nothing_is_read_from_the_repeated_paragraphs(seed):
    text = SEED.read_text(encoding="utf-8")
    lines = [m.start() for m in re.finditer(r"[^\n]+", text)]
    repeat_start = lines[4]
    assert text[repeat_start:].startswith(text[lines[1]:lines[2]].strip())
    spans = [(n["id"], m) for n in seed["nodes"] for m in n["mentions"]]
    spans += [(e["type"], e["evidence"]) for e in seed["edges"] if e.get("evidence")]
    assert spans
    late = [(what, span["text"][:30], span["start"]) for what, span in spans
            if span["end"] > repeat_start]
    assert late == []
