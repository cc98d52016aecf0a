#!/usr/bin/env python3
"""Convert the public reference tables in ../shared/data into the compact files in data/reference.

Run from the crate root:  python3 data/tools/convert.py ../shared/data data/reference

Every output row comes from a source row; nothing is invented. What is dropped, and why, is
printed at the end and recorded in data/README.md.
"""
import collections
import csv
import sys
from pathlib import Path

SRC = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "data/reference")
OUT.mkdir(parents=True, exist_ok=True)
notes = []


def writer(name, header):
    f = open(OUT / name, "w", newline="", encoding="utf-8")
    w = csv.writer(f, lineterminator="\n")
    w.writerow(header)
    return f, w


def read(path):
    with open(SRC / path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------- countries (UN M49)
countries = [r for r in read("countries/country-codes.csv") if r["ISO3166-1-Alpha-2"]]
countries.sort(key=lambda r: r["ISO3166-1-Alpha-2"])
f, w = writer(
    "countries.csv",
    ["alpha2", "alpha3", "m49", "name", "region_code", "region", "sub_region_code", "sub_region",
     "intermediate_region_code", "intermediate_region", "ldc", "lldc", "sids"],
)
alpha3 = set()
alpha2 = set()
for r in countries:
    alpha3.add(r["ISO3166-1-Alpha-3"])
    alpha2.add(r["ISO3166-1-Alpha-2"])
    w.writerow([
        r["ISO3166-1-Alpha-2"], r["ISO3166-1-Alpha-3"], r["M49"], r["CLDR display name"] or r["official_name_en"],
        r["Region Code"], r["Region Name"], r["Sub-region Code"], r["Sub-region Name"],
        r["Intermediate Region Code"], r["Intermediate Region Name"],
        "1" if r["Least Developed Countries (LDC)"].strip() else "0",
        "1" if r["Land Locked Developing Countries (LLDC)"].strip() else "0",
        "1" if r["Small Island Developing States (SIDS)"].strip() else "0",
    ])
f.close()

# ---------------------------------------------------------------- migrant stock corridors
stock = read("migration/undesa_ims2024_bilateral_total_2024.csv")
dropped = collections.Counter()
f, w = writer("migrant_stock_2024.csv", ["origin", "destination", "stock"])
kept = 0
for r in sorted(stock, key=lambda r: (-int(r["stock"]), r["orig_iso3"], r["dest_iso3"])):
    o, d = r["orig_iso3"], r["dest_iso3"]
    if o not in alpha3 or d not in alpha3:
        dropped[o if o not in alpha3 else d] += int(r["stock"])
        continue
    w.writerow([o, d, r["stock"]])
    kept += int(r["stock"])
f.close()
notes.append(f"migrant stock: kept {kept:,} of {sum(int(r['stock']) for r in stock):,}; dropped by code {dict(dropped)}")

# ---------------------------------------------------------------- languages (ISO 639-3) and CLDR shares
iso = read("languages/iso639-3_languages.csv")
f, w = writer("languages.csv", ["code", "alpha2", "name"])
known = {}
for r in sorted(iso, key=lambda r: r["iso6393"]):
    w.writerow([r["iso6393"], r["iso6391"], r["name"]])
    known[r["iso6393"]] = r["iso6393"]
    if r["iso6391"]:
        known[r["iso6391"]] = r["iso6393"]
f.close()

shares = {}
dropped_lang = collections.Counter()
for r in read("languages/cldr48_territory_languages.csv"):
    base = r["language"].split("_")[0]
    if r["territory"] not in alpha2 or base not in known:
        dropped_lang[(r["territory"] if r["territory"] not in alpha2 else base)] += 1
        continue
    key = (r["territory"], known[base])
    pct = float(r["population_percent"] or 0)
    official = r["official_status"]
    old = shares.get(key)
    # Script variants (sr_Latn, zh_Hant) describe the same spoken language: keep the largest share.
    if old is None or pct > old[0]:
        shares[key] = (pct, official or (old[1] if old else ""))
f, w = writer("territory_languages.csv", ["territory", "language", "percent", "official"])
for (t, l), (p, o) in sorted(shares.items()):
    w.writerow([t, l, f"{p:g}", o])
f.close()
notes.append(f"territory languages: dropped rows {dict(dropped_lang)}")

# ---------------------------------------------------------------- skills: ESCO + O*NET
esco = read("skills/esco/esco_skills_collections_merged.csv")
groups = {r["conceptUri"]: r for r in read("skills/esco/skillGroups_en.csv")}
broader = collections.defaultdict(list)
for r in read("skills/esco/broaderRelationsSkillPillar_en.csv"):
    broader[r["conceptUri"]].append(r["broaderUri"])


def esco_key(uri):
    tail = uri.rsplit("/", 2)
    if tail[-2] == "isced-f":
        return "isced-f:" + tail[-1]
    return "esco:" + tail[-1]


labels = {}  # uri -> (label, alt labels, kind)
for r in esco:
    alts = [a.strip() for a in r["altLabels"].split(" | ") if a.strip()]
    labels[r["conceptUri"]] = (r["preferredLabel"], alts, r["skillType"] or "skill/competence")
# labels for broader skills outside the collections, from the children's broaderConceptPT
pt = {}
for r in esco:
    us, ls = r["broaderConceptUri"].split(" | "), r["broaderConceptPT"].split(" | ")
    if len(us) == len(ls):
        pt.update(zip(us, ls))
for uri, g in groups.items():
    alts = [a.strip() for a in g["altLabels"].split("\n") if a.strip()]
    labels.setdefault(uri, (g["preferredLabel"], alts, "group"))

# include every ancestor of a collection skill; an ancestor with no known label is bypassed
include = {}
stack = list(labels.keys() & {r["conceptUri"] for r in esco})
unlabelled = set()
for u in stack:
    include[u] = labels[u]
while stack:
    u = stack.pop()
    for p in broader.get(u, []):
        if p in include or p in unlabelled:
            continue
        if p in labels:
            include[p] = labels[p]
        elif p in pt:
            include[p] = (pt[p], [], "skill/competence")
        else:
            unlabelled.add(p)
        stack.append(p)


def parents_of(u, seen=None):
    out = []
    for p in broader.get(u, []):
        if p in include:
            out.append(p)
        elif p in unlabelled:
            out.extend(parents_of(p))
    return out


notes.append(f"ESCO: {len(include)} concepts ({len(esco)} collection skills and their ancestors); "
             f"{len(unlabelled)} ancestors without an English label bypassed")

f, w = writer("skills.csv", ["key", "kind", "label", "alt_labels", "broader"])
order = sorted(include, key=lambda u: (include[u][2] != "group", esco_key(u)))
for u in order:
    label, alts, kind = include[u]
    kind = {"group": "group", "knowledge": "knowledge", "skill/competence": "skill"}.get(kind, "skill")
    ps = sorted({esco_key(p) for p in parents_of(u)})
    w.writerow([esco_key(u), kind, label, "|".join(a.replace("|", "/") for a in alts), "|".join(ps)])

# O*NET content model: skills (2.A, 2.B) and knowledge (2.C), with their hierarchy
model = {r["Element ID"]: r["Element Name"] for r in read("skills/onet/Content_Model_Reference.csv")}
elements = sorted(e for e in model if e.split(".")[0] == "2" and e.count(".") >= 1 and e[:3] in ("2.A", "2.B", "2.C"))
for e in elements:
    parent = e.rsplit(".", 1)[0]
    ps = "onet:" + parent if parent in model and parent != "2" else ""
    kind = "knowledge" if e.startswith("2.C") else "skill"
    if any(x.startswith(e + ".") for x in elements):
        kind = "group"
    w.writerow(["onet:" + e, kind, model[e], "", ps])

# O*NET technology skills under their commodity categories
tech = read("skills/onet/Technology_Skills.csv")
w.writerow(["onet-tech", "group", "tools and technology", "", ""])
cats = {}
ex_cats = collections.defaultdict(set)
for r in tech:
    cats[r["Commodity Code"]] = r["Commodity Title"]
    ex_cats[r["Example"]].add(r["Commodity Code"])
for c in sorted(cats):
    w.writerow(["onet-cc:" + c, "group", cats[c], "", "onet-tech"])
for ex in sorted(ex_cats):
    w.writerow(["onet-t:" + ex, "technology", ex, "", "|".join("onet-cc:" + c for c in sorted(ex_cats[ex]))])
f.close()

# ---------------------------------------------------------------- occupations (for synthetic populations)
occ = read("skills/onet/Occupation_Data.csv")
f, w = writer("occupations.csv", ["soc", "title"])
for r in sorted(occ, key=lambda r: r["O*NET-SOC Code"]):
    w.writerow([r["O*NET-SOC Code"], r["Title"]])
f.close()
ratings = collections.defaultdict(dict)
for path in ("skills/onet/Skills.csv", "skills/onet/Knowledge.csv"):
    for r in read(path):
        if r["Recommend Suppress"] == "Y" or r["Not Relevant"] == "Y":
            continue
        ratings[(r["O*NET-SOC Code"], r["Element ID"])][r["Scale ID"]] = r["Data Value"]
f, w = writer("occupation_skills.csv", ["soc", "skill", "importance", "level", "hot"])
rows = []
for (soc, e), v in ratings.items():
    if "IM" in v and "LV" in v:
        rows.append((soc, "onet:" + e, v["IM"], v["LV"], ""))
seen = set()
for r in tech:
    k = (r["O*NET-SOC Code"], r["Example"])
    if k in seen:
        continue
    seen.add(k)
    rows.append((r["O*NET-SOC Code"], "onet-t:" + r["Example"], "", "", "1" if r["Hot Technology"] == "Y" else "0"))
for row in sorted(rows):
    w.writerow(row)
f.close()

for n in notes:
    print(n)
