"""The scorer (ANNOTATION.md §1) on tiny hand-made gold/prediction pairs, counted by hand."""
from __future__ import annotations

import pytest

from ctkg.loaders.evaluate import ENTITY_TYPES, RELATION_TYPES, report, score_article

TEXT = ("Police said the cell of ISIS was dismantled by BCIJ in Tangier. "
        "Expert Ali Haddad said the cell was dangerous.")

GOLD = {
    "id": "t-001", "lang": "ar",
    "entities": [
        {"key": "cell1", "type": "Cell", "name": None, "mentions": ["the cell"]},
        {"key": "isis", "type": "Organisation", "name": "Islamic State", "mentions": ["ISIS"]},
        {"key": "bcij", "type": "Agency", "name": "BCIJ", "mentions": ["BCIJ"]},
        {"key": "tangier", "type": "Region", "name": "Tangier", "mentions": ["Tangier"]},
        {"key": "ali", "type": "Person", "name": "Ali Haddad", "mentions": ["Ali Haddad"]},
        {"key": "st1", "type": "Statement", "speaker": "ali",
         "mentions": ["the cell was dangerous"]},
    ],
    "relations": [
        {"type": "DIRECTED_BY", "source": "cell1", "target": "isis"},
        {"type": "DISMANTLED_BY", "source": "cell1", "target": "bcij"},
        {"type": "OPERATED_IN", "source": "cell1", "target": "tangier"},
        {"type": "COMMENTED_ON", "source": "ali", "target": "cell1"},
    ],
}


def span(text: str, start: int | None = None, occurrence: int = 0) -> dict:
    """A mention of `text` in TEXT (the n-th occurrence), or at an explicit start."""
    if start is None:
        start = -1
        for _ in range(occurrence + 1):
            start = TEXT.index(text, start + 1)
    assert TEXT[start:start + len(text)] == text
    return {"text": text, "start": start, "end": start + len(text)}


def node(node_id: str, label: str, *mentions: dict, **props) -> dict:
    return {"id": node_id, "label": label, **props, "mentions": list(mentions)}


def edge(type_: str, source: str, target: str) -> dict:
    return {"type": type_, "source": source, "target": target}


def counts(tally, key=None) -> tuple[int, int, int]:
    row = tally.row(key)
    return row["tp"], row["fp"], row["fn"]


def by_type(tally) -> dict:
    keys = set(tally.tp) | set(tally.fp) | set(tally.fn)
    return {k: counts(tally, k) for k in sorted(keys)}


# -- entities ------------------------------------------------------------------------------
PRED_A = {
    "nodes": [
        # "cell" overlaps the gold mention "the cell" in part: a match
        node("cell:x", "Cell", span("cell")),
        node("org:isis", "Organisation", span("ISIS")),
        # "IS" inside "ISIS": overlaps the already matched gold entity -> duplicate, FP
        node("org:is", "Organisation", span("IS", start=TEXT.index("ISIS"))),
        node("agency:bcij", "Agency", span("BCIJ")),
        # a Region overlapping no gold Region -> FP
        node("region:police", "Region", span("Police")),
        # a vocabulary node without mentions is not scored
        node("region:ma", "Region"),
    ],
    "edges": [
        edge("DIRECTED_BY", "cell:x", "org:isis"),           # TP
        edge("DIRECTED_BY", "cell:x", "org:is"),             # endpoint unmatched -> FP
        edge("DISMANTLED_BY", "cell:x", "agency:bcij"),      # TP
        edge("OPERATED_IN", "cell:x", "region:police"),      # endpoint unmatched -> FP
        edge("BASED_IN", "agency:bcij", "region:ma"),        # not a scored type
    ],
}


def test_entities_overlap_duplicates_and_misses():
    score = score_article(GOLD, TEXT, PRED_A)
    assert by_type(score.entities) == {
        "Agency": (1, 0, 0),
        "Cell": (1, 0, 0),
        "Organisation": (1, 1, 0),
        "Person": (0, 0, 1),
        "Region": (0, 1, 1),
        "Statement": (0, 0, 1),
    }
    assert counts(score.entities) == (3, 2, 3)
    row = score.entities.row()
    assert (row["precision"], row["recall"], row["f1"]) == (0.6, 0.5, 0.545)
    assert any("duplicate" in m for m in score.misses)


def test_relations_need_both_endpoints_mapped():
    score = score_article(GOLD, TEXT, PRED_A)
    assert by_type(score.relations) == {
        "COMMENTED_ON": (0, 0, 1),
        "DIRECTED_BY": (1, 1, 0),
        "DISMANTLED_BY": (1, 0, 0),
        "OPERATED_IN": (0, 1, 1),
    }
    assert counts(score.relations) == (2, 2, 2)


