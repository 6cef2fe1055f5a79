"""Golden spans for loaders/persons.py: a Person is a human name only, never a place, a people,
a piece of a longer proper name or an ordinary word after a name cue."""
from __future__ import annotations

import pytest

from tests.loaders.test_rules import mentions, run

# -- French and English: capitalised runs that are not names ---------------------------


@pytest.mark.parametrize("lang, text, not_a_name", [
    # a place prefix is data (non_name_words): "Bab", "Sidi", "Ras", compass words
    ("en", "Bab Zouina residents said the raid lasted two hours.", "Bab Zouina"),
    ("fr", "Les habitants de Ras Ouchen ont assisté à l'interpellation.", "Ras Ouchen"),
    ("en", "The West Kordaland police force opened an inquiry.", "West Kordaland"),
    # a nationality or a pair of them
    ("en", "He was described as a Syrian-Iraqi militant.", "Syrian-Iraqi"),
    # a compound joined by a small lowercase word
    ("fr", "Les élus des Bouches-du-Rhône ont réagi mardi.", "Bouches-du-Rhône"),
    # a run after a locative
    ("en", "The suspect was arrested in Kaf Lasfar on Monday.", "Kaf Lasfar"),
    ("en", "A cache was found near the locality of El Ma Labiod.", "Ma Labiod"),
    # a run before a place word
    ("en", "He operated in the Hodh Ech Chargui region for years.", "Hodh Ech Chargui"),
    # the tail or the head of a longer proper name
    ("en", "Troops of Operation Hadin Kai arrested eight suppliers.", "Hadin Kai"),
    ("en", "The prosecutor at the Court of First Instance ordered custody.", "First Instance"),
    ("en", "It had support from the European Counter Terrorism Centre, officials said.",
     "European Counter"),
])
def test_a_capitalised_run_that_is_no_name_is_no_person(lang, text, not_a_name):
    assert not any(not_a_name in m for m in mentions(run(text, lang), "Person"))


def test_a_title_case_headline_does_not_make_names():
    text = ("Soldiers Destroy Hidden Shelter, Recover Weapons\n\n"
            "Soldiers destroyed a shelter used by militants, the army said.")
    assert mentions(run(text, "en"), "Person") == []


def test_a_nationality_before_a_name_is_left_out_of_it():
    out = run("JNIM is led by the Malian Tuareg Iyad Ag Ghaly, the statement said.", "en")
    assert any(m.startswith("Tuareg Iyad") or m.startswith("Iyad")
               for m in mentions(out, "Person"))
    assert not any("Malian" in m for m in mentions(out, "Person"))


def test_a_first_name_and_an_initial_is_a_name():
    out = run("Le plus âgé des trois, Rayan M., avait fait allégeance.", "fr")
    assert any(m.startswith("Rayan M") for m in mentions(out, "Person"))


def test_a_capitalised_said_inside_a_sentence_is_a_name():
    out = run("Their lawyer, Said Ouazzani, told our newspaper that his client was innocent.",
              "en")
    assert "Said Ouazzani" in mentions(out, "Person")


# -- Arabic: ordinary words after a name cue ---------------------------------------------


@pytest.mark.parametrize("text", [
    # a one-word definite title after a definite noun is that noun's adjective
    "أكدت الوزارة مواصلة رصد محاولات التنظيمات المتطرفة استقطاب الشباب.",
    "وقال المركز إن مستوى التهديد الإرهابي في البلاد، الذي يبقى عند الدرجة الثالثة، مرتفع.",
    # an introducing word followed by an organisation names the organisation
    "وتلقوا توجيهات من عنصر في ما يسمى ولاية الساحل بخصوص اختيار الأهداف.",
    # a preposition and its noun phrase after a title
    "تحت إشراف الوكيل العام للملك المكلف بقضايا الإرهاب، وذلك للكشف عن الامتدادات.",
])
def test_an_ordinary_word_after_a_name_cue_is_no_person(text):
    assert mentions(run(text, "ar"), "Person") == []


def test_an_honorific_and_a_known_first_name_make_a_name():
    out = run("وقال محامي أحد المتهمين، الأستاذ حاتم الشابي، إن موكله بريء.", "ar")
    assert "حاتم الشابي" in mentions(out, "Person")


def test_a_conjunction_written_onto_a_first_name_is_left_out_of_the_name():
    text = ("وأوضح البيان أن الأمر يتعلق بالإرهابيين المدعوين فريد بوخالفة، "
            "المكنى \"أبو دجانة\"، وسمير عمراوي، المكنى \"أبو عبيدة\".")
    found = mentions(run(text, "ar"), "Person")
    assert "سمير عمراوي" in found
    assert "وسمير عمراوي" not in found
