//! `govern escalations`: every diagnostic that asks an owner to act, as an
//! item of work for the team that must act, grouped by team.
//!
//! The rules of `check` decide what is wrong and when it was due (each such
//! diagnostic carries a [`Subject`]); this module decides who acts. A
//! remediation item goes to the asset's remediation owner, or to its
//! accountable owner when the remediation owner is missing or a governance
//! function (which is then informed, never the one to act). An item about
//! accountability (a stale score or attestation, an exception, a sign-off)
//! goes to the accountable owner; a control's retest to the control owner;
//! an expiring signer to its team. The accountable owner is informed of
//! every item another team acts on.

pub mod human;
pub mod markdown;

use crate::check::{days_between, Outcome};
use crate::diag::{Code, Diagnostic, Severity, Subject};
use crate::model::vocab::FindingStatus;
use crate::model::{Asset, Model, TeamId};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

crate::vocab::vocab! {
    /// Why a team is the one to act on an item.
    Acting {
        Accountable = "accountable",
        Remediation = "remediation",
        ControlOwner = "control-owner",
        Signer = "signer",
    }
}

/// The codes whose diagnostics are items of work.
pub const CODES: &[Code] = &[
    Code::TrustBelowThreshold,
    Code::TrustStale,
    Code::FindingEscalation,
    Code::FindingRetestOverdue,
    Code::FindingClosureIncomplete,
    Code::ControlRetestOverdue,
    Code::AttestationStale,
    Code::ExceptionExpired,
    Code::ExceptionExpiring,
    Code::SignerExpiring,
];

/// One team and what it must do.
#[derive(Debug, Serialize)]
pub struct Group {
    pub team: String,
    pub name: String,
    pub contact: Option<String>,
    pub handle: Option<String>,
    pub items: Vec<Item>,
}

/// One thing a team must do, and by when.
#[derive(Debug, Serialize)]
pub struct Item {
    pub code: Code,
    pub severity: Severity,
    pub asset: Option<String>,
    pub control: Option<String>,
    pub finding: Option<String>,
    pub exception: Option<String>,
    /// Why this team acts.
    pub role: Acting,
    /// When the action was due; `None` when no date records it.
    pub due: Option<Date>,
    /// Days since `due`: negative while it lies ahead, 0 when unknown.
    pub overdue_days: i64,
    /// The teams to keep informed.
    pub inform: Vec<String>,
    pub message: String,
}

/// Every item of `outcome`, grouped by the team that must act, as of the
/// day it was checked against. Groups come most overdue first, and so do
/// the items of a group.
pub fn groups(outcome: &Outcome) -> Vec<Group> {
    let model = &outcome.model;
    let mut by_team: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    for d in &outcome.diagnostics {
        let (Some(subject), true) = (&d.subject, CODES.contains(&d.code)) else {
            continue;
        };
        if let Some((team, item)) = item(model, d, subject, outcome.today) {
            by_team.entry(team).or_default().push(item);
        }
    }
    let mut groups: Vec<Group> = by_team
        .into_iter()
        .map(|(team, mut items)| {
            items.sort_by(|a, b| {
                (b.overdue_days, a.code, &a.message).cmp(&(a.overdue_days, b.code, &b.message))
            });
            let declared = model.teams.get(team.as_str());
            Group {
                name: declared.map_or_else(|| team.clone(), |t| t.name.clone()),
                contact: declared.and_then(|t| t.contact.clone()),
                handle: declared.and_then(|t| t.handle.as_ref().map(|h| h.to_string())),
                team,
                items,
            }
        })
        .collect();
    let most = |g: &Group| g.items.first().map_or(i64::MIN, |i| i.overdue_days);
    groups.sort_by(|a, b| most(b).cmp(&most(a)).then_with(|| a.team.cmp(&b.team)));
    groups
}

