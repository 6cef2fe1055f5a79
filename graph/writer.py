"""Idempotent, batched Neo4j writer: one UNWIND ... MERGE statement per label and relationship
type, provenance as Evidence nodes, article-update semantics, and the counters of what changed.

Re-writing a batch already written changes nothing (every SET is conditional), so the
counters of a second ingest are all zero.
"""
from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import datetime, timezone
from typing import Iterable

import neo4j

from ctkg.graph.ids import digest
from ctkg.graph.model import Edge, GraphBatch, Node
from ctkg.graph.schema import Schema, load_schema

log = logging.getLogger(__name__)

COUNTER_FIELDS = ("nodes_created", "nodes_deleted", "relationships_created",
                  "relationships_deleted", "properties_set", "labels_added")

ENTITY_LABELS = ("Cell", "Organisation", "Agency", "Person", "Region", "Statement", "Incident",
                 "WeaponsCache")


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _add(total: Counter, summary_counters) -> None:
    for name in COUNTER_FIELDS:
        total[name] += getattr(summary_counters, name)


def schema_statements(schema: Schema) -> list[str]:
    """Constraints and indexes, all IF NOT EXISTS (safe to run at every start)."""
    stmts = [
        f"CREATE CONSTRAINT ctkg_{label.lower()}_id IF NOT EXISTS "
        f"FOR (n:`{label}`) REQUIRE n.id IS UNIQUE"
        for label in schema.nodes
    ]
    evidence = schema.provenance["evidence_label"]
    stmts.append(f"CREATE CONSTRAINT ctkg_evidence_id IF NOT EXISTS "
                 f"FOR (e:`{evidence}`) REQUIRE e.id IS UNIQUE")
    stmts.append(f"CREATE INDEX ctkg_evidence_fact IF NOT EXISTS FOR (e:`{evidence}`) ON (e.fact)")
    stmts.append("CREATE INDEX ctkg_article_locator IF NOT EXISTS FOR (a:Article) ON (a.locator)")
    for type_ in schema.relationships:
        stmts.append(f"CREATE INDEX ctkg_rel_{type_.lower()}_id IF NOT EXISTS "
                     f"FOR ()-[r:`{type_}`]-() ON (r.id)")
    # One index per analyzer; each also covers that language's display name, so the three
    # differ in schema (Neo4j keeps a single index per identical label/property set).
    labels = "|".join(n.label for n in schema.nodes.values() if n.fulltext)
    props = sorted({p for n in schema.nodes.values() for p in n.fulltext})
    for analyzer, lang in (("arabic", "ar"), ("french", "fr"), ("english", "en")):
        own = [p for p in props if not p.startswith("name_") or p == f"name_{lang}"]
        on_each = ", ".join(f"n.`{p}`" for p in own)
        stmts.append(
            f"CREATE FULLTEXT INDEX ctkg_names_{analyzer} IF NOT EXISTS "
            f"FOR (n:{labels}) ON EACH [{on_each}] "
            f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{analyzer}'}}}}")
    return stmts


class GraphWriter:
    """Writes GraphBatches to Neo4j. One article = one transaction (retried when transient)."""

    def __init__(self, driver: neo4j.Driver, database: str | None = None,
                 schema: Schema | None = None) -> None:
        self.driver = driver
        self.database = database
        self.schema = schema or load_schema()

    # -- set-up -------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        with self.driver.session(database=self.database) as session:
            for stmt in schema_statements(self.schema):
                session.run(stmt).consume()
            session.run("CALL db.awaitIndexes(60)").consume()

    # -- writing ------------------------------------------------------------------------
    def write(self, batch: GraphBatch, now: str | None = None) -> Counter:
        return self.write_many([batch], now)

    def write_many(self, batches: Iterable[GraphBatch], now: str | None = None) -> Counter:
        """Several articles in one transaction: one statement per label and relationship
        type for all of them (retried as a whole when the error is transient)."""
        batches = [b.validate(self.schema) for b in batches]
        if not batches:
            return Counter()
        now = now or now_iso()
        with self.driver.session(database=self.database) as session:
            return session.execute_write(self._write_tx, batches, now)

    def _write_tx(self, tx: neo4j.ManagedTransaction, batches: list[GraphBatch],
                  now: str) -> Counter:
        counters: Counter = Counter()

        def run(query: str, rows: list[dict]) -> None:
            if rows:
                _add(counters, tx.run(query, now=now, rows=rows).consume().counters)

        articles = [b for b in batches if b.article is not None]
        for batch in articles:
            # An edited article, or one read by another extractor version, replaces what
            # the earlier reading stated (facts other articles support stay).
            for old_id in self._older_versions(tx, batch.article.locator, batch.article.id,
                                               batch.extractor_version):
                counters.update(self._retract_tx(tx, old_id))
        run("UNWIND $rows AS row MERGE (a:Article {id: row.id}) "
            "ON CREATE SET a += row.props, a.ingested_at = $now",
            [{"id": b.article.id, "props": {**b.article.props(), "extractor": b.extractor,
                                            "extractor_version": b.extractor_version}}
             for b in articles])
        nodes = [(b, n) for b in batches for n in b.nodes]
        for label, items in _group(nodes, lambda bn: bn[1].label).items():
            run(self._node_query(label), [_node_row(n) for _, n in items])
            run(self._mentions_query(label), [
                self._evidence_row(b, n.id, label, n.evidence, n.confidence)
                for b, n in items if n.mentions and b.article is not None])
        edges = [(b, e, {n.id: n.label for n in b.nodes}) for b in batches for e in b.edges]
        groups = _group(edges, lambda bel: (bel[1].type, bel[2][bel[1].source],
                                            bel[2][bel[1].target]))
        for (type_, src, tgt), items in groups.items():
            run(self._edge_query(type_, src, tgt), [
                _edge_row(e, digest(b.article.id, e.id) if b.article else None)
                for b, e, _ in items])
            run(self._edge_evidence_query(), [
                self._evidence_row(b, e.id, type_, e.evidence, e.confidence,
                                   source=e.source, target=e.target)
                for b, e, _ in items if e.origin == "article"])
        return counters

    @staticmethod
    def _node_query(label: str) -> str:
        return f"""
UNWIND $rows AS row
MERGE (n:`{label}` {{id: row.id}})
ON CREATE SET n.first_seen = $now, n.last_seen = $now
WITH n, row, [k IN keys(row.props) WHERE n[k] IS NULL] AS missing,
     [a IN row.aliases WHERE NOT a IN coalesce(n.aliases, [])] AS new_aliases
FOREACH (k IN missing | SET n[k] = row.props[k])
FOREACH (_ IN CASE WHEN size(new_aliases) > 0 THEN [1] ELSE [] END |
  SET n.aliases = coalesce(n.aliases, []) + new_aliases)"""

    def _mentions_query(self, label: str) -> str:
        ev = self.schema.provenance["evidence_label"]
        # An article that tells of an incident REPORTS it (several reports converge on one).
        reports = ("\nMERGE (a)-[r:REPORTS]->(n) ON CREATE SET r.id = row.reports_id, "
                   "r.first_seen = $now, r.last_seen = $now") if label == "Incident" else ""
        return f"""
UNWIND $rows AS row
MATCH (a:Article {{id: row.article}})
MATCH (n:`{label}` {{id: row.fact}})
MERGE (a)-[m:MENTIONS]->(n)
ON CREATE SET m.first_seen = $now, n.last_seen = $now
MERGE (e:`{ev}` {{id: row.id}})
ON CREATE SET e += row.props, e.first_seen = $now, e.last_seen = $now
MERGE (a)-[:STATES]->(e){reports}"""

    @staticmethod
    def _edge_query(type_: str, src: str, tgt: str) -> str:
        return f"""
UNWIND $rows AS row
MATCH (s:`{src}` {{id: row.source}})
MATCH (t:`{tgt}` {{id: row.target}})
OPTIONAL MATCH (known:Evidence {{id: row.evidence_id}})
MERGE (s)-[r:`{type_}`]->(t)
ON CREATE SET r.id = row.id, r.origin = row.origin, r.first_seen = $now, r.last_seen = $now
WITH r, row, known, [k IN keys(row.props) WHERE r[k] IS NULL] AS missing
FOREACH (k IN missing | SET r[k] = row.props[k])
FOREACH (_ IN CASE WHEN known IS NULL AND row.evidence_id IS NOT NULL
                    AND r.last_seen <> $now THEN [1] ELSE [] END | SET r.last_seen = $now)"""

    def _edge_evidence_query(self) -> str:
        ev = self.schema.provenance["evidence_label"]
        return f"""
UNWIND $rows AS row
MATCH (a:Article {{id: row.article}})
MERGE (e:`{ev}` {{id: row.id}})
ON CREATE SET e += row.props, e.first_seen = $now, e.last_seen = $now
MERGE (a)-[:STATES]->(e)"""

    @staticmethod
    def _evidence_row(batch: GraphBatch, fact: str, kind: str, span, confidence: float,
                      source: str | None = None, target: str | None = None) -> dict:
        article = batch.article
        props = {"fact": fact, "fact_kind": kind, "article": article.id,
                 "extractor": batch.extractor, "extractor_version": batch.extractor_version,
                 "confidence": round(float(confidence), 3)}
        if span is not None:
            props.update(sentence=span.text, start=span.start, end=span.end)
        if source is not None:
            props.update(source=source, target=target)
        return {"id": digest(article.id, fact), "fact": fact, "props": props,
                "article": article.id, "reports_id": f"rel:{digest('REPORTS', article.id, fact)}"}

    def log_run(self, started: str, articles: int, failed: list[str],
                source: str | None) -> None:
        """An IngestRun node: when a run started and ended, what it wrote, what it refused."""
        self.driver.execute_query(
            "CREATE (r:IngestRun {id: $id, started_at: $started, finished_at: $finished, "
            "articles: $articles, failed: $failed, source: $source})",
            id=f"run:{digest(started, source, articles, len(failed))}", started=started,
            finished=now_iso(), articles=articles, failed=failed, source=source,
            database_=self.database)

    # -- article updates --------------------------------------------------------------
    @staticmethod
    def _older_versions(tx, locator: str, article_id: str, version: str) -> list[str]:
        rows = tx.run(
            "MATCH (a:Article) WHERE a.locator = $locator OR a.id = $id "
            "WITH a WHERE a.id <> $id OR coalesce(a.extractor_version, '') <> $version "
            "RETURN a.id AS id", locator=locator, id=article_id, version=version)
        return [r["id"] for r in rows]

    def retract(self, article_id: str) -> Counter:
        """Remove an article and the facts only it supported; facts others support stay."""
        with self.driver.session(database=self.database) as session:
            return session.execute_write(self._retract_tx, article_id)

    def _retract_tx(self, tx, article_id: str) -> Counter:
        counters: Counter = Counter()
        facts = tx.run(
            "MATCH (:Article {id: $id})-[:STATES]->(e:Evidence) "
            "RETURN e.fact AS fact, e.fact_kind AS kind, e.source AS source, e.target AS target",
            id=article_id).data()
        _add(counters, tx.run("MATCH (:Article {id: $id})-[:STATES]->(e:Evidence) DETACH DELETE e",
                              id=article_id).consume().counters)
        by_kind = _group(facts, lambda f: f["kind"])
        # Relationships first, so that a node left without support loses only its own edges.
        for type_ in (k for k in by_kind if k in self.schema.relationships):
            _add(counters, tx.run(
                f"UNWIND $ids AS fid MATCH ()-[r:`{type_}` {{id: fid}}]->() "
                "WHERE NOT EXISTS { MATCH (e:Evidence {fact: fid}) } DELETE r",
                ids=[f["fact"] for f in by_kind[type_]]).consume().counters)
        for label in (k for k in by_kind if k in self.schema.nodes):
            _add(counters, tx.run(
                f"UNWIND $ids AS fid MATCH (n:`{label}` {{id: fid}}) "
                "WHERE NOT EXISTS { MATCH (e:Evidence {fact: fid}) } AND n.origin IS NULL "
                "DETACH DELETE n", ids=[f["fact"] for f in by_kind[label]]).consume().counters)
        _add(counters, tx.run("MATCH (a:Article {id: $id}) DETACH DELETE a",
                              id=article_id).consume().counters)
        return counters


def _group(items, key) -> dict:
    groups: dict = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return groups


def _node_row(node: Node) -> dict:
    props = {k: v for k, v in node.props.items() if v is not None and k not in ("aliases", "id")}
    if not node.mentions:
        props.setdefault("origin", "reference")
    return {"id": node.id, "props": props, "aliases": list(node.props.get("aliases") or [])}


def _edge_row(edge: Edge, evidence_id: str | None) -> dict:
    props = {k: v for k, v in edge.props.items() if v is not None}
    if edge.origin == "article":
        props.setdefault("confidence", round(float(edge.confidence), 3))
    return {"id": edge.id, "source": edge.source, "target": edge.target, "origin": edge.origin,
            "props": props, "evidence_id": evidence_id if edge.origin == "article" else None}
