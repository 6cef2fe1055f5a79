"""Merge decisions, in the manner of nomenklatura: recorded, reviewable and reversible.

- A decision is a `Judgement` node per pair (graph/candidates.py finds the pairs): `positive`
  (merged: `kept` and `merged` say which way), `negative` (never proposed again) or `undone`.
  `Resolver.run` merges the candidates above the automatic threshold and records them the
  same way (`auto: true`); a cell merge that follows from an incident merge names it
  (`because`), and undoing the incident merge undoes it too.
- A merge re-points the merged node's relationships, MENTIONS and REPORTS to the kept node,
  and its Evidence (`fact`); the Evidence keeps the ids as extracted, and the Judgement a
  snapshot of the merged node, which is what `undo` puts back. Writes after a merge go to the
  kept node (ctkg.graph.writer.merged_into), so a re-ingest does not bring a merged node back.
- Values the two sides report differently stay on each side's Evidence; the kept node lists
  them in `disputed` (ctkg.graph.provenance).
"""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

import neo4j

from ctkg.dberrors import execute
from ctkg.errors import CtkgError
from ctkg.graph.candidates import LABELS, candidates, pair_id, settings  # noqa: F401 (API)
from ctkg.graph.ids import digest
from ctkg.graph.provenance import disputed_query, reported_properties
from ctkg.graph.retraction import KEPT_ALIASES
from ctkg.graph.rows import rel_id
from ctkg.graph.schema import Schema, load_schema
from ctkg.graph.summaries import SUMMARY_PROPERTIES, release_summaries, update_summaries

log = logging.getLogger(__name__)


class ResolveError(CtkgError):
    """A merge decision that cannot be made (shown as one line)."""


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


# -- decisions ------------------------------------------------------------------------------
MERGED_NODE = """
MATCH (m:`{label}` {{id: $merged}})
RETURN labels(m) AS labels, properties(m) AS props,
       [(m)-[r]->(o) | {{type: type(r), out: true, other: o.id, other_label: labels(o)[0],
                        props: properties(r)}}] +
       [(o)-[r]->(m) | {{type: type(r), out: false, other: o.id, other_label: labels(o)[0],
                        props: properties(r)}}] AS rels
"""

JUDGEMENT = """
MERGE (j:Judgement {id: $id})
ON CREATE SET j.first_decided_at = $now
SET j += $props, j.decided_at = $now,
    j.history = coalesce(j.history, []) + [$now + ' ' + $props.decision]
"""


