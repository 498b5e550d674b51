//! The runtime checks of each asset, as both bundles enforce them: which
//! checks are on (and through which controls), the asset's status and
//! owners, its tools with their windows and confidence floors, identity
//! and trust, and the exceptions that lift a control until the end of their
//! `expires` day.

use crate::model::dates::{end_of_day, start_of_day};
use crate::model::duration::Duration;
use crate::model::vocab::{Access, AssetStatus, Check, Decision};
use crate::model::{Asset, Control, Model, TeamId};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The runtime view of every asset, and what holds for all of them.
#[derive(Debug)]
pub struct Runtime<'m> {
    /// How old an approval may be at the time of the request.
    pub approval_ttl: Duration,
    /// In id order.
    pub assets: Vec<AssetRuntime<'m>>,
}

/// One tool of an asset. Fields are in name order; a bound the tool does
/// not have is left out.
#[derive(Clone, Debug, Serialize)]
pub struct Tool {
    pub access: Access,
    pub decision: Decision,
    /// The Unix second the grant starts at: 00:00 UTC of its `from` day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_confidence: Option<u8>,
    /// The Unix second the grant ends at: 00:00 UTC after its `until` day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<i64>,
}

impl Tool {
    /// Returns true when the tool has a window: it is declared only inside.
    pub fn is_windowed(&self) -> bool {
        self.from.is_some() || self.until.is_some()
    }
}

/// The owners a decision names, by team id; `None` where the asset names
/// none. Fields in name order.
#[derive(Clone, Debug, Serialize)]
pub struct Owners<'m> {
    pub accountable: Option<&'m str>,
    pub approver: Option<&'m str>,
    /// The team whose approval counts ([`crate::model::Owners::approving`]);
    /// not in data.json, whose policy reads it from the two above.
    #[serde(skip)]
    pub approving: Option<&'m str>,
    pub operator: Option<&'m str>,
    pub revoker: Option<&'m str>,
}

/// Trust at build time.
#[derive(Clone, Debug, Serialize)]
pub struct Trust {
    pub score: u8,
    pub threshold: u8,
}

/// Check -> the controls that turn it on, sorted by id, checks in name
/// order: the same for every asset with the same controls.
pub type Checks<'m> = BTreeMap<Check, Vec<&'m str>>;

/// Everything the runtime needs to decide a request for one asset. Fields
/// are in name order: data.json is written straight from this type and
/// keeps its keys sorted.
#[derive(Clone, Debug, Serialize)]
pub struct AssetRuntime<'m> {
    #[serde(skip)]
    pub id: &'m str,
    /// Shared by the assets whose controls are the same.
    #[serde(serialize_with = "shared")]
    pub checks: Arc<Checks<'m>>,
    /// Control -> the Unix second at which its exception ends.
    pub exceptions: BTreeMap<&'m str, i64>,
    pub max_ttl_seconds: u64,
    pub owners: Owners<'m>,
    pub spiffe_id: Option<&'m str>,
    pub status: AssetStatus,
    pub tools: BTreeMap<&'m str, Tool>,
    pub trust: Option<Trust>,
}

fn shared<S: serde::Serializer>(checks: &Arc<Checks<'_>>, s: S) -> Result<S::Ok, S::Error> {
    checks.as_ref().serialize(s)
}

impl AssetRuntime<'_> {
    /// Returns true when the asset is under its trust threshold.
    pub fn under_threshold(&self) -> bool {
        self.trust.as_ref().is_some_and(|t| t.score < t.threshold)
    }

    /// Returns the tools matching `keep`, sorted by id.
    pub fn tools_where(&self, keep: impl Fn(&Tool) -> bool) -> Vec<(&str, &Tool)> {
        self.tools
            .iter()
            .filter(|(_, t)| keep(t))
            .map(|(id, t)| (*id, t))
            .collect()
    }
}

/// The checks that `controls` turn on.
pub fn checks<'m>(controls: &[&'m Control]) -> Checks<'m> {
    let mut checks: Checks<'m> = BTreeMap::new();
    for control in controls {
        for check in &control.enforce {
            checks
                .entry(*check)
                .or_default()
                .push(control.id.value.0.as_str());
        }
    }
    for list in checks.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
    checks
}

/// Computes the runtime view of one asset, whose `controls` turn on
/// `checks`.
pub fn asset<'m>(
    model: &'m Model,
    asset: &'m Asset,
    controls: &[&'m Control],
    checks: Arc<Checks<'m>>,
) -> AssetRuntime<'m> {
    let mut exceptions: BTreeMap<&str, i64> = BTreeMap::new();
    for e in model.exceptions_for(&asset.id.value) {
        let on = controls.iter().any(|c| c.id.value == e.control.value);
        if on {
            let end = end_of_day(e.expires.value);
            let slot = exceptions.entry(e.control.value.0.as_str()).or_insert(end);
            *slot = (*slot).max(end);
        }
    }
    let identity = asset.identity.as_ref();
    let team =
        |role: &'m Option<crate::source::Sp<TeamId>>| role.as_ref().map(|t| t.value.as_str());
    let o = &asset.owners;
    AssetRuntime {
        id: asset.id.value.0.as_str(),
        status: asset.status.value,
        owners: Owners {
            accountable: team(&o.accountable),
            approver: team(&o.approver),
            approving: o.approving().map(|t| t.value.as_str()),
            operator: team(&o.operator),
            revoker: team(&o.revoker),
        },
        tools: asset
            .tools
            .iter()
            .map(|t| {
                (
                    t.id.value.as_str(),
                    Tool {
                        access: t.access.value,
                        decision: t.decision.value,
                        from: t.from.as_ref().map(|d| start_of_day(d.value)),
                        min_confidence: t.min_confidence.as_ref().map(|c| c.value),
                        until: t.until.as_ref().map(|d| end_of_day(d.value)),
                    },
                )
            })
            .collect(),
        spiffe_id: identity.and_then(|i| i.spiffe_id.as_ref().map(|s| s.value.as_str())),
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

/// Returns the runtime view of every asset, in id order. Assets that share
/// their list of controls share their checks.
pub fn all<'m>(model: &'m Model, resolved: &super::Resolved<'m>) -> Runtime<'m> {
    let shared: Vec<Arc<Checks<'m>>> = resolved
        .profiles
        .iter()
        .map(|controls| Arc::new(checks(controls)))
        .collect();
    let assets = resolved
        .assets
        .iter()
        .map(|r| asset(model, r.asset, &r.controls, shared[r.profile].clone()))
        .collect();
    Runtime {
        approval_ttl: model.settings.policy.approval_ttl,
        assets,
    }
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
