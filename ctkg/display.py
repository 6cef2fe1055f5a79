"""Names in one language: the names the extractor stores, and `--lang ar|fr|en` on the
commands that print entities.

A node keeps its names as the graph stores them: `name` (as first read or from the
vocabulary), `name_ar`/`name_fr`/`name_en` where the vocabulary gives them, and `aliases` (every
spelling the articles used, in any script). Shown in a language, a node's name is, first found:

1. its `name_<lang>`;
2. its `name`, when written in that language's script (Arabic for ar, Latin for fr and en);
3. its name in the other language of the same script (`name_en` for fr, `name_fr` for en);
4. its longest alias in that script (not for cells and incidents, whose aliases are mentions
   such as "الخلية", "the cell");
5. its `name` as stored: nothing in that script is known, and nothing is invented.

Names the extractor makes up are in one script, the article's (loaders/assemble.py uses the
functions below): an unnamed cell is the article's words for it, then the place it operated
in (or targeted) and the article's date, "خلية إرهابية (طنجة، 2026-03-10)", the place named by
the rule above in the article's language (a place with no name in that script is left out);
an incident is its kind in that language and its cell ("تفكيك خلية إرهابية (طنجة،
2026-03-10)"); a weapons cache is the label's name and the items the article lists. The other
languages' forms are stored beside, as `name_ar`/`name_fr`/`name_en`, where the vocabulary
knows the place's name in them: "cellule (Tanger, 2026-03-10)", "démantèlement cellule (Tanger,
2026-03-10)".

Shown in a language, an unnamed cell is remade from the graph the same way: the Cell label's
name, the place it operated in (or targeted) named in the stored name, and the date; an
incident is its kind and its cell. The kinds' words are in ctkg/resources/display.yaml.

Rows are localised after the query ran: a column `X` (or `X_name`) beside `X_id`, and `name`
beside `id`, takes the name of the node with that id (a list `Xs` beside `X_ids`, element by
element); lists of bare names (`dismantled_by`, `places`, `organisations`, ...) take the names
of the organisations, agencies and places so named, when the name is not ambiguous. The nodes
are read in one statement per label: by id (the label's unique index), or by name (a scan of
the label).
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Mapping, Sequence

import yaml

if TYPE_CHECKING:  # the extractor uses the naming functions without the driver
    import neo4j

LANGS = ("ar", "fr", "en")
SAME_SCRIPT = {"fr": ("en",), "en": ("fr",), "ar": ()}
# Labels whose aliases are names (a cell's or an incident's are mentions: "the cell").
NAMED_BY_ALIASES = ("Person", "Organisation", "Agency", "Region")
# Labels a list of bare names (no ids beside them) is looked up in.
LIST_LABELS = ("Organisation", "Agency", "Region")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{4}-\d{2}")
_NAMES = ".name, .name_ar, .name_fr, .name_en, .aliases"
_PLACES = (f"[(c)-[:OPERATED_IN|TARGETED]->(r:Region) | r {{{_NAMES}}}]")
# What each label's nodes are read with: their names, and what a made-up name is made of.
_READ = {
    "Cell": f"n {{.id, {_NAMES}, .named, places: {_PLACES.replace('(c)', '(n)')}}}",
    "Incident": f"n {{.id, {_NAMES}, .kind, cells: [(n)-[:INVOLVED]->(c:Cell) | "
                f"c {{{_NAMES}, .named, places: {_PLACES}}}]}}",
}
_DEFAULT_READ = f"n {{.id, {_NAMES}}}"


@lru_cache(maxsize=1)
def words() -> dict:
    """ctkg/resources/display.yaml, read once."""
    text = resources.files("ctkg").joinpath("resources/display.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def in_script(text: str | None, lang: str) -> bool:
    """The text is written in the language's script only (Arabic, or Latin for fr/en)."""
    if not text:
        return False
    arabic, latin = bool(_ARABIC.search(text)), bool(_LATIN.search(text))
    return arabic and not latin if lang == "ar" else latin and not arabic


