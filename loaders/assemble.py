"""The end of extraction: recognised mentions and relations into a typed GraphBatch."""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from ctkg.display import (LANGS, in_script, incident_name, kind_word, label_word, place_in,
                          with_details)
from ctkg.graph.ids import digest, make_id
from ctkg.graph.model import ArticleMeta, Edge, GraphBatch, Node, Span
from ctkg.graph.schema import load_schema
from ctkg.loaders.cues import incident_cues, lexicon
from ctkg.loaders.dates import incident_date, parse_date
from ctkg.loaders.gazetteer import Entry, Gazetteer
from ctkg.loaders.pipeline import Document, LocalEntity, Mention
from ctkg.loaders.relations import Relation
from ctkg.loaders.tokens import fold

INCIDENT_MIRRORS = {"DISMANTLED_BY": "CONDUCTED_BY", "DIRECTED_BY": "ATTRIBUTED_TO",
                    "AFFILIATED_WITH": "ATTRIBUTED_TO", "OPERATED_IN": "OCCURRED_IN"}


class Assembler:
    """Turns recognised mentions and relations into schema nodes and edges."""

    def __init__(self, doc: Document, lang: str, gaz: Gazetteer, extractor: str,
                 version: str) -> None:
        raw = doc.raw
        self.doc, self.raw, self.lang, self.gaz = doc, raw, lang, gaz
        self.article = ArticleMeta(id=raw.id, locator=raw.locator, lang=lang, path=raw.path,
                                   url=raw.url, title=raw.title, published=raw.published,
                                   source=raw.source, chars=len(raw.text))
        self.batch = GraphBatch(self.article, extractor=extractor, extractor_version=version)
        self.ids: dict[int, str] = {}  # id(python object) -> node id
        self.nodes: dict[str, Node] = {}
        self.edge_keys: set[tuple[str, str, str]] = set()
        self._published = parse_date(raw.published, lang)  # names unnamed cells
        self._frame, self._frame_read = None, False  # the incident's kind cue and date

    def sentence_span(self, k: int) -> Span:
        s = self.doc.sentences[k]
        return Span(s.start, s.end, s.text)

    def _node(self, node_id: str, label: str, props: dict, mentions: list[Mention],
              confidence: float = 0.9, known: tuple[str, ...] = ()) -> Node:
        node = self.nodes.get(node_id)
        if node is None:
            node = Node(node_id, label, {k: v for k, v in props.items() if v is not None},
                        confidence=confidence)
            self.nodes[node_id] = node
            self.batch.nodes.append(node)
        for m in mentions:
            span = Span(m.start, m.end, m.text)
            if span not in node.mentions:
                node.mentions.append(span)
        if node.mentions:
            node.mentions.sort(key=lambda s: s.start)
            if _takes_aliases(label):
                node.props["aliases"] = clean_aliases([s.text for s in node.mentions], known)
            first = node.mentions[0]
            k = self.doc.sentence_of(first.start)
            node.evidence = self.sentence_span(k) if k is not None else first
        return node

    def entry_node(self, entry: Entry, mentions: list[Mention]) -> Node:
        props = {"name": entry.name, **entry.props}
        node = self._node(entry.id, entry.label, props, mentions, 0.95, tuple(entry.aliases))
        self.ids[id(entry)] = entry.id
        return node

    def build(self, entities, found_cells, found_persons, found_statements, rels, cues):
        by_entry: dict[str, list[Mention]] = {}
        entries: dict[str, Entry] = {}
        for m in entities:
            by_entry.setdefault(m.ref.id, []).append(m)
            entries[m.ref.id] = m.ref
        for entry_id, mentions in by_entry.items():
            self.entry_node(entries[entry_id], mentions)
        cell_country = self._cell_country(rels)
        # An unnamed cell takes its identity from its incident (reports of one operation name
        # one cell), unless the article tells of several cells.
        incident_key = self._incident_key(found_cells[0], rels, cues, cell_country) \
            if len(found_cells) == 1 else None
        for n, cell in enumerate(found_cells, 1):
            key = cell.name if cell.props.get("named") else \
                incident_key or f"{self.article.id[:12]}-{n}"
            node_id = make_id("cell", key)
            self._node(node_id, "Cell", {**self._cell_names(cell, rels),
                                         "named": bool(cell.props.get("named")),
                                         "members": cell.props.get("members"),
                                         "arrests": cell.props.get("arrests"),
                                         "country": cell_country.get(id(cell))},
                       cell.mentions, 0.8)
            self.ids[id(cell)] = node_id
        for person in found_persons:
            node_id = make_id("person", person.name)
            self._node(node_id, "Person", {"name": person.name, "role": person.props.get("role")},
                       person.mentions, 0.8)
            self.ids[id(person)] = node_id
        for stmt in found_statements:
            speaker = stmt.props["speaker"].ref
            speaker_id = self.ids.get(id(speaker)) or speaker.id
            node_id = f"stmt:{digest(speaker_id, stmt.name)}"
            self._node(node_id, "Statement", {"text": stmt.name, "lang": self.lang,
                                              "quoted": stmt.props.get("quoted"),
                                              "speaker": speaker_id},
                       stmt.mentions, 0.75)
            self.ids[id(stmt)] = node_id
            self._edge("MADE", speaker_id, node_id, stmt.mentions[0].sentence, 0.8)
        for rel in rels:
            self._edge(rel.type, self.ids[id(rel.source)], self.ids[id(rel.target)],
                       rel.sentence, rel.confidence)
        self._incidents(found_cells, rels, cues)
        self._caches(found_cells, cues, entities)
        self._reference_facts()
        return self.batch

    def _cell_names(self, cell: LocalEntity, rels: list[Relation]) -> dict[str, str]:
        """A named cell keeps its name. An unnamed one is told apart by where it was active and
        when the article appeared, in the article's script: "خلية إرهابية (طنجة، 2025-03-11)"
        (ctkg/display.py has the rule); the other languages' forms go beside, as name_fr
        ("cellule (Tanger, 2025-03-11)") and name_en, where the place has a name in them."""
        if cell.props.get("named"):
            own = {f"name_{self.lang}": cell.name} if in_script(cell.name, self.lang) else {}
            return {"name": cell.name, **own}
        places = [r.target for r in rels if r.source is cell and r.type == "OPERATED_IN"]
        place = places[0] if places else next(
            (r.target for r in rels if r.source is cell and r.type == "TARGETED"), None)
        props = self._place_props(place)
        date = self._published.iso if self._published else None
        name = with_details(cell.name, [self._place_here(props), date], self.lang)
        names = {"name": name, f"name_{self.lang}": name}
        for lang in LANGS:
            there = place_in(props, lang)
            if lang != self.lang and (there or not props):
                names[f"name_{lang}"] = with_details(label_word("Cell", lang), [there, date],
                                                     lang)
        return names

    def _place_here(self, props: dict | None) -> str | None:
        """A place's name in the article's language: the vocabulary's, else as the article
        spells it (its longest spelling in the article's script), else by the display rule."""
        if not props:
            return None
        said = sorted((a for a in props.get("aliases") or () if in_script(a, self.lang)),
                      key=lambda a: (-len(a), a))
        return props.get(f"name_{self.lang}") or (said[0] if said else None) or \
            place_in(props, self.lang)

    def _place_props(self, place) -> dict | None:
        """A place's names: the vocabulary's, and the spellings this article used."""
        if place is None:
            return None
        node = self.nodes.get(place.id)
        return node.props if node is not None else {"name": place.name, **place.props}

    def _incident_names(self, kind: str, cell: Node | None) -> dict[str, str]:
        """Its kind and its cell, in the article's language ("تفكيك خلية إرهابية (طنجة)"),
        and in the others where the kind and the cell have a name there."""
        names = {}
        for lang in (self.lang, *(lang for lang in LANGS if lang != self.lang)):
            cell_name = cell.props.get(f"name_{lang}") if cell is not None else None
            if cell is not None and cell_name is None:
                continue
            name = incident_name(kind, cell_name, lang)
            if name is not None:
                names[f"name_{lang}"] = name
        own = names.get(f"name_{self.lang}")
        cell_own = cell.props.get("name") if cell is not None else None
        names["name"] = own or f"{kind_word(kind, self.lang) or kind} {cell_own or ''}".strip()
        return names

    def _edge(self, type_: str, source: str, target: str, sentence: int, confidence: float):
        self._append(Edge(type_, source, target, confidence, self.sentence_span(sentence)))

    def _append(self, edge: Edge) -> None:
        """Each fact once: a (type, source, target) already in the batch is not added again."""
        key = (edge.type, edge.source, edge.target)
        if key not in self.edge_keys:
            self.edge_keys.add(key)
            self.batch.edges.append(edge)

    def _cell_country(self, rels: list[Relation]) -> dict[int, str]:
        votes: dict[int, Counter] = {}
        for r in rels:
            if r.type in ("OPERATED_IN", "DISMANTLED_BY") and getattr(r.target, "country", None):
                votes.setdefault(id(r.source), Counter())[r.target.country] += 1
        return {k: v.most_common(1)[0][0] for k, v in votes.items()}

    def _incident_frame(self, cues: list[Mention]):
        """The incident's kind cue and date, or None when the article tells of no incident
        (read once: the cell ids need it before the incident nodes are made)."""
        if not self._frame_read:
            self._frame_read = True
            kinds = incident_cues(self.doc, lexicon(self.lang), cues)
            if kinds:
                said = self.doc.sentences[kinds[0].sentence]
                self._frame = kinds[0], incident_date(self.raw.published, self.raw.text,
                                                      self.lang, (said.start, said.end))
        return self._frame

    @staticmethod
    def _converging_key(kind: str, when, country: str | None, agencies: list[str]) -> str | None:
        """One operation, however many outlets report it: same kind, country, agency and day.
        A month or a year is too coarse to tell two operations apart (the resolver compares
        those reports: ctkg.graph.resolve)."""
        if when and when.precision == "day" and country and agencies:
            return f"{kind}-{country}-{when.iso}-{sorted(agencies)[0]}"
        return None

    def _incident_key(self, cell: LocalEntity, rels: list[Relation], cues: list[Mention],
                      cell_country: dict[int, str]) -> str | None:
        """The converging key of the incident a cell is involved in, before any node exists."""
        frame = self._incident_frame(cues)
        if frame is None:
            return None
        agencies = [r.target.id for r in rels if r.source is cell and r.type == "DISMANTLED_BY"]
        return self._converging_key(frame[0].ref, frame[1], cell_country.get(id(cell)), agencies)

    def _incidents(self, found_cells: list[LocalEntity], rels: list[Relation],
                   cues: list[Mention]) -> None:
        frame = self._incident_frame(cues)
        if frame is None:
            return
        kind_cue, when = frame
        for n, cell in enumerate(found_cells or [None], 1):
            cell_id = self.ids.get(id(cell)) if cell is not None else None
            node = self.nodes.get(cell_id) if cell_id else None
            country = node.props.get("country") if node else None
            agencies = sorted(e.target for e in self.batch.edges
                              if e.source == cell_id and e.type == "DISMANTLED_BY")
            key = self._converging_key(kind_cue.ref, when, country, agencies) or \
                f"{self.article.id[:12]}-{n}"
            incident_id = make_id("incident", key)
            self._node(incident_id, "Incident",
                       {"kind": kind_cue.ref, "date": when.iso if when else None,
                        "date_precision": when.precision if when else "unknown",
                        "country": country,
                        "arrests": node.props.get("arrests") if node else None,
                        **self._incident_names(kind_cue.ref, node)},
                       [kind_cue], 0.7)
            if cell_id is None:
                continue
            self._edge("INVOLVED", incident_id, cell_id, kind_cue.sentence, 0.8)
            for e in list(self.batch.edges):
                mirror = INCIDENT_MIRRORS.get(e.type)
                if e.source != cell_id or mirror is None:
                    continue
                if self.nodes[e.target].label in ("Agency", "Organisation", "Region"):
                    self._append(Edge(mirror, incident_id, e.target, e.confidence, e.evidence))

    def _caches(self, found_cells, cues, entities) -> None:
        weapons = [c for c in cues if c.kind == "cue:weapons"]
        if not weapons or not found_cells:
            return
        items = sorted({c.ref for c in weapons})
        first = weapons[0]
        cell = found_cells[0]
        for c in found_cells:
            if any(m.sentence <= first.sentence for m in c.mentions):
                cell = c
        cache_id = make_id("cache", f"{self.article.id[:12]}-1")
        place = next((m for m in entities if m.sentence == first.sentence and m.kind == "Region"),
                     None)
        self._node(cache_id, "WeaponsCache",
                   {"name": with_details(label_word("WeaponsCache", self.lang), items[:3],
                                         self.lang), "items": items,
                    "place": self.doc.sentences[first.sentence].text[:200]}, [first], 0.7)
        self._edge("STORED", self.ids[id(cell)], cache_id, first.sentence, 0.7)
        if place is not None:
            self._edge("LOCATED_IN", cache_id, place.ref.id, first.sentence, 0.7)

    def _reference_facts(self) -> None:
        """Vocabulary facts about the entities mentioned: where agencies and organisations
        are based, which province a city lies in, whose branch a group is."""
        todo = [n.id for n in self.batch.nodes if n.id in self.gaz.entries]
        seen = set(todo)
        while todo:
            entry = self.gaz.entries[todo.pop()]
            for type_, targets in (("PART_OF", entry.parents), ("BASED_IN", entry.based_in)):
                for target_id in targets:
                    target = self.gaz.get(target_id)
                    if target is None:
                        continue
                    if target_id not in self.nodes:
                        self._node(target_id, target.label, {"name": target.name, **target.props},
                                   [], 1.0)
                    if target_id not in seen:
                        seen.add(target_id)
                        todo.append(target_id)
                    self._append(Edge(type_, entry.id, target_id, 1.0, None, origin="reference"))


