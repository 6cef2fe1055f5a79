"""Every library query against the fixture world (tests/queries/world.py), exact rows."""
from __future__ import annotations

import pytest

from ctkg.graph.model import Edge
from ctkg.queries.library import get_query, load_library
from ctkg.queries.runner import run_query
from tests.queries import world

BCIJ, DGST = "Central Bureau of Judicial Investigation", "General Directorate for Territorial Surveillance"
IS, ISSP, JNIM = "Islamic State", "Islamic State Sahel Province", "Jama'at Nusrat al-Islam wal-Muslimin"
HS, HS_DUP, TC, GAO, NADOR = ("Had Soualem cell", "Had Soualem Cell", "Tangier-Ceuta cell",
                              "Gao cell", "Nador cell")
TALHA, OBEIDA = "Abu Talha al-Sahrawi", "Abu Obeida al-Maghribi"
HS_INCIDENT, TC_INCIDENT = "Had Soualem dismantlement", "Tangier-Ceuta joint operation"
BENALI_SAID = world.ENTITIES["stmt:benali-had-soualem"][1]["text"]
GUARDIA_SAID = world.ENTITIES["stmt:guardia-civil-tanger"][1]["text"]
LE360 = "https://le360.example/societe/bcij-had-soualem"
HESPRESS_HS = "https://hespress.example/2024/09/12/had-soualem"
MWN = "https://mwn.example/2024/09/had-soualem-cell"
RUN1, RUN2 = world.RUN1_WRITE, world.RUN2_WRITE

TIMELINE_TC = ("2023-11", "month", "dismantlement", TC_INCIDENT, "incident:tanger-ceuta-2023",
               ["Ceuta", "Tangier"], [], [DGST, "Guardia Civil"], [TC], 6, 2)
TIMELINE_GAO = ("2024", "year", "ambush", "Gao ambush", "incident:gao-2024", ["Gao"], [JNIM], [],
                [GAO], 0, 1)
TIMELINE_HS = ("2024-09-12", "day", "dismantlement", HS_INCIDENT, "incident:had-soualem-2024",
               ["Had Soualem"], [IS], [BCIJ], [HS], 4, 3)


def _evidence_row(locator: str, fact: str) -> tuple:
    """fact-provenance's row for one article's evidence of a fact, from the fixture batch."""
    batch = world.article(locator)
    meta = batch.article
    node = batch.node(fact)
    span, confidence = ((node.evidence, 1.0) if node else
                        next((e.evidence, 0.9) for e in batch.edges if e.id == fact))
    return (fact, meta.id, meta.locator, meta.source, meta.lang, meta.published, span.text,
            span.start, span.end, "test", "1", confidence, RUN1, RUN1)


DIRECTED = Edge("DIRECTED_BY", "cell:had-soualem", "org:is-sahel").id

