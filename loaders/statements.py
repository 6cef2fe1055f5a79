"""Statements: reported or quoted claims and their named speakers."""
from __future__ import annotations

import re

from ctkg.loaders.cues import Lexicon
from ctkg.loaders.document import Document, Mention
from ctkg.loaders.recognize import QUOTES, LocalEntity
from ctkg.loaders.textnorm import fold

# -- statements ------------------------------------------------------------------------


def statements(doc: Document, lex: Lexicon, cues: list[Mention],
               speakers: list[Mention]) -> list[LocalEntity]:
    """Reported or quoted claims: a speech verb, a named speaker (person or agency, or an
    anaphor such as "المصدر ذاته" for the last one), and the words introduced by أن/إن/":"/a
    quote; participles (مضيفا أن) add further claims of the same speaker."""
    out: list[LocalEntity] = []
    last_speaker: Mention | None = None
    verbs = sorted((c for c in cues if c.kind in ("cue:speech_verbs", "cue:speech_participles",
                                                   "cue:source_markers", "cue:continuations")),
                   key=lambda c: c.start)
    plural = [c for c in cues if c.kind == "cue:plural_speakers"]
    anaphora = [c for c in cues if c.kind == "cue:speaker_anaphora"]
    taken_until: dict[int, int] = {}
    for verb in verbs:
        if verb.kind == "cue:continuations":
            # only after a claim made earlier in this very sentence
            if last_speaker is None or not out or out[-1].mentions[0].sentence != verb.sentence:
                continue
            _add(out, doc, verb, last_speaker, _rest_of_clause(doc, verb, verbs), taken_until)
            continue
        speaker = _speaker(doc, lex, verb, speakers, plural)
        anchor = None
        at = None  # where the speaker stands in this sentence, when it is named elsewhere
        anaphor = _anaphor_after(verb, anaphora)
        if speaker is None and anaphor is not None:
            # "وأوضح المصدر ذاته أن", "وأضاف بيان الوزارة أن", "..., the statement said": the
            # last speaker, else the agency named last before it.
            speaker = last_speaker or next((s for s in sorted(speakers, key=lambda s: -s.start)
                                            if s.kind == "Agency" and s.start < verb.start), None)
            anchor = max(anaphor.end, verb.end)
            at = anaphor
        elif speaker is None and verb.kind == "cue:speech_participles":
            # "التمس ممثل النيابة العامة ...، مؤكدا أن": the subject named earlier in the
            # sentence, else the last speaker.
            speaker = _nearest_before(verb, speakers) or (
                last_speaker if last_speaker and 0 <= verb.sentence - last_speaker.sentence <= 3
                else None)
        elif speaker is None and last_speaker is not None and \
                0 <= verb.sentence - last_speaker.sentence <= 3 and \
                _no_subject(doc, lex, verb) and not _plural_after(verb, plural):
            speaker = last_speaker
        if speaker is None:
            continue
        if _add(out, doc, verb, speaker, _content(doc, lex, verb, at or speaker, verbs, anchor),
                taken_until):
            last_speaker = speaker
    return out


def _add(out: list[LocalEntity], doc: Document, verb: Mention, speaker: Mention,
         span: tuple[int, int] | None, taken_until: dict[int, int]) -> bool:
    """Record a statement unless it overlaps one already read in the sentence."""
    if span is None or taken_until.get(verb.sentence, -1) > span[0]:
        return False
    start, end = span
    first, last = doc.token_at(start), doc.token_at(end - 1)
    if first is None or last is None:
        return False
    taken_until[verb.sentence] = end
    text = doc.text[start:end]
    stmt = LocalEntity(f"st{len(out) + 1}", "Statement", text,
                       props={"speaker": speaker,
                              "quoted": doc.text[start - 1:start] in ('"', "«", "“")})
    stmt.mentions.append(Mention("Statement", start, end, text, verb.sentence, first.index,
                                 last.index))
    out.append(stmt)
    return True


