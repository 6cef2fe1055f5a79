"""Persons: names after titles or introducing words, or opened by a known first name."""
from __future__ import annotations

import re

from ctkg.graph.ids import slug
from ctkg.loaders.cues import Lexicon, word_set
from ctkg.loaders.pipeline import Document, Mention, Token
from ctkg.loaders.pipeline import PUNCT_BREAK, LocalEntity, between
from ctkg.loaders.tokens import fold

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
        start = doc.tokens[first].start
        if _conjoined_first_name(doc.tokens[first], lex) and doc.text[start] == "و":
            start += 1  # "وسمير عمراوي" -> "سمير عمراوي"
        name = doc.text[start:doc.tokens[last].end]
        key = slug(name)
        # "فريد بوخالفة، المكنى «أبو دجانة»": a kunya is another name of the person before.
        marker = next((c for c in alias_marks if 0 < first - c.last_token <= 2), None)
        previous = [p for p in found.values() if p.mentions[-1].sentence == doc.tokens[first].sentence
                    and p.mentions[-1].last_token < first]
        if marker is not None and previous:
            person = max(previous, key=lambda p: p.mentions[-1].last_token)
        else:
            person = found.setdefault(key, LocalEntity(key, "Person", name, props={"role": role}))
        person.mentions.append(Mention("Person", start, doc.tokens[last].end,
                                       name, doc.tokens[first].sentence, first, last))
        claimed.update(range(first, last + 1))

    if lex.cased:
        titles = {c.last_token: c for c in cues if c.kind == "cue:person_titles"}
        headline = _title_case_headline(doc)
        said = {i for c in cues if c.kind == "cue:speech_verbs"
                for i in range(c.first_token, c.last_token + 1)
                if _capitalised_cue(doc, doc.tokens[i])}
        for first, last in _capitalised_names(doc, lex, entity_tokens, cue_tokens - said, said):
            title = titles.get(first - 1) or titles.get(first - 2)
            while first < last and doc.tokens[first].norm in lex.nationalities:
                first += 1  # "the Malian Tuareg Iyad Ag Ghaly": the nationality is no part of it
            if _place_like(doc, lex, first, last):
                continue
            if doc.tokens[first].sentence in headline and title is None and \
                    not any(t.norm in lex.first_names for t in doc.tokens[first:last + 1]):
                continue  # "Army Destroys Shelter": every word of the headline is capitalised
            add(first, last, title.ref if title else None)
        _later_mentions(doc, list(found.values()), cased=True)
        return list(found.values())
    for title in (c for c in cues if c.kind == "cue:person_titles"):
        nxt = title.last_token + 1
        if nxt >= len(doc.tokens):
            continue
        indefinite = not fold(title.text).split()[-1].startswith(("ال", "وال", "بال", "لل"))
        intro = any(v in lex.person_intros for v in doc.tokens[title.last_token].variants)
        if intro and (nxt in entity_tokens or doc.tokens[nxt].norm in lex.function_words):
            continue  # "ما يسمى ولاية الساحل": the named thing is an organisation
        if not indefinite and _adjective_title(doc, title) and \
                not _starts_name(doc.tokens[nxt], lex):
            continue  # "التنظيمات المتطرفة استقطاب": the title word qualifies a noun
        if indefinite and not any(v in lex.person_intros for v in
                                  doc.tokens[title.first_token].variants) \
                and not doc.tokens[nxt].norm.startswith("ال") \
                and not _starts_name(doc.tokens[nxt], lex):
            continue  # "قيادي بارز": an indefinite title followed by an adjective
        if intro:
            span = _name_tokens(doc, lex, nxt, title.sentence, entity_tokens, cue_tokens)
        else:
            span = _apposition(doc, lex, title, entity_tokens, cue_tokens) or \
                _name_after(doc, lex, title.last_token + 1, title.sentence, entity_tokens,
                            cue_tokens)
        if span is not None and span[0] not in claimed and _plausible(doc, lex, span):
            add(*span, title.ref)
    situated = {c.sentence for c in cues if c.kind in (
        "cue:arrest", "cue:activity", "cue:operated_in", "cue:dismantled_by", "cue:weapons")}
    region_ends = {m.last_token for m in entities if m.kind == "Region"}
    for tok in doc.tokens:
        if tok.index in claimed or tok.index in entity_tokens or tok.index in cue_tokens \
                or not _starts_name(tok, lex) or _after_place_word(doc, lex, tok) \
                or tok.sentence in situated and _in_place_list(doc, lex, tok, region_ends):
            continue
        span = _name_tokens(doc, lex, tok.index, tok.sentence, entity_tokens, cue_tokens)
        if span is not None and span[1] > span[0]:
            add(*span, None)
    _later_mentions(doc, list(found.values()))
    return list(found.values())