class Resolver:
    """Merge decisions on one database: accept, reject, undo, and the automatic run."""

    def __init__(self, driver: neo4j.Driver, database: str | None = None,
                 schema: Schema | None = None) -> None:
        self.driver = driver
        self.database = database
        self.schema = schema or load_schema()

    def _write(self, fn, *args):
        with self.driver.session(database=self.database) as session:
            return execute(session.execute_write, fn, *args)

    def judgements(self, decision: str | None = None) -> list[dict]:
        records, _, _ = self.driver.execute_query(
            "MATCH (j:Judgement) WHERE $decision IS NULL OR j.decision = $decision "
            "RETURN j.id AS id, j.label AS label, j.left AS left_id, j.right AS right_id, "
            "j.kept AS kept, j.merged AS merged, j.decision AS decision, j.score AS score, "
            "j.auto AS auto, j.evidence AS evidence, j.decided_at AS decided_at "
            "ORDER BY j.decided_at, j.id", decision=decision, database_=self.database,
            routing_=neo4j.RoutingControl.READ)
        return [r.data() for r in records]

    def find(self, key: str) -> dict:
        """A judgement by its id, or by one of the ids it merged or kept."""
        rows = [j for j in self.judgements() if key in (j["id"], j["left_id"], j["right_id"])]
        if not rows:
            raise ResolveError(f"no merge decision about {key!r} (see `ctkg resolve decisions`)")
        if len(rows) > 1:
            raise ResolveError(f"{key!r} is in {len(rows)} decisions: give a judgement id "
                               f"({', '.join(j['id'] for j in rows)})")
        return rows[0]

    # -- accept ---------------------------------------------------------------------------
    def accept(self, left: str, right: str, score: float | None = None,
               evidence: list[str] | None = None, auto: bool = False,
               because: str | None = None) -> dict:
        """Merge `right` into `left` and record it (`because`: the incident merge a cell
        merge follows from; undoing that one undoes this one too)."""
        if left == right:
            raise ResolveError("a node cannot be merged with itself")
        return self._write(self._accept_tx, left, right, score, evidence or [], auto, because)

    def _accept_tx(self, tx, kept: str, merged: str, score, evidence, auto,
                   because=None) -> dict:
        label = self._label(kept)
        if self._label(merged) != label:
            raise ResolveError(f"{kept} and {merged} are not two entities of one label")
        for node_id in (kept, merged):
            if not tx.run(f"MATCH (n:`{label}` {{id: $id}}) RETURN n.id",
                          id=node_id).single():
                gone = tx.run("MATCH (j:Judgement {merged: $id, decision: 'positive'}) "
                              "RETURN j.kept AS kept", id=node_id).single()
                raise ResolveError(f"{node_id} was merged into {gone['kept']}" if gone else
                                   f"no node {node_id}")
        jid = pair_id(kept, merged)
        old = tx.run("MATCH (j:Judgement {id: $id}) RETURN j.decision AS d", id=jid).single()
        if old and old["d"] == "negative":
            raise ResolveError(f"{kept} and {merged} were judged different ({jid}); "
                               "`ctkg resolve undo` that decision first")
        snapshot = self._merge_tx(tx, label, kept, merged)
        left, right = sorted((kept, merged))
        props = {"label": label, "left": left, "right": right, "kept": kept, "merged": merged,
                 "decision": "positive", "score": score, "evidence": list(evidence),
                 "auto": auto, "because": because, "snapshot": json.dumps(snapshot, ensure_ascii=False,
                                                      sort_keys=True)}
        tx.run(JUDGEMENT, id=jid, props=props, now=now_iso()).consume()
        return {"id": jid, **{k: v for k, v in props.items() if k != "snapshot"}}

    def _label(self, node_id: str) -> str:
        try:
            label = self.schema.label_of(node_id)
        except ValueError as exc:
            raise ResolveError(str(exc)) from None
        if label not in LABELS and label not in ("Organisation", "Agency", "Region"):
            raise ResolveError(f"{node_id}: a {label} is not merged")
        return label

    def _merge_tx(self, tx, label: str, kept: str, merged: str) -> dict:
        node = tx.run(MERGED_NODE.format(label=label), merged=merged).single()
        # the query library's summaries: the contributions of what moves are taken out first
        touched = [kept, merged, *(rel["other"] for rel in node["rels"])]
        release_summaries(tx, touched)
        before = tx.run(f"MATCH (k:`{label}` {{id: $id}}) RETURN properties(k) AS p",
                        label=label, id=kept).single()["p"]
        created = []
        for rel in node["rels"]:
            if rel["other"] == kept:
                continue  # a fact between the two is no fact about one
            src, tgt = (kept, rel["other"]) if rel["out"] else (rel["other"], kept)
            slabel, tlabel = (label, rel["other_label"]) if rel["out"] else \
                (rel["other_label"], label)
            props = dict(rel["props"])
            old_id = props.get("id")
            if rel["type"] in self.schema.relationships:
                props["id"] = rel_id(rel["type"], src, tgt)
            elif rel["type"] == "REPORTS":
                props["id"] = f"rel:{digest('REPORTS', src, tgt)}"
            got = tx.run(
                f"MATCH (s:`{slabel}` {{id: $src}}) MATCH (t:`{tlabel}` {{id: $tgt}}) "
                f"OPTIONAL MATCH (s)-[old:`{rel['type']}`]->(t) "
                f"WITH s, t, old IS NULL AS fresh "
                f"MERGE (s)-[r:`{rel['type']}`]->(t) "
                f"ON CREATE SET r = $props "
                f"WITH r, fresh, [k IN keys($props) WHERE r[k] IS NULL] AS missing "
                f"FOREACH (k IN missing | SET r[k] = $props[k]) "
                f"RETURN fresh", src=src, tgt=tgt, sl=slabel, tl=tlabel, props=props).single()
            if got["fresh"]:
                created.append({"type": rel["type"], "source": src, "target": tgt,
                                "source_label": slabel, "target_label": tlabel})
            if old_id and props.get("id") and old_id != props["id"]:
                tx.run("MATCH (e:Evidence {fact: $old}) SET e.fact = $new",
                       old=old_id, new=props["id"]).consume()
        tx.run("MATCH (e:Evidence {fact: $merged}) "
               "SET e.fact = $kept, e.extracted = coalesce(e.extracted, $merged)",
               merged=merged, kept=kept).consume()
        if label in ("Person", "Agency"):
            tx.run("MATCH (s:Statement {speaker: $merged}) SET s.speaker = $kept",
                   merged=merged, kept=kept).consume()
        mprops = dict(node["props"])
        filled = [k for k, v in mprops.items()
                  if before.get(k) is None and v is not None and k not in ("id", "aliases")]
        tx.run(f"MATCH (k:`{label}` {{id: $kept}}) "
               "SET k += $filled, k.aliases = COLLECT { UNWIND coalesce(k.aliases, []) + $aliases "
               "AS x RETURN DISTINCT x ORDER BY x }",
               kept=kept, label=label, filled={k: mprops[k] for k in filled},
               aliases=list(mprops.get("aliases") or [])).consume()
        tx.run(f"MATCH (m:`{label}` {{id: $merged}}) DETACH DELETE m",
               merged=merged).consume()
        self._disputed(tx, label, [kept])
        update_summaries(tx, touched)
        return {"labels": node["labels"], "props": mprops, "rels": node["rels"],
                "created": created, "filled": filled, "kept_aliases": before.get("aliases")}

    def _disputed(self, tx, label: str, ids: list[str]) -> None:
        reported = reported_properties(self.schema)
        if label in reported:
            tx.run(disputed_query(label), ids=ids, props=reported[label]).consume()

    # -- undo and reject ------------------------------------------------------------------
    def undo(self, key: str) -> dict:
        """Take back a decision: a merge is split again (the merged node comes back with its
        facts and provenance, and what reached it since); a rejection is forgotten."""
        judgement = self.find(key)
        return self._write(self._undo_tx, judgement["id"])

    def _undo_tx(self, tx, jid: str) -> dict:
        j = tx.run("MATCH (j:Judgement {id: $id}) RETURN properties(j) AS p", id=jid).single()["p"]
        if j["decision"] == "positive":
            # the cell merges that followed from this incident merge go first
            for dep in tx.run("MATCH (d:Judgement) WHERE d.because = $id AND "
                              "d.decision = 'positive' RETURN properties(d) AS p", id=jid):
                self._split_tx(tx, dep["p"])
                tx.run(JUDGEMENT, id=dep["p"]["id"], props={"decision": "undone"},
                       now=now_iso()).consume()
            self._split_tx(tx, j)
        elif j["decision"] != "negative":
            raise ResolveError(f"{jid} is already undone")
        tx.run(JUDGEMENT, id=jid, props={"decision": "undone"}, now=now_iso()).consume()
        return {"id": jid, "label": j["label"], "left": j["left"], "right": j["right"],
                "decision": "undone", "was": j["decision"]}

    def _split_tx(self, tx, j: dict) -> None:
        kept, merged = j["kept"], j["merged"]
        later = tx.run("MATCH (x:Judgement {merged: $kept}) WHERE x.decision = 'positive' "
                       "RETURN x.id AS id", kept=kept).single()
        if later:
            raise ResolveError(f"{kept} was merged again since ({later['id']}): undo that first")
        snap = json.loads(j["snapshot"])
        label = self._label(merged)
        node = f"`{label}` {{id: $id}}"
        others = tx.run(f"MATCH (k:{node})--(o) WHERE o.id IS NOT NULL RETURN DISTINCT o.id AS o",
                        id=kept).value()
        touched = [kept, merged, *others, *(rel["other"] for rel in snap["rels"])]
        release_summaries(tx, touched)
        # (the node comes back without summaries: update_summaries below gives it its own)
        props = {k: v for k, v in snap["props"].items()
                 if k not in SUMMARY_PROPERTIES.get(label, ())}
        tx.run(f"CREATE (m:`{label}`) SET m = $props", props=props).consume()

        def link(type_, src, slabel, tgt, tlabel, props, evidence=()):
            tx.run(f"MATCH (s:`{slabel}` {{id: $src}}) MATCH (t:`{tlabel}` {{id: $tgt}}) "
                   f"MERGE (s)-[r:`{type_}`]->(t) ON CREATE SET r = $props "
                   f"WITH r UNWIND $evidence AS eid MATCH (e:Evidence {{id: eid}}) "
                   f"SET e.fact = r.id", src=src, tgt=tgt, props=props,
                   evidence=list(evidence)).consume()

        # What was the merged node's before the merge (vocabulary links, MENTIONS, REPORTS).
        for rel in snap["rels"]:
            if rel["out"]:
                link(rel["type"], merged, label, rel["other"], rel["other_label"], rel["props"])
            else:
                link(rel["type"], rel["other"], rel["other_label"], merged, label, rel["props"])
        # Evidence stated about the merged node (before the merge, or written to the kept
        # node since, as extracted) goes back to it, and with it the facts it supports.
        tx.run("MATCH (e:Evidence {fact: $kept}) WHERE e.extracted = $merged "
               "SET e.fact = $merged REMOVE e.extracted", kept=kept, merged=merged).consume()
        rels = tx.run(
            f"MATCH (k:{node})-[r]-(o) WHERE r.id IS NOT NULL "
            "MATCH (e:Evidence {fact: r.id}) WHERE $merged IN [e.source, e.target] "
            "RETURN type(r) AS type, startNode(r) = k AS out, o.id AS other, "
            "labels(o)[0] AS other_label, properties(r) AS props, collect(e.id) AS evidence",
            id=kept, merged=merged).data()
        for rel in rels:
            if rel["out"]:
                src, sl, tgt, tl = merged, label, rel["other"], rel["other_label"]
            else:
                src, sl, tgt, tl = rel["other"], rel["other_label"], merged, label
            link(rel["type"], src, sl, tgt, tl,
                 {**rel["props"], "id": rel_id(rel["type"], src, tgt)}, rel["evidence"])
        # The kept node's facts that nothing supports any more go, and so do the links the
        # merge gave it that no Evidence holds.
        tx.run(f"MATCH (k:{node})-[r]-() WHERE r.id STARTS WITH 'rel:' AND type(r) <> 'REPORTS' "
               "AND coalesce(r.origin, '') <> 'reference' "
               "AND NOT EXISTS { MATCH (:Evidence {fact: r.id}) } DELETE r", id=kept).consume()
        for rel in snap["created"]:
            tx.run(f"MATCH (s:`{rel['source_label']}` {{id: $src}})-[r:`{rel['type']}`]->"
                   f"(t:`{rel['target_label']}` {{id: $tgt}}) "
                   "WHERE (s.id = $kept OR t.id = $kept) AND coalesce(r.origin, '') = 'reference' "
                   "AND NOT EXISTS { MATCH (:Evidence {fact: r.id}) } DELETE r",
                   src=rel["source"], tgt=rel["target"], kept=kept).consume()
        for node_id in (kept, merged):
            tx.run(f"MATCH (a:Article)-[r:MENTIONS|REPORTS]->(n:{node}) "
                   "WHERE NOT EXISTS { MATCH (a)-[:STATES]->(:Evidence {fact: $id}) } "
                   "DELETE r", id=node_id).consume()
        # Articles written since the merge that stated the merged node: their links to it.
        since = [r["a"] for r in tx.run(
            f"MATCH (a:Article)-[:STATES]->(:Evidence {{fact: $id}}) MATCH (m:{node}) "
            "WHERE NOT EXISTS { MATCH (a)-[:MENTIONS]->(m) } RETURN DISTINCT a.id AS a",
            id=merged)]
        for aid in since:
            tx.run(f"MATCH (a:Article {{id: $aid}}) MATCH (m:{node}) MERGE (a)-[:MENTIONS]->(m)",
                   aid=aid, id=merged).consume()
            if label == "Incident":
                tx.run(f"MATCH (a:Article {{id: $aid}}) MATCH (m:{node}) "
                       "MERGE (a)-[r:REPORTS]->(m) ON CREATE SET r.id = $rid",
                       aid=aid, id=merged, rid=f"rel:{digest('REPORTS', aid, merged)}").consume()
        if label in ("Person", "Agency"):
            tx.run(f"MATCH (m:{node})-[:MADE]->(s:Statement) WHERE s.speaker = $kept "
                   "SET s.speaker = $id", id=merged, kept=kept).consume()
        filled = snap.get("filled") or []
        if filled:
            tx.run(f"MATCH (k:{node}) UNWIND $filled AS p "
                   "WITH k, p WHERE k[p] = $props[p] SET k[p] = null",
                   id=kept, filled=filled, props=snap["props"]).consume()
        tx.run(KEPT_ALIASES.replace("(n {id", f"(n:`{label}` {{id"),
               ids=[kept, merged]).consume()
        self._disputed(tx, label, [kept, merged])
        update_summaries(tx, touched)

    def reject(self, left: str, right: str, evidence: list[str] | None = None) -> dict:
        """Record that two nodes are different things (a merge between them is undone)."""
        if left == right:
            raise ResolveError("a node is not different from itself")
        jid = pair_id(left, right)
        return self._write(self._reject_tx, jid, left, right, evidence or [])

    def _reject_tx(self, tx, jid, left, right, evidence) -> dict:
        old = tx.run("MATCH (j:Judgement {id: $id}) RETURN properties(j) AS p", id=jid).single()
        if old and old["p"]["decision"] == "positive":
            self._split_tx(tx, old["p"])
        labels = [r["l"] for r in tx.run(
            "UNWIND $ids AS x MATCH (n {id: x}) RETURN labels(n)[0] AS l", ids=[left, right])]
        if len(labels) < 2 or labels[0] != labels[1]:
            raise ResolveError(f"{left} and {right} are not two entities of one label")
        a, b = sorted((left, right))
        props = {"label": labels[0], "left": a, "right": b, "kept": None, "merged": None,
                 "decision": "negative", "evidence": list(evidence), "auto": False}
        tx.run(JUDGEMENT, id=jid, props=props, now=now_iso()).consume()
        return {"id": jid, **props}

    # -- the automatic run ------------------------------------------------------------------
    def run(self, dry_run: bool = False) -> list[dict]:
        """Merge every candidate above its label's automatic threshold that no decision
        covers yet, incidents (and their cells) first; return what was merged."""
        done: list[dict] = []
        conf = settings()
        for _ in range(10):  # a merge can make a new candidate (a third report of one story)
            merged_now = 0
            taken: set[str] = set()
            found = candidates(self.driver, database=self.database)
            # a cell pair that goes with an incident pair is merged with it, not alone
            linked = {pair_id(c.left, c.right) for cand in found for c in cand.linked}
            for cand in found:
                if cand.label == "Cell" and pair_id(cand.left, cand.right) in linked:
                    continue
                threshold = conf[cand.label.lower()].get("auto", 0.8) \
                    if cand.label != "Cell" else conf["incident"]["auto"]
                if cand.status != "proposed" or cand.score < threshold:
                    continue
                group = [cand] + [c for c in cand.linked if c.score >= threshold]
                ids = {x for c in group for x in (c.left, c.right)}
                if ids & taken:
                    continue  # the graph changed under this pair: see it again next round
                taken |= ids
                for c in group:
                    if dry_run:
                        done.append({**c.row(), "id": pair_id(c.left, c.right)})
                        continue
                    because = pair_id(cand.left, cand.right) if c is not cand else None
                    try:
                        got = self.accept(c.left, c.right, c.score, c.evidence, auto=True,
                                          because=because)
                    except ResolveError as exc:
                        log.info("not merged: %s", exc)
                        continue
                    done.append({**c.row(), "id": got["id"]})
                    merged_now += 1
            if dry_run or not merged_now:
                break
        return done
