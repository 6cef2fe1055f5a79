"""What a speaker says: the span of a statement's words, found from its speech cue.

The quote, else the clause after أن/إن/que/that/":" up to the next speech cue; the words before
a closing attribution ("..., the ministry said."); what a source marker introduces ("Selon la
même source, ..."); what an agency announces; a clause after a verb that needs no "that".
"""
from __future__ import annotations

import re
from functools import lru_cache

from ctkg.loaders.cues import Lexicon, word_set
from ctkg.loaders.pipeline import Document, Mention
from ctkg.loaders.pipeline import QUOTES
from ctkg.loaders.tokens import fold

Span = tuple[int, int]

# At most this many words after a closing attribution ("said on Thursday in a statement").
_TAIL_WORDS = 6

_INSERT = re.compile(r"\s*[،,][^،,.\n\"«]{1,60}[،,]"
                     r"|\s*(?:في|ضمن)\s+(?:بيان|بلاغ|تصريح|تصريحات|حديث|ندوة)[^،,.\n\"«]{0,40}?"
                     r"(?=\s+(?:ب|و)?(?:أن|إن)\b)")


@lru_cache(maxsize=None)
def statement_words(lang: str) -> dict[str, frozenset[str]]:
    """Statement vocabulary that the cue lexicon does not carry: pronoun speakers, what opens
    an announcement, what may go on after a closing attribution."""
    return {key: word_set(lang, key)
            for key in ("speaker_pronouns", "inverted_pronouns", "announcement_objects",
                        "closing_continuers", "speech_participles", "verb_coordinators",
                        "bare_complement_verbs")}


def trim(doc: Document, start: int, end: int) -> Span:
    """Without surrounding spaces and closing punctuation ("« Le passage ... »")."""
    while start < end and (doc.text[start].isspace() or doc.text[start] in '"«“'):
        start += 1
    while end > start and (doc.text[end - 1].isspace() or doc.text[end - 1] in ',.،"»”'):
        end -= 1
    return start, end


def span_mention(doc: Document, start: int, end: int,
                 sentence: int | None = None) -> Mention | None:
    """The Statement mention of [start, end), in `sentence` (by default its first token's);
    None when no token starts inside it."""
    tokens = doc.tokens_within(start, end)
    if tokens is None:
        return None
    first, last = tokens
    return Mention("Statement", start, end, doc.text[start:end],
                   first.sentence if sentence is None else sentence, first.index, last.index)


def content(doc: Document, lex: Lexicon, verb: Mention, speaker: Mention,
            verbs: list[Mention], anchor: int | None = None) -> Span | None:
    """What is said: the quote, else the clause after أن/إن/":" up to the next speech verb
    or the end of the sentence. "ما أكده X، ..." takes the rest of the sentence; a closing
    attribution ("..., the ministry said.") the words before it. `speaker` is the mention
    that stands for the speaker here (an anaphor such as "the statement" when named before)."""
    sent = doc.sentences[verb.sentence]
    later = [v.start for v in verbs if v.sentence == verb.sentence and v.start > verb.end]
    if verb.kind == "cue:source_markers" and speaker.sentence == verb.sentence:
        marked = _marked_claim(doc, lex, sent, verb, speaker, min(later + [sent.end]))
        if marked is not None:
            return marked
    if verb.kind == "cue:source_markers" and verb.start - sent.start > 4:
        # "..., حسب X": the claim precedes the marker (not a headline left in front of it)
        start, end = doc.text.rfind("\n", sent.start, verb.start) + 1 or sent.start, verb.start
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
            # '"...", said X': the quote just before the speaker and verb; else a quote a few
            # words after them ("a fait état de « ... »", "داعية إلى "...""); else what an
            # agency announces ("a annoncé mardi le démantèlement de ...", "أعلنت ... عن
            # تفكيك ...")
            return (_quote_before(doc, sent.start, min(verb.start, speaker.start))
                    or _quote_after(doc, start, end)
                    or _announced(doc, start, end,
                                  statement_words(lex.lang)["announcement_objects"])
                    or _bare_clause(doc, lex, verb, speaker, start, end))
        start = opened if opened is not None else start
    quote = QUOTES.search(doc.text, start, end)
    if quote and len(doc.text[start:quote.start()].split()) <= 4:
        span = _quoted(doc, quote)
        if len(doc.text[span[0]:span[1]].split()) >= 3:
            return span
        if quote.start() - start <= 2:
            return None  # (a quoted name right after the verb: 'dit « Abou Dahdah »')
        # (else a short quote inside the words: 'that the suspects had "pledged allegiance"')
    while start < end and doc.text[start] in " ،,:\n\"«“":
        start += 1
    while end > start and doc.text[end - 1] in ".،,؛ \n\"»”":
        end -= 1
    if len(doc.text[start:end].split()) < 3:
        return None
    return start, end


