"""Normalised text that remembers where every character came from.

Matching happens on normalised text (Arabic: alef/yaa/teh marbuta folded, diacritics and
tatweel removed, via camel-tools; Latin: case and accents folded), but every span reported
points into the original text.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ctkg.errors import CtkgError

# Installed apart, without its dependencies (its full set pulls torch): the Makefile pins the
# same version, and a plain `pip install ctkg` says in one line what else to run.
CAMEL_TOOLS = "camel-tools==1.6.0"


class MissingDependency(CtkgError):
    """A package the extractor needs that a plain install of ctkg does not bring."""


try:
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (normalize_alef_ar, normalize_alef_maksura_ar,
                                             normalize_teh_marbuta_ar, normalize_unicode)
except ModuleNotFoundError as exc:
    if not (exc.name or "").startswith("camel_tools"):
        raise
    raise MissingDependency(
        f"extraction needs camel-tools, which is installed apart: "
        f"pip install --no-deps {CAMEL_TOOLS}") from None

TATWEEL = "\u0640"


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """One character, normalised; may be empty (diacritics) or longer (ligatures)."""
    if ch == TATWEEL:
        return ""
    out = normalize_unicode(ch)
    if "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff":
        out = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(out))))
        return out.replace(TATWEEL, "")
    # Latin: lower-case, accents removed ("État" -> "etat"); typographic quotes kept as is.
    decomposed = unicodedata.normalize("NFKD", out.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    return "".join(fold_char(c) for c in text)


@dataclass(frozen=True)
class NormText:
    original: str
    text: str
    # offsets[i] = index in `original` of the character that produced text[i];
    # offsets[len(text)] = len(original).
    offsets: tuple[int, ...]

    @classmethod
    def of(cls, original: str) -> "NormText":
        chars: list[str] = []
        offsets: list[int] = []
        for i, ch in enumerate(original):
            folded = fold_char(ch)
            chars.append(folded)
            offsets.extend([i] * len(folded))
        offsets.append(len(original))
        return cls(original, "".join(chars), tuple(offsets))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of normalised [start, end); the marks that belong to the
        last letter (diacritics, accents, tatweel) stay with it."""
        if end <= start:
            o = self.offsets[start]
            return o, o
        o_end = self.offsets[end - 1] + 1
        while o_end < len(self.original) and not fold_char(self.original[o_end]) and \
                not self.original[o_end].isspace():
            o_end += 1
        return self.offsets[start], o_end
