//! Yen's `k` strongest loopless paths, over the two-ended strongest-path search.

use std::collections::{BinaryHeap, HashMap, HashSet};

use crate::id::NodeId;

use super::adjacency::Adjacency;
use super::kinds::Path;
use super::referral::{Ban, node_seq, path_of, strongest};

/// Yen's k shortest loopless paths, for the strongest-path order.
///
/// Near-linear in the paths it returns: the ties each root of a found path continues with
/// are kept per root (not searched in every found path), the paths found or waiting are a
/// set (not compared with each other), and the waiting ones a heap (not scanned for the
/// best). Each new path then costs one two-ended search per tie of the path before it.
pub(super) fn yen(adj: &Adjacency, from: u32, to: u32, max_hops: u32, k: usize) -> Vec<Path> {
    let Some(first) = strongest(adj, from, to, max_hops, &Ban::default()) else {
        return Vec::new();
    };
    let first_nodes = node_seq(&first);
    let mut known: HashSet<Vec<u32>> = HashSet::from([first_nodes.clone()]);
    let mut continues: HashMap<Vec<u32>, Vec<u32>> = HashMap::new();
    record_roots(&mut continues, &first_nodes);
    let mut found: Vec<Path> = vec![first];
    let mut waiting: BinaryHeap<Candidate> = BinaryHeap::new();
    while found.len() < k {
        let last = node_seq(&found[found.len() - 1]);
        for j in 0..last.len() - 1 {
            let spur = last[j];
            if j > 0 && !adj.relay[spur as usize] {
                continue;
            }
            let root = &last[..=j];
            let mut ban = Ban::default();
            for &next in continues.get(root).into_iter().flatten() {
                ban.edges.insert((spur.min(next), spur.max(next)));
            }
            ban.nodes.extend(&root[..j]);
            let Some(spur_path) = strongest(adj, spur, to, max_hops - j as u32, &ban) else {
                continue;
            };
            let mut nodes = root.to_vec();
            nodes.extend(spur_path.nodes().skip(1).map(NodeId::as_u32));
            if known.contains(&nodes) {
                continue;
            }
            if let Some(path) = path_of(adj, &nodes) {
                known.insert(nodes.clone());
                waiting.push(Candidate { path, nodes });
            }
        }
        let Some(best) = waiting.pop() else {
            break;
        };
        record_roots(&mut continues, &best.nodes);
        found.push(best.path);
    }
    found
}

/// Records, for every root of a found path (its first `j + 1` nodes), the node it continues
/// with: the tie Yen's spur search at that root must not take again.
fn record_roots(continues: &mut HashMap<Vec<u32>, Vec<u32>>, nodes: &[u32]) {
    for j in 0..nodes.len().saturating_sub(1) {
        continues
            .entry(nodes[..=j].to_vec())
            .or_default()
            .push(nodes[j + 1]);
    }
}

/// A path waiting in Yen's heap, best on top: strongest, then fewest ties, then first in node
/// order (the order of the lists returned).
struct Candidate {
    path: Path,
    nodes: Vec<u32>,
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.path
            .strength
            .total_cmp(&other.path.strength)
            .then(other.nodes.len().cmp(&self.nodes.len()))
            .then_with(|| other.nodes.cmp(&self.nodes))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Candidate {}
