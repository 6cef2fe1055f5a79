"""Named entities from the gazetteer: organisations, agencies, places; national bodies
("وزارة الداخلية الإسبانية"); the kingdom; organisation anaphora for relations."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from types import SimpleNamespace

from ctkg.graph.ids import make_id
from ctkg.loaders.cues import Lexicon, word_set
from ctkg.loaders.frame import heading_to
from ctkg.loaders.pipeline import Document, Mention
from ctkg.loaders.gazetteer import SPECIFICITY, Entry, Gazetteer
from ctkg.loaders.phrases import Phrases
from ctkg.loaders.places import SITUATION_CUES, place_names
from ctkg.loaders.tokens import fold
from ctkg.loaders.vocab import cues as load_cues, load_vocab

# Countries whose articles call them "the Kingdom" (المملكة, le Royaume).
KINGDOMS = {"MA", "ES", "SA", "JO", "BE", "GB", "NL", "SE", "NO", "DK", "BH", "TH"}

# -- gazetteer entities ----------------------------------------------------------------
def gazetteer_mentions(doc: Document, gaz: Gazetteer, lex: Lexicon,
                       cues: list[Mention] = ()) -> list[Mention]:
    found = _outside_media_names(cues, doc.find(gaz.matcher, "entity"))
    countries, places = Counter(), Counter()
    bound_for = _destinations(doc, lex, found)
    for refs, m in found:
        codes = {r.country for r in refs if r.country}
        if len(codes) == 1 and m.start not in bound_for:
            code = codes.pop()
            countries[code] += 1
            if all(r.label == "Region" for r in refs):
                places[code] += 1
    main_country = countries.most_common(1)[0][0] if countries else None
    nationals = _nationality_counts(doc, lex)
    resolved = [(_located(gaz, _resolve(doc, lex, refs, m, main_country, countries, gaz, places,
                                        nationals), main_country), m) for refs, m in found]
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
    out: list[Mention] = []
    for entry, m in resolved:
        if entry is None or entry.label == "Region" and _simile_clitic(doc, m):
            continue
        if fold(m.text) in _folded(entry.context_required) and entry.id not in plain:
            if not _group_word_before(doc, m, lex) and not _listed_after_place(doc, m, out) \
                    and not _country_in_article(entry, places) \
                    and not _between_countries(doc, entry, m, found):
                continue
            if entry.label == "Region" and entry.country and \
                    not _country_fits(doc, entry, m, found, main_country):
                continue  # "بغابة بني صالح بولاية الطارف" is no Moroccan commune
        m.kind, m.ref = entry.label, entry
        out.append(m)
    return _compass_regions(doc, lex, gaz, out)


def _outside_media_names(cues: list[Mention], found: list) -> list:
    """"وكالة المغرب العربي للأنباء", "Agence France-Presse", "Tunis Afrique Presse": a news
    outlet quoted as a source (a `media_names` cue) names no place (nor agency): what the
    gazetteer reads inside its name is dropped, and does not count for the article's country."""
    outlets = [c for c in cues if c.kind == "cue:media_names"]
    if not outlets:
        return found
    return [(refs, m) for refs, m in found
            if not any(o.start <= m.start and m.end <= o.end for o in outlets)]


def _destinations(doc: Document, lex: Lexicon, found: list) -> set[int]:
    """Starts of the places someone was only heading to ("voulait rejoindre la Syrie"): they
    do not tell what country the article is about."""
    by_sentence: dict[int, list[Mention]] = {}
    for refs, m in found:
        label = refs[0].label
        if label in ("Region", "Organisation"):  # what heading_to passes over in a list
            by_sentence.setdefault(m.sentence, []).append(Mention(
                label, m.start, m.end, m.text, m.sentence, m.first_token, m.last_token))
    view = SimpleNamespace(doc=doc, lexicon=lex,
                           entities_in=lambda k: by_sentence.get(k, []))
    return {m.start for refs, m in found
            if all(r.label == "Region" for r in refs) and heading_to(view, m)}


def _nationality_counts(doc: Document, lex: Lexicon) -> Counter:
    """Countries named by nationality adjectives ("un Français", "الأمن الجزائري")."""
    return Counter(code for tok in doc.tokens if (code := _nationality(lex, tok)))


def _home_rank(lang: str, code: str | None) -> int:
    """Where context says nothing, a body shared by several countries is that of the country
    the language's reporting is most often about (`home_countries`: FR for French)."""
    home = _home_countries(lang)
    return home.index(code) if code in home else len(home)


