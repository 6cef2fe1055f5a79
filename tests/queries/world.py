"""One small, hand-built world for the query tests, written with GraphWriter.

Vocabulary (reference facts, no article): a region hierarchy commune -> province -> region ->
country -> supra-region, the Islamic State with its Sahel province, JNIM, BCIJ/DGST/Guardia
Civil, and their BASED_IN countries. Seven articles in Arabic, French and English, ingested by
two runs, report three incidents and five cells in Morocco, Spain and Mali.
"""
from __future__ import annotations

from ctkg.graph.ids import text_sha256
from ctkg.graph.model import ArticleMeta, Edge, GraphBatch, Node, Span
from ctkg.graph.summaries import backfill, summary_statements, update_summaries
from ctkg.graph.writer import GraphWriter

VOCAB_LOADED = "2024-09-01T00:00:00+00:00"
RUNS = (  # (id, started_at, finished_at, articles)
    ("run:2024-09-13", "2024-09-13T08:00:00+00:00", "2024-09-13T08:05:00+00:00", 5),
    ("run:2024-09-20", "2024-09-20T08:00:00+00:00", "2024-09-20T08:02:00+00:00", 2),
)
RUN1_WRITE, RUN2_WRITE = "2024-09-13T08:01:00+00:00", "2024-09-20T08:01:00+00:00"

R, O, A = "Region", "Organisation", "Agency"
VOCAB: dict[str, tuple[str, dict]] = {
    "region:maghreb": (R, {"name": "Maghreb", "kind": "supra"}),
    "region:sahel": (R, {"name": "Sahel", "kind": "supra"}),
    "region:ma": (R, {"name": "Morocco", "kind": "country", "country": "MA", "name_fr": "Maroc",
                      "name_ar": "المغرب"}),
    "region:casablanca-settat": (R, {"name": "Casablanca-Settat", "kind": "region", "country": "MA"}),
    "region:berrechid": (R, {"name": "Berrechid", "kind": "province", "country": "MA"}),
    "region:had-soualem": (R, {"name": "Had Soualem", "kind": "commune", "country": "MA",
                               "lat": 33.42, "lon": -7.85}),
    "region:tanger-tetouan-al-hoceima": (R, {"name": "Tanger-Tetouan-Al Hoceima",
                                             "kind": "region", "country": "MA"}),
    "region:tanger": (R, {"name": "Tangier", "kind": "city", "country": "MA", "name_fr": "Tanger"}),
    "region:es": (R, {"name": "Spain", "kind": "country", "country": "ES"}),
    "region:ceuta": (R, {"name": "Ceuta", "kind": "city", "country": "ES"}),
    "region:ml": (R, {"name": "Mali", "kind": "country", "country": "ML"}),
    "region:gao": (R, {"name": "Gao", "kind": "region", "country": "ML"}),
    "region:gao-city": (R, {"name": "Gao", "kind": "city", "country": "ML"}),
    "region:sy": (R, {"name": "Syria", "kind": "country", "country": "SY"}),
    "region:raqqa": (R, {"name": "Raqqa", "kind": "city", "country": "SY"}),
    "org:islamic-state": (O, {"name": "Islamic State", "aliases": ["Daesh", "داعش"]}),
    "org:is-sahel": (O, {"name": "Islamic State Sahel Province"}),
    "org:jnim": (O, {"name": "Jama'at Nusrat al-Islam wal-Muslimin", "aliases": ["JNIM"]}),
    "agency:bcij": (A, {"name": "Central Bureau of Judicial Investigation", "aliases": ["BCIJ"],
                        "country": "MA", "kind": "police"}),
    "agency:dgst": (A, {"name": "General Directorate for Territorial Surveillance",
                        "aliases": ["DGST"], "country": "MA", "kind": "intelligence"}),
    "agency:guardia-civil": (A, {"name": "Guardia Civil", "country": "ES", "kind": "gendarmerie"}),
}
VOCAB_EDGES = [
    ("PART_OF", "region:had-soualem", "region:berrechid"),
    ("PART_OF", "region:berrechid", "region:casablanca-settat"),
    ("PART_OF", "region:casablanca-settat", "region:ma"),
    ("PART_OF", "region:tanger", "region:tanger-tetouan-al-hoceima"),
    ("PART_OF", "region:tanger-tetouan-al-hoceima", "region:ma"),
    ("PART_OF", "region:ma", "region:maghreb"),
    ("PART_OF", "region:ceuta", "region:es"),
    ("PART_OF", "region:gao-city", "region:gao"),
    ("PART_OF", "region:gao", "region:ml"),
    ("PART_OF", "region:ml", "region:sahel"),
    ("PART_OF", "region:raqqa", "region:sy"),
    ("PART_OF", "org:is-sahel", "org:islamic-state"),
    ("BASED_IN", "org:islamic-state", "region:sy"),
    ("BASED_IN", "org:is-sahel", "region:ml"),
    ("BASED_IN", "org:jnim", "region:ml"),
    ("BASED_IN", "agency:bcij", "region:ma"),
    ("BASED_IN", "agency:dgst", "region:ma"),
    ("BASED_IN", "agency:guardia-civil", "region:es"),
]

