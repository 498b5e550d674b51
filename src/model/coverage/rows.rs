//! One framework's coverage row by row: each requirement's status, the
//! controls and assets that reach it, and the crosswalk links they came
//! through.

use super::flags::{derived, Flags};
use super::reaching::{reaching, By, Via};
use super::tree::Tree;
use super::{percent, AssetSet, Framework, FrameworkCoverage, Model, Row, Status, Summary};
use std::collections::{BTreeMap, BTreeSet};

/// What reaches one requirement: its [`Flags`], the controls and assets
/// of the direct mappings and the links of the others.
#[derive(Default)]
struct Reach<'m> {
    flags: Flags,
    controls: BTreeSet<&'m str>,
    via: BTreeSet<Via<'m>>,
    assets: AssetSet,
}

impl<'m> Reach<'m> {
    /// Adds one mapping, full or not: a control's own, with the assets it
    /// applies to, or one a link carried.
    fn touch(&mut self, by: By<'m>, assets: Option<&AssetSet>, full: bool) {
        self.flags.touch(full, matches!(by, By::Control(_)));
        match by {
            // The controls and assets listed are those of direct mappings:
            // what a crosswalk carried is named by its link.
            By::Control(control) => {
                self.controls.insert(control.id.value.0.as_str());
                if let Some(assets) = assets {
                    self.assets.union(assets);
                }
            }
            By::Link(via) => {
                self.via.insert(via);
            }
        }
    }

    /// Adds what `other` reaches.
    fn merge(&mut self, other: &Reach<'m>) {
        self.flags = self.flags.or(other.flags);
        self.controls.extend(other.controls.iter().copied());
        self.via.extend(other.via.iter().copied());
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

/// A parent's status from its leaves: `covered` and `gaps` of `leaves`.
fn parent_status(leaves: usize, covered: usize, gaps: usize) -> Status {
    if covered == leaves {
        Status::Covered
    } else if gaps == leaves {
        Status::Gap
    } else {
        Status::Partial
    }
}

/// Leaf counts at or below a requirement: all of them, and the covered
/// and gap ones with crosswalks and with direct mappings alone.
#[derive(Clone, Copy, Default)]
struct Counts {
    leaves: usize,
    covered: usize,
    gaps: usize,
    direct_covered: usize,
    direct_gaps: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.leaves += other.leaves;
        self.covered += other.covered;
        self.gaps += other.gaps;
        self.direct_covered += other.direct_covered;
        self.direct_gaps += other.direct_gaps;
    }
}

/// What one row shows.
struct Shown<'m> {
    status: Status,
    derived: bool,
    controls: Vec<&'m str>,
    via: Vec<Via<'m>>,
    assets: Vec<&'m str>,
}

impl<'m> Shown<'m> {
    fn of(status: Status, derived: bool, reach: Option<&Reach<'m>>, ids: &[&'m str]) -> Self {
        let (controls, via, assets) = match reach {
            Some(r) => (
                r.controls.iter().copied().collect(),
                r.via.iter().copied().collect(),
                r.assets.names(ids),
            ),
            None => Default::default(),
        };
        Shown {
            status,
            derived,
            controls,
            via,
            assets,
        }
    }
}

/// Computes one framework's coverage in time linear in its requirements
/// and mappings (plus the size of what the rows list): each walk up or
/// down the tree is one pass in [`Tree::order`], never one walk per
/// requirement.
pub(super) fn framework<'m>(
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
    let counting = |c: &crate::model::Control| applies.contains_key(c.id.value.as_str());
    for m in reaching(model, f, counting) {
        let assets = match m.by {
            By::Control(c) => applies.get(c.id.value.as_str()),
            By::Link(_) => None,
        };
        let at = m.at;
        reach[at]
            .get_or_insert_with(Reach::default)
            .touch(m.by, assets, m.full && is_leaf(at));
        if !is_leaf(at) {
            down[at]
                .get_or_insert_with(Reach::default)
                .touch(m.by, assets, false);
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

    // Children before parents: each requirement's row, then what it and
    // everything below it reach, and its leaves' statuses, passed up.
    let mut shown: Vec<Option<Shown>> = (0..n).map(|_| None).collect();
    let mut below: Vec<Option<Reach>> = (0..n).map(|_| None).collect();
    let mut counts = vec![Counts::default(); n];
    for &i in tree.order.iter().rev() {
        let own = reach[i].take();
        let acc = if is_leaf(i) {
            let flags = own.as_ref().map_or(Flags::default(), |r| r.flags);
            let (status, direct) = (flags.status(), flags.direct_status());
            counts[i] = Counts {
                leaves: 1,
                covered: usize::from(status == Status::Covered),
                gaps: usize::from(status == Status::Gap),
                direct_covered: usize::from(direct == Status::Covered),
                direct_gaps: usize::from(direct == Status::Gap),
            };
            shown[i] = Some(Shown::of(
                status,
                derived(status, direct),
                own.as_ref(),
                ids,
            ));
            own
        } else {
            let mut acc = below[i].take();
            if let Some(own) = own {
                merge_into(&mut acc, own);
            }
            let c = counts[i];
            let status = parent_status(c.leaves, c.covered, c.gaps);
            let direct = parent_status(c.leaves, c.direct_covered, c.direct_gaps);
            shown[i] = Some(Shown::of(
                status,
                derived(status, direct),
                acc.as_ref(),
                ids,
            ));
            acc
        };
        if let Some(p) = tree.parent[i] {
            let c = counts[i];
            counts[p].add(c);
            if let Some(acc) = acc {
                merge_into(&mut below[p], acc);
            }
        }
    }

    let mut summary = Summary::default();
    let rows = f
        .requirements
        .iter()
        .zip(shown)
        .enumerate()
        .map(|(i, (r, shown))| {
            let leaf = is_leaf(i);
            let shown = shown.unwrap_or_else(|| Shown::of(Status::Gap, false, None, ids));
            if leaf {
                summary.count(shown.status, shown.derived);
            }
            Row {
                id: r.id.value.as_str(),
                title: &r.title,
                parent: r.parent.as_deref(),
                kind: r.kind.as_deref(),
                depth: depth[i],
                leaf,
                status: shown.status,
                derived: shown.derived,
                controls: shown.controls,
                via: shown.via,
                assets: shown.assets,
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
