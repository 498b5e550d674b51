//! Renders diagnostics as SARIF 2.1.0 for GitHub code scanning: every code is
//! a rule with short and full descriptions and help; locations use
//! repository-relative URIs.
//!
//! This module writes every SARIF log govern produces: [`log`] is the one
//! envelope and [`location`] the one location shape, which drift's renderer
//! uses too. Each result has a location with a line, as GitHub requires.

use super::{Code, Diagnostic, Position, Severity};
use crate::source::SourceMap;
use serde::Serialize;
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
    write_log(w, rules, &diagnostics, |&d| result(sources, d), version)
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
    serde_json::to_value(Location::of(p.clone(), message, None)).expect("a location serializes")
}

/// One SARIF location, its fields in the order the log writes them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'d> {
    physical_location: Physical,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<&'d str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
}

impl<'d> Location<'d> {
    fn of(p: Position, message: Option<&'d str>, id: Option<usize>) -> Self {
        Location {
            physical_location: Physical {
                artifact_location: Artifact {
                    uri: p.file,
                    uri_base_id: "SRCROOT",
                },
                region: Region {
                    start_line: p.line,
                    start_column: p.column,
                    end_line: p.end_line,
                    end_column: p.end_column,
                },
            },
            message: message.map(|text| Text { text }),
            id,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Artifact,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

/// A SARIF message: `{"text": ...}`.
#[derive(Serialize)]
struct Text<T> {
    text: T,
}

/// One SARIF result, written as it is made: no JSON tree is built for it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'d> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text<String>,
    locations: [Location<'d>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'d>>,
}

fn result<'d>(sources: &SourceMap, d: &'d Diagnostic) -> SarifResult<'d> {
    let related = d
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| Location::of(Position::of(sources, l.span), Some(&l.message), Some(i + 1)))
        .collect();
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    SarifResult {
        rule_id: d.code.name(),
        rule_index: Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0),
        level: level(d.severity),
        message: Text { text },
        locations: [Location::of(Position::of(sources, d.span), None, None)],
        related_locations: related,
    }
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
