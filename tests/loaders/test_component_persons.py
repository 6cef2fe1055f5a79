"""ctkg_persons_v1: the people an article names, as `doc.spans["persons"]`; a later mention
by surname is the same person, and a title before the name gives the person's role."""
from __future__ import annotations

import pytest

from ctkg.loaders.articles import RawArticle
from ctkg.loaders.extractor import read

SURNAME = {
    "ar": ("أوقفت عناصر الدرك الملكي كريم بنعلي في فاس. وقد اعتقل بنعلي بعد أسبوع من المراقبة.",
           "كريم بنعلي", ["كريم بنعلي", "بنعلي"]),
    "fr": ("Les gendarmes ont arrêté Karim Benali à Fès. "
           "Benali était surveillé depuis une semaine.",
           "Karim Benali", ["Karim Benali", "Benali"]),
    "en": ("Gendarmes arrested Karim Benali in Fez. Benali had been under surveillance for a week.",
           "Karim Benali", ["Karim Benali", "Benali"]),
}

TITLED = {
    "ar": ("وقال الناطق الرسمي باسم المديرية العامة للأمن الوطني محمد العلوي إن التحقيق متواصل.",
           "محمد العلوي"),
    "en": ("DGSN spokesman Mohamed Alaoui said the investigation was continuing.",
           "Mohamed Alaoui"),
}


def _persons(lang: str, text: str):
    doc = read(RawArticle(text, lang=lang), until="ctkg_persons_v1")
    return doc, doc._.ctkg.persons


@pytest.mark.parametrize("lang", sorted(SURNAME))
def test_a_surname_is_a_later_mention_of_the_person(lang):
    text, name, mentions = SURNAME[lang]
    doc, persons = _persons(lang, text)
    assert [(p.label, p.name) for p in persons] == [("Person", name)]
    assert [m.text for m in persons[0].mentions] == mentions
    assert all(text[m.start:m.end] == m.text and m.ref is persons[0]
               for m in persons[0].mentions)
    assert [(s.label_, s.text) for s in doc.spans["persons"]] == \
        [("Person", m) for m in mentions]


@pytest.mark.parametrize("lang", sorted(TITLED))
def test_a_title_gives_the_role(lang):
    text, name = TITLED[lang]
    _, persons = _persons(lang, text)
    assert [(p.name, p.props.get("role")) for p in persons] == [(name, "spokesperson")]


@pytest.mark.parametrize("lang", sorted(SURNAME))
def test_no_person_in_a_text_without_names(lang):
    text = {"ar": "اعتقلت الشرطة مشتبها به في فاس.", "fr": "La police a arrêté un suspect à Fès.",
            "en": "Police arrested a suspect in Fez."}[lang]
    assert _persons(lang, text)[1] == []