def display_name(props: Mapping, label: str | None, lang: str) -> str | None:
    """The node's name in the language (see the module's docstring for the order)."""
    if label == "Cell" and props.get("named") is False:
        return _unnamed_cell(props, lang) or _by_rule(props, label, lang)
    if label == "Incident" and props.get("kind"):
        return _incident(props, lang) or _by_rule(props, label, lang)
    return _by_rule(props, label, lang)


def label_word(label: str, lang: str) -> str:
    """The label's name in the language, as a common noun: "خلية", "cellule", "cell"."""
    from ctkg.graph.schema import load_schema

    word = load_schema().node(label).names[lang]
    return word if lang == "ar" else word[:1].lower() + word[1:]


def kind_word(kind: str, lang: str) -> str | None:
    """An incident kind in the language ("dismantlement" -> "تفكيك"); None when unknown."""
    return (words()["incident_kinds"].get(kind) or {}).get(lang)


def place_in(props: Mapping | None, lang: str) -> str | None:
    """A place's name in the language, if one is known in its script."""
    name = _by_rule(props, "Region", lang) if props else None
    return name if in_script(name, lang) else None


def with_details(word: str, details: Sequence[str | None], lang: str) -> str:
    """"word (a، b)": the details (none empty) after the word, in brackets."""
    kept = [d for d in details if d]
    return f"{word} ({words()['separator'][lang].join(kept)})" if kept else word


def incident_name(kind: str, cell_name: str | None, lang: str) -> str | None:
    """"démantèlement cellule (Tanger, 2026-03-10)"; None when the kind has no word there."""
    word = kind_word(kind, lang)
    return None if word is None else f"{word} {cell_name or ''}".strip()


def _forms(props: Mapping) -> list[str]:
    return [f for f in (props.get("name"), props.get("name_ar"), props.get("name_fr"),
                        props.get("name_en"), *(props.get("aliases") or ())) if f]


def _unnamed_cell(cell: Mapping, lang: str) -> str | None:
    """"cellule (Tanger, 2026-03-10)": the label, and the place and date of the stored name."""
    stored = cell.get("name") or ""
    # the place whose name is in the stored name (the longest: a town before its province)
    found = sorted((-len(f), p.get("name") or "", i) for i, p in enumerate(cell.get("places") or ())
                   for f in _forms(p) if f in stored)
    place = cell["places"][found[0][2]] if found else None
    date = _DATE.search(stored)
    bits = [place_in(place, lang), date.group(0) if date else None]
    if not any(bits):
        return None
    return with_details(label_word("Cell", lang), bits, lang)


def _incident(incident: Mapping, lang: str) -> str | None:
    """"démantèlement cellule (Tanger, 2026-03-10)": its kind, then its cell. The stored name
    starts with the kind in the article's language (or, in graphs written before, its id)."""
    kind = incident["kind"]
    stored = incident.get("name") or ""
    starts = sorted({kind, *(words()["incident_kinds"].get(kind) or {}).values()},
                    key=lambda w: -len(w))
    said = next((w for w in starts if stored == w or stored.startswith(w + " ")), None)
    if kind_word(kind, lang) is None or said is None:
        return None
    rest = stored[len(said):].strip()
    cell = next((c for c in incident.get("cells") or () if rest and rest in _forms(c)), None)
    if cell is not None:
        rest = display_name(cell, "Cell", lang) or rest
    elif rest and not in_script(rest, lang):
        return None  # not remade: its name_<lang>, else as stored (display_name)
    return incident_name(kind, rest, lang)


def _by_rule(props: Mapping, label: str | None, lang: str) -> str | None:
    if props.get(f"name_{lang}"):
        return props[f"name_{lang}"]
    name = props.get("name")
    if in_script(name, lang):
        return name
    for other in SAME_SCRIPT[lang]:
        if in_script(props.get(f"name_{other}"), lang):
            return props[f"name_{other}"]
    if label in NAMED_BY_ALIASES:
        aliases = sorted((a for a in props.get("aliases") or () if in_script(a, lang)),
                         key=lambda a: (-len(a), a))
        if aliases:
            return aliases[0]
    return name


