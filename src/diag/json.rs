//! Renders diagnostics as the JSON array of SPEC section 8, the shape
//! `check --format json` prints and `findings.json` holds. The array is
//! written one diagnostic at a time: a large baseline has hundreds of
//! thousands, and their tree would take many times the text's memory.

use super::{Diagnostic, Position};
use crate::source::SourceMap;
use serde_json::{json, Value};
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
