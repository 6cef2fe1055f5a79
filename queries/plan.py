"""Query plans as text: what `ctkg cypher "EXPLAIN ..."` and `"PROFILE ..."` print.

    ProduceResults  name  est. 1
    └─ Projection  c.name AS name  est. 1
       └─ NodeUniqueIndexSeek  UNIQUE c:Cell(id) WHERE id = $id  est. 1  rows 1  db hits 2
"""
from __future__ import annotations

import re
from typing import Any, Mapping

# `EXPLAIN`/`PROFILE` at the start of a statement (after spaces and // comments).
_PREFIX = re.compile(r"\A(?:\s|//[^\n]*\n)*(EXPLAIN|PROFILE)\b", re.I)


def plan_mode(cypher: str) -> tuple[str | None, str]:
    """("EXPLAIN" | "PROFILE" | None, the statement without the keyword); the keyword becomes
    spaces, so that line and column positions in errors stay those of the user's text."""
    m = _PREFIX.match(cypher)
    if m is None:
        return None, cypher
    return m[1].upper(), cypher[:m.start(1)] + " " * len(m[1]) + cypher[m.end(1):]


def _figures(op: Mapping[str, Any]) -> str:
    args = op.get("args") or {}
    parts = []
    if "EstimatedRows" in args:
        parts.append(f"est. {args['EstimatedRows']:,.0f}")
    rows = op.get("rows", args.get("Rows"))
    if rows is not None:
        parts.append(f"rows {rows:,}")
    hits = op.get("dbHits", args.get("DbHits"))
    if hits is not None:
        parts.append(f"db hits {hits:,}")
    return "  ".join(parts)


def render_plan(plan: Mapping[str, Any]) -> str:
    """An indented tree of operators with their details, estimated rows and, for a profile,
    the actual rows and database hits."""
    lines: list[str] = []

    def walk(op: Mapping[str, Any], head: str, indent: str) -> None:
        name = str(op.get("operatorType", "?")).split("@")[0]
        details = str((op.get("args") or {}).get("Details", ""))
        lines.append("  ".join(x for x in (head + name, details, _figures(op)) if x))
        children = op.get("children") or []
        for n, child in enumerate(children):
            last = n == len(children) - 1
            walk(child, indent + ("└─ " if last else "├─ "), indent + ("   " if last else "│  "))

    walk(plan, "", "")
    return "\n".join(lines)
