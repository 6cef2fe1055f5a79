// title: Incident reports
// description: Each incident with the cells it involved and the outlets, languages and
//   articles that report it. Reports of one operation in several outlets, languages or
//   republished copies are one incident, and one cell unless they tell of several
//   (`ctkg resolve` merges what the ids alone do not join).
// param: min_articles: int = 1 in 1..100 -- at least this many reporting articles
// returns: incident, incident_id, date, kind, cells, cell_ids, outlets, languages, articles

// The number of reporting articles is the incident's summary `report_count` (graph/
// summaries.py), kept current by the writer: incidents are read from the index on
// (report_rank, id), report_rank being minus report_count, so most reported first and in id
// order among equals, and a page stops after the incidents it shows.
MATCH (i:Incident)
WHERE i.report_rank <= -$min_articles AND i.id IS NOT NULL
WITH i ORDER BY i.report_rank, i.id
RETURN coalesce(i.name, i.id) AS incident, i.id AS incident_id, i.date AS date, i.kind AS kind,
       COLLECT { MATCH (i)-[:INVOLVED]->(c:Cell) RETURN c.name ORDER BY c.id } AS cells,
       COLLECT { MATCH (i)-[:INVOLVED]->(c:Cell) RETURN c.id ORDER BY c.id } AS cell_ids,
       COLLECT { MATCH (a:Article)-[:REPORTS]->(i)
                 UNWIND coalesce(a.sources, [a.source]) AS outlet
                 WITH outlet WHERE outlet IS NOT NULL
                 RETURN DISTINCT outlet ORDER BY outlet } AS outlets,
       COLLECT { MATCH (a:Article)-[:REPORTS]->(i) WHERE a.lang IS NOT NULL
                 RETURN DISTINCT a.lang AS lang ORDER BY lang } AS languages,
       i.report_count AS articles
ORDER BY i.report_rank, incident_id
