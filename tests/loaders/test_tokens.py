"""The shared tokenizer: matching runs on token norms (folded text), clitics are tokens of
their own, and every token keeps its offsets into the exact original text."""
from __future__ import annotations

import pytest

from ctkg.loaders.tokens import fold, quotes_left_open, readings, shared_tokenizer


def original_span(original: str, folded_needle: str) -> str:
    """The original text of the first run of whole tokens that folds to `folded_needle`
    (quotes glued to a word left out)."""
    doc = shared_tokenizer()(original)
    tokens = [t for t in doc if not t.is_space]
    for i, first in enumerate(tokens):
        for last in tokens[i:]:
            span = original[first.idx:last.idx + len(last.text)]
            if fold(span).replace('"', "") == folded_needle:
                return span
    raise AssertionError(f"{folded_needle!r} not read in {original!r}")


@pytest.mark.parametrize("original, needle, expected", [
    # diacritics inside a word (fatha, sukun, kasra, shadda)
    ("أعلنت السلطات في المَغْرِب اليوم", "المغرب", "المَغْرِب"),
    ("تفكيك الخليّة الإرهابية", "الخليه", "الخليّة"),
    ("تلقت دعمًا لوجستيكيًا", "لوجستيكيا", "لوجستيكيًا"),
    # tatweel, in the middle of a word and before a quotation
    ("تفكيك خليـــة في طنجة", "خليه في", "خليـــة في"),
    ("تعمل بـ\"التزام وفعالية\"", "بالتزام", "بـ\"التزام"),
    # hamza / madda forms of alef, alef maksura
    ("قادة إفريقيا وآسيا", "افريقيا", "إفريقيا"),
    ("قادة إفريقيا وآسيا", "واسيا", "وآسيا"),
    ("هذا ما أكده الخبير", "اكده", "أكده"),
    ("نقل إلى مستشفى الرباط", "مستشفي الرباط", "مستشفى الرباط"),
    # teh marbuta
    ("في مدينة طنجة أمس", "مدينه طنجه", "مدينة طنجة"),
    # lam-alef ligatures: one original character, two folded ones; later offsets shift back
    ("ﻻ شيء يترك للصدفة", "لا شيء", "ﻻ شيء"),
    ("ﻻ شيء يترك للصدفة", "للصدفه", "للصدفة"),
    ("ﻹسلام والمسلمين", "والمسلمين", "والمسلمين"),
    # Latin: case and accents folded, precomposed and decomposed
    ("Selon l'État islamique à Paris", "etat islamique", "État islamique"),
    ("Selon l'État islamique à Paris", "a paris", "à Paris"),
    ("Une ope\u0301ration a\u0300 Tanger", "operation a tanger", "ope\u0301ration a\u0300 Tanger"),
    # mixed scripts in one text
    ("قال المكتب (BCIJ) إن الخليّة فُككت في Tétouan", "bcij", "BCIJ"),
    ("قال المكتب (BCIJ) إن الخليّة فُككت في Tétouan", "tetouan", "Tétouan"),
    ("قال المكتب (BCIJ) إن الخليّة فُككت في Tétouan", "فككت", "فُككت"),
], ids=["diacritics", "shadda", "tanween", "tatweel", "tatweel-quote", "hamza-below",
        "madda", "hamza-above", "alef-maksura", "teh-marbuta", "ligature", "after-ligature",
        "ligature-hamza", "latin-precomposed", "latin-grave", "latin-decomposed",
        "mixed-acronym", "mixed-latin-accent", "mixed-arabic"])
def test_span_maps_back_to_the_original_text(original, needle, expected):
    assert original_span(original, needle) == expected


@pytest.mark.parametrize("original", [
    "في المَغْرِبِ اليوم",
    "تفكيك خليـــة ﻻ تعرف",
    "L'État islamique à Paris, ope\u0301ration",
    "ﷲ أكبر",
], ids=["diacritics", "tatweel-ligature", "latin", "ligature-word"])
def test_tokens_cover_the_whole_original(original):
    doc = shared_tokenizer()(original)
    assert doc.text == original
    assert [t.idx for t in doc] == sorted(t.idx for t in doc)
    assert "".join(t.norm_ for t in doc if not t.is_space and t.text[:1] not in "\"«»") \
        .replace(" ", "") == fold(original).replace(" ", "").replace("\"", "")


@pytest.mark.parametrize("word, pieces", [
    ("والمغرب", ["و", "ال", "مغرب"]),
    ("وبالرباط", ["و", "ب", "ال", "رباط"]),
    ("للأمن", ["ل", "ال", "امن"]),          # لل = ل + ال
    ("بتونس", ["ب", "تونس"]),               # a clitic and a known name
    ("وزارة", ["وزاره"]),                   # no known word after و
    ("ووزارة", ["و", "وزاره"]),
    ("فككتها", ["فككتها"]),                 # a known verb with its pronoun stays whole
    ("وهو", ["وهو"]),                       # too short to carry a clitic
    ("l'État", ["l'", "etat"]),
], ids=["conj-article", "conj-prep-article", "lam-lam", "known-name", "no-known-rest",
        "conj-known", "pronoun", "short", "elision"])
