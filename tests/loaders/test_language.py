"""Language identification: ar/fr/en recognised, other languages refused, never guessed."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ctkg.loaders.language import identify, normalise, refusal

from tests.conftest import ROOT

# Short news paragraphs in languages ctkg has no extractor for (written for these tests).
GERMAN = ("Die Polizei hat am Dienstag in Hamburg drei mutmaßliche Anhänger der Terrormiliz "
          "Islamischer Staat festgenommen. Nach Angaben der Bundesanwaltschaft sollen die Männer "
          "einen Anschlag auf einen Weihnachtsmarkt geplant haben. Bei den Durchsuchungen wurden "
          "Waffen und Chemikalien sichergestellt.")
SPANISH = ("La Guardia Civil detuvo el martes en Ceuta a cuatro presuntos miembros de una célula "
           "yihadista vinculada al Estado Islámico. Según el Ministerio del Interior, los "
           "detenidos planeaban atentar contra objetivos en la ciudad y difundían propaganda en "
           "las redes sociales.")
SUPPORTED = ("ar", "fr", "en")


@pytest.mark.parametrize("text, lang", [(GERMAN, "de"), (SPANISH, "es")], ids=["de", "es"])
def test_other_languages_are_recognised_not_taken_for_ours(text, lang):
    assert identify(text) == lang
    assert refusal(identify(text), SUPPORTED) == (
        f"written in {'German' if lang == 'de' else 'Spanish'} ({lang}): no extractor for it "
        "(ctkg reads ar, fr, en)")


def test_every_dev_set_article_is_read_as_its_language():
    articles = sorted(ROOT.glob("devset/**/*.txt"))
    assert len(articles) > 60
    wrong = []
    for path in articles:
        gold = path.with_suffix(".json")
        expected = json.loads(gold.read_text(encoding="utf-8"))["lang"]
        got = identify(path.read_text(encoding="utf-8"))
        if got != expected:
            wrong.append((path.name, expected, got))
    assert wrong == []


@pytest.mark.parametrize("text", ["", "12 / 2024 -- 15:30", "Tanger", "OK merci"])
def test_too_little_text_cannot_be_told(text):
    assert identify(text) is None
    assert refusal(None, SUPPORTED).startswith("cannot tell which language the article is in")


@pytest.mark.parametrize("given, code", [("ar", "ar"), ("AR", "ar"), ("fr-MA", "fr"),
                                         ("en_GB", "en"), ("", None), (None, None)])
def test_a_given_language_is_normalised(given, code):
    assert normalise(given) == code


def test_identification_needs_no_network():
    """The model ships inside the wheel: identifying works with every connection refused."""
    script = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network disabled for this test')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "from ctkg.loaders.language import identify\n"
        f"print(identify({GERMAN!r}), identify('La police a démantelé une cellule terroriste "
        "composée de quatre membres à Tanger.'))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["de", "fr"]
