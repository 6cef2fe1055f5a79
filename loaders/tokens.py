"""Normalisation and the spaCy tokenizer every pipeline shares (`ctkg.tokenizer.v1`).

Matching happens on `token.norm_`: Arabic is folded with camel-tools (alef, alef maksura,
teh marbuta, diacritics, tatweel); French and English are case- and accent-folded. Tokens
keep their character offsets into the original text (`token.idx`), so every span reported
points into what the article says.

Arabic proclitics (و ف, then ب ل ك, then the article ال) become tokens of their own when the
rest of the word is a word the vocabulary knows, or starts with the article: "والمغرب" is
و + ال + مغرب and "للمغرب" is ل + ل(ال) + مغرب, while "وزارة" stays whole. French elisions
("l'État") are split the same way. A hyphen inside a
name is glued to the token before it, and a quote to the word it opens or closes, and both
are left out of the norm, as is a possessive "'s": "al-Qaida" and "al Qaida", 'تنظيم "الدولة"' and "تنظيم الدولة"
match alike.

`token.lemma_` is the norm without an attached pronoun when that reading is a known word
("أكده" -> "اكد"): cue phrases are matched on it.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Iterable, NamedTuple

import numpy
from spacy.attrs import IDX, LEMMA, NORM
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from ctkg.errors import CtkgError

# Installed apart, without its dependencies (its full set pulls torch): the Makefile pins the
# same version, and a plain `pip install ctkg` says in one line what else to run.
CAMEL_TOOLS = "camel-tools==1.6.0"


class MissingDependency(CtkgError):
    """A package the extractor needs that a plain install of ctkg does not bring."""


try:
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (normalize_alef_ar, normalize_alef_maksura_ar,
                                             normalize_teh_marbuta_ar, normalize_unicode)
except ModuleNotFoundError as exc:
    if not (exc.name or "").startswith("camel_tools"):
        raise
    raise MissingDependency(
        f"extraction needs camel-tools, which is installed apart: "
        f"pip install --no-deps {CAMEL_TOOLS}") from None

TATWEEL = "\u0640"


APOSTROPHES = "’ʼ"  # right single quotation mark, modifier letter apostrophe
# A quote's closing mark, by its opening one.
CLOSING_QUOTES = {'"': '"', "«": "»", "“": "”", "„": "“"}


def quotes_left_open(text: str) -> set[str]:
    """The closing marks of the quotes this text opens and does not close."""
    return {closing for opening, closing in CLOSING_QUOTES.items()
            if (text.count(opening) % 2 == 1 if opening == closing
                else text.count(opening) > text.count(closing))}


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """One character, normalised; may be empty (diacritics) or longer (ligatures)."""
    if ch == TATWEEL:
        return ""
    out = normalize_unicode(ch)
    if "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff":
        out = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(out))))
        return out.replace(TATWEEL, "")
    # Latin: lower-case, accents removed ("État" -> "etat"); the typographic apostrophe read as
    # the vocabulary's (real reporting writes "d’une", the phrase lists "d'une"); other
    # quotes kept as is.
    if ch in APOSTROPHES:
        return "'"
    decomposed = unicodedata.normalize("NFKD", out.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class _FoldTable(dict):
    """`str.translate` table of `fold_char`, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = fold_char(chr(code))
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    return text.translate(_FOLD)


# A word: letters, digits and their combining marks (Arabic harakat, Latin accents written
# apart), with inner apostrophes ("qa'ida", "aujourd'hui").
_W = "\\w\u0300-\u036f\u064b-\u065f\u0670\u06d6-\u06ed"
_PIECE = re.compile(f"([{_W}]+(?:['’][{_W}]+)*)|(\\s+)|(.)", re.S)
_HYPHENS = "-‐‑"
_QUOTES = "\"«»“”„"
_CONJ = ("و", "ف")
_PREP = ("ب", "ل", "ك")
ARTICLE = "ال"
_SUFFIXES = ("هما", "هم", "ها", "ه", "كم", "نا")
_ELISION = re.compile(r"^(?:l|d|qu|j|n|s|c|m|t|jusqu|lorsqu|puisqu)['’](?=\w)", re.I)
_POSSESSIVE = re.compile(r"(?<=\w)['’]s$", re.I)
_ARABIC = re.compile(r"[\u0600-\u06ff]")


