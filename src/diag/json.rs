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
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Writes `diagnostics` into `w` as pretty JSON followed by a newline.
pub fn write<'d>(
    w: &mut dyn Write,
    sources: &SourceMap,
    diagnostics: impl IntoIterator<Item = &'d Diagnostic>,
) -> io::Result<()> {
    let diagnostics: Vec<&Diagnostic> = diagnostics.into_iter().collect();
    pretty_array(w, 0, &diagnostics, |&d| one(sources, d))?;
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
    let diagnostics: Vec<&Diagnostic> = diagnostics.iter().collect();
    pretty_array(w, 1, &diagnostics, |&d| one(sources, d))?;
    w.write_all(b"\n}\n")
}

/// Writes the items, each made a JSON value by `value` (or anything that
/// serializes as one), as a pretty JSON array: byte for byte what
/// `serde_json::to_string_pretty` writes for the array, as if it sat
/// `depth` levels deep in a larger pretty document. The items are rendered
/// on every thread, a bounded batch at a time ([`crate::stream`]), and
/// written in order: only a batch's text is held, never a tree of them all.
pub(crate) fn pretty_array<T: Sync, V: serde::Serialize>(
    w: &mut dyn Write,
    depth: usize,
    items: &[T],
    value: impl Fn(&T) -> V + Sync,
) -> io::Result<()> {
    if items.is_empty() {
        return w.write_all(b"[]");
    }
    let outer = "  ".repeat(depth);
    // An item's own lines are indented one level below the array's.
    let inner = format!("\n{outer}  ");
    crate::stream::stream(items, CHUNK, w, |first, chunk, out| {
        let mut text = Vec::new();
        for (i, item) in chunk.iter().enumerate() {
            out.extend_from_slice(if first && i == 0 { b"[\n" } else { b",\n" });
            text.clear();
            serde_json::to_writer_pretty(&mut text, &value(item)).map_err(io::Error::from)?;
            out.extend_from_slice(&inner.as_bytes()[1..]);
            // Pretty JSON escapes every newline inside a string, so each
            // raw newline starts a line of the item.
            for (j, line) in text.split(|b| *b == b'\n').enumerate() {
                if j > 0 {
                    out.extend_from_slice(inner.as_bytes());
                }
                out.extend_from_slice(line);
            }
        }
        Ok::<_, io::Error>(())
    })?;
    write!(w, "\n{outer}]")
}

/// Items rendered together by one thread in [`pretty_array`].
const CHUNK: usize = 256;

/// One diagnostic of the array, its fields in the order SPEC section 8
/// lists them, written as it is made: no JSON tree is built for it.
#[derive(Serialize)]
struct One<'d> {
    code: &'static str,
    severity: &'static str,
    message: &'d str,
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    labels: Vec<OneLabel<'d>>,
    help: Option<&'d str>,
}

#[derive(Serialize)]
struct OneLabel<'d> {
    file: String,
    line: usize,
    column: usize,
    message: &'d str,
}

fn one<'d>(sources: &SourceMap, d: &'d Diagnostic) -> One<'d> {
    let at = Position::of(sources, d.span);
    let labels = d
        .labels
        .iter()
        .map(|l| {
            let p = Position::of(sources, l.span);
            OneLabel {
                file: p.file,
                line: p.line,
                column: p.column,
                message: &l.message,
            }
        })
        .collect();
    One {
        code: d.code.name(),
        severity: d.severity.name(),
        message: &d.message,
        file: at.file,
        line: at.line,
        column: at.column,
        end_line: at.end_line,
        end_column: at.end_column,
        labels,
        help: d.help.as_deref(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Code, Severity};
    use crate::source::Span;
    use serde_json::Value;

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
                // A diagnostic without help says so: the key is there, null.
                let first = value["diagnostics"][0].as_object().unwrap();
                assert_eq!(first.get("help"), Some(&Value::Null));
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
    fn an_array_of_many_batches_is_what_serde_json_writes() {
        // More items than one batch holds, on any number of threads, and a
        // count that leaves a short last chunk.
        let batch = crate::stream::batch(CHUNK);
        let items: Vec<Value> = (0..batch * 2 + CHUNK + 3)
            .map(|i| json!({"n": i, "text": format!("item\n{i}"), "list": [i, {"deep": i}]}))
            .collect();
        let mut array = Vec::new();
        pretty_array(&mut array, 1, &items, Value::clone).unwrap();
        let whole = serde_json::to_string_pretty(&json!({ "k": items })).unwrap();
        let streamed = format!("{{\n  \"k\": {}\n}}", String::from_utf8(array).unwrap());
        assert!(streamed == whole);
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
                pretty_array(&mut array, depth, slice, Value::clone).unwrap();
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
