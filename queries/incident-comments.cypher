// title: Comments on incidents and cells
// description: Who commented on an incident or a cell and what they said: statements a person
//   or an agency MADE that comment on it, and direct COMMENTED_ON links (then the supporting
//   sentence is what was said), with the articles that report them.
// param: subject: str = null -- id of the incident or cell (incident:..., cell:...)
// returns: subject, subject_id, subject_kind, speaker, speaker_id, speaker_kind, said, lang, quoted, sources

// In subject id order: the cells ("cell:...") then the incidents ("incident:..."), each read
// in order from its id index (the range is one id, or every id), so that a page stops after
// the subjects it shows; then each subject's comments, by speaker id and what was said.
CALL () {
  MATCH (subject:Cell)
  WHERE subject.id >= coalesce($subject, '') AND subject.id <= coalesce($subject, '\uFFFF')
  RETURN subject ORDER BY subject.id
  UNION ALL
  MATCH (subject:Incident)
  WHERE subject.id >= coalesce($subject, '') AND subject.id <= coalesce($subject, '\uFFFF')
  RETURN subject ORDER BY subject.id
}
CALL (subject) {
  CALL (subject) {
    MATCH (speaker:Person|Agency)-[:MADE]->(s:Statement)-[:COMMENTED_ON]->(subject)
    RETURN speaker, s.text AS said, s.lang AS lang, s.quoted AS quoted,
           COLLECT { MATCH (art:Article)-[:STATES]->(:Evidence {fact: s.id})
                     RETURN DISTINCT art.locator AS l ORDER BY l } AS sources
    UNION
    MATCH (speaker:Person|Agency)-[r:COMMENTED_ON]->(subject)
    MATCH (art:Article)-[:STATES]->(e:Evidence {fact: r.id})
    WITH speaker, art, e ORDER BY art.locator
    RETURN speaker, head(collect(e.sentence)) AS said, head(collect(art.lang)) AS lang,
           false AS quoted, collect(DISTINCT art.locator) AS sources
  }
  RETURN speaker, said, lang, quoted, sources ORDER BY speaker.id, said
}
RETURN coalesce(subject.name, subject.id) AS subject, subject.id AS subject_id,
       labels(subject)[0] AS subject_kind, speaker.name AS speaker, speaker.id AS speaker_id,
       labels(speaker)[0] AS speaker_kind, said, lang, quoted, sources
