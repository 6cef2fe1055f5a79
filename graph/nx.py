"""The graph as a networkx MultiDiGraph: from a batch in memory, or a subgraph read from Neo4j.

Both give the same shape, so exporters and analyses do not care where a graph came from:

* node key: the node id; node attributes: ``label`` and the node's properties (without ``id``);
* edge key: the relationship type; edge attributes: the relationship's properties (``id``,
  ``origin``, ``confidence``, ``first_seen``...) and its first supporting sentence
  (``evidence``, ``evidence_start``, ``evidence_end``, ``article``). The evidence attributes
  are derived from Evidence nodes, not stored on the relationship: see DERIVED_EDGE_ATTRS.

Entity nodes only, unless ``include_provenance``: then the Articles and Evidence nodes behind
the selected facts come too, with their MENTIONS/STATES (and REPORTS) links. IngestRun
bookkeeping nodes are never read.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import neo4j
import networkx as nx

from ctkg.graph.model import GraphBatch
from ctkg.graph.schema import Schema, load_schema
from ctkg.graph.writer import ENTITY_LABELS

ARTICLE = "Article"
DERIVED_EDGE_ATTRS = ("evidence", "evidence_start", "evidence_end", "article")
MAX_HOPS = 10


class SubgraphError(ValueError):
    """A subgraph request that cannot be answered (unknown label, id, or bad bounds)."""


# -- from a batch ------------------------------------------------------------------------
def batch_to_nx(batch: GraphBatch) -> nx.MultiDiGraph:
    """The batch's entities and relationships, without touching Neo4j."""
    graph = nx.MultiDiGraph()
    for node in batch.nodes:
        graph.add_node(node.id, label=node.label, **_props(node.props))
    article = batch.article.id if batch.article else None
    for edge in batch.edges:
        attrs: dict[str, Any] = {"id": edge.id, "origin": edge.origin, **edge.props}
        if edge.origin == "article":
            attrs.setdefault("confidence", round(float(edge.confidence), 3))
            attrs["article"] = article
        if edge.evidence is not None:
            attrs.update(evidence=edge.evidence.text, evidence_start=edge.evidence.start,
                         evidence_end=edge.evidence.end)
        graph.add_edge(edge.source, edge.target, key=edge.type, **_clean(attrs))
    return graph


# -- from Neo4j --------------------------------------------------------------------------
def read_subgraph(driver: neo4j.Driver, database: str | None = None,
                  labels: list[str] | tuple[str, ...] | None = None, since: str | None = None,
                  center_id: str | None = None, hops: int | None = None,
                  include_provenance: bool = False) -> nx.MultiDiGraph:
    """Entity nodes and the relationships between them.

    labels: keep only nodes with these labels (schema entity labels).
    since:  keep only nodes and relationships last seen on or after this ISO date/time.
    center_id, hops: keep only nodes within ``hops`` relationships (either direction) of
            ``center_id`` (hops defaults to 1 when a center is given).
    """
    schema = load_schema()
    reader = _Reader(driver, database, schema, entity_labels(labels))
    since_key = _since_key(since)
    ids = reader.neighbourhood(center_id, hops) if center_id or hops is not None else None
    graph = nx.MultiDiGraph()
    for row in reader.nodes(ids, since_key):
        graph.add_node(row["id"], label=row["label"], **_props(row["props"]))
    for row in reader.relationships(ids, since_key):
        if row["source"] in graph and row["target"] in graph:
            attrs = _clean({**row["props"], **{k: row[k] for k in DERIVED_EDGE_ATTRS}})
            graph.add_edge(row["source"], row["target"], key=row["type"], **attrs)
    if include_provenance:
        reader.add_provenance(graph)
    return graph


def entity_labels(wanted=None) -> tuple[str, ...]:
    """The entity labels to read: all of them, or the requested ones checked against the schema."""
    if not wanted:
        return ENTITY_LABELS
    unknown = [label for label in wanted if label not in ENTITY_LABELS]
    if unknown:
        raise SubgraphError(f"unknown entity label {unknown[0]!r} "
                            f"(one of: {', '.join(ENTITY_LABELS)})")
    return tuple(dict.fromkeys(wanted))


def entity_types(schema: Schema) -> tuple[str, ...]:
    """Relationship types that link two entities (REPORTS, from an Article, is provenance)."""
    return tuple(t for t, rel in schema.relationships.items()
                 if set(rel.sources + rel.targets) <= set(ENTITY_LABELS))


def _quoted(names) -> str:
    """`A`|`B` for a label or type expression; names come from the schema only."""
    return "|".join(f"`{name}`" for name in names)


