"""The query library: `queries/<id>.cypher` files, each with a metadata header.

    // title: Cells directed from abroad
    // description: One or more sentences; a line indented after `//` continues
    //   the previous field.
    // param: country: str = null -- ISO alpha-2 code; only cells active in that country
    // param: hops: int = 2 in 1..4 -- a bounded integer
    // param: organisation: str -- no default: required
    // returns: cell, cell_id, director

Types are str, int, float, bool and date (YYYY-MM-DD, bound as a Neo4j Date). `Query` parses
and validates a header; the runner, the CLI, the README table and the tests all use it.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any, Callable, Iterable, Mapping

from ctkg.errors import CtkgError


class QueryFileError(CtkgError):
    """A library file whose header is malformed or disagrees with its Cypher."""


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("true", "yes", "1", "on"):
        return True
    if value in ("false", "no", "0", "off"):
        return False
    raise ValueError(raw)


# type name -> (parser of a CLI string, what the user should have typed)
TYPES: dict[str, tuple[Callable[[str], Any], str]] = {
    "str": (str, "text"),
    "int": (int, "an integer"),
    "float": (float, "a number"),
    "bool": (_bool, "true or false"),
    "date": (date.fromisoformat, "a date YYYY-MM-DD"),
}

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PARAM = re.compile(r"(?P<name>[A-Za-z_]\w*)\s*:\s*(?P<type>\w+)"
                    r"(?:\s*=\s*(?P<default>.+?))?"
                    r"(?:\s+in\s+(?P<low>-?[\d.]+)\.\.(?P<high>-?[\d.]+))?")
# Comments, strings and quoted names are skipped so that a `$` inside them is not a parameter.
_CYPHER_TOKENS = re.compile(
    r"//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`"
    r"|\$(?:`(?P<quoted>[^`]+)`|(?P<name>[A-Za-z_]\w*))", re.S)
_FIELDS = ("title", "description", "param", "returns")
# Paging: the runner appends `SKIP $skip LIMIT $limit` to a library query's final RETURN.
PAGING = ("skip", "limit")
DEFAULT_LIMIT = 100


class ParamError(ValueError):
    """One parameter's value is wrong (collected into a CtkgError by Query.bind)."""


def _literal(value: Any) -> str:
    if value is None:
        return "null"
    return str(value).lower() if isinstance(value, bool) else str(value)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool
    default: Any = None
    bounds: tuple[float, float] | None = None
    help: str = ""

    @classmethod
    def parse(cls, line: str) -> "Param":
        spec, _, help_ = line.partition(" -- ")
        m = _PARAM.fullmatch(spec.strip())
        if m is None:
            raise ValueError(f"param {line!r} is not `name: type [= default] [in LOW..HIGH]`")
        if m["type"] not in TYPES:
            raise ValueError(f"param {m['name']}: type {m['type']!r} is not one of {', '.join(TYPES)}")
        bounds = None
        if m["low"] is not None:
            if m["type"] not in ("int", "float"):
                raise ValueError(f"param {m['name']}: only int and float take a range")
            bounds = (TYPES[m["type"]][0](m["low"]), TYPES[m["type"]][0](m["high"]))
        param = cls(m["name"], m["type"], m["default"] is None, None, bounds, help_.strip())
        raw_default = m["default"]
        if raw_default is not None and raw_default != "null":
            try:
                default = param.coerce(raw_default.strip('"'))
            except ParamError as exc:
                raise ValueError(f"default of {exc}") from None
            param = cls(param.name, param.type, False, default, bounds, param.help)
        return param

    def coerce(self, raw: str) -> Any:
        parse, expected = TYPES[self.type]
        try:
            value = parse(raw)
        except ValueError:
            raise ParamError(f"{self.name} expects {expected}, got {raw!r}") from None
        if self.bounds and not self.bounds[0] <= value <= self.bounds[1]:
            low, high = self.bounds
            raise ParamError(f"{self.name} must be from {low} to {high}, got {value}")
        return value

    def signature(self) -> str:
        """`name: type [= default] [(low..high)]`, as in the header."""
        text = f"{self.name}: {self.type}"
        if not self.required:
            text += f" = {_literal(self.default)}"
        if self.bounds:
            text += f" ({self.bounds[0]}..{self.bounds[1]})"
        return text


