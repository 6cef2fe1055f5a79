// title: Regional hotspots
// description: Incidents that occurred and cells that operated in each region, counting
//   everything in the places below it (communes roll up to provinces, regions, countries and
//   supra-regions along PART_OF). Only regions with activity, busiest first.
// param: kind: str = null -- only regions of this kind (country, region, province, city, commune, supra...)
// param: country: str = null -- ISO alpha-2 code: only regions of that country
// returns: region, region_id, kind, country, incidents, cells, arrests

// The counts are the regions' summaries (graph/summaries.py), kept current by the writer:
// each incident and cell adds itself to the regions it is in and to those above them, once.
MATCH (r:Region)
WHERE ($kind IS NULL OR r.kind = $kind)
  AND ($country IS NULL OR toUpper(r.country) = toUpper($country))
  AND coalesce(r.incident_count, 0) + coalesce(r.cell_count, 0) > 0
RETURN r.name AS region, r.id AS region_id, r.kind AS kind, r.country AS country,
       coalesce(r.incident_count, 0) AS incidents, coalesce(r.cell_count, 0) AS cells,
       coalesce(r.incident_arrests, 0) AS arrests
ORDER BY incidents DESC, cells DESC, arrests DESC, region_id
