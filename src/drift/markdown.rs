//! Renders a drift [`Report`] as Markdown for a pull-request comment: the
//! counts, a table of changes (with their commits when blamed), check
//! errors, and each artifact diff folded in a `<details>` block.

use super::report::{short, Report};
use crate::markdown::cell;
use std::fmt::Write;

/// Renders `report` as Markdown.
pub fn render(report: &Report) -> String {
    let mut w = String::new();
    let _ = writeln!(
        w,
        "## Governance drift: {} → {}\n",
        report.from.name(),
        report.to.name()
    );
    if report.changes.is_empty() {
        let _ = writeln!(w, "No changes.");
    } else {
        let _ = writeln!(w, "| Severity | Changes |\n|---|---:|");
        for (s, n) in report.counts() {
            let _ = writeln!(w, "| {} | {n} |", s.name());
        }
        let _ = writeln!(w, "\n### Changes\n");
        // The column only when some change has a commit to show.
        let blame = report.blame.iter().any(Option::is_some);
        let _ = writeln!(
            w,
            "| Severity | Change | Asset | Role | Before | After | Details |{}",
            if blame { " Commit |" } else { "" }
        );
        let _ = writeln!(
            w,
            "|---|---|---|---|---|---|---|{}",
            if blame { "---|" } else { "" }
        );
        for (c, commit) in report.changes.iter().zip(&report.blame) {
            let value = |v: &Option<String>| v.as_deref().map(cell).unwrap_or_default();
            let mut row = format!(
                "| **{}** | {} | {} | {} | {} | {} | {} |",
                c.severity.name(),
                c.kind.name(),
                value(&c.asset),
                value(&c.role),
                value(&c.before),
                value(&c.after),
                cell(&c.message)
            );
            if blame {
                let _ = write!(
                    row,
                    " {} |",
                    commit.as_ref().map_or(String::new(), |c| format!(
                        "`{}` {} ({})",
                        short(&c.id),
                        cell(&c.subject),
                        cell(&c.author)
                    ))
                );
            }
            let _ = writeln!(w, "{row}");
        }
    }
    let errors = report.errors();
    if !errors.is_empty() {
        let _ = writeln!(w, "\n### Check errors\n");
        for e in errors {
            let _ = writeln!(w, "- {}: {}", e.side, cell(&e.error));
        }
    }
    for a in &report.artifacts {
        let _ = writeln!(
            w,
            "\n<details><summary><code>{}</code></summary>\n\n```diff\n{}```\n</details>",
            a.path, a.diff
        );
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drift::{Change, Kind, Severity};

    fn moved() -> Change {
        Change {
            kind: Kind::OwnerChanged,
            severity: Severity::High,
            asset: Some("bot".into()),
            role: Some("accountable".into()),
            before: Some("a|b".into()),
            after: Some("c".into()),
            message: "accountable of `bot` moved\nto `c`".into(),
            at: None,
        }
    }

    #[test]
    fn cells_escape_pipes_and_line_breaks() {
        let text = render(&Report::sample(vec![moved()], &[None]));
        assert!(
            text.contains(
                "| **high** | owner-changed | bot | accountable | a\\|b | c | accountable of `bot` moved to `c` |\n"
            ),
            "{text}"
        );
        assert!(
            !text.contains("Commit"),
            "no commit column unblamed:\n{text}"
        );
    }

    #[test]
    fn a_commit_column_appears_when_some_change_is_blamed() {
        let report = Report::sample(vec![moved(), moved()], &[Some("Move | it"), None]);
        let text = render(&report);
        assert!(
            text.contains("| Details | Commit |\n|---|---|---|---|---|---|---|---|\n"),
            "{text}"
        );
        assert!(
            text.contains("| `0123456789` Move \\| it (Ada <ada@example.org>) |\n"),
            "{text}"
        );
        // The change no commit introduced has an empty cell.
        assert!(text.contains("to `c` |  |\n"), "{text}");
    }
}
