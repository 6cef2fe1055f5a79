"""One graph across languages: the same organisation and agency written in Arabic, French and
English, ingested from three articles, are one node each, with every surface form kept."""
from __future__ import annotations

from ctkg.graph.writer import GraphWriter
from ctkg.ingest import ingest

ARTICLES = {
    "ar.txt": "تفكيك خلية إرهابية بطنجة\n\nتمكن المكتب المركزي للأبحاث القضائية من تفكيك خلية "
              "إرهابية موالية لتنظيم داعش تنشط بمدينة طنجة.\n",
    "fr.txt": "Démantèlement d'une cellule à Tanger\n\nLe Bureau central d'investigations "
              "judiciaires (BCIJ) a démantelé une cellule terroriste affiliée à Daech à Tanger. "
              "Selon le BCIJ, les suspects avaient prêté allégeance à l'État islamique.\n",
    "en.txt": "Cell broken up in Tangier\n\nMorocco's BCIJ dismantled a terrorist cell linked "
              "to ISIS in Tangier, the agency said.\n",
}


def test_one_node_per_real_thing_across_three_languages(driver, tmp_path):
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    writer = GraphWriter(driver)
    writer.ensure_schema()
    outcome = ingest([str(tmp_path)], writer)
    assert outcome.batches == 3 and not outcome.failures
    orgs = driver.execute_query(
        "MATCH (o:Organisation) RETURN o.id AS id, o.aliases AS aliases").records
    assert [o["id"] for o in orgs] == ["org:islamic-state"]
    aliases = set(orgs[0]["aliases"])
    assert {"Daech", "ISIS", "État islamique"} <= aliases
    assert any("داعش" in a for a in aliases)  # "تنظيم داعش": the longest name matched
    # (the BCIJ's parents, DGST and the ministry, come in as reference facts, unmentioned)
    agencies = driver.execute_query(
        "MATCH (a:Agency)<-[:MENTIONS]-(art:Article) "
        "RETURN a.id AS id, count(art) AS articles").records
    assert [(a["id"], a["articles"]) for a in agencies] == [("agency:bcij-ma", 3)]
    langs = driver.execute_query(
        "MATCH (:Organisation {id: 'org:islamic-state'})<-[:MENTIONS]-(a:Article) "
        "RETURN collect(a.lang) AS langs").records[0]["langs"]
    assert sorted(langs) == ["ar", "en", "fr"]
    tangier = driver.execute_query(
        "MATCH (r:Region)<-[:MENTIONS]-(a:Article) WHERE r.name_fr = 'Tanger' "
        "RETURN r.id AS id, count(a) AS n").records
    assert [(t["id"], t["n"]) for t in tangier] == [(tangier[0]["id"], 3)]
    # a second ingest of the same three articles changes nothing
    again = ingest([str(tmp_path)], writer)
    assert sum(again.counters.values()) == 0
