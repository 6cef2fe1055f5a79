"""Drive the real Neo4j Browser and the briefing page in headless Chromium (`make browser-check`).

The helpers below are used by tests/browser/test_browser_check.py, which `make browser-check`
runs with CTKG_BROWSER_CHECK=1. They start a scratch ctkg server on free ports in
.ctkg-test/, ingest the example articles, and open the Browser that server serves through
`ctkg neo4j browser`'s proxy (ctkg/browser.py) on 127.0.0.1. Chromium's performance log
records every request the page makes: each one for another host must have been refused by
the proxy's Content-Security-Policy (blocked reason "csp") before it was sent. Chromium's own
network features are off, and as a second wall it resolves no host but this machine.
"""
from __future__ import annotations

import json
import re
import shutil
import threading
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# Chromium switches: headless, and none of its own calls home (updates, sync, field trials).
CHROME_ARGS = ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
               "--window-size=1500,1000", "--force-device-scale-factor=1", "--lang=en-GB",
               "--no-first-run", "--disable-background-networking", "--disable-sync",
               "--disable-component-update", "--disable-default-apps", "--disable-extensions",
               "--metrics-recording-only", "--disable-features=Translate,OptimizationHints,MediaRouter",
               # every host name but this machine's resolves to nothing: no request leaves it
               "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost")


@contextmanager
def scratch_server():
    """A fresh ctkg server home under .ctkg-test/ on free ports; stopped and removed after."""
    from ctkg.server import Instance, free_port

    parent = ROOT / ".ctkg-test"
    parent.mkdir(exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="browser-", dir=parent))
    inst = Instance(home, bolt_port=free_port(), http_port=free_port(), heap="512m",
                    pagecache="256m")
    try:
        inst.start(timeout=300, log=lambda m: None)
        yield inst
    finally:
        inst.stop()
        shutil.rmtree(home, ignore_errors=True)


def settings_for(inst):
    from ctkg.config import Settings

    return Settings(uri=inst.bolt_uri, user="neo4j", password=inst.password(),
                    instance_dir=inst.home)


def ingest(settings, folders: list[Path]) -> None:
    """What `ctkg demo` does: the schema, then the folders' articles. Its one-line summary is
    kept; the headline tables it prints after are not needed here."""
    import io
    from contextlib import redirect_stdout

    from ctkg.demo import run_demo

    out = io.StringIO()
    with redirect_stdout(out):
        run_demo(settings, folders)
    print(out.getvalue().splitlines()[0])


