"""Trained spaCy pipelines (loaders/models.py): the per-language setting, rules alone when the
model named is not installed (said once), and the recall of person names the rules missed.

The model here is a pipeline of our own, built by the test and named by its path, as a user
would name theirs: an EntityRuler that calls a few spans PERSON.
"""
from __future__ import annotations

import pytest
import spacy

from ctkg.config import ConfigError, model_names
from ctkg.loaders import models, pipeline
from ctkg.loaders.articles import RawArticle
from ctkg.loaders.extractor import extract, read

MISSED = "The analyst Youssef Ammari said the cell was dangerous."


def _clear() -> None:
    models.in_use.cache_clear()
    models.model.cache_clear()
    pipeline.nlp.cache_clear()


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """No config file, no model variables, and pipelines built anew (and again afterwards)."""
    monkeypatch.setenv("CTKG_CONFIG", str(tmp_path / "config.toml"))
    for lang in ("AR", "FR", "EN"):
        monkeypatch.delenv(f"CTKG_MODEL_{lang}", raising=False)
    monkeypatch.delenv("CTKG_MODELS_CHECKED", raising=False)
    _clear()
    yield tmp_path
    _clear()


@pytest.fixture
def own_model(fresh, monkeypatch):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": p}
                        for p in ("Youssef Ammari", "Islamic State", "Benali")])
    path = fresh / "tiny-en"
    nlp.to_disk(path)
    monkeypatch.setenv("CTKG_MODEL_EN", str(path))
    return path


def test_no_model_by_default(fresh):
    assert model_names() == {"ar": None, "fr": None, "en": None}
    assert "ctkg_model_persons_v1" not in pipeline.nlp("en").pipe_names


def test_the_setting_per_language(fresh, monkeypatch):
    (fresh / "config.toml").write_text('[models]\nfr = "fr_core_news_md"\nen = "none"\n')
    assert model_names() == {"ar": None, "fr": "fr_core_news_md", "en": None}
    monkeypatch.setenv("CTKG_MODEL_EN", "en_core_web_trf")  # the environment wins
    monkeypatch.setenv("CTKG_MODEL_FR", "off")
    assert model_names() == {"ar": None, "fr": None, "en": "en_core_web_trf"}


@pytest.mark.parametrize("content", ['[models]\nfr = 3\n', '[models]\nde = "x"\n',
                                     'models = "fr_core_news_sm"\n'])
def test_a_bad_setting_is_one_line(fresh, content):
    (fresh / "config.toml").write_text(content)
    with pytest.raises(ConfigError) as exc:
        model_names()
    assert "\n" not in str(exc.value) and "models" in str(exc.value)


def test_a_model_not_installed_means_rules_alone_said_once(fresh, monkeypatch, capsys):
    monkeypatch.setenv("CTKG_MODEL_EN", "en_no_such_pipeline")
    batch = extract(RawArticle(MISSED, lang="en"))
    extract(RawArticle(MISSED, lang="en"))
    assert models.check() == {"ar": None, "fr": None, "en": None}
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "en_no_such_pipeline" in err[0] and "rules alone" in err[0]
    assert [n.label for n in batch.nodes if n.label == "Person"] == []


def test_the_model_adds_a_name_the_rules_missed(own_model):
    rules = read(RawArticle(MISSED, lang="en"), until="ctkg_persons_v1")._.ctkg
    assert rules.persons == []
    assert [(m.kind, m.text) for m in rules.entities] == [("Region", "Ammari")]

    doc = read(RawArticle(MISSED, lang="en"))
    assert "ctkg_model_persons_v1" in pipeline.nlp("en").pipe_names
    state = doc._.ctkg
    assert [(p.name, [m.text for m in p.mentions]) for p in state.persons] == \
        [("Youssef Ammari", ["Youssef Ammari"])]
    # the commune read inside the name is gone; the name speaks
    assert state.entities == []
    assert [(s.name, s.props["speaker"].text) for s in state.statements] == \
        [("the cell was dangerous", "Youssef Ammari")]
    assert [(s.label_, s.text) for s in doc.spans["persons"]] == [("Person", "Youssef Ammari")]


def test_the_model_never_overrides_the_rules(own_model, monkeypatch):
    text = ("Police dismantled a cell loyal to the Islamic State in Tangier. "
            "It was led by Karim Benali, a mechanic. Benali said he was innocent.")
    with_model = extract(RawArticle(text, lang="en")).to_contract()
    _clear()
    monkeypatch.delenv("CTKG_MODEL_EN")
    without = extract(RawArticle(text, lang="en")).to_contract()
    # "Islamic State" (an organisation to the rules) and "Benali" (one word) are not persons
    with_model["article"].pop("extractor_version"), without["article"].pop("extractor_version")
    assert with_model == without


def test_the_extractor_version_names_the_model(own_model):
    assert models.version_tag() == "+models.en=tiny-en-local"


def test_no_version_tag_without_a_model(fresh):
    assert models.version_tag() == ""
