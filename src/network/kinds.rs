//! What the graph is made of: kinds of nodes and ties, ties, and the paths through them.

use std::fmt;
use std::str::FromStr;

use crate::id::NodeId;

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// A person: a profile, or a contact who is not a profile.
    Person,
    /// An organisation: a hospital, ministry, university, association, company.
    Organisation,
}

impl NodeKind {
    /// The external name (`person`, `organisation`).
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Person => "person",
            NodeKind::Organisation => "organisation",
        }
    }
}

impl FromStr for NodeKind {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "person" => Ok(NodeKind::Person),
            "organisation" | "organization" => Ok(NodeKind::Organisation),
            _ => Err(()),
        }
    }
}

/// What a tie is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TieKind {
    /// Relatives.
    Family,
    /// Members of the same diaspora community or association.
    Community,
    /// Former classmates.
    Alumni,
    /// Present or former colleagues.
    Colleague,
    /// Mentor and mentee.
    Mentor,
    /// A person's tie to an organisation (member, employee, partner), or between organisations.
    Organisational,
}

impl TieKind {
    /// Every kind.
    pub const ALL: [TieKind; 6] = [
        TieKind::Family,
        TieKind::Community,
        TieKind::Alumni,
        TieKind::Colleague,
        TieKind::Mentor,
        TieKind::Organisational,
    ];

    /// The external name (`family`, `community`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            TieKind::Family => "family",
            TieKind::Community => "community",
            TieKind::Alumni => "alumni",
            TieKind::Colleague => "colleague",
            TieKind::Mentor => "mentor",
            TieKind::Organisational => "organisational",
        }
    }
}

impl fmt::Display for TieKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TieKind {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        TieKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or(())
    }
}

/// A tie between two nodes.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Tie {
    /// What it is.
    pub kind: TieKind,
    /// How strong, in `(0, 1]`.
    pub strength: f32,
}

/// One hop of a [`Path`].
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Hop {
    /// The node reached.
    pub to: NodeId,
    /// The tie used.
    pub tie: Tie,
}

/// A path through the network: a start node and the hops from it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Path {
    /// The first node.
    pub start: NodeId,
    /// The hops, in order.
    pub hops: Vec<Hop>,
    /// The product of the tie strengths along the path (1 for an empty path).
    pub strength: f32,
}

impl Path {
    /// The nodes from start to end.
    pub fn nodes(&self) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::once(self.start).chain(self.hops.iter().map(|h| h.to))
    }

    /// The last node.
    pub fn end(&self) -> NodeId {
        self.hops.last().map_or(self.start, |h| h.to)
    }

    /// The same path walked from its end to its start (ties are undirected).
    pub fn reversed(&self) -> Path {
        let nodes: Vec<NodeId> = self.nodes().collect();
        let hops = self
            .hops
            .iter()
            .rev()
            .zip(nodes.iter().rev().skip(1))
            .map(|(h, &to)| Hop { to, tie: h.tie })
            .collect();
        Path {
            start: self.end(),
            hops,
            strength: self.strength,
        }
    }
}
