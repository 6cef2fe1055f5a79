// title: New since
// description: Entities first seen since a date or, without one, since the start of the last
//   ingest run (so: what the last `ctkg ingest` added), with how many articles mention them.
// param: since: date = null -- first day to include; default: the last ingest run's start
// returns: kind, entity, entity_id, first_seen, articles

// first_seen and started_at are UTC ISO-8601 text (the writer's now_iso), so text order is
// time order and the range indexes on first_seen answer the WHERE and the ORDER BY.
CALL () {
  OPTIONAL MATCH (run:IngestRun) WHERE run.started_at IS NOT NULL
  WITH run ORDER BY run.started_at DESC LIMIT 1
  RETURN CASE WHEN $since IS NOT NULL THEN toString($since)
              ELSE coalesce(run.started_at, '') END AS threshold
}
MATCH (n:Cell|Organisation|Agency|Person|Region|Statement|Incident|WeaponsCache)
WHERE n.first_seen >= threshold
RETURN labels(n)[0] AS kind, coalesce(n.name, n.text) AS entity, n.id AS entity_id,
       n.first_seen AS first_seen, COUNT { (n)<-[:MENTIONS]-() } AS articles
ORDER BY first_seen, kind, entity_id
