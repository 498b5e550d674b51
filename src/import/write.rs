//! Records -> one declaration file in canonical form, and, per line of it,
//! the record and value it came from.
//!
//! Canonical form, the one `govern fmt` keeps ([`crate::fmt`]): a comment
//! header naming the source, then one `[[kind]]` table per record in sheet
//! order; its plain keys in field-table order, then each sub-table
//! (`[asset.owners]`) in field-table order with its keys in theirs; one
//! space around `=`; strings as basic strings in double quotes, or
//! multi-line ones when they hold a line break, as `govern fmt` writes
//! them; dates,
//! integers and booleans bare; an array on one line when the line fits in
//! [`WIDTH`] bytes, else one item a line, indented two spaces, with a
//! trailing comma; one blank line between tables; one newline at the end.
//! A test holds every file an import writes to be one `govern fmt` leaves
//! as it is.

use super::columns::Target;
use super::rows::{Record, Value};
/// The widest line an array is kept on, as `govern fmt` keeps it.
pub const WIDTH: usize = crate::fmt::canonical::WIDTH;

/// The indent of an array's items when it takes a line each.
const INDENT: &str = crate::fmt::canonical::INDENT;

/// Where a line of the written file came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The header comment or a blank line.
    Nothing,
    /// A record's table header.
    Record(usize),
    /// One value of a record: its record and entry index.
    Entry(usize, usize),
}

/// A written declaration file.
#[derive(Debug)]
pub struct Written {
    pub text: String,
    /// Per line, 0-based, where it came from.
    pub lines: Vec<Origin>,
    /// Per line, the byte offset it starts at.
    starts: Vec<usize>,
}

impl Written {
    /// Returns where the line holding byte `offset` came from.
    pub fn origin(&self, offset: usize) -> Origin {
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        self.lines.get(line).copied().unwrap_or(Origin::Nothing)
    }

    /// Appends `text` and a newline; every line of a value that spans
    /// several (a multi-line string) comes from the same origin.
    fn line(&mut self, text: &str, origin: Origin) {
        let start = self.text.len();
        self.starts.push(start);
        self.lines.push(origin);
        for (i, _) in text.match_indices('\n') {
            self.starts.push(start + i + 1);
            self.lines.push(origin);
        }
        self.text.push_str(text);
        self.text.push('\n');
    }
}

/// Encodes `text` as a TOML string, quoted as `govern fmt` quotes it: a
/// basic string on one line, or a multi-line one when it holds a line
/// break, which fmt keeps as written.
pub fn string(text: &str) -> String {
    match text.contains('\n') {
        true => toml_edit::Value::from(text).to_string(),
        false => crate::fmt::canonical::basic(text),
    }
}

/// The first line of every file an import writes from `file` (and
/// `sheet`): the overwrite guard compares it. Names are quoted on one line,
/// so that no file name can end the comment.
pub fn first_line(file: &str, sheet: Option<&str>) -> String {
    let string = crate::fmt::canonical::basic;
    match sheet {
        Some(sheet) => format!(
            "# Written by `govern import` from {}, sheet {}.",
            string(file),
            string(sheet)
        ),
        None => format!("# Written by `govern import` from {}.", string(file)),
    }
}

/// Writes `records` as `[[table]]` tables, with the header naming `file`
/// and `sheet`.
pub fn write(
    file: &str,
    sheet: Option<&str>,
    table: &str,
    targets: &[Target],
    records: &[Record],
) -> Written {
    let mut out = Written {
        text: String::new(),
        lines: Vec::new(),
        starts: Vec::new(),
    };
    out.line(&first_line(file, sheet), Origin::Nothing);
    out.line(
        "# `govern import` may rewrite it: change the sheet and import it again.",
        Origin::Nothing,
    );
    let mut parents: Vec<&'static str> = Vec::new();
    for t in targets {
        if let Some(p) = t.parent {
            if !parents.contains(&p.key) {
                parents.push(p.key);
            }
        }
    }
    for (r, record) in records.iter().enumerate() {
        out.line("", Origin::Nothing);
        out.line(&format!("[[{table}]]"), Origin::Record(r));
        let top = record
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| targets[e.target].parent.is_none());
        for (i, entry) in top {
            key_value(
                &mut out,
                targets[entry.target].field.key,
                &entry.value,
                Origin::Entry(r, i),
            );
        }
        for parent in &parents {
            let mut inside = record
                .entries
                .iter()
                .enumerate()
                .filter(|(_, e)| targets[e.target].parent.is_some_and(|p| p.key == *parent))
                .peekable();
            if inside.peek().is_none() {
                continue;
            }
            out.line("", Origin::Nothing);
            out.line(&format!("[{table}.{parent}]"), Origin::Record(r));
            for (i, entry) in inside {
                key_value(
                    &mut out,
                    targets[entry.target].field.key,
                    &entry.value,
                    Origin::Entry(r, i),
                );
            }
        }
    }
    out
}

