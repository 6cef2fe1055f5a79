"""ctkg_statements_v1: quoted or reported claims with their speaker, as
`doc.spans["statements"]`; the words claimed, not the speech verb or the quote marks."""
from __future__ import annotations

import pytest

from ctkg.loaders.articles import RawArticle
from ctkg.loaders.extractor import read

CASES = {
    "ar": ("فككت الشرطة خلية في طنجة. وقال المتحدث باسم المديرية محمد العلوي إن "
           "\"المشتبه بهم كانوا يخططون لتنفيذ هجمات\".",
           "المشتبه بهم كانوا يخططون لتنفيذ هجمات", "محمد العلوي"),
    "fr": ("La police a démantelé une cellule à Tanger. Le porte-parole de la DGSN, "
           "Mohamed Alaoui, a déclaré que l'enquête se poursuit.",
           "l'enquête se poursuit", "Mohamed Alaoui"),
    "en": ("Police dismantled a cell in Tangier. \"The suspects were planning attacks,\" "
           "said Mohamed Alaoui, a spokesman for the DGSN.",
           "The suspects were planning attacks", "Mohamed Alaoui"),
}


def _doc(lang: str):
    return read(RawArticle(CASES[lang][0], lang=lang), until="ctkg_statements_v1")


@pytest.mark.parametrize("lang", sorted(CASES))
def test_a_statement_and_its_speaker(lang):
    text, claim, speaker = CASES[lang]
    statements = _doc(lang)._.ctkg.statements
    assert [(s.label, s.name, s.props["speaker"].text) for s in statements] == \
        [("Statement", claim, speaker)]
    (mention,) = statements[0].mentions
    assert text[mention.start:mention.end] == claim
    assert statements[0].props["speaker"].kind == "Person"


@pytest.mark.parametrize("lang", sorted(CASES))
def test_statements_are_doc_spans(lang):
    doc = _doc(lang)
    (span,) = doc.spans["statements"]
    assert span.label_ == "Statement" and CASES[lang][1] in span.text


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_words_in_quotes_are_quoted(lang):
    assert _doc(lang)._.ctkg.statements[0].props["quoted"] is True


@pytest.mark.parametrize("lang", sorted(CASES))
def test_an_agency_can_speak(lang):
    text, claim = {
        "ar": ("وأفادت المديرية العامة للأمن الوطني في بلاغ لها أن الأبحاث متواصلة تحت إشراف "
               "النيابة العامة.", "الأبحاث متواصلة تحت إشراف النيابة العامة"),
        "fr": ("La DGSN a indiqué que les recherches se poursuivent.",
               "les recherches se poursuivent"),
        "en": ("The DGSN said that the search was continuing.", "the search was continuing"),
    }[lang]
    doc = read(RawArticle(text, lang=lang), until="ctkg_statements_v1")
    assert [(s.name, s.props["speaker"].kind) for s in doc._.ctkg.statements] == \
        [(claim, "Agency")]
