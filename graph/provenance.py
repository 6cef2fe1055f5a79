"""Where a fact comes from: the articles, sentences, offsets and extractor behind it."""
from __future__ import annotations

import neo4j

PROVENANCE_QUERY = """
MATCH (a:Article)-[:STATES]->(e:Evidence {fact: $fact})
RETURN a.id AS article, a.locator AS locator, a.title AS title, a.url AS url,
       a.published AS published, e.sentence AS sentence, e.start AS start, e.end AS end,
       e.extractor AS extractor, e.extractor_version AS extractor_version,
       e.confidence AS confidence, e.first_seen AS first_seen, e.last_seen AS last_seen
ORDER BY first_seen, article
"""


def provenance(driver: neo4j.Driver, fact_id: str, database: str | None = None) -> list[dict]:
    """Supporting evidence of a node id ("org:...") or relationship id ("rel:...")."""
    records, _, _ = driver.execute_query(PROVENANCE_QUERY, fact=fact_id, database_=database,
                                         routing_=neo4j.RoutingControl.READ)
    return [r.data() for r in records]


def reported_properties(schema) -> dict[str, list[str]]:
    """Per label, the properties each source's own value is kept for (schema.yaml,
    provenance.reported): a Cell's members and arrests, an Incident's date and arrests."""
    return {label: list(props) for label, props in
            (schema.provenance.get("reported") or {}).items()}


def disputed_query(label: str) -> str:
    """Cypher (parameters $ids, $props): set each node's `disputed` to the reported
    properties its sources give different values for (none: the property goes). Written only
    on change."""
    return f"""
UNWIND $ids AS fid
MATCH (n:`{label}` {{id: fid}})
WITH n, [p IN $props WHERE size(COLLECT {{
    MATCH (e:Evidence {{fact: fid}}) WHERE e[p] IS NOT NULL RETURN DISTINCT e[p] AS v }}) > 1
  ] AS disputed
WHERE coalesce(n.disputed, []) <> disputed
SET n.disputed = CASE WHEN size(disputed) = 0 THEN null ELSE disputed END"""
