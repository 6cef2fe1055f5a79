"""Vocabulary phrases as spaCy PhraseMatcher patterns: longest match first, every reading of a
span kept.

A table of phrases (gazetteer aliases, cue phrases) is filled with `add`, then compiled once,
on first use, into PhraseMatchers over the shared tokenizer's vocabulary: on NORM, and for
cues also on LEMMA (so that a verb with an attached pronoun, "ما أكده", still reads "أكد").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ctkg.loaders.tokens import (ARTICLE, CLOSING_QUOTES, fold, quotes_left_open,
                                 shared_tokenizer, text_of, token_table)


@dataclass
class Match:
    start: int  # original offsets
    end: int
    text: str
    first: int  # spaCy token indices, inclusive
    last: int
    clitic: bool = False  # read after a proclitic written onto the name ("بطنجة")


@dataclass
class Phrases:
    """Phrases and what each refers to; `find` gives non-overlapping longest matches."""

    on_lemma: bool = False  # cues: also read a word without its attached pronoun
    # pattern key (norms joined) -> list of (refs, case-sensitive exact alias or None)
    _table: dict = field(default_factory=dict)
    _matchers: tuple[PhraseMatcher, ...] = field(default=(), repr=False)

    def add(self, phrase: str, ref: object, case_sensitive: bool = False) -> None:
        phrase = " ".join(phrase.split())
        if not phrase or not any(c.isalnum() for c in phrase):
            return
        readings = self._table.setdefault(fold(phrase), {})
        refs = readings.setdefault(phrase if case_sensitive else None, [])
        if ref not in refs:
            refs.append(ref)

    def _compiled(self) -> tuple[PhraseMatcher, ...]:
        """A matcher on NORM; for cues, also one that reads the text's LEMMA (a word without
        its pronoun) against the phrase as written: "أكده" reads "أكد", but "وصف" is not
        "وصفه"."""
        if not self._matchers:
            tokenizer = shared_tokenizer()
            exact = PhraseMatcher(tokenizer.vocab, attr="NORM")
            bare = PhraseMatcher(tokenizer.vocab, attr="LEMMA")
            for key in self._table:
                pattern = tokenizer(key)
                if all(t.is_space for t in pattern):
                    continue
                exact.add(key, [pattern])
                if self.on_lemma:
                    for t in pattern:
                        t.lemma_ = t.norm_
                    bare.add(key, [pattern])
            self._matchers = (exact, bare) if self.on_lemma else (exact,)
        return self._matchers

    def find(self, doc: Doc) -> list[tuple[list, Match]]:
        """Non-overlapping longest matches, left to right: (refs, match). A span read under
        several phrases ("Sidi Bouzid" the Tunisian town, and the Algerian commune) carries
        the refs of each."""
        strings = doc.vocab.strings
        proclitics = doc.user_data.get("ctkg.proclitics", ())
        table = token_table(doc)
        by_start: dict[int, dict[int, list]] = {}
        matchers = self._compiled()
        if not doc.user_data.get("ctkg.pronouns", True):
            # Every word's LEMMA is its NORM: the LEMMA matcher would find what the NORM one
            # finds (its patterns are the same phrases), so it is not run.
            matchers = matchers[:1]
        matches = {m for matcher in matchers for m in matcher(doc)}
        for key_hash, first, end in sorted(matches, key=itemgetter(1, 2)):
            if first and table.norms[first - 1] == ARTICLE and not table.spaces[first - 1]:
                continue  # "الخميس" is not "خميس": a name does not start after the article
            if end - 1 in proclitics:
                continue  # "بسكاكين": the preposition alone is not the cue "ب"
            refs = self._refs(strings[key_hash], doc, first, end)
            if refs:
                spans = by_start.setdefault(first, {})
                merged = spans.setdefault(end, [])
                merged.extend(r for r in refs if r not in merged)
        # Longest first, by word: of the matches that start in a word ("بحركة الشباب" holds
        # "بحركة" and "حركة الشباب"), the one that reaches furthest.
        word_of = _word_index(doc)
        text = text_of(doc)
        found = []
        taken = -1
        for first in sorted(by_start, key=lambda f: (word_of[f], -max(by_start[f]))):
            if word_of[first] <= taken:
                continue
            end = max(by_start[first])
            start_char, end_char = _trimmed(doc, first, end)
            clitic = first - 1 in proclitics
            found.append((by_start[first][end], Match(start_char, end_char,
                                                      text[start_char:end_char],
                                                      first, end - 1, clitic)))
            taken = word_of[end - 1]
        return found

    def _refs(self, key: str, doc: Doc, first: int, end: int) -> list:
        """What the phrase read at [first, end) refers to (read only: not a copy)."""
        readings = self._table[key]
        if len(readings) == 1 and None in readings:
            return readings[None]  # (most phrases: no case-sensitive spelling to check)
        out = []
        for exact, refs in readings.items():
            if exact is None or _exact(doc, first, end, exact):
                out.extend(refs)
        return out


_GLUE = "-‐‑\"«»“”„"
_OPENINGS = frozenset(CLOSING_QUOTES)


def _word_index(doc: Doc) -> list[int]:
    """Each token's word, as the index of the word's first token (a token outside words is a
    word of its own); once per doc."""
    words = doc.user_data.get("ctkg.word_index")
    if words is None:
        words = list(range(len(doc)))
        for first, last, _, _ in doc.user_data.get("ctkg.words", ()):
            for i in range(first + 1, last + 1):
                words[i] = first
        doc.user_data["ctkg.word_index"] = words
    return words


def _trimmed(doc: Doc, first: int, end: int) -> tuple[int, int]:
    """The match's offsets without the marks glued to its first and last tokens, except a
    quote that closes one opened inside it: 'تنظيم "داعش"'."""
    table = token_table(doc)
    texts, starts, norms = table.texts, table.starts, table.norms
    head, tail = first, end - 1
    if norms[head] == ARTICLE and texts[head].endswith("ل") \
            and len(texts[head].strip(_GLUE)) == 1 \
            and first and norms[first - 1] == "ل" and not table.spaces[first - 1]:
        head = first - 1  # "للأبحاث": the contraction is one mention
    start = starts[head] + len(texts[head]) - len(texts[head].lstrip(_GLUE))
    stop = starts[tail] + len(texts[tail].rstrip(_GLUE))
    if texts[tail][:stop - starts[tail]].endswith(("'s", "’s")) and not norms[tail].endswith("s"):
        stop -= 2  # "Spain's": the name only
    text = text_of(doc)
    inside = text[start:stop]
    if _OPENINGS.isdisjoint(inside):
        return start, stop  # (most names hold no quote: nothing is left open)
    if text[stop:stop + 1] in quotes_left_open(inside):
        return start, stop + 1
    return start, stop


def _exact(doc: Doc, first: int, end: int, alias: str) -> bool:
    """A case-sensitive alias: exact text, standing alone (not inside a longer word)."""
    start, stop = _trimmed(doc, first, end)
    text = text_of(doc)
    if text[start:stop] != alias:
        return False
    before = text[start - 1] if start > 0 else " "
    after = text[stop] if stop < len(text) else " "
    return not (before.isalnum() or after.isalnum())
