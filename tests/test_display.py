"""Names shown in one language (`--lang ar|fr|en`) and ids an analyst can type, against the
real Neo4j: the shipped examples (the Tangier story in Arabic, French and English, and an
Arabic seed article) ingested as `ctkg demo` does."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import ctkg.cli
from ctkg.display import display_name, in_script, localise, name_columns
from ctkg.graph.ids import make_id
from tests.ingested import ingest_fresh

ctkg.cli._register()
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TYPABLE = re.compile(r"[a-z]+:[a-z0-9-]+")


@pytest.fixture(scope="module")
def demo(session_driver):
    ingest_fresh(session_driver, [str(EXAMPLES)])
    return session_driver


def run(*args: str) -> list[dict]:
    result = CliRunner().invoke(ctkg.cli.cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# -- the rule, on node properties ------------------------------------------------------------

ORG = {"name": "Islamic State", "name_ar": "الدولة الإسلامية", "name_fr": "État islamique",
       "name_en": "Islamic State", "aliases": ["Daech", "داعش"]}


def test_a_vocabulary_name_in_each_language():
    assert display_name(ORG, "Organisation", "ar") == "الدولة الإسلامية"
    assert display_name(ORG, "Organisation", "fr") == "État islamique"
    assert display_name(ORG, "Organisation", "en") == "Islamic State"


def test_a_person_read_in_one_script_is_shown_by_an_alias_in_another():
    person = {"name": "إياد أغ غالي", "aliases": ["Iyad Ag Ghaly", "إياد أغ غالي", "Ag Ghaly"]}
    assert display_name(person, "Person", "fr") == "Iyad Ag Ghaly"  # the longest alias
    assert display_name(person, "Person", "ar") == "إياد أغ غالي"


def test_nothing_in_the_script_falls_back_to_the_name_as_stored():
    person = {"name": "سفيان العياري", "aliases": ["سفيان العياري"]}
    assert display_name(person, "Person", "en") == "سفيان العياري"
    # a French name serves English when there is no English one, not the other way round
    place = {"name": "Tanger", "name_fr": "Tanger"}
    assert display_name(place, "Region", "en") == "Tanger"
    assert display_name(place, "Region", "ar") == "Tanger"


def test_a_cell_s_mentions_are_no_names():
    cell = {"name": "Tangier cell", "aliases": ["الخلية", "the cell"]}
    assert display_name(cell, "Cell", "ar") == "Tangier cell"


def test_scripts():
    assert in_script("الدولة الإسلامية", "ar") and not in_script("الدولة الإسلامية", "fr")
    assert in_script("État islamique", "fr") and in_script("État islamique", "en")
    assert not in_script("خلية (Ceuta)", "ar") and not in_script("خلية (Ceuta)", "en")
    assert not in_script("2026-03-10", "en") and not in_script(None, "ar")


def test_name_columns_pair_names_with_their_ids():
    assert name_columns(["organisation", "organisation_id", "cell", "cell_id", "via"]) == \
        {"organisation": "organisation_id", "cell": "cell_id"}
    assert name_columns(["label", "left_id", "left_name", "right_id", "right_name"]) == \
        {"left_name": "left_id", "right_name": "right_id"}
    assert name_columns(["label", "id", "name", "score"]) == {"name": "id"}
    assert name_columns(["incident", "incident_id", "cells", "cell_ids"]) == \
        {"incident": "incident_id", "cells": "cell_ids"}


# -- on the graph ----------------------------------------------------------------------------

def test_query_run_shows_names_in_the_chosen_language(demo, cli_env):
    default = run("query", "run", "cells-by-organisation")
    arabic = run("query", "run", "cells-by-organisation", "--lang", "ar")
    french = run("query", "run", "cells-by-organisation", "--lang", "fr")
    english = run("query", "run", "cells-by-organisation", "--lang", "en")
    assert len(default) == len(arabic) == len(french) == len(english) > 0
    row = {r["organisation_id"]: r for r in arabic}["org:islamic-state"]
    assert row["organisation"] == "الدولة الإسلامية"
    assert all(in_script(a, "ar") for a in row["dismantled_by"]), row["dismantled_by"]
    fr = {r["organisation_id"]: r for r in french}["org:islamic-state"]
    assert fr["organisation"] == "État islamique"
    assert all(in_script(a, "fr") for a in fr["dismantled_by"]), fr["dismantled_by"]
    en = {r["organisation_id"]: r for r in english}["org:islamic-state"]
    assert en["organisation"] == "Islamic State"
    # ids and everything but names are left alone
    strip = ("organisation", "cell", "dismantled_by", "via")
    assert [{k: v for k, v in r.items() if k not in strip} for r in arabic] == \
        [{k: v for k, v in r.items() if k not in strip} for r in default]


def test_localise_reads_the_nodes_by_id_and_by_name(demo):
    rows = [{"agency": "Central Bureau of Judicial Investigation", "agency_id": "agency:bcij-ma",
             "places": ["Tanger", "nowhere"], "n": 3}]
    out = localise(demo, rows, ["agency", "agency_id", "places", "n"], "ar")
    assert out[0]["agency"] == "المكتب المركزي للأبحاث القضائية"
    assert out[0]["places"] == ["طنجة", "nowhere"]
    assert out[0]["n"] == 3 and rows[0]["agency"].startswith("Central")  # input untouched
    pair = localise(demo, [{"agencies": ["BCIJ", "x"], "agency_ids": ["agency:bcij-ma", "y:z"]}],
                    ["agencies", "agency_ids"], "fr")
    assert pair[0]["agencies"] == ["Bureau central d'investigations judiciaires", "x"]


def test_the_tangier_cell_and_incident_are_remade_in_each_language(demo, cli_env):
    """One cell and one incident for the story told in three languages: stored under one
    language's name, shown in each."""
    shown = {}
    for lang in ("ar", "fr", "en"):
        rows = run("query", "run", "multi-source-incidents", "--lang", lang)
        shown[lang] = {r["incident_id"]: r["incident"] for r in rows}
    tangier = [i for i in shown["en"] if "2026-03-10" in shown["en"][i]]
    assert len(tangier) == 1
    assert shown["ar"][tangier[0]] == "تفكيك خلية (طنجة، 2026-03-10)"
    assert shown["fr"][tangier[0]] == "démantèlement cellule (Tanger, 2026-03-10)"
    assert shown["en"][tangier[0]] == "dismantlement cell (Tanger, 2026-03-10)"
    cells = {r["cell_id"]: r["cell"] for r in run("query", "run", "cells-by-organisation",
                                                   "--lang", "fr")}
    assert "cellule (Tanger, 2026-03-10)" in cells.values()


