// title: Incident reports
// description: Each incident with the cells it involved and the outlets, languages and
//   articles that report it. Reports of one operation in several outlets, languages or
//   republished copies are one incident, and one cell unless they tell of several
//   (`ctkg resolve` merges what the ids alone do not join).
// param: min_articles: int = 1 in 1..100 -- at least this many reporting articles
// returns: incident, incident_id, date, kind, cells, cell_ids, outlets, languages, articles
MATCH (i:Incident)
WITH i, COUNT { MATCH (a:Article)-[:REPORTS]->(i) } AS articles
WHERE articles >= $min_articles
RETURN coalesce(i.name, i.id) AS incident, i.id AS incident_id, i.date AS date, i.kind AS kind,
       COLLECT { MATCH (i)-[:INVOLVED]->(c:Cell) RETURN c.name ORDER BY c.id } AS cells,
       COLLECT { MATCH (i)-[:INVOLVED]->(c:Cell) RETURN c.id ORDER BY c.id } AS cell_ids,
       COLLECT { MATCH (a:Article)-[:REPORTS]->(i)
                 UNWIND coalesce(a.sources, [a.source]) AS outlet
                 WITH outlet WHERE outlet IS NOT NULL
                 RETURN DISTINCT outlet ORDER BY outlet } AS outlets,
       COLLECT { MATCH (a:Article)-[:REPORTS]->(i) WHERE a.lang IS NOT NULL
                 RETURN DISTINCT a.lang AS lang ORDER BY lang } AS languages,
       articles
ORDER BY articles DESC, incident_id
