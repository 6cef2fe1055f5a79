// title: Weapons caches
// description: Weapons caches, what they held and where: the place, the region it is located
//   in with its chain up to the country, the cell that stored it and that cell's
//   organisations.
// param: country: str = null -- ISO alpha-2 code: only caches located in that country
// returns: cache, cache_id, items, place, location, country, cell, cell_id, organisations

// Caches in id order from the id index, so that a page stops after the caches it shows.
MATCH (w:WeaponsCache) USING INDEX w:WeaponsCache(id) WHERE w.id IS NOT NULL
OPTIONAL MATCH (w)-[:LOCATED_IN]->(loc:Region)
OPTIONAL MATCH chain = (loc)-[:PART_OF*0..]->(k:Region {kind: 'country'})
WITH w, loc, k, chain
WHERE $country IS NULL OR k.country = toUpper($country)
OPTIONAL MATCH (c:Cell)-[:STORED]->(w)
RETURN w.name AS cache, w.id AS cache_id, w.items AS items, w.place AS place,
       [n IN nodes(chain) | n.name] AS location, k.name AS country,
       c.name AS cell, c.id AS cell_id,
       COLLECT { MATCH (c)-[:AFFILIATED_WITH|DIRECTED_BY]->(o:Organisation)
                 RETURN DISTINCT o.name AS n ORDER BY n } AS organisations
ORDER BY cache_id, cell_id
