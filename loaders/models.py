"""Trained spaCy pipelines, optional, per language: names the rules missed.

Which pipeline reads a language is a setting (`ctkg.config.model_names`: the config file's
[models] table, or CTKG_MODEL_FR / CTKG_MODEL_EN / CTKG_MODEL_AR), so a user can point at
`fr_core_news_md`, `en_core_web_trf` or a pipeline of their own, by package name or path. None
is on by default. When the one configured is not installed, extraction runs on the rules
alone and says so in one line on stderr, once (worker processes stay quiet: the parent has
said it).

The model is used for recall, not as a veto: the rules' people, agencies, organisations and
cells stand as they are; a PERSON/PER span of the model that none of them overlaps becomes a
Person when it is a capitalised name of two words or more inside one kept sentence, with the
role of a title just before it. A place the rules read inside such a name, not at its start
("Youssef Ammari": Ammari is also an Algerian commune), is dropped. (Used as a veto, the
small models' habit of calling names places lowered the dev scores.)
"""
from __future__ import annotations

import os
import re
import sys
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ctkg.config import model_names
from ctkg.errors import CtkgError

_QUIET = "CTKG_MODELS_CHECKED"  # set once the missing models have been reported
PERSON_LABELS = ("PERSON", "PER")
# Not what the recall needs: a trained pipeline's parser, tagger and lemmatizer are not run.
_SKIP = ("parser", "tagger", "morphologizer", "lemmatizer", "attribute_ruler", "senter")


class ModelError(CtkgError):
    """A configured pipeline that is installed but cannot be used (one line)."""


def _say_once(message: str) -> None:
    if not os.environ.get(_QUIET):
        print(f"ctkg: {message}", file=sys.stderr)
    os.environ[_QUIET] = "1"  # spawned workers inherit it


def configured(lang: str) -> str | None:
    return model_names().get(lang)


@lru_cache(maxsize=None)
def in_use(lang: str) -> str | None:
    """The name of the trained pipeline that will read `lang`, or None: none configured, or
    the one configured is not installed (said once on stderr). Nothing is loaded here."""
    name = configured(lang)
    if not name:
        return None
    import spacy.util

    if spacy.util.is_package(name) or Path(name).expanduser().is_dir():
        return name
    _say_once(f"no trained spaCy pipeline {name!r} for {lang} is installed: extraction runs "
              f"on rules alone (install it, or set CTKG_MODEL_{lang.upper()}=none)")
    return None


@lru_cache(maxsize=None)
def model(lang: str) -> Language | None:
    """The language's trained pipeline, with only what the recall needs (NER), or None."""
    name = in_use(lang)
    if name is None:
        return None
    import spacy

    try:
        pipeline = spacy.load(name)
    except (OSError, ImportError, ValueError) as exc:
        raise ModelError(f"cannot load the spaCy pipeline {name!r} for {lang}: "
                         f"{str(exc).splitlines()[0][:200]}") from None
    if not any(label in PERSON_LABELS for labels in pipeline.pipe_labels.values()
               for label in labels):
        raise ModelError(f"the spaCy pipeline {name!r} for {lang} has no PERSON entities")
    pipeline.select_pipes(disable=[p for p in pipeline.pipe_names if p in _SKIP])
    return pipeline


def check(langs=("ar", "fr", "en")) -> dict[str, str | None]:
    """Which model reads each language (saying once which configured ones are missing)."""
    return {lang: in_use(lang) for lang in langs}


def version_tag() -> str:
    """"+models.fr=fr_core_news_sm-3.8.0" for the models in use; "" when none is."""
    import spacy.util

    parts = []
    for lang, name in check().items():
        if name is not None:
            version = spacy.util.get_package_version(name) if spacy.util.is_package(name) \
                else "local"
            parts.append(f"{lang}={Path(name).name}-{version}")
    return f"+models.{'.'.join(parts)}" if parts else ""


def person_spans(lang: str, text: str) -> list[tuple[int, int]]:
    """(start, end) of the model's person names in `text`; [] without a model."""
    pipeline = model(lang)
    if pipeline is None:
        return []
    return [(e.start_char, e.end_char) for e in pipeline(text).ents
            if e.label_ in PERSON_LABELS]


