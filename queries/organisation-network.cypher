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
WITH o, [h IN split(coalesce($leave_out, ''), ',') | trim(h)] AS out
UNWIND range(1, $hops) AS hops
WITH o, out, hops ORDER BY hops
// One distance at a time, nearest first, so that a page stops within the distances it
// shows: the entities first reached at that distance, by no route through an entity left
// out (`out`). Its route (the first of its shortest routes in id order) is looked up only
// for the rows of the page.
CALL (o, out, hops) {
  WITH o, out WHERE hops = 1
  MATCH (o)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(x)
  WHERE x <> o AND NOT (any(l IN labels(x) WHERE l IN out) OR (x:Region AND x.kind IN out))
  RETURN DISTINCT x
  UNION ALL
  WITH o, out WHERE hops = 2
  CALL (o) {  // at distance 1, whatever is left out (one list, no expansion per row)
    MATCH (o)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(n) RETURN collect(n) AS near
  }
  MATCH (o)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(y)
        -[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(x)
  WHERE x <> o AND NOT x IN near
    AND NOT (any(l IN labels(y) WHERE l IN out) OR (y:Region AND y.kind IN out))
  WITH DISTINCT out, x
  WHERE NOT (any(l IN labels(x) WHERE l IN out) OR (x:Region AND x.kind IN out))
  RETURN x
  UNION ALL
  WITH o, out WHERE hops = 3
  MATCH (o)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(y1)
        -[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(y2)
        -[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(x)
  WHERE x <> o AND all(y IN [y1, y2] WHERE y <> o
                       AND NOT (any(l IN labels(y) WHERE l IN out) OR (y:Region AND y.kind IN out)))
  WITH DISTINCT o, out, x
  WHERE NOT (any(l IN labels(x) WHERE l IN out) OR (x:Region AND x.kind IN out))
    AND NOT EXISTS { (o)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(x) }
    AND NOT EXISTS { (o)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(y)
                     -[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(x)
                     WHERE NOT (any(l IN labels(y) WHERE l IN out)
                                OR (y:Region AND y.kind IN out)) }
  RETURN x
  UNION ALL
  WITH o, out WHERE hops = 4
  MATCH (o)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(y1)
        -[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(y2)
        -[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(y3)
        -[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(x)
  WHERE x <> o AND all(y IN [y1, y2, y3] WHERE y <> o
                       AND NOT (any(l IN labels(y) WHERE l IN out) OR (y:Region AND y.kind IN out)))
  WITH DISTINCT o, out, x
  WHERE NOT (any(l IN labels(x) WHERE l IN out) OR (x:Region AND x.kind IN out))
    AND NOT EXISTS { (o)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(x) }
    AND NOT EXISTS { (o)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(y)
                     -[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(x)
                     WHERE NOT (any(l IN labels(y) WHERE l IN out)
                                OR (y:Region AND y.kind IN out)) }
    AND NOT EXISTS { (o)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(y1)
                     -[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(y2)
                     -[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(x)
                     WHERE all(y IN [y1, y2] WHERE y <> o
                               AND NOT (any(l IN labels(y) WHERE l IN out)
                                        OR (y:Region AND y.kind IN out))) }
  RETURN x
}
RETURN x.name AS entity, x.id AS entity_id, labels(x)[0] AS kind, hops,
       // the route from x's end: its neighbours one hop nearer, the first in id order
       CASE hops WHEN 1 THEN [] WHEN 2 THEN COLLECT {
         MATCH (x)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(y)
         WHERE y <> o AND NOT (any(l IN labels(y) WHERE l IN out) OR (y:Region AND y.kind IN out))
           AND EXISTS { (y)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(o) }
         RETURN y.name AS n ORDER BY y.id LIMIT 1 }
       WHEN 3 THEN COLLECT {
         MATCH (x)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(y2)
               -[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(y1)
         WHERE all(y IN [y1, y2] WHERE y <> o
                   AND NOT (any(l IN labels(y) WHERE l IN out) OR (y:Region AND y.kind IN out)))
           AND EXISTS { (y1)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(o) }
         WITH y1, y2 ORDER BY y1.id, y2.id LIMIT 1
         UNWIND [y1, y2] AS n RETURN n.name }
       ELSE COLLECT {
         MATCH (x)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(y3)
               -[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(y2)
               -[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(y1)
         WHERE all(y IN [y1, y2, y3] WHERE y <> o
                   AND NOT (any(l IN labels(y) WHERE l IN out) OR (y:Region AND y.kind IN out)))
           AND EXISTS { (y1)-[:PART_OF|AFFILIATED_WITH|DIRECTED_BY|LEADS]-(o) }
         WITH y1, y2, y3 ORDER BY y1.id, y2.id, y3.id LIMIT 1
         UNWIND [y1, y2, y3] AS n RETURN n.name } END AS via
ORDER BY hops, kind, entity_id
