"""The spaCy pipelines (one per language) and the article view the rules read.

`nlp(lang)` is `spacy.blank(lang)` with the shared clitic-aware tokenizer and these
components, each registered under a versioned name:

- `ctkg_sentences_v1`: paragraphs and sentences; a verbatim repeat of a paragraph and page
  furniture ("Read also: ...") are left out of the kept sentences;
- `ctkg_cues_v1`: the language's cue phrases (PhraseMatcher on LEMMA), as `doc.spans["cues"]`;
- `ctkg_entities_v1`: vocabulary entities, generic located agencies, localities;
- `ctkg_cells_v1`, `ctkg_persons_v1`, `ctkg_statements_v1`, `ctkg_relations_v1`;
- `ctkg_batch_v1`: the typed GraphBatch, validated against graph/schema.yaml.

Stages talk through the Doc extension `doc._.ctkg` (an `Extraction`) and `doc.spans`. The
rules read words (`Token`): a word is the run of spaCy tokens a clitic split made, so
"والمغرب" is one word whose readings (`variants`) are "والمغرب" and "المغرب".
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from ctkg.loaders.tokens import fold, readings, shared_tokenizer, text_of, token_table

# A sentence ends at . ! ? ؟ or a line break, unless the period belongs to an abbreviation
# or a number (3.5, U.S.). (The mark comes first and the letter before it is looked at
# behind it: a pattern that starts with a look-behind is tried at every character.)
_END = re.compile(r"[.!?؟…](?<!\b[A-Z][.!?؟…])(?<!\d[.!?؟…])[.!?؟…]*(?=[\s\"'»”)]|$)[\"'»”)]*|\n+")
_PARA = re.compile(r"[^\n]+")

if not Doc.has_extension("ctkg"):
    Doc.set_extension("ctkg", default=None)


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-blank lines, as (start, end) offsets."""
    return [(m.start(), m.end()) for m in _PARA.finditer(text) if m.group().strip()]


@lru_cache(maxsize=1)
def _furniture() -> tuple[str, ...]:
    from ctkg.loaders.vocab import load_vocab

    return tuple(" ".join(fold(w).split()) for w in load_vocab("boilerplate"))


