"""Read-only means read-only (issue 12, item 3): every statement of hostile-statements.txt is
refused by `ctkg cypher`'s runner with one line, and has no effect: the graph, the schema,
the users, another session's open transaction and a local web server are as they were.
Reads an analyst writes stay allowed (BENIGN)."""
from __future__ import annotations

import http.server
import threading
from pathlib import Path

import neo4j
import pytest

from ctkg.errors import CtkgError
from ctkg.queries import runner
from ctkg.queries.runner import QueryRefused, procedure_name, run_cypher

CORPUS = Path(__file__).with_name("hostile-statements.txt")


def fill(statement: str, tx: str, url: str) -> str:
    return statement.replace("{tx}", tx).replace("{url}", url)


def load_corpus() -> list[tuple[str, str]]:
    """(why, statement) of each paragraph of the corpus after its header."""
    entries = []
    for block in CORPUS.read_text(encoding="utf-8").split("\n\n")[1:]:
        lines = block.strip().splitlines()
        why = " ".join(x[1:].strip() for x in lines if x.startswith("#"))
        statement = "\n".join(x for x in lines if not x.startswith("#"))
        if statement:
            entries.append((why, statement))
    return entries


HOSTILE = load_corpus()
BENIGN = [
    "MATCH (c:Cell) RETURN c.name AS name ORDER BY name",
    "MATCH (c:Cell {id: 'cell:gao'}) RETURN c",
    "MATCH (c:Cell)-[r]->(o) RETURN type(r) AS t, count(*) AS n ORDER BY t",
    "MATCH (a:Cell) OPTIONAL MATCH (a)-[:AFFILIATED_WITH]->(o) RETURN a.id, collect(o.id)",
    "MATCH (a {id: 'cell:gao'}), (b {id: 'org:jnim'}) MATCH p = shortestPath((a)-[*..4]-(b)) "
    "RETURN length(p) AS hops",
    "MATCH (c:Cell) WHERE EXISTS { (c)-->(:Organisation) } RETURN count(c) AS n",
    "MATCH (c:Cell) RETURN c.id AS id, COUNT { (c)--() } AS degree ORDER BY degree DESC LIMIT 3",
    "MATCH (c:Cell) WITH c ORDER BY c.id LIMIT 2 CALL (c) { MATCH (c)--(x) RETURN count(x) AS n } "
    "RETURN c.id, n",
    "UNWIND [1, 2, 3] AS x RETURN x * 2 AS y",
    "MATCH (n:Cell) RETURN n.id AS id UNION MATCH (n:Organisation) RETURN n.id AS id",
    "MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n ORDER BY label",
    "MATCH ()-[r]->() RETURN count(r) AS n",
    "MATCH (c:Cell) RETURN [(c)-->(o:Organisation) | o.name] AS orgs",
    "CALL db.labels() YIELD label RETURN label ORDER BY label",
    "CALL db.relationshipTypes()",
    "CALL db.index.fulltext.queryNodes('ctkg_names_english', 'Gao') YIELD node "
    "RETURN node.id AS id",
    "SHOW INDEXES YIELD name RETURN count(name) AS n",
    "SHOW CONSTRAINTS",
    "EXPLAIN MATCH (c:Cell) RETURN c",
    "PROFILE MATCH (c:Cell) RETURN c.id",
    "MATCH (c:Cell) WHERE c.id STARTS WITH $p RETURN c.id",
]


class Witness(http.server.BaseHTTPRequestHandler):
    """A local web server that counts every request it gets."""
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        Witness.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"id\n1\n")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def witness():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Witness)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/data.csv"
    server.shutdown()


@pytest.fixture
def open_tx(session_driver):
    """Another session's transaction, open for the whole test (an ingest, say)."""
    session = session_driver.session()
    tx = session.begin_transaction()
    tx.run("MATCH (n) RETURN count(n)").consume()
    rows = session_driver.execute_query(
        "SHOW TRANSACTIONS YIELD transactionId, currentQuery, status "
        "WHERE status = 'Running' AND transactionId <> $me RETURN transactionId",
        me="", routing_="r").records
    ids = [r["transactionId"] for r in rows]
    yield tx, ids
    tx.rollback()
    session.close()


