"""The writers the scale bench compares ctkg's with, on exactly the content ctkg writes.

`full_content` turns GraphBatches into the rows of every node and relationship ctkg's writer
creates for them (graph/rows.py builds both): articles, entities, Evidence, STATES, MENTIONS,
REPORTS and the extracted relationships, each once, with the same properties.
`plain_create` writes them as batched `UNWIND ... CREATE` (the ceiling: no MERGE, no checks);
`naive_merge` with one MERGE statement per node and relationship, a transaction per article.
Both write under their own labels (BenchPlain*, BenchNaive*), which `drop` removes.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from ctkg.graph.rows import ChunkRows
from ctkg.graph.schema import load_schema
from ctkg.graph.writer import ENTITY_LABELS, schema_statements

LABELS = ("Article", "Evidence", *ENTITY_LABELS)
CHUNK_ROWS = 2000  # rows per plain CREATE statement


@dataclass
class Content:
    """Rows per kind; relationship rows name their endpoints' labels."""

    nodes: dict[str, list[dict]] = field(default_factory=dict)  # label -> {id, props}
    rels: dict[tuple[str, str, str], list[dict]] = field(default_factory=dict)  # -> {s, t, props}

    def size(self) -> int:
        return sum(map(len, self.nodes.values())) + sum(map(len, self.rels.values()))


def full_content(batches, seen: set[str] | None = None) -> Content:
    """What ctkg writes for these batches, each node and relationship once (ids in `seen`,
    written by an earlier call, are left out)."""
    seen = set() if seen is None else seen
    out = Content()

    def node(label: str, id_: str, props: dict) -> None:
        if id_ not in seen:
            seen.add(id_)
            out.nodes.setdefault(label, []).append({"id": id_, "props": props})

    def rel(key: tuple[str, str, str], id_: str, s: str, t: str, props: dict) -> None:
        if id_ not in seen:
            seen.add(id_)
            out.rels.setdefault(key, []).append({"s": s, "t": t, "props": props})

    rows = ChunkRows(list(batches))
    for r in rows.articles():
        node("Article", r["id"], {**r["props"], "locators": r["locators"],
                                  "sources": r["sources"]})
    for label, node_rows in rows.nodes().items():
        for r in node_rows:
            node(label, r["id"], {**r["props"], "aliases": r["aliases"]})
            for ev in r["mentions"]:
                node("Evidence", ev["id"], ev["props"])
                rel(("STATES", "Article", "Evidence"), f"states:{ev['id']}", ev["article"],
                    ev["id"], {})
                rel(("MENTIONS", "Article", label), f"mentions:{ev['article']}:{r['id']}",
                    ev["article"], r["id"], {"aliases": ev["aliases"]})
                if label == "Incident":
                    rel(("REPORTS", "Article", "Incident"), ev["reports_id"], ev["article"],
                        r["id"], {"id": ev["reports_id"]})
    for key, edge_rows in rows.edges().items():
        for r in edge_rows:
            rel(key, r["id"], r["source"], r["target"], {**r["props"], "id": r["id"]})
            for ev in r["evidence"]:
                node("Evidence", ev["id"], ev["props"])
                rel(("STATES", "Article", "Evidence"), f"states:{ev['id']}", ev["article"],
                    ev["id"], {})
    return out


def created(counters) -> int:
    """Nodes and relationships created, from a writer's counters."""
    return counters["nodes_created"] + counters["relationships_created"]


def _chunks(rows: list, size: int = CHUNK_ROWS):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def prepare(driver, prefix: str) -> None:
    """ctkg's constraints and indexes on the prefixed labels: the same index upkeep as ctkg's
    writer pays (graph/writer.py schema_statements)."""
    for stmt in schema_statements(load_schema(), prefix):
        driver.execute_query(stmt)
    driver.execute_query("CALL db.awaitIndexes()")


def plain_create(driver, content: Content, prefix: str = "BenchPlain") -> tuple[float, int]:
    """Seconds and nodes + relationships created: batched UNWIND ... CREATE, nodes first."""
    started, total = time.perf_counter(), 0
    for label, rows in content.nodes.items():
        for chunk in _chunks(rows):
            c = driver.execute_query(f"UNWIND $rows AS r CREATE (n:{prefix}{label}) "
                                     "SET n = r.props, n.id = r.id", rows=chunk).summary.counters
            total += c.nodes_created
    for (type_, src, tgt), rows in content.rels.items():
        for chunk in _chunks(rows):
            c = driver.execute_query(
                f"UNWIND $rows AS r MATCH (a:{prefix}{src} {{id: r.s}}) "
                f"MATCH (b:{prefix}{tgt} {{id: r.t}}) CREATE (a)-[x:{type_}]->(b) "
                "SET x = r.props", rows=chunk).summary.counters
            total += c.relationships_created
    return time.perf_counter() - started, total


def naive_merge(driver, batches, prefix: str = "BenchNaive") -> tuple[float, int]:
    """One MERGE statement per node and per relationship of each article (a node several
    articles name is merged by each), one transaction per article."""
    started, total = time.perf_counter(), 0
    for batch in batches:
        content = full_content([batch])
        with driver.session() as session, session.begin_transaction() as tx:
            for label, rows in content.nodes.items():
                for r in rows:
                    total += tx.run(f"MERGE (n:{prefix}{label} {{id: $id}}) SET n += $props",
                                    id=r["id"], props=r["props"]).consume().counters.nodes_created
            for (type_, src, tgt), rows in content.rels.items():
                for r in rows:
                    total += tx.run(
                        f"MATCH (a:{prefix}{src} {{id: $s}}) MATCH (b:{prefix}{tgt} {{id: $t}}) "
                        f"MERGE (a)-[x:{type_}]->(b) SET x += $props",
                        s=r["s"], t=r["t"], props=r["props"]
                    ).consume().counters.relationships_created
            tx.commit()
    return time.perf_counter() - started, total


def drop(driver, prefix: str) -> None:
    """Remove a comparison writer's nodes, constraints and indexes (not timed)."""
    with driver.session() as session:  # IN TRANSACTIONS needs an auto-commit transaction
        for label in LABELS:
            session.run(f"MATCH (n:{prefix}{label}) CALL (n) {{ DETACH DELETE n }} "
                        "IN TRANSACTIONS OF 5000 ROWS").consume()
        name = f"bench_{prefix.lower()}_"
        for kind in ("CONSTRAINTS", "INDEXES"):
            for record in session.run(f"SHOW {kind} YIELD name WHERE name STARTS WITH $name "
                                      "RETURN name", name=name).data():
                session.run(f"DROP {kind[:-1] if kind == 'CONSTRAINTS' else 'INDEX'} "
                            f"`{record['name']}` IF EXISTS").consume()

