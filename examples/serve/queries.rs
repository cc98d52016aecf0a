//! The read-only requests: each takes the engine's read lock, asks it, and answers JSON with
//! keys beside ids (`Engine::with_keys`).

use std::collections::HashMap;

use diaspora_match::assign::{self, CapBy, Caps, Instance, Objective, Proposer};
use diaspora_match::{Engine, OpportunityId, Path, ProfileId};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::common::SkillJson;
use crate::errors::ApiError;
use crate::service::{Service, to_json};

type Params = HashMap<String, String>;

/// How many results a list gives when `k` is not said.
const DEFAULT_K: usize = 10;

fn param<'a>(q: &'a Params, name: &str) -> Result<&'a str, ApiError> {
    q.get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::bad(name, format!("the parameter `{name}` is required")))
}

/// `k`: a whole number from 1 up to the engine's `Limits::k`.
fn k(service: &Service, q: &Params) -> Result<usize, ApiError> {
    let Some(text) = q.get("k") else {
        return Ok(DEFAULT_K);
    };
    let max = service.limits().k;
    text.parse::<usize>()
        .ok()
        .filter(|k| (1..=max).contains(k))
        .ok_or_else(|| ApiError::bad("k", format!("expected a whole number from 1 to {max}")))
}

fn opportunity_id(engine: &Engine, key: &str) -> Result<OpportunityId, ApiError> {
    engine
        .opportunity_id(key)
        .ok_or_else(|| ApiError::unknown("opportunity", key))
}

fn pair(engine: &Engine, q: &Params) -> Result<(ProfileId, OpportunityId), ApiError> {
    let p = Service::profile_id(engine, param(q, "profile")?)?;
    Ok((p, opportunity_id(engine, param(q, "opportunity")?)?))
}

/// Every opportunity, in order: what the page lists to pick from.
pub fn opportunities(service: &Service) -> Result<String, ApiError> {
    let engine = service.read()?;
    let regions = &service.reference().regions;
    let list: Vec<Value> = engine
        .opportunities()
        .iter()
        .map(|o| {
            json!({
                "key": o.key,
                "title": o.title,
                "kind": o.engagement,
                "country": regions.code(o.country),
                "places": o.capacity,
            })
        })
        .collect();
    to_json(&list)
}

/// The best candidates for an opportunity.
pub fn candidates(service: &Service, key: &str, q: &Params) -> Result<String, ApiError> {
    let k = k(service, q)?;
    let engine = service.read()?;
    let found = engine.candidates(opportunity_id(&engine, key)?, k)?;
    to_json(&engine.with_keys(&found[..]))
}

/// The best opportunities for a person.
pub fn opportunities_for(service: &Service, key: &str, q: &Params) -> Result<String, ApiError> {
    let k = k(service, q)?;
    let engine = service.read()?;
    let found = engine.opportunities_for(Service::profile_id(&engine, key)?, k)?;
    to_json(&engine.with_keys(&found[..]))
}

/// Why a person scores what they score for an opportunity.
pub fn explain(service: &Service, q: &Params) -> Result<String, ApiError> {
    let engine = service.read()?;
    let (p, o) = pair(&engine, q)?;
    to_json(&engine.with_keys(&engine.explain(p, o)?))
}

fn referral(engine: &Engine, q: &Params) -> Result<Option<Path>, ApiError> {
    let (p, o) = pair(engine, q)?;
    Ok(engine.referral_path(p, o)?)
}

/// The strongest referral path from a person to an opportunity's host, or `null`.
pub fn path_json(service: &Service, q: &Params) -> Result<String, ApiError> {
    let engine = service.read()?;
    match referral(&engine, q)? {
        Some(path) => to_json(&engine.with_keys(&path)),
        None => Ok("null".into()),
    }
}

/// The same path in Graphviz DOT (an empty graph when there is none).
pub fn path_dot(service: &Service, q: &Params) -> Result<String, ApiError> {
    let engine = service.read()?;
    let paths: Vec<Path> = referral(&engine, q)?.into_iter().collect();
    Ok(engine.network().to_dot(&paths))
}

/// A free-text skill name resolved onto the taxonomy, with the closest alternatives.
pub fn resolve(service: &Service, q: &Params) -> Result<String, ApiError> {
    let name = param(q, "name")?;
    let max = service.limits().string_chars;
    if name.chars().count() > max {
        return Err(ApiError::bad(
            "name",
            format!("longer than {max} characters"),
        ));
    }
    let t = &service.reference().taxonomy;
    let r = t.resolve(name);
    let alternatives: Vec<SkillJson> = r
        .alternatives
        .iter()
        .map(|a| SkillJson::of(t, a.skill, Some(a.similarity)))
        .collect();
    to_json(&json!({
        "name": name,
        "resolved": r.skill.map(|id| SkillJson::of(t, id, None)),
        "how": r.how,
        "language": r.language,
        "confidence": r.confidence,
        "alternatives": alternatives,
    }))
}

/// The body of `POST /api/placement`.
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct PlacementRequest {
    /// `stable` (people propose) or `optimal` (the largest total score).
    algorithm: Option<String>,
    /// How many candidates of each opportunity are acceptable pairs.
    candidates: Option<usize>,
    caps: Caps,
    cap_by: CapBy,
}

/// A placement over every opportunity's best candidates.
pub fn placement(service: &Service, body: &str) -> Result<String, ApiError> {
    let request: PlacementRequest = if body.trim().is_empty() {
        PlacementRequest::default()
    } else {
        serde_json::from_str(body).map_err(|e| ApiError::bad("body", e.to_string()))?
    };
    let max = service.limits().k;
    let k = request.candidates.unwrap_or(20);
    if !(1..=max).contains(&k) {
        return Err(ApiError::bad(
            "candidates",
            format!("expected a whole number from 1 to {max}"),
        ));
    }
    let engine = service.read()?;
    let pairs = engine.match_all(k)?.into_iter().flatten();
    let instance = Instance::from_matches(&engine, pairs, 1, request.caps, request.cap_by)?;
    let outcome = match request.algorithm.as_deref().unwrap_or("stable") {
        "stable" => assign::stable(&instance, Proposer::People)?,
        "optimal" => assign::optimal(&instance, Objective::TotalScore)?,
        other => {
            return Err(ApiError::bad(
                "algorithm",
                format!("expected stable or optimal, found {other:?}"),
            ));
        }
    };
    to_json(&engine.with_keys(&outcome))
}
