"""The analyst's flow in a real browser: `make browser-check` (issue 14, item 6).

OPT-IN, NOT PART OF `make test`: this file is collected only when CTKG_BROWSER_CHECK=1, which
`make browser-check` sets after installing headless Chromium and ChromeDriver (Debian) and
Selenium (into .venv only). See tests/browser/conftest.py.

Against a scratch ctkg server holding examples/ and devset/ar, it opens the Neo4j Browser that
server serves through `ctkg neo4j browser`'s proxy on 127.0.0.1, logs in, pastes `:style` + graph/browser-style.grass, pastes each query
of the README's "Neo4j Browser" section and a library query from `ctkg query show --browser`,
then opens the page `ctkg report -o brief.html` writes. Assertions are on page contents (error
frames, the node and row counts the Browser shows, sections, text direction), never on pixels;
the screenshots in docs/screenshots/ are for the README. Every request the pages made is read
from Chromium's performance log: one for another host must have been refused by the proxy's
Content-Security-Policy before it was sent. Chromium also resolves no host but this machine, so
nothing could come from the internet anyway.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import browser_check as bc

ROOT = Path(__file__).resolve().parents[2]
QUERIES = bc.readme_browser_queries()
ARABIC = re.compile(r"[\u0600-\u06FF]")
KNOWN_OUTSIDE = (r"https://(fonts\.googleapis\.com|cdn\.segment\.com|canny\.io|"
                 r"[\w.]+\.ingest\.sentry\.io)/")
BRIEF_SECTIONS = ("Timeline of incidents", "Map of incidents and cells", "Top organisations",
                  "Top agencies", "Cells directed from abroad", "New since")


def no_error_frame(chrome):
    errors = bc.testids(chrome, "cypherFrameErrorMessage")
    assert not errors, "the Browser shows an error: " + " | ".join(e.text for e in errors)


@pytest.fixture(scope="module")
def browser(chrome, server, proxy):
    """Logged in, with the style applied; returns the driver and the style frame's text."""
    bc.browser_login(chrome, server, proxy)
    style = (ROOT / "graph" / "browser-style.grass").read_text(encoding="utf-8")
    frame = bc.paste_and_run(chrome, ":style " + style)
    time.sleep(1)
    return chrome, frame.text


def test_style_applies(browser, proxy, requests_seen):
    chrome, style_text = browser
    assert "Error" not in style_text, style_text[:500]
    assert "node.Cell" in style_text and "relationship.DIRECTED_BY" in style_text
    no_error_frame(chrome)
    # Browser 5.24's own page still tries Google Fonts, Segment analytics and the Canny SDK
    # (and Sentry after a client error), even with client.allow_telemetry=false. Through the
    # proxy, its Content-Security-Policy makes Chromium refuse each before it is sent, and
    # the page reports each refusal to the proxy. Any other host showing up fails the check.
    tried = bc.outside_requests(chrome)
    assert all(re.match(KNOWN_OUTSIDE, url) for url in tried), tried
    seen = bc.page_requests(chrome, requests_seen)
    outside = sorted(url for url in seen if not bc.LOCAL.match(url))
    assert outside and all(re.match(KNOWN_OUTSIDE, url) for url in outside), outside
    assert bc.sent_outside(seen) == []
    assert any(url.startswith(f"ws://127.0.0.1:{proxy.bolt_port}") for url in seen), \
        "the Browser did not open its Bolt WebSocket"
    bc.wait_for(lambda: len(proxy.blocked) >= len({url.split("?")[0] for url in outside}),
                10, "the page's reports of the refused requests")
    print("refused by the page's policy:", *sorted(proxy.blocked), sep="\n  ")


