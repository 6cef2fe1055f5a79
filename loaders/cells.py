"""Cells: cell words with their modifiers, names, ordinals and counts, and which mentions
are one cell."""
from __future__ import annotations

import re
from functools import lru_cache

from ctkg.graph.ids import slug
from ctkg.loaders.cues import Lexicon
from ctkg.loaders.pipeline import Document, Mention, Token
from ctkg.loaders.pipeline import PUNCT_BREAK, QUOTES, LocalEntity, between
from ctkg.loaders.tokens import fold, quotes_left_open

# -- cells -----------------------------------------------------------------------------
def cells(doc: Document, lex: Lexicon, cues: list[Mention],
          entities: list[Mention]) -> list[LocalEntity]:
    generic = [(c.start, c.end) for c in cues if c.kind == "cue:generic_cell"]
    ordinals = {c.first_token: c for c in cues if c.kind == "cue:ordinals"}
    new_cell = {c.first_token for c in cues if c.kind == "cue:new_cell"}
    background = [c for c in cues if c.kind == "cue:background"]
    entity_tokens = {i for e in entities for i in range(e.first_token, e.last_token + 1)}
    acts = {i for c in cues if c.kind in ("cue:arrest", "cue:dismantled_by")
            for i in range(c.first_token, c.last_token + 1)}
    found: list[LocalEntity] = []
    sizes: dict[int, int] = {}  # cell -> the count of its composition ("خلية من ستة أفراد")
    current: LocalEntity | None = None
    for tok in doc.tokens:
        found_head = _cell_head(tok, lex)
        if found_head is None or any(a <= tok.start < b for a, b in generic) or \
                tok.index in entity_tokens:
            continue  # "جماعة نصرة الإسلام والمسلمين" is an organisation's name
        head, definite = found_head
        if _is_background(doc, tok, background, lex, acts):
            continue
        first_tok = tok
        while lex.modifiers_before and first_tok.index > 0 and \
                doc.tokens[first_tok.index - 1].sentence == tok.sentence and \
                _is_modifier(doc.tokens[first_tok.index - 1], lex.cell_modifiers) and \
                not PUNCT_BREAK.search(between(doc, doc.tokens[first_tok.index - 1].end,
                                               first_tok.start)):
            first_tok = doc.tokens[first_tok.index - 1]  # "a terrorist cell"
        before = doc.tokens[first_tok.index - 1] if first_tok.index > 0 else None
        definite = definite or (before is not None and before.norm in lex.determiners)
        end_tok = tok
        nxt = tok.index + 1
        while nxt < len(doc.tokens) and doc.tokens[nxt].sentence == tok.sentence and \
                _is_modifier(doc.tokens[nxt], lex.cell_modifiers) and \
                not PUNCT_BREAK.search(between(doc, end_tok.end, doc.tokens[nxt].start)):
            end_tok = doc.tokens[nxt]
            nxt += 1
        composed = _composition(doc, lex, end_tok)
        qualified = end_tok is not tok or first_tok is not tok or composed is not None or \
            _purpose_after(doc, lex, end_tok) or \
            (not _is_group_word(tok, lex) and _organisation_after(doc, end_tok, entities))
        if head in lex.weak_cell_heads and not qualified and not (definite and current):
            continue  # "شبكة" alone: a network of roads, of the internet...
        if current is None and _is_group_word(tok, lex) and composed is None and \
                (definite or _genitive(doc, lex, first_tok)):
            continue  # "du groupe jihadiste", "remnants of a terrorist group": an organisation
        if definite and head in (v[2:] for v in tok.variants if v.startswith("ال")):
            head = "ال" + head
        start = _strip_proclitic(doc, tok, head) if first_tok is tok else first_tok.start
        last_tok = composed[0] if composed is not None else end_tok
        mention = Mention("Cell", start, last_tok.end, doc.text[start:last_tok.end],
                          tok.sentence, first_tok.index, last_tok.index)
        name = _cell_name(doc, end_tok, entities, definite, lex)
        ordinal = ordinals.get(end_tok.index + 1) or ordinals.get(tok.index + 1) or \
            ordinals.get(first_tok.index - 1)  # "الخلية الأولى", "the second cell"
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
        elif end_tok.index + 1 in new_cell or current is None or \
                (first_tok.index - 1 in new_cell and not PUNCT_BREAK.search(
                    between(doc, doc.tokens[first_tok.index - 1].end, first_tok.start))):
            target = None  # "une autre cellule"; not "مرة أخرى، فالخلية"
        elif not definite and composed is not None and composed[1] is not None and \
                sizes.get(id(current)) not in (None, composed[1]):
            target = None  # "une cellule de quatre frères ... un groupe de six extrémistes"
        else:
            target = current
        if target is None:
            target = LocalEntity(f"cell{len(found) + 1}", "Cell", name or mention.text)
            if name:
                target.props["named"] = True
            found.append(target)
        target.mentions.append(mention)
        if composed is not None and composed[1] is not None:
            sizes.setdefault(id(target), composed[1])
        current = target
    if not any(c.mentions for c in found):
        group = _group_not_called_cell(doc, lex, cues, entities)
        if group is not None:
            found = [group]
    for cell in found:
        if not cell.mentions:
            continue
        cell.props.update(_counts(doc, lex, cell, cues))
    return [c for c in found if c.mentions]


