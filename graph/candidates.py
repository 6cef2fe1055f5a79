"""Merge candidates: pairs of nodes that may be one thing, each with a score and the evidence
for it (graph/resolve.py records and applies the decisions).

- Incidents that agree on date (a day apart at most, or a day inside a partial report's month
  or year), country, acting agency, places, organisation and counts, or that near-duplicate
  texts report (graph/neardup.py). Agencies or places that have nothing in common count
  against; a different kind or country rules a pair out.
- The one cell of each of two such incidents (a cell takes its identity from its incident),
  and cells of one name in near-duplicate texts.
- Persons whose names match across scripts (ctkg.names).

The weights and thresholds are data: resolution.yaml. Nothing here writes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources

import neo4j
import yaml

from ctkg.graph.ids import digest
from ctkg.graph.neardup import near_duplicates

LABELS = ("Incident", "Cell", "Person")


@lru_cache(maxsize=1)
def settings() -> dict:
    return yaml.safe_load(resources.files("ctkg.graph").joinpath("resolution.yaml")
                          .read_text("utf-8"))


def pair_id(a: str, b: str) -> str:
    return f"judgement:{digest(*sorted((a, b)))}"


@dataclass
class Candidate:
    label: str
    left: str  # the node kept by a merge (the one more articles support, else the smaller id)
    right: str
    score: float
    evidence: list[str] = field(default_factory=list)
    left_name: str | None = None
    right_name: str | None = None
    status: str = "proposed"  # or "undone": proposed again, never merged again automatically
    linked: list["Candidate"] = field(default_factory=list)  # cells that go with incidents

    def row(self) -> dict:
        return {"label": self.label, "left_id": self.left, "left_name": self.left_name,
                "right_id": self.right, "right_name": self.right_name,
                "score": round(self.score, 3), "status": self.status,
                "evidence": self.evidence}


INCIDENTS = """
MATCH (i:Incident)
RETURN i.id AS id, i.name AS name, i.kind AS kind, i.date AS date, i.country AS country,
       i.arrests AS arrests,
       COLLECT { MATCH (i)-[:CONDUCTED_BY]->(a) RETURN a.id ORDER BY a.id } AS agencies,
       COLLECT { MATCH (i)-[:OCCURRED_IN]->(r)
                 WHERE NOT coalesce(r.kind, '') IN ['country', 'supra', 'country-part', 'sea']
                 RETURN r.id ORDER BY r.id } AS places,
       COLLECT { MATCH (i)-[:ATTRIBUTED_TO]->(o) RETURN o.id ORDER BY o.id } AS orgs,
       COLLECT { MATCH (i)-[:INVOLVED]->(c:Cell)
                 RETURN {id: c.id, name: c.name, named: c.named, members: c.members}
                 ORDER BY c.id } AS cells,
       COLLECT { MATCH (a:Article)-[:REPORTS]->(i) RETURN a.id ORDER BY a.id } AS articles
"""

SKETCHES = """
MATCH (a:Article) WHERE a.sketch IS NOT NULL
RETURN a.id AS id, a.sketch AS sketch
"""

STORY_CELLS = """
UNWIND $articles AS aid
MATCH (:Article {id: aid})-[:MENTIONS]->(c:Cell)
RETURN aid AS article, c.id AS id, c.name AS name
"""

PERSONS = """
MATCH (p:Person)
RETURN p.id AS id, p.name AS name, coalesce(p.aliases, []) AS aliases,
       COLLECT { MATCH (p)-[]-(x) WHERE NOT x:Article AND NOT x:Statement RETURN x.id } +
       COLLECT { MATCH (p)-[:MADE]->(:Statement)-[:COMMENTED_ON]->(x) RETURN x.id } AS near,
       COUNT { MATCH (:Article)-[:MENTIONS]->(p) } AS articles
