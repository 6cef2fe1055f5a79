"""The writer against the real Neo4j: idempotence, merges, updates, provenance, constraints."""
from __future__ import annotations

import threading

import neo4j
import pytest

from ctkg.graph.model import BatchError, Edge, Node
from ctkg.graph.provenance import provenance
from ctkg.graph.summaries import update_summaries
from ctkg.graph.writer import schema_statements
from ctkg.graph.schema import load_schema
from ctkg.queries.library import get_query
from ctkg.queries.runner import run_query

from tests.graph.batches import article_batch
from tests.test_cli_articles import snapshot
from tests.test_cli_pipe import stable

TEXT_A = "خلية بتوجيه من داعش فككها المكتب المركزي للأبحاث القضائية."
TEXT_B = "Une cellule liée à Daech a été démantelée par le BCIJ à Tanger."


def batch_a(text=TEXT_A, locator="in/a.txt"):
    return article_batch(text, locator, [
        ("Cell", "cell:a1", "cell a1", "خلية"),
        ("Organisation", "org:islamic-state", "Islamic State", "داعش"),
        ("Agency", "agency:bcij", "Central Bureau of Judicial Investigation",
         "المكتب المركزي للأبحاث القضائية"),
        ("DIRECTED_BY", "cell:a1", "org:islamic-state", text),
        ("DISMANTLED_BY", "cell:a1", "agency:bcij", text),
    ])


def batch_b():
    return article_batch(TEXT_B, "in/b.txt", [
        ("Cell", "cell:b1", "cell b1", "cellule"),
        ("Organisation", "org:islamic-state", "Islamic State", "Daech"),
        ("Agency", "agency:bcij", "Central Bureau of Judicial Investigation", "BCIJ"),
        ("DISMANTLED_BY", "cell:b1", "agency:bcij", TEXT_B),
        ("AFFILIATED_WITH", "cell:b1", "org:islamic-state", TEXT_B),
    ], lang="fr")



def count(driver, query, **params):
    return driver.execute_query(query, **params).records[0][0]


# The graph's nodes but the summary nodes the writer keeps for the query library (derived:
# not counted by the writer's counters).
NODES = "MATCH (n) WHERE NOT n:NameHolder|NameKey|ScorecardEntry RETURN count(n)"


def test_second_ingest_changes_nothing(writer, driver):
    first = writer.write(batch_a())
    assert first["nodes_created"] == 1 + 3 + 3 + 2  # article, entities, evidence x5
    second = writer.write(batch_a())
    assert sum(second.values()) == 0, second
    assert count(driver, NODES) == first["nodes_created"]


def test_same_entity_from_two_articles_is_one_node_with_both_provenances(writer, driver):
    writer.write(batch_a())
    writer.write(batch_b())
    assert count(driver, "MATCH (o:Organisation) RETURN count(o)") == 1
    aliases = count(driver, "MATCH (o:Organisation {id: 'org:islamic-state'}) RETURN o.aliases")
    assert sorted(aliases) == ["Daech", "داعش"]
    sources = provenance(driver, "org:islamic-state")
    assert sorted(r["locator"] for r in sources) == ["in/a.txt", "in/b.txt"]
    assert count(driver, "MATCH (:Article)-[m:MENTIONS]->(:Agency) RETURN count(m)") == 2


def test_provenance_of_a_relationship_gives_sentence_offsets_and_extractor(writer, driver):
    batch = batch_a()
    writer.write(batch)
    edge = next(e for e in batch.edges if e.type == "DIRECTED_BY")
    rel_id = count(driver, "MATCH (:Cell)-[r:DIRECTED_BY]->() RETURN r.id")
    assert rel_id == edge.id
    [row] = provenance(driver, rel_id)
    assert row["sentence"] == TEXT_A
    assert (row["start"], row["end"]) == (0, len(TEXT_A))
    assert (row["extractor"], row["extractor_version"], row["confidence"]) == ("test", "1", 0.9)
    assert row["first_seen"] and row["last_seen"]