# Cues that make a counted group of people a group of plotters ("four suspects were arrested").
_PLOT_CUES = ("cue:arrest", "cue:dismantled_by", "cue:affiliated_with", "cue:directed_by",
              "cue:incident_kinds",
              "cue:targeted")


def _group_not_called_cell(doc: Document, lex: Lexicon, cues: list[Mention],
                           entities: list[Mention]) -> LocalEntity | None:
    """An article that never says "cell" may still report one (annotation conventions):
    the first counted group of people in a sentence about arrests, allegiance, direction or
    targets ("أربعة متطرفين", "quatre individus", "four suspected IS members") is the
    cell, and later definite references ("the suspects", "les individus", "العناصر") are
    its mentions, as are later definite cell words ("the group", "This network")."""
    plot = {c.sentence for c in cues if c.kind in _PLOT_CUES}
    entity_tokens = {i for e in entities for i in range(e.first_token, e.last_token + 1)}
    background = [c for c in cues if c.kind == "cue:background"]
    cell = None
    for tok in doc.tokens:
        if cell is None:
            if tok.sentence not in plot or _is_background(doc, tok, background, lex):
                continue
            if _number(tok, None, lex) is not None:
                first, last = tok, _member_noun_after(doc, lex, tok)
            else:
                first, last = tok, _number_after_noun(doc, lex, tok) or \
                    _modifier_after_noun(doc, lex, tok)
            if last is None:
                continue
            mention = Mention("Cell", first.start, last.end, doc.text[first.start:last.end],
                              tok.sentence, first.index, last.index)
            cell = LocalEntity("cell1", "Cell", mention.text, props={"unnamed_group": True})
            cell.mentions.append(mention)
        elif tok.sentence > cell.mentions[0].sentence and tok.index not in entity_tokens and \
                (_definite_member(tok, lex, doc) or _definite_head(doc, lex, tok)):
            cell.mentions.append(Mention("Cell", tok.start, tok.end, _token_text(doc, tok),
                                         tok.sentence, tok.index, tok.index))
    return cell


def _member_noun_after(doc: Document, lex: Lexicon, number: Token) -> Token | None:
    """The member noun of a count, right after it or after up to three modifiers ("four
    suspected Islamic State members"), in the same clause."""
    for k in range(number.index + 1, min(number.index + 5, len(doc.tokens))):
        tok = doc.tokens[k]
        if tok.sentence != number.sentence or \
                PUNCT_BREAK.search(between(doc, doc.tokens[k - 1].end, tok.start)) and \
                not _bracketed_digits(doc, k):
            return None
        if any(v in lex.member_nouns for v in tok.variants):
            return tok
    return None


def _bracketed_digits(doc: Document, k: int) -> bool:
    """Token k is the digits a number word is repeated in, or the word after them:
    "trois (03) éléments", "ثلاثة (3) عناصر" (Algerian communiqués write every count so)."""
    def gap(i: int) -> str:
        return between(doc, doc.tokens[i - 1].end, doc.tokens[i].start).strip()

    if gap(k) == "(":
        return doc.tokens[k].norm.isdigit()
    return gap(k) == ")" and doc.tokens[k - 1].norm.isdigit() and gap(k - 1) == "("


