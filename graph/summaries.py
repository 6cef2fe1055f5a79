"""What the query library needs to answer a page in interactive time on a large graph
(issue 13, item 5): the range indexes its queries read in order, and summary properties the
writer keeps current, so that a query orders or filters on a stored value instead of
aggregating the whole graph on every run.

Summary properties (derived, never extracted; recomputed from the graph by `update_summaries`):

    Incident.day            its date when it is one (YYYY, YYYY-MM or YYYY-MM-DD), else the
                            earliest publication day of the articles that report or mention it
    Incident.day_start      the first day `day` covers, as text YYYY-MM-DD (text, not a Date:
                            node snapshots are JSON); 9999-12-31 when there is no day, so that
                            every incident is in the index and undated ones sort last
    Incident.article_count  articles that report or mention it
    Incident.report_count   articles that report it
    Incident.report_rank    minus report_count: indexed with the id, it lists the most
                            reported incidents first, in id order among equals
    Incident.outlets        the sorted outlets of those articles
    Incident.languages      the sorted languages of those articles
    Incident.corroboration  the larger of the numbers of outlets and of languages
    Cell.countries          the sorted names of the countries it was active in: where it
                            operated, its incidents occurred, its caches lay, and the countries
                            of the agencies that dismantled it
    Cell.country_count      how many
    Cell.country_rank       minus country_count (like report_rank)
    Incident.rollup         the ids of the regions it occurred in and of the regions above
                            them (PART_OF), and Incident.rollup_arrests its arrests as counted
    Cell.rollup             the same for the regions it operated in
    Region.incident_count   incidents whose rollup holds it, Region.incident_arrests their
                            arrests, Region.cell_count cells whose rollup holds it: kept by
                            difference, so a node's contribution is taken back before it goes

Summary nodes (internal labels of schema.yaml, never extracted nor exported):

    NameHolder              one per Cell, Organisation, Agency, Person and Region (id holder:
                            + its id): its label, name, country, kind and keys (its names and
                            aliases lower-cased and trimmed, sorted), what merge-candidates
                            compares; indexed by (label, entity), so that the query reads the
                            entities in its row order
    NameKey                 one per label and key held (id namekey:Label|key): size, how many
                            entities hold it, and holders, their ids, while they are at most
                            HOLDERS_CAP (a generic key is a count, not a list rewritten by
                            every write): kept by difference from the holders' keys
    ScorecardEntry          one per cell and agency it counts for in agency-scorecard (id
                            scorecard:agency|cell): the year ('' without one), the cell's name
                            and arrests; indexed by (agency, year, name, arrests)

Where they must be recomputed: `update_summaries(tx, ids)` with the ids of the nodes a write
touched (every node of the chunk's batches), in the same transaction, after the nodes and
relationships are written. Around anything that may delete incidents or cells (a retraction:
graph/retraction.py does it; an entity merge or its undoing: the kept and the merged ids),
`release_summaries(tx, ids)` first, which takes their contributions out of the regions'
counts, then `update_summaries(tx, ids)` for what stays. (The summary nodes need no release:
`update_summaries` removes those of an entity or cell whose id it is given and that is gone.)
Writing the same again changes nothing: a property is only set when its value differs.
"""
from __future__ import annotations

from typing import Iterable

from ctkg.graph.schema import Schema, load_schema

# (index name, label, properties): range indexes the library's queries seek or read in order.
# A composite index gives rows in the order of its properties, all ascending: "most first,
# then by id" is read from (rank, id), the rank being minus the count.
# Besides these, new-since reads every entity label's first_seen index (first_seen is UTC
# ISO-8601 text, so text order is time order): see summary_statements.
INDEXES = (
    # new-since: the last ingest run
    ("ctkg_ingestrun_started_at", "IngestRun", ("started_at",)),
    # disputed-values: the few nodes whose sources disagree
    ("ctkg_cell_disputed", "Cell", ("disputed",)),
    ("ctkg_incident_disputed", "Incident", ("disputed",)),
    # timeline: incidents in date order
    ("ctkg_incident_day_start", "Incident", ("day_start",)),
    # multi-source-incidents: the incidents with several outlets or languages; incident-reports:
    # the most reported incidents first
    ("ctkg_incident_corroboration", "Incident", ("corroboration",)),
    ("ctkg_incident_report_rank", "Incident", ("report_rank", "id")),
    # cross-border-cells: the cells active in most countries first
    ("ctkg_cell_country_rank", "Cell", ("country_rank", "id")),
    # merge-candidates: the entities of a label in id order, with their names (NAMES)
    ("ctkg_nameholder_label_entity", "NameHolder", ("label", "entity")),
    # agency-scorecard: an agency's cells by year in name order, and a cell's entries
    ("ctkg_scorecardentry_agency_year", "ScorecardEntry", ("agency", "year", "name", "arrests")),
    ("ctkg_scorecardentry_cell", "ScorecardEntry", ("cell",)),
)

