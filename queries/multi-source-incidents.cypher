// title: Incidents covered by several sources
// description: Incidents reported by several outlets or in several languages, with the
//   outlets, languages and number of articles: the best-corroborated events first.
// param: min_sources: int = 2 in 2..20 -- at least this many outlets, or this many languages
// returns: incident, incident_id, date, kind, outlets, languages, articles

// Outlets, languages and articles are the incident's summaries (graph/summaries.py), kept
// current by the writer; the index on `corroboration` (the larger of the two counts) finds
// the incidents that qualify without reading the others.
MATCH (i:Incident)
WHERE i.corroboration >= $min_sources
RETURN coalesce(i.name, i.id) AS incident, i.id AS incident_id, i.date AS date, i.kind AS kind,
       i.outlets AS outlets, i.languages AS languages, i.article_count AS articles
ORDER BY articles DESC, size(outlets) DESC, incident_id
