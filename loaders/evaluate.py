"""Scoring extraction against gold annotations (the rules of ANNOTATION.md §1).

A predicted node matches a gold entity of the same type when one of its mention spans
overlaps an occurrence of a gold mention; duplicates of an already matched entity are false
positives. A predicted edge matches when its type and both mapped endpoints match; a
Statement's COMMENTED_ON counts for its speaker, and an Incident counts as its Cell.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ENTITY_TYPES = ("Cell", "Organisation", "Agency", "Region", "Person", "Statement")
RELATION_TYPES = ("DIRECTED_BY", "DISMANTLED_BY", "COMMENTED_ON", "AFFILIATED_WITH",
                  "OPERATED_IN", "TARGETED", "LEADS")


@dataclass
class Tally:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)

    def add(self, other: "Tally") -> None:
        for mine, theirs in ((self.tp, other.tp), (self.fp, other.fp), (self.fn, other.fn)):
            mine.update(theirs)

    def row(self, key: str | None = None) -> dict:
        keys = [key] if key else list(set(self.tp) | set(self.fp) | set(self.fn))
        tp = sum(self.tp[k] for k in keys)
        fp = sum(self.fp[k] for k in keys)
        fn = sum(self.fn[k] for k in keys)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 3), "recall": round(r, 3),
                "f1": round(f1, 3)}


@dataclass
class ArticleScore:
    id: str
    lang: str
    entities: Tally
    relations: Tally
    misses: list[str] = field(default_factory=list)


def _occurrences(text: str, mention: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(mention), text)]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def score_article(gold: dict, text: str, pred: dict,
                  min_confidence: float = 0.0) -> ArticleScore:
    """Score one article; with `min_confidence`, only the edges at or above it count as
    predicted (what an analyst who keeps that threshold would see)."""
    entities, relations = Tally(), Tally()
    misses: list[str] = []
    gold_spans = {e["key"]: [s for m in e.get("mentions", []) for s in _occurrences(text, m)]
                  for e in gold["entities"]}
    gold_type = {e["key"]: e["type"] for e in gold["entities"]}
    mapped: dict[str, str] = {}  # predicted node id -> gold key
    matched: set[str] = set()
    for node in pred["nodes"]:
        label = node["label"]
        if label not in ENTITY_TYPES or not node.get("mentions"):
            continue  # reference facts from the vocabulary are not extracted from the text
        spans = [(m["start"], m["end"]) for m in node.get("mentions", [])]
        best, best_overlap, dup = None, 0, False
        for key, gspans in gold_spans.items():
            if gold_type[key] != label:
                continue
            ov = max((_overlap(s, g) for s in spans for g in gspans), default=0)
            if ov <= 0:
                continue
            if key in matched:
                dup = True
                continue
            if ov > best_overlap:
                best, best_overlap = key, ov
        if best is None:
            entities.fp[label] += 1
            misses.append(f"FP {label} {node.get('name') or node.get('text', '')[:40]!r}"
                          + (" (duplicate)" if dup else ""))
            continue
        entities.tp[label] += 1
        matched.add(best)
        mapped[node["id"]] = best
    for key, type_ in gold_type.items():
        if key not in matched:
            entities.fn[type_] += 1
            misses.append(f"FN {type_} {key}")
    # Endpoint mapping: a Statement stands for its speaker, an Incident for its Cell.
    speaker = {n["id"]: n.get("speaker") for n in pred["nodes"] if n["label"] == "Statement"}
    for e in pred["edges"]:
        if e["type"] == "MADE":
            speaker[e["target"]] = e["source"]
    incident_cell = {e["source"]: e["target"] for e in pred["edges"] if e["type"] == "INVOLVED"}

    def endpoint(node_id: str) -> str | None:
        node_id = speaker.get(node_id) or node_id
        node_id = incident_cell.get(node_id, node_id)
        return mapped.get(node_id)

    predicted = set()
    unmapped = Counter()
    for e in pred["edges"]:
        if e["type"] not in RELATION_TYPES or _confidence(e, pred) < min_confidence:
            continue
        src, tgt = endpoint(e["source"]), endpoint(e["target"])
        if src is None or tgt is None:
            unmapped[e["type"]] += 1
            misses.append(f"FP {e['type']} {e['source']} -> {e['target']} (unmatched endpoint)")
            continue
        predicted.add((e["type"], src, tgt))
    gold_rel = {(r["type"], r["source"], r["target"]) for r in gold["relations"]}
    for triple in predicted:
        if triple in gold_rel:
            relations.tp[triple[0]] += 1
        else:
            relations.fp[triple[0]] += 1
            misses.append(f"FP {triple[0]} {triple[1]} -> {triple[2]}")
    relations.fp.update(unmapped)
    for triple in gold_rel - predicted:
        relations.fn[triple[0]] += 1
        misses.append(f"FN {triple[0]} {triple[1]} -> {triple[2]}")
    return ArticleScore(gold.get("id", ""), gold.get("lang", "?"), entities, relations, misses)


def _confidence(edge: dict, pred: dict) -> float:
    """An edge's confidence (a Statement's COMMENTED_ON: the lower of it and its MADE)."""
    value = edge.get("confidence", 1.0)
    if edge["type"] == "COMMENTED_ON":
        made = [e.get("confidence", 1.0) for e in pred["edges"]
                if e["type"] == "MADE" and e["target"] == edge["source"]]
        value = min([value, *made])
    return value


# Thresholds at which `ctkg eval --thresholds` reports relation precision and recall.
THRESHOLDS = (0.0, 0.7, 0.75, 0.8, 0.85)


def threshold_rows(scored: list[tuple[dict, str, dict]],
                   thresholds: tuple[float, ...] = THRESHOLDS) -> list[dict]:
    """Relation precision/recall per language when only edges of at least each confidence
    are kept: the curve an analyst picks a precision from."""
    rows = []
    for t in thresholds:
        by_lang: dict[str, Tally] = defaultdict(Tally)
        for gold, text, pred in scored:
            rel = score_article(gold, text, pred, min_confidence=t).relations
            by_lang[gold.get("lang", "?")].add(rel)
            by_lang["all"].add(rel)
        for lang in sorted(by_lang, key=lambda x: (x == "all", x)):
            rows.append({"lang": lang, "min_confidence": t, **by_lang[lang].row()})
    return rows


def load_gold(folder: Path) -> list[tuple[Path, dict]]:
    """(<id>.txt, gold) pairs of a folder tree."""
    out = []
    for gold_path in sorted(Path(folder).rglob("*.json")):
        text_path = gold_path.with_suffix(".txt")
        if not text_path.exists():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if "entities" in gold and "relations" in gold:
            out.append((text_path, gold))
    return out


def report(scores: list[ArticleScore]) -> list[dict]:
    """Rows: per language (and 'all'), per entity type, per relation, and micro overall."""
    by_lang: dict[str, list[ArticleScore]] = defaultdict(list)
    for s in scores:
        by_lang[s.lang].append(s)
        by_lang["all"].append(s)
    rows = []
    for lang in sorted(by_lang, key=lambda x: (x == "all", x)):
        ent, rel = Tally(), Tally()
        for s in by_lang[lang]:
            ent.add(s.entities)
            rel.add(s.relations)
        for type_ in ENTITY_TYPES:
            rows.append({"lang": lang, "kind": "entity", "type": type_, **ent.row(type_)})
        rows.append({"lang": lang, "kind": "entity", "type": "ALL", **ent.row()})
        for type_ in RELATION_TYPES:
            rows.append({"lang": lang, "kind": "relation", "type": type_, **rel.row(type_)})
        rows.append({"lang": lang, "kind": "relation", "type": "ALL", **rel.row()})
    return rows
