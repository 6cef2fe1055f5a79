// title: Cross-border cells
// description: Cells active in two or more countries: where they operated, the incidents they
//   were involved in took place, their weapons caches lay, and the countries of the agencies
//   that dismantled them.
// param: min_countries: int = 2 in 1..10 -- how many countries at least
// returns: cell, cell_id, countries, country_count, organisations

// A cell's countries are its summaries `countries` and `country_count` (graph/summaries.py),
// kept current by the writer: cells are read from the index on (country_rank, id),
// country_rank being minus country_count, so most countries first and in id order among
// equals, and a page stops after the cells it shows.
MATCH (c:Cell)
WHERE c.country_rank <= -$min_countries AND c.id IS NOT NULL
WITH c ORDER BY c.country_rank, c.id
RETURN c.name AS cell, c.id AS cell_id, c.countries AS countries,
       c.country_count AS country_count,
       COLLECT { MATCH (c)-[:AFFILIATED_WITH|DIRECTED_BY]->(o:Organisation)
                 RETURN DISTINCT o.name AS n ORDER BY n } AS organisations
ORDER BY c.country_rank, cell_id
