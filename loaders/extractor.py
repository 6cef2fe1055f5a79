"""One article in, one GraphBatch out, through the language's spaCy pipeline."""
from __future__ import annotations

import hashlib
from importlib import resources

from spacy.tokens import Doc

from ctkg import __version__
from ctkg.graph.model import GraphBatch
from ctkg.loaders import models
from ctkg.loaders.articles import RawArticle, detect_language
from ctkg.loaders.components import RULES, Extraction
from ctkg.loaders.cues import lexicon
from ctkg.loaders.gazetteer import Gazetteer, load_gazetteer
from ctkg.loaders.pipeline import nlp

EXTRACTOR = "ctkg-rules"
SUPPORTED = ("ar", "fr", "en")
COMPONENTS = ("ctkg.tokenizer.v1", "ctkg_sentences_v1", *RULES)


def vocabulary_digest(root=None) -> str:
    """A digest of the vocabulary and data files the rules read (under `root`, by default the
    installed package's)."""
    h = hashlib.sha256()
    root = root or resources.files("ctkg.loaders")
    for folder in ("vocab", "data"):
        for path in sorted(root.joinpath(folder).iterdir(), key=lambda p: p.name):
            if path.name.endswith(".yaml"):
                h.update(path.name.encode())
                h.update(path.read_bytes())
    # ids of Arabic-script names are romanised with ctkg/names.py's letter tables: a change
    # there changes ids, so it must change the extractor version too
    names = resources.files("ctkg").joinpath("resources/names.yaml")
    if names.is_file():
        h.update(b"names.yaml")
        h.update(names.read_bytes())
    return h.hexdigest()[:10]


def extractor_version(components: tuple[str, ...] = COMPONENTS) -> str:
    """The package version, the pipeline's components and the vocabulary's digest: a new
    component version or a changed word gives a new extractor version, so re-ingesting
    replaces the older reading of each article."""
    return f"{__version__}+{'.'.join(c.removeprefix('ctkg').strip('._') for c in components)}" \
           f"+vocab.{vocabulary_digest()}"


# With a trained pipeline on (loaders/models.py), its name and version are part of it too.
EXTRACTOR_VERSION = extractor_version() + models.version_tag()


class UnsupportedLanguage(ValueError):
    pass


def read(raw: RawArticle, gaz: Gazetteer | None = None, until: str | None = None) -> Doc:
    """The article's Doc after the language's pipeline, or only up to (and including) the
    component `until` (for tests and debugging: `doc.spans`, `doc._.ctkg`)."""
    lang = raw.lang or detect_language(raw.text)
    if lang not in SUPPORTED:
        raise UnsupportedLanguage(f"no extractor for language {lang!r} yet")
    pipeline = nlp(lang)
    if until is not None and until not in pipeline.pipe_names:
        raise ValueError(f"no component {until!r} in the pipeline: {pipeline.pipe_names}")
    doc = pipeline.make_doc(raw.text)
    doc.user_data["ctkg.raw"] = raw
    doc._.ctkg = Extraction(lang, lexicon(lang), (gaz or load_gazetteer()).for_article(),
                            EXTRACTOR, EXTRACTOR_VERSION)
    if until is None:
        return pipeline(doc)
    for name, component in pipeline.pipeline:
        doc = component(doc)
        if name == until:
            break
    return doc


def extract(raw: RawArticle, gaz: Gazetteer | None = None) -> GraphBatch:
    return read(raw, gaz)._.ctkg.batch