@lru_cache(maxsize=None)
def _home_countries(lang: str) -> tuple[str, ...]:
    return tuple(str(c) for c in load_cues(lang).get("home_countries") or ())


def _compass_regions(doc: Document, lex: Lexicon, gaz: Gazetteer,
                     found: list[Mention]) -> list[Mention]:
    """"شمال مالي" (a compass word before a country) and "الجنوب الليبي" (with "ال", before a
    nationality adjective) name a part of the country: Northern Mali, Southern Libya."""
    words = _directions(lex.lang)
    if not words:
        return found
    out = []
    # "منطقة تمبكتو شمال مالي" only locates Timbuktu: no compass region right after a place
    after_place = {m.last_token + 1 for m in found if m.kind == "Region"
                   and not doc.text[m.end:m.end + 1].strip()}
    for m in found:
        prev = doc.tokens[m.first_token - 1] if m.first_token > 0 else None
        word = _compass_word(prev, words, definite=False) if prev is not None and \
            m.kind == "Region" and m.ref.kind == "country" and prev.sentence == m.sentence \
            and not doc.text[prev.end:m.start].strip() and prev.index not in after_place \
            else None
        if word is None:
            out.append(m)
            continue
        start = prev.end - len(word)
        out.append(Mention("Region", start, m.end, doc.text[start:m.end], m.sentence,
                           prev.index, m.last_token,
                           _compass_entry(gaz, words[fold(word)], m.ref.country)))
    taken = {i for m in out for i in range(m.first_token, m.last_token + 1)}
    for tok, adj in zip(doc.tokens, doc.tokens[1:]):
        word = _compass_word(tok, words, definite=True)
        code = _nationality(lex, adj) if word else None
        if code is None or tok.index in taken or adj.index in taken or \
                adj.sentence != tok.sentence or doc.text[tok.end:adj.start].strip():
            continue
        start = tok.end - len(word)
        out.append(Mention("Region", start, adj.end, doc.text[start:adj.end], tok.sentence,
                           tok.index, adj.index,
                           _compass_entry(gaz, words[fold(word[2:])], code)))
    return sorted(out, key=lambda m: m.start)


def _compass_word(tok, words: dict, definite: bool) -> str | None:
    """The compass word a token is (after its clitics), as written in the text."""
    for v in tok.variants:
        bare = v[2:] if definite and v.startswith("ال") else None if definite else v
        if bare in words:
            return v
    return None


def _compass_entry(gaz: Gazetteer, direction: str, code: str) -> Entry:
    country = gaz.get(f"region:{code.lower()}")
    entry_id = make_id("region", f"{code}-{direction}")
    entry = gaz.entries.get(entry_id)
    if entry is None:
        entry = Entry(entry_id, "Region", f"{direction} {country.name if country else code}",
                      {"kind": "region", "country": code}, parents=[f"region:{code.lower()}"])
        gaz.entries[entry_id] = entry
    return entry


@lru_cache(maxsize=None)
def _directions(lang: str) -> dict[str, str]:
    data = load_vocab("regions")
    words = ((data.get("directions") or {}).get(lang) or {}) if isinstance(data, dict) else {}
    return {fold(k): v for k, v in words.items()}


def _simile_clitic(doc: Document, m: Mention) -> bool:
    """"كمينا" (an ambush), "كنيس" (a synagogue): a place name read after stripping "ك"
    ("like") from a word is almost always another word; "كالمغرب" keeps its article."""
    tok = doc.tokens[m.first_token]
    head = doc.text[tok.start:m.start]
    return bool(head) and head[-1] == "ك" and not fold(m.text).startswith("ال")


def _between_countries(doc: Document, entry: Entry, m: Mention, found: list) -> bool:
    """"المثلث الحدودي بين النيجر ومالي": a generic place name followed by "بين" and a
    country is that place."""
    k = m.last_token + 1
    if entry.label != "Region" or k + 1 >= len(doc.tokens) or doc.tokens[k].norm != "بين":
        return False
    return any(o.first_token == k + 1 and any(r.kind == "country" for r in refs)
               for refs, o in found)


def _country_fits(doc: Document, entry: Entry, m: Mention, found: list,
                  main_country: str | None) -> bool:
    """A small place read from its place word belongs to the country of the other places of
    its sentence, else to the article's main country."""
    near = {r.country for refs, o in found if o.sentence == m.sentence and o is not m
            for r in refs if r.label == "Region" and r.country}
    return entry.country in near if near else entry.country == main_country


