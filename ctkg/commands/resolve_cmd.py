"""`ctkg resolve`: merge candidates, and merge decisions that are recorded and reversible."""
from __future__ import annotations

import click

from ctkg.cli import connection_options
from ctkg.output import emit, format_option

CANDIDATE_COLUMNS = ["label", "left_id", "left_name", "right_id", "right_name", "score",
                     "status", "evidence"]
DECISION_COLUMNS = ["id", "label", "kept", "merged", "left_id", "right_id", "decision", "score",
                    "auto", "decided_at", "evidence"]
LABELS = ("Incident", "Cell", "Person")


@click.group("resolve")
def resolve_group() -> None:
    """Merge candidates, and merge decisions that are recorded and can be undone.

    `ctkg resolve list` shows pairs of nodes that may be one thing (incidents reported by
    several outlets or copies, their cells, a person written in two scripts), each with a
    score and its evidence. `accept` merges a pair, `reject` records that it is two things
    (it is never proposed again), `undo` takes a decision back, and `run` merges every pair
    above the automatic threshold, recorded the same way. Thresholds and weights:
    graph/resolution.yaml.
    """


def _entity(driver, value: str, settings) -> str:
    from ctkg.queries.search import resolve

    return resolve(driver, value, LABELS, what="entity", database=settings.database)


@resolve_group.command("list")
@click.option("-l", "--label", type=click.Choice(LABELS), help="Only pairs of this label.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Only pairs scoring at least this.")
@format_option()
@connection_options
def list_cmd(label: str | None, min_score: float, fmt: str, settings) -> None:
    """Candidate pairs not decided yet, best first, with their score and evidence."""
    from ctkg.db import open_driver
    from ctkg.graph.resolve import candidates

    with open_driver(settings) as driver:
        found = candidates(driver, label, database=settings.database)
    emit([c.row() for c in found if c.score >= min_score], CANDIDATE_COLUMNS, fmt)


@resolve_group.command("run")
@click.option("--dry-run", is_flag=True, help="Show what would be merged; change nothing.")
@format_option()
@connection_options
def run_cmd(dry_run: bool, fmt: str, settings) -> None:
    """Merge every candidate above the automatic threshold (recorded, undoable)."""
    from ctkg.db import open_driver
    from ctkg.graph.resolve import Resolver

    with open_driver(settings) as driver:
        done = Resolver(driver, settings.database).run(dry_run=dry_run)
    click.echo(f"{'would merge' if dry_run else 'merged'} {len(done)} pair(s)", err=True)
    emit(done, CANDIDATE_COLUMNS, fmt)


@resolve_group.command("accept")
@click.argument("keep")
@click.argument("merge")
@format_option()
@connection_options
def accept_cmd(keep: str, merge: str, fmt: str, settings) -> None:
    """Merge MERGE into KEEP (ids, or names that say which): its facts, provenance and
    aliases go to KEEP, and the decision is recorded."""
    from ctkg.db import open_driver
    from ctkg.graph.resolve import Resolver, candidates

    with open_driver(settings) as driver:
        keep, merge = _entity(driver, keep, settings), _entity(driver, merge, settings)
        known = next((c for c in candidates(driver, database=settings.database)
                      if {c.left, c.right} == {keep, merge}), None)
        got = Resolver(driver, settings.database).accept(
            keep, merge, known.score if known else None, known.evidence if known else
            ["accepted by hand"])
    emit([got], DECISION_COLUMNS, fmt)


@resolve_group.command("reject")
@click.argument("left")
@click.argument("right")
@format_option()
@connection_options
def reject_cmd(left: str, right: str, fmt: str, settings) -> None:
    """Record that LEFT and RIGHT are different things: the pair is never proposed again (a
    merge between them is undone first)."""
    from ctkg.db import open_driver
    from ctkg.graph.resolve import Resolver

    with open_driver(settings) as driver:
        left, right = _entity(driver, left, settings), _entity(driver, right, settings)
        got = Resolver(driver, settings.database).reject(left, right, ["rejected by hand"])
    emit([got], DECISION_COLUMNS, fmt)


@resolve_group.command("undo")
@click.argument("decision")
@format_option()
@connection_options
def undo_cmd(decision: str, fmt: str, settings) -> None:
    """Take back a decision (its judgement id, or the id of a node it merged or kept): a
    merge is split again, with the facts and provenance of each side; a rejection is
    forgotten (the pair is proposed again)."""
    from ctkg.db import open_driver
    from ctkg.graph.resolve import Resolver

    with open_driver(settings) as driver:
        got = Resolver(driver, settings.database).undo(decision)
    emit([got], ["id", "label", "left", "right", "was", "decision"], fmt)


@resolve_group.command("decisions")
@click.option("--decision", type=click.Choice(("positive", "negative", "undone")),
              help="Only decisions of this kind.")
@format_option()
@connection_options
def decisions_cmd(decision: str | None, fmt: str, settings) -> None:
    """The recorded decisions: merges (positive), rejections (negative), undone ones."""
    from ctkg.db import open_driver
    from ctkg.graph.resolve import Resolver

    with open_driver(settings) as driver:
        rows = Resolver(driver, settings.database).judgements(decision)
    emit(rows, DECISION_COLUMNS, fmt)


COMMANDS = [resolve_group]
