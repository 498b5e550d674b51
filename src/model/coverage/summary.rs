//! A framework's leaf counts without its rows: what drift compares between
//! two sides, counted exactly as [`super::rows`] counts them.

use super::flags::{derived, Flags};
use super::reaching::{reaching, By};
use super::tree::Tree;
use super::{percent, Framework, Model, Summary};
use std::collections::BTreeSet;

/// The leaf counts of one framework; `applied` holds the controls that
/// apply to at least one asset.
pub(super) fn summary(model: &Model, f: &Framework, applied: &BTreeSet<&str>) -> Summary {
    let n = f.requirements.len();
    let tree = Tree::of(f);
    let is_leaf = |i: usize| tree.children[i].is_empty();
    let mut reach = vec![Flags::default(); n];
    // What a mapping to a requirement with children hands down, as
    // partial, to every leaf below it.
    let mut down = vec![Flags::default(); n];
    for m in reaching(model, f, |c| applied.contains(c.id.value.as_str())) {
        let direct = matches!(m.by, By::Control(_));
        reach[m.at].touch(m.full && is_leaf(m.at), direct);
        if !is_leaf(m.at) {
            down[m.at].touch(false, direct);
        }
    }
    // Parents first: what every ancestor hands down.
    let mut inherited = vec![Flags::default(); n];
    for &i in &tree.order {
        if let Some(p) = tree.parent[i] {
            inherited[i] = inherited[p].or(down[p]);
        }
    }
    let mut summary = Summary::default();
    for i in (0..n).filter(|i| is_leaf(*i)) {
        let r = reach[i].or(inherited[i]);
        let (status, direct) = (r.status(), r.direct_status());
        summary.count(status, derived(status, direct));
    }
    summary.percent = percent(&summary);
    summary
}