def test_changed_article_replaces_its_facts_but_keeps_facts_others_support(writer, driver):
    writer.write(batch_a())
    writer.write(batch_b())
    # The same file, edited: the cell is no longer said to be directed by IS.
    edited = "خلية فككها المكتب المركزي للأبحاث القضائية."
    new = article_batch(edited, "in/a.txt", [
        ("Cell", "cell:a1", "cell a1", "خلية"),
        ("Agency", "agency:bcij", "Central Bureau of Judicial Investigation",
         "المكتب المركزي للأبحاث القضائية"),
        ("DISMANTLED_BY", "cell:a1", "agency:bcij", edited),
    ])
    counters = writer.write(new)
    assert counters["relationships_deleted"] >= 1
    assert count(driver, "MATCH (a:Article {locator: 'in/a.txt'}) RETURN count(a)") == 1
    assert count(driver, "MATCH ()-[r:DIRECTED_BY]->() RETURN count(r)") == 0
    # Islamic State stays: article b still supports it, and only b's provenance remains.
    assert [r["locator"] for r in provenance(driver, "org:islamic-state")] == ["in/b.txt"]
    assert count(driver, "MATCH (:Cell {id:'cell:b1'})-[r:AFFILIATED_WITH]->() RETURN count(r)") == 1
    assert count(driver, "MATCH (c:Cell) RETURN count(c)") == 2


def test_retract_removes_only_unsupported_facts(writer, driver):
    writer.write(batch_a())
    writer.write(batch_b())
    writer.retract(batch_b().article.id)
    assert count(driver, "MATCH (c:Cell {id: 'cell:b1'}) RETURN count(c)") == 0
    assert count(driver, "MATCH (o:Organisation) RETURN count(o)") == 1
    assert count(driver, "MATCH ()-[r:DIRECTED_BY]->() RETURN count(r)") == 1


def test_uniqueness_constraint_refuses_a_duplicate_id(writer, driver):
    writer.write(batch_a())
    with pytest.raises(neo4j.exceptions.ConstraintError):
        driver.execute_query("CREATE (:Organisation {id: 'org:islamic-state', name: 'dup'})")


def test_fulltext_indexes_use_the_three_analyzers(writer, driver):
    rows = driver.execute_query(
        "SHOW FULLTEXT INDEXES YIELD name, options RETURN name, "
        "options.indexConfig['fulltext.analyzer'] AS analyzer").records
    analyzers = {r["name"]: r["analyzer"] for r in rows}
    assert analyzers == {"ctkg_names_arabic": "arabic", "ctkg_names_french": "french",
                         "ctkg_names_english": "english"}
    writer.write(batch_b())
    hits = driver.execute_query(
        "CALL db.index.fulltext.queryNodes('ctkg_names_french', 'daech') YIELD node "
        "RETURN node.id AS id").records
    assert [h["id"] for h in hits] == ["org:islamic-state"]


def test_batch_refused_when_it_breaks_the_schema():
    bad = batch_a()
    bad.edges.append(Edge("DIRECTED_BY", "agency:bcij", "org:islamic-state", 0.5,
                          bad.edges[0].evidence))
    with pytest.raises(BatchError, match="DIRECTED_BY cannot connect a Agency"):
        bad.validate()
    unknown = batch_a()
    unknown.nodes.append(Node("org:x", "Organisation", {"name": "X", "colour": "red"}))
    with pytest.raises(BatchError, match="no property"):
        unknown.validate()


def test_schema_statements_cover_every_label_and_type():
    schema = load_schema()
    stmts = "\n".join(schema_statements(schema))
    for label in schema.nodes:
        assert f"FOR (n:`{label}`) REQUIRE n.id IS UNIQUE" in stmts
    for type_ in schema.relationships:
        assert f"FOR ()-[r:`{type_}`]-() ON (r.id)" in stmts


