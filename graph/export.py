"""Thin renderers over one MultiDiGraph (see ctkg.graph.nx): GraphML, GEXF, JSON, Cypher.

GraphML and GEXF hold only scalars: lists and maps become JSON strings and None is dropped.
In both, a node's ``label`` is its display name (what Gephi and yEd show: the name, a
Statement's text, an Article's title) and its schema label is the ``type`` attribute; an edge's
relationship type is its ``type`` attribute in GraphML (whose edge id is the relationship id)
and its label in GEXF. GEXF reserves some attribute names: ours of a reserved name are written
as ``<name>_`` (an Evidence node's ``start`` as ``start_``).
The Cypher script recreates the graph with MERGE statements, one per line.
"""
from __future__ import annotations

import io
import json
import math
from typing import Any

import networkx as nx

from ctkg.graph.nx import DERIVED_EDGE_ATTRS
from ctkg.graph.schema import Schema, load_schema

FORMATS = ("graphml", "gexf", "json", "cypher")
GEXF_NODE_RESERVED = frozenset({"label", "pid", "start", "end", "viz", "parents", "spells",
                                "slices"})
GEXF_EDGE_RESERVED = frozenset({"label", "weight", "type", "start", "end", "viz", "spells",
                                "slices"})
# Cypher string escapes; other control and separator characters become \uXXXX.
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
            "\f": "\\f"}
INT64 = (-(2 ** 63), 2 ** 63 - 1)


def render(graph: nx.MultiDiGraph, fmt: str) -> str:
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown export format {fmt!r} (one of: {', '.join(FORMATS)})") from None
    return renderer(graph)


# -- GraphML and GEXF --------------------------------------------------------------------
def display_name(node: str, data: dict) -> str:
    """What a graph tool should print on a node."""
    return str(data.get("name") or data.get("text") or data.get("title") or node)


def _node_attrs(node: str, data: dict, reserved: frozenset = frozenset()) -> dict:
    """Scalar attributes with ``label`` the display name and ``type`` the schema label."""
    attrs = _scalars({k: v for k, v in data.items() if k != "label"}, reserved)
    return {**attrs, "label": display_name(node, data), "type": data.get("label")}


def to_graphml(graph: nx.MultiDiGraph) -> str:
    flat = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **_node_attrs(node, data))
    for u, v, key, data in graph.edges(keys=True, data=True):
        attrs = {"id": f"{u}-{key}->{v}", **_scalars(data), "type": key}
        flat.add_edge(u, v, key=key, **attrs)
    return _xml(nx.write_graphml, flat, edge_id_from_attribute="id")


def to_gexf(graph: nx.MultiDiGraph) -> str:
    flat = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **_node_attrs(node, data, GEXF_NODE_RESERVED))
    for u, v, key, data in graph.edges(keys=True, data=True):
        flat.add_edge(u, v, key=key, **_scalars(data, GEXF_EDGE_RESERVED), label=key)
    return _xml(nx.write_gexf, flat)


def _xml(writer, graph: nx.MultiDiGraph, **options) -> str:
    """UTF-8 XML with its declaration (Arabic as text, not character references)."""
    buffer = io.BytesIO()
    writer(graph, buffer, **options)
    return buffer.getvalue().decode("utf-8").rstrip("\n") + "\n"


def _scalars(attrs: dict, reserved: frozenset = frozenset()) -> dict:
    """Attributes GraphML/GEXF can hold: None dropped, lists and maps as JSON strings."""
    out = {}
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple, dict)):
            value = json.dumps(value, ensure_ascii=False)
        out[f"{key}_" if key in reserved else key] = value
    return out


# -- JSON ----------------------------------------------------------------------------------
def to_json(graph: nx.MultiDiGraph) -> str:
    """networkx node-link JSON (read back with networkx.node_link_graph)."""
    data = nx.node_link_data(graph, edges="edges")
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


# -- Cypher --------------------------------------------------------------------------------
def to_cypher(graph: nx.MultiDiGraph, schema: Schema | None = None) -> str:
    """MERGE statements recreating the graph, one per line, properties in key order;
    labels and types must be the schema's."""
    schema = schema or load_schema()
    labels = set(schema.nodes) | {schema.provenance["evidence_label"]}
    types = set(schema.relationships) | {schema.provenance["article_to_evidence"],
                                         schema.provenance["article_to_entity"]}
    lines = [f"// ctkg export: {graph.number_of_nodes()} nodes, "
             f"{graph.number_of_edges()} relationships"]
    for node, data in graph.nodes(data=True):
        label = _known(data.get("label"), labels, "label")
        props = {k: value for k, value in sorted(data.items())
                 if k != "label" and value is not None}
        lines.append(f"MERGE (n:{cypher_name(label)} {{id: {cypher_literal(node)}}})"
                     + _set("n", props) + ";")
    for u, v, key, data in graph.edges(keys=True, data=True):
        type_ = _known(key, types, "relationship type")
        props = {k: value for k, value in sorted(data.items())
                 if k not in DERIVED_EDGE_ATTRS and value is not None}
        source, target = (cypher_name(graph.nodes[n]["label"]) for n in (u, v))
        lines.append(f"MATCH (s:{source} {{id: {cypher_literal(u)}}}) "
                     f"MATCH (t:{target} {{id: {cypher_literal(v)}}}) "
                     f"MERGE (s)-[r:{cypher_name(type_)}]->(t)" + _set("r", props) + ";")
    return "\n".join(lines) + "\n"


def _known(name: Any, allowed: set[str], what: str) -> str:
    if name not in allowed:
        raise ValueError(f"cannot export {what} {name!r}: not in the schema")
    return name


def _set(var: str, props: dict) -> str:
    return f" SET {var} += {cypher_literal(props)}" if props else ""


def cypher_name(name: str) -> str:
    """A backtick-quoted label, type or property key (backticks doubled)."""
    return "`" + str(name).replace("`", "``") + "`"


def cypher_literal(value: Any) -> str:
    """A Cypher literal for a string, number, boolean, null, list or map of those."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not INT64[0] <= value <= INT64[1]:
            raise ValueError(f"integer {value} does not fit in a Neo4j integer")
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} has no Cypher literal")
        return repr(value).replace("e+", "e")
    if isinstance(value, str):
        return "'" + "".join(_char(c) for c in value) + "'"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{cypher_name(k)}: {cypher_literal(v)}"
                               for k, v in value.items()) + "}"
    raise TypeError(f"no Cypher literal for a {type(value).__name__}")


def _char(c: str) -> str:
    if c in _ESCAPES:
        return _ESCAPES[c]
    code = ord(c)
    if code < 0x20 or 0x7F <= code < 0xA0 or code in (0x2028, 0x2029) or 0xD800 <= code < 0xE000:
        return f"\\u{code:04x}"
    return c


_RENDERERS = {"graphml": to_graphml, "gexf": to_gexf, "json": to_json, "cypher": to_cypher}
