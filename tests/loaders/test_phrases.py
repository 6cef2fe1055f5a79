"""Phrases (spaCy PhraseMatcher on NORM/LEMMA): clitic-aware, case-aware, longest match first; spans point into the original."""
from __future__ import annotations

import pytest

from ctkg.loaders.phrases import Phrases
from ctkg.loaders.tokens import fold, readings, shared_tokenizer

ALIASES = [
    ("المغرب", "morocco"),
    ("المكتب المركزي للأبحاث القضائية", "bcij"),
    ("المكتب", "office"),
    ("داعش", "isis"),
    ("طنجة", "tangier"),
    ("وجدة", "oujda"),
    ("جدة", "jeddah"),
    # the shorter alias first: the longest match must win whatever the order
    ("الدولة الإسلامية", "islamic-state-short"),
    ("تنظيم الدولة الإسلامية", "islamic-state-long"),
    ("الدولة الإسلامية في العراق والشام", "isil"),
]


@pytest.fixture(scope="module")
def matcher() -> Phrases:
    m = Phrases()
    for alias, ref in ALIASES:
        m.add(alias, ref)
    m.add("IS", "is-en", case_sensitive=True)
    return m


def find(matcher: Phrases, text: str) -> list[tuple[list, object]]:
    found = matcher.find(shared_tokenizer()(text))
    for _, m in found:
        assert m.text == text[m.start:m.end], "a match must be an exact substring of the text"
    return found


@pytest.mark.parametrize("text, ref, mention", [
    ("أعلنت السلطات بالمغرب عن تفكيك خلية", "morocco", "المغرب"),
    ("في تصريح للمغرب اليوم", "morocco", "للمغرب"),  # ل + ال contracts to لل
    ("وأفاد والمكتب بأن", "office", "المكتب"),
    ("خلية موالية لداعش في الساحل", "isis", "داعش"),
    ("اعتقل المشتبه فيه وبطنجة أمس", "tangier", "طنجة"),
    ("اعتقل المشتبه فيه وَبِطَنْجَة أمس", "tangier", "طَنْجَة"),
    ("والمكتب المركزي للأبحاث القضائية فكك الخلية", "bcij", "المكتب المركزي للأبحاث القضائية"),
    ("بعملية للمكتب المركزي للأبحاث القضائية", "bcij", "للمكتب المركزي للأبحاث القضائية"),
], ids=["bi", "lil-contraction", "wa", "li", "wa-bi", "wa-bi-diacritics", "multiword",
        "lil-multiword"])
def test_clitics_are_stripped_and_the_span_is_in_the_text(matcher, text, ref, mention):
    found = find(matcher, text)
    assert [(refs, m.text) for refs, m in found] == [([ref], mention)]
    assert found[0][1].clitic is True
    assert text.index(mention) == found[0][1].start


def test_a_whole_token_alias_is_preferred_to_a_clitic_reading(matcher):
    # وجدة (Oujda) is not و + جدة (Jeddah) when both are aliases
    found = find(matcher, "اعتقل في وجدة ثلاثة أشخاص")
    assert [(refs, m.text, m.clitic) for refs, m in found] == [(["oujda"], "وجدة", False)]
    # ... while real clitics before it are still read
    found = find(matcher, "سافر وبوجدة ثم عاد")
    assert [(refs, m.text, m.clitic) for refs, m in found] == [(["oujda"], "وجدة", True)]


def test_case_sensitive_alias_matches_exact_case_only(matcher):
    text = "IS claimed the attack, but the police said this is not confirmed"
    found = find(matcher, text)
    assert [(refs, m.start, m.text) for refs, m in found] == [(["is-en"], 0, "IS")]
    assert find(matcher, "the threat is real, this is over") == []


def test_case_sensitive_alias_does_not_match_inside_a_longer_word(matcher):
    assert find(matcher, "ISIS and ISIL") == []


def test_longest_match_wins(matcher):
    text = "أعلن تنظيم الدولة الإسلامية مسؤوليته"
    found = find(matcher, text)
    assert [(refs, m.text) for refs, m in found] == [
        (["islamic-state-long"], "تنظيم الدولة الإسلامية")]
    found = find(matcher, "مقاتلو الدولة الإسلامية في العراق والشام")
    assert [(refs, m.text) for refs, m in found] == [
        (["isil"], "الدولة الإسلامية في العراق والشام")]
    found = find(matcher, "مقاتلو الدولة الإسلامية في الساحل")
    assert [(refs, m.text) for refs, m in found] == [
        (["islamic-state-short"], "الدولة الإسلامية")]


def test_matches_are_left_to_right_and_do_not_overlap(matcher):
    text = "فكك المكتب المركزي للأبحاث القضائية بطنجة خلية موالية لداعش"
    found = find(matcher, text)
    assert [refs for refs, _ in found] == [["bcij"], ["tangier"], ["isis"]]
    spans = [(m.start, m.end) for _, m in found]
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_one_alias_can_stand_for_several_refs():
    m = Phrases()
    m.add("الجزائر", "algeria")
    m.add("الجزائر", "algiers")
    m.add("الجزائر", "algeria")  # registered twice: still one ref
    [(refs, match)] = m.find(shared_tokenizer()("في الجزائر"))
    assert refs == ["algeria", "algiers"]
    assert match.text == "الجزائر"


def test_a_cue_reads_a_verb_without_its_pronoun_but_not_the_other_way():
    m = Phrases(on_lemma=True)
    m.add("أكد", "said")
    m.add("وصفه", "described")
    assert [r for r, _ in m.find(shared_tokenizer()("هذا ما أكده الخبير"))] == [["said"]]
    assert m.find(shared_tokenizer()("وصف الخبير")) == []


def test_a_name_does_not_start_after_the_article_nor_end_on_a_clitic():
    m = Phrases()
    m.add("خميس", "khemis")
    m.add("ب", "in")
    assert m.find(shared_tokenizer()("يوم الخميس بسكاكين")) == []


@pytest.mark.parametrize("text", ["عاد من شمال. إفريقيا تعاني", "عاد من شمال\n\nإفريقيا تعاني"],
                         ids=["sentence", "paragraph"])
def test_a_multiword_alias_does_not_span_a_sentence_end(text):
    m = Phrases()
    m.add("شمال إفريقيا", "north-africa")
    assert m.find(shared_tokenizer()(text)) == []
    assert [r for r, _ in m.find(shared_tokenizer()("في شمال إفريقيا"))] == [["north-africa"]]


@pytest.mark.parametrize("typed, written", [("d’une", "d'une"), ("l’Intérieur", "l'interieur"),
                                            ("dʼétat", "d'etat")])
def test_the_typographic_apostrophe_is_read_as_the_vocabulary_s(typed, written):
    assert fold(typed) == written
    assert fold("‘") == "‘"  # (an opening quote stays a quote)