def name_columns(columns: Sequence[str]) -> dict[str, str]:
    """Name column -> the id column beside it: `cell`/`cell_id`, `left_name`/`left_id`,
    `name`/`id`, and lists: `cells`/`cell_ids`."""
    pairs = {}
    for column in columns:
        if column == "id" and "name" in columns:
            pairs["name"] = "id"
        elif column.endswith("_id") or column.endswith("_ids"):
            base = column.rsplit("_", 1)[0]
            plural = f"{base[:-1]}ies" if base.endswith("y") else f"{base}s"
            names = (base, f"{base}_name") if column.endswith("_id") else (plural, base)
            for name in names:
                if name in columns and name != column:
                    pairs[name] = column
                    break
    return pairs


def _read(driver: neo4j.Driver, cypher: str, params: dict, database: str | None) -> list:
    import neo4j

    return driver.execute_query(cypher, params, database_=database,
                                routing_=neo4j.RoutingControl.READ).records


def _by_id(driver, ids: set[str], database: str | None) -> dict[str, tuple[str, dict]]:
    """id -> (label, name properties) of the nodes with these ids."""
    from ctkg.graph.schema import load_schema

    schema = load_schema()
    wanted: dict[str, list[str]] = {}
    for node_id in ids:
        try:
            wanted.setdefault(schema.label_of(node_id), []).append(node_id)
        except ValueError:
            continue  # not an entity id (an article's hash, a relationship)
    found = {}
    for label, label_ids in wanted.items():
        read = _READ.get(label, _DEFAULT_READ)
        for r in _read(driver, f"MATCH (n:`{label}`) WHERE n.id IN $ids RETURN {read} AS n",
                       {"ids": sorted(label_ids)}, database):
            found[r["n"]["id"]] = (label, r["n"])
    return found


def _by_name(driver, names: set[str], database: str | None) -> dict[str, list]:
    """name -> [(label, name properties)] of the organisations, agencies and places so named."""
    found: dict[str, list] = {}
    for label in LIST_LABELS:
        for r in _read(driver, f"MATCH (n:`{label}`) WHERE n.name IN $names "
                               f"RETURN {_DEFAULT_READ} AS n", {"names": sorted(names)},
                       database):
            found.setdefault(r["n"]["name"], []).append((label, r["n"]))
    return found


def _shown(node: tuple[str, Mapping] | None, name, lang: str):
    """The node's name in the language; the name as the query gave it when no node is known."""
    if node is None:
        return name
    return display_name(node[1], node[0], lang) or name


def localise(driver: neo4j.Driver, rows: Sequence[dict], columns: Sequence[str], lang: str,
             database: str | None = None) -> list[dict]:
    """The rows with their entity names in the language (other values untouched)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    pairs = name_columns(columns)
    ids = {v for r in rows for i in pairs.values()
           for v in (r.get(i) if isinstance(r.get(i), list) else [r.get(i)]) if isinstance(v, str)}
    nodes = _by_id(driver, ids, database) if ids else {}
    bare = [c for c in columns if c not in pairs and c not in pairs.values()]
    listed = {v for r in rows for c in bare if isinstance(r.get(c), list)
              for v in r[c] if isinstance(v, str) and v}
    named = _by_name(driver, listed, database) if listed else {}

    def from_list(value: str) -> str:
        shown = {display_name(n, label, lang) for label, n in named.get(value, ())}
        return shown.pop() if len(shown) == 1 else value  # two places, two names: leave it

    out = []
    for row in rows:
        row = dict(row)
        for name_col, id_col in pairs.items():
            names, node_ids = row.get(name_col), row.get(id_col)
            if isinstance(names, list) and isinstance(node_ids, list) \
                    and len(names) == len(node_ids):
                row[name_col] = [_shown(nodes.get(i), n, lang) for n, i in zip(names, node_ids)]
            elif isinstance(node_ids, str):
                row[name_col] = _shown(nodes.get(node_ids), names, lang)
        for column in bare:
            value = row.get(column)
            if isinstance(value, list) and named:
                row[column] = [from_list(v) if isinstance(v, str) else v for v in value]
        out.append(row)
    return out