# Every summary property, by label: a snapshot that recreates a node (undoing a merge) leaves
# them out, so that the node starts with no contribution and update_summaries adds it.
SUMMARY_PROPERTIES = {
    "Incident": ("day", "day_start", "article_count", "report_count", "report_rank", "outlets",
                 "languages", "corroboration", "rollup", "rollup_arrests"),
    "Cell": ("countries", "country_count", "country_rank", "rollup"),
    "Region": ("incident_count", "incident_arrests", "cell_count"),
}

NO_DAY = "9999-12-31"  # day_start of an incident without a day: last in date order

INCIDENTS = """
UNWIND $incidents AS id
MATCH (i:Incident {id: id})
WITH i, COLLECT { MATCH (a:Article)-[:REPORTS|MENTIONS]->(i) RETURN DISTINCT a } AS arts
WITH i, size(arts) AS article_count, COUNT { (i)<-[:REPORTS]-() } AS report_count,
     COLLECT { UNWIND arts AS a UNWIND coalesce(a.sources, [a.source]) AS o
               WITH o WHERE o IS NOT NULL RETURN DISTINCT o ORDER BY o } AS outlets,
     COLLECT { UNWIND arts AS a WITH a.lang AS l WHERE l IS NOT NULL
               RETURN DISTINCT l ORDER BY l } AS languages,
     CASE WHEN i.date =~ '[0-9]{4}(-[0-9]{2}){0,2}' THEN i.date
          ELSE COLLECT { UNWIND arts AS a WITH left(a.published, 10) AS p
                         WHERE p =~ '[0-9]{4}(-[0-9]{2}){0,2}' RETURN p ORDER BY p LIMIT 1 }[0]
     END AS day
WITH i, article_count, report_count, outlets, languages, day,
     // never an error: a month or day out of range runs over into the next
     CASE WHEN day IS NULL THEN $no_day
          ELSE toString(date({year: toInteger(left(day, 4))})
               + duration({months: coalesce(toInteger(substring(day, 5, 2)), 1) - 1,
                           days: coalesce(toInteger(substring(day, 8, 2)), 1) - 1})) END
       AS day_start
WHERE i.article_count IS NULL OR i.article_count <> article_count
   OR i.report_count IS NULL OR i.report_count <> report_count
   OR coalesce(i.outlets, []) <> outlets OR coalesce(i.languages, []) <> languages
   OR coalesce(i.day, '') <> coalesce(day, '') OR i.day_start IS NULL
   OR i.day_start <> day_start OR i.corroboration IS NULL OR i.report_rank IS NULL
SET i.article_count = article_count, i.report_count = report_count,
    i.report_rank = -report_count, i.outlets = outlets,
    i.languages = languages, i.corroboration = CASE WHEN size(outlets) > size(languages)
    THEN size(outlets) ELSE size(languages) END, i.day = day, i.day_start = day_start
"""

# The cells whose countries may change when these nodes change: the cells themselves, the
# cells an incident involved and the cells that stored a cache. Each cell is locked before its
# places are read (`SET c:Cell` changes nothing): a cell this write did not touch may be
# written by a concurrent transaction, and its countries must not be computed from what that
# transaction has not committed yet and then written over its value.
CELLS = """
CALL () {
  UNWIND $cells AS id MATCH (c:Cell {id: id}) RETURN c
  UNION UNWIND $incidents AS id MATCH (:Incident {id: id})-[:INVOLVED]->(c:Cell) RETURN c
  UNION UNWIND $caches AS id MATCH (c:Cell)-[:STORED]->(:WeaponsCache {id: id}) RETURN c
}
WITH DISTINCT c ORDER BY c.id
SET c:Cell
WITH c
CALL (c) {
  CALL (c) {
    MATCH (c)-[:OPERATED_IN]->(r:Region) RETURN r
    UNION MATCH (c)<-[:INVOLVED]-(:Incident)-[:OCCURRED_IN]->(r:Region) RETURN r
    UNION MATCH (c)-[:STORED]->(:WeaponsCache)-[:LOCATED_IN]->(r:Region) RETURN r
    UNION MATCH (c)-[:DISMANTLED_BY]->(:Agency)-[:BASED_IN]->(r:Region) RETURN r
  }
  MATCH (r)-[:PART_OF*0..6]->(k:Region {kind: 'country'})
  WITH DISTINCT k.name AS name ORDER BY name
  RETURN collect(name) AS countries
}
WITH c, countries
WHERE coalesce(c.countries, []) <> countries OR c.country_rank IS NULL
   OR c.country_rank <> -size(countries)
SET c.countries = countries, c.country_count = size(countries),
    c.country_rank = -size(countries)
"""


