// title: Timeline
// description: Incidents in date order, for a region (anything that occurred in it or in the
//   places below it) or an organisation (attributed to it or one of its provinces, or
//   involving a cell linked to them), between two dates. A partial date (year or month)
//   counts when its period overlaps the range; an undated incident takes the earliest
//   publication date of the articles that report it.
// param: region: str = null -- region id (region:...) or name
// param: organisation: str = null -- organisation id (org:...) or name
// param: since: date = null -- first day of the range
// param: until: date = null -- last day of the range
// returns: date, date_precision, kind, incident, incident_id, places, organisations, agencies, cells, arrests, articles

// Incidents are read in date order from the index on their summary day_start (graph/
// summaries.py: the first day of their date, else of their earliest article, as YYYY-MM-DD
// text; 9999-12-31 without either), so that a page stops after the incidents it shows. A
// period is at most a year long, so one that ends on or after $since starts after $since
// minus a year.
MATCH (i:Incident)
WHERE i.day_start >= coalesce(toString($since - duration('P1Y')), '')
  AND i.day_start <= coalesce(toString($until), '9999-12-31')
WITH i ORDER BY i.day_start, i.id
WITH i, i.day AS day, i.day_start AS first_day
WITH i, day, first_day, date(first_day) AS starts
WITH i, day, first_day, starts,
     CASE size(day) WHEN 4 THEN starts + duration('P1Y') WHEN 7 THEN starts + duration('P1M')
          ELSE starts + duration('P1D') END - duration('P1D') AS ends
WHERE $since IS NULL OR ends >= $since
// The filters in a subquery: the planner keeps the index order through it.
CALL (i) {
  WITH i
  WHERE ($region IS NULL OR EXISTS {
    MATCH (i)-[:OCCURRED_IN]->(:Region)-[:PART_OF*0..6]->(r:Region)
    WHERE r.id = $region OR toLower(r.name) = toLower($region)
  })
  AND ($organisation IS NULL OR EXISTS {
    MATCH (o:Organisation)<-[:PART_OF*0..6]-(:Organisation)<-[:ATTRIBUTED_TO]-(i)
    WHERE o.id = $organisation OR toLower(o.name) = toLower($organisation)
  } OR EXISTS {
    MATCH (o:Organisation)<-[:PART_OF*0..6]-(:Organisation)<-[:AFFILIATED_WITH|DIRECTED_BY]-(:Cell)
          <-[:INVOLVED]-(i)
    WHERE o.id = $organisation OR toLower(o.name) = toLower($organisation)
  })
  RETURN true AS kept
}
RETURN day AS date, CASE WHEN i.date IS NULL AND day IS NOT NULL THEN 'published'
                         ELSE i.date_precision END AS date_precision,
       i.kind AS kind, coalesce(i.name, i.id) AS incident, i.id AS incident_id,
       COLLECT { MATCH (i)-[:OCCURRED_IN]->(r:Region) RETURN r.name AS n ORDER BY n } AS places,
       COLLECT { MATCH (i)-[:ATTRIBUTED_TO]->(o:Organisation) RETURN o.name AS n ORDER BY n }
         AS organisations,
       COLLECT { MATCH (i)-[:CONDUCTED_BY]->(a:Agency) RETURN a.name AS n ORDER BY n } AS agencies,
       COLLECT { MATCH (i)-[:INVOLVED]->(c:Cell) RETURN c.name AS n ORDER BY n } AS cells,
       i.arrests AS arrests, i.article_count AS articles
ORDER BY first_day, incident_id