def _title_case_headline(doc: Document) -> set[int]:
    """The headline's sentences when nearly every word of it is capitalised ("Army Destroys
    Terrorist Shelter In Borno"): there capitals do not tell a name."""
    m = re.match(r"\s*([^\r\n]{1,250})\r?\n[ \t]*\r?\n", doc.text)
    if not m:
        return set()
    end = m.end(1)
    words = [t for t in doc.tokens if t.end <= end and t.norm.isalpha() and len(t.norm) > 3]
    if len(words) < 3 or sum(_capitalised(doc, t) for t in words) < 0.8 * len(words):
        return set()
    return {t.sentence for t in doc.tokens if t.end <= end}


def _place_like(doc: Document, lex: Lexicon, first: int, last: int) -> bool:
    """A capitalised run that names a place or a people, not a person: a nationality
    ("Syrian-Iraqi"), a compound joined by a small word ("Bouches-du-Rhône"), a run before a
    place word ("the Hodh Ech Chargui region") or after a locative ("in Sidi Bouzid"), or a
    piece of a longer proper name ("Operation Hadin Kai")."""
    toks = doc.tokens[first:last + 1]
    if len(toks) < 2 or any(t.norm in lex.nationalities for t in toks):
        return True
    for a, b, c in zip(toks, toks[1:], toks[2:]):
        if doc.text[a.end:b.start] == "-" == doc.text[b.end:c.start] and \
                doc.text[b.start].islower():
            return True
    after = doc.tokens[last + 1] if last + 1 < len(doc.tokens) else None
    if after is not None and after.sentence == toks[0].sentence and \
            after.norm in lex.province_words | lex.place_words and \
            not _capitalised(doc, after):
        return True  # "the Hodh Ech Chargui region", "the Haut-Rhin department"
    return _after_locative(doc, lex, first) or _in_longer_name(doc, lex, first, last)


def _word_before(doc: Document, lex: Lexicon, first: int) -> int | None:
    """The word before a run, over leading particles ("of El Ma Labiod"), when nothing but
    spaces stands between."""
    k = first - 1
    while k >= 0 and doc.tokens[k].norm in lex.name_particles:
        k -= 1
    if k < 0 or doc.tokens[k].sentence != doc.tokens[first].sentence or \
            PUNCT_BREAK.search(between(doc, doc.tokens[k].end, doc.tokens[k + 1].start)):
        return None
    return k


def _after_locative(doc: Document, lex: Lexicon, first: int) -> bool:
    """"in Kaf Lasfar", "à Ras El Ain", "the locality of El Ma Labiod"."""
    k = _word_before(doc, lex, first)
    if k is None:
        return False
    before = doc.tokens[k]
    if before.norm in lex.title_prepositions and k > 0 and \
            doc.tokens[k - 1].norm in lex.locatives | lex.place_words:
        return True
    return before.norm in lex.locatives and before.norm not in lex.title_words


def _in_longer_name(doc: Document, lex: Lexicon, first: int, last: int) -> bool:
    """The tail or head of a longer capitalised name whose other words are no name words:
    "Operation Hadin Kai", "the Court of First Instance", "European Counter Terrorism
    Centre"."""
    after = doc.tokens[last + 1] if last + 1 < len(doc.tokens) else None
    if after is not None and after.sentence == doc.tokens[last].sentence and \
            _capitalised(doc, after) and doc.text[doc.tokens[last].end:after.start] == " " and \
            (after.norm in lex.title_words or after.norm in lex.non_name_words):
        return True
    k = _word_before(doc, lex, first)
    if k is None:
        return False
    before = doc.tokens[k]
    if before.norm in lex.title_prepositions and k > 0 and \
            doc.tokens[k - 1].sentence == before.sentence:
        before = doc.tokens[k - 1]
    return _capitalised(doc, before) and before.norm in lex.non_name_words and \
        before.norm not in lex.title_words


