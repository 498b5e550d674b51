//! The controls that apply to each asset of one side of a drift, found
//! once for the RACI and the coverage comparisons alike.
//!
//! Invariant: an asset's controls are those [`Model::controls_for`] gives,
//! in id order. An asset equal to the other side's, under controls equal to
//! the other side's, takes the other side's answer instead of matching
//! every control again: matching reads the asset and the controls alone.

use crate::model::{Asset, AssetId, Control, ControlId, Model};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// Each asset of one side with the places, in the model's control id
/// order, of the controls that apply to it.
pub struct Applied<'m> {
    controls: Vec<&'m Control>,
    per_asset: Vec<(&'m Asset, Vec<u32>)>,
    by_asset: HashMap<&'m str, usize>,
}

impl<'m> Applied<'m> {
    /// Matches every control of `model` against every asset.
    pub fn of(model: &'m Model) -> Self {
        Applied::reusing(model, None)
    }

    /// Matches as [`Applied::of`] does, taking from `other` (the other
    /// side, with its model) the answer for each asset equal on both sides
    /// when the controls are equal too.
    pub fn reusing(model: &'m Model, other: Option<(&Model, &Applied<'_>)>) -> Self {
        let controls: Vec<&Control> = model.controls.values().collect();
        let other = other.filter(|(m, _)| m.controls == model.controls);
        let per_asset: Vec<(&Asset, Vec<u32>)> = model
            .assets
            .values()
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|a| {
                let known = other.and_then(|(_, applied)| {
                    let i = *applied.by_asset.get(a.id.value.as_str())?;
                    let (theirs, places) = &applied.per_asset[i];
                    (*theirs == a).then(|| places.clone())
                });
                let places = known.unwrap_or_else(|| {
                    (0..controls.len() as u32)
                        .filter(|i| controls[*i as usize].applies_to.matches(a))
                        .collect()
                });
                (a, places)
            })
            .collect();
        let by_asset = per_asset
            .iter()
            .enumerate()
            .map(|(i, (a, _))| (a.id.value.as_str(), i))
            .collect();
        Applied {
            controls,
            per_asset,
            by_asset,
        }
    }

    /// The controls that apply to `asset`, an asset of this side, in id
    /// order, as [`Model::controls_for`] gives them.
    pub fn controls(&self, asset: &AssetId) -> Vec<&'m Control> {
        self.by_asset.get(asset.as_str()).map_or(Vec::new(), |i| {
            self.per_asset[*i]
                .1
                .iter()
                .map(|p| self.controls[*p as usize])
                .collect()
        })
    }

    /// Every control of `model` (this side's) with the assets it applies
    /// to, as [`crate::model::applies::by_control`] gives it.
    pub fn by_control(&self, model: &'m Model) -> BTreeMap<&'m ControlId, Vec<&'m AssetId>> {
        let mut lists: Vec<Vec<&AssetId>> = vec![Vec::new(); model.controls.len()];
        for (a, places) in &self.per_asset {
            for i in places {
                lists[*i as usize].push(&a.id.value);
            }
        }
        model.controls.keys().zip(lists).collect()
    }
}
