//! Cells -> typed values: each data row becomes the values of one
//! declaration, typed by its field in [`crate::load::format`].
//!
//! Only what writing needs is decided here: integers, booleans and dates
//! are read from their cells, list fields are split on `;` and newlines,
//! and a vocabulary word is spelt as the vocabulary spells it (`High` ->
//! `high`, `LLM app` -> `llm-app`). Ids, words, durations and handles are
//! written as the sheet gives them and judged by the loader, whose
//! diagnostics are mapped back to the cells.

use super::columns::{Columns, Target};
use super::map::Map;
use super::report::Problem;
use super::sheet::{Cell, Sheet};
use crate::diag::Code;
use crate::load::format::{Need, Ty};
use jiff::civil::Date;

/// A value ready to be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Str(String),
    Int(i64),
    Bool(bool),
    Date(Date),
    List(Vec<String>),
}

/// Where a value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum From {
    /// The sheet's column with this index.
    Column(usize),
    /// The map file's default; its index in [`Map::defaults`].
    Default(usize),
}

/// One value of a declaration.
#[derive(Clone, Debug)]
pub struct Entry {
    pub target: usize,
    pub value: Value,
    pub from: From,
}

/// One declaration: the sheet row it comes from and its values, in target
/// order.
#[derive(Clone, Debug)]
pub struct Record {
    pub row: usize,
    pub entries: Vec<Entry>,
}

/// Returns the text of a cell as a person reads it, or `None` for an
/// empty one.
pub fn plain(cell: &Cell) -> Option<String> {
    Some(match cell {
        Cell::Empty => return None,
        Cell::Text(t) => t.clone(),
        Cell::Int(i) => i.to_string(),
        Cell::Float(f) => whole(*f).map_or_else(|| f.to_string(), |i| i.to_string()),
        Cell::Bool(b) => b.to_string(),
        Cell::Date(d) => d.to_string(),
        Cell::Error(e) => e.clone(),
    })
}

/// Reads every data row of `sheet` into a record. `what` names the kind in
/// messages (`[[asset]]`).
pub fn records(
    sheet: &Sheet,
    targets: &[Target],
    columns: &Columns,
    map: &Map,
    what: &str,
) -> (Vec<Record>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut records = Vec::with_capacity(sheet.rows.len());
    let width = columns.fill.len();
    // A required field no column fills and the map gives no default is
    // missing from every row: said once, at the header row.
    for (i, target) in targets.iter().enumerate() {
        let filled = columns.fill.contains(&Some(i)) || map.defaults.iter().any(|d| d.0 == i);
        if required(target) && !filled && !sheet.rows.is_empty() {
            let key = target.path();
            problems.push(
                Problem::error(
                    Code::MissingField,
                    sheet.address(sheet.header.whole),
                    format!("no column gives `{key}`, which {what} requires"),
                )
                .help(format!(
                    "add a `{key}` column, or give a default in a --map file: {key} = \"...\""
                )),
            );
        }
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let mut entries = Vec::new();
        for (column, cell) in row.cells.iter().enumerate() {
            let at = || sheet.address(row.at[column]);
            if column >= width {
                if !cell.is_blank() {
                    problems.push(
                        Problem::error(Code::UnknownField, at(), "a cell right of the last column")
                            .help("give the column a header, or clear the cell"),
                    );
                }
                continue;
            }
            let Some(target) = columns.fill[column] else {
                continue;
            };
            match typed(cell, &targets[target]) {
                Ok(Some(value)) => entries.push(Entry {
                    target,
                    value,
                    from: From::Column(column),
                }),
                Ok(None) => {}
                Err(problem) => problems.push(problem.at(at())),
            }
        }
        for (i, (target, cell, _)) in map.defaults.iter().enumerate() {
            if entries.iter().any(|e| e.target == *target) {
                continue;
            }
            // A bad default is reported once, below, not once a row.
            if let Ok(Some(value)) = typed(cell, &targets[*target]) {
                entries.push(Entry {
                    target: *target,
                    value,
                    from: From::Default(i),
                });
            }
        }
        for (i, target) in targets.iter().enumerate() {
            let has = entries.iter().any(|e| e.target == i);
            let Some(column) = columns.fill.iter().position(|t| *t == Some(i)) else {
                continue;
            };
            if !required(target) || has {
                continue;
            }
            let key = target.path();
            let at = row.at.get(column).copied().unwrap_or(row.whole);
            problems.push(
                Problem::error(
                    Code::MissingField,
                    sheet.address(at),
                    format!("the row has no `{key}`, which {what} requires"),
                )
                .help(format!(
                    "fill the cell, or give a default in a --map file: {key} = \"...\""
                )),
            );
        }
        entries.sort_by_key(|e| e.target);
        records.push(Record { row: r, entries });
    }
    for (target, cell, at) in &map.defaults {
        if let Err(problem) = typed(cell, &targets[*target]) {
            problems.push(problem.at(at.clone()));
        }
    }
    (records, problems)
}

/// A number a sheet stored as a float, when it is a whole one that an
/// integer holds exactly.
fn whole(f: f64) -> Option<i64> {
    (f.fract() == 0.0 && f.abs() < 1e15).then_some(f as i64)
}

/// Returns true for a top-level field the format requires.
pub(super) fn required(target: &Target) -> bool {
    target.parent.is_none() && target.field.need == Need::Required
}

/// A problem found before its place is known.
struct Bad(Problem);

