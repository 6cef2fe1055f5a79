"""Small golden-span tests, one rule each: an article of a sentence or two in, the nodes and
edges that rule must (or must not) produce out."""
from __future__ import annotations

import pytest

from ctkg.loaders.articles import RawArticle
from ctkg.loaders.extractor import extract


def run(text: str, lang: str) -> dict:
    return extract(RawArticle(text=text, lang=lang)).to_contract()


def mentions(out: dict, label: str) -> list[str]:
    return [m["text"] for n in out["nodes"] if n["label"] == label for m in n["mentions"]]


def node_ids(out: dict, label: str) -> list[str]:
    return [n["id"] for n in out["nodes"] if n["label"] == label and n["mentions"]]


def edges(out: dict, type_: str) -> list[tuple[str, str]]:
    return [(e["source"], e["target"]) for e in out["edges"] if e["type"] == type_]


# -- generic but located agencies --------------------------------------------------------

def test_one_generic_body_in_three_languages_is_one_node():
    ids = {node_ids(run(text, lang), "Agency")[0] for lang, text in [
        ("en", "The Spanish authorities arrested three men in Ceuta."),
        ("fr", "Les autorités espagnoles ont arrêté trois hommes à Ceuta."),
        ("ar", "أعلنت السلطات الإسبانية توقيف ثلاثة أشخاص في سبتة.")]}
    assert ids == {"agency:authorities-es"}


def test_a_generic_body_without_a_nationality_is_not_an_agency():
    out = run("The authorities arrested three men in Ceuta on Tuesday.", "en")
    assert node_ids(out, "Agency") == []


def test_the_located_body_acts_on_the_cell():
    out = run("Les services de sécurité français ont démantelé une cellule terroriste à Lyon.",
              "fr")
    [cell] = node_ids(out, "Cell")
    assert (cell, "agency:security-services-fr") in edges(out, "DISMANTLED_BY")


# -- statements (their rules are tested in test_statements.py) --------------------------

def statements(out: dict) -> list[tuple[str, str]]:
    return [(n["speaker"], n["text"]) for n in out["nodes"] if n["label"] == "Statement"]


# -- cells not called cells --------------------------------------------------------------

@pytest.mark.parametrize("lang, text, group", [
    ("en", "Police arrested four suspected Islamic State members in Tangier on Monday.",
     "four suspected Islamic State members"),
    ("fr", "La police a interpellé quatre individus à Tanger lundi.", "quatre individus"),
    ("ar", "أوقفت الشرطة أربعة متطرفين بمدينة طنجة يوم الإثنين.", "أربعة متطرفين"),
])
def test_a_counted_group_of_plotters_is_a_cell_when_no_cell_is_named(lang, text, group):
    out = run(text, lang)
    assert mentions(out, "Cell") == [group]
    [cell] = node_ids(out, "Cell")
    [tangier] = [n["id"] for n in out["nodes"] if n["label"] == "Region"
                 and any(m["text"] in ("Tangier", "Tanger", "طنجة") for m in n["mentions"])]
    assert (cell, tangier) in edges(out, "OPERATED_IN")


def test_the_group_is_referred_back_to_by_a_definite_member_noun():
    out = run("Police arrested four suspects in Tangier on Monday.\n"
              "The suspects had pledged allegiance to the Islamic State.", "en")
    assert mentions(out, "Cell") == ["four suspects", "suspects"]
    [cell] = node_ids(out, "Cell")
    assert (cell, "org:islamic-state") in edges(out, "AFFILIATED_WITH")


def test_a_counted_group_is_no_cell_when_the_article_names_one():
    out = run("Police dismantled a terrorist cell in Tangier and arrested four suspects.", "en")
    assert mentions(out, "Cell") == ["terrorist cell"]


def test_people_counted_outside_a_plot_are_no_cell():
    out = run("Four people attended the conference on security in Rabat.", "en")
    assert node_ids(out, "Cell") == []


# -- OPERATED_IN at every level ----------------------------------------------------------

def test_the_country_written_with_the_town_is_operated_in_too():
    out = run("Moroccan police dismantled a terrorist cell in Tangier, in Morocco, on Monday.",
              "en")
    [cell] = node_ids(out, "Cell")
    targets = {t for _, t in edges(out, "OPERATED_IN")}
    assert "region:ma" in targets and any(t.startswith("region:ma-") for t in targets)


# -- places ------------------------------------------------------------------------------

def test_a_dateline_in_capitals_names_its_town():
    out = run("BERLIN (AP) — German special forces arrested three men in Düsseldorf on Tuesday.",
              "en")
    assert {"BERLIN", "Düsseldorf"} <= set(mentions(out, "Region"))


def test_a_town_name_that_is_also_a_word_needs_its_capital():
    out = run("The police arrested three men in Ans on Tuesday; the suspects were in berlin.", "en")
    assert "berlin" not in mentions(out, "Region")


def test_an_unnamed_cell_is_named_after_its_place_and_the_normalised_date():
    out = extract(RawArticle(text="La police a démantelé une cellule terroriste à Tanger.",
                             lang="fr", published="12 septembre 2024")).to_contract()
    [cell] = [n["name"] for n in out["nodes"] if n["label"] == "Cell"]
    assert cell == "cellule terroriste (Tanger, 2024-09-12)"


# -- seen on real French reporting ---------------------------------------------------------

def test_la_garde_civile_is_the_guardia_civil_not_a_town():
    out = run("La Garde civile espagnole a arrêté un membre de Daech à Guadalajara.", "fr")
    assert not any(i.startswith("region:fr-la-garde") for i in node_ids(out, "Region"))
    assert "Garde civile espagnole" in mentions(out, "Agency")


def test_institutions_and_channels_are_neither_persons_nor_places():
    out = run("Les suspects ont été entendus au Quai des Orfèvres, selon BFM TV. Les armes "
              "saisies ont été remises au Laboratoire de la police à Rabat.", "fr")
    assert node_ids(out, "Person") == []
    assert "Laboratoire" not in mentions(out, "Region")


def test_outlets_courts_and_regional_adjectives_are_no_persons():
    out = run("Police in Flemish Brabant arrested two men, Arab Today reported. They appeared "
              "at the Old Bailey, where Zaiur Rahman was also tried.", "en")
    assert mentions(out, "Person") == ["Zaiur Rahman"]
