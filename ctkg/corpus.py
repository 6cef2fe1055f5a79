"""A deterministic synthetic corpus for benchmarks and scale tests (issue 13).

Articles in Arabic, French and English about dismantled cells, with their organisation,
agencies, places, people, weapons and quotes drawn from the vocabulary
(loaders/vocab/*.yaml through `load_vocab`) and phrased from the templates in
ctkg/resources/corpus.yaml. Article `i` depends only on the seed and `i`: the same seed gives
the same corpus, and the first 1,000 articles of a 100,000-article corpus are the 1,000 of a
smaller one.

    .venv/bin/python -m ctkg.corpus --articles 1000 --seed 7 > corpus.jsonl
"""
from __future__ import annotations

import argparse
import functools
import json
import random
import sys
from datetime import date, timedelta
from importlib import resources
from typing import Iterator

import yaml

from ctkg.loaders.articles import RawArticle
from ctkg.loaders.vocab import cues, load_vocab

LANGS = ("ar", "fr", "en")
# Countries whose cities, agencies and press the corpus draws on.
COUNTRIES = ("MA", "DZ", "TN", "FR", "ES", "BE", "ML")
FIRST_DAY = date(2015, 1, 1)
SECTIONS = ("lead", "search", "leader", "quote", "expert", "closing")


@functools.cache
def phrasing() -> dict:
    text = resources.files("ctkg").joinpath("resources/corpus.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@functools.cache
def _pools() -> dict:
    """Entities of the vocabulary, in a fixed order: cities and agencies by country,
    organisations with a name in every language, weapon words and Arabic first names (read
    once: `cues` merges its files on every call)."""
    regions = load_vocab("regions")
    cities = {k: [r for r in regions["regions"] if r["kind"] == "city" and r["country"] == k]
              for k in COUNTRIES}
    agencies = {k: [a for a in load_vocab("agencies") if a["country"] == k
                    and a["kind"] in ("intelligence", "police", "gendarmerie", "judicial")]
                for k in COUNTRIES}
    orgs = [o for o in load_vocab("organisations") if all(o["names"].get(l) for l in LANGS)]
    return {"cities": cities, "agencies": agencies, "orgs": orgs,
            "countries": regions["country_aliases"],
            "weapons": {lang: [w for w in cues(lang)["weapons"] if len(w) > 3]
                        for lang in LANGS},
            "ar_first_names": cues("ar")["first_names"]}


def _person(rng: random.Random, lang: str) -> str:
    p = phrasing()
    if lang == "ar":
        return f"{rng.choice(_pools()['ar_first_names'])} {rng.choice(p['ar_family_names'])}"
    return f"{rng.choice(p['latin_first_names'])} {rng.choice(p['latin_family_names'])}"


def _slots(rng: random.Random, lang: str) -> dict[str, str]:
    pools = _pools()
    country = rng.choice([k for k in COUNTRIES if pools["cities"][k] and pools["agencies"][k]])
    city, city2 = rng.sample(pools["cities"][country], 2)
    agency, agency2 = (rng.sample(pools["agencies"][country], 2)
                       if len(pools["agencies"][country]) > 1 else
                       [pools["agencies"][country][0]] * 2)
    org = rng.choice(pools["orgs"])
    abroad = rng.choice([k for k in COUNTRIES if k != country])
    n = rng.randint(2, 7)
    age1 = rng.randint(18, 30)
    weapon, weapon2 = rng.sample(pools["weapons"][lang], 2)
    words = phrasing()
    return {
        "agency": agency["names"][lang], "agency2": agency2["names"][lang],
        "org": org["names"][lang], "city": city["names"][lang], "city2": city2["names"][lang],
        "country": pools["countries"][abroad][lang][-1], "n": str(n),
        "n_word": str(words["number_words"][lang][n]), "age1": str(age1),
        "age2": str(age1 + rng.randint(3, 20)), "weapon": weapon, "weapon2": weapon2,
        "leader": _person(rng, lang), "spokesman": _person(rng, lang),
        "expert": _person(rng, lang), "day": rng.choice(words["days"][lang]),
    }


def article(seed: int, index: int, length: float = 1.0) -> RawArticle:
    """Article `index` of the corpus of this seed. `length` scales the background paragraphs
    (1.0: about 1,000-1,800 characters, like a wire story; 10: a long feature)."""
    rng = random.Random(f"ctkg-corpus:{seed}:{index}")
    lang = LANGS[rng.randrange(len(LANGS))]
    slots = _slots(rng, lang)
    templates = phrasing()["templates"][lang]
    paragraphs = [rng.choice(templates[s]).format(**slots) for s in SECTIONS
                  if s in ("lead", "closing") or rng.random() < 0.8]
    background = [t.format(**slots) for t in templates["background"]]
    for _ in range(max(0, round(rng.uniform(1.5, 3.5) * length))):
        paragraphs.insert(rng.randint(1, len(paragraphs)), rng.choice(background))
    headline = rng.choice(templates["headline"]).format(**slots)
    published = FIRST_DAY + timedelta(days=rng.randrange(3650))
    outlet = rng.choice(phrasing()["outlets"][lang])
    return RawArticle(text=headline + "\n\n" + "\n".join(paragraphs), title=headline,
                      url=f"https://synthetic.example/{seed}/{lang}/{index}",
                      published=published.isoformat(), source=outlet, lang=lang)


def generate(n: int, seed: int = 0, length: float = 1.0, start: int = 0) -> Iterator[RawArticle]:
    """Articles start..start+n-1 of the corpus of this seed."""
    for index in range(start, start + n):
        yield article(seed, index, length)


def record(item: RawArticle) -> dict:
    """The JSON Lines record `ctkg ingest` reads back as the same RawArticle."""
    return {"text": item.text, "url": item.url, "title": item.title,
            "published": item.published, "source": item.source, "lang": item.lang}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic corpus as JSON Lines.")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--length", type=float, default=1.0,
                        help="scale of the background paragraphs (default 1)")
    args = parser.parse_args(argv)
    for item in generate(args.articles, args.seed, args.length):
        sys.stdout.write(json.dumps(record(item), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