@dataclass(frozen=True)
class Known:
    """The words the vocabulary spells (folded, also without the article)."""

    names: frozenset[str]


@dataclass(frozen=True)
class TokenTable:
    """Each spaCy token's text, start offset, norm and trailing space, as the tokenizer made
    them: the rules that look at many tokens read these lists (`doc[i]` builds a Token object
    at every read)."""

    texts: list[str]
    starts: list[int]
    norms: list[str]
    spaces: list[bool]

    def touching(self, start: int, end: int) -> tuple[int, int] | None:
        """The tokens [first, last + 1) that the characters [start, end) touch, as
        `Doc.char_span(..., alignment_mode="expand")` finds them (a start in a token's trailing
        space begins at the next token); None outside the text."""
        starts, texts, spaces = self.starts, self.texts, self.spaces
        first = bisect_right(starts, start) - 1
        last = bisect_right(starts, end - 1) - 1
        if first < 0 or last < 0 or start >= starts[first] + len(texts[first]) + spaces[first] \
                or end > starts[last] + len(texts[last]) + spaces[last]:
            return None  # past the text's end
        if start == starts[first] + len(texts[first]):
            first += 1
        return first, last + 1


def token_table(doc: Doc) -> TokenTable:
    """The doc's TokenTable: kept by the tokenizer, else read from the doc once."""
    table = doc.user_data.get("ctkg.table")
    if table is None:
        table = TokenTable([t.text for t in doc], [t.idx for t in doc],
                           [t.norm_ for t in doc], [bool(t.whitespace_) for t in doc])
        doc.user_data["ctkg.table"] = table
    return table


@dataclass(frozen=True)
class Piece:
    """One token of a word: its surface text, its norm and lemma, and whether it is a clitic."""

    text: str
    norm: str
    lemma: str
    clitic: bool = False


class _StringIds(dict):
    """The vocabulary's id of each norm and lemma met, the string added to it at first sight
    (the vocabulary keeps every string it is given anyway; a dict is read faster)."""

    def __init__(self, strings) -> None:
        super().__init__()
        self.strings = strings

    def __missing__(self, text: str) -> int:
        self[text] = key = self.strings.add(text)
        return key


class Tokenizer:
    """Words, punctuation and whitespace as spaCy tokens; clitics split (see the module)."""

    def __init__(self, vocab: Vocab, known: "Known") -> None:
        self.vocab = vocab
        self.known = known
        # A word's tokens, by the word alone, ready to append (words recur from article to
        # article; `_pieces` also hashes `known` at every call).
        self._split_of = lru_cache(maxsize=1 << 17)(partial(_split, known=known))
        self._string_ids = _StringIds(vocab.strings)

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        norms: list[str] = []
        lemmas: list[str] = []
        # (first token, last token, start, end) of each word; offsets without glued marks
        groups: list[tuple[int, int, int, int]] = []
        proclitics: set[int] = set()  # tokens that belong with the token after them
        opening = ""  # a quote glued to the next word
        end = 0  # where the piece read ends (pieces follow each other: any character is one)
        for word, space, other in _PIECE.findall(text):
            start = end
            end += len(word or space or other)
            if space:
                if space == " " and words and not spaces[-1]:
                    spaces[-1] = True
                    continue
                words.append(space), spaces.append(False), norms.append(space)
                lemmas.append(space)
                continue
            if other:
                after = text[end:end + 1]
                glues = groups and groups[-1][1] == len(words) - 1 and not spaces[-1]
                if other in _QUOTES and after.isalnum():
                    opening += other  # '"داعش': glued to the word that follows
                    continue
                if other in _HYPHENS and glues and after.isalnum() or \
                        other in _QUOTES and glues:
                    # "al-", 'الدولة"': the mark belongs to the word, not to its norm
                    words[-1] += other
                    continue
                words.append(opening + other), spaces.append(False)
                opening = ""
                folded = fold(other)
                norms.append(folded), lemmas.append(folded)
                continue
            first = len(words)
            split = self._split_of(word)
            words += split.texts
            if opening:
                words[first] = opening + words[first]
                opening = ""
            spaces += [False] * len(split.texts)
            norms += split.norms
            lemmas += split.lemmas
            for i in split.clitics:
                proclitics.add(first + i)
            groups.append((first, len(words) - 1, start, end))
        doc = Doc(self.vocab, words=words, spaces=spaces)
        if words:  # NORM and LEMMA in one array write (setting them token by token is slow)
            ids = self._string_ids
            array = numpy.empty((len(words), 2), dtype="uint64")
            array[:, 0] = [ids[n] for n in norms]
            array[:, 1] = [ids[lm] for lm in lemmas]
            doc.from_array([NORM, LEMMA], array)
        doc.user_data["ctkg.text"] = text  # spaCy rebuilds doc.text at every read
        doc.user_data["ctkg.table"] = TokenTable(words, doc.to_array(IDX).tolist(), norms, spaces)
        doc.user_data["ctkg.words"] = groups
        doc.user_data["ctkg.proclitics"] = proclitics
        doc.user_data["ctkg.pronouns"] = lemmas != norms  # a word read without its pronoun
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000):
        for text in texts:
            yield self(text)

    # Serialisation hooks spaCy expects of a tokenizer; the rules live in the vocabulary.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "Tokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        pass

    def from_disk(self, path, **kwargs) -> "Tokenizer":
        return self

    def pieces(self, word: str) -> tuple[Piece, ...]:
        return _pieces(word, self.known)


