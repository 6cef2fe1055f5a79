// title: Shortest paths between two entities
// description: Every shortest chain of facts (up to 8 links, either direction) between two
//   entities, leaving out the article and provenance links, spelled out with the direction of
//   each relationship.
// param: source: str -- id of the first entity
// param: target: str -- id of the second entity
// returns: hops, path, node_ids
MATCH (a {id: $source}), (b {id: $target})
WHERE a <> b
MATCH p = allShortestPaths((a)-[*..8]-(b))
WHERE none(r IN relationships(p) WHERE type(r) IN ['MENTIONS', 'STATES', 'REPORTS'])
WITH p, nodes(p) AS ns, relationships(p) AS rs
WITH p, [n IN ns | n.id] AS node_ids,
     reduce(text = coalesce(ns[0].name, ns[0].id), k IN range(0, size(rs) - 1) |
       text + CASE WHEN startNode(rs[k]) = ns[k] THEN ' -[' + type(rs[k]) + ']-> '
                   ELSE ' <-[' + type(rs[k]) + ']- ' END
            + coalesce(ns[k + 1].name, ns[k + 1].text, ns[k + 1].id)) AS path
RETURN length(p) AS hops, path, node_ids
ORDER BY path
