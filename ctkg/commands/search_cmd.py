"""`ctkg search TEXT`: entities by name or alias, in Arabic, French or English."""
from __future__ import annotations

import logging

import click

from ctkg.cli import connection_options
from ctkg.errors import CtkgError
from ctkg.output import emit, format_option, lang_option

COLUMNS = ["label", "id", "name", "score", "match"]

log = logging.getLogger(__name__)


@click.command("search")
@click.argument("text")
@click.option("-l", "--label", "labels", multiple=True, metavar="LABEL",
              help="Only entities with this label (repeatable): Cell, Organisation, Agency, "
                   "Person, Region, Incident, WeaponsCache.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="At most this many hits.")
@format_option()
@lang_option
@connection_options
def search_cmd(text: str, labels: tuple[str, ...], limit: int, fmt: str, lang: str | None,
               settings) -> None:
    """Find entities by name or alias in Arabic, French or English, with the label, id and
    score of each hit.

    The text is folded as the extractor folds articles (Arabic normalised, case and accents
    ignored): `ctkg search داعش`, `ctkg search Daech` and `ctkg search ISIS` all find the
    Islamic State. The match column says how: id, exact (a name or alias), word (inside one),
    text (some of its words) or fuzzy (a close spelling, shown when nothing else matches).
    Exits 1 when nothing matches. With --lang, each hit's name is shown in that language
    where the graph has it.
    """
    from ctkg.db import open_driver
    from ctkg.queries.search import entity_labels, search

    known = entity_labels()
    unknown = [label for label in labels if label not in known]
    if unknown:
        raise CtkgError(f"unknown label {', '.join(unknown)} (one of: {', '.join(known)})")
    with open_driver(settings) as driver:
        hits = search(driver, text, labels=labels or None, limit=limit,
                      database=settings.database)
        if not hits:
            hits = search(driver, text, labels=labels or None, limit=limit, fuzzy=True,
                          database=settings.database)
        if not hits:
            raise CtkgError(f"no entity has a name or alias like {text!r}")
        rows = [h.row() for h in hits]
        if lang:
            from ctkg.display import localise

            rows = localise(driver, rows, COLUMNS, lang, database=settings.database)
    emit(rows, COLUMNS, fmt)


COMMANDS = [search_cmd]