impl Bad {
    fn new(message: String, help: String) -> Self {
        Bad(Problem::error(Code::InvalidValue, String::new(), message).help(help))
    }

    fn at(mut self, at: String) -> Problem {
        self.0.at = at;
        self.0
    }
}

/// Types one cell for `target`; `None` for an empty cell.
fn typed(cell: &Cell, target: &Target) -> Result<Option<Value>, Bad> {
    let key = target.path();
    if let Cell::Error(shown) = cell {
        return Err(Bad::new(
            format!("`{key}` holds {shown}, not a value"),
            "fix the formula or type the value".into(),
        ));
    }
    let Some(text) = plain(cell) else {
        return Ok(None);
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let value = match target.field.ty {
        Ty::Bool => Value::Bool(boolean(cell, trimmed).ok_or_else(|| {
            Bad::new(
                format!("`{key}` must be true or false, found `{trimmed}`"),
                "write true or false (yes and no are read too)".into(),
            )
        })?),
        Ty::Int { min, max } => Value::Int(integer(cell, trimmed).ok_or_else(|| {
            Bad::new(
                format!("`{key}` must be a whole number, found `{trimmed}`"),
                format!("write a number between {min} and {max}"),
            )
        })?),
        Ty::Date => Value::Date(date(cell, trimmed).ok_or_else(|| {
            Bad::new(
                format!("`{key}` must be a date, found `{trimmed}`"),
                "write an ISO date (2026-12-31) or make the cell a date cell".into(),
            )
        })?),
        Ty::Word(words) => Value::Str(word(trimmed, words)),
        Ty::Words(words) => Value::List(split(trimmed).map(|w| word(w, words)).collect()),
        Ty::Texts | Ty::Ids | Ty::Refs(_) => {
            Value::List(split(trimmed).map(String::from).collect())
        }
        _ => Value::Str(trimmed.to_string()),
    };
    Ok(match value {
        Value::List(items) if items.is_empty() => None,
        value => Some(value),
    })
}

/// Splits a list cell on `;` and line breaks, dropping empty items.
fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split([';', '\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Spells `text` as the vocabulary does when it names one of `words` in
/// another case or punctuation; otherwise leaves it for the loader to
/// judge.
fn word(text: &str, words: &[&str]) -> String {
    let name = super::columns::normalise(text);
    words
        .iter()
        .find(|w| super::columns::normalise(w) == name)
        .map_or_else(|| text.to_string(), |w| w.to_string())
}

fn boolean(cell: &Cell, text: &str) -> Option<bool> {
    if let Cell::Bool(b) = cell {
        return Some(*b);
    }
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" => Some(true),
        "false" | "no" | "n" | "0" => Some(false),
        _ => None,
    }
}

fn integer(cell: &Cell, text: &str) -> Option<i64> {
    match cell {
        Cell::Int(i) => Some(*i),
        Cell::Float(f) => whole(*f),
        _ => text.parse().ok(),
    }
}

/// Reads a date cell, or an ISO date (a time after it is dropped, as a
/// spreadsheet's date-time shows it).
fn date(cell: &Cell, text: &str) -> Option<Date> {
    if let Cell::Date(d) = cell {
        return Some(*d);
    }
    let day = match text.split_once(['T', ' ']) {
        Some((day, _)) => day,
        None => text,
    };
    if day.len() != 10 {
        return None;
    }
    day.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::format::{asset, identity, owners, trust};

    fn target(
        field: &'static crate::load::format::Field,
        parent: Option<&'static crate::load::format::Field>,
    ) -> Target {
        Target { field, parent }
    }

    #[test]
    fn cells_are_typed_by_their_field() {
        let risk = target(&asset::RISK, None);
        let tags = target(&asset::TAGS, None);
        let attested = target(&owners::ATTESTED, Some(&asset::OWNERS));
        let score = target(&trust::SCORE, Some(&asset::TRUST));
        let kind = target(&identity::TYPE, Some(&asset::IDENTITY));
        let v = |c: Cell, t: &Target| typed(&c, t).ok().flatten();
        assert_eq!(
            v(Cell::Text(" High ".into()), &risk),
            Some(Value::Str("high".into()))
        );
        assert_eq!(
            v(Cell::Text("Static secret".into()), &kind),
            Some(Value::Str("static-secret".into()))
        );
        assert_eq!(
            v(Cell::Text("hihg".into()), &risk),
            Some(Value::Str("hihg".into()))
        );
        assert_eq!(
            v(Cell::Text("a; b\nc;;".into()), &tags),
            Some(Value::List(vec!["a".into(), "b".into(), "c".into()]))
        );
        let day = Date::constant(2026, 10, 1);
        assert_eq!(v(Cell::Date(day), &attested), Some(Value::Date(day)));
        assert_eq!(
            v(Cell::Text("2026-10-01".into()), &attested),
            Some(Value::Date(day))
        );
        assert_eq!(
            v(Cell::Text("2026-10-01T00:00:00".into()), &attested),
            Some(Value::Date(day))
        );
        assert!(typed(&Cell::Text("01/10/2026".into()), &attested).is_err());
        assert_eq!(v(Cell::Float(64.0), &score), Some(Value::Int(64)));
        assert!(typed(&Cell::Float(64.5), &score).is_err());
        assert!(typed(&Cell::Text("lots".into()), &score).is_err());
        assert_eq!(v(Cell::Text("  ".into()), &risk), None);
        assert!(typed(&Cell::Error("the error #N/A".into()), &risk).is_err());
    }
}
