//! Optimal placement by min-cost flow: the most places filled, then the best total score,
//! or the best total score alone.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use crate::error::{Error, Result};

use super::deferred_acceptance::Holdings;
use super::instance::{Instance, SCALE, quantise};
use super::outcome::Assignment;

/// What [`optimal`] maximises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Objective {
    /// The total score.
    #[default]
    TotalScore,
    /// The number of people placed, then the total score.
    MostPlacedThenScore,
}

/// The placement with the largest total score (scores counted in millionths), or with the
/// most people placed and then the largest total, under capacities and caps.
///
/// Min-cost flow: source -> opportunity (its places) -> [opportunity x group (the cap)] ->
/// person -> [group (the programme cap)] -> sink, plus an "empty place" arc from each
/// opportunity to the sink; shortest augmenting paths with Dijkstra on reduced costs, one
/// opportunity at a time, each search stopping at the sink and updating only the potentials
/// it settled.
///
/// # Errors
///
/// None today; the `Result` leaves room for limits.
///
/// # Example
///
/// ```
/// use diaspora_match::assign::{self, Instance, Objective, Proposer};
/// let mut b = Instance::builder();
/// let (a, c) = (b.person("a", 1, None), b.person("c", 1, None));
/// let (x, y) = (b.opportunity("x", 1), b.opportunity("y", 1));
/// b.pair(a, x, 0.9).pair(a, y, 0.8).pair(c, x, 0.85);
/// let inst = b.build()?;
/// // Stable gives a to x (both like it best); optimal gives x to c and y to a: 1.65 > 0.9.
/// assert_eq!(assign::stable(&inst, Proposer::People)?.placements.len(), 1);
/// let best = assign::optimal(&inst, Objective::TotalScore)?;
/// assert_eq!(best.placements.len(), 2);
/// assert!((best.total_score - 1.65).abs() < 1e-6);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn optimal(inst: &Instance, objective: Objective) -> Result<Assignment> {
    let mut g = Flow::default();
    let (np, no) = (inst.people(), inst.opportunities());
    let s = g.node();
    let t = g.node();
    let opp0 = g.nodes;
    g.nodes += no;
    let person0 = g.nodes;
    g.nodes += np;
    let empty = empty_place_cost(inst, objective)?;
    for o in 0..no {
        let cap = i64::from(inst.opportunity_capacity[o]);
        g.arc(s, opp0 + o, cap, 0);
        g.arc(opp0 + o, t, cap, empty);
    }
    let mut programme_nodes: HashMap<u32, usize> = HashMap::new();
    for p in 0..np {
        let cap = i64::from(inst.person_capacity[p]);
        match (inst.groups[p], inst.caps.programme) {
            (Some(gr), Some(c)) => {
                let node = *programme_nodes.entry(gr).or_insert_with(|| {
                    let n = g.node();
                    g.arc(n, t, i64::from(c), 0);
                    n
                });
                g.arc(person0 + p, node, cap, 0);
            }
            _ => {
                g.arc(person0 + p, t, cap, 0);
            }
        }
    }
    let mut group_nodes: HashMap<(usize, u32), usize> = HashMap::new();
    let mut pair_arcs: Vec<(usize, u32)> = Vec::new();
    for o in 0..no {
        for &e in inst.opportunity_prefs.get(o) {
            let edge = inst.edges[e as usize];
            let p = edge.person as usize;
            let from = match (inst.groups[p], inst.caps.per_opportunity) {
                (Some(gr), Some(c)) => *group_nodes.entry((o, gr)).or_insert_with(|| {
                    let n = g.node();
                    g.arc(opp0 + o, n, i64::from(c), 0);
                    n
                }),
                _ => opp0 + o,
            };
            let arc = g.arc(from, person0 + p, 1, SCALE as i64 - quantise(edge.score));
            pair_arcs.push((arc, e));
        }
    }
    g.min_cost_flow(s, t);
    let mut h = Holdings::new(inst);
    for (arc, e) in pair_arcs {
        if g.cap[arc] == 0 {
            h.add(e);
        }
    }
    Ok(h.finish())
}

/// What leaving a place empty costs: a full score, and, when the count comes first, more than
/// every score of a placement together. A placement holds at most one place per acceptable
/// pair, whatever the capacities say (4,294,967,295 places on each of thousands of
/// opportunities would otherwise overflow the costs), so the scores are counted over
/// `min(places, pairs)`.
fn empty_place_cost(inst: &Instance, objective: Objective) -> Result<i64> {
    let scale = SCALE as i64;
    if objective != Objective::MostPlacedThenScore {
        return Ok(scale);
    }
    let places: u64 = inst
        .opportunity_capacity
        .iter()
        .fold(0u64, |sum, &c| sum.saturating_add(u64::from(c)));
    let most = places.min(inst.pairs() as u64);
    i64::try_from(most)
        .ok()
        .and_then(|m| m.checked_add(2))
        .and_then(|m| m.checked_mul(scale))
        .ok_or_else(|| Error::argument("instance", "too many pairs to place"))
}

/// A residual graph for min-cost flow; arcs come in pairs (`a`, `a ^ 1`).
#[derive(Default)]
pub(crate) struct Flow {
    pub(crate) nodes: usize,
    pub(crate) from: Vec<u32>,
    pub(crate) to: Vec<u32>,
    pub(crate) cap: Vec<i64>,
    pub(crate) cost: Vec<i64>,
}