def test_new_extractor_version_replaces_the_old_reading(writer, driver):
    writer.write(batch_a())
    again = batch_a()
    again.extractor_version = "2"
    again.edges = [e for e in again.edges if e.type != "DIRECTED_BY"]
    counters = writer.write(again)
    assert counters["relationships_deleted"] >= 1
    assert count(driver, "MATCH ()-[r:DIRECTED_BY]->() RETURN count(r)") == 0
    assert count(driver, "MATCH (a:Article) RETURN a.extractor_version") == "2"
    assert sum(writer.write(again).values()) == 0


def test_an_article_reports_its_incident(writer, driver):
    text = "تفكيك خلية إرهابية بطنجة."
    batch = article_batch(text, "in/i.txt", [("Incident", "incident:x", "dismantlement", "تفكيك")])
    batch.nodes[0].props = {"kind": "dismantlement", "name": "dismantlement"}
    writer.write(batch)
    assert count(driver, "MATCH (:Article)-[r:REPORTS]->(:Incident {id: 'incident:x'}) "
                         "RETURN count(r)") == 1
    assert count(driver, "MATCH ()-[r:REPORTS]->() RETURN r.id").startswith("rel:")
    assert sum(writer.write(batch).values()) == 0


# -- sets, origin, retraction, copies (issue 12) --------------------------------------------
def org_batch(n: int, alias: str, locator: str | None = None, source: str | None = None):
    text = f"{n}: {alias} خلية فككها المكتب المركزي."
    batch = article_batch(text, locator or f"in/{n}.txt", [
        ("Organisation", "org:islamic-state", "Islamic State", alias)])
    batch.article.source = source
    return batch


def with_reference(batch):
    """The article also names the BCIJ; the vocabulary brings in its parent, the DGST."""
    said = batch.nodes[0].evidence
    batch.nodes.append(Node("agency:bcij", "Agency", {"name": "BCIJ", "aliases": [said.text]},
                            [said], said))
    batch.nodes.append(Node("agency:dgst", "Agency", {"name": "DGST", "aliases": ["DGST"]}))
    batch.edges.append(Edge("PART_OF", "agency:bcij", "agency:dgst", 1.0, None,
                            origin="reference"))
    return batch


def aliases(driver):
    return count(driver, "MATCH (o:Organisation {id: 'org:islamic-state'}) RETURN o.aliases")


def test_aliases_are_a_sorted_set_whatever_the_chunking(writer, driver):
    names = ["داعش", "Daech", "ISIS", "Daech", "داعش", "ISIS", "État islamique"]
    writer.write_many([org_batch(n, a) for n, a in enumerate(names)])
    in_one_chunk = aliases(driver)
    assert in_one_chunk == sorted(set(names))
    driver.execute_query("MATCH (n) DETACH DELETE n")
    for n, a in reversed(list(enumerate(names))):
        writer.write(org_batch(n, a))
    assert aliases(driver) == in_one_chunk


