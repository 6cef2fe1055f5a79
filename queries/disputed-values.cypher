// title: Disputed values
// description: Properties that sources report differently: a cell's members or arrests, an
//   incident's date or arrests. Each value comes with the outlets and the number of articles
//   that give it. The node keeps the value it was first written with and names the property
//   in `disputed`; every source's own value stays on its Evidence.
// param: label: str = null -- only this label (Cell, Incident)
// returns: label, node, node_id, property, value, sources, articles

// The disputed nodes come from the indexes on `disputed` (few nodes have one); they are put
// in id order first, so that the evidence is only read for the nodes a page shows.
MATCH (n:Cell|Incident)
WHERE n.disputed IS NOT NULL AND ($label IS NULL OR $label IN labels(n))
WITH n ORDER BY n.id
CALL (n) {
  UNWIND n.disputed AS property
  MATCH (a:Article)-[:STATES]->(e:Evidence {fact: n.id})
  WHERE e[property] IS NOT NULL
  WITH property, toString(e[property]) AS value, a ORDER BY a.id
  UNWIND CASE WHEN size(coalesce(a.sources, [])) = 0 THEN [a.source] ELSE a.sources END AS outlet
  WITH property, value, collect(DISTINCT outlet) AS outlets, count(DISTINCT a) AS articles
  RETURN property, value, outlets, articles
}
RETURN labels(n)[0] AS label, coalesce(n.name, n.id) AS node, n.id AS node_id, property, value,
       COLLECT { UNWIND outlets AS o RETURN o ORDER BY o } AS sources, articles
ORDER BY node_id, property, value