def test_a_node_of_another_type_does_not_match():
    pred = {"nodes": [node("agency:isis", "Agency", span("ISIS"))], "edges": []}
    score = score_article(GOLD, TEXT, pred)
    assert counts(score.entities, "Agency") == (0, 1, 1)
    assert counts(score.entities, "Organisation") == (0, 0, 1)


def test_a_perfect_prediction():
    pred = {
        "nodes": [
            node("cell:x", "Cell", span("the cell"), span("the cell", occurrence=1)),
            node("org:isis", "Organisation", span("ISIS")),
            node("agency:bcij", "Agency", span("BCIJ")),
            node("region:tangier", "Region", span("Tangier")),
            node("person:ali", "Person", span("Ali Haddad")),
            node("stmt:1", "Statement", span("the cell was dangerous"),
                 text="the cell was dangerous", speaker="person:ali"),
        ],
        "edges": [
            edge("DIRECTED_BY", "cell:x", "org:isis"),
            edge("DISMANTLED_BY", "cell:x", "agency:bcij"),
            edge("OPERATED_IN", "cell:x", "region:tangier"),
            edge("MADE", "person:ali", "stmt:1"),
            edge("COMMENTED_ON", "stmt:1", "cell:x"),
        ],
    }
    score = score_article(GOLD, TEXT, pred)
    assert counts(score.entities) == (6, 0, 0)
    assert counts(score.relations) == (4, 0, 0)
    assert score.misses == []


# -- endpoint mapping: Statement -> speaker, Incident -> Cell -------------------------------
def statement_pred(*edges_) -> dict:
    return {
        "nodes": [
            node("cell:x", "Cell", span("the cell")),
            node("person:ali", "Person", span("Ali Haddad")),
            # no `speaker` property: the speaker is known only through MADE
            node("stmt:1", "Statement", span("the cell was dangerous"),
                 text="the cell was dangerous"),
        ],
        "edges": list(edges_),
    }


def test_a_statements_comment_counts_for_its_speaker():
    pred = statement_pred(edge("MADE", "person:ali", "stmt:1"),
                          edge("COMMENTED_ON", "stmt:1", "cell:x"))
    score = score_article(GOLD, TEXT, pred)
    assert counts(score.relations, "COMMENTED_ON") == (1, 0, 0)
    assert counts(score.entities) == (3, 0, 3)  # Cell, Person, Statement found
    assert counts(score.relations) == (1, 0, 3)  # MADE itself is not scored


def test_a_statement_without_a_known_speaker_does_not_count():
    pred = statement_pred(edge("COMMENTED_ON", "stmt:1", "cell:x"))
    score = score_article(GOLD, TEXT, pred)
    # the Statement maps to the gold Statement, not to the speaker the gold relation names
    assert counts(score.relations, "COMMENTED_ON") == (0, 1, 1)


def test_an_incident_counts_as_its_cell():
    gold = {**GOLD, "relations": [
        {"type": "TARGETED", "source": "cell1", "target": "tangier"},
        {"type": "COMMENTED_ON", "source": "ali", "target": "cell1"},
    ]}
    pred = statement_pred(
        edge("INVOLVED", "incident:1", "cell:x"),
        edge("TARGETED", "incident:1", "region:tangier"),
        edge("MADE", "person:ali", "stmt:1"),
        edge("COMMENTED_ON", "stmt:1", "incident:1"),
    )
    pred["nodes"] += [
        node("incident:1", "Incident", span("dismantled"), kind="dismantlement"),
        node("region:tangier", "Region", span("Tangier")),
    ]
    score = score_article(gold, TEXT, pred)
    assert by_type(score.relations) == {"COMMENTED_ON": (1, 0, 0), "TARGETED": (1, 0, 0)}
    # the Incident node itself is neither a hit nor a false positive
    assert sum(score.entities.fp.values()) == 0
    assert counts(score.entities) == (4, 0, 2)


# -- report --------------------------------------------------------------------------------
FR_TEXT = "La police a démantelé une cellule à Tanger."
FR_GOLD = {"id": "t-fr", "lang": "fr", "relations": [], "entities": [
    {"key": "tanger", "type": "Region", "name": "Tangier", "mentions": ["Tanger"]}]}
FR_PRED = {"nodes": [{"id": "region:tanger", "label": "Region", "name": "Tangier",
                      "mentions": [{"text": "Tanger", "start": 36, "end": 42}]}],
           "edges": []}


@pytest.fixture
def rows() -> list[dict]:
    assert FR_TEXT[36:42] == "Tanger"
    scores = [score_article(GOLD, TEXT, PRED_A), score_article(FR_GOLD, FR_TEXT, FR_PRED)]
    return report(scores)


