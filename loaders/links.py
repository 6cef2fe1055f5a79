"""Where the object of a relation cue is when it is not right after the cue: a handler named
before "qui lui transmettait les instructions", a leader described before "présenté comme le
meneur", a target at the end of a long object. Helpers of relations.py's DIRECTED_BY, LEADS
and TARGETED rules; they read the rules' Context and return entities, not relations."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ctkg.loaders.pipeline import Mention

if TYPE_CHECKING:
    from ctkg.loaders.relations import Context

PUNCT = re.compile(r"[،,.;؛:!?؟()\n]")  # the clause marks relations.PUNCT uses


def relative_between(ctx: Context, a: int, b: int) -> bool:
    return any(t.norm in ctx.lexicon.relative_pronouns for t in ctx.doc.tokens[a + 1:b])


def object_organisations(ctx: Context, targets: list) -> list:
    """The organisations of the cue's object: the first one and those chained to it without
    a clause break ("from a JNIM commander of the Katiba Macina" -> both)."""
    orgs = [(e, m) for e, m in targets if m.kind == "Organisation"]
    if not orgs:
        return []
    out, last = [orgs[0][0]], orgs[0][1]
    for e, m in orgs[1:]:
        if m.first_token - last.last_token > 4 or PUNCT.search(ctx.doc.text[last.end:m.start]) \
                or relative_between(ctx, last.last_token, m.first_token):
            break
        if e not in out:
            out.append(e)
        last = m
    return out


def director_before(ctx: Context, cue: Mention, window: int = 20) -> tuple[object, list]:
    """A cue with no object after it names its giver before: "un cadre de l'organisation X,
    Abou Y, qui lui transmettait les instructions", "عنصر قيادي في التنظيم يدعى X، وكان يتلقى
    منه التعليمات", "a facilitator of IS who gave him instructions". The person and
    organisation between the cell's last mention and the cue, introduced as a handler (a
    membership or allegiance word just before, or a relative pronoun after); not the cell's
    member who received them ("Benaissa had been in contact with ...")."""
    floor = max((m.last_token for _, m in ctx.cell_mentions
                 if m.sentence == cue.sentence and m.last_token < cue.first_token), default=-1)
    intro = [c.last_token for c in ctx.cues if c.sentence == cue.sentence and c.kind in (
        "cue:membership", "cue:leads", "cue:affiliated_with") and c.first_token > floor]
    near = [(e, m) for e, m in ctx.before(cue, ("Organisation", "Person"), window=window)
            if m.first_token > floor]
    found = [(e, m) for e, m in near if relative_between(
        ctx, m.last_token, min(m.last_token + 5, cue.first_token))
        or (cue.first_token - m.last_token <= 10
            and any(0 < m.first_token - t <= 5 for t in intro))]
    person = next(((e, m) for e, m in reversed(found) if m.kind == "Person"), None)
    org = next((e for e, m in reversed(found) if m.kind == "Organisation"), None)
    if person is not None and org is None:  # "un cadre de l'organisation X connu sous le nom de Y"
        org = next((e for e, m in reversed(near) if m.kind == "Organisation"
                    and 0 < person[1].first_token - m.last_token <= 10), None)
    return (person[0] if person else None), [org] if org is not None else []


def described_before(ctx: Context, cue: Mention, window: int = 8) -> list:
    """"Nassim B., 19 ans, présenté comme le meneur", "رشيد الوزاني (39 سنة)، الذي اعتبرته
    النيابة العقل المدبر للخلية": the person named before, set off by a comma or a relative
    pronoun, described as the leader."""
    people = ctx.before(cue, ("Person",), window=window)
    if not people:
        return []
    m = people[-1][1]
    if any(c.sentence == cue.sentence and m.last_token < c.first_token < cue.first_token
           and c.kind in ("cue:directed_by", "cue:affiliated_with") for c in ctx.cues):
        return []  # "X, était en contact avec un émir du JNIM": the emir is someone else
    if re.match(r"\W*[,،(]", ctx.doc.text[m.end:cue.start]) or \
            relative_between(ctx, m.last_token, cue.first_token):
        return people[-1:]
    return []


def heads_agency(ctx: Context, cue: Mention, window: int = 6) -> bool:
    """"le commissaire X, chef de la division d'information des Mossos", "head of Counter
    Terrorism Policing": the rank is in a state body, not in the cell."""
    cells = [m.first_token for _, m in ctx.cell_mentions if m.sentence == cue.sentence
             and m.first_token > cue.last_token]
    return any(0 < m.first_token - cue.last_token <= window and
               not any(t < m.first_token for t in cells)
               for m in ctx.entities_in(cue.sentence) if m.kind == "Agency")


TARGET_WINDOW, LONG_OBJECT = 10, 16
# cues after which a place is where the arrests were, not the target (not weapons: "une
# attaque à l'arme blanche contre la foule rassemblée à Lyon")
_NOT_AIMED = ("cue:arrest", "cue:dismantled_by")


def aimed_at(ctx: Context, cue: Mention) -> list:
    """The places named after the cue; when none is near, the first place of a long object
    with no punctuation in between ("une attaque au véhicule-bélier et à l'arme blanche
    contre la foule rassemblée à Lyon", "s'en prendre à des patrouilles de la Gendarmerie
    royale sur la route de Merzouga")."""
    # a place after an arrest in between is where that happened: "plot on
    # Abuja, arrests six in Kogi and Nasarawa"
    stops = [c.first_token for c in ctx.cues if c.sentence == cue.sentence
             and c.first_token > cue.last_token and c.kind in _NOT_AIMED]
    near = [(e, m) for e, m in ctx.after(cue, ("Region",), window=TARGET_WINDOW)
            if not any(t < m.first_token for t in stops)]
    if near:
        return near
    far = [(e, m) for e, m in ctx.after(cue, ("Region",), window=LONG_OBJECT)
           if not any(t < m.first_token for t in stops)]
    if far and not PUNCT.search(ctx.doc.text[cue.end:far[0][1].start]):
        return far[:1]
    return []
