"""Relation extraction from cue patterns, sentence by sentence.

Each rule returns Relation objects between local keys or gazetteer entries, with the
sentence that states them and a confidence: a cue and both ends in one sentence score
higher than a cue whose cell is carried over from an earlier sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ctkg.loaders.cues import Lexicon, word_set
from ctkg.loaders.pipeline import Document, Mention
from ctkg.loaders.frame import (announcers_dropped, foreign_place, heading_to,
                                others_arrested, subjects_not_commenting)
from ctkg.loaders.gazetteer import load_gazetteer
from ctkg.loaders.links import (aimed_at, described_before, director_before, heads_agency,
                                object_organisations, relative_between)
from ctkg.loaders.phrases import Phrases
from ctkg.loaders.pipeline import LocalEntity
from ctkg.loaders.vocab import cues as load_cues

SAME_SENTENCE = 0.85
CARRIED_OVER = 0.7
CHAIN = 0.65  # inferred from another relation (a place's province or country, the operation frame)
WINDOW = 12  # tokens after a cue in which its object is looked for
PUNCT = re.compile(r"[،,.;؛:!?؟()\n]")


@dataclass(frozen=True)
class Relation:
    type: str
    source: object  # LocalEntity or gazetteer Entry
    target: object
    sentence: int
    confidence: float


class Context:
    """What the rules need: mentions per sentence, and which cell a sentence talks about."""

    def __init__(self, doc: Document, lexicon: Lexicon, cues: list[Mention],
                 entities: list[Mention], cells: list[LocalEntity], persons: list[LocalEntity],
                 statements: list[LocalEntity]) -> None:
        self.doc = doc
        self.lexicon = lexicon
        self.cues = cues
        self.entities = entities
        self.cells = cells
        self.persons = persons
        self.statements = statements
        self.person_mentions = [(p, m) for p in persons for m in p.mentions]
        self.org_anaphora: list[Mention] = []
        self.cell_mentions = sorted(((c, m) for c in cells for m in c.mentions),
                                    key=lambda cm: cm[1].start)
        # Each sentence's entity mentions, in their order: rules look up a sentence, not
        # every mention of the article (linear in the article's length).
        self._in_sentence: dict[int, list[Mention]] = {}
        for m in entities:
            self._in_sentence.setdefault(m.sentence, []).append(m)
        self._foreign: dict[int, str | None] = {}  # id(entity mention) -> foreign_place
        self._cues_of_kind: dict[str, list[Mention]] = {}
        for c in cues:
            self._cues_of_kind.setdefault(c.kind, []).append(c)

    def foreign_place(self, m: Mention) -> str | None:
        """`frame.foreign_place` of one of its entity mentions, read once (OPERATED_IN and
        its administrative chain both ask)."""
        if id(m) not in self._foreign:
            self._foreign[id(m)] = foreign_place(self, m)
        return self._foreign[id(m)]

    def entities_in(self, sentence: int) -> list[Mention]:
        """The entity mentions of one sentence, in the order of `entities`."""
        return self._in_sentence.get(sentence, [])

    def cues_of(self, category: str) -> list[Mention]:
        """The cues of a category, in their order (looked up: the rules ask again and again)."""
        return list(self._cues_of_kind.get(f"cue:{category}", ()))

    def cell_for(self, sentence: int, token: int | None = None) -> tuple[LocalEntity, float] | None:
        """The cell named in this sentence (nearest to `token`), else the last one before."""
        if not self.cells:
            return None
        here = [(c, m) for c, m in self.cell_mentions if m.sentence == sentence]
        if here:
            if token is None:
                return here[0][0], SAME_SENTENCE
            return min(here, key=lambda cm: abs(cm[1].first_token - token))[0], SAME_SENTENCE
        before = [(c, m) for c, m in self.cell_mentions if m.sentence < sentence]
        if before:
            return before[-1][0], CARRIED_OVER
        return self.cell_mentions[0][0], CARRIED_OVER

    def in_sentence(self, sentence: int, labels: tuple[str, ...]) -> list[tuple[object, Mention]]:
        """Entities (gazetteer entries and persons) of these labels mentioned in a sentence."""
        out = [(m.ref, m) for m in self.entities_in(sentence) if m.kind in labels]
        if "Organisation" in labels:
            out += [(m.ref, m) for m in self.org_anaphora if m.sentence == sentence]
        if "Person" in labels:
            out += [(p, m) for p, m in self.person_mentions if m.sentence == sentence]
        return sorted(out, key=lambda em: em[1].first_token)

    def after(self, cue: Mention, labels: tuple[str, ...], window: int = WINDOW):
        return [(e, m) for e, m in self.in_sentence(cue.sentence, labels)
                if 0 <= m.first_token - cue.last_token <= window]

    def before(self, cue: Mention, labels: tuple[str, ...], window: int = WINDOW):
        return [(e, m) for e, m in self.in_sentence(cue.sentence, labels)
                if 0 <= cue.first_token - m.last_token <= window]


def directed_by(ctx: Context) -> list[Relation]:
    out = []
    for cue in ctx.cues_of("directed_by"):
        cell = ctx.cell_for(cue.sentence, cue.first_token)
        if cell is None:
            continue
        targets = ctx.after(cue, ("Organisation", "Person", "Agency"))
        if targets and targets[0][1].kind == "Agency":
            continue  # "تحت إشراف النيابة العامة": supervision, not direction
        confidence = cell[1]
        if targets:
            # A person after a relative clause ("كتيبة ماسينا التي يتزعمها X") leads the
            # group; he is not the one who gave the orders.
            person = next((e for e, m in targets if m.kind == "Person"
                           and not _relative_between(ctx, cue.last_token, m.first_token)), None)
            orgs = object_organisations(ctx, targets)
        else:
            person, orgs = director_before(ctx, cue)
            confidence = min(confidence, CARRIED_OVER)
        for target in (person, *orgs):
            if target is not None:
                out.append(Relation("DIRECTED_BY", cell[0], target, cue.sentence, confidence))
        if person is not None and orgs:
            out.append(Relation("AFFILIATED_WITH", person, orgs[0], cue.sentence,
                                SAME_SENTENCE))
    return out


def _relative_between(ctx: Context, a: int, b: int) -> bool:
    return relative_between(ctx, a, b)


def affiliated_with(ctx: Context) -> list[Relation]:
    out = []
    for cue in ctx.cues_of("affiliated_with"):
        orgs = ctx.after(cue, ("Organisation",), window=6)
        if not orgs or _subject_is_organisation(ctx, cue):
            continue
        org = orgs[0][0]
        people = ctx.before(cue, ("Person",), window=8)
        cells_here = [m for c, m in ctx.cell_mentions if m.sentence == cue.sentence
                      and m.first_token <= cue.first_token]
        if people and (not cells_here or cells_here[-1].first_token < people[-1][1].first_token):
            out.append(Relation("AFFILIATED_WITH", people[-1][0], org, cue.sentence,
                                SAME_SENTENCE))
            continue
        cell = ctx.cell_for(cue.sentence, cue.first_token)
        if cell is not None:
            out.append(Relation("AFFILIATED_WITH", cell[0], org, cue.sentence, cell[1]))
    return out


def membership(ctx: Context) -> list[Relation]:
    """A named person and a membership word with a group right after it, near each other in
    a sentence: "أحد قياديي الكتيبة يدعى X", "X، القيادي في تنظيم Y" -> X AFFILIATED_WITH."""
    out = []
    for cue in ctx.cues_of("membership"):
        groups = ctx.after(cue, ("Organisation",), window=4)
        if not groups:
            continue
        near = [(p, m) for p, m in ctx.person_mentions if m.sentence == cue.sentence and
                (0 < cue.first_token - m.last_token <= 6 or 0 < m.first_token - cue.last_token <= 6)]
        if near:
            person = min(near, key=lambda pm: min(abs(cue.first_token - pm[1].last_token),
                                                  abs(pm[1].first_token - cue.last_token)))[0]
            out.append(Relation("AFFILIATED_WITH", person, groups[0][0], cue.sentence,
                                CARRIED_OVER))
    return out


def _subject_is_organisation(ctx: Context, cue: Mention) -> bool:
    """"نصرة الإسلام والمسلمين، فرع القاعدة التابع ...": the nearest thing before the cue is
    another organisation, so the allegiance is between groups (not annotated)."""
    before = [(m.last_token, m.kind) for _, m in
              ctx.in_sentence(cue.sentence, ("Organisation", "Person"))
              if m.last_token < cue.first_token]
    before += [(m.last_token, "Cell") for _, m in ctx.cell_mentions
               if m.sentence == cue.sentence and m.last_token < cue.first_token]
    if not before:
        return False
    last, kind = max(before)
    return kind == "Organisation" and cue.first_token - last <= 4


def leads(ctx: Context) -> list[Relation]:
    """"زعيم الخلية، المدعو X" -> X LEADS the cell; "أمير تنظيم Y X", "Y التي يقودها X" -> X
    LEADS Y. A group is the object only when it is named right after the cue (construct:
    "زعيم بوكو حرام") or right before it (antecedent of "يقودها"); otherwise the cell the
    sentence is about."""
    out = []
    for cue in ctx.cues_of("leads"):
        people = ctx.after(cue, ("Person",), window=10) or ctx.before(cue, ("Person",), window=3) \
            or described_before(ctx, cue)
        if not people or heads_agency(ctx, cue):
            continue
        person, pm = people[0]
        lo, hi = min(cue.first_token, pm.first_token), max(cue.last_token, pm.last_token)
        cell_between = [c for c, m in ctx.cell_mentions if m.sentence == cue.sentence
                        and lo - 2 <= m.first_token <= hi + 1]
        groups = [e for e, m in ctx.in_sentence(cue.sentence, ("Organisation",))
                  if 0 <= m.first_token - cue.last_token <= 3
                  or 0 <= cue.first_token - m.last_token <= 3]
        if cell_between:
            out.append(Relation("LEADS", person, cell_between[0], cue.sentence, SAME_SENTENCE))
        elif groups:
            out.append(Relation("LEADS", person, groups[0], cue.sentence, SAME_SENTENCE))
        else:
            cell = ctx.cell_for(cue.sentence, cue.first_token)
            anywhere = sorted(ctx.in_sentence(cue.sentence, ("Organisation",)),
                              key=lambda em: abs(em[1].first_token - cue.first_token))
            if cell is not None and cell[1] == SAME_SENTENCE:
                out.append(Relation("LEADS", person, cell[0], cue.sentence, CARRIED_OVER))
            elif anywhere:  # "تأسست ... ويقودها X": the group the sentence is about
                out.append(Relation("LEADS", person, anywhere[0][0], cue.sentence,
                                    CARRIED_OVER))
            elif cell is not None:  # "The alleged ringleader, ... Mehdi Trabelsi, received"
                out.append(Relation("LEADS", person, cell[0], cue.sentence, CHAIN))
    return out


def dismantled_by(ctx: Context) -> list[Relation]:
    """Agencies in a sentence about the operation (a dismantling, arrest or investigation
    cue, or the cell itself); not judicial bodies, not the agency that only gave the tip or
    is named as another body's parent, and not the one that only announces it when another
    agency in the sentence acted."""
    operation = {c.sentence for c in ctx.cues if c.kind in
                 ("cue:dismantled_by", "cue:arrest", "cue:investigation", "cue:passive_agent")}
    dismantling = {c.sentence for c in ctx.cues_of("dismantled_by")}
    cell_sentences = {m.sentence for _, m in ctx.cell_mentions}
    background = {c.sentence for c in ctx.cues if c.kind == "cue:background"}
    candidates = []
    for m in ctx.entities:
        if m.kind != "Agency" or m.sentence not in operation | cell_sentences:
            continue
        if m.ref.kind == "judicial" or (m.ref.kind in ("international", "ministry")
                                        and m.sentence not in dismantling):
            continue
        # (an agency inside a communiqué's words may well be the one that acted:
        # "وأوضح البلاغ أن وحدات الحرس الوطني تمكنت من ...")
        if _supplies_intelligence(ctx, m) or (m.sentence in background
                                              and m.sentence not in cell_sentences):
            continue  # (a tally: "have since foiled several plots", "منذ بداية العام")
        candidates.append(m)
    out, announced = [], set()
    for m in candidates:
        others_act = any(o.sentence == m.sentence and o.ref is not m.ref and not _speaks_here(ctx, o)
                         for o in candidates)
        if _speaks_here(ctx, m) and others_act:
            continue  # "وأفاد بلاغ للمديرية ... أن الدرك ..." : the announcer did not act
        cell = ctx.cell_for(m.sentence, m.first_token)
        if cell is not None:
            r = Relation("DISMANTLED_BY", cell[0], m.ref, m.sentence, cell[1])
            out.append(r)
            if _speaks_here(ctx, m):
                announced.add(id(r))
    return announcers_dropped(out + _partners(ctx), announced)


def _partners(ctx: Context) -> list[Relation]:
    """Agencies the acting one worked with: "بالتنسيق مع مصالح الجيش", "avec l'appui de la
    DGST", "with the support of Europol" -- credited with the operation, foreign and
    international partners included (not the judges or prosecutors who supervise)."""
    out = []
    for cue in _phrase_mentions(ctx, "coordination"):
        agencies = ctx.after(cue, ("Agency",), window=8)
        cell = ctx.cell_for(cue.sentence, cue.first_token)
        if not agencies or cell is None:
            continue
        # "in coordination with A, B and C": every agency of the list, up to a clause break
        last = agencies[0][1]
        for agency, m in agencies:
            if m is not last and PUNCT.search(ctx.doc.text[last.end:m.start]) and \
                    m.first_token - last.last_token > 3:
                break
            last = m
            if agency.kind != "judicial":
                out.append(Relation("DISMANTLED_BY", cell[0], agency, cue.sentence, cell[1]))
    return out


@lru_cache(maxsize=None)
def _phrase_matcher(lang: str, key: str) -> Phrases:
    matcher = Phrases(on_lemma=True)
    for phrase in load_cues(lang).get(key) or ():
        matcher.add(str(phrase), key)
    return matcher


def _phrase_mentions(ctx: Context, key: str) -> list[Mention]:
    """Mentions of a relation-specific phrase list of the grammar vocabulary."""
    found = ctx.__dict__.setdefault("_phrases", {})
    if key not in found:
        found[key] = [m for _, m in ctx.doc.find(_phrase_matcher(ctx.lexicon.lang, key), "cue")]
    return found[key]


def _supplies_intelligence(ctx: Context, m: Mention) -> bool:
    """"بناء على معلومات وفرتها المديرية": the agency gave the tip, it did not act."""
    return any(c.sentence == m.sentence and 0 <= m.first_token - c.last_token <= 4
               for c in ctx.cues_of("intel_support"))


def _speaks_here(ctx: Context, m: Mention) -> bool:
    """An agency that issues the communiqué in this sentence ("وأفاد بلاغ للمديرية")."""
    return any(s.props["speaker"] is m and s.mentions[0].sentence == m.sentence
               for s in ctx.statements)


def targeted(ctx: Context) -> list[Relation]:
    out = []
    for cue in ctx.cues_of("targeted"):
        cell = ctx.cell_for(cue.sentence, cue.first_token)
        if cell is None:
            continue
        for region, m in aimed_at(ctx, cue):
            if heading_to(ctx, m):
                continue  # "يعتزم السفر إلى سوريا": a journey, not a plot's target
            out.append(Relation("TARGETED", cell[0], region, cue.sentence, cell[1]))
    return out


def operated_in(ctx: Context) -> list[Relation]:
    """Places in sentences about the cell's activity, arrests or weapons; broad regions
    (supra-national, seas) only when the cell is said to be active there."""
    active = {c.sentence for c in ctx.cues if c.kind in (
        "cue:arrest", "cue:dismantled_by", "cue:weapons", "cue:activity")}
    cell_sentences = {m.sentence for _, m in ctx.cell_mentions}
    targeted_spans = set()
    for cue in ctx.cues_of("targeted"):
        targeted_spans |= {m.start for _, m in aimed_at(ctx, cue)}
    out = []
    for m in ctx.entities:
        if m.kind != "Region" or m.start in targeted_spans:
            continue
        if m.sentence not in active and m.sentence not in cell_sentences:
            continue
        # (a place inside a communiqué's words counts: "وأنه تم توقيف ستة منهم ببلديات ...")
        if m.ref.kind in ("supra", "sea") or not _locative(ctx, m) or ctx.foreign_place(m) \
                or others_arrested(ctx, m):
            continue  # (a court's, a contact's or smugglers' place is not the cell's)
        cell = ctx.cell_for(m.sentence, m.first_token)
        if cell is not None:
            out.append(Relation("OPERATED_IN", cell[0], m.ref, m.sentence, cell[1]))
    return out + _administrative_chain(ctx, out)


def _administrative_chain(ctx: Context, rels: list[Relation]) -> list[Relation]:
    """Every level of the chain the text writes: a cell active in a town is active in its
    province and country too, when the article names them ("Jijel ... Algeria") -- as a
    place, not only as a court's or a contact's seat."""
    written = {}
    for m in ctx.entities:
        if m.kind == "Region" and m.ref.kind not in ("supra", "sea") and \
                not ctx.foreign_place(m):
            written.setdefault(m.ref.id, m)
    gaz, out = load_gazetteer(), []
    for r in rels:
        ancestors = [a.id for a in gaz.ancestors(r.target.id)]
        ancestors += [i for i, m in written.items()
                      if m.ref.kind == "country" and m.ref.country == r.target.country]
        for a in ancestors:
            m = written.get(a)
            if m is not None and m.ref is not r.target:
                out.append(Relation("OPERATED_IN", r.source, m.ref, r.sentence,
                                    min(r.confidence, CHAIN)))
    return out


def _locative(ctx: Context, m: Mention, depth: int = 0) -> bool:
    """The place is where something happened: "بطنجة", "في ولاية باتنة", "بمدينتي طنجة
    وتطوان"; not where people came from ("من") or went ("إلى")."""
    lex, doc = ctx.lexicon, ctx.doc
    tok = doc.tokens[m.first_token]
    listed = _listed_after(ctx, m)
    if listed is not None and depth < 12:  # "à Tanger, Tétouan, M'diq et Fnideq"
        return _locative(ctx, listed, depth + 1)
    if m.start > tok.start and doc.text[tok.start:m.start].endswith("ب"):
        return True  # a locative clitic: بطنجة, وبالمغرب
    for back in range(1, 4):
        k = m.first_token - back
        if k < 0 or doc.tokens[k].sentence != m.sentence:
            return False
        prev = doc.tokens[k]
        if PUNCT.search(doc.text[prev.end:doc.tokens[k + 1].start]):
            return False
        if any(v in lex.origins for v in prev.variants[:1]):
            # "بكل من طنجة وشفشاون": "من" after "بكل" lists places, it is no origin
            return k > 0 and f"{doc.tokens[k - 1].norm} {prev.norm}" in lex.locatives
        if any(v in lex.locatives for v in prev.variants):
            return True
        # "بمدينتي طنجة وتطوان", "بين طنجة وتطوان": coordination with an earlier place
        if back == 1 and tok.norm.startswith("و") and any(
                e.last_token == k and e.kind == "Region" for e in ctx.entities_in(m.sentence)):
            return _locative(ctx, next(e for e in ctx.entities_in(m.sentence)
                                       if e.last_token == k and e.kind == "Region"), depth + 1)
    return False


