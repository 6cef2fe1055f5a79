"""ctkg_entities_v1: agencies, organisations and places from the vocabulary, as
`doc.spans["entities"]`, each with the gazetteer entry it names.

A national agency named by a generic phrase ("la police marocaine", "Moroccan police") is the
country's agency; an organisation is read under any of its aliases; a proclitic written onto a
name ("لتنظيم", "بطنجة") is not part of the mention.
"""
from __future__ import annotations

import pytest

from ctkg.loaders.articles import RawArticle
from ctkg.loaders.extractor import read

CASES = {
    "ar": ("فككت المديرية العامة للأمن الوطني خلية موالية لتنظيم داعش بطنجة.",
           [("Agency", "المديرية العامة للأمن الوطني", "agency:dgsn-ma"),
            ("Organisation", "تنظيم داعش", "org:islamic-state"),
            ("Region", "طنجة", "region:ma-001511010")]),
    "fr": ("La police marocaine a démantelé une cellule affiliée à l'État islamique à Tanger, "
           "selon la DGSN.",
           [("Agency", "police marocaine", "agency:dgsn-ma"),
            ("Organisation", "État islamique", "org:islamic-state"),
            ("Region", "Tanger", "region:ma-001511010"),
            ("Agency", "DGSN", "agency:dgsn-ma")]),
    "en": ("Moroccan police dismantled a cell loyal to the Islamic State in Tangier, "
           "according to the DGSN.",
           [("Agency", "Moroccan police", "agency:dgsn-ma"),
            ("Organisation", "Islamic State", "org:islamic-state"),
            ("Region", "Tangier", "region:ma-001511010"),
            ("Agency", "DGSN", "agency:dgsn-ma")]),
}


def _doc(lang: str):
    return read(RawArticle(CASES[lang][0], lang=lang), until="ctkg_entities_v1")


@pytest.mark.parametrize("lang", sorted(CASES))
def test_entities_and_their_entries(lang):
    text, expected = CASES[lang]
    entities = _doc(lang)._.ctkg.entities
    assert [(m.kind, m.text, m.ref.id) for m in entities] == expected
    assert all(text[m.start:m.end] == m.text for m in entities)


@pytest.mark.parametrize("lang", sorted(CASES))
def test_entities_are_doc_spans(lang):
    doc = _doc(lang)
    assert [(s.label_, s.text) for s in doc.spans["entities"]] == \
        [(kind, name) for kind, name, _ in CASES[lang][1]]


@pytest.mark.parametrize("lang", sorted(CASES))
def test_the_shared_gazetteer_is_not_written_to(lang):
    from ctkg.loaders.gazetteer import load_gazetteer

    before = len(load_gazetteer().entries)
    _doc(lang)
    assert len(load_gazetteer().entries) == before
