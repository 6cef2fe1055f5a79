// title: Person profile
// description: Everything the graph says about a person: each relationship (leads, affiliated
//   with, directs, based in, statements made...), its direction, the other end and how many
//   articles support it.
// param: person: str -- person id (person:...), name or alias
// returns: person, person_id, role, relation, direction, other, other_id, other_kind, articles

// An id is found through the id index; only a name or alias reads the persons' names.
CALL () {
  MATCH (p:Person {id: $person}) RETURN p
  UNION
  UNWIND CASE WHEN $person STARTS WITH 'person:' THEN [] ELSE [$person] END AS name
  MATCH (p:Person)
  WHERE toLower(p.name) = toLower(name) OR name IN coalesce(p.aliases, [])
  RETURN p
}
// Every relationship type a person can have (graph/schema.yaml), by name: the articles'
// MENTIONS of a much-reported person are never read.
MATCH (p)-[r:DIRECTED_BY|COMMENTED_ON|MADE|AFFILIATED_WITH|LEADS|BASED_IN]-(x)
WHERE NOT x:Article
RETURN p.name AS person, p.id AS person_id, p.role AS role, type(r) AS relation,
       CASE WHEN startNode(r) = p THEN 'out' ELSE 'in' END AS direction,
       coalesce(x.name, x.text) AS other, x.id AS other_id, labels(x)[0] AS other_kind,
       COUNT { MATCH (art:Article)-[:STATES]->(:Evidence {fact: r.id}) RETURN DISTINCT art }
         AS articles
ORDER BY person_id, relation, other_id
