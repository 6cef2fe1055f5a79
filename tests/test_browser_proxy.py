"""`ctkg neo4j browser`: the Browser through a proxy that adds a Content-Security-Policy,
against the suite's real Neo4j (tests/conftest.py). What a real browser does with the policy is
checked by `make browser-check` (tests/browser/)."""
from __future__ import annotations

import base64
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading

import pytest
from ctkg.browser import BrowserProxy, BrowserProxyError, check_loopback
from ctkg.server import free_port

LOCAL_SOURCE = re.compile(r"'self'|'none'|'unsafe-inline'|data:|blob:|/__ctkg/csp-report|"
                          r"(ws|http)://(127\.0\.0\.1|localhost):\d+")


@pytest.fixture(scope="module")
def proxy(neo4j_instance):
    running = BrowserProxy(neo4j_instance.http_port, neo4j_instance.bolt_port)
    thread = threading.Thread(target=running.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.server_close()


def get(port: int, path: str, method: str = "GET", body: bytes | None = None,
        headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        reply = conn.getresponse()
        return reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read()
    finally:
        conn.close()


def policy(headers: dict) -> dict[str, list[str]]:
    directives = [d.split() for d in headers["content-security-policy"].split(";")]
    return {d[0]: d[1:] for d in directives if d}


def test_the_browser_page_comes_with_a_policy_that_names_only_this_machine(proxy, neo4j_instance):
    port = proxy.server_address[1]
    status, headers, body = get(port, "/browser/")
    assert status == 200 and b"<title>Neo4j Browser</title>" in body
    assert body == get(neo4j_instance.http_port, "/browser/")[2]
    rules = policy(headers)
    assert rules["default-src"] == ["'self'"] and rules["script-src"] == ["'self'"]
    assert rules["font-src"] == ["'self'", "data:"] and rules["object-src"] == ["'none'"]
    assert f"ws://127.0.0.1:{neo4j_instance.bolt_port}" in rules["connect-src"]
    sources = [s for values in rules.values() for s in values]
    assert all(LOCAL_SOURCE.fullmatch(s) for s in sources), sources


def test_every_file_and_the_discovery_document_pass_unchanged(proxy, neo4j_instance):
    port = proxy.server_address[1]
    page = get(port, "/browser/")[2].decode()
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert len(scripts) >= 3
    for script in scripts:
        status, headers, body = get(port, f"/browser/{script}")
        direct = get(neo4j_instance.http_port, f"/browser/{script}")
        assert status == 200 and body == direct[2] and len(body) > 1000
        assert "content-security-policy" in headers
    status, headers, body = get(port, "/", headers={"Accept": "application/json"})
    found = json.loads(body)
    assert found["bolt_direct"] == f"bolt://127.0.0.1:{neo4j_instance.bolt_port}"
    head = get(port, f"/browser/{scripts[0]}", method="HEAD")
    assert head[0] == 200 and head[2] == b""


def test_a_redirect_to_the_server_comes_back_to_the_proxy(proxy, neo4j_instance):
    port = proxy.server_address[1]
    status, headers, _ = get(port, "/", headers={"Accept": "text/html"})
    direct = get(neo4j_instance.http_port, "/", headers={"Accept": "text/html"})
    assert direct[1]["location"] == f"http://127.0.0.1:{neo4j_instance.http_port}/browser/"
    assert status == direct[0] == 303 and headers["location"] == "/browser/"


def test_a_query_posted_through_the_proxy_runs(proxy, neo4j_instance):
    """Bodies and the Authorization header go through (the HTTP API, as a page may use it)."""
    token = base64.b64encode(f"neo4j:{neo4j_instance.password()}".encode()).decode()
    body = json.dumps({"statements": [{"statement": "RETURN 40 + 2 AS answer"}]}).encode()
    status, headers, reply = get(proxy.server_address[1], "/db/neo4j/tx/commit", "POST", body,
                                 {"Content-Type": "application/json",
                                  "Authorization": f"Basic {token}"})
    assert status == 200, reply
    assert json.loads(reply)["results"][0]["data"][0]["row"] == [42]
    wrong = get(proxy.server_address[1], "/db/neo4j/tx/commit", "POST", body,
                {"Content-Type": "application/json",
                 "Authorization": "Basic " + base64.b64encode(b"neo4j:wrong").decode()})
    assert wrong[0] == 401


def test_the_page_s_reports_of_refused_requests_are_logged_once(proxy, caplog):
    report = {"csp-report": {"blocked-uri": "https://cdn.segment.com/analytics.js",
                             "violated-directive": "script-src-elem"}}
    with caplog.at_level("INFO", logger="ctkg.browser"):
        for _ in range(2):
            status, _, _ = get(proxy.server_address[1], "/__ctkg/csp-report", "POST",
                               json.dumps(report).encode(),
                               {"Content-Type": "application/csp-report"})
            assert status == 204
        status, _, _ = get(proxy.server_address[1], "/__ctkg/csp-report", "POST", b"not json")
        assert status == 204
    assert proxy.blocked["https://cdn.segment.com/analytics.js"] == "script-src-elem"
    logged = [r.getMessage() for r in caplog.records if "segment" in r.getMessage()]
    assert logged == ["refused by the page's policy (script-src-elem): "
                      "https://cdn.segment.com/analytics.js"]


def test_a_server_that_does_not_answer_is_a_502_line(neo4j_instance):
    dead = BrowserProxy(free_port(), neo4j_instance.bolt_port)
    thread = threading.Thread(target=dead.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        status, headers, body = get(dead.server_address[1], "/browser/")
    finally:
        dead.shutdown()
        dead.server_close()
    assert status == 502 and body.decode().startswith("Neo4j does not answer on 127.0.0.1:")
    assert body.count(b"\n") == 1 and "content-security-policy" in headers


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.org", ""])
def test_only_a_loopback_address_is_bound(host):
    with pytest.raises(BrowserProxyError, match="loopback"):
        BrowserProxy(7474, 7687, host=host)


def test_loopback_names():
    assert check_loopback("127.0.0.1") == "127.0.0.1"
    assert check_loopback("localhost") == "127.0.0.1"
    assert check_loopback("::1") == "::1"


def test_the_command_refuses_another_address_in_one_line(neo4j_instance, isolated):
    result = subprocess.run([sys.executable, "-m", "ctkg", "neo4j", "browser", "--home",
                             str(neo4j_instance.home), "--host", "0.0.0.0"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "error: the Browser proxy binds only a loopback address (127.0.0.1, ::1), not "
        "'0.0.0.0': it serves a database session"]


def test_the_command_needs_a_running_server(isolated):
    result = subprocess.run([sys.executable, "-m", "ctkg", "neo4j", "browser", "--home",
                             str(isolated / "nothing-here")], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"error: Neo4j is not running from {isolated / 'nothing-here'}: run `ctkg neo4j "
        "start` first"]


def test_the_command_serves_prints_its_address_and_stops_on_ctrl_c(neo4j_instance, isolated):
    proc = subprocess.Popen([sys.executable, "-m", "ctkg", "neo4j", "browser", "--home",
                             str(neo4j_instance.home), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ})
    try:
        line = proc.stdout.readline()
        found = re.fullmatch(r"Neo4j Browser: http://127\.0\.0\.1:(\d+)/browser/\?dbms="
                             rf"neo4j://127\.0\.0\.1:{neo4j_instance.bolt_port}\n", line)
        assert found, line
        status, headers, _ = get(int(found.group(1)), "/browser/")
        assert status == 200 and "content-security-policy" in headers
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "stopped" in err
    assert neo4j_instance.password() not in line + err
