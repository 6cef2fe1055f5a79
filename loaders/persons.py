"""Persons: names after titles or introducing words, or opened by a known first name."""
from __future__ import annotations

import re

from ctkg.graph.ids import slug
from ctkg.loaders.cues import Lexicon
from ctkg.loaders.document import Document, Mention, Token
from ctkg.loaders.recognize import PUNCT_BREAK, LocalEntity, between
from ctkg.loaders.textnorm import fold

# -- persons ---------------------------------------------------------------------------


def persons(doc: Document, lex: Lexicon, cues: list[Mention],
            entities: list[Mention]) -> list[LocalEntity]:
    """Names after a title ("الخبير الأمني محمد الطيبي"), after an introducing word
    ("يدعى أبو حفص"), or starting with a known first name or kunya ("أبو بكر شيكاو")."""
    entity_tokens = {i for e in entities for i in range(e.first_token, e.last_token + 1)}
    cue_tokens = {i for c in cues if c.kind != "cue:person_titles"
                  for i in range(c.first_token, c.last_token + 1)}
    found: dict[str, LocalEntity] = {}
    claimed: set[int] = set()
    alias_marks = [c for c in cues if c.kind == "cue:alias_markers"]

    def add(first: int, last: int, role: str | None) -> None:
        name = doc.text[doc.tokens[first].start:doc.tokens[last].end]
        key = slug(name)
        # "فريد بوخالفة، المكنى «أبو دجانة»": a kunya is another name of the person before.
        marker = next((c for c in alias_marks if 0 < first - c.last_token <= 2), None)
        previous = [p for p in found.values() if p.mentions[-1].sentence == doc.tokens[first].sentence
                    and p.mentions[-1].last_token < first]
        if marker is not None and previous:
            person = max(previous, key=lambda p: p.mentions[-1].last_token)
        else:
            person = found.setdefault(key, LocalEntity(key, "Person", name, props={"role": role}))
        person.mentions.append(Mention("Person", doc.tokens[first].start, doc.tokens[last].end,
                                       name, doc.tokens[first].sentence, first, last))
        claimed.update(range(first, last + 1))

    if lex.cased:
        titles = {c.last_token: c for c in cues if c.kind == "cue:person_titles"}
        for first, last in _capitalised_names(doc, lex, entity_tokens, cue_tokens):
            title = titles.get(first - 1) or titles.get(first - 2)
            add(first, last, title.ref if title else None)
        _later_mentions(doc, list(found.values()))
        return list(found.values())
    for title in (c for c in cues if c.kind == "cue:person_titles"):
        nxt = title.last_token + 1
        if nxt >= len(doc.tokens):
            continue
        indefinite = not fold(title.text).split()[-1].startswith(("ال", "وال", "بال", "لل"))
        if indefinite and not any(v in lex.person_intros for v in
                                  doc.tokens[title.first_token].variants) \
                and not doc.tokens[nxt].norm.startswith("ال") \
                and not _starts_name(doc.tokens[nxt], lex):
            continue  # "قيادي بارز": an indefinite title followed by an adjective
        span = _apposition(doc, lex, title, entity_tokens, cue_tokens) or \
            _name_after(doc, lex, title.last_token + 1, title.sentence, entity_tokens,
                        cue_tokens)
        if span is not None and span[0] not in claimed and _plausible(doc, lex, span):
            add(*span, title.ref)
    for tok in doc.tokens:
        if tok.index in claimed or tok.index in entity_tokens or tok.index in cue_tokens \
                or not _starts_name(tok, lex) or _after_place_word(doc, lex, tok):
            continue
        span = _name_tokens(doc, lex, tok.index, tok.sentence, entity_tokens, cue_tokens)
        if span is not None and span[1] > span[0]:
            add(*span, None)
    _later_mentions(doc, list(found.values()))
    return list(found.values())


