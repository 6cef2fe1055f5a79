"""The query layer: analyst questions as `<id>.cypher` files, their header model and the
read-only runner (nothing here writes to the graph)."""
