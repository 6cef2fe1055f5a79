"""Alias matching on normalised text, clitic-aware for Arabic, longest match first."""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from ctkg.loaders.textnorm import NormText, fold

TOKEN = re.compile(r"\w+(?:['’]\w+)*")
# Proclitics: conjunctions, then prepositions; "ل" + "ال" contracts to "لل".
_CONJ = ("و", "ف")
_PREP = ("ب", "ل", "ك")


def token_spans(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]


_SUFFIXES = ("هما", "هم", "ها", "ه", "كم", "نا")


_POSSESSIVE = re.compile(r"\w['’]s$")
_ELISION = re.compile(r"^(?:l|d|qu|j|n|s|c|m|t|jusqu|lorsqu|puisqu)['’](?=\w)")


@lru_cache(maxsize=1 << 17)
def arabic_variants(token: str, suffixes: bool = False) -> tuple[str, ...]:
    """The token and its readings without proclitics (والمغرب -> المغرب, للمغرب -> المغرب,
    and French elisions: l'etat -> etat); with `suffixes`, also without an attached pronoun
    (أكده -> أكد)."""
    elided = _ELISION.match(token)
    if elided:
        return (token, token[elided.end():])
    if _POSSESSIVE.search(token):
        return (token, token[:-2])  # "spain's" -> "spain"
    out = [token]
    stems = [token]
    if token[:1] in _CONJ and len(token) > 3:
        stems.append(token[1:])
    for stem in list(stems):
        if stem[:1] in _PREP and len(stem) > 3:
            rest = stem[1:]
            stems.append(rest)
            if stem[0] == "ل" and rest.startswith("ل"):
                stems.append("ا" + rest)  # لل + noun = ل + ال + noun
    if suffixes:
        for stem in list(stems):
            for suffix in _SUFFIXES:
                if stem.endswith(suffix) and len(stem) - len(suffix) >= 3:
                    stems.append(stem[: -len(suffix)])
                    break
    for stem in stems:
        if stem not in out:
            out.append(stem)
    return tuple(out)  # cached: shared by every caller, so not a list


def alias_key(alias: str) -> tuple[str, ...]:
    return tuple(t for _, _, t in token_spans(fold(alias)))


@dataclass
class Match:
    ref: object  # whatever the caller registered (an Entry)
    start: int  # original offsets
    end: int
    text: str
    alias: str
    clitic: bool = False  # matched after stripping a proclitic


@dataclass
class AliasMatcher:
    # first token -> list of (alias token tuple, refs, original alias, case_sensitive)
    _index: dict = field(default_factory=dict)
    # Also read a first token without an attached pronoun (for verbs: "ما أكده").
    suffixes: bool = False

    def add(self, alias: str, ref: object, case_sensitive: bool = False) -> None:
        key = alias_key(alias)
        if not key:
            return
        bucket = self._index.setdefault(key[0], {})
        entry = bucket.setdefault((key, case_sensitive, alias if case_sensitive else None), [])
        if ref not in entry:
            entry.append(ref)

    def find(self, norm: NormText) -> list[tuple[list, Match]]:
        """Non-overlapping longest matches, left to right: (refs, match)."""
        tokens = token_spans(norm.text)
        found = []
        i = 0
        while i < len(tokens):
            best = None
            for variant in arabic_variants(tokens[i][2], self.suffixes):
                for (key, case_sensitive, exact), refs in self._index.get(variant, {}).items():
                    n = len(key)
                    if i + n > len(tokens) or any(
                            tokens[i + k][2] != key[k] and key[k] not in arabic_variants(tokens[i + k][2])
                            for k in range(1, n)):
                        continue
                    if any(_BREAK.search(norm.text[tokens[i + k - 1][1]:tokens[i + k][0]])
                           for k in range(1, n)):
                        continue  # a name does not run over a sentence end or a line break
                    start = tokens[i][0] + (len(tokens[i][2]) - len(variant)
                                            if variant != tokens[i][2] and
                                            tokens[i][2].endswith(variant) else 0)
                    last = tokens[i + n - 1]
                    end = last[1]
                    if _POSSESSIVE.search(last[2]) and last[2][:-2] == key[-1]:
                        end -= 2  # "Spain's", "Islamic State's": the name only
                    o_start, o_end = norm.span(start, end)
                    if case_sensitive and not _exact(norm.original, o_start, o_end, exact):
                        continue
                    if variant != tokens[i][2] and not tokens[i][2].endswith(variant) and \
                            not (n == 1 and end < last[1]):
                        # "لل" contraction: the whole token is the mention.
                        o_start, _ = norm.span(tokens[i][0], tokens[i][1])
                    if best is not None and n == best[0] and (o_start, o_end) == \
                            (best[2].start, best[2].end):
                        # the same span under another alias form ("Sidi Bouzid" the Tunisian
                        # town, case-sensitive, and the Algerian commune): every reading
                        best = (n, best[1] + [r for r in refs if r not in best[1]], best[2])
                    elif best is None or n > best[0]:
                        best = (n, refs, Match(None, o_start, o_end, norm.original[o_start:o_end],
                                               " ".join(key), variant != tokens[i][2]))
            if best is None:
                i += 1
                continue
            n, refs, match = best
            _close_quote(norm.original, match)
            found.append((refs, match))
            i += n
        return found


_BREAK = re.compile(r"[.!?؟;؛\n]")
_PAIRS = {'"': '"', "«": "»", "“": "”"}


def _close_quote(original: str, match: Match) -> None:
    """'تنظيم "داعش' -> 'تنظيم "داعش"': a quote opened inside a match is closed with it."""
    for opening, closing in _PAIRS.items():
        if match.text.count(opening) > match.text.count(closing) if opening != closing \
                else match.text.count(opening) % 2 == 1:
            if original[match.end:match.end + 1] == closing:
                match.end += 1
                match.text = original[match.start:match.end]
            return


def _exact(original: str, start: int, end: int, alias: str | None) -> bool:
    """A case-sensitive alias: exact text, standing alone (not inside a longer word)."""
    if alias is None or original[start:end] != alias:
        return False
    before = original[start - 1] if start > 0 else " "
    after = original[end] if end < len(original) else " "
    return not (before.isalnum() or after.isalnum())