def _capitalised(doc: Document, tok: Token) -> bool:
    return doc.text[tok.start].isupper()


def _capitalised_names(doc: Document, lex: Lexicon, entity_tokens: set[int],
                       cue_tokens: set[int]) -> list[tuple[int, int]]:
    """French and English: runs of two or more capitalised words ("Emmanuel Dupuy", "Abou
    Walid al-Sahraoui"), particles allowed inside, title words ("Interior Minister") and
    known entities left out."""
    spans, i = [], 0
    tokens = doc.tokens
    while i < len(tokens):
        tok = tokens[i]
        if not _name_word(doc, lex, tok, entity_tokens, cue_tokens) or \
                tok.norm in lex.name_particles:
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and tokens[j + 1].sentence == tok.sentence and \
                re.fullmatch(r"[\s\-'’]*", doc.text[tokens[j].end:tokens[j + 1].start]) and \
                (_name_word(doc, lex, tokens[j + 1], entity_tokens, cue_tokens) or
                 tokens[j + 1].norm in lex.name_particles):
            j += 1
        while j > i and tokens[j].norm in lex.name_particles:
            j -= 1
        if j > i and not any(t.norm in lex.non_name_words or t.norm.endswith("'s")
                             for t in tokens[i:j + 1]):
            spans.append((i, j))
        i = j + 1
    return spans


def _name_word(doc: Document, lex: Lexicon, tok: Token, entity_tokens: set[int],
               cue_tokens: set[int]) -> bool:
    return _capitalised(doc, tok) and tok.index not in entity_tokens and \
        tok.index not in cue_tokens and tok.norm not in lex.function_words and \
        tok.norm not in lex.title_words and not tok.norm.isdigit()


def _after_place_word(doc: Document, lex: Lexicon, tok: Token) -> bool:
    """"حي سيدي مومن" is a neighbourhood, not a man called Sidi Moumen."""
    return tok.index > 0 and any(v in lex.place_words for v in doc.tokens[tok.index - 1].variants)


def _apposition(doc: Document, lex: Lexicon, title: Mention, entity_tokens: set[int],
                cue_tokens: set[int]) -> tuple[int, int] | None:
    """"الأستاذ الجامعي المتخصص في ... بجامعة ...، مصطفى الحجوجي، أن": after a long title
    phrase, the name set between commas just before what the speaker says."""
    sent = doc.sentences[title.sentence]
    window = doc.text[doc.tokens[title.last_token].end:sent.end]
    base = doc.tokens[title.last_token].end
    for m in re.finditer(r"[،,]\s*([^،,.:«\"\n]{3,40}?)\s*[،,]", window[:220]):
        after = window[m.end():]
        if not lex.complement.match(after) and not re.match(r"\s*\w+\s+(?:أن|إن|ان)", after):
            continue
        first = doc.token_at(base + m.start(1))
        last = doc.token_at(base + m.end(1) - 1)
        if first is None or last is None or not 1 <= last.index - first.index <= 3:
            continue
        span = _name_tokens(doc, lex, first.index, title.sentence, entity_tokens, cue_tokens)
        if span == (first.index, last.index):
            return span
    return None


def _plausible(doc: Document, lex: Lexicon, span: tuple[int, int]) -> bool:
    """A name not opened by a known first name is short and ends the phrase (punctuation,
    a function word or a cue follows), as in "إيمانويل دوبوي، حين"."""
    first, last = span
    if any(len(t.variants) > 1 and any(v.startswith("ال") for v in t.variants[1:])
           for t in doc.tokens[first:last + 1]):
        return False  # "بالمؤونة", "والأدوية": a clitic and an article, not a name
    if _starts_name(doc.tokens[first], lex):
        return True
    if last - first > 2:
        return False
    nxt = last + 1
    if nxt >= len(doc.tokens) or doc.tokens[nxt].sentence != doc.tokens[last].sentence:
        return True
    gap = between(doc, doc.tokens[last].end, doc.tokens[nxt].start)
    return bool(PUNCT_BREAK.search(gap)) or doc.tokens[nxt].norm in lex.function_words


