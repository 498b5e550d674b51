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

use super::vocab::Coverage;
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
    pub controls: Vec<&'m str>,
    pub assets: Vec<&'m str>,
}

/// Leaf counts and the coverage percentage, fields in name order as the
/// JSON outputs write them.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub covered: usize,
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
        .map(|f| framework(model, f, sets, &ids))
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
        .map(|f| (f.id.value.as_str(), summary(model, f, applied)))
        .collect()
}

/// The leaf counts of one framework, as [`framework`] finds them.
fn summary(model: &Model, f: &Framework, applied: &BTreeSet<&str>) -> Summary {
    let children = children(f);
    // Whether a full and whether a partial mapping reaches a leaf.
    let mut reach: BTreeMap<&str, (bool, bool)> = BTreeMap::new();
    for control in model.controls.values() {
        if !applied.contains(control.id.value.as_str()) {
            continue;
        }
        for m in control
            .maps_to
            .iter()
            .filter(|m| m.target.framework == f.id.value)
        {
            let Some(req) = f.requirement(m.target.requirement.as_str()) else {
                continue;
            };
            let id = req.id.value.as_str();
            let has_children = children.contains_key(id);
            let mut touch = |id, full: bool| {
                let r = reach.entry(id).or_default();
                r.0 |= full;
                r.1 |= !full;
            };
            touch(id, m.coverage == Coverage::Full && !has_children);
            if has_children {
                for leaf in leaves_below(&children, id) {
                    touch(leaf, false);
                }
            }
        }
    }
    let mut summary = Summary {
        total: 0,
        covered: 0,
        partial: 0,
        gaps: 0,
        percent: 0.0,
    };
    for r in &f.requirements {
        if children.contains_key(r.id.value.as_str()) {
            continue;
        }
        summary.total += 1;
        match reach.get(r.id.value.as_str()) {
            Some((true, _)) => summary.covered += 1,
            Some(_) => summary.partial += 1,
            None => summary.gaps += 1,
        }
    }
    summary.percent = percent(&summary);
    summary
}

/// Each requirement with children, and its children in catalog order.
fn children(f: &Framework) -> BTreeMap<&str, Vec<&str>> {
    let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in &f.requirements {
        if let Some(p) = &r.parent {
            if f.requirement(p).is_some() {
                children.entry(p.as_str()).or_default().push(&r.id.value);
            }
        }
    }
    children
}

/// The leaves below a requirement (itself, when it has no children), in
/// catalog order.
fn leaves_below<'f>(children: &BTreeMap<&str, Vec<&'f str>>, id: &'f str) -> Vec<&'f str> {
    let mut out = Vec::new();
    let mut stack = vec![id];
    while let Some(at) = stack.pop() {
        match children.get(at) {
            Some(kids) => stack.extend(kids.iter().rev()),
            None => out.push(at),
        }
    }
    out
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

/// A set of assets, as bits over the model's assets in id order: the
/// assets behind one requirement are unions of whole controls, thousands
/// at a time.
#[derive(Clone, Debug, Default)]
pub struct AssetSet(Vec<u64>);

impl AssetSet {
    /// Adds the asset at position `at`.
    pub fn insert(&mut self, at: usize) {
        let word = at / 64;
        if self.0.len() <= word {
            self.0.resize(word + 1, 0);
        }
        self.0[word] |= 1 << (at % 64);
    }

    /// How many assets the set holds.
    pub fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    /// The set of `assets`, a sublist of `ids` in the same order.
    fn of(ids: &[&AssetId], assets: &[&AssetId]) -> Self {
        let mut set = AssetSet(vec![0; ids.len().div_ceil(64)]);
        let mut at = 0;
        for asset in assets {
            // Both lists are in id order, so one forward walk finds them all.
            while at < ids.len() && ids[at] != *asset {
                at += 1;
            }
            if at == ids.len() {
                // Not in order after all: look it up from the start.
                at = ids.iter().position(|i| i == asset).unwrap_or(ids.len());
            }
            if at < ids.len() {
                set.0[at / 64] |= 1 << (at % 64);
            }
        }
        set
    }

    fn union(&mut self, other: &AssetSet) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }

    /// The ids in the set, in id order.
    fn names<'m>(&self, ids: &[&'m str]) -> Vec<&'m str> {
        let mut out = Vec::new();
        for (w, word) in self.0.iter().enumerate() {
            let mut bits = *word;
            while bits != 0 {
                out.push(ids[w * 64 + bits.trailing_zeros() as usize]);
                bits &= bits - 1;
            }
        }
        out
    }
}