def _number_after_noun(doc: Document, lex: Lexicon, noun: Token) -> Token | None:
    """"إرهابيين اثنين": a member noun counted by the number that follows it."""
    k = noun.index + 1
    if not any(v in lex.member_nouns for v in noun.variants) or k >= len(doc.tokens) or \
            doc.tokens[k].sentence != noun.sentence or \
            PUNCT_BREAK.search(between(doc, noun.end, doc.tokens[k].start)):
        return None
    return doc.tokens[k] if _number(doc.tokens[k], None, lex) is not None else None


def _modifier_after_noun(doc: Document, lex: Lexicon, noun: Token) -> Token | None:
    """"عناصر تكفيرية", "éléments terroristes": an indefinite member noun and a cell
    modifier after it (where modifiers follow their noun)."""
    k = noun.index + 1
    if lex.modifiers_before or noun.norm.startswith("ال") or k >= len(doc.tokens) or \
            noun.norm not in lex.member_nouns or doc.tokens[k].sentence != noun.sentence or \
            PUNCT_BREAK.search(between(doc, noun.end, doc.tokens[k].start)):
        return None
    return doc.tokens[k] if doc.tokens[k].norm in lex.cell_modifiers else None


def _definite_member(tok: Token, lex: Lexicon, doc: Document) -> bool:
    """"the suspects", "les individus", "هذه العناصر", "المتطرفين": a group named before."""
    if any(v.startswith("ال") and v[2:] in lex.member_nouns for v in tok.variants):
        return True
    if not any(v in lex.member_nouns for v in tok.variants):
        return False
    k = tok.index - 1
    if k > 0 and _number(doc.tokens[k], None, lex) is not None:
        k -= 1  # "Les trois suspects", "ces cinq hommes"
    before = doc.tokens[k] if k >= 0 else None
    return before is not None and before.sentence == tok.sentence and \
        fold(before.norm) in lex.determiners


def _definite_head(doc: Document, lex: Lexicon, tok: Token) -> bool:
    """"the group", "This network", "الشبكة", "la cellule": a cell word that points back."""
    found = _cell_head(tok, lex)
    if found is None:
        return False
    before = doc.tokens[tok.index - 1] if tok.index > 0 else None
    return found[1] or (before is not None and before.sentence == tok.sentence and
                        fold(before.norm) in lex.determiners)


def _genitive(doc: Document, lex: Lexicon, first_tok: Token) -> bool:
    """"of a terrorist group", "du groupe": a preposition, perhaps an article, right before."""
    k = first_tok.index - 1
    if k >= 0 and doc.tokens[k].norm in lex.function_words and \
            doc.tokens[k].norm not in lex.title_prepositions:
        k -= 1
    return k >= 0 and doc.tokens[k].sentence == first_tok.sentence and \
        doc.tokens[k].norm in lex.title_prepositions


def _is_group_word(tok: Token, lex: Lexicon) -> bool:
    """"group", "groupe", "جماعة": heads that also name an organisation ("the group")."""
    return any(v in lex.group_words or (v.startswith("ال") and v[2:] in lex.group_words)
               for v in tok.variants)


def _purpose_words(lex: Lexicon) -> frozenset[str]:
    """Network purposes by their last word: "de soutien" -> "soutien", "d'acheminement"."""
    return _last_words(frozenset(lex.network_purposes))


@lru_cache(maxsize=None)
def _last_words(phrases: frozenset[str]) -> frozenset[str]:
    """(Once per lexicon: each possible cell word asks.)"""
    return frozenset(re.split(r"[\s'’]+", w)[-1] for w in phrases)


def _purpose_after(doc: Document, lex: Lexicon, end_tok: Token) -> bool:
    """"réseau de soutien", "a network that supplied fuel", "شبكة منظمة لتزويد": a purpose
    word within three words of the head, in the same clause."""
    words = _purpose_words(lex)
    prev = end_tok
    for k in range(end_tok.index + 1, min(end_tok.index + 4, len(doc.tokens))):
        tok = doc.tokens[k]
        if tok.sentence != end_tok.sentence or \
                PUNCT_BREAK.search(between(doc, prev.end, tok.start)):
            return False
        if any(v in words or _elided(v) in words for v in tok.variants):
            return True
        prev = tok
    return False


