"""Merge precision on the dev set: how often the merges `ctkg resolve run` makes are right.
Prints figures, never pass/fail.

The set: every dev-set article with a gold annotation (devset/**/NNN.json, their `published`
and `source` given as a feed would), the three Tangier reports of examples/, a copy of the
English one dated a day later, and a republished copy of every fifth dev article (a line
added, a word changed, another outlet; undated, as a plain-text copy is). Gold: an article's
story is its own file (a copy shares its original's, the Tangier reports share one), and a
person is the gold `name` of the Person whose mentions hold the node's name.

A merge is right when the two sides share a gold story (incidents and cells) or a gold name
(persons); a merge whose sides gold does not name is counted apart. Run on a scratch server
(the database is emptied first):

    NEO4J_URI=... NEO4J_PASSWORD=... .venv/bin/python scripts/resolution_eval.py
"""
from __future__ import annotations

import json
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ctkg.config import load_settings  # noqa: E402
from ctkg.db import open_driver  # noqa: E402
from ctkg.graph.resolve import Resolver, candidates  # noqa: E402
from ctkg.graph.writer import GraphWriter  # noqa: E402
from ctkg.ingest import ingest  # noqa: E402

ADDED = {"ar": "\nوأفاد مصدر مطلع أن التحقيقات لا تزال جارية.\n",
         "fr": "\nSelon une source proche du dossier, l'enquête se poursuit.\n",
         "en": "\nA source close to the investigation said inquiries were continuing.\n"}


def build(tmp: Path) -> tuple[Path, dict[str, str], dict[str, dict]]:
    """The JSONL of the set, each article's gold story by URL, and the gold per URL."""
    items, story, gold = [], {}, {}
    golds = sorted(p for p in (ROOT / "devset").rglob("*.json") if p.with_suffix(".txt").exists())
    for n, path in enumerate(golds):
        g = json.loads(path.read_text("utf-8"))
        text = path.with_suffix(".txt").read_text("utf-8")
        url = f"https://dev.example.org/{g['id']}"
        items.append({"url": url, "source": g.get("source") or "dev", "lang": g["lang"],
                      "published": g.get("published"), "text": text})
        story[url], gold[url] = g["id"], g
        if n % 5 == 0:
            copy = text.rstrip() + ADDED[g["lang"]]
            curl = f"https://copies.example.net/{g['id']}"
            items.append({"url": curl, "source": "Copying outlet", "lang": g["lang"],
                          "text": copy})
            story[curl], gold[curl] = g["id"], g
    for line in (ROOT / "examples" / "tangier-cell.jsonl").read_text("utf-8").splitlines():
        item = json.loads(line)
        items.append(item)
        story[item["url"]] = "tangier"
    late = {**item, "url": item["url"] + "-late", "published": "2026-03-11",
            "source": "Late wire"}
    items.append(late)
    story[late["url"]] = "tangier"
    out = tmp / "resolution-set.jsonl"
    out.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), "utf-8")
    return out, story, gold


def undated(name: str | None) -> str:
    """A cell or incident name without the publication date it carries when undated copies
    name it too: "الخلية (سوسة، 2025-06-13)" -> "الخلية (سوسة)"."""
    return re.sub(r"\s*\(\d{4}-\d{2}-\d{2}\)|[،,]\s*\d{4}-\d{2}-\d{2}", "", name or "")


def person_gold(name: str, golds: list[dict]) -> str | None:
    for g in golds:
        for e in g["entities"]:
            if e["type"] == "Person" and (name in e["mentions"] or e.get("name") == name):
                return (e.get("name") or "").lower() or None
    return None


