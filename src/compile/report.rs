//! The context of `report.html`: coverage per framework, the requirement
//! heat map, gaps, owners and their load, RACI, open findings and
//! escalations.

use super::mapping::{FrameworkCoverage, Status};
use super::{Provenance, Resolved};
use crate::check::Outcome;
use crate::diag::{Code, Position, Severity};
use crate::model::raci::Letter;
use crate::model::vocab::FindingStatus;
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
    let busiest = load
        .values()
        .map(|l| l.accountable)
        .max()
        .unwrap_or(0)
        .max(1);
    // Busiest first, so the load that needs attention leads the table.
    let mut ordered: Vec<(&&str, &Load)> = load.iter().collect();
    ordered.sort_by_key(|(id, l)| (std::cmp::Reverse(l.accountable), **id));
    let teams: Vec<Value> = ordered
        .into_iter()
        .map(|(id, l)| {
            let team = model.teams.get(*id);
            let responsible: usize = l.letters.iter().map(|c| c[Letter::R as usize]).sum();
            json!({
                "id": id,
                "name": team.map_or(*id, |t| t.name.as_str()),
                "governance": team.is_some_and(|t| model.is_governance_function(t)),
                "accountable": l.accountable,
                "responsible": responsible,
                "overloaded": l.accountable > max_accountable,
                "bar": l.accountable * 100 / busiest,
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
            json!({
                "id": a.id.value.0, "name": a.name, "kind": a.kind.value.name(),
                "environment": a.environment.value.name(), "risk": a.risk.value.name(),
                "accountable": a.owners.accountable.as_ref().map(|t| t.value.0.clone()),
                "operator": a.owners.operator.as_ref().map(|t| t.value.0.clone()),
                "remediation": a.owners.remediation.as_ref().map(|t| t.value.0.clone()),
                "responsible": who(Letter::R),
                "controls": r.controls.len(),
                "trust": a.trust.as_ref().and_then(|t| t.score.as_ref()).map(|s| s.value),
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
    let escalations: Vec<Value> = outcome
        .diagnostics
        .iter()
        .filter(|d| {
            matches!(
                d.code,
                Code::FindingEscalation | Code::FindingRetestOverdue | Code::TrustBelowThreshold
            )
        })
        .map(|d| {
            let at = Position::of(&outcome.sources, d.span);
            json!({"code": d.code.name(), "message": plain(&d.message), "file": at.file, "line": at.line})
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
        "activities": model.settings.activities.iter().map(|a| json!({"id": a.id, "title": a.title})).collect::<Vec<_>>(),
        "findings": findings,
        "escalations": escalations,
        "problems": problems,
    })
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
