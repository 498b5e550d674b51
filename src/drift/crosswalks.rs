//! The crosswalk edits of a drift that can lower coverage, each named where
//! it was made: the policy switch turned off, a crosswalk into a reported
//! framework removed, a link removed, or a link that carried full coverage
//! (`equal`, `superset`) weakened to one that carries partial. A fall in a
//! framework's percentage is reported with the rest of coverage; these say
//! which edit caused it, even where another edit made up for it.

use super::changes::{Change, Kind};
use crate::model::vocab::Relation;
use crate::model::{Crosswalk, Model};
use std::collections::BTreeMap;

/// Pushes the crosswalk edits from `before` to `after` onto `out`.
pub(super) fn edits(before: &Model, after: &Model, out: &mut Vec<Change>) {
    if !before.settings.policy.crosswalks || before.crosswalks.is_empty() {
        return;
    }
    if !after.settings.policy.crosswalks {
        let change = Change::new(
            Kind::CoverageDropped,
            "policy.crosswalks is now false: coverage no longer reaches requirements through crosswalks"
                .into(),
        )
        .role("crosswalks")
        .values(Some("true".into()), Some("false".into()));
        out.push(match after.settings.file {
            Some(file) => change.to(crate::source::Span::new(file, 0..0)),
            None => change,
        });
        return;
    }
    let reported = |c: &Crosswalk| after.settings.policy.frameworks.contains(&c.to);
    for (id, cb) in before.crosswalks.iter().filter(|(_, c)| reported(c)) {
        let Some(ca) = after.crosswalks.get(id) else {
            let change = Change::new(
                Kind::CoverageDropped,
                format!("crosswalk `{id}` from {} to {} was removed", cb.from, cb.to),
            )
            .role("crosswalk")
            .values(Some(id.clone()), None);
            out.push(match cb.builtin {
                false => change.from(cb.id.span),
                true => change,
            });
            continue;
        };
        let (links_b, links_a) = (links(cb), links(ca));
        for ((from, to), rb) in &links_b {
            let message = match links_a.get(&(from, to)) {
                None => format!(
                    "crosswalk `{id}` no longer links {}:{from} to {}:{to}",
                    cb.from, cb.to
                ),
                Some(ra) if rb.carries_full() && !ra.carries_full() => format!(
                    "crosswalk `{id}` links {}:{from} to {}:{to} as {ra}, no longer {rb}: it carries partial coverage only",
                    cb.from, cb.to
                ),
                Some(_) => continue,
            };
            let after_value = links_a
                .get(&(from, to))
                .map(|r| format!("{from} -> {to} ({r})"));
            let change = Change::new(Kind::CoverageDropped, message)
                .role("crosswalk")
                .values(Some(format!("{from} -> {to} ({rb})")), after_value);
            out.push(match ca.builtin {
                false => change.to(ca.id.span),
                true => change,
            });
        }
    }
}

/// Each (from, to) pair a crosswalk links, with the relation that carries
/// most: one that carries full coverage over one that does not.
fn links(c: &Crosswalk) -> BTreeMap<(&str, &str), Relation> {
    let mut out: BTreeMap<(&str, &str), Relation> = BTreeMap::new();
    for link in &c.links {
        for to in &link.to {
            let slot = out
                .entry((link.from.as_str(), to.as_str()))
                .or_insert(link.relation);
            if link.relation.carries_full() && !slot.carries_full() {
                *slot = link.relation;
            }
        }
    }
    out
}
