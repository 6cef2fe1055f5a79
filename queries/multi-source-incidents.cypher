// title: Incidents covered by several sources
// description: Incidents reported by several outlets or in several languages, with the
//   outlets, languages and number of articles: the best-corroborated events first.
// param: min_sources: int = 2 in 2..20 -- at least this many outlets, or this many languages
// returns: incident, incident_id, date, kind, outlets, languages, articles
MATCH (i:Incident)
WITH i,
     COLLECT { MATCH (a:Article)-[:REPORTS|MENTIONS]->(i)
               UNWIND coalesce(a.sources, [a.source]) AS outlet
               WITH outlet WHERE outlet IS NOT NULL
               RETURN DISTINCT outlet ORDER BY outlet } AS outlets,
     COLLECT { MATCH (a:Article)-[:REPORTS|MENTIONS]->(i) WHERE a.lang IS NOT NULL
               RETURN DISTINCT a.lang AS lang ORDER BY lang } AS languages,
     COUNT { MATCH (a:Article)-[:REPORTS|MENTIONS]->(i) RETURN DISTINCT a } AS articles
WHERE size(outlets) >= $min_sources OR size(languages) >= $min_sources
RETURN coalesce(i.name, i.id) AS incident, i.id AS incident_id, i.date AS date, i.kind AS kind,
       outlets, languages, articles
ORDER BY articles DESC, size(outlets) DESC, incident_id
