// title: Agency scorecard
// description: Cells dismantled per agency per year. A cell counts for an agency when it was
//   DISMANTLED_BY it or involved in a dismantlement the agency CONDUCTED. The year is the
//   incident's date, else the earliest publication date of the articles mentioning the cell.
// param: agency: str = null -- agency id (agency:...) or name
// returns: agency, agency_id, agency_country, year, cells_dismantled, cells, arrests

// The writer keeps a ScorecardEntry for each cell and agency it counts for, with the year,
// the cell's name and its arrests (graph/summaries.py, SCORECARD; year '' when there is
// none). Agencies are read in id order, each with its entries from the index on (agency,
// year, name, arrests), which gives them by year and name, so that a page stops after the
// agencies it shows.
MATCH (a:Agency) USING INDEX a:Agency(id)
WHERE a.id IS NOT NULL
  AND ($agency IS NULL OR a.id = $agency OR toLower(a.name) = toLower($agency))
CALL (a) {
  MATCH (e:ScorecardEntry)
  WHERE e.agency = a.id AND e.year IS NOT NULL AND e.name IS NOT NULL AND e.arrests IS NOT NULL
  WITH e.year AS y, e.name AS name, e.arrests AS arrests ORDER BY y, name
  WITH y, count(*) AS cells_dismantled, collect(name) AS cells, sum(arrests) AS arrests
  RETURN CASE y WHEN '' THEN null ELSE toInteger(y) END AS year, cells_dismantled, cells,
         arrests
  ORDER BY year
}
RETURN a.name AS agency, a.id AS agency_id, a.country AS agency_country, year,
       cells_dismantled, cells, arrests
ORDER BY agency_id, year
