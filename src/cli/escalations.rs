//! `govern escalations`: what each team must do now, and by when.

use super::format::Format;
use super::source::load;
use super::{names, out, CommandError, Exit, Global};
use crate::diag::Severity;
use crate::escalate::{self, human, markdown};

/// List every item that needs an owner to act now, grouped by the team that must act
///
/// Items are overdue findings and retests, low or stale trust scores, stale
/// attestations, incomplete closures, and expired or expiring exceptions and
/// signers, most overdue first. A governance-function team is informed of
/// remediation, never the team that acts on it.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only the items these teams must act on; what they are informed of
    /// is listed under the team that acts [default: every team]
    #[arg(long, value_name = "TEAM", num_args = 1..)]
    pub team: Vec<String>,

    /// Exit 1 when an item at or over this severity exists, or a format
    /// error may hide one
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
}

pub fn run(global: &Global, args: &Args) -> Result<Exit, CommandError> {
    let outcome = load(global, None)?.outcome;
    for team in &args.team {
        let known = outcome.model.teams.keys().map(|t| t.0.as_str());
        names::require("team", team, "", known)?;
    }
    let mut groups = escalate::groups(&outcome);
    if !args.team.is_empty() {
        groups = escalate::only(groups, &args.team);
    }
    let text = match global.format {
        Format::Json => {
            let json =
                serde_json::to_string_pretty(&groups).map_err(|e| CommandError::environment(&e))?;
            format!("{json}\n")
        }
        Format::Markdown => markdown::render(&groups, outcome.today),
        _ => human::render(&groups, &args.team),
    };
    out::stdout(text)?;
    // Declarations that could not be read or resolved may hide items.
    let broken = outcome.diagnostics.iter().any(|d| d.code.is_structural());
    if broken {
        out::stderr(
            "note: check found format errors; items of the declarations they concern may be \
             missing (`govern check` lists them)\n",
        )?;
    }
    let failed = args
        .fail_on
        .is_some_and(|at| broken || escalate::worst(&groups).is_some_and(|worst| worst >= at));
    Ok(if failed { Exit::Content } else { Exit::Success })
}
