//! The context of `report.html`: coverage per framework, the requirement
//! heat map, gaps, owners and their load, RACI, controls, exceptions, open
//! findings and escalations.
//!
//! Every number a card of the page shows is the length of a list in this
//! context, so the page lists what it counts. Days are counted from the
//! day the rules were checked against ([`Outcome::today`]).

use super::{Provenance, Resolved};
use crate::check::{days_between, Outcome};
use crate::diag::{Position, Severity};
use crate::escalate;
use crate::model::coverage::{FrameworkCoverage, Status};
use crate::model::raci::Letter;
use crate::model::vocab::FindingStatus;
use crate::model::Team;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Builds the template context.
pub fn context(
    outcome: &Outcome,
    resolved: &Resolved<'_>,
    coverage: &[FrameworkCoverage],
    provenance: &Provenance,
) -> Value {
    let model = &outcome.model;
    let frameworks: Vec<Value> = coverage
        .iter()
        .map(|f| {
            let gaps: Vec<Value> = f
                .requirements
                .iter()
                .filter(|r| r.leaf && r.status == Status::Gap)
                .map(|r| json!({"id": r.id, "title": r.title}))
                .collect();
            let cells: Vec<Value> = f
                .requirements
                .iter()
                .filter(|r| r.leaf)
                .map(|r| json!({"id": r.id, "title": r.title, "status": r.status, "controls": r.controls.len()}))
                .collect();
            json!({
                "id": f.framework, "name": f.name, "version": f.version, "summary": f.summary,
                "cells": cells, "gaps": gaps,
            })
        })
        .collect();

    let activities = &model.settings.activities;
    let mut load: BTreeMap<&str, Load> = BTreeMap::new();
    for r in &resolved.assets {
        if let Some(a) = &r.asset.owners.accountable {
            load.entry(a.value.as_str()).or_default().accountable += 1;
        }
        for (i, row) in r.raci.iter().enumerate() {
            for cell in &row.cells {
                let team = load.entry(cell.team.as_str()).or_default();
                if team.letters.len() < activities.len() {
                    team.letters.resize(activities.len(), [0; 4]);
                }
                for (letter, _) in &cell.letters {
                    team.letters[i][*letter as usize] += 1;
                }
            }
        }
    }
    let max_accountable = model.settings.policy.max_accountable;
    let none = Load::default();
    // Every declared team, busiest first, so the load that needs attention
    // leads the table and the team card counts its rows.
    let mut ordered: Vec<(&Team, &Load)> = model
        .teams
        .values()
        .map(|t| (t, load.get(t.id.value.0.as_str()).unwrap_or(&none)))
        .collect();
    ordered.sort_by_key(|(t, l)| (std::cmp::Reverse(l.accountable), &t.id.value));
    let teams: Vec<Value> = ordered
        .into_iter()
        .map(|(team, l)| {
            let responsible: usize = l.letters.iter().map(|c| c[Letter::R as usize]).sum();
            json!({
                "id": team.id.value.0,
                "name": team.name,
                "governance": model.is_governance_function(team),
                "active": team.active.value,
                "accountable": l.accountable,
                "responsible": responsible,
                "overloaded": l.accountable > max_accountable,
                "bar": bar(l.accountable, max_accountable),
                "activities": l.letters.iter().map(|c| json!({
                    "A": c[Letter::A as usize], "R": c[Letter::R as usize],
                    "C": c[Letter::C as usize], "I": c[Letter::I as usize],
                })).collect::<Vec<_>>(),
            })
        })
        .collect();

    let assets: Vec<Value> = resolved
        .assets
        .iter()
        .map(|r| {
            let a = r.asset;
            let who = |letter: Letter| -> Vec<String> {
                let mut teams: Vec<String> = r
                    .raci
                    .iter()
                    .flat_map(|row| row.cells.iter())
                    .filter(|c| c.letters.iter().any(|(l, _)| *l == letter))
                    .map(|c| c.team.0.clone())
                    .collect();
                teams.sort();
                teams.dedup();
                teams
            };
            let score = a
                .trust
                .as_ref()
                .and_then(|t| t.score.as_ref())
                .map(|s| s.value);
            let threshold = a
                .trust
                .as_ref()
                .and_then(|t| t.threshold.as_ref())
                .map_or(model.settings.policy.trust_threshold, |t| t.value);
            json!({
                "id": a.id.value.0, "name": a.name, "kind": a.kind.value.name(),
                "environment": a.environment.value.name(), "risk": a.risk.value.name(),
                "accountable": a.owners.accountable.as_ref().map(|t| t.value.0.clone()),
                "operator": a.owners.operator.as_ref().map(|t| t.value.0.clone()),
                "remediation": a.owners.remediation.as_ref().map(|t| t.value.0.clone()),
                "responsible": who(Letter::R),
                "controls": r.controls.len(),
                "trust": score,
                "threshold": threshold,
                "below_threshold": score.is_some_and(|s| s < threshold),
            })
        })
        .collect();

    let mut excepted_per_control: BTreeMap<&str, usize> = BTreeMap::new();
    for e in model.exceptions.values() {
        *excepted_per_control
            .entry(e.control.value.0.as_str())
            .or_default() += 1;
    }
    let controls: Vec<Value> = model
        .controls
        .values()
        .map(|c| {
            json!({
                "id": c.id.value.0, "title": c.title, "severity": c.severity.name(),
                "owner": c.owner.as_ref().map(|t| t.value.0.clone()),
                "assets": resolved.applies.get(&c.id.value).map_or(0, Vec::len),
                "exceptions": excepted_per_control.get(c.id.value.0.as_str()).copied().unwrap_or(0),
            })
        })
        .collect();

    // Soonest expiry first: the exception about to lapse leads.
    let mut excepted: Vec<_> = model.exceptions.values().collect();
    excepted.sort_by_key(|e| (e.expires.value, &e.id.value));
    let exceptions: Vec<Value> = excepted
        .into_iter()
        .map(|e| {
            json!({
                "id": e.id.value.0, "asset": e.asset.value.0, "control": e.control.value.0,
                "approved_by": e.approved_by.value.0, "reason": e.reason,
                "granted": e.granted.value.to_string(), "expires": e.expires.value.to_string(),
                "days_left": days_between(outcome.today, e.expires.value),
                "compensating": e.compensating.iter().map(|c| c.value.0.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();

    let findings: Vec<Value> = model
        .findings
        .values()
        .filter(|f| f.status.value == FindingStatus::Open)
        .map(|f| {
            let owner = model
                .assets
                .get(&f.asset.value)
                .and_then(|a| a.owners.accountable.as_ref())
                .map(|t| t.value.0.clone());
            json!({
                "id": f.id.value.0, "asset": f.asset.value.0, "control": f.control.value.0,
                "severity": f.severity.name(), "opened": f.opened.value.to_string(),
                "retest_by": f.retest_by.as_ref().map(|d| d.value.to_string()),
                "owner": owner,
            })
        })
        .collect();
    let escalations: Vec<Value> = escalate::flat(escalate::groups(outcome))
        .into_iter()
        .map(|(team, i)| {
            json!({
                "team": team, "role": i.role.name(), "code": i.code.name(),
                "severity": i.severity.name(), "about": escalate::human::about(&i),
                "when": escalate::human::when(&i), "overdue": i.overdue_days > 0,
                "inform": i.inform, "message": plain(&i.message),
            })
        })
        .collect();
    let problems: Vec<Value> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Error)
        .map(|d| {
            let at = Position::of(&outcome.sources, d.span);
            json!({"code": d.code.name(), "severity": d.severity.name(), "message": plain(&d.message), "file": at.file, "line": at.line})
        })
        .collect();
    let totals = coverage.iter().fold([0usize; 3], |t, f| {
        [
            t[0] + f.summary.covered,
            t[1] + f.summary.partial,
            t[2] + f.summary.gaps,
        ]
    });
    json!({
        "organization": model.settings.organization,
        "commit": provenance.commit,
        "dirty": provenance.dirty,
        "date": provenance.date,
        "today": outcome.today.to_string(),
        "max_accountable": max_accountable,
        "requirement_totals": {"covered": totals[0], "partial": totals[1], "gaps": totals[2]},
        "counts": {
            "teams": model.teams.len(), "assets": model.assets.len(),
            "controls": model.controls.len(), "exceptions": model.exceptions.len(),
            "findings": model.findings.len(), "open_findings": findings.len(),
        },
        "frameworks": frameworks,
        "teams": teams,
        "assets": assets,
        "controls": controls,
        "exceptions": exceptions,
        "activities": model.settings.activities.iter().map(|a| json!({"id": a.id, "title": a.title})).collect::<Vec<_>>(),
        "findings": findings,
        "escalations": escalations,
        "problems": problems,
    })
}

/// The width of a load bar, in percent of the policy limit: full at the
/// limit and never wider (the page marks a load over it in words). One
/// decimal, so that a small load still shows.
fn bar(load: usize, limit: usize) -> f64 {
    if limit == 0 {
        return if load == 0 { 0.0 } else { 100.0 };
    }
    let tenths = (load.min(limit) * 1000 / limit) as f64;
    tenths / 10.0
}

/// A diagnostic message without the backticks that mark names in a
/// terminal; the page shows plain text.
fn plain(message: &str) -> String {
    message.replace('`', "")
}

/// What one team carries: the assets it is accountable for and, per
/// activity, how many A, R, C and I letters it holds.
#[derive(Default)]
struct Load {
    accountable: usize,
    letters: Vec<[usize; 4]>,
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn a_load_bar_is_its_share_of_the_limit_and_never_wider() {
        assert_eq!(bar(6, 25), 24.0);
        assert_eq!(bar(1, 3), 33.3);
        assert_eq!(bar(1, 300), 0.3);
        assert_eq!(bar(25, 25), 100.0);
        assert_eq!(bar(40, 25), 100.0);
        assert_eq!(bar(0, 25), 0.0);
        assert_eq!(bar(0, 0), 0.0);
        assert_eq!(bar(1, 0), 100.0);
    }
}