/// Keeps the groups of `teams` only.
pub fn only(groups: Vec<Group>, teams: &[String]) -> Vec<Group> {
    groups
        .into_iter()
        .filter(|g| teams.contains(&g.team))
        .collect()
}

/// The highest severity of any item, if there is one.
pub fn worst(groups: &[Group]) -> Option<Severity> {
    groups
        .iter()
        .flat_map(|g| &g.items)
        .map(|i| i.severity)
        .max()
}

/// The team that acts on `d` and its item; `None` when no team is known
/// (an asset without owners, a control without an owner).
fn item(model: &Model, d: &Diagnostic, subject: &Subject, today: Date) -> Option<(String, Item)> {
    let asset = subject.asset.as_deref().and_then(|a| model.assets.get(a));
    let accountable = asset
        .and_then(|a| a.owners.accountable.as_ref())
        .map(|t| &t.value);
    let mut inform: Vec<&TeamId> = Vec::new();
    let (team, role) = match d.code {
        Code::TrustBelowThreshold | Code::FindingEscalation | Code::FindingRetestOverdue => {
            remediation(model, asset?, &mut inform)?
        }
        Code::FindingClosureIncomplete => {
            let finding = subject
                .finding
                .as_deref()
                .and_then(|f| model.findings.get(f))?;
            if needs_only_sign_off(finding) {
                (accountable?, Acting::Accountable)
            } else {
                remediation(model, asset?, &mut inform)?
            }
        }
        Code::ControlRetestOverdue => {
            let control = subject
                .control
                .as_deref()
                .and_then(|c| model.controls.get(c))?;
            (&control.owner.as_ref()?.value, Acting::ControlOwner)
        }
        Code::SignerExpiring => {
            let signer = subject.signer.as_deref()?;
            let signer = model
                .settings
                .signers
                .iter()
                .find(|s| s.id.value == signer)?;
            (&signer.team.value, Acting::Signer)
        }
        _ => (accountable?, Acting::Accountable),
    };
    if let Some(a) = accountable {
        inform.push(a);
    }
    let mut inform: Vec<String> = inform
        .into_iter()
        .filter(|t| *t != team)
        .map(|t| t.to_string())
        .collect();
    inform.sort();
    inform.dedup();
    let item = Item {
        code: d.code,
        severity: d.severity,
        asset: subject.asset.clone(),
        control: subject.control.clone(),
        finding: subject.finding.clone(),
        exception: subject.exception.clone(),
        role,
        due: subject.due,
        overdue_days: subject.due.map_or(0, |due| days_between(due, today)),
        inform,
        message: d.message.clone(),
    };
    Some((team.to_string(), item))
}

/// Who acts on a remediation item of `asset`: its remediation owner, unless
/// there is none or it is a governance function, which tracks the work
/// and is informed while the accountable owner acts.
fn remediation<'m>(
    model: &'m Model,
    asset: &'m Asset,
    inform: &mut Vec<&'m TeamId>,
) -> Option<(&'m TeamId, Acting)> {
    let owners = &asset.owners;
    match &owners.remediation {
        Some(r)
            if !model
                .teams
                .get(&r.value)
                .is_some_and(|t| model.is_governance_function(t)) =>
        {
            Some((&r.value, Acting::Remediation))
        }
        governance => {
            if let Some(g) = governance {
                inform.push(&g.value);
            }
            Some((&owners.accountable.as_ref()?.value, Acting::Accountable))
        }
    }
}

/// True when a closed finding's record lacks nothing but a valid sign-off:
/// then the accountable owner must act, not the team that fixed it.
fn needs_only_sign_off(f: &crate::model::Finding) -> bool {
    let c = &f.closure;
    match f.status.value {
        FindingStatus::Accepted => c.closed.is_some(),
        _ => {
            c.closed.is_some()
                && c.closed_by.is_some()
                && c.root_cause.is_some()
                && c.retested
                    .as_ref()
                    .is_some_and(|r| r.value >= f.opened.value)
        }
    }
}
