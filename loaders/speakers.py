"""Who makes a statement: the person or agency named next to its speech cue, a pronoun ("he
said") for the person named last, an anaphor ("المصدر ذاته", "the ministry") for the speaker
or agency named before, a bare surname for the person named in full earlier."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from ctkg.loaders.claims import statement_words
from ctkg.loaders.cues import Lexicon, word_set
from ctkg.loaders.pipeline import PUNCT_BREAK, Document, Mention
from ctkg.loaders.tokens import fold


@dataclass
class Speakers:
    """The candidates of an article: its named speakers (persons and agencies, and the bare
    surnames that stand for a person), plural subjects ("the suspects") and anaphora."""

    named: list[Mention]
    plural: list[Mention]
    anaphora: list[Mention]

    @classmethod
    def of(cls, doc: Document, lex: Lexicon, cues: list[Mention],
           speakers: list[Mention]) -> "Speakers":
        return cls(speakers + surnames(doc, lex, speakers),
                   [c for c in cues if c.kind == "cue:plural_speakers"
                    and _body_of(doc, lex, c, speakers) is None],
                   [c for c in cues if c.kind == "cue:speaker_anaphora"])


# Tokens from "sources" to the body they speak for, at most ("au sein de la DGSN", a country:
# "sources from Spain's Interior Ministry").
BODY_WINDOW = 5


def _body_of(doc: Document, lex: Lexicon, plural: Mention,
             speakers: list[Mention]) -> Mention | None:
    """The agency whose people these are ("sources from the Interior Ministry", "des sources
    au sein de la DGSN", "مصادر من المديرية العامة"): it speaks, not unnamed people."""
    links = word_set(lex.lang, "source_links")
    after = doc.tokens[plural.last_token + 1] if plural.last_token + 1 < len(doc.tokens) else None
    if after is None or after.sentence != plural.sentence or after.norm not in links:
        return None
    return next((s for s in speakers if s.kind == "Agency" and s.sentence == plural.sentence
                 and 0 < s.first_token - plural.last_token <= BODY_WINDOW), None)


class Attribution(NamedTuple):
    speaker: Mention
    stands_at: Mention  # where the speaker stands in the verb's sentence (an anaphor, a pronoun)
    anchor: int | None  # the words begin no earlier than this


def find_speaker(doc: Document, lex: Lexicon, verb: Mention, cast: Speakers,
                 last_speaker: Mention | None,
                 claims: list[tuple[int, int]] = ()) -> Attribution | None:
    """The speaker of a speech cue: one named next to it; else, for a pronoun, the person
    named last; for an anaphor, its antecedent; for a participle, the subject named earlier;
    for a verb with no subject of its own, the person introduced since the last statement,
    else the last speaker. For those last two, a name inside words already attributed
    (`claims`) speaks for nobody."""
    words = statement_words(lex.lang)
    # (only names of the verb's sentence and the two before it are ever looked at below)
    free = [s for s in cast.named if 0 <= verb.sentence - s.sentence <= 2
            and not any(a <= s.start < b for a, b in claims)]
    speaker = _speaker(doc, lex, verb, cast.named, cast.plural)
    anchor = None
    at = None  # where the speaker stands in this sentence, when it is named elsewhere
    anaphor = _anaphor_after(verb, cast.anaphora) or \
        _relative_anaphor(doc, lex, verb, cast.anaphora)
    pronoun = _is_pronoun(verb, anaphor, words)
    if speaker is not None and anaphor is not None and speaker.sentence == verb.sentence \
            and _between(anaphor, speaker, verb):
        speaker = None  # "... by units of Operation X, the ministry said": the anaphor
    if speaker is not None and anaphor is not None and verb.kind == "cue:source_markers" and \
            0 < anaphor.first_token - verb.last_token <= 1 and \
            speaker.first_token > anaphor.last_token and not _names_overlap(anaphor, cast.named) \
            and PUNCT_BREAK.search(doc.text[anaphor.end:speaker.start]):
        # "وحسب المعطيات ذاتها، فإن زعيم الخلية، المدعو X": X is talked about (but "selon
        # le communiqué du ministère" names its speaker)
        speaker = None
    if speaker is not None and anaphor is not None and _subject_before(lex, anaphor, speaker, verb):
        speaker = None  # "the ministry said the arrests were made by the National Unit ..."
    if speaker is None and pronoun:
        # "..., he said", "« ... », a-t-il précisé", "According to him, ...": the person
        # named last (within a few sentences), else the last speaker when a person.
        speaker = _person_before(verb, cast.named) or (
            last_speaker if last_speaker is not None and last_speaker.kind == "Person"
            else None)
        at = anaphor if anaphor is not None else verb
        anchor = max(anaphor.end, verb.end) if anaphor is not None else None
    elif speaker is None and anaphor is not None:
        # "وأوضح المصدر ذاته أن", "وأضاف بيان الوزارة أن", "..., the statement said": the
        # last speaker, else the agency named last before it.
        speaker = _antecedent(anaphor, verb, cast.named, last_speaker)
        anchor = max(anaphor.end, verb.end)
        at = anaphor
    elif speaker is None and verb.kind == "cue:speech_participles":
        # "التمس ممثل النيابة العامة ...، مؤكدا أن": the subject named earlier in the
        # sentence, else the last speaker.
        speaker = _nearest_before(verb, free) or (
            last_speaker if last_speaker and 0 <= verb.sentence - last_speaker.sentence <= 3
            else None)
    elif speaker is None and last_speaker is not None and \
            verb.kind != "cue:source_markers" and \
            0 <= verb.sentence - last_speaker.sentence <= 3 and \
            _no_subject(doc, lex, verb) and not _plural_after(verb, cast.plural) and \
            _no_subject_before(doc, lex, verb, words):
        speaker = _introduced_since(verb, free, last_speaker, claims) or last_speaker
    elif speaker is None and not lex.cased and _no_subject(doc, lex, verb) and \
            verb.kind == "cue:speech_verbs" and not _plural_after(verb, cast.plural):
        # "وقال في تصريح للجريدة إن ...": the verb's own pronoun, for the person just named
        speaker = _introduced_since(verb, free, None, claims)
    if speaker is None:
        return None
    return Attribution(speaker, at or speaker, anchor)


def surnames(doc: Document, lex: Lexicon, speakers: list[Mention]) -> list[Mention]:
    """A person named in full and then by the surname alone ("..., Verhaegen said."): each
    later bare surname stands for that person."""
    full = {}
    for s in speakers:
        parts = s.text.split()
        if s.kind == "Person" and len(parts) >= 2 and len(parts[-1]) >= 3:
            full.setdefault(fold(parts[-1].strip(".,")), s)
    if not full:
        return []
    covered = {i for s in speakers for i in range(s.first_token, s.last_token + 1)}
    out = []
    for t in doc.tokens:
        name = full.get(t.norm)  # (a word's norm is its text, folded)
        if name is None or t.index in covered or t.start < name.start:
            continue
        if lex.cased and not doc.text[t.start].isupper():
            continue
        out.append(Mention("Person", t.start, t.end, doc.text[t.start:t.end], t.sentence,
                           t.index, t.index, ref=name.ref))
    return out


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
    if lex.cased and before and all(s.first_token - verb.last_token > 2 for s in after) \
            and not _inverted(doc, verb):
        after = []  # subject first: "the Nigerian Army said troops of Operation X had ..."
    if after:
        people = [s for s in after if s.kind == "Person"]
        return min(people or after, key=lambda s: s.first_token)
    if before:
        return max(before, key=lambda s: s.last_token)
    return None


def _inverted(doc: Document, verb: Mention) -> bool:
    """A speech verb right after a comma comes after what it reports, and its subject after
    it: "..., indique un communiqué du ministère", "..., said a statement by the ministry"."""
    if verb.first_token == 0:
        return False
    before = doc.tokens[verb.first_token - 1]
    return before.sentence == verb.sentence and "," in doc.text[before.start:verb.start]


def _names_overlap(anaphor: Mention, named: list[Mention]) -> bool:
    """"selon le ministère de l'Intérieur": the anaphor's words open a name."""
    return any(s.first_token <= anaphor.last_token and s.last_token >= anaphor.first_token
               for s in named)


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
    # the cue as the vocabulary writes it: "للمكتب" is read as "المكتب"
    head = _head(anaphor.ref if isinstance(anaphor.ref, str) else anaphor.text)
    before = sorted((s for s in speakers if s.kind == "Agency" and s.end <= verb.start),
                    key=lambda s: -s.start)
    def names(s: Mention) -> bool:
        return len(head) >= 3 and head in {_head(w) for w in s.text.split()}
    if last_speaker is not None and names(last_speaker):
        return last_speaker
    return next((s for s in before if names(s)), None) or last_speaker or \
        next(iter(before), None)


def _subject_before(lex: Lexicon, anaphor: Mention, speaker: Mention, verb: Mention) -> bool:
    """Where the subject comes first, an anaphor right before the verb ("the ministry said",
    "He said") is its subject: a body named a few words after the verb is part of the words."""
    return lex.cased and anaphor.last_token < verb.first_token and \
        speaker.first_token - verb.last_token > 2


def _is_pronoun(verb: Mention, anaphor: Mention | None, words: dict) -> bool:
    if anaphor is not None and fold(anaphor.text) in words["speaker_pronouns"]:
        return True
    return anaphor is None and any(re.search(re.escape(p) + r"(?:\s|$)", fold(verb.text))
                                   for p in words["inverted_pronouns"])


def _person_before(verb: Mention, speakers: list[Mention]) -> Mention | None:
    people = [s for s in speakers if s.kind == "Person" and s.end <= verb.start
              and 0 <= verb.sentence - s.sentence <= 4]
    return max(people, key=lambda s: s.end) if people else None


def _introduced_since(verb: Mention, speakers: list[Mention], last_speaker: Mention | None,
                      claims: list[tuple[int, int]]) -> Mention | None:
    """A person named after the last statement and in the two sentences before the verb
    ("... توقف الباحث X عند ... . وقال إن"): the verb's subject rather than the last speaker."""
    since = max((b for a, b in claims if b <= verb.start), default=-1)
    if last_speaker is not None:
        since = max(since, last_speaker.end)
    people = [s for s in speakers if s.kind == "Person" and since <= s.start
              and s.end <= verb.start and 0 <= verb.sentence - s.sentence <= 2]
    return max(people, key=lambda s: s.end) if people else None


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


def _relative_of(doc: Document, lex: Lexicon, speaker: Mention, verb: Mention) -> bool:
    """"..., indique le parquet, qui évoque « ... »": the speaker, a comma and a relative
    pronoun right before the verb."""
    return verb.first_token - speaker.last_token == 2 and \
        doc.tokens[speaker.last_token + 1].norm in lex.relative_pronouns and \
        bool(re.match(r"\s*[,،]", doc.text[speaker.end:doc.tokens[speaker.last_token + 1].start]))


def _clause_between(doc: Document, lex: Lexicon, a: int, b: int) -> bool:
    """A relative clause or complement between two tokens ("الأبحاث التي أجراها X"); "عن"
    after an issuer word names who issued what is said ("البيان الصادر عن المكتب")."""
    issuers = word_set(lex.lang, "issuer_words")
    return any(t.norm in lex.clause_words and not (k > a + 1 and doc.tokens[k - 1].norm in issuers)
               for k, t in enumerate(doc.tokens[a + 1:b], a + 1))


def _no_subject(doc: Document, lex: Lexicon, verb: Mention) -> bool:
    """"وأضاف أن ...", "وتابع: ...", "وقال في تصريح للجريدة إن": the verb has no subject
    of its own, only, at most, where and to whom it was said."""
    after = doc.text[verb.end:verb.end + 120]
    setting = lex.speech_setting.match(after) if lex.speech_setting else None
    if setting is not None:
        # the setting may name the outlet in a few words: "لوكالة الأنباء الفرنسية إن"
        words = list(re.finditer(r"\s*[^\s،,:]+", after[setting.end():]))[:3]
        ends = [setting.end()] + [setting.end() + w.end() for w in words]
        return any(lex.complement.match(after[e:e + 12]) for e in ends)
    return bool(lex.complement.match(after[:12]))


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
