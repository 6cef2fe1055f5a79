"""The gazetteer: one entry per organisation, agency and place, whatever the script."""
from __future__ import annotations

import pytest

from ctkg.loaders.gazetteer import Gazetteer, load_gazetteer
from ctkg.loaders.tokens import shared_tokenizer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def resolve(gaz: Gazetteer, name: str) -> set[str]:
    """Ids of the entries that a text consisting of `name` alone is read as."""
    found = gaz.matcher.find(shared_tokenizer()(name))
    assert len(found) == 1, f"{name!r} read as {[(m.text, [r.id for r in refs]) for refs, m in found]}"
    refs, match = found[0]
    assert match.text == name, f"{name!r} only partly matched ({match.text!r})"
    return {entry.id for entry in refs}


@pytest.mark.parametrize("name", ["داعش", "تنظيم الدولة الإسلامية", "الدولة الاسلامية",
                                  "Daech", "État islamique", "Etat islamique", "ISIS", "ISIL",
                                  "Islamic State"],
                         ids=["daesh-ar", "tanzim-ar", "dawla-ar", "daech-fr", "etat-fr",
                              "etat-fr-unaccented", "isis", "isil", "islamic-state"])
def test_islamic_state_in_every_script_is_one_entry(gaz, name):
    assert resolve(gaz, name) == {"org:islamic-state"}


def test_islamic_state_entry(gaz):
    entry = gaz.get("org:islamic-state")
    assert entry.label == "Organisation"
    assert entry.name == "Islamic State"


@pytest.mark.parametrize("name", ["المكتب المركزي للأبحاث القضائية", "البسيج",
                                  "Bureau central d'investigations judiciaires",
                                  "Central Bureau of Judicial Investigation", "BCIJ"],
                         ids=["ar", "ar-acronym", "fr", "en", "acronym"])
def test_bcij_in_three_languages_is_one_agency(gaz, name):
    [entry_id] = resolve(gaz, name)
    assert entry_id == resolve(gaz, "BCIJ").pop()
    entry = gaz.get(entry_id)
    assert entry.label == "Agency"
    assert entry.country == "MA"


def moroccan_city(gaz: Gazetteer, name: str) -> str:
    """The Moroccan city among the readings of `name` (a city may share its name with its
    prefecture, or with a place abroad)."""
    [entry_id] = [i for i in resolve(gaz, name)
                  if gaz.get(i).kind == "city" and gaz.get(i).country == "MA"]
    return entry_id


@pytest.mark.parametrize("name", ["طنجة", "Tanger", "وجدة", "الدار البيضاء", "فاس", "Fès"],
                         ids=["tanger-ar", "tanger-fr", "oujda", "casablanca", "fes-ar", "fes-fr"])
def test_moroccan_cities_are_part_of_morocco(gaz, name):
    entry_id = moroccan_city(gaz, name)
    entry = gaz.get(entry_id)
    assert entry.label == "Region"
    chain = gaz.ancestors(entry_id)
    assert [a.id for a in chain][-1] == "region:ma"
    assert [a.kind for a in chain] == ["province", "region", "country"]
    assert all(a.label == "Region" for a in chain)


def test_tangier_in_both_scripts_is_one_place(gaz):
    assert resolve(gaz, "طنجة") == resolve(gaz, "Tanger") == {moroccan_city(gaz, "طنجة")}
    assert moroccan_city(gaz, "فاس") == moroccan_city(gaz, "Fès")


def test_oujda_is_not_jeddah(gaz):
    [entry_id] = resolve(gaz, "وجدة")
    assert gaz.get(entry_id).country == "MA"


@pytest.mark.parametrize("names, region_id", [
    (["المغرب", "المملكة المغربية", "Maroc", "Morocco"], "region:ma"),
    (["موريتانيا", "Mauritanie", "Mauritania"], "region:mr"),
    (["الجزائر", "Algérie", "Algeria"], "region:dz"),
    (["مالي", "Mali"], "region:ml"),
], ids=["morocco", "mauritania", "algeria", "mali"])
def test_country_names_in_three_languages_map_to_one_region(gaz, names, region_id):
    for name in names:
        assert region_id in resolve(gaz, name), name
    entry = gaz.get(region_id)
    assert (entry.label, entry.kind) == ("Region", "country")


def test_ancestors_of_a_country_and_of_unknown_ids(gaz):
    assert gaz.ancestors("region:ma") == []
    assert gaz.ancestors("region:nowhere") == []
