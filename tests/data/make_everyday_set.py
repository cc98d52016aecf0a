#!/usr/bin/env python3
"""Builds tests/data/everyday_skills.tsv from tests/data/everyday_skills.txt.

Run from the crate root:  python3 tests/data/make_everyday_set.py

Each line of the .txt gives a text as people type it, its language, its sector and the ESCO
concepts a programme officer would accept for it, by English preferred label (or key). The
script looks every label up in data/reference/skills.csv (preferred labels first, any case,
then alternative labels), keeps the labels that exist, and writes
`text<TAB>language<TAB>sector<TAB>keys<TAB>labels` with the keys and labels found. Labels that
name no concept are listed on standard error; a line none of whose labels exists is an error.
"""
import csv
import sys

rows = list(csv.DictReader(open("data/reference/skills.csv", encoding="utf-8")))
by_pref, by_pref_ci, by_alt = {}, {}, {}
for r in rows:
    by_pref.setdefault(r["label"], []).append(r["key"])
    by_pref_ci.setdefault(r["label"].lower(), []).append(r["key"])
    for a in r["alt_labels"].split("|"):
        if a:
            by_alt.setdefault(a.lower(), []).append(r["key"])
keys = {r["key"] for r in rows}


def lookup(label):
    if label in keys:
        return [label]
    return by_pref.get(label) or by_pref_ci.get(label.lower()) or by_alt.get(label.lower()) or []


missing, failed, out = [], [], []
for line in open("tests/data/everyday_skills.txt", encoding="utf-8"):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    text, lang, sector, accepted = [f.strip() for f in line.split(" ; ")]
    found_keys, found_labels = [], []
    for label in [a.strip() for a in accepted.split("|")]:
        ks = lookup(label)
        if not ks:
            missing.append(label)
        for k in ks:
            if k not in found_keys:
                found_keys.append(k)
        if ks:
            found_labels.append(label)
    if not found_keys:
        failed.append(text)
    out.append((text, lang, sector, "|".join(found_keys), "|".join(found_labels)))

with open("tests/data/everyday_skills.tsv", "w", encoding="utf-8") as f:
    for row in out:
        f.write("\t".join(row) + "\n")
print(f"{len(out)} texts; {len(set(missing))} accepted labels name no concept", file=sys.stderr)
for m in sorted(set(missing)):
    print("  missing:", m, file=sys.stderr)
if failed:
    print("texts with no accepted concept:", failed, file=sys.stderr)
    sys.exit(1)
