"""Re-reading is nearly free: an article already stored with the same text at the same place
by the same extractor version is recognised before extraction, and nothing is written."""
from __future__ import annotations

import ctkg.ingest as ingest_module
from ctkg.graph.writer import GraphWriter
from ctkg.loaders.articles import RawArticle

TEXTS = {
    "a.txt": "فككت المصالح الأمنية خلية إرهابية موالية لتنظيم داعش بمدينة طنجة.",
    "b.txt": "Le BCIJ a démantelé une cellule terroriste liée à Daech à Tanger.",
    "c.txt": "The BCIJ dismantled a terrorist cell linked to ISIS in Tangier.",
}


def test_an_unchanged_article_is_neither_extracted_nor_written(driver, tmp_path, monkeypatch):
    for name, text in TEXTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    writer = GraphWriter(driver)
    writer.ensure_schema()
    extracted = []
    real = ingest_module.extract
    monkeypatch.setattr(ingest_module, "extract", lambda raw: extracted.append(raw) or real(raw))
    first = ingest_module.ingest([str(tmp_path)], writer, chunk=2)
    assert (first.batches, first.unchanged, len(extracted)) == (3, 0, 3)
    seen = []
    again = ingest_module.ingest([str(tmp_path)], writer, seen.append, chunk=2)
    assert (again.batches, again.unchanged, len(extracted)) == (3, 3, 3)
    assert sum(again.counters.values()) == 0
    assert all(isinstance(item, RawArticle) for item in seen)  # the progress still hears of them
    # An edited file is read again; the other two are not.
    (tmp_path / "b.txt").write_text(TEXTS["b.txt"] + " Trois suspects.", encoding="utf-8")
    edited = ingest_module.ingest([str(tmp_path)], writer, chunk=2)
    assert (edited.unchanged, len(extracted)) == (2, 4)
    assert driver.execute_query("MATCH (a:Article) RETURN count(a)").records[0][0] == 3
