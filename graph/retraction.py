"""Retracting an article: it goes, with everything only it supported.

What an article supports: the facts it states (its Evidence), and the vocabulary facts its
entities brought in (an agency's parent, the province a city lies in: origin "reference").
A fact another article states stays; a vocabulary node stays while something that stays
still points to it, and then it is `origin: "reference"` again.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from ctkg.graph.provenance import disputed_query, reported_properties
from ctkg.graph.schema import Schema
from ctkg.graph.summaries import release_summaries, update_summaries

COUNTER_FIELDS = ("nodes_created", "nodes_deleted", "relationships_created",
                  "relationships_deleted", "properties_set", "labels_added")

# Deep enough for the vocabulary's chains (city, province, region, country; branch, parent).
REFERENCE_DEPTH = 6

FACTS = """
MATCH (:Article {id: $id})-[:STATES]->(e:Evidence)
RETURN e.fact AS fact, e.fact_kind AS kind
"""

# Nodes the vocabulary reaches from the article's nodes (before anything is deleted).
REACHED = f"""
UNWIND $ids AS fid
MATCH (n {{id: fid}})-[rs*1..{REFERENCE_DEPTH}]->(m)
WHERE all(r IN rs WHERE r.origin = 'reference')
RETURN DISTINCT m.id AS id, labels(m)[0] AS label
"""

# The aliases of the articles that still mention a node (each MENTIONS keeps its article's).
KEPT_ALIASES = """
UNWIND $ids AS fid
MATCH (n {id: fid})
WHERE NOT EXISTS { MATCH (:Article)-[m:MENTIONS]->(n) WHERE m.aliases IS NULL }
WITH n, COLLECT { MATCH (:Article)-[m:MENTIONS]->(n) UNWIND m.aliases AS x
                  RETURN DISTINCT x ORDER BY x } AS kept
WHERE size(kept) > 0 AND kept <> coalesce(n.aliases, [])
SET n.aliases = kept
"""


def retract_tx(tx, article_id: str, schema: Schema) -> Counter:
    """In a transaction: remove the article, the facts only it stated, and the vocabulary
    nodes nothing left points to."""
    counters: Counter = Counter()
    reported = reported_properties(schema)

    def run(query: str, **params) -> None:
        add_counters(counters, tx.run(query, **params).consume().counters)

    facts = tx.run(FACTS, id=article_id).data()
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for f in facts:
        by_kind[f["kind"]].append(f)
    nodes = {label: [f["fact"] for f in by_kind[label]] for label in by_kind
             if label in schema.nodes}
    for label, ids in list(nodes.items()):
        for row in tx.run(REACHED.replace("(n {id", f"(n:`{label}` {{id"), ids=ids):
            if row["label"] in schema.nodes:
                nodes.setdefault(row["label"], []).append(row["id"])
    # The regions' counts lose what these nodes brought; update_summaries puts back what stays.
    release_summaries(tx, [i for ids in nodes.values() for i in ids])
    run("MATCH (:Article {id: $id})-[:STATES]->(e:Evidence) DETACH DELETE e", id=article_id)
    # Relationships first, so that a node left without support loses only its own edges.
    for type_ in (k for k in by_kind if k in schema.relationships):
        run(f"UNWIND $ids AS fid MATCH ()-[r:`{type_}` {{id: fid}}]->() "
            "WHERE NOT EXISTS { MATCH (:Evidence {fact: fid}) } DELETE r",
            ids=[f["fact"] for f in by_kind[type_]])
    run("MATCH (a:Article {id: $id}) DETACH DELETE a", id=article_id)
    # A node nothing states and nothing points to goes; that may leave its own vocabulary
    # targets unsupported, hence the rounds.
    for _ in range(REFERENCE_DEPTH + 1):
        before = counters["nodes_deleted"]
        for label, ids in nodes.items():
            run(f"UNWIND $ids AS fid MATCH (n:`{label}` {{id: fid}}) "
                "WHERE NOT EXISTS { MATCH (:Evidence {fact: fid}) } "
                "AND NOT EXISTS { MATCH (n)<--() } DETACH DELETE n", ids=sorted(set(ids)))
        if counters["nodes_deleted"] == before:
            break
    for label, ids in nodes.items():
        run(f"UNWIND $ids AS fid MATCH (n:`{label}` {{id: fid}}) "
            "WHERE NOT EXISTS { MATCH (:Evidence {fact: fid}) } "
            "AND coalesce(n.origin, '') <> 'reference' SET n.origin = 'reference'",
            ids=sorted(set(ids)))
        run(KEPT_ALIASES.replace("(n {id", f"(n:`{label}` {{id"), ids=sorted(set(ids)))
        if label in reported:  # what the remaining sources disagree on
            run(disputed_query(label), ids=sorted(set(ids)), props=reported[label])
    # The query summaries of what stays (derived values: not counted as changes).
    update_summaries(tx, [i for ids in nodes.values() for i in ids])
    return counters


def release_tx(tx, article_id: str, locators: list[str] | None, schema: Schema) -> Counter:
    """In a transaction: the article is no longer at these locators (None: anywhere). While
    other locators still hold its text, only these leave it; otherwise it is retracted."""
    if locators is not None:
        row = tx.run("MATCH (a:Article {id: $id}) RETURN coalesce(a.locators, [a.locator]) AS l",
                     id=article_id).single()
        left = sorted(set(row["l"]) - set(locators)) if row else []
        if left:
            counters: Counter = Counter()
            add_counters(counters, tx.run(
                "MATCH (a:Article {id: $id}) SET a.locators = $left, a.locator = $left[0]",
                id=article_id, left=left).consume().counters)
            return counters
    return retract_tx(tx, article_id, schema)


def add_counters(total: Counter, summary_counters) -> None:
    for name in COUNTER_FIELDS:
        total[name] += getattr(summary_counters, name)