def test_clitics_are_tokens_of_their_own(word, pieces):
    assert [t.norm_ for t in shared_tokenizer()(word)] == pieces


def test_a_word_with_a_clitic_is_the_clitic_and_the_word_split_alike():
    tokenizer = shared_tokenizer()
    for word in ("باريس", "ليون", "كولمار", "وكالة", "الدولة"):
        for clitic in ("و", "ب", "ل", "وب"):
            assert [t.norm_ for t in tokenizer(clitic + word)][-len(tokenizer(word)):] == \
                [t.norm_ for t in tokenizer(word)], clitic + word


def test_marks_glued_to_a_name_stay_out_of_its_norm():
    doc = shared_tokenizer()("قاتل في تنظيم \"الدولة\" مع al-Qaida and the army's staff")
    norms = [t.norm_ for t in doc if not t.is_space]
    assert norms[-10:] == ["تنظيم", "ال", "دوله", "مع", "al", "qaida", "and", "the", "army",
                           "staff"]


def test_the_lemma_reads_a_known_word_without_its_pronoun():
    [token] = shared_tokenizer()("أكده")
    assert (token.norm_, token.lemma_) == ("اكده", "اكد")


def test_readings_of_a_word_for_the_rules():
    assert readings("والمغرب")[:2] == ("والمغرب", "المغرب")
    assert "المغرب" in readings("للمغرب")
    assert "طنجه" in readings("وبطنجه")
    assert readings("وهو") == ("وهو",)  # short words are not stripped
    assert readings("l'etat") == ("l'etat", "etat")


def test_folding_removes_what_carries_no_identity():
    assert fold("المَغْرِبِ") == fold("المغرب") == "المغرب"
    assert fold("خليـــة") == fold("خلية") == "خليه"
    assert fold("إفريقيا") == fold("أفريقيا") == fold("افريقيا")
    assert fold("ﻻ") == "لا"
    assert fold("État") == fold("ETAT") == "etat"


@pytest.mark.parametrize("original, needle, expected", [
    # A span must not cut a combining mark off the letter it belongs to: the mention of
    # "المغرب" in "المَغْرِبِ" is the whole written word, final kasra included.
    ("في المَغْرِبِ اليوم", "المغرب", "المَغْرِبِ"),
    ("تفكيك خليةٍ إرهابية", "خليه", "خليةٍ"),
    ("Arrestations à Sale\u0301 et Rabat", "sale", "Sale\u0301"),
], ids=["ar-final-kasra", "ar-final-tanween", "latin-decomposed-accent"])
def test_span_keeps_the_trailing_combining_marks_of_its_last_letter(original, needle, expected):
    assert original_span(original, needle) == expected


def test_without_camel_tools_extraction_says_in_one_line_what_to_install():
    """A plain `pip install ctkg` lacks camel-tools (installed apart, without its torch-heavy
    dependencies): `ctkg extract` then prints one line naming the exact command."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = ("import sys\n"
              "sys.modules['camel_tools'] = None  # as if it were not installed\n"
              "from ctkg.cli import main\n"
              f"sys.argv = ['ctkg', 'extract', {str(ROOT / 'examples' / 'seed-ar-001.txt')!r}]\n"
              "main()\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 1
    assert out.stdout == ""
    assert out.stderr.splitlines() == [
        "error: extraction needs camel-tools, which is installed apart: "
        "pip install --no-deps camel-tools==1.6.0"]


def test_the_makefile_installs_the_camel_tools_the_message_names():
    from ctkg.loaders.tokens import CAMEL_TOOLS

    from tests.conftest import ROOT

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"CAMEL  := {CAMEL_TOOLS}\n" in makefile


@pytest.mark.parametrize("text", [
    "تفكيك «خلية» إرهابية بطنجة،  وللأمن الوطني\n\nl'État a dit: « non ». al-Qaida's cell ",
    "  Spain's army - \"ISIS\" in U.S. 3.5\t\tend",
])
def test_token_table_is_what_the_doc_says(text):
    """The tokenizer's own lists (read by the rules instead of the Doc's tokens) and its
    `touching` lookup agree with spaCy: texts, offsets, norms, spaces, and char_span
    "expand" for every span of the text."""
    from ctkg.loaders.tokens import TokenTable, token_table

    doc = shared_tokenizer()(text)
    table = token_table(doc)
    assert table == TokenTable([t.text for t in doc], [t.idx for t in doc],
                               [t.norm_ for t in doc], [bool(t.whitespace_) for t in doc])
    for start in range(len(text) + 1):
        for end in range(start + 1, len(text) + 2):
            span = doc.char_span(start, end, alignment_mode="expand")
            assert table.touching(start, end) == (None if span is None else
                                                  (span.start, span.end)), (start, end)


def test_the_quotes_a_text_leaves_open_are_named_by_their_closing_marks():
    assert quotes_left_open('تفكيك "خلية إرهابية') == {'"'}
    assert quotes_left_open('تفكيك "خلية" و«داعش') == {"»"}
    assert quotes_left_open('une « cellule » liée à "Daech"') == set()
