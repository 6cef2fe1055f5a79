"""Queries rewritten to answer their first page in interactive time on a large graph (issue 13,
item 5) give the same rows as the plain formulation they replace: the fixture world, and a
small synthetic corpus (many cells, people and organisations, ties between routes)."""
from __future__ import annotations

import pytest

from ctkg.queries.library import get_query
from ctkg.queries.runner import run_cypher, run_query

# The plain formulations: every path enumerated, every cell grouped, then sorted.
PLAIN = {
    "organisation-network": """
MATCH (o:Organisation)
WHERE o.id = $organisation OR toLower(o.name) = toLower($organisation)
CALL (o) {
  MATCH p = (o)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS*1..1]-(x) WHERE $hops = 1 RETURN p, x
  UNION
  MATCH p = (o)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS*1..2]-(x) WHERE $hops = 2 RETURN p, x
  UNION
  MATCH p = (o)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS*1..3]-(x) WHERE $hops = 3 RETURN p, x
  UNION
  MATCH p = (o)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS*1..4]-(x) WHERE $hops = 4 RETURN p, x
}
WITH o, x, p WHERE x <> o
  AND none(n IN nodes(p)[1..] WHERE any(h IN split(coalesce($leave_out, ''), ',')
           WHERE trim(h) IN labels(n) OR (n:Region AND n.kind = trim(h))))
WITH x, p ORDER BY length(p), [n IN nodes(p) | n.id]
WITH x, collect(p)[0] AS p
RETURN x.name AS entity, x.id AS entity_id, labels(x)[0] AS kind, length(p) AS hops,
       [n IN nodes(p)[1..-1] | n.name] AS via
ORDER BY hops, kind, entity_id
""",
    "cells-by-organisation": """
MATCH (o:Organisation)
WHERE CASE WHEN $organisation IS NULL THEN NOT (o)-[:PART_OF]->(:Organisation)
           ELSE o.id = $organisation OR toLower(o.name) = toLower($organisation) END
CALL (o) {
  MATCH (o)<-[:PART_OF*0..6]-(unit:Organisation)<-[link:AFFILIATED_WITH|DIRECTED_BY]-(c:Cell)
  WITH c, unit, type(link) AS link ORDER BY link, unit.name
  WITH c, collect(DISTINCT link) AS links,
       collect(DISTINCT CASE WHEN unit <> o THEN unit.name END) AS via
  RETURN c, links, via
}
RETURN o.name AS organisation, o.id AS organisation_id, c.name AS cell, c.id AS cell_id,
       links, via, c.country AS country, c.members AS members, c.arrests AS arrests,
       COLLECT { MATCH (c)-[:DISMANTLED_BY]->(a:Agency) RETURN a.name AS n ORDER BY n }
         AS dismantled_by
ORDER BY organisation_id, cell_id
""",
    "agency-scorecard": """
MATCH (a:Agency)
WHERE $agency IS NULL OR a.id = $agency OR toLower(a.name) = toLower($agency)
CALL (a) {
  CALL (a) {
    MATCH (c:Cell)-[:DISMANTLED_BY]->(a)
    RETURN c
    UNION
    MATCH (a)<-[:CONDUCTED_BY]-(:Incident {kind: 'dismantlement'})-[:INVOLVED]->(c:Cell)
    RETURN c
  }
  CALL (a, c) {
    OPTIONAL MATCH (c)<-[:INVOLVED]-(i:Incident)-[:CONDUCTED_BY]->(a)
    RETURN min(left(i.date, 4)) AS incident_year
  }
  CALL (c, incident_year) {
    OPTIONAL MATCH (art:Article)-[:MENTIONS]->(c) WHERE incident_year IS NULL
    RETURN min(left(art.published, 4)) AS published_year
  }
  WITH toInteger(coalesce(incident_year, published_year)) AS year, c ORDER BY c.name
  RETURN year, count(c) AS cells_dismantled, collect(c.name) AS cells,
         sum(coalesce(c.arrests, 0)) AS arrests
}
RETURN a.name AS agency, a.id AS agency_id, a.country AS agency_country, year,
       cells_dismantled, cells, arrests
ORDER BY agency_id, year
""",
    "merge-candidates": """
MATCH (n:Cell|Organisation|Agency|Person|Region)
WITH n, labels(n)[0] AS label
WHERE $label IS NULL OR label = $label
UNWIND [x IN [n.name, n.name_ar, n.name_fr, n.name_en] + coalesce(n.aliases, [])
        WHERE x IS NOT NULL | toLower(trim(x))] AS key
WITH label, key, collect(DISTINCT n) AS same
WHERE 1 < size(same) <= $max_sharing
UNWIND same AS a
UNWIND same AS b
WITH label, key, a, b
WHERE a.id < b.id
  AND (a.country IS NULL OR b.country IS NULL OR toUpper(a.country) = toUpper(b.country))
  AND (a.kind IS NULL OR b.kind IS NULL OR a.kind = b.kind)
  AND NOT EXISTS { MATCH (j:Judgement {left: a.id}) WHERE j.right = b.id AND j.decision = 'negative' }
WITH label, a, b, key ORDER BY key
WITH label, a, b, collect(DISTINCT key) AS shared
RETURN label, a.id AS left_id, a.name AS left_name, b.id AS right_id, b.name AS right_name,
       toLower(trim(a.name)) = toLower(trim(b.name)) AS same_name, shared
ORDER BY label, left_id, right_id
""",
}
MERGE_PARAMS = [{"label": label, "max_sharing": n}
                for label in (None, "Cell", "Region", "Person", "Organisation", "Agency")
                for n in (2, 3, 100)]
