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
MATCH (i:Incident)
WHERE $region IS NULL OR EXISTS {
  MATCH (i)-[:OCCURRED_IN]->(:Region)-[:PART_OF*0..]->(r:Region)
  WHERE r.id = $region OR toLower(r.name) = toLower($region)
}
WITH i
WHERE $organisation IS NULL OR EXISTS {
  MATCH (o:Organisation)<-[:PART_OF*0..]-(:Organisation)<-[:ATTRIBUTED_TO]-(i)
  WHERE o.id = $organisation OR toLower(o.name) = toLower($organisation)
} OR EXISTS {
  MATCH (o:Organisation)<-[:PART_OF*0..]-(:Organisation)<-[:AFFILIATED_WITH|DIRECTED_BY]-(:Cell)
        <-[:INVOLVED]-(i)
  WHERE o.id = $organisation OR toLower(o.name) = toLower($organisation)
}
OPTIONAL MATCH (art:Article)-[:REPORTS|MENTIONS]->(i)
WITH i, count(DISTINCT art) AS articles, min(left(art.published, 10)) AS first_published
WITH i, articles, coalesce(i.date, first_published) AS day
WITH i, articles, CASE WHEN day =~ '[0-9]{4}(-[0-9]{2}){0,2}' THEN day END AS day
// The period a date covers: '2024' is a year, '2024-05' a month, '2024-05-07' a day.
WITH i, articles, day, date(left(day + '-01-01', 10)) AS starts
WITH i, articles, day, starts,
     CASE size(day) WHEN 4 THEN starts + duration('P1Y') WHEN 7 THEN starts + duration('P1M')
          ELSE starts + duration('P1D') END - duration('P1D') AS ends
WHERE ($since IS NULL OR ends >= $since) AND ($until IS NULL OR starts <= $until)
RETURN day AS date, CASE WHEN i.date IS NULL AND day IS NOT NULL THEN 'published'
                         ELSE i.date_precision END AS date_precision,
       i.kind AS kind, coalesce(i.name, i.id) AS incident, i.id AS incident_id,
       COLLECT { MATCH (i)-[:OCCURRED_IN]->(r:Region) RETURN r.name AS n ORDER BY n } AS places,
       COLLECT { MATCH (i)-[:ATTRIBUTED_TO]->(o:Organisation) RETURN o.name AS n ORDER BY n }
         AS organisations,
       COLLECT { MATCH (i)-[:CONDUCTED_BY]->(a:Agency) RETURN a.name AS n ORDER BY n } AS agencies,
       COLLECT { MATCH (i)-[:INVOLVED]->(c:Cell) RETURN c.name AS n ORDER BY n } AS cells,
       i.arrests AS arrests, articles
ORDER BY starts, incident_id
