"""Golden spans for context errors met on real reporting: a body several countries name alike,
a news outlet's name, a place someone was only heading to. One rule each, a sentence or two of
our own in, what the rule must (or must not) produce out."""
from __future__ import annotations

import pytest

from tests.loaders.test_rules import edges, mentions, node_ids, run

# -- same-named bodies: the article's context decides ---------------------------------------


FR, DZ = "agency:dgsi-fr", "agency:dgsi-dz"


@pytest.mark.parametrize("lang, text, body, not_body", [
    ("fr", "La DGSI a interpellé deux hommes qui voulaient rejoindre la Syrie.", FR, DZ),
    ("fr", "La DGSI a arrêté mardi un jeune Français radicalisé.", FR, DZ),
    ("fr", "La DGSI a interpellé deux hommes à Lyon. Ils avaient séjourné en Syrie, puis en "
           "Syrie encore, et en Irak.", FR, DZ),
    ("en", "The DGSI arrested two men in Lyon, French prosecutors said.", FR, DZ),
    ("fr", "La DGSI a démantelé une cellule à Tizi Ouzou, ont annoncé les services de sécurité "
           "algériens.", DZ, FR),
    ("ar", "فككت المديرية العامة للأمن الداخلي خلية إرهابية بولاية بومرداس.", DZ, FR),
])
def test_the_dgsi_is_that_of_the_country_the_story_is_set_in(lang, text, body, not_body):
    ids = node_ids(run(text, lang), "Agency")
    assert body in ids
    assert not_body not in ids


def test_a_generic_body_in_a_story_set_elsewhere_is_still_that_country_s():
    out = run("La Gendarmerie nationale a arrêté trois hommes à Gao et à Tombouctou, au Mali.",
              "fr")
    ids = node_ids(out, "Agency")
    assert "agency:gendarmerie-fr" not in ids and "agency:gendarmerie-dz" not in ids


# -- a news outlet's name is no place ------------------------------------------------------


@pytest.mark.parametrize("lang, text, outlet", [
    ("ar", "وأفادت وكالة المغرب العربي للأنباء أن الأمن فكك خلية إرهابية بمدينة طنجة.",
     "المغرب العربي"),
    ("ar", "وقال مصدر أمني لوكالة المغرب العربي للانباء إن الخلية كانت تنشط بمدينة فاس.",
     "المغرب"),
    ("ar", "ونقلت وكالة تونس إفريقيا للأنباء أن الحرس الوطني أوقف عنصرين بالقصرين.", "تونس"),
    ("fr", "Selon l'Agence France-Presse, la police a démantelé une cellule à Tanger.", "France"),
    ("en", "Police dismantled a cell in Tangier, the Maghreb Arab Press reported.", "Maghreb"),
])
def test_a_news_agency_s_name_is_no_place(lang, text, outlet):
    out = run(text, lang)
    assert not any(outlet in m for m in mentions(out, "Region"))
    assert not any(outlet in m for m in mentions(out, "Person"))


def test_the_place_after_an_outlet_s_name_is_still_read():
    out = run("وأفادت وكالة المغرب العربي للأنباء أن الأمن فكك خلية إرهابية بمدينة طنجة.", "ar")
    assert "طنجة" in mentions(out, "Region")
    [cell] = node_ids(out, "Cell")
    assert (cell, "region:ma-001511010") in edges(out, "OPERATED_IN")


# -- where someone was heading is not where the cell operated --------------------------------


