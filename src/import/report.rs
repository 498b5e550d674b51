//! The problems of an import, each at the cell (or map-file line) it comes
//! from, and their rendering: `file:Sheet!D17: error[code]: message`, then
//! the help.

use crate::diag::{printable, Code, Severity};

/// One problem of an import, at the place in the sheet or map file a
/// person fixes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// `assets.csv:17:4`, `inventory.xlsx:Assets!D17`, `map.toml:3:1`.
    pub at: String,
    pub help: Option<String>,
    /// Related places: "also at inventory.xlsx:Assets!A4".
    pub notes: Vec<String>,
}

impl Problem {
    /// An error at `at`.
    pub fn error(code: Code, at: String, message: impl Into<String>) -> Self {
        Problem {
            code,
            severity: Severity::Error,
            message: message.into(),
            at,
            help: None,
            notes: Vec::new(),
        }
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a note line.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}

/// Renders `problems` for people, one block each.
pub fn render(problems: &[Problem]) -> String {
    let mut out = String::new();
    for p in problems {
        out.push_str(&format!(
            "{}: {}[{}]: {}\n",
            printable(&p.at),
            p.severity.name(),
            p.code.name(),
            printable(&p.message)
        ));
        for note in &p.notes {
            out.push_str(&format!("  = note: {}\n", printable(note)));
        }
        if let Some(help) = &p.help {
            out.push_str(&format!("  = help: {}\n", printable(help)));
        }
    }
    out
}

/// Names byte `offset` of the file `name` holding `text` as `name:line:column`.
pub fn at_offset(name: &str, text: &str, offset: usize) -> String {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("{name}:{line}:{column}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_names_its_cell_first_and_escapes_what_the_sheet_holds() {
        let p =
            Problem::error(Code::InvalidValue, "a.csv:3:2".into(), "bad \"x\ny\"").help("fix it");
        assert_eq!(
            render(&[p]),
            "a.csv:3:2: error[invalid-value]: bad \"x\\ny\"\n  = help: fix it\n"
        );
    }

    #[test]
    fn offsets_become_lines_and_columns() {
        assert_eq!(at_offset("m.toml", "a = 1\nbb = 2\n", 6), "m.toml:2:1");
        assert_eq!(at_offset("m.toml", "a = 1\nbb = 2\n", 9), "m.toml:2:4");
    }
}
