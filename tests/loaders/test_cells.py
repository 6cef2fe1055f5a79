"""Golden spans for loaders/cells.py: a reported group of plotters is a Cell even when it is not
called a cell; background, generic and organisation uses of the same words are not."""
from __future__ import annotations

import pytest

from tests.loaders.test_rules import mentions, node_ids, run

# -- a weak head qualified by what follows it --------------------------------------------


@pytest.mark.parametrize("lang, text, mention", [
    # composition: head, preposition, optional count, member noun
    ("en", "Counter-terrorism units broke up a group of seven takfiri elements in Kasserine.",
     "group of seven takfiri elements"),
    ("en", "The army said it had dismantled a network of informants in Djibo.",
     "network of informants"),
    ("ar", "وفككت الشرطة الفيدرالية شبكة من خمسة شبان في أنتويرب.", "شبكة من خمسة شبان"),
    # a purpose word within three words
    ("en", "The army dismantled a network that supplied fuel to fighters in central Mali.",
     "network"),
    ("fr", "Le ministère a annoncé le démantèlement d'un réseau de ravitaillement à Kaya.",
     "réseau"),
    ("ar", "أعلنت السلطات توقيف 14 شخصا يشتبه في انتمائهم إلى شبكة منظمة لتزويد المسلحين بالوقود.",
     "شبكة"),
    # an organisation soon after the network word
    ("en", "Police dismantled a network in Girona and Ceuta tied to the Islamic State.",
     "network"),
])
def test_a_qualified_network_or_group_is_a_cell(lang, text, mention):
    assert any(m.startswith(mention) for m in mentions(run(text, lang), "Cell"))


@pytest.mark.parametrize("lang, text", [
    ("en", "Police dismantled a drug trafficking network in Ceuta on Tuesday."),
    ("en", "Jihadist groups have attacked the region for years."),
    # a group word first met after a preposition is the organisation
    ("en", "The army said the remnants of a terrorist group were hiding in the mountains."),
    ("fr", "Il était l'un des responsables de la logistique du groupe jihadiste."),
    # any cell at all
    ("ar", "ولم تثبت التحقيقات انتماءه إلى أي خلية داخل البلاد بعد عودته."),
])
def test_a_network_or_group_that_is_no_reported_cell_is_no_cell(lang, text):
    assert node_ids(run(text, lang), "Cell") == []


def test_a_history_marker_before_the_act_does_not_make_background():
    out = run("The General Staff said it had since dismantled a network of informants.", "en")
    assert any(m.startswith("network of informants") for m in mentions(out, "Cell"))


def test_a_group_of_another_size_is_another_cell():
    text = ("En octobre, le BCIJ démantelait à Errachidia une cellule de quatre frères. "
            "En février, c'était au tour d'un groupe de six extrémistes, interpellés à Kénitra.")
    assert len(node_ids(run(text, "fr"), "Cell")) == 2


def test_another_after_a_comma_does_not_open_a_new_cell():
    text = ("فككت الأجهزة الأمنية خلية إرهابية بمدينة تيفلت. "
            "وأثبتت المقاربة الاستباقية نجاعتها مرة أخرى، فالخلية فككت قبل التنفيذ.")
    assert len(node_ids(run(text, "ar"), "Cell")) == 1


# -- a group never called a cell -----------------------------------------------------------


def test_a_later_definite_cell_word_refers_to_the_counted_group():
    text = ("Nigerien security forces have arrested 14 people suspected of recruiting for the "
            "Islamic State. This network was the rear base of the militants, the ministry said.")
    found = mentions(run(text, "en"), "Cell")
    assert "14 people" in found
    assert "network" in found


def test_a_definite_counted_reference_refers_to_the_counted_group():
    text = ("Trois jeunes hommes ont été interpellés samedi à Vénissieux. "
            "Les trois suspects sont soupçonnés d'avoir envisagé une attaque.")
    found = mentions(run(text, "fr"), "Cell")
    assert "Trois jeunes" in found[0]
    assert "suspects" in found


def test_a_member_noun_counted_after_it_is_a_group():
    text = "تمكنت وحدات الجيش من القضاء على إرهابيين اثنين بولاية البويرة."
    assert "إرهابيين اثنين" in mentions(run(text, "ar"), "Cell")


def test_new_member_nouns_count_a_group():
    text = ("Deux adolescents de 15 et 16 ans ont été mis en examen, soupçonnés d'avoir "
            "projeté une attaque.")
    assert "Deux adolescents" in mentions(run(text, "fr"), "Cell")


def test_a_member_noun_and_a_cell_modifier_are_a_group():
    text = "أوقفت المصالح الأمنية عناصر تكفيرية كانت تخطط لتنفيذ عمليات إرهابية بالمدينة."
    assert "عناصر تكفيرية" in mentions(run(text, "ar"), "Cell")


# -- a quoted name after the cell words -------------------------------------------------------


def cell_names(out: dict) -> list[str]:
    return [n["name"] for n in out["nodes"] if n["label"] == "Cell"]


@pytest.mark.parametrize("lang, text, name", [
    ("ar", 'فككت الأجهزة الأمنية خلية "أسود الخلافة" بمدينة فاس.', "أسود الخلافة"),
    # the cell words quoted themselves: what follows the closing quote is no name
    ("ar", 'أعلنت السلطات المغربية عن تفكيك "خلية إرهابية" مرتبطة بتنظيم "داعش" بمدينة فاس.',
     "خلية إرهابية (فاس)"),
    ("fr", "Les autorités ont démantelé une « cellule terroriste » liée à « Daech » à Fès.",
     "cellule terroriste (Fès)"),
])
def test_a_quote_after_the_cell_words_names_the_cell_unless_it_closes_them(lang, text, name):
    assert cell_names(run(text, lang)) == [name]


@pytest.mark.parametrize("lang, text, mention, members", [
    ("fr", "Trois (03) éléments de soutien aux groupes terroristes ont été arrêtés mardi à Blida "
           "par un détachement de l'ANP.", "Trois (03) éléments", 3),
    ("ar", "تم توقيف ثلاثة (3) عناصر دعم للجماعات الإرهابية بالبليدة من طرف مفرزة للجيش الوطني "
           "الشعبي.", "ثلاثة (3) عناصر", 3),
])
def test_a_count_repeated_in_bracketed_digits_still_counts_a_group(lang, text, mention, members):
    out = run(text, lang)
    assert mentions(out, "Cell") == [mention]
    assert [n.get("members") for n in out["nodes"] if n["label"] == "Cell"] == [members]


def test_brackets_around_other_words_still_break_a_count():
    assert node_ids(run("Trois (selon la police) individus ont été arrêtés à Blida.", "fr"),
                    "Cell") == []
