//! Results with keys beside ids, for JSON and other serde formats: [`Engine::with_keys`].

use serde::ser::{Serialize, SerializeMap, SerializeSeq, SerializeStruct, Serializer};

use crate::assign::{Assignment, Reason};
use crate::id::{NodeId, OpportunityId, ProfileId, SkillId};
use crate::network::Path;
use crate::score::{Component, Explanation, Match, RequirementCredit};
use crate::taxonomy::Relation;

use super::Engine;

/// A result beside the engine that names its ids: serialises with the keys of the profiles,
/// opportunities, nodes and skills it names ([`Engine::with_keys`]).
///
/// The shapes (field order as written):
///
/// | value | JSON |
/// |---|---|
/// | [`Match`] | `{"profile":3,"profile_key":"p-4","opportunity":0,"opportunity_key":"o-1","score":0.8,"components":{"skills":0.9,"region":null,"network":0.64,"language":1.0,"capital":null,"interest":null,"settlement":null}}` (`null`: the component does not apply) |
/// | `[Match]` | an array of those |
/// | [`Explanation`] | `{"profile","profile_key","opportunity","opportunity_key","score","eligible","exclusions":[words],"components":[{"component","value","informed","weight","effective_weight","contribution","reasons":[words]}],"requirements":[{"skill","skill_key","label","weight","min_level","must","credit","via"}]}`; `via` is `null` or `{"skill","skill_key","label","relation","hops","level"}` |
/// | [`Path`] | `{"strength":0.72,"nodes":[{"node":0,"key":"p-1"},{"node":9,"key":"org-ghs","tie":"alumni","tie_strength":0.8}]}`: the first node, then one per hop with the tie that reaches it |
/// | [`Assignment`] | `{"placements":[{"profile","profile_key","opportunity","opportunity_key","score"}],"unplaced":[{"profile","profile_key","reason"}],"unfilled":[{"opportunity","opportunity_key","places","reason"}],"total_score"}` |
///
/// A key is `null` for an id the engine does not know (an erased profile).
#[derive(Clone, Copy, Debug)]
pub struct WithKeys<'a, T: ?Sized> {
    engine: &'a Engine,
    value: &'a T,
}

impl Engine {
    /// `value` (a [`Match`], a slice of them, an [`Explanation`], a referral [`Path`] or an
    /// [`Assignment`]) ready to serialise with the keys of what it names beside the ids; see
    /// [`WithKeys`] for the shapes.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use diaspora_match::{io, Engine};
    /// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data");
    /// let reference = Arc::new(io::load_reference(format!("{dir}/reference"))?);
    /// let engine = Engine::builder(io::load_dataset(format!("{dir}/sample"), reference)?).build()?;
    /// let o = engine.opportunity_id("o-0001").unwrap();
    /// let top = engine.candidates(o, 2)?;
    /// let json = serde_json::to_value(engine.with_keys(&top[..]))?;
    /// assert_eq!(json[0]["opportunity_key"], "o-0001");
    /// assert_eq!(json[0]["profile_key"], engine.profile_key(top[0].profile).unwrap());
    /// assert_eq!(json[0]["score"], top[0].score);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_keys<'a, T: ?Sized>(&'a self, value: &'a T) -> WithKeys<'a, T> {
        WithKeys {
            engine: self,
            value,
        }
    }

    fn opportunity_key(&self, id: OpportunityId) -> Option<&str> {
        self.opportunity(id).map(|o| o.key.as_str())
    }

    fn node_key(&self, id: NodeId) -> Option<&str> {
        self.network.contains(id).then(|| self.network.key(id))
    }
}

impl Serialize for WithKeys<'_, Match> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (e, m) = (self.engine, self.value);
        let mut st = s.serialize_struct("Match", 6)?;
        serialize_pair(&mut st, e, m.profile, m.opportunity, m.score)?;
        st.serialize_field("components", &ComponentValues(m))?;
        st.end()
    }
}

/// A match's components as a map from name to value (`null` where it does not apply).
struct ComponentValues<'a>(&'a Match);

impl Serialize for ComponentValues<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(Component::ALL.len()))?;
        for c in Component::ALL {
            map.serialize_entry(c.as_str(), &self.0.components.get(c))?;
        }
        map.end()
    }
}

impl Serialize for WithKeys<'_, [Match]> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.value.len()))?;
        for m in self.value {
            seq.serialize_element(&self.engine.with_keys(m))?;
        }
        seq.end()
    }
}

impl Serialize for WithKeys<'_, Explanation> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (e, x) = (self.engine, self.value);
        let mut st = s.serialize_struct("Explanation", 9)?;
        serialize_pair(&mut st, e, x.profile, x.opportunity, x.score)?;
        st.serialize_field("eligible", &x.is_eligible())?;
        st.serialize_field("exclusions", &x.exclusion_reasons)?;
        let components: Vec<_> = x.components.iter().map(ComponentEntry).collect();
        st.serialize_field("components", &components)?;
        let requirements: Vec<_> = x
            .requirements
            .iter()
            .map(|r| RequirementEntry(e, r))
            .collect();
        st.serialize_field("requirements", &requirements)?;
        st.end()
    }
}

struct ComponentEntry<'a>(&'a crate::score::ComponentExplanation);

impl Serialize for ComponentEntry<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = self.0;
        let mut st = s.serialize_struct("Component", 7)?;
        st.serialize_field("component", c.component.as_str())?;
        st.serialize_field("value", &c.value)?;
        st.serialize_field("informed", &c.informed)?;
        st.serialize_field("weight", &c.weight)?;
        st.serialize_field("effective_weight", &c.effective_weight)?;
        st.serialize_field("contribution", &c.contribution)?;
        st.serialize_field("reasons", &c.reasons)?;
        st.end()
    }
}