def test_the_rule_for_unnamed_cells_and_incidents():
    cell = {"name": "خلية إرهابية موالية (طنجة، 2026-03-10)", "named": False,
            "places": [{"name": "Tanger-Assilah", "name_ar": "طنجة-أصيلة"},
                       {"name": "Tanger", "name_ar": "طنجة", "name_fr": "Tanger"}]}
    assert display_name(cell, "Cell", "fr") == "cellule (Tanger, 2026-03-10)"
    assert display_name({**cell, "places": []}, "Cell", "en") == "cell (2026-03-10)"
    # nothing to remake it from: the stored name
    assert display_name({"name": "خلية", "named": False}, "Cell", "en") == "خلية"
    # a named cell keeps its name
    named = {"name": "أسود الخلافة في المغرب الأقصى", "named": True, "places": []}
    assert display_name(named, "Cell", "fr") == "أسود الخلافة في المغرب الأقصى"
    incident = {"name": "trial", "kind": "trial", "cells": []}
    assert display_name(incident, "Incident", "ar") == "محاكمة"
    unknown_kind = {"name": "raid خلية", "kind": "raid", "cells": []}
    assert display_name(unknown_kind, "Incident", "fr") == "raid خلية"


def test_cypher_lang_uses_the_id_beside_a_name(demo, cli_env):
    rows = run("cypher", "MATCH (o:Organisation {id: 'org:islamic-state'}) "
                         "RETURN o.name AS organisation, o.id AS organisation_id", "--lang", "fr")
    assert rows == [{"organisation": "État islamique", "organisation_id": "org:islamic-state"}]


def test_an_unknown_language_is_one_error(demo, cli_env):
    result = CliRunner().invoke(ctkg.cli.cli, ["query", "run", "timeline", "--lang", "de"])
    assert result.exit_code == 2 and "'de' is not one of 'ar', 'fr', 'en'" in result.output


# -- ids an analyst can type ----------------------------------------------------------------

def test_every_id_in_the_demo_graph_can_be_typed(demo):
    # (but a NameKey's: an internal summary whose id is the name it counts, never typed)
    ids = [r["id"] for r in demo.execute_query(
        "MATCH (n) WHERE n.id IS NOT NULL AND NOT n:Article AND NOT n:Evidence "
        "AND NOT n:NameKey RETURN n.id AS id").records]
    assert ids
    untypable = [i for i in ids if not (i.isascii() and " " not in i)]
    assert untypable == []
    arabic_only = demo.execute_query(
        "MATCH (p:Person) WHERE p.name =~ '[\\\\x{0600}-\\\\x{06FF} ]+' "
        "RETURN p.id AS id, p.name AS name").records
    for r in arabic_only:
        assert TYPABLE.fullmatch(r["id"]) and r["id"] == make_id("person", r["name"])


def test_an_arabic_key_gets_its_romanization_and_a_hash():
    cell = make_id("cell", "أسود الخلافة في المغرب الأقصى")
    assert cell == "cell:asud-al-khlafa-fi-al-mghrb-al-aqsi-4aca49"
    assert TYPABLE.fullmatch(cell)
    # the key is folded first, as before: spellings that met in one id still do
    assert make_id("person", "إياد أغ غالي") == make_id("person", "اياد اغ غالي")
    # two names that romanize alike keep apart: ص and س are both "s"
    sad, sin = make_id("person", "صالح"), make_id("person", "سالح")
    assert sad != sin and sad.rsplit("-", 1)[0] == sin.rsplit("-", 1)[0] == "person:salh"
    # Latin keys are unchanged
    assert make_id("person", "Iyad Ag Ghaly") == "person:iyad-ag-ghaly"
    assert make_id("org", "islamic-state") == "org:islamic-state"
