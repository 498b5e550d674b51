//! Framework coverage: requirement -> controls -> assets, with each
//! requirement covered, partial or a gap. `compile` renders it as the
//! `mapping/` files and the report; `drift` compares it between two sides.
//! The types serialize as the templates and JSON outputs read them.
//!
//! A mapping counts only when its control applies to at least one asset. A
//! mapping to a requirement with children counts as a partial mapping to
//! every leaf below it. Leaves are covered by a counting full mapping,
//! partial when only partial mappings reach them, and gaps otherwise; a
//! parent is covered when all its leaves are, a gap when none is reached.
//!
//! Crosswalks carry mappings from one framework to another
//! ([`reaching`]); a leaf is `derived` when only what they carried
//! reaches it. [`rows`] lists every requirement; [`summary`] counts
//! the leaves alone, as drift needs.

mod assets;
mod flags;
mod reaching;
mod rows;
mod summary;
mod tree;

pub use assets::AssetSet;
pub use reaching::Via;

use super::{AssetId, ControlId, Framework, Model};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

crate::vocab::vocab! {
    /// Where a requirement stands.
    Status { Covered = "covered", Partial = "partial", Gap = "gap" }
}

/// One requirement with its status and what reaches it, borrowed from the
/// model.
#[derive(Clone, Debug, Serialize)]
pub struct Row<'m> {
    pub id: &'m str,
    pub title: &'m str,
    pub parent: Option<&'m str>,
    pub kind: Option<&'m str>,
    pub depth: usize,
    pub leaf: bool,
    pub status: Status,
    /// True when only crosswalks reach it: direct mappings alone would
    /// leave it a gap.
    pub derived: bool,
    /// The controls that map to it or below it directly, and their assets.
    pub controls: Vec<&'m str>,
    /// The crosswalk links that reached it or a requirement below it.
    pub via: Vec<Via<'m>>,
    pub assets: Vec<&'m str>,
}

/// Leaf counts and the coverage percentage, fields in name order as the
/// JSON outputs write them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    pub covered: usize,
    /// Leaves covered or partial only through crosswalks.
    pub derived: usize,
    pub gaps: usize,
    pub partial: usize,
    pub percent: f64,
    pub total: usize,
}

/// The coverage of one framework, with rows in catalog order.
#[derive(Clone, Debug, Serialize)]
pub struct FrameworkCoverage<'m> {
    pub framework: &'m str,
    pub name: &'m str,
    pub version: Option<&'m str>,
    pub summary: Summary,
    pub requirements: Vec<Row<'m>>,
}

/// A framework's headline numbers, kept after the model is gone.
#[derive(Clone, Debug)]
pub struct FrameworkSummary {
    pub framework: String,
    pub summary: Summary,
}

impl From<&FrameworkCoverage<'_>> for FrameworkSummary {
    fn from(f: &FrameworkCoverage<'_>) -> Self {
        FrameworkSummary {
            framework: f.framework.to_string(),
            summary: f.summary,
        }
    }
}

/// Computes coverage for every framework the policy reports on, in policy
/// order. `applies` maps each control to the assets it applies to, listed
/// in id order, as [`super::applies::by_control`] gives it.
pub fn frameworks<'m>(
    model: &'m Model,
    applies: &BTreeMap<&ControlId, Vec<&'m AssetId>>,
) -> Vec<FrameworkCoverage<'m>> {
    let ids: Vec<&AssetId> = model.assets.keys().collect();
    let sets: BTreeMap<&str, AssetSet> = applies
        .iter()
        .filter(|(_, assets)| !assets.is_empty())
        .map(|(control, assets)| (control.as_str(), AssetSet::of(&ids, assets)))
        .collect();
    frameworks_of(model, &sets)
}

/// [`frameworks`], from the set of assets each control applies to, by
/// their position in id order; a control that applies to none is left out.
pub fn frameworks_of<'m>(
    model: &'m Model,
    sets: &BTreeMap<&str, AssetSet>,
) -> Vec<FrameworkCoverage<'m>> {
    let ids: Vec<&str> = model.assets.keys().map(|a| a.as_str()).collect();
    model
        .settings
        .policy
        .frameworks
        .par_iter()
        .filter_map(|id| model.frameworks.get(id))
        .map(|f| rows::framework(model, f, sets, &ids))
        .collect()
}

/// The headline numbers of every framework the policy reports on, in
/// policy order, exactly as [`frameworks`] counts them, without listing
/// the controls and assets of each requirement: what drift compares.
/// `applied` holds the controls that apply to at least one asset.
pub fn summaries<'m>(model: &'m Model, applied: &BTreeSet<&str>) -> Vec<(&'m str, Summary)> {
    model
        .settings
        .policy
        .frameworks
        .iter()
        .filter_map(|id| model.frameworks.get(id))
        .map(|f| (f.id.value.as_str(), summary::summary(model, f, applied)))
        .collect()
}

/// The coverage percentage of counted leaves, to one decimal: a partial
/// leaf counts half.
fn percent(summary: &Summary) -> f64 {
    if summary.total == 0 {
        return 0.0;
    }
    let score = summary.covered as f64 + summary.partial as f64 / 2.0;
    (1000.0 * score / summary.total as f64).round() / 10.0
}

impl Summary {
    /// Counts one leaf, `derived` when only crosswalks give it its status.
    fn count(&mut self, status: Status, derived: bool) {
        self.total += 1;
        match status {
            Status::Covered => self.covered += 1,
            Status::Partial => self.partial += 1,
            Status::Gap => self.gaps += 1,
        }
        self.derived += usize::from(derived);
    }
}

#[cfg(test)]
mod tests;
