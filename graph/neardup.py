"""Near-duplicate texts: a republished copy of an article, with a line added or a few words
changed, is recognised as the same story.

A text is cut into shingles (every run of three consecutive normalised words: Arabic without
diacritics and with its letter variants folded, Latin without case or accents, digits of any
script alike), and each shingle hashed. The sketch is a bottom-k MinHash: the k smallest
hashes. Two sketches estimate the Jaccard similarity of the two shingle sets: of the k smallest
hashes of their union, the share both hold (exact when a text has fewer than k shingles).
Translations share no shingles; two reports of different operations in the same house style
share a few; a republished copy shares most.
"""
from __future__ import annotations

import hashlib
import re

from ctkg.graph.ids import slug

K = 64  # hashes kept per text
SHINGLE = 3  # words per shingle
# A copy with a paragraph added or a sentence reworded stays above this; two different
# reports in one outlet's style stay far below it (see tests/graph/test_resolve_neardup.py).
NEAR_DUPLICATE = 0.6
_WORD = re.compile(r"\w+")
_MASK = (1 << 63) - 1  # Neo4j integers are signed 64-bit


def words(text: str) -> list[str]:
    """The text's words, normalised as ids are (ctkg.graph.ids.slug)."""
    return [w for w in _WORD.findall(slug(text).replace("-", " ")) if w]


def sketch(text: str, k: int = K) -> list[int]:
    """The k smallest shingle hashes of the text, sorted (fewer for a short text)."""
    ws = words(text)
    if len(ws) < SHINGLE:
        grams = {" ".join(ws)} if ws else set()
    else:
        grams = {" ".join(ws[i:i + SHINGLE]) for i in range(len(ws) - SHINGLE + 1)}
    hashes = {int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "big")
              & _MASK for g in grams}
    return sorted(hashes)[:k]


def similarity(a: list[int] | None, b: list[int] | None, k: int = K) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets, in [0, 1]."""
    if not a or not b:
        return 0.0
    sa, sb = set(a), set(b)
    union = sorted(sa | sb)[:k]
    return sum(1 for h in union if h in sa and h in sb) / len(union)


def near_duplicates(sketches: dict[str, list[int]], threshold: float = NEAR_DUPLICATE
                    ) -> list[tuple[str, str, float]]:
    """Pairs (a, b, similarity), a < b, of texts at least `threshold` alike. Candidates are
    the pairs sharing one of their hashes (the rest cannot reach a useful similarity)."""
    by_hash: dict[int, list[str]] = {}
    for key, hashes in sketches.items():
        for h in hashes:
            by_hash.setdefault(h, []).append(key)
    pairs = {(a, b) for keys in by_hash.values() if 1 < len(keys) <= 50
             for a in keys for b in keys if a < b}
    out = []
    for a, b in sorted(pairs):
        score = similarity(sketches[a], sketches[b])
        if score >= threshold:
            out.append((a, b, round(score, 3)))
    return out
