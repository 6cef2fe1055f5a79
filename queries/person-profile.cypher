// title: Person profile
// description: Everything the graph says about a person: each relationship (leads, affiliated
//   with, directs, based in, statements made...), its direction, the other end and how many
//   articles support it.
// param: person: str -- person id (person:...), name or alias
// returns: person, person_id, role, relation, direction, other, other_id, other_kind, articles
MATCH (p:Person)
WHERE p.id = $person OR toLower(p.name) = toLower($person) OR $person IN coalesce(p.aliases, [])
MATCH (p)-[r]-(x)
WHERE NOT x:Article
OPTIONAL MATCH (art:Article)-[:STATES]->(:Evidence {fact: r.id})
RETURN p.name AS person, p.id AS person_id, p.role AS role, type(r) AS relation,
       CASE WHEN startNode(r) = p THEN 'out' ELSE 'in' END AS direction,
       coalesce(x.name, x.text) AS other, x.id AS other_id, labels(x)[0] AS other_kind,
       count(DISTINCT art) AS articles
ORDER BY person_id, relation, other_id
