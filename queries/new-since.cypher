// title: New since
// description: Entities first seen since a date or, without one, since the start of the last
//   ingest run (so: what the last `ctkg ingest` added), with how many articles mention them.
// param: since: date = null -- first day to include; default: the last ingest run's start
// returns: kind, entity, entity_id, first_seen, articles
OPTIONAL MATCH (run:IngestRun)
WITH run ORDER BY run.started_at DESC LIMIT 1
WITH CASE WHEN $since IS NOT NULL THEN datetime({date: $since})
          WHEN run IS NOT NULL THEN datetime(run.started_at)
          ELSE datetime('0001-01-01T00:00:00Z') END AS threshold
MATCH (n:Cell|Organisation|Agency|Person|Region|Statement|Incident|WeaponsCache)
WHERE datetime(n.first_seen) >= threshold
OPTIONAL MATCH (art:Article)-[:MENTIONS]->(n)
RETURN labels(n)[0] AS kind, coalesce(n.name, n.text) AS entity, n.id AS entity_id,
       n.first_seen AS first_seen, count(DISTINCT art) AS articles
ORDER BY first_seen, kind, entity_id
