"""Small hand-built batches for graph tests (no extractor involved), and the whole graph as
data to compare."""
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


def cell_batch(n: int, locator: str | None = None, cell: str | None = None) -> GraphBatch:
    """An Arabic article (at `in/<n>.txt` unless `locator` says) of one cell (`cell:c<n>`, or
    `cell:c<cell>`: another text) that the BCIJ dismantled."""
    name = cell or n
    text = f"خلية رقم {name} فككها المكتب المركزي للأبحاث القضائية."
    return article_batch(text, locator or f"in/{n}.txt", [
        ("Cell", f"cell:c{name}", f"cell {name}", "خلية"),
        ("Agency", "agency:bcij-ma", "Central Bureau of Judicial Investigations",
         "المكتب المركزي للأبحاث القضائية"),
        ("DISMANTLED_BY", f"cell:c{name}", "agency:bcij-ma", text),
    ])


def graph_state(driver) -> tuple[list, list]:
    """Every node (but decisions and runs) and relationship, with their properties."""
    nodes = driver.execute_query(
        "MATCH (n) WHERE NOT n:Judgement AND NOT n:IngestRun "
        "RETURN n.id AS id, labels(n) AS labels, properties(n) AS props ORDER BY id")[0]
    rels = driver.execute_query(
        "MATCH (s)-[r]->(t) RETURN s.id AS s, type(r) AS type, t.id AS t, "
        "properties(r) AS props ORDER BY s, type, t")[0]
    return [r.data() for r in nodes], [r.data() for r in rels]
