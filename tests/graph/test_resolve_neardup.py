"""Near-duplicate texts (graph/neardup.py): a republished copy is the same story; different
reports, and translations, are not."""
from __future__ import annotations

import json
from pathlib import Path

from ctkg.graph.neardup import NEAR_DUPLICATE, K, near_duplicates, sketch, similarity, words

ROOT = Path(__file__).resolve().parent.parent.parent
DEVSET = ROOT / "devset"


def _text(name: str) -> str:
    return (DEVSET / name).read_text(encoding="utf-8")


def test_words_are_normalised_across_case_accents_and_arabic_variants():
    assert words("Démantèlement d'une CELLULE") == words("demantelement d une cellule")
    assert words("إرهابيّة موالية") == words("ارهابية موالية")


def test_a_republished_copy_with_a_paragraph_added_is_a_near_duplicate():
    text = _text("ar/ar-001.txt")
    copy = text.replace("\n", "\n\nوأفاد مصدر مطلع أن التحقيقات لا تزال جارية لكشف امتدادات "
                              "الخلية.\n", 1)
    assert copy != text
    assert similarity(sketch(text), sketch(copy)) >= NEAR_DUPLICATE


def test_a_copy_with_words_changed_is_a_near_duplicate():
    text = _text("fr/fr-002.txt")
    copy = text.replace("démantelé", "neutralisé", 1).replace("Selon", "D'après", 1)
    assert copy != text
    assert similarity(sketch(text), sketch(copy)) >= NEAR_DUPLICATE


def test_different_reports_and_translations_are_not():
    texts = {p.name: p.read_text(encoding="utf-8")
             for folder in ("ar", "fr", "en") for p in sorted((DEVSET / folder).glob("*.txt"))}
    sketches = {name: sketch(text) for name, text in texts.items()}
    assert near_duplicates(sketches) == []
    tangier = [json.loads(line)["text"] for line in
               (ROOT / "examples" / "tangier-cell.jsonl").read_text("utf-8").splitlines()]
    assert similarity(sketch(tangier[0]), sketch(tangier[1])) == 0.0  # Arabic, French


def test_a_sketch_is_bounded_and_fits_neo4j_integers():
    s = sketch(_text("ar/ar-010.txt"))
    assert len(s) == K and s == sorted(s)
    assert all(0 <= h < 2 ** 63 for h in s)
    assert sketch("") == [] and similarity([], s) == 0.0