# Labels without first_seen: articles, runs, and the summary nodes below.
NOT_ENTITIES = ("Article", "IngestRun", "NameHolder", "NameKey", "ScorecardEntry")

# The labels merge-candidates pairs, and a key's holders are listed while at most this many
# entities hold it (merge-candidates' largest max_sharing): a generic key ("the cell", held
# by thousands) is a count, not a list every transaction rewrites.
NAMED = ("Agency", "Cell", "Organisation", "Person", "Region")
HOLDERS_CAP = 100
# What NAMES reads from an entity, besides its label and aliases.
NAME_PROPERTIES = ("name", "name_ar", "name_fr", "name_en", "country", "kind")


def _same(a: str, b: str) -> str:
    """Cypher: a and b are equal, or both null."""
    return f"coalesce({a} = {b}, {a} IS NULL AND {b} IS NULL)"


# The entity behind each of these ids (named labels only, each looked up under its own label:
# a seek for null finds nothing at once; absent when it is gone), its holder
# locked before its names are read, and the keys that came or went moved in their NameKeys
# (locked in id order; last of the summaries, since a generic key is locked by most writes
# until they commit). A key whose count falls back to HOLDERS_CAP after it was above gets
# its holders again from the holders of its label (rare: retractions and merges only).
NAMES = """
UNWIND $named AS named
WITH named.id AS id, named.label AS label
OPTIONAL CALL (id, label) {
  """ + "\n  UNION ".join(f"MATCH (n:`{label}` {{id: CASE label WHEN '{label}' THEN id END}}) "
                      "RETURN n" for label in NAMED) + """
}
WITH id, n ORDER BY id
CALL (id, n) {
  WITH id, n WHERE n IS NOT NULL
  MERGE (h:NameHolder {id: 'holder:' + id})
  ON CREATE SET h.entity = id, h.keys = []
  RETURN h
  UNION
  WITH id, n WHERE n IS NULL
  MATCH (h:NameHolder {id: 'holder:' + id})
  RETURN h
}
SET h:NameHolder
WITH h, n, coalesce(labels(n)[0], h.label) AS label, h.keys AS was,
     CASE WHEN n IS NULL THEN [] ELSE
       COLLECT { UNWIND [x IN [n.name, n.name_ar, n.name_fr, n.name_en] + coalesce(n.aliases, [])
                         WHERE x IS NOT NULL | toLower(trim(x))] AS k
                 RETURN DISTINCT k ORDER BY k } END AS now
WHERE n IS NULL OR now <> was OR NOT (""" + " AND ".join(
    _same(f"h.{p}", v) for p, v in (("label", "label"), ("name", "n.name"),
                                    ("country", "n.country"), ("kind", "n.kind"))) + """)
SET h.label = label, h.name = n.name, h.country = n.country, h.kind = n.kind, h.keys = now
WITH h, n, h.entity AS holder, label,
     [x IN was WHERE NOT x IN now | {key: x, d: -1}] +
     [x IN now WHERE NOT x IN was | {key: x, d: 1}] AS moves
FOREACH (_ IN CASE WHEN n IS NULL THEN [1] ELSE [] END | DELETE h)
WITH holder, label, moves
UNWIND moves AS m
WITH label, m.key AS key, sum(m.d) AS d,
     collect(CASE WHEN m.d > 0 THEN holder END) AS added,
     collect(CASE WHEN m.d < 0 THEN holder END) AS removed
ORDER BY label, key
MERGE (k:NameKey {id: 'namekey:' + label + '|' + key})
ON CREATE SET k.label = label, k.key = key, k.size = 0, k.holders = []
SET k:NameKey
WITH k, label, key, added, removed, k.size + d AS size
WITH k, size, CASE
  WHEN size > $cap THEN null
  WHEN k.holders IS NOT NULL THEN COLLECT { UNWIND [x IN k.holders WHERE NOT x IN removed] + added
                                            AS x RETURN x ORDER BY x }
  ELSE COLLECT { MATCH (o:NameHolder) WHERE o.label = label AND o.entity IS NOT NULL
                   AND key IN o.keys RETURN o.entity ORDER BY o.entity } END AS holders
SET k.size = size, k.holders = holders
WITH k WHERE k.size = 0
DELETE k
"""

