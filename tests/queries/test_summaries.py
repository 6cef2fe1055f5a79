"""The summary properties the library's queries read (graph/summaries.py): their values, and
that writing and retracting keep them current (issue 13, item 5)."""
from __future__ import annotations

import threading
import time

import pytest

from ctkg.graph.summaries import NO_DAY, _params, update_summaries
from ctkg.graph.writer import GraphWriter
from tests.queries import world

HS_FR = "https://le360.example/societe/bcij-had-soualem"


def stale(driver) -> int:
    """How many summary properties a recomputation of every incident and cell changes."""
    with driver.session() as session:
        ids = [r["id"] for r in session.run("MATCH (n:Incident|Cell) RETURN n.id AS id")]
        return session.execute_write(update_summaries, ids)


def test_each_summary_statement_reads_the_ids_of_its_labels():
    params = _params(["stmt:q", "person:d", "cache:c", "cell:a", "incident:b", "region:r",
                      "no-prefix"])
    assert params["incidents"] == ["incident:b"]
    assert params["cells"] == ["cell:a"]
    assert params["caches"] == ["cache:c"]
    # NAMES seeks each id under its own label only
    assert params["named"] == [{"id": "cell:a", "label": "Cell"},
                               {"id": "person:d", "label": "Person"},
                               {"id": "region:r", "label": "Region"}]


# The regions' counts computed from the graph, as regional-hotspots did before it read them.
REGION_COUNTS = """
MATCH (r:Region)
CALL (r) {
  OPTIONAL MATCH (i:Incident)-[:OCCURRED_IN]->(:Region)-[:PART_OF*0..]->(r)
  WITH DISTINCT i
  RETURN count(i) AS incidents, sum(coalesce(i.arrests, 0)) AS arrests
}
CALL (r) {
  OPTIONAL MATCH (c:Cell)-[:OPERATED_IN]->(:Region)-[:PART_OF*0..]->(r)
  RETURN count(DISTINCT c) AS cells
}
RETURN r.id AS id, [incidents, cells, arrests] AS computed,
       [coalesce(r.incident_count, 0), coalesce(r.cell_count, 0),
        coalesce(r.incident_arrests, 0)] AS kept
"""


def region_counts_are_current(driver) -> bool:
    records, _, _ = driver.execute_query(REGION_COUNTS)
    return all(r["computed"] == r["kept"] for r in records) and len(records) > 10


def summary(driver, node_id: str) -> dict:
    records, _, _ = driver.execute_query(
        "MATCH (n {id: $id}) WHERE n:Incident OR n:Cell RETURN properties(n) AS p", id=node_id)
    return records[0]["p"]


def test_the_summaries_of_the_world(graph):
    hs = summary(graph, "incident:had-soualem-2024")
    assert (hs["day"], hs["day_start"], hs["article_count"], hs["report_count"]) == (
        "2024-09-12", "2024-09-12", 3, 3)
    assert hs["outlets"] == ["Hespress", "Le360", "Morocco World News"]
    assert hs["languages"] == ["ar", "en", "fr"] and hs["corroboration"] == 3
    tc = summary(graph, "incident:tanger-ceuta-2023")
    # Reuters only REPORTS it: counted, with its outlet and language.
    assert (tc["day"], tc["day_start"], tc["article_count"], tc["report_count"]) == (
        "2023-11", "2023-11-01", 2, 2)
    assert tc["outlets"] == ["Le Desk", "Reuters"] and tc["report_rank"] == -2
    cell = summary(graph, "cell:tanger-ceuta")
    assert (cell["countries"], cell["country_count"], cell["country_rank"]) == (
        ["Morocco", "Spain"], 2, -2)
    assert summary(graph, "cell:nador")["countries"] == ["Morocco"]  # the BCIJ's country
    nowhere = summary(graph, "cell:had-soualem-cell")  # known nowhere: in the index all the same
    assert (nowhere["countries"], nowhere["country_count"], nowhere["country_rank"]) == ([], 0, 0)


def test_recomputing_changes_nothing(graph):
    assert stale(graph) == 0
    assert region_counts_are_current(graph)
    morocco = graph.execute_query("MATCH (r:Region {id: 'region:ma'}) RETURN r.incident_count "
                                  "AS i, r.cell_count AS c, r.incident_arrests AS a").records[0]
    assert (morocco["i"], morocco["c"], morocco["a"]) == (2, 2, 10)


def test_an_undated_incident_takes_its_first_article_and_sorts_last_without_one(driver):
    world.build(driver)
    driver.execute_query("MATCH (i:Incident {id: 'incident:gao-2024'}) REMOVE i.date")
    driver.execute_query("CREATE (:Incident {id: 'incident:bare', kind: 'attack'})")
    with driver.session() as session:
        session.execute_write(update_summaries, ["incident:gao-2024", "incident:bare"])
    gao = summary(driver, "incident:gao-2024")
    assert (gao["day"], gao["day_start"]) == ("2024-03-02", "2024-03-02")
    bare = summary(driver, "incident:bare")
    assert "day" not in bare and bare["day_start"] == NO_DAY
    assert (bare["article_count"], bare["outlets"]) == (0, [])