def chrome():
    """Headless Chromium driven by Debian's chromedriver (Selenium Manager never runs)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in CHROME_ARGS:
        options.add_argument(arg)
    # every request the page makes, and how it ended (read by page_requests)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


@contextmanager
def browser_proxy(inst):
    """`ctkg neo4j browser`'s proxy in front of the instance, on a free port of 127.0.0.1."""
    from ctkg.browser import BrowserProxy

    proxy = BrowserProxy(inst.http_port, inst.bolt_port)
    thread = threading.Thread(target=proxy.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()
        thread.join(10)


LOCAL = re.compile(r"(https?|wss?)://(127\.0\.0\.1|localhost|\[::1\])[:/]|(data|blob|file|chrome"
                   r"|about):")


def page_requests(driver, seen: dict | None = None) -> dict:
    """url -> how the request ended ("csp": refused by the page's policy, "" when it was
    answered, else Chromium's error) for every request and WebSocket in Chromium's performance
    log since the last call; pass the previous result as `seen` to add to it."""
    seen = {} if seen is None else seen
    urls, ended = {}, {}
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent":
            urls[params["requestId"]] = params["request"]["url"]
        elif message["method"] == "Network.webSocketCreated":
            urls[params["requestId"]] = params["url"]
        elif message["method"] == "Network.loadingFailed":
            ended[params["requestId"]] = params.get("blockedReason") or params.get("errorText")
    for request_id, url in urls.items():
        seen[url] = ended.get(request_id, "") or seen.get(url, "")
    return seen


def sent_outside(requests: dict) -> list[str]:
    """The requests for another host than this machine that the page's policy did not refuse
    (so that they were sent, or would have been but for the resolver rule)."""
    return sorted(f"{url} ({how or 'answered'})" for url, how in requests.items()
                  if not LOCAL.match(url) and how != "csp")


def wait_for(predicate, timeout: float = 60.0, what: str = "the page"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.25)


def testids(driver, testid: str, root=None):
    from selenium.webdriver.common.by import By

    return (root or driver).find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')


def browser_login(driver, inst, proxy) -> None:
    """Open the server's Browser through the proxy, and connect with the instance's password."""
    driver.get(proxy.browser_url())
    wait_for(lambda: [e for e in testids(driver, "password") if e.is_displayed()
                      and e.is_enabled()], 90, "the Browser's connect form")
    time.sleep(1)  # the form is drawn before its handlers are ready
    user = testids(driver, "username")[0]
    user.clear()
    user.send_keys("neo4j")
    testids(driver, "password")[0].send_keys(inst.password())
    testids(driver, "connect")[0].click()
    wait_for(lambda: not testids(driver, "disconnectedBanner") and any(
        "You are connected as user neo4j" in f.text for f in testids(driver, "frame")),
        90, "the Browser to connect")
    # the Browser opens its start guide once the session is ready for queries
    wait_for(lambda: any(f.text.startswith(":play start") for f in testids(driver, "frame")),
             60, "the Browser's start guide")


def paste_and_run(driver, text: str, timeout: float = 90.0):
    """Paste `text` into the Browser's editor as a user would, run it, return its frame (the
    newest frame whose command starts like `text`: the Browser adds frames of its own too)."""
    head = " ".join(text.split())[:40]

    def own_frame():
        for frame in testids(driver, "frame"):
            command = testids(driver, "frameCommand", frame)
            if frame.id not in before and command and " ".join(command[0].text.split()
                                                               ).startswith(head):
                return frame
        return None

    before = {frame.id for frame in testids(driver, "frame")}
    area = testids(driver, "activeEditor")[0].find_element("css selector", "textarea")
    driver.execute_script(
        "const area = arguments[0]; area.focus();"
        "const data = new DataTransfer(); data.setData('text/plain', arguments[1]);"
        "area.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true,"
        " cancelable: true}));", area, text)
    testids(driver, "editor-Run")[0].click()
    return wait_for(own_frame, timeout, f"the frame of {head!r}")


def readme_browser_queries(readme: Path = ROOT / "README.md") -> list[tuple[str, str]]:
    """The (comment, query) pairs of the cypher block in the README's "Neo4j Browser" section."""
    section = readme.read_text(encoding="utf-8").split("\n## Neo4j Browser\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    block = re.search(r"```cypher\n(.*?)```", section, re.S).group(1)
    pairs = []
    for chunk in re.split(r"\n\s*\n", block.strip()):
        comment = " ".join(ln.lstrip("/ ").strip() for ln in chunk.splitlines()
                           if ln.startswith("//"))
        pairs.append((comment, chunk.strip()))
    return pairs


def expected_counts(driver, query: str) -> tuple[int, int]:
    """(records, distinct nodes) of a query, run through Bolt as the Browser would run it."""
    import neo4j

    records = driver.execute_query(query).records
    nodes = set()
    for record in records:
        for value in record.values():
            if isinstance(value, neo4j.graph.Node):
                nodes.add(value.element_id)
            elif isinstance(value, neo4j.graph.Path):
                nodes.update(n.element_id for n in value.nodes)
    return len(records), len(nodes)


def frame_status(frame) -> str:
    """A frame's text, with its status line ("Displaying 12 nodes, 13 relationships.",
    "Started streaming 3 records after ...")."""
    return frame.text


def outside_requests(driver) -> list[str]:
    """Resources the page asked for anywhere but this machine."""
    urls = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    return [u for u in urls if not re.match(r"(https?|wss?)://(127\.0\.0\.1|localhost)[:/]|"
                                            r"(data|blob|file):", u)]
