"""Deterministic ids: label prefix + normalised key, the same in every article and language."""
from __future__ import annotations

import hashlib
import re
import unicodedata

_SEP = re.compile(r"[\s_/\\.,;:'\"«»()\[\]{}]+")
# Arabic diacritics and tatweel carry no identity.
_ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
HASH_CHARS = 6  # hex digits of the hash that follows a romanized key


class _Marks(dict):
    """`str.translate` table that drops combining characters, filled as characters are met
    (a whole text is slugged for its near-duplicate sketch: a test per character was a
    tenth of the writer's preparation)."""

    def __missing__(self, code: int) -> int | None:
        self[code] = kept = None if unicodedata.combining(chr(code)) else code
        return kept


_DROP_MARKS = _Marks()


def slug(text: str) -> str:
    """Lower-case, accent-free Latin, diacritic-free Arabic, words joined by '-'."""
    text = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", text))
    text = unicodedata.normalize("NFKD", text).translate(_DROP_MARKS)
    text = unicodedata.normalize("NFC", text).lower()
    for a, b in (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ة", "ه")):
        text = text.replace(a, b)
    return "-".join(p for p in _SEP.split(text) if p).strip("-")


def digest(*parts: object, length: int = 16) -> str:
    joined = "\x1f".join(["" if p is None else str(p) for p in parts])
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


def make_id(prefix: str, key: str) -> str:
    """`prefix:slug` for a key in Latin letters; a key in another script (an Arabic name) gets
    an id an analyst can type: its romanization and a short hash of its slug, which keeps two
    names that romanize alike apart (`person:ayad-agh-ghali-3dbea5`). The name itself stays
    in the node's properties."""
    key = slug(key)
    if not key:
        raise ValueError(f"empty key for id prefix {prefix!r}")
    if key.isascii():
        return f"{prefix}:{key}"
    from ctkg.names import ascii_slug  # Arabic romanized, other scripts through anyascii

    latin = ascii_slug(key)
    tag = digest(key, length=HASH_CHARS)
    return f"{prefix}:{latin}-{tag}" if latin else f"{prefix}:{digest(key, length=12)}"


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
