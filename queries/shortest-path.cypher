// title: Shortest paths between two entities
// description: Every shortest chain of facts (up to 8 links, either direction) between two
//   entities, leaving out the article and provenance links, spelled out with the direction of
//   each relationship.
// param: source: str -- id of the first entity
// param: target: str -- id of the second entity
// param: leave_out: str = null -- comma-separated labels or Region kinds the path may not pass
//   through, e.g. country,supra (hubs that tie everything together)
// returns: hops, path, node_ids

// Each end is found through its label's id index (an unlabelled {id: ...} reads every node).
UNWIND [$source, $target] AS key
CALL (key) {
  MATCH (n:Cell {id: key}) RETURN n
  UNION MATCH (n:Organisation {id: key}) RETURN n
  UNION MATCH (n:Agency {id: key}) RETURN n
  UNION MATCH (n:Person {id: key}) RETURN n
  UNION MATCH (n:Region {id: key}) RETURN n
  UNION MATCH (n:Incident {id: key}) RETURN n
  UNION MATCH (n:Statement {id: key}) RETURN n
  UNION MATCH (n:WeaponsCache {id: key}) RETURN n
}
WITH collect(n) AS ends
WITH [n IN ends WHERE n.id = $source][0] AS a, [n IN ends WHERE n.id = $target][0] AS b
WHERE a IS NOT NULL AND b IS NOT NULL AND a <> b
MATCH p = allShortestPaths((a)-[*..8]-(b))
WHERE none(r IN relationships(p) WHERE type(r) IN ['MENTIONS', 'STATES', 'REPORTS'])
  AND none(n IN nodes(p)[1..-1] WHERE any(h IN split(coalesce($leave_out, ''), ',')
           WHERE trim(h) IN labels(n) OR (n:Region AND n.kind = trim(h))))
WITH p, nodes(p) AS ns, relationships(p) AS rs
WITH p, [n IN ns | n.id] AS node_ids,
     reduce(text = coalesce(ns[0].name, ns[0].id), k IN range(0, size(rs) - 1) |
       text + CASE WHEN startNode(rs[k]) = ns[k] THEN ' -[' + type(rs[k]) + ']-> '
                   ELSE ' <-[' + type(rs[k]) + ']- ' END
            + coalesce(ns[k + 1].name, ns[k + 1].text, ns[k + 1].id)) AS path
RETURN length(p) AS hops, path, node_ids
ORDER BY path
