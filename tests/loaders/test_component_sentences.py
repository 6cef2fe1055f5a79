"""ctkg_sentences_v1: the kept sentences of an article, in each language.

A headline, a paragraph of two sentences, a link to another story ("Read also: ...") and a
verbatim repeat of the paragraph: the link and the repeat are not read, and the tokens that
open a kept sentence are the Doc's sentence starts.
"""
from __future__ import annotations

import pytest

from ctkg.loaders.articles import RawArticle
from ctkg.loaders.extractor import read

CASES = {
    "ar": ("تفكيك خلية في طنجة\n\n"
           "فككت الشرطة خلية إرهابية. وأوقفت أربعة أشخاص!\n"
           "اقرأ أيضا: تفكيك خلية أخرى في فاس.\n"
           "فككت الشرطة خلية إرهابية. وأوقفت أربعة أشخاص!\n",
           ["تفكيك خلية في طنجة", "فككت الشرطة خلية إرهابية.", "وأوقفت أربعة أشخاص!"]),
    "fr": ("Une cellule démantelée à Tanger\n\n"
           "La police a démantelé une cellule. Quatre suspects ont été arrêtés à 6 h 30.\n"
           "Lire aussi : une autre cellule démantelée à Fès.\n"
           "La police a démantelé une cellule. Quatre suspects ont été arrêtés à 6 h 30.\n",
           ["Une cellule démantelée à Tanger", "La police a démantelé une cellule.",
            "Quatre suspects ont été arrêtés à 6 h 30."]),
    "en": ("Cell dismantled in Tangier\n\n"
           "The U.S. embassy said 3.5 kg were seized. Four suspects were arrested.\n"
           "Read also: another cell dismantled in Fez.\n"
           "The U.S. embassy said 3.5 kg were seized. Four suspects were arrested.\n",
           ["Cell dismantled in Tangier", "The U.S. embassy said 3.5 kg were seized.",
            "Four suspects were arrested."]),
}


def _doc(lang: str):
    text, _ = CASES[lang]
    return read(RawArticle(text, lang=lang), until="ctkg_sentences_v1")


@pytest.mark.parametrize("lang", sorted(CASES))
def test_kept_sentences_and_their_offsets(lang):
    text, expected = CASES[lang]
    sents = _doc(lang).user_data["ctkg.sentences"]
    assert [s.text for s in sents] == expected
    assert [text[s.start:s.end] for s in sents] == expected
    assert [s.paragraph for s in sents] == [0, 1, 1]
    # nothing is read from the link or the repeat that follow the paragraph
    assert sents[-1].end <= text.index("\n", text.index(expected[-1]))


@pytest.mark.parametrize("lang", sorted(CASES))
def test_sentence_starts_are_set_on_tokens(lang):
    doc = _doc(lang)
    starts = {s.start for s in doc.user_data["ctkg.sentences"]}
    opening = [t.idx for t in doc if t.is_sent_start]
    assert set(opening) >= starts
    # every kept sentence opens on a token, and no token inside a sentence opens one
    assert [t.idx for t in doc if t.is_sent_start and t.idx in starts] == sorted(starts)
    for s in doc.user_data["ctkg.sentences"]:
        inside = [t for t in doc if s.start < t.idx < s.end]
        assert inside and not any(t.is_sent_start for t in inside)