def test_a_retraction_keeps_the_summaries_current(driver):
    world.build(driver)
    GraphWriter(driver).retract(world.article(HS_FR).article.id)
    hs = summary(driver, "incident:had-soualem-2024")
    assert hs["article_count"] == 2 and hs["outlets"] == ["Hespress", "Morocco World News"]
    assert hs["languages"] == ["ar", "en"]
    assert stale(driver) == 0 and region_counts_are_current(driver)


def test_retracting_the_only_article_of_an_incident_takes_it_out_of_the_regions(driver):
    world.build(driver)
    GraphWriter(driver).retract(world.article("https://rfi.example/fr/afrique/gao-embuscade")
                                .article.id)
    assert not driver.execute_query("MATCH (i:Incident {id: 'incident:gao-2024'}) "
                                    "RETURN i").records
    mali = driver.execute_query("MATCH (r:Region {id: 'region:ml'}) RETURN r.incident_count "
                                "AS i, r.cell_count AS c").records[0]
    assert (mali["i"], mali["c"]) == (0, 0)
    assert stale(driver) == 0 and region_counts_are_current(driver)


def test_the_writer_keeps_the_summaries_current(driver):
    world.build(driver, backfilled=False)
    assert stale(driver) == 0 and region_counts_are_current(driver)


def test_every_entity_label_has_a_first_seen_index():
    from ctkg.graph.schema import load_schema
    from ctkg.graph.summaries import NOT_ENTITIES, summary_statements

    schema = load_schema()
    statements = "\n".join(summary_statements(schema))
    assert set(NOT_ENTITIES) < set(schema.nodes)
    for label in set(schema.nodes) - set(NOT_ENTITIES):
        assert f"FOR (n:`{label}`) ON (n.`first_seen`)" in statements
    assert all(s.startswith("CREATE INDEX ") and " IF NOT EXISTS " in s
               for s in summary_statements(schema))


def test_a_graph_written_without_summaries_gets_them_at_the_next_start(driver):
    from ctkg.graph.writer import GraphWriter

    world.build(driver, backfilled=False)
    driver.execute_query("MATCH (n:Incident|Cell) REMOVE n.day_start, n.country_rank, "
                         "n.country_count, n.countries")
    missing = ("MATCH (n:Incident|Cell) WHERE n.day_start IS NULL AND n.country_rank IS NULL "
               "RETURN count(n) AS n")  # (each label has one of the two)
    assert driver.execute_query(missing).records[0]["n"] > 0
    GraphWriter(driver).ensure_schema()
    assert driver.execute_query(missing).records[0]["n"] == 0
    assert stale(driver) == 0 and region_counts_are_current(driver)


def test_a_cells_countries_wait_for_a_concurrent_write_of_that_cell(driver):
    # One transaction (left open) gives the cell a place in Spain; another writes an incident
    # in Algeria that involves the cell. The second must read the cell's places after the
    # first commits: computed before, its countries would miss Spain and overwrite the first.
    driver.execute_query("""
        CREATE (ma:Region {id: 'region:ma', name: 'Morocco', kind: 'country'}),
               (es:Region {id: 'region:es', name: 'Spain', kind: 'country'}),
               (dz:Region {id: 'region:dz', name: 'Algeria', kind: 'country'}),
               (c:Cell {id: 'cell:x', name: 'x'})-[:OPERATED_IN]->(ma),
               (:Incident {id: 'incident:x', kind: 'attack'})-[:INVOLVED]->(c)""")
    with driver.session() as session:
        session.execute_write(update_summaries, ["cell:x", "incident:x"])
    assert summary(driver, "cell:x")["countries"] == ["Morocco"]

    def incident_in_algeria(tx):
        tx.run("MATCH (i:Incident {id: 'incident:x'}), (r:Region {id: 'region:dz'}) "
               "CREATE (i)-[:OCCURRED_IN]->(r)").consume()
        update_summaries(tx, ["incident:x"])

    def write(work):
        with driver.session() as session:
            session.execute_write(work)

    with driver.session() as first, first.begin_transaction() as tx:
        tx.run("MATCH (c:Cell {id: 'cell:x'}), (r:Region {id: 'region:es'}) "
               "CREATE (c)-[:OPERATED_IN]->(r)").consume()
        update_summaries(tx, ["cell:x"])  # the cell is locked until this commits
        second = threading.Thread(target=write, args=(incident_in_algeria,))
        second.start()
        time.sleep(1.0)  # the second is now waiting for the cell
        assert second.is_alive()
        tx.commit()
    second.join(30)
    assert summary(driver, "cell:x")["countries"] == ["Algeria", "Morocco", "Spain"]
