"""The parameter rows of one write: a chunk of GraphBatches gathered per article, node and
relationship, so that each is one row however many articles of the chunk state it.

Gathering here (rather than one row per article and fact) is what makes aliases, locators and
outlets sets that do not depend on the chunking, and keeps the parameter shapes the same for
every chunk (the server plans each statement once).

Ids go through `canon`, the merges accepted so far (ctkg.graph.resolve): a fact about a node
merged into another is written to that other. The Evidence keeps the ids as extracted (its id,
`extracted` for a node, `source` and `target` for a relationship), which is what lets a merge
be undone, and the values the article reported (members, arrests, date), which is what keeps
disagreements.
"""
from __future__ import annotations

from collections import defaultdict

from ctkg.graph.ids import digest
from ctkg.graph.model import GraphBatch, Span
from ctkg.graph.neardup import sketch


def rel_id(type_: str, source: str, target: str) -> str:
    """A relationship's id (as graph.model.Edge.id)."""
    return f"rel:{digest(type_, source, target)}"


class ChunkRows:
    def __init__(self, batches: list[GraphBatch], canon: dict[str, str] | None = None,
                 reported: dict[str, list[str]] | None = None) -> None:
        self.batches = batches
        self.canon = canon or {}
        self.reported = reported or {}
        self._copies: dict[str, tuple[set, set]] = defaultdict(lambda: (set(), set()))
        for b in batches:
            if b.article is not None:
                locators, sources = self._copies[b.article.id]
                locators.add(b.article.locator)
                if b.article.source:
                    sources.add(b.article.source)
        # One reading per text: the same text from two outlets is one article with both.
        seen: set[str] = set()
        self.readings = []
        for b in batches:
            if b.article is None or b.article.id not in seen:
                self.readings.append(b)
            if b.article is not None:
                seen.add(b.article.id)
        # computed here, with the rows, not in the write transaction (GraphWriter.prepare)
        self._sketches = {b.article.id: report_sketch(b) for b in self.readings
                          if b.article is not None}

    def id(self, node_id: str) -> str:
        """The id a node is written under: the one it was merged into, if any."""
        return self.canon.get(node_id, node_id)

    def lookups(self) -> list[dict]:
        """What finds the earlier readings of these articles."""
        return [{"id": b.article.id, "locator": b.article.locator, "version": b.extractor_version}
                for b in self.batches if b.article is not None]

    def keep_copies(self, article_id: str, locators: list[str], sources: list[str]) -> None:
        """Where an earlier reading of this text was seen, kept by the new reading."""
        mine = self._copies[article_id]
        mine[0].update(locators)
        mine[1].update(sources)

    def articles(self) -> list[dict]:
        rows = []
        for b in self.readings:
            if b.article is None:
                continue
            locators, sources = self._copies[b.article.id]
            rows.append({"id": b.article.id,
                         "props": {**b.article.props(), "extractor": b.extractor,
                                   "extractor_version": b.extractor_version,
                                   "sketch": self._sketches[b.article.id]},
                         "locators": sorted(locators), "sources": sorted(sources)})
        return sorted(rows, key=lambda r: r["id"])

    def nodes(self) -> dict[str, list[dict]]:
        """Rows per label: the node's properties (the first value given wins, as in the
        graph), its aliases as a set, and the Evidence of every article that mentions it."""
        rows: dict[str, dict[str, dict]] = defaultdict(dict)
        for b in self.readings:
            for n in b.nodes:
                node_id = self.id(n.id)
                row = rows[n.label].setdefault(node_id, {"id": node_id, "props": {},
                                                         "aliases": set(), "mentions": {}})
                props = {k: v for k, v in n.props.items() if k not in ("aliases", "id")}
                if props.get("speaker"):
                    props["speaker"] = self.id(props["speaker"])
                _fill(row["props"], props)
                row["aliases"].update(n.props.get("aliases") or ())
                if n.mentions and b.article is not None:
                    ev = self._evidence(b, n.id, n.label, n.evidence, n.confidence)
                    ev["props"]["fact"] = node_id
                    if node_id != n.id:
                        ev["props"]["extracted"] = n.id
                    for prop in self.reported.get(n.label, ()):
                        if n.props.get(prop) is not None:
                            ev["props"][prop] = n.props[prop]
                    ev["reports_id"] = f"rel:{digest('REPORTS', b.article.id, node_id)}"
                    ev["aliases"] = sorted(set(n.props.get("aliases") or ()))
                    row["mentions"].setdefault(ev["id"], ev)
        return {label: [{**r, "aliases": sorted(r["aliases"]),
                         "mentions": list(r["mentions"].values())}
                        for _, r in sorted(by_id.items())]
                for label, by_id in sorted(rows.items())}

    def edges(self) -> dict[tuple[str, str, str], list[dict]]:
        """Rows per relationship type and endpoint labels, with the Evidence of every article
        that states the relationship."""
        rows: dict[tuple, dict[str, dict]] = defaultdict(dict)
        for b in self.readings:
            labels = {n.id: n.label for n in b.nodes}
            for e in b.edges:
                key = (e.type, labels[e.source], labels[e.target])
                source, target = self.id(e.source), self.id(e.target)
                if source == target:
                    continue  # two ends merged into one: no fact left to state
                edge_id = rel_id(e.type, source, target)
                row = rows[key].setdefault(edge_id, {"id": edge_id, "source": source,
                                                     "target": target, "props": {},
                                                     "evidence": {}})
                props = {k: v for k, v in e.props.items() if v is not None}
                if e.origin == "article":
                    props.setdefault("confidence", round(float(e.confidence), 3))
                    ev = self._evidence(b, e.id, e.type, e.evidence, e.confidence,
                                        source=e.source, target=e.target)
                    ev["props"]["fact"] = edge_id
                    row["evidence"].setdefault(ev["id"], ev)
                _fill(row["props"], props)
        return {key: [{**r, "evidence": list(r["evidence"].values())}
                      for _, r in sorted(by_id.items())]
                for key, by_id in sorted(rows.items())}

    @staticmethod
    def _evidence(batch: GraphBatch, fact: str, kind: str, span: Span | None, confidence: float,
                  source: str | None = None, target: str | None = None) -> dict:
        article = batch.article
        props = {"fact": fact, "fact_kind": kind, "article": article.id,
                 "extractor": batch.extractor, "extractor_version": batch.extractor_version,
                 "confidence": round(float(confidence), 3)}
        if span is not None:
            props.update(sentence=span.text, start=span.start, end=span.end)
        if source is not None:
            props.update(source=source, target=target)
        return {"id": digest(article.id, fact), "article": article.id, "props": props}


def report_sketch(batch: GraphBatch) -> list[int]:
    """The near-duplicate sketch (graph/neardup.py) of what the article reports: the
    sentences its facts come from, in text order. A republished copy states its facts in
    the same sentences; and a batch read back from `ctkg extract` gives the same sketch."""
    spans = {(s.start, s.text) for n in batch.nodes for s in [n.evidence] if s is not None}
    spans |= {(s.start, s.text) for e in batch.edges for s in [e.evidence] if s is not None}
    return sketch("\n".join(text for _, text in sorted(spans)))


def _fill(props: dict, more: dict) -> None:
    for k, v in more.items():
        if v is not None and props.get(k) is None:
            props[k] = v
