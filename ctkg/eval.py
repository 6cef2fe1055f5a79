"""`ctkg eval`: run the extractor over a gold folder and score it."""
from __future__ import annotations

from pathlib import Path

from ctkg.errors import CtkgError
from ctkg.loaders.articles import read_text
from ctkg.loaders.evaluate import ArticleScore, load_gold, report, score_article, threshold_rows
from ctkg.loaders.extractor import UnsupportedLanguage, extract


def extract_folder(folder: Path) -> list[tuple[dict, str, dict]]:
    """(gold, text, prediction) for each article of a gold folder."""
    pairs = load_gold(folder)
    if not pairs:
        raise CtkgError(f"no gold annotations (<id>.txt beside <id>.json) under {folder}")
    out = []
    for text_path, gold in pairs:
        raw = read_text(text_path)
        raw.lang = gold.get("lang") or raw.lang
        try:
            pred = extract(raw).to_contract()
        except UnsupportedLanguage:
            pred = {"nodes": [], "edges": []}
        out.append((gold, raw.text, pred))
    return out


def evaluate_folder(folder: Path) -> tuple[list[ArticleScore], list[dict]]:
    """Scores per article and the report's rows."""
    scores = [score_article(gold, text, pred) for gold, text, pred in extract_folder(folder)]
    return scores, report(scores)


def threshold_folder(folder: Path) -> list[dict]:
    """Relation precision/recall rows at each confidence threshold."""
    return threshold_rows(extract_folder(folder))


def floor_for(floors: dict, folder: str | Path) -> dict:
    """The floors of one folder: a file keyed by folder (devset/floor.json) gives that
    folder's entry (an unknown folder has none); a file keyed by language is used as it is."""
    if not any("/" in key or key.startswith("devset") for key in floors):
        return floors
    wanted = Path(folder).resolve().parts
    for key, value in floors.items():
        parts = Path(key).parts  # "devset/genres" names the folder wherever the file is read
        if wanted[-len(parts):] == parts:
            return value
    return {}


def check_floor(rows: list[dict], floor: dict) -> list[str]:
    """Scores below the recorded floor, as readable lines."""
    problems = []
    overall = {(r["lang"], r["kind"]): r["f1"] for r in rows if r["type"] == "ALL"}
    for lang, kinds in floor.items():
        for kind, minimum in kinds.items():
            got = overall.get((lang, kind))
            if got is None or got < minimum:
                problems.append(f"{lang} {kind} F1 {got} < {minimum}")
    return problems
