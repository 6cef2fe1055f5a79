"""ctkg: a counter-terrorism incident knowledge graph."""
__version__ = "0.1.0"
