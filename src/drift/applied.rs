//! The controls that apply to the assets of one side of a drift, found
//! once per profile of its assets for the RACI and the coverage
//! comparisons alike.
//!
//! Invariant: an asset's controls are those [`Model::controls_for`] gives,
//! in id order. Assets alike in what `applies-to` reads
//! ([`applies::profile`]) have the same controls, so each profile is
//! matched against the controls once, however many assets share it.

use crate::model::applies::{self, Profile};
use crate::model::{AssetId, Control, Model};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The places, in the model's control id order, of the controls that
/// apply to each profile of one side's assets, and each asset's profile.
pub struct Applied<'m> {
    controls: Vec<&'m Control>,
    /// Per profile, in the order first met.
    places: Vec<Vec<u32>>,
    profile_of: HashMap<&'m str, usize>,
}

impl<'m> Applied<'m> {
    /// Matches every control of `model` against one asset of each profile.
    pub fn of(model: &'m Model) -> Self {
        let controls: Vec<&Control> = model.controls.values().collect();
        let mut index: HashMap<Profile<'m>, usize> = HashMap::new();
        let mut places = Vec::new();
        let profile_of = model
            .assets
            .values()
            .map(|a| {
                let p = *index.entry(applies::profile(a)).or_insert_with(|| {
                    places.push(
                        (0..controls.len() as u32)
                            .filter(|i| controls[*i as usize].applies_to.matches(a))
                            .collect(),
                    );
                    places.len() - 1
                });
                (a.id.value.as_str(), p)
            })
            .collect();
        Applied {
            controls,
            places,
            profile_of,
        }
    }

    /// The profile of `asset`, when this side holds it.
    fn profile(&self, asset: &str) -> Option<usize> {
        self.profile_of.get(asset).copied()
    }

    /// The controls of profile `p`, in id order.
    fn of_profile(&self, p: usize) -> impl Iterator<Item = &'m Control> + '_ {
        self.places[p].iter().map(|i| self.controls[*i as usize])
    }

    /// The controls that apply to `asset`, an asset of this side, in id
    /// order, as [`Model::controls_for`] gives them.
    pub fn controls(&self, asset: &AssetId) -> Vec<&'m Control> {
        self.profile(asset.as_str())
            .map_or(Vec::new(), |p| self.of_profile(p).collect())
    }

    /// The ids of the controls that apply to at least one asset.
    pub fn applied(&self) -> BTreeSet<&'m str> {
        (0..self.places.len())
            .flat_map(|p| self.of_profile(p))
            .map(|c| c.id.value.as_str())
            .collect()
    }
}

/// For each control, the assets held by both sides that it applied to on
/// the `before` side and no longer applies to on the `after` side, in
/// asset id order; controls that lost none are left out.
pub fn narrowed<'m>(
    (before, cb): (&'m Model, &Applied<'m>),
    ca: &Applied<'_>,
) -> BTreeMap<&'m str, Vec<&'m str>> {
    let mut lost_by_pair: HashMap<(usize, usize), Vec<&'m str>> = HashMap::new();
    let mut out: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for id in before.assets.keys() {
        let (Some(pb), Some(pa)) = (cb.profile(id.as_str()), ca.profile(id.as_str())) else {
            continue;
        };
        let lost = lost_by_pair.entry((pb, pa)).or_insert_with(|| {
            let now: BTreeSet<&str> = ca.of_profile(pa).map(|c| c.id.value.as_str()).collect();
            cb.of_profile(pb)
                .map(|c| c.id.value.as_str())
                .filter(|c| !now.contains(c))
                .collect()
        });
        for control in lost.iter() {
            out.entry(control).or_default().push(id.as_str());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check;

    /// The controls of every asset of the example and of the bundles
    /// fixture, and the controls that apply to any asset, are those the
    /// model finds asset by asset.
    #[test]
    fn agrees_with_matching_every_asset() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for repo in [root.to_path_buf(), root.join("tests/fixtures/bundles")] {
            let inputs = crate::load::worktree::inputs(&repo, "governance").expect("it reads");
            let outcome = check::check(inputs, jiff::civil::Date::constant(2026, 11, 23));
            agrees(&outcome.model);
        }
    }

    fn agrees(model: &Model) {
        let applied = Applied::of(model);
        let mut any = BTreeSet::new();
        for asset in model.assets.values() {
            let direct: Vec<&str> = model
                .controls_for(asset)
                .map(|c| c.id.value.as_str())
                .collect();
            let found: Vec<&str> = applied
                .controls(&asset.id.value)
                .iter()
                .map(|c| c.id.value.as_str())
                .collect();
            assert_eq!(found, direct, "{}", asset.id.value);
            any.extend(direct);
        }
        assert!(!any.is_empty());
        assert_eq!(applied.applied(), any);
    }
}
