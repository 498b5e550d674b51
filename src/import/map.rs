//! The `--map` file: TOML whose keys are either a field's dotted path,
//! giving that field's default for rows that leave it empty or lack its
//! column, or a header, mapped to the field its value names (or left out
//! with `"ignore"`). Every problem names the map file's line and column.

use super::columns::{all_paths, could_be, normalise, Matcher, Target};
use super::report::{at_offset, Problem};
use super::sheet::Cell;
use crate::diag::Code;
use std::collections::HashMap;
use toml::de::{DeTable, DeValue};

/// The value of the `--map` file that leaves a column out.
pub const IGNORE: &str = "ignore";

/// What a `--map` file says.
#[derive(Debug, Default)]
pub struct Map {
    /// A header (normalised) and the target it fills; `None` leaves the
    /// column out.
    pub headers: HashMap<String, Option<usize>>,
    /// A target's default for rows that leave it empty or lack its column,
    /// and where in the map file it is given.
    pub defaults: Vec<(usize, Cell, String)>,
}

/// Reads the map file named `name`. Every problem is pushed, with the line
/// and column of the map file it is at.
pub fn read_map(
    name: &str,
    text: &str,
    targets: &[Target],
    matcher: &Matcher,
) -> (Map, Vec<Problem>) {
    let mut map = Map::default();
    let mut problems = Vec::new();
    let doc = match DeTable::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let at = at_offset(name, text, e.span().map_or(0, |s| s.start));
            problems.push(Problem::error(
                Code::ParseError,
                at,
                format!("the map file is not TOML: {}", e.message()),
            ));
            return (map, problems);
        }
    };
    let mut entries = Vec::new();
    for (key, value) in doc.get_ref() {
        let key_text = key.get_ref().to_string();
        let sub_table = targets
            .iter()
            .any(|t| t.parent.is_some_and(|p| p.key == key_text));
        match value.get_ref() {
            DeValue::Table(table) if sub_table => {
                for (sub, value) in table {
                    entries.push((format!("{key_text}.{}", sub.get_ref()), sub.span(), value));
                }
            }
            _ => entries.push((key_text, key.span(), value)),
        }
    }
    for (key, span, value) in entries {
        let at = at_offset(name, text, span.start);
        if let Some(i) = targets.iter().position(|t| t.path() == key) {
            match default_cell(value.get_ref()) {
                Some(cell) => map.defaults.push((i, cell, at)),
                None => problems.push(
                    Problem::error(
                        Code::InvalidValue,
                        at,
                        format!("the default for `{key}` is not a value a cell can hold"),
                    )
                    .help("give a string, number, boolean, date, or an array of strings"),
                ),
            }
            continue;
        }
        let DeValue::String(field) = value.get_ref() else {
            problems.push(
                Problem::error(
                    Code::UnknownField,
                    at,
                    format!("`{key}` is neither a field nor mapped to one by a string"),
                )
                .help(format!(
                    "a field's default uses its dotted path ({}); a header is mapped with \
                     \"{key}\" = \"<field>\" or \"{key}\" = \"{IGNORE}\"",
                    examples(targets)
                )),
            );
            continue;
        };
        let target = if field.as_ref() == IGNORE {
            None
        } else if let Some(i) = matcher.find(field) {
            Some(i)
        } else {
            let mut problem = Problem::error(
                Code::UnknownField,
                at,
                format!("the header `{key}` is mapped to `{field}`, which names no field"),
            );
            problem = match could_be(field, targets).as_slice() {
                [] => problem.help(format!("the fields are {}", all_paths(targets))),
                close => problem.help(format!("it could be {}", close.join(", "))),
            };
            problems.push(problem);
            continue;
        };
        map.headers.insert(normalise(&key), target);
    }
    (map, problems)
}

fn examples(targets: &[Target]) -> String {
    let top = targets
        .iter()
        .find(|t| t.parent.is_none())
        .map(Target::path);
    let nested = targets
        .iter()
        .find(|t| t.parent.is_some())
        .map(Target::path);
    [top, nested]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
}

/// A map file's default as a cell; arrays become one item per line.
fn default_cell(value: &DeValue<'_>) -> Option<Cell> {
    Some(match value {
        DeValue::String(s) => Cell::Text(s.to_string()),
        DeValue::Integer(i) => Cell::Int(i64::from_str_radix(i.as_str(), i.radix()).ok()?),
        DeValue::Float(f) => Cell::Float(f.as_str().replace('_', "").parse().ok()?),
        DeValue::Boolean(b) => Cell::Bool(*b),
        DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
            let d = dt.date?;
            Cell::Date(jiff::civil::Date::new(d.year as i16, d.month as i8, d.day as i8).ok()?)
        }
        DeValue::Array(items) => {
            let mut lines = Vec::new();
            for item in items {
                match item.get_ref() {
                    DeValue::String(s) => lines.push(s.to_string()),
                    _ => return None,
                }
            }
            Cell::Text(lines.join("\n"))
        }
        _ => return None,
    })
}
