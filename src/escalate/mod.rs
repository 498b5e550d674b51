//! `govern escalations`: every diagnostic that asks an owner to act, as an
//! item of work for the team that must act, grouped by team.
//!
//! The rules of `check` decide what is wrong, when it was due and which
//! owner must act (each such diagnostic carries a [`Subject`]); this module
//! finds the team that holds that role. A remediation item goes to the
//! asset's remediation owner, unless that team cannot do the work (it is
//! not declared, is inactive, is a governance function or a triage queue,
//! or there is none): then the accountable owner acts and the skipped team
//! is informed. The accountable owner is informed of every item another
//! team acts on.

pub mod human;
pub mod markdown;

use crate::check::{days_between, Outcome};
use crate::diag::{Acting, Code, Diagnostic, Severity, Subject};
use crate::model::{Asset, Model, TeamId};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

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
    pub signer: Option<String>,
    /// Why this team acts.
    pub role: Acting,
    /// When the action was due; `None` when no date records it.
    pub due: Option<Date>,
    /// Days since `due`: negative while it lies ahead, 0 when no date
    /// records it.
    pub overdue_days: i64,
    /// The teams to keep informed.
    pub inform: Vec<String>,
    pub message: String,
}

/// The order items come in: those with no recorded date first (nobody can
/// tell how late they are), then the most overdue.
pub fn urgency(item: &Item) -> (bool, i64) {
    (item.due.is_some(), -item.overdue_days)
}

/// Every item of `outcome`, grouped by the team that must act, as of the
/// day it was checked against. Items come in [`urgency`] order, and the
/// groups by their most urgent item.
pub fn groups(outcome: &Outcome) -> Vec<Group> {
    let model = &outcome.model;
    let mut by_team: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    for d in &outcome.diagnostics {
        let Some(subject) = &d.subject else {
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
                (urgency(a), a.code, &a.message).cmp(&(urgency(b), b.code, &b.message))
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
    let most = |g: &Group| g.items.first().map(urgency);
    groups.sort_by(|a, b| most(a).cmp(&most(b)).then_with(|| a.team.cmp(&b.team)));
    groups
}

/// Every item of `groups` with the team that acts on it, in one list in
/// [`urgency`] order, as report.html and `explain` show them.
pub fn flat(groups: Vec<Group>) -> Vec<(String, Item)> {
    let mut items: Vec<(String, Item)> = groups
        .into_iter()
        .flat_map(|g| {
            let team = g.team;
            g.items.into_iter().map(move |i| (team.clone(), i))
        })
        .collect();
    items.sort_by(|(ta, a), (tb, b)| {
        (urgency(a), ta, a.code, &a.message).cmp(&(urgency(b), tb, b.code, &b.message))
    });
    items
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

/// The team that acts on `d` and its item; `None` when no team holds the
/// role (an asset without owners, a control without an owner), which check
/// reports as an error of its own.
fn item(model: &Model, d: &Diagnostic, subject: &Subject, today: Date) -> Option<(String, Item)> {
    let asset = subject.asset.as_deref().and_then(|a| model.assets.get(a));
    let accountable = asset
        .and_then(|a| a.owners.accountable.as_ref())
        .map(|t| &t.value);
    let mut inform: Vec<&TeamId> = Vec::new();
    let (team, role) = match subject.acts {
        Acting::Remediation => remediation(model, asset?, &mut inform)?,
        Acting::Accountable => (accountable?, Acting::Accountable),
        Acting::ControlOwner => {
            let control = subject
                .control
                .as_deref()
                .and_then(|c| model.controls.get(c))?;
            (&control.owner.as_ref()?.value, Acting::ControlOwner)
        }
        Acting::Signer => {
            let signer = subject.signer.as_deref()?;
            let signer = model
                .settings
                .signers
                .iter()
                .find(|s| s.id.value == signer)?;
            (&signer.team.value, Acting::Signer)
        }
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
        signer: subject.signer.clone(),
        role,
        due: subject.due,
        overdue_days: subject.due.map_or(0, |due| days_between(due, today)),
        inform,
        message: d.message.clone(),
    };
    Some((team.to_string(), item))
}

/// Who acts on a remediation item of `asset`: its remediation owner when
/// that team can change the asset. Otherwise the accountable owner acts,
/// and the remediation owner, if any, is informed.
fn remediation<'m>(
    model: &'m Model,
    asset: &'m Asset,
    inform: &mut Vec<&'m TeamId>,
) -> Option<(&'m TeamId, Acting)> {
    let owners = &asset.owners;
    if let Some(r) = &owners.remediation {
        let able = model.teams.get(&r.value).is_some_and(|t| {
            t.active.value && !model.is_governance_function(t) && !model.is_triage_queue(t)
        });
        if able {
            return Some((&r.value, Acting::Remediation));
        }
        inform.push(&r.value);
    }
    Some((&owners.accountable.as_ref()?.value, Acting::Accountable))
}
