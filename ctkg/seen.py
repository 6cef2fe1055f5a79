"""What `ctkg refresh` has seen, kept in the graph beside the articles (so that a wiped
database is also a forgotten one): a `SourceItem` per URL, file or record of a source, and a
`RefreshRun` per run with a `SourceRun` per source.

SourceItem properties: source, key, status (ok | failed | skipped), etag, last_modified, hint
(the listing's date for the item), body_hash, size, mtime_ns, text_hash, articles,
extractor_version, tags, attempts, reason, next_attempt (epoch seconds), reported, first_seen,
last_seen. These labels are bookkeeping, not facts: exports and queries never read them.
"""
from __future__ import annotations

import uuid

import neo4j

from ctkg.graph.ids import digest

SCHEMA = (
    "CREATE CONSTRAINT ctkg_sourceitem_id IF NOT EXISTS FOR (s:SourceItem) REQUIRE s.id IS UNIQUE",
    "CREATE INDEX ctkg_sourceitem_source IF NOT EXISTS FOR (s:SourceItem) ON (s.source, s.status)",
    "CREATE CONSTRAINT ctkg_refreshrun_id IF NOT EXISTS FOR (r:RefreshRun) REQUIRE r.id IS UNIQUE",
)
FIELDS = ("etag", "last_modified", "hint", "body_hash", "size", "mtime_ns", "text_hash",
          "articles", "extractor_version", "status", "attempts", "reason", "next_attempt",
          "reported", "tags")


def item_id(source: str, key: str) -> str:
    return f"seen:{digest(source, key, length=24)}"


class SeenStore:
    def __init__(self, driver: neo4j.Driver, database: str | None = None) -> None:
        self.driver = driver
        self.database = database

    def _query(self, query: str, **params) -> list[dict]:
        records, _, _ = self.driver.execute_query(query, params, database_=self.database)
        return [r.data() for r in records]

    def ensure_schema(self) -> None:
        for statement in SCHEMA:
            self._query(statement)

    def get(self, source: str, keys: list[str]) -> dict[str, dict]:
        """The state of these keys (absent keys were never seen)."""
        if not keys:
            return {}
        rows = self._query("UNWIND $ids AS id MATCH (s:SourceItem {id: id}) "
                           "RETURN s.key AS key, properties(s) AS props",
                           ids=[item_id(source, k) for k in keys])
        return {r["key"]: r["props"] for r in rows}

    def all(self, source: str) -> dict[str, dict]:
        rows = self._query("MATCH (s:SourceItem {source: $source}) "
                           "RETURN s.key AS key, properties(s) AS props", source=source)
        return {r["key"]: r["props"] for r in rows}

    def due(self, source: str, now: float) -> dict[str, dict]:
        """Failed items whose time for another attempt has come."""
        rows = self._query("MATCH (s:SourceItem {source: $source, status: 'failed'}) "
                           "WHERE s.next_attempt <= $now "
                           "RETURN s.key AS key, properties(s) AS props", source=source, now=now)
        return {r["key"]: r["props"] for r in rows}

    def save(self, source: str, items: dict[str, dict], now: str) -> None:
        """Set these fields of these items (a None value removes the field)."""
        rows = [{"id": item_id(source, key), "key": key,
                 "props": {k: v for k, v in props.items() if k in FIELDS}}
                for key, props in items.items()]
        for start in range(0, len(rows), 500):
            self._query("UNWIND $rows AS row MERGE (s:SourceItem {id: row.id}) "
                        "ON CREATE SET s.source = $source, s.key = row.key, s.first_seen = $now "
                        "SET s += row.props, s.last_seen = $now",
                        rows=rows[start:start + 500], source=source, now=now)

    def forget(self, source: str, keys: list[str]) -> None:
        self._query("UNWIND $ids AS id MATCH (s:SourceItem {id: id}) DELETE s",
                    ids=[item_id(source, k) for k in keys])

    def record_run(self, started: str, finished: str, status: str, reports: list) -> str:
        """A RefreshRun node and one SourceRun per source: counts and this run's new errors."""
        # Two runs may start and end within one second: a run is an event, not a fact.
        run_id = f"refresh:{uuid.uuid4().hex[:16]}"
        totals = {k: sum(r.counts[k] for r in reports) for k in COUNTS}
        self._query(
            "CREATE (r:RefreshRun {id: $id, started_at: $started, finished_at: $finished, "
            "status: $status}) SET r += $totals "
            "WITH r UNWIND $sources AS s "
            "CREATE (r)-[:COUNTED]->(c:SourceRun) SET c = s",
            id=run_id, started=started, finished=finished, status=status, totals=totals,
            sources=[{"source": r.name, "errors": r.errors, **r.counts} for r in reports])
        return run_id


COUNTS = ("new", "changed", "unchanged", "duplicate", "failed", "quarantined", "retracted")
