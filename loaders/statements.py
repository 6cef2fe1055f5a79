"""Statements: reported or quoted claims and their named speakers."""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from ctkg.loaders.cues import Lexicon
from ctkg.loaders.document import Document, Mention
from ctkg.loaders.recognize import QUOTES, LocalEntity
from ctkg.loaders.textnorm import fold
from ctkg.loaders.vocab import cues as load_cues

# -- statements ------------------------------------------------------------------------


def statements(doc: Document, lex: Lexicon, cues: list[Mention],
               speakers: list[Mention]) -> list[LocalEntity]:
    """Reported or quoted claims: a speech verb, a named speaker (person or agency, or an
    anaphor such as "المصدر ذاته" for the last one), and the words introduced by أن/إن/":"/a
    quote; participles (مضيفا أن) add further claims of the same speaker."""
    out: list[LocalEntity] = []
    last_speaker: Mention | None = None
    words = _words(lex.lang)
    speakers = speakers + _surnames(doc, lex, speakers)
    # (an Arabic verb never ends in ta marbuta: "تابعة" is an adjective, not "تابع" + pronoun)
    verbs = sorted((c for c in cues if c.kind in ("cue:speech_verbs", "cue:speech_participles",
                                                   "cue:source_markers", "cue:continuations")
                    and not (c.kind == "cue:speech_verbs" and c.text.endswith("ة"))),
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
        anaphor = _anaphor_after(verb, anaphora) or _relative_anaphor(doc, lex, verb, anaphora)
        pronoun = _is_pronoun(verb, anaphor, words)
        if speaker is not None and anaphor is not None and speaker.sentence == verb.sentence \
                and _between(anaphor, speaker, verb):
            speaker = None  # "... by units of Operation X, the ministry said": the anaphor
        if speaker is None and pronoun:
            # "..., he said", "« ... », a-t-il précisé", "According to him, ...": the person
            # named last (within a few sentences), else the last speaker when a person.
            speaker = _person_before(verb, speakers) or (
                last_speaker if last_speaker is not None and last_speaker.kind == "Person"
                else None)
            at = anaphor if anaphor is not None else verb
            anchor = max(anaphor.end, verb.end) if anaphor is not None else None
        elif speaker is None and anaphor is not None:
            # "وأوضح المصدر ذاته أن", "وأضاف بيان الوزارة أن", "..., the statement said": the
            # last speaker, else the agency named last before it.
            speaker = _antecedent(anaphor, verb, speakers, last_speaker)
            anchor = max(anaphor.end, verb.end)
            at = anaphor
        elif speaker is None and verb.kind == "cue:speech_participles":
            # "التمس ممثل النيابة العامة ...، مؤكدا أن": the subject named earlier in the
            # sentence, else the last speaker.
            speaker = _nearest_before(verb, speakers) or (
                last_speaker if last_speaker and 0 <= verb.sentence - last_speaker.sentence <= 3
                else None)
        elif speaker is None and last_speaker is not None and \
                verb.kind != "cue:source_markers" and \
                0 <= verb.sentence - last_speaker.sentence <= 3 and \
                _no_subject(doc, lex, verb) and not _plural_after(verb, plural) and \
                _no_subject_before(doc, lex, verb, words):
            speaker = last_speaker
        if speaker is None:
            continue
        if _add(out, doc, verb, speaker, _content(doc, lex, verb, at or speaker, verbs, anchor),
                taken_until):
            last_speaker = speaker
    _headline(doc, speakers, out)
    _interview(doc, lex, speakers, out)
    return out


def _headline(doc: Document, speakers: list[Mention], out: list[LocalEntity]) -> None:
    """"الباحث حسن بنعيسى: "خلية تيفلت" كشفت ...": a headline that gives a person, a colon
    and words is that person's statement."""
    line_end = doc.text.find("\n")
    line_end = len(doc.text) if line_end < 0 else line_end
    colon = doc.text.find(":", 0, line_end)
    people = [s for s in speakers if s.kind == "Person" and s.end <= colon]
    if colon < 0 or not people:
        return
    person = max(people, key=lambda s: s.end)
    if len(doc.text[person.end:colon].split()) > 2 or \
            re.search(r"[.!?؟،,]", doc.text[person.end:colon]):
        return
    start, end = _trim(doc, colon + 1, line_end)
    first, last = _tokens_within(doc, start, end)
    if first is None or last is None or len(doc.text[start:end].split()) < 3 or \
            any(m.start < end and start < m.end for st in out for m in st.mentions):
        return
    text = doc.text[start:end]
    stmt = LocalEntity(f"st{len(out) + 1}", "Statement", text,
                       props={"speaker": person, "quoted": False})
    stmt.mentions.append(Mention("Statement", start, end, text, first.sentence, first.index,
                                 last.index))
    out.append(stmt)


@lru_cache(maxsize=None)
def _words(lang: str) -> dict[str, list[str]]:
    """Statement vocabulary that the cue lexicon does not carry: pronoun speakers, what opens
    an announcement, what may go on after a closing attribution."""
    raw = load_cues(lang)
    return {key: [fold(str(w)) for w in raw.get(key) or ()]
            for key in ("speaker_pronouns", "inverted_pronouns", "announcement_objects",
                        "closing_continuers", "speech_participles", "verb_coordinators",
                        "bare_complement_verbs")}


def _continues(doc: Document, lex: Lexicon, text_after: str) -> bool:
    """After a closing attribution's comma, what does not go on with the reported words:
    "without giving names", or a participle opening further words ("adding that ...")."""
    m = re.match(r"\s*[,،]\s*(\w+)", text_after)
    if m is None:
        return False
    word, words = fold(m.group(1)), _words(lex.lang)
    return word in words["closing_continuers"] or (
        word in words["speech_participles"]
        and bool(lex.complement.match(text_after[m.end():m.end() + 12])))


def _between(anaphor: Mention, speaker: Mention, verb: Mention) -> bool:
    """The anaphor stands between the speaker found before the verb and the verb ("... by
    units of Operation X, the ministry said"); after the verb, a title word such as "المتحدث"
    before the name is no anaphor."""
    return speaker.end <= anaphor.start < verb.start


def _head(text: str) -> str:
    """The head word of an anaphor or a name, without its article ("الوزارة" -> "وزارة",
    "the ministry" -> "ministry")."""
    word = fold(text).split()[-1] if text.split() else ""
    word = re.sub(r"^(?:l['’]|d['’])", "", word)
    return word[2:] if word.startswith("ال") and len(word) > 4 else word


def _antecedent(anaphor: Mention, verb: Mention, speakers: list[Mention],
                last_speaker: Mention | None) -> Mention | None:
    """"حسب المكتب", "the ministry said": the last speaker, or the agency named last
    before, that the anaphor's head word names ("المكتب" -> "المكتب المركزي ..."); else the
    last speaker; else the agency named last before it."""
    head = _head(anaphor.text)
    before = sorted((s for s in speakers if s.kind == "Agency" and s.end <= verb.start),
                    key=lambda s: -s.start)
    def names(s: Mention) -> bool:
        return len(head) >= 3 and head in {_head(w) for w in s.text.split()}
    if last_speaker is not None and names(last_speaker):
        return last_speaker
    return next((s for s in before if names(s)), None) or last_speaker or \
        next(iter(before), None)


def _is_pronoun(verb: Mention, anaphor: Mention | None, words: dict) -> bool:
    if anaphor is not None and fold(anaphor.text) in words["speaker_pronouns"]:
        return True
    return anaphor is None and any(re.search(re.escape(p) + r"(?:\s|$)", fold(verb.text))
                                   for p in words["inverted_pronouns"])


def _person_before(verb: Mention, speakers: list[Mention]) -> Mention | None:
    people = [s for s in speakers if s.kind == "Person" and s.end <= verb.start
              and 0 <= verb.sentence - s.sentence <= 4]
    return max(people, key=lambda s: s.end) if people else None


def _surnames(doc: Document, lex: Lexicon, speakers: list[Mention]) -> list[Mention]:
    """A person named in full and then by the surname alone ("..., Verhaegen said."): each
    later bare surname stands for that person."""
    full = {}
    for s in speakers:
        parts = s.text.split()
        if s.kind == "Person" and len(parts) >= 2 and len(parts[-1]) >= 3:
            full.setdefault(fold(parts[-1].strip(".,")), s)
    covered = {i for s in speakers for i in range(s.first_token, s.last_token + 1)}
    out = []
    for t in doc.tokens:
        name = full.get(fold(doc.text[t.start:t.end]))
        if name is None or t.index in covered or t.start < name.start:
            continue
        if lex.cased and not doc.text[t.start].isupper():
            continue
        out.append(Mention("Person", t.start, t.end, doc.text[t.start:t.end], t.sentence,
                           t.index, t.index, ref=name.ref))
    return out


_QUESTION_PREFIX = re.compile(r"^\s*(?:[-–—*•]\s*|[^\W\d_]{1,20}\s*:\s*)")


def _interview(doc: Document, lex: Lexicon, speakers: list[Mention],
               out: list[LocalEntity]) -> None:
    """An interview (two or more lines that end with a question mark, each followed by its
    answer): the first sentence of each answer is a statement of the person the article
    introduces before the first question."""
    lines, pos = [], 0
    for line in doc.text.split("\n"):
        lines.append((pos, pos + len(line), line))
        pos += len(line) + 1
    questions = [i for i, (_, _, line) in enumerate(lines)
                 if line.strip() and line.rstrip().rstrip('"»”').endswith(("?", "؟"))]
    if len(questions) < 2:
        return
    first_q = lines[questions[0]][0]
    people = [s for s in speakers if s.kind == "Person" and s.start < first_q]
    if not people:
        return
    speaker = people[0]
    taken = [(m.start, m.end) for st in out for m in st.mentions]
    for q in questions:
        nxt = next((i for i in range(q + 1, len(lines)) if lines[i][2].strip()), None)
        if nxt is None or nxt in questions:
            continue
        start, end, line = lines[nxt]
        m = _QUESTION_PREFIX.match(line)
        if m:
            start += m.end()
        for k in range(len(doc.sentences)):
            sent = doc.sentences[k]
            if sent.end <= start or sent.start >= end:
                continue
            a, b = _trim(doc, max(start, sent.start), min(end, sent.end))
            if len(doc.text[a:b].split()) < 4:
                continue  # "Non, malheureusement.", "بكل تأكيد."
            if not any(x < b and a < y for x, y in taken):
                first, last = _tokens_within(doc, a, b)
                if first is not None and last is not None:
                    text = doc.text[a:b]
                    stmt = LocalEntity(f"st{len(out) + 1}", "Statement", text,
                                       props={"speaker": speaker, "quoted": False})
                    stmt.mentions.append(Mention("Statement", a, b, text, k, first.index,
                                                 last.index))
                    out.append(stmt)
            break


def _add(out: list[LocalEntity], doc: Document, verb: Mention, speaker: Mention,
         span: tuple[int, int] | None, taken_until: dict[int, int]) -> bool:
    """Record a statement unless it overlaps one already read in the sentence."""
    if span is None or taken_until.get(verb.sentence, -1) > span[0]:
        return False
    start, end = span
    first, last = _tokens_within(doc, start, end)
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


def _tokens_within(doc: Document, start: int, end: int):
    """The first and last tokens inside [start, end) (a span may end on ")" or a quote, and a
    quote may hold several sentences)."""
    i = bisect_left(doc._token_starts, start)
    j = bisect_left(doc._token_starts, end) - 1
    if i >= len(doc.tokens) or j < i:
        return None, None
    return doc.tokens[i], doc.tokens[j]


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


def _relative_anaphor(doc: Document, lex: Lexicon, verb: Mention,
                      anaphora: list[Mention]) -> Mention | None:
    """"..., indique le communiqué, qui salue « ... »": an anaphor, a comma and a relative
    pronoun right before the verb."""
    return next((a for a in anaphora if a.sentence == verb.sentence
                 and _relative_of(doc, lex, a, verb)), None)


def _no_subject_before(doc: Document, lex: Lexicon, verb: Mention, words: dict) -> bool:
    """Where the subject comes first (French, English), a verb goes on with the previous
    speaker only after "and" ("X said ... and added that"), not after a subject of its own
    ("Investigators say the trio ...")."""
    if not lex.cased:
        return True
    k = verb.first_token
    prev = [t for t in doc.tokens[max(0, k - 2):k] if t.sentence == verb.sentence]
    if not prev:
        return False
    # "... et a ajouté que", "..., qui précise que", "Le responsable a souligné que"
    return prev[-1].norm in words["verb_coordinators"] or \
        prev[-1].norm in lex.relative_pronouns or \
        (len(prev) == 2 and prev[0].norm in lex.determiners
         and doc.text[prev[0].start].isupper())


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
    before = [s for s in same if 0 < verb.first_token - s.last_token <= 6
              and (not _clause_between(doc, lex, s.last_token, verb.first_token)
                   or _relative_of(doc, lex, s, verb))]
    if lex.cased and before and all(s.first_token - verb.last_token > 2 for s in after):
        after = []  # subject first: "the Nigerian Army said troops of Operation X had ..."
    if after:
        people = [s for s in after if s.kind == "Person"]
        return min(people or after, key=lambda s: s.first_token)
    if before:
        return max(before, key=lambda s: s.last_token)
    return None


def _relative_of(doc: Document, lex: Lexicon, speaker: Mention, verb: Mention) -> bool:
    """"..., indique le parquet, qui évoque « ... »": the speaker, a comma and a relative
    pronoun right before the verb."""
    return verb.first_token - speaker.last_token == 2 and \
        doc.tokens[speaker.last_token + 1].norm in lex.relative_pronouns and \
        bool(re.match(r"\s*[,،]", doc.text[speaker.end:doc.tokens[speaker.last_token + 1].start]))


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
                    or _announced(doc, start, end, _words(lex.lang)["announcement_objects"])
                    or _bare_clause(doc, lex, verb, speaker, start, end))
        start = opened if opened is not None else start
    quote = QUOTES.search(doc.text, start, end)
    if quote and len(doc.text[start:quote.start()].split()) <= 4:
        g = next(i for i in range(1, 4) if quote.group(i))
        span = _trim(doc, quote.start(g), quote.end(g))
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


