"""Finding entities by name: full-text search over names and aliases in Arabic, French and
English, and resolving a library parameter given as a name or alias to the entity's id.

The query is folded as the extractor folds article text (`ctkg.loaders.tokens.fold`: Arabic
normalised with camel-tools, Latin case- and accent-folded), cut into words, each escaped for
Lucene, and looked up in the three full-text indexes (`ctkg_names_arabic|french|english`, made
by `GraphWriter.ensure_schema`). Each hit says how it matched:

    id     the text is the entity's id
    exact  the text is one of its names or aliases (after folding)
    word   the text's words appear, in order, inside one of its names or aliases
    translit  a name or alias in the other script reads alike (ctkg.names.name_similarity
              of at least TRANSLIT_MIN; the score is that similarity): "Iyad Ag Ghaly" finds
              a person known only as "إياد أغ غالي"
    text   the full-text index found some of its words
    fuzzy  only a spelling within one or two edits of a word matched (suggestions)

The transliteration stage reads the names of the persons, organisations, agencies, places and
cells that have a name or alias in the other script (Latin for an Arabic text, Arabic for a
Latin one) and compares them in Python: a scan of those labels, fine for the graphs ctkg
builds today; a stored key property with an index would make it a seek.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Mapping

import neo4j

from ctkg.errors import CtkgError
from ctkg.graph.schema import load_schema

INDEXES = ("ctkg_names_arabic", "ctkg_names_french", "ctkg_names_english")
MATCH_ORDER = ("id", "exact", "word", "translit", "text", "fuzzy")
TRANSLIT_MIN = 0.9  # name_similarity from which a name in the other script is a hit
TRANSLIT_LABELS = ("Person", "Organisation", "Agency", "Region", "Cell")
_SCRIPT_PATTERNS = {"arabic": ".*[\u0600-\u06ff].*", "latin": ".*[A-Za-z].*"}
# Library parameters that name an entity -> the labels it may carry (None: any entity).
ENTITY_PARAMS: dict[str, tuple[str, ...] | None] = {
    "organisation": ("Organisation",),
    "agency": ("Agency",),
    "person": ("Person",),
    "region": ("Region",),
    "subject": ("Incident", "Cell"),
    "source": None,
    "target": None,
    "fact": None,
}
SUGGESTIONS = 5
_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
_ARABIC = re.compile("[\u0600-\u06ff]")


class UnknownName(CtkgError):
    """A name that matches no entity (the message names the closest ones)."""


class AmbiguousName(CtkgError):
    """A name that several entities carry (the message lists them)."""


@dataclass
class Hit:
    label: str
    id: str
    name: str | None
    score: float | None
    match: str

    def row(self) -> dict:
        score = None if self.score is None else round(self.score, 3)
        return {"label": self.label, "id": self.id, "name": self.name, "score": score,
                "match": self.match}

    def __str__(self) -> str:
        return f"{self.name} ({self.id})" if self.name else self.id


def entity_labels() -> tuple[str, ...]:
    """Labels of the nodes that carry a name (everything but articles and statements)."""
    return tuple(n.label for n in load_schema().nodes.values()
                 if "name" in n.required or "name" in n.properties)


def escape(term: str) -> str:
    """A term with Lucene's query syntax characters escaped."""
    return _LUCENE_SPECIAL.sub(r"\\\1", term)


def _fold(text: str) -> str:
    from ctkg.loaders.tokens import fold  # pulls in spaCy: only when a name is looked up

    return fold(text)


def words(text: str) -> list[str]:
    """The folded words of a name: "al-Qaïda" and "Al Qaida" alike."""
    return re.findall(r"\w+", _fold(unicodedata.normalize("NFC", text)))


def _terms(text: str) -> list[str]:
    """Folded words, plus Latin words as written (lower-cased) when folding changed them:
    the English analyzer keeps accents, the French one removes them."""
    terms = words(text)
    raw = re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())
    terms += [w for w in raw if not _ARABIC.search(w)]
    return list(dict.fromkeys(terms))


def lucene_query(text: str, fuzzy: bool = False) -> str:
    terms = _terms(text)
    parts = [escape(t) for t in terms]
    if fuzzy:
        parts += [f"{escape(t)}~{1 if len(t) < 6 else 2}" for t in terms if len(t) >= 4]
    return " ".join(parts)


