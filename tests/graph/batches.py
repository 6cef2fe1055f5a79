"""Small hand-built batches for graph tests (no extractor involved)."""
from __future__ import annotations

from ctkg.graph.ids import text_sha256
from ctkg.graph.model import ArticleMeta, Edge, GraphBatch, Node, Span


def article_batch(text: str, locator: str, facts: list[tuple], lang: str = "ar") -> GraphBatch:
    """facts: (label, id, name, mention) nodes and (TYPE, source, target, sentence) edges."""
    meta = ArticleMeta(id=text_sha256(text), locator=locator, lang=lang, path=locator,
                       chars=len(text))
    batch = GraphBatch(meta, extractor="test", extractor_version="1")
    for fact in facts:
        if fact[0].isupper() and fact[0] == fact[0].upper() and "_" in fact[0] or fact[0] in (
                "LEADS", "MADE", "TARGETED", "STORED"):
            type_, source, target, sentence = fact
            start = text.index(sentence)
            batch.edges.append(Edge(type_, source, target, 0.9,
                                    Span(start, start + len(sentence), sentence)))
        else:
            label, node_id, name, mention = fact
            start = text.index(mention)
            span = Span(start, start + len(mention), mention)
            props = {"text": name} if label == "Statement" else {"name": name, "aliases": [mention]}
            batch.nodes.append(Node(node_id, label, props, [span], span))
    return batch
