//! Reading and writing reference data and datasets.
//!
//! # Reference data (`data/reference/`)
//!
//! | file | columns |
//! |---|---|
//! | `countries.csv` | `alpha2,alpha3,m49,name,region_code,region,sub_region_code,sub_region,intermediate_region_code,intermediate_region,ldc,lldc,sids` |
//! | `languages.csv` | `code,alpha2,name` (ISO 639-3, ISO 639-1) |
//! | `territory_languages.csv` | `territory,language,percent,official` (CLDR) |
//! | `skills.csv` | `key,kind,label,alt_labels,broader[,aliases]` (`|`-separated lists; `aliases` are other keys of the same concept) |
//! | `skills_fr.csv`, `skills_es.csv` (optional) | `key,label,alt_labels`: French and Spanish labels |
//! | `skill_synonyms.csv` (optional) | `text,language,skill,source`: curated everyday words, each with its source |
//! | `cities.csv` (optional) | `name`: place names that never resolve to a skill |
//!
//! # A dataset folder
//!
//! - `profiles.jsonl`, one [`ProfileRecord`] per line:
//!   `{"key":"p-000123","skills":[{"skill":"Python","level":4,"years":6}],"origins":[{"country":"GH","generation":1}],"residence":"GB","languages":[{"language":"en","level":"C2"}],"engagements":["remote","invest"],"available":{"from":"2027-01-01","to":"2027-06-30"},"intermediary":true,"capital":{"invest_usd":[5000,50000],"donate_usd_per_year":[500,2000]},"interests":{"sectors":["A","Q86"],"causes":[3,6]}}`
//!   (`capital` and `interests` optional: amounts in US dollars, ISIC Rev.4 sections or
//!   divisions, Sustainable Development Goals 1 to 17)
//! - `opportunities.json`, an array of [`OpportunityRecord`]:
//!   `[{"key":"o-0042","title":"Ward nurse trainer","host":"org-tth","country":"GH","engagement":"return_temporary","requirements":[{"skill":"Medicine and Dentistry","weight":2.0,"min_level":3,"must":true}],"languages":[{"language":"en","level":"B2"}],"capacity":3,"window":{"from":"2027-02-01","to":"2027-05-31"}}]`;
//!   optional `"ticket_usd":[20000,200000]` (`invest`), `"gap_usd":50000` (`donate`),
//!   `"sector":"E36"`, `"causes":[6]` and `"settlement":["DE","FR"]` (countries of settlement
//!   sought). `invest`, `donate` and `tourism` may have no requirements.
//! - `nodes.csv` (optional): `key,kind,intermediary`, people who are not profiles and
//!   organisations (`kind` = `person` or `organisation`); `intermediary` is the node's
//!   consent to relay introductions, honoured for organisations as for people. Every profile
//!   is a person node under its own key, with its `intermediary` consent.
//! - `ties.csv` (optional): `from,to,kind,strength`, keys of profiles or nodes; `kind` one of
//!   `family`, `community`, `alumni`, `colleague`, `mentor`, `organisational`; `strength` in
//!   `(0, 1]`.
//!
//! Skills are named by preferred label, alternative label or key; other spellings go through
//! [`Taxonomy::resolve`](crate::Taxonomy::resolve) and are listed in the [`ResolutionReport`]. Countries are ISO 3166
//! alpha-2 or alpha-3 codes, languages ISO 639-1 or 639-3 codes, levels CEFR `A1`..`C2` or
//! `native`, dates `YYYY-MM-DD`.
//!
//! Loading is all or nothing: the first bad record is an [`Error`](crate::Error) naming the file, the line
//! or record, the field and (except for personal fields of profiles) the value.
//!
//! | file | what |
//! |---|---|
//! | `records.rs` | [`ProfileRecord`], [`OpportunityRecord`] and their parts: the external format |
//! | `read.rs` | files capped at their size limit, records bounded as they stream |
//! | `reference.rs` | [`load_reference`], [`Reference::bundled`](crate::Reference::bundled): regions, languages, the taxonomy |
//! | `source.rs` | reference files from a folder or built into the crate |
//! | `load.rs` | [`Loader`], [`load_dataset`]: a dataset folder, every name resolved |
//! | `channels.rs` | capital, interests, tickets, gaps, sectors, causes and settlement, read and written |
//! | `convert.rs` | [`Loader::profile`], [`Loader::opportunity`] and their `_json` forms: one record at a time |
//! | `network.rs` | `nodes.csv` and `ties.csv` |
//! | `report.rs` | [`ResolutionReport`] |
//! | `stream.rs` | JSON Lines read line by line and JSON arrays element by element, within their limits |
//! | `shape.rs` | what is wrong with a profile line, said without its values |
//! | `write.rs` | [`write_dataset`] |

mod channels;
mod convert;
mod load;
mod network;
mod read;
mod records;
mod reference;
mod report;
mod shape;
mod source;
mod stream;
mod write;

pub use load::{Loaded, Loader, load_dataset};
pub(crate) use read::records as csv_records;
pub use records::{
    CapitalRecord, HeldSkillRecord, InterestsRecord, LanguageRecord, OpportunityRecord,
    OriginRecord, ProfileRecord, RequirementRecord, WindowRecord,
};
pub use reference::{bundled_reference_dir, load_reference};
pub use report::{ResolutionReport, ResolvedName};
pub use write::write_dataset;