def rest_of_clause(doc: Document, cue: Mention, verbs: list[Mention]) -> Span | None:
    """From after "وأنهم" to the next speech cue or the end of the sentence; the quote when
    the clause opens with one."""
    sent = doc.sentences[cue.sentence]
    end = min([v.start for v in verbs if v.sentence == cue.sentence and v.start > cue.start]
              + [sent.end])
    quote = QUOTES.search(doc.text, cue.end, end)
    if quote and len(doc.text[cue.end:quote.start()].split()) <= 4:
        return _quoted(doc, quote)
    start, stop = trim(doc, cue.end, end)
    while stop > start and doc.text[stop - 1] in '"»”':
        stop -= 1
    return _at_least(doc, (start, stop), 3)


def _quoted(doc: Document, quote: re.Match) -> Span:
    """The words inside a quote (a match of QUOTES), trimmed."""
    g = next(i for i in range(1, 4) if quote.group(i))
    return trim(doc, quote.start(g), quote.end(g))


def _at_least(doc: Document, span: Span, words: int) -> Span | None:
    """The span when it holds at least this many words."""
    return span if len(doc.text[span[0]:span[1]].split()) >= words else None


_WORDS_BREAK = re.compile(r"[.!?؟\n«\"]")  # (compiled once: read at every word)


def _words_start(doc: Document, lex: Lexicon, start: int, end: int) -> int | None:
    """Where the speaker's words begin: after what opens them (أن, إن, فإن, que, that, ":",
    an opening quote) right at `start`, or after a short apposition ("..., مصطفى الحجوجي،
    أن"). None when nothing opens them."""
    candidates = [start] + doc.starts_between(start, min(end, start + 90))
    for pos in candidates:
        if _WORDS_BREAK.search(doc.text[start:pos]):
            return None
        m = lex.complement.match(doc.text[pos:end])
        consumed = doc.text[pos:pos + m.end()].strip() if m else ""
        if m and consumed in (",", "،"):
            continue  # 'said X, a security researcher': an apposition, not the words
        if m and (pos == start or consumed.strip(",،")):
            # (a bare subject opens the words only right after the verb: not "said in
            # its weekly report")
            return pos + m.end() - (1 if m.group().rstrip()[-1:] in '"«“' else 0)
    return None


def _skip_parenthetical(doc: Document, lex: Lexicon, start: int) -> int:
    """Past "، في بيان لها،" or " في بيان ": an inserted phrase after the speaker."""
    m = _INSERT.match(doc.text[start:start + 80])
    if m and not lex.complement.match(doc.text[start:start + 12]):
        return start + m.end()
    return start


def _quote_before(doc: Document, sentence_start: int, end: int) -> Span | None:
    """A quote that ends a few characters before `end` ('"...," the minister said'); it
    may hold several sentences, so it is looked for from the start of the paragraph."""
    last = None
    for m in QUOTES.finditer(doc.text, sentence_start, end):
        last = m
    if last is None:  # a quote of several sentences: from the opening mark before the sentence
        paragraph = doc.text.rfind("\n", 0, sentence_start) + 1
        close = max(doc.text.rfind(c, sentence_start, end) for c in '"»”')
        opening = max(doc.text.rfind(c, paragraph, sentence_start) for c in '"«“')
        if close > sentence_start and opening >= paragraph and \
                not re.search(r'["«»“”]', doc.text[opening + 1:close]):
            last = QUOTES.match(doc.text, opening, close + 1)
    between = doc.text[last.end():end] if last is not None else ""
    if last is None or len(between.split()) > 8 or re.search(r"[.!?؟;؛\n\"«»“”]", between) \
            or (len(between.split()) > 2 and not re.match(r"\s*[,،]", between)
                and not re.search(r"[,،]\s*.$", doc.text[last.start():last.end()])):
        return None  # ('"...," federal prosecutor's office spokesman X told reporters')
    return _at_least(doc, _quoted(doc, last), 3)


