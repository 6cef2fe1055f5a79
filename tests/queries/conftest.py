"""The query tests share one world, written once per test module."""
from __future__ import annotations

import pytest

from tests.queries import world


@pytest.fixture(scope="module")
def graph(session_driver):
    """The fixture world on an otherwise empty database; tests must not write to it."""
    with session_driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS").consume()
    world.build(session_driver)
    return session_driver
