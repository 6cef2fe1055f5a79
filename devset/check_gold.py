#!/usr/bin/env python3
"""Check the gold annotations of an evaluation set (format: /work/shared/ANNOTATION.md, section 1).

Usage:
    python devset/check_gold.py devset              # check, print counts, exit 1 on any problem
    python devset/check_gold.py devset --markdown   # same, counts as a Markdown table
    python devset/check_gold.py devset --warnings   # also list overlapping same-type mentions

The root holds one directory per language (ar/, fr/, en/), each with <id>.txt and <id>.json.
Checks: valid JSON; required fields; id/lang agree with the file; dates are ISO or null;
unique entity keys; known entity types with their type-specific fields; every mention (and every
Statement mention) is a non-empty exact substring of the .txt; every relation has a known type,
existing endpoints of the allowed types, and is not duplicated; every Statement speaker exists
and is a Person or an Agency; every .txt has a .json and vice versa.
Standard library only.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path

ENTITY_TYPES = ("Cell", "Organisation", "Agency", "Region", "Person", "Statement")
RELATIONS = {
    "DIRECTED_BY": ({"Cell"}, {"Organisation", "Person"}),
    "DISMANTLED_BY": ({"Cell"}, {"Agency"}),
    "COMMENTED_ON": ({"Person", "Agency"}, {"Cell"}),
    "AFFILIATED_WITH": ({"Cell", "Person"}, {"Organisation"}),
    "OPERATED_IN": ({"Cell"}, {"Region"}),
    "TARGETED": ({"Cell"}, {"Region"}),
    "LEADS": ({"Person"}, {"Organisation", "Cell"}),
}
SPEAKER_TYPES = {"Person", "Agency"}
TOP_FIELDS = ("id", "lang", "source", "url", "published", "incident_date", "entities", "relations")


def _is_date_or_null(value) -> bool:
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_int_or_null(value) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)


def check_article(json_path: Path, lang: str) -> tuple[list[str], dict | None, str]:
    """Return (problems, parsed gold or None, text)."""
    problems: list[str] = []
    where = str(json_path)
    txt_path = json_path.with_suffix(".txt")
    if not txt_path.exists():
        return [f"{where}: missing {txt_path.name}"], None, ""
    text = txt_path.read_text(encoding="utf-8")
    try:
        gold = json.loads(json_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        return [f"{where}: invalid JSON: {exc}"], None, text
    if not isinstance(gold, dict):
        return [f"{where}: top level is not an object"], None, text

    for field in TOP_FIELDS:
        if field not in gold:
            problems.append(f"{where}: missing field {field!r}")
    if problems:
        return problems, None, text
    if gold["id"] != json_path.stem:
        problems.append(f"{where}: id {gold['id']!r} does not match file name")
    if gold["lang"] != lang:
        problems.append(f"{where}: lang {gold['lang']!r} but file is under {lang}/")
    if not isinstance(gold["source"], str) or not gold["source"].strip():
        problems.append(f"{where}: source must be a non-empty string")
    if gold["url"] is not None and not isinstance(gold["url"], str):
        problems.append(f"{where}: url must be a string or null")
    for field in ("published", "incident_date"):
        if not _is_date_or_null(gold[field]):
            problems.append(f"{where}: {field} must be an ISO date or null, got {gold[field]!r}")
    if not isinstance(gold["entities"], list) or not isinstance(gold["relations"], list):
        problems.append(f"{where}: entities and relations must be lists")
        return problems, None, text

    types: dict[str, str] = {}
    for i, ent in enumerate(gold["entities"]):
        here = f"{where}: entity #{i}"
        if not isinstance(ent, dict):
            problems.append(f"{here}: not an object")
            continue
        key, etype = ent.get("key"), ent.get("type")
        here = f"{where}: entity {key!r}"
        if not isinstance(key, str) or not key:
            problems.append(f"{here}: missing key")
            continue
        if key in types:
            problems.append(f"{here}: duplicate key")
        if etype not in ENTITY_TYPES:
            problems.append(f"{here}: unknown type {etype!r}")
            continue
        types[key] = etype
        mentions = ent.get("mentions")
        if not isinstance(mentions, list) or not mentions:
            problems.append(f"{here}: mentions must be a non-empty list")
        else:
            if len(set(mentions)) != len(mentions):
                problems.append(f"{here}: repeated mention string")
            for m in mentions:
                if not isinstance(m, str) or not m.strip():
                    problems.append(f"{here}: empty or non-string mention {m!r}")
                elif m not in text:
                    problems.append(f"{here}: mention not in text: {m!r}")
        if etype == "Statement":
            if "speaker" not in ent:
                problems.append(f"{here}: Statement without speaker")
        elif etype == "Cell":
            for field in ("name", "members", "arrests"):
                if field not in ent:
                    problems.append(f"{here}: Cell without {field!r}")
            if ent.get("name") is not None and not isinstance(ent.get("name"), str):
                problems.append(f"{here}: Cell name must be a string or null")
            for field in ("members", "arrests"):
                if not _is_int_or_null(ent.get(field)):
                    problems.append(f"{here}: {field} must be a non-negative integer or null")
        else:
            if not isinstance(ent.get("name"), str) or not ent["name"].strip():
                problems.append(f"{here}: {etype} needs a non-empty name")
            if etype == "Person" and (not isinstance(ent.get("role"), str) or not ent["role"].strip()):
                problems.append(f"{here}: Person needs a role")

    for ent in gold["entities"]:
        if isinstance(ent, dict) and ent.get("type") == "Statement":
            speaker = ent.get("speaker")
            if speaker not in types:
                problems.append(f"{where}: Statement {ent.get('key')!r}: unknown speaker {speaker!r}")
            elif types[speaker] not in SPEAKER_TYPES:
                problems.append(f"{where}: Statement {ent.get('key')!r}: speaker {speaker!r} is a {types[speaker]}")

    seen = set()
    for i, rel in enumerate(gold["relations"]):
        here = f"{where}: relation #{i}"
        if not isinstance(rel, dict):
            problems.append(f"{here}: not an object")
            continue
        rtype, src, tgt = rel.get("type"), rel.get("source"), rel.get("target")
        here = f"{where}: relation {rtype} {src}->{tgt}"
        if rtype not in RELATIONS:
            problems.append(f"{here}: unknown relation type")
            continue
        if src not in types or tgt not in types:
            problems.append(f"{here}: unknown endpoint")
            continue
        allowed_src, allowed_tgt = RELATIONS[rtype]
        if types[src] not in allowed_src or types[tgt] not in allowed_tgt:
            problems.append(f"{here}: endpoint types {types[src]}->{types[tgt]} not allowed")
        if (rtype, src, tgt) in seen:
            problems.append(f"{here}: duplicate relation")
        seen.add((rtype, src, tgt))
    return problems, gold, text


def nested_mentions(gold: dict, text: str) -> list[str]:
    """Mention strings of one entity that also occur inside a mention of another same-type entity."""
    notes = []
    ents = [e for e in gold["entities"] if e.get("type") != "Statement"]
    for a in ents:
        for b in ents:
            if a is b or a["type"] != b["type"]:
                continue
            for ma in a["mentions"]:
                for mb in b["mentions"]:
                    if ma != mb and ma in mb and mb in text:
                        notes.append(f"{gold['id']}: {a['type']} {a['key']!r} mention {ma!r} "
                                     f"occurs inside {b['key']!r} mention {mb!r}")
    return notes


def text_shape(text: str) -> str:
    lines = text.split("\n")
    return "headline" if len(lines) > 2 and lines[0].strip() and not lines[1].strip() else "no-headline"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="directory holding ar/, fr/, en/ ...")
    parser.add_argument("--markdown", action="store_true", help="print the counts as Markdown tables")
    parser.add_argument("--warnings", action="store_true", help="list same-type nested mentions")
    args = parser.parse_args(argv)

    if not args.root.is_dir():
        print(f"error: {args.root} is not a directory", file=sys.stderr)
        return 2
    problems: list[str] = []
    warnings: list[str] = []
    stats: dict[str, dict[str, Counter]] = {}
    langs = sorted(p.name for p in args.root.iterdir() if p.is_dir() and not p.name.startswith("."))
    for lang in langs:
        d = args.root / lang
        jsons = sorted(d.glob("*.json"))
        txts = sorted(d.glob("*.txt"))
        if not jsons and not txts:
            continue
        for t in txts:
            if not t.with_suffix(".json").exists():
                problems.append(f"{t}: missing {t.with_suffix('.json').name}")
        s = stats.setdefault(lang, {"articles": Counter(), "entities": Counter(), "relations": Counter()})
        for j in jsons:
            errs, gold, text = check_article(j, lang)
            problems.extend(errs)
            if gold is None:
                continue
            s["articles"]["articles"] += 1
            s["articles"][text_shape(text)] += 1
            s["articles"]["words"] += len(text.split())
            for e in gold["entities"]:
                if isinstance(e, dict):
                    s["entities"][e.get("type")] += 1
            for r in gold["relations"]:
                if isinstance(r, dict):
                    s["relations"][r.get("type")] += 1
            if not errs:
                warnings.extend(nested_mentions(gold, text))

    print_counts(stats, markdown=args.markdown)
    if args.warnings and warnings:
        print(f"\n{len(warnings)} same-type nested mention(s) (not errors):")
        for w in warnings:
            print("  " + w)
    if problems:
        print(f"\n{len(problems)} problem(s):", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    print("\nOK: no problems found.")
    return 0


def print_counts(stats: dict[str, dict[str, Counter]], markdown: bool) -> None:
    langs = sorted(stats)
    rows = [("articles", "articles", "articles"), ("with headline", "articles", "headline"),
            ("without headline", "articles", "no-headline"), ("words (whitespace)", "articles", "words")]
    rows += [(t, "entities", t) for t in ENTITY_TYPES]
    rows += [("entities (all)", "entities", None)]
    rows += [(r, "relations", r) for r in RELATIONS]
    rows += [("relations (all)", "relations", None)]

    def value(lang, group, key):
        c = stats[lang][group]
        return sum(c.values()) if key is None else c.get(key, 0)

    header = ["", *langs, "total"]
    table = []
    for label, group, key in rows:
        vals = [value(lang, group, key) for lang in langs]
        table.append([label, *map(str, vals), str(sum(vals))])
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")
        for row in table:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(r[i]) for r in [header, *table]) for i in range(len(header))]
        for row in [header, *table]:
            print("  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(row)))


if __name__ == "__main__":
    sys.exit(main())