def _rest_of_clause(doc: Document, cue: Mention, verbs: list[Mention]) -> tuple[int, int] | None:
    """From after "وأنهم" to the next speech cue or the end of the sentence; the quote when
    the clause opens with one."""
    sent = doc.sentences[cue.sentence]
    end = min([v.start for v in verbs if v.sentence == cue.sentence and v.start > cue.start]
              + [sent.end])
    quote = QUOTES.search(doc.text, cue.end, end)
    if quote and len(doc.text[cue.end:quote.start()].split()) <= 4:
        g = next(i for i in range(1, 4) if quote.group(i))
        return _trim(doc, quote.start(g), quote.end(g))
    start, stop = _trim(doc, cue.end, end)
    while stop > start and doc.text[stop - 1] in '"»”':
        stop -= 1
    return (start, stop) if len(doc.text[start:stop].split()) >= 3 else None


def _nearest_before(verb: Mention, speakers: list[Mention]) -> Mention | None:
    same = [s for s in speakers if s.sentence == verb.sentence and s.end <= verb.start]
    return max(same, key=lambda s: s.end) if same else None


def _plural_after(verb: Mention, plural: list[Mention]) -> bool:
    return any(p.sentence == verb.sentence and 0 < p.first_token - verb.last_token <= 2
               for p in plural)


def _anaphor_after(verb: Mention, anaphora: list[Mention]) -> Mention | None:
    """"وأوضح المصدر ذاته" (after the verb) or "the ministry said" (just before it)."""
    return next((a for a in anaphora if a.sentence == verb.sentence
                 and (0 < a.first_token - verb.last_token <= 3
                      or 0 < verb.first_token - a.last_token <= 1)), None)


def _no_subject(doc: Document, lex: Lexicon, verb: Mention) -> bool:
    """"وأضاف أن ...", "وتابع: ...": the verb goes on with the previous speaker."""
    return bool(lex.complement.match(doc.text[verb.end:verb.end + 12]))


def _speaker(doc: Document, lex: Lexicon, verb: Mention, speakers: list[Mention],
             plural: list[Mention]) -> Mention | None:
    """VSO ("أكد الخبير X أن"): the first person (else agency) after the verb, with nothing
    but titles and a communiqué word between; SVO: the nearest one before it."""
    if verb.kind == "cue:speech_participles" or _plural_after(verb, plural):
        return None
    same = [s for s in speakers if s.sentence == verb.sentence]
    after = [s for s in same if 0 < s.first_token - verb.last_token <= 8
             and not _clause_between(doc, lex, verb.last_token, s.first_token)]
    if after:
        people = [s for s in after if s.kind == "Person"]
        return min(people or after, key=lambda s: s.first_token)
    before = [s for s in same if 0 < verb.first_token - s.last_token <= 6
              and not _clause_between(doc, lex, s.last_token, verb.first_token)]
    if before:
        return max(before, key=lambda s: s.last_token)
    return None


def _clause_between(doc: Document, lex: Lexicon, a: int, b: int) -> bool:
    """A relative clause or complement between two tokens ("الأبحاث التي أجراها X")."""
    return any(t.norm in lex.clause_words for t in doc.tokens[a + 1:b])


def _content(doc: Document, lex: Lexicon, verb: Mention, speaker: Mention,
             verbs: list[Mention], anchor: int | None = None) -> tuple[int, int] | None:
    """What is said: the quote, else the clause after أن/إن/":" up to the next speech verb
    or the end of the sentence. "ما أكده X، ..." takes the rest of the sentence; a closing
    attribution ("..., the ministry said.") the words before it. `speaker` is the mention
    that stands for the speaker here (an anaphor such as "the statement" when named before)."""
    sent = doc.sentences[verb.sentence]
    if verb.kind == "cue:source_markers" and verb.start - sent.start > 4:
        start, end = sent.start, verb.start  # "..., حسب X": the claim precedes the marker
    else:
        start = max(verb.end, speaker.end) if speaker.sentence == verb.sentence else verb.end
        start = _skip_parenthetical(doc, lex, max(start, anchor or 0))
        later = [v.start for v in verbs if v.sentence == verb.sentence and v.start >= start
                 and v is not verb]
        end = min(later + [sent.end])
        opened = _words_start(doc, lex, start, end)
        if opened is None or len(doc.text[opened:end].split()) <= _TAIL_WORDS:
            # what follows is no claim ("said in a statement."): a closing attribution?
            closing = _claim_before(doc, lex, sent, verb, speaker)
            if closing is not None:
                return closing
        before = fold(doc.text[max(sent.start, verb.start - 8):verb.start]).split()
        relative = bool(before) and before[-1] in lex.what_words  # "هذا ما أكده X، ..."
        if opened is None and not relative:
            # '"...", said X': the quote just before the speaker and verb (else
            # "أعلنت الوزارة عن تفكيك ...": an announcement, not a claim)
            return _quote_before(doc, sent.start, min(verb.start, speaker.start))
        start = opened if opened is not None else start
    quote = QUOTES.search(doc.text, start, end)
    if quote and len(doc.text[start:quote.start()].split()) <= 4:
        g = next(i for i in range(1, 4) if quote.group(i))
        return _trim(doc, quote.start(g), quote.end(g))
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


