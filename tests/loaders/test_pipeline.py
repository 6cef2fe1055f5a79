"""Sentences with offsets into the original text; verbatim repeated paragraphs read once."""
from __future__ import annotations

import re

from ctkg.loaders.pipeline import paragraphs, sentences, unique_paragraphs

from tests.conftest import ROOT

SEED = ROOT / "examples" / "seed-ar-001.txt"

TEXT = ("عنوان الخبر\n"
        "\n"
        "قال المتحدث إن الخلية فُككت. وأضاف أن التحقيق مستمر؟ نعم!\n"
        "The U.S. embassy said 3.5 kg were seized. Police arrested two (in Rabat).  \n"
        "   \n"
        "قال: «انتهى الأمر.» ثم غادر")


def test_sentences_and_their_offsets():
    got = sentences(TEXT)
    assert [s.text for s in got] == [
        "عنوان الخبر",
        "قال المتحدث إن الخلية فُككت.",
        "وأضاف أن التحقيق مستمر؟",
        "نعم!",
        "The U.S. embassy said 3.5 kg were seized.",
        "Police arrested two (in Rabat).",
        "قال: «انتهى الأمر.»",
        "ثم غادر",
    ]
    for k, s in enumerate(got):
        assert s.index == k
        assert TEXT[s.start:s.end] == s.text
    assert [s.paragraph for s in got] == [0, 1, 1, 1, 2, 2, 3, 3]
    assert got[4].start == TEXT.index("The U.S.")
    assert got[-1].end == len(TEXT)


def test_paragraphs_are_non_blank_lines():
    assert [TEXT[a:b] for a, b in paragraphs(TEXT)] == [
        line for line in TEXT.split("\n") if line.strip()]


def seed_lines() -> tuple[str, list[tuple[int, int]]]:
    text = SEED.read_text(encoding="utf-8")
    return text, [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


def test_the_seed_repeats_paragraphs_2_to_4():
    text, lines = seed_lines()
    assert len(lines) == 7
    assert [text[a:b] for a, b in lines[4:7]] == [text[a:b] for a, b in lines[1:4]]


def test_a_paragraph_repeated_verbatim_is_read_once():
    text, lines = seed_lines()
    assert unique_paragraphs(text) == lines[:4]
    repeat_start = lines[4][0]
    kept = sentences(text)
    assert kept and all(s.end <= repeat_start for s in kept)
    # exactly the sentences of the text without its repeated tail, at the same offsets
    assert kept == sentences(text[:repeat_start])
    # without repeat removal the repeated paragraphs are read again
    everything = sentences(text, skip_repeats=False)
    assert len(everything) > len(kept)
    assert {s.text for s in everything} == {s.text for s in kept}


def test_a_paragraph_that_differs_is_kept():
    text = "فككت الخلية في طنجة.\nفككت الخلية في فاس.\nفككت الخلية في طنجة.\n"
    assert [text[a:b] for a, b in unique_paragraphs(text)] == [
        "فككت الخلية في طنجة.", "فككت الخلية في فاس."]
    assert [s.text for s in sentences(text)] == [
        "فككت الخلية في طنجة.", "فككت الخلية في فاس."]


def test_links_to_other_stories_are_not_read():
    from ctkg.loaders.pipeline import sentences

    text = ("فككت السلطات خلية إرهابية بطنجة.\n"
            "اقرأ أيضا: تفكيك خلية إرهابية بفاس\n"
            "Lire aussi : Une cellule démantelée à Tétouan\n"
            "وأوضح المصدر أن التحقيق متواصل.\n")
    kept = [s.text for s in sentences(text)]
    assert kept == ["فككت السلطات خلية إرهابية بطنجة.", "وأوضح المصدر أن التحقيق متواصل."]
