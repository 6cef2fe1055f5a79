// title: Unattributed cells
// description: Cells linked to no organisation (neither AFFILIATED_WITH nor DIRECTED_BY one,
//   nor directed by a person who is): gaps worth a second reading of their articles.
// param: country: str = null -- ISO alpha-2 code of the cell's country
// returns: cell, cell_id, country, articles, locators

// Cells in id order from the id index, so that a page stops after the cells it shows.
MATCH (c:Cell) USING INDEX c:Cell(id)
WHERE c.id IS NOT NULL AND ($country IS NULL OR toUpper(c.country) = toUpper($country))
  AND NOT (c)-[:AFFILIATED_WITH|DIRECTED_BY]->(:Organisation)
  AND NOT (c)-[:DIRECTED_BY]->(:Person)-[:AFFILIATED_WITH|LEADS]->(:Organisation)
RETURN c.name AS cell, c.id AS cell_id, c.country AS country,
       COUNT { (c)<-[:MENTIONS]-() } AS articles,
       COLLECT { MATCH (art:Article)-[:MENTIONS]->(c) RETURN art.locator AS l ORDER BY l }
         AS locators
ORDER BY cell_id
