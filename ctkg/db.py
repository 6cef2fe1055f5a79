"""Opening a driver from Settings; the same code serves a local server, a cluster or Aura."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import neo4j

from ctkg.config import Settings
from ctkg.errors import CtkgError


@contextmanager
def open_driver(settings: Settings) -> Iterator[neo4j.Driver]:
    """A verified driver. neo4j:// and neo4j+s:// route (clusters, Aura); bolt:// is direct."""
    driver = neo4j.GraphDatabase.driver(settings.uri,
                                        auth=(settings.user, settings.resolved_password()),
                                        notifications_min_severity="OFF")
    try:
        try:
            driver.verify_connectivity()
        except neo4j.exceptions.ServiceUnavailable:
            raise CtkgError(f"cannot reach Neo4j at {settings.uri}: is it running? "
                            "try `ctkg neo4j status`") from None
        yield driver
    finally:
        driver.close()
