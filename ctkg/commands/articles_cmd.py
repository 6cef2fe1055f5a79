"""`ctkg extract`, `ctkg ingest`, `ctkg eval` and `ctkg demo`."""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import click

from ctkg.cli import connection_options, writable_file
from ctkg.errors import CtkgError
from ctkg.output import emit, format_option

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DEVSET = Path(__file__).resolve().parents[2] / "devset"


def _echo_failure(failure) -> None:
    click.echo(f"error: {failure.item}: {failure.reason}", err=True)


def workers_option(auto: str):
    return click.option(
        "--workers", type=click.IntRange(min=0), default=1, show_default=True,
        help=f"Extract in this many processes (0: {auto}); results keep the input order.")


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@workers_option("one per core")
def extract_cmd(paths, workers) -> None:
    """Print what the extractor finds, as JSON Lines (one object per article).

    PATHS are .txt, .html, .json or .jsonl files, or folders of them. Offsets point
    into each article's text as decoded. An article in a language ctkg has no extractor
    for (it reads ar, fr, en), or whose language cannot be told, is a failed item. Exit
    code 1 when some item failed (each failure is one line on stderr; the other articles
    are still printed). `ctkg ingest -` writes this output to Neo4j.
    """
    from ctkg.ingest import Failure, extract_all

    failed = 0
    for result in extract_all(paths, workers=workers):
        if isinstance(result, Failure):
            failed += 1
            _echo_failure(result)
            continue
        click.echo(json.dumps(result.to_contract(), ensure_ascii=False))
    sys.exit(1 if failed else 0)


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--rejects", type=click.Path(), callback=writable_file,
              help="Append failed items with their reason to this JSON Lines file (checked "
                   "before any work starts).")
@workers_option("one per core less one, which the writer and the database keep")
@connection_options
@click.pass_context
def ingest_cmd(ctx, paths, rejects, workers, settings) -> None:
    """Extract articles and write them to Neo4j (idempotent: re-ingesting changes nothing).

    PATHS as for `ctkg extract`; `-` alone reads `ctkg extract`'s JSON Lines from standard
    input instead (`ctkg extract FILES | ctkg ingest -`), each line checked against the
    schema before it is written. A failed item (an unreadable file, an article in a language
    ctkg cannot read, a bad input line) is reported on one line, kept with its reason (in
    the run's IngestRun node and in --rejects), and the rest of the batch goes on. Exit
    code 1 when some item failed.
    """
    from ctkg.config import input_limits
    from ctkg.db import open_driver
    from ctkg.graph.writer import GraphWriter
    from ctkg.ingest import Failure, IngestStopped, ingest, read_all, read_extracted

    if "-" in paths and len(paths) > 1:
        raise click.UsageError("`-` (extracted JSON Lines on stdin) cannot be mixed with paths")
    quiet = ctx.find_root().obj.get("quiet") if ctx.find_root().obj else False
    input_limits()  # a bad [input] setting is said before connecting
    with open_driver(settings) as driver:
        writer = GraphWriter(driver, database=settings.database)
        writer.ensure_schema()
        # Read once: the count drives the progress bar.
        items = list(read_extracted(_stdin_lines()) if paths == ("-",) else read_all(paths))
        with click.progressbar(length=len(items), label="ingesting", file=sys.stderr,
                               show_pos=True, hidden=quiet or not items) as bar:
            def on_item(result):
                if isinstance(result, Failure):
                    _echo_failure(result)
                bar.update(1)
            try:
                outcome = ingest(items, writer, on_item, source=",".join(map(str, paths)),
                                 workers=1 if paths == ("-",) else workers)
            except IngestStopped as stopped:
                outcome = stopped.outcome
                # The rejects and the run record first; then the one line that says why.
                notes = [_write_rejects(rejects, outcome.failures)]
                if stopped.unrecorded:
                    notes.append(f"the run record could not be finished: {stopped.unrecorded}")
                raise CtkgError("; ".join([str(stopped), _summary(outcome),
                                           *filter(None, notes)])) from None
    problem = _write_rejects(rejects, outcome.failures)
    click.echo(_summary(outcome))
    if problem:
        raise CtkgError(problem)
    sys.exit(1 if outcome.failures else 0)


