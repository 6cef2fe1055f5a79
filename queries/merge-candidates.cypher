// title: Merge candidates
// description: Pairs of entities of the same label with different ids that share a name once
//   case and surrounding spaces are ignored: the same name, or a name or alias of one equal
//   to a name or alias of the other. Candidates for a recorded merge decision.
// param: label: str = null -- only this label (Cell, Organisation, Agency, Person, Region)
// returns: label, left_id, left_name, right_id, right_name, same_name, shared
MATCH (n:Cell|Organisation|Agency|Person|Region)
WITH n, labels(n)[0] AS label
WHERE $label IS NULL OR label = $label
UNWIND [x IN [n.name, n.name_ar, n.name_fr, n.name_en] + coalesce(n.aliases, [])
        WHERE x IS NOT NULL | toLower(trim(x))] AS key
WITH label, key, collect(DISTINCT n) AS same
WHERE size(same) > 1
UNWIND same AS a
UNWIND same AS b
WITH label, key, a, b
WHERE a.id < b.id
WITH label, a, b, key ORDER BY key
WITH label, a, b, collect(DISTINCT key) AS shared
RETURN label, a.id AS left_id, a.name AS left_name, b.id AS right_id, b.name AS right_name,
       toLower(trim(a.name)) = toLower(trim(b.name)) AS same_name, shared
ORDER BY label, left_id, right_id