@pytest.mark.parametrize("lang, text", [
    ("ar", "أوقفت السلطات خلية إرهابية بطنجة، وكان أحد أفرادها قد حاول الالتحاق بسوريا."),
    ("ar", "أوقفت السلطات خلية إرهابية بطنجة، وكان زعيمها يعتزم الالتحاق بتنظيم داعش في سوريا."),
    ("ar", "أوقفت السلطات خلية إرهابية بطنجة، وكان زعيمها يعتزم الالتحاق بصفوف التنظيم في سوريا."),
    ("fr", "Les policiers ont démantelé une cellule à Lyon. L'un des membres de la cellule "
           "voulait partir en Syrie."),
    ("fr", "Les policiers ont démantelé une cellule à Lyon, dont un membre voulait rejoindre "
           "l'Irak et la Syrie."),
    ("fr", "Les policiers ont démantelé une cellule à Lyon, dont un membre voulait rejoindre "
           "les rangs de l'EI en Syrie."),
    ("en", "Police dismantled a cell in Leeds whose leader had tried to join ISIS in Syria."),
    ("en", "Police dismantled a cell in Leeds whose leader had tried to join the ranks of ISIS "
           "in Syria."),
    # camps, branches and articles between the travel word and the place
    ("fr", "La police a démantelé une cellule à Berkane. Ses membres planifiaient de rejoindre "
           "des camps d'une branche de Daech en Syrie."),
    ("en", "Police dismantled a cell in Berkane. Its members were planning to join the camps of "
           "an ISIS branch in Syria."),
    ("ar", "فككت الشرطة خلية إرهابية ببركان، وكان أفرادها يخططون للالتحاق بمعسكرات فرع داعش في "
           "سوريا."),
])
def test_a_place_someone_was_heading_to_is_not_operated_in(lang, text):
    out = run(text, lang)
    [cell] = node_ids(out, "Cell")
    assert (cell, "region:sy") not in edges(out, "OPERATED_IN")
    assert (cell, "region:sy") not in edges(out, "TARGETED")
    assert len(edges(out, "OPERATED_IN")) >= 1  # the place of the arrests stays


def test_a_journey_intended_is_no_target():
    out = run("أوقفت السلطات خلية إرهابية بطنجة، وكان أحد أفرادها يعتزم السفر إلى سوريا.", "ar")
    assert edges(out, "TARGETED") == []


def test_what_a_cell_meant_to_strike_stays_a_target_after_a_destination():
    out = run("La police a démantelé une cellule à Berkane. Ses membres planifiaient de rejoindre "
              "des camps d'une branche de Daech au Mali, avant de viser des sites sensibles au "
              "Maroc.", "fr")
    [cell] = node_ids(out, "Cell")
    assert edges(out, "TARGETED") == [(cell, "region:ma")]


def test_a_place_where_the_cell_was_active_still_counts_after_a_travel_word_elsewhere():
    out = run("Les policiers ont démantelé une cellule active à Lyon et à Grenoble.", "fr")
    [cell] = node_ids(out, "Cell")
    assert (cell, "region:fr-grenoble") in edges(out, "OPERATED_IN")


# -- what an incident word tells: an event, a purpose, a plan --------------------------------


def incident_kinds(out: dict) -> list[str]:
    return [n["kind"] for n in out["nodes"] if n["label"] == "Incident"]


@pytest.mark.parametrize("lang, text, kind", [
    ("ar", "وقال المصدر إن العملية تأتي لتحييد مخاطر التطرف. وفككت الأجهزة الأمنية خلية "
           "إرهابية بمدينة فاس.", "dismantlement"),
    ("fr", "Le préfet a salué la neutralisation de la menace. La police a démantelé une "
           "cellule terroriste à Lille.", "dismantlement"),
])
def test_an_incident_word_before_an_abstract_object_is_a_purpose(lang, text, kind):
    assert incident_kinds(run(text, lang)) == [kind]


@pytest.mark.parametrize("text", [
    "Le BCIJ a réussi mardi à mettre hors d'état de nuire une cellule terroriste à Errachidia.",
    "Les services de sécurité ont mis hors d’état de nuire un réseau terroriste à Tanger.",
])
def test_putting_a_cell_out_of_harm_s_way_is_a_dismantlement(text):
    assert incident_kinds(run(text, "fr")) == ["dismantlement"]


@pytest.mark.parametrize("lang, text", [
    ("fr", "La DGSI a interpellé mardi à Nice un jeune homme qui projetait un attentat."),
    ("en", "The three men were planning a terrorist attack on a stadium, police said. The cell "
           "was dismantled in Leeds."),
    ("ar", "كانت الخلية تخطط لعملية إرهابية تستهدف ملعبا بمدينة فاس، قبل أن تفككها الأجهزة "
           "الأمنية."),
])
def test_a_planned_attack_is_a_foiled_plot_not_an_attack(lang, text):
    kinds = incident_kinds(run(text, lang))
    assert "attack" not in kinds and "bombing" not in kinds


def test_an_attack_that_happened_stays_an_attack():
    out = run("Une attaque a visé une caserne de l'armée à Gao, au Mali.", "fr")
    assert incident_kinds(out) == ["attack"]
