"""Entity recognition: gazetteer entities, cells, persons and statements.

Rules are driven by the cue lexicon of the article's language; the code holds no words.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ctkg.graph.ids import make_id, slug
from ctkg.loaders.cues import Lexicon
from ctkg.loaders.document import Document, Mention, Token
from ctkg.loaders.gazetteer import SPECIFICITY, Entry, Gazetteer
from ctkg.loaders.textnorm import fold

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


def _between(doc: Document, a: int, b: int) -> str:
    return doc.text[a:b] if a < b else ""


# -- gazetteer entities ----------------------------------------------------------------
def gazetteer_mentions(doc: Document, gaz: Gazetteer, lex: Lexicon) -> list[Mention]:
    found = doc.find(gaz.matcher, "entity")
    countries = Counter()
    for refs, _ in found:
        codes = {r.country for r in refs if r.country}
        if len(codes) == 1:
            countries[codes.pop()] += 1
    main_country = countries.most_common(1)[0][0] if countries else None
    resolved = [(_resolve(doc, refs, m, main_country, countries), m) for refs, m in found]
    # One place per name in an article: "باتنة" the city and "ولاية باتنة" are one Region.
    first_of: dict[tuple, Entry] = {}
    for i, (entry, m) in enumerate(resolved):
        if entry is None or entry.label != "Region" or entry.kind == "country":
            continue
        key = (entry.country, fold(entry.props.get("name_ar") or entry.name))
        resolved[i] = (first_of.setdefault(key, entry), m)
    # An alias that is also an ordinary word (القاعدة) counts only when a plain alias of the
    # same entry appears in the article, or a group word precedes it.
    resolved = _merge_branches(doc, resolved)
    plain = {e.id for e, m in resolved if e and fold(m.text) not in _folded(e.context_required)}
    out = []
    for entry, m in resolved:
        if entry is None:
            continue
        if fold(m.text) in _folded(entry.context_required) and entry.id not in plain and \
                not _group_word_before(doc, m, lex):
            continue
        m.kind, m.ref = entry.label, entry
        out.append(m)
    return out


def national_agencies(doc: Document, gaz: Gazetteer, lex: Lexicon,
                      entities: list[Mention]) -> list[Mention]:
    """An agency followed by a nationality adjective takes that country's body
    ("وزارة الداخلية الإسبانية"); a generic body with one becomes specific ("الجيش
    النيجيري" -> the Nigerian army, from the vocabulary or named after the country)."""
    out = []
    for refs, m in doc.find(lex.generic_agencies, "Agency"):
        code = _nationality_after(doc, lex, m.last_token)
        existing = next((e for e in entities if e.first_token <= m.first_token <= e.last_token),
                        None)
        if code is None:
            continue
        if existing is not None and existing.kind != "Agency":
            continue
        adj = doc.tokens[m.last_token + 1]
        if existing is not None:
            if existing.ref.country == code:
                continue
            m = existing
        kind, english = refs[0][1]
        entry = _national_entry(gaz, kind, english, code, m.ref if existing else None)
        mention = Mention("Agency", m.start, adj.end, doc.text[m.start:adj.end], m.sentence,
                          m.first_token, adj.index, entry)
        out.append(mention)
    replaced = {m.first_token for m in out}
    return [e for e in entities if e.first_token not in replaced] + out


def _nationality_after(doc: Document, lex: Lexicon, last: int) -> str | None:
    if last + 1 >= len(doc.tokens) or doc.tokens[last + 1].sentence != doc.tokens[last].sentence:
        return None
    return next((lex.nationalities[v] for v in doc.tokens[last + 1].variants
                 if v in lex.nationalities), None)


def _national_entry(gaz: Gazetteer, kind: str, english: str, code: str,
                    current: Entry | None) -> Entry:
    """The vocabulary's body of that kind in that country, else a generic one."""
    same_name = [e for e in gaz.entries.values() if e.label == "Agency" and e.country == code
                 and current is not None and set(current.aliases) & set(e.aliases)]
    if same_name:
        return same_name[0]
    of_kind = [e for e in gaz.entries.values() if e.label == "Agency" and e.country == code
               and e.kind == kind and english.lower() in e.name.lower()]
    if of_kind:
        return of_kind[0]
    country = gaz.get(f"region:{code.lower()}")
    name = f"{english} ({country.name if country else code})"
    entry_id = make_id("agency", f"{english}-{code}")
    entry = gaz.entries.get(entry_id)
    if entry is None:
        entry = Entry(entry_id, "Agency", name, {"country": code, "kind": kind},
                      based_in=[f"region:{code.lower()}"])
        gaz.entries[entry_id] = entry
    return entry


def _merge_branches(doc: Document, resolved: list) -> list:
    """"تنظيم الدولة الإسلامية - ولاية الساحل" names the branch: a parent organisation
    followed directly by one of its branches is one mention of the branch."""
    out: list = []
    for entry, m in resolved:
        if out and entry is not None and entry.label == "Organisation":
            prev_entry, prev = out[-1]
            gap = doc.text[prev.end:m.start]
            if prev_entry is not None and prev_entry.id in entry.parents and \
                    prev.sentence == m.sentence and re.fullmatch(r"[\s\-–—،,(]*", gap):
                out[-1] = (entry, Mention(m.kind, prev.start, m.end, doc.text[prev.start:m.end],
                                          m.sentence, prev.first_token, m.last_token))
                continue
        out.append((entry, m))
    return out


def organisation_anaphora(cues: list[Mention], entities: list[Mention]) -> list[Mention]:
    """"التنظيم", "التنظيم الإرهابي": the organisation named last before (for relations only;
    they do not become mentions of the organisation)."""
    orgs = sorted((m for m in entities if m.kind == "Organisation"), key=lambda m: m.start)
    out = []
    for c in cues:
        if c.kind != "cue:org_anaphora" or any(o.start <= c.start < o.end for o in orgs):
            continue
        before = [o for o in orgs if o.end <= c.start]
        if before:
            out.append(Mention("Organisation", c.start, c.end, c.text, c.sentence,
                               c.first_token, c.last_token, before[-1].ref))
    return out


def _folded(words) -> set[str]:
    return {fold(w) for w in words}


def _group_word_before(doc: Document, m: Mention, lex: Lexicon) -> bool:
    if m.first_token == 0:
        return False
    return any(v in lex.group_words for v in doc.tokens[m.first_token - 1].variants)


def _resolve(doc: Document, refs: list[Entry], m: Mention, main_country: str | None,
             countries: Counter) -> Entry | None:
    if len(refs) == 1:
        return refs[0]
    want_province = any(v in PROVINCE_WORDS for v in doc.tokens[m.first_token - 1].variants) \
        if m.first_token > 0 else False

    def rank(e: Entry):
        kind_rank = SPECIFICITY.get(e.kind or "", 0)
        if want_province:
            kind_rank = -kind_rank if e.kind in ("province", "region") else 9
        return (0 if e.country == main_country else 1, -countries.get(e.country, 0), kind_rank)

    return sorted(refs, key=rank)[0]


def kingdom_mentions(doc: Document, cues: list[Mention], gaz: Gazetteer,
                     entities: list[Mention]) -> list[Mention]:
    """"المملكة" / "البلاد" stand for the article's main country when it is a kingdom."""
    countries = Counter(m.ref.country for m in entities if m.ref.country)
    if not countries:
        return []
    code = countries.most_common(1)[0][0]
    country = gaz.get(f"region:{code.lower()}")
    out = []
    for c in cues:
        if c.kind != "cue:kingdom_words" or any(m.start < c.end and c.start < m.end
                                                  for m in entities):
            continue
        if not fold(c.ref).startswith("المملكه") or code not in KINGDOMS:
            continue  # "البلاد" is left alone: annotators name the country, not "the country"
        out.append(Mention("Region", c.start, c.end, c.text, c.sentence, c.first_token,
                           c.last_token, country))
    return out


# -- cells -----------------------------------------------------------------------------
def cells(doc: Document, lex: Lexicon, cues: list[Mention],
          entities: list[Mention]) -> list[LocalEntity]:
    generic = [(c.start, c.end) for c in cues if c.kind == "cue:generic_cell"]
    ordinals = {c.first_token: c for c in cues if c.kind == "cue:ordinals"}
    new_cell = {c.first_token for c in cues if c.kind == "cue:new_cell"}
    background = [c for c in cues if c.kind == "cue:background"]
    found: list[LocalEntity] = []
    current: LocalEntity | None = None
    for tok in doc.tokens:
        found_head = _cell_head(tok, lex)
        if found_head is None or any(a <= tok.start < b for a, b in generic):
            continue
        head, definite = found_head
        if _is_background(doc, tok, background, lex):
            continue
        end_tok = tok
        nxt = tok.index + 1
        while nxt < len(doc.tokens) and doc.tokens[nxt].sentence == tok.sentence and \
                _is_modifier(doc.tokens[nxt], lex.cell_modifiers) and \
                not PUNCT_BREAK.search(_between(doc, end_tok.end, doc.tokens[nxt].start)):
            end_tok = doc.tokens[nxt]
            nxt += 1
        qualified = end_tok is not tok or (
            nxt < len(doc.tokens) and _is_modifier(doc.tokens[nxt], lex.network_purposes))
        if head in lex.weak_cell_heads and not qualified and not (definite and current):
            continue  # "شبكة" alone: a network of roads, of the internet...
        if definite and head in (v[2:] for v in tok.variants if v.startswith("ال")):
            head = "ال" + head
        start = _strip_proclitic(doc, tok, head)
        mention = Mention("Cell", start, end_tok.end, doc.text[start:end_tok.end],
                          tok.sentence, tok.index, end_tok.index)
        name = _cell_name(doc, end_tok, entities, definite)
        ordinal = ordinals.get(end_tok.index + 1) or ordinals.get(tok.index + 1)
        if _is_dual(tok, head) and ordinal is None:
            continue
        if name is not None:
            target = next((c for c in found if c.props.get("named") and
                           slug(c.name) == slug(name)), None)
            if target is None and current is not None and not current.props.get("named") \
                    and current.mentions[-1].sentence == tok.sentence:
                target = current  # "خلية إرهابية تطلق على نفسها «...»"
                target.name = name
                target.props["named"] = True
        elif ordinal is not None:
            index = int(ordinal.ref) - 1
            while len(found) <= index:
                found.append(LocalEntity(f"cell{len(found) + 1}", "Cell", mention.text))
            target = found[index]
        elif end_tok.index + 1 in new_cell or (current is None):
            target = None
        else:
            target = current
        if target is None:
            target = LocalEntity(f"cell{len(found) + 1}", "Cell", name or mention.text)
            if name:
                target.props["named"] = True
            found.append(target)
        target.mentions.append(mention)
        current = target
    for cell in found:
        if not cell.mentions:
            continue
        cell.props.update(_counts(doc, lex, cell, cues))
    return [c for c in found if c.mentions]


def _cell_head(tok: Token, lex: Lexicon) -> tuple[str, bool] | None:
    """(head word, definite) when the token is a cell word: خلية, الخلية, بخلية, والشبكة."""
    for v in tok.variants:
        definite = v.startswith("ال") and len(v) > 4
        stem = v[2:] if definite else v
        if stem in lex.cell_heads:
            return stem, definite
    return None


def _is_modifier(tok: Token, words: set[str]) -> bool:
    return any(v in words or (v.startswith("ال") and v[2:] in words) for v in tok.variants)


def _strip_proclitic(doc: Document, tok: Token, stem: str) -> int:
    """Start of `stem` inside the token ("بخلية" -> "خلية"), else the token's start."""
    if stem != tok.norm and tok.norm.endswith(stem):
        n = len(tok.norm) - len(stem)
        start = tok.start
        while n > 0 and start < tok.end:
            if fold(doc.text[start]):
                n -= 1
            start += 1
        return start
    return tok.start


def _is_dual(tok: Token, head: str) -> bool:
    return any(v.endswith(("تين", "تان")) for v in tok.variants if v.startswith(head[:3]))


def _is_background(doc: Document, tok: Token, background: list[Mention], lex: Lexicon) -> bool:
    """"أكثر من 200 خلية منذ 2002": a count above ten or a history marker right before."""
    before = [t for t in doc.tokens[max(0, tok.index - 3):tok.index] if t.sentence == tok.sentence]
    for t in before:
        if t.norm.isdigit() and int(t.norm) > 10:
            return True
    return any(b.sentence == tok.sentence and 0 <= tok.index - b.last_token <= 3
               for b in background)


_NAMING = re.compile("|".join(fold(w) for w in (
    "اسم", "تسمى", "يسمى", "المسماة", "المسمى", "نفسها", "نفسه", "المعروفة", "المعروف",
    "تدعى", "تحمل")))


def _cell_name(doc: Document, end_tok: Token, entities: list[Mention],
               definite: bool) -> str | None:
    """A quoted name: after a naming word (خلية تطلق على نفسها اسم «...»), or right after
    an indefinite cell word when short (خلية «أسود الخلافة»). "الخلية "كانوا..."" is a quote."""
    window = doc.text[end_tok.end:end_tok.end + 60]
    m = QUOTES.search(window)
    if not m:
        return None
    gap = window[:m.start()]
    name = next(g for g in m.groups() if g).strip()
    if re.search(r"[.،,؛:]", gap) or len(gap.split()) > 4:
        return None
    if not _NAMING.search(fold(gap)) and (definite or gap.strip() or len(name.split()) > 5):
        return None
    start = end_tok.end + m.start()
    if any(e.start <= start + 1 < e.end + 1 for e in entities):
        return None  # a quoted organisation ("داعش"), not a cell name
    return name


def _counts(doc: Document, lex: Lexicon, cell: LocalEntity, cues: list[Mention]) -> dict:
    """Members ("تتكون من أربعة عناصر") and arrests ("توقيف 12 شخصا") near the cell."""
    out: dict = {}
    sentences = {m.sentence for m in cell.mentions}
    arrest_sents = {c.sentence for c in cues if c.kind == "cue:arrest"}
    for k in sorted(sentences | {s + 1 for s in sentences}):
        toks = doc.sentence_tokens(k)
        for i, t in enumerate(toks[:-1]):
            value = _number(t, toks[i + 1] if i + 1 < len(toks) else None, lex)
            if value is None:
                continue
            noun = toks[i + 1]
            if not any(v in lex.member_nouns for v in noun.variants):
                continue
            if k in sentences and "members" not in out:
                out["members"] = value
            if k in arrest_sents and "arrests" not in out:
                out["arrests"] = value
    return out


def _number(tok: Token, nxt: Token | None, lex: Lexicon) -> int | None:
    digits = tok.norm.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    if digits.isdigit():
        return int(digits)
    for v in tok.variants:
        if v in lex.numbers:
            return lex.numbers[v]
    return None


# -- persons ---------------------------------------------------------------------------
_PREPS = {"في", "ب", "باسم", "لدى", "من", "عن"}


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
        span = _name_after(doc, lex, title.last_token + 1, title.sentence, entity_tokens,
                           cue_tokens)
        if span is not None and span[0] not in claimed and _plausible(doc, lex, span):
            add(*span, title.ref)
    for tok in doc.tokens:
        if tok.index in claimed or tok.index in entity_tokens or tok.index in cue_tokens \
                or not _starts_name(tok, lex):
            continue
        span = _name_tokens(doc, lex, tok.index, tok.sentence, entity_tokens, cue_tokens)
        if span is not None and span[1] > span[0]:
            add(*span, None)
    _later_mentions(doc, list(found.values()))
    return list(found.values())


def _plausible(doc: Document, lex: Lexicon, span: tuple[int, int]) -> bool:
    """A name not opened by a known first name is short and ends the phrase (punctuation,
    a function word or a cue follows), as in "إيمانويل دوبوي، حين"."""
    first, last = span
    if _starts_name(doc.tokens[first], lex):
        return True
    if last - first > 2:
        return False
    nxt = last + 1
    if nxt >= len(doc.tokens) or doc.tokens[nxt].sentence != doc.tokens[last].sentence:
        return True
    gap = _between(doc, doc.tokens[last].end, doc.tokens[nxt].start)
    return bool(PUNCT_BREAK.search(gap)) or doc.tokens[nxt].norm in lex.function_words


def _starts_name(tok: Token, lex: Lexicon) -> bool:
    return tok.norm in lex.first_names or tok.norm in lex.name_particles and \
        tok.norm not in ("بن", "ولد", "ول")


def _name_after(doc: Document, lex: Lexicon, i: int, sentence: int, entity_tokens: set[int],
                cue_tokens: set[int]) -> tuple[int, int] | None:
    """Skip what qualifies the title (adjectives, "في شؤون الساحل", the body it belongs to,
    at most seven tokens), then read the name."""
    skipped, in_pp = 0, False
    while i < len(doc.tokens) and doc.tokens[i].sentence == sentence and skipped < 7:
        tok = doc.tokens[i]
        gap = _between(doc, doc.tokens[i - 1].end, tok.start)
        if PUNCT_BREAK.search(gap) and gap.strip() not in ("،", ","):
            return None
        if _starts_name(tok, lex):
            break
        nxt = doc.tokens[i + 1] if i + 1 < len(doc.tokens) else None
        if i in entity_tokens or (tok.norm.startswith(("ال", "لل")) and
                                  tok.norm not in lex.name_particles) or tok.norm in _PREPS \
                or (in_pp and nxt is not None and nxt.norm.startswith("ال")):
            in_pp = in_pp or tok.norm in _PREPS
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
        if names and PUNCT_BREAK.search(_between(doc, doc.tokens[i - 1].end, tok.start)):
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


# -- statements ------------------------------------------------------------------------
_COMPLEMENT = {"ان", "بان", "انه", "بانه", "انها", "بانها", "انهم", "بانهم", "الي"}
_CLAUSE = {"التي", "الذي", "الذين", "اللذين", "اللتين", "عن", "على", "ان", "بان"}
# "(...) إلى أن", "من أن" after a participle: مشيرا إلى أن، محذرا من أن.
_LEADS_IN = re.compile(r"^[\s،,]*(?:(?:إلى|الى|من)\s+)?(?:ب|و)?(?:أن|ان|إن)(?:ه|ها|هم)?(?=\s|\"|«)"
                       r"|^[\s،,]*:|^[\s،,]*[\"«“]")


def statements(doc: Document, lex: Lexicon, cues: list[Mention],
               speakers: list[Mention]) -> list[LocalEntity]:
    """Reported or quoted claims: a speech verb, a named speaker (person or agency, or an
    anaphor such as "المصدر ذاته" for the last one), and the words introduced by أن/إن/":"/a
    quote; participles (مضيفا أن) add further claims of the same speaker."""
    out: list[LocalEntity] = []
    last_speaker: Mention | None = None
    verbs = sorted((c for c in cues if c.kind in ("cue:speech_verbs", "cue:speech_participles",
                                                   "cue:source_markers")),
                   key=lambda c: c.start)
    plural = [c for c in cues if c.kind == "cue:plural_speakers"]
    anaphora = [c for c in cues if c.kind == "cue:speaker_anaphora"]
    taken_until: dict[int, int] = {}
    for verb in verbs:
        speaker = _speaker(doc, verb, speakers, plural)
        anchor = None
        anaphor = _anaphor_after(verb, anaphora)
        if speaker is None and anaphor is not None:
            # "وأوضح المصدر ذاته أن", "وأضاف بيان الوزارة أن": the last speaker, else the
            # agency named last before it.
            speaker = last_speaker or next((s for s in sorted(speakers, key=lambda s: -s.start)
                                            if s.kind == "Agency" and s.start < verb.start), None)
            anchor = anaphor.end
        elif speaker is None and last_speaker is not None and \
                0 <= verb.sentence - last_speaker.sentence <= 3 and \
                (verb.kind == "cue:speech_participles"
                 or (_no_subject(doc, verb) and not _plural_after(verb, plural))):
            speaker = last_speaker
        if speaker is None:
            continue
        span = _content(doc, verb, speaker, verbs, anchor)
        if span is None or taken_until.get(verb.sentence, -1) > span[0]:
            continue
        start, end = span
        taken_until[verb.sentence] = end
        first, last = doc.token_at(start), doc.token_at(end - 1)
        if first is None or last is None:
            continue
        text = doc.text[start:end]
        stmt = LocalEntity(f"st{len(out) + 1}", "Statement", text,
                           props={"speaker": speaker, "quoted": doc.text[start - 1:start] in
                                  ('"', "«", "“")})
        stmt.mentions.append(Mention("Statement", start, end, text, verb.sentence,
                                     first.index, last.index))
        out.append(stmt)
        last_speaker = speaker
    return out


def _plural_after(verb: Mention, plural: list[Mention]) -> bool:
    return any(p.sentence == verb.sentence and 0 < p.first_token - verb.last_token <= 2
               for p in plural)


def _anaphor_after(verb: Mention, anaphora: list[Mention]) -> Mention | None:
    return next((a for a in anaphora if a.sentence == verb.sentence
                 and 0 < a.first_token - verb.last_token <= 2), None)


def _no_subject(doc: Document, verb: Mention) -> bool:
    """"وأضاف أن ...", "وتابع: ...": the verb goes on with the previous speaker."""
    return bool(_LEADS_IN.match(doc.text[verb.end:verb.end + 12]))


def _speaker(doc: Document, verb: Mention, speakers: list[Mention],
             plural: list[Mention]) -> Mention | None:
    """VSO ("أكد الخبير X أن"): the first person (else agency) after the verb, with nothing
    but titles and a communiqué word between; SVO: the nearest one before it."""
    if verb.kind == "cue:speech_participles" or _plural_after(verb, plural):
        return None
    same = [s for s in speakers if s.sentence == verb.sentence]
    after = [s for s in same if 0 < s.first_token - verb.last_token <= 8
             and not _clause_between(doc, verb.last_token, s.first_token)]
    if after:
        people = [s for s in after if s.kind == "Person"]
        return min(people or after, key=lambda s: s.first_token)
    before = [s for s in same if 0 < verb.first_token - s.last_token <= 6
              and not _clause_between(doc, s.last_token, verb.first_token)]
    if before:
        return max(before, key=lambda s: s.last_token)
    return None


def _clause_between(doc: Document, a: int, b: int) -> bool:
    """A relative clause or complement between two tokens ("الأبحاث التي أجراها X")."""
    return any(t.norm in _CLAUSE for t in doc.tokens[a + 1:b])


def _content(doc: Document, verb: Mention, speaker: Mention, verbs: list[Mention],
             anchor: int | None = None) -> tuple[int, int] | None:
    """What is said: the quote, else the clause after أن/إن/":" up to the next speech verb
    or the end of the sentence. "ما أكده X، ..." takes the rest of the sentence."""
    sent = doc.sentences[verb.sentence]
    if verb.kind == "cue:source_markers":
        start, end = sent.start, verb.start  # "..., حسب X": the claim precedes the marker
    else:
        start = max(verb.end, speaker.end) if speaker.sentence == verb.sentence else verb.end
        start = _skip_parenthetical(doc, max(start, anchor or 0))
        later = [v.start for v in verbs if v.sentence == verb.sentence and v.start >= start
                 and v is not verb]
        end = min(later + [sent.end])
        lead = _LEADS_IN.match(doc.text[start:end])
        relative = doc.text[max(sent.start, verb.start - 4):verb.start].strip().endswith("ما")
        if lead is None and not relative:
            return None  # "أعلنت الوزارة عن تفكيك ...": an announcement, not a claim
        if lead is not None:
            start += lead.end() - (1 if lead.group().rstrip()[-1:] in '"«“' else 0)
    quote = QUOTES.search(doc.text, start, end)
    if quote and len(doc.text[start:quote.start()].split()) <= 4:
        g = next(i for i in range(1, 4) if quote.group(i))
        return quote.start(g), quote.end(g)
    while start < end and doc.text[start] in " ،,:\n\"«“":
        start += 1
    while end > start and doc.text[end - 1] in ".،,؛ \n\"»”":
        end -= 1
    if len(doc.text[start:end].split()) < 3:
        return None
    return start, end


_INSERT = re.compile(r"\s*[،,][^،,.\n\"«]{1,60}[،,]"
                     r"|\s*(?:في|ضمن)\s+(?:بيان|بلاغ|تصريح|تصريحات|حديث|ندوة)[^،,.\n\"«]{0,40}?"
                     r"(?=\s+(?:ب|و)?(?:أن|إن)\b)")


def _skip_parenthetical(doc: Document, start: int) -> int:
    """Past "، في بيان لها،" or " في بيان ": an inserted phrase after the speaker."""
    m = _INSERT.match(doc.text[start:start + 80])
    if m and not _LEADS_IN.match(doc.text[start:start + 12]):
        return start + m.end()
    return start