def _elided(word: str) -> str:
    """"d'informateurs" -> "informateurs": a French elided preposition or article."""
    parts = re.split(r"['’]", word, maxsplit=1)
    return parts[1] if len(parts) == 2 and len(parts[0]) == 1 else word


# How far after a network word an organisation qualifies it ("a network that sent money to
# Islamic State fighters", "شبكة حولت أموالا لفائدة داعش").
_ORG_WINDOW = 16


def _organisation_after(doc: Document, end_tok: Token, entities: list[Mention]) -> bool:
    return any(e.kind == "Organisation" and e.sentence == end_tok.sentence and
               0 < e.first_token - end_tok.index <= _ORG_WINDOW for e in entities)


def _composition(doc: Document, lex: Lexicon, end_tok: Token) -> tuple[Token, int | None] | None:
    """"a group of seven takfiri elements", "شبكة من خمسة شبان", "cellule de quatre frères",
    "a network of informants": the head, a preposition, an optional count, up to two
    modifiers, and a member noun. Returns the member noun and the count."""
    k = end_tok.index + 1
    toks = doc.tokens
    if k >= len(toks) or toks[k].sentence != end_tok.sentence or \
            PUNCT_BREAK.search(between(doc, end_tok.end, toks[k].start)):
        return None
    if _elided(toks[k].norm) in lex.member_nouns:
        return toks[k], None  # "réseau d'informateurs"
    if toks[k].norm not in lex.title_prepositions:
        return None
    count = None
    for j in range(k + 1, min(k + 5, len(toks))):
        tok = toks[j]
        if tok.sentence != end_tok.sentence or \
                PUNCT_BREAK.search(between(doc, toks[j - 1].end, tok.start)):
            return None
        if any(v in lex.member_nouns for v in tok.variants):
            return tok, count
        value = _number(tok, None, lex)
        if value is not None and j == k + 1:
            count = value
        elif j - k > 3:
            return None
    return None


def _token_text(doc: Document, tok: Token) -> str:
    return doc.text[tok.start:tok.end]


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


def _is_background(doc: Document, tok: Token, background: list[Mention], lex: Lexicon,
                   acts: set[int] = frozenset()) -> bool:
    """"أكثر من 200 خلية منذ 2002": a count above ten or a history marker right before; not
    when the act itself stands between them ("had since dismantled a network")."""
    before = [t for t in doc.tokens[max(0, tok.index - 3):tok.index] if t.sentence == tok.sentence]
    for t in before:
        if t.norm.isdigit() and int(t.norm) > 10:
            return True
    return any(b.sentence == tok.sentence and 0 <= tok.index - b.last_token <= 3 and
               not acts.intersection(range(b.last_token + 1, tok.index))
               for b in background)


def _cell_name(doc: Document, end_tok: Token, entities: list[Mention], definite: bool,
               lex: Lexicon) -> str | None:
    """A quoted name: after a naming word (خلية تطلق على نفسها اسم «...»), or right after
    an indefinite cell word when short (خلية «أسود الخلافة»). "الخلية "كانوا..."" is a quote."""
    window = doc.text[end_tok.end:end_tok.end + 60]
    m = QUOTES.search(window)
    if not m or quotes_left_open(doc.text[doc.sentences[end_tok.sentence].start:end_tok.end]):
        return None  # (the cell words quoted: 'تفكيك "خلية إرهابية" مرتبطة بـ"داعش"')
    gap = window[:m.start()]
    name = next(g for g in m.groups() if g).strip()
    if re.search(r"[.،,؛:]", gap) or len(gap.split()) > 4:
        return None
    naming = any(w in fold(gap) for w in lex.naming_words)
    if not naming and (definite or gap.strip() or len(name.split()) > 5):
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


_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


@lru_cache(maxsize=1 << 14)
def _numeral(norm: str) -> int | None:
    """A number written in digits (Western or Arabic-Indic); read once per word."""
    digits = norm.translate(_DIGITS)
    return int(digits) if digits.isdigit() else None


def _number(tok: Token, nxt: Token | None, lex: Lexicon) -> int | None:
    value = _numeral(tok.norm)
    if value is not None:
        return value
    for v in tok.variants:
        if v in lex.numbers:
            return lex.numbers[v]
    return None


