// title: Organisation network
// description: Organisations, cells and people within N hops of an organisation, following
//   PART_OF, AFFILIATED_WITH, DIRECTED_BY and LEADS in either direction; each with its
//   distance and the entities on one shortest route to it.
// param: organisation: str -- organisation id (org:...) or name
// param: hops: int = 2 in 1..4 -- how far to follow links
// returns: entity, entity_id, kind, hops, via
MATCH (o:Organisation)
WHERE o.id = $organisation OR toLower(o.name) = toLower($organisation)
// A variable-length bound cannot be a parameter: the pattern stops at 4 hops and $hops
// (checked to be 1..4 before the query runs) trims it.
MATCH p = (o)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS*1..4]-(x)
WHERE length(p) <= $hops AND x <> o
WITH x, p ORDER BY length(p), [n IN nodes(p) | n.id]
WITH x, collect(p)[0] AS p
RETURN x.name AS entity, x.id AS entity_id, labels(x)[0] AS kind, length(p) AS hops,
       [n IN nodes(p)[1..-1] | n.name] AS via
ORDER BY hops, kind, entity_id
