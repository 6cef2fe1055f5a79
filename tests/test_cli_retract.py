"""`ctkg retract PATH|URL|ID`: the graph left is the graph of never having read the article."""
from __future__ import annotations

from tests.test_cli_articles import run, write_articles  # noqa: F401 (the `run` fixture)

SHAPE = ("MATCH (n) WHERE NOT n:IngestRun "
         "OPTIONAL MATCH (n)-[r]->() RETURN labels(n)[0] AS label, n.id AS id, n.origin AS origin, "
         "n.aliases AS aliases, collect(type(r)) AS out ORDER BY id")


def shape(driver):
    return [(r["label"], r["id"], r["origin"], r["aliases"], sorted(r["out"]))
            for r in driver.execute_query(SHAPE).records]


def test_retract_a_deleted_file_leaves_the_graph_of_the_others(tmp_path, run, driver):
    seed, other = write_articles(tmp_path / "in", "seed", "ar-001")
    assert run("ingest", other).exit_code == 0
    only_other = shape(driver)
    driver.execute_query("MATCH (n) DETACH DELETE n")
    assert run("ingest", tmp_path / "in").exit_code == 0
    assert shape(driver) != only_other
    seed.unlink()  # a deleted article can still be retracted, by the path it was read from
    result = run("retract", seed)
    assert result.exit_code == 0, (result.output, result.exception)
    assert result.stdout.startswith("retracted ")
    assert shape(driver) == only_other
    missing = run("retract", seed)
    assert missing.exit_code == 1
    assert missing.stderr.strip() == f"error: no stored article is {seed}"