def _country_in_article(entry: Entry, places: Counter) -> bool:
    """"the National Court", "CNI" need context: an agency's short name counts in an article
    that names a place of its country ("Spain's National Court")."""
    return entry.label == "Agency" and entry.country is not None and \
        places.get(entry.country, 0) > 0


def _located(gaz: Gazetteer, entry: Entry | None, main_country: str | None) -> Entry | None:
    """A generic body of the vocabulary ("le juge d'instruction", "قاضي التحقيق", "the General
    Staff") is that of the article's country: "Investigating judge (Belgium)"."""
    if entry is None or not entry.generic or main_country is None:
        return entry
    return _national_entry(gaz, entry.kind, entry.name, main_country, None)


def _listed_after_place(doc: Document, m: Mention, before: list[Mention]) -> bool:
    """"ببلديات باب الوادي والحراش": a place joined by "و" to the place just before it."""
    tok = doc.tokens[m.first_token]
    if not tok.norm.startswith("و") or not before or before[-1].kind != "Region":
        return False
    return before[-1].last_token == m.first_token - 1


def national_agencies(doc: Document, gaz: Gazetteer, lex: Lexicon,
                      entities: list[Mention]) -> list[Mention]:
    """A body with a nationality adjective takes that country's body ("وزارة الداخلية
    الإسبانية", "les autorités espagnoles", "the Spanish authorities"); a generic one becomes
    specific ("الجيش النيجيري" -> the Nigerian army, from the vocabulary or named after the
    country). Generic but located bodies are agencies of their own (annotation conventions)."""
    out = []
    for refs, m in doc.find(lex.generic_agencies, "Agency"):
        adj = _nationality_token(doc, lex, m)
        if adj is None:
            continue
        code = _nationality(lex, adj)
        existing = next((e for e in entities if e.first_token <= m.first_token <= e.last_token),
                        None)
        if existing is not None and existing.kind != "Agency":
            continue
        if any(e.first_token <= adj.index <= e.last_token for e in entities if e is not existing):
            continue  # the adjective belongs to another name
        kind, english = refs[0][1]
        if existing is not None:
            if existing.ref.country == code and \
                    existing.first_token <= adj.index <= existing.last_token:
                continue
            m = existing
        if existing is not None and existing.ref.country == code:
            entry = existing.ref  # "services de sécurité" (of the article's country) + "français"
        else:
            entry = _national_entry(gaz, kind, english, code, m.ref if existing else None)
        first, last = (adj, doc.tokens[m.last_token]) if adj.index < m.first_token else \
            (doc.tokens[m.first_token], adj)
        start = min(first.start, m.start)
        end = max(last.end, m.end)
        mention = Mention("Agency", start, end, doc.text[start:end], m.sentence, first.index,
                          last.index, entry)
        out.append(mention)
    replaced = {m.first_token for m in out} | {m.last_token for m in out}
    return [e for e in entities
            if e.first_token not in replaced and e.last_token not in replaced] + out


def _nationality_token(doc: Document, lex: Lexicon, m: Mention):
    """The nationality adjective of a body: right after it ("السلطات الإسبانية", "les
    autorités espagnoles"), or right before it where modifiers come first ("Spanish police")."""
    k = m.first_token - 1 if lex.modifiers_before else m.last_token + 1
    if not 0 <= k < len(doc.tokens) or doc.tokens[k].sentence != m.sentence:
        return None
    tok = doc.tokens[k]
    return tok if _nationality(lex, tok) else None


def _nationality(lex: Lexicon, tok) -> str | None:
    for v in tok.variants:  # (a plain loop: this runs for every word of the article)
        if v in lex.nationalities:
            return lex.nationalities[v]
    return None


def _national_entry(gaz: Gazetteer, kind: str, english: str, code: str,
                    current: Entry | None) -> Entry:
    """The vocabulary's body of that kind in that country, else a generic one."""
    agencies = gaz.agencies_of(code)
    same_name = [e for e in agencies
                 if current is not None and set(current.aliases) & set(e.aliases)]
    if same_name:
        return same_name[0]
    of_kind = [e for e in agencies if e.kind == kind and english.lower() in e.name.lower()]
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