CASES = [
    ("cells-directed-from-abroad", {}, [
        (HS, "cell:had-soualem", ISSP, "org:is-sahel", "Organisation", ["Mali"], ["Morocco"]),
        (NADOR, "cell:nador", OBEIDA, "person:abu-obeida", "Person", ["Syria"], ["Morocco"]),
        # Abu Talha has no base of his own: he operates from the province he leads (Mali).
        (TC, "cell:tanger-ceuta", TALHA, "person:abu-talha", "Person", ["Mali"],
         ["Morocco", "Spain"])]),
    ("cells-directed-from-abroad", {"country": "es"}, [
        (TC, "cell:tanger-ceuta", TALHA, "person:abu-talha", "Person", ["Mali"],
         ["Morocco", "Spain"])]),
    ("cells-directed-from-abroad", {"country": "ML"}, []),  # JNIM directs Gao from Mali
    ("cells-by-organisation", {}, [
        (IS, "org:islamic-state", HS, "cell:had-soualem", ["AFFILIATED_WITH", "DIRECTED_BY"],
         [ISSP], "MA", 5, 4, [BCIJ]),
        (IS, "org:islamic-state", NADOR, "cell:nador", ["AFFILIATED_WITH"], [], "MA", 3, 3, [BCIJ]),
        (IS, "org:islamic-state", TC, "cell:tanger-ceuta", ["AFFILIATED_WITH"], [], "MA", 7, 6,
         [DGST]),
        (JNIM, "org:jnim", GAO, "cell:gao", ["AFFILIATED_WITH", "DIRECTED_BY"], [], "ML", None,
         None, [])]),
    ("cells-by-organisation", {"organisation": "islamic state sahel province"}, [
        (ISSP, "org:is-sahel", HS, "cell:had-soualem", ["DIRECTED_BY"], [], "MA", 5, 4, [BCIJ])]),
    ("agency-scorecard", {}, [
        (BCIJ, "agency:bcij", "MA", 2022, 1, [NADOR], 3),  # no incident: published in 2022
        (BCIJ, "agency:bcij", "MA", 2024, 1, [HS], 4),
        # Reported in January 2024; the incident's own date (2023-11) wins.
        (DGST, "agency:dgst", "MA", 2023, 1, [TC], 6),
        # No DISMANTLED_BY edge: it CONDUCTED the dismantlement.
        ("Guardia Civil", "agency:guardia-civil", "ES", 2023, 1, [TC], 6)]),
    ("agency-scorecard", {"agency": "agency:dgst"}, [(DGST, "agency:dgst", "MA", 2023, 1, [TC], 6)]),
    ("incident-comments", {}, [
        (HS, "cell:had-soualem", "Cell", "Karim Benali", "person:karim-benali", "Person",
         BENALI_SAID, "fr", True, [LE360]),
        (HS_INCIDENT, "incident:had-soualem-2024", "Incident", "Karim Benali",
         "person:karim-benali", "Person",
         "Karim Benali said the suspects had pledged allegiance to the Islamic State.", "en",
         False, [MWN]),
        (TC_INCIDENT, "incident:tanger-ceuta-2023", "Incident", "Guardia Civil",
         "agency:guardia-civil", "Agency", GUARDIA_SAID, "fr", False,
         ["https://ledesk.example/2023/11/tanger-ceuta"])]),
    ("incident-comments", {"subject": "cell:had-soualem"}, [
        (HS, "cell:had-soualem", "Cell", "Karim Benali", "person:karim-benali", "Person",
         BENALI_SAID, "fr", True, [LE360])]),
    ("regional-hotspots", {}, [
        ("Morocco", "region:ma", "country", "MA", 2, 2, 10),
        ("Maghreb", "region:maghreb", "supra", None, 2, 2, 10),
        ("Ceuta", "region:ceuta", "city", "ES", 1, 1, 6),
        ("Spain", "region:es", "country", "ES", 1, 1, 6),
        ("Tangier", "region:tanger", "city", "MA", 1, 1, 6),
        ("Tanger-Tetouan-Al Hoceima", "region:tanger-tetouan-al-hoceima", "region", "MA", 1, 1, 6),
        ("Berrechid", "region:berrechid", "province", "MA", 1, 1, 4),
        ("Casablanca-Settat", "region:casablanca-settat", "region", "MA", 1, 1, 4),
        ("Had Soualem", "region:had-soualem", "commune", "MA", 1, 1, 4),
        ("Gao", "region:gao", "region", "ML", 1, 1, 0),
        ("Mali", "region:ml", "country", "ML", 1, 1, 0),
        ("Sahel", "region:sahel", "supra", None, 1, 1, 0)]),
    ("regional-hotspots", {"kind": "country"}, [
        ("Morocco", "region:ma", "country", "MA", 2, 2, 10),
        ("Spain", "region:es", "country", "ES", 1, 1, 6),
        ("Mali", "region:ml", "country", "ML", 1, 1, 0)]),
    ("regional-hotspots", {"kind": "region", "country": "ma"}, [
        ("Tanger-Tetouan-Al Hoceima", "region:tanger-tetouan-al-hoceima", "region", "MA", 1, 1, 6),
        ("Casablanca-Settat", "region:casablanca-settat", "region", "MA", 1, 1, 4)]),
    ("weapons-caches", {}, [
        ("Gao cache", "cache:gao", ["mortar shells"], None, ["Gao", "Mali"], "Mali", GAO,
         "cell:gao", [JNIM]),
        ("Had Soualem cache", "cache:had-soualem", ["rifles", "explosives"],
         "a farm in Had Soualem", ["Had Soualem", "Berrechid", "Casablanca-Settat", "Morocco"],
         "Morocco", HS, "cell:had-soualem", [IS, ISSP])]),
    ("weapons-caches", {"country": "ES"}, []),
    ("cross-border-cells", {}, [(TC, "cell:tanger-ceuta", ["Morocco", "Spain"], 2, [IS])]),
    ("cross-border-cells", {"min_countries": "1"}, [
        (TC, "cell:tanger-ceuta", ["Morocco", "Spain"], 2, [IS]),
        (GAO, "cell:gao", ["Mali"], 1, [JNIM]),
        (HS, "cell:had-soualem", ["Morocco"], 1, [IS, ISSP]),
        (NADOR, "cell:nador", ["Morocco"], 1, [IS])]),  # via the BCIJ's country
    ("organisation-network", {"organisation": "org:islamic-state"}, [
        (HS, "cell:had-soualem", "Cell", 1, []),
        (NADOR, "cell:nador", "Cell", 1, []),
        (TC, "cell:tanger-ceuta", "Cell", 1, []),
        (ISSP, "org:is-sahel", "Organisation", 1, []),
        ("Youssef B.", "person:youssef-b", "Person", 1, []),
        (OBEIDA, "person:abu-obeida", "Person", 2, [NADOR]),
        (TALHA, "person:abu-talha", "Person", 2, [TC]),
        ("Youssef Bakkali", "person:youssef-bakkali", "Person", 2, [HS])]),
    ("organisation-network", {"organisation": "Islamic State", "hops": "1"}, [
        (HS, "cell:had-soualem", "Cell", 1, []),
        (NADOR, "cell:nador", "Cell", 1, []),
        (TC, "cell:tanger-ceuta", "Cell", 1, []),
        (ISSP, "org:is-sahel", "Organisation", 1, []),
        ("Youssef B.", "person:youssef-b", "Person", 1, [])]),
    ("organisation-network", {"organisation": "org:jnim", "hops": "4"}, [
        (GAO, "cell:gao", "Cell", 1, [])]),
    ("person-profile", {"person": "person:abu-talha"}, [
        (TALHA, "person:abu-talha", "emir", "DIRECTED_BY", "in", TC, "cell:tanger-ceuta", "Cell", 1),
        (TALHA, "person:abu-talha", "emir", "LEADS", "out", ISSP, "org:is-sahel", "Organisation",
         1)]),
    ("person-profile", {"person": "Youssef B."}, [  # a name, and another person's alias
        ("Youssef B.", "person:youssef-b", "cell leader", "AFFILIATED_WITH", "out", IS,
         "org:islamic-state", "Organisation", 1),
        ("Youssef B.", "person:youssef-b", "cell leader", "LEADS", "out", HS, "cell:had-soualem",
         "Cell", 1),
        ("Youssef Bakkali", "person:youssef-bakkali", "cell leader", "LEADS", "out", HS,
         "cell:had-soualem", "Cell", 1)]),
    ("person-profile", {"person": "karim benali"}, [
        ("Karim Benali", "person:karim-benali", "BCIJ spokesperson", "COMMENTED_ON", "out",
         HS_INCIDENT, "incident:had-soualem-2024", "Incident", 1),
        ("Karim Benali", "person:karim-benali", "BCIJ spokesperson", "MADE", "out", BENALI_SAID,
         "stmt:benali-had-soualem", "Statement", 1)]),
    ("fact-provenance", {"fact": "cell:had-soualem"}, [
        _evidence_row(HESPRESS_HS, "cell:had-soualem"), _evidence_row(LE360, "cell:had-soualem")]),
    ("fact-provenance", {"fact": DIRECTED}, [
        _evidence_row(HESPRESS_HS, DIRECTED), _evidence_row(LE360, DIRECTED)]),
    ("fact-provenance", {"fact": Edge("BASED_IN", "org:jnim", "region:ml").id}, []),  # reference
    ("timeline", {}, [TIMELINE_TC, TIMELINE_GAO, TIMELINE_HS]),
    ("timeline", {"region": "region:ma"}, [TIMELINE_TC, TIMELINE_HS]),
    ("timeline", {"region": "Mali"}, [TIMELINE_GAO]),
    ("timeline", {"organisation": "org:is-sahel"}, [TIMELINE_HS]),  # its cell was involved
    ("timeline", {"organisation": "org:islamic-state"}, [TIMELINE_TC, TIMELINE_HS]),
    # Partial dates count when their period overlaps the range.
    ("timeline", {"since": "2024-06-01"}, [TIMELINE_GAO, TIMELINE_HS]),
    ("timeline", {"since": "2024-01-01", "until": "2024-06-30"}, [TIMELINE_GAO]),
    ("timeline", {"since": "2023-11-30", "until": "2023-11-30"}, [TIMELINE_TC]),
    ("timeline", {"until": "2023-10-31"}, []),
    ("new-since", {}, [  # since the last ingest run
        ("Cell", GAO, "cell:gao", RUN2, 1), ("Cell", NADOR, "cell:nador", RUN2, 1),
        ("Incident", "Gao ambush", "incident:gao-2024", RUN2, 1),
        ("Person", OBEIDA, "person:abu-obeida", RUN2, 1),
        ("WeaponsCache", "Gao cache", "cache:gao", RUN2, 1)]),
    ("new-since", {"since": "2024-09-13"}, [
        ("Cell", HS, "cell:had-soualem", RUN1, 2),
        ("Cell", HS_DUP, "cell:had-soualem-cell", RUN1, 1),
        ("Cell", TC, "cell:tanger-ceuta", RUN1, 2),
        ("Incident", HS_INCIDENT, "incident:had-soualem-2024", RUN1, 3),
        ("Incident", TC_INCIDENT, "incident:tanger-ceuta-2023", RUN1, 1),
        ("Person", TALHA, "person:abu-talha", RUN1, 2),
        ("Person", "Karim Benali", "person:karim-benali", RUN1, 2),
        ("Person", "Youssef B.", "person:youssef-b", RUN1, 1),
        ("Person", "Youssef Bakkali", "person:youssef-bakkali", RUN1, 1),
        ("Statement", BENALI_SAID, "stmt:benali-had-soualem", RUN1, 1),
        ("Statement", GUARDIA_SAID, "stmt:guardia-civil-tanger", RUN1, 1),
        ("WeaponsCache", "Had Soualem cache", "cache:had-soualem", RUN1, 1),
        ("Cell", GAO, "cell:gao", RUN2, 1), ("Cell", NADOR, "cell:nador", RUN2, 1),
        ("Incident", "Gao ambush", "incident:gao-2024", RUN2, 1),
        ("Person", OBEIDA, "person:abu-obeida", RUN2, 1),
        ("WeaponsCache", "Gao cache", "cache:gao", RUN2, 1)]),
    ("new-since", {"since": "2024-09-21"}, []),
    ("merge-candidates", {}, [
        ("Cell", "cell:had-soualem", HS, "cell:had-soualem-cell", HS_DUP, True,
         ["had soualem cell"]),
        ("Person", "person:youssef-b", "Youssef B.", "person:youssef-bakkali", "Youssef Bakkali",
         False, ["youssef b."])]),
    # The generic alias is held by four cells: only when four may share a name do the three
    # Moroccan ones pair up (the Gao cell is in Mali). The Gao city and region never pair.
    ("merge-candidates", {"label": "Cell", "max_sharing": "4"}, [
        ("Cell", "cell:had-soualem", HS, "cell:had-soualem-cell", HS_DUP, True,
         ["had soualem cell"]),
        ("Cell", "cell:had-soualem", HS, "cell:nador", NADOR, False, [world.THE_CELL]),
        ("Cell", "cell:had-soualem", HS, "cell:tanger-ceuta", TC, False, [world.THE_CELL]),
        ("Cell", "cell:nador", NADOR, "cell:tanger-ceuta", TC, False, [world.THE_CELL])]),
    ("merge-candidates", {"label": "Region", "max_sharing": "100"}, []),
    ("merge-candidates", {"label": "Person"}, [
        ("Person", "person:youssef-b", "Youssef B.", "person:youssef-bakkali", "Youssef Bakkali",
         False, ["youssef b."])]),
    ("shortest-path", {"source": "person:youssef-b", "target": "person:abu-talha"}, [
        (3, "Youssef B. -[AFFILIATED_WITH]-> Islamic State <-[AFFILIATED_WITH]- "
            "Tangier-Ceuta cell -[DIRECTED_BY]-> Abu Talha al-Sahrawi",
         ["person:youssef-b", "org:islamic-state", "cell:tanger-ceuta", "person:abu-talha"]),
        (3, "Youssef B. -[AFFILIATED_WITH]-> Islamic State <-[PART_OF]- Islamic State Sahel "
            "Province <-[LEADS]- Abu Talha al-Sahrawi",
         ["person:youssef-b", "org:islamic-state", "org:is-sahel", "person:abu-talha"]),
        (3, "Youssef B. -[LEADS]-> Had Soualem cell -[DIRECTED_BY]-> Islamic State Sahel "
            "Province <-[LEADS]- Abu Talha al-Sahrawi",
         ["person:youssef-b", "cell:had-soualem", "org:is-sahel", "person:abu-talha"])]),
    ("shortest-path", {"source": "cell:nador", "target": "region:sy"}, [
        (2, "Nador cell -[AFFILIATED_WITH]-> Islamic State -[BASED_IN]-> Syria",
         ["cell:nador", "org:islamic-state", "region:sy"])]),
    ("shortest-path", {"source": "cell:gao", "target": "cell:gao"}, []),
    ("multi-source-incidents", {}, [
        (HS_INCIDENT, "incident:had-soualem-2024", "2024-09-12", "dismantlement",
         ["Hespress", "Le360", "Morocco World News"], ["ar", "en", "fr"], 3),
        # Reuters only REPORTS it (no mention): it still counts.
        (TC_INCIDENT, "incident:tanger-ceuta-2023", "2023-11", "dismantlement",
         ["Le Desk", "Reuters"], ["en", "fr"], 2)]),
    ("multi-source-incidents", {"min_sources": "3"}, [
        (HS_INCIDENT, "incident:had-soualem-2024", "2024-09-12", "dismantlement",
         ["Hespress", "Le360", "Morocco World News"], ["ar", "en", "fr"], 3)]),
    ("unattributed-cells", {}, [(HS_DUP, "cell:had-soualem-cell", "MA", 1, [MWN])]),
    ("unattributed-cells", {"country": "ML"}, []),
    ("incident-reports", {"min_articles": "2"}, [
        (HS_INCIDENT, "incident:had-soualem-2024", "2024-09-12", "dismantlement", [HS],
         ["cell:had-soualem"], ["Hespress", "Le360", "Morocco World News"], ["ar", "en", "fr"], 3),
        (TC_INCIDENT, "incident:tanger-ceuta-2023", "2023-11", "dismantlement", [TC],
         ["cell:tanger-ceuta"], ["Le Desk", "Reuters"], ["en", "fr"], 2)]),
    ("incident-reports", {"min_articles": "1"}, [
        (HS_INCIDENT, "incident:had-soualem-2024", "2024-09-12", "dismantlement", [HS],
         ["cell:had-soualem"], ["Hespress", "Le360", "Morocco World News"], ["ar", "en", "fr"], 3),
        (TC_INCIDENT, "incident:tanger-ceuta-2023", "2023-11", "dismantlement", [TC],
         ["cell:tanger-ceuta"], ["Le Desk", "Reuters"], ["en", "fr"], 2),
        ("Gao ambush", "incident:gao-2024", "2024", "ambush", [GAO], ["cell:gao"], ["RFI"],
         ["fr"], 1)]),
    # The world's sources agree; tests/graph/test_resolve.py has two that do not.
    ("disputed-values", {}, []),
]


def _case_id(case) -> str:
    query_id, params, _ = case
    return query_id + "".join(f"[{k}={v}]" for k, v in params.items())


def test_every_query_has_a_case():
    assert {case[0] for case in CASES} == set(load_library())


@pytest.mark.parametrize("query_id, params, expected", CASES, ids=[_case_id(c) for c in CASES])
def test_query_answers_exactly(graph, query_id, params, expected):
    query = get_query(query_id)
    result = run_query(graph, query, params)
    assert result.columns == list(query.returns)
    rows = [tuple(row[c] for c in query.returns) for row in result.rows]
    assert rows == expected


@pytest.mark.parametrize("query_id", sorted(load_library()))
def test_every_file_passes_explain_as_a_read_with_its_declared_columns(graph, query_id):
    query = get_query(query_id)
    params = {p.name: p.default for p in query.params}
    with graph.session() as session:
        result = session.run("EXPLAIN " + query.cypher, params)
        keys = result.keys()
        summary = result.consume()
    assert summary.query_type == "r"
    assert tuple(keys) == query.returns
