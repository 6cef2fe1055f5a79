"""Shared pieces of entity recognition: local entities, cue mentions, text helpers.

Rules are driven by the cue lexicon of the article's language; the code holds no words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ctkg.loaders.cues import Lexicon
from ctkg.loaders.document import Document, Mention

PUNCT_BREAK = re.compile(r"[،,.:;؛!?؟«»\"“”()\[\]\n–—]")
QUOTES = re.compile(r"«([^»]{3,}?)»|“([^”]{3,}?)”|\"([^\"]{3,}?)\"")


@dataclass(eq=False)
class LocalEntity:
    """An entity found in this article only (cell, person, statement)."""

    key: str
    label: str
    name: str
    mentions: list[Mention] = field(default_factory=list)
    props: dict = field(default_factory=dict)


def cue_mentions(doc: Document, lex: Lexicon) -> list[Mention]:
    """Every cue phrase found, once per category it belongs to ("المسؤول" is a title and a
    membership word)."""
    out = []
    for refs, m in doc.find(lex.matcher, "cue"):
        seen = set()
        for category, value in refs:
            if category in seen:
                continue
            seen.add(category)
            out.append(replace(m, kind=f"cue:{category}", ref=value))
    return out


def between(doc: Document, a: int, b: int) -> str:
    return doc.text[a:b] if a < b else ""