"""

JUDGED = """
MATCH (j:Judgement) RETURN j.id AS id, j.decision AS decision
"""


def _day(value: str | None) -> tuple[date, date] | None:
    """The days a date may stand for: itself, or its whole month or year."""
    if not value:
        return None
    parts = value.split("-")
    try:
        y = int(parts[0])
        if len(parts) == 1:
            return date(y, 1, 1), date(y, 12, 31)
        m = int(parts[1])
        if len(parts) == 2:
            end = date(y + (m == 12), m % 12 + 1, 1)
            return date(y, m, 1), date.fromordinal(end.toordinal() - 1)
        d = date(y, m, int(parts[2]))
        return d, d
    except ValueError:
        return None


def _date_evidence(a: str | None, b: str | None, conf: dict) -> tuple[float, str] | None:
    """Weight and words for two incident dates, None when they cannot be one operation."""
    ra, rb = _day(a), _day(b)
    if ra is None or rb is None:
        return None
    w = conf["weights"]
    if ra[0] == ra[1] and rb[0] == rb[1]:
        gap = abs((ra[0] - rb[0]).days)
        if gap == 0:
            return w["same_day"], f"same day {a}"
        if gap <= conf["tolerance_days"]:
            return w["day_apart"], f"dates {gap} day apart ({a}, {b})"
        return None
    if ra[0] <= rb[1] and rb[0] <= ra[1]:
        return w["date_within"], f"date {a} within {b}" if ra[0] == ra[1] else \
            f"date {b} within {a}"
    return None


def _overlap(xs: list, ys: list, same: float, other: float, what: str) -> tuple[float, str] | None:
    if not xs or not ys:
        return None
    shared = sorted(set(xs) & set(ys))
    if shared:
        return same, f"shared {what} {', '.join(shared)}"
    return other, f"different {what}s"


def score_incidents(a: dict, b: dict, story: float = 0.0) -> tuple[float, list[str]] | None:
    """Score and evidence for two incidents being one operation, None when they cannot be."""
    conf = settings()["incident"]
    w = conf["weights"]
    if a["kind"] != b["kind"]:
        return None
    if a["country"] and b["country"] and a["country"] != b["country"]:
        return None
    found: list[tuple[float, str]] = []
    if story:
        found.append((w["same_story"], f"near-duplicate texts ({story:.2f})"))
    when = _date_evidence(a["date"], b["date"], conf)
    if when is None and not story:
        return None
    if when:
        found.append(when)
    if a["country"] and a["country"] == b["country"]:
        found.append((w["same_country"], f"same country {a['country']}"))
    for key, what, same, other in (("agencies", "agency", "shared_agency", "other_agencies"),
                                   ("places", "place", "shared_place", "other_places"),
                                   ("orgs", "organisation", "shared_organisation",
                                    "other_organisations")):
        got = _overlap(a[key], b[key], w[same], w[other], what)
        if got:
            found.append(got)
    counts = [(x, y) for x, y in ((a["arrests"], b["arrests"]),
                                  (_members(a), _members(b))) if x is not None and y is not None]
    for x, y in counts:
        found.append((w["same_count"], f"same count {x}") if x == y else
                     (w["other_count"], f"counts differ ({x}, {y})"))
    if story and any(weight < 0 for weight, _ in found):
        # a copy of a text that tells of several operations: the story alone does not say
        # which of them is which
        found = [(weight, text) for weight, text in found if weight != w["same_story"]]
    score = max(0.0, min(1.0, round(sum(s for s, _ in found), 3)))
    return score, [text for _, text in found]


def _members(incident: dict) -> int | None:
    cells = incident["cells"]
    return cells[0]["members"] if len(cells) == 1 else None


def _ordered(a: dict, b: dict) -> tuple[dict, dict]:
    """The side kept by a merge first: more articles, else a named cell, else the smaller id."""
    def rank(x):
        arts = x.get("articles") or 0
        return (-(arts if isinstance(arts, int) else len(arts)), not x.get("named"), x["id"])
    return (a, b) if rank(a) <= rank(b) else (b, a)


def incident_candidates(driver, database=None) -> list[Candidate]:
    records, _, _ = driver.execute_query(INCIDENTS, database_=database,
                                         routing_=neo4j.RoutingControl.READ)
    incidents = [r.data() for r in records]
    sketches = {r["id"]: r["sketch"] for r in driver.execute_query(
        SKETCHES, database_=database, routing_=neo4j.RoutingControl.READ)[0]}
    story = {(a, b): s for a, b, s in near_duplicates(sketches, settings()["near_duplicate"])}
    by_article: dict[str, list[str]] = {}
    for inc in incidents:
        for art in inc["articles"]:
            by_article.setdefault(art, []).append(inc["id"])
    stories: dict[tuple[str, str], float] = {}
    for (x, y), s in story.items():
        for i in by_article.get(x, ()):
            for j in by_article.get(y, ()):
                if i != j:
                    key = tuple(sorted((i, j)))
                    stories[key] = max(stories.get(key, 0.0), s)
    conf = settings()["incident"]
    by_kind: dict[str, list[dict]] = {}
    for inc in incidents:
        by_kind.setdefault(inc["kind"], []).append(inc)
    index = {inc["id"]: inc for inc in incidents}
    pairs = set(stories)
    for group in by_kind.values():
        dated = sorted((inc for inc in group if _day(inc["date"])),
                       key=lambda inc: _day(inc["date"])[0])
        for n, a in enumerate(dated):
            lo, hi = _day(a["date"])
            for b in dated[n + 1:]:
                if (_day(b["date"])[0] - hi).days > conf["tolerance_days"]:
                    break
                pairs.add(tuple(sorted((a["id"], b["id"]))))
    out = []
    for x, y in sorted(pairs):
        a, b = _ordered(index[x], index[y])
        if set(a["articles"]) & set(b["articles"]):
            continue  # one report telling of two operations: they are two
        got = score_incidents(a, b, stories.get((x, y), 0.0))
        if got is None or got[0] < conf["candidate"]:
            continue
        cand = Candidate("Incident", a["id"], b["id"], got[0], got[1], a["name"], b["name"])
        if len(a["cells"]) == 1 and len(b["cells"]) == 1 and a["cells"][0]["id"] != \
                b["cells"][0]["id"]:
            ca, cb = _ordered(a["cells"][0], b["cells"][0])
            if not (ca.get("named") and cb.get("named") and ca["name"] != cb["name"]):
                cand.linked.append(Candidate(
                    "Cell", ca["id"], cb["id"], got[0],
                    [f"the one cell of incidents {a['id']} and {b['id']}"] + got[1],
                    ca["name"], cb["name"]))
        out.append(cand)
    out += _story_cells(driver, story, database)
    return out


def _story_cells(driver, story: dict, database) -> list[Candidate]:
    """Cells of the same name in near-duplicate texts (the copy's own id is another)."""
    if not story:
        return []
    arts = sorted({a for pair in story for a in pair})
    records, _, _ = driver.execute_query(STORY_CELLS, articles=arts, database_=database,
                                         routing_=neo4j.RoutingControl.READ)
    cells: dict[str, list[dict]] = {}
    for r in records:
        cells.setdefault(r["article"], []).append(r.data())
    out = []
    for (x, y), s in sorted(story.items()):
        for ca in cells.get(x, ()):
            for cb in cells.get(y, ()):
                if ca["id"] != cb["id"] and ca["name"] == cb["name"]:
                    a, b = sorted((ca, cb), key=lambda c: c["id"])
                    out.append(Candidate("Cell", a["id"], b["id"], settings()["cell"]["same_story"],
                                         [f"same name in near-duplicate texts ({s:.2f})"],
                                         a["name"], b["name"]))
    return out


def person_candidates(driver, database=None) -> list[Candidate]:
    from ctkg.names import has_arabic, latin_key, name_similarity

    conf = settings()["person"]
    records, _, _ = driver.execute_query(PERSONS, database_=database,
                                         routing_=neo4j.RoutingControl.READ)
    persons = [r.data() for r in records]
    keys = {p["id"]: {latin_key(p["name"])} for p in persons if p["name"]}
    by_word: dict[str, set[str]] = {}
    for pid, ks in keys.items():
        for k in ks:
            for word in k.split():
                if len(word) >= 2:
                    by_word.setdefault(word, set()).add(pid)
    index = {p["id"]: p for p in persons}
    pairs = {tuple(sorted((a, b))) for ids in by_word.values() if len(ids) <= 50
             for a in ids for b in ids if a != b}
    out = []
    for x, y in sorted(pairs):
        a, b = index[x], index[y]
        # Names, not aliases: a kunya ("Abu Ubaydah") is shared by many people.
        sim = name_similarity(a["name"], b["name"])
        if sim < conf["candidate"]:
            continue
        evidence = [f"names {a['name']!r} and {b['name']!r} alike ({sim:.2f})"]
        key_a, key_b = latin_key(a["name"]), latin_key(b["name"])
        same_key = key_a == key_b and len(key_a.split()) >= 2
        if same_key:
            evidence.append(f"same transliteration {key_a!r}")
        # Within one script a spelling apart is often another name (Souad and Said are one
        # consonant skeleton); across scripts it is what transliteration does.
        two_scripts = has_arabic(a["name"]) != has_arabic(b["name"])
        if two_scripts:
            evidence.append("written in two scripts")
        near = sorted(set(a["near"]) & set(b["near"]))
        score = sim
        if near:
            evidence.append(f"shared neighbour {', '.join(near[:3])}")
            score = min(1.0, sim + conf["shared_neighbour"])
        # Only a full name that transliterates alike across scripts merges without asking.
        if not (same_key and two_scripts):
            score = min(score, conf["auto"] - 0.01)
        first, second = _ordered(a, b)
        out.append(Candidate("Person", first["id"], second["id"], score, evidence,
                             first["name"], second["name"]))
    return out


def candidates(driver, label: str | None = None, database=None,
               include_judged: bool = False) -> list[Candidate]:
    """Candidate pairs, best first, without the pairs already decided (`undone` pairs are
    listed again, as proposals that `run` leaves to a person)."""
    judged = {r["id"]: r["decision"] for r in driver.execute_query(
        JUDGED, database_=database, routing_=neo4j.RoutingControl.READ)[0]}
    found: list[Candidate] = []
    if label in (None, "Incident", "Cell"):
        for cand in incident_candidates(driver, database):
            if label in (None, "Incident") and cand.label == "Incident":
                found.append(cand)
            if label in (None, "Cell"):
                if cand.label != "Incident":
                    found.append(cand)
                elif judged.get(pair_id(cand.left, cand.right)) != "negative":
                    found += cand.linked  # two operations: their cells are two cells
    if label in (None, "Person"):
        found += person_candidates(driver, database)
    out, seen = [], set()
    for cand in found:
        jid = pair_id(cand.left, cand.right)
        if jid in seen:
            continue
        seen.add(jid)
        decision = judged.get(jid)
        if decision == "undone":
            cand.status = "undone"
        elif decision is not None and not include_judged:
            continue
        out.append(cand)
    return sorted(out, key=lambda c: (-c.score, c.label, c.left, c.right))