def _capitalised(doc: Document, tok: Token) -> bool:
    return doc.text[tok.start].isupper()


def _capitalised_names(doc: Document, lex: Lexicon, entity_tokens: set[int],
                       cue_tokens: set[int], said: set[int] = frozenset()
                       ) -> list[tuple[int, int]]:
    """French and English: runs of two or more capitalised words ("Emmanuel Dupuy", "Abou
    Walid al-Sahraoui"), particles allowed inside, title words ("Interior Minister") and
    known entities left out."""
    spans, i = [], 0
    tokens = doc.tokens
    while i < len(tokens):
        tok = tokens[i]
        if not _name_word(doc, lex, tok, entity_tokens, cue_tokens, said) or \
                tok.norm in lex.name_particles:
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and tokens[j + 1].sentence == tok.sentence and \
                re.fullmatch(r"[\s\-'’]*", doc.text[tokens[j].end:tokens[j + 1].start]) and \
                (_name_word(doc, lex, tokens[j + 1], entity_tokens, cue_tokens, said) or
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
               cue_tokens: set[int], said: set[int] = frozenset()) -> bool:
    """A capitalised word that may be part of a name; `said` are speech verbs capitalised
    inside a sentence, which are names ("Said Ouazzani")."""
    if _initial(doc, tok) or tok.index in said:
        return tok.index not in entity_tokens  # "Rayan M.", "A. Mohamed"
    return _capitalised(doc, tok) and tok.index not in entity_tokens and \
        tok.index not in cue_tokens and \
        tok.norm not in lex.function_words and \
        tok.norm not in lex.title_words and not tok.norm.isdigit()


def _initial(doc: Document, tok: Token) -> bool:
    """An initial: one capital letter and a full stop ("M.")."""
    return tok.end - tok.start == 1 and doc.text[tok.start].isupper() and \
        doc.text[tok.end:tok.end + 1] == "."


def _capitalised_cue(doc: Document, tok: Token) -> bool:
    """"Their lawyer, Said Ouazzani, told": a speech verb capitalised inside a sentence,
    before another capitalised word, is a name."""
    nxt = doc.tokens[tok.index + 1] if tok.index + 1 < len(doc.tokens) else None
    return _capitalised(doc, tok) and tok.index > 0 and \
        doc.tokens[tok.index - 1].sentence == tok.sentence and \
        nxt is not None and nxt.sentence == tok.sentence and _capitalised(doc, nxt) and \
        doc.text[tok.end:nxt.start] == " "


def _in_place_list(doc: Document, lex: Lexicon, tok: Token, region_ends: set[int]) -> bool:
    """"ينشطون في سيدي مومن في الدار البيضاء، واد زم، بوجنيبة": in a sentence about arrests
    or activity, a name right after "في" or listed after a place (`region_ends`: the last
    tokens of the places found) is a place (Sidi Moumen), not a man called Sidi."""
    k = tok.index
    if k == 0 or doc.tokens[k - 1].sentence != tok.sentence:
        return False
    before = doc.tokens[k - 1]
    gap = between(doc, before.end, tok.start).strip()
    if before.norm in lex.locatives and not gap:
        return True
    if not (gap in ("،", ",") or (not gap and before.norm == "و")):
        return False
    return (k - 2 if before.norm == "و" and k >= 2 else k - 1) in region_ends


def _after_place_word(doc: Document, lex: Lexicon, tok: Token) -> bool:
    """"حي سيدي مومن" is a neighbourhood, not a man called Sidi Moumen; "جامعة عبد المالك
    السعدي" a university, not a man."""
    if tok.index == 0:
        return False
    eponyms = word_set(lex.lang, "eponym_words")
    return any(v in lex.place_words or v in eponyms for v in doc.tokens[tok.index - 1].variants)


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


def _adjective_title(doc: Document, title: Mention) -> bool:
    """"التهديد الإرهابي", "للجماعات الإرهابية": a one-word definite title right after a
    definite noun is an adjective of that noun."""
    if title.first_token != title.last_token or title.first_token == 0:
        return False
    before = doc.tokens[title.first_token - 1]
    return before.sentence == title.sentence and \
        not PUNCT_BREAK.search(between(doc, before.end, doc.tokens[title.first_token].start)) \
        and any(v.startswith("ال") for v in before.variants)


