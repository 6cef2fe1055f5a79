"""`ctkg extract` output against the contract of ANNOTATION.md §2."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ctkg.cli import _register, cli
from ctkg.graph.ids import text_sha256
from ctkg.graph.schema import load_schema
from ctkg.loaders.extractor import EXTRACTOR_VERSION

from tests.conftest import ROOT

SEED = ROOT / "examples" / "seed-ar-001.txt"
DEVSET_AR = ROOT / "devset" / "ar"

if "extract" not in cli.commands:
    _register()

ARTICLE_KEYS = {"id", "path", "lang", "title", "published"}
# Beyond ANNOTATION.md §2: what the writer stores too, so that `ctkg ingest -` writes the same.
ARTICLE_EXTRA = {"url", "source", "chars", "extractor", "extractor_version"}
SPAN_KEYS = {"text", "start", "end"}


def run_extract(*paths) -> list[dict]:
    result = CliRunner().invoke(cli, ["--quiet", "extract", *map(str, paths)])
    assert result.exit_code == 0, (result.stderr, result.exception)
    return [json.loads(line) for line in result.stdout.splitlines()]


def file_text(path) -> str:
    """The file as decoded (UTF-8), nothing else done to it."""
    return Path(path).read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def outputs() -> list[dict]:
    return run_extract(SEED, DEVSET_AR)


def test_one_object_per_article(outputs):
    assert len(outputs) == 1 + len(list(DEVSET_AR.glob("*.txt")))
    assert outputs[0]["article"]["path"] == str(SEED)


def test_article_keys(outputs):
    for out in outputs:
        assert set(out) == {"article", "nodes", "edges"}
        article = out["article"]
        assert ARTICLE_KEYS <= set(article) <= ARTICLE_KEYS | ARTICLE_EXTRA
        assert article["chars"] == len(file_text(article["path"]))
        assert article["extractor_version"] == EXTRACTOR_VERSION
        assert article["id"] == text_sha256(file_text(article["path"]))
        assert article["lang"] == "ar"


def test_node_keys_labels_and_ids(outputs):
    schema = load_schema()
    for out in outputs:
        for node in out["nodes"]:
            assert {"id", "label", "mentions"} <= set(node), node
            assert node["label"] in schema.nodes, node["label"]
            prefix = schema.nodes[node["label"]].prefix
            assert node["id"].startswith(prefix + ":") and len(node["id"]) > len(prefix) + 1
            if node["label"] == "Statement":
                assert isinstance(node["text"], str) and node["text"]
                assert "name" not in node
            else:
                assert isinstance(node["name"], str) and node["name"]
            if "aliases" in node:
                assert isinstance(node["aliases"], list)
            for mention in node["mentions"]:
                assert set(mention) == SPAN_KEYS
            assert 0 < node["confidence"] <= 1
            if node["mentions"]:
                assert set(node["evidence"]) == SPAN_KEYS  # the sentence of its first mention


def test_edge_keys_types_and_endpoints(outputs):
    schema = load_schema()
    for out in outputs:
        labels = {n["id"]: n["label"] for n in out["nodes"]}
        for edge in out["edges"]:
            assert {"type", "source", "target"} <= set(edge)
            rel = schema.relationships.get(edge["type"])
            assert rel is not None, edge["type"]
            assert labels.get(edge["source"]) in rel.sources, edge
            assert labels.get(edge["target"]) in rel.targets, edge
            if edge.get("origin") == "reference":
                assert "evidence" not in edge
            else:
                assert set(edge["evidence"]) == SPAN_KEYS
                assert 0 < edge["confidence"] <= 1


def test_offsets_point_into_the_file_as_decoded(outputs):
    checked = 0
    for out in outputs:
        text = file_text(out["article"]["path"])
        spans = [m for n in out["nodes"] for m in n["mentions"]]
        spans += [e["evidence"] for e in out["edges"] if e.get("evidence")]
        spans += [n["evidence"] for n in out["nodes"] if n.get("evidence")]
        for span in spans:
            assert 0 <= span["start"] < span["end"] <= len(text)
            assert text[span["start"]:span["end"]] == span["text"]
            checked += 1
    assert checked > 100


def test_statement_nodes_name_their_speaker(outputs):
    statements = 0
    for out in outputs:
        made = {e["target"]: e["source"] for e in out["edges"] if e["type"] == "MADE"}
        for node in out["nodes"]:
            if node["label"] == "Statement":
                statements += 1
                assert node.get("speaker") == made.get(node["id"]), node["id"]
                assert node["speaker"] is not None
    assert statements


def test_offsets_with_windows_line_endings(tmp_path):
    crlf = tmp_path / "seed-crlf.txt"
    crlf.write_bytes(SEED.read_bytes().replace(b"\n", b"\r\n"))
    [out] = run_extract(crlf)
    text = crlf.read_bytes().decode("utf-8")
    spans = [m for n in out["nodes"] for m in n["mentions"]]
    assert spans
    assert [(s["text"], text[s["start"]:s["end"]]) for s in spans
            if text[s["start"]:s["end"]] != s["text"]] == []
    assert out["article"]["id"] == text_sha256(text)


def test_offsets_of_an_html_article_point_into_its_extracted_text(tmp_path):
    body = SEED.read_text(encoding="utf-8").split("\n")[:2]
    page = tmp_path / "page.html"
    page.write_text("<html><head><meta charset='utf-8'><title>خلية</title></head><body>"
                    "<nav><a href='/'>الرئيسية</a></nav><article>"
                    + "".join(f"<p>{p}</p>" for p in body)
                    + "</article><footer>جميع الحقوق محفوظة</footer></body></html>",
                    encoding="utf-8")
    [out] = run_extract(page)
    # offsets are into the article text the reader extracted (documented in articles.py)
    from ctkg.loaders.articles import read_html
    text = read_html(page).text
    spans = [m for n in out["nodes"] for m in n["mentions"]]
    assert any(m["text"] == "المكتب المركزي للأبحاث القضائية" for m in spans)
    for span in spans:
        assert text[span["start"]:span["end"]] == span["text"]


def test_extractor_version_is_the_components_and_the_vocabulary(tmp_path):
    import shutil

    from ctkg.loaders import extractor

    source = Path(extractor.__file__).resolve().parent
    copy = tmp_path / "loaders"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = extractor.vocabulary_digest(copy)
    assert before == extractor.vocabulary_digest(source)
    assert extractor.EXTRACTOR_VERSION.endswith(f"+vocab.{before}")
    for component in extractor.COMPONENTS:
        assert component.removeprefix("ctkg").strip("._") in extractor.EXTRACTOR_VERSION
    vocab = copy / "vocab" / "stop_places.yaml"
    vocab.write_text(vocab.read_text(encoding="utf-8") + "- كلمة\n", encoding="utf-8")
    assert extractor.vocabulary_digest(copy) != before
    assert extractor.extractor_version(extractor.COMPONENTS[:-1] + ("ctkg_batch_v2",)) != \
        extractor.EXTRACTOR_VERSION


def test_each_fact_once_in_every_dev_article():
    """No (type, source, target) twice in one article's output (an incident's ATTRIBUTED_TO
    mirrors both DIRECTED_BY and AFFILIATED_WITH, and must still be one edge)."""
    from collections import Counter

    from ctkg.ingest import extract_all

    for batch in extract_all([ROOT / "devset" / "ar", ROOT / "devset" / "fr",
                              ROOT / "devset" / "en"]):
        edges = Counter((e.type, e.source, e.target) for e in batch.edges)
        assert [k for k, n in edges.items() if n > 1] == [], batch.article.locator
