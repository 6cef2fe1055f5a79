"""Names across scripts: one ASCII key for a person, organisation or place name written in
Arabic or Latin letters, and a similarity between two names for merge candidates.

    >>> latin_key("Iyad Ag Ghaly") == latin_key("إياد أغ غالي")
    True

`romanize` writes Arabic words in readable ASCII letters ("أسود الخلافة" -> "asud al-khlafa":
unvocalised Arabic has no short vowels to give). `fold` is lower-case ASCII of any script.
`latin_key` is the matching key: a consonant skeleton of each word, after the name particles
are normalised (al-/el-, Abd al-, ben/bin/ibn/ould) and spellings of one sound merged (ou/u,
ch/sh, kh, gh/g/j/dj, q/k, doubled letters), so "Abu Walid al-Sahrawi", "Adnan Abou Walid
Al-Sahraoui" and "عدنان أبو الوليد الصحراوي" share their words. The letter tables and the
particles are data: ctkg/resources/names.yaml.

Pure Python with two small libraries (anyascii, rapidfuzz); nothing here knows about Neo4j.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

_ARABIC_LETTER = re.compile(r"[\u0620-\u064a\u0671-\u06d3\u06fa-\u06ff]")
_ARABIC_WORD = re.compile(r"[\u0620-\u065f\u0670-\u06d3\u06fa-\u06ff]+")
_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_WORD = re.compile(r"[a-z0-9]+")
# How much a word's spelling with its vowels weighs against its skeleton in name_similarity:
# Latin spellings of one Arabic name vary in their vowels (Mohamed, Muhammad), two Arabic
# names differ by theirs (سعاد, سعيد).
SPELLING_WEIGHT = 0.4
SPELLING_WEIGHT_ARABIC = 0.8
# A name with an initial in it is partial: at most this similar to any other.
INITIALS_FACTOR = 0.85
# Words paired in another order ("Ibrahim Danjuma", "Danjuma Ocheja Ibrahim") weigh less.
SWAPPED_FACTOR = 0.95


@dataclass(frozen=True)
class _Tables:
    letters: dict[str, str]
    initial: dict[str, str]
    weak: dict[str, tuple[str, str]]
    long_a: frozenset[str]
    article: str
    clitics: tuple[tuple[str, str], ...]
    key_final: dict[str, str]
    particles: tuple[tuple[re.Pattern, str], ...]
    digraphs: tuple[tuple[str, str], ...]
    vowels: frozenset[str]
    semivowels: frozenset[str]


@lru_cache(maxsize=1)
def tables() -> _Tables:
    """The letter tables and particles of ctkg/resources/names.yaml, read once."""
    text = resources.files("ctkg").joinpath("resources/names.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    ar, lat = data["arabic"], data["latin"]
    clitics = sorted(ar["article_clitics"].items(), key=lambda kv: -len(kv[0]))
    return _Tables(
        letters={k: v or "" for k, v in ar["letters"].items()},
        initial=dict(ar["initial"]),
        weak={k: (v[0], v[1]) for k, v in ar["weak"].items()},
        long_a=frozenset(ar["long_a"]),
        article=ar["article"],
        clitics=tuple(clitics),
        key_final=dict(ar["key_final"]),
        particles=tuple((re.compile(p), r) for p, r in lat["particles"]),
        digraphs=tuple((a, b) for a, b in lat["digraphs"]),
        vowels=frozenset(lat["vowels"]),
        semivowels=frozenset(lat["semivowels"]),
    )


def has_arabic(text: str) -> bool:
    return bool(_ARABIC_LETTER.search(text or ""))


def _romanize_word(word: str, t: _Tables) -> str:
    prefix = ""
    for clitic, latin in t.clitics:
        if word.startswith(clitic) and len(word) > len(clitic) + 1:
            prefix, word = latin, word[len(clitic):]
            break
    else:
        if word.startswith(t.article) and len(word) > len(t.article) + 1:
            prefix, word = "al-", word[len(t.article):]
    out = []
    for i, ch in enumerate(word):
        if i == 0 and ch in t.initial:
            out.append(t.initial[ch])
        elif ch in t.weak:
            before = word[i - 1] if i else ""
            after = word[i + 1] if i + 1 < len(word) else ""
            consonant = i == 0 or before in t.long_a or after in t.long_a
            out.append(t.weak[ch][0 if consonant else 1])
        else:
            out.append(t.letters.get(ch, ch))
    return prefix + "".join(out)


def romanize(text: str) -> str:
    """The text with its Arabic words in ASCII letters (diacritics and tatweel dropped);
    anything else is left as written."""
    t = tables()
    text = _MARKS.sub("", unicodedata.normalize("NFKC", text or ""))
    return _ARABIC_WORD.sub(lambda m: _romanize_word(m.group(0), t), text)


def fold(text: str) -> str:
    """Lower-case ASCII in any script: Arabic romanized, accents dropped, other scripts
    through anyascii ("Ghaly", "GHALY", "Ghâly" and "غالي" fold alike up to spelling)."""
    from anyascii import anyascii

    text = unicodedata.normalize("NFKD", romanize(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return anyascii(text).lower()


def ascii_slug(key: str) -> str:
    """Lower-case ASCII letters, digits and '-' for an id key in any script ("" when nothing
    is left). The key may be folded already (graph.ids.slug writes ة as ه: a word-final ه is
    read as ة)."""
    t = tables()
    finals = "".join(t.key_final)
    if finals:
        key = re.sub(f"([{finals}])(?![\u0620-\u064a])",
                     lambda m: t.key_final[m.group(1)], key)
    return re.sub(r"[^a-z0-9]+", "-", fold(key)).strip("-")


def _spelled(name: str) -> list[str]:
    """The folded words after the particle rewrites and the sound merges (vowels kept)."""
    t = tables()
    text = fold(name)
    for pattern, replacement in t.particles:
        text = pattern.sub(replacement, text)
    words = []
    for word in _WORD.findall(text):
        for a, b in t.digraphs:
            word = word.replace(a, b)
        words.append(re.sub(r"(.)\1+", r"\1", word))
    return words


def _skeleton(word: str, t: _Tables) -> str:
    out = []
    for i, ch in enumerate(word):
        after = word[i + 1] if i + 1 < len(word) else ""
        if ch in t.vowels or (ch in t.semivowels and after not in t.vowels):
            if i == 0:
                out.append("a")  # a word that starts with a vowel, ayn or hamza
            continue
        out.append(ch)
    return re.sub(r"(.)\1+", r"\1", "".join(out))


@lru_cache(maxsize=8192)
def _pairs(name: str) -> tuple[tuple[str, str], ...]:
    """(skeleton, spelling) of each word of the name that has a skeleton."""
    t = tables()
    return tuple((s, w) for s, w in ((_skeleton(w, t), w) for w in _spelled(name)) if s)


def key_words(name: str) -> list[str]:
    """The words of `latin_key`, in the name's order."""
    return [s for s, _ in _pairs(name)]


