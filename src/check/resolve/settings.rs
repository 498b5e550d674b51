//! The settings of governance.toml: policy, rules, activities and signers.

use super::{duplicate, team_ref};
use crate::diag::{Code, Diagnostic, Diags, RuleLevels, Severity};
use crate::load::raw;
use crate::load::reader::closest;
use crate::model::settings::{self, Activity, Policy, Signer};
use crate::model::vocab::{self, RuleLevel};
use crate::model::*;
use crate::source::{Sp, Span};
use std::collections::BTreeMap;

pub(super) fn settings(raw: raw::Settings, model: &Model, diags: &mut Diags) -> settings::Settings {
    let policy = raw
        .policy
        .map_or_else(Policy::default, |p| policy(p, model, diags));
    let mut rules: RuleLevels = BTreeMap::new();
    for (code, level) in raw.rules {
        let severity = match level.value {
            RuleLevel::Error => Some(Severity::Error),
            RuleLevel::Warning => Some(Severity::Warning),
            RuleLevel::Info => Some(Severity::Info),
            RuleLevel::Off => None,
        };
        rules.insert(code.value, severity);
    }
    let mut activities = Vec::new();
    let mut seen: BTreeMap<String, Span> = BTreeMap::new();
    for a in raw.activities {
        let (Some(id), Some(accountable)) = (a.id, a.accountable) else {
            continue;
        };
        if let Some(first) = seen.get(&id.value) {
            duplicate(diags, "activity", &id, *first, id.span);
            continue;
        }
        seen.insert(id.value.clone(), id.span);
        let roles = |v: Vec<Sp<vocab::Role>>| v.into_iter().map(|r| r.value).collect();
        activities.push(Activity {
            title: a.title.map_or_else(|| id.value.clone(), |t| t.value),
            id: id.value,
            accountable: accountable.value,
            responsible: roles(a.responsible),
            consulted: roles(a.consulted),
            informed: roles(a.informed),
        });
    }
    let builtin_activities = activities.is_empty();
    if builtin_activities {
        activities = settings::builtin_activities();
    }
    let mut signer_ids: BTreeMap<String, Span> = BTreeMap::new();
    let mut signers = Vec::new();
    for s in raw.signers {
        let (Some(id), Some(team), Some(public_key)) = (s.id, s.team, s.public_key) else {
            continue;
        };
        if let Some(first) = signer_ids.get(&id.value) {
            duplicate(diags, "signer", &id, *first, id.span);
            continue;
        }
        signer_ids.insert(id.value.clone(), id.span);
        signers.push(Signer {
            id,
            team: team_ref(&team),
            public_key,
            expires: s.expires,
        });
    }
    settings::Settings {
        file: None,
        organization: raw.organization.map(|o| o.value).unwrap_or_default(),
        policy,
        rules,
        activities,
        builtin_activities,
        signers,
    }
}

fn policy(p: raw::Policy, model: &Model, diags: &mut Diags) -> Policy {
    let mut policy = Policy::default();
    if let Some(frameworks) = p.frameworks {
        policy.frameworks = frameworks
            .value
            .iter()
            .filter(|f| {
                let exists = model.frameworks.contains_key(f.value.as_str());
                if !exists {
                    let mut d = Diagnostic::new(
                        Code::UnknownReference,
                        f.span,
                        format!("unknown framework `{}`", f.value),
                    );
                    let ids = model.frameworks.keys().map(|k| k.as_str());
                    if let Some(best) = closest(&f.value, ids) {
                        d = d.help(format!("did you mean `{best}`?"));
                    }
                    diags.push(d);
                }
                exists
            })
            .map(|f| FrameworkId(f.value.clone()))
            .collect();
        policy.frameworks_declared = Some(Sp::new(
            frameworks
                .value
                .into_iter()
                .map(|f| f.map(FrameworkId))
                .collect(),
            frameworks.span,
        ));
    }
    if let Some(v) = p.trust_threshold {
        policy.trust_threshold = v.value as u8;
    }
    if let Some(v) = p.max_credential_ttl {
        policy.max_credential_ttl = v.value;
    }
    if let Some(v) = p.max_exception_days {
        policy.max_exception_days = v.value;
    }
    if let Some(v) = p.attestation_max_age {
        policy.attestation_max_age = v.value;
    }
    if let Some(v) = p.max_accountable {
        policy.max_accountable = v.value as usize;
    }
    if let Some(v) = p.governance_functions {
        policy.governance_functions = v.into_iter().map(|f| f.value).collect();
    }
    policy.exception_approvers = p.exception_approvers.iter().map(team_ref).collect();
    for (level, window) in p.escalation {
        policy.escalation[level as usize] = window.value;
    }
    if let Some(v) = p.trust_max_age {
        policy.trust_max_age = v.value;
    }
    if let Some(v) = p.expiry_notice {
        policy.expiry_notice = v.value;
    }
    if let Some(v) = p.triage_functions {
        policy.triage_functions = v.into_iter().map(|f| f.value).collect();
    }
    if let Some(v) = p.approval_ttl {
        policy.approval_ttl = v.value;
    }
    if let Some(v) = p.crosswalks {
        policy.crosswalks = v.value;
    }
    policy
}
