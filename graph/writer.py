"""Idempotent, batched Neo4j writer: per transaction, one UNWIND statement for the articles,
two for the Evidence (and the STATES from its article: that of the articles new to the graph
is created outright), one per label (the node and its MENTIONS) and one per relationship type
and endpoint labels, and one to find earlier readings; article update and retraction
semantics; the counters of what changed.

Rows are gathered per node, relationship and article before they are sent, so a fact several
articles of a chunk state is one row: aliases, locators and outlets are sorted sets whatever
the chunking, and each is read under the node's write lock (`SET n:Label` takes it and changes
nothing), so concurrent ingests cannot lose one another's. Re-writing a batch already written
changes nothing (every SET is conditional), so the counters of a second ingest are all zero.
"""
from __future__ import annotations

import logging
import os
import secrets
import time
from collections import Counter
from datetime import datetime, timezone
from typing import Iterable, NamedTuple

import neo4j

from ctkg.dberrors import execute
from ctkg.graph.ids import digest
from ctkg.graph.model import GraphBatch
from ctkg.graph.provenance import disputed_query, reported_properties
from ctkg.graph.retraction import (COUNTER_FIELDS, add_counters, release_tx,  # noqa: F401
                                   retract_tx)
from ctkg.graph.rows import ChunkRows
from ctkg.graph.schema import Schema, load_schema
from ctkg.graph.summaries import (NAME_PROPERTIES, STALE_SUMMARIES, backfill,
                                  summary_statements, update_summaries)
from ctkg.memory import collector_paused

log = logging.getLogger(__name__)

