"""Places no gazetteer knows, in French and English: a capitalised name that a place word, a
locative in a sentence about arrests, or a list with a known place makes a locality."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ctkg.graph.ids import make_id
from ctkg.loaders.cues import Lexicon
from ctkg.loaders.gazetteer import Entry, Gazetteer
from ctkg.loaders.pipeline import Document, Mention
from ctkg.loaders.tokens import fold
from ctkg.loaders.vocab import cues as load_cues

_NAME_JOINS = re.compile(r"[ \-]")  # "Septèmes-les-Vallons", "Ras El Ain"
# An age or an initial after a name tells a person: "Kamran Aziz, 31", "Walid H.".
_PERSON_AFTER = re.compile(r"(?:\s*,\s*\d|\s+[A-Z]\.)")
SITUATION_CUES = {"cue:arrest", "cue:activity", "cue:weapons"}


def place_names(doc: Document, lex: Lexicon, gaz: Gazetteer,
                entities: list[Mention], cues: list[Mention]) -> list[Mention]:
    """A capitalised name no gazetteer knows, in French or English, is a Region of kind
    locality when a place word announces it ("cercle de Ténenkou", "province du Sanmatenga",
    "Soum province", "Borno State"), when it follows a locative in a sentence about arrests or
    activity ("arrested in Dogofry"), or when it is listed with a known place ("in Ayorou,
    Ouallam and Téra"). Months, weekdays, titles, nationalities and the non-name words are
    never names."""
    taken = {i for e in entities for i in range(e.first_token, e.last_token + 1)}
    regions = sorted((m for m in entities if m.kind == "Region"), key=lambda m: m.start)
    situated = {c.sentence for c in cues if c.kind in SITUATION_CUES}
    # "in", "near", "à", "près de" of the OPERATED_IN cues
    at = {c.first_token for c in cues if c.kind == "cue:operated_in"}
    # a name met before in the article is that place ("Mount Semmama" ... "Semmama")
    by_name: dict[str, Entry] = {fold(m.text): m.ref for m in regions}
    heads = lex.place_words | lex.province_words | lex.locality_words
    out: list[Mention] = []
    k = 0
    while k < len(doc.tokens):
        tok = doc.tokens[k]
        names = _capitalised_name(doc, lex, k, taken) if k not in taken else []
        if not names:
            k += 1
            continue
        first, last = doc.tokens[names[0]], doc.tokens[names[-1]]
        before = _word_before(doc, lex, names[0])
        after = doc.tokens[last.index + 1] if last.index + 1 < len(doc.tokens) else None
        announced = before is not None and (bool(set(before.variants) & heads) or (
            before.index in at and tok.sentence in situated))
        # "Soum province", "Borno State" (where modifiers come first)
        announced = announced or (lex.modifiers_before and after is not None and
                                  after.sentence == tok.sentence and after.norm in heads)
        listed = _listed_with(doc, lex, first, last, regions + out)
        if not (announced or listed) or _not_a_place_name(doc, lex, last, after, taken):
            k = names[-1] + 1
            continue
        name = doc.text[first.start:last.end]
        entry = by_name.get(fold(name)) or \
            _locality_entry(gaz, name, tok.sentence, last.end, regions, entities)
        by_name[fold(name)] = entry
        if entry is not None:
            out.append(Mention("Region", first.start, last.end, name, tok.sentence,
                               first.index, last.index, entry))
            taken.update(range(first.index, last.index + 1))
        k = names[-1] + 1
    return out


_POSSESSIVE = re.compile(r"['’]s$")


def _capitalised_name(doc: Document, lex: Lexicon, k: int, taken: set[int]) -> list[int]:
    """Tokens k.. of a capitalised name (at most four, joined by a space or a hyphen; a
    lower-case particle only inside a hyphenated name), or [] when token k starts none."""
    head = doc.text[doc.tokens[k].start:doc.tokens[k].end]
    if not head[:1].isupper() or head.isupper():
        return []  # (most words, told before the loop below tells them the same way)
    names: list[int] = []
    for tok in doc.tokens[k:k + 4]:
        text = doc.text[tok.start:tok.end]
        if names:
            gap = doc.text[doc.tokens[names[-1]].end:tok.start]
            if tok.sentence != doc.tokens[k].sentence or not _NAME_JOINS.fullmatch(gap):
                break
            if not text[:1].isupper() and not (gap == "-" and tok.index + 1 < len(doc.tokens)
                                                and doc.text[tok.end:tok.end + 1] == "-"):
                break
        elif not text[:1].isupper() or text.isupper():
            return []
        if _POSSESSIVE.search(text):
            return []  # "Ahmed's house"
        if tok.index in taken or not _name_word(lex, tok):
            break
        names.append(tok.index)
    return names


def _not_a_place_name(doc: Document, lex: Lexicon, last, after, taken: set[int]) -> bool:
    """A name cut short at a hyphen ("Grand-Place"), or, where modifiers come first, used as
    an adjective before a common noun ("the Catalan towns", "the New Year holidays")."""
    if after is None or after.sentence != last.sentence:
        return False
    gap = doc.text[last.end:after.start]
    if gap == "-" or gap == " " and after.index in taken:
        return True  # "Grand-Place", "Kamran Aziz" (Aziz, a town)
    word = doc.text[after.start:after.end]
    heads = set(after.variants) & (lex.place_words | lex.province_words)
    if lex.modifiers_before and heads and not heads & lex.locality_words and \
            after.index + 1 < len(doc.tokens) and \
            doc.tokens[after.index + 1].norm in lex.title_prepositions:
        return True  # "the Catalan city of Girona" (but "the Sidi Moussa district of Salé")
    return lex.modifiers_before and gap == " " and word.islower() and \
        after.norm not in lex.function_words and \
        not set(after.variants) & (lex.place_words | lex.province_words | lex.locality_words)


def _name_word(lex: Lexicon, tok) -> bool:
    norm = tok.norm
    return not (norm in lex.non_name_words or norm in lex.function_words or
                norm in lex.title_words or norm in lex.nationalities or
                norm in _calendar_words(lex.lang) or norm.isdigit() or len(norm) < 3
                and "'" not in norm)


def _word_before(doc: Document, lex: Lexicon, k: int):
    """The word before a name, over an article or a preposition ("province du Sanmatenga",
    "forest of Wagadou", "in the Sahel"), with no punctuation between."""
    skippable = lex.determiners | lex.title_prepositions | lex.locality_adjectives
    j = k - 1
    while j >= max(0, k - 3):
        tok = doc.tokens[j]
        if tok.sentence != doc.tokens[k].sentence or \
                doc.text[tok.end:doc.tokens[j + 1].start].strip(" '’"):
            return None
        variants = set(tok.variants)
        if variants & (lex.place_words | lex.province_words | lex.locality_words | lex.locatives):
            return tok
        if not variants & skippable:
            return None
        j -= 1
    return None


def _listed_with(doc: Document, lex: Lexicon, first, last, places: list[Mention]) -> bool:
    """"Ayorou, Ouallam and Téra": a name joined by a comma or "and" to a known place."""
    gap, joined, goes_on = _joiners(lex.lang)
    if _PERSON_AFTER.match(doc.text, last.end):
        return False  # "Bradford, and Kamran Aziz, 31,", "Walid H., 21 ans"
    for m in places:
        if m.sentence != first.sentence:
            continue
        before = doc.text[m.end:first.start]
        if m.end <= first.start and gap.fullmatch(before) and (
                joined.search(before) or goes_on.match(doc.text, last.end)):
            return True
        if m.start >= last.end and gap.fullmatch(doc.text[last.end:m.start]):
            return True
    return False


def _locality_entry(gaz: Gazetteer, name: str, sentence: int, end: int,
                    regions: list[Mention], entities: list[Mention]) -> Entry | None:
    """A locality in the next known place of its sentence, else the last one before it, else
    in the article's main country."""
    later = next((m for m in regions if m.sentence == sentence and m.start > end), None) or \
        next((m for m in reversed(regions) if m.sentence == sentence and m.end <= end), None)
    countries = Counter(m.ref.country for m in entities if m.ref is not None and
                        getattr(m.ref, "country", None))
    code = (later.ref.country if later else None) or \
        (countries.most_common(1)[0][0] if countries else None)
    if code is None:
        return None
    entry_id = make_id("region", f"{code}-{name}")
    entry = gaz.entries.get(entry_id)
    if entry is None:
        parent = later.ref.id if later and later.ref.kind != "supra" else f"region:{code.lower()}"
        entry = Entry(entry_id, "Region", name, {"kind": "locality", "country": code},
                      parents=[parent])
        gaz.entries[entry_id] = entry
    return entry


@lru_cache(maxsize=None)
def _calendar_words(lang: str) -> frozenset[str]:
    """Month and weekday names (CLDR): "in March" is no place."""
    from babel import Locale

    loc = Locale.parse(lang)
    words = set()
    for table in (loc.months, loc.days):
        for width in ("wide", "abbreviated"):
            words.update(fold(w).strip(".") for w in table["format"][width].values())
    return frozenset(words)


@lru_cache(maxsize=None)
def _joiners(lang: str) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """From the language's place_list_joiners ("and", "et"): the gap between two listed places
    (", ", " and ", ", and "), a gap with a joiner, and a list that goes on to a capital."""
    words = "|".join(re.escape(w) for w in load_cues(lang).get("place_list_joiners") or ())
    gap = rf"\s*(?:,|,?\s+(?:{words}))\s*"
    return (re.compile(gap, re.I), re.compile(rf"\b(?:{words})\b", re.I),
            re.compile(rf"{gap}(?:\w+\s+)?[^\W\d_](?<=[A-ZÀ-Ý])"))
