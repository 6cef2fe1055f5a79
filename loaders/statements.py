"""Statements: reported or quoted claims and their named speakers.

This module walks the speech cues of an article and records what they report; who speaks is
found in speakers.py, what is said in claims.py, and the statements that have no speech cue
(interview answers, "Person: words" headlines) in interviews.py.
"""
from __future__ import annotations

from ctkg.loaders.claims import Span, content, rest_of_clause, span_mention
from ctkg.loaders.cues import Lexicon
from ctkg.loaders.pipeline import Document, Mention
from ctkg.loaders.interviews import headline, interview
from ctkg.loaders.pipeline import LocalEntity
from ctkg.loaders.speakers import Speakers, find_speaker

_SPEECH_CUES = ("cue:speech_verbs", "cue:speech_participles", "cue:source_markers",
                "cue:continuations")


def statements(doc: Document, lex: Lexicon, cues: list[Mention],
               speakers: list[Mention]) -> list[LocalEntity]:
    """Reported or quoted claims: a speech verb, a named speaker (person or agency, or an
    anaphor such as "المصدر ذاته" for the last one), and the words introduced by أن/إن/":"/a
    quote; participles (مضيفا أن) add further claims of the same speaker."""
    out: list[LocalEntity] = []
    last_speaker: Mention | None = None
    cast = Speakers.of(doc, lex, cues, speakers)
    verbs = _speech_cues(cues)
    taken_until: dict[int, int] = {}
    for verb in verbs:
        if verb.kind == "cue:continuations":
            # only after a claim made earlier in this very sentence
            if last_speaker is None or not out or out[-1].mentions[0].sentence != verb.sentence:
                continue
            _add(out, doc, verb, last_speaker, rest_of_clause(doc, verb, verbs), taken_until)
            continue
        found = find_speaker(doc, lex, verb, cast, last_speaker, _spans(out))
        if found is None:
            continue
        span = content(doc, lex, verb, found.stands_at, verbs, found.anchor)
        if _add(out, doc, verb, found.speaker, span, taken_until):
            last_speaker = found.speaker
    said = headline(doc, cast.named, _spans(out))
    if said is not None:
        _record(out, *said, quoted=False)
    for speaker, mention in interview(doc, cast.named, _spans(out)):
        _record(out, speaker, mention, quoted=False)
    return out


def _speech_cues(cues: list[Mention]) -> list[Mention]:
    """The cues that introduce a statement, in text order."""
    # (an Arabic verb never ends in ta marbuta: "تابعة" is an adjective, not "تابع" + pronoun)
    return sorted((c for c in cues if c.kind in _SPEECH_CUES
                   and not (c.kind == "cue:speech_verbs" and c.text.endswith("ة"))),
                  key=lambda c: c.start)


def _add(out: list[LocalEntity], doc: Document, verb: Mention, speaker: Mention,
         span: Span | None, taken_until: dict[int, int]) -> bool:
    """Record a statement unless it overlaps one already read in the sentence."""
    if span is None or taken_until.get(verb.sentence, -1) > span[0]:
        return False
    start, end = span
    mention = span_mention(doc, start, end, verb.sentence)
    if mention is None:
        return False
    taken_until[verb.sentence] = end
    # (French sets a space inside its guillemets: "« Les suspects ...")
    _record(out, speaker, mention,
            quoted=doc.text[max(0, start - 2):start].strip()[-1:] in ('"', "«", "“"))
    return True


def _record(out: list[LocalEntity], speaker: Mention, mention: Mention, quoted: bool) -> None:
    stmt = LocalEntity(f"st{len(out) + 1}", "Statement", mention.text,
                       props={"speaker": speaker, "quoted": quoted})
    stmt.mentions.append(mention)
    out.append(stmt)


def _spans(out: list[LocalEntity]) -> list[Span]:
    """Where the statements found so far stand."""
    return [(m.start, m.end) for st in out for m in st.mentions]