def _how(text: str, hit_id: str, forms: Iterable[str | None]) -> str | None:
    """How the text matches an entity with this id and these names/aliases, if it does."""
    if text.strip() == hit_id:
        return "id"
    wanted = words(text)
    if not wanted:
        return None
    best = None
    for form in filter(None, forms):
        have = words(form)
        if have == wanted:
            return "exact"
        n = len(wanted)
        if any(have[i:i + n] == wanted for i in range(len(have) - n + 1)):
            best = "word"
    return best


def _read(driver: neo4j.Driver, cypher: str, params: Mapping, database: str | None):
    return driver.execute_query(cypher, dict(params), database_=database,
                                routing_=neo4j.RoutingControl.READ).records


_FORMS = ("[p.name, p.name_ar, p.name_fr, p.name_en] + coalesce(p.aliases, [])")


def _fulltext(driver, query: str, labels: tuple[str, ...], limit: int,
              database: str | None) -> list[dict]:
    indexes = [r["name"] for r in _read(
        driver, "SHOW FULLTEXT INDEXES YIELD name, state WHERE name IN $names AND state = 'ONLINE' "
                "RETURN name", {"names": list(INDEXES)}, database)]
    if not indexes:
        raise CtkgError("the graph has no name index yet: `ctkg ingest` (or `ctkg demo`) "
                        "creates it")
    records = _read(driver, f"""
        UNWIND $indexes AS index
        CALL db.index.fulltext.queryNodes(index, $query, {{limit: $limit}}) YIELD node, score
        WITH node, max(score) AS score
        WHERE any(l IN labels(node) WHERE l IN $labels)
        WITH node, score, properties(node) AS p
        RETURN labels(node)[0] AS label, p.id AS id, p.name AS name, score, {_FORMS} AS forms
        ORDER BY score DESC, id LIMIT $limit""",
        {"indexes": indexes, "query": query, "labels": list(labels), "limit": limit}, database)
    return [r.data() for r in records]


def _exact(driver, text: str, labels: tuple[str, ...], database: str | None) -> list[dict]:
    """Entities whose id, name or an alias is the text as typed (case aside); labels come from
    the schema, one branch each so that the id lookups use the label's index."""
    branches = "\nUNION\n".join(
        f"MATCH (n:`{label}`) WHERE n.id = $text OR any(s IN "
        f"[n.name, properties(n).name_ar, properties(n).name_fr, properties(n).name_en] "
        f"+ coalesce(properties(n).aliases, []) WHERE toLower(s) = toLower($text)) RETURN n"
        for label in labels)
    records = _read(driver, f"""
        CALL () {{ {branches} }}
        WITH n, properties(n) AS p
        RETURN labels(n)[0] AS label, p.id AS id, p.name AS name, null AS score,
               {_FORMS} AS forms""", {"text": text.strip()}, database)
    return [r.data() for r in records]


def _translit(driver, text: str, labels: tuple[str, ...], database: str | None) -> list[dict]:
    """Entities with a name or alias in the other script that reads like the text."""
    from ctkg.names import has_arabic, latin_key, name_similarity

    arabic = has_arabic(text)
    if not latin_key(text) or (arabic and re.search("[A-Za-z]", text)):
        return []  # nothing to read, or both scripts in the text: the index has it
    wanted = [label for label in labels if label in TRANSLIT_LABELS]
    if not wanted:
        return []
    branches = "\nUNION\n".join(
        f"MATCH (n:`{label}`) WHERE any(s IN [n.name] + coalesce(n.aliases, []) "
        f"WHERE s =~ $other) RETURN n" for label in wanted)
    records = _read(driver, f"""
        CALL () {{ {branches} }}
        WITH n, properties(n) AS p
        RETURN labels(n)[0] AS label, p.id AS id, p.name AS name, {_FORMS} AS forms""",
                    {"other": _SCRIPT_PATTERNS["latin" if arabic else "arabic"]}, database)
    rows = []
    for r in records:
        score = max((name_similarity(text, f) for f in filter(None, [r["name"], *r["forms"]])
                     if has_arabic(f) != arabic), default=0.0)
        if score >= TRANSLIT_MIN:
            rows.append({**r.data(), "score": score})
    return rows