# The cells whose scorecard entries may change when these nodes change (the cells, and those
# the incidents involved; a cell that is gone loses its entries): for each agency a cell
# counts for (it was DISMANTLED_BY the agency, or involved in a dismantlement the agency
# CONDUCTED), an entry with the year agency-scorecard gives it (its incidents' with that
# agency, else its articles') and the cell's name and arrests. Cells are locked in id order.
SCORECARD = """
CALL () {
  UNWIND $cells AS cid RETURN cid
  UNION UNWIND $incidents AS id MATCH (:Incident {id: id})-[:INVOLVED]->(c:Cell) RETURN c.id AS cid
}
WITH cid ORDER BY cid
OPTIONAL MATCH (c:Cell {id: cid})
SET c:Cell
WITH cid, c, COLLECT {
  MATCH (e:ScorecardEntry {cell: cid}) RETURN e } AS was, COLLECT {
  CALL (c) {
    MATCH (c)-[:DISMANTLED_BY]->(a:Agency) RETURN a, true AS counts, null AS date
    UNION ALL
    MATCH (c)<-[:INVOLVED]-(i:Incident)-[:CONDUCTED_BY]->(a:Agency)
    RETURN a, i.kind = 'dismantlement' AS counts, i.date AS date
  }
  WITH a, max(counts) AS counts, min(left(date, 4)) AS incident_year
  WHERE counts
  CALL (c, incident_year) {
    OPTIONAL MATCH (art:Article)-[:MENTIONS]->(c) WHERE incident_year IS NULL
    RETURN min(left(art.published, 4)) AS published_year
  }
  RETURN {agency: a.id,
          year: coalesce(toString(toInteger(coalesce(incident_year, published_year))), '')}
    AS entry } AS now
FOREACH (e IN [e IN was WHERE NOT e.agency IN [x IN now | x.agency]] | DELETE e)
WITH c, now
UNWIND now AS x
MERGE (e:ScorecardEntry {id: 'scorecard:' + x.agency + '|' + c.id})
ON CREATE SET e.agency = x.agency, e.cell = c.id
WITH e, x, c, coalesce(c.arrests, 0) AS arrests
WHERE NOT (coalesce(e.year = x.year, false) AND """ + _same("e.name", "c.name") + """
           AND coalesce(e.arrests = arrests, false))
SET e.year = x.year, e.name = c.name, e.arrests = arrests
"""


def _rollup(label: str, ids: str, rel: str, count: str, arrests: str | None) -> str:
    """Cypher: the rollup of each `label` node the parameter `ids` names, and the regions'
    counts moved by the difference with the rollup it had ($release: as if it had none)."""
    weight = "coalesce(n.arrests, 0)" if arrests else "0"
    moved = f", r.{arrests} = coalesce(r.{arrests}, 0) + d.arrests" if arrests else ""
    return f"""
UNWIND ${ids} AS id
MATCH (n:`{label}` {{id: id}})
WITH n, CASE WHEN $release THEN [] ELSE
          COLLECT {{ MATCH (n)-[:{rel}]->(:Region)-[:PART_OF*0..6]->(r:Region)
                    RETURN DISTINCT r.id AS rid ORDER BY rid }} END AS now,
     CASE WHEN $release THEN 0 ELSE {weight} END AS weight
WITH n, now, weight, coalesce(n.rollup, []) AS was, coalesce(n.rollup_arrests, 0) AS had
WHERE now <> was OR weight <> had OR n.rollup IS NULL
CALL (now, weight, was, had) {{
  UNWIND [x IN was WHERE NOT x IN now | {{id: x, n: -1, arrests: -had}}]
       + [x IN now WHERE NOT x IN was | {{id: x, n: 1, arrests: weight}}]
       + [x IN now WHERE x IN was AND weight <> had | {{id: x, n: 0, arrests: weight - had}}] AS d
  MATCH (r:Region {{id: d.id}})
  SET r.{count} = coalesce(r.{count}, 0) + d.n{moved}
}}
SET n.rollup = now{", n.rollup_arrests = weight" if arrests else ""}
"""


ROLLUPS = (_rollup("Incident", "incidents", "OCCURRED_IN", "incident_count", "incident_arrests"),
           _rollup("Cell", "cells", "OPERATED_IN", "cell_count", None))


