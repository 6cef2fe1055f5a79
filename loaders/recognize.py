"""Shared pieces of entity recognition: local entities, cue mentions, text helpers.

Rules are driven by the cue lexicon of the article's language; the code holds no words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ctkg.loaders.cues import Lexicon
from ctkg.loaders.document import Document, Mention

KINGDOMS = {"MA", "ES", "SA", "JO", "BE", "GB", "NL", "SE", "NO", "DK", "BH", "TH"}
PUNCT_BREAK = re.compile(r"[،,.:;؛!?؟«»\"“”()\[\]\n–—]")
QUOTES = re.compile(r"«([^»]{3,}?)»|“([^”]{3,}?)”|\"([^\"]{3,}?)\"")
PROVINCE_WORDS = {"اقليم", "عماله", "ولايه", "جهه", "province", "prefecture", "wilaya", "region"}


@dataclass(eq=False)
class LocalEntity:
    """An entity found in this article only (cell, person, statement)."""

    key: str
    label: str
    name: str
    mentions: list[Mention] = field(default_factory=list)
    props: dict = field(default_factory=dict)


def cue_mentions(doc: Document, lex: Lexicon) -> list[Mention]:
    out = []
    for refs, m in doc.find(lex.matcher, "cue"):
        category, value = refs[0]
        m.kind = f"cue:{category}"
        m.ref = value
        out.append(m)
    return out


def between(doc: Document, a: int, b: int) -> str:
    return doc.text[a:b] if a < b else ""


