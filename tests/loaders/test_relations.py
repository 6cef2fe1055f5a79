"""Golden-span tests for the relation rules (loaders/relations.py): one short article per
rule, the edges it must (or must not) produce."""
from __future__ import annotations

import pytest

from tests.loaders.test_rules import edges, node_ids, run


def targets(out: dict, type_: str) -> set[str]:
    return {t for _, t in edges(out, type_)}


def confidence(out: dict, type_: str, target: str) -> float:
    return next(e["confidence"] for e in out["edges"]
                if e["type"] == type_ and e["target"] == target)


# -- OPERATED_IN: every place of a list --------------------------------------------------

@pytest.mark.parametrize("lang, text, n", [
    ("en", "Police dismantled a terrorist cell in Tangier, Tetouan, Fnideq and Oujda.", 4),
    ("fr", "Le BCIJ a démantelé une cellule terroriste lors d'opérations menées à Tanger, "
           "Tétouan, M'diq et Fnideq.", 4),
    ("en", "The members of the cell were arrested in the provinces of Jijel and Skikda.", 2),
])
def test_every_listed_place_is_where_the_cell_operated(lang, text, n):
    assert len(targets(run(text, lang), "OPERATED_IN")) == n


def test_a_place_after_an_origin_word_is_not_listed_as_a_scene():
    out = run("Police dismantled a terrorist cell in Tangier that sent money to Mali and Niger.",
              "en")
    assert targets(out, "OPERATED_IN") == {"region:ma-001511010"}


# -- OPERATED_IN: every level of the administrative chain the text writes ----------------

def test_the_country_written_in_the_article_is_linked_below_the_town():
    out = run("Spain: police arrested three members of a jihadist cell in Barcelona on Tuesday.",
              "en")
    places = targets(out, "OPERATED_IN")
    assert "region:es" in places and len(places) == 2
    town = next(p for p in places if p != "region:es")
    assert confidence(out, "OPERATED_IN", "region:es") < confidence(out, "OPERATED_IN", town)


def test_a_country_not_written_is_not_added():
    out = run("Police arrested three members of a jihadist cell in Barcelona on Tuesday.", "en")
    assert "region:es" not in targets(out, "OPERATED_IN")


# -- OPERATED_IN: homes and searches -----------------------------------------------------

def test_a_suspect_s_home_is_where_the_cell_operated():
    out = run("La DGSI a démantelé une cellule terroriste à Lyon. Deux des suspects, "
              "domiciliés à Villeurbanne, ont été placés en garde à vue.", "fr")
    assert len(targets(out, "OPERATED_IN")) == 2


# -- DISMANTLED_BY: partners of the acting agency ----------------------------------------

@pytest.mark.parametrize("lang, text", [
    ("en", "Spanish police dismantled a jihadist cell in Ceuta with the support of Europol."),
    ("ar", "تمكنت مصالح المديرية العامة للأمن الوطني، بالتنسيق مع مصالح الجيش الوطني الشعبي، "
           "من تفكيك خلية إرهابية بولاية باتنة."),
])
def test_the_partner_agency_is_credited(lang, text):
    assert len(targets(run(text, lang), "DISMANTLED_BY")) == 2


def test_a_coordinating_agency_is_not_the_cell_s_director():
    out = run("Spanish police dismantled a jihadist cell in Ceuta in coordination with the "
              "Moroccan DGST.", "en")
    assert edges(out, "DIRECTED_BY") == []
    assert len(targets(out, "DISMANTLED_BY")) == 2


def test_the_parent_of_the_acting_body_is_credited():
    out = run("أحبط المكتب المركزي للأبحاث القضائية، التابع للمديرية العامة لمراقبة التراب "
              "الوطني، مخططا إرهابيا بعد توقيف أربعة متطرفين ينشطون في خلية إرهابية بمدينة "
              "سطات.", "ar")
    assert {"agency:bcij-ma", "agency:dgst-ma"} <= targets(out, "DISMANTLED_BY")


# -- DIRECTED_BY, AFFILIATED_WITH, TARGETED cues -----------------------------------------

def test_orders_received_from_an_organisation_direct_the_cell():
    out = run("Police dismantled a terrorist cell in Tangier whose members received orders "
              "from the Islamic State.", "en")
    assert targets(out, "DIRECTED_BY") == set(node_ids(out, "Organisation"))


def test_acting_on_behalf_of_a_group_is_affiliation_not_direction():
    out = run("La police a démantelé une cellule terroriste à Bamako qui agissait pour le "
              "compte de la katiba Macina.", "fr")
    assert targets(out, "AFFILIATED_WITH") == set(node_ids(out, "Organisation")) != set()
    assert edges(out, "DIRECTED_BY") == []


def test_the_place_of_a_plot_is_targeted_not_operated_in():
    out = run("Police arrested a jihadist cell in Liège over a plot to attack Antwerp.", "en")
    assert len(targets(out, "TARGETED")) == 1
    assert targets(out, "TARGETED").isdisjoint(targets(out, "OPERATED_IN"))
