"""ctkg_cells_v1: the cells an article reports, with their member count, as
`doc.spans["cells"]`; a later "the cell" is a mention of the same cell."""
from __future__ import annotations

import pytest

from ctkg.loaders.articles import RawArticle
from ctkg.loaders.extractor import read

CASES = {
    "ar": ("فككت الشرطة خلية إرهابية من أربعة أعضاء في طنجة. وكان يتزعم الخلية كريم بنعلي.",
           "خلية إرهابية من أربعة أعضاء", 4, ["خلية إرهابية من أربعة أعضاء", "الخلية"]),
    "fr": ("La police a démantelé une cellule terroriste de quatre membres à Tanger. "
           "La cellule était dirigée par Karim Benali.",
           "cellule terroriste de quatre membres", 4,
           ["cellule terroriste de quatre membres", "cellule"]),
    "en": ("Police dismantled a terrorist cell of four members in Tangier. "
           "The cell was led by Karim Benali.",
           "terrorist cell of four members", 4, ["terrorist cell of four members", "cell"]),
}


def _doc(lang: str):
    return read(RawArticle(CASES[lang][0], lang=lang), until="ctkg_cells_v1")


@pytest.mark.parametrize("lang", sorted(CASES))
def test_one_cell_with_its_members_and_mentions(lang):
    text, name, members, mentions = CASES[lang]
    cells = _doc(lang)._.ctkg.cells
    assert [(c.label, c.name, c.props.get("members")) for c in cells] == [("Cell", name, members)]
    assert [m.text for m in cells[0].mentions] == mentions
    assert all(text[m.start:m.end] == m.text for m in cells[0].mentions)


@pytest.mark.parametrize("lang", sorted(CASES))
def test_cells_are_doc_spans(lang):
    doc = _doc(lang)
    assert [(s.label_, s.text) for s in doc.spans["cells"]] == \
        [("Cell", m) for m in CASES[lang][3]]


@pytest.mark.parametrize("lang", sorted(CASES))
def test_no_cell_without_one(lang):
    text = {"ar": "افتتحت الشرطة مركزا جديدا في طنجة.",
            "fr": "La police a inauguré un commissariat à Tanger.",
            "en": "Police opened a new station in Tangier."}[lang]
    assert read(RawArticle(text, lang=lang), until="ctkg_cells_v1")._.ctkg.cells == []
