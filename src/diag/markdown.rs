//! Renders diagnostics as Markdown for a CI job summary or a pull-request
//! comment: the counts by severity, a table by code, then the diagnostics
//! grouped by file, each a table row with its line, help and related
//! declarations.
//!
//! The summary comes first, so a summary cut to the size a comment allows
//! still gives the counts. Declared text is escaped for its table cell.

use super::{Diagnostic, Position, Severity, Tally};
use crate::markdown::{cell, code};
use crate::source::SourceMap;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Renders `diagnostics`, under a heading with their counts and `scope` (what
/// was checked) below it.
pub fn render(sources: &SourceMap, diagnostics: &[Diagnostic], scope: &str) -> String {
    let mut w = String::new();
    let tally = Tally::of(diagnostics);
    let _ = writeln!(w, "## govern check: {}\n", tally);
    if let Some(rev) = sources.revision() {
        let _ = writeln!(w, "Declarations at {}.\n", code(&rev.to_string()));
    }
    if !scope.is_empty() {
        let _ = writeln!(w, "{}\n", cell(scope));
    }
    if diagnostics.is_empty() {
        return w;
    }
    let mut by_code: BTreeMap<(std::cmp::Reverse<Severity>, &str), usize> = BTreeMap::new();
    for d in diagnostics {
        *by_code
            .entry((std::cmp::Reverse(d.severity), d.code.name()))
            .or_default() += 1;
    }
    let _ = writeln!(w, "| Code | Severity | Count |\n|---|---|---:|");
    for ((severity, name), n) in &by_code {
        let _ = writeln!(w, "| `{name}` | {} | {n} |", severity.0.name());
    }
    // Diagnostics come sorted by file, so each file's run is contiguous.
    let mut file = None;
    for d in diagnostics {
        let at = Position::of(sources, d.span);
        if file.as_ref() != Some(&at.file) {
            let _ = writeln!(w, "\n### {}\n", code(&at.file));
            let _ = writeln!(
                w,
                "| Line | Severity | Code | Message |\n|---:|---|---|---|"
            );
            file = Some(at.file.clone());
        }
        let _ = writeln!(
            w,
            "| {}:{} | **{}** | `{}` | {} |",
            at.line,
            at.column,
            d.severity.name(),
            d.code.name(),
            details(sources, d)
        );
    }
    w
}

/// The message cell of `d`: its message, its related declarations and its
/// help, one to a line.
fn details(sources: &SourceMap, d: &Diagnostic) -> String {
    let mut parts = vec![cell(&d.message)];
    for l in &d.labels {
        let p = Position::of(sources, l.span);
        parts.push(format!(
            "{}: {}",
            cell(&code(&format!("{}:{}:{}", p.file, p.line, p.column))),
            cell(&l.message)
        ));
    }
    if let Some(help) = &d.help {
        parts.push(format!("help: {}", cell(help)));
    }
    parts.join("<br>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::source::Span;

    #[test]
    fn rows_stay_in_their_table_whatever_the_text() {
        let mut sources = SourceMap::new();
        let file = sources.add("governance/a|b `c`.toml", "[[asset]]\nid = \"x\"\n");
        let d = Diagnostic::new(
            Code::ParseError,
            Span::new(file, 15..18),
            "one | two\nthree",
        )
        .label(Span::new(file, 0..9), "declared\nhere")
        .help("a | b");
        let text = render(&sources, &[d], "checked 1 asset");
        assert!(
            text.starts_with(
                "## govern check: 1 error, 0 warnings, 0 infos\n\nchecked 1 asset\n\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("\n### ``governance/a|b `c`.toml``\n"),
            "{text}"
        );
        let row = text
            .lines()
            .find(|l| l.starts_with("| 2:6 "))
            .expect("the diagnostic's row");
        assert_eq!(
            row,
            "| 2:6 | **error** | `parse-error` | one \\| two three<br>\
             ``governance/a\\|b `c`.toml:1:1``: declared here<br>help: a \\| b |"
        );
        // Every row of a table has as many unescaped `|` as its header.
        for line in text.lines().filter(|l| l.starts_with('|')) {
            let bars = line.matches('|').count() - line.matches("\\|").count();
            assert!(bars == 4 || bars == 5, "{line}");
        }
    }

    #[test]
    fn no_problems_is_one_heading() {
        let sources = SourceMap::new();
        assert_eq!(
            render(&sources, &[], ""),
            "## govern check: no problems\n\n"
        );
    }
}
