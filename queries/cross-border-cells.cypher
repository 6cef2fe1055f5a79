// title: Cross-border cells
// description: Cells active in two or more countries: where they operated, the incidents they
//   were involved in took place, their weapons caches lay, and the countries of the agencies
//   that dismantled them.
// param: min_countries: int = 2 in 1..10 -- how many countries at least
// returns: cell, cell_id, countries, country_count, organisations
MATCH (c:Cell)
CALL (c) {
  CALL (c) {
    MATCH (c)-[:OPERATED_IN]->(r:Region)
    RETURN r
    UNION
    MATCH (c)<-[:INVOLVED]-(:Incident)-[:OCCURRED_IN]->(r:Region)
    RETURN r
    UNION
    MATCH (c)-[:STORED]->(:WeaponsCache)-[:LOCATED_IN]->(r:Region)
    RETURN r
    UNION
    MATCH (c)-[:DISMANTLED_BY]->(:Agency)-[:BASED_IN]->(r:Region)
    RETURN r
  }
  MATCH (r)-[:PART_OF*0..]->(k:Region {kind: 'country'})
  WITH DISTINCT k ORDER BY k.name
  RETURN collect(k.name) AS countries
}
WITH c, countries
WHERE size(countries) >= $min_countries
RETURN c.name AS cell, c.id AS cell_id, countries, size(countries) AS country_count,
       COLLECT { MATCH (c)-[:AFFILIATED_WITH|DIRECTED_BY]->(o:Organisation)
                 RETURN DISTINCT o.name AS n ORDER BY n } AS organisations
ORDER BY country_count DESC, cell_id
