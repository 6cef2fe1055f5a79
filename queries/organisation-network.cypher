// title: Organisation network
// description: Organisations, cells and people within N hops of an organisation, following
//   PART_OF, AFFILIATED_WITH, DIRECTED_BY and LEADS in either direction; each with its
//   distance and the entities on one shortest route to it.
// param: organisation: str -- organisation id (org:...) or name
// param: hops: int = 2 in 1..4 -- how far to follow links
// param: leave_out: str = null -- comma-separated labels or Region kinds to leave out, along
//   with the routes through them, e.g. Person
// returns: entity, entity_id, kind, hops, via
MATCH (o:Organisation)
WHERE o.id = $organisation OR toLower(o.name) = toLower($organisation)
// A variable-length bound cannot be a parameter, so each bound has its own branch: the
// expansion stops at $hops (checked to be 1..4 before the query runs) instead of going to 4
// and being trimmed afterwards.
CALL (o) {
  MATCH p = (o)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS*1..1]-(x) WHERE $hops = 1 RETURN p, x
  UNION
  MATCH p = (o)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS*1..2]-(x) WHERE $hops = 2 RETURN p, x
  UNION
  MATCH p = (o)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS*1..3]-(x) WHERE $hops = 3 RETURN p, x
  UNION
  MATCH p = (o)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS*1..4]-(x) WHERE $hops = 4 RETURN p, x
}
WITH o, x, p WHERE x <> o
  AND none(n IN nodes(p)[1..] WHERE any(h IN split(coalesce($leave_out, ''), ',')
           WHERE trim(h) IN labels(n) OR (n:Region AND n.kind = trim(h))))
WITH x, p ORDER BY length(p), [n IN nodes(p) | n.id]
WITH x, collect(p)[0] AS p
RETURN x.name AS entity, x.id AS entity_id, labels(x)[0] AS kind, length(p) AS hops,
       [n IN nodes(p)[1..-1] | n.name] AS via
ORDER BY hops, kind, entity_id