class _Reader:
    """The few read queries behind read_subgraph; labels and types are the schema's."""

    def __init__(self, driver: neo4j.Driver, database: str | None, schema: Schema,
                 labels: tuple[str, ...]) -> None:
        self.driver, self.database, self.schema = driver, database, schema
        self.labels = labels
        self.node_expr = _quoted(labels)
        # Walk and read every entity relationship type; endpoints are filtered by label.
        self.rel_expr = _quoted(entity_types(schema))
        self.evidence = schema.provenance["evidence_label"]

    def _run(self, query: str, **params) -> list[dict]:
        records, _, _ = self.driver.execute_query(query, params, database_=self.database,
                                                  routing_=neo4j.RoutingControl.READ)
        return [r.data() for r in records]

    def neighbourhood(self, center_id: str | None, hops: int | None) -> list[str]:
        if not center_id:
            raise SubgraphError("hops given without a center node id")
        hops = 1 if hops is None else hops
        if not isinstance(hops, int) or not 0 <= hops <= MAX_HOPS:
            raise SubgraphError(f"hops must be an integer from 0 to {MAX_HOPS}")
        all_entities = _quoted(ENTITY_LABELS)
        if not self._run(f"MATCH (n:{all_entities} {{id: $id}}) RETURN n.id AS id", id=center_id):
            raise SubgraphError(f"no entity node has id {center_id!r}")
        seen, frontier = {center_id}, [center_id]
        for _ in range(hops):
            rows = self._run(f"MATCH (n:{all_entities})-[:{self.rel_expr}]-(m:{all_entities}) "
                             "WHERE n.id IN $ids RETURN DISTINCT m.id AS id", ids=frontier)
            frontier = [r["id"] for r in rows if r["id"] not in seen]
            seen.update(frontier)
            if not frontier:
                break
        return sorted(seen)

    def nodes(self, ids: list[str] | None, since: str | None) -> list[dict]:
        return self._run(
            f"MATCH (n:{self.node_expr}) "
            "WHERE ($ids IS NULL OR n.id IN $ids) AND ($since IS NULL OR n.last_seen >= $since) "
            "RETURN n.id AS id, [l IN labels(n) WHERE l IN $labels][0] AS label, "
            "properties(n) AS props ORDER BY id",
            ids=ids, since=since, labels=list(self.labels))

    def relationships(self, ids: list[str] | None, since: str | None) -> list[dict]:
        return self._run(
            f"MATCH (s:{self.node_expr})-[r:{self.rel_expr}]->(t:{self.node_expr}) "
            "WHERE ($ids IS NULL OR (s.id IN $ids AND t.id IN $ids)) "
            "  AND ($since IS NULL OR r.last_seen >= $since) "
            f"OPTIONAL MATCH (e:`{self.evidence}` {{fact: r.id}}) "
            "WITH s, r, t, e ORDER BY e.first_seen, e.article "
            "WITH s, r, t, collect(e)[0] AS e "
            "RETURN s.id AS source, type(r) AS type, t.id AS target, properties(r) AS props, "
            "e.sentence AS evidence, e.start AS evidence_start, e.end AS evidence_end, "
            "e.article AS article ORDER BY source, type, target",
            ids=ids, since=since)

    def add_provenance(self, graph: nx.MultiDiGraph) -> None:
        """Articles mentioning or reporting the graph's nodes; the Evidence of its facts."""
        prov = self.schema.provenance
        from_article = [t for t, rel in self.schema.relationships.items()
                        if ARTICLE in rel.sources] + [prov["article_to_entity"]]
        node_ids = list(graph.nodes)
        facts = node_ids + [d["id"] for _, _, d in graph.edges(data=True) if d.get("id")]
        rows = self._run(
            f"MATCH (a:`{ARTICLE}`)-[r:{_quoted(from_article)}]->(n) WHERE n.id IN $ids "
            "RETURN a.id AS source, properties(a) AS source_props, type(r) AS type, "
            "properties(r) AS props, n.id AS target, null AS target_props",
            ids=node_ids)
        rows += self._run(
            f"MATCH (a:`{ARTICLE}`)-[r:`{prov['article_to_evidence']}`]->(e:`{self.evidence}`) "
            "WHERE e.fact IN $facts "
            "RETURN a.id AS source, properties(a) AS source_props, type(r) AS type, "
            "properties(r) AS props, e.id AS target, properties(e) AS target_props",
            facts=facts)
        for row in rows:
            graph.add_node(row["source"], label=ARTICLE, **_props(row["source_props"]))
            if row["target_props"] is not None:
                graph.add_node(row["target"], label=self.evidence, **_props(row["target_props"]))
            graph.add_edge(row["source"], row["target"], key=row["type"], **_clean(row["props"]))


# -- values --------------------------------------------------------------------------------
def _since_key(since: str | None) -> str | None:
    """An ISO date or date-time, as a string comparable with the stored UTC last_seen."""
    if not since:
        return None
    try:
        if len(since) == 10:
            return date.fromisoformat(since).isoformat()
        moment = datetime.fromisoformat(since)
    except ValueError:
        raise SubgraphError(f"since: {since!r} is not an ISO date or date-time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat()


def _plain(value: Any) -> Any:
    """Driver values as plain Python: temporal types become ISO strings."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def _clean(attrs: dict, drop: tuple[str, ...] = ()) -> dict:
    return {k: _plain(v) for k, v in attrs.items() if v is not None and k not in drop}


def _props(props: dict) -> dict:
    """A node's stored properties as attributes; its id is the node key, not an attribute."""
    return _clean(props, drop=("id",))


# -- single facts --------------------------------------------------------------------------
def fact_kind(driver: neo4j.Driver, fact_id: str, database: str | None = None) -> dict | None:
    """What an id names: {"kind": label or relationship type, "origin": ...}, or None."""
    schema = load_schema()
    label = None
    if fact_id.startswith("rel:"):
        query = (f"MATCH ()-[r:{_quoted(schema.relationships)}]->() WHERE r.id = $id "
                 "RETURN type(r) AS kind, r.origin AS origin LIMIT 1")
    else:
        try:
            label = schema.label_of(fact_id)
        except ValueError:
            return None
        query = f"MATCH (n:`{label}` {{id: $id}}) RETURN $label AS kind, n.origin AS origin"
    records, _, _ = driver.execute_query(query, id=fact_id, label=label, database_=database,
                                         routing_=neo4j.RoutingControl.READ)
    return records[0].data() if records else None