ENTITY_LABELS = ("Cell", "Organisation", "Agency", "Person", "Region", "Statement", "Incident",
                 "WeaponsCache")


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def schema_statements(schema: Schema, prefix: str = "") -> list[str]:
    """Constraints and indexes, all IF NOT EXISTS (safe to run at every start). With a
    `prefix`, the same node constraints and indexes on prefixed labels under prefixed names
    (the bench's comparison writers: relationship types are shared, so they are left out)."""
    name = f"bench_{prefix.lower()}_" if prefix else "ctkg_"

    def lab(label: str) -> str:
        return f"`{prefix}{label}`"

    stmts = [
        f"CREATE CONSTRAINT {name}{label.lower()}_id IF NOT EXISTS "
        f"FOR (n:{lab(label)}) REQUIRE n.id IS UNIQUE"
        for label in schema.nodes
    ]
    evidence = schema.provenance["evidence_label"]
    stmts.append(f"CREATE CONSTRAINT {name}evidence_id IF NOT EXISTS "
                 f"FOR (e:{lab(evidence)}) REQUIRE e.id IS UNIQUE")
    stmts.append(f"CREATE INDEX {name}evidence_fact IF NOT EXISTS FOR (e:{lab(evidence)}) "
                 "ON (e.fact)")
    stmts.append(f"CREATE INDEX {name}article_locator IF NOT EXISTS FOR (a:{lab('Article')}) "
                 "ON (a.locator)")
    # Merge decisions (graph/resolve.py), and the ids merged into others that writes redirect.
    stmts.append(f"CREATE CONSTRAINT {name}judgement_id IF NOT EXISTS "
                 f"FOR (j:{lab('Judgement')}) REQUIRE j.id IS UNIQUE")
    stmts.append(f"CREATE INDEX {name}judgement_merged IF NOT EXISTS FOR (j:{lab('Judgement')}) "
                 "ON (j.merged)")
    stmts.append(f"CREATE INDEX {name}judgement_left IF NOT EXISTS FOR (j:{lab('Judgement')}) "
                 "ON (j.left)")
    if not prefix:
        for type_ in schema.relationships:
            stmts.append(f"CREATE INDEX ctkg_rel_{type_.lower()}_id IF NOT EXISTS "
                         f"FOR ()-[r:`{type_}`]-() ON (r.id)")
    # One index per analyzer; each also covers that language's display name, so the three
    # differ in schema (Neo4j keeps a single index per identical label/property set).
    labels = "|".join(lab(n.label) for n in schema.nodes.values() if n.fulltext)
    props = sorted({p for n in schema.nodes.values() for p in n.fulltext})
    for analyzer, lang in (("arabic", "ar"), ("french", "fr"), ("english", "en")):
        own = [p for p in props if not p.startswith("name_") or p == f"name_{lang}"]
        on_each = ", ".join(f"n.`{p}`" for p in own)
        stmts.append(
            f"CREATE FULLTEXT INDEX {name}names_{analyzer} IF NOT EXISTS "
            f"FOR (n:{labels}) ON EACH [{on_each}] "
            f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{analyzer}'}}}}")
    if not prefix:
        stmts += summary_statements(schema)  # the query library's order and summary indexes
    return stmts


def _sorted_union(var: str, prop: str, added: str, before: str = "[]") -> str:
    """Cypher: `var.prop` becomes the sorted set of what it held and `added`, and is only
    written when that differs (so that re-writing counts nothing)."""
    return (f"WITH *, COLLECT {{ UNWIND coalesce({var}.{prop}, {before}) + {added} AS x "
            f"RETURN DISTINCT x ORDER BY x }} AS {prop}_\n"
            f"FOREACH (_ IN CASE WHEN {prop}_ <> coalesce({var}.{prop}, []) THEN [1] ELSE [] END"
            f" | SET {var}.{prop} = {prop}_)")


def _set_if_changed(var: str, prop: str, value: str) -> str:
    return (f"FOREACH (_ IN CASE WHEN coalesce({var}.{prop}, '') <> coalesce({value}, '') "
            f"THEN [1] ELSE [] END | SET {var}.{prop} = {value})")


_MISSING_PROPS = """WITH *, [k IN keys(row.props) WHERE {v}[k] IS NULL] AS missing
FOREACH (k IN missing | SET {v}[k] = row.props[k])"""

# The articles of a chunk; the ids of those new to the graph come back: a new article has no
# relationships yet, so its MENTIONS and REPORTS are created, not merged. New is what this MERGE
# created, marked while it holds the article's lock (kept until the commit): a concurrent
# transaction writing the same text waits there, then finds it stored, not new.
ARTICLE_QUERY = """
UNWIND $rows AS row
MERGE (a:Article {id: row.id})
ON CREATE SET a += row.props, a.ingested_at = $now, a.ctkg_new = true
SET a:Article
WITH *, a.ctkg_new IS NOT NULL AS fresh
REMOVE a.ctkg_new
""" + _sorted_union("a", "locators", "row.locators", "[a.locator]") + "\n" + _sorted_union(
    "a", "sources", "row.sources", "CASE WHEN a.source IS NULL THEN [] ELSE [a.source] END") + """
RETURN collect(CASE WHEN fresh THEN a.id END) AS fresh"""

# Earlier readings of the articles of a chunk: the same locator with another text, or the
# same text read by another extractor version.
EARLIER_QUERY = """
UNWIND $rows AS row
MATCH (a:Article) WHERE a.locator = row.locator OR a.id = row.id
WITH a, row WHERE a.id <> row.id OR coalesce(a.extractor_version, '') <> row.version
RETURN DISTINCT a.id AS old, row.id AS new, row.locator AS locator,
       coalesce(a.locators, [a.locator]) AS locators,
       coalesce(a.sources, CASE WHEN a.source IS NULL THEN [] ELSE [a.source] END) AS sources
"""

# The Evidence of the chunk's articles that were already stored (the same text written again,
# e.g. read from `ctkg extract` output, or found at another locator), each stated by its
# article: only the pieces not yet stored are created, and their ids come back, so that the
# facts they support know they have news without a lookup. (A piece of Evidence is its
# article's: its id hashes the article's, so it is never created concurrently by another
# transaction, which waits on the article's lock.)
EVIDENCE_QUERY = """
UNWIND $rows AS ev
MATCH (a:Article {id: ev.article})
OPTIONAL MATCH (old:Evidence {id: ev.id})
CALL (a, ev, old) {
  WITH a, ev, old WHERE old IS NULL
  CREATE (e:Evidence)
  SET e += ev.props, e.id = ev.id, e.first_seen = $now, e.last_seen = $now
  CREATE (a)-[:STATES]->(e)
  RETURN ev.id AS id
  UNION
  WITH a, ev, old WHERE old IS NOT NULL
  MERGE (a)-[:STATES]->(old)
  RETURN null AS id
}
RETURN collect(id) AS fresh
"""

# The Evidence of the articles this transaction created, grouped by article: all of it is new
# (its ids hash the article's), so it is created outright, one article lookup per article.
NEW_EVIDENCE_QUERY = """
UNWIND $rows AS row
MATCH (a:Article {id: row.article})
UNWIND row.evidence AS ev
CREATE (a)-[:STATES]->(e:Evidence)
SET e = ev.props, e.id = ev.id, e.first_seen = $now, e.last_seen = $now
"""

# (locator, text hash) pairs already stored with the given extractor version.
STORED_QUERY = """
UNWIND $pairs AS pair
MATCH (a:Article {id: pair[1]})
WHERE a.extractor_version = $version AND pair[0] IN coalesce(a.locators, [a.locator])
RETURN pair[0] AS locator, pair[1] AS id
"""


# How often the server may replan the writer's statements. Neo4j replans a cached plan when the
# counts it was planned with have drifted, which they always have in a growing graph: during a
# large ingest it replanned the writer's statements again and again (a tenth of the server's
# time, by a JFR profile of a 10,000-article graph growing by 3,000). These statements seek by
# unique ids whatever the counts, so a plan stays good for long: they run with the cached plan
# (`CYPHER replan=skip`), and once every REPLAN_EVERY seconds with the server's usual check,
# so that plans made on a small graph still follow it as it grows.
REPLAN_EVERY = 60.0


class Rows(list):
    """A list parameter that the driver's debug log shows as its length. The driver formats
    every statement it sends for that log, whether the log is on or not (the repr of its
    parameters): on a chunk's rows, that took a quarter of the writing thread's time."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


class Planned:
    """A transaction whose statements all run with one Cypher replan option (for the
    functions the writer hands its transaction to: they only call `run`), their list
    parameters as Rows, emptied by `release` once the transaction function is done: the
    driver keeps each statement's parameters in reference cycles, which only the collector's
    rarer passes free, and a chunk's rows would wait there (ctkg.memory)."""

    def __init__(self, tx: neo4j.ManagedTransaction, replan: str) -> None:
        self.tx, self.prefix = tx, f"CYPHER replan={replan} "
        self._sent: list[Rows] = []

    def run(self, query: str, parameters: dict | None = None, **kwargs):
        return self.tx.run(self.prefix + query,
                           None if parameters is None else self._quiet(parameters),
                           **self._quiet(kwargs))

    def _quiet(self, parameters: dict) -> dict:
        out = {k: Rows(v) if isinstance(v, list) else v for k, v in parameters.items()}
        self._sent += [v for v in out.values() if isinstance(v, Rows)]
        return out

    def release(self) -> None:
        for rows in self._sent:
            rows.clear()
        self._sent.clear()


class Statements(NamedTuple):
    """The rows of the statements that depend on which of a chunk's articles are new to the
    graph (`new`): the nodes' with their MENTIONS, the Evidence's (of the new articles and of
    the others), the ids of the Evidence that is new (`fresh`), and the relationships' rows
    (whether new Evidence supports them)."""

    new: frozenset[str]
    nodes: dict[str, list[dict]]
    new_evidence: list[dict]
    stored_evidence: list[dict]
    fresh: frozenset[str]
    edges: dict[tuple[str, str, str], list[dict]]

    @classmethod
    def of(cls, nodes: dict[str, list[dict]], edges: dict[tuple[str, str, str], list[dict]],
           new: Iterable[str]) -> "Statements":
        """The relationship rows assume no stored article's Evidence is new (see created)."""
        new = frozenset(new)
        new_evidence, stored_evidence, fresh = evidence_rows(nodes, edges, new)
        return cls(new,
                   {label: [{**r, "mentions": _mentions(r["mentions"], new)} for r in rows]
                    for label, rows in nodes.items()},
                   new_evidence, stored_evidence, frozenset(fresh), _edge_rows(edges, fresh))

    def created(self, edges: dict[tuple[str, str, str], list[dict]],
                ids: set[str]) -> "Statements":
        """The same, knowing the ids of the stored articles' Evidence that the transaction
        created (EVIDENCE_QUERY): the relationships they support have news too."""
        fresh = self.fresh | ids
        return self._replace(fresh=fresh, edges=_edge_rows(edges, fresh))


def _edge_rows(edges: dict[tuple[str, str, str], list[dict]],
               fresh: set[str] | frozenset[str]) -> dict[tuple[str, str, str], list[dict]]:
    """The relationship rows, each with whether an article states it and whether new
    Evidence (`fresh`) supports it."""
    return {key: [{"id": r["id"], "source": r["source"], "target": r["target"],
                   "props": r["props"], "stated": bool(r["evidence"]),
                   "news": any(ev["id"] in fresh for ev in r["evidence"])} for r in rows]
            for key, rows in edges.items()}


class Prepared(NamedTuple):
    """A chunk ready to write: its validated batches, their rows (GraphWriter.prepare), and
    its statements' rows as they are when all its articles are new to the graph (as in a first
    ingest: the transaction finds out, and builds them again when they are not)."""

    batches: list[GraphBatch]
    rows: ChunkRows
    nodes: dict[str, list[dict]]
    edges: dict[tuple[str, str, str], list[dict]]
    all_new: Statements


class GraphWriter:
    """Writes GraphBatches to Neo4j, several articles per transaction (retried when transient)."""

    def __init__(self, driver: neo4j.Driver, database: str | None = None,
                 schema: Schema | None = None) -> None:
        self.driver = driver
        self.database = database
        self.schema = schema or load_schema()
        self._checked_plans = -REPLAN_EVERY  # time.monotonic() of the last usual check

    # -- set-up -------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        with self.driver.session(database=self.database) as session:
            for stmt in schema_statements(self.schema):
                session.run(stmt).consume()
            session.run("CALL db.awaitIndexes(60)").consume()
            stale = session.run(STALE_SUMMARIES).single(strict=True)["stale"]
        if stale:
            # a graph written before the writer kept the query library's summaries: computed
            # once, here, so that the queries that read them are right
            log.warning("computing the query summaries of a graph written by an older ctkg")
            backfill(self.driver, self.database)

    # -- reading what is there ----------------------------------------------------------
    def stored(self, pairs: Iterable[tuple[str, str]], extractor_version: str) -> set[tuple[str, str]]:
        """The (locator, text hash) pairs already stored, read by `extractor_version`: one
        indexed lookup for them all. An article found here needs no extraction and no write."""
        pairs = sorted(set(pairs))
        if not pairs:
            return set()
        records, _, _ = self.driver.execute_query(
            STORED_QUERY, pairs=[list(p) for p in pairs], version=extractor_version,
            database_=self.database, routing_=neo4j.RoutingControl.READ)
        return {(r["locator"], r["id"]) for r in records}

    def replaces_earlier(self, prepared: "Prepared") -> bool:
        """Whether writing this chunk would replace an earlier reading of one of its articles
        (see _replace_earlier): a read, outside any write."""
        if not prepared.batches:
            return False
        records, _, _ = self.driver.execute_query(
            EARLIER_QUERY + "LIMIT 1", rows=prepared.rows.lookups(), database_=self.database,
            routing_=neo4j.RoutingControl.READ)
        return bool(records)

    # -- writing ------------------------------------------------------------------------
    def write(self, batch: GraphBatch, now: str | None = None) -> Counter:
        return self.write_many([batch], now)

    def write_many(self, batches: Iterable[GraphBatch], now: str | None = None) -> Counter:
        """Several articles in one transaction, a few statements for all of them (retried as
        a whole when the error is transient and a retry can succeed: ctkg.dberrors)."""
        return self.write_prepared(self.prepare(batches), now)

    def prepare(self, batches: Iterable[GraphBatch]) -> "Prepared":
        """The client's share of a write, done before the transaction (ctkg ingest does it
        for the next chunk while the server writes this one): validation and the rows."""
        with collector_paused():
            batches = [b.validate(self.schema) for b in batches]
            rows = ChunkRows(batches, {}, reported_properties(self.schema))
            nodes, edges = rows.nodes(), rows.edges()
            articles = {b.article.id for b in batches if b.article is not None}
            return Prepared(batches, rows, nodes, edges, Statements.of(nodes, edges, articles))

    def write_prepared(self, prepared: "Prepared", now: str | None = None) -> Counter:
        if not prepared.batches:
            return Counter()
        now = now or now_iso()
        with self.driver.session(database=self.database) as session:
            return execute(session.execute_write, self._write_tx, prepared, now,
                           self._replan())

    def _replan(self) -> str:
        """The replan option of the next transaction (see REPLAN_EVERY)."""
        clock = time.monotonic()
        if clock - self._checked_plans < REPLAN_EVERY:
            return "skip"
        self._checked_plans = clock
        return "default"

    def _write_tx(self, tx: neo4j.ManagedTransaction, prepared: "Prepared",
                  now: str, replan: str = "default") -> Counter:
        planned = Planned(tx, replan)
        try:
            return self._write_statements(planned, prepared, now)
        finally:
            planned.release()

    def _write_statements(self, tx: Planned, prepared: "Prepared", now: str) -> Counter:
        counters: Counter = Counter()
        reported = reported_properties(self.schema)
        rows, nodes, edges = prepared.rows, prepared.nodes, prepared.edges
        canon = merged_into(tx, prepared.batches)
        if canon:  # some of these nodes were merged into others: rows under the kept ids
            rows = ChunkRows(prepared.batches, canon, reported)
            nodes, edges = rows.nodes(), rows.edges()

        def run(query: str, rows: list[dict], **params) -> None:
            if rows:
                add_counters(counters, tx.run(query, now=now, rows=rows, **params)
                             .consume().counters)

        def returned(query: str, rows: list[dict], key: str = "fresh", **params) -> set[str]:
            """Run a statement that returns a list of ids as `key` (`fresh`: those it
            created)."""
            if not rows:
                return set()
            result = tx.run(query, now=now, rows=rows, **params)
            ids = set(result.single(strict=True)[key])
            add_counters(counters, result.consume().counters)
            return ids

        self._replace_earlier(tx, rows, counters)
        new_articles = returned(ARTICLE_QUERY, rows.articles())
        todo = prepared.all_new
        if canon or new_articles != todo.new:
            todo = Statements.of(nodes, edges, new_articles)
        run(NEW_EVIDENCE_QUERY, todo.new_evidence)
        created = returned(EVIDENCE_QUERY, todo.stored_evidence)
        if created:  # Evidence of stored articles was new: the relationships it supports know
            todo = todo.created(edges, created)
        renamed: set[str] = set()  # entities created, or given a name or alias they lacked
        for label, node_rows in todo.nodes.items():
            renamed |= returned(self._node_query(label), node_rows, "renamed",
                                names=list(NAME_PROPERTIES))
            if label in reported:
                add_counters(counters, tx.run(disputed_query(label), props=reported[label],
                                              ids=[r["id"] for r in node_rows]).consume().counters)
        for (type_, src, tgt), edge_rows in todo.edges.items():
            run(self._edge_query(type_, src, tgt), edge_rows)
        # The query library's summaries of what this chunk touched (derived values: not
        # counted, so that writing the same again still counts nothing).
        # (the names' summaries only for the entities whose names changed: the others' are
        # current, and each costs a lookup and a lock)
        update_summaries(tx, [r["id"] for by_label in nodes.values() for r in by_label],
                         named=renamed)
        return counters

    def _replace_earlier(self, tx, rows: ChunkRows, counters: Counter) -> None:
        """An edited article, or one read by another extractor version, replaces what the
        earlier reading stated (facts other articles support stay). A text that other
        locators still hold only loses this locator."""
        found = tx.run(EARLIER_QUERY, rows=rows.lookups()).data()
        for old in sorted({r["old"] for r in found}):
            mine = [r for r in found if r["old"] == old]
            if mine[0]["new"] == old:  # the same text, read again: keep where it was seen
                rows.keep_copies(old, mine[0]["locators"], mine[0]["sources"])
                counters.update(retract_tx(tx, old, self.schema))
            else:
                counters.update(release_tx(tx, old, [r["locator"] for r in mine], self.schema))

    @staticmethod
    def _node_query(label: str) -> str:
        # An article that tells of an incident REPORTS it (several reports converge on one).
        # (created outright when the article is new: it has no relationships yet)
        first = "r.id = ev.reports_id, r.first_seen = $now, r.last_seen = $now"
        reports = f"\n    MERGE (a)-[r:REPORTS]->(n) ON CREATE SET {first}" \
            if label == "Incident" else ""
        created = f"\n    CREATE (a)-[r:REPORTS]->(n) SET {first}" if label == "Incident" else ""
        return f"""
UNWIND $rows AS row
MERGE (n:`{label}` {{id: row.id}})
ON CREATE SET n.first_seen = $now, n.last_seen = $now
SET n:`{label}`
{_MISSING_PROPS.format(v="n")}
WITH *, n.first_seen = $now OR any(k IN missing WHERE k IN $names)
     OR any(x IN row.aliases WHERE NOT x IN coalesce(n.aliases, [])) AS renamed
{_sorted_union("n", "aliases", "row.aliases")}
WITH n, row, renamed
CALL (n, row) {{
  UNWIND row.mentions AS ev
  MATCH (a:Article {{id: ev.article}})
  CALL (a, n, ev) {{
    WITH a, n, ev WHERE ev.new
    CREATE (a)-[m:MENTIONS]->(n)
    SET m.first_seen = $now, m.aliases = ev.aliases, n.last_seen = $now{created}
    UNION
    WITH a, n, ev WHERE NOT ev.new
    MERGE (a)-[m:MENTIONS]->(n)
    ON CREATE SET m.first_seen = $now, m.aliases = ev.aliases, n.last_seen = $now{reports}
  }}
}}
WITH n, renamed, CASE WHEN size(row.mentions) > 0 THEN null
             WHEN EXISTS {{ MATCH (:Evidence {{fact: n.id}}) }} THEN null
             ELSE 'reference' END AS origin
{_set_if_changed("n", "origin", "origin")}
RETURN collect(CASE WHEN renamed THEN n.id END) AS renamed"""

    @staticmethod
    def _edge_query(type_: str, src: str, tgt: str) -> str:
        return f"""
UNWIND $rows AS row
MATCH (s:`{src}` {{id: row.source}})
MATCH (t:`{tgt}` {{id: row.target}})
MERGE (s)-[r:`{type_}`]->(t)
ON CREATE SET r.id = row.id, r.first_seen = $now, r.last_seen = $now
{_MISSING_PROPS.format(v="r")}
FOREACH (_ IN CASE WHEN row.news AND r.last_seen <> $now THEN [1] ELSE [] END |
  SET r.last_seen = $now)
WITH r, CASE WHEN row.stated THEN 'article'
             WHEN EXISTS {{ MATCH (:Evidence {{fact: r.id}}) }} THEN 'article'
             ELSE 'reference' END AS origin
{_set_if_changed("r", "origin", "origin")}"""

    def open_run(self, started: str, source: str | None) -> str:
        """An IngestRun node for a run that starts, with status "running" and no finished_at
        until close_run: a run killed on the way stays visible as unfinished."""
        run_id = f"run:{digest(started, source, os.getpid(), secrets.token_hex(8))}"
        self.driver.execute_query(
            "CREATE (:IngestRun {id: $id, started_at: $started, source: $source, "
            "status: 'running'})", id=run_id, started=started, source=source,
            database_=self.database)
        return run_id

    def close_run(self, run_id: str, articles: int, failed: list[str],
                  status: str = "finished") -> None:
        """The run's end: when, what it wrote, what it refused, and how it ended."""
        self.driver.execute_query(
            "MATCH (r:IngestRun {id: $id}) SET r.finished_at = $finished, "
            "r.articles = $articles, r.failed = $failed, r.status = $status",
            id=run_id, finished=now_iso(), articles=articles, failed=failed, status=status,
            database_=self.database)

    def drop_run(self, run_id: str) -> None:
        """Forget a run that changed and refused nothing (a repeated ingest leaves no trace)."""
        self.driver.execute_query("MATCH (r:IngestRun {id: $id}) DELETE r", id=run_id,
                                  database_=self.database)

    # -- retraction -----------------------------------------------------------------------
    def retract(self, article_id: str, locators: list[str] | None = None) -> Counter:
        """Remove an article and everything only it supported; facts others support stay.
        With `locators`, only those places lose it while other places still hold its text."""
        with self.driver.session(database=self.database) as session:
            return session.execute_write(release_tx, article_id, locators, self.schema)

    def find_articles(self, key: str) -> list[dict]:
        """Stored articles a command-line argument names: an article id, a URL or a path
        (as it was given at ingest, or absolute)."""
        records, _, _ = self.driver.execute_query(
            "UNWIND $keys AS key "
            "CALL (key) { MATCH (a:Article {id: key}) RETURN a "
            "  UNION MATCH (a:Article {locator: key}) RETURN a } "
            "RETURN DISTINCT a.id AS id, coalesce(a.locators, [a.locator]) AS locators",
            keys=article_keys(key), database_=self.database,
            routing_=neo4j.RoutingControl.READ)
        return [r.data() for r in records]


def evidence_rows(nodes: dict[str, list[dict]], edges: dict[tuple, list[dict]],
                  new_articles: set[str]) -> tuple[list[dict], list[dict], set[str]]:
    """The chunk's Evidence (of its nodes and relationships, once each) as the rows of two
    statements: that of the articles this transaction created, grouped per article
    (NEW_EVIDENCE_QUERY: all of it is new), and that of the articles already stored
    (EVIDENCE_QUERY: looked up first); and the ids of the first, which are all created."""
    evidence = {ev["id"]: ev for by_label in nodes.values() for r in by_label
                for ev in r["mentions"]}
    evidence.update((ev["id"], ev) for by_type in edges.values() for r in by_type
                    for ev in r["evidence"])
    fresh = {i for i, ev in evidence.items() if ev["article"] in new_articles}
    by_article: dict[str, list[dict]] = {}
    for i in sorted(fresh):
        ev = evidence[i]
        by_article.setdefault(ev["article"], []).append({"id": i, "props": ev["props"]})
    new_rows = [{"article": a, "evidence": evs} for a, evs in sorted(by_article.items())]
    stored_rows = [{"id": i, "article": ev["article"], "props": ev["props"]}
                   for i, ev in sorted(evidence.items()) if i not in fresh]
    return new_rows, stored_rows, fresh


def _mentions(evidence: list[dict], new_articles: set[str]) -> list[dict]:
    """A node's MENTIONS rows: one per article (the first of its Evidence, as MERGE would
    keep), marked `new` when the article is new to the graph."""
    out: dict[str, dict] = {}
    for ev in evidence:
        out.setdefault(ev["article"], {"article": ev["article"], "aliases": ev["aliases"],
                                       "reports_id": ev.get("reports_id"),
                                       "new": ev["article"] in new_articles})
    return list(out.values())


MERGED_QUERY = """
UNWIND $ids AS fid
MATCH (j:Judgement {merged: fid}) WHERE j.decision = 'positive'
RETURN j.merged AS merged, j.kept AS kept
"""


def merged_into(tx, batches: list[GraphBatch]) -> dict[str, str]:
    """The ids of these batches' nodes that accepted merges took into others, each with the
    id it now goes by (following chains: a into b, then b into c)."""
    todo = sorted({n.id for b in batches for n in b.nodes})
    canon: dict[str, str] = {}
    for _ in range(64):  # a chain is as long as the merges one after another; never a cycle
        if not todo:
            break
        found = {r["merged"]: r["kept"] for r in tx.run(MERGED_QUERY, ids=todo)}
        for merged, kept in found.items():
            for k, v in canon.items():
                if v == merged:
                    canon[k] = kept
            canon[merged] = kept
        todo = sorted(set(found.values()) - set(canon))
    return canon


def article_keys(key: str) -> list[str]:
    import os

    keys = [key]
    if "://" not in key:
        keys.append(os.path.abspath(key))
    return keys