def _quote_before(doc: Document, sentence_start: int, end: int) -> tuple[int, int] | None:
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
    start, stop = _trim(doc, doc.text.rfind("\n", sent.start, comma) + 1 or sent.start, comma)
    return (start, stop) if len(doc.text[start:stop].split()) >= 4 else None


def _marked_claim(doc: Document, lex: Lexicon, sent, marker: Mention, speaker: Mention,
                  end: int) -> tuple[int, int] | None:
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
        g = next(i for i in range(1, 4) if quote.group(i))
        span = _trim(doc, quote.start(g), quote.end(g))
        if len(doc.text[span[0]:span[1]].split()) >= 2:
            return span
    comma = re.compile(r"[,،:]").search(doc.text, source_end, min(end, source_end + 60))
    if comma is None:
        return None
    opening = len(head.split()) <= 1
    between_commas = bool(re.search(r"[,،]\s*$", head))
    if not (opening or between_commas):
        return None
    start, stop = _trim(doc, comma.end(), end)
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
                 end: int) -> tuple[int, int] | None:
    """"the Nigerian Army said troops of Operation X had arrested ...": a clause right after
    a verb that needs no "that" (its subject before it), when it opens with a content word."""
    if verb.kind != "cue:speech_verbs" or fold(str(verb.ref)) not in \
            _words(lex.lang)["bare_complement_verbs"] or speaker.end > verb.start:
        return None
    if start != verb.end:
        return None  # (something stands between the verb and the words)
    span = _trim(doc, start, end)
    words = doc.text[span[0]:span[1]].split()
    if len(words) < 5 or re.search(r"[\"«“:]", doc.text[span[0]:span[1]]):
        return None
    first = fold(words[0].strip(",;"))
    if first in lex.function_words or first in lex.attribution_tails or \
            first in _words(lex.lang)["closing_continuers"]:
        return None
    return span


