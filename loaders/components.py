"""The rule components of the pipelines, registered under versioned names.

Each reads and extends the article's `Extraction` (`doc._.ctkg`); the last one turns it into
a GraphBatch validated against graph/schema.yaml. A component's version changes when what it
produces changes for the same input.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from ctkg.loaders.cells import cells
from ctkg.loaders.cues import Lexicon, cue_mentions
from ctkg.loaders.entities import (gazetteer_mentions, kingdom_mentions, locality_mentions,
                                   national_agencies, organisation_anaphora)
from ctkg.loaders.gazetteer import Gazetteer
from ctkg.loaders.persons import persons
from ctkg.loaders.pipeline import Document, LocalEntity, Mention
from ctkg.loaders.relations import Context, Relation, extract_relations
from ctkg.loaders.statements import statements
from ctkg.loaders.tokens import token_table

# In pipeline order (after the tokenizer and ctkg_sentences_v1).
RULES = ("ctkg_cues_v1", "ctkg_entities_v1", "ctkg_cells_v1", "ctkg_persons_v1",
         "ctkg_statements_v1", "ctkg_relations_v1", "ctkg_batch_v1")


@dataclass
class Extraction:
    """What the components know of one article so far."""

    lang: str
    lexicon: Lexicon
    gazetteer: Gazetteer  # the article's own view: what it adds stays with it
    extractor: str
    version: str
    document: Document | None = None
    cues: list[Mention] = field(default_factory=list)
    entities: list[Mention] = field(default_factory=list)
    cells: list[LocalEntity] = field(default_factory=list)
    persons: list[LocalEntity] = field(default_factory=list)
    statements: list[LocalEntity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    batch: object = None  # GraphBatch


def _state(doc: Doc) -> Extraction:
    state = doc._.ctkg
    if state is None:
        raise ValueError("run the pipeline through ctkg.loaders.extractor.extract(): "
                         "the rule components need the article's Extraction")
    if state.document is None:
        state.document = Document.of(doc.user_data["ctkg.raw"], doc)
    return state


def _spans(doc: Doc, key: str, mentions: list[Mention]) -> None:
    """Mentions as doc.spans[key], labelled with their kind (for displaCy and debugging); the
    tokens are found in the tokenizer's offsets (`Doc.char_span` reads tokens one by one)."""
    table = token_table(doc)
    spans = []
    for m in mentions:
        tokens = table.touching(m.start, m.end)
        if tokens is not None:
            spans.append(Span(doc, *tokens, label=m.kind))
    doc.spans[key] = spans


@Language.component("ctkg_cues_v1")
def cue_component(doc: Doc) -> Doc:
    state = _state(doc)
    state.cues = cue_mentions(state.document, state.lexicon)
    _spans(doc, "cues", state.cues)
    return doc


@Language.component("ctkg_entities_v1")
def entity_component(doc: Doc) -> Doc:
    state = _state(doc)
    d, gaz, lex = state.document, state.gazetteer, state.lexicon
    entities = national_agencies(d, gaz, lex, gazetteer_mentions(d, gaz, lex, state.cues))
    entities += kingdom_mentions(d, lex, state.cues, gaz, entities)
    entities += locality_mentions(d, lex, gaz, entities, state.cues)
    state.entities = entities
    _spans(doc, "entities", entities)
    return doc


@Language.component("ctkg_cells_v1")
def cell_component(doc: Doc) -> Doc:
    state = _state(doc)
    state.cells = cells(state.document, state.lexicon, state.cues, state.entities)
    _spans(doc, "cells", [m for c in state.cells for m in c.mentions])
    return doc


@Language.component("ctkg_persons_v1")
def person_component(doc: Doc) -> Doc:
    state = _state(doc)
    state.persons = persons(state.document, state.lexicon, state.cues, state.entities)
    for p in state.persons:
        for m in p.mentions:
            m.ref = p
    _spans(doc, "persons", [m for p in state.persons for m in p.mentions])
    return doc


@Language.component("ctkg_statements_v1")
def statement_component(doc: Doc) -> Doc:
    state = _state(doc)
    speakers = [m for m in state.entities if m.kind == "Agency"] + \
        [m for p in state.persons for m in p.mentions]
    state.statements = statements(state.document, state.lexicon, state.cues, speakers)
    _spans(doc, "statements", [m for s in state.statements for m in s.mentions])
    return doc


@Language.component("ctkg_relations_v1")
def relation_component(doc: Doc) -> Doc:
    state = _state(doc)
    ctx = Context(state.document, state.lexicon, state.cues, state.entities, state.cells,
                  state.persons, state.statements)
    ctx.org_anaphora = organisation_anaphora(state.cues, state.entities)
    state.relations = extract_relations(ctx)
    return doc


@Language.component("ctkg_batch_v1")
def batch_component(doc: Doc) -> Doc:
    """The typed GraphBatch, checked against the schema: an invalid batch never leaves."""
    from ctkg.loaders.assemble import Assembler

    state = _state(doc)
    batch = Assembler(state.document, state.lang, state.gazetteer, state.extractor,
                      state.version).build(state.entities, state.cells, state.persons,
                                           state.statements, state.relations, state.cues)
    batch.validate()
    state.batch = batch
    return doc