def state(driver) -> tuple:
    """Everything a hostile statement could have changed."""
    graph = driver.execute_query(
        "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS nodes, count(r) AS rels,"
        " collect(DISTINCT n.name) AS names, count(n.hijacked) AS flags, "
        "collect(DISTINCT labels(n)[0]) AS labels").records[0]
    indexes = sorted(r["name"] for r in driver.execute_query("SHOW INDEXES YIELD name").records)
    constraints = sorted(r["name"] for r in
                         driver.execute_query("SHOW CONSTRAINTS YIELD name").records)
    users = sorted(r["user"] for r in driver.execute_query("SHOW USERS YIELD user",
                                                           database_="system").records)
    databases = sorted(r["name"] for r in driver.execute_query("SHOW DATABASES YIELD name",
                                                               database_="system").records)
    return tuple(graph.values()), indexes, constraints, users, databases


@pytest.mark.parametrize("why, statement", HOSTILE, ids=[w for w, _ in HOSTILE])
def test_a_hostile_statement_is_refused_and_changes_nothing(graph, settings, witness, open_tx,
                                                            why, statement):
    tx, tx_ids = open_tx
    cypher = fill(statement, tx_ids[0] if tx_ids else "neo4j-transaction-1", witness)
    before = state(graph)
    Witness.hits.clear()
    with pytest.raises(CtkgError) as refused:
        run_cypher(graph, cypher)
    message = str(refused.value)
    assert "\n" not in message and message
    assert state(graph) == before
    assert Witness.hits == []
    tx.run("RETURN 1").consume()  # the other session's transaction still runs
    with neo4j.GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password)) as d:
        d.verify_connectivity()  # the password is unchanged


def test_hostile_statements_are_refused_by_the_plan_check_or_by_the_server(graph, witness,
                                                                          open_tx, capsys):
    """Refused as not a read (QueryRefused) or, for what the server cannot even plan here
    (two statements, an unknown procedure, a command of the system database), by the server's
    own one-line error."""
    tx, tx_ids = open_tx
    outcome = {}
    for _, statement in HOSTILE:
        try:
            run_cypher(graph, fill(statement, tx_ids[0] if tx_ids else "x", witness))
            outcome[statement] = "RAN"
        except QueryRefused:
            outcome[statement] = "refused"
        except CtkgError as exc:
            outcome[statement] = str(exc)
    others = {s: m for s, m in outcome.items() if m != "refused"}
    assert all(m.startswith(("Cypher error: ", "query failed: ")) for m in others.values()), others
    with capsys.disabled():
        print(f"\nhostile statements: {len(HOSTILE)} tried, "
              f"{len(HOSTILE) - len(others)} refused by the plan check, "
              f"{len(others)} refused by the server")


# Statements that write nothing (TERMINATE, LOAD CSV, db.stats): only the plan check stops them.
NOT_WRITES = ("TERMINATE", "LOAD CSV", "db.stats")


@pytest.mark.parametrize("statement", [s for _, s in HOSTILE
                                       if not any(w in s for w in NOT_WRITES)])
def test_the_read_transaction_still_refuses_writes_without_the_plan_check(graph, monkeypatch,
                                                                          witness, statement):
    """Second guard: even with the plan check switched off, nothing that writes gets
    through the READ transaction."""
    monkeypatch.setattr(runner, "check_read_only", lambda tx, cypher, params: None)
    before = state(graph)
    try:
        run_cypher(graph, fill(statement, "x", witness))
    except CtkgError:
        pass
    after = state(graph)
    assert after[0] == before[0] and after[1:3] == before[1:3]


@pytest.mark.parametrize("statement", BENIGN)
def test_reads_stay_allowed(graph, statement):
    result = run_cypher(graph, statement, {"p": "cell:"})
    assert isinstance(result.rows, list)


@pytest.mark.parametrize("details, name", [
    ("db.labels() :: (label :: STRING)", "db.labels"),
    ("`db`.`stats`.collect($autostring_0) :: (section :: STRING)", "db.stats.collect"),
    ("db.index.fulltext.queryNodes($a, $b) :: (node :: NODE)", "db.index.fulltext.queryNodes"),
    ("", None),
])
def test_procedure_names_are_read_from_the_plan(details, name):
    assert procedure_name(details) == name