def locality_mentions(doc: Document, lex: Lexicon, gaz: Gazetteer,
                      entities: list[Mention], cues: list[Mention]) -> list[Mention]:
    """A place no gazetteer knows, named after a locality word ("بدوار الخلايفية التابع
    لجماعة ..."): a Region of kind locality, part of the next known place in the sentence, else
    of the article's country. In French and English, capitalised names (see place_names)."""
    if lex.cased:
        return place_names(doc, lex, gaz, entities, cues)
    taken = {i for e in entities for i in range(e.first_token, e.last_token + 1)}
    countries = Counter(m.ref.country for m in entities if m.ref.country)
    out, seen = [], set()
    for tok in doc.tokens:
        dual = _is_dual(lex, tok)
        if not dual and (lex.locality_words.isdisjoint(tok.variants) or
                         tok.index + 1 in taken):
            continue
        names = []
        for nxt in doc.tokens[tok.index + 1:tok.index + 4]:
            gap = doc.text[(doc.tokens[names[-1]] if names else tok).end:nxt.start]
            if nxt.sentence != tok.sentence or nxt.index in taken or re.search(r"[^\s]", gap) \
                    or nxt.norm in lex.function_words or nxt.norm.isdigit() \
                    or any(v in lex.locality_adjectives or v in lex.place_words
                           for v in nxt.variants):
                break
            names.append(nxt.index)
        second = None
        if dual:
            names, second = _dual_pair(doc, lex, tok, names, taken)
        # "بحي النور كمية من ...": a name met before in the article is that place
        names = next((names[:k] for k in range(1, len(names))
                      if fold(doc.text[doc.tokens[names[0]].start:doc.tokens[names[k - 1]].end])
                      in seen), names)
        for span in filter(None, (names, second)):
            m = _locality(doc, gaz, lex, tok, span, entities, countries)
            if m is not None:
                out.append(m)
                seen.add(fold(m.text))
                taken.update(range(m.first_token, m.last_token + 1))
    out += _listed_places(doc, lex, gaz, entities + out, cues, taken, countries)
    return out + _bracketed_towns(doc, lex, gaz, entities, taken)


def _list_item(doc: Document, lex: Lexicon, k: int, sentence: int,
               taken: set[int]) -> list[int]:
    """One to three name words from k, up to a mark, a known place, a function or place
    word, or the next "و"."""
    names: list[int] = []
    while k < len(doc.tokens) and len(names) < 3:
        tok = doc.tokens[k]
        gap = doc.text[doc.tokens[k - 1].end:tok.start]
        if tok.sentence != sentence or (names and re.search(r"\S", gap)) or k in taken or \
                tok.norm in lex.function_words or tok.norm.isdigit() or \
                set(tok.variants) & (lex.place_words | lex.locality_words) or \
                (names and tok.norm.startswith("و")):
            break
        names.append(k)
        k += 1
    return names


@lru_cache(maxsize=None)
def _list_openers(lang: str) -> Phrases:
    openers = Phrases()
    for phrase in word_set(lang, "place_list_openers"):
        openers.add(phrase, phrase)
    return openers


def _listed_places(doc: Document, lex: Lexicon, gaz: Gazetteer, entities: list[Mention],
                   cues: list[Mention], taken: set[int], countries: Counter) -> list[Mention]:
    """"أوقف المتهمين في كل من سيفاري ودجيني بمنطقة موبتي": the names listed after a list
    opener (joined by و or a comma, one to three words each) are places, in a sentence about
    arrests or activity; a known place among them stays what it is."""
    openers = _list_openers(lex.lang)
    situated = {c.sentence for c in cues if c.kind in SITUATION_CUES}
    out: list[Mention] = []
    for _, opener in doc.find(openers, "cue"):
        if opener.sentence not in situated:
            continue
        k = opener.last_token + 1
        while k < len(doc.tokens) and doc.tokens[k].sentence == opener.sentence and \
                (_is_dual(lex, doc.tokens[k]) or set(doc.tokens[k].variants) &
                 (lex.place_words | lex.locality_words)):
            k += 1  # "في كل من مدينتي ...": the place word before the names
        for item in range(4):  # at most four places in a list
            if k >= len(doc.tokens) or doc.tokens[k].sentence != opener.sentence:
                break
            # "X وY" closes the list; "X، وY، وZ" and "X، Y" go on
            gap = doc.text[doc.tokens[k - 1].end:doc.tokens[k].start]
            if item and not re.fullmatch(r"\s*[،,]\s*", gap) and \
                    not (doc.tokens[k].norm.startswith("و") and not gap.strip()):
                break
            last = item > 0 and not gap.strip()
            if doc.tokens[k].norm == "و":
                k += 1  # a conjunction split off as its own token
            known = next((e for e in entities if e.first_token <= k <= e.last_token), None)
            if known is not None:
                k = known.last_token + 1  # a known place of the list stays what it is
            elif k in taken:
                break
            else:
                names = _list_item(doc, lex, k, opener.sentence, taken)
                if not names:
                    break
                # (the opener's last word: a later name's glued "و" is left out)
                m = _locality(doc, gaz, lex, doc.tokens[opener.last_token], names, entities,
                              countries)
                if m is not None:
                    out.append(m)
                    taken.update(names)
                k = names[-1] + 1
            if last:
                break
    return out


