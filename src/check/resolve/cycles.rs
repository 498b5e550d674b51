//! Reference cycles: teams through `parent`, requirements through their
//! parent, assets through `depends-on`. One depth-first search finds them
//! all; each kind reports what it found in its own words.

use crate::diag::{Code, Diagnostic, Diags};
use crate::model::{Asset, Model, Requirement, Team};
use std::collections::BTreeMap;

/// The `index`th edge out of a node.
pub enum Edge<N> {
    /// An edge to a node of the graph.
    To(N),
    /// An edge to something that does not exist, reported elsewhere.
    Dangling,
    /// The node has no more edges.
    End,
}

/// A cycle: the edge `edge` out of the last node of `path` leads back to
/// its first node.
pub struct Cycle<N> {
    pub path: Vec<N>,
    pub edge: usize,
}

/// Where a node is in the search.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// Not reached yet.
    New,
    /// On the path being explored.
    OnPath,
    /// Explored, with everything it reaches.
    Done,
}

/// Walks the graph of nodes `0..len` depth-first from each node in order,
/// following `edge(node, index)`, and returns every edge that leads back
/// onto the current path. Iterative, so no input can exhaust the stack;
/// each node and edge is visited once, and a node's mark is a slot of a
/// vector, so the whole search is linear in the graph.
pub fn find(len: usize, edge: impl Fn(usize, usize) -> Edge<usize>) -> Vec<Cycle<usize>> {
    let mut mark = vec![Mark::New; len];
    let mut found = Vec::new();
    for start in 0..len {
        if mark[start] != Mark::New {
            continue;
        }
        mark[start] = Mark::OnPath;
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        while let Some((node, index)) = stack.pop() {
            let target = match edge(node, index) {
                Edge::End => {
                    mark[node] = Mark::Done;
                    continue;
                }
                Edge::Dangling => {
                    stack.push((node, index + 1));
                    continue;
                }
                Edge::To(target) => target,
            };
            stack.push((node, index + 1));
            match mark[target] {
                Mark::OnPath => found.push(Cycle {
                    path: stack
                        .iter()
                        .map(|(n, _)| *n)
                        .skip_while(|n| *n != target)
                        .collect(),
                    edge: index,
                }),
                Mark::Done => {}
                Mark::New => {
                    mark[target] = Mark::OnPath;
                    stack.push((target, 0));
                }
            }
        }
    }
    found
}

/// How many members of one loop are reported: a loop of a hundred
/// thousand teams is one mistake, not a hundred thousand, and its first
/// members are enough to find it.
pub const LISTED: usize = 20;

/// What each reported member of a loop of `len` says when some members
/// are not reported: on each, since the reports are sorted by place.
fn unlisted(len: usize, what: &str) -> Option<String> {
    (len > LISTED).then(|| format!("this loop has {len} {what}, of which {LISTED} are reported"))
}

/// The edge of a graph where each node has at most one parent.
fn parent_edge<N>(parent: Option<Option<N>>, index: usize) -> Edge<N> {
    match (index, parent) {
        (0, Some(Some(p))) => Edge::To(p),
        (0, Some(None)) => Edge::Dangling,
        _ => Edge::End,
    }
}

/// Reports the teams that are their own ancestors through `parent`: the
/// first [`LISTED`] of each loop.
pub fn teams(model: &Model, diags: &mut Diags) {
    let teams: Vec<&Team> = model.teams.values().collect();
    let position: BTreeMap<&str, usize> = teams
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.value.as_str(), i))
        .collect();
    let parents: Vec<Option<Option<usize>>> = teams
        .iter()
        .map(|t| {
            t.parent
                .as_ref()
                .map(|p| position.get(p.value.as_str()).copied())
        })
        .collect();
    for cycle in find(teams.len(), |i, index| parent_edge(parents[i], index)) {
        let len = cycle.path.len();
        for i in cycle.path.into_iter().take(LISTED) {
            let t = teams[i];
            let help = match unlisted(len, "teams") {
                Some(more) => format!("team parents must form a tree; {more}"),
                None => "team parents must form a tree".to_string(),
            };
            diags.push(
                Diagnostic::new(
                    Code::ReferenceCycle,
                    t.parent.as_ref().map_or(t.id.span, |p| p.span),
                    format!("team `{}` is its own ancestor through `parent`", t.id.value),
                )
                .help(help),
            );
        }
    }
}

