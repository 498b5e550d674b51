//! `govern explain ASSET`: one asset whole: owners, RACI, the controls that
//! apply with their framework references, exceptions, findings and tools.

use super::format::Format;
use super::{CommandError, Exit, Global};
use crate::model::{raci, Asset, Model};
use serde_json::{json, Value};
use std::fmt::Write;

/// Show one asset whole: owners, RACI, controls, exceptions, findings, tools
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The asset id
    pub asset: String,
}

pub fn run(global: &Global, args: &Args) -> Result<Exit, CommandError> {
    let outcome = super::check::load_and_check(global)?;
    let model = &outcome.model;
    let known = model.assets.keys().map(|k| k.as_str());
    super::names::require("asset", &args.asset, "", known)?;
    let asset = &model.assets[args.asset.as_str()];
    let problems: Vec<String> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.message.contains(&format!("`{}`", asset.id.value)))
        .map(|d| format!("{}[{}]: {}", d.severity.name(), d.code, d.message))
        .collect();
    let file = outcome.sources.name(asset.file).to_string();
    match global.format {
        Format::Json | Format::Sarif => {
            let mut value = to_json(model, asset);
            value["file"] = json!(file);
            value["problems"] = json!(problems);
            let text =
                serde_json::to_string_pretty(&value).map_err(|e| CommandError::environment(&e))?;
            super::out::stdout(format_args!("{text}\n"))?;
        }
        Format::Human | Format::Markdown | Format::Pem => {
            super::out::stdout(to_text(model, asset, &file, &problems))?
        }
    }
    Ok(Exit::Success)
}

fn team_label(model: &Model, id: &str) -> String {
    match model.teams.get(id) {
        Some(t) if t.name != id => format!("{id} ({})", t.name),
        _ => id.to_string(),
    }
}

fn to_text(model: &Model, asset: &Asset, file: &str, problems: &[String]) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "{}: {}", asset.id.value, asset.name);
    let _ = writeln!(
        w,
        "  {} in {}, risk {}, declared in {file}",
        asset.kind.value, asset.environment.value, asset.risk.value
    );
    if let Some(d) = &asset.description {
        let _ = writeln!(w, "  {d}");
    }
    if !asset.depends_on.is_empty() {
        let deps: Vec<&str> = asset.depends_on.iter().map(|d| d.value.as_str()).collect();
        let _ = writeln!(w, "  depends on {}", deps.join(", "));
    }
    let _ = writeln!(w, "\nOwners");
    for (role, team) in asset.owners.named() {
        let _ = writeln!(w, "  {role:<12} {}", team_label(model, &team.value.0));
    }
    if let Some(a) = &asset.owners.attested {
        let _ = writeln!(w, "  {:<12} {}", "attested", a.value);
    }
    if let Some(i) = &asset.identity {
        let _ = writeln!(w, "\nIdentity");
        if let Some(t) = &i.kind {
            let _ = writeln!(w, "  type         {}", t.value);
        }
        if let Some(s) = &i.spiffe_id {
            let _ = writeln!(w, "  spiffe-id    {}", s.value);
        }
        if let Some(t) = &i.max_ttl {
            let _ = writeln!(w, "  max-ttl      {}", t.value);
        }
    }
    if let Some(score) = asset.trust.as_ref().and_then(|t| t.score.as_ref()) {
        let threshold = asset
            .trust
            .as_ref()
            .and_then(|t| t.threshold.as_ref())
            .map_or(model.settings.policy.trust_threshold, |t| t.value);
        let _ = writeln!(
            w,
            "\nTrust\n  score {} (threshold {threshold})",
            score.value
        );
    }
    if !asset.tools.is_empty() {
        let _ = writeln!(w, "\nTools");
        for t in &asset.tools {
            let _ = writeln!(
                w,
                "  {:<24} {:<6} {}",
                t.id.value, t.access.value, t.decision.value
            );
        }
    }
    let _ = writeln!(w, "\nRACI");
    for row in raci::resolve(model, asset) {
        let cells: Vec<String> = row
            .cells
            .iter()
            .map(|c| format!("{} {}", c.letters_text(), c.team))
            .collect();
        let _ = writeln!(w, "  {:<28} {}", row.activity.id, cells.join(", "));
    }
    let controls: Vec<_> = model.controls_for(asset).collect();
    let _ = writeln!(w, "\nControls ({} apply)", controls.len());
    for c in controls {
        let refs: Vec<String> = c
            .maps_to
            .iter()
            .map(|m| match m.coverage {
                crate::model::vocab::Coverage::Full => m.target.to_string(),
                crate::model::vocab::Coverage::Partial => format!("{} (partial)", m.target),
            })
            .collect();
        let owner = c.owner.as_ref().map_or("nobody", |o| o.value.as_str());
        let _ = writeln!(w, "  {}  {} [owner {owner}]", c.id.value, c.title);
        if !refs.is_empty() {
            let _ = writeln!(w, "      maps to {}", refs.join(", "));
        }
        if !c.enforce.is_empty() {
            let checks: Vec<&str> = c.enforce.iter().map(|e| e.name()).collect();
            let _ = writeln!(w, "      enforces {}", checks.join(", "));
        }
    }
    let exceptions: Vec<_> = model.exceptions_for(&asset.id.value).collect();
    if !exceptions.is_empty() {
        let _ = writeln!(w, "\nExceptions");
        for e in exceptions {
            let _ = writeln!(
                w,
                "  {}  {} until {}, approved by {}",
                e.id.value, e.control.value, e.expires.value, e.approved_by.value
            );
        }
    }
    let findings: Vec<_> = model
        .findings
        .values()
        .filter(|f| f.asset.value == asset.id.value)
        .collect();
    if !findings.is_empty() {
        let _ = writeln!(w, "\nFindings");
        for f in findings {
            let _ = writeln!(
                w,
                "  {}  {} {} {}, opened {}",
                f.id.value, f.status.value, f.severity, f.control.value, f.opened.value
            );
        }
    }
    if !problems.is_empty() {
        let _ = writeln!(w, "\nProblems");
        for p in problems {
            let _ = writeln!(w, "  {p}");
        }
    }
    out
}