_PROCLITICS = "وفبلك"


@lru_cache(maxsize=None)
def _takes_aliases(label: str) -> bool:
    """(The schema is loaded once: what a label allows is asked for every node.)"""
    return "aliases" in load_schema().node(label).allowed


@lru_cache(maxsize=4096)
def _folded_names(names: tuple[str, ...]) -> frozenset[str]:
    """An entry's aliases, folded (the same entries come back article after article)."""
    return frozenset(fold(k) for k in names)


def clean_aliases(texts: list[str], known: tuple[str, ...] = ()) -> list[str]:
    """The names an article gives a node, as names: without the Arabic prepositions and
    conjunctions written onto them ("للمديرية العامة" -> "المديرية العامة", "وبروكسل" ->
    "بروكسل" when the vocabulary knows "بروكسل"), one spelling per folded form, sorted."""
    return list(_clean_aliases(tuple(texts), tuple(known)))


@lru_cache(maxsize=1 << 14)
def _clean_aliases(texts: tuple[str, ...], known: tuple[str, ...]) -> tuple[str, ...]:
    """(An entity's names come back article after article: each set is cleaned once.)"""
    folded_known = _folded_names(known)
    out: dict[str, str] = {}
    for text in texts:
        name = _without_clitics(text, folded_known)
        out.setdefault(fold(name), name)
    return tuple(sorted(out.values()))


def _without_clitics(text: str, known: set[str]) -> str:
    if fold(text) in known:
        return text
    candidates = []
    if text.startswith("لل") and len(text) > 4:
        candidates.append("ال" + text[2:])
    for k in (1, 2):  # "ب", "وب"
        if len(text) > k + 2 and all(c in _PROCLITICS for c in text[:k]):
            candidates.append(text[k:])
            if text[k:].startswith("ل") and not text[k:].startswith("ال"):
                candidates.append("ال" + text[k + 1:])
    found = next((c for c in candidates if fold(c) in known), None)
    if found is not None:
        return found
    return candidates[0] if text.startswith("لل") and candidates else text
