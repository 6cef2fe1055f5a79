"""The schema as data (schema.yaml), loaded once and used by every writer and validator."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

# Properties every entity node and relationship may carry, besides the schema's own.
COMMON = ("id", "first_seen", "last_seen", "origin")


@dataclass(frozen=True)
class NodeType:
    label: str
    prefix: str
    required: tuple[str, ...]
    properties: tuple[str, ...]
    fulltext: tuple[str, ...]
    names: dict

    @property
    def allowed(self) -> frozenset[str]:
        return frozenset(self.required + self.properties + COMMON)


@dataclass(frozen=True)
class RelType:
    type: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    names: dict


@dataclass(frozen=True)
class Schema:
    version: int
    nodes: dict[str, NodeType]
    relationships: dict[str, RelType]
    provenance: dict

    def node(self, label: str) -> NodeType:
        try:
            return self.nodes[label]
        except KeyError:
            raise ValueError(f"unknown node label {label!r}") from None

    def rel(self, type_: str) -> RelType:
        try:
            return self.relationships[type_]
        except KeyError:
            raise ValueError(f"unknown relationship type {type_!r}") from None

    def label_of(self, node_id: str) -> str:
        """The label an id belongs to, from its prefix ("org:isis" -> "Organisation")."""
        if ":" not in node_id and len(node_id) == 64:
            return "Article"  # articles are keyed by the SHA-256 of their text
        prefix = node_id.split(":", 1)[0]
        for node in self.nodes.values():
            if node.prefix == prefix:
                return node.label
        raise ValueError(f"id {node_id!r} has no known label prefix")


@lru_cache(maxsize=1)
def load_schema() -> Schema:
    raw = yaml.safe_load(resources.files("ctkg.graph").joinpath("schema.yaml").read_text("utf-8"))
    nodes = {
        label: NodeType(label, spec["prefix"], tuple(spec["required"]),
                        tuple(spec.get("properties", ())), tuple(spec.get("fulltext", ())),
                        spec["names"])
        for label, spec in raw["nodes"].items()
    }
    rels = {
        type_: RelType(type_, tuple(spec["from"]), tuple(spec["to"]), spec["names"])
        for type_, spec in raw["relationships"].items()
    }
    for rel in rels.values():
        unknown = set(rel.sources + rel.targets) - set(nodes)
        if unknown:
            raise ValueError(f"schema: {rel.type} names unknown labels {sorted(unknown)}")
    return Schema(raw["version"], nodes, rels, raw["provenance"])
