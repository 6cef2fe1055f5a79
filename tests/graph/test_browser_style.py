"""graph/browser-style.grass read the way Neo4j Browser 5.24 reads it.

`parse_grass` is a line-by-line port of the Browser's parser (shared/services/grassUtils.ts,
as shipped in the neo4j-browser 5.24.0 jar): try JSON, else walk the characters, keeping
non-blank characters outside braces as the selector and splitting the body on ";" and ":".
The `:style` command hands it `cmd.split(":style")[1]`, and a dropped file is parsed whole.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ctkg.graph.schema import load_schema

STYLE = Path(__file__).resolve().parents[2] / "graph" / "browser-style.grass"
PROVENANCE_TYPES = ("STATES", "MENTIONS")


def parse_grass(text: str) -> dict[str, dict[str, str]]:
    try:
        return json.loads(text)
    except ValueError:
        pass
    in_quotes = in_rule = nested = False
    selector = body = ""
    rules: dict[str, str] = {}
    for char in text:
        structural = True
        if char == "{":
            if in_quotes:
                structural = False
            elif in_rule:
                nested = True
            else:
                in_rule = True
        elif char == "}":
            if in_quotes:
                structural = False
            elif nested:
                nested = False
            else:
                in_rule = False
                rules[selector], selector, body = body, "", ""
        elif char in "'\"":
            in_quotes = not in_quotes
        else:
            structural = False
        if not structural:
            if in_rule:
                body += char
            elif not char.isspace():
                selector += char
    parsed = {}
    for sel, raw in rules.items():
        parsed[sel] = {}
        for declaration in raw.split(";"):
            parts = declaration.split(":")
            if len(parts) == 2:
                parsed[sel][parts[0].strip()] = parts[1].strip()
    return parsed


def style_command(text: str) -> dict:
    """What `:style` followed by the pasted file applies."""
    command = ":style\n" + text
    return parse_grass(command.strip().split(":style")[1].strip())


@pytest.fixture(scope="module")
def text() -> str:
    return STYLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def style(text) -> dict:
    return parse_grass(text)


def test_pasting_after_style_and_dropping_the_file_give_the_same_rules(text, style):
    assert ":style" not in text
    assert style_command(text) == style
    # No comment syntax: the Browser would glue it onto the next selector.
    assert "/*" not in text and "//" not in text
    assert set(style) >= {"node", "relationship"}
    assert all(re.fullmatch(r"(node|relationship)(\.\w+)?", sel) for sel in style)


def test_every_declaration_survives_the_parser(text, style):
    """A value holding ':' or ';' would be dropped silently; count them all."""
    declared = text.count(";")  # every declaration ends with one
    assert sum(len(rule) for rule in style.values()) == declared


def test_every_label_and_relationship_type_has_a_colour_and_a_caption(style):
    schema = load_schema()
    labels = list(schema.nodes) + [schema.provenance["evidence_label"]]
    types = list(schema.relationships) + [schema.provenance[k] for k in
                                          ("article_to_evidence", "article_to_entity")]
    for label in labels:
        rule = style.get(f"node.{label}")
        assert rule, label
        assert re.fullmatch(r"#[0-9A-F]{6}", rule["color"]), label
        assert re.fullmatch(r"(\{\w+\}\s?)+", rule["caption"]), label
        props = set(schema.nodes[label].required + schema.nodes[label].properties) \
            if label in schema.nodes else set(schema.provenance["evidence_properties"])
        assert set(re.findall(r"\{(\w+)\}", rule["caption"])) <= props, label
        assert int(rule["diameter"].removesuffix("px")) >= 35, label
    for type_ in types:
        assert re.fullmatch(r"#[0-9A-F]{6}", style[f"relationship.{type_}"]["color"]), type_


def test_incident_captions_say_more_than_the_kind_and_statements_have_room(style):
    assert style["node.Incident"]["caption"] != "{kind}"
    assert int(style["node.Statement"]["diameter"].removesuffix("px")) >= 70


def _lab(hex_colour: str) -> tuple[float, float, float]:
    """sRGB hex to CIE L*a*b* (D65)."""
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def test_node_colours_are_far_apart_and_none_is_near_white(style):
    colours = {sel: rule["color"] for sel, rule in style.items() if sel.startswith("node.")}
    labs = {sel: _lab(c) for sel, c in colours.items()}
    pairs = [(a, b) for a in labs for b in labs if a < b]
    nearest = min(pairs, key=lambda p: sum((x - y) ** 2 for x, y in zip(labs[p[0]], labs[p[1]])))
    distance = sum((x - y) ** 2 for x, y in zip(labs[nearest[0]], labs[nearest[1]])) ** 0.5
    assert distance > 25, nearest  # CIE76 delta E: clearly different colours
    assert all(lab[0] < 90 for lab in labs.values())  # visible on the white canvas