def _words_start(doc: Document, lex: Lexicon, start: int, end: int) -> int | None:
    """Where the speaker's words begin: after what opens them (أن, إن, فإن, que, that, ":",
    an opening quote) right at `start`, or after a short apposition ("..., مصطفى الحجوجي،
    أن"). None when nothing opens them."""
    candidates = [start] + [t.start for t in doc.tokens if start < t.start < min(end, start + 90)]
    for pos in candidates:
        if re.search(r"[.!?؟\n«\"]", doc.text[start:pos]):
            return None
        m = lex.complement.match(doc.text[pos:end])
        if m:
            return pos + m.end() - (1 if m.group().rstrip()[-1:] in '"«“' else 0)
    return None


def _skip_parenthetical(doc: Document, lex: Lexicon, start: int) -> int:
    """Past "، في بيان لها،" or " في بيان ": an inserted phrase after the speaker."""
    m = _INSERT.match(doc.text[start:start + 80])
    if m and not lex.complement.match(doc.text[start:start + 12]):
        return start + m.end()
    return start


def _quote_before(doc: Document, sentence_start: int, end: int) -> tuple[int, int] | None:
    """A quote that ends a few characters before `end` ('"...," the minister said')."""
    last = None
    for m in QUOTES.finditer(doc.text, sentence_start, end):
        last = m
    if last is None or len(doc.text[last.end():end].split()) > 2:
        return None
    g = next(i for i in range(1, 4) if last.group(i))
    start, stop = _trim(doc, last.start(g), last.end(g))
    return (start, stop) if len(doc.text[start:stop].split()) >= 3 else None


def _claim_before(doc: Document, lex: Lexicon, sent, verb: Mention,
                  speaker: Mention) -> tuple[int, int] | None:
    """"Police broke up a cell in Ceuta, the ministry said.", "..., a indiqué le parquet
    dans un communiqué.": an attribution that closes the sentence after a comma (nothing
    after it but a short tail: "on Tuesday", "in a statement") reports the words before it."""
    if speaker.sentence != verb.sentence:
        return None
    clause_start = min(verb.start, speaker.start)
    clause_end = max(verb.end, speaker.end)
    comma = max(doc.text.rfind(",", sent.start, clause_start),
                doc.text.rfind("،", sent.start, clause_start))
    tail = re.findall(r"\w+", re.sub(r"\([^)]*\)", " ", fold(doc.text[clause_end:sent.end])))
    if comma < 0 or len(doc.text[comma + 1:clause_start].split()) > 2 or \
            len(tail) > _TAIL_WORDS or (tail and tail[0] not in lex.attribution_tails):
        return None  # (two words: "..., the Moroccan ministry said")
    if re.search(r"[,،]", doc.text[clause_start:sent.end]):
        return None  # "..., the ministry said, adding that ...": the words go on after it
    start, stop = _trim(doc, sent.start, comma)
    while stop > start and doc.text[stop - 1] in '"»”':
        stop -= 1
    return (start, stop) if len(doc.text[start:stop].split()) >= 4 else None


# At most this many words after a closing attribution ("said on Thursday in a statement").
_TAIL_WORDS = 6


def _trim(doc: Document, start: int, end: int) -> tuple[int, int]:
    """Without surrounding spaces and closing punctuation ("« Le passage ... »")."""
    while start < end and doc.text[start].isspace():
        start += 1
    while end > start and (doc.text[end - 1].isspace() or doc.text[end - 1] in ",.،"):
        end -= 1
    return start, end
