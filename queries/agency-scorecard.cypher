// title: Agency scorecard
// description: Cells dismantled per agency per year. A cell counts for an agency when it was
//   DISMANTLED_BY it or involved in a dismantlement the agency CONDUCTED. The year is the
//   incident's date, else the earliest publication date of the articles mentioning the cell.
// param: agency: str = null -- agency id (agency:...) or name
// returns: agency, agency_id, agency_country, year, cells_dismantled, cells, arrests

// Agencies in id order from the id index, each with its cells counted on their own, so that a
// page stops after the agencies it shows (its work grows with those agencies' cells). Each
// relationship is read once: the cells the agency dismantled, and the cells of the incidents
// it conducted (with their kinds and dates), grouped by cell. (The schema allows only cells
// and incidents at the ends of these relationships: no label is checked.)
MATCH (a:Agency) USING INDEX a:Agency(id)
WHERE a.id IS NOT NULL
  AND ($agency IS NULL OR a.id = $agency OR toLower(a.name) = toLower($agency))
CALL (a) {
  CALL (a) {
    MATCH (c)-[:DISMANTLED_BY]->(a)
    RETURN c, true AS counts, null AS date
    UNION ALL
    MATCH (a)<-[:CONDUCTED_BY]-(i)-[:INVOLVED]->(c)
    RETURN c, i.kind = 'dismantlement' AS counts, i.date AS date
  }
  WITH c, max(counts) AS counts, min(left(date, 4)) AS incident_year
  WHERE counts
  // The articles are only read for a cell without an incident of this agency.
  CALL (c, incident_year) {
    OPTIONAL MATCH (art:Article)-[:MENTIONS]->(c) WHERE incident_year IS NULL
    RETURN min(left(art.published, 4)) AS published_year
  }
  WITH toInteger(coalesce(incident_year, published_year)) AS year, c ORDER BY c.name
  RETURN year, count(c) AS cells_dismantled, collect(c.name) AS cells,
         sum(coalesce(c.arrests, 0)) AS arrests
  ORDER BY year
}
RETURN a.name AS agency, a.id AS agency_id, a.country AS agency_country, year,
       cells_dismantled, cells, arrests
ORDER BY agency_id, year
