//! `govern check`: report every problem in the declarations.

use super::global::Format;
use super::{CommandError, Exit, Global};
use crate::check::{self, Outcome};
use crate::diag::{self, Tally};
use crate::load::worktree;

/// Check the governance declarations and report every problem
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Loads and checks the working tree's governance folder.
pub fn load_and_check(global: &Global) -> Result<Outcome, CommandError> {
    let root = global.repo_root()?;
    let inputs = worktree::inputs(&root, &global.dir).map_err(|e| {
        let hint = match e {
            worktree::Error::MissingFolder { .. } => Some(format!(
                "run `govern init` to start one, or pass --dir or --repo to point at `{}`",
                global.dir
            )),
            _ => None,
        };
        let error = CommandError::environment(&e);
        match hint {
            Some(h) => error.hint(h),
            None => error,
        }
    })?;
    Ok(check::check(inputs, global.today()))
}

pub fn run(global: &Global, _args: &Args) -> Result<Exit, CommandError> {
    let outcome = load_and_check(global)?;
    report(global, &outcome);
    Ok(if outcome.has_errors() {
        Exit::Content
    } else {
        Exit::Success
    })
}

/// Prints the diagnostics of `outcome` in the chosen format.
pub fn report(global: &Global, outcome: &Outcome) {
    let Outcome {
        sources,
        diagnostics,
        ..
    } = outcome;
    match global.format {
        Format::Json => print!("{}", diag::json::render(sources, diagnostics)),
        Format::Sarif => print!(
            "{}",
            diag::sarif::render(sources, diagnostics, env!("CARGO_PKG_VERSION"))
        ),
        Format::Human => {
            eprint!(
                "{}",
                diag::human::render(sources, diagnostics, global.color_stderr())
            );
            let tally = Tally::of(diagnostics);
            let model = &outcome.model;
            eprintln!(
                "checked {} teams, {} assets, {} controls, {} exceptions, {} findings: {}",
                model.teams.len(),
                model.assets.len(),
                model.controls.len(),
                model.exceptions.len(),
                model.findings.len(),
                summary(tally)
            );
        }
    }
}

fn summary(t: Tally) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if t == Tally::default() {
        return "no problems".into();
    }
    format!(
        "{}, {}, {}",
        plural(t.errors, "error"),
        plural(t.warnings, "warning"),
        plural(t.infos, "info")
    )
}
