#!/usr/bin/env python3
"""Writes data/reference/skill_synonyms.csv: everyday words that name an ESCO (or O*NET)
concept where the taxonomy has no such label, each with the source that justifies it.

Run from the crate root:  python3 data/tools/synonyms.py

Each entry names its target by English preferred label (or key); the script looks it up in
data/reference/skills.csv and fails on a label that names no concept or more than one.
Columns: text,language,skill,source,label (label: the target's English label, for readers).
"""
import csv
import sys

ESCO = "ESCO v1.2.0"
ISCED = "ISCED-F 2013 (UNESCO), as used by ESCO's knowledge groups"
MS = "Microsoft Office product name; ESCO gives 'Microsoft Office Excel' etc. as alternative labels"
FR = "French everyday term; "
ES = "Spanish everyday term; "
ENTRIES = [
    # text, language, target label, source
    ("nursing", "en", "nursing science", f"{ESCO} has no skill labelled 'nursing'; its knowledge concept of the field is 'nursing science' (ISCO-08 222 Nursing and midwifery professionals)"),
    ("nurse", "en", "nursing science", f"ISCO-08 2221 Nursing professionals; {ESCO} 'nursing science'"),
    ("registered nurse", "en", "nursing science", f"ISCO-08 2221 Nursing professionals; O*NET 29-1141 Registered Nurses; {ESCO} 'nursing science'"),
    ("midwifery", "en", "isced-f:0913", f"{ISCED} field 0913 'Nursing and midwifery'; {ESCO} has no skill labelled 'midwifery'"),
    ("midwife", "en", "isced-f:0913", f"ISCO-08 2222 Midwifery professionals; {ISCED} field 0913"),
    ("enfermería", "es", "nursing science", ES + f"{ESCO} Spanish label 'ciencia de la enfermería'"),
    ("partería", "es", "isced-f:0913", ES + f"{ISCED} field 0913 'Nursing and midwifery'"),
    ("infirmière", "fr", "nursing science", FR + f"{ESCO} French label 'sciences en soins infirmiers'"),
    ("infirmier", "fr", "nursing science", FR + f"{ESCO} French label 'sciences en soins infirmiers'"),
    ("sage-femme", "fr", "isced-f:0913", FR + f"{ISCED} field 0913 'Nursing and midwifery'"),
    ("obstetrics", "en", "obstetrics and gynaecology", f"{ESCO} 'obstetrics and gynaecology' (medical specialty)"),
    ("anaesthesia", "en", "anaesthetics", f"{ESCO} 'anaesthetics' (medical specialty of anaesthesia)"),
    ("anesthesia", "en", "anaesthetics", f"US spelling; {ESCO} 'anaesthetics'"),
    ("anatomy", "en", "human anatomy", f"{ESCO} 'human anatomy'; in health registrations anatomy is human anatomy"),
    ("IPC", "en", "infection control", "WHO abbreviation for infection prevention and control; " + f"{ESCO} 'infection control'"),
    ("infection prevention and control", "en", "infection control", f"WHO term; {ESCO} 'infection control'"),
    ("CPR", "en", "provide first aid", f"Cardiopulmonary resuscitation; {ESCO} gives 'resuscitation' as an alternative label of 'provide first aid'"),
    ("antenatal care", "en", "provide pre-natal care", f"UK term for pre-natal care; {ESCO} 'provide pre-natal care'"),
    ("farmacia", "es", "pharmacy", ES + f"{ISCED} field 0916 'Pharmacy'"),
    ("pharmacie", "fr", "pharmacy", FR + f"{ISCED} field 0916 'Pharmacy'"),
    ("pediatría", "es", "paediatrics", ES + f"{ESCO} 'paediatrics'"),
    ("teaching", "en", "isced-f:011", f"{ISCED} field 011 'Education'; ESCO gives 'teaching' as an alternative label of 'adult education' only"),
    ("teacher", "en", "isced-f:011", f"ISCO-08 23 Teaching professionals; {ISCED} field 011"),
    ("enseignement", "fr", "isced-f:011", FR + f"{ISCED} field 011 'Education'"),
    ("enseignant", "fr", "isced-f:011", FR + f"ISCO-08 23; {ISCED} field 011"),
    ("docencia", "es", "isced-f:011", ES + f"{ISCED} field 011 'Education'"),
    ("enseñanza", "es", "isced-f:011", ES + f"{ISCED} field 011 'Education'"),
    ("lesson planning", "en", "prepare lesson content", f"{ESCO} 'prepare lesson content' (prepare exercises and examples in line with the curriculum)"),
    ("lesson plans", "en", "prepare lesson content", f"{ESCO} 'prepare lesson content'"),
    ("early childhood education", "en", "teach kindergarten class content", f"ISCED level 0; {ESCO} 'teach kindergarten class content'"),
    ("inclusive education", "en", "special needs education", f"UNESCO term; {ESCO} 'special needs education'"),
    ("elearning", "en", "e-learning", f"spelling of {ESCO} 'e-learning'"),
    ("online teaching", "en", "e-learning", f"{ESCO} 'e-learning'"),
    ("maths", "en", "esco:4339176e-3acd-4f7f-a5d9-445bee3d23f2", "British short form of mathematics; ESCO knowledge 'mathematics'"),
    ("math", "en", "esco:4339176e-3acd-4f7f-a5d9-445bee3d23f2", "US short form of mathematics; ESCO knowledge 'mathematics'"),
    ("maths teacher", "en", "teach mathematics", f"{ESCO} 'teach mathematics'"),
    ("English teaching", "en", "teach languages", f"{ESCO} 'teach languages'"),
    ("TEFL", "en", "teach languages", f"Teaching English as a Foreign Language (Cambridge/Trinity certificates); {ESCO} 'teach languages'"),
    ("ESL", "en", "teach languages", f"English as a Second Language; {ESCO} 'teach languages'"),
    ("mentoring", "en", "mentor individuals", f"{ESCO} 'mentor individuals'; ESCO gives 'mentoring' as an alternative label of 'family therapy'"),
    ("training", "en", "train employees", f"{ESCO} 'train employees'; ESCO's shortest label with 'training' is 'animal training'"),
    ("training of trainers", "en", "train employees", f"{ESCO} 'train employees'"),
    ("vocational training", "en", "teaching academic or vocational subjects", f"{ESCO} skill group 'teaching academic or vocational subjects'"),
    ("research", "en", "scientific research methodology", f"{ESCO} 'scientific research methodology'"),
    ("scientific research", "en", "scientific research methodology", f"{ESCO} 'scientific research methodology'"),
    ("formation des adultes", "fr", "adult education", FR + f"{ESCO} 'adult education'"),
    ("éducation spécialisée", "fr", "special needs education", FR + f"{ESCO} 'special needs education'"),
    ("joinery", "en", "carpentry", f"ISCO-08 7115 Carpenters and joiners; {ESCO} 'carpentry'"),
    ("welder", "en", "welding techniques", f"ISCO-08 7212 Welders and flamecutters; {ESCO} 'welding techniques'"),
    ("arc welding", "en", "welding techniques", f"{ESCO} 'welding techniques' (names arc welding among them)"),
    ("soudure", "fr", "welding techniques", FR + f"{ESCO} 'welding techniques'"),
    ("soldadura", "es", "welding techniques", ES + f"{ESCO} 'welding techniques'"),
    ("electrical installation", "en", "install electrical and electronic equipment", f"{ESCO} 'install electrical and electronic equipment'"),
    ("masonry", "en", "lay bricks", f"ISCO-08 7112 Bricklayers and related workers; {ESCO} 'lay bricks'"),
    ("maçonnerie", "fr", "lay bricks", FR + "ISCO-08 7112; " + f"{ESCO} 'lay bricks'"),
    ("albañilería", "es", "lay bricks", ES + "ISCO-08 7112; " + f"{ESCO} 'lay bricks'"),
    ("tiling", "en", "lay tiles", f"{ESCO} 'lay tiles'"),
    ("painting and decorating", "en", "use painting techniques", f"ISCO-08 7131 Painters and related workers; {ESCO} 'use painting techniques'"),
    ("auto mechanics", "en", "mechanics of motor vehicles", f"ISCO-08 7231 Motor vehicle mechanics and repairers; {ESCO} 'mechanics of motor vehicles'"),
    ("motor mechanic", "en", "mechanics of motor vehicles", f"ISCO-08 7231; {ESCO} 'mechanics of motor vehicles'"),
    ("car repair", "en", "mechanics of motor vehicles", f"ISCO-08 7231; {ESCO} 'mechanics of motor vehicles'"),
    ("cooking", "en", "use cooking techniques", f"{ESCO} 'use cooking techniques'"),
    ("HVAC", "en", "heating, ventilation, air conditioning and refrigeration parts", "Heating, ventilation and air conditioning; " + f"{ESCO} 'heating, ventilation, air conditioning and refrigeration parts'"),
    ("structural engineering", "en", "civil engineering", f"branch of civil engineering; {ESCO} 'civil engineering'"),
    ("project manager", "en", "project management", f"{ESCO} 'project management'"),
    ("PMP", "en", "project management", "Project Management Professional (PMI certification); " + f"{ESCO} 'project management'"),
    ("architecture", "en", "architectural design", f"{ESCO} 'architectural design'; ESCO's shortest label with 'architecture' is 'naval architecture'"),
    ("beekeeping", "en", "handle honeycombs", f"{ESCO} beekeeping skills ('handle honeycombs', 'process harvested honey'); ESCO has no label 'beekeeping'"),
    ("fish farming", "en", "aquaculture industry", f"FAO: fish farming is aquaculture; {ESCO} 'aquaculture industry'"),
    ("veterinary medicine", "en", "fundamental veterinary sciences", f"{ESCO} 'fundamental veterinary sciences'"),
    ("agricultural extension", "en", "provide advice to farmers", f"FAO: extension services advise farmers; {ESCO} 'provide advice to farmers'"),
    ("ganadería", "es", "livestock", ES + f"{ESCO} 'livestock'"),
    ("pêche", "fr", "fishing industry", FR + f"{ESCO} 'fishing industry'"),
    ("accountancy", "en", "accounting", f"British term for accounting; {ESCO} 'accounting'"),
    ("budget management", "en", "manage budgets", f"{ESCO} 'manage budgets'"),
    ("budgeting", "en", "manage budgets", f"{ESCO} 'manage budgets'"),
    ("taxation", "en", "tax legislation", f"{ESCO} 'tax legislation'"),
    ("fiscalité", "fr", "tax legislation", FR + f"{ESCO} 'tax legislation'"),
    ("banking", "en", "banking activities", f"{ESCO} 'banking activities'"),
    ("payroll management", "en", "manage payroll", f"{ESCO} 'manage payroll'"),
    ("audit", "en", "audit techniques", f"{ESCO} 'audit techniques'"),
    ("audit", "fr", "audit techniques", FR + f"{ESCO} 'audit techniques'"),
    ("JS", "en", "JavaScript", f"common abbreviation of JavaScript; {ESCO} 'JavaScript'"),
    ("R programming", "en", "R", f"the R language; {ESCO} 'R'"),
    ("web development", "en", "web programming", f"{ESCO} 'web programming'"),
    ("web developer", "en", "web programming", f"ISCO-08 2513 Web and multimedia developers; {ESCO} 'web programming'"),
    ("web design", "en", "implement front-end website design", f"{ESCO} 'implement front-end website design'"),
    ("développement web", "fr", "web programming", FR + f"{ESCO} 'web programming'"),
    ("software development", "en", "computer programming", f"{ESCO} 'computer programming'"),
    ("software engineering", "en", "computer programming", f"{ESCO} 'computer programming'"),
    ("coding", "en", "computer programming", f"{ESCO} 'computer programming'; ESCO gives 'coding' to 'clinical coding' too"),
    ("programmation", "fr", "computer programming", FR + f"{ESCO} 'computer programming'"),
    ("programación", "es", "computer programming", ES + f"{ESCO} 'computer programming'"),
    ("IT support", "en", "provide ICT support", f"{ESCO} 'provide ICT support'"),
    ("help desk", "en", "provide ICT support", f"{ESCO} 'provide ICT support'"),
    ("MS Excel", "en", "use spreadsheets software", MS),
    ("Excel", "en", "use spreadsheets software", MS),
    ("spreadsheets", "en", "use spreadsheets software", f"{ESCO} 'use spreadsheets software'"),
    ("MS Word", "en", "use word processing software", MS),
    ("Word", "en", "use word processing software", MS),
    ("MS PowerPoint", "en", "use presentation software", MS),
    ("PowerPoint", "en", "use presentation software", MS),
    ("MS Office", "en", "use microsoft office", MS),
    ("computer skills", "en", "have computer literacy", f"{ESCO} 'have computer literacy'"),
    ("SPSS", "en", "IBM SPSS Statistics", "IBM SPSS Statistics (O*NET technology)"),
    ("analyse de données", "fr", "perform data analysis", FR + f"{ESCO} 'perform data analysis'"),
    ("análisis de datos", "es", "perform data analysis", ES + f"{ESCO} 'perform data analysis'"),
    ("réseaux informatiques", "fr", "design computer network", FR + f"{ESCO} 'design computer network'"),
    ("redes informáticas", "es", "design computer network", ES + f"{ESCO} 'design computer network'"),
    ("public policy", "en", "policy analysis", f"{ESCO} 'policy analysis'"),
    ("lawyer", "en", "isced-f:0421", f"ISCO-08 2611 Lawyers; {ISCED} field 0421 'Law'"),
    ("droit", "fr", "isced-f:0421", FR + f"{ISCED} field 0421 'Law'"),
    ("derecho", "es", "isced-f:0421", ES + f"{ISCED} field 0421 'Law'"),
    ("recruitment", "en", "recruit employees", f"{ESCO} 'recruit employees'"),
    ("M&E", "en", "conduct training on monitoring and evaluation frameworks", "monitoring and evaluation (development programmes); " + f"{ESCO}'s monitoring-and-evaluation concept"),
    ("monitoring and evaluation", "en", "conduct training on monitoring and evaluation frameworks", f"{ESCO}'s monitoring-and-evaluation concept"),
    ("suivi et évaluation", "fr", "conduct training on monitoring and evaluation frameworks", FR + f"{ESCO}'s monitoring-and-evaluation concept"),
    ("seguimiento y evaluación", "es", "conduct training on monitoring and evaluation frameworks", ES + f"{ESCO}'s monitoring-and-evaluation concept"),
    ("grant writing", "en", "write charity grant proposals", f"{ESCO} 'write charity grant proposals'"),
    ("proposal writing", "en", "write charity grant proposals", f"{ESCO} 'write charity grant proposals'"),
    ("fundraising", "en", "perform fundraising activities", f"{ESCO} 'perform fundraising activities'"),
    ("community development", "en", "provide community development services", f"{ESCO} 'provide community development services'"),
    ("community mobilisation", "en", "build community relations", f"{ESCO} 'build community relations'"),
    ("report writing", "en", "write work-related reports", f"{ESCO} 'write work-related reports'"),
    ("writing reports", "en", "write work-related reports", f"{ESCO} 'write work-related reports'"),
    ("translation", "en", "translate texts", f"{ESCO} 'translate texts'"),
    ("traduction", "fr", "translate texts", FR + f"{ESCO} 'translate texts'"),
    ("traducción", "es", "translate texts", ES + f"{ESCO} 'translate texts'"),
    ("administrative support", "en", "perform clerical duties", f"{ESCO} 'perform clerical duties'"),
    ("gender equality", "en", "ensure gender equality in the workplace", f"{ESCO} 'ensure gender equality in the workplace'"),
    ("administration publique", "fr", "public administration", FR + f"{ESCO} 'public administration'"),
    ("administración pública", "es", "public administration", ES + f"{ESCO} 'public administration'"),
    ("immunization", "en", "assist with vaccination procedures", f"US term for immunisation; {ESCO} 'assist with vaccination procedures'"),
    ("general practice", "en", "general medicine", f"ISCO-08 2211 Generalist medical practitioners; {ESCO} 'general medicine'"),
    ("pharmacist", "en", "pharmacy", f"ISCO-08 2262 Pharmacists; {ISCED} field 0916 'Pharmacy'"),
    ("dental care", "en", "clinical disciplines in dentistry", f"{ESCO} 'clinical disciplines in dentistry'"),
    ("radiography", "en", "use X-ray machines", f"{ESCO} 'use X-ray machines'"),
    ("x-ray", "en", "use X-ray machines", f"{ESCO} 'use X-ray machines'"),
    ("optometry", "en", "refraction of the eye", f"{ESCO} 'refraction of the eye' (the optometrist's examination)"),
    ("educational assessment", "en", "assessment processes", f"{ESCO} 'assessment processes'"),
    ("student assessment", "en", "assessment processes", f"{ESCO} 'assessment processes'"),
    ("chef", "en", "use cooking techniques", f"ISCO-08 3434 Chefs; {ESCO} 'use cooking techniques'"),
    ("culinary arts", "en", "use cooking techniques", f"{ESCO} 'use cooking techniques'"),
    ("hospitality", "en", "hotel, restaurants and catering", f"{ESCO} skill group 'hotel, restaurants and catering'"),
    ("front office", "en", "deal with arrivals in accommodation", f"{ESCO} 'deal with arrivals in accommodation' (hotel front office)"),
    ("travel agency", "en", "prepare travel packages", f"ISCO-08 4221 Travel consultants; {ESCO} 'prepare travel packages'"),
    ("tour guide", "en", "escort visitors to places of interest", f"ISCO-08 5113 Travel guides; {ESCO} 'escort visitors to places of interest'"),
    ("tour guiding", "en", "escort visitors to places of interest", f"ISCO-08 5113 Travel guides; {ESCO} 'escort visitors to places of interest'"),
    ("guía turístico", "es", "escort visitors to places of interest", ES + f"ISCO-08 5113; {ESCO} 'escort visitors to places of interest'"),
    ("turismo", "es", "travel, tourism and leisure", ES + f"{ESCO} skill group 'travel, tourism and leisure'"),
    ("WASH", "en", "community sanitation", f"UNICEF/WHO: water, sanitation and hygiene; {ESCO} 'community sanitation'"),
    ("hidrología", "es", "hydrology", ES + f"{ESCO} 'hydrology'"),
    ("driving", "en", "drive vehicles", f"{ESCO} 'drive vehicles'"),
    ("driver", "en", "drive vehicles", f"ISCO-08 83 Drivers; {ESCO} 'drive vehicles'"),
    ("truck driving", "en", "drive vehicles", f"ISCO-08 8332 Heavy truck drivers; {ESCO} 'drive vehicles'"),
    ("forklift operation", "en", "operate forklift", f"{ESCO} 'operate forklift'"),
    ("stock control", "en", "inventory management rules", f"{ESCO} 'inventory management rules'"),
    ("solar PV installation", "en", "install photovoltaic systems", f"PV is photovoltaic; {ESCO} 'install photovoltaic systems'"),
    ("customs clearance", "en", "arrange customs documents", f"{ESCO} 'arrange customs documents'"),
    ("Android development", "en", "Android (mobile operating systems)", f"{ESCO} 'Android (mobile operating systems)'"),
    ("stakeholder engagement", "en", "engage with stakeholders", f"{ESCO} 'engage with stakeholders'"),
    ("financial reporting", "en", "prepare financial statements", f"{ESCO} 'prepare financial statements'"),
]

rows = list(csv.DictReader(open("data/reference/skills.csv", encoding="utf-8")))
keys = {r["key"]: r["label"] for r in rows}
by_label = {}
for r in rows:
    by_label.setdefault(r["label"], []).append(r["key"])
out, bad = [], []
for text, lang, target, source in ENTRIES:
    if target in keys:
        key = target
    else:
        found = by_label.get(target, [])
        if len(found) != 1:
            bad.append((text, target, found))
            continue
        key = found[0]
    out.append((text, lang, key, source, keys[key]))
if bad:
    for b in bad:
        print("cannot place", b, file=sys.stderr)
    sys.exit(1)
with open("data/reference/skill_synonyms.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["text", "language", "skill", "source", "label"])
    w.writerows(out)
print(f"{len(out)} synonyms", file=sys.stderr)
