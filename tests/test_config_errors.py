"""Bad settings are one `error:` line and a clean stop, never a traceback (issue 12, items 1 and
2): URIs the driver cannot use, config files that cannot be read, an unknown database, and
output paths that cannot be written, found before any work starts."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from ctkg.config import ConfigError, check_uri, load_settings

from tests.conftest import ROOT
from tests.loaders.test_bad_inputs import run_unprivileged

ARTICLE = ROOT / "devset" / "en" / "en-001.txt"


def ctkg(*args, env: dict):
    full = {k: v for k, v in {**os.environ, **env}.items() if v is not None}
    return subprocess.run([sys.executable, "-m", "ctkg", *map(str, args)], env=full,
                          capture_output=True, text=True, timeout=180)


def one_error_line(proc) -> str:
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    return lines[0]


@pytest.fixture
def base_env(tmp_path):
    return {"CTKG_CONFIG": str(tmp_path / "absent.toml"), "NEO4J_PASSWORD": "never-shown",
            "NEO4J_URI": None, "NEO4J_USER": None, "NEO4J_DATABASE": None,
            "CTKG_HOME": str(tmp_path / "home")}


BAD_URIS = [
    ("bolt://127.0.0.1:notaport",
     "Neo4j URI 'bolt://127.0.0.1:notaport': the port 'notaport' is not a number from 1 to 65535"),
    ("bolt://127.0.0.1:99999",
     "Neo4j URI 'bolt://127.0.0.1:99999': the port '99999' is not a number from 1 to 65535"),
    ("bolt://127.0.0.1:0",
     "Neo4j URI 'bolt://127.0.0.1:0': the port '0' is not a number from 1 to 65535"),
    ("bolt://127.0.0.1:7687/neo4j",
     "Neo4j URI 'bolt://127.0.0.1:7687/neo4j' has a path (/neo4j); a Neo4j URI is "
     "scheme://host:port (choose the database with --database or NEO4J_DATABASE)"),
    ("neo4j://127.0.0.1:7687/db/data",
     "Neo4j URI 'neo4j://127.0.0.1:7687/db/data' has a path (/db/data); a Neo4j URI is "
     "scheme://host:port (choose the database with --database or NEO4J_DATABASE)"),
    ("bolt://127.0.0.1:7687?database=x",
     "Neo4j URI 'bolt://127.0.0.1:7687?database=x' has a ?query: only neo4j:// URIs take one "
     "(a routing context)"),
    ("neo4j://127.0.0.1:7687?address=x",
     "Neo4j URI 'neo4j://127.0.0.1:7687?address=x': 'address' is reserved in a routing context"),
    ("bolt://127.0.0.1:7687#top",
     "Neo4j URI 'bolt://127.0.0.1:7687#top' has a #fragment; a Neo4j URI is scheme://host:port"),
    ("bolt://:7687", "Neo4j URI 'bolt://:7687' names no host"),
    ("bolt://neo4j:s3cret@127.0.0.1:7687",
     "the Neo4j URI must not hold a user or password: use NEO4J_USER and NEO4J_PASSWORD "
     "(or --user and --password-file)"),
    ("http://127.0.0.1:7474",
     "unsupported Neo4j URI 'http://127.0.0.1:7474': use bolt://, neo4j:// or neo4j+s://"),
]


@pytest.mark.parametrize("uri, message", BAD_URIS, ids=[u for u, _ in BAD_URIS])
def test_a_bad_uri_is_one_line_before_connecting(base_env, uri, message):
    line = one_error_line(ctkg("query", "run", "weapons-caches",
                               env={**base_env, "NEO4J_URI": uri}))
    assert line == f"error: {message}"
    assert "s3cret" not in line and "never-shown" not in line


@pytest.mark.parametrize("uri", ["bolt://127.0.0.1:7687", "neo4j+s://abc.databases.neo4j.io",
                                 "neo4j://10.0.0.1:7687?policy=eu", "bolt://[::1]:7687",
                                 "bolt://localhost", "neo4j://127.0.0.1:7687/"])
def test_good_uris_pass(uri):
    assert check_uri(uri) == uri


def write(path: Path, data: bytes | str, mode: int | None = None) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    if mode is not None:
        path.chmod(mode)
    return path


BAD_CONFIGS = [
    ("neo4j = 5\n", "`neo4j` must be a [neo4j] table, not a single value"),
    ('neo4j = "bolt://x"\n', "`neo4j` must be a [neo4j] table, not a single value"),
    ("[neo4j]\nuri = 5\n", "[neo4j] uri must be a string in quotes"),
    ("[neo4j]\nuri = \n", "is not valid TOML"),
    ("[neo4j]\nurl = \"bolt://x\"\n", "unknown keys in [neo4j]: url"),
    ("[neo4j]\nuri = \"bolt://127.0.0.1:notaport\"\n", "the port 'notaport' is not a number"),
    ("[input]\nmax_json_depth = 0\n", "max_json_depth (CTKG_MAX_JSON_DEPTH or [input] in"),
    ("[input]\nmax_article_bytes = \"big\"\n", "max_article_bytes (CTKG_MAX_ARTICLE_BYTES"),
    ("[input]\nmax_json_depth = true\n", "must be a whole number above 0, not True"),
    ("input = 3\n", "`input` must be a [input] table, not a single value"),
    ("[neo4j]\n".encode() + 'user = "Séverine"\n'.encode("latin-1"), "is not UTF-8 text"),
]


@pytest.mark.parametrize("content, message", BAD_CONFIGS,
                         ids=[str(c[:24]) for c, _ in BAD_CONFIGS])
def test_a_bad_config_file_is_one_line(tmp_path, base_env, content, message):
    config = write(tmp_path / "config.toml", content, 0o600)
    # ingest reads both the connection settings and the input limits
    line = one_error_line(ctkg("ingest", ARTICLE, env={**base_env, "CTKG_CONFIG": str(config)}))
    assert message in line, line


def test_a_config_folder_is_one_line(tmp_path, base_env):
    folder = tmp_path / "config.toml"
    folder.mkdir()
    line = one_error_line(ctkg("ingest", ARTICLE, env={**base_env, "CTKG_CONFIG": str(folder)}))
    assert line == f"error: config file {folder} is a folder, not a file"


def test_a_config_device_is_one_line(base_env):
    line = one_error_line(ctkg("ingest", ARTICLE, env={**base_env, "CTKG_CONFIG": "/dev/zero"}))
    assert line == "error: config file /dev/zero is not a regular file"


def _config_error(config: str) -> str:
    os.environ["CTKG_CONFIG"] = config
    try:
        load_settings()
    except ConfigError as exc:
        return str(exc)
    return "no error"


def test_an_unreadable_config_file_is_one_line(tmp_path):
    """Read by an unprivileged process (root reads any file)."""
    folder = Path(tempfile.mkdtemp(prefix="ctkg-config-"))
    try:
        folder.chmod(0o755)
        config = write(folder / "config.toml", '[neo4j]\nuri = "bolt://127.0.0.1:7687"\n', 0)
        message = run_unprivileged(_config_error, str(config))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert message == f"cannot read config file {config}: Permission denied"


def test_an_unknown_database_is_one_line(env, tmp_path):
    line = one_error_line(ctkg("ingest", "--database", "nope", ARTICLE, env=env))
    assert line.startswith("error: Neo4j has no such database (")
    assert line.endswith("check --database or NEO4J_DATABASE (Neo4j Community has only `neo4j`)")
    line = one_error_line(ctkg("cypher", "RETURN 1", "--database", "nope", env=env))
    assert line.startswith("error: Neo4j has no such database (")


# -- output paths, checked before any work starts (item 2) ---------------------------------
@pytest.mark.parametrize("where, message", [
    ("missing/rejects.jsonl", "its folder {tmp}/missing does not exist"),
    ("a-file/rejects.jsonl", "{tmp}/a-file is not a folder"),
    ("a-folder", "is a folder"),
])
def test_a_rejects_path_that_cannot_be_written_stops_before_any_work(env, driver, tmp_path,
                                                                     where, message):
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "a-folder").mkdir()
    target = tmp_path / where
    line = one_error_line(ctkg("ingest", "--rejects", target, ARTICLE, env=env))
    assert line == f"error: --rejects {target}: {message.format(tmp=tmp_path)}"
    assert driver.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] == 0


def test_an_export_path_that_cannot_be_written_stops_before_connecting(base_env, tmp_path):
    target = tmp_path / "missing" / "graph.graphml"
    line = one_error_line(ctkg("export", "-o", target,
                               env={**base_env, "NEO4J_URI": "bolt://127.0.0.1:1"}))
    assert line == f"error: --output {target}: its folder {target.parent} does not exist"


def test_rejects_that_cannot_be_written_are_said_after_the_summary(env, driver, tmp_path):
    """/dev/full accepts the open and refuses the write (No space left on device)."""
    bad = write(tmp_path / "bad.txt", "Démantèlement".encode("latin-1"))
    proc = ctkg("-q", "ingest", "--rejects", "/dev/full", bad, ARTICLE, env=env)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"error: {bad}: not UTF-8 text",
        "error: the rejects could not be written to /dev/full: No space left on device"]
    assert proc.stdout.startswith("ingested 1 article(s), 1 failed")


def test_good_rejects_keep_the_bad_records_with_where_they_are(env, driver, tmp_path):
    """Item 1 end to end: a JSONL `published` that is a number loses only its own line."""
    text = ARTICLE.read_text(encoding="utf-8")
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join([
        json.dumps({"text": text, "url": "https://example.org/1"}),
        json.dumps({"text": text + " More.", "url": "https://example.org/2", "published": 2025}),
        json.dumps({"text": text + " Again.", "url": ["https://example.org/3"]}),
        '{"text": "\\ud800"}',
        json.dumps({"text": text + " Last.", "url": "https://example.org/5"}),
    ]) + "\n", encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    proc = ctkg("-q", "ingest", "--rejects", rejects, feed, env=env)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.splitlines() == [
        f"error: {feed}:2: field 'published' must be a string or null, not a number",
        f"error: {feed}:3: field 'url' must be a string or null, not a list",
        f"error: {feed}:4: field 'text' is not valid Unicode (a lone surrogate U+D800 at "
        "character 0)"]
    assert proc.stdout.startswith("ingested 2 article(s), 3 failed")
    kept = [json.loads(line)["item"] for line in rejects.read_text().splitlines()]
    assert kept == [f"{feed}:2", f"{feed}:3", f"{feed}:4"]
    urls = driver.execute_query("MATCH (a:Article) RETURN a.url AS u ORDER BY u").records
    assert [r["u"] for r in urls] == ["https://example.org/1", "https://example.org/5"]
