"""`ctkg report`: one self-contained HTML briefing page, readable offline.

The figures come from the query library (timeline, cells directed from abroad, cells by
organisation, agency scorecard, new since) and one read of the located regions; the page embeds
its CSS and draws its timeline and map as inline SVG (an equirectangular plot of the
coordinates already in the graph, no tiles). Nothing on it loads from the network, and every
text cell has dir="auto", so Arabic names read right to left.
"""
from __future__ import annotations

import html
from collections import Counter
from datetime import date, datetime, timezone

import neo4j

from ctkg.display import localise
from ctkg.queries.library import get_query
from ctkg.queries.runner import run_cypher, run_query

# Regions with coordinates and what happened there (incidents, cells operating there); the
# ids beside the names let `--lang` show each name in its language (ctkg/display.py).
POINTS = """
MATCH (r:Region) WHERE r.lat IS NOT NULL AND r.lon IS NOT NULL
OPTIONAL MATCH (i:Incident)-[:OCCURRED_IN]->(r)
WITH r, collect(DISTINCT i) AS found
OPTIONAL MATCH (c:Cell)-[:OPERATED_IN|TARGETED]->(r)
WITH r, found, collect(DISTINCT c) AS active
WHERE size(found) + size(active) > 0
RETURN r.name AS place, r.id AS place_id, toFloat(r.lat) AS lat, toFloat(r.lon) AS lon,
       [i IN found | coalesce(i.name, i.kind)] AS incidents, [i IN found | i.id] AS incident_ids,
       [c IN active | c.name] AS cells, [c IN active | c.id] AS cell_ids
ORDER BY place_id
"""
CSS = """
body{font:14px/1.45 system-ui,"Noto Sans","Noto Sans Arabic",sans-serif;margin:2em auto;
max-width:72em;color:#1b1b1b;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:2px solid #ddd}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e4e4e4;padding:.3em .5em;
text-align:start;vertical-align:top}th{background:#f4f4f4}.meta{color:#666}
svg{background:#f8fafc;border:1px solid #dde;max-width:100%;height:auto}
svg text{font-size:11px}.incident{fill:#FFD23F;stroke:#C9A000}.cell{fill:#D62728;stroke:#9B1C1D}
.both{fill:#FF7F0E;stroke:#A04000}.grid{stroke:#dde;stroke-width:1}
"""


def collect(driver: neo4j.Driver, database: str | None, since: date | None,
            top: int, lang: str | None = None) -> dict:
    """Everything the page shows, as rows; with `lang`, entity names in that language where
    the graph has them (ctkg.display.localise, as `ctkg query run --lang`)."""
    def shown(result) -> list[dict]:
        if not lang or not result.rows:
            return result.rows
        return localise(driver, result.rows, result.columns, lang, database=database)

    def query(query_id: str, **params) -> list[dict]:
        raw = {k: str(v) for k, v in params.items() if v is not None}
        return shown(run_query(driver, get_query(query_id), raw, database=database))

    organisations = Counter()
    for row in query("cells-by-organisation"):
        organisations[(row["organisation"], row["organisation_id"])] += 1
    agencies = Counter()
    for row in query("agency-scorecard"):
        agencies[(row["agency"], row["agency_id"])] += row["cells_dismantled"] or 0
    return {
        "timeline": query("timeline"),
        "abroad": query("cells-directed-from-abroad"),
        "organisations": organisations.most_common(top),
        "agencies": agencies.most_common(top),
        "new": query("new-since", since=since),
        "points": shown(run_cypher(driver, POINTS, database=database)),
        "since": since,
    }


def _e(value) -> str:
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return html.escape("" if value is None else str(value))


def _table(headers: list[str], rows: list[list]) -> str:
    if not rows:
        return '<p class="meta">none</p>'
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f'<td dir="auto">{_e(v)}</td>' for v in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _timeline_svg(incidents: list[dict], width: int = 900, height: int = 120) -> str:
    """Incidents per year-month as bars."""
    months = Counter(row["date"][:7] for row in incidents if row.get("date"))
    if not months:
        return '<p class="meta">no dated incidents</p>'
    keys = sorted(months)
    step = width / len(keys)
    peak = max(months.values())
    bars = []
    for n, key in enumerate(keys):
        h = (height - 30) * months[key] / peak
        x = n * step
        bars.append(f'<rect class="incident" x="{x + 2:.1f}" y="{height - 20 - h:.1f}" '
                    f'width="{max(step - 4, 1):.1f}" height="{h:.1f}">'
                    f"<title>{_e(key)}: {months[key]}</title></rect>"
                    f'<text x="{x + step / 2:.1f}" y="{height - 6}" text-anchor="middle">'
                    f"{_e(key)}</text>")
    return (f'<svg id="timeline" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img">{"".join(bars)}</svg>')