_BEFORE = ("cue:person_titles", "cue:speech_verbs")
_AFTER = ("cue:speech_verbs", "cue:alias_markers")
_AGE = re.compile(r"\s*,\s*\d{1,2}\b")


def _person_context(cues, first: int, last: int, after: str) -> bool:
    """Where a person is named: after a title or a speech verb ("le
    politologue Youssef Ammari", "said Omar Haddad"), before a speech verb or an alias marker,
    or before an age ("Kamran Aziz, 31")."""
    return bool(_AGE.match(after)) or any(
        c.kind in _BEFORE and 1 <= first - c.last_token <= 3 or
        c.kind in _AFTER and 1 <= c.first_token - last <= 3 for c in cues)


def _name_like(words: list[str]) -> bool:
    """Two words or more, each capitalised letters (inner apostrophes and hyphens allowed)."""
    return len(words) >= 2 and all(
        w[:1].isupper() and w.replace("-", "").replace("'", "").replace("’", "").isalpha()
        for w in words)


@Language.component("ctkg_model_persons_v1")
def model_person_component(doc: Doc) -> Doc:
    """Persons the language's trained pipeline names and the rules did not."""
    from ctkg.graph.ids import slug
    from ctkg.loaders.persons import _later_mentions
    from ctkg.loaders.pipeline import LocalEntity, Mention
    from ctkg.loaders.tokens import fold

    state = doc._.ctkg
    d = state.document
    places = [m for m in state.entities if m.kind == "Region"]
    taken = [(m.start, m.end) for m in state.entities + state.cues if m.kind != "Region"] + \
        [(m.start, m.end) for group in (state.cells, state.persons) for e in group
         for m in e.mentions]
    keys = {p.key for p in state.persons}
    known_names = {fold(m.text) for p in state.persons for m in p.mentions}
    aliases = [fold(d.text[c.end:c.end + 80]).lstrip(" :«\"“'") for c in state.cues
               if c.kind == "cue:alias_markers"]
    added = []
    dropped: list = []
    for start, end in person_spans(state.lang, d.text):
        text = d.text[start:end].strip(" ,.;:'\"«»“”()")
        start = d.text.index(text, start)
        end = start + len(text)
        if not _name_like(text.split()) or any(a < end and start < b for a, b in taken):
            continue
        inside = [m for m in places if m.start < end and start < m.end]
        if any(m.start < start or m.end > end or m.start == start for m in inside):
            continue  # a place reading that starts the name or reaches out of it stands
        within = d.tokens_within(start, end)
        sentence = d.sentence_of(start)
        if within is None or sentence is None or d.sentence_of(end - 1) != sentence:
            continue
        key = slug(text)
        if key in keys:
            continue
        first, last = within
        if not _person_context(state.cues, first.index, last.index, d.text[end:end + 6]):
            continue
        if fold(text) in known_names:
            continue  # a name the rules read elsewhere in the article, under another key
        if any(after.startswith(fold(text)) for after in aliases):
            continue  # "Hamadoun Barry, alias Abou Zeinab": another name of the one before
        dropped += inside  # "Youssef Ammari": the surname is a commune's name too
        title = next((c for c in state.cues if c.kind == "cue:person_titles"
                      and 1 <= first.index - c.last_token <= 2), None)
        person = LocalEntity(key, "Person", text, props={"role": title.ref if title else None})
        person.mentions.append(Mention("Person", start, end, text, sentence, first.index,
                                       last.index))
        keys.add(key)
        taken.append((start, end))
        added.append(person)
    if dropped:
        state.entities = [m for m in state.entities if m not in dropped]
        doc.spans["entities"] = [s for s in doc.spans["entities"]
                                 if all(s.start_char != m.start for m in dropped)]
    if added:
        _later_mentions(d, added, cased=True)
        for p in added:
            for m in p.mentions:
                m.ref = p
        state.persons = state.persons + added
        doc.spans["persons"] = list(doc.spans["persons"]) + [
            s for p in added for m in p.mentions
            if (s := doc.char_span(m.start, m.end, label="Person", alignment_mode="expand"))]
    return doc
