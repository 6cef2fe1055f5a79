"""Cue lexicons (vocab/cues_<lang>.yaml) as matchers and lookup tables."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ctkg.loaders.phrases import Phrases
from ctkg.loaders.pipeline import Document, Mention
from ctkg.loaders.tokens import fold
from ctkg.loaders.vocab import cues as load_cues

# Categories whose entries are plain phrase lists; each becomes "cue:<category>" mentions.
PHRASE_CATEGORIES = ("weapons", "kingdom_words", "arrest", "investigation", "background",
                     "source_markers", "new_cell", "generic_cell", "plural_speakers", "activity",
                     "alias_markers", "intel_support", "speech_participles",
                     "speaker_anaphora", "org_anaphora", "continuations", "membership",
                     "media_names")
# Relation cues live under `relations:`; passive agent markers keep their own category.
RELATION_CATEGORIES = ("directed_by", "dismantled_by", "passive_agent", "affiliated_with",
                       "targeted", "operated_in", "leads")
# Categories that map a phrase to a value.
MAPPED_CATEGORIES = ("person_titles", "incident_kinds", "ordinals")


@dataclass
class Lexicon:
    lang: str
    matcher: Phrases
    cell_heads: set[str]
    cell_modifiers: set[str]
    numbers: dict[str, int]
    member_nouns: set[str]
    function_words: set[str]
    name_particles: set[str]
    group_words: set[str]
    place_words: set[str]
    locality_words: set[str]
    locality_adjectives: set[str]
    weak_cell_heads: set[str]
    first_names: set[str]
    person_intros: set[str]
    locatives: set[str]
    nationalities: dict[str, str]
    generic_agencies: Phrases
    cased: bool  # names are told by their capitals (French, English)
    modifiers_before: bool  # "terrorist cell" (English) vs "خلية إرهابية", "cellule terroriste"
    determiners: set[str]
    kingdom_terms: set[str]
    naming_words: set[str]
    clause_words: set[str]
    title_words: set[str]  # every word of every person title
    non_name_words: set[str]
    province_words: set[str]
    title_prepositions: set[str]
    inner_particles: set[str]
    relative_pronouns: set[str]
    what_words: set[str]
    attribution_tails: set[str]  # first words of what may follow a closing attribution
    complement: re.Pattern  # what opens a speaker's words
    speech_setting: re.Pattern | None  # where or to whom it was said, before the words
    origins: set[str]
    network_purposes: set[str]
    _unions: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def is_function_word(self, token: str) -> bool:
        return token in self.function_words

    def words(self, *names: str) -> frozenset[str]:
        """The union of some of its word sets (attributes, else `word_set` keys of its
        language), built once: the rules ask for the same union at every place."""
        union = self._unions.get(names)
        if union is None:
            union = self._unions[names] = frozenset().union(
                *(getattr(self, n) if hasattr(self, n) else word_set(self.lang, n)
                  for n in names))
        return union


def _flat(values) -> list[str]:
    if isinstance(values, dict):
        return [k for k in values]
    return [str(v) for v in values or ()]


@lru_cache(maxsize=None)
def word_set(lang: str, key: str) -> frozenset[str]:
    """A word list of the vocabulary that the Lexicon does not carry (a rule's own key, such
    as "seat_words" or "place_list_joiners"), folded."""
    return frozenset(_folded(load_cues(lang).get(key)))


def _folded(words) -> set[str]:
    return {fold(str(w)) for w in words or ()}


def _phrase_matcher(mapping: dict) -> Phrases:
    matcher = Phrases()
    for phrase, value in mapping.items():
        matcher.add(phrase, (phrase, tuple(value)))
    return matcher


@lru_cache(maxsize=None)
def lexicon(lang: str) -> Lexicon:
    raw = load_cues(lang)
    matcher = Phrases(on_lemma=True)
    for category in PHRASE_CATEGORIES:
        for phrase in _flat(raw.get(category)):
            matcher.add(phrase, (category, phrase))
    for category in RELATION_CATEGORIES:
        for phrase in _flat((raw.get("relations") or {}).get(category)):
            matcher.add(phrase, (category, phrase))
    # speech_verbs: lemma -> surface forms
    for lemma, forms in (raw.get("speech_verbs") or {}).items():
        for form in forms or [lemma]:
            matcher.add(form, ("speech_verbs", lemma))
    for category in MAPPED_CATEGORIES:
        for phrase, value in (raw.get(category) or {}).items():
            matcher.add(phrase, (category, value))
    return Lexicon(
        lang=lang,
        matcher=matcher,
        cell_heads=({fold(w) for w in raw.get("cell_heads") or ()}
                    | {fold(w) for w in raw.get("cell_heads_need_modifier") or ()})
        - {fold(w) for w in raw.get("plural_cell_heads") or ()},
        cell_modifiers={fold(w) for w in raw.get("cell_modifiers") or ()},
        numbers={fold(str(k)): int(v) for k, v in {**(raw.get("number_words") or {}),
                                                  **(raw.get("dual_nouns") or {})}.items()},
        member_nouns={fold(w) for w in raw.get("member_nouns") or ()},
        function_words={fold(w) for w in raw.get("function_words") or ()},
        name_particles={fold(w) for w in raw.get("name_particles") or ()},
        group_words={fold(w) for w in raw.get("group_words") or ()},
        place_words=_folded(raw.get("place_words")),
        locality_words=_folded(raw.get("locality_words")),
        locality_adjectives=_folded(raw.get("locality_adjectives")),
        weak_cell_heads={fold(w) for w in raw.get("cell_heads_need_modifier") or ()}
        | {fold(w) for w in raw.get("weak_cell_heads") or ()},
        network_purposes={fold(w) for w in raw.get("network_purposes") or ()},
        first_names={fold(w) for w in raw.get("first_names") or ()},
        person_intros={fold(w) for w in raw.get("person_intros") or ()},
        locatives={fold(w) for w in raw.get("locatives") or ()},
        nationalities={fold(k): v for k, v in (raw.get("nationalities") or {}).items()},
        generic_agencies=_phrase_matcher(raw.get("generic_agencies") or {}),
        cased=bool(raw.get("cased")),
        modifiers_before=raw.get("modifier_position") == "before",
        determiners=_folded(raw.get("determiners")),
        kingdom_terms=_folded(raw.get("kingdom_terms")),
        naming_words=_folded(raw.get("naming_words")),
        clause_words=_folded(raw.get("clause_words")),
        title_words={w for t in raw.get("person_titles") or {} for w in fold(t).split()},
        non_name_words=_folded(raw.get("non_name_words")),
        province_words=_folded(raw.get("province_words")),
        title_prepositions=_folded(raw.get("title_prepositions")),
        inner_particles=_folded(raw.get("inner_particles")),
        relative_pronouns=_folded(raw.get("relative_pronouns")),
        what_words=_folded(raw.get("what_words")),
        attribution_tails=_folded(raw.get("attribution_tails")),
        complement=re.compile(raw.get("complement_regex") or r"^[\s,]*:"),
        speech_setting=re.compile(raw["speech_setting_regex"])
        if raw.get("speech_setting_regex") else None,
        origins={fold(w) for w in raw.get("origins") or ()},
    )


def cue_mentions(doc: Document, lex: Lexicon) -> list[Mention]:
    """Every cue phrase found, once per category it belongs to ("المسؤول" is a title and a
    membership word)."""
    out = []
    for refs, m in doc.find(lex.matcher, "cue"):
        seen = set()
        for category, value in refs:
            if category in seen:
                continue
            if seen:  # another category of the same phrase: a mention of its own
                m = Mention(m.kind, m.start, m.end, m.text, m.sentence, m.first_token,
                            m.last_token, m.ref, m.props)
            seen.add(category)
            m.kind, m.ref = f"cue:{category}", value
            out.append(m)
    return out


_NOT_SPACE = re.compile(r"[^\s'’]")  # (compiled once: read for every incident cue)
PLANNED_KINDS = ("attack", "bombing")  # what a plot word turns into a foiled plot
PLAN_WINDOW = 4  # tokens before an attack word in which a plot word makes it a plan


def token_forms(tok) -> frozenset[str]:
    """A token's folded forms: with and without clitics and the article ("بمحكمة" ->
    "محكمه"; "المحكمة" -> "محكمه")."""
    return _forms(tok.variants)


@lru_cache(maxsize=1 << 16)
def _forms(variants: tuple[str, ...]) -> frozenset[str]:
    """(Once per word: the rules ask for a token's forms again and again.)"""
    forms = set(variants)
    return frozenset(forms | {v[2:] for v in forms if v.startswith("ال") and len(v) > 4})


def incident_cues(doc: Document, lex: Lexicon, cues: list[Mention]) -> list[Mention]:
    """The incident-kind cues that tell an event: not a purpose with an abstract object
    ("لتحييد مخاطر", "neutraliser la menace": `non_event_objects`); an attack only planned
    ("projetait un attentat", "were planning an attack", "يخطط لتنفيذ هجوم": `plot_words`)
    is a foiled plot."""
    abstract, plot = word_set(lex.lang, "non_event_objects"), word_set(lex.lang, "plot_words")
    links = lex.determiners | word_set(lex.lang, "object_links")  # "la neutralisation de la"
    out = []
    for c in cues:
        if c.kind != "cue:incident_kinds":
            continue
        k = c.last_token + 1
        while k < len(doc.tokens) and doc.tokens[k].sentence == c.sentence and \
                doc.tokens[k].norm in links:
            k += 1
        if k < len(doc.tokens) and doc.tokens[k].sentence == c.sentence and \
                not _NOT_SPACE.search(doc.text[doc.tokens[k - 1].end:doc.tokens[k].start]) \
                and token_forms(doc.tokens[k]) & abstract:
            continue
        before = doc.tokens[max(0, c.first_token - PLAN_WINDOW):c.first_token]
        if c.ref in PLANNED_KINDS and any(t.sentence == c.sentence and token_forms(t) & plot
                                          for t in before):
            c = replace(c, ref="foiled-plot")
        out.append(c)
    return out
