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

Where they must be recomputed: `update_summaries(tx, ids)` with the ids of the nodes a write
touched (every node of the chunk's batches), in the same transaction, after the nodes and
relationships are written. Around anything that may delete incidents or cells (a retraction:
graph/retraction.py does it; an entity merge or its undoing: the kept and the merged ids),
`release_summaries(tx, ids)` first, which takes their contributions out of the regions'
counts, then `update_summaries(tx, ids)` for what stays. Writing the same again changes
nothing: a property is only set when its value differs.
"""
from __future__ import annotations

from typing import Iterable

from ctkg.graph.schema import Schema

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
UNWIND $ids AS id
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
UNWIND $ids AS id
CALL (id) {
  MATCH (c:Cell {id: id}) RETURN c
  UNION MATCH (:Incident {id: id})-[:INVOLVED]->(c:Cell) RETURN c
  UNION MATCH (c:Cell)-[:STORED]->(:WeaponsCache {id: id}) RETURN c
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


NOT_ENTITIES = ("Article", "IngestRun")  # labels without first_seen


def _rollup(label: str, rel: str, count: str, arrests: str | None) -> str:
    """Cypher: the rollup of each `label` node these ids name, and the regions' counts moved
    by the difference with the rollup it had ($release: as if it had none)."""
    weight = "coalesce(n.arrests, 0)" if arrests else "0"
    moved = f", r.{arrests} = coalesce(r.{arrests}, 0) + d.arrests" if arrests else ""
    return f"""
UNWIND $ids AS id
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


ROLLUPS = (_rollup("Incident", "OCCURRED_IN", "incident_count", "incident_arrests"),
           _rollup("Cell", "OPERATED_IN", "cell_count", None))


def summary_statements(schema: Schema) -> list[str]:
    """The range indexes of the query library, IF NOT EXISTS (safe at every start)."""
    first_seen = [(f"ctkg_{label.lower()}_first_seen", label, ("first_seen",))
                  for label in schema.nodes if label not in NOT_ENTITIES]
    return [f"CREATE INDEX {name} IF NOT EXISTS FOR (n:`{label}`) "
            f"ON ({', '.join(f'n.`{p}`' for p in props)})"
            for name, label, props in (*first_seen, *INDEXES) if label in schema.nodes]


def update_summaries(tx, ids: Iterable[str]) -> int:
    """Recompute, in the caller's transaction, the summary properties of the nodes these ids
    name and of the cells they reach (see CELLS); ids of other labels, or of nodes that are
    gone, are ignored. Returns how many properties changed (derived values: a caller should
    not count them as changes of the graph)."""
    ids = sorted(set(ids))
    if not ids:
        return 0
    return sum(tx.run(query, ids=ids, no_day=NO_DAY, release=False).consume()
               .counters.properties_set for query in (INCIDENTS, CELLS, *ROLLUPS))


def release_summaries(tx, ids: Iterable[str]) -> None:
    """Take the contributions of the incidents and cells these ids name out of the regions'
    counts, before they may be deleted; `update_summaries` puts back those that stay."""
    ids = sorted(set(ids))
    for query in ROLLUPS:
        tx.run(query, ids=ids, release=True).consume()


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
        for label in ("Incident", "Cell"):
            ids = [r["id"] for r in session.run(f"MATCH (n:`{label}`) RETURN n.id AS id")]
            for start in range(0, len(ids), batch):
                changed += session.execute_write(update_summaries, ids[start:start + batch])
    return changed