def latin_key(name: str) -> str:
    """A script-independent ASCII key: the consonant skeleton of each word, space-separated.

    "Iyad Ag Ghaly" and "إياد أغ غالي" give "ayd ag gl"; "Amadou Koufa" and "أمادو كوفا"
    give "amd kf". Different names can share a key (unvocalised Arabic cannot tell Hassan
    from Hassen): use `name_similarity` to compare, and the key to find candidates.
    """
    return " ".join(key_words(name))


def name_similarity(a: str, b: str) -> float:
    """How alike two names are, in [0, 1], across Arabic and Latin spellings.

    Each word of the shorter name is paired with one word of the longer one, closest pairs
    first (skeletons weigh 0.6, the spellings with their vowels 0.4; between two Arabic
    names 0.2 and 0.8). The score is the mean
    of the pairs' similarities and of their minimum, lowered when the longer name has words
    the shorter one lacks. Names with different numbers of words are also compared joined
    up: "بنكيران" is "Ben Kirane" written in one word. Initials are left out, and a name
    with one scores at most INITIALS_FACTOR; words paired out of order cost SWAPPED_FACTOR.
    """
    from rapidfuzz.fuzz import ratio

    pa, pb = _pairs(a), _pairs(b)
    # an initial ("Abdelkader R.", "ب. عبد القادر") stands for a word that cannot be compared
    initials = any(len(w) == 1 for _, w in pa + pb)
    pa, pb = tuple(p for p in pa if len(p[1]) > 1), tuple(p for p in pb if len(p[1]) > 1)
    if not pa or not pb:
        return 0.0
    factor = INITIALS_FACTOR if initials else 1.0
    short, long_ = (pa, pb) if len(pa) <= len(pb) else (pb, pa)

    # Two Arabic names spell their long vowels alike (سعاد, سعيد): their spellings weigh more.
    weight = SPELLING_WEIGHT_ARABIC if has_arabic(a) and has_arabic(b) else SPELLING_WEIGHT

    def sim(x: tuple[str, str], y: tuple[str, str]) -> float:
        return ((1 - weight) * ratio(x[0], y[0]) + weight * ratio(x[1], y[1])) / 100

    # the closest pairs first, each word used once (the same pairs whichever name comes first)
    pairs = sorted(((sim(x, y), i, j) for i, x in enumerate(short) for j, y in enumerate(long_)),
                   key=lambda p: (-p[0], min(short[p[1]], long_[p[2]]),
                                  max(short[p[1]], long_[p[2]])))
    used_short, used_long, scores, matched = set(), set(), [], []
    for score, i, j in pairs:
        if i not in used_short and j not in used_long:
            used_short.add(i)
            used_long.add(j)
            scores.append(score)
            matched.append((i, j))
    order = [j for _, j in sorted(matched)]
    if order != sorted(order):
        factor *= SWAPPED_FACTOR
    coverage = len(short) / len(long_)
    # one different word (Mohamed Ali, Mohamed Amine) weighs as much as all the others
    tokens = (sum(scores) / len(scores) + min(scores)) / 2 * (0.7 + 0.3 * coverage)
    if len(short) == 1 and len(long_) > 1:
        tokens *= 0.9  # one word (a first name, a family name) says little alone
    if len(pa) != len(pb):
        joined = sim(("".join(s for s, _ in pa), "".join(w for _, w in pa)),
                     ("".join(s for s, _ in pb), "".join(w for _, w in pb)))
        tokens = max(tokens, joined)
    return round(min(1.0, tokens) * factor, 3)