@pytest.mark.parametrize("comment,query", QUERIES, ids=[c[:40] for c, _ in QUERIES])
def test_readme_query(browser, bolt, screenshots, comment, query):
    chrome, _ = browser
    records, nodes = bc.expected_counts(bolt, query)
    assert records > 0, f"the README query returns nothing on examples/ + devset/ar: {comment}"
    frame = bc.paste_and_run(chrome, query)
    if nodes:
        status = bc.wait_for(lambda: re.search(r"Displaying (\d+) nodes?, (\d+) relationships?",
                                               bc.frame_status(frame)), 60, "the graph view")
        assert int(status.group(1)) == nodes, (comment, status.group(0))
        time.sleep(4)  # let the force layout settle before the screenshot
        fills = chrome.execute_script(
            "return [...arguments[0].querySelectorAll('g.node circle.b-outline')]"
            ".map(c => c.getAttribute('fill'))", frame)
        assert fills and "#A5ABB6" not in {f.upper() for f in fills}, \
            f"nodes without a style colour: {sorted(set(fills))}"
        if QUERIES.index((comment, query)) == 0:
            frame.screenshot(str(screenshots / "browser-graph.png"))
        else:
            frame.screenshot(str(screenshots / "browser-network.png"))
    else:
        status = bc.wait_for(lambda: re.search(r"(\d+) records?", bc.frame_status(frame)),
                             60, "the table view")
        assert int(status.group(1)) == records, (comment, status.group(0))
        rows = chrome.execute_script(
            "return arguments[0].querySelectorAll('table tbody tr').length", frame)
        assert rows == records
    no_error_frame(chrome)


def test_library_query_with_params(browser, bolt):
    """`ctkg query show ID --browser` output pastes and runs as is (its :param lines first)."""
    chrome, _ = browser
    shown = subprocess.run([sys.executable, "-m", "ctkg", "-q", "query", "show",
                            "cells-directed-from-abroad", "--browser"],
                           capture_output=True, text=True, check=True).stdout
    assert shown.startswith(":param ")
    statements = [ln for ln in shown.splitlines() if ln.startswith(":param ")] + ["query"]
    frame = bc.paste_and_run(chrome, shown)
    # Multi-statement mode: one line per statement, each with its status icon.
    def statuses():
        icons = bc.testids(chrome, "multi-statement-list-icon", frame)
        titles = [icon.get_attribute("title") for icon in icons]
        done = len(titles) == len(statements) and not any(
            t.endswith(("pending", "waiting")) for t in titles)
        return titles if done else None

    titles = bc.wait_for(statuses, 90, "every statement to finish")
    assert titles == ["Status: success"] * len(statements)
    no_error_frame(chrome)


def test_no_request_left_this_machine(browser, proxy, requests_seen):
    """Over the whole Browser session (login, style, every query): each request for another
    host was refused by the proxy's policy, none was sent."""
    chrome, _ = browser
    seen = bc.page_requests(chrome, requests_seen)
    assert len(seen) > 20, "the performance log holds almost nothing"
    assert bc.sent_outside(seen) == []
    assert proxy.blocked, "no refusal reported: is the policy applied?"
    assert all(not bc.LOCAL.match(url) for url in proxy.blocked), proxy.blocked


def test_briefing_page(chrome, server, screenshots, tmp_path):
    env = {**os.environ, "NEO4J_URI": server.bolt_uri, "NEO4J_USER": "neo4j",
           "CTKG_CONFIG": str(tmp_path / "absent.toml")}
    env.pop("NEO4J_PASSWORD", None)
    subprocess.run([sys.executable, "-m", "ctkg", "-q", "report", "-o", "brief.html",
                    "--password-file", str(server.password_file)],
                   cwd=tmp_path, env=env, check=True)
    chrome.get((tmp_path / "brief.html").as_uri())
    headings = [h.text for h in chrome.find_elements("css selector", "h2")]
    for section in BRIEF_SECTIONS:
        assert any(h.startswith(section) for h in headings), (section, headings)
    assert chrome.find_elements("css selector", "svg"), "no inline chart or map"
    rtl = chrome.execute_script(
        "return [...document.querySelectorAll('[dir]')]"
        ".filter(e => e.matches(':dir(rtl)')).map(e => e.textContent)")
    assert any(ARABIC.search(text) for text in rtl), "no Arabic text reads right to left"
    assert all(ARABIC.search(text) for text in rtl), "a right-to-left element without Arabic"
    assert bc.outside_requests(chrome) == []
    chrome.set_window_size(1200, 1500)  # the top of the page: header, timeline, map
    chrome.save_screenshot(str(screenshots / "briefing.png"))
    chrome.set_window_size(1500, 1000)