def _continues(doc: Document, lex: Lexicon, text_after: str) -> bool:
    """After a closing attribution's comma, what does not go on with the reported words:
    "without giving names", or a participle opening further words ("adding that ...")."""
    m = re.match(r"\s*[,،]\s*(\w+)", text_after)
    if m is None:
        return False
    word, words = fold(m.group(1)), statement_words(lex.lang)
    # ("..., indique le parquet, qui précise que ...": a relative clause on the speaker)
    return word in words["closing_continuers"] or word in lex.relative_pronouns or (
        word in words["speech_participles"]
        and bool(lex.complement.match(text_after[m.end():m.end() + 12])))


def _claim_before(doc: Document, lex: Lexicon, sent, verb: Mention,
                  speaker: Mention) -> Span | None:
    """"Police broke up a cell in Ceuta, the ministry said.", "..., a indiqué le parquet
    dans un communiqué.": an attribution that closes the sentence after a comma (nothing
    after it but a short tail: "on Tuesday", "in a statement") reports the words before it."""
    if speaker.sentence != verb.sentence:
        return None
    clause_start = min(verb.start, speaker.start)
    clause_end = max(verb.end, speaker.end)
    comma = max(doc.text.rfind(",", sent.start, clause_start),
                doc.text.rfind("،", sent.start, clause_start))
    if "\n" in doc.text[clause_end:sent.end]:
        return None  # a headline the sentence splitter joined to the lead
    stop_at = re.search(r"[,،]", doc.text[clause_end:sent.end])
    if stop_at and not _continues(doc, lex, doc.text[clause_end + stop_at.start():sent.end]):
        stop_at = None
    tail = re.findall(r"\w+", re.sub(r"\([^)]*\)", " ", fold(
        doc.text[clause_end:clause_end + stop_at.start() if stop_at else sent.end])))
    if comma < 0 or len(doc.text[comma + 1:clause_start].split()) > 2 or \
            len(tail) > _TAIL_WORDS or (tail and tail[0] not in lex.attribution_tails):
        return None  # (two words: "..., the Moroccan ministry said")
    after = re.search(r"[,،]", doc.text[clause_start:sent.end])
    if after and not _continues(doc, lex, doc.text[clause_start + after.start():sent.end]):
        return None  # "..., the ministry said, X": the words go on after it (but not in
        # "..., the ministry said, adding that ...", "..., without giving names")
    # (a headline the sentence splitter left in front of the lead is not reported)
    span = trim(doc, doc.text.rfind("\n", sent.start, comma) + 1 or sent.start, comma)
    return _at_least(doc, span, 4)


