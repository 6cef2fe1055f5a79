// title: Cells by organisation
// description: Cells affiliated with or directed by an organisation or one of its provinces
//   (organisations PART_OF it), with how they are linked, where they operated and who
//   dismantled them. Without a parameter, every top-level organisation (one that is not
//   part of another).
// param: organisation: str = null -- organisation id (org:...) or name
// returns: organisation, organisation_id, cell, cell_id, links, via, country, members, arrests, dismantled_by

// Organisations in id order from the id index, each with the units whose cells are its own.
MATCH (o:Organisation) USING INDEX o:Organisation(id)
WHERE o.id IS NOT NULL
  AND CASE WHEN $organisation IS NULL THEN NOT (o)-[:PART_OF]->(:Organisation)
           ELSE o.id = $organisation OR toLower(o.name) = toLower($organisation) END
CALL (o) {
  MATCH (o)<-[:PART_OF*0..6]-(unit:Organisation)
  RETURN collect(DISTINCT unit) AS units
}
// Each organisation's cells are only made distinct, not grouped or sorted here: the final
// ORDER BY keeps the first rows of each organisation as they come (the next organisation is
// started only to see that this one is done), and how a cell is linked is read for the rows
// of the page only.
CALL (units) {
  UNWIND units AS unit
  MATCH (unit)<-[:AFFILIATED_WITH|DIRECTED_BY]-(c:Cell)
  RETURN DISTINCT c
}
RETURN o.name AS organisation, o.id AS organisation_id, c.name AS cell, c.id AS cell_id,
       COLLECT { MATCH (c)-[link:AFFILIATED_WITH|DIRECTED_BY]->(unit) WHERE unit IN units
                 RETURN DISTINCT type(link) AS l ORDER BY l } AS links,
       reduce(names = [], n IN COLLECT {
                MATCH (c)-[link:AFFILIATED_WITH|DIRECTED_BY]->(unit)
                WHERE unit IN units AND unit <> o
                RETURN unit.name AS n ORDER BY type(link), n }
              | CASE WHEN n IN names THEN names ELSE names + n END) AS via,
       c.country AS country, c.members AS members, c.arrests AS arrests,
       COLLECT { MATCH (c)-[:DISMANTLED_BY]->(a:Agency) RETURN a.name AS n ORDER BY n }
         AS dismantled_by
ORDER BY organisation_id, cell_id
