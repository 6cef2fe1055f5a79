"""Cells: cell words with their modifiers, names, ordinals and counts, and which mentions
are one cell."""
from __future__ import annotations

import re

from ctkg.graph.ids import slug
from ctkg.loaders.cues import Lexicon
from ctkg.loaders.document import Document, Mention, Token
from ctkg.loaders.recognize import PUNCT_BREAK, QUOTES, LocalEntity, between
from ctkg.loaders.textnorm import fold

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
        qualified = end_tok is not tok or first_tok is not tok or (
            nxt < len(doc.tokens) and _is_modifier(doc.tokens[nxt], lex.network_purposes))
        if head in lex.weak_cell_heads and not qualified and not (definite and current):
            continue  # "شبكة" alone: a network of roads, of the internet...
        if definite and head in (v[2:] for v in tok.variants if v.startswith("ال")):
            head = "ال" + head
        start = _strip_proclitic(doc, tok, head) if first_tok is tok else first_tok.start
        mention = Mention("Cell", start, end_tok.end, doc.text[start:end_tok.end],
                          tok.sentence, first_tok.index, end_tok.index)
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
        elif end_tok.index + 1 in new_cell or first_tok.index - 1 in new_cell or current is None:
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
    if not any(c.mentions for c in found):
        group = _group_not_called_cell(doc, lex, cues)
        if group is not None:
            found = [group]
    for cell in found:
        if not cell.mentions:
            continue
        cell.props.update(_counts(doc, lex, cell, cues))
    return [c for c in found if c.mentions]


# Cues that make a counted group of people a group of plotters ("four suspects were arrested").
_PLOT_CUES = ("cue:arrest", "cue:dismantled_by", "cue:affiliated_with", "cue:directed_by",
              "cue:targeted")


def _group_not_called_cell(doc: Document, lex: Lexicon,
                           cues: list[Mention]) -> LocalEntity | None:
    """An article that never says "cell" may still report one (annotation conventions):
    the first counted group of people in a sentence about arrests, allegiance, direction or
    targets ("أربعة متطرفين", "quatre individus", "four suspected IS members") is the
    cell, and later definite references ("the suspects", "les individus", "العناصر") are
    its mentions."""
    plot = {c.sentence for c in cues if c.kind in _PLOT_CUES}
    background = [c for c in cues if c.kind == "cue:background"]
    cell = None
    for tok in doc.tokens:
        if cell is None:
            if tok.sentence not in plot or _number(tok, None, lex) is None or \
                    _is_background(doc, tok, background, lex):
                continue
            noun = _member_noun_after(doc, lex, tok)
            if noun is None:
                continue
            mention = Mention("Cell", tok.start, noun.end, doc.text[tok.start:noun.end],
                              tok.sentence, tok.index, noun.index)
            cell = LocalEntity("cell1", "Cell", mention.text, props={"unnamed_group": True})
            cell.mentions.append(mention)
        elif tok.sentence > cell.mentions[0].sentence and _definite_member(tok, lex, doc):
            cell.mentions.append(Mention("Cell", tok.start, tok.end, _token_text(doc, tok),
                                         tok.sentence, tok.index, tok.index))
    return cell


def _member_noun_after(doc: Document, lex: Lexicon, number: Token) -> Token | None:
    """The member noun of a count, right after it or after up to three modifiers ("four
    suspected Islamic State members"), in the same clause."""
    for k in range(number.index + 1, min(number.index + 5, len(doc.tokens))):
        tok = doc.tokens[k]
        if tok.sentence != number.sentence or \
                PUNCT_BREAK.search(between(doc, doc.tokens[k - 1].end, tok.start)):
            return None
        if any(v in lex.member_nouns for v in tok.variants):
            return tok
    return None


def _definite_member(tok: Token, lex: Lexicon, doc: Document) -> bool:
    """"the suspects", "les individus", "هذه العناصر", "المتطرفين": a group named before."""
    if any(v.startswith("ال") and v[2:] in lex.member_nouns for v in tok.variants):
        return True
    before = doc.tokens[tok.index - 1] if tok.index > 0 else None
    return before is not None and before.sentence == tok.sentence and \
        fold(before.norm) in lex.determiners and any(v in lex.member_nouns for v in tok.variants)


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


def _is_background(doc: Document, tok: Token, background: list[Mention], lex: Lexicon) -> bool:
    """"أكثر من 200 خلية منذ 2002": a count above ten or a history marker right before."""
    before = [t for t in doc.tokens[max(0, tok.index - 3):tok.index] if t.sentence == tok.sentence]
    for t in before:
        if t.norm.isdigit() and int(t.norm) > 10:
            return True
    return any(b.sentence == tok.sentence and 0 <= tok.index - b.last_token <= 3
               for b in background)


def _cell_name(doc: Document, end_tok: Token, entities: list[Mention], definite: bool,
               lex: Lexicon) -> str | None:
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


def _number(tok: Token, nxt: Token | None, lex: Lexicon) -> int | None:
    digits = tok.norm.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    if digits.isdigit():
        return int(digits)
    for v in tok.variants:
        if v in lex.numbers:
            return lex.numbers[v]
    return None


