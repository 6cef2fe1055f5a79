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


@pytest.mark.parametrize("lang, text", [
    ("en", "Police dismantled a jihadist cell in Nador suspected of links to the Islamic State "
           "group."),
    ("en", "A terrorist cell with possible links to Islamic State has been broken up in Nador."),
    ("fr", "La police a démantelé à Nador une cellule soupçonnée de liens avec l'État islamique."),
])
def test_links_to_an_organisation_are_affiliation(lang, text):
    out = run(text, lang)
    assert targets(out, "AFFILIATED_WITH") == {"org:islamic-state"}


def test_the_place_of_a_plot_is_targeted_not_operated_in():
    out = run("Police arrested a jihadist cell in Liège over a plot to attack Antwerp.", "en")
    assert len(targets(out, "TARGETED")) == 1
    assert targets(out, "TARGETED").isdisjoint(targets(out, "OPERATED_IN"))


# -- DIRECTED_BY / AFFILIATED_WITH / LEADS / TARGETED: objects away from the cue (links.py) --

def test_a_handler_named_before_the_cue_directs_the_cell():
    out = run("Le BCIJ a démantelé une cellule terroriste à Settat. Selon lui, l'émir de la "
              "cellule connaissait depuis 2022 un cadre de l'organisation État islamique connu "
              "sous le nom d'Abou Yassir al-Maghribi, qui lui transmettait les instructions.", "fr")
    person = next(iter(node_ids(out, "Person")))
    assert person in targets(out, "DIRECTED_BY")
    assert confidence(out, "DIRECTED_BY", person) == 0.7
    assert (person, "org:islamic-state") in edges(out, "AFFILIATED_WITH")


def test_a_handler_introduced_as_a_member_directs_the_cell_in_arabic():
    out = run("فككت الأجهزة الأمنية خلية إرهابية موالية لتنظيم داعش بمدينة وهران. وأكد المصدر أن "
              "المتهم الرئيسي كان على صلة بعنصر قيادي في التنظيم يدعى أبو عبيدة الليبي، وكان "
              "يتلقى منه التعليمات والأموال.", "ar")
    person = next(iter(node_ids(out, "Person")))
    assert person in targets(out, "DIRECTED_BY")
    assert (person, "org:islamic-state") in edges(out, "AFFILIATED_WITH")


def test_the_member_who_received_the_instructions_does_not_direct_the_cell():
    out = run("Spanish police dismantled a jihadist cell in Melilla. The judges wrote that "
              "Karim Benaissa had been in contact with an Islamic State facilitator in Mali who "
              "gave him instructions on the routes.", "en")
    assert targets(out, "DIRECTED_BY") == {"org:islamic-state"}


def test_every_group_of_the_handler_s_description_directs_the_cell():
    out = run("The army dismantled a network in Diabaly whose coordinator received money from "
              "a JNIM commander of the Katiba Macina.", "en")
    assert targets(out, "DIRECTED_BY") == {"org:jnim", "org:katibat-macina"}


def test_a_group_that_guides_the_cell_named_before_the_verb_directs_it():
    out = run("فككت الشرطة خلية إرهابية في تولوز، وقالت النيابة إن أعضاءها تواصلوا مع محرض ينتمي "
              "إلى تنظيم الدولة الإسلامية كان يوجههم خطوة بخطوة.", "ar")
    assert targets(out, "DIRECTED_BY") == {"org:islamic-state"}


def test_a_contracted_article_still_marks_affiliation():
    out = run("L'armée a démantelé à Niono un réseau spécialisé dans la fabrication d'engins "
              "explosifs pour le compte du Groupe de soutien à l'islam et aux musulmans (JNIM).",
              "fr")
    assert targets(out, "AFFILIATED_WITH") == {"org:jnim"}


def test_the_place_at_the_end_of_a_long_object_is_targeted():
    out = run("La DGSI a interpellé une cellule terroriste à Vénissieux, soupçonnée d'avoir "
              "envisagé une attaque au véhicule-bélier et à l'arme blanche contre la foule "
              "rassemblée à Lyon.", "fr")
    assert targets(out, "TARGETED") == {"region:fr-lyon"}


def test_a_place_after_punctuation_is_not_the_long_object_s_target():
    out = run("La DGSI a interpellé une cellule terroriste soupçonnée d'avoir envisagé une "
              "attaque au véhicule-bélier et à l'arme blanche contre la foule, puis arrêtée à "
              "Lyon.", "fr")
    assert edges(out, "TARGETED") == []


def test_a_person_described_before_as_the_ringleader_leads_the_cell():
    out = run("La DGSI a démantelé une cellule terroriste à Marseille. Nassim B., 19 ans, "
              "présenté comme le meneur, vivait chez sa mère.", "fr")
    assert edges(out, "LEADS") == [(node_ids(out, "Person")[0], node_ids(out, "Cell")[0])]


def test_the_head_of_a_police_division_leads_no_cell():
    out = run("La police a démantelé une cellule terroriste à Reus, a déclaré le commissaire "
              "Jordi Puigverd, chef de la division d'information des Mossos d'Esquadra.", "fr")
    assert edges(out, "LEADS") == []


# == Place roles, announcers and commentators (OPERATED_IN / DISMANTLED_BY / COMMENTED_ON) ==