def _listed_after(ctx: Context, m: Mention) -> Mention | None:
    """The place this one follows in a list ("Tanger, Tétouan et Fnideq", "Jijel and
    Skikda", "طنجة وشفشاون وجماعة باب برد"): the Region just before it, with only commas,
    joiners ("and", "et", "و") or place words ("the town of", "جماعة") in between."""
    doc, joiners = ctx.doc, word_set(ctx.lexicon.lang, "place_list_joiners")
    prev = [e for e in ctx.entities_in(m.sentence) if e.kind == "Region"
            and e.last_token < m.first_token and m.first_token - e.last_token <= 4]
    if not prev:
        return None
    p = max(prev, key=lambda e: e.last_token)
    gap = doc.tokens[p.last_token + 1:m.first_token]
    between = doc.text[p.end:m.start]
    if "\n" in between or re.search(r"[.;؛:!?؟()]", between):
        return None
    tok = doc.tokens[m.first_token]
    clitic = m.start > tok.start and doc.text[tok.start:m.start] in ("و", "وب")
    if not gap and not clitic and not re.search(r"[,،]", between):
        return None
    fillers = joiners | ctx.lexicon.locatives | ctx.lexicon.determiners
    if any(t.norm not in fillers and not (t.norm.startswith("و") and t.norm[1:] in fillers)
           for t in gap):
        return None
    return p




