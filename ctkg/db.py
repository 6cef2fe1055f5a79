"""Opening a driver from Settings; the same code serves a local server, a cluster or Aura."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import neo4j

from ctkg.config import Settings


@contextmanager
def open_driver(settings: Settings) -> Iterator[neo4j.Driver]:
    """A verified driver. neo4j:// and neo4j+s:// route (clusters, Aura); bolt:// is direct."""
    driver = neo4j.GraphDatabase.driver(settings.uri,
                                        auth=(settings.user, settings.resolved_password()),
                                        notifications_min_severity="OFF")
    try:
        driver.verify_connectivity()
        yield driver
    finally:
        driver.close()
