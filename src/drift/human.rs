//! Renders a drift [`Report`] as text for a terminal: one line per change,
//! the commit under it when blamed, the counts, then the artifact diffs.

use super::report::{short, Report};
use std::fmt::Write;

/// Renders `report` as lines of text.
pub fn render(report: &Report) -> String {
    let mut w = String::new();
    let _ = writeln!(
        w,
        "drift from {} to {}",
        report.from.name(),
        report.to.name()
    );
    for e in report.errors() {
        let _ = writeln!(w, "  check error on the {} side: {}", e.side, e.error);
    }
    if report.changes.is_empty() {
        let _ = writeln!(w, "no changes");
    }
    for (c, commit) in report.changes.iter().zip(&report.blame) {
        let _ = writeln!(
            w,
            "{:<8} {:<20} {}",
            c.severity.name(),
            c.kind.name(),
            c.message
        );
        if let Some(commit) = commit {
            let _ = writeln!(
                w,
                "{:<29} introduced in {} by {} on {}: {}",
                "",
                short(&commit.id),
                commit.author,
                commit.date,
                commit.subject
            );
        }
    }
    let counts: Vec<String> = report
        .counts()
        .iter()
        .map(|(s, n)| format!("{n} {}", s.name()))
        .collect();
    if !counts.is_empty() {
        let _ = writeln!(w, "{} changes: {}", report.changes.len(), counts.join(", "));
    }
    for a in &report.artifacts {
        let _ = writeln!(w, "\n{}", a.diff);
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drift::{Change, Kind, Severity};

    #[test]
    fn each_change_has_its_line_and_its_commit_under_it() {
        let change = Change {
            kind: Kind::AssetAdded,
            severity: Severity::Info,
            asset: Some("bot".into()),
            role: None,
            before: None,
            after: Some("bot".into()),
            message: "asset `bot` was added".into(),
            at: None,
        };
        let text = render(&Report::sample(vec![change], &[Some("Add the bot")]));
        assert_eq!(
            text,
            "drift from HEAD~1 to working tree\n\
             info     asset-added          asset `bot` was added\n\
             \x20                             introduced in 0123456789 by Ada <ada@example.org> on 2026-11-20T10:00:00+00:00: Add the bot\n\
             1 changes: 1 info\n"
        );
    }

    #[test]
    fn an_empty_drift_says_so_and_counts_nothing() {
        let text = render(&Report::sample(Vec::new(), &[]));
        assert_eq!(text, "drift from HEAD~1 to working tree\nno changes\n");
    }
}
