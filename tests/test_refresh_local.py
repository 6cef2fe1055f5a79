"""`ctkg refresh` on local sources (folders, JSONL dumps), the write lock, the schedule loop,
the exit codes and the sources configuration."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from ctkg.cli import _register, cli
from ctkg.commands.refresh_cmd import loop
from ctkg.config import ConfigError
from ctkg.lock import lock_path
from ctkg.refresh import Refresher
from ctkg.sources import parse_duration, parse_refresh_settings

from tests.test_refresh import ISWAP, TUNIS, count, counts, settings  # noqa: F401

if "refresh" not in cli.commands:
    _register()


def folder_source(path, **kw):
    from ctkg.sources import Source

    return Source(name="inbox", kind="folder", location=str(path), **kw)


def test_a_folder_is_read_by_size_and_mtime_then_hash(tmp_path, writer, driver, caplog):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "iswap.txt").write_text(ISWAP, encoding="utf-8")
    (inbox / "brief.pdf").write_bytes(b"%PDF-1.4")
    config = settings(folder_source(inbox))
    caplog.set_level("INFO")
    assert counts(Refresher(writer, config).run(), "inbox") == {"new": 1}
    assert "brief.pdf: skipped: .pdf is not an article format" in caplog.text

    caplog.clear()
    os.utime(inbox / "iswap.txt")  # touched, same bytes: hashed, not extracted
    (inbox / "tunis.txt").write_text(TUNIS, encoding="utf-8")
    second = Refresher(writer, config).run()
    assert counts(second, "inbox") == {"new": 1, "unchanged": 1}
    assert "brief.pdf" not in caplog.text  # said once

    (inbox / "iswap.txt").write_text(ISWAP.replace("six", "seven"), encoding="utf-8")
    assert counts(Refresher(writer, config).run(), "inbox") == {"changed": 1, "unchanged": 1}
    assert count(driver, "MATCH (a:Article) RETURN count(a)") == 2


def test_retraction_is_off_by_default_and_removes_unlisted_articles_when_on(tmp_path, writer,
                                                                          driver):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "iswap.txt").write_text(ISWAP, encoding="utf-8")
    (inbox / "tunis.txt").write_text(TUNIS, encoding="utf-8")
    Refresher(writer, settings(folder_source(inbox))).run()
    cells = count(driver, "MATCH (c:Cell) RETURN count(c)")
    (inbox / "tunis.txt").unlink()
    kept = Refresher(writer, settings(folder_source(inbox))).run()
    assert counts(kept, "inbox") == {"unchanged": 1}
    assert count(driver, "MATCH (a:Article) RETURN count(a)") == 2

    removed = Refresher(writer, settings(folder_source(inbox, retract=True))).run()
    assert counts(removed, "inbox") == {"unchanged": 1, "retracted": 1}
    assert count(driver, "MATCH (a:Article) RETURN count(a)") == 1
    assert 0 < count(driver, "MATCH (c:Cell) RETURN count(c)") < cells  # its cell went too


def test_a_jsonl_dump_reads_only_its_new_records(tmp_path, writer):
    from ctkg.sources import Source

    dump = tmp_path / "dump.jsonl"
    records = [{"url": "https://example.org/iswap", "text": ISWAP, "lang": "en"},
               "not a record"]
    dump.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    config = settings(Source(name="dump", kind="jsonl", location=str(dump)))
    first = Refresher(writer, config).run()
    assert counts(first, "dump") == {"new": 1, "failed": 1}
    [error] = first.sources[0].errors
    assert error.startswith(f"{dump}:2: a record must be a JSON object")
    with dump.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"url": "https://example.org/tunis", "text": TUNIS}) + "\n")
    second = Refresher(writer, config).run()
    # the old record is stored already, the bad line is not reported again
    assert counts(second, "dump") == {"new": 1, "unchanged": 1, "quarantined": 1}
    assert second.exit_code == 0


HOLD = textwrap.dedent("""
    import fcntl, json, os, sys
    fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.write(fd, json.dumps({"pid": os.getpid(), "what": "ctkg ingest",
                             "since": "2026-03-02T08:00:00+00:00"}).encode())
    print("held", flush=True)
    sys.stdin.read()
""")


def test_a_refresh_exits_75_while_another_run_holds_the_lock(tmp_path, writer, env,
                                                             monkeypatch):
    monkeypatch.setenv("CTKG_HOME", str(tmp_path / "home"))
    path = lock_path(writer)
    path.parent.mkdir(parents=True)
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nname = "inbox"\nfolder = "{tmp_path}"\n', encoding="utf-8")
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = CliRunner().invoke(cli, ["refresh", "--sources", str(sources)],
                                    env={**env, "CTKG_HOME": str(tmp_path / "home")})
    finally:
        holder.communicate("")
    assert result.exit_code == 75
    assert "another run (ctkg ingest, pid" in result.output
    assert count(writer.driver, "MATCH (r:RefreshRun) RETURN count(r)") == 0
    # once it is released, the same refresh runs
    result = CliRunner().invoke(cli, ["refresh", "--sources", str(sources), "--json"],
                                env={**env, "CTKG_HOME": str(tmp_path / "home")})
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["status"] == "ok" and report["sources"][0]["source"] == "inbox"


def test_the_schedule_survives_a_failing_run():
    outcomes = iter([RuntimeError("Neo4j went away"), 3, 0])
    naps = []

    def run_once():
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert loop(run_once, 1800, times=3, sleep=naps.append, clock=lambda: 0.0) == 0
    assert naps == [1800, 1800]


def test_sources_configuration_mistakes_are_one_line():
    good = parse_refresh_settings({"refresh": {"timeout": "30s", "retry_failed_after": "2h"},
                                   "source": [{"feed": "https://e.org/rss", "lang": "fr",
                                               "tags": ["press"]}]}, "c.toml")
    assert good.timeout == 30 and good.retry_failed_after == 7200
    assert good.sources[0].name == "https://e.org/rss" and good.sources[0].tags == ("press",)
    assert parse_duration("30m") == 1800
    for data, message in [
        ({"source": [{"name": "x"}]}, "needs exactly one of feed, sitemap, urls, folder, jsonl"),
        ({"source": [{"feed": "u", "retract": True}]}, "retract does not apply to a feed"),
        ({"source": [{"folder": "a", "colour": 1}]}, "unknown keys: colour"),
        ({"refresh": {"timeout": "soon"}}, "is not a duration"),
        ({"source": [{"folder": "a", "name": "n"}, {"folder": "b", "name": "n"}]},
         "two sources are named n"),
    ]:
        with pytest.raises(ConfigError, match=message):
            parse_refresh_settings(data, "c.toml")


def test_an_unknown_source_name_is_one_line(tmp_path, env):
    sources = tmp_path / "s.toml"
    sources.write_text('[[source]]\nname = "a"\nfolder = "/tmp"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["refresh", "--sources", str(sources), "--source", "b"],
                                env=env)
    assert result.exit_code != 0
    assert "no source named 'b'" in str(result.exception or result.output)