# Entities the articles introduce. "الخلية" ("the cell") is the kind of generic alias an
# extractor keeps; merge-candidates must not pair cells on it.
THE_CELL = "الخلية"
ENTITIES: dict[str, tuple[str, dict]] = {
    "cell:had-soualem": ("Cell", {"name": "Had Soualem cell", "members": 5, "arrests": 4,
                                  "country": "MA", "aliases": [THE_CELL]}),
    "cell:had-soualem-cell": ("Cell", {"name": "Had Soualem Cell", "country": "MA"}),
    "cell:tanger-ceuta": ("Cell", {"name": "Tangier-Ceuta cell", "members": 7, "arrests": 6,
                                   "country": "MA", "aliases": [THE_CELL]}),
    "cell:gao": ("Cell", {"name": "Gao cell", "country": "ML", "aliases": [THE_CELL]}),
    "cell:nador": ("Cell", {"name": "Nador cell", "members": 3, "arrests": 3, "country": "MA",
                            "aliases": [THE_CELL]}),
    "incident:had-soualem-2024": ("Incident", {
        "kind": "dismantlement", "name": "Had Soualem dismantlement", "date": "2024-09-12",
        "date_precision": "day", "arrests": 4, "country": "MA"}),
    "incident:tanger-ceuta-2023": ("Incident", {
        "kind": "dismantlement", "name": "Tangier-Ceuta joint operation", "date": "2023-11",
        "date_precision": "month", "arrests": 6, "country": "MA"}),
    "incident:gao-2024": ("Incident", {
        "kind": "ambush", "name": "Gao ambush", "date": "2024", "date_precision": "year",
        "arrests": 0, "country": "ML"}),
    "person:youssef-b": ("Person", {"name": "Youssef B.", "role": "cell leader"}),
    "person:youssef-bakkali": ("Person", {"name": "Youssef Bakkali", "aliases": ["Youssef B."],
                                          "role": "cell leader"}),
    "person:karim-benali": ("Person", {"name": "Karim Benali", "role": "BCIJ spokesperson"}),
    "person:abu-talha": ("Person", {"name": "Abu Talha al-Sahrawi", "role": "emir"}),
    "person:abu-obeida": ("Person", {"name": "Abu Obeida al-Maghribi", "role": "handler"}),
    "stmt:benali-had-soualem": ("Statement", {
        "text": "Les membres de cette cellule projetaient des attentats contre des sites sensibles",
        "lang": "fr", "quoted": True}),
    "stmt:guardia-civil-tanger": ("Statement", {
        "text": "la cellule recrutait des jeunes pour les envoyer au Sahel", "lang": "fr",
        "quoted": False}),
    "cache:had-soualem": ("WeaponsCache", {"name": "Had Soualem cache",
                                           "items": ["rifles", "explosives"],
                                           "place": "a farm in Had Soualem"}),
    "cache:gao": ("WeaponsCache", {"name": "Gao cache", "items": ["mortar shells"]}),
}
KNOWN = {**VOCAB, **ENTITIES}


class Article:
    """Builds one article's batch: `mention` spans entities, `fact` adds evidenced edges."""

    def __init__(self, text: str, locator: str, lang: str, source: str, published: str,
                 title: str) -> None:
        meta = ArticleMeta(id=text_sha256(text), locator=locator, lang=lang, url=locator,
                           title=title, published=published, source=source, chars=len(text))
        self.text = text
        self.batch = GraphBatch(meta, extractor="test", extractor_version="1")

    def _span(self, snippet: str) -> Span:
        start = self.text.index(snippet)
        return Span(start, start + len(snippet), snippet)

    def _node(self, node_id: str) -> Node:
        node = self.batch.node(node_id)
        if node is None:
            label, props = KNOWN[node_id]
            node = Node(node_id, label, dict(props))
            self.batch.nodes.append(node)
        return node

    def mention(self, node_id: str, snippet: str) -> "Article":
        node = self._node(node_id)
        node.mentions.append(self._span(snippet))
        node.evidence = node.evidence or node.mentions[0]
        return self

    def fact(self, type_: str, source: str, target: str, sentence: str) -> "Article":
        self._node(source), self._node(target)
        self.batch.edges.append(Edge(type_, source, target, 0.9, self._span(sentence)))
        return self


