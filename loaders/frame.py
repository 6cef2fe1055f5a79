"""What a place is in its sentence: where the cell acted, or only where someone else is.

OPERATED_IN wants the places where members were arrested, lived, met or stored weapons. A
place written right after a court, a prosecutor, a research centre or an agency is that
body's seat ("the Audiencia Nacional in Madrid", "الباحث في الشؤون الأمنية بواغادوغو",
"mis en examen à Paris"); after a remote contact it is where the contact is
("intermediaries in Mali", "un cadre de l'EI installé dans la région de Ménaka", "وسيط في
شمال مالي"). Neither is where the cell operated.

Also the operation's frame for the other two relations: who only announced it (no
DISMANTLED_BY when another agency acted) and who is reported on rather than commenting.
"""
from __future__ import annotations

import re

from ctkg.loaders.cues import token_forms, word_set
from ctkg.loaders.pipeline import Mention

CLAUSE_BREAK = re.compile(r"[،,.;؛:!?؟\n]")
SENTENCE_BREAK = re.compile(r"[.;؛:!?؟\n]")  # (a clause break no apposition crosses)
SEAT_WINDOW = 6  # tokens before a place in which a seat word makes it a body's seat
# Tokens before a place in which a travel word makes it a destination (only fillers and
# named places or groups between: "rejoindre des camps d'une branche de Daech au Mali").
HEADING_WINDOW = 10
ATTACH_WINDOW = 3  # tokens between an agency and the place it locates


def _clause_before(ctx, m: Mention, n: int) -> list:
    """Up to n tokens before the mention, nearest first, stopping at a clause break (an
    apposition's comma is crossed: "devant un juge de l'Audience nationale, à Madrid")."""
    doc, lex, out = ctx.doc, ctx.lexicon, []
    k, crossed = m.first_token, False
    while len(out) < n and k > 0:
        prev = doc.tokens[k - 1]
        if prev.sentence != m.sentence:
            break
        gap = doc.text[prev.end:doc.tokens[k].start]
        if CLAUSE_BREAK.search(gap):
            fillers = lex.locatives | lex.determiners  # (only here: most gaps are spaces)
            if crossed or SENTENCE_BREAK.search(gap) or \
                    any(not (token_forms(t) & fillers) for t in out):
                break
            crossed = True
        out.append(prev)
        k -= 1
    return out


def _attached_agency(ctx, m: Mention) -> Mention | None:
    """An agency ending right before the place, with only locatives and determiners between
    ("the military authorities in Bordj Badji Mokhtar", "المحكمة الوطنية (أوديينسيا ناسيونال)
    بمدريد", "للدرك الوطني بوهران")."""
    lex = ctx.lexicon
    fillers = lex.locatives | lex.determiners

    def filler_gap(e: Mention) -> bool:
        return all(token_forms(t) & fillers or t.norm in fillers
                   for t in ctx.doc.tokens[e.last_token + 1:m.first_token])

    hits = [e for e in ctx.entities_in(m.sentence) if e.kind == "Agency"
            and e.end <= m.start and m.first_token - e.last_token <= ATTACH_WINDOW + 1
            and not CLAUSE_BREAK.search(ctx.doc.text[e.end:m.start]) and filler_gap(e)]
    return max(hits, key=lambda e: e.last_token, default=None)


def _acting(ctx, agency: Mention) -> bool:
    """"arrêtés par la DGSI à Grenoble", "dismantled by the BCIJ in Salé": the agency is
    the agent of the operation, and the place is where it acted."""
    head = agency  # "by the Central Bureau of Judicial Investigation (BCIJ) in Salé"
    while True:
        prior = [e for e in ctx.entities_in(agency.sentence) if e.kind == "Agency"
                 and 0 < head.first_token - e.last_token <= 2]
        if not prior:
            break
        head = min(prior, key=lambda e: e.first_token)
    return any(c.sentence == head.sentence and 0 <= head.first_token - c.last_token <= 2
               for c in ctx.cues if c.kind in ("cue:passive_agent", "cue:dismantled_by",
                                               "cue:arrest"))


