"""Which language an article is written in: py3langid (its model ships inside the wheel,
nothing is downloaded), restricted to the candidates of data/languages.yaml. An article it
cannot tell, or in a language ctkg has no extractor for, is refused with one line."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _settings() -> dict:
    path = resources.files("ctkg.loaders").joinpath("data/languages.yaml")
    return yaml.safe_load(path.read_text("utf-8"))


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(_settings()["candidates"])
    return identifier


def identify(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None when it cannot be told."""
    settings = _settings()
    if len(_LETTER.findall(text)) < settings["min_letters"]:
        return None
    lang, probability = _identifier().classify(text)
    return lang if probability >= settings["min_probability"] else None


def normalise(code: str | None) -> str | None:
    """A language given in metadata ("AR", "fr-MA", "en_GB") as its two-letter code."""
    if not code or not str(code).strip():
        return None
    return re.split(r"[-_]", str(code).strip().lower(), maxsplit=1)[0]


def refusal(lang: str | None, supported: tuple[str, ...]) -> str | None:
    """Why an article in `lang` cannot be read (one line), or None when it can."""
    if lang in supported:
        return None
    readable = ", ".join(supported)
    if lang is None:
        return (f"cannot tell which language the article is in (ctkg reads {readable}); "
                f"give it in a \"lang\" field of a JSON or JSON Lines record")
    return f"written in {_name(lang)} ({lang}): no extractor for it (ctkg reads {readable})"


def _name(code: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code).english_name
    except (ValueError, UnknownLocaleError):
        return "an unknown language"
