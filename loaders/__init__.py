"""Loaders: article files into typed GraphBatches (nothing here knows about Cypher)."""