def _drop_countries_with_places(rels: list[Relation]) -> list[Relation]:
    """A country adds nothing when a place inside it is already named for the same cell."""
    specific = {(r.source.key, r.target.country) for r in rels if r.target.kind != "country"}
    return [r for r in rels if r.target.kind != "country" or
            (r.source.key, r.target.country) not in specific]


def commented_on(ctx: Context) -> list[Relation]:
    """A statement comments on the cell its sentence is about -- not an agency's tally or
    history ("more than forty cells dismantled since 2020", "have since foiled several plots")."""
    out = []
    background = {c.sentence for c in ctx.cues if c.kind == "cue:background"}
    cell_sentences = {m.sentence for _, m in ctx.cell_mentions}
    for stmt in ctx.statements:
        k = stmt.mentions[0].sentence
        agency = getattr(stmt.props.get("speaker"), "kind", None) == "Agency"
        if agency and k in background and k not in cell_sentences:
            continue  # (an expert's general words still comment on the case)
        cell = ctx.cell_for(k, stmt.mentions[0].first_token)  # with two cells, the nearer
        if cell is not None:
            out.append(Relation("COMMENTED_ON", stmt, cell[0], stmt.mentions[0].sentence,
                                CARRIED_OVER))
    return out


def extract_relations(ctx: Context) -> list[Relation]:
    rels = directed_by(ctx) + affiliated_with(ctx) + membership(ctx) + leads(ctx) + \
        dismantled_by(ctx)
    rels += targeted(ctx) + operated_in(ctx) + commented_on(ctx)
    rels = subjects_not_commenting(rels)
    seen, out = set(), []
    for r in rels:
        key = (r.type, id(r.source), id(r.target))
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out
