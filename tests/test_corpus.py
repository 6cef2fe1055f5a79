"""The synthetic corpus (ctkg/corpus.py): deterministic, three languages, and made of
entities the extractor finds."""
from __future__ import annotations

from collections import Counter

from ctkg.corpus import generate
from ctkg.loaders.extractor import extract


def test_the_same_seed_gives_the_same_corpus_and_another_seed_another():
    first = [a.text for a in generate(30, seed=3)]
    assert first == [a.text for a in generate(30, seed=3)]
    assert first[10:] == [a.text for a in generate(20, seed=3, start=10)]  # independent of N
    assert len(set(first)) == 30
    assert not set(first) & {a.text for a in generate(30, seed=4)}


def test_three_languages_and_several_phrasings():
    articles = list(generate(60, seed=1))
    assert set(Counter(a.lang for a in articles)) == {"ar", "fr", "en"}
    assert len({a.text.split("\n")[2][:25] for a in articles}) > 20  # the lead sentences vary
    assert all(700 < len(a.text) < 4000 for a in articles)
    longer = list(generate(10, seed=1, length=10))
    assert sum(map(len, (a.text for a in longer))) > 3 * sum(len(a.text) for a in articles[:10])


def test_the_extractor_finds_the_entities_it_was_built_from():
    for article in generate(9, seed=2):
        batch = extract(article)
        labels = Counter(n.label for n in batch.nodes)
        assert labels["Cell"] >= 1 and labels["Agency"] >= 1 and labels["Region"] >= 1, (
            article.lang, article.text[:200])
        assert batch.edges