def _starts_name(tok: Token, lex: Lexicon) -> bool:
    return tok.norm in lex.first_names or tok.norm in lex.name_particles and \
        tok.norm not in lex.inner_particles


def _name_after(doc: Document, lex: Lexicon, i: int, sentence: int, entity_tokens: set[int],
                cue_tokens: set[int]) -> tuple[int, int] | None:
    """Skip what qualifies the title (adjectives, "في شؤون الساحل", the body it belongs to,
    at most seven tokens), then read the name."""
    skipped, in_pp = 0, False
    while i < len(doc.tokens) and doc.tokens[i].sentence == sentence and skipped < 7:
        tok = doc.tokens[i]
        gap = between(doc, doc.tokens[i - 1].end, tok.start)
        if PUNCT_BREAK.search(gap) and gap.strip() not in ("،", ","):
            return None
        if _starts_name(tok, lex):
            break
        nxt = doc.tokens[i + 1] if i + 1 < len(doc.tokens) else None
        if i in entity_tokens or (tok.norm.startswith(("ال", "لل")) and
                                  tok.norm not in lex.name_particles) or \
                tok.norm in lex.title_prepositions \
                or (in_pp and nxt is not None and nxt.norm.startswith("ال")):
            in_pp = in_pp or tok.norm in lex.title_prepositions
            i += 1
            skipped += 1
            continue
        break
    if i >= len(doc.tokens) or doc.tokens[i].sentence != sentence:
        return None
    return _name_tokens(doc, lex, i, sentence, entity_tokens, cue_tokens)


def _name_tokens(doc: Document, lex: Lexicon, i: int, sentence: int, entity_tokens: set[int],
                 cue_tokens: set[int]) -> tuple[int, int] | None:
    """Up to five name tokens from i; a surname may be an "ال" word (محمد الطيبي)."""
    names: list[int] = []
    while i < len(doc.tokens) and doc.tokens[i].sentence == sentence and len(names) < 5:
        tok = doc.tokens[i]
        if names and PUNCT_BREAK.search(between(doc, doc.tokens[i - 1].end, tok.start)):
            break
        if tok.norm in lex.function_words and tok.norm not in lex.first_names \
                or i in cue_tokens or i in entity_tokens or tok.norm.isdigit() \
                or len(tok.norm) < 2:
            break
        if not names and tok.norm.startswith("ال") and tok.norm not in lex.first_names:
            break
        names.append(i)
        i += 1
    while names and doc.tokens[names[-1]].norm in lex.name_particles:
        names.pop()
    if not names or (len(names) == 1 and doc.tokens[names[0]].norm in lex.name_particles):
        return None
    return names[0], names[-1]


def _later_mentions(doc: Document, people: list[LocalEntity]) -> None:
    """Full name or surname repeated later in the article ("وأضاف دوبوي")."""
    for person in people:
        known = {(m.start, m.end) for m in person.mentions}
        full = [fold(t.norm) for t in doc.tokens[person.mentions[0].first_token:
                                                 person.mentions[0].last_token + 1]]
        surname = full[-1] if len(full) >= 2 and len(full[-1]) >= 3 else None
        for tok in doc.tokens:
            n = len(full)
            seq = [t.norm for t in doc.tokens[tok.index:tok.index + n]]
            if seq == full:
                span = (tok.start, doc.tokens[tok.index + n - 1].end)
                last = tok.index + n - 1
            elif surname and surname in tok.variants:
                span, last = (tok.start, tok.end), tok.index
            else:
                continue
            if any(a <= span[0] < b for a, b in known):
                continue
            known.add(span)
            person.mentions.append(Mention("Person", span[0], span[1], doc.text[span[0]:span[1]],
                                           tok.sentence, tok.index, last))


