"""The graph layer: schema, typed batches, the Neo4j writer, networkx export."""