def _marked_claim(doc: Document, lex: Lexicon, sent, marker: Mention, speaker: Mention,
                  end: int) -> Span | None:
    """"Selon la même source, les quatre individus ...", "According to the Gendarmerie,
    the network ...": a source marker that opens the sentence reports what follows the comma
    after its source. Inside the sentence, a quote right after the source ("Ceux-là, selon
    le communiqué du ministère, « ... »", "qui selon lui ont été effectuées « ... »") or the
    words after a source set between commas ("..., حسب المكتب، في إطار ...")."""
    source_end = max(marker.end, speaker.end)
    head = doc.text[sent.start:marker.start]
    quote = QUOTES.search(doc.text, source_end, end)
    if quote and len(doc.text[source_end:quote.start()].split()) <= 4 and \
            not re.search(r"[.!?؟\n]", doc.text[source_end:quote.start()]):
        span = _at_least(doc, _quoted(doc, quote), 2)
        if span is not None:
            return span
    head_words = head.split()
    if head_words and fold(head_words[-1].strip(",،")) in lex.relative_pronouns:
        # "le chef de la cellule, qui selon l'accusation coordonnait ...": the relative
        # clause after the source
        start, stop = trim(doc, source_end, end)
        while start < stop and doc.text[start] in " ،,":
            start += 1
        return _at_least(doc, (start, stop), 3)
    comma = re.compile(r"[,،:]").search(doc.text, source_end, min(end, source_end + 60))
    if comma is None:
        return None
    opening = len(head_words) <= 1
    between_commas = bool(re.search(r"[,،]\s*$", head))
    if not (opening or between_commas):
        return None
    start, stop = trim(doc, comma.end(), end)
    while start < stop and doc.text[start] in " ،,:\"«“":
        start += 1
    words = doc.text[start:stop].split()
    if words and fold(words[0]) in lex.relative_pronouns:
        # "Selon le PNAT, qui s'est saisi de l'enquête, les deux jeunes ...": past the
        # relative clause; "..., selon le PNAT, qui s'est saisi ...": nothing after it
        nxt = re.compile(r"[,،]").search(doc.text, start, stop)
        if not opening or nxt is None:
            return None
        start = nxt.end()
        while start < stop and doc.text[start] in " \"«“":
            start += 1
        words = doc.text[start:stop].split()
    if len(words) < 3:
        return None
    return start, stop


def _bare_clause(doc: Document, lex: Lexicon, verb: Mention, speaker: Mention, start: int,
                 end: int) -> Span | None:
    """"the Nigerian Army said troops of Operation X had arrested ...": a clause right after
    a verb that needs no "that" (its subject before it), when it opens with a content word."""
    words = statement_words(lex.lang)
    if verb.kind != "cue:speech_verbs" or fold(str(verb.ref)) not in \
            words["bare_complement_verbs"] or speaker.end > verb.start:
        return None
    if start != verb.end:
        return None  # (something stands between the verb and the words)
    span = trim(doc, start, end)
    text = doc.text[span[0]:span[1]]
    if len(text.split()) < 5 or ":" in text or re.search(r"[\"«“]", " ".join(text.split()[:4])):
        return None  # (a quote further on belongs to the words: 'two men it described as "couriers"')
    first = fold(text.split()[0].strip(",;"))
    if first in lex.function_words or first in lex.attribution_tails or \
            first in words["closing_continuers"]:
        return None
    return span


def _quote_after(doc: Document, start: int, end: int) -> Span | None:
    """A quote opening a few words after the speaker and verb ("a fait état de « ... »",
    "qui salue « ... »", "مطالبا بتشديد العقوبات "..."")."""
    quote = QUOTES.search(doc.text, start, end)
    if quote is None or len(doc.text[start:quote.start()].split()) > 4 or \
            re.search(r"[.!?؟\n]", doc.text[start:quote.start()]):
        return None
    return _at_least(doc, _quoted(doc, quote), 2)


def _announced(doc: Document, start: int, end: int, objects: frozenset[str]) -> Span | None:
    """What an announcement names: "a annoncé lundi le démantèlement d'une cellule ...",
    "announced on Sunday the arrest of ...", "أعلنت ... عن تفكيك خلية ...", "ont affirmé
    avoir repoussé ..." (a few words, or a phrase set between commas, may come first)."""
    if not objects:
        return None
    for t in doc.tokens:
        if t.start < start or t.start >= min(end, start + 120):
            continue
        before = doc.text[start:t.start]
        if re.search(r"[.!?؟\n«»\"]", before):
            return None
        if len(re.sub(r"[,،][^,،]*[,،]", " ", before).split()) > 3:
            continue
        head = fold(doc.text[t.start:t.start + 40])
        if any(head.startswith(o) and not head[len(o):len(o) + 1].isalnum() for o in objects):
            return _at_least(doc, trim(doc, t.start, end), 3)
    return None
