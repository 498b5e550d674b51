//! `govern history`: each asset's ownership timeline over first-parent
//! history.

use super::format::Format;
use super::source::{git_error, open_repo};
use super::{names, out, CommandError, Exit, Global};
use crate::drift::history::{self, Filter};
use crate::drift::since;
use crate::model::vocab::Role;
use std::fmt::Write as _;

/// Print each asset's ownership timeline: date, commit, author, role, before
/// and after
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only these assets, each declared at REV or at an earlier commit the
    /// walk reaches [default: every asset]
    pub assets: Vec<String>,

    /// Only this owner role (accountable, operator, remediation, approver,
    /// revoker, reviewers, incident)
    #[arg(long, value_name = "ROLE")]
    pub role: Option<String>,

    /// Only commits after this time: a duration back from now (`30d`) or a
    /// date (`2026-11-01`)
    #[arg(long, value_name = "DURATION|DATE")]
    pub since: Option<String>,

    /// Walk from this revision
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    pub rev: String,
}

pub fn run(global: &Global, args: &Args) -> Result<Exit, CommandError> {
    if let Some(role) = &args.role {
        let roles = Role::ALL
            .iter()
            .filter(|r| !r.is_derived())
            .map(|r| r.name());
        names::require("owner role", role, "", roles)?;
    }
    let repo = open_repo(global)?;
    let head = repo.resolve(&args.rev).map_err(git_error)?;
    let since = args
        .since
        .as_deref()
        .map(|s| since::cutoff(s, since::now(global.today)).map_err(super::drift::since_error))
        .transpose()?;
    let filter = Filter {
        assets: args.assets.clone(),
        role: args.role.clone(),
        since,
    };
    let timeline = history::timeline(&repo, &global.dir, head, &filter).map_err(git_error)?;
    let place = match &args.since {
        Some(since) => format!(" in the history of {} since {since}", args.rev),
        None => format!(" in the history of {}", args.rev),
    };
    for asset in &args.assets {
        let known = timeline.assets.iter().map(String::as_str);
        names::require("asset", asset, &place, known)?;
    }
    let entries = timeline.entries;
    match global.format {
        Format::Json => out::stdout_json(&entries)?,
        _ => {
            // The whole timeline goes out in one write, not one per line.
            let mut text = String::new();
            if entries.is_empty() {
                text.push_str("no ownership changes\n");
            }
            let mut by_asset: Vec<&history::Entry> = entries.iter().collect();
            by_asset.sort_by(|a, b| a.asset.cmp(&b.asset));
            let mut current = "";
            for e in by_asset {
                if e.asset != current {
                    text.push_str(&e.asset);
                    text.push('\n');
                    current = &e.asset;
                }
                let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
                let _ = writeln!(
                    text,
                    "  {}  {}  {:<12} {} -> {}  ({}: {})",
                    e.commit.date.get(..10).unwrap_or(&e.commit.date),
                    e.commit.id.get(..10).unwrap_or(&e.commit.id),
                    e.role,
                    show(&e.before),
                    show(&e.after),
                    e.commit.author,
                    e.commit.subject
                );
            }
            out::stdout(text)?;
        }
    }
    Ok(Exit::Success)
}