def _quote_after(doc: Document, start: int, end: int) -> tuple[int, int] | None:
    """A quote opening a few words after the speaker and verb ("a fait état de « ... »",
    "qui salue « ... »", "مطالبا بتشديد العقوبات "..."")."""
    quote = QUOTES.search(doc.text, start, end)
    if quote is None or len(doc.text[start:quote.start()].split()) > 4 or \
            re.search(r"[.!?؟\n]", doc.text[start:quote.start()]):
        return None
    g = next(i for i in range(1, 4) if quote.group(i))
    span = _trim(doc, quote.start(g), quote.end(g))
    return span if len(doc.text[span[0]:span[1]].split()) >= 2 else None


def _announced(doc: Document, start: int, end: int,
               objects: list[str]) -> tuple[int, int] | None:
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
            span = _trim(doc, t.start, end)
            return span if len(doc.text[span[0]:span[1]].split()) >= 3 else None
    return None


# At most this many words after a closing attribution ("said on Thursday in a statement").
_TAIL_WORDS = 6


def _trim(doc: Document, start: int, end: int) -> tuple[int, int]:
    """Without surrounding spaces and closing punctuation ("« Le passage ... »")."""
    while start < end and (doc.text[start].isspace() or doc.text[start] in '"«“'):
        start += 1
    while end > start and (doc.text[end - 1].isspace() or doc.text[end - 1] in ',.،"»”'):
        end -= 1
    return start, end