def unique_paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraphs, without later verbatim (normalised) repeats of an earlier one, and without
    page furniture ("اقرأ أيضا: ...", "Lire aussi", "Read also")."""
    seen: set[str] = set()
    keep = []
    for start, end in paragraphs(text):
        key = " ".join(fold(text[start:end]).split())
        if key in seen or key.lstrip("-–—•*:| ").startswith(_furniture()):
            continue
        seen.add(key)
        keep.append((start, end))
    return keep


def sentences(text: str, skip_repeats: bool = True) -> list[Sentence]:
    spans = unique_paragraphs(text) if skip_repeats else paragraphs(text)
    out: list[Sentence] = []
    for p_index, (p_start, p_end) in enumerate(spans):
        para = text[p_start:p_end]
        pos = 0
        for m in _END.finditer(para):
            _add_sentence(out, text, p_start + pos, p_start + m.end(), p_index)
            pos = m.end()
        _add_sentence(out, text, p_start + pos, p_end, p_index)
    return out


def _add_sentence(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(len(out), start, end, text[start:end], paragraph))


@Language.component("ctkg_sentences_v1")
def sentence_component(doc: Doc) -> Doc:
    """Kept sentences in `doc.user_data["ctkg.sentences"]`, and `is_sent_start` on tokens."""
    sents = sentences(text_of(doc))
    doc.user_data["ctkg.sentences"] = sents
    if len(doc):
        # One array write: setting `token.is_sent_start` token by token re-checks the Doc's
        # annotation each time. 1 is a sentence start, -1 is not (spaCy's SENT_START values).
        # (A set lookup per token: numpy.isin costs more than that on a few hundred tokens.)
        starts = {s.start for s in sents}
        flags = numpy.array([1 if idx in starts else -1 for idx in token_table(doc).starts])
        flags[0] = 1
        doc.from_array([SENT_START], flags.astype("uint64"))
    return doc


@dataclass
class Token:
    """A word of the article: original offsets, norm, readings without its proclitics."""

    index: int
    start: int
    end: int
    norm: str
    sentence: int
    variants: tuple[str, ...]


@dataclass
class Mention:
    """A span of the article that names something (an entity, a cue)."""

    kind: str  # entity label, or "cue:<category>"
    start: int
    end: int
    text: str
    sentence: int
    first_token: int
    last_token: int
    ref: object = None  # gazetteer Entry, cue value, or a local entity key
    props: dict = field(default_factory=dict)


@dataclass(eq=False)
class LocalEntity:
    """An entity found in this article only (cell, person, statement)."""

    key: str
    label: str
    name: str
    mentions: list[Mention] = field(default_factory=list)
    props: dict = field(default_factory=dict)


PUNCT_BREAK = re.compile(r"[،,.:;؛!?؟«»\"“”()\[\]\n–—]")
QUOTES = re.compile(r"«([^»]{3,}?)»|“([^”]{3,}?)”|\"([^\"]{3,}?)\"")


@lru_cache(maxsize=1 << 17)
def word_readings(word: str) -> tuple[str, ...]:
    """The readings of a word as written (words recur from article to article: each is folded
    and read once)."""
    return readings(fold(word))


def between(doc: "Document", a: int, b: int) -> str:
    return doc.text[a:b] if a < b else ""


@dataclass
class Document:
    """An article read by the pipeline: the spaCy Doc, its kept sentences and its words."""

    raw: object  # RawArticle
    spacy_doc: Doc
    sentences: list[Sentence]
    tokens: list[Token]
    _word_of: dict[int, int]  # spaCy token index -> word index

    @classmethod
    def of(cls, raw, spacy_doc: Doc) -> "Document":
        sents = spacy_doc.user_data["ctkg.sentences"]
        starts = [s.start for s in sents]
        ends = [s.end for s in sents]
        tokens: list[Token] = []
        word_of: dict[int, int] = {}
        text = text_of(spacy_doc)
        for first, last, start, end in spacy_doc.user_data["ctkg.words"]:
            k = bisect_right(starts, start) - 1
            if k < 0 or start >= ends[k]:
                continue  # outside kept sentences (a repeated paragraph)
            variants = word_readings(text[start:end])
            n = len(tokens)
            for i in range(first, last + 1):
                word_of[i] = n
            tokens.append(Token(n, start, end, variants[0], k, variants))
        return cls(raw, spacy_doc, sents, tokens, word_of)

    @cached_property
    def text(self) -> str:
        """(Read once: the rules read it all the time.)"""
        return self.raw.text

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    @cached_property
    def _token_starts(self) -> list[int]:
        return [t.start for t in self.tokens]

    def sentence_of(self, offset: int) -> int | None:
        k = bisect_right(self._sentence_starts, offset) - 1
        if k >= 0 and offset < self.sentences[k].end:
            return k
        return None

    def token_at(self, offset: int) -> Token | None:
        k = bisect_right(self._token_starts, offset) - 1
        if k >= 0 and offset < self.tokens[k].end:
            return self.tokens[k]
        return None

    def last_token_before(self, end: int) -> Token | None:
        """The last word that starts before `end` (a span may end on a closing quote)."""
        k = bisect_right(self._token_starts, end - 1) - 1
        return self.tokens[k] if k >= 0 else None

    def tokens_within(self, start: int, end: int) -> tuple[Token, Token] | None:
        """The first and last words inside [start, end) (a span may end on ")" or a quote,
        and a quote may hold several sentences); None when no word starts inside it."""
        i = bisect_left(self._token_starts, start)
        last = self.last_token_before(end)
        if i >= len(self.tokens) or last is None or last.index < i:
            return None
        return self.tokens[i], last

    def starts_between(self, start: int, end: int) -> list[int]:
        """Where the words starting strictly after `start` and before `end` begin."""
        return self._token_starts[bisect_right(self._token_starts, start):
                                  bisect_left(self._token_starts, end)]

    @cached_property
    def _sentence_ranges(self) -> dict[int, tuple[int, int]]:
        """Sentence -> (first word, last word + 1); words are in sentence order."""
        ranges: dict[int, tuple[int, int]] = {}
        for t in self.tokens:
            first, _ = ranges.get(t.sentence, (t.index, 0))
            ranges[t.sentence] = (first, t.index + 1)
        return ranges

    def sentence_tokens(self, k: int) -> list[Token]:
        first, end = self._sentence_ranges.get(k, (0, 0))
        return self.tokens[first:end]

    def find(self, phrases, kind: str) -> list[tuple[list, Mention]]:
        """Matches of a phrase table inside kept sentences, as Mentions of `kind`."""
        out = []
        for refs, m in phrases.find(self.spacy_doc):
            first = self._word_of.get(m.first)
            last = self._word_of.get(m.last)
            if first is None or last is None or last < first:
                continue
            out.append((refs, Mention(kind, m.start, m.end, m.text, self.tokens[first].sentence,
                                      first, last)))
        return out


@lru_cache(maxsize=None)
def nlp(lang: str) -> Language:
    """The language's pipeline (built once per process; read-only afterwards)."""
    from ctkg.loaders import components, models  # (registers the components)

    tokenizer = shared_tokenizer()
    pipeline = spacy.blank(lang, vocab=tokenizer.vocab)
    pipeline.tokenizer = tokenizer
    pipeline.add_pipe("ctkg_sentences_v1")
    for name in components.RULES:
        pipeline.add_pipe(name)
    if models.in_use(lang):  # a trained pipeline's names, after the rules' own persons
        pipeline.add_pipe("ctkg_model_persons_v1", after="ctkg_persons_v1")
    return pipeline

