"""Opt-in: the real-browser check runs only with CTKG_BROWSER_CHECK=1, which `make browser-check`
sets (after installing Chromium, ChromeDriver and Selenium). Without it `make test` does not
collect this folder at all: it needs a browser that CI does not have."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

if os.environ.get("CTKG_BROWSER_CHECK") != "1":
    collect_ignore_glob = ["test_*.py"]
else:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture(scope="session")
def server():
    """A scratch ctkg server on free ports, holding examples/ and devset/ar. To work on the
    check itself, CTKG_BROWSER_CHECK_HOME=<home> reuses a running server home already holding
    them (left running)."""
    import browser_check
    from ctkg.server import Instance

    reuse = os.environ.get("CTKG_BROWSER_CHECK_HOME")
    if reuse:
        yield Instance.at(Path(reuse))
        return
    with browser_check.scratch_server() as inst:
        browser_check.ingest(browser_check.settings_for(inst),
                             [ROOT / "examples", ROOT / "devset" / "ar"])
        yield inst


@pytest.fixture(scope="session")
def proxy(server):
    """`ctkg neo4j browser`'s proxy in front of the server: the check opens the Browser
    through it."""
    import browser_check

    with browser_check.browser_proxy(server) as running:
        yield running


@pytest.fixture(scope="session")
def requests_seen() -> dict:
    """url -> how it ended, for every request the pages made (browser_check.page_requests)."""
    return {}


@pytest.fixture(scope="session")
def bolt(server):
    import neo4j

    with neo4j.GraphDatabase.driver(server.bolt_uri, auth=("neo4j", server.password())) as drv:
        yield drv


@pytest.fixture(scope="session")
def chrome():
    import browser_check

    driver = browser_check.chrome()
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