def vocabulary() -> GraphBatch:
    batch = GraphBatch(None, extractor="vocab", extractor_version="1")
    batch.nodes = [Node(i, label, dict(props)) for i, (label, props) in VOCAB.items()]
    batch.edges = [Edge(t, s, d, origin="reference") for t, s, d in VOCAB_EDGES]
    return batch


def _had_soualem_ar() -> Article:
    s1 = ("تمكن المكتب المركزي للأبحاث القضائية من تفكيك خلية إرهابية بحد السوالم "
          "تتكون من خمسة أعضاء.")
    s2 = "وكانت الخلية تنشط بتوجيه من ولاية داعش في الساحل وموالية لتنظيم الدولة الإسلامية."
    s3 = "ويتزعم الخلية المدعو يوسف ب. الموالي للتنظيم."
    s4 = "وتم حجز أسلحة ومتفجرات في ضيعة بحد السوالم."
    s5 = "وكانت الخلية تستهدف جهة الدار البيضاء سطات."
    art = Article(" ".join((s1, s2, s3, s4, s5)), "https://hespress.example/2024/09/12/had-soualem",
                  "ar", "Hespress", "2024-09-12", "تفكيك خلية إرهابية بحد السوالم")
    cell, incident = "cell:had-soualem", "incident:had-soualem-2024"
    return (art.mention(cell, "خلية إرهابية بحد السوالم").mention(incident, "تفكيك خلية إرهابية")
            .mention("agency:bcij", "المكتب المركزي للأبحاث القضائية")
            .mention("org:is-sahel", "ولاية داعش في الساحل")
            .mention("org:islamic-state", "الدولة الإسلامية").mention("person:youssef-b", "يوسف ب.")
            .mention("cache:had-soualem", "أسلحة ومتفجرات").mention("region:had-soualem", "السوالم")
            .mention("region:casablanca-settat", "جهة الدار البيضاء سطات")
            .fact("DISMANTLED_BY", cell, "agency:bcij", s1)
            .fact("OPERATED_IN", cell, "region:had-soualem", s1)
            .fact("DIRECTED_BY", cell, "org:is-sahel", s2)
            .fact("AFFILIATED_WITH", cell, "org:islamic-state", s2)
            .fact("LEADS", "person:youssef-b", cell, s3)
            .fact("AFFILIATED_WITH", "person:youssef-b", "org:islamic-state", s3)
            .fact("STORED", cell, "cache:had-soualem", s4)
            .fact("LOCATED_IN", "cache:had-soualem", "region:had-soualem", s4)
            .fact("TARGETED", cell, "region:casablanca-settat", s5)
            .fact("INVOLVED", incident, cell, s1).fact("CONDUCTED_BY", incident, "agency:bcij", s1)
            .fact("OCCURRED_IN", incident, "region:had-soualem", s1)
            .fact("ATTRIBUTED_TO", incident, "org:islamic-state", s2))


def _had_soualem_fr() -> Article:
    s1 = "Le BCIJ a démantelé une cellule terroriste à Had Soualem."
    s2 = "Youssef Bakkali, présenté comme le chef de la cellule, a été interpellé avec trois complices."
    s3 = ("« Les membres de cette cellule projetaient des attentats contre des sites sensibles », "
          "a déclaré Karim Benali, porte-parole du BCIJ.")
    s4 = "La cellule agissait sous la direction de l'État islamique au Sahel."
    art = Article(" ".join((s1, s2, s3, s4)), "https://le360.example/societe/bcij-had-soualem",
                  "fr", "Le360", "2024-09-12", "Le BCIJ démantèle une cellule à Had Soualem")
    cell, incident = "cell:had-soualem", "incident:had-soualem-2024"
    statement = "stmt:benali-had-soualem"
    return (art.mention("agency:bcij", "BCIJ").mention(cell, "cellule terroriste à Had Soualem")
            .mention(incident, "a démantelé une cellule terroriste")
            .mention("person:youssef-bakkali", "Youssef Bakkali")
            .mention("person:karim-benali", "Karim Benali")
            .mention(statement, ENTITIES[statement][1]["text"])
            .mention("org:is-sahel", "l'État islamique au Sahel")
            .fact("DISMANTLED_BY", cell, "agency:bcij", s1).fact("INVOLVED", incident, cell, s1)
            .fact("LEADS", "person:youssef-bakkali", cell, s2)
            .fact("MADE", "person:karim-benali", statement, s3)
            .fact("COMMENTED_ON", statement, cell, s3)
            .fact("DIRECTED_BY", cell, "org:is-sahel", s4))


