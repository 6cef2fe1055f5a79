"""After a refresh: the cells, incidents and organisations it added, as a short report for
people (stdout), for pipes (JSON), and for an optional webhook or command hook."""
from __future__ import annotations

import json
import logging
import shlex
import subprocess
import urllib.error
import urllib.request

log = logging.getLogger(__name__)

ALERT_LABELS = ("Cell", "Incident", "Organisation")
NEW_ENTITIES = """
MATCH (n:Cell|Incident|Organisation)
WHERE n.first_seen IS NOT NULL AND datetime(n.first_seen) >= datetime($since)
OPTIONAL MATCH (a:Article)-[:MENTIONS]->(n)
WITH n, collect(DISTINCT a.locator) AS locators
RETURN labels(n)[0] AS kind, coalesce(n.name, n.text, n.id) AS name, n.id AS id,
       n.first_seen AS first_seen, locators[..3] AS articles
ORDER BY kind, first_seen, id
"""


def new_entities(writer, since: str) -> list[dict]:
    records, _, _ = writer.driver.execute_query(NEW_ENTITIES, since=since,
                                                database_=writer.database)
    return [r.data() for r in records]


def summary_lines(alerts: list[dict]) -> list[str]:
    counts = {label: sum(a["kind"] == label for a in alerts) for label in ALERT_LABELS}
    lines = ["new: " + ", ".join(f"{n} {label.lower()}{'s' if n != 1 else ''}"
                                 for label, n in counts.items())]
    lines += [f"  {a['kind']}: {a['name']} ({a['id']})" for a in alerts]
    return lines


def notify(report: dict, webhook: str | None, hook: str | None, user_agent: str,
           timeout: float = 20.0) -> list[str]:
    """Send the JSON report to the webhook and the hook; the problems, one line each."""
    body = json.dumps(report, ensure_ascii=False).encode("utf-8")
    problems = []
    if webhook:
        request = urllib.request.Request(webhook, data=body, method="POST", headers={
            "Content-Type": "application/json", "User-Agent": user_agent})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                answer.read()
        except (urllib.error.URLError, OSError) as exc:
            problems.append(f"webhook: {getattr(exc, 'reason', None) or exc}")
    if hook:
        try:
            done = subprocess.run(shlex.split(hook), input=body, capture_output=True,
                                  timeout=timeout * 3, check=False)
            if done.returncode:
                problems.append(f"hook exited with {done.returncode}: "
                                f"{done.stderr.decode(errors='replace').strip()[:200]}")
        except (OSError, subprocess.TimeoutExpired, ValueError) as exc:
            problems.append(f"hook: {exc}")
    for problem in problems:
        log.error("alert not delivered: %s", problem)
    return problems
