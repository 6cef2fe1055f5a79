"""Consistency check for the ctkg vocabulary files in this folder.

Usage:  python check_vocab.py            (exit code 1 on errors)

Checks: every file loads with yaml.safe_load (and has no duplicate mapping
keys), keys are unique and kebab-case, parent / part_of keys resolve, field
types and enumerations, ISO codes look like ISO codes, coordinates are in
range, Arabic strings carry no diacritics, case_sensitive / context_required
lists are subsets of the aliases, and the same normalised alias is not listed
for two entries of a file unless both entries say ambiguous: true.
"""
import os
import re
import sys
import unicodedata
from collections import defaultdict

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
LANGS = ("ar", "fr", "en")
KEY_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ISO_RE = re.compile(r"^[A-Z]{2}$")
AR_RE = re.compile(r"[\u0600-\u06FF]")
AR_DIACRITICS = re.compile(r"[\u064B-\u0652\u0670\u0640]")  # harakat, dagger alif, tatweel
AGENCY_KINDS = {"intelligence", "police", "gendarmerie", "military", "judicial", "ministry", "international"}
REGION_KINDS = {"country-part", "supra", "sea", "mountain", "city", "province"}
INCIDENT_LABELS = {"dismantlement", "foiled-plot", "attack", "bombing", "arrest", "trial", "ambush", "clash",
                   "kidnapping", "neutralisation", "surrender", "seizure", "extradition", "deportation"}

errors, warnings = [], []


class UniqueKeyLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load(name):
    path = os.path.join(HERE, name)
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    data = yaml.safe_load(text)  # what the extractor uses
    yaml.load(text, Loader=UniqueKeyLoader)  # duplicate-key check
    return data


