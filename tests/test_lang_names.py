"""Names the extractor makes up are in one script, the article's, with the other languages'
forms beside as name_ar/name_fr/name_en (loaders/assemble.py, by the rule of ctkg/display.py).
No database: the batches of small articles and of the dev set."""
from __future__ import annotations

from pathlib import Path

import pytest

from ctkg.display import display_name, in_script, place_in, with_details
from ctkg.graph.schema import load_schema
from ctkg.loaders.articles import RawArticle, read_text
from ctkg.loaders.extractor import extract

ROOT = Path(__file__).resolve().parent.parent
MADE_UP = ("Incident", "WeaponsCache")  # and unnamed cells
CEUTA = ("فككت الشرطة الإسبانية خلية موالية لتنظيم داعش في سبتة، وأوقفت أربعة أشخاص، "
         "وحجزت أسلحة نارية وذخيرة.")
TANGIER = ("Moroccan police dismantled a terrorist cell loyal to the Islamic State in Tangier "
           "on Monday.")


def nodes(text: str, lang: str, label: str) -> list[dict]:
    batch = extract(RawArticle(text, lang=lang, published="2026-03-10"))
    return [{"id": n.id, **n.props} for n in batch.nodes if n.label == label]


def test_a_place_known_only_in_latin_letters_is_named_as_the_arabic_article_spells_it():
    """Ceuta has no Arabic name in the vocabulary: the cell was "خلية موالية (Ceuta)"."""
    [cell] = nodes(CEUTA, "ar", "Cell")
    assert cell["name"] == cell["name_ar"] == "خلية موالية (سبتة، 2026-03-10)"
    assert cell["name_fr"] == "cellule (Ceuta, 2026-03-10)"
    assert cell["name_en"] == "cell (Ceuta, 2026-03-10)"


def test_the_incident_is_named_in_the_article_s_language_with_the_others_beside():
    [incident] = nodes(CEUTA, "ar", "Incident")
    assert incident["name"] == incident["name_ar"] == "تفكيك خلية موالية (سبتة، 2026-03-10)"
    assert incident["name_fr"] == "démantèlement cellule (Ceuta, 2026-03-10)"
    assert incident["name_en"] == "dismantlement cell (Ceuta, 2026-03-10)"


def test_a_weapons_cache_is_named_in_the_article_s_language():
    [cache] = nodes(CEUTA, "ar", "WeaponsCache")
    assert cache["name"].startswith("مخبأ أسلحة (") and in_script(cache["name"], "ar")


def test_an_english_article_names_the_place_as_it_spells_it():
    """The vocabulary's Tanger has no English name: the article's "Tangier", not "Tanger"."""
    [cell] = nodes(TANGIER, "en", "Cell")
    assert cell["name"] == cell["name_en"] == "terrorist cell (Tangier, 2026-03-10)"
    assert cell["name_fr"] == "cellule (Tanger, 2026-03-10)"
    assert cell["name_ar"] == "خلية (طنجة، 2026-03-10)"
    [incident] = nodes(TANGIER, "en", "Incident")
    assert incident["name"] == "dismantlement terrorist cell (Tangier, 2026-03-10)"


def test_the_stored_forms_are_what_display_shows():
    """name_fr of a cell is what `--lang fr` remakes from the graph for it."""
    batch = extract(RawArticle(CEUTA, lang="ar", published="2026-03-10"))
    by_id = {n.id: n for n in batch.nodes}
    [cell] = [n for n in batch.nodes if n.label == "Cell"]
    places = [by_id[e.target].props for e in batch.edges
              if e.source == cell.id and e.type in ("OPERATED_IN", "TARGETED")]
    for lang in ("fr", "en"):
        assert display_name({**cell.props, "places": places}, "Cell", lang) == \
            cell.props[f"name_{lang}"]
    [incident] = [n for n in batch.nodes if n.label == "Incident"]
    shown = display_name({**incident.props, "cells": [{**cell.props, "places": places}]},
                         "Incident", "fr")
    assert shown == incident.props["name_fr"]


def test_a_place_with_no_name_in_the_script_is_left_out():
    assert place_in({"name": "Ceuta", "name_en": "Ceuta"}, "ar") is None
    assert place_in({"name": "Ceuta", "aliases": ["سبتة"]}, "ar") == "سبتة"
    assert with_details("خلية", [None, "2026-03-10"], "ar") == "خلية (2026-03-10)"
    assert with_details("cell", [None, None], "en") == "cell"


def test_display_reads_the_older_names_too():
    """Graphs written before start an incident's name with its kind's id."""
    old = {"name": "dismantlement خلية (طنجة)", "kind": "dismantlement",
           "cells": [{"name": "خلية (طنجة)", "named": False,
                      "places": [{"name": "Tanger", "name_ar": "طنجة", "name_fr": "Tanger"}]}]}
    assert display_name(old, "Incident", "fr") == "démantèlement cellule (Tanger)"
    assert display_name(old, "Incident", "ar") == "تفكيك خلية (طنجة)"


def test_the_schema_allows_the_forms():
    for label in ("Cell", "Incident"):
        assert {"name_ar", "name_fr", "name_en"} <= set(load_schema().node(label).allowed)


@pytest.mark.parametrize("folder", ["devset/ar", "devset/fr", "devset/en", "devset/genres"])
def test_every_made_up_name_of_the_dev_set_is_in_one_script(folder):
    """Unnamed cells, incidents and caches: name in the article's script, name_xx in xx's."""
    checked, mixed = 0, []
    for path in sorted((ROOT / folder).rglob("*.txt")):
        raw = read_text(path)
        batch = extract(raw)
        lang = batch.article.lang
        for node in batch.nodes:
            if node.label not in MADE_UP and not (node.label == "Cell"
                                                  and node.props.get("named") is False):
                continue
            checked += 1
            forms = {"name": lang} | {f"name_{x}": x for x in ("ar", "fr", "en")}
            for prop, script in forms.items():
                value = node.props.get(prop)
                if value is not None and not in_script(value, script):
                    mixed.append((path.name, node.label, prop, value))
    assert checked >= 5 and mixed == [], mixed[:10]
