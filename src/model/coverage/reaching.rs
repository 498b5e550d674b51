//! The mappings that reach a framework's requirements: each control's own
//! `maps-to` entries, and those a crosswalk carries over from another
//! framework. Crosswalks do not chain: only direct mappings are carried.

use super::{Framework, Model};
use crate::model::vocab::{Coverage, Relation};
use crate::model::Control;
use serde::Serialize;
use std::collections::BTreeMap;

/// The crosswalk link through which a derived mapping reached a
/// requirement, as `mapping/<framework>.json` lists it under `via`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Via<'m> {
    pub crosswalk: &'m str,
    /// The requirement of the crosswalk's `from` framework.
    pub from: &'m str,
    pub relation: Relation,
}

/// What reaches a requirement: a control's own mapping, or a crosswalk
/// link that carried mappings of another framework's requirement.
#[derive(Clone, Copy)]
pub(super) enum By<'m> {
    Control(&'m Control),
    Link(Via<'m>),
}

/// One mapping to a requirement of the framework at hand.
pub(super) struct Reaching<'m> {
    pub by: By<'m>,
    /// The requirement's position in the framework.
    pub at: usize,
    /// A full mapping; a full mapping to a requirement with children still
    /// counts as partial for the leaves below it.
    pub full: bool,
}

/// Every mapping that reaches a requirement of `f` from a control that
/// `counts` (one that applies to at least one asset): the direct ones
/// first, then, unless `policy.crosswalks` is off, those carried by each
/// crosswalk into `f`, in crosswalk id order, once per link and target
/// however many controls it carries. A full mapping to `from:X` reaches
/// `to:Y` as full where the relation is `equal` or `superset`, as partial
/// otherwise; a partial mapping reaches only as partial. The work is linear
/// in the mappings and the links.
pub(super) fn reaching<'m>(
    model: &'m Model,
    f: &'m Framework,
    counts: impl Fn(&Control) -> bool,
) -> Vec<Reaching<'m>> {
    let controls: Vec<&Control> = model.controls.values().filter(|c| counts(c)).collect();
    let mut out = Vec::new();
    for &control in &controls {
        for m in control
            .maps_to
            .iter()
            .filter(|m| m.target.framework == f.id.value)
        {
            if let Some(at) = f.position(m.target.requirement.as_str()) {
                out.push(Reaching {
                    by: By::Control(control),
                    at,
                    full: m.coverage == Coverage::Full,
                });
            }
        }
    }
    if !model.settings.policy.crosswalks {
        return out;
    }
    for crosswalk in model.crosswalks.values().filter(|c| c.to == f.id.value) {
        // The requirements of `from` that counting controls map to, and
        // whether a full mapping does.
        let mut reached: BTreeMap<&str, bool> = BTreeMap::new();
        for control in &controls {
            for m in control
                .maps_to
                .iter()
                .filter(|m| m.target.framework == crosswalk.from)
            {
                *reached.entry(m.target.requirement.as_str()).or_default() |=
                    m.coverage == Coverage::Full;
            }
        }
        for link in &crosswalk.links {
            let Some(&full) = reached.get(link.from.as_str()) else {
                continue;
            };
            let via = Via {
                crosswalk: crosswalk.id.value.as_str(),
                from: link.from.as_str(),
                relation: link.relation,
            };
            for at in link.to.iter().filter_map(|to| f.position(to)) {
                out.push(Reaching {
                    by: By::Link(via),
                    at,
                    full: full && link.relation.carries_full(),
                });
            }
        }
    }
    out
}
