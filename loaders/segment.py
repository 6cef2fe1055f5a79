"""Paragraphs and sentences with offsets; verbatim repeats of a paragraph are dropped."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ctkg.loaders.textnorm import fold

# A sentence ends at . ! ? ؟ or a line break, unless the period belongs to an abbreviation
# or a number (3.5, U.S.).
_END = re.compile(r"(?<!\b[A-Z])(?<!\d)[.!?؟…]+(?=[\s\"'»”)]|$)[\"'»”)]*|\n+")
_PARA = re.compile(r"[^\n]+")


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
            _add(out, text, p_start + pos, p_start + m.end(), p_index)
            pos = m.end()
        _add(out, text, p_start + pos, p_end, p_index)
    return out


def _add(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(len(out), start, end, text[start:end], paragraph))
