//! Framework coverage: requirement -> controls -> assets, with each
//! requirement covered, partial or a gap.
//!
//! A mapping counts only when its control applies to at least one asset. A
//! mapping to a requirement with children counts as a partial mapping to
//! every leaf below it. Leaves are covered by a counting full mapping,
//! partial when only partial mappings reach them, and gaps otherwise; a
//! parent is covered when all its leaves are, a gap when none is reached.

use crate::model::vocab::Coverage;
use crate::model::{AssetId, ControlId, Framework, Model};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Where a requirement stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Covered,
    Partial,
    Gap,
}

/// One requirement with its status and what reaches it.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub id: String,
    pub title: String,
    pub parent: Option<String>,
    pub kind: Option<String>,
    pub depth: usize,
    pub leaf: bool,
    pub status: Status,
    pub controls: Vec<String>,
    pub assets: Vec<String>,
}

/// Leaf counts and the coverage percentage.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub total: usize,
    pub covered: usize,
    pub partial: usize,
    pub gaps: usize,
    pub percent: f64,
}

/// The coverage of one framework, with rows in catalog order.
#[derive(Clone, Debug, Serialize)]
pub struct FrameworkCoverage {
    pub framework: String,
    pub name: String,
    pub version: Option<String>,
    pub summary: Summary,
    pub requirements: Vec<Row>,
}

/// Computes coverage for every framework the policy reports on, in policy
/// order. `applies` maps each control to the assets it applies to.
pub fn coverage(
    model: &Model,
    applies: &BTreeMap<&ControlId, Vec<&AssetId>>,
) -> Vec<FrameworkCoverage> {
    model
        .settings
        .policy
        .frameworks
        .par_iter()
        .filter_map(|id| model.frameworks.get(id))
        .map(|f| framework(model, f, applies))
        .collect()
}

#[derive(Default)]
struct Reach<'m> {
    full: bool,
    partial: bool,
    controls: BTreeSet<&'m str>,
    /// Every asset reached, with repeats: sorted and deduplicated once, when
    /// the row is made, which is far cheaper than a set kept sorted.
    assets: Vec<&'m str>,
}

fn sorted_unique(mut v: Vec<&str>) -> Vec<&str> {
    v.sort_unstable();
    v.dedup();
    v
}

fn framework<'m>(
    model: &'m Model,
    f: &'m Framework,
    applies: &BTreeMap<&ControlId, Vec<&'m AssetId>>,
) -> FrameworkCoverage {
    let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in &f.requirements {
        if let Some(p) = &r.parent {
            if f.requirement(p).is_some() {
                children.entry(p.as_str()).or_default().push(&r.id.value);
            }
        }
    }
    let leaves_below = |id: &'m str| -> Vec<&'m str> {
        let mut out = Vec::new();
        let mut stack = vec![id];
        while let Some(at) = stack.pop() {
            match children.get(at) {
                Some(kids) => stack.extend(kids.iter().rev()),
                None => out.push(at),
            }
        }
        out
    };

    // What reaches each requirement: leaves through mappings, and every
    // requirement directly mapped.
    let mut reach: BTreeMap<&str, Reach> = BTreeMap::new();
    for control in model.controls.values() {
        let Some(assets) = applies.get(&control.id.value) else {
            continue;
        };
        if assets.is_empty() {
            continue;
        }
        for m in control
            .maps_to
            .iter()
            .filter(|m| m.target.framework == f.id.value)
        {
            let target = m.target.requirement.as_str();
            let Some(req) = f.requirement(target) else {
                continue;
            };
            let has_children = children.contains_key(req.id.value.as_str());
            let mut touch = |id: &'m str, full: bool| {
                let r = reach.entry(id).or_default();
                r.full |= full;
                r.partial |= !full;
                r.controls.insert(&control.id.value.0);
                r.assets.extend(assets.iter().map(|a| a.as_str()));
            };
            touch(&req.id.value, m.coverage == Coverage::Full && !has_children);
            if has_children {
                for leaf in leaves_below(&req.id.value) {
                    touch(leaf, false);
                }
            }
        }
    }

    let depth_of = |id: &str| {
        let mut depth = 0;
        let mut at = f.requirement(id).and_then(|r| r.parent.as_deref());
        while let Some(p) = at {
            depth += 1;
            at = f.requirement(p).and_then(|r| r.parent.as_deref());
            if depth > f.requirements.len() {
                break;
            }
        }
        depth
    };
    let leaf_status = |id: &str| match reach.get(id) {
        Some(r) if r.full => Status::Covered,
        Some(_) => Status::Partial,
        None => Status::Gap,
    };
    let mut summary = Summary {
        total: 0,
        covered: 0,
        partial: 0,
        gaps: 0,
        percent: 0.0,
    };
    let rows = f
        .requirements
        .iter()
        .map(|r| {
            let id = r.id.value.as_str();
            let leaf = !children.contains_key(id);
            let (status, controls, assets) = if leaf {
                let status = leaf_status(id);
                summary.total += 1;
                match status {
                    Status::Covered => summary.covered += 1,
                    Status::Partial => summary.partial += 1,
                    Status::Gap => summary.gaps += 1,
                }
                let (c, a) = reach
                    .get(id)
                    .map(|r| (r.controls.clone(), sorted_unique(r.assets.clone())))
                    .unwrap_or_default();
                (status, c, a)
            } else {
                let leaves = leaves_below(id);
                let statuses: Vec<Status> = leaves.iter().map(|l| leaf_status(l)).collect();
                let status = if statuses.iter().all(|s| *s == Status::Covered) {
                    Status::Covered
                } else if statuses.iter().all(|s| *s == Status::Gap) {
                    Status::Gap
                } else {
                    Status::Partial
                };
                let mut c = BTreeSet::new();
                let mut a = Vec::new();
                for at in leaves.iter().copied().chain([id]) {
                    if let Some(r) = reach.get(at) {
                        c.extend(r.controls.iter().copied());
                        a.extend(r.assets.iter().copied());
                    }
                }
                (status, c, sorted_unique(a))
            };
            Row {
                id: id.to_string(),
                title: r.title.clone(),
                parent: r.parent.clone(),
                kind: r.kind.clone(),
                depth: depth_of(id),
                leaf,
                status,
                controls: controls.into_iter().map(String::from).collect(),
                assets: assets.into_iter().map(String::from).collect(),
            }
        })
        .collect();
    if summary.total > 0 {
        let score = summary.covered as f64 + summary.partial as f64 / 2.0;
        summary.percent = (1000.0 * score / summary.total as f64).round() / 10.0;
    }
    FrameworkCoverage {
        framework: f.id.value.0.clone(),
        name: f.name.clone(),
        version: f.version.clone(),
        summary,
        requirements: rows,
    }
}
