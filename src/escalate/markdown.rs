//! Renders escalations as Markdown: one section per team, to paste as an
//! issue for that team or to post from a scheduled CI job.

use super::human::{about, when};
use super::Group;
use crate::markdown::cell;
use jiff::civil::Date;
use std::fmt::Write;

/// Renders `groups`, as checked on `today`.
pub fn render(groups: &[Group], today: Date) -> String {
    let mut w = String::new();
    let _ = writeln!(w, "# Governance escalations, {today}\n");
    if groups.is_empty() {
        let _ = writeln!(w, "Nothing to escalate.");
        return w;
    }
    for g in groups {
        if g.name == g.team {
            let _ = writeln!(w, "## {}\n", cell(&g.team));
        } else {
            let _ = writeln!(w, "## {} — {}\n", cell(&g.team), cell(&g.name));
        }
        let reach: Vec<String> = [&g.contact, &g.handle]
            .into_iter()
            .flatten()
            .map(|r| format!("`{}`", r.replace('`', "'")))
            .collect();
        if !reach.is_empty() {
            let _ = writeln!(w, "Reach: {}\n", reach.join(" · "));
        }
        let _ = writeln!(
            w,
            "| When | Severity | Code | About | Role | Inform | What |\n|---|---|---|---|---|---|---|"
        );
        for item in &g.items {
            let _ = writeln!(
                w,
                "| {} | {} | `{}` | {} | {} | {} | {} |",
                when(item),
                item.severity,
                item.code,
                cell(&about(item)),
                item.role,
                cell(&item.inform.join(", ")),
                cell(&item.message)
            );
        }
        w.push('\n');
    }
    w
}
