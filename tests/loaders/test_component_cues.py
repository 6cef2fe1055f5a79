"""ctkg_cues_v1: the language's cue phrases, as `doc.spans["cues"]` labelled `cue:<category>`.

One short report per language; the cues it holds are listed in text order. A cue read on a
word's LEMMA (an Arabic verb with an attached pronoun) and a French elision ("l'organisation")
are matched like the phrase as written.
"""
from __future__ import annotations

import pytest

from ctkg.loaders.articles import RawArticle
from ctkg.loaders.extractor import read

CASES = {
    "ar": ("فككت المديرية العامة للأمن الوطني خلية إرهابية موالية لتنظيم داعش في طنجة. "
           "وكان يتزعم الخلية كريم بنعلي، بحسب ما أكده المتحدث باسم المديرية.",
           [("cue:dismantled_by", "فككت"), ("cue:incident_kinds", "فككت"),
            ("cue:speaker_anaphora", "المديرية"),
            ("cue:affiliated_with", "موالية"), ("cue:operated_in", "في"),
            ("cue:leads", "يتزعم"), ("cue:source_markers", "بحسب"),
            ("cue:speech_verbs", "أكده"),  # read on its lemma: أكد + pronoun
            ("cue:person_titles", "المتحدث باسم"), ("cue:speaker_anaphora", "المديرية")]),
    "fr": ("La police a démantelé une cellule affiliée à l'État islamique à Tanger. "
           "Elle était dirigée par Karim Benali, qui a prêté allégeance à l'organisation, "
           "a déclaré le porte-parole de la DGSN.",
           [("cue:speaker_anaphora", "La police"), ("cue:dismantled_by", "a démantelé"),
            ("cue:incident_kinds", "a démantelé"), ("cue:affiliated_with", "affiliée à"),
            ("cue:operated_in", "à"), ("cue:speaker_anaphora", "Elle"),
            ("cue:leads", "dirigée par"), ("cue:affiliated_with", "a prêté allégeance"),
            ("cue:operated_in", "à"), ("cue:org_anaphora", "l'organisation"),
            ("cue:speech_verbs", "a déclaré"), ("cue:speaker_anaphora", "le porte-parole")]),
    "en": ("Police dismantled a cell loyal to the Islamic State in Tangier. "
           "It was led by Karim Benali, who pledged allegiance to the group, "
           "a spokesman said.",
           [("cue:speaker_anaphora", "Police"), ("cue:dismantled_by", "dismantled"),
            ("cue:incident_kinds", "dismantled"), ("cue:affiliated_with", "loyal to"),
            ("cue:operated_in", "in"), ("cue:speaker_anaphora", "It"),
            ("cue:passive_agent", "led by"), ("cue:leads", "led by"),
            ("cue:affiliated_with", "pledged allegiance to"), ("cue:org_anaphora", "the group"),
            ("cue:person_titles", "spokesman"), ("cue:speech_verbs", "said")]),
}


def _doc(lang: str):
    return read(RawArticle(CASES[lang][0], lang=lang), until="ctkg_cues_v1")


@pytest.mark.parametrize("lang", sorted(CASES))
def test_cue_mentions(lang):
    text, expected = CASES[lang]
    cues = _doc(lang)._.ctkg.cues
    assert [(m.kind, m.text) for m in cues] == expected
    assert all(text[m.start:m.end] == m.text for m in cues)


@pytest.mark.parametrize("lang", sorted(CASES))
def test_cues_are_doc_spans(lang):
    doc = _doc(lang)
    spans = doc.spans["cues"]
    assert [s.label_ for s in spans] == [kind for kind, _ in CASES[lang][1]]
    for span, m in zip(spans, doc._.ctkg.cues):
        assert span.start_char <= m.start and m.end <= span.end_char


@pytest.mark.parametrize("lang", sorted(CASES))
def test_no_cue_in_a_text_without_one(lang):
    plain = {"ar": "الطقس جميل اليوم.", "fr": "Le temps est beau aujourd'hui.",
             "en": "The weather is fine today."}[lang]
    doc = read(RawArticle(plain, lang=lang), until="ctkg_cues_v1")
    assert doc._.ctkg.cues == [] and list(doc.spans["cues"]) == []