def _had_soualem_en() -> Article:
    s1 = "Moroccan police dismantled the Had Soualem Cell on Thursday."
    s2 = "Karim Benali said the suspects had pledged allegiance to the Islamic State."
    s3 = "The operation was led by the BCIJ."
    art = Article(" ".join((s1, s2, s3)), "https://mwn.example/2024/09/had-soualem-cell", "en",
                  "Morocco World News", "2024-09-13", "Police dismantle Had Soualem cell")
    incident = "incident:had-soualem-2024"
    return (art.mention("cell:had-soualem-cell", "Had Soualem Cell")
            .mention(incident, "dismantled the Had Soualem Cell")
            .mention("person:karim-benali", "Karim Benali")
            .mention("org:islamic-state", "Islamic State").mention("agency:bcij", "BCIJ")
            .fact("COMMENTED_ON", "person:karim-benali", incident, s2)
            .fact("CONDUCTED_BY", incident, "agency:bcij", s3))


def _tanger_ceuta_fr() -> Article:
    s1 = ("La DGST et la Guardia Civil ont démantelé en novembre une cellule active entre Tanger "
          "et Ceuta.")
    s2 = ("La cellule, liée à l'État islamique, était dirigée depuis l'étranger par "
          "Abu Talha al-Sahrawi.")
    s3 = "Selon la Guardia Civil, la cellule recrutait des jeunes pour les envoyer au Sahel."
    art = Article(" ".join((s1, s2, s3)), "https://ledesk.example/2023/11/tanger-ceuta", "fr",
                  "Le Desk", "2024-01-08", "Une cellule entre Tanger et Ceuta démantelée")
    cell, incident = "cell:tanger-ceuta", "incident:tanger-ceuta-2023"
    statement = "stmt:guardia-civil-tanger"
    return (art.mention("agency:dgst", "DGST").mention("agency:guardia-civil", "Guardia Civil")
            .mention(cell, "une cellule active entre Tanger et Ceuta")
            .mention(incident, "ont démantelé en novembre une cellule")
            .mention("region:tanger", "Tanger").mention("region:ceuta", "Ceuta")
            .mention("org:islamic-state", "l'État islamique")
            .mention("person:abu-talha", "Abu Talha al-Sahrawi")
            .mention(statement, ENTITIES[statement][1]["text"])
            .fact("DISMANTLED_BY", cell, "agency:dgst", s1)
            .fact("OPERATED_IN", cell, "region:tanger", s1)
            .fact("OPERATED_IN", cell, "region:ceuta", s1)
            .fact("AFFILIATED_WITH", cell, "org:islamic-state", s2)
            .fact("DIRECTED_BY", cell, "person:abu-talha", s2)
            .fact("INVOLVED", incident, cell, s1).fact("CONDUCTED_BY", incident, "agency:dgst", s1)
            .fact("CONDUCTED_BY", incident, "agency:guardia-civil", s1)
            .fact("OCCURRED_IN", incident, "region:tanger", s1)
            .fact("OCCURRED_IN", incident, "region:ceuta", s1)
            .fact("MADE", "agency:guardia-civil", statement, s3)
            .fact("COMMENTED_ON", statement, incident, s3))


def _tanger_ceuta_en() -> Article:
    s1 = ("Spanish and Moroccan police broke up a jihadist cell operating between Tangier and "
          "Ceuta in November, the Guardia Civil said on Tuesday.")
    art = Article(s1, "https://reuters.example/world/africa/morocco-spain-cell", "en", "Reuters",
                  "2024-01-09", "Spain, Morocco break up jihadist cell")
    cell = "cell:tanger-ceuta"
    return (art.mention("agency:guardia-civil", "Guardia Civil").mention("region:ceuta", "Ceuta")
            .mention(cell, "a jihadist cell operating between Tangier and Ceuta")
            .fact("OPERATED_IN", cell, "region:ceuta", s1))