def main() -> None:
    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp, open_driver(settings) as driver:
        path, story, gold = build(Path(tmp))
        with driver.session(database=settings.database) as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS").consume()
        writer = GraphWriter(driver, settings.database)
        writer.ensure_schema()
        outcome = ingest([str(path)], writer)
        print(f"articles ingested: {outcome.batches} ({len(outcome.failures)} failed)")

        def counts() -> dict:
            return driver.execute_query(
                "RETURN COUNT { MATCH (:Incident) } AS incidents, COUNT { MATCH (:Cell) } AS cells,"
                " COUNT { MATCH (:Person) } AS persons")[0][0].data()
        print("before resolution:", counts())
        merged = Resolver(driver, settings.database).run()
        print("after resolution: ", counts(), f"({len(merged)} automatic merges)")
        # the articles behind each side of a merge, as extracted
        sides = driver.execute_query(
            "MATCH (j:Judgement {decision: 'positive'}) "
            "UNWIND [j.kept, j.merged] AS side "
            "MATCH (a:Article)-[:STATES]->(e:Evidence) "
            "WHERE coalesce(e.extracted, e.fact) = side "
            "RETURN j.id AS j, j.label AS label, side, j.kept = side AS kept, "
            "collect(DISTINCT coalesce(a.url, a.locator)) AS urls, j.score AS score, "
            "j.evidence AS evidence")[0]
        by_j: dict[str, dict] = defaultdict(dict)
        for r in sides:
            by_j[r["j"]]["label"] = r["label"]
            by_j[r["j"]]["kept" if r["kept"] else "merged"] = r["urls"]
            by_j[r["j"]]["evidence"] = r["evidence"]
            by_j[r["j"]].setdefault("ids", []).append(r["side"])
        # the names on each side: the kept node's, and the merged node's at merge time
        for r in driver.execute_query(
                "MATCH (j:Judgement {decision: 'positive'}) "
                "OPTIONAL MATCH (k {id: j.kept}) WHERE k:Incident OR k:Cell OR k:Person "
                "RETURN j.id AS j, k.name AS kept, j.snapshot AS snapshot")[0]:
            by_j[r["j"]]["names"] = [r["kept"], json.loads(r["snapshot"])["props"].get("name")]
        # stories whose original tells of several operations
        multi = {story[r["u"]]: r["n"] > 1 for r in driver.execute_query(
            "MATCH (a:Article)-[:REPORTS]->(i:Incident) "
            "RETURN coalesce(a.url, a.locator) AS u, count(i) AS n")[0]
                 if r["u"] in story and not r["u"].startswith("https://copies.")}
        tally: Counter = Counter()
        for jid, j in sorted(by_j.items()):
            a, b = j.get("kept", []), j.get("merged", [])
            if j["label"] == "Person":
                pname = driver.execute_query(
                    "MATCH (p:Person) WHERE p.id IN $ids RETURN p.aliases AS a", ids=j["ids"]
                )[0]
                aliases = [x for r in pname for x in (r["a"] or [])]
                gs = [person_gold(x, [gold[u] for u in a + b if u in gold]) for x in aliases]
                verdict = "unknown" if None in gs or not gs else \
                    ("right" if len(set(gs)) == 1 else "wrong")
            else:
                # one story, and in a story of several operations, the same one (the copy
                # names its cells and incidents as the original does)
                sa, sb = {story.get(u) for u in a}, {story.get(u) for u in b}
                several = any(multi.get(st) for st in sa & sb)
                same_name = j.get("names") and len({undated(n) for n in j["names"]}) == 1
                verdict = "right" if sa & sb and (not several or same_name) else "wrong"
            tally[(j["label"], verdict)] += 1
            if verdict != "right":
                print(f"  {verdict}: {j['label']} {j['ids']} {j['evidence']}")
        for label in ("Incident", "Cell", "Person"):
            right, wrong = tally[(label, "right")], tally[(label, "wrong")]
            unknown = tally[(label, "unknown")]
            p = f"{right / (right + wrong):.3f}" if right + wrong else "n/a"
            print(f"{label:9} merges: {right + wrong + unknown:3}  right {right:3}  wrong {wrong:3}"
                  f"  not in gold {unknown:3}  precision {p}")
        stories = driver.execute_query(
            "MATCH (a:Article)-[:REPORTS]->(i:Incident) "
            "RETURN i.id AS i, collect(coalesce(a.url, a.locator)) AS urls")[0]
        groups = defaultdict(set)
        for r in stories:
            for u in r["urls"]:
                groups[story.get(u)].add(r["i"])
        several = [s for s, ids in groups.items()
                   if sum(1 for u, st in story.items() if st == s) > 1]
        joined = sum(1 for s in several if len(groups[s]) == (2 if multi.get(s) else 1))
        print(f"stories told by several articles: {len(several)}, "
              f"with as many incidents as operations after resolution: {joined} "
              f"({sum(1 for s in several if multi.get(s))} of them tell of two)")
        left = candidates(driver, database=settings.database)
        print(f"pairs left for review: {len(left)} "
              + str(Counter(c.label for c in left)))
        same = Counter()
        for c in left:
            if c.label != "Person":
                continue
            urls = [r["u"] for r in driver.execute_query(
                "MATCH (a:Article)-[:MENTIONS]->(p:Person) WHERE p.id IN $ids "
                "RETURN DISTINCT coalesce(a.url, a.locator) AS u", ids=[c.left, c.right])[0]]
            golds = [gold[u] for u in urls if u in gold]
            gs = {person_gold(c.left_name, golds), person_gold(c.right_name, golds)}
            same["not in gold" if None in gs else "same person" if len(gs) == 1
                 else "different persons"] += 1
        print(f"person pairs for review, by the gold: {dict(same)}")
        for c in left[:10]:
            print(f"  {c.label} {c.score:.2f} {c.left_name!r} / {c.right_name!r}: "
                  f"{'; '.join(c.evidence)}")


if __name__ == "__main__":
    main()