def row(rows, lang, kind, type_) -> dict:
    [r] = [r for r in rows if (r["lang"], r["kind"], r["type"]) == (lang, kind, type_)]
    return r


def test_report_has_rows_per_language_type_and_overall(rows):
    langs = [r["lang"] for r in rows]
    assert list(dict.fromkeys(langs)) == ["ar", "fr", "all"]
    per_lang = len(ENTITY_TYPES) + 1 + len(RELATION_TYPES) + 1
    assert len(rows) == 3 * per_lang
    for lang in ("ar", "fr", "all"):
        assert [r["type"] for r in rows if r["lang"] == lang and r["kind"] == "entity"] == [
            *ENTITY_TYPES, "ALL"]
        assert [r["type"] for r in rows if r["lang"] == lang and r["kind"] == "relation"] == [
            *RELATION_TYPES, "ALL"]


def test_report_per_language_rows(rows):
    assert row(rows, "ar", "entity", "Organisation") == {
        "lang": "ar", "kind": "entity", "type": "Organisation",
        "tp": 1, "fp": 1, "fn": 0, "precision": 0.5, "recall": 1.0, "f1": 0.667}
    r = row(rows, "ar", "entity", "ALL")
    assert (r["tp"], r["fp"], r["fn"], r["f1"]) == (3, 2, 3, 0.545)
    r = row(rows, "fr", "entity", "ALL")
    assert (r["tp"], r["fp"], r["fn"], r["f1"]) == (1, 0, 0, 1.0)
    r = row(rows, "fr", "relation", "ALL")
    assert (r["tp"], r["fp"], r["fn"], r["f1"]) == (0, 0, 0, 0.0)


def test_report_all_rows_are_micro_averaged(rows):
    # micro: 4 TP, 2 FP, 3 FN -> P 4/6, R 4/7, F1 8/13 (the mean of 0.545 and 1.0 would be 0.773)
    r = row(rows, "all", "entity", "ALL")
    assert (r["tp"], r["fp"], r["fn"]) == (4, 2, 3)
    assert (r["precision"], r["recall"], r["f1"]) == (0.667, 0.571, 0.615)
    r = row(rows, "all", "entity", "Region")
    assert (r["tp"], r["fp"], r["fn"]) == (1, 1, 1)
    r = row(rows, "all", "relation", "ALL")
    assert (r["tp"], r["fp"], r["fn"], r["f1"]) == (2, 2, 2, 0.5)


# -- confidence thresholds ----------------------------------------------------------------
def confident_pred() -> dict:
    def sure(type_, source, target, confidence):
        return {**edge(type_, source, target), "confidence": confidence}

    return {
        "nodes": [
            node("cell:x", "Cell", span("the cell")),
            node("org:isis", "Organisation", span("ISIS")),
            node("agency:bcij", "Agency", span("BCIJ")),
            node("region:tangier", "Region", span("Tangier")),
            node("person:ali", "Person", span("Ali Haddad")),
            node("stmt:1", "Statement", span("the cell was dangerous"), speaker="person:ali"),
        ],
        "edges": [
            sure("DIRECTED_BY", "cell:x", "org:isis", 0.85),
            sure("DISMANTLED_BY", "cell:x", "agency:bcij", 0.7),
            sure("OPERATED_IN", "cell:x", "org:isis", 0.7),  # wrong, and unsure
            sure("MADE", "person:ali", "stmt:1", 0.8),
            sure("COMMENTED_ON", "stmt:1", "cell:x", 0.9),
        ],
    }


def test_a_threshold_keeps_only_the_edges_at_or_above_it():
    pred = confident_pred()
    assert counts(score_article(GOLD, TEXT, pred).relations) == (3, 1, 1)
    assert counts(score_article(GOLD, TEXT, pred, min_confidence=0.8).relations) == (2, 0, 2)
    # a statement's comment is as sure as the weaker of its MADE and COMMENTED_ON
    assert counts(score_article(GOLD, TEXT, pred, min_confidence=0.85).relations) == (1, 0, 3)


def test_threshold_rows_trade_recall_for_precision():
    from ctkg.loaders.evaluate import threshold_rows

    rows = threshold_rows([(GOLD, TEXT, confident_pred())], thresholds=(0.0, 0.8))
    ar = {r["min_confidence"]: r for r in rows if r["lang"] == "ar"}
    assert (ar[0.0]["precision"], ar[0.0]["recall"]) == (0.75, 0.75)
    assert (ar[0.8]["precision"], ar[0.8]["recall"]) == (1.0, 0.5)
    assert [r["lang"] for r in rows] == ["ar", "all", "ar", "all"]
