//! The requirements of a framework as a forest, by position.

use super::Framework;

/// The requirements of `f` as a forest, by position: each one's parent and
/// children, and an order in which every parent comes before its children.
/// Check has cut every cycle; should one remain, its members still appear
/// once each, so every walk below ends.
pub(super) struct Tree {
    pub parent: Vec<Option<usize>>,
    pub children: Vec<Vec<usize>>,
    pub order: Vec<usize>,
}

impl Tree {
    pub fn of(f: &Framework) -> Tree {
        let n = f.requirements.len();
        let parent: Vec<Option<usize>> = f
            .requirements
            .iter()
            .map(|r| r.parent.as_deref().and_then(|p| f.position(p)))
            .collect();
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                children[*p].push(i);
            }
        }
        let mut order = Vec::with_capacity(n);
        let mut seen = vec![false; n];
        let roots = (0..n).filter(|i| parent[*i].is_none());
        for start in roots.chain(0..n) {
            if seen[start] {
                continue;
            }
            seen[start] = true;
            let mut stack = vec![start];
            while let Some(at) = stack.pop() {
                order.push(at);
                for &child in children[at].iter().rev() {
                    if !seen[child] {
                        seen[child] = true;
                        stack.push(child);
                    }
                }
            }
        }
        Tree {
            parent,
            children,
            order,
        }
    }
}
