"""ctkg_relations_v1: the typed relations between what the earlier components found, each
read from one sentence's cues (dismantled by, affiliated with, led by, operated in, a
statement commenting on the cell)."""
from __future__ import annotations

import pytest

from ctkg.loaders.articles import RawArticle
from ctkg.loaders.extractor import read

ARTICLES = {
    "ar": ("فككت المديرية العامة للأمن الوطني خلية إرهابية من أربعة أعضاء موالية لتنظيم داعش "
           "في طنجة. وكان يتزعم الخلية كريم بنعلي. وقال المتحدث باسم المديرية محمد العلوي إن "
           "\"المشتبه بهم كانوا يخططون لتنفيذ هجمات\".",
           "خلية إرهابية من أربعة أعضاء", "كريم بنعلي",
           "المشتبه بهم كانوا يخططون لتنفيذ هجمات"),
    "fr": ("La police marocaine a démantelé une cellule terroriste de quatre membres affiliée à "
           "l'État islamique à Tanger. La cellule était dirigée par Karim Benali. « Les suspects "
           "préparaient des attentats », a déclaré Mohamed Alaoui, porte-parole de la DGSN.",
           "cellule terroriste de quatre membres", "Karim Benali",
           "Les suspects préparaient des attentats"),
    "en": ("Moroccan police dismantled a terrorist cell of four members loyal to the Islamic "
           "State in Tangier. The cell was led by Karim Benali. \"The suspects were planning "
           "attacks,\" said Mohamed Alaoui, a spokesman for the DGSN.",
           "terrorist cell of four members", "Karim Benali",
           "The suspects were planning attacks"),
}


def _name(x) -> str:
    return getattr(x, "id", None) or x.name  # a gazetteer entry by id, a local entity by name


def _relations(lang: str):
    text = ARTICLES[lang][0]
    return read(RawArticle(text, lang=lang), until="ctkg_relations_v1")._.ctkg.relations


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_relations_of_a_dismantled_cell(lang):
    _, cell, leader, claim = ARTICLES[lang]
    got = [(r.type, _name(r.source), _name(r.target)) for r in _relations(lang)]
    assert sorted(got) == sorted([
        ("AFFILIATED_WITH", cell, "org:islamic-state"),
        ("LEADS", leader, cell),
        ("DISMANTLED_BY", cell, "agency:dgsn-ma"),
        ("OPERATED_IN", cell, "region:ma-001511010"),
        ("COMMENTED_ON", claim, cell),
    ])


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_each_relation_is_read_in_its_sentence(lang):
    text = ARTICLES[lang][0]
    doc = read(RawArticle(text, lang=lang), until="ctkg_relations_v1")
    sentences = doc.user_data["ctkg.sentences"]
    by_type = {r.type: r for r in doc._.ctkg.relations}
    assert by_type["DISMANTLED_BY"].sentence == 0
    assert by_type["LEADS"].sentence == 1
    assert by_type["COMMENTED_ON"].sentence == 2
    assert all(0 < r.confidence <= 1 for r in doc._.ctkg.relations)
    assert len(sentences) == 3


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_no_relation_without_a_cue(lang):
    text = {"ar": "خلية إرهابية. تنظيم داعش. طنجة.", "fr": "Une cellule. L'État islamique. Tanger.",
            "en": "A cell. The Islamic State. Tangier."}[lang]
    relations = read(RawArticle(text, lang=lang), until="ctkg_relations_v1")._.ctkg.relations
    assert [r.type for r in relations] == []
