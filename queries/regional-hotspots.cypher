// title: Regional hotspots
// description: Incidents that occurred and cells that operated in each region, counting
//   everything in the places below it (communes roll up to provinces, regions, countries and
//   supra-regions along PART_OF). Only regions with activity, busiest first.
// param: kind: str = null -- only regions of this kind (country, region, province, city, commune, supra...)
// param: country: str = null -- ISO alpha-2 code: only regions of that country
// returns: region, region_id, kind, country, incidents, cells, arrests
MATCH (r:Region)
WHERE ($kind IS NULL OR r.kind = $kind)
  AND ($country IS NULL OR toUpper(r.country) = toUpper($country))
CALL (r) {
  OPTIONAL MATCH (i:Incident)-[:OCCURRED_IN]->(:Region)-[:PART_OF*0..]->(r)
  WITH DISTINCT i
  RETURN count(i) AS incidents, sum(coalesce(i.arrests, 0)) AS arrests
}
CALL (r) {
  OPTIONAL MATCH (c:Cell)-[:OPERATED_IN]->(:Region)-[:PART_OF*0..]->(r)
  RETURN count(DISTINCT c) AS cells
}
WITH r, incidents, cells, arrests
WHERE incidents + cells > 0
RETURN r.name AS region, r.id AS region_id, r.kind AS kind, r.country AS country,
       incidents, cells, arrests
ORDER BY incidents DESC, cells DESC, arrests DESC, region_id
