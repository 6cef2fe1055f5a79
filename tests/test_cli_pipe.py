"""`ctkg extract | ctkg ingest -`, `--workers`, and articles in languages ctkg cannot read,
through click against the real Neo4j."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ctkg.cli import _register, cli

from tests.conftest import ROOT
from tests.loaders.test_language import GERMAN, SPANISH
from tests.test_cli_articles import snapshot, write_articles

if "extract" not in cli.commands:
    _register()


@pytest.fixture
def run(env):
    def invoke(*args, input=None):
        return CliRunner().invoke(cli, ["--quiet", *map(str, args)], env=env, input=input)
    return invoke


def foreign(folder):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "de.txt").write_text(GERMAN, encoding="utf-8")
    (folder / "es.txt").write_text(SPANISH, encoding="utf-8")
    return folder / "de.txt", folder / "es.txt"


REFUSED = {"de": "written in German (de): no extractor for it (ctkg reads ar, fr, en)",
           "es": "written in Spanish (es): no extractor for it (ctkg reads ar, fr, en)"}


# -- languages ------------------------------------------------------------------------------
def test_extract_refuses_german_and_spanish_with_one_line_each(tmp_path, run):
    de, es = foreign(tmp_path / "in")
    [seed] = write_articles(tmp_path / "in", "seed")
    result = run("extract", de, es, seed)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"error: {de}: {REFUSED['de']}",
                                          f"error: {es}: {REFUSED['es']}"]
    [out] = [json.loads(line) for line in result.stdout.splitlines()]
    assert (out["article"]["path"], out["article"]["lang"]) == (str(seed), "ar")


def test_ingest_refuses_german_and_spanish_and_writes_the_rest(tmp_path, run, driver):
    de, es = foreign(tmp_path / "in")
    write_articles(tmp_path / "in", "seed")
    result = run("ingest", tmp_path / "in")
    assert result.exit_code == 1
    assert sorted(result.stderr.splitlines()) == [f"error: {de}: {REFUSED['de']}",
                                                  f"error: {es}: {REFUSED['es']}"]
    assert "ingested 1 article(s), 2 failed" in result.stdout
    langs = driver.execute_query("MATCH (a:Article) RETURN collect(a.lang) AS l").records[0]["l"]
    assert langs == ["ar"]
    assert not driver.execute_query("MATCH (p:Person) WHERE p.name CONTAINS 'Polizei' "
                                    "OR p.name CONTAINS 'Estado' RETURN p").records


def test_a_language_given_in_the_record_wins(tmp_path, run):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"text": GERMAN, "lang": "en", "url": "https://example.org/de-as-en"},
        {"text": SPANISH, "lang": "ES", "url": "https://example.org/es"},
        {"text": "Die Polizei", "url": "https://example.org/short"},
    ]) + "\n", encoding="utf-8")
    result = run("extract", feed)
    assert result.exit_code == 1
    [out] = [json.loads(line) for line in result.stdout.splitlines()]
    assert out["article"]["lang"] == "en"  # read as English, as the record says
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: https://example.org/es: {REFUSED['es']}"
    assert lines[1].startswith("error: https://example.org/short: cannot tell which language")
    assert len(lines) == 2


def test_ar_fr_en_articles_are_read_as_their_language(run):
    paths = [ROOT / "devset" / lang / f"{lang}-001.txt" for lang in ("ar", "fr", "en")]
    result = run("extract", *paths)
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["article"]["lang"] for line in result.stdout.splitlines()] == \
        ["ar", "fr", "en"]


# -- ctkg ingest - --------------------------------------------------------------------------
ARTICLES = ("seed", "ar-001", "ar-002", "fr-001", "en-001")


def test_extract_piped_into_ingest_gives_the_graph_of_ingest(tmp_path, run, driver):
    folder = tmp_path / "in"
    write_articles(folder, *ARTICLES)
    direct = run("ingest", folder)
    assert direct.exit_code == 0, direct.stderr
    expected = stable(snapshot(driver))
    driver.execute_query("MATCH (n) DETACH DELETE n")

    extracted = run("extract", folder)
    assert extracted.exit_code == 0, extracted.stderr
    piped = run("ingest", "-", input=extracted.stdout)
    assert piped.exit_code == 0, piped.stderr
    assert f"ingested {len(ARTICLES)} article(s), 0 failed" in piped.stdout
    assert stable(snapshot(driver)) == expected
    again = run("ingest", "-", input=extracted.stdout)
    assert "no changes" in again.stdout


def test_a_malformed_line_is_reported_with_its_number_and_skipped(tmp_path, run, driver):
    write_articles(tmp_path / "in", "seed", "ar-001")
    lines = run("extract", tmp_path / "in").stdout.splitlines()
    bad_label = json.loads(lines[1])
    bad_label["nodes"][0]["label"] = "Spaceship"
    feed = "\n".join([lines[0], '{"article": {"id": "x"', json.dumps(bad_label),
                      json.dumps({"nodes": []})]) + "\n"
    result = run("ingest", "-", input=feed)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: <stdin>:2: invalid JSON (Expecting ',' delimiter)",
        "error: <stdin>:3: invalid batch: unknown node label 'Spaceship'",
        "error: <stdin>:4: invalid batch: not a ctkg extract object "
        "(expected an object with article, nodes and edges)"]
    assert "ingested 1 article(s), 3 failed" in result.stdout
    assert driver.execute_query("MATCH (a:Article) RETURN count(a) AS n").records[0]["n"] == 1


def test_stdin_cannot_be_mixed_with_paths(tmp_path, run):
    result = run("ingest", "-", tmp_path)
    assert result.exit_code == 2
    assert "cannot be mixed with paths" in result.output


def stable(snap):
    """A snapshot without the clock: ingest times, first/last seen, the run log."""
    clock = ("ingested_at", "first_seen", "last_seen", "started_at", "finished_at")

    def clean(rows):
        out = []
        for row in rows:
            data = json.loads(row)
            if "IngestRun" in data.get("labels", []):
                continue
            for key in clock:
                data.get("props", {}).pop(key, None)
            out.append(json.dumps(data, sort_keys=True))
        return sorted(out)
    nodes, rels = snap
    return clean(nodes), clean(rels)


# -- --workers ------------------------------------------------------------------------------
def test_two_workers_print_what_one_prints_in_the_same_order(tmp_path, run):
    folder = tmp_path / "in"
    write_articles(folder, *ARTICLES)
    foreign(folder)
    one = run("extract", "--workers", "1", folder)
    two = run("extract", "--workers", "2", folder)
    assert one.exit_code == two.exit_code == 1  # the German and Spanish articles
    assert two.stdout == one.stdout, (two.stderr, two.exception)
    assert len(one.stdout.splitlines()) == len(ARTICLES)
    assert two.stderr == one.stderr


def test_ingest_with_two_workers_writes_the_same_graph(tmp_path, run, driver):
    folder = tmp_path / "in"
    write_articles(folder, *ARTICLES)
    assert run("ingest", folder).exit_code == 0
    expected = stable(snapshot(driver))
    driver.execute_query("MATCH (n) DETACH DELETE n")
    result = run("ingest", "--workers", "2", folder)
    assert result.exit_code == 0, result.stderr
    assert stable(snapshot(driver)) == expected


def test_workers_cannot_be_negative(tmp_path, run):
    assert run("extract", "--workers", "-1", tmp_path).exit_code == 2
