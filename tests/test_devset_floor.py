"""The extractor's scores on the Arabic dev set never fall below the recorded floor.

devset/floor.json holds the floor (about 0.03 under the scores measured when it was last
raised, with `ctkg eval devset/ar`); raise it when the extractor improves.
"""
from __future__ import annotations

import json

import pytest

from ctkg.eval import check_floor, evaluate_folder

from tests.conftest import ROOT

FLOOR = ROOT / "devset" / "floor.json"


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    scores, rows = evaluate_folder(ROOT / "devset" / "ar")
    assert len(scores) == len(list((ROOT / "devset" / "ar").glob("*.json")))
    return rows


def floor() -> dict:
    return json.loads(FLOOR.read_text(encoding="utf-8"))


def test_floor_file_covers_arabic_entities_and_relations():
    data = floor()
    assert set(data["ar"]) == {"entity", "relation"}
    assert all(0 < v <= 1 for v in data["ar"].values())


def test_arabic_scores_are_not_below_the_floor(rows):
    overall = {(r["lang"], r["kind"]): r["f1"] for r in rows if r["type"] == "ALL"}
    assert ("ar", "entity") in overall and ("ar", "relation") in overall
    assert check_floor(rows, floor()) == []


def test_check_floor_reports_a_score_below_the_floor(rows):
    overall = {(r["lang"], r["kind"]): r["f1"] for r in rows if r["type"] == "ALL"}
    too_high = {"ar": {"entity": overall[("ar", "entity")] + 0.01, "relation": 0.0}}
    assert check_floor(rows, too_high) == [
        f"ar entity F1 {overall[('ar', 'entity')]} < {too_high['ar']['entity']}"]
    assert check_floor(rows, {"xx": {"entity": 0.1}}) == ["xx entity F1 None < 0.1"]
