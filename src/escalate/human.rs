//! Renders escalations as text for people: one block per team, each item
//! with its due date, the role that makes the team act, whom to inform,
//! and the diagnostic's message.

use super::{Group, Item};
use crate::check::days;
use std::fmt::Write;

/// When an item was due, said in words.
pub fn when(item: &Item) -> String {
    match (item.due, item.overdue_days) {
        (None, _) => "due now (no date recorded)".to_string(),
        (Some(due), 0) => format!("due today ({due})"),
        (Some(due), n) if n > 0 => format!("{} overdue (due {due})", days(n)),
        (Some(due), -1) => format!("due tomorrow ({due})"),
        (Some(due), n) => format!("due in {} ({due})", days(-n)),
    }
}

/// What an item is about: its asset, control, finding, exception or signer.
pub fn about(item: &Item) -> String {
    [
        &item.asset,
        &item.control,
        &item.finding,
        &item.exception,
        &item.signer,
    ]
    .into_iter()
    .flatten()
    .map(String::as_str)
    .collect::<Vec<_>>()
    .join(" · ")
}

/// Renders `groups`; `scope` names the teams asked for, if any.
pub fn render(groups: &[Group], scope: &[String]) -> String {
    let mut w = String::new();
    if groups.is_empty() {
        let _ = match scope {
            [] => writeln!(w, "nothing to escalate"),
            teams => writeln!(w, "nothing to escalate for {}", teams.join(", ")),
        };
        return w;
    }
    for (n, g) in groups.iter().enumerate() {
        if n > 0 {
            w.push('\n');
        }
        let mut head = g.team.clone();
        if g.name != g.team {
            let _ = write!(head, " — {}", g.name);
        }
        for reach in [&g.contact, &g.handle].into_iter().flatten() {
            let _ = write!(head, " · {reach}");
        }
        let count = match g.items.len() {
            1 => "1 item".to_string(),
            n => format!("{n} items"),
        };
        let _ = writeln!(w, "{head} ({count})");
        for item in &g.items {
            let mut line = format!(
                "  {} {}, {}, as {}",
                item.severity,
                item.code,
                when(item),
                item.role
            );
            let about = about(item);
            if !about.is_empty() {
                let _ = write!(line, ", on {about}");
            }
            if !item.inform.is_empty() {
                let _ = write!(line, "; inform {}", item.inform.join(", "));
            }
            let _ = writeln!(w, "{line}\n    {}", item.message);
        }
    }
    let items: usize = groups.iter().map(|g| g.items.len()).sum();
    let _ = writeln!(
        w,
        "\n{items} {} for {} {}",
        if items == 1 { "item" } else { "items" },
        groups.len(),
        if groups.len() == 1 { "team" } else { "teams" }
    );
    w
}
