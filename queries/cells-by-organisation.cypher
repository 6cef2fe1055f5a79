// title: Cells by organisation
// description: Cells affiliated with or directed by an organisation or one of its provinces
//   (organisations PART_OF it), with how they are linked, where they operated and who
//   dismantled them. Without a parameter, every top-level organisation (one that is not
//   part of another).
// param: organisation: str = null -- organisation id (org:...) or name
// returns: organisation, organisation_id, cell, cell_id, links, via, country, members, arrests, dismantled_by

// Organisations in id order from the id index; each one's cells are gathered and sorted by
// id on their own, so that a page stops after the organisations it shows.
MATCH (o:Organisation) USING INDEX o:Organisation(id)
WHERE o.id IS NOT NULL
  AND CASE WHEN $organisation IS NULL THEN NOT (o)-[:PART_OF]->(:Organisation)
           ELSE o.id = $organisation OR toLower(o.name) = toLower($organisation) END
CALL (o) {
  MATCH (o)<-[:PART_OF*0..6]-(unit:Organisation)<-[link:AFFILIATED_WITH|DIRECTED_BY]-(c:Cell)
  WITH c, unit, type(link) AS link ORDER BY link, unit.name
  WITH c, collect(DISTINCT link) AS links,
       collect(DISTINCT CASE WHEN unit <> o THEN unit.name END) AS via
  RETURN c, links, via ORDER BY c.id
}
RETURN o.name AS organisation, o.id AS organisation_id, c.name AS cell, c.id AS cell_id,
       links, via, c.country AS country, c.members AS members, c.arrests AS arrests,
       COLLECT { MATCH (c)-[:DISMANTLED_BY]->(a:Agency) RETURN a.name AS n ORDER BY n }
         AS dismantled_by
ORDER BY organisation_id, cell_id
