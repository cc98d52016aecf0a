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

sys.path.insert(0, str(Path(__file__).parent))
from textnorm import normalise  # noqa: E402

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
# The whole ESCO v1.2.0 skills pillar (13,939 skills and knowledge concepts, with their
# alternative labels) under its skill groups, the O*NET content model, and the O*NET
# technologies under their commodity categories. A technology whose normalised name is an
# ESCO label is the same concept: one row, the ESCO key, the technology's key as an alias.
def esco_key(uri):
    tail = uri.rsplit("/", 2)
    if tail[-2] == "isced-f":
        return "isced-f:" + tail[-1]
    return "esco:" + tail[-1]


def split_alts(text, sep, pref):
    out = []
    for a in text.split(sep):
        a = a.strip().replace("|", "/")
        if a and a != pref and a not in out:
            out.append(a)
    return out


labels = {}  # uri -> [label, alt labels, kind]
for r in read("skills/esco_full/skills_en.csv"):
    # Rows whose alternative labels are unsplit text (labelSource v1.2.0-new-prefonly) keep
    # their preferred label only: that text is no label.
    kind = "knowledge" if r["skillType"] == "knowledge" else "skill"
    labels[r["conceptUri"]] = [r["preferredLabel"], split_alts(r["altLabels"], "|", r["preferredLabel"]), kind]
for g in read("skills/esco/skillGroups_en.csv"):
    labels.setdefault(g["conceptUri"], [g["preferredLabel"], split_alts(g["altLabels"], "\n", g["preferredLabel"]), "group"])
broader = collections.defaultdict(list)
for r in read("skills/esco/broaderRelationsSkillPillar_en.csv"):
    broader[r["conceptUri"]].append(r["broaderUri"])
unlabelled = {p for ps in broader.values() for p in ps if p not in labels}


def parents_of(u):
    out = []
    for p in broader.get(u, []):
        if p in labels:
            out.append(p)
        else:
            out.extend(parents_of(p))
    return out


# O*NET technologies and the ESCO concepts they name.
tech = read("skills/onet/Technology_Skills.csv")
cats = {}
ex_cats = collections.defaultdict(set)
for r in tech:
    cats[r["Commodity Code"]] = r["Commodity Title"]
    ex_cats[r["Example"]].add(r["Commodity Code"])
by_pref, by_alt = collections.defaultdict(set), collections.defaultdict(set)
for u, (label, alts, kind) in labels.items():
    if kind == "group":
        continue
    by_pref[normalise(label)].add(u)
    for a in alts:
        by_alt[normalise(a)].add(u)
bridge = {}  # technology name -> ESCO uri
ambiguous = 0
for ex in sorted(ex_cats):
    n = normalise(ex)
    found = by_pref.get(n) or by_alt.get(n)
    if not found:
        continue
    if len(found) > 1:
        ambiguous += 1
        continue
    bridge[ex] = next(iter(found))
aliases = collections.defaultdict(list)
extra_parents = collections.defaultdict(set)
for ex, u in bridge.items():
    aliases[u].append("onet-t:" + ex)
    extra_parents[u].update("onet-cc:" + c for c in ex_cats[ex])
    if ex != labels[u][0] and ex not in labels[u][1]:
        labels[u][1].append(ex)

notes.append(f"ESCO: {sum(1 for v in labels.values() if v[2] != 'group')} skills and "
             f"{sum(1 for v in labels.values() if v[2] == 'group')} groups; "
             f"{len(unlabelled)} broader concepts without a label bypassed")
notes.append(f"O*NET technologies bridged to ESCO concepts: {len(bridge)} of {len(ex_cats)} "
             f"({ambiguous} names left apart: they name more than one ESCO concept)")

f, w = writer("skills.csv", ["key", "kind", "label", "alt_labels", "broader", "aliases"])
order = sorted(labels, key=lambda u: (labels[u][2] != "group", esco_key(u)))
for u in order:
    label, alts, kind = labels[u]
    ps = sorted({esco_key(p) for p in parents_of(u)} | extra_parents[u])
    w.writerow([esco_key(u), kind, label, "|".join(alts), "|".join(ps), "|".join(sorted(aliases[u]))])

# O*NET content model: skills (2.A, 2.B) and knowledge (2.C), with their hierarchy
model = {r["Element ID"]: r["Element Name"] for r in read("skills/onet/Content_Model_Reference.csv")}
elements = sorted(e for e in model if e.split(".")[0] == "2" and e.count(".") >= 1 and e[:3] in ("2.A", "2.B", "2.C"))
for e in elements:
    parent = e.rsplit(".", 1)[0]
    ps = "onet:" + parent if parent in model and parent != "2" else ""
    kind = "knowledge" if e.startswith("2.C") else "skill"
    if any(x.startswith(e + ".") for x in elements):
        kind = "group"
    w.writerow(["onet:" + e, kind, model[e], "", ps, ""])

# O*NET technology skills under their commodity categories (the bridged ones are above)
w.writerow(["onet-tech", "group", "tools and technology", "", "", ""])
for c in sorted(cats):
    w.writerow(["onet-cc:" + c, "group", cats[c], "", "onet-tech", ""])
for ex in sorted(ex_cats):
    if ex not in bridge:
        w.writerow(["onet-t:" + ex, "technology", ex, "", "|".join("onet-cc:" + c for c in sorted(ex_cats[ex])), ""])
f.close()

# French and Spanish labels of the ESCO skills (labels of v1.0.x to ~v1.2.1; see SOURCES.md)
for lang in ("fr", "es"):
    f, w = writer(f"skills_{lang}.csv", ["key", "label", "alt_labels"])
    rows = 0
    for r in sorted(read(f"skills/esco_full/skills_{lang}.csv"), key=lambda r: esco_key(r["conceptUri"])):
        if r["conceptUri"] not in labels or not r["preferredLabel"].strip():
            continue
        label = r["preferredLabel"].strip()
        w.writerow([esco_key(r["conceptUri"]), label, "|".join(split_alts(r["altLabels"], "|", label))])
        rows += 1
    f.close()
    notes.append(f"ESCO {lang}: labels for {rows} of {sum(1 for v in labels.values() if v[2] != 'group')} skills")

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
