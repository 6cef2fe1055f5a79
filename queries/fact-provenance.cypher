// title: Fact provenance
// description: The articles and sentences behind one fact (a node id or a relationship id
//   rel:...): outlet, language, publication date, character offsets, extractor and
//   confidence, first and last seen. Reference facts from the vocabulary have none.
// param: fact: str -- node id (cell:..., org:...) or relationship id (rel:...)
// returns: fact, article, locator, source, lang, published, sentence, start, end, extractor, extractor_version, confidence, first_seen, last_seen
MATCH (a:Article)-[:STATES]->(e:Evidence {fact: $fact})
RETURN e.fact AS fact, a.id AS article, a.locator AS locator, a.source AS source,
       a.lang AS lang, a.published AS published, e.sentence AS sentence, e.start AS start,
       e.end AS end, e.extractor AS extractor, e.extractor_version AS extractor_version,
       e.confidence AS confidence, e.first_seen AS first_seen, e.last_seen AS last_seen
ORDER BY published, locator