def summary_statements(schema: Schema) -> list[str]:
    """The range indexes of the query library, IF NOT EXISTS (safe at every start)."""
    first_seen = [(f"ctkg_{label.lower()}_first_seen", label, ("first_seen",))
                  for label in schema.nodes if label not in NOT_ENTITIES]
    return [f"CREATE INDEX {name} IF NOT EXISTS FOR (n:`{label}`) "
            f"ON ({', '.join(f'n.`{p}`' for p in props)})"
            for name, label, props in (*first_seen, *INDEXES) if label in schema.nodes]


def _by_label(ids: list[str]) -> dict[str, list[str]]:
    """The ids of each label, by their prefix (ids without a known one are left out)."""
    labels = {node.prefix: label for label, node in load_schema().nodes.items()}
    out: dict[str, list[str]] = {}
    for node_id in ids:
        label = labels.get(node_id.split(":", 1)[0])
        if label:
            out.setdefault(label, []).append(node_id)
    return out


def _params(ids: list[str], named: list[str] | None = None) -> dict:
    """The summary statements' parameters: each reads the ids of the labels it is about
    (an id is looked up under its own label only, not under every label a statement reads);
    NAMES those of `named` only, when given."""
    by_label = _by_label(ids)
    by_name = by_label if named is None else _by_label(named)
    return {"incidents": by_label.get("Incident", []), "cells": by_label.get("Cell", []),
            "caches": by_label.get("WeaponsCache", []),
            "named": [{"id": i, "label": label} for label in NAMED for i in by_name.get(label, [])]}


def update_summaries(tx, ids: Iterable[str], named: Iterable[str] | None = None) -> int:
    """Recompute, in the caller's transaction, the summary properties of the nodes these ids
    name and of the cells they reach (see CELLS and SCORECARD), and the summary nodes of the
    entities (NAMES): those of an entity that is gone go. Ids of other labels, or of nodes
    that are gone, are otherwise ignored. `named`, when given, are the only entities whose
    NAMES summaries may have changed (the writer's: those it created or gave a NAME_PROPERTIES
    value or an alias they lacked). Returns how many properties changed (derived values: a
    caller should not count them as changes of the graph)."""
    ids = sorted(set(ids))
    if not ids:
        return 0
    params = {**_params(ids, None if named is None else sorted(set(named))), "no_day": NO_DAY,
              "release": False, "cap": HOLDERS_CAP}
    return sum(tx.run(query, params).consume().counters.properties_set
               for query in (INCIDENTS, CELLS, *ROLLUPS, SCORECARD, NAMES))


def release_summaries(tx, ids: Iterable[str]) -> None:
    """Take the contributions of the incidents and cells these ids name out of the regions'
    counts, before they may be deleted; `update_summaries` puts back those that stay."""
    params = {**_params(sorted(set(ids))), "release": True}
    for query in ROLLUPS:
        tx.run(query, params).consume()


# A graph without some of the summaries every write gives: incidents or cells without their
# properties, or entities without summary nodes (written before the writer kept them).
STALE_SUMMARIES = """
RETURN EXISTS { MATCH (i:Incident) WHERE i.day_start IS NULL } OR
       EXISTS { MATCH (c:Cell) WHERE c.country_rank IS NULL } OR
       (EXISTS { MATCH (:""" + "|".join(NAMED) + """) } AND NOT EXISTS { MATCH (:NameHolder) }) OR
       (EXISTS { MATCH (:Cell)-[:DISMANTLED_BY]->() } AND NOT EXISTS { MATCH (:ScorecardEntry) })
  AS stale
"""


def backfill(driver, database: str | None = None, batch: int = 2000) -> int:
    """Compute every summary of an existing graph (once, on a graph written before the
    writer kept them; the regions' counts start again from zero), in batches; returns how
    many properties changed."""
    changed = 0
    with driver.session(database=database) as session:
        session.run("MATCH (n:Incident|Cell) WHERE n.rollup IS NOT NULL REMOVE n.rollup, "
                    "n.rollup_arrests").consume()
        session.run("MATCH (r:Region) REMOVE r.incident_count, r.incident_arrests, "
                    "r.cell_count").consume()
        session.run("MATCH (n:NameHolder|NameKey|ScorecardEntry) "
                    "CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        for label in ("Incident", "Cell", *(x for x in NAMED if x != "Cell")):
            ids = [r["id"] for r in session.run(f"MATCH (n:`{label}`) RETURN n.id AS id")]
            for start in range(0, len(ids), batch):
                changed += session.execute_write(update_summaries, ids[start:start + batch])
    return changed
