//! Renders diagnostics as the JSON array of SPEC section 8, the shape
//! `check --format json` prints and `findings.json` holds. The array is
//! written one diagnostic at a time: a large baseline has hundreds of
//! thousands, and their tree would take many times the text's memory.
//!
//! [`write_summary`] wraps the same array in an object with the counts
//! (`check --format json --summary`), so a script reads them without
//! counting.

use super::{Diagnostic, Position, Tally};
use crate::source::SourceMap;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Writes `diagnostics` into `w` as pretty JSON followed by a newline.
pub fn write<'d>(
    w: &mut dyn Write,
    sources: &SourceMap,
    diagnostics: impl IntoIterator<Item = &'d Diagnostic>,
) -> io::Result<()> {
    pretty_array(w, 0, diagnostics.into_iter().map(|d| one(sources, d)))?;
    w.write_all(b"\n")
}

/// Writes `{"errors", "warnings", "infos", "by_code", "diagnostics"}` into
/// `w` followed by a newline: the counts by severity, the count of each code
/// found (by code name), and the array of [`write`].
pub fn write_summary(
    w: &mut dyn Write,
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
) -> io::Result<()> {
    let tally = Tally::of(diagnostics);
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    for d in diagnostics {
        *by_code.entry(d.code.name()).or_default() += 1;
    }
    let head = json!({
        "errors": tally.errors,
        "warnings": tally.warnings,
        "infos": tally.infos,
        "by_code": by_code,
        "diagnostics": [],
    });
    let text = serde_json::to_string_pretty(&head).map_err(io::Error::from)?;
    // The empty array, the last key, is where the diagnostics stream in.
    let at = text.len() - "[]\n}".len();
    w.write_all(&text.as_bytes()[..at])?;
    pretty_array(w, 1, diagnostics.iter().map(|d| one(sources, d)))?;
    w.write_all(b"\n}\n")
}

/// Writes the items as a pretty JSON array, byte for byte what
/// `serde_json::to_string_pretty` writes for the array, as if it sat
/// `depth` levels deep in a larger pretty document. Only one item's tree is
/// held at a time.
pub(crate) fn pretty_array(
    w: &mut dyn Write,
    depth: usize,
    items: impl Iterator<Item = Value>,
) -> io::Result<()> {
    let outer = "  ".repeat(depth);
    // An item's own lines are indented one level below the array's.
    let inner = format!("\n{outer}  ");
    let mut any = false;
    let mut text = Vec::new();
    for item in items {
        w.write_all(if any { b",\n" } else { b"[\n" })?;
        any = true;
        text.clear();
        serde_json::to_writer_pretty(&mut text, &item).map_err(io::Error::from)?;
        w.write_all(&inner.as_bytes()[1..])?;
        // Pretty JSON escapes every newline inside a string, so each raw
        // newline starts a line of the item.
        for (i, line) in text.split(|b| *b == b'\n').enumerate() {
            if i > 0 {
                w.write_all(inner.as_bytes())?;
            }
            w.write_all(line)?;
        }
    }
    if any {
        write!(w, "\n{outer}]")
    } else {
        w.write_all(b"[]")
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Code, Severity};
    use crate::source::Span;

    #[test]
    fn the_summary_counts_and_holds_the_array_as_serde_json_writes_it() {
        let mut sources = SourceMap::new();
        let file = sources.add("governance/a.toml", "[[asset]]\nid = 1\n");
        let mut warning = Diagnostic::new(Code::MissingOwner, Span::new(file, 0..9), "w");
        warning.severity = Severity::Warning;
        let diagnostics = [
            Diagnostic::new(Code::ParseError, Span::new(file, 15..16), "e\"1"),
            Diagnostic::new(Code::ParseError, Span::new(file, 10..12), "e2"),
            warning,
        ];
        for n in 0..=diagnostics.len() {
            let some = &diagnostics[..n];
            let mut out = Vec::new();
            write_summary(&mut out, &sources, some).unwrap();
            let text = String::from_utf8(out).unwrap();
            let value: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(text, serde_json::to_string_pretty(&value).unwrap() + "\n");
            let mut array = Vec::new();
            write(&mut array, &sources, some).unwrap();
            let array: Value = serde_json::from_slice(&array).unwrap();
            assert_eq!(value["diagnostics"], array, "{n} diagnostics");
            if n == 3 {
                assert_eq!(value["errors"], 2);
                assert_eq!(value["warnings"], 1);
                assert_eq!(value["infos"], 0);
                assert_eq!(
                    value["by_code"],
                    json!({"missing-owner": 1, "parse-error": 2})
                );
            }
        }
    }

    #[test]
    fn a_streamed_array_is_what_serde_json_writes_for_the_whole_tree() {
        let items = [
            json!({"a": 1, "b": [1, 2, {"c": "line\nbreak"}], "d": {}, "e": []}),
            json!("text"),
            json!([]),
            json!({"nested": {"deeper": [true, null]}}),
        ];
        for n in 0..=items.len() {
            let slice = &items[..n];
            for depth in 0..3 {
                // The array as the value of a key `depth` objects deep.
                let mut whole = Value::Array(slice.to_vec());
                for _ in 0..depth {
                    whole = json!({ "k": whole });
                }
                let expected = serde_json::to_string_pretty(&whole).unwrap();
                let mut array = Vec::new();
                pretty_array(&mut array, depth, slice.iter().cloned()).unwrap();
                let array = String::from_utf8(array).unwrap();
                let mut streamed = String::new();
                for d in 0..depth {
                    streamed.push_str(&format!("{{\n{}\"k\": ", "  ".repeat(d + 1)));
                }
                streamed.push_str(&array);
                for d in (0..depth).rev() {
                    streamed.push_str(&format!("\n{}}}", "  ".repeat(d)));
                }
                assert_eq!(streamed, expected, "{n} items at depth {depth}");
            }
        }
    }
}