def _gao_fr() -> Article:
    s1 = "Une embuscade près de Gao a été revendiquée par le JNIM."
    s2 = "La cellule de Gao, affiliée au JNIM, y stockait des obus de mortier."
    s3 = "Abu Talha al-Sahrawi dirige l'État islamique au Sahel, rival du JNIM."
    art = Article(" ".join((s1, s2, s3)), "https://rfi.example/fr/afrique/gao-embuscade", "fr",
                  "RFI", "2024-03-02", "Embuscade près de Gao")
    cell, incident = "cell:gao", "incident:gao-2024"
    return (art.mention(incident, "Une embuscade près de Gao").mention("region:gao", "Gao")
            .mention("org:jnim", "JNIM").mention(cell, "La cellule de Gao")
            .mention("cache:gao", "obus de mortier")
            .mention("person:abu-talha", "Abu Talha al-Sahrawi")
            .mention("org:is-sahel", "l'État islamique au Sahel")
            .fact("OCCURRED_IN", incident, "region:gao", s1)
            .fact("ATTRIBUTED_TO", incident, "org:jnim", s1)
            .fact("INVOLVED", incident, cell, s2)
            .fact("AFFILIATED_WITH", cell, "org:jnim", s2)
            .fact("DIRECTED_BY", cell, "org:jnim", s2)
            .fact("OPERATED_IN", cell, "region:gao", s2)
            .fact("STORED", cell, "cache:gao", s2)
            .fact("LOCATED_IN", "cache:gao", "region:gao", s2)
            .fact("LEADS", "person:abu-talha", "org:is-sahel", s3))


def _nador_ar() -> Article:
    s1 = "فكك المكتب المركزي للأبحاث القضائية خلية الناظور الموالية لتنظيم الدولة الإسلامية."
    s2 = "وكان يوجه الخلية من الرقة المدعو أبو عبيدة المغربي."
    art = Article(" ".join((s1, s2)), "https://hespress.example/2022/05/03/nador", "ar",
                  "Hespress", "2022-05-03", "تفكيك خلية الناظور")
    cell = "cell:nador"
    return (art.mention("agency:bcij", "المكتب المركزي للأبحاث القضائية")
            .mention(cell, "خلية الناظور").mention("org:islamic-state", "الدولة الإسلامية")
            .mention("person:abu-obeida", "أبو عبيدة المغربي").mention("region:raqqa", "الرقة")
            .fact("DISMANTLED_BY", cell, "agency:bcij", s1)
            .fact("AFFILIATED_WITH", cell, "org:islamic-state", s1)
            .fact("DIRECTED_BY", cell, "person:abu-obeida", s2)
            .fact("BASED_IN", "person:abu-obeida", "region:raqqa", s2))


RUN1 = (_had_soualem_ar, _had_soualem_fr, _had_soualem_en, _tanger_ceuta_fr, _tanger_ceuta_en)
RUN2 = (_gao_fr, _nador_ar)
# The Reuters wire never names the operation, so no mention links it to the incident; it
# REPORTS it (a batch cannot carry that edge: article ids are not node ids of a batch).
REPORTS = [("https://reuters.example/world/africa/morocco-spain-cell", "incident:tanger-ceuta-2023")]


def article(locator: str) -> GraphBatch:
    """The batch of the fixture article at this locator."""
    return next(b for b in (make().batch for make in RUN1 + RUN2) if b.article.locator == locator)


def build(driver, backfilled: bool = True) -> None:
    """Write the whole world: vocabulary, two ingest runs and their IngestRun nodes; then
    the query library's indexes and summaries (graph/summaries.py)."""
    writer = GraphWriter(driver)
    writer.ensure_schema()
    with driver.session() as session:  # a no-op once schema_statements creates them too
        for stmt in summary_statements(writer.schema):
            session.run(stmt).consume()
        session.run("CALL db.awaitIndexes(60)").consume()
    writer.write(vocabulary(), now=VOCAB_LOADED)
    writer.write_many((make().batch for make in RUN1), now=RUN1_WRITE)
    writer.write_many((make().batch for make in RUN2), now=RUN2_WRITE)
    for locator, incident in REPORTS:
        driver.execute_query(
            "MATCH (a:Article {locator: $locator}), (i:Incident {id: $incident}) "
            "MERGE (a)-[r:REPORTS]->(i) SET r.id = $id, r.origin = 'article'",
            locator=locator, incident=incident, id=f"rel:reports-{incident}")
        with driver.session() as session:  # written here, not by the writer: summarised here
            session.execute_write(update_summaries, [incident])
    for run_id, started, finished, count in RUNS:
        driver.execute_query(
            "MERGE (r:IngestRun {id: $id}) SET r.started_at = $started, "
            "r.finished_at = $finished, r.articles = $count",
            id=run_id, started=started, finished=finished, count=count)
    # Until graph/writer.py calls update_summaries for every chunk it writes (then this
    # changes nothing; tests/queries/test_summaries.py says which is the case).
    if backfilled:
        backfill(driver)
