//! Renders a drift [`Report`] as one JSON document: both sides, the
//! changes (each with its commit, or null), check errors and artifact
//! diffs, in the shape of SPEC section 8.

use super::changes::Change;
use super::report::{Report, Side};
use crate::git::CommitInfo;
use serde_json::{json, Value};

fn side(s: &Side) -> Value {
    json!({"rev": s.label, "commit": s.commit.as_ref().map(|c| c.id.clone())})
}

fn change(c: &Change, commit: &Option<CommitInfo>) -> Value {
    json!({
        "kind": c.kind.name(), "severity": c.severity.name(), "asset": c.asset,
        "role": c.role, "before": c.before, "after": c.after, "message": c.message,
        "commit": commit.as_ref().map(|c| json!({"id": c.id, "author": c.author, "date": c.date, "subject": c.subject})),
    })
}

/// Renders `report` as pretty-printed JSON followed by a newline.
pub fn render(report: &Report) -> String {
    let changes: Vec<Value> = report
        .changes
        .iter()
        .zip(&report.blame)
        .map(|(c, b)| change(c, b))
        .collect();
    let errors: Vec<Value> = report
        .errors()
        .into_iter()
        .map(|e| json!({"side": e.side, "error": e.error}))
        .collect();
    let artifacts: Vec<Value> = report
        .artifacts
        .iter()
        .map(|a| json!({"path": a.path, "diff": a.diff}))
        .collect();
    let mut text = serde_json::to_string_pretty(&json!({
        "from": side(&report.from), "to": side(&report.to), "changes": changes,
        "errors": errors, "artifacts": artifacts,
    }))
    .expect("JSON values always serialize");
    text.push('\n');
    text
}
