// title: Merge candidates
// description: Pairs of entities of the same label with different ids that share a name once
//   case and surrounding spaces are ignored: the same name, or a name or alias of one equal
//   to a name or alias of the other. A name held by many entities is a generic word ("the
//   cell"), not evidence, and two entities whose country or kind differ are different
//   things (the Fès commune and the Fès prefecture). A pair judged different (`ctkg resolve
//   reject`) is never listed again. `ctkg resolve list` scores incidents, cells and persons
//   on more evidence (dates, agencies, places, names across scripts) and records decisions.
// param: label: str = null -- only this label (Cell, Organisation, Agency, Person, Region)
// param: max_sharing: int = 3 in 2..100 -- ignore a name held by more entities than this
// returns: label, left_id, left_name, right_id, right_name, same_name, shared
MATCH (n:Cell|Organisation|Agency|Person|Region)
WITH n, labels(n)[0] AS label
WHERE $label IS NULL OR label = $label
UNWIND [x IN [n.name, n.name_ar, n.name_fr, n.name_en] + coalesce(n.aliases, [])
        WHERE x IS NOT NULL | toLower(trim(x))] AS key
WITH label, key, collect(DISTINCT n) AS same
WHERE 1 < size(same) <= $max_sharing
UNWIND same AS a
UNWIND same AS b
WITH label, key, a, b
WHERE a.id < b.id
  AND (a.country IS NULL OR b.country IS NULL OR toUpper(a.country) = toUpper(b.country))
  AND (a.kind IS NULL OR b.kind IS NULL OR a.kind = b.kind)
  AND NOT EXISTS { MATCH (j:Judgement {left: a.id}) WHERE j.right = b.id AND j.decision = 'negative' }
WITH label, a, b, key ORDER BY key
WITH label, a, b, collect(DISTINCT key) AS shared
RETURN label, a.id AS left_id, a.name AS left_name, b.id AS right_id, b.name AS right_name,
       toLower(trim(a.name)) = toLower(trim(b.name)) AS same_name, shared
ORDER BY label, left_id, right_id
