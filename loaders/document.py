"""An article prepared for extraction: normalised tokens, sentences, and the mentions found.

Everything here is language-neutral; the language shows only through the cue lexicon.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from ctkg.loaders.articles import RawArticle
from ctkg.loaders.matcher import AliasMatcher, arabic_variants, token_spans
from ctkg.loaders.segment import Sentence, sentences
from ctkg.loaders.textnorm import NormText


@dataclass
class Token:
    index: int
    start: int  # original offsets
    end: int
    norm: str
    sentence: int

    @property
    def variants(self) -> list[str]:
        return arabic_variants(self.norm)


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


@dataclass
class Document:
    raw: RawArticle
    norm: NormText
    sentences: list[Sentence]
    tokens: list[Token]

    @classmethod
    def of(cls, raw: RawArticle) -> "Document":
        norm = NormText.of(raw.text)
        sents = sentences(raw.text)
        starts = [s.start for s in sents]
        tokens = []
        for n_start, n_end, tok in token_spans(norm.text):
            o_start, o_end = norm.span(n_start, n_end)
            k = bisect_right(starts, o_start) - 1
            if k < 0 or o_start >= sents[k].end:
                continue  # outside kept sentences (a repeated paragraph)
            tokens.append(Token(len(tokens), o_start, o_end, tok, k))
        return cls(raw, norm, sents, tokens)

    @property
    def text(self) -> str:
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
        """The last token that starts before `end` (a span may end on a closing quote)."""
        k = bisect_right(self._token_starts, end - 1) - 1
        return self.tokens[k] if k >= 0 else None

    def tokens_within(self, start: int, end: int) -> tuple[Token, Token] | None:
        """The first and last tokens inside [start, end) (a span may end on ")" or a quote,
        and a quote may hold several sentences); None when no token starts inside it."""
        i = bisect_left(self._token_starts, start)
        last = self.last_token_before(end)
        if i >= len(self.tokens) or last is None or last.index < i:
            return None
        return self.tokens[i], last

    def sentence_tokens(self, k: int) -> list[Token]:
        return [t for t in self.tokens if t.sentence == k]

    def find(self, matcher: AliasMatcher, kind: str) -> list[tuple[list, Mention]]:
        """Matches of `matcher` inside kept sentences, as Mentions of `kind`."""
        out = []
        for refs, m in matcher.find(self.norm):
            first = self.token_at(m.start)
            last = self.last_token_before(m.end)
            if first is None or last is None or last.index < first.index:
                continue
            out.append((refs, Mention(kind, m.start, m.end, m.text, first.sentence,
                                      first.index, last.index)))
        return out