class WordSplit(NamedTuple):
    """A word's tokens as the tokenizer appends them: texts, norms, lemmas, and the positions
    of the proclitics among them."""

    texts: tuple[str, ...]
    norms: tuple[str, ...]
    lemmas: tuple[str, ...]
    clitics: tuple[int, ...]


def _split(word: str, known: "Known") -> WordSplit:
    pieces = _pieces(word, known)
    return WordSplit(tuple(p.text for p in pieces), tuple(p.norm for p in pieces),
                     tuple(p.lemma for p in pieces),
                     tuple(i for i, p in enumerate(pieces) if p.clitic))


@lru_cache(maxsize=1 << 17)
def _pieces(word: str, known: "Known") -> tuple[Piece, ...]:
    norm = fold(word)
    elided = _ELISION.match(word)
    if elided:
        head = word[:elided.end()]
        return (Piece(head, fold(head), fold(head), True),) + _pieces(word[elided.end():], known)
    possessive = _POSSESSIVE.search(word)
    if possessive:  # "army's": glued to the name, out of its norm, like a hyphen
        *pieces, last = _pieces(word[:possessive.start()], known)
        return (*pieces, Piece(last.text + word[possessive.start():], last.norm, last.lemma))
    if not _ARABIC.search(word):
        return (Piece(word, norm, norm),)
    cut = _proclitics(norm, known)
    if "".join(cut) == norm:
        cut = cut[:-1]  # a word is never all clitics
    out: list[Piece] = []
    pos = 0  # in `word`
    for clitic_norm in cut:
        end = _surface_end(word, pos, len(clitic_norm) if clitic_norm != ARTICLE or
                           not out or out[-1].norm != "ل" or word[pos:pos + 1] != "ل" else 1)
        out.append(Piece(word[pos:end], clitic_norm, clitic_norm, True))
        pos = end
    rest = word[pos:]
    rest_norm = fold(rest)
    return tuple(out) + (Piece(rest, rest_norm, _lemma(rest_norm, known)),)


def text_of(doc: Doc) -> str:
    """The article's text (kept by the tokenizer: `doc.text` is rebuilt at every read)."""
    return doc.user_data.get("ctkg.text") or doc.text


@lru_cache(maxsize=1 << 17)
def readings(norm: str) -> tuple[str, ...]:
    """A word's norm and every reading of it without proclitics, for the rules that ask "is
    this word, after its clitics, a place word?": "وبالرباط" -> ("وبالرباط", "بالرباط",
    "الرباط"), "للأمن" -> ("للامن", "لامن", "الامن"), "l'etat" -> ("l'etat", "etat"),
    "spain's" -> ("spain's", "spain"). Unlike the tokenizer's split, which is one reading that
    names and phrases match on, these are all the readings a word may have."""
    elided = _ELISION.match(norm)
    if elided:
        return (norm, norm[elided.end():])
    possessive = _POSSESSIVE.search(norm)
    if possessive:
        return (norm, norm[:possessive.start()])
    stems = [norm]
    if norm[:1] in _CONJ and len(norm) > 3:
        stems.append(norm[1:])
    for stem in list(stems):
        if stem[:1] in _PREP and len(stem) > 3:
            rest = stem[1:]
            stems.append(rest)
            if stem[0] == "ل" and rest.startswith("ل"):
                stems.append("ا" + rest)  # لل + noun = ل + ال + noun
    return tuple(dict.fromkeys(stems))


