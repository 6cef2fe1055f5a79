"""The summary nodes merge-candidates and agency-scorecard read (graph/summaries.py, NAMES and
SCORECARD): writes, re-writes, retractions, merges and their undoing leave them as a fresh
computation of the whole graph would, and a key's holders are listed while they are few."""
from __future__ import annotations

import threading
import time

from ctkg.graph.resolve import Resolver
from ctkg.graph.summaries import HOLDERS_CAP, STALE_SUMMARIES, backfill, update_summaries
from ctkg.graph.writer import GraphWriter
from ctkg.queries.library import get_query
from ctkg.queries.runner import run_query
from tests.queries import world

HS_FR = "https://le360.example/societe/bcij-had-soualem"
NADOR = "cell:nador"


def summary_nodes(driver) -> list[dict]:
    records, _, _ = driver.execute_query(
        "MATCH (n:NameHolder|NameKey|ScorecardEntry) "
        "RETURN labels(n)[0] AS label, properties(n) AS props ORDER BY props.id")
    return [r.data() for r in records]


def assert_fresh(driver) -> list[dict]:
    """The summary nodes are those a computation from scratch gives (backfill)."""
    kept = summary_nodes(driver)
    backfill(driver)
    assert summary_nodes(driver) == kept
    return kept


def node(driver, node_id: str) -> dict | None:
    records, _, _ = driver.execute_query(
        "MATCH (n:NameHolder|NameKey|ScorecardEntry {id: $id}) RETURN properties(n) AS p",
        id=node_id)
    return records[0]["p"] if records else None


def rows(driver, query_id: str, **params) -> list[dict]:
    return run_query(driver, get_query(query_id), {k: str(v) for k, v in params.items()},
                     limit=None).rows


def test_the_writer_keeps_them_as_a_fresh_computation_would(driver):
    world.build(driver, backfilled=False)
    nodes = assert_fresh(driver)
    assert {n["label"] for n in nodes} == {"NameHolder", "NameKey", "ScorecardEntry"}
    holder = node(driver, "holder:" + NADOR)
    assert holder["label"] == "Cell" and holder["entity"] == NADOR and holder["keys"]
    key = node(driver, f"namekey:Cell|{holder['keys'][0]}")
    assert NADOR in key["holders"] and key["size"] == len(key["holders"])
    entries = [n["props"] for n in nodes if n["label"] == "ScorecardEntry"]
    assert entries and all(e["year"] == "" or e["year"].isdigit() for e in entries)


def test_writing_the_same_again_changes_nothing(driver):
    world.build(driver, backfilled=False)
    before = summary_nodes(driver)
    writer = GraphWriter(driver)
    counters = writer.write_many(make().batch for make in world.RUN1 + world.RUN2)
    assert sum(counters.values()) == 0
    with driver.session() as session:
        ids = [r["id"] for r in session.run("MATCH (n) WHERE n.id IS NOT NULL RETURN n.id AS id")]
        assert session.execute_write(update_summaries, ids) == 0
    assert summary_nodes(driver) == before


def test_a_retraction_leaves_them_fresh_and_takes_what_went(driver):
    world.build(driver)
    gao = "https://rfi.example/fr/afrique/gao-embuscade"
    gone = [r["id"] for r in driver.execute_query(
        "MATCH (a:Article {locator: $l})-[:MENTIONS]->(n:Cell|Person|Organisation) "
        "WHERE COUNT { (n)<-[:MENTIONS]-() } = 1 RETURN n.id AS id", l=gao).records]
    writer = GraphWriter(driver)
    writer.retract(world.article(HS_FR).article.id)
    writer.retract(world.article(gao).article.id)
    assert_fresh(driver)
    assert gone
    for entity in gone:
        assert node(driver, "holder:" + entity) is None
    assert not driver.execute_query(
        "MATCH (e:ScorecardEntry) WHERE NOT EXISTS { MATCH (:Cell {id: e.cell}) } "
        "RETURN e").records


def test_a_merge_and_its_undoing_leave_them_fresh(driver):
    world.build(driver)
    before = summary_nodes(driver)
    cells = [r["id"] for r in driver.execute_query(
        "MATCH (c:Cell)-[:DISMANTLED_BY]->(:Agency) RETURN DISTINCT c.id AS id ORDER BY id"
    ).records]
    resolver = Resolver(driver)
    merged = resolver.accept(cells[0], cells[1])
    after = assert_fresh(driver)
    assert node(driver, "holder:" + cells[1]) is None and after != before
    resolver.undo(merged["id"])
    assert assert_fresh(driver) == before


