//! Reference cycles: teams through `parent`, requirements through their
//! parent, assets through `depends-on`. One depth-first search finds them
//! all; each kind reports what it found in its own words.

use crate::diag::{Code, Diagnostic, Diags};
use crate::model::{Model, Requirement};
use std::collections::{BTreeMap, BTreeSet};

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
    /// On the path being explored.
    OnPath,
    /// Explored, with everything it reaches.
    Done,
}

/// Walks the graph depth-first from each of `nodes` in order, following
/// `edge(node, index)`, and returns every edge that leads back onto the
/// current path. Iterative, so no input can exhaust the stack; each node and
/// edge is visited once.
pub fn find<N: Copy + Ord>(
    nodes: impl IntoIterator<Item = N>,
    edge: impl Fn(N, usize) -> Edge<N>,
) -> Vec<Cycle<N>> {
    let mut mark: BTreeMap<N, Mark> = BTreeMap::new();
    let mut found = Vec::new();
    for start in nodes {
        if mark.contains_key(&start) {
            continue;
        }
        mark.insert(start, Mark::OnPath);
        let mut stack: Vec<(N, usize)> = vec![(start, 0)];
        while let Some((node, index)) = stack.pop() {
            let target = match edge(node, index) {
                Edge::End => {
                    mark.insert(node, Mark::Done);
                    continue;
                }
                Edge::Dangling => {
                    stack.push((node, index + 1));
                    continue;
                }
                Edge::To(target) => target,
            };
            stack.push((node, index + 1));
            match mark.get(&target) {
                Some(Mark::OnPath) => found.push(Cycle {
                    path: stack
                        .iter()
                        .map(|(n, _)| *n)
                        .skip_while(|n| *n != target)
                        .collect(),
                    edge: index,
                }),
                Some(Mark::Done) => {}
                None => {
                    mark.insert(target, Mark::OnPath);
                    stack.push((target, 0));
                }
            }
        }
    }
    found
}

/// The edge of a graph where each node has at most one parent.
fn parent_edge<N>(parent: Option<Option<N>>, index: usize) -> Edge<N> {
    match (index, parent) {
        (0, Some(Some(p))) => Edge::To(p),
        (0, Some(None)) => Edge::Dangling,
        _ => Edge::End,
    }
}

/// Reports every team that is its own ancestor through `parent`.
pub fn teams(model: &Model, diags: &mut Diags) {
    let cycles = find(model.teams.keys().map(|k| k.as_str()), |id, index| {
        let parent = model.teams[id].parent.as_ref().map(|p| {
            model
                .teams
                .get_key_value(p.value.as_str())
                .map(|(k, _)| k.as_str())
        });
        parent_edge(parent, index)
    });
    for id in cycles.iter().flat_map(|c| &c.path) {
        let t = &model.teams[*id];
        diags.push(
            Diagnostic::new(
                Code::ReferenceCycle,
                t.parent.as_ref().map_or(t.id.span, |p| p.span),
                format!("team `{}` is its own ancestor through `parent`", t.id.value),
            )
            .help("team parents must form a tree"),
        );
    }
}

/// Reports every requirement of one catalog that is its own ancestor, and
/// cuts its parent, so that later walks up the tree always end.
pub fn requirements(requirements: &mut [Requirement], diags: &mut Diags) {
    let index: BTreeMap<&str, usize> = requirements
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.value.as_str(), i))
        .collect();
    let cycles = find(0..requirements.len(), |i, edge| {
        let parent = requirements[i]
            .parent
            .as_deref()
            .map(|p| index.get(p).copied());
        parent_edge(parent, edge)
    });
    let in_cycle: BTreeSet<usize> = cycles.into_iter().flat_map(|c| c.path).collect();
    for i in in_cycle {
        let r = &mut requirements[i];
        diags.push(Diagnostic::new(
            Code::ReferenceCycle,
            r.id.span,
            format!("requirement `{}` is its own ancestor", r.id.value),
        ));
        r.parent = None;
    }
}

/// Reports each `depends-on` edge that closes a loop, with the loop.
pub fn assets(model: &Model, diags: &mut Diags) {
    let cycles = find(
        model.assets.keys().map(|k| k.as_str()),
        |id, index| match model.assets[id].depends_on.get(index) {
            None => Edge::End,
            Some(dep) => match model.assets.get_key_value(dep.value.as_str()) {
                Some((k, _)) => Edge::To(k.as_str()),
                None => Edge::Dangling,
            },
        },
    );
    for cycle in cycles {
        let (Some(first), Some(last)) = (cycle.path.first(), cycle.path.last()) else {
            continue;
        };
        let dep = &model.assets[*last].depends_on[cycle.edge];
        let mut path = cycle.path.clone();
        path.push(first);
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
        find(map.keys().copied(), |n, i| match map[&n].get(i) {
            Some(t) if map.contains_key(t) => Edge::To(*t),
            Some(_) => Edge::Dangling,
            None => Edge::End,
        })
        .into_iter()
        .map(|c| c.path)
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
        let n = 200_000u32;
        let cycles = find(0..n, |i, edge| match edge {
            0 => Edge::To((i + 1) % n),
            _ => Edge::End,
        });
        assert_eq!(cycles.len(), 1);
        assert_eq!(cycles[0].path.len(), n as usize);
    }
}