def foreign_place(ctx, m: Mention, depth: int = 0) -> str | None:
    """"seat" when the place locates a body (court, agency, research centre, a trial venue),
    "remote" when it locates a contact, "destination" when someone was only heading there,
    else None. (Not an organisation's place: a support network is annotated where the group
    it supplies hides.)"""
    lang = ctx.lexicon.lang
    if heading_to(ctx, m):
        return "destination"
    seats, remotes = word_set(lang, "seat_words"), word_set(lang, "remote_words")
    if ctx.doc.text.startswith("-based", m.end):
        return "seat"  # "a Rabat-based policy institute"
    based = word_set(lang, "based_words")
    cells = [cm for _, cm in ctx.cell_mentions if cm.sentence == m.sentence]
    for tok in _clause_before(ctx, m, SEAT_WINDOW):
        if any(tok.index <= cm.last_token < m.first_token for cm in cells):
            break  # "أمير الخلية المقيم بطنجة": the cell's own place
        forms = token_forms(tok)
        if forms & seats:
            return "seat"
        if forms & remotes or (forms & based and not any(
                0 < tok.index - cm.last_token <= 3 for cm in cells)):
            return "remote"
    agency = _attached_agency(ctx, m)
    if agency is not None and not _acting(ctx, agency):
        return "seat"
    prev = _place_before(ctx, m)
    if prev is not None and depth < 6:  # "à Levallois-Perret, près de Paris", "Mali and Niger"
        return foreign_place(ctx, prev, depth + 1)
    return None


def heading_to(ctx, m: Mention) -> bool:
    """"حاول الالتحاق بسوريا", "voulait rejoindre la Syrie", "tried to join ISIS in Syria":
    a place after a travel word (`destination_words`), with only locatives, determiners,
    joiners, group words and the organisations or places of a list between, is where someone
    was heading -- not where the cell acted, nor what it aimed at."""
    lex = ctx.lexicon
    words = word_set(lex.lang, "destination_words")
    if not words:
        return False
    fillers = lex.words("locatives", "origins", "determiners", "group_words",
                        "place_list_joiners", "destination_fillers")
    named = {i for e in ctx.entities_in(m.sentence) if e.kind in ("Region", "Organisation")
             for i in range(e.first_token, e.last_token + 1)}
    for tok in _clause_before(ctx, m, HEADING_WINDOW):
        forms = token_forms(tok)
        if forms & words:
            return True
        if tok.index not in named and not forms & fillers and tok.norm not in fillers:
            return False
    return False


def _place_before(ctx, m: Mention) -> Mention | None:
    """The place this one qualifies or follows in a list: a Region ending at most three
    tokens before it, with only locatives, joiners and determiners (or a comma) between."""
    doc, lex = ctx.doc, ctx.lexicon
    fillers = lex.locatives | lex.determiners | word_set(lex.lang, "place_list_joiners")
    prev = [e for e in ctx.entities_in(m.sentence) if e.kind == "Region"
            and e.last_token < m.first_token and m.first_token - e.last_token <= 4]
    if not prev:
        return None
    p = max(prev, key=lambda e: e.last_token)
    if re.search(r"[.;؛:!?؟()\n]", doc.text[p.end:m.start]):
        return None
    gap = doc.tokens[p.last_token + 1:m.first_token]
    if any(not (token_forms(t) & fillers) and t.norm not in fillers for t in gap):
        return None
    return p



def others_arrested(ctx, m: Mention) -> bool:
    """"أوقفت مفارز مشتركة 14 مهربا ومنقبا عن الذهب بتمنراست", "17 smugglers were arrested in
    In Guezzam": a weekly tally's other detainees; their places are not the cell's (unless
    the sentence names the cell too)."""
    words = word_set(ctx.lexicon.lang, "other_detainees")
    if any(cm.sentence == m.sentence for _, cm in ctx.cell_mentions):
        return False
    return any(token_forms(t) & words for t in ctx.doc.sentence_tokens(m.sentence))


def announcers_dropped(rels: list, announced: set[int]) -> list:
    """DISMANTLED_BY: an agency credited only where it speaks ("the Ministry of Defence said
    in a statement", "l'état-major a annoncé le démantèlement") did not act when another
    agency is credited with the same cell; when none is, the announcer is the one that acted.
    `announced`: ids of the relations whose agency is the speaker of its sentence."""
    acted = {(id(r.source), id(r.target)) for r in rels if id(r) not in announced}
    cells = {c for c, _ in acted}
    return [r for r in rels if id(r) not in announced
            or (id(r.source), id(r.target)) in acted or id(r.source) not in cells]


def subjects_not_commenting(rels: list) -> list:
    """COMMENTED_ON: a person the article reports on (the cell's leader, its handler, a
    member of a group) is no commentator ("according to the statement, the cell's leader,
    X, had recruited ...")."""
    subjects = {id(r.source) for r in rels if r.type in ("LEADS", "AFFILIATED_WITH")}
    subjects |= {id(r.target) for r in rels if r.type == "DIRECTED_BY"}
    return [r for r in rels if r.type != "COMMENTED_ON" or
            id(getattr(r.source.props.get("speaker"), "ref", None)) not in subjects]
