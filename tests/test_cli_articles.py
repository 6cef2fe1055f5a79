"""`ctkg extract`, `ctkg ingest`, `ctkg eval`, `ctkg demo` through click, against the real Neo4j."""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from ctkg.cli import _register, cli

from tests.conftest import ROOT

SEED = ROOT / "examples" / "seed-ar-001.txt"
DEVSET = ROOT / "devset"

if "extract" not in cli.commands:
    _register()


@pytest.fixture
def run(env):
    def invoke(*args):
        return CliRunner().invoke(cli, ["--quiet", *map(str, args)], env=env)
    return invoke


def write_articles(folder, *names) -> list:
    """Copies of the seed and of dev-set articles (text only, no gold) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name in names:
        src = SEED if name == "seed" else DEVSET / name[:2] / f"{name}.txt"
        dst = folder / src.name
        shutil.copy(src, dst)
        out.append(dst)
    return out


def write_bad(folder, name="broken.txt"):
    path = folder / name
    path.write_bytes("Démantèlement d'une cellule à Tanger".encode("latin-1"))
    return path


def count(driver, query: str, **params):
    return driver.execute_query(query, **params).records[0][0]


def counts(driver) -> tuple[int, int]:
    return (count(driver, "MATCH (n) RETURN count(n)"),
            count(driver, "MATCH ()-[r]->() RETURN count(r)"))


def snapshot(driver) -> tuple[list, list]:
    """Every node and relationship with all its properties."""
    def dump(records):
        return sorted(json.dumps(r.data(), sort_keys=True, default=str) for r in records)
    nodes = driver.execute_query(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props").records
    rels = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, "
        "properties(r) AS props").records
    return dump(nodes), dump(rels)


# -- extract --------------------------------------------------------------------------------
def test_extract_prints_one_json_line_per_article(tmp_path, run):
    paths = write_articles(tmp_path, "seed", "ar-001", "ar-002")
    result = run("extract", tmp_path)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    objects = [json.loads(line) for line in lines]
    assert sorted(o["article"]["path"] for o in objects) == sorted(map(str, paths))
    assert all(o["nodes"] and o["edges"] for o in objects)
    assert result.stderr == ""


def test_extract_reports_a_bad_file_and_still_prints_the_good_one(tmp_path, run):
    [good] = write_articles(tmp_path, "seed")
    bad = write_bad(tmp_path)
    result = run("extract", bad, good)
    assert result.exit_code == 1
    [line] = result.stdout.splitlines()
    assert json.loads(line)["article"]["path"] == str(good)
    [error] = result.stderr.splitlines()
    assert error == f"error: {bad}: not UTF-8 text"
    assert "Traceback" not in result.output


def test_extract_of_a_jsonl_feed_with_a_bad_line(tmp_path, run):
    feed = tmp_path / "feed.jsonl"
    text = SEED.read_text(encoding="utf-8")
    feed.write_text(json.dumps({"text": text}, ensure_ascii=False) + "\n{oops\n"
                    + json.dumps({"text": text.split("\n")[1], "url": "https://example.org/2"},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    result = run("extract", feed)
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 2
    [error] = result.stderr.splitlines()
    assert error.startswith(f"error: {feed}:2: invalid JSON")


# -- ingest ---------------------------------------------------------------------------------
def test_ingest_twice_changes_nothing(tmp_path, run, driver):
    folder = tmp_path / "in"
    write_articles(folder, "seed", "ar-001")
    first = run("ingest", folder)
    assert first.exit_code == 0, (first.output, first.exception)
    assert "ingested 2 article(s), 0 failed" in first.stdout
    assert "no changes" not in first.stdout
    assert count(driver, "MATCH (a:Article) RETURN count(a)") == 2
    before_counts, before = counts(driver), snapshot(driver)
    assert before_counts[0] > 2 and before_counts[1] > 0

    second = run("ingest", folder)
    assert second.exit_code == 0, (second.output, second.exception)
    assert second.stdout.strip() == "ingested 2 article(s), 0 failed; no changes"
    assert counts(driver) == before_counts
    assert snapshot(driver) == before


def test_ingest_keeps_the_good_articles_and_the_failures(tmp_path, run, driver):
    folder = tmp_path / "in"
    good = write_articles(folder, "seed", "ar-004")
    bad = write_bad(folder)
    invalid = folder / "record.json"
    invalid.write_text('{"text": "unterminated', encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    result = run("ingest", "--rejects", rejects, folder)
    assert result.exit_code == 1, (result.output, result.exception)
    assert "ingested 2 article(s), 2 failed" in result.stdout
    errors = result.stderr.splitlines()
    assert f"error: {bad}: not UTF-8 text" in errors
    assert any(e.startswith(f"error: {invalid}: invalid JSON") for e in errors)

    stored = driver.execute_query("MATCH (a:Article) RETURN a.path AS path").records
    assert sorted(r["path"] for r in stored) == sorted(map(str, good))

    [run_node] = driver.execute_query("MATCH (r:IngestRun) RETURN r").records
    failed = [json.loads(f) for f in run_node["r"]["failed"]]
    assert {f["item"]: f["reason"] for f in failed}[str(bad)] == "not UTF-8 text"
    assert sorted(f["item"] for f in failed) == sorted([str(bad), str(invalid)])
    assert run_node["r"]["articles"] == 2

    kept = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert sorted(kept, key=lambda f: f["item"]) == sorted(failed, key=lambda f: f["item"])
    assert all(f["reason"] for f in kept)


def test_a_later_batch_with_a_bad_item_loses_nothing_stored(tmp_path, run, driver):
    first = tmp_path / "first"
    write_articles(first, "seed", "ar-005")
    assert run("ingest", first).exit_code == 0
    nodes_before = {r["id"] for r in driver.execute_query(
        "MATCH (n) WHERE NOT n:IngestRun RETURN n.id AS id").records}
    rels_before = {(r["a"], r["t"], r["b"]) for r in driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b").records}

    later = tmp_path / "later"
    write_articles(later, "ar-006")
    feed = later / "feed.jsonl"
    feed.write_text("{broken\n" + json.dumps({"text": (DEVSET / "ar" / "ar-007.txt").read_text(
        encoding="utf-8"), "url": "https://example.org/ar-007"}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    write_bad(later)
    result = run("ingest", later)
    assert result.exit_code == 1
    assert "ingested 2 article(s), 2 failed" in result.stdout

    nodes_after = {r["id"] for r in driver.execute_query("MATCH (n) RETURN n.id AS id").records}
    rels_after = {(r["a"], r["t"], r["b"]) for r in driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b").records}
    assert nodes_before - nodes_after == set()
    assert rels_before - rels_after == set()
    assert count(driver, "MATCH (a:Article) RETURN count(a)") == 4
    assert count(driver, "MATCH (a:Article {url: 'https://example.org/ar-007'}) "
                         "RETURN count(a)") == 1


# -- eval -----------------------------------------------------------------------------------
def test_eval_devset_rows_per_language(run):
    result = run("eval", DEVSET, "--format", "json")
    assert result.exit_code == 0, (result.output, result.exception)
    rows = json.loads(result.stdout)
    overall = {(r["lang"], r["kind"]): r for r in rows if r["type"] == "ALL"}
    assert set(overall) == {(lang, kind) for lang in ("ar", "fr", "en", "all")
                            for kind in ("entity", "relation")}
    assert overall[("ar", "entity")]["tp"] > 0
    for kind in ("entity", "relation"):
        assert overall[("all", kind)]["tp"] == sum(overall[(lang, kind)]["tp"]
                                                   for lang in ("ar", "fr", "en"))


def test_eval_table_and_floor(run, tmp_path):
    result = run("eval", DEVSET / "ar")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split()[:3] == ["lang", "kind", "type"]
    floor = tmp_path / "floor.json"
    floor.write_text(json.dumps({"ar": {"entity": 1.01}}))
    result = run("eval", DEVSET / "ar", "--floor", floor)
    assert result.exit_code == 1
    assert result.stderr.startswith("below floor: ar entity F1 ")


def test_eval_thresholds_trade_recall_for_precision(run):
    result = run("eval", DEVSET / "en", "--thresholds", "--format", "json")
    assert result.exit_code == 0, (result.output, result.exception)
    rows = {r["min_confidence"]: r for r in json.loads(result.stdout) if r["lang"] == "en"}
    assert sorted(rows) == [0.0, 0.7, 0.75, 0.8, 0.85]
    assert rows[0.0]["tp"] + rows[0.0]["fn"] == rows[0.85]["tp"] + rows[0.85]["fn"]  # same gold
    assert rows[0.85]["tp"] <= rows[0.7]["tp"] <= rows[0.0]["tp"]
    assert rows[0.85]["fp"] <= rows[0.0]["fp"]


# -- help -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name, words", [
    ("extract", "JSON Lines"),
    ("ingest", "Neo4j"),
    ("eval", "gold annotations"),
    ("demo", "example articles"),
])
def test_help(name, words):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    usage = result.stdout.splitlines()[0]
    assert usage.startswith("Usage: ") and f" {name} " in usage
    assert words in result.stdout
    summary = cli.commands[name].get_short_help_str(limit=200)
    assert len(summary) > 20 and summary.rstrip(".") in " ".join(result.stdout.split())


def test_demo_answers_the_headline_questions_and_changes_nothing_the_second_time(run, driver):
    first = run("demo")
    assert first.exit_code == 0, first.output
    out = first.stdout
    for title in ("Cells directed from abroad", "Cells by organisation", "Agency scorecard",
                  "Incidents covered by several sources"):
        assert f"== {title}" in out
    abroad = out.split("== Cells directed from abroad")[1].split("== ")[0]
    seed_row = next(line for line in abroad.splitlines() if "cell:bf32ff96437c-1" in line)
    assert "Islamic State" in seed_row and "Morocco" in seed_row and "Syria" in seed_row
    several = out.split("== Incidents covered by several sources")[1]
    assert "incident:dismantlement-ma-2026-03-10-agency-bcij-ma" in several
    # The Tangier story: one Incident with one Cell and three sources (issue 10).
    reports = out.split("== Incident reports")[1].splitlines()
    tangier = [line for line in reports if "incident:dismantlement-ma-2026-03-10" in line]
    assert len(tangier) == 1 and tangier[0].count('"cell:') == 1
    assert tangier[0].rstrip().endswith(" 3")
    assert "resolved: " in out
    second = run("demo")
    assert second.exit_code == 0
    assert "no changes (already ingested)" in second.stdout
    assert "resolved: 0 automatic merge(s)" in second.stdout
