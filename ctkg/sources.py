"""What `ctkg refresh` reads: the `[refresh]` settings and `[[source]]` tables of the config file.

```toml
[refresh]
user_agent = "ctkg/0.1 (ops@example.org)"
timeout = 20                 # seconds per request
retries = 3                  # attempts after the first, for timeouts, 429 and 5xx
backoff = 2                  # seconds before the first retry, doubled at each
per_host_interval = 1        # seconds between two requests to one host
retry_failed_after = "1h"    # a failed item is tried again after this, doubled per attempt
webhook = "https://hooks.example.org/ctkg"   # POSTed the JSON report when a run finds news
hook = "/usr/local/bin/ctkg-news"            # run with the JSON report on stdin

[[source]]
name = "hespress-ar"
feed = "https://www.hespress.com/feed"   # or sitemap = ..., urls = [...] or "file-or-URL",
lang = "ar"                              #    folder = "/srv/articles", jsonl = "dump.jsonl"
tags = ["press", "maghreb"]
retract = false                          # remove articles no longer listed (not for feeds)
```
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ctkg import __version__
from ctkg.config import ConfigError, config_path

KINDS = ("feed", "sitemap", "urls", "folder", "jsonl")
# Feeds list only their latest items: an item that left the feed was not removed.
RETRACTABLE = ("sitemap", "urls", "folder", "jsonl")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}
DEFAULT_USER_AGENT = f"ctkg/{__version__} (counter-terrorism knowledge graph refresh)"


def parse_duration(text: str | int | float, what: str = "duration") -> float:
    """"30m", "1h", "90s", "2d" or a number of seconds."""
    if isinstance(text, (int, float)) and not isinstance(text, bool) and text >= 0:
        return float(text)
    m = _DURATION.match(str(text))
    if not m:
        raise ConfigError(f"{what}: {text!r} is not a duration (examples: 90s, 30m, 1h, 2d)")
    return float(m.group(1)) * _UNITS[m.group(2)]


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    location: str | tuple[str, ...]  # a URL or path; `urls` may also be a list
    lang: str | None = None
    tags: tuple[str, ...] = ()
    retract: bool = False


@dataclass(frozen=True)
class RefreshSettings:
    sources: tuple[Source, ...] = ()
    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 2.0
    per_host_interval: float = 1.0
    retry_failed_after: float = 3600.0
    webhook: str | None = None
    hook: str | None = None
    origin: str = field(default="", compare=False)

    def source(self, name: str) -> Source:
        for s in self.sources:
            if s.name == name:
                return s
        raise ConfigError(f"no source named {name!r} in {self.origin} "
                          f"(sources: {', '.join(s.name for s in self.sources) or 'none'})")


_DURATIONS = ("timeout", "backoff", "per_host_interval", "retry_failed_after")
_REFRESH_KEYS = set(_DURATIONS) | {"user_agent", "retries", "webhook", "hook"}
_SOURCE_KEYS = set(KINDS) | {"name", "lang", "tags", "retract"}


def load_refresh_settings(path: Path | None = None) -> RefreshSettings:
    """The config file's `[refresh]` and `[[source]]` tables; a mistake is one ConfigError line."""
    path = path or config_path()
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"no config file at {path}: add [[source]] tables to it "
                          "(see the README, Refresh scheduling)") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc}") from None
    return parse_refresh_settings(data, str(path))


def parse_refresh_settings(data: dict, origin: str) -> RefreshSettings:
    section = data.get("refresh", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{origin}: [refresh] must be a table")
    _no_unknown(section, _REFRESH_KEYS, f"{origin}: [refresh]")
    values: dict = {k: parse_duration(section[k], f"{origin}: refresh.{k}")
                    for k in _DURATIONS if k in section}
    if "retries" in section:
        if not isinstance(section["retries"], int) or section["retries"] < 0:
            raise ConfigError(f"{origin}: refresh.retries must be a whole number, 0 or more")
        values["retries"] = section["retries"]
    for key in ("user_agent", "webhook", "hook"):
        if key in section:
            values[key] = _text(section[key], f"{origin}: refresh.{key}")
    raw = data.get("source", [])
    if not isinstance(raw, list):
        raise ConfigError(f"{origin}: sources are [[source]] tables")
    sources = tuple(_source(s, i, origin) for i, s in enumerate(raw, 1))
    names = [s.name for s in sources]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(f"{origin}: two sources are named {', '.join(dupes)}")
    return RefreshSettings(sources=sources, origin=origin, **values)


def _source(raw, n: int, origin: str) -> Source:
    where = f"{origin}: source #{n}"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table")
    _no_unknown(raw, _SOURCE_KEYS, where)
    kinds = [k for k in KINDS if k in raw]
    if len(kinds) != 1:
        raise ConfigError(f"{where} needs exactly one of {', '.join(KINDS)}")
    kind = kinds[0]
    value = raw[kind]
    if kind == "urls" and isinstance(value, list):
        location: str | tuple[str, ...] = tuple(_text(u, f"{where}: urls") for u in value)
    else:
        location = _text(value, f"{where}: {kind}")
    name = _text(raw.get("name") or _default_name(location), f"{where}: name")
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ConfigError(f"{where}: tags must be a list of strings")
    retract = raw.get("retract", False)
    if not isinstance(retract, bool):
        raise ConfigError(f"{where}: retract must be true or false")
    if retract and kind not in RETRACTABLE:
        raise ConfigError(f"{where}: retract does not apply to a feed (a feed lists only its "
                          "latest items)")
    lang = raw.get("lang")
    return Source(name=name, kind=kind, location=location,
                  lang=_text(lang, f"{where}: lang") if lang is not None else None,
                  tags=tuple(tags), retract=retract)


def _default_name(location) -> str:
    return location if isinstance(location, str) else "urls"


def _text(value, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where} must be a non-empty string")
    return value.strip()


def _no_unknown(table: dict, known: set[str], where: str) -> None:
    unknown = set(table) - known
    if unknown:
        raise ConfigError(f"{where}: unknown keys: {', '.join(sorted(unknown))}")