@pytest.mark.parametrize("lang, text, scene, seat", [
    ("en", "Members of a terrorist cell arrested in Oran were brought before the court in "
           "Algiers.", "region:dz-31", "region:dz-16"),
    ("fr", "La DGSI a démantelé une cellule terroriste à Lyon. Les suspects ont été mis en "
           "examen à Paris.", "region:fr-lyon", "region:fr-paris"),
    ("ar", "فككت الشرطة خلية إرهابية بطنجة، وأحيل أفرادها على المحكمة الابتدائية بالرباط.",
     "region:ma-001511010", "region:ma-004421010"),
    ("en", "Moroccan police dismantled a terrorist cell in Tangier. The cell's members were "
           "brought before a judge of the National Court (Audiencia Nacional) in Madrid.",
     "region:ma-001511010", "region:es-madrid"),
])
def test_a_court_s_seat_or_trial_venue_is_not_where_the_cell_operated(lang, text, scene, seat):
    out = run(text, lang)
    places = targets(out, "OPERATED_IN")
    assert seat in node_ids(out, "Region")
    assert scene in places and seat not in places


def test_the_place_after_the_acting_agency_is_where_it_arrested():
    out = run("Trois membres de la cellule terroriste ont été arrêtés par la DGSI à Grenoble.", "fr")
    assert targets(out, "OPERATED_IN") == {"region:fr-grenoble"}


@pytest.mark.parametrize("lang, text", [
    ("en", "Police dismantled a terrorist cell in Tangier. The cell received orders from an "
           "operative in Libya."),
    ("ar", "فككت الشرطة خلية إرهابية بطنجة. وكانت الخلية على اتصال بوسيط في شمال مالي."),
    ("en", "Army detachments dismantled a terrorist support cell in Jijel, while a terrorist "
           "surrendered to the military authorities in Tamanrasset."),
    ("fr", "La DGSI a démantelé une cellule terroriste à Lyon. Selon un analyste joint à "
           "Paris, la cellule préparait un attentat."),
])
def test_a_contact_s_an_analyst_s_or_a_surrender_s_place_is_not_the_cell_s(lang, text):
    assert len(targets(run(text, lang), "OPERATED_IN")) == 1


def test_a_country_written_only_as_an_institute_s_seat_is_not_chained():
    out = run("Moroccan police dismantled a terrorist cell in Tangier. An analyst at a "
              "Rabat-based institute in Morocco said the threat remained high.", "en")
    assert targets(out, "OPERATED_IN") == {"region:ma-001511010"}


def test_an_agency_in_a_background_tally_gets_no_credit():
    out = run("The BCIJ dismantled a terrorist cell in Tangier. Moroccan security services "
              "have dismantled more than 40 cells since 2020.", "en")
    assert targets(out, "DISMANTLED_BY") == {"agency:bcij-ma"}


def test_a_ministry_that_only_announces_gets_no_credit_when_another_agency_acted():
    out = run("Nigerien troops dismantled a terrorist cell in Tillaberi. The cell was dismantled "
              "after three days of surveillance, the Ministry of Defence said in a statement.",
              "en")
    assert targets(out, "DISMANTLED_BY") == {"agency:army-ne"}
    assert edges(out, "COMMENTED_ON")  # it still commented on the cell


def test_the_announcer_is_credited_when_no_other_agency_is_named():
    out = run("L'état-major général des armées a annoncé mardi le démantèlement d'une cellule "
              "terroriste à Ségou.", "fr")
    assert targets(out, "DISMANTLED_BY") == {"agency:general-staff-ml"}


def test_the_cell_s_leader_named_in_a_statement_does_not_comment_on_it():
    """"According to the statement, the cell's leader, X, had ...": X is talked about; he
    neither makes the statement nor comments on the cell."""
    out = run("Police dismantled a terrorist cell in Tangier. According to the statement, the "
              "cell's leader, Karim Benaissa, had recruited the other members.", "en")
    assert not any(source.startswith("person:") for source, _ in edges(out, "MADE"))
    assert not any(source.startswith("person:") for source, _ in edges(out, "COMMENTED_ON"))


def test_an_agency_s_tally_is_no_comment_on_the_cell():
    out = run("Police dismantled a terrorist cell in Tangier, the BCIJ said. Morocco has "
              "dismantled more than 40 cells since 2020, the Interior Ministry said.", "en")
    speakers = {s for s, _ in edges(out, "MADE")}
    assert {"agency:bcij-ma", "agency:interior-ma"} <= speakers
    assert len(edges(out, "COMMENTED_ON")) == 1


def test_places_after_bkul_min_are_listed_scenes_not_origins():
    out = run("فككت الشرطة خلية إرهابية، وأوقفت أفرادها بكل من طنجة وشفشاون.", "ar")
    assert len(targets(out, "OPERATED_IN")) == 2


@pytest.mark.parametrize("lang, text", [
    ("ar", "فككت مفارز الجيش خلية إرهابية بجيجل. كما أوقفت مفارز مشتركة 14 مهربا بتمنراست."),
    ("en", "Army detachments dismantled a terrorist cell in Jijel. Joint detachments also "
           "arrested 14 smugglers in Tamanrasset."),
])
def test_smugglers_arrested_in_a_weekly_tally_are_not_the_cell(lang, text):
    assert targets(run(text, lang), "OPERATED_IN") == {"region:dz-18"}
