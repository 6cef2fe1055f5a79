// title: Agency scorecard
// description: Cells dismantled per agency per year. A cell counts for an agency when it was
//   DISMANTLED_BY it or involved in a dismantlement the agency CONDUCTED. The year is the
//   incident's date, else the earliest publication date of the articles mentioning the cell.
// param: agency: str = null -- agency id (agency:...) or name
// returns: agency, agency_id, agency_country, year, cells_dismantled, cells, arrests
CALL () {
  MATCH (c:Cell)-[:DISMANTLED_BY]->(a:Agency)
  RETURN c, a
  UNION
  MATCH (a:Agency)<-[:CONDUCTED_BY]-(:Incident {kind: 'dismantlement'})-[:INVOLVED]->(c:Cell)
  RETURN c, a
}
WITH c, a
WHERE $agency IS NULL OR a.id = $agency OR toLower(a.name) = toLower($agency)
OPTIONAL MATCH (a)<-[:CONDUCTED_BY]-(i:Incident)-[:INVOLVED]->(c)
WITH c, a, min(left(i.date, 4)) AS incident_year
OPTIONAL MATCH (art:Article)-[:MENTIONS]->(c)
WITH c, a, incident_year, min(left(art.published, 4)) AS published_year
WITH a, toInteger(coalesce(incident_year, published_year)) AS year, c ORDER BY c.name
RETURN a.name AS agency, a.id AS agency_id, a.country AS agency_country, year,
       count(c) AS cells_dismantled, collect(c.name) AS cells,
       sum(coalesce(c.arrests, 0)) AS arrests
ORDER BY agency_id, year