LEAVE_OUT = (None, "Person", "Cell", "Organisation", "country, supra")


def same_rows(driver, query_id: str, params: dict) -> list[dict]:
    """The library query's rows, checked equal to the plain formulation's."""
    query = get_query(query_id)
    rows = run_query(driver, query, {k: str(v) for k, v in params.items() if v is not None},
                     limit=None).rows
    plain = run_cypher(driver, PLAIN[query_id], query.bind(
        {k: str(v) for k, v in params.items() if v is not None})).rows
    assert rows == plain, (query_id, params)
    return rows


def ids(driver, label: str) -> list[str]:
    return [r["id"] for r in driver.execute_query(
        f"MATCH (n:`{label}`) RETURN n.id AS id ORDER BY id").records]


def test_the_world_gives_the_same_rows(graph):
    for org in ids(graph, "Organisation"):
        for hops in (1, 2, 3, 4):
            for out in LEAVE_OUT:
                same_rows(graph, "organisation-network",
                          {"organisation": org, "hops": hops, "leave_out": out})
        assert same_rows(graph, "cells-by-organisation", {"organisation": org}) is not None
    assert same_rows(graph, "cells-by-organisation", {})
    assert same_rows(graph, "agency-scorecard", {})
    for agency in ids(graph, "Agency"):
        same_rows(graph, "agency-scorecard", {"agency": agency})
    assert sum(len(same_rows(graph, "merge-candidates", p)) for p in MERGE_PARAMS) > 0


@pytest.fixture(scope="module")
def synthetic(session_driver):
    """300 articles of the synthetic corpus, written by the writer (tests must not write)."""
    from ctkg.corpus import generate
    from ctkg.graph.writer import GraphWriter
    from ctkg.ingest import extract_all

    with session_driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS").consume()
    writer = GraphWriter(session_driver)
    writer.ensure_schema()
    batches = [b for b in extract_all(generate(300, seed=3), workers=1) if hasattr(b, "nodes")]
    writer.write_many(batches)
    return session_driver


def test_a_synthetic_corpus_gives_the_same_rows(synthetic):
    orgs = ids(synthetic, "Organisation")
    busiest = synthetic.execute_query(
        "MATCH (o:Organisation)-[r]-() RETURN o.id AS id, count(r) AS n "
        "ORDER BY n DESC, id LIMIT 3").records
    for org in [r["id"] for r in busiest]:
        for hops in (1, 2, 3):
            for out in (None, "Person", "Organisation"):
                rows = same_rows(synthetic, "organisation-network",
                                 {"organisation": org, "hops": hops, "leave_out": out})
                assert rows or out
    for org in orgs:
        same_rows(synthetic, "cells-by-organisation", {"organisation": org})
    assert len(same_rows(synthetic, "cells-by-organisation", {})) > 50
    assert len(same_rows(synthetic, "agency-scorecard", {})) > 20
    for agency in ids(synthetic, "Agency")[:10]:
        same_rows(synthetic, "agency-scorecard", {"agency": agency})
    for params in MERGE_PARAMS:
        same_rows(synthetic, "merge-candidates", params)
    assert len(same_rows(synthetic, "merge-candidates", {})) > 10
