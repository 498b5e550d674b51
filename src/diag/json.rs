//! Renders diagnostics as the JSON array of SPEC section 8, the shape
//! `check --format json` prints and `findings.json` holds.

use super::{Diagnostic, Position};
use crate::source::SourceMap;
use serde_json::{json, Value};

/// Returns the JSON value of `diagnostics`.
pub fn to_value(sources: &SourceMap, diagnostics: &[Diagnostic]) -> Value {
    Value::Array(diagnostics.iter().map(|d| one(sources, d)).collect())
}

/// Renders `diagnostics` as pretty JSON followed by a newline.
pub fn render(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let mut text = serde_json::to_string_pretty(&to_value(sources, diagnostics))
        .expect("JSON values always serialize");
    text.push('\n');
    text
}

fn one(sources: &SourceMap, d: &Diagnostic) -> Value {
    let at = Position::of(sources, d.span);
    let labels: Vec<Value> = d
        .labels
        .iter()
        .map(|l| {
            let p = Position::of(sources, l.span);
            json!({"file": p.file, "line": p.line, "column": p.column, "message": l.message})
        })
        .collect();
    json!({
        "code": d.code.name(),
        "severity": d.severity.name(),
        "message": d.message,
        "file": at.file,
        "line": at.line,
        "column": at.column,
        "end_line": at.end_line,
        "end_column": at.end_column,
        "labels": labels,
        "help": d.help,
    })
}