@dataclass(frozen=True)
class Query:
    id: str
    title: str
    description: str
    params: tuple[Param, ...]
    returns: tuple[str, ...]
    cypher: str

    @classmethod
    def from_text(cls, query_id: str, text: str) -> "Query":
        """Parse `<id>.cypher`; QueryFileError names the file and what is wrong."""
        try:
            return cls._parse(query_id, text)
        except ValueError as exc:
            raise QueryFileError(f"queries/{query_id}.cypher: {exc}") from None

    @classmethod
    def _parse(cls, query_id: str, text: str) -> "Query":
        if not _ID.fullmatch(query_id):
            raise ValueError("a query id is lower-case words joined by '-'")
        fields, body = _split_header(text)
        for name in ("title", "description", "returns"):
            if len(fields.get(name, [])) != 1:
                raise ValueError(f"the header needs exactly one `// {name}:` line")
        params = tuple(Param.parse(line) for line in fields.get("param", []))
        names = [p.name for p in params]
        if set(names) & set(PAGING):
            raise ValueError(f"{' and '.join(PAGING)} are reserved for paging")
        if len(set(names)) != len(names):
            raise ValueError(f"a parameter is declared twice: {', '.join(names)}")
        returns = tuple(c.strip() for c in fields["returns"][0].split(","))
        if not all(returns) or len(set(returns)) != len(returns):
            raise ValueError("`returns` must list distinct column names separated by commas")
        used = cypher_parameters(body)
        if used != set(names):
            raise ValueError(f"declared parameters {sorted(names)} but the Cypher uses "
                             f"{sorted(used)}")
        if not body.strip():
            raise ValueError("no Cypher after the header")
        return cls(query_id, fields["title"][0], fields["description"][0], params, returns,
                   body.strip() + "\n")

    def signature(self) -> str:
        return ", ".join(p.signature() for p in self.params) or "(none)"

    @property
    def paged_cypher(self) -> str:
        """The Cypher with its final RETURN paged by `$skip` and `$limit`."""
        return f"{self.cypher}SKIP $skip LIMIT $limit\n"

    def bind(self, raw: Mapping[str, str]) -> dict[str, Any]:
        """CLI strings to typed values, defaults filled in; one CtkgError lists every problem."""
        known = {p.name: p for p in self.params}
        problems = [f"unknown parameter {name!r}" for name in raw if name not in known]
        values: dict[str, Any] = {}
        for param in self.params:
            if param.name in raw:
                try:
                    values[param.name] = param.coerce(raw[param.name])
                except ParamError as exc:
                    problems.append(str(exc))
            elif param.required:
                problems.append(f"missing required parameter {param.name!r}")
            else:
                values[param.name] = param.default
        if problems:
            raise CtkgError(f"query {self.id}: {'; '.join(problems)} "
                            f"(it takes: {self.signature()})")
        return values


def _split_header(text: str) -> tuple[dict[str, list[str]], str]:
    """The leading `//` lines as {field: [values]} and the Cypher that follows them."""
    lines = text.splitlines()
    fields: dict[str, list[str]] = {}
    last: str | None = None
    n = 0
    for n, line in enumerate(lines):
        stripped = line.strip()
        if not stripped.startswith("//"):
            break
        content = stripped[2:]
        if content.startswith("  ") and last is not None:  # continuation
            fields[last][-1] += " " + content.strip()
            continue
        key, sep, value = content.strip().partition(":")
        if not sep or key not in _FIELDS:
            raise ValueError(f"header line {n + 1} is not one of "
                             f"{', '.join('// ' + f + ':' for f in _FIELDS)}")
        fields.setdefault(key, []).append(value.strip())
        last = key
    else:
        n = len(lines)
    return fields, "\n".join(lines[n:])


def cypher_parameters(cypher: str) -> set[str]:
    """The `$names` a Cypher text uses (outside comments, strings and quoted names)."""
    return {m["quoted"] or m["name"] for m in _CYPHER_TOKENS.finditer(cypher)
            if m["quoted"] or m["name"]}


@functools.cache
def load_library() -> dict[str, Query]:
    """Every `*.cypher` file of the installed `ctkg.queries` package, by id."""
    folder = resources.files(__package__)
    files = sorted((e for e in folder.iterdir() if e.name.endswith(".cypher")),
                   key=lambda e: e.name)
    return {q.id: q for q in (Query.from_text(e.name.removesuffix(".cypher"),
                                              e.read_text(encoding="utf-8")) for e in files)}


def get_query(query_id: str) -> Query:
    library = load_library()
    if query_id not in library:
        raise CtkgError(f"no query {query_id!r}; the library has: {', '.join(library)}")
    return library[query_id]


def parse_assignments(pairs: Iterable[str]) -> dict[str, str]:
    """`--param name=value` strings to {name: value}."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CtkgError(f"--param expects NAME=VALUE, got {pair!r}")
        if name.strip() in out:
            raise CtkgError(f"--param {name.strip()} given twice")
        out[name.strip()] = value
    return out


def adhoc_parameters(pairs: Iterable[str]) -> dict[str, Any]:
    """Parameters of ad-hoc Cypher: `name:type=value` is typed like a library parameter;
    `name=value` is read as a JSON literal (number, true, null, list...) or else as text."""
    values: dict[str, Any] = {}
    for name, raw in parse_assignments(pairs).items():
        name, _, type_ = name.partition(":")
        if type_:
            if type_ not in TYPES:
                raise CtkgError(f"--param {name}: type {type_!r} is not one of {', '.join(TYPES)}")
            try:
                values[name] = Param(name, type_, True).coerce(raw)
            except ParamError as exc:
                raise CtkgError(f"--param {exc}") from None
        else:
            try:
                values[name] = json.loads(raw)
            except ValueError:
                values[name] = raw
    return values


def render_markdown(queries: Iterable[Query] | None = None) -> str:
    """The README table of the library: id, title, parameters, columns."""
    queries = list(load_library().values() if queries is None else queries)

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = [
        "# Query library",
        "",
        "Analyst questions as Cypher files with a typed header. Run one with",
        "`ctkg query run ID --param name=value [--format table|json|jsonl|csv]`;",
        "`ctkg query show ID` prints its description and Cypher.",
        "",
        "<!-- Generated from the file headers by `python -m ctkg.queries.library > "
        "queries/README.md`; a test fails when it is out of date. -->",
        "",
        "| id | title | parameters | columns |",
        "|---|---|---|---|",
    ]
    for q in queries:
        params = ", ".join(f"`{cell(p.signature())}`" for p in q.params) or "none"
        lines.append(f"| `{q.id}` | {cell(q.title)} | {params} | {cell(', '.join(q.returns))} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
