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

// The writer keeps, for each entity, a NameHolder with its names and aliases lower-cased and
// trimmed (keys), its name, country and kind, and for each key of a label a NameKey with how
// many entities hold it and, while they are at most 100, which (graph/summaries.py, NAMES).
// The holders are read in (label, id) order from their index, each with the others that hold
// one of its keys, so that a page stops after the entities it shows.
MATCH (h:NameHolder)
WHERE h.label STARTS WITH coalesce($label, '') AND h.entity IS NOT NULL
  AND ($label IS NULL OR h.label = $label)
CALL (h) {
  UNWIND h.keys AS key
  MATCH (k:NameKey {id: 'namekey:' + h.label + '|' + key})
  WHERE 1 < k.size <= $max_sharing
  UNWIND k.holders AS other
  WITH key, other WHERE other > h.entity
  WITH other, key ORDER BY key
  WITH other, collect(key) AS shared
  MATCH (o:NameHolder {id: 'holder:' + other})
  WHERE (h.country IS NULL OR o.country IS NULL OR toUpper(h.country) = toUpper(o.country))
    AND (h.kind IS NULL OR o.kind IS NULL OR h.kind = o.kind)
    AND NOT EXISTS { MATCH (j:Judgement {left: h.entity})
                     WHERE j.right = o.entity AND j.decision = 'negative' }
  RETURN o, shared
}
RETURN h.label AS label, h.entity AS left_id, h.name AS left_name, o.entity AS right_id,
       o.name AS right_name, toLower(trim(h.name)) = toLower(trim(o.name)) AS same_name, shared
ORDER BY label, left_id, right_id
