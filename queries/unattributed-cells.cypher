// title: Unattributed cells
// description: Cells linked to no organisation (neither AFFILIATED_WITH nor DIRECTED_BY one,
//   nor directed by a person who is): gaps worth a second reading of their articles.
// param: country: str = null -- ISO alpha-2 code of the cell's country
// returns: cell, cell_id, country, articles, locators
MATCH (c:Cell)
WHERE ($country IS NULL OR toUpper(c.country) = toUpper($country))
  AND NOT (c)-[:AFFILIATED_WITH|DIRECTED_BY]->(:Organisation)
  AND NOT (c)-[:DIRECTED_BY]->(:Person)-[:AFFILIATED_WITH|LEADS]->(:Organisation)
OPTIONAL MATCH (art:Article)-[:MENTIONS]->(c)
WITH c, art ORDER BY art.locator
RETURN c.name AS cell, c.id AS cell_id, c.country AS country, count(art) AS articles,
       collect(art.locator) AS locators
ORDER BY cell_id