fn to_json(model: &Model, asset: &Asset) -> Value {
    let owners: serde_json::Map<String, Value> =
        asset
            .owners
            .named()
            .into_iter()
            .fold(serde_json::Map::new(), |mut m, (role, team)| {
                let id = json!(team.value.0);
                match m.get_mut(role) {
                    Some(Value::Array(list)) => list.push(id),
                    _ if role == "reviewers" => {
                        m.insert(role.into(), json!([id]));
                    }
                    _ => {
                        m.insert(role.into(), id);
                    }
                }
                m
            });
    let raci: Vec<Value> = raci::resolve(model, asset)
        .into_iter()
        .map(|row| {
            let cells: Vec<Value> = row
                .cells
                .iter()
                .map(|c| json!({"team": c.team.0, "letters": c.letters_text()}))
                .collect();
            json!({"activity": row.activity.id, "cells": cells})
        })
        .collect();
    let controls: Vec<Value> = model
        .controls_for(asset)
        .map(|c| {
            let refs: Vec<Value> = c
                .maps_to
                .iter()
                .map(|m| json!({"ref": m.target.to_string(), "coverage": m.coverage.name()}))
                .collect();
            json!({"id": c.id.value.0, "title": c.title, "owner": c.owner.as_ref().map(|o| &o.value.0), "maps_to": refs})
        })
        .collect();
    let tools: Vec<Value> = asset
        .tools
        .iter()
        .map(|t| json!({"id": t.id.value, "access": t.access.value.name(), "decision": t.decision.value.name()}))
        .collect();
    let exceptions: Vec<Value> = model
        .exceptions_for(&asset.id.value)
        .map(|e| json!({"id": e.id.value.0, "control": e.control.value.0, "expires": e.expires.value.to_string(), "approved_by": e.approved_by.value.0}))
        .collect();
    let findings: Vec<Value> = model
        .findings
        .values()
        .filter(|f| f.asset.value == asset.id.value)
        .map(|f| json!({"id": f.id.value.0, "control": f.control.value.0, "status": f.status.value.name(), "severity": f.severity.name(), "opened": f.opened.value.to_string()}))
        .collect();
    json!({
        "id": asset.id.value.0,
        "name": asset.name,
        "kind": asset.kind.value.name(),
        "environment": asset.environment.value.name(),
        "risk": asset.risk.value.name(),
        "owners": owners,
        "raci": raci,
        "controls": controls,
        "tools": tools,
        "exceptions": exceptions,
        "findings": findings,
    })
}
