"""No global state: extraction never writes to the loaded gazetteer; what an article adds (a
locality, a country's body the vocabulary lacks) lives in that article's batch."""
from __future__ import annotations

import pytest

from ctkg.loaders.articles import RawArticle
from ctkg.loaders.extractor import extract
from ctkg.loaders.gazetteer import Entry, load_gazetteer

# A locality no list knows, and a generic body of a country the vocabulary has no entry for.
LOCAL = ("تم توقيف أربعة متطرفين بدوار الخلايفية التابع لجماعة سيدي علال البحراوي، وأعلنت "
         "السلطات السنغالية عن تعاونها.")


def test_the_loaded_gazetteer_cannot_be_written():
    with pytest.raises(TypeError):
        load_gazetteer().entries["region:xx-nowhere"] = Entry("region:xx-nowhere", "Region", "x")


def test_an_article_view_keeps_its_additions_to_itself():
    gaz = load_gazetteer()
    view = gaz.for_article()
    view.entries["region:xx-nowhere"] = Entry("region:xx-nowhere", "Region", "Nowhere")
    assert view.get("region:xx-nowhere") is not None
    assert gaz.get("region:xx-nowhere") is None
    assert view.get("region:ma") is gaz.get("region:ma")


def test_extraction_leaves_the_gazetteer_as_it_was():
    gaz = load_gazetteer()
    before = len(gaz.entries)
    out = extract(RawArticle(text=LOCAL, lang="ar")).to_contract()
    new = [n["id"] for n in out["nodes"] if n["id"] not in gaz.entries and n["mentions"]
           and n["label"] in ("Region", "Agency")]
    assert new, "the article should add a locality or a body of its own"
    assert len(gaz.entries) == before
    # and the same article read again gives the same batch
    assert extract(RawArticle(text=LOCAL, lang="ar")).to_contract() == out
