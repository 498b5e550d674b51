//! Renders diagnostics as SARIF 2.1.0 for GitHub code scanning: every code is
//! a rule with short and full descriptions and help; locations use
//! repository-relative URIs.
//!
//! This module writes every SARIF log govern produces: [`log`] is the one
//! envelope and [`location`] the one location shape, which drift's renderer
//! uses too. Each result has a location with a line, as GitHub requires.

use super::{Code, Diagnostic, Position, Severity};
use crate::source::SourceMap;
use serde_json::{json, Value};
use std::io::{self, Write};

/// Writes `diagnostics` into `w` as a SARIF log followed by a newline, one
/// result at a time.
pub fn write<'d>(
    w: &mut dyn Write,
    sources: &SourceMap,
    diagnostics: impl IntoIterator<Item = &'d Diagnostic>,
    version: &str,
) -> io::Result<()> {
    let rules: Vec<Value> = Code::ALL.iter().map(|c| rule(*c)).collect();
    let diagnostics: Vec<&Diagnostic> = diagnostics.into_iter().collect();
    write_log(w, rules, &diagnostics, |d| result(sources, d), version)
}

/// Wraps `rules` and `results` in a SARIF 2.1.0 log of one govern run and
/// returns it followed by a newline.
pub fn log(rules: Vec<Value>, results: Vec<Value>, version: &str) -> String {
    let mut out = Vec::new();
    let results: Vec<&Value> = results.iter().collect();
    write_log(&mut out, rules, &results, |v| *v, version).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// Writes the log of [`log`] into `w`, the results rendered in batches.
fn write_log<T: Sync, V: serde::Serialize>(
    w: &mut dyn Write,
    rules: Vec<Value>,
    results: &[T],
    result: impl Fn(&T) -> V + Sync,
    version: &str,
) -> io::Result<()> {
    // The envelope is written with no results; its empty list, the last
    // key of the one run, is where they stream in.
    let envelope = envelope(rules, version);
    let text = serde_json::to_string_pretty(&envelope).map_err(io::Error::from)?;
    let at = text
        .rfind(RESULTS)
        .expect("the envelope has a results list")
        + RESULTS.len()
        - "[]".len();
    w.write_all(&text.as_bytes()[..at])?;
    // `results` is a key of the run, three levels deep.
    crate::diag::json::pretty_array(w, 3, results, result)?;
    w.write_all(&text.as_bytes()[at + "[]".len()..])?;
    w.write_all(b"\n")
}

/// How the envelope's empty results list is written.
const RESULTS: &str = "\"results\": []";

fn envelope(rules: Vec<Value>, version: &str) -> Value {
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "govern",
                "version": version,
                "informationUri": "https://github.com/govern-dev/govern",
                "rules": rules,
            }},
            "originalUriBaseIds": {"SRCROOT": {"description": {"text": "The repository root"}}},
            "results": [],
        }],
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(code: Code) -> Value {
    let kind = if code.is_structural() {
        "A structural problem: always an error."
    } else {
        "A governance rule: its severity can be changed under [rules] in governance.toml."
    };
    json!({
        "id": code.name(),
        "name": code.name(),
        "shortDescription": {"text": code.summary()},
        "fullDescription": {"text": format!("{} ({}).", capitalize(code.summary()), code.name())},
        "help": {
            "text": format!("{} {kind} See the table of diagnostic codes in govern's README.", capitalize(code.summary())),
            "markdown": format!("`{}`: {}. {kind}", code.name(), code.summary()),
        },
        "defaultConfiguration": {"level": level(code.default_severity())},
    })
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Returns a location for `p`: its repository-relative file and its region,
/// with `message` when given.
pub fn location(p: &Position, message: Option<&str>) -> Value {
    let mut loc = json!({
        "physicalLocation": {
            "artifactLocation": {"uri": p.file, "uriBaseId": "SRCROOT"},
            "region": {
                "startLine": p.line, "startColumn": p.column,
                "endLine": p.end_line, "endColumn": p.end_column,
            },
        },
    });
    if let Some(text) = message {
        loc["message"] = json!({"text": text});
    }
    loc
}

fn result(sources: &SourceMap, d: &Diagnostic) -> Value {
    let at = Position::of(sources, d.span);
    let related: Vec<Value> = d
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut loc = location(&Position::of(sources, l.span), Some(&l.message));
            loc["id"] = json!(i + 1);
            loc
        })
        .collect();
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    let rule_index = Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0);
    let mut result = json!({
        "ruleId": d.code.name(),
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": {"text": text},
        "locations": [location(&at, None)],
    });
    if !related.is_empty() {
        result["relatedLocations"] = Value::Array(related);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_results_sit_where_the_whole_tree_puts_them() {
        let rules: Vec<Value> = Code::ALL.iter().take(2).map(|c| rule(*c)).collect();
        for n in [0, 1, 3] {
            let results: Vec<Value> = (0..n)
                .map(|i| json!({"ruleId": "x", "message": {"text": format!("line {i}\nhelp: h")}}))
                .collect();
            let mut whole = envelope(rules.clone(), "1.0");
            whole["runs"][0]["results"] = Value::Array(results.clone());
            let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            assert_eq!(log(rules.clone(), results, "1.0"), expected, "{n} results");
        }
    }
}