def _plausible(doc: Document, lex: Lexicon, span: tuple[int, int]) -> bool:
    """A name not opened by a known first name is short and ends the phrase (punctuation,
    a function word or a cue follows), as in "إيمانويل دوبوي، حين"."""
    first, last = span
    if any(len(t.variants) > 1 and any(v.startswith("ال") for v in t.variants[1:])
           for t in doc.tokens[first:last + 1]):
        return False  # "بالمؤونة", "والأدوية": a clitic and an article, not a name
    if _starts_name(doc.tokens[first], lex):
        return True
    if len(doc.tokens[first].variants) > 1 and \
            any(t.norm.startswith("ال") for t in doc.tokens[first + 1:last + 1]):
        return False  # "بقضايا الإرهاب": a preposition and its noun phrase
    if last - first > 2:
        return False
    nxt = last + 1
    if nxt >= len(doc.tokens) or doc.tokens[nxt].sentence != doc.tokens[last].sentence:
        return True
    gap = between(doc, doc.tokens[last].end, doc.tokens[nxt].start)
    return bool(PUNCT_BREAK.search(gap)) or doc.tokens[nxt].norm in lex.function_words


def _starts_name(tok: Token, lex: Lexicon) -> bool:
    return tok.norm in lex.first_names or tok.norm in lex.name_particles and \
        tok.norm not in lex.inner_particles or _conjoined_first_name(tok, lex)


def _conjoined_first_name(tok: Token, lex: Lexicon) -> bool:
    """"وسمير عمراوي": the conjunction و written onto a known first name."""
    return not lex.cased and tok.norm.startswith("و") and tok.norm not in lex.first_names \
        and tok.norm[1:] in lex.first_names


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
        if tok.norm in lex.relative_pronouns or (i in cue_tokens and i not in entity_tokens
                                                 and tok.norm not in lex.title_prepositions):
            return None  # "الباحث، الذي أصدر": a clause, not the name, follows the title
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
    if i >= len(doc.tokens) or doc.tokens[i].sentence != sentence or skipped >= 7:
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


def _later_mentions(doc: Document, people: list[LocalEntity], cased: bool = False) -> None:
    """Full name or surname repeated later in the article ("وأضاف دوبوي"); capitalised where
    names are ("Shelter", not "a shelter")."""
    if not people:
        return
    names = []  # (person, the words of its first mention, its surname)
    for person in people:
        full = [fold(t.norm) for t in doc.tokens[person.mentions[0].first_token:
                                                 person.mentions[0].last_token + 1]]
        surname = full[-1] if len(full) >= 2 and len(full[-1]) >= 3 else None
        names.append((person, full, surname))
    # Where each name's first word and surname stand, read once: a person's later mentions
    # are looked up, not rescanned over every token (linear in the article's length).
    heads = {full[0] for _, full, _ in names}
    surnames = {surname for _, _, surname in names if surname}
    by_norm: dict[str, list[int]] = {}
    by_variant: dict[str, list[int]] = {}
    for tok in doc.tokens:
        if tok.norm in heads:
            by_norm.setdefault(tok.norm, []).append(tok.index)
        for variant in tok.variants:
            if variant in surnames:
                by_variant.setdefault(variant, []).append(tok.index)
    for person, full, surname in names:
        known = {(m.start, m.end) for m in person.mentions}
        at = set(by_norm.get(full[0], ())) | set(by_variant.get(surname, ()) if surname else ())
        for tok in (doc.tokens[i] for i in sorted(at)):
            n = len(full)
            seq = [t.norm for t in doc.tokens[tok.index:tok.index + n]]
            if seq == full:
                span = (tok.start, doc.tokens[tok.index + n - 1].end)
                last = tok.index + n - 1
            elif surname and surname in tok.variants and (not cased or _capitalised(doc, tok)):
                span, last = (tok.start, tok.end), tok.index
            else:
                continue
            if any(a < span[1] and span[0] < b for a, b in known):
                continue  # overlaps a mention already kept
            known.add(span)
            person.mentions.append(Mention("Person", span[0], span[1], doc.text[span[0]:span[1]],
                                           tok.sentence, tok.index, last))


