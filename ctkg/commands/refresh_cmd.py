"""`ctkg refresh`."""
from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

import click

from ctkg.cli import connection_options
from ctkg.errors import CtkgError

log = logging.getLogger("ctkg.refresh")

EXIT_BUSY = 75  # EX_TEMPFAIL: another run holds the lock; try again later
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def timestamped_logs() -> None:
    """Every log line on stderr starts with its local time (cron and journald logs)."""
    formatter = logging.Formatter(LOG_FORMAT, "%Y-%m-%dT%H:%M:%S%z")
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter)


def stamp() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def print_report(report: dict, as_json: bool) -> None:
    from ctkg.alerts import summary_lines

    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    for s in report["sources"]:
        click.echo(f"{stamp()} {s['source']}: new {s['new']}, changed {s['changed']}, "
                   f"unchanged {s['unchanged']}, duplicate {s['duplicate']}, failed "
                   f"{s['failed']}, quarantined {s['quarantined']}, retracted {s['retracted']}")
    for line in summary_lines(report["alerts"]):
        click.echo(f"{stamp()} {line}")


def loop(run_once, every: float, times: int | None = None, sleep=time.sleep,
         clock=time.monotonic) -> int:
    """Run, then again `every` seconds after the start of the previous run; a run that fails
    is logged and the loop goes on. Returns the exit code of the last run (after `times`)."""
    done = 0
    while True:
        started = clock()
        try:
            code = run_once()
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # a failing run must not end the schedule
            log.error("run failed: %s", exc if isinstance(exc, CtkgError)
                      else f"{type(exc).__name__}: {exc}")
            code = 1
        done += 1
        if times is not None and done >= times:
            return code
        sleep(max(0.0, started + every - clock()))


@click.command("refresh")
@click.option("--source", "names", multiple=True, metavar="NAME",
              help="Refresh only this source (repeatable); default: every [[source]].")
@click.option("--sources", "sources_file", type=click.Path(dir_okay=False),
              help="Read [refresh] and [[source]] from this file instead of the config file.")
@click.option("--every", metavar="DURATION",
              help="Run again and again, one run every DURATION (30m, 1h, 90s); a failing "
                   "run is logged and the next one still runs.")
@click.option("--times", type=click.IntRange(min=1),
              help="With --every: stop after this many runs.")
@click.option("--wait", type=click.FloatRange(min=0), default=0, show_default=True,
              help="Seconds to wait while another refresh or ingest writes to the graph, "
                   f"then exit with code {EXIT_BUSY}.")
@click.option("--json", "as_json", is_flag=True,
              help="Print the run report (counts per source, errors, new entities) as JSON.")
@click.option("--webhook", metavar="URL",
              help="POST the JSON report here when a run adds cells, incidents or "
                   "organisations (default: refresh.webhook of the config file).")
@click.option("--hook", metavar="COMMAND",
              help="Run COMMAND with the JSON report on stdin when a run adds cells, "
                   "incidents or organisations (default: refresh.hook).")
@connection_options
def refresh_cmd(names, sources_file, every, times, wait, as_json, webhook, hook,
                settings) -> None:
    """Fetch what is new in the configured sources and write it to Neo4j.

    Sources are the [[source]] tables of the config file: RSS/Atom feeds, sitemaps, URL
    lists, folders and JSONL dumps (README, Refresh scheduling). Only what changed is
    fetched, read and extracted; a failing item is reported once, kept with its reason and
    retried later with a growing delay. Exit codes: 0 done; 3 done, but an item or source
    failed for the first time (the rest is written); 75 another run holds the graph's
    write lock; 1 could not run (configuration, Neo4j).
    """
    from ctkg.sources import load_refresh_settings, parse_duration

    timestamped_logs()
    refresh = load_refresh_settings(Path(sources_file) if sources_file else None)
    for name in names:
        refresh.source(name)  # an unknown name is a mistake before anything runs
    webhook = webhook or refresh.webhook
    hook = hook or refresh.hook

    def run_once() -> int:
        return _run(settings, refresh, list(names), wait, as_json, webhook, hook)

    if every is None:
        sys.exit(run_once())
    interval = parse_duration(every, "--every")
    if interval <= 0:
        raise click.BadParameter("must be longer than 0s", param_hint="--every")
    log.info("refreshing every %s", every)
    sys.exit(loop(run_once, interval, times))


def _run(settings, refresh, names, wait, as_json, webhook, hook) -> int:
    from ctkg.alerts import notify
    from ctkg.db import open_driver
    from ctkg.graph.writer import GraphWriter
    from ctkg.lock import Busy, write_lock
    from ctkg.refresh import Refresher

    with open_driver(settings) as driver:
        writer = GraphWriter(driver, database=settings.database)
        try:
            with write_lock(writer, wait=wait, what="ctkg refresh"):
                report = Refresher(writer, refresh).run(names or None)
        except Busy as exc:
            click.echo(f"{stamp()} busy: {exc}", err=True)
            return EXIT_BUSY
    data = report.as_dict()
    print_report(data, as_json)
    if data["alerts"] and (webhook or hook):
        notify(data, webhook, hook, refresh.user_agent, refresh.timeout)
    log.info("run %s: exit code %d", report.run_id, report.exit_code)
    return report.exit_code


COMMANDS = [refresh_cmd]
