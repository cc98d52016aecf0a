#!/usr/bin/env python3
"""Builds the skill-resolution test sets in tests/data from the real labels in data/reference.

Run from the crate root:  python3 tests/data/make_resolve_sets.py

- resolve_typos.tsv: `input<TAB>label`: a preferred label of the taxonomy with one or two typing
  errors (insertion, deletion, substitution, transposition of neighbours). One error for labels
  of 4 to 7 letters, one or two for longer ones; inputs that equal another label are skipped.
- resolve_alt_labels.tsv: `alt label<TAB>skill key`: every alternative label that belongs to one
  skill only and is not a preferred label elsewhere.
- resolve_non_skills.tsv: `input`: country names (UN M49 / CLDR) and language names (ISO 639-3)
  are not skills; those that equal a label after normalisation are skipped.
- resolve_alt_labels_fr.tsv, resolve_alt_labels_es.tsv: `alt label<TAB>skill key`: every
  French (Spanish) alternative label that names one concept only, in any language (exact
  text), and is no curated synonym.
Seeded: the same files every run.
"""
import csv
import random
import re
import unicodedata

random.seed(20261127)
rows = list(csv.DictReader(open("data/reference/skills.csv", encoding="utf-8")))


def norm(s):
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")) else w
                    for w in re.split(r"[^\w+#]+", s) if w)


labels = {}
for r in rows:
    labels.setdefault(norm(r["label"]), set()).add(r["key"])
    for a in r["alt_labels"].split("|"):
        if a:
            labels.setdefault(norm(a), set()).add(r["key"])

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def typo(s):
    i = random.randrange(len(s))
    kind = random.choice("idst")
    if kind == "i":
        return s[:i] + random.choice(LETTERS) + s[i:]
    if kind == "d" and len(s) > 1:
        return s[:i] + s[i + 1:]
    if kind == "s":
        return s[:i] + random.choice(LETTERS) + s[i + 1:]
    if kind == "t" and i + 1 < len(s):
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s[:i] + random.choice(LETTERS) + s[i + 1:]


candidates = [r["label"] for r in rows if r["kind"] != "group" and 4 <= len(r["label"]) <= 60]
random.shuffle(candidates)
with open("tests/data/resolve_typos.tsv", "w", encoding="utf-8") as f:
    n = 0
    for label in candidates:
        errors = 1 if len(label) < 8 else random.choice([1, 2])
        t = label
        for _ in range(errors):
            t = typo(t)
        if norm(t) in labels or "\t" in t or not norm(t):
            continue
        f.write(f"{t}\t{label}\n")
        n += 1
        if n == 2000:
            break

pref = {r["label"] for r in rows}
owners = {}
for r in rows:
    for a in r["alt_labels"].split("|"):
        if a:
            owners.setdefault(a, set()).add(r["key"])
with open("tests/data/resolve_alt_labels.tsv", "w", encoding="utf-8") as f:
    for a, keys in sorted(owners.items()):
        if len(keys) == 1 and a not in pref:
            f.write(f"{a}\t{next(iter(keys))}\n")

non = set()
for r in csv.DictReader(open("data/reference/countries.csv", encoding="utf-8")):
    non.add(r["name"])
langs = [r["name"] for r in csv.DictReader(open("data/reference/languages.csv", encoding="utf-8"))]
random.shuffle(langs)
non.update(langs[:1500])
with open("tests/data/resolve_non_skills.tsv", "w", encoding="utf-8") as f:
    for s in sorted(non):
        if norm(s) not in labels and "\t" not in s:
            f.write(s + "\n")

# French and Spanish alternative labels that name one concept only, in every language.
names = {}
for r in rows:
    for t in [r["label"]] + [a for a in r["alt_labels"].split("|") if a]:
        names.setdefault(t, set()).add(r["key"])
translated = {}
for lang in ("fr", "es"):
    translated[lang] = list(csv.DictReader(open(f"data/reference/skills_{lang}.csv", encoding="utf-8")))
    for r in translated[lang]:
        for t in [r["label"]] + [a for a in r["alt_labels"].split("|") if a]:
            names.setdefault(t, set()).add(r["key"])
synonyms = {r["text"] for r in csv.DictReader(open("data/reference/skill_synonyms.csv", encoding="utf-8"))}
for lang in ("fr", "es"):
    with open(f"tests/data/resolve_alt_labels_{lang}.tsv", "w", encoding="utf-8") as f:
        for r in translated[lang]:
            for a in sorted({a for a in r["alt_labels"].split("|") if a}):
                if names[a] == {r["key"]} and a not in synonyms and "\t" not in a:
                    f.write(f"{a}\t{r['key']}\n")
