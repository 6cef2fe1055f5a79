"""Dates with their precision: a metadata date string, or the first explicit date in a text
("le 12 septembre 2024", "في مارس 2024", "on 3 March 2025"), read by dateparser.

A date is an ISO string as precise as what was written: "2024-09-12" (day), "2024-09"
(month), "2024" (year). Relative words without a date ("lundi", "يوم الإثنين", "today") are
not dates. Month names dateparser does not know (Maghreb and Levantine usage) are in
data/dates.yaml. Nothing here reaches the network or the clock: a date without a year is
completed only from a given base date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from importlib import resources

import yaml

PRECISIONS = ("year", "month", "day")
_ISO = re.compile(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ][\d:.]+(?:Z|[+-][\d:]+)?)?\s*")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)


@dataclass(frozen=True)
class DateValue:
    iso: str  # "2024-09-12", "2024-09" or "2024"
    precision: str  # "day", "month" or "year"
    start: int | None = None  # where it was found in the text, when it was
    end: int | None = None

    @property
    def finer(self) -> int:
        return PRECISIONS.index(self.precision)

    def as_date(self) -> date:
        y, m, d = (self.iso.split("-") + ["1", "1"])[:3]
        return date(int(y), int(m), int(d))


def _value(when: date | datetime, parts, start=None, end=None) -> DateValue | None:
    if "day" in parts:
        return DateValue(f"{when:%Y-%m-%d}", "day", start, end)
    if "month" in parts:
        return DateValue(f"{when:%Y-%m}", "month", start, end)
    if "year" in parts:
        return DateValue(f"{when:%Y}", "year", start, end)
    return None


@lru_cache(maxsize=1)
def _data() -> dict:
    path = resources.files("ctkg.loaders").joinpath("data/dates.yaml")
    return yaml.safe_load(path.read_text("utf-8"))


@lru_cache(maxsize=64)
def _parser(languages: tuple[str, ...], base: date | None):
    from dateparser.date import DateDataParser

    # PREFER_DATES_FROM past: "le 3 mars" read against a base is the last 3 March before it.
    # The base is always given (never the clock), so that a reading is the same every day.
    base = base or date(2000, 1, 1)
    return DateDataParser(languages=list(languages), settings={
        "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False,
        "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
        "RELATIVE_BASE": datetime(base.year, base.month, base.day)})


def _dateparser(text: str, languages: tuple[str, ...], base: date | None):
    """dateparser's reading of a short date string: (datetime, parts given) or None."""
    data = _parser(languages, base).get_date_data(text.translate(_DIGITS))
    if data.date_obj is None or "year" not in data.parts and base is None:
        return None
    return data.date_obj, data.parts


def parse_date(value: str | None, lang: str | None = None) -> DateValue | None:
    """A metadata date ("2024-09-12", "2024-09-12T08:00:00+01:00", "2024",
    "12 septembre 2024", "Tue, 10 Mar 2026 08:00:00 GMT") with its precision; None when it
    is not a date with at least a year."""
    if not value or not value.strip():
        return None
    m = _ISO.fullmatch(value.translate(_DIGITS))
    if m:
        y, mo, d = m.groups()
        try:
            when = date(int(y), int(mo or 1), int(d or 1))
        except ValueError:
            return None
        return _value(when, ("year",) + (("month",) if mo else ()) + (("day",) if d else ()))
    if not re.search(r"\d{4}", value.translate(_DIGITS)):
        return None  # a weekday or a relative word is not a publication date
    langs = tuple(dict.fromkeys(l for l in (lang, "en", "fr", "ar") if l))
    got = _dateparser(_unalias(value, lang), langs, None)
    return _value(got[0], got[1]) if got else None


@lru_cache(maxsize=None)
def _months(lang: str) -> list[str]:
    from dateparser.languages.loader import default_loader

    info = default_loader.get_locale(lang).info
    names = {n for key in ("january", "february", "march", "april", "may", "june", "july",
                           "august", "september", "october", "november", "december")
             for n in info.get(key, ()) if len(n) > 2}
    names |= set(_data()["month_aliases"].get(lang) or {})
    return sorted(names, key=len, reverse=True)


def _unalias(text: str, lang: str | None) -> str:
    for alias, name in (_data()["month_aliases"].get(lang) or {}).items():
        text = re.sub(rf"(?<!\w){re.escape(alias)}(?!\w)", name, text)
    return text


@lru_cache(maxsize=None)
def _pattern(lang: str) -> re.Pattern:
    """Explicit dates: ISO, d/m/y, day month year, month day year, day month, month year."""
    data = _data()
    month = "(?:" + "|".join(map(re.escape, _months(lang))) + r")\.?"
    ords = data["day_suffixes"].get(lang) or []
    suffix = f"(?:{'|'.join(map(re.escape, ords))})?" if ords else ""
    day = rf"\d{{1,2}}{suffix}"
    links = data["day_month_links"].get(lang) or []
    link = f"(?:(?:{'|'.join(map(re.escape, links))})\\s+)?" if links else ""
    year = r"\d{4}"
    forms = [r"\d{4}-\d{1,2}-\d{1,2}", rf"\d{{1,2}}[/.]\d{{1,2}}[/.]{year}",
             rf"{day}\s+{link}{month},?\s+{year}", rf"{month}\s+{day},?\s+{year}",
             rf"{day}\s+{link}{month}", rf"{month},?\s+{year}"]
    return re.compile(r"(?<!\w)(?:" + "|".join(forms) + r")(?!\w)", re.IGNORECASE)


def find_date(text: str, lang: str, base: DateValue | None = None,
              windows: list[tuple[int, int]] | None = None) -> DateValue | None:
    """The first explicit date of the text (or of the given (start, end) windows of it),
    with its precision and offsets. A day and month without a year count only when `base`
    (a day) completes them."""
    anchor = base.as_date() if base is not None and base.precision == "day" else None
    pattern = _pattern(lang)
    for start, end in sorted(windows) if windows is not None else [(0, len(text))]:
        # A date that starts in the window may end past it (by a few characters at most).
        for m in pattern.finditer(text, start, min(len(text), end + 40)):
            if m.start() >= end:
                break
            got = _dateparser(_unalias(m.group(), lang), (lang,), anchor)
            found = _value(got[0], got[1], m.start(), m.end()) if got else None
            if found is not None:
                return found
    return None


def incident_date(published: str | None, text: str, lang: str,
                  sentence: tuple[int, int] | None = None) -> DateValue | None:
    """The date an article's incident took place: a date in the dateline or in the incident's
    own `sentence` (a date elsewhere is usually background: "since the 16 May 2003 bombings"),
    when it is finer than the publication date and falls within it ("2024-09", "le 12
    septembre 2024") or a few days before it; else the publication date; else that text date."""
    pub = parse_date(published, lang)
    windows = [(0, _data()["dateline_chars"])] + ([sentence] if sentence else [])
    found = find_date(text, lang, pub, windows)
    if pub is None or found is None:
        return pub or found
    if found.finer > pub.finer and found.iso.startswith(pub.iso):
        return found
    if found.precision == pub.precision == "day" and \
            0 <= (pub.as_date() - found.as_date()).days <= _data()["days_before_published"]:
        return found
    return pub