def search(driver: neo4j.Driver, text: str, *, labels: Iterable[str] | None = None,
           limit: int = 20, fuzzy: bool = False, database: str | None = None) -> list[Hit]:
    """Entities whose names or aliases match the text, best first: id and exact matches,
    then whole-word matches, then names in the other script that read alike, then by
    full-text score."""
    labels = tuple(labels or entity_labels())
    query = lucene_query(text, fuzzy)
    if not query:
        raise CtkgError(f"nothing to search for in {text!r}: give a name, an alias or an id")
    plain = set(words(text))
    found: dict[str, Hit] = {}
    rows = _exact(driver, text, labels, database) + _fulltext(driver, query, labels, limit,
                                                               database)
    for row in rows:
        how = _how(text, row["id"], [row["name"], *row["forms"]])
        if how is None:
            forms = {w for f in filter(None, row["forms"] + [row["name"]]) for w in words(f)}
            how = "text" if plain & forms or not fuzzy else "fuzzy"
        hit = found.get(row["id"])
        if hit is None:
            found[row["id"]] = Hit(row["label"], row["id"], row["name"], row["score"], how)
        elif row["score"] is not None:
            hit.score = row["score"]
    for row in _translit(driver, text, labels, database):
        if row["id"] not in found or found[row["id"]].match in ("text", "fuzzy"):
            found[row["id"]] = Hit(row["label"], row["id"], row["name"], row["score"],
                                   "translit")
    hits = sorted(found.values(), key=lambda h: (MATCH_ORDER.index(h.match),
                                                 -(h.score or 0), h.id))
    return hits[:limit]


def _id_exists(driver, value: str, labels: tuple[str, ...], database: str | None) -> bool:
    schema = load_schema()
    try:
        label = schema.label_of(value)
    except ValueError:
        return False
    if label not in labels:
        return False
    records = _read(driver, f"MATCH (n:`{label}` {{id: $id}}) RETURN count(n) AS n",
                    {"id": value}, database)
    return records[0]["n"] > 0


def _describe(labels: tuple[str, ...] | None) -> str:
    if labels is None:
        return "entity"
    return " or ".join(load_schema().node(label).names["en"].lower() for label in labels)


def resolve(driver: neo4j.Driver, value: str, labels: tuple[str, ...] | None, *,
            what: str = "", database: str | None = None) -> str:
    """The id of the one entity (of these labels) that the value is the id, name or alias of.

    AmbiguousName lists the candidates when several are; UnknownName names the closest
    matches when none is."""
    allowed = labels or entity_labels()
    if _id_exists(driver, value, allowed, database):
        return value
    kind = what or _describe(labels)
    words_of_value = value
    prefix, sep, rest = value.partition(":")
    if sep and any(n.prefix == prefix for n in load_schema().nodes.values()):
        words_of_value = rest.replace("-", " ")  # an id that is not there: suggest by its words
    hits = search(driver, words_of_value, labels=allowed, database=database) \
        if lucene_query(words_of_value) else []
    for kinds in (("id", "exact"), ("word",), ("translit",)):
        chosen = [h for h in hits if h.match in kinds]
        if len(chosen) == 1:
            return chosen[0].id
        if chosen:
            raise AmbiguousName(
                f"{kind} {value!r} could be any of {len(chosen)}: "
                f"{'; '.join(str(h) for h in chosen)} (give the id)")
    close = [] if not lucene_query(words_of_value) else search(
        driver, words_of_value, labels=allowed, fuzzy=True, limit=SUGGESTIONS,
        database=database)
    hint = (f"closest: {'; '.join(str(h) for h in close)}" if close
            else "nothing close; `ctkg search TEXT` looks through every name and alias")
    raise UnknownName(f"no {kind} named {value!r} ({hint})")


def resolve_params(driver: neo4j.Driver, params: Mapping[str, str], names: Iterable[str], *,
                   database: str | None = None) -> dict[str, str]:
    """The CLI parameters with each entity parameter (ENTITY_PARAMS, among the query's
    `names`) given as a name or alias replaced by the entity's id."""
    out = dict(params)
    for name in names:
        if name not in ENTITY_PARAMS or not out.get(name):
            continue
        if name == "fact" and out[name].startswith("rel:"):
            continue  # a relationship id: looked up as it is
        out[name] = resolve(driver, out[name], ENTITY_PARAMS[name], what=name,
                            database=database)
    return out
