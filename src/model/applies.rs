//! Which controls apply to which assets: a control's `applies-to` matched
//! against an asset, the controls of one asset, and the assets of every
//! control. Check, compile and drift all ask here, so a control applies to
//! the same assets in every diagnostic, output and change.

use super::vocab::{AssetKind, Environment, Level};
use super::{Asset, AssetId, Control, ControlId, Model};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Which assets a control applies to: each list that is given must contain
/// the asset's value (for tags: share one); omitted lists match anything.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct AppliesTo {
    pub kinds: Option<Vec<AssetKind>>,
    pub environments: Option<Vec<Environment>>,
    pub risk: Option<Vec<Level>>,
    pub tags: Option<Vec<String>>,
}

impl AppliesTo {
    /// Returns true when the control applies to `asset`.
    pub fn matches(&self, asset: &Asset) -> bool {
        self.kinds.as_ref().is_none_or(|k| k.contains(&asset.kind))
            && self
                .environments
                .as_ref()
                .is_none_or(|e| e.contains(&asset.environment))
            && self.risk.as_ref().is_none_or(|r| r.contains(&asset.risk))
            && self
                .tags
                .as_ref()
                .is_none_or(|t| t.iter().any(|tag| asset.tags.contains(tag)))
    }
}

/// What `applies-to` reads of an asset: assets alike in these have the
/// same controls.
pub type Profile<'m> = (AssetKind, Environment, Level, Vec<&'m str>);

/// Returns the profile of `asset`; its tags as a set.
pub fn profile(asset: &Asset) -> Profile<'_> {
    let mut tags: Vec<&str> = asset.tags.iter().map(String::as_str).collect();
    tags.sort_unstable();
    tags.dedup();
    (
        asset.kind.value,
        asset.environment.value,
        asset.risk.value,
        tags,
    )
}

/// One asset of each profile, in id order of the first of each: a control
/// applies to some asset exactly when it applies to one of these.
pub fn one_of_each_profile(model: &Model) -> Vec<&Asset> {
    let mut seen = std::collections::HashSet::new();
    model
        .assets
        .values()
        .filter(|a| seen.insert(profile(a)))
        .collect()
}

impl Model {
    /// Returns the controls that apply to `asset`, in id order.
    pub fn controls_for<'m>(&'m self, asset: &'m Asset) -> impl Iterator<Item = &'m Control> + 'm {
        self.controls
            .values()
            .filter(move |c| c.applies_to.matches(asset))
    }
}

/// Maps every control to the assets it applies to, both in id order; a
/// control that applies to none maps to an empty list.
pub fn by_control(model: &Model) -> BTreeMap<&ControlId, Vec<&AssetId>> {
    let per_asset: Vec<(&Asset, Vec<&Control>)> = model
        .assets
        .values()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|a| (a, model.controls_for(a).collect()))
        .collect();
    let mut applies: BTreeMap<&ControlId, Vec<&AssetId>> =
        model.controls.keys().map(|c| (c, Vec::new())).collect();
    for (asset, controls) in &per_asset {
        for c in controls {
            if let Some(list) = applies.get_mut(&c.id.value) {
                list.push(&asset.id.value);
            }
        }
    }
    applies
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks `declarations` beside an empty settings file.
    fn model(declarations: &str) -> Model {
        crate::check::files(&[
            ("governance/governance.toml", ""),
            ("governance/declarations.toml", declarations),
        ])
        .model
    }

    const DECLARATIONS: &str = r#"
[[team]]
id = "owners"

[[asset]]
id = "bot"
kind = "agent"
environment = "production"
risk = "high"
tags = ["payments"]
owners = { accountable = "owners" }

[[asset]]
id = "notes"
kind = "dataset"
environment = "staging"
owners = { accountable = "owners" }

[[control]]
id = "ANY"
title = "Every asset"
owner = "owners"

[[control]]
id = "PROD-AGENTS"
title = "Production agents"
owner = "owners"
applies-to = { kinds = ["agent", "mcp-server"], environments = ["production"] }

[[control]]
id = "TAGGED"
title = "Payments or support"
owner = "owners"
applies-to = { tags = ["support", "payments"] }

[[control]]
id = "LOW-RISK"
title = "Low-risk datasets"
owner = "owners"
applies-to = { kinds = ["dataset"], risk = ["low"] }
"#;

    #[test]
    fn every_given_list_must_match_and_omitted_ones_match_anything() {
        let model = model(DECLARATIONS);
        let ids = |asset: &str| -> Vec<&str> {
            model
                .controls_for(&model.assets[asset])
                .map(|c| c.id.value.as_str())
                .collect()
        };
        assert_eq!(ids("bot"), ["ANY", "PROD-AGENTS", "TAGGED"]);
        // `notes` has the default risk (medium), so LOW-RISK misses it.
        assert_eq!(ids("notes"), ["ANY"]);
    }

    #[test]
    fn one_asset_per_profile_answers_for_all_of_its_kind() {
        // `twin` differs from `bot` only in the order and repeats of its
        // tags, so it has bot's profile; `notes` has its own.
        let twin = "[[asset]]\nid = \"twin\"\nkind = \"agent\"\nenvironment = \"production\"\nrisk = \"high\"\ntags = [\"payments\", \"payments\"]\nowners = { accountable = \"owners\" }\n";
        let model = model(&format!("{DECLARATIONS}{twin}"));
        let ids: Vec<&str> = one_of_each_profile(&model)
            .iter()
            .map(|a| a.id.value.as_str())
            .collect();
        assert_eq!(ids, ["bot", "notes"]);
        for control in model.controls.values() {
            assert_eq!(
                one_of_each_profile(&model)
                    .iter()
                    .any(|a| control.applies_to.matches(a)),
                model.assets.values().any(|a| control.applies_to.matches(a)),
                "{}",
                control.id.value
            );
        }
    }

    #[test]
    fn every_control_maps_to_its_assets_even_when_there_are_none() {
        let model = model(DECLARATIONS);
        let map: Vec<(&str, Vec<&str>)> = by_control(&model)
            .into_iter()
            .map(|(c, a)| (c.as_str(), a.iter().map(|a| a.as_str()).collect()))
            .collect();
        assert_eq!(
            map,
            [
                ("ANY", vec!["bot", "notes"]),
                ("LOW-RISK", vec![]),
                ("PROD-AGENTS", vec!["bot"]),
                ("TAGGED", vec!["bot"]),
            ]
        );
    }
}