def _surface_end(word: str, start: int, letters: int) -> int:
    """Where `letters` normalised letters of `word` from `start` end (marks stay with them)."""
    pos, seen = start, 0
    while pos < len(word) and seen < letters:
        seen += len(fold_char(word[pos]))
        pos += 1
    while pos < len(word) and not fold_char(word[pos]):
        pos += 1
    return pos


def _proclitics(norm: str, known: "Known") -> tuple[str, ...]:
    """The proclitics of an Arabic word, as norms: ("و", "ب", "ال") for "وبالرباط"; a "لل"
    contraction gives ("ل", "ال"). A conjunction or preposition is cut off when what remains
    is a known word or starts with the article, and what remains is split the same way, so
    a word with a clitic is always that clitic and the word's own split ("بليون" is ب and
    whatever "ليون" is). A known word with an attached pronoun is not cut ("فككتها").

    The split is a function of the word alone, so a phrase and the text it is found in are
    cut alike."""
    if len(norm) > 3 and norm[0] in _CONJ + _PREP:
        rest = norm[1:]
        if norm[0] == "ل" and rest.startswith("ل") and not rest.startswith(ARTICLE) \
                and len(rest) >= 3 and (ARTICLE + rest[1:] in known.names or
                                        rest not in known.names):
            return ("ل", ARTICLE)  # لل + noun = ل + ال + noun ("لليون" is ل + ليون)
        # (a final ه is as often a teh marbuta as a pronoun: "لوكالة" is ل + وكالة)
        whole = not norm.endswith("ه") and _lemma(norm, known) != norm
        if not whole and _qualifies(rest, known.names):
            return (norm[0],) + _proclitics(rest, known)
    return _article(norm)


def _qualifies(rest: str, words: frozenset[str]) -> bool:
    if rest.startswith(ARTICLE):
        return len(rest) >= 4  # "وكالة" is not و + ك + "الة"
    return len(rest) >= 2 and rest in words or len(rest) > 3 and rest[0] in _CONJ + _PREP \
        and _qualifies(rest[1:], words)


def _article(norm: str) -> tuple[str, ...]:
    return (ARTICLE,) if norm.startswith(ARTICLE) and len(norm) >= 4 else ()


def _lemma(norm: str, known: "Known") -> str:
    """The norm without an attached pronoun, when that is a known word ("اوامره" -> "اوامر")."""
    if not _ARABIC.search(norm):
        return norm
    for suffix in _SUFFIXES:
        if norm.endswith(suffix) and len(norm) - len(suffix) >= 3:
            stem = norm[: -len(suffix)]
            return stem if stem in known.names else norm
    return norm


@registry.tokenizers("ctkg.tokenizer.v1")
def create_tokenizer():
    def make(nlp):
        return shared_tokenizer()
    return make


@lru_cache(maxsize=1)
def shared_tokenizer() -> Tokenizer:
    """One tokenizer (and one spaCy vocabulary) for the three languages: the vocabulary's
    phrases are compiled once and match in any of them."""
    return Tokenizer(Vocab(), known_words())


def known_words() -> Known:
    """Every word the vocabulary spells: gazetteer aliases, cue and grammar phrases."""
    from ctkg.loaders.gazetteer import load_gazetteer
    from ctkg.loaders.vocab import cues

    def walk(value, into: set[str]) -> None:
        if isinstance(value, str):
            into.update(fold(value).split())
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k, into), walk(v, into)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v, into)

    names: set[str] = set()
    for lang in ("ar", "fr", "en"):
        walk(cues(lang), names)
    for entry in load_gazetteer().entries.values():
        walk(entry.aliases, names)
    return Known(_with_bare_nouns(names))


def _with_bare_nouns(words: set[str]) -> frozenset[str]:
    words = words | {w[len(ARTICLE):] for w in words if w.startswith(ARTICLE)}
    return frozenset(w for w in words if len(w) >= 2)
