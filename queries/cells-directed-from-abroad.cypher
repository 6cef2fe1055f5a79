// title: Cells directed from abroad
// description: Cells whose director (an organisation or a person) is based in, or operates
//   from, a country other than the ones where the cell operated, was dismantled (the
//   dismantling agency's country) or that it targeted. A director with no base of its own
//   operates from the base of the organisation it is part of or leads. Regions reach their
//   country through PART_OF.
// param: country: str = null -- ISO alpha-2 code: only cells active in that country
// returns: cell, cell_id, director, director_id, director_kind, director_countries, cell_countries

// Cells in id order from the id index, so that a page stops after the cells it shows.
MATCH (c:Cell) USING INDEX c:Cell(id) WHERE c.id IS NOT NULL
MATCH (c)-[:DIRECTED_BY]->(director)
CALL (c) {
  CALL (c) {
    MATCH (c)-[:OPERATED_IN|TARGETED]->(r:Region)
    RETURN r
    UNION
    MATCH (c)-[:DISMANTLED_BY]->(:Agency)-[:BASED_IN]->(r:Region)
    RETURN r
  }
  MATCH (r)-[:PART_OF*0..]->(k:Region {kind: 'country'})
  WITH DISTINCT k ORDER BY k.name
  RETURN collect(k) AS cell_countries
}
CALL (director) {
  OPTIONAL MATCH (director)-[:BASED_IN]->(:Region)-[:PART_OF*0..]->(k:Region {kind: 'country'})
  WITH director, collect(DISTINCT k) AS own
  OPTIONAL MATCH (director)-[:PART_OF|LEADS]->(:Organisation)-[:BASED_IN]->(:Region)
                 -[:PART_OF*0..]->(k:Region {kind: 'country'})
  WITH own, collect(DISTINCT k) AS inherited
  UNWIND CASE WHEN size(own) > 0 THEN own ELSE inherited END AS k
  WITH k ORDER BY k.name
  RETURN collect(k) AS director_countries
}
WITH c, director, cell_countries,
     [k IN director_countries WHERE NOT k IN cell_countries] AS abroad
WHERE size(cell_countries) > 0 AND size(abroad) > 0
  AND ($country IS NULL OR any(k IN cell_countries WHERE k.country = toUpper($country)))
RETURN c.name AS cell, c.id AS cell_id, director.name AS director, director.id AS director_id,
       labels(director)[0] AS director_kind, [k IN abroad | k.name] AS director_countries,
       [k IN cell_countries | k.name] AS cell_countries
ORDER BY cell_id, director_id