def _is_dual(lex: Lexicon, tok) -> bool:
    """"حيي", "بمدينتي": the dual of a place word names two places."""
    words = (lex.locality_words, lex.place_words)  # (looked up in each: no union per token)
    for v in tok.variants:
        if v.endswith("تي") and any(v[:-2] + "ه" in w for w in words) or \
                v in lex.locality_words and v.endswith("ي") and any(v[:-1] in w for w in words):
            return True  # not "إقليمي" (regional), an adjective
    return False


def _dual_pair(doc: Document, lex: Lexicon, tok, names: list[int], taken: set[int]):
    """"حيي طلاجي وكوارا تيغي", "بمدينتي بالما دي مايوركا وإنكا": the names before and
    after the first "و" (the first may be a known place), within the sentence."""
    j = tok.index + 1
    while j < min(len(doc.tokens), tok.index + 6) and doc.tokens[j].sentence == tok.sentence:
        nxt = doc.tokens[j]
        if re.search(r"[^\s]", doc.text[doc.tokens[j - 1].end:nxt.start]):
            break
        if j > tok.index + 1 and nxt.norm.startswith("و") and len(nxt.norm) > 2:
            first = [i for i in names if i < j]
            if j in taken:
                return first, None
            second = [j]
            for k in range(j + 1, min(j + 3, len(doc.tokens))):
                after = doc.tokens[k]
                if after.sentence != tok.sentence or k in taken or \
                        re.search(r"[^\s]", doc.text[doc.tokens[k - 1].end:after.start]) or \
                        after.norm in lex.function_words or after.norm.isdigit() or \
                        set(after.variants) & (lex.place_words | lex.locality_words):
                    break
                second.append(k)
            return first, second
        j += 1
    return names, None


def _locality(doc: Document, gaz: Gazetteer, lex: Lexicon, tok, names: list[int],
              entities: list[Mention], countries: Counter) -> Mention | None:
    """The locality named by tokens `names` after the place word `tok` (a leading "و" of a
    listed second name is left out)."""
    first, last = doc.tokens[names[0]], doc.tokens[names[-1]]
    later = next((m for m in sorted(entities, key=lambda m: m.start) if m.kind == "Region"
                  and m.sentence == tok.sentence and m.start > last.end), None)
    code = (later.ref.country if later else None) or \
        (countries.most_common(1)[0][0] if countries else None)
    if code is None:
        return None
    start = first.start + (1 if first.index != tok.index + 1 and
                           doc.text[first.start] == "و" else 0)
    name = doc.text[start:last.end]
    entry_id = make_id("region", f"{code}-{name}")
    entry = gaz.entries.get(entry_id) or Entry(
        entry_id, "Region", name, {"kind": "locality", "country": code, "name_ar": name}
        if lex.lang == "ar" else {"kind": "locality", "country": code},
        parents=[later.ref.id if later else f"region:{code.lower()}"])
    gaz.entries.setdefault(entry_id, entry)
    return Mention("Region", start, last.end, name, tok.sentence, first.index,
                   last.index, entry)


def _bracketed_towns(doc: Document, lex: Lexicon, gaz: Gazetteer, entities: list[Mention],
                     taken: set[int]) -> list[Mention]:
    """"تينزولين (إقليم زاكورة)": the word before a known province in brackets is a town of
    that province."""
    out = []
    for m in entities:
        if m.kind != "Region" or m.first_token < 2:
            continue
        word = doc.tokens[m.first_token - 1]
        if not set(word.variants) & lex.province_words or \
                doc.text[doc.tokens[m.first_token - 2].end:word.start].strip() != "(":
            continue
        town = doc.tokens[m.first_token - 2]
        if town.index in taken or town.sentence != m.sentence or \
                town.norm in lex.function_words or town.norm.isdigit():
            continue
        name = doc.text[town.start:town.end]
        entry_id = make_id("region", f"{m.ref.country}-{name}")
        entry = gaz.entries.setdefault(entry_id, Entry(
            entry_id, "Region", name, {"kind": "locality", "country": m.ref.country,
                                       "name_ar": name}, parents=[m.ref.id]))
        out.append(Mention("Region", town.start, town.end, name, town.sentence, town.index,
                           town.index, entry))
        taken.add(town.index)
    return out


