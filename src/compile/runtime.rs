//! The runtime checks of each asset, as both bundles enforce them: which
//! checks are on (and through which controls), the asset's tools, identity
//! and trust, and the exceptions that lift a control until the end of their
//! `expires` day.

use crate::model::dates::end_of_day;
use crate::model::vocab::{Access, Check, Decision};
use crate::model::{Asset, Model};
use serde::Serialize;
use std::collections::BTreeMap;

/// One tool of an asset.
#[derive(Clone, Debug, Serialize)]
pub struct Tool {
    pub access: Access,
    pub decision: Decision,
}

/// Trust at build time.
#[derive(Clone, Debug, Serialize)]
pub struct Trust {
    pub score: u8,
    pub threshold: u8,
}

/// Everything the runtime needs to decide a request for one asset. Fields
/// are in name order: data.json is written straight from this type and
/// keeps its keys sorted.
#[derive(Clone, Debug, Serialize)]
pub struct AssetRuntime {
    #[serde(skip)]
    pub id: String,
    /// Check -> the controls that turn it on, sorted by id. Checks are in
    /// name order, as data.json keeps its keys.
    pub checks: BTreeMap<Check, Vec<String>>,
    /// Control -> the Unix second at which its exception ends.
    pub exceptions: BTreeMap<String, i64>,
    pub max_ttl_seconds: u64,
    pub spiffe_id: Option<String>,
    pub tools: BTreeMap<String, Tool>,
    pub trust: Option<Trust>,
}

impl AssetRuntime {
    /// Returns true when the asset is under its trust threshold.
    pub fn under_threshold(&self) -> bool {
        self.trust.as_ref().is_some_and(|t| t.score < t.threshold)
    }

    /// Returns the ids of tools matching `keep`, sorted.
    pub fn tools_where(&self, keep: impl Fn(&Tool) -> bool) -> Vec<&str> {
        self.tools
            .iter()
            .filter(|(_, t)| keep(t))
            .map(|(id, _)| id.as_str())
            .collect()
    }
}

/// Computes the runtime view of one asset.
pub fn asset(model: &Model, asset: &Asset, controls: &[&crate::model::Control]) -> AssetRuntime {
    let mut checks: BTreeMap<Check, Vec<String>> = BTreeMap::new();
    for control in controls {
        for check in &control.enforce {
            checks
                .entry(*check)
                .or_default()
                .push(control.id.value.0.clone());
        }
    }
    for list in checks.values_mut() {
        list.sort();
        list.dedup();
    }
    let mut exceptions: BTreeMap<String, i64> = BTreeMap::new();
    for e in model.exceptions_for(&asset.id.value) {
        let on = controls.iter().any(|c| c.id.value == e.control.value);
        if on {
            let end = end_of_day(e.expires.value);
            let slot = exceptions.entry(e.control.value.0.clone()).or_insert(end);
            *slot = (*slot).max(end);
        }
    }
    let identity = asset.identity.as_ref();
    AssetRuntime {
        id: asset.id.value.0.clone(),
        tools: asset
            .tools
            .iter()
            .map(|t| {
                (
                    t.id.value.clone(),
                    Tool {
                        access: t.access.value,
                        decision: t.decision.value,
                    },
                )
            })
            .collect(),
        spiffe_id: identity.and_then(|i| i.spiffe_id.as_ref().map(|s| s.value.clone())),
        max_ttl_seconds: identity
            .and_then(|i| i.max_ttl.as_ref().map(|t| t.value))
            .unwrap_or(model.settings.policy.max_credential_ttl)
            .as_secs(),
        trust: asset.trust.as_ref().and_then(|t| {
            let score = t.score.as_ref()?.value;
            let threshold = t
                .threshold
                .as_ref()
                .map_or(model.settings.policy.trust_threshold, |v| v.value);
            Some(Trust { score, threshold })
        }),
        checks,
        exceptions,
    }
}

/// Returns the runtime view of every asset, in id order.
pub fn all(model: &Model, resolved: &super::Resolved<'_>) -> Vec<AssetRuntime> {
    resolved
        .assets
        .iter()
        .map(|r| asset(model, r.asset, &r.controls))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_are_kept_in_name_order() {
        let names: Vec<&str> = Check::ALL.iter().map(|c| c.name()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(
            names, sorted,
            "data.json and the Cedar policies list checks by name"
        );
    }
}
