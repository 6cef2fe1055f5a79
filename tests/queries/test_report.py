"""`ctkg report`: the briefing page over the fixture world, parsed back as HTML."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from click.testing import CliRunner

import ctkg.cli
from tests.queries import world

ctkg.cli._register()


class Page(HTMLParser):
    """Sections by heading, the attributes that could load something, the map's points."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, list[list[str]]] = {}
        self.loads: list[str] = []
        self.points: list[str] = []
        self.rtl_cells = 0
        self._heading = self._row = self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.loads += [v for k, v in attrs.items() if k in ("src", "href", "srcset") and v]
        if tag == "link" or tag == "script":
            self.loads.append(tag)
        if tag == "h2":
            self._heading = ""
        elif tag == "tr":
            self._row = []
        elif tag == "td":
            self._cell = ""
            self.rtl_cells += attrs.get("dir") == "auto"
        elif tag == "g" and attrs.get("class") == "point":
            self.points.append(attrs["data-id"])

    def handle_endtag(self, tag):
        if tag == "h2":
            self.sections[self._heading] = []
            self._current, self._heading = self._heading, None
        elif tag == "td":
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row:
            self.sections[self._current].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading += data
        elif self._cell is not None:
            self._cell += data


def test_the_briefing_is_complete_offline_and_right_to_left(graph, env, tmp_path):
    out = tmp_path / "brief.html"
    result = CliRunner().invoke(ctkg.cli.cli, ["-q", "report", "-o", str(out),
                                               "--since", "2024-09-15"], env=env)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    page = Page()
    page.feed(text)
    assert page.loads == [] and not re.search(r"url\(|@import|https?://", text)
    assert "default-src 'none'" in text
    sections = page.sections
    incidents = {row[2] for row in sections["Timeline of incidents"]}
    assert incidents == {"Had Soualem dismantlement", "Tangier-Ceuta joint operation",
                         "Gao ambush"}
    abroad = {row[0] for row in sections["Cells directed from abroad"]}
    assert "Tangier-Ceuta cell" in abroad
    orgs = [row[1] for row in sections["Top organisations (cells linked)"]]
    assert orgs[0] == "org:islamic-state"
    agencies = [row[1] for row in sections["Top agencies (cells dismantled)"]]
    assert "agency:bcij" in agencies
    new = sections["New since 2024-09-15"]
    assert new and all(row[2] >= "2024-09-15" for row in new)
    located = {n for n, (label, props) in world.KNOWN.items()
               if label == "Region" and props.get("lat") is not None}
    assert page.points and set(page.points) <= located
    assert page.rtl_cells > 0 and "id=\"map\"" in text and "id=\"timeline\"" in text
