//! Renders the changes of a drift [`Report`] as SARIF 2.1.0 for GitHub
//! code scanning, inside the envelope of [`crate::diag::sarif::log`].
//!
//! Every result has a location with a line: the declaration on the `to`
//! side, or for what is gone the file and line on the `from` side, which the
//! message then names with its revision. A change that points at no file of
//! the repository (a built-in framework's coverage under the default
//! frameworks) points at governance.toml.

use super::changes::{At, Change, Kind, Severity, Side};
use super::report::Report;
use crate::diag::sarif::{location, log};
use crate::diag::Position;
use crate::source::SourceMap;
use serde_json::{json, Value};

/// Renders the changes of `report` as a SARIF log followed by a newline.
pub fn render(report: &Report, version: &str) -> String {
    let sides = Sides {
        from: &report.from.outcome.sources,
        to: &report.to.outcome.sources,
        from_rev: &report.from.label,
    };
    let rules: Vec<Value> = Kind::ALL.iter().map(|k| rule(*k)).collect();
    let results: Vec<Value> = report.changes.iter().map(|c| result(&sides, c)).collect();
    log(rules, results, version)
}

/// The sources of both sides of a drift and how to name the earlier one.
struct Sides<'a> {
    from: &'a SourceMap,
    to: &'a SourceMap,
    /// The `from` revision as the user named it (`HEAD~3`).
    from_rev: &'a str,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn rule(kind: Kind) -> Value {
    json!({
        "id": kind.name(),
        "name": kind.name(),
        "shortDescription": {"text": format!("governance drift: {}", kind.summary())},
        "fullDescription": {"text": format!("A {} change between two revisions of the governance repository: {}.", kind.name(), kind.summary())},
        "help": {"text": "See the drift section of govern's README."},
        "defaultConfiguration": {"level": level(kind.severity())},
    })
}

/// The file and line a change points at, on the side it names.
fn position(sides: &Sides, at: Option<At>) -> Option<(Side, Position)> {
    if let Some(at) = at {
        let sources = match at.side {
            Side::From => sides.from,
            Side::To => sides.to,
        };
        let p = Position::of(sources, at.span);
        if !p.file.starts_with("builtin:") {
            return Some((at.side, p));
        }
    }
    // The settings file on the side that has one, at its first line.
    [(Side::To, sides.to), (Side::From, sides.from)]
        .into_iter()
        .find_map(|(side, sources)| {
            // The shallowest one: controls/governance.toml is no settings file.
            let (_, file) = sources
                .iter()
                .filter(|(_, f)| f.name.rsplit('/').next() == Some("governance.toml"))
                .min_by_key(|(_, f)| f.name.matches('/').count())?;
            Some((
                side,
                Position {
                    file: file.name.clone(),
                    line: 1,
                    column: 1,
                    end_line: 1,
                    end_column: 1,
                },
            ))
        })
}

fn result(sides: &Sides, c: &Change) -> Value {
    let rule_index = Kind::ALL.iter().position(|k| *k == c.kind).unwrap_or(0);
    let at = position(sides, c.at);
    let text = match &at {
        Some((Side::From, p)) => format!(
            "{}; it was declared at {}:{} at {}",
            c.message, p.file, p.line, sides.from_rev
        ),
        _ => c.message.clone(),
    };
    let mut result = json!({
        "ruleId": c.kind.name(),
        "ruleIndex": rule_index,
        "level": level(c.severity),
        "message": {"text": text},
    });
    if let Some((_, p)) = at {
        result["locations"] = json!([location(&p, None)]);
    }
    result
}
