"""Statements without a speech cue: the answers of an interview, a "Person: words" headline.

Each rule gives (speaker, mention) pairs for words that no statement found so far covers.
"""
from __future__ import annotations

import re

from ctkg.loaders.claims import Span, span_mention, trim
from ctkg.loaders.pipeline import Document, Mention
from ctkg.loaders.pipeline import paragraphs

_QUESTION_PREFIX = re.compile(r"^\s*(?:[-–—*•]\s*|[^\W\d_]{1,20}\s*:\s*)")


def headline(doc: Document, speakers: list[Mention],
             taken: list[Span]) -> tuple[Mention, Mention] | None:
    """"الباحث حسن بنعيسى: "خلية تيفلت" كشفت ...": a headline that gives a person, a colon
    and words is that person's statement."""
    line_end = doc.text.find("\n")
    line_end = len(doc.text) if line_end < 0 else line_end
    colon = doc.text.find(":", 0, line_end)
    people = [s for s in speakers if s.kind == "Person" and s.end <= colon]
    if colon < 0 or not people:
        return None
    person = max(people, key=lambda s: s.end)
    if len(doc.text[person.end:colon].split()) > 2 or \
            re.search(r"[.!?؟،,]", doc.text[person.end:colon]):
        return None
    start, end = trim(doc, colon + 1, line_end)
    if len(doc.text[start:end].split()) < 3 or _overlaps(start, end, taken):
        return None
    mention = span_mention(doc, start, end)
    return (person, mention) if mention is not None else None


def interview(doc: Document, speakers: list[Mention],
              taken: list[Span]) -> list[tuple[Mention, Mention]]:
    """An interview (two or more lines that end with a question mark, each followed by its
    answer): each answer is a statement of the person the article
    introduces before the first question (see _first_sentence)."""
    lines = paragraphs(doc.text)  # the non-blank lines
    questions = [i for i, (start, end) in enumerate(lines)
                 if doc.text[start:end].rstrip().rstrip('"»”').endswith(("?", "؟"))]
    if len(questions) < 2:
        return []
    first_q = lines[questions[0]][0]
    people = [s for s in speakers if s.kind == "Person" and s.start < first_q]
    if not people:
        return []
    speaker = people[0]
    out = []
    for q in questions:
        answer = q + 1
        if answer >= len(lines) or answer in questions:
            continue
        start, end = lines[answer]
        m = _QUESTION_PREFIX.match(doc.text[start:end])
        if m:
            start += m.end()
        mention = _first_sentence(doc, start, end, taken)
        if mention is not None:
            out.append((speaker, mention))
    return out


def _first_sentence(doc: Document, start: int, end: int, taken: list[Span]) -> Mention | None:
    """The answer from its first sentence that says something ("Non, malheureusement." does
    not) to the last one before a statement found already: what the interviewee says is
    all of it, not its opening sentence only."""
    first = None
    span: Span | None = None
    for k, sent in enumerate(doc.sentences):
        if sent.end <= start or sent.start >= end:
            continue
        a, b = trim(doc, max(start, sent.start), min(end, sent.end))
        if span is None and len(doc.text[a:b].split()) < 4:
            continue  # "Non, malheureusement.", "بكل تأكيد."
        if _overlaps(a, b, taken):
            break
        if span is None:
            first, span = k, (a, b)
        else:
            span = (span[0], b)
    return span_mention(doc, *span, first) if span is not None else None


def _overlaps(start: int, end: int, taken: list[Span]) -> bool:
    return any(a < end and start < b for a, b in taken)