#[derive(Default)]
struct Reach<'m> {
    full: bool,
    partial: bool,
    controls: BTreeSet<&'m str>,
    assets: AssetSet,
}

impl<'m> Reach<'m> {
    /// Adds what `other` reaches.
    fn merge(&mut self, other: &Reach<'m>) {
        self.full |= other.full;
        self.partial |= other.partial;
        self.controls.extend(other.controls.iter().copied());
        self.assets.union(&other.assets);
    }
}

/// Adds `what` into the slot `into`, moving it when the slot is empty.
fn merge_into<'m>(into: &mut Option<Reach<'m>>, what: Reach<'m>) {
    match into {
        Some(r) => r.merge(&what),
        None => *into = Some(what),
    }
}

/// The requirements of `f` as a forest, by position: each one's parent and
/// children, and an order in which every parent comes before its children.
/// Check has cut every cycle; should one remain, its members still appear
/// once each, so every walk below ends.
struct Tree {
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    order: Vec<usize>,
}

impl Tree {
    fn of(f: &Framework) -> Tree {
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

/// What one row shows: its status, controls and assets.
type Shown<'m> = (Status, BTreeSet<&'m str>, Vec<&'m str>);

/// Computes one framework's coverage in time linear in its requirements
/// and mappings (plus the size of what the rows list): each walk up or
/// down the tree is one pass in [`Tree::order`], never one walk per
/// requirement.
fn framework<'m>(
    model: &'m Model,
    f: &'m Framework,
    applies: &BTreeMap<&str, AssetSet>,
    ids: &[&'m str],
) -> FrameworkCoverage<'m> {
    let n = f.requirements.len();
    let tree = Tree::of(f);
    let is_leaf = |i: usize| tree.children[i].is_empty();

    // What reaches each requirement directly, and what a mapping to a
    // requirement with children hands down, as partial, to every leaf
    // below it.
    let mut reach: Vec<Option<Reach>> = (0..n).map(|_| None).collect();
    let mut down: Vec<Option<Reach>> = (0..n).map(|_| None).collect();
    for control in model.controls.values() {
        let Some(assets) = applies.get(control.id.value.as_str()) else {
            continue;
        };
        for m in control
            .maps_to
            .iter()
            .filter(|m| m.target.framework == f.id.value)
        {
            let Some(at) = f.position(m.target.requirement.as_str()) else {
                continue;
            };
            let touch = |slot: &mut Option<Reach<'m>>, full: bool| {
                let r = slot.get_or_insert_with(Reach::default);
                r.full |= full;
                r.partial |= !full;
                r.controls.insert(&control.id.value.0);
                r.assets.union(assets);
            };
            touch(&mut reach[at], m.coverage == Coverage::Full && is_leaf(at));
            if !is_leaf(at) {
                touch(&mut down[at], false);
            }
        }
    }

    // Depth, and the nearest ancestor that hands something down, parents
    // first.
    let mut depth = vec![0usize; n];
    let mut handed: Vec<Option<usize>> = vec![None; n];
    for &i in &tree.order {
        match tree.parent[i] {
            Some(p) => {
                depth[i] = depth[p] + 1;
                handed[i] = if down[p].is_some() {
                    Some(p)
                } else {
                    handed[p]
                };
            }
            // An unknown parent still counts as a level.
            None => depth[i] = usize::from(f.requirements[i].parent.is_some()),
        }
    }
    for leaf in (0..n).filter(|i| is_leaf(*i)) {
        let mut at = handed[leaf];
        let mut steps = 0;
        while let Some(a) = at.filter(|_| steps < n) {
            if let Some(d) = &down[a] {
                reach[leaf].get_or_insert_with(Reach::default).merge(d);
            }
            at = handed[a];
            steps += 1;
        }
    }
    drop(down);