def norm(s, case_sensitive=False):
    """Normalisation used for collision checks (close to what the matcher does)."""
    if AR_RE.search(s):
        s = AR_DIACRITICS.sub("", s)
        s = s.translate(str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي"}))
        return " ".join(s.split())
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("’", "'").replace("-", " ")
    s = " ".join(s.split())
    return s if case_sensitive else s.casefold()


def check_strings(where, values):
    for v in values:
        if not isinstance(v, str) or not v.strip():
            errors.append(f"{where}: non-string or empty value {v!r}")
        elif AR_DIACRITICS.search(v):
            errors.append(f"{where}: Arabic diacritics/tatweel in {v!r}")


def _check_country(e, where, errors):
    c = e.get("country")
    if c is not None and not ISO_RE.match(str(c)):
        errors.append(f"{where}: bad country {c!r}")


def check_entries(fname, entries, kind):
    if not isinstance(entries, list):
        errors.append(f"{fname}: top level (or regions:) must be a list")
        return {}
    keys = {}
    for i, e in enumerate(entries):
        where = f"{fname}[{i}]"
        if not isinstance(e, dict) or "key" not in e:
            errors.append(f"{where}: entry without key")
            continue
        k = e["key"]
        where = f"{fname}:{k}"
        if not KEY_RE.match(str(k)):
            errors.append(f"{where}: key is not kebab-case")
        if k in keys:
            errors.append(f"{where}: duplicate key")
        keys[k] = e
        for f in ("name", "names", "aliases"):
            if f not in e:
                errors.append(f"{where}: missing field {f}")
        names = e.get("names") or {}
        als = e.get("aliases") or {}
        for lang in LANGS:
            if lang not in names:
                errors.append(f"{where}: names.{lang} missing")
            elif names[lang] is not None:
                check_strings(f"{where}.names.{lang}", [names[lang]])
            lst = als.get(lang)
            if not isinstance(lst, list):
                errors.append(f"{where}: aliases.{lang} must be a list")
                continue
            check_strings(f"{where}.aliases.{lang}", lst)
            if names.get(lang) and names[lang] not in lst and lst:
                warnings.append(f"{where}: display name {lang} {names[lang]!r} not among aliases")
            folded = [x.casefold() for x in lst if isinstance(x, str)]
            dup = sorted({a for a in folded if folded.count(a) > 1})
            if dup:
                warnings.append(f"{where}: aliases.{lang} duplicate aliases: {dup}")
        all_aliases = {a for lang in LANGS for a in (als.get(lang) or [])}
        for f in ("case_sensitive", "context_required"):
            sub = e.get(f, [])
            if not isinstance(sub, list):
                errors.append(f"{where}: {f} must be a list")
                continue
            for a in sub:
                if a not in all_aliases:
                    errors.append(f"{where}: {f} item {a!r} is not an alias")
        if "ambiguous" in e and not isinstance(e["ambiguous"], bool):
            errors.append(f"{where}: ambiguous must be true/false")
        if kind == "org":
            for c in e.get("based_in") or []:
                if not ISO_RE.match(str(c)):
                    errors.append(f"{where}: bad ISO code in based_in {c!r}")
            if not e.get("based_in"):
                errors.append(f"{where}: based_in empty")
        if kind == "agency":
            if e.get("kind") not in AGENCY_KINDS:
                errors.append(f"{where}: bad kind {e.get('kind')!r}")
            _check_country(e, where, errors)
            if "ambiguous" not in e:
                errors.append(f"{where}: ambiguous field missing")
        if kind == "region":
            if e.get("kind") not in REGION_KINDS:
                errors.append(f"{where}: bad kind {e.get('kind')!r}")
            _check_country(e, where, errors)
            lat, lon = e.get("lat"), e.get("lon")
            if (lat is None) != (lon is None):
                errors.append(f"{where}: lat/lon must both be null or both set")
            if lat is not None and not (isinstance(lat, (int, float)) and -90 <= lat <= 90):
                errors.append(f"{where}: bad lat {lat!r}")
            if lon is not None and not (isinstance(lon, (int, float)) and -180 <= lon <= 180):
                errors.append(f"{where}: bad lon {lon!r}")
    # references
    ref = "part_of" if kind == "region" else "parent"
    for k, e in keys.items():
        if ref not in e:
            errors.append(f"{fname}:{k}: missing field {ref}")
            continue
        p = e[ref]
        if p is None:
            continue
        if p in keys:
            continue
        if kind == "region" and ISO_RE.match(str(p)):
            continue
        errors.append(f"{fname}:{k}: {ref} {p!r} does not resolve")
    # cycles
    for k in keys:
        seen, cur = set(), k
        while cur in keys and keys[cur].get(ref) in keys:
            if cur in seen:
                errors.append(f"{fname}:{k}: {ref} cycle")
                break
            seen.add(cur)
            cur = keys[cur][ref]
    return keys


def collisions(fname, keys, use_ambiguous):
    owners = defaultdict(set)
    for k, e in keys.items():
        cs = set(e.get("case_sensitive") or [])
        for lang in LANGS:
            for a in (e["aliases"].get(lang) or []):
                owners[(lang, norm(a, a in cs))].add(k)
    shared = []
    for (lang, a), ks in sorted(owners.items()):
        if len(ks) < 2:
            continue
        ok = use_ambiguous and all(keys[k].get("ambiguous") for k in ks)
        shared.append((lang, a, sorted(ks), ok))
        if use_ambiguous and not ok:
            errors.append(f"{fname}: alias {a!r} ({lang}) shared by {sorted(ks)} without ambiguous: true on all")
    return shared


def check_cues(fname, d):
    if not isinstance(d, dict):
        errors.append(f"{fname}: top level must be a mapping")
        return
    for f in ("cell_heads", "cell_heads_need_modifier", "cell_modifiers", "alias_markers",
              "attribution_markers", "weapons", "kingdom_words"):
        if not isinstance(d.get(f), list):
            errors.append(f"{fname}: {f} must be a list")
        else:
            check_strings(f"{fname}.{f}", d[f])
    for f in ("person_titles",):
        m = d.get(f)
        if not isinstance(m, dict):
            errors.append(f"{fname}: {f} must be a mapping")
            continue
        check_strings(f"{fname}.{f}", list(m) + list(m.values()))
    sv = d.get("speech_verbs")
    if not isinstance(sv, dict):
        errors.append(f"{fname}: speech_verbs must be a mapping lemma -> list")
    else:
        for lemma, forms in sv.items():
            if not isinstance(forms, list):
                errors.append(f"{fname}: speech_verbs.{lemma} must be a list")
            else:
                check_strings(f"{fname}.speech_verbs.{lemma}", forms)
    rel = d.get("relations")
    need = ("directed_by", "dismantled_by", "passive_agent", "affiliated_with", "targeted", "operated_in", "leads")
    if not isinstance(rel, dict):
        errors.append(f"{fname}: relations must be a mapping")
    else:
        for r in need:
            if not isinstance(rel.get(r), list) or not rel[r]:
                errors.append(f"{fname}: relations.{r} missing or empty")
            else:
                check_strings(f"{fname}.relations.{r}", rel[r])
    ik = d.get("incident_kinds")
    if not isinstance(ik, dict):
        errors.append(f"{fname}: incident_kinds must be a mapping")
    else:
        check_strings(f"{fname}.incident_kinds", list(ik))
        for k, v in ik.items():
            if v not in INCIDENT_LABELS:
                errors.append(f"{fname}: incident_kinds.{k} has unknown label {v!r}")
    for f in ("number_words", "dual_nouns", "approx_numbers"):
        m = d.get(f)
        if m is None and f != "number_words":
            continue
        if not isinstance(m, dict):
            errors.append(f"{fname}: {f} must be a mapping")
            continue
        check_strings(f"{fname}.{f}", list(m))
        for k, v in m.items():
            if not isinstance(v, int) or isinstance(v, bool):
                errors.append(f"{fname}: {f}.{k} value must be an integer")
    if "number_words" in d and isinstance(d["number_words"], dict):
        missing = set(range(1, 31)) - set(d["number_words"].values())
        if missing:
            errors.append(f"{fname}: number_words missing values {sorted(missing)}")


def main():
    report = {}
    orgs = load("organisations.yaml")
    okeys = check_entries("organisations.yaml", orgs, "org")
    report["organisations"] = (len(okeys), collisions("organisations.yaml", okeys, True))

    ags = load("agencies.yaml")
    akeys = check_entries("agencies.yaml", ags, "agency")
    report["agencies"] = (len(akeys), collisions("agencies.yaml", akeys, True))

    reg = load("regions.yaml")
    if not isinstance(reg, dict) or "regions" not in reg or "country_aliases" not in reg:
        errors.append("regions.yaml: top level must have country_aliases and regions")
        rkeys = {}
    else:
        for code, langs in reg["country_aliases"].items():
            if not ISO_RE.match(str(code)):
                errors.append(f"regions.yaml: country_aliases bad code {code!r}")
            for lang in LANGS:
                if not isinstance(langs.get(lang), list):
                    errors.append(f"regions.yaml: country_aliases.{code}.{lang} must be a list")
                else:
                    check_strings(f"regions.yaml:country_aliases.{code}.{lang}", langs[lang])
        rkeys = check_entries("regions.yaml", reg["regions"], "region")
        # region aliases that collide with country aliases
        ca = {(lang, norm(a)): code for code, langs in reg["country_aliases"].items()
              for lang in LANGS for a in langs.get(lang) or []}
        for k, e in rkeys.items():
            for lang in LANGS:
                for a in e["aliases"].get(lang) or []:
                    if (lang, norm(a)) in ca:
                        warnings.append(f"regions.yaml:{k}: alias {a!r} is also a country alias of {ca[(lang, norm(a))]}")
    report["regions"] = (len(rkeys), collisions("regions.yaml", rkeys, False))

    # cross-file: organisation alias equal to an agency alias
    org_al = {(l, norm(a)): k for k, e in okeys.items() for l in LANGS for a in e["aliases"].get(l) or []}
    for k, e in akeys.items():
        for l in LANGS:
            for a in e["aliases"].get(l) or []:
                if (l, norm(a)) in org_al:
                    warnings.append(f"agency {k} alias {a!r} equals organisation alias of {org_al[(l, norm(a))]}")

    for f in ("cues_ar.yaml", "cues_fr.yaml", "cues_en.yaml"):
        check_cues(f, load(f))

    for name, (n, shared) in report.items():
        print(f"{name}: {n} entries")
        for lang, a, ks, ok in shared:
            tag = "ambiguous" if ok else ("SHARED" if name != "regions" else "shared")
            print(f"    [{tag}] {lang} {a!r}: {', '.join(ks)}")
    for f in ("cues_ar.yaml", "cues_fr.yaml", "cues_en.yaml"):
        d = load(f)
        counts = {k: len(v) for k, v in d.items() if isinstance(v, (list, dict))}
        if isinstance(d.get("relations"), dict):
            counts.update({f"relations.{k}": len(v) for k, v in d["relations"].items()})
            counts.pop("relations")
        print(f"{f}: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    print(f"{len(errors)} errors, {len(warnings)} warnings")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
