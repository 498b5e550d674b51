//! The implemented requirements of one list of controls, found once for
//! every asset that shares the list ([`crate::compile::ResolvedAsset::controls`]),
//! with their JSON written but for what each asset adds: its UUIDs and its
//! exceptions in force.

use super::{field, prop, string, token, Context};
use crate::compile::Resolved;
use crate::model::vocab::Coverage;
use crate::model::{Control, Framework};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// One implemented requirement of a list of controls, its JSON without the
/// asset's UUID and exceptions: `head` runs from `,"control-id"` to the
/// coverage prop, `tail` from the end of the props on.
pub struct Requirement<'m> {
    pub id: &'m str,
    pub controls: Vec<&'m str>,
    pub head: Vec<u8>,
    pub tail: Vec<u8>,
}

/// The implemented requirements of one list of controls, per reported
/// framework (by position in [`Context::frameworks`]); frameworks it maps
/// to nothing are left out.
pub type Implementations<'m> = Vec<(usize, Vec<Requirement<'m>>)>;

/// The implementations of each distinct list of controls, and for each
/// asset the position of its list's.
pub fn implementations<'m>(
    context: &Context<'m>,
    resolved: &Resolved<'m>,
    parties: &BTreeMap<&str, String>,
) -> (Vec<usize>, Vec<Implementations<'m>>) {
    let distinct = &resolved.profiles;
    let of = resolved.assets.iter().map(|a| a.profile).collect();
    // Which requirements of each framework have children.
    let parents: Vec<Vec<bool>> = context
        .frameworks
        .iter()
        .map(|(f, _)| {
            let mut has = vec![false; f.requirements.len()];
            for r in &f.requirements {
                if let Some(p) = r.parent.as_deref().and_then(|p| f.position(p)) {
                    has[p] = true;
                }
            }
            has
        })
        .collect();
    let lists = distinct
        .par_iter()
        .map(|controls| {
            context
                .frameworks
                .iter()
                .enumerate()
                .filter_map(|(k, (f, _))| {
                    let reqs = requirements(f, &parents[k], controls, parties);
                    (!reqs.is_empty()).then_some((k, reqs))
                })
                .collect()
        })
        .collect();
    (of, lists)
}

/// The requirements of `f` that `controls` map to, in catalog order.
fn requirements<'m>(
    f: &'m Framework,
    parents: &[bool],
    controls: &[&'m Control],
    parties: &BTreeMap<&str, String>,
) -> Vec<Requirement<'m>> {
    // Position -> (a full mapping reaches it, its controls).
    let mut reached: BTreeMap<usize, (bool, Vec<&'m Control>)> = BTreeMap::new();
    for control in controls {
        for m in control
            .maps_to
            .iter()
            .filter(|m| m.target.framework == f.id.value)
        {
            let Some(at) = f.position(&m.target.requirement) else {
                continue;
            };
            let entry = reached.entry(at).or_default();
            entry.0 |= m.coverage == Coverage::Full;
            if entry.1.last().map(|c| c.id.value.as_str()) != Some(control.id.value.as_str()) {
                entry.1.push(control);
            }
        }
    }
    reached
        .into_iter()
        .map(|(at, (full, controls))| {
            let id = f.requirements[at].id.value.as_str();
            let ids: Vec<&str> = controls.iter().map(|c| c.id.value.as_str()).collect();
            let mut head = Vec::new();
            head.push(b',');
            field(&mut head, "control-id", &token::token(id));
            head.push(b',');
            field(&mut head, "description", &ids.join(", "));
            head.extend_from_slice(b",\"props\":[");
            let coverage = if full && !parents[at] {
                "full"
            } else {
                "partial"
            };
            prop(&mut head, "coverage", coverage);
            let owners: BTreeSet<&str> = controls
                .iter()
                .filter_map(|c| c.owner.as_ref())
                .map(|o| o.value.as_str())
                .filter(|o| parties.contains_key(o))
                .collect();
            let mut tail = b"]".to_vec();
            if !owners.is_empty() {
                tail.extend_from_slice(
                    b",\"responsible-roles\":[{\"role-id\":\"control-owners\",\"party-uuids\":[",
                );
                for (i, owner) in owners.iter().enumerate() {
                    if i > 0 {
                        tail.push(b',');
                    }
                    string(&mut tail, &parties[owner]);
                }
                tail.extend_from_slice(b"]}]");
            }
            tail.push(b'}');
            Requirement {
                id,
                controls: ids,
                head,
                tail,
            }
        })
        .collect()
}