impl Flow {
    pub(crate) fn node(&mut self) -> usize {
        self.nodes += 1;
        self.nodes - 1
    }

    pub(crate) fn arc(&mut self, a: usize, b: usize, cap: i64, cost: i64) -> usize {
        let id = self.to.len();
        self.from.extend([a as u32, b as u32]);
        self.to.extend([b as u32, a as u32]);
        self.cap.extend([cap, 0]);
        self.cost.extend([cost, -cost]);
        id
    }

    /// Saturates every arc out of `s` along successive shortest paths, one source arc at a
    /// time (the shortest augmenting path method of the assignment problem): each search
    /// starts at the arc's head, so it explores only what that opportunity can reach, and
    /// the potentials keep every residual reduced cost non-negative, so the final flow has no
    /// negative cycle and is of minimum cost. Every source arc can be saturated, because every
    /// opportunity has an "empty place" arc to the sink.
    pub(crate) fn min_cost_flow(&mut self, s: usize, t: usize) {
        let (start, adj) = self.arcs_by_tail();
        let mut search = PathSearch::new(self.nodes);
        let sources: Vec<usize> = adj[start[s] as usize..start[s + 1] as usize]
            .iter()
            .map(|&a| a as usize)
            .collect();
        for source_arc in sources {
            let root = self.to[source_arc] as usize;
            while self.cap[source_arc] > 0 {
                if !search.shortest(self, (&start, &adj), root, s, t) {
                    // Cannot happen while the empty-place arc has room; stop rather than loop.
                    break;
                }
                search.update_potentials(t);
                self.augment(source_arc, root, t, &search.via);
            }
        }
    }

    /// The arcs leaving each node, as compressed rows over arc ids: `adj[start[v]..start[v +
    /// 1]]`.
    fn arcs_by_tail(&self) -> (Vec<u32>, Vec<u32>) {
        let n = self.nodes;
        let mut start = vec![0u32; n + 1];
        for &f in &self.from {
            start[f as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut adj = vec![0u32; self.from.len()];
        for (a, &f) in self.from.iter().enumerate() {
            adj[fill[f as usize] as usize] = a as u32;
            fill[f as usize] += 1;
        }
        (start, adj)
    }

    /// Pushes as much as the source arc and the path (found backwards from `t` through `via`
    /// to `root`) allow.
    fn augment(&mut self, source_arc: usize, root: usize, t: usize, via: &[u32]) {
        let mut push = self.cap[source_arc];
        let mut v = t;
        while v != root {
            let a = via[v] as usize;
            push = push.min(self.cap[a]);
            v = self.from[a] as usize;
        }
        let mut v = t;
        while v != root {
            let a = via[v] as usize;
            self.cap[a] -= push;
            self.cap[a ^ 1] += push;
            v = self.from[a] as usize;
        }
        self.cap[source_arc] -= push;
        self.cap[source_arc ^ 1] += push;
    }
}

/// Dijkstra's search on reduced costs, with the node potentials that keep them non-negative
/// and memory reused from one search to the next (only the nodes a search touched are reset).
struct PathSearch {
    /// Node potentials. All costs start non-negative, so zero potentials are feasible.
    pi: Vec<i64>,
    dist: Vec<i64>,
    /// The arc each node was reached by.
    via: Vec<u32>,
    done: Vec<bool>,
    touched: Vec<usize>,
    settled: Vec<usize>,
    heap: BinaryHeap<Reverse<(i64, u32)>>,
}

impl PathSearch {
    fn new(nodes: usize) -> PathSearch {
        PathSearch {
            pi: vec![0; nodes],
            dist: vec![i64::MAX; nodes],
            via: vec![u32::MAX; nodes],
            done: vec![false; nodes],
            touched: Vec::new(),
            settled: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    /// The shortest path by reduced cost from `root` to `t` over arcs with room, never back
    /// into the source `s`; returns whether `t` was reached.
    fn shortest(
        &mut self,
        flow: &Flow,
        (start, adj): (&[u32], &[u32]),
        root: usize,
        s: usize,
        t: usize,
    ) -> bool {
        for &v in &self.touched {
            self.dist[v] = i64::MAX;
            self.via[v] = u32::MAX;
            self.done[v] = false;
        }
        self.touched.clear();
        self.settled.clear();
        self.heap.clear();
        self.dist[root] = 0;
        self.touched.push(root);
        self.heap.push(Reverse((0, root as u32)));
        while let Some(Reverse((d, u))) = self.heap.pop() {
            let u = u as usize;
            if self.done[u] || d > self.dist[u] {
                continue;
            }
            self.done[u] = true;
            self.settled.push(u);
            if u == t {
                break;
            }
            for &a in &adj[start[u] as usize..start[u + 1] as usize] {
                let a = a as usize;
                let v = flow.to[a] as usize;
                if flow.cap[a] <= 0 || v == s {
                    continue;
                }
                let nd = d + flow.cost[a] + self.pi[u] - self.pi[v];
                if nd < self.dist[v] {
                    if self.dist[v] == i64::MAX {
                        self.touched.push(v);
                    }
                    self.dist[v] = nd;
                    self.via[v] = a as u32;
                    self.heap.push(Reverse((nd, v as u32)));
                }
            }
        }
        self.done[t]
    }

    /// Raises the potentials of the settled nodes so that reduced costs stay non-negative.
    fn update_potentials(&mut self, t: usize) {
        let dt = self.dist[t];
        for &v in &self.settled {
            self.pi[v] += self.dist[v] - dt;
        }
    }
}
