"""The typed batch that flows from loaders to writers: one article's nodes, edges, provenance."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ctkg.graph.ids import digest
from ctkg.graph.schema import Schema, load_schema


class BatchError(ValueError):
    """A batch that does not fit the schema."""


@dataclass(frozen=True)
class Span:
    """Text at [start, end) of the article as decoded, before any normalisation."""

    start: int
    end: int
    text: str

    def as_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass
class Node:
    id: str
    label: str
    props: dict[str, Any] = field(default_factory=dict)
    mentions: list[Span] = field(default_factory=list)
    # The sentence that states it (first mention's sentence), for provenance.
    evidence: Span | None = None
    confidence: float = 1.0

    @property
    def name(self) -> str | None:
        return self.props.get("name")


@dataclass
class Edge:
    type: str
    source: str
    target: str
    confidence: float = 1.0
    evidence: Span | None = None
    props: dict[str, Any] = field(default_factory=dict)
    # "article" facts need evidence; "reference" facts come from the vocabulary.
    origin: str = "article"

    @property
    def id(self) -> str:
        return f"rel:{digest(self.type, self.source, self.target)}"


@dataclass
class ArticleMeta:
    id: str  # sha256 of the text
    locator: str  # url, else the path: identifies "the same article" across text changes
    lang: str
    path: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    chars: int = 0

    def props(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class GraphBatch:
    article: ArticleMeta | None
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    extractor: str = "ctkg"
    extractor_version: str = "0"

    def node(self, node_id: str) -> Node | None:
        return next((n for n in self.nodes if n.id == node_id), None)

    def validate(self, schema: Schema | None = None) -> "GraphBatch":
        """Check labels, properties and endpoints against the schema; raise BatchError."""
        schema = schema or load_schema()
        labels: dict[str, str] = {}
        for node in self.nodes:
            try:
                spec = schema.node(node.label)
            except ValueError as exc:
                raise BatchError(str(exc)) from None
            if not node.id.startswith(spec.prefix + ":"):
                raise BatchError(f"node {node.id!r}: a {node.label} id starts with {spec.prefix}:")
            missing = [p for p in spec.required if p != "id" and node.props.get(p) in (None, "")]
            if missing:
                raise BatchError(f"node {node.id!r}: missing {', '.join(missing)}")
            extra = set(node.props) - spec.allowed
            if extra:
                raise BatchError(f"node {node.id!r}: {node.label} has no property {sorted(extra)}")
            if labels.setdefault(node.id, node.label) != node.label:
                raise BatchError(f"node {node.id!r} given two labels")
        for edge in self.edges:
            try:
                rel = schema.rel(edge.type)
            except ValueError as exc:
                raise BatchError(str(exc)) from None
            for end, allowed in ((edge.source, rel.sources), (edge.target, rel.targets)):
                label = labels.get(end)
                if label is None:
                    raise BatchError(f"{edge.type} edge refers to {end!r}, which is not in the batch")
                if label not in allowed:
                    raise BatchError(f"{edge.type} cannot connect a {label} ({end})")
            if edge.origin == "article" and (edge.evidence is None or self.article is None):
                raise BatchError(f"{edge.type} {edge.source}->{edge.target} has no evidence")
        return self

    def to_contract(self) -> dict:
        """The `ctkg extract` JSON Lines object (ANNOTATION.md §2)."""
        art = self.article
        out_nodes = []
        for node in self.nodes:
            item: dict[str, Any] = {"id": node.id, "label": node.label}
            props = dict(node.props)
            if node.label == "Statement":
                item["text"] = props.pop("text", None)
            else:
                item["name"] = props.pop("name", None)
            if "aliases" in props:
                item["aliases"] = props.pop("aliases")
            item.update(props)
            item["mentions"] = [m.as_dict() for m in node.mentions]
            item["confidence"] = round(node.confidence, 3)
            if node.evidence is not None:
                item["evidence"] = node.evidence.as_dict()
            out_nodes.append(item)
        out_edges = []
        for edge in self.edges:
            item = {"type": edge.type, "source": edge.source, "target": edge.target}
            if edge.origin != "article":
                item["origin"] = edge.origin
            else:
                item["confidence"] = round(edge.confidence, 3)
                item["evidence"] = edge.evidence.as_dict() if edge.evidence else None
            item.update(edge.props)
            out_edges.append(item)
        article = None
        if art is not None:
            article = {"id": art.id, "path": art.path, "lang": art.lang, "title": art.title,
                       "published": art.published}
            if art.url:
                article["url"] = art.url
            # What the writer stores besides (so that `ctkg ingest -` writes the same graph).
            article.update(source=art.source, chars=art.chars, extractor=self.extractor,
                           extractor_version=self.extractor_version)
        return {"article": article, "nodes": out_nodes, "edges": out_edges}

    @classmethod
    def from_contract(cls, data: Any) -> "GraphBatch":
        """The reverse of `to_contract`: a `ctkg extract` object back into a batch, validated
        against the schema. Raises BatchError, with what is wrong, for anything else."""
        try:
            return _from_contract(cls, data).validate()
        except BatchError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            what = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
            raise BatchError(f"not a ctkg extract object ({what})") from None


def _span(data: dict | None) -> Span | None:
    if data is None:
        return None
    return Span(int(data["start"]), int(data["end"]), str(data["text"]))


def _from_contract(cls, data: dict) -> GraphBatch:
    if not isinstance(data, dict) or not {"article", "nodes", "edges"} <= set(data):
        raise ValueError("expected an object with article, nodes and edges")
    art = data["article"]
    article = None
    if art is not None:
        article = ArticleMeta(id=art["id"], locator=art.get("url") or art.get("path") or art["id"],
                              lang=art["lang"], path=art.get("path"), url=art.get("url"),
                              title=art.get("title"), published=art.get("published"),
                              source=art.get("source"), chars=int(art.get("chars") or 0))
    batch = cls(article, extractor=(art or {}).get("extractor") or "ctkg",
                extractor_version=(art or {}).get("extractor_version") or "0")
    for raw in data["nodes"]:
        item = dict(raw)
        node = Node(item.pop("id"), item.pop("label"),
                    mentions=[_span(m) for m in item.pop("mentions", [])],
                    evidence=_span(item.pop("evidence", None)),
                    confidence=float(item.pop("confidence", 1.0)))
        node.props = {k: v for k, v in item.items() if v is not None}
        batch.nodes.append(node)
    for raw in data["edges"]:
        item = dict(raw)
        edge = Edge(item.pop("type"), item.pop("source"), item.pop("target"),
                    confidence=float(item.pop("confidence", 1.0)),
                    evidence=_span(item.pop("evidence", None)),
                    origin=item.pop("origin", "article"))
        edge.props = {k: v for k, v in item.items() if v is not None}
        batch.edges.append(edge)
    return batch
