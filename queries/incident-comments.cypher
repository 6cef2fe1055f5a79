// title: Comments on incidents and cells
// description: Who commented on an incident or a cell and what they said: statements a person
//   or an agency MADE that comment on it, and direct COMMENTED_ON links (then the supporting
//   sentence is what was said), with the articles that report them.
// param: subject: str = null -- id of the incident or cell (incident:..., cell:...)
// returns: subject, subject_id, subject_kind, speaker, speaker_id, speaker_kind, said, lang, quoted, sources
CALL () {
  MATCH (speaker:Person|Agency)-[:MADE]->(s:Statement)-[:COMMENTED_ON]->(subject:Cell|Incident)
  OPTIONAL MATCH (art:Article)-[:STATES]->(:Evidence {fact: s.id})
  WITH subject, speaker, s, art ORDER BY art.locator
  RETURN subject, speaker, s.text AS said, s.lang AS lang, s.quoted AS quoted,
         collect(DISTINCT art.locator) AS sources
  UNION
  MATCH (speaker:Person|Agency)-[r:COMMENTED_ON]->(subject:Cell|Incident)
  MATCH (art:Article)-[:STATES]->(e:Evidence {fact: r.id})
  WITH subject, speaker, art, e ORDER BY art.locator
  RETURN subject, speaker, head(collect(e.sentence)) AS said, head(collect(art.lang)) AS lang,
         false AS quoted, collect(DISTINCT art.locator) AS sources
}
WITH *
WHERE $subject IS NULL OR subject.id = $subject
RETURN coalesce(subject.name, subject.id) AS subject, subject.id AS subject_id,
       labels(subject)[0] AS subject_kind, speaker.name AS speaker, speaker.id AS speaker_id,
       labels(speaker)[0] AS speaker_kind, said, lang, quoted, sources
ORDER BY subject_id, speaker_id, said