/// Reports the requirements of one catalog that are their own ancestors
/// (the first [`LISTED`] of each loop), and cuts the parent of every
/// member, so that later walks up the tree always end.
pub fn requirements(requirements: &mut [Requirement], diags: &mut Diags) {
    let index: BTreeMap<&str, usize> = requirements
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.value.as_str(), i))
        .collect();
    let parents: Vec<Option<Option<usize>>> = requirements
        .iter()
        .map(|r| r.parent.as_deref().map(|p| index.get(p).copied()))
        .collect();
    let cycles = find(requirements.len(), |i, edge| parent_edge(parents[i], edge));
    let mut cut = Vec::new();
    for cycle in cycles {
        let len = cycle.path.len();
        for (n, &i) in cycle.path.iter().enumerate() {
            if n < LISTED {
                let r = &requirements[i];
                let mut d = Diagnostic::new(
                    Code::ReferenceCycle,
                    r.id.span,
                    format!("requirement `{}` is its own ancestor", r.id.value),
                );
                if let Some(more) = unlisted(len, "requirements") {
                    d = d.help(more);
                }
                cut.push((i, d));
            } else {
                requirements[i].parent = None;
            }
        }
    }
    // In catalog order, as they were always reported.
    cut.sort_by_key(|(i, _)| *i);
    for (i, d) in cut {
        diags.push(d);
        requirements[i].parent = None;
    }
}

/// Reports each `depends-on` edge that closes a loop, with the loop (its
/// first [`LISTED`] members, and how many more).
pub fn assets(model: &Model, diags: &mut Diags) {
    let assets: Vec<&Asset> = model.assets.values().collect();
    let position: BTreeMap<&str, usize> = assets
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.value.as_str(), i))
        .collect();
    let deps: Vec<Vec<Option<usize>>> = assets
        .iter()
        .map(|a| {
            a.depends_on
                .iter()
                .map(|d| position.get(d.value.as_str()).copied())
                .collect()
        })
        .collect();
    let cycles = find(assets.len(), |i, index| match deps[i].get(index) {
        None => Edge::End,
        Some(Some(to)) => Edge::To(*to),
        Some(None) => Edge::Dangling,
    });
    for cycle in cycles {
        let (Some(&first), Some(&last)) = (cycle.path.first(), cycle.path.last()) else {
            continue;
        };
        let dep = &assets[last].depends_on[cycle.edge];
        let name = |i: usize| assets[i].id.value.as_str();
        let mut path: Vec<String> = cycle
            .path
            .iter()
            .take(LISTED)
            .map(|&i| name(i).to_string())
            .collect();
        if cycle.path.len() > LISTED {
            path.push(format!("({} more)", cycle.path.len() - LISTED));
        }
        path.push(name(first).to_string());
        diags.push(
            Diagnostic::new(
                Code::ReferenceCycle,
                dep.span,
                format!("`depends-on` forms a cycle: {}", path.join(" -> ")),
            )
            .help("asset dependencies must not loop back"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(u8, &[u8])]) -> Vec<Vec<u8>> {
        let map: BTreeMap<u8, &[u8]> = edges.iter().copied().collect();
        let nodes: Vec<u8> = map.keys().copied().collect();
        let at = |n: &u8| nodes.iter().position(|m| m == n);
        find(nodes.len(), |n, i| match map[&nodes[n]].get(i) {
            Some(t) => at(t).map_or(Edge::Dangling, Edge::To),
            None => Edge::End,
        })
        .into_iter()
        .map(|c| c.path.into_iter().map(|i| nodes[i]).collect())
        .collect()
    }

    #[test]
    fn finds_each_loop_once_with_its_path() {
        assert_eq!(
            graph(&[(1, &[2]), (2, &[3]), (3, &[1])]),
            vec![vec![1, 2, 3]]
        );
        assert_eq!(graph(&[(1, &[1])]), vec![vec![1]]);
        assert_eq!(
            graph(&[(1, &[2, 3]), (2, &[1]), (3, &[3])]),
            vec![vec![1, 2], vec![3]]
        );
    }

    #[test]
    fn trees_diamonds_and_dangling_edges_are_no_loop() {
        assert!(graph(&[(1, &[2, 3]), (2, &[4]), (3, &[4]), (4, &[])]).is_empty());
        assert!(graph(&[(1, &[9]), (2, &[1])]).is_empty());
    }

    #[test]
    fn a_long_chain_does_not_exhaust_the_stack() {
        let n = 200_000usize;
        let cycles = find(n, |i, edge| match edge {
            0 => Edge::To((i + 1) % n),
            _ => Edge::End,
        });
        assert_eq!(cycles.len(), 1);
        assert_eq!(cycles[0].path.len(), n);
    }
}