def test_a_pair_judged_different_is_not_listed_again(driver):
    world.build(driver)
    with driver.session() as session:  # two regions of one name: a candidate pair
        session.run("CREATE (:Region {id: 'region:x-1', name: 'Fès'}), "
                    "(:Region {id: 'region:x-2', name: ' FÈS', aliases: ['Fez']})").consume()
        session.execute_write(update_summaries, ["region:x-1", "region:x-2"])
    pair = {"label": "Region", "left_id": "region:x-1", "right_id": "region:x-2"}

    def listed() -> bool:
        return any({k: r[k] for k in pair} == pair for r in rows(driver, "merge-candidates"))

    assert listed()
    resolver = Resolver(driver)
    resolver.reject("region:x-1", "region:x-2")
    assert not listed()
    resolver.undo("region:x-1")
    assert listed()


def test_a_generic_key_is_a_count_and_gets_its_holders_back_when_few(driver):
    ids = [f"cell:c{n:03}" for n in range(HOLDERS_CAP + 1)]
    driver.execute_query("UNWIND $ids AS id CREATE (:Cell {id: id, name: 'The cell '})",
                         ids=ids)
    with driver.session() as session:
        session.execute_write(update_summaries, ids)
    key = node(driver, "namekey:Cell|the cell")
    assert key["size"] == HOLDERS_CAP + 1 and "holders" not in key
    assert rows(driver, "merge-candidates", max_sharing=HOLDERS_CAP) == []
    driver.execute_query("MATCH (c:Cell {id: $id}) DETACH DELETE c", id=ids[0])
    with driver.session() as session:
        session.execute_write(update_summaries, [ids[0]])
    key = node(driver, "namekey:Cell|the cell")
    assert key["size"] == HOLDERS_CAP and key["holders"] == ids[1:]
    assert len(rows(driver, "merge-candidates", max_sharing=HOLDERS_CAP)) == \
        HOLDERS_CAP * (HOLDERS_CAP - 1) // 2
    assert_fresh(driver)


def test_merge_candidates_never_asks_for_more_holders_than_are_kept():
    (param,) = [p for p in get_query("merge-candidates").params if p.name == "max_sharing"]
    assert param.bounds[1] <= HOLDERS_CAP


def test_a_graph_written_without_them_gets_them_at_the_next_start(driver):
    # A graph an older ctkg wrote has no summary nodes: the writer's start (ensure_schema, at
    # every ingest and refresh) finds it stale and computes them, and the queries answer.
    world.build(driver)
    stale = lambda: driver.execute_query(STALE_SUMMARIES).records[0]["stale"]  # noqa: E731
    assert not stale()
    kept = summary_nodes(driver)
    expected = rows(driver, "agency-scorecard")
    driver.execute_query("MATCH (n:NameHolder|NameKey|ScorecardEntry) DETACH DELETE n")
    assert stale() and rows(driver, "agency-scorecard") == []
    GraphWriter(driver).ensure_schema()
    assert not stale()
    assert summary_nodes(driver) == kept and expected
    assert rows(driver, "agency-scorecard") == expected


def test_a_key_waits_for_a_concurrent_write_of_that_key(driver):
    # Two transactions give two new cells the same name: the second must apply its change to
    # the key after the first commits, or one of the two holders would be lost.
    driver.execute_query("CREATE (:Cell {id: 'cell:a', name: 'x'}), (:Cell {id: 'cell:b', "
                         "name: 'X'}), (:Cell {id: 'cell:c', name: 'x '})")
    with driver.session() as session:
        session.execute_write(update_summaries, ["cell:a"])

    def write(cell):
        with driver.session() as session:
            session.execute_write(update_summaries, [cell])

    with driver.session() as first, first.begin_transaction() as tx:
        update_summaries(tx, ["cell:b"])  # the key is locked until this commits
        second = threading.Thread(target=write, args=("cell:c",))
        second.start()
        time.sleep(1.0)
        assert second.is_alive()
        tx.commit()
    second.join(30)
    assert node(driver, "namekey:Cell|x")["holders"] == ["cell:a", "cell:b", "cell:c"]