def test_concurrent_writers_lose_no_alias(writer, driver):
    writer.write(org_batch(0, "داعش"))  # the node exists: every writer updates it
    names = [f"alias {k:02d}" for k in range(24)]

    def write(part):
        for k in part:
            writer.write_many([org_batch(100 + k, names[k]), org_batch(200 + k, "داعش")])

    threads = [threading.Thread(target=write, args=(range(t, 24, 4),)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert aliases(driver) == sorted({"داعش", *names})


def test_origin_follows_the_evidence_not_the_write_order(writer, driver):
    first = with_reference(org_batch(1, "داعش"))
    writer.write(first)
    origin = "MATCH (a:Agency {id: $id}) RETURN a.origin"
    assert count(driver, origin, id="agency:dgst") == "reference"
    assert count(driver, origin, id="agency:bcij") is None
    text = "المديرية العامة DGST"
    says_dgst = article_batch(text, "in/dgst.txt", [("Agency", "agency:dgst", "DGST", "DGST")])
    writer.write(says_dgst)
    assert count(driver, origin, id="agency:dgst") is None  # an article supports it now
    writer.write(with_reference(org_batch(1, "داعش")))  # the reference row comes later
    assert count(driver, origin, id="agency:dgst") is None
    writer.retract(says_dgst.article.id)
    assert count(driver, origin, id="agency:dgst") == "reference"  # BCIJ still points to it
    assert count(driver, "MATCH ()-[r:PART_OF]->() RETURN r.origin") == "reference"


def test_changed_article_leaves_no_stale_reference_facts(writer, driver):
    writer.write(with_reference(org_batch(1, "داعش", locator="in/a.txt")))
    writer.write(org_batch(2, "Daech", locator="in/b.txt"))
    assert count(driver, "MATCH (a:Agency) RETURN count(a)") == 2
    writer.write(org_batch(3, "داعش", locator="in/a.txt"))  # edited: no agency any more
    assert count(driver, "MATCH (a:Agency) RETURN count(a)") == 0
    assert count(driver, "MATCH ()-[r:PART_OF]->() RETURN count(r)") == 0
    assert aliases(driver) == ["Daech", "داعش"]
    assert count(driver, "MATCH (a:Article) RETURN count(a)") == 2


def test_retraction_removes_what_only_the_article_supported(writer, driver):
    kept = org_batch(2, "Daech")
    gone = with_reference(org_batch(1, "داعش"))
    writer.write_many([kept, gone])
    before = count(driver, NODES)
    writer.retract(gone.article.id)
    assert count(driver, "MATCH (a:Agency) RETURN count(a)") == 0
    assert count(driver, "MATCH (o:Organisation) RETURN count(o)") == 1
    assert [r["locator"] for r in provenance(driver, "org:islamic-state")] == ["in/2.txt"]
    # article, its evidence x2 (org, bcij), bcij and dgst
    assert count(driver, NODES) == before - 5


def test_same_text_from_two_outlets_is_one_article_with_both(writer, driver):
    text = "تفكيك خلية إرهابية بطنجة."
    copies = []
    for outlet in ("hespress", "le360", "hespress"):
        b = article_batch(text, f"https://{outlet}.example/1", [
            ("Incident", "incident:x", "dismantlement", "تفكيك")])
        b.nodes[0].props = {"kind": "dismantlement", "name": "dismantlement"}
        b.article.source, b.article.url = outlet, b.article.locator
        copies.append(b)
    writer.write_many(copies[:2])
    other = copies[1]
    other.article.locator = other.article.url = "https://other.example/9"
    other.article.source = "other"
    writer.write(other)
    assert sum(writer.write_many(copies).values()) == 0
    row = driver.execute_query("MATCH (a:Article) RETURN count(a) AS n, "
                               "collect(a.sources)[0] AS s, collect(a.locators)[0] AS l").records[0]
    assert row["n"] == 1 and row["s"] == ["hespress", "le360", "other"]
    assert row["l"] == sorted(f"https://{o}.example/{n}" for o, n in
                              (("hespress", 1), ("le360", 1), ("other", 9)))
    result = run_query(driver, get_query("multi-source-incidents"), {})
    assert [(r["incident_id"], r["outlets"]) for r in result.rows] == [
        ("incident:x", ["hespress", "le360", "other"])]
    assert writer.stored([(other.article.locator, other.article.id), ("nowhere", other.article.id)],
                         "1") == {(other.article.locator, other.article.id)}
    assert writer.stored([(other.article.locator, other.article.id)], "2") == set()
    writer.retract(other.article.id, ["https://le360.example/1"])  # one outlet withdraws it
    assert count(driver, "MATCH (a:Article) RETURN a.locators") == [
        "https://hespress.example/1", "https://other.example/9"]
    writer.retract(other.article.id)
    assert count(driver, "MATCH (n) RETURN count(n)") == 0


def test_two_transactions_writing_one_new_article_leave_one_of_each(writer, driver):
    # The second waits on the article's lock, then finds it stored: its mentions are merged,
    # not created again.
    from concurrent.futures import ThreadPoolExecutor

    batch = batch_a()
    prepared = [writer.prepare([batch]) for _ in range(4)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(writer.write_prepared, prepared))
    doubled = driver.execute_query(
        "MATCH (a:Article)-[r:MENTIONS|REPORTS|STATES]->(n) WITH a, n, type(r) AS t, count(*) AS c "
        "WHERE c > 1 RETURN count(*) AS n").records[0]["n"]
    assert doubled == 0
    assert count(driver, "MATCH (a:Article) RETURN count(a)") == 1
    assert count(driver, "MATCH (a:Article) WHERE a.ctkg_new IS NOT NULL RETURN count(a)") == 0
    assert sum(writer.write(batch_a()).values()) == 0


def test_evidence_rows_split_new_articles_from_stored_ones():
    """The Evidence of the articles the transaction created is grouped per article and known
    to be new; the rest goes to the statement that looks it up first; each piece once, even
    when a node and a relationship share an article."""
    from ctkg.graph.rows import ChunkRows
    from ctkg.graph.writer import evidence_rows

    a, b = batch_a(), batch_b()
    rows = ChunkRows([a, b])
    nodes, edges = rows.nodes(), rows.edges()
    every = {ev["id"]: ev["article"] for by_label in nodes.values() for r in by_label
             for ev in r["mentions"]}
    every.update((ev["id"], ev["article"]) for by_type in edges.values() for r in by_type
                 for ev in r["evidence"])
    new, stored, fresh = evidence_rows(nodes, edges, {a.article.id})
    assert fresh == {i for i, art in every.items() if art == a.article.id}
    assert [r["article"] for r in new] == [a.article.id]
    assert sorted(ev["id"] for ev in new[0]["evidence"]) == sorted(fresh)
    assert sorted(r["id"] for r in stored) == sorted(i for i in every if i not in fresh)
    assert {r["article"] for r in stored} == {b.article.id}
    assert len(fresh) == 5 and len(stored) == 5  # three nodes and two relationships each
    assert evidence_rows(nodes, edges, set())[0] == []


def test_a_chunk_of_new_and_stored_articles_writes_what_separate_writes_do(writer, driver):
    # The rows prepared for a chunk assume all its articles are new; here one is stored.
    writer.write(batch_b())
    counters = writer.write_many([batch_a(), batch_b()])
    assert counters["nodes_created"] == 1 + 1 + 5  # article a, its cell, its five Evidence
    together = stable(snapshot(driver))
    driver.execute_query("MATCH (n) DETACH DELETE n")
    writer.write(batch_b())
    writer.write(batch_a())
    assert stable(snapshot(driver)) == together


def test_the_writer_checks_its_plans_once_in_a_while(writer, monkeypatch):
    from ctkg.graph import writer as module

    clock = [1000.0]
    monkeypatch.setattr(module.time, "monotonic", lambda: clock[0])
    assert writer._replan() == "default"  # a new writer lets the server check at once
    clock[0] += 1
    assert writer._replan() == "skip"
    clock[0] += module.REPLAN_EVERY
    assert writer._replan() == "default"
    assert writer._replan() == "skip"


def test_planned_statements_carry_the_replan_option():
    from ctkg.graph.writer import Planned

    sent = []

    class Tx:
        def run(self, query, parameters=None, **kwargs):
            sent.append((query, parameters, kwargs))

    Planned(Tx(), "skip").run("RETURN $x", {"x": 1})
    Planned(Tx(), "default").run("RETURN $x", x=2)
    assert sent == [("CYPHER replan=skip RETURN $x", {"x": 1}, {}),
                    ("CYPHER replan=default RETURN $x", None, {"x": 2})]


def test_planned_statements_list_parameters_show_as_their_length():
    # the driver formats every statement's parameters for its debug log, on or off
    from ctkg.graph.writer import Planned, Rows

    sent = []

    class Tx:
        def run(self, query, parameters=None, **kwargs):
            sent.append((parameters, kwargs))

    rows = [{"id": "cell:a", "props": {"name": "a"}}, {"id": "cell:b", "props": {}}]
    Planned(Tx(), "skip").run("RETURN $rows", {"rows": rows, "now": "t"})
    Planned(Tx(), "skip").run("RETURN $ids", ids=["x"], now="t")
    (params, _), (_, kwargs) = sent
    assert isinstance(params["rows"], Rows) and params["rows"] == rows
    assert repr(params) == "{'rows': <2 rows>, 'now': 't'}"
    assert repr(kwargs) == "{'ids': <1 rows>, 'now': 't'}"


def test_released_statements_let_go_of_their_rows_not_of_the_callers():
    from ctkg.graph.writer import Planned

    sent = []

    class Tx:
        def run(self, query, parameters=None, **kwargs):
            sent.append(parameters)

    rows = [{"id": "cell:a"}]
    planned = Planned(Tx(), "skip")
    planned.run("RETURN $rows", {"rows": rows})
    planned.release()
    assert sent[0]["rows"] == [] and rows == [{"id": "cell:a"}]


def test_rows_reach_the_database_as_lists(driver):
    from ctkg.graph.writer import Rows

    rows = Rows([{"id": "a", "n": [1, 2]}, {"id": "b", "n": []}])
    records, _, _ = driver.execute_query("UNWIND $rows AS r RETURN r.id AS id, size(r.n) AS n",
                                         rows=rows)
    assert [(r["id"], r["n"]) for r in records] == [("a", 2), ("b", 0)]


def test_writes_with_cached_plans_store_what_checked_plans_store(writer, driver, monkeypatch):
    from ctkg.graph import writer as module

    def write_all():
        for batch in (batch_a(), batch_b(), batch_a(TEXT_A + " تحديث")):
            writer.write(batch)
        return stable(snapshot(driver))

    monkeypatch.setattr(module, "REPLAN_EVERY", 0.0)  # every transaction: the usual check
    checked = write_all()
    driver.execute_query("MATCH (n) DETACH DELETE n")
    monkeypatch.setattr(module, "REPLAN_EVERY", 1e9)  # all but the first: replan=skip
    writer._checked_plans = -1e9
    assert write_all() == checked


def test_a_stored_article_newly_stating_a_relationship_renews_it(writer, driver):
    # The same text written again with one more relationship (e.g. `ctkg ingest -` of an edited
    # batch): its Evidence is created on the stored article, and the relationship another
    # article stated first is seen again.
    text = "خلية فككها المكتب المركزي للأبحاث القضائية في طنجة."
    nodes = [("Cell", "cell:a1", "cell a1", "خلية"),
             ("Agency", "agency:bcij", "Central Bureau of Judicial Investigation",
              "المكتب المركزي للأبحاث القضائية")]
    writer.write(batch_a(), now="2026-01-01T00:00:00+00:00")
    writer.write(article_batch(text, "in/c.txt", nodes), now="2026-01-02T00:00:00+00:00")
    counters = writer.write(article_batch(text, "in/c.txt", nodes + [
        ("DISMANTLED_BY", "cell:a1", "agency:bcij", text)]), now="2026-01-03T00:00:00+00:00")
    assert counters["nodes_created"] == 1 and counters["relationships_created"] == 1  # Evidence
    seen = driver.execute_query(
        "MATCH (:Cell {id: 'cell:a1'})-[r:DISMANTLED_BY]->() RETURN r.last_seen AS s"
    ).records[0]["s"]
    assert seen == "2026-01-03T00:00:00+00:00"


def holder_keys(driver, entity: str) -> list[str]:
    return driver.execute_query("MATCH (h:NameHolder {id: $id}) RETURN h.keys AS keys",
                                id="holder:" + entity).records[0]["keys"]


def test_name_summaries_follow_the_aliases_a_later_article_adds(writer, driver):
    # (the writer recomputes them only for entities it created or gave a name or alias)
    writer.write(batch_a())
    assert "daech" not in holder_keys(driver, "org:islamic-state")
    writer.write(batch_b())
    assert {"daech", "داعش", "islamic state"} <= set(holder_keys(driver, "org:islamic-state"))
    writer.write(batch_a())  # nothing new: nothing to recompute
    with driver.session() as session:
        ids = [r["id"] for r in session.run("MATCH (n) WHERE n.id IS NOT NULL RETURN n.id AS id")]
        assert session.execute_write(update_summaries, ids) == 0  # none was left stale