def _generic_name(entry: Entry) -> str:
    """"National Gendarmerie (Algeria)" -> "National Gendarmerie"."""
    return re.sub(r"\s*\([^)]*\)$", "", entry.props.get("name_en") or entry.name)


def _folded(words) -> set[str]:
    return {fold(w) for w in words}


def _group_word_before(doc: Document, m: Mention, lex: Lexicon) -> bool:
    """"تنظيم القاعدة", "جماعة الطريفية": a word that announces an organisation or a place."""
    if m.first_token == 0:
        return False
    words = lex.group_words | lex.place_words
    before = doc.tokens[m.first_token - 1]
    if lex.cased and before.norm in lex.title_prepositions | lex.determiners and \
            m.first_token > 1:
        before = doc.tokens[m.first_token - 2]  # "commune de Ras El Ain", "commune of"
    return any(v in words for v in before.variants)


def _resolve(doc: Document, lex: Lexicon, refs: list[Entry], m: Mention,
             main_country: str | None, countries: Counter,
             gaz: Gazetteer | None = None, places: Counter | None = None,
             nationals: Counter | None = None) -> Entry | None:
    ranked = countries.most_common(2)
    dominant = bool(ranked) and ranked[0][1] >= 2 and (len(ranked) == 1 or
                                                       ranked[0][1] >= 2 * ranked[1][1])
    if gaz is not None and dominant and len(refs) == 1 and refs[0].label == "Agency" and \
            refs[0].ambiguous and refs[0].country != main_country and \
            not (places or {}).get(refs[0].country) and \
            not any(_nationality(lex, t) for t in doc.tokens[m.first_token:m.last_token + 1]):
        # "الإدارة العامة للأمن الوطني" in a Mauritanian story: a name several countries
        # give their bodies, known to the vocabulary for one of them only ("ministère
        # espagnol de l'Intérieur" says whose it is).
        first = refs[0]
        return _national_entry(gaz, first.kind, _generic_name(first), main_country, first)
    if len(refs) == 1:
        return refs[0]
    # "Sahel" the region, not the Moroccan commune that needs a place word before it.
    plain = [r for r in refs if fold(m.text) not in _folded(r.context_required)]
    if plain and len(plain) < len(refs):
        refs = plain
        if len(refs) == 1:
            return refs[0]
    if all(r.label == "Agency" for r in refs) and main_country not in {r.country for r in refs}:
        # Same-named bodies ("DGSI": France's and Algeria's): the one whose country the article
        # places itself in (a place, a nationality adjective: "Paris", "un Français") ...
        evidence = countries + (nationals or Counter())
        placed = [r for r in refs
                  if (places or {}).get(r.country, 0) + (nationals or {}).get(r.country, 0)]
        if placed:
            return sorted(placed, key=lambda r: (-evidence[r.country],
                                                 _home_rank(lex.lang, r.country)))[0]
        if gaz is not None and dominant:
            # ... else "الدرك الوطني" in a Mauritanian story is Mauritania's, even if the
            # vocabulary only knows Algeria's and France's ...
            first = refs[0]
            return _national_entry(gaz, first.kind, _generic_name(first), main_country, None)
        # ... else the one of a country the article names otherwise (another of its bodies),
        # else the language's usual country ("DGSI" in French is France's).
        return sorted(refs, key=lambda r: (-evidence[r.country],
                                           _home_rank(lex.lang, r.country)))[0]
    want_province = any(v in lex.province_words for v in doc.tokens[m.first_token - 1].variants) \
        if m.first_token > 0 else False

    def rank(e: Entry):
        kind_rank = SPECIFICITY.get(e.kind or "", 0)
        if want_province:
            kind_rank = -kind_rank if e.kind in ("province", "region") else 9
        return (0 if e.country == main_country else 1, -countries.get(e.country, 0), kind_rank)

    return sorted(refs, key=rank)[0]


def kingdom_mentions(doc: Document, lex: Lexicon, cues: list[Mention], gaz: Gazetteer,
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
        if fold(c.text) not in lex.kingdom_terms or code not in KINGDOMS:
            continue  # "البلاد" is left alone: annotators name the country, not "the country"
        out.append(Mention("Region", c.start, c.end, c.text, c.sentence, c.first_token,
                           c.last_token, country))
    return out