def _summary(outcome) -> str:
    changes = ", ".join(f"{k}={v}" for k, v in sorted(outcome.counters.items()) if v)
    return (f"ingested {outcome.batches} article(s), {len(outcome.failures)} failed; "
            f"{changes or 'no changes'}")


def _write_rejects(path: str | None, failures) -> str | None:
    """Append the failures to the rejects file; None, or why they could not be written."""
    if not path or not failures:
        return None
    try:
        with open(path, "a", encoding="utf-8") as fh:
            for f in failures:
                fh.write(json.dumps(f.as_dict(), ensure_ascii=False) + "\n")
    except OSError as exc:
        return f"the rejects could not be written to {path}: {exc.strerror or exc}"
    return None


def _stdin_lines():
    """Standard input as UTF-8 lines, whatever the locale."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        return sys.stdin
    return io.TextIOWrapper(stream, encoding="utf-8", errors="replace")


@click.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@format_option()
@click.option("--details", is_flag=True, help="Also list each article's misses on stderr.")
@click.option("--thresholds", is_flag=True,
              help="Instead, relation precision and recall when only edges of at least each "
                   "confidence (0, 0.7, 0.75, 0.8, 0.85) are kept.")
@click.option("--floor", type=click.Path(exists=True, dir_okay=False),
              help="JSON of minimum F1 per language ({\"ar\": {\"entity\": 0.8, "
                   "\"relation\": 0.5}}), or per folder and language as in "
                   "devset/floor.json; exit code 1 when a score is below.")
def eval_cmd(gold_dir, fmt, details, thresholds, floor) -> None:
    """Score the extractor on a folder of articles with gold annotations.

    GOLD_DIR holds <id>.txt beside <id>.json (the format of ANNOTATION.md). Prints
    precision, recall and F1 per entity type, per relation and overall, per language.
    """
    from ctkg.eval import check_floor, evaluate_folder, floor_for, threshold_folder

    if thresholds:
        emit(threshold_folder(Path(gold_dir)),
             ["lang", "min_confidence", "precision", "recall", "f1", "tp", "fp", "fn"], fmt)
        return
    scores, rows = evaluate_folder(Path(gold_dir))
    if details:
        for s in scores:
            for miss in s.misses:
                click.echo(f"{s.id}: {miss}", err=True)
    emit(rows, ["lang", "kind", "type", "precision", "recall", "f1", "tp", "fp", "fn"], fmt)
    if floor:
        problems = check_floor(rows, floor_for(json.loads(Path(floor).read_text()), gold_dir))
        for p in problems:
            click.echo(f"below floor: {p}", err=True)
        sys.exit(1 if problems else 0)


@click.command("demo")
@connection_options
@click.pass_context
def demo_cmd(ctx, settings) -> None:
    """Ingest the example articles and print the headline queries' answers."""
    from ctkg.demo import run_demo

    run_demo(settings, [EXAMPLES, DEVSET / "ar", DEVSET / "fr", DEVSET / "en"])


@click.command("retract")
@click.argument("article")
@connection_options
def retract_cmd(article, settings) -> None:
    """Remove an article and everything only it supported from the graph.

    ARTICLE is the path or URL it was ingested from (the file need not exist any more) or
    its id (the SHA-256 of its text). Facts other articles also state stay, with their
    provenance; vocabulary facts stay while something left still needs them. When the same
    text is also stored from other places, only this place is removed from it. Exit code 1
    when no stored article matches.
    """
    from ctkg.db import open_driver
    from ctkg.graph.writer import GraphWriter, article_keys

    with open_driver(settings) as driver:
        writer = GraphWriter(driver, database=settings.database)
        found = writer.find_articles(article)
        if not found:
            click.echo(f"error: no stored article is {article}", err=True)
            sys.exit(1)
        for art in found:
            by_id = article == art["id"]
            counters = writer.retract(art["id"], None if by_id else article_keys(article))
            changes = ", ".join(f"{k}={v}" for k, v in sorted(counters.items()) if v)
            click.echo(f"retracted {art['id'][:12]} ({', '.join(art['locators'])}): "
                       f"{changes or 'no changes'}")


COMMANDS = [extract_cmd, ingest_cmd, eval_cmd, demo_cmd, retract_cmd]
