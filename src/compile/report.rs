//! The context of `report.html`: coverage per framework, the requirement
//! heat map, gaps, owners and their load, RACI, controls, exceptions, open
//! findings and escalations.
//!
//! Every number a card of the page shows is the length of a list in this
//! context, so the page lists what it counts. Days are counted from the
//! day the rules were checked against ([`Outcome::today`]).

use super::templates::rows::Rows;
use super::{Provenance, Resolved, ResolvedAsset};
use crate::check::{days_between, Outcome};
use crate::diag::{Position, Severity};
use crate::escalate;
use crate::model::coverage::{FrameworkCoverage, Status};
use crate::model::raci::{Letter, Row};
use crate::model::vocab::FindingStatus;
use crate::model::{Model, Team};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

/// Builds the template context.
pub fn context(
    outcome: &Outcome,
    resolved: &Resolved<'_>,
    coverage: &[FrameworkCoverage],
    provenance: &Provenance,
) -> minijinja::Value {
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
                .map(|r| {
                    let mut crosswalks: Vec<&str> = r.via.iter().map(|v| v.crosswalk).collect();
                    crosswalks.dedup();
                    json!({
                        "id": r.id, "title": r.title, "status": r.status,
                        "controls": r.controls.len(), "derived": r.derived, "via": crosswalks,
                    })
                })
                .collect();
            json!({
                "id": f.framework, "name": f.name, "version": f.version, "summary": f.summary,
                "cells": cells, "gaps": gaps,
            })
        })
        .collect();

    let activities = &model.settings.activities;
    // Each asset's RACI is resolved once, for its row of the asset table and
    // for the load of its teams.
    let mut load: HashMap<&str, Load> = HashMap::new();
    let assets: Vec<AssetRow> = resolved
        .assets
        .iter()
        .map(|r| {
            let raci = r.raci();
            if let Some(a) = &r.asset.owners.accountable {
                load.entry(a.value.as_str()).or_default().accountable += 1;
            }
            for (i, row) in raci.iter().enumerate() {
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
            asset_row(model, r, &raci)
        })
        .collect();
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
                "assets": resolved.applies.get(c.id.value.as_str()).map_or(0, |s| s.len()),
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

    let findings: Vec<FindingRow> = model
        .findings
        .values()
        .filter(|f| f.status.value == FindingStatus::Open)
        .map(|f| FindingRow {
            id: f.id.value.0.clone(),
            asset: f.asset.value.0.clone(),
            control: f.control.value.0.clone(),
            severity: f.severity.name(),
            opened: f.opened.value.to_string(),
            retest_by: f.retest_by.as_ref().map(|d| d.value.to_string()),
            owner: model
                .assets
                .get(&f.asset.value)
                .and_then(|a| a.owners.accountable.as_ref())
                .map(|t| t.value.0.clone()),
        })
        .collect();
    let escalations: Vec<EscalationRow> = escalate::flat(escalate::groups(outcome))
        .into_iter()
        .map(|(team, i)| EscalationRow {
            team: team.to_string(),
            role: i.role.name(),
            code: i.code.name(),
            severity: i.severity.name(),
            about: escalate::human::about(&i),
            when: escalate::human::when(&i),
            overdue: i.overdue_days > 0,
            message: plain(&i.message),
            inform: i.inform,
        })
        .collect();
    let problems: Vec<ProblemRow> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Error)
        .map(|d| {
            let at = Position::of(&outcome.sources, d.span);
            ProblemRow {
                code: d.code.name(),
                severity: d.severity.name(),
                message: plain(&d.message),
                file: at.file.to_string(),
                line: at.line,
            }
        })
        .collect();
    let totals = coverage.iter().fold([0usize; 3], |t, f| {
        [
            t[0] + f.summary.covered,
            t[1] + f.summary.partial,
            t[2] + f.summary.gaps,
        ]
    });
    let open_findings = findings.len();
    let small = json!({
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
            "findings": model.findings.len(), "open_findings": open_findings,
        },
        "frameworks": frameworks,
        "teams": teams,
        "controls": controls,
        "exceptions": exceptions,
        "activities": model.settings.activities.iter().map(|a| json!({"id": a.id, "title": a.title})).collect::<Vec<_>>(),
    });
    let Value::Object(small) = small else {
        unreachable!("the context is an object")
    };
    // The long lists are made row by row as the page is rendered.
    let long = [
        ("assets", Rows::value(assets)),
        ("findings", Rows::value(findings)),
        ("escalations", Rows::value(escalations)),
        ("problems", Rows::value(problems)),
    ];
    small
        .into_iter()
        .map(|(k, v)| (k, minijinja::Value::from_serialize(v)))
        .chain(long.into_iter().map(|(k, v)| (k.to_string(), v)))
        .collect()
}

/// One asset of the page's list.
#[derive(Debug, Serialize)]
struct AssetRow {
    id: String,
    name: String,
    kind: &'static str,
    environment: &'static str,
    risk: &'static str,
    accountable: Option<String>,
    operator: Option<String>,
    remediation: Option<String>,
    responsible: Vec<String>,
    controls: usize,
    trust: Option<u8>,
    threshold: u8,
    below_threshold: bool,
}

/// One open finding.
#[derive(Debug, Serialize)]
struct FindingRow {
    id: String,
    asset: String,
    control: String,
    severity: &'static str,
    opened: String,
    retest_by: Option<String>,
    owner: Option<String>,
}

/// One escalation item, as `govern escalations` lists it.
#[derive(Debug, Serialize)]
struct EscalationRow {
    team: String,
    role: &'static str,
    code: &'static str,
    severity: &'static str,
    about: String,
    when: String,
    overdue: bool,
    inform: Vec<String>,
    message: String,
}

/// One warning or note, as findings.json holds it.
#[derive(Debug, Serialize)]
struct ProblemRow {
    code: &'static str,
    severity: &'static str,
    message: String,
    file: String,
    line: usize,
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

/// The row of `r` in the asset table, from its RACI.
fn asset_row(model: &Model, r: &ResolvedAsset<'_>, raci: &[Row<'_>]) -> AssetRow {
    let a = r.asset;
    let who = |letter: Letter| -> Vec<String> {
        let mut teams: Vec<String> = raci
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
    let team =
        |t: &Option<crate::source::Sp<crate::model::TeamId>>| t.as_ref().map(|t| t.value.0.clone());
    AssetRow {
        id: a.id.value.0.clone(),
        name: a.name.clone(),
        kind: a.kind.value.name(),
        environment: a.environment.value.name(),
        risk: a.risk.value.name(),
        accountable: team(&a.owners.accountable),
        operator: team(&a.owners.operator),
        remediation: team(&a.owners.remediation),
        responsible: who(Letter::R),
        controls: r.controls.len(),
        trust: score,
        threshold,
        below_threshold: score.is_some_and(|s| s < threshold),
    }
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