    let leaf_status = |r: Option<&Reach>| match r {
        Some(r) if r.full => Status::Covered,
        Some(_) => Status::Partial,
        None => Status::Gap,
    };
    // Children before parents: each requirement's row, then what it and
    // everything below it reach, and its leaves' statuses, passed up.
    let mut shown: Vec<Option<Shown>> = (0..n).map(|_| None).collect();
    let mut below: Vec<Option<Reach>> = (0..n).map(|_| None).collect();
    // (leaves, covered, gaps) at or below each requirement.
    let mut counts = vec![(0usize, 0usize, 0usize); n];
    for &i in tree.order.iter().rev() {
        let own = reach[i].take();
        let acc = if is_leaf(i) {
            let status = leaf_status(own.as_ref());
            counts[i] = (
                1,
                usize::from(status == Status::Covered),
                usize::from(status == Status::Gap),
            );
            let (controls, assets) = match &own {
                Some(r) => (r.controls.clone(), r.assets.names(ids)),
                None => (BTreeSet::new(), Vec::new()),
            };
            shown[i] = Some((status, controls, assets));
            own
        } else {
            let mut acc = below[i].take();
            if let Some(own) = own {
                merge_into(&mut acc, own);
            }
            let (leaves, covered, gaps) = counts[i];
            let status = if covered == leaves {
                Status::Covered
            } else if gaps == leaves {
                Status::Gap
            } else {
                Status::Partial
            };
            let (controls, assets) = match &acc {
                Some(r) => (r.controls.clone(), r.assets.names(ids)),
                None => (BTreeSet::new(), Vec::new()),
            };
            shown[i] = Some((status, controls, assets));
            acc
        };
        if let Some(p) = tree.parent[i] {
            let (l, c, g) = counts[i];
            counts[p].0 += l;
            counts[p].1 += c;
            counts[p].2 += g;
            if let Some(acc) = acc {
                merge_into(&mut below[p], acc);
            }
        }
    }

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
        .zip(shown)
        .enumerate()
        .map(|(i, (r, shown))| {
            let leaf = is_leaf(i);
            let (status, controls, assets) =
                shown.unwrap_or((Status::Gap, BTreeSet::new(), Vec::new()));
            if leaf {
                summary.total += 1;
                match status {
                    Status::Covered => summary.covered += 1,
                    Status::Partial => summary.partial += 1,
                    Status::Gap => summary.gaps += 1,
                }
            }
            Row {
                id: r.id.value.as_str(),
                title: &r.title,
                parent: r.parent.as_deref(),
                kind: r.kind.as_deref(),
                depth: depth[i],
                leaf,
                status,
                controls: controls.into_iter().collect(),
                assets,
            }
        })
        .collect();
    summary.percent = percent(&summary);
    FrameworkCoverage {
        framework: f.id.value.as_str(),
        name: &f.name,
        version: f.version.as_deref(),
        summary,
        requirements: rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOG: &str = r#"
[framework]
id = "test-fw"
name = "Test Framework"

[[requirement]]
id = "A"
title = "Area A"
[[requirement]]
id = "A.1"
parent = "A"
title = "First of A"
[[requirement]]
id = "A.2"
parent = "A"
title = "Second of A"
[[requirement]]
id = "B"
title = "Only on paper"
[[requirement]]
id = "C"
title = "Never mapped"
"#;

    const DECLARATIONS: &str = r#"
[[team]]
id = "owners"

[[asset]]
id = "bot"
kind = "agent"
owners = { accountable = "owners" }

[[control]]
id = "FULL"
title = "Agents, fully"
owner = "owners"
applies-to = { kinds = ["agent"] }
maps-to = ["test-fw:A.1"]

[[control]]
id = "PARENT"
title = "Everything, mapped to a parent"
owner = "owners"
maps-to = ["test-fw:A"]

[[control]]
id = "PAPER"
title = "Applies to no asset"
owner = "owners"
applies-to = { kinds = ["rag"] }
maps-to = ["test-fw:B"]
"#;

    fn model() -> Model {
        crate::check::files(&[
            (
                "governance/governance.toml",
                "[policy]\nframeworks = [\"test-fw\"]\n",
            ),
            ("governance/frameworks/test-fw.toml", CATALOG),
            ("governance/declarations.toml", DECLARATIONS),
        ])
        .model
    }

    #[test]
    fn leaves_are_covered_partial_or_gaps_and_parents_roll_up() {
        let model = model();
        let applies = super::super::applies::by_control(&model);
        let coverage = frameworks(&model, &applies);
        assert_eq!(coverage.len(), 1, "only the framework the policy names");
        let f = &coverage[0];
        let status: Vec<(&str, Status, &[&str])> = f
            .requirements
            .iter()
            .map(|r| (r.id, r.status, r.controls.as_slice()))
            .collect();
        assert_eq!(
            status,
            [
                ("A", Status::Partial, &["FULL", "PARENT"][..]),
                ("A.1", Status::Covered, &["FULL", "PARENT"][..]),
                // Reached only through the mapping to its parent.
                ("A.2", Status::Partial, &["PARENT"][..]),
                // A control that applies to no asset counts for nothing.
                ("B", Status::Gap, &[][..]),
                ("C", Status::Gap, &[][..]),
            ]
        );
        let s = f.summary;
        assert_eq!((s.total, s.covered, s.partial, s.gaps), (4, 1, 1, 2));
        // (1 + 1/2) of 4 leaves.
        assert_eq!(s.percent, 37.5);
        assert_eq!(f.requirements[2].assets, ["bot"]);
    }

    #[test]
    fn summaries_count_as_the_full_coverage_does() {
        let check = |model: &Model| {
            let applies = super::super::applies::by_control(model);
            let full: Vec<(&str, Summary)> = frameworks(model, &applies)
                .iter()
                .map(|f| (f.framework, f.summary))
                .collect();
            let applied: BTreeSet<&str> = applies
                .iter()
                .filter(|(_, a)| !a.is_empty())
                .map(|(c, _)| c.as_str())
                .collect();
            assert_eq!(summaries(model, &applied), full);
            full.len()
        };
        assert_eq!(check(&model()), 1);
        // The example repository, under the default frameworks.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let inputs = crate::load::worktree::inputs(root, "governance").expect("the example");
        let example = crate::check::check(inputs, jiff::civil::Date::constant(2026, 11, 23));
        assert!(check(&example.model) > 1);
    }

    #[test]
    fn asset_sets_hold_their_assets_in_any_order() {
        let ids: Vec<AssetId> = (0..130).map(|i| AssetId(format!("a{i:03}"))).collect();
        let all: Vec<&AssetId> = ids.iter().collect();
        let pick = |n: &[usize]| -> Vec<&AssetId> { n.iter().map(|&i| &ids[i]).collect() };
        let names: Vec<&str> = ids.iter().map(|a| a.as_str()).collect();
        let ordered = AssetSet::of(&all, &pick(&[0, 63, 64, 129]));
        assert_eq!(ordered.names(&names), ["a000", "a063", "a064", "a129"]);
        let shuffled = AssetSet::of(&all, &pick(&[129, 5, 64, 5]));
        assert_eq!(shuffled.names(&names), ["a005", "a064", "a129"]);
        let mut union = AssetSet::default();
        union.union(&ordered);
        union.union(&shuffled);
        assert_eq!(
            union.names(&names),
            ["a000", "a005", "a063", "a064", "a129"]
        );
    }
}