struct RequirementEntry<'a>(&'a Engine, &'a RequirementCredit);

impl Serialize for RequirementEntry<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (e, r) = (self.0, self.1);
        let q = &r.requirement;
        let mut st = s.serialize_struct("Requirement", 8)?;
        serialize_skill(&mut st, e, q.skill)?;
        st.serialize_field("weight", &q.weight)?;
        st.serialize_field("min_level", &q.min_level.map(|l| l.get()))?;
        st.serialize_field("must", &q.must)?;
        st.serialize_field("credit", &r.credit)?;
        st.serialize_field("via", &r.via.map(|v| Via(e, v)))?;
        st.end()
    }
}

/// The held skill that gave a requirement its credit: the skill, how it relates to the
/// requirement, and its level.
struct Via<'a>(&'a Engine, (SkillId, Relation, Option<crate::model::Level>));

impl Serialize for Via<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (e, (skill, relation, level)) = (self.0, self.1);
        let (name, hops) = match relation {
            Relation::Same => ("same", 0),
            Relation::Narrower { hops } => ("narrower", hops),
            Relation::Broader { hops } => ("broader", hops),
            Relation::Sibling => ("sibling", 2),
        };
        let mut st = s.serialize_struct("Via", 6)?;
        serialize_skill(&mut st, e, skill)?;
        st.serialize_field("relation", name)?;
        st.serialize_field("hops", &hops)?;
        st.serialize_field("level", &level.map(|l| l.get()))?;
        st.end()
    }
}

/// A pair's profile and opportunity, each id with its key, and its score: the fields a match,
/// an explanation and a placement begin with.
fn serialize_pair<S: SerializeStruct>(
    st: &mut S,
    e: &Engine,
    profile: ProfileId,
    opportunity: OpportunityId,
    score: f32,
) -> Result<(), S::Error> {
    st.serialize_field("profile", &profile.as_u32())?;
    st.serialize_field("profile_key", &e.profile_key(profile))?;
    st.serialize_field("opportunity", &opportunity.as_u32())?;
    st.serialize_field("opportunity_key", &e.opportunity_key(opportunity))?;
    st.serialize_field("score", &score)
}

/// A skill's id, key and preferred label.
fn serialize_skill<S: SerializeStruct>(
    st: &mut S,
    e: &Engine,
    skill: SkillId,
) -> Result<(), S::Error> {
    let t = &e.reference().taxonomy;
    st.serialize_field("skill", &skill.as_u32())?;
    st.serialize_field("skill_key", t.key(skill))?;
    st.serialize_field("label", t.label(skill))
}

impl Serialize for WithKeys<'_, Path> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (e, p) = (self.engine, self.value);
        let mut st = s.serialize_struct("Path", 2)?;
        st.serialize_field("strength", &p.strength)?;
        let mut nodes = vec![PathNode(e, p.start, None)];
        nodes.extend(p.hops.iter().map(|h| PathNode(e, h.to, Some(h.tie))));
        st.serialize_field("nodes", &nodes)?;
        st.end()
    }
}

/// A node on a path, with the tie that reaches it (none for the first).
struct PathNode<'a>(&'a Engine, NodeId, Option<crate::network::Tie>);

impl Serialize for PathNode<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Node", 4)?;
        st.serialize_field("node", &self.1.as_u32())?;
        st.serialize_field("key", &self.0.node_key(self.1))?;
        if let Some(t) = self.2 {
            st.serialize_field("tie", t.kind.as_str())?;
            st.serialize_field("tie_strength", &t.strength)?;
        }
        st.end()
    }
}

impl Serialize for WithKeys<'_, Assignment> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (e, a) = (self.engine, self.value);
        let placements: Vec<_> = a
            .placements
            .iter()
            .map(|p| Placed(e, p.person, p.opportunity, p.score))
            .collect();
        let unplaced: Vec<_> = a.unplaced.iter().map(|&(p, r)| Unplaced(e, p, r)).collect();
        let unfilled: Vec<_> = a
            .unfilled
            .iter()
            .map(|&(o, n, r)| Unfilled(e, o, n, r))
            .collect();
        let mut st = s.serialize_struct("Assignment", 4)?;
        st.serialize_field("placements", &placements)?;
        st.serialize_field("unplaced", &unplaced)?;
        st.serialize_field("unfilled", &unfilled)?;
        st.serialize_field("total_score", &a.total_score)?;
        st.end()
    }
}

struct Placed<'a>(&'a Engine, ProfileId, OpportunityId, f32);

impl Serialize for Placed<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Placement", 5)?;
        serialize_pair(&mut st, self.0, self.1, self.2, self.3)?;
        st.end()
    }
}

struct Unplaced<'a>(&'a Engine, ProfileId, Reason);

impl Serialize for Unplaced<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Unplaced", 3)?;
        st.serialize_field("profile", &self.1.as_u32())?;
        st.serialize_field("profile_key", &self.0.profile_key(self.1))?;
        st.serialize_field("reason", &self.2)?;
        st.end()
    }
}

struct Unfilled<'a>(&'a Engine, OpportunityId, u32, Reason);

impl Serialize for Unfilled<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Unfilled", 4)?;
        st.serialize_field("opportunity", &self.1.as_u32())?;
        st.serialize_field("opportunity_key", &self.0.opportunity_key(self.1))?;
        st.serialize_field("places", &self.2)?;
        st.serialize_field("reason", &self.3)?;
        st.end()
    }
}
