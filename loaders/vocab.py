"""The one loader of vocabulary files (loaders/vocab/*.yaml)."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=None)
def load_vocab(name: str):
    """Parsed content of vocab/<name>.yaml (cached; treat as read-only)."""
    path = resources.files("ctkg.loaders").joinpath(f"vocab/{name}.yaml")
    # libyaml's loader when PyYAML has it: ten times faster on the large gazetteer files.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


def cues(lang: str) -> dict:
    """cues_<lang>.yaml (cue phrases) merged with grammar_<lang>.yaml (function words, name
    particles, ordinals, context cues): lists are concatenated, mappings merged."""
    merged: dict = {}
    for name in (f"cues_{lang}", f"grammar_{lang}"):
        _merge(merged, load_vocab(name) or {})
    return merged


def _merge(into: dict, more: dict) -> None:
    for key, value in more.items():
        if isinstance(value, dict):
            _merge(into.setdefault(key, {}), value)
        elif isinstance(value, list):
            into[key] = list(into.get(key) or []) + value
        else:
            into[key] = value