def _map_svg(points: list[dict], width: int = 900, height: int = 480) -> str:
    """Located regions on an equirectangular plot fitted to them, with a 5° graticule."""
    if not points:
        return '<p class="meta">no located incidents or cells</p>'
    lats = [p["lat"] for p in points]
    lons = [p["lon"] for p in points]
    south, north = min(lats) - 2, max(lats) + 2
    west, east = min(lons) - 2, max(lons) + 2
    scale = min(width / (east - west), height / (north - south))

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return (lon - west) * scale, (north - lat) * scale

    grid = []
    for lon in range(int(west // 5) * 5, int(east) + 5, 5):
        x = xy(north, lon)[0]
        grid.append(f'<line class="grid" x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}"/>')
    for lat in range(int(south // 5) * 5, int(north) + 5, 5):
        y = xy(lat, west)[1]
        grid.append(f'<line class="grid" x1="0" y1="{y:.1f}" x2="{width}" y2="{y:.1f}"/>')
    marks = []
    for p in points:
        x, y = xy(p["lat"], p["lon"])
        kind = "both" if p["incidents"] and p["cells"] else "incident" if p["incidents"] else "cell"
        radius = 4 + min(len(p["incidents"]) + len(p["cells"]), 8)
        detail = "; ".join(p["incidents"] + p["cells"])
        marks.append(f'<g class="point" data-id="{_e(p["place_id"])}"><circle class="{kind}" '
                     f'cx="{x:.1f}" cy="{y:.1f}" r="{radius}"><title>{_e(p["place"])}: '
                     f'{_e(detail)}</title></circle><text x="{x + radius + 2:.1f}" '
                     f'y="{y + 4:.1f}" direction="ltr" unicode-bidi="plaintext">'
                     f'{_e(p["place"])}</text></g>')
    return (f'<svg id="map" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'role="img">{"".join(grid)}{"".join(marks)}</svg>'
            '<p class="meta">yellow: incidents, red: cells, orange: both</p>')


def render_html(data: dict, generated: datetime | None = None) -> str:
    generated = generated or datetime.now(timezone.utc)
    since = data["since"].isoformat() if data["since"] else "the last ingest run"
    timeline = [[r["date"], r["kind"], r["incident"], r["places"], r["organisations"],
                 r["agencies"], r["arrests"], r["articles"]] for r in data["timeline"]]
    abroad = [[r["cell"], r["director"], r["director_countries"], r["cell_countries"]]
              for r in data["abroad"]]
    new = [[r["kind"], r["entity"], r["first_seen"], r["articles"]] for r in data["new"]]
    sections = [
        ("Timeline of incidents", _timeline_svg(data["timeline"]) + _table(
            ["date", "kind", "incident", "places", "organisations", "agencies", "arrests",
             "articles"], timeline)),
        ("Map of incidents and cells", _map_svg(data["points"])),
        ("Top organisations (cells linked)", _table(
            ["organisation", "id", "cells"], [[n, i, c] for (n, i), c in data["organisations"]])),
        ("Top agencies (cells dismantled)", _table(
            ["agency", "id", "cells dismantled"], [[n, i, c] for (n, i), c in data["agencies"]])),
        ("Cells directed from abroad", _table(
            ["cell", "director", "director based in", "cell active in"], abroad)),
        (f"New since {since}", _table(["kind", "entity", "first seen", "articles"], new)),
    ]
    body = "".join(f'<section><h2>{_e(title)}</h2>{content}</section>'
                   for title, content in sections)
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            'style-src \'unsafe-inline\'; img-src data:">'
            f'<title>ctkg briefing</title><style>{CSS}</style></head><body>'
            f'<h1>ctkg briefing</h1><p class="meta">Generated {_e(generated.isoformat(timespec="seconds"))}; '
            f'{len(data["timeline"])} incidents, {len(data["points"])} located places.</p>'
            f"{body}</body></html>\n")
