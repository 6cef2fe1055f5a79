"""The header model: parsing, validation, parameter binding, and the generated README."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from ctkg.errors import CtkgError
from ctkg.queries.library import (Query, QueryFileError, adhoc_parameters, cypher_parameters,
                                  get_query, load_library, parse_assignments, render_markdown)

QUERIES_DIR = Path(__file__).resolve().parents[2] / "queries"

HEADLINE = {"cells-directed-from-abroad", "cells-by-organisation", "agency-scorecard",
            "incident-comments", "regional-hotspots", "weapons-caches", "cross-border-cells",
            "organisation-network", "person-profile", "fact-provenance", "timeline",
            "new-since", "merge-candidates", "shortest-path", "multi-source-incidents"}


def header(*lines: str, body: str = "RETURN $x AS x") -> str:
    return "\n".join(lines) + "\n" + body + "\n"


GOOD = header("// title: T", "// description: D", "// param: x: int = 1", "// returns: x")


def test_the_library_holds_every_file_and_the_required_questions():
    library = load_library()
    files = sorted(p.stem for p in QUERIES_DIR.glob("*.cypher"))
    assert sorted(library) == files
    assert HEADLINE <= set(library)
    assert len(library) >= 15


@pytest.mark.parametrize("query_id", sorted(p.stem for p in QUERIES_DIR.glob("*.cypher")))
def test_declared_parameters_are_exactly_those_the_cypher_uses(query_id):
    query = get_query(query_id)
    text = (QUERIES_DIR / f"{query_id}.cypher").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("//"))
    used = set(re.findall(r"\$([A-Za-z_]\w*)", re.sub(r"//[^\n]*|'[^']*'", "", body)))
    assert {p.name for p in query.params} == used == cypher_parameters(query.cypher)
    assert query.title and query.description and query.returns


def test_cypher_parameters_skip_comments_strings_and_quoted_names():
    cypher = """MATCH (n {id: $id}) // $not_a_param
    /* $nor_this */ WHERE n.x = '$in_single' OR n.y = "$in_double" OR n.`$z` = $`odd name`
    RETURN $id, $other"""
    assert cypher_parameters(cypher) == {"id", "odd name", "other"}


def test_header_fields_continuation_and_parameter_specs():
    query = Query.from_text("sample", header(
        "// title: Sample",
        "// description: First part",
        "//   and its continuation.",
        "// param: name: str -- required, no default",
        "// param: hops: int = 2 in 1..4 -- bounded",
        "// param: since: date = 2024-01-31",
        "// param: ratio: float = null",
        "// param: flag: bool = true",
        "// returns: a, b",
        body="RETURN $name AS a, [$hops, $since, $ratio, $flag] AS b"))
    assert query.description == "First part and its continuation."
    assert [(p.name, p.type, p.required, p.default) for p in query.params] == [
        ("name", "str", True, None), ("hops", "int", False, 2),
        ("since", "date", False, date(2024, 1, 31)), ("ratio", "float", False, None),
        ("flag", "bool", False, True)]
    assert query.params[0].help == "required, no default"
    assert query.params[1].bounds == (1, 4)
    assert query.returns == ("a", "b")
    assert query.signature() == ("name: str, hops: int = 2 (1..4), since: date = 2024-01-31, "
                                 "ratio: float = null, flag: bool = true")


@pytest.mark.parametrize("text, message", [
    (header("// description: D", "// param: x: int", "// returns: x"), "exactly one `// title:`"),
    (header("// title: T", "// description: D", "// param: x: int", "// colour: red",
            "// returns: x"), "header line 4 is not one of"),
    (header("// title: T", "// description: D", "// param: x: integer", "// returns: x"),
     "type 'integer' is not one of"),
    (header("// title: T", "// description: D", "// param: x: int = many", "// returns: x"),
     "default of x expects an integer"),
    (header("// title: T", "// description: D", "// param: x: int = 9 in 1..4", "// returns: x"),
     "x must be from 1 to 4"),
    (header("// title: T", "// description: D", "// param: x: str in 1..4", "// returns: x"),
     "only int and float take a range"),
    (header("// title: T", "// description: D", "// param: x: int", "// param: y: int",
            "// returns: x"), r"declared parameters \['x', 'y'\] but the Cypher uses \['x'\]"),
    (header("// title: T", "// description: D", "// returns: x"), "but the Cypher uses"),
    (header("// title: T", "// description: D", "// param: x: int", "// returns: x, x"),
     "distinct column names"),
])
def test_malformed_headers_are_refused_naming_the_file(text, message):
    with pytest.raises(QueryFileError, match=message) as err:
        Query.from_text("broken", text)
    assert str(err.value).startswith("queries/broken.cypher: ")


def test_bind_coerces_cli_strings_and_fills_defaults():
    query = Query.from_text("q", header(
        "// title: T", "// description: D", "// param: n: int = 2 in 1..4",
        "// param: on: date", "// param: flag: bool = false", "// param: who: str = null",
        "// returns: x", body="RETURN [$n, $on, $flag, $who] AS x"))
    assert query.bind({"on": "2024-05-07", "flag": "yes"}) == {
        "n": 2, "on": date(2024, 5, 7), "flag": True, "who": None}
    assert query.bind({"on": "2024-05-07", "n": "4", "who": "org:jnim"})["n"] == 4


@pytest.mark.parametrize("raw, message", [
    ({}, "missing required parameter 'organisation'"),
    ({"organisation": "org:jnim", "hops": "three"}, "hops expects an integer, got 'three'"),
    ({"organisation": "org:jnim", "hops": "5"}, "hops must be from 1 to 4, got 5"),
    ({"organisation": "org:jnim", "depth": "2"}, "unknown parameter 'depth'"),
])
def test_wrong_missing_or_unknown_parameters_say_what_the_query_takes(raw, message):
    with pytest.raises(CtkgError) as err:
        get_query("organisation-network").bind(raw)
    text = str(err.value)
    assert text.startswith("query organisation-network: ")
    assert message in text
    assert text.endswith("(it takes: organisation: str, hops: int = 2 (1..4), "
                         "leave_out: str = null)")
    assert "\n" not in text


def test_a_wrong_date_is_explained():
    with pytest.raises(CtkgError, match="since expects a date YYYY-MM-DD, got '12/09/2024'"):
        get_query("timeline").bind({"since": "12/09/2024"})


def test_unknown_query_lists_the_library():
    with pytest.raises(CtkgError, match="no query 'nope'; the library has: agency-scorecard, "):
        get_query("nope")


def test_param_assignments():
    assert parse_assignments(["a=1", "b=x=y", "c="]) == {"a": "1", "b": "x=y", "c": ""}
    for bad in (["novalue"], ["=1"], ["a=1", "a=2"]):
        with pytest.raises(CtkgError, match="--param"):
            parse_assignments(bad)


def test_adhoc_parameters_read_json_or_text_or_a_declared_type():
    assert adhoc_parameters(["n=42", "f=true", "l=[1, 2]", "s=MA", "z=null",
                             "d:date=2024-01-02", "t:str=42"]) == {
        "n": 42, "f": True, "l": [1, 2], "s": "MA", "z": None, "d": date(2024, 1, 2), "t": "42"}
    with pytest.raises(CtkgError, match="type 'day' is not one of"):
        adhoc_parameters(["d:day=1"])
    with pytest.raises(CtkgError, match="n expects an integer"):
        adhoc_parameters(["n:int=x"])


def test_readme_table_is_up_to_date():
    readme = (QUERIES_DIR / "README.md").read_text(encoding="utf-8")
    assert readme == render_markdown(), (
        "queries/README.md is stale: run `.venv/bin/python -m ctkg.queries.library > "
        "queries/README.md`")


def test_readme_table_has_a_row_per_query_with_its_parameters_and_columns():
    table = render_markdown()
    for query in load_library().values():
        row = next(line for line in table.splitlines() if line.startswith(f"| `{query.id}` |"))
        assert query.title in row and ", ".join(query.returns) in row
        assert all(p.signature() in row for p in query.params)