fn key_value(out: &mut Written, key: &str, value: &Value, origin: Origin) {
    let one = match value {
        Value::Str(s) => string(s),
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Date(d) => d.to_string(),
        Value::List(items) => {
            let items: Vec<String> = items.iter().map(|s| string(s)).collect();
            let line = format!("{key} = [{}]", items.join(", "));
            if line.len() <= WIDTH {
                out.line(&line, origin);
            } else {
                out.line(&format!("{key} = ["), origin);
                for item in items {
                    out.line(&format!("{INDENT}{item},"), origin);
                }
                out.line("]", origin);
            }
            return;
        }
    };
    out.line(&format!("{key} = {one}"), origin);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::rows::{Entry, From};
    use crate::load::format::{asset, owners};

    fn target(
        field: &'static crate::load::format::Field,
        parent: Option<&'static crate::load::format::Field>,
    ) -> Target {
        Target { field, parent }
    }

    #[test]
    fn a_record_is_written_as_govern_fmt_keeps_it() {
        let targets = [
            target(&asset::ID, None),
            target(&asset::NAME, None),
            target(&asset::DESCRIPTION, None),
            target(&asset::TAGS, None),
            target(&owners::ACCOUNTABLE, Some(&asset::OWNERS)),
            target(&owners::REVIEWERS, Some(&asset::OWNERS)),
        ];
        let long: Vec<String> = (0..12).map(|i| format!("reviewing-team-{i}")).collect();
        let entry = |target, value| Entry {
            target,
            value,
            from: From::Column(target),
        };
        let record = Record {
            row: 0,
            entries: vec![
                entry(0, Value::Str("bot".into())),
                entry(1, Value::Str("bot \"one\"".into())),
                entry(2, Value::Str("two\nlines".into())),
                entry(3, Value::List(vec!["a".into(), "b".into()])),
                entry(4, Value::Str("payments".into())),
                entry(5, Value::List(long)),
            ],
        };
        let written = write("a\"\nb.csv", None, "asset", &targets, &[record]);
        let text = &written.text;
        assert!(
            text.starts_with("# Written by `govern import` from \"a\\\"\\nb.csv\".\n# "),
            "{text}"
        );
        assert!(
            text.contains("\n\n[[asset]]\nid = \"bot\"\nname = \"bot \\\"one\\\"\"\n"),
            "{text}"
        );
        assert!(text.contains("\ntags = [\"a\", \"b\"]\n\n[asset.owners]\naccountable = \"payments\"\nreviewers = [\n  \"reviewing-team-0\",\n"), "{text}");
        assert!(text.ends_with("  \"reviewing-team-11\",\n]\n"), "{text}");
        assert_eq!(
            crate::fmt::format(text, false).unwrap(),
            *text,
            "govern fmt changes it"
        );
        // Lines after a multi-line string still name their own values.
        assert_eq!(
            written.origin(text.find("tags =").unwrap()),
            Origin::Entry(0, 3)
        );
        assert_eq!(
            written.origin(text.find("lines").unwrap()),
            Origin::Entry(0, 2)
        );
        let reviewers = text.find("reviewing-team-3").unwrap();
        assert_eq!(written.origin(reviewers), Origin::Entry(0, 5));
        assert_eq!(
            written.origin(text.find("[[asset]]").unwrap()),
            Origin::Record(0)
        );
        let parsed: toml::Table = toml::from_str(text).unwrap();
        let asset = &parsed["asset"][0];
        assert_eq!(asset["description"].as_str(), Some("two\nlines"));
        assert_eq!(asset["owners"]["reviewers"].as_array().unwrap().len(), 12);
    }
}
