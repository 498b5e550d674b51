//! `govern check`: report every problem in the declarations.

use super::format::Format;
use super::source;
use super::{out, CommandError, Exit, Global};
use crate::check::Outcome;
use crate::diag::{self, Tally};

/// Check the governance declarations and report every problem
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Check this revision, read from Git objects, instead of the working tree
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,

    /// With --format json, print {"errors", "warnings", "infos", "by_code",
    /// "diagnostics"} instead of the bare array
    #[arg(long)]
    pub summary: bool,
}

pub fn run(global: &Global, args: &Args) -> Result<Exit, CommandError> {
    if args.summary && global.format != Format::Json {
        return Err(CommandError::usage(
            "--summary needs --format json: the other formats already give the counts",
        ));
    }
    let outcome = source::load(global, args.rev.as_deref())?.outcome;
    if args.summary {
        let Outcome {
            sources,
            diagnostics,
            ..
        } = &outcome;
        out::stdout_with(|w| diag::json::write_summary(w, sources, diagnostics))?;
    } else {
        report(global, &outcome)?;
    }
    Ok(if outcome.has_errors() {
        Exit::Content
    } else {
        Exit::Success
    })
}

/// Writes the diagnostics of `outcome` in the chosen format.
pub fn report(global: &Global, outcome: &Outcome) -> Result<(), CommandError> {
    report_some(global, outcome, usize::MAX, "")
}

/// Reports like [`report`], but writes out at most `shown` diagnostics in
/// human format and counts the rest, saying with `elsewhere` where they all
/// are: a build's summary stays short.
pub fn report_some(
    global: &Global,
    outcome: &Outcome,
    shown: usize,
    elsewhere: &str,
) -> Result<(), CommandError> {
    let Outcome {
        sources,
        diagnostics,
        ..
    } = outcome;
    match global.format {
        Format::Json => out::stdout_with(|w| diag::json::write(w, sources, diagnostics))?,
        Format::Sarif => out::stdout_with(|w| {
            diag::sarif::write(w, sources, diagnostics, env!("CARGO_PKG_VERSION"))
        })?,
        Format::Github => {
            out::stdout_with(|w| diag::github::write(w, sources, diagnostics))?;
            // The counts, for the log: the annotations are on the changes.
            out::stderr(format!("{}: {}\n", scope(outcome), Tally::of(diagnostics)))?;
        }
        Format::Markdown => out::stdout(diag::markdown::render(
            sources,
            diagnostics,
            &scope(outcome),
        ))?,
        // Commands that report diagnostics write no pem: `format::WRITES`
        // holds them to the others while parsing.
        Format::Human | Format::Pem => {
            let listed = &diagnostics[..diagnostics.len().min(shown)];
            let mut text = diag::human::render(sources, listed, global.color_stderr())
                .map_err(|e| CommandError::environment(&e))?;
            if listed.len() < diagnostics.len() {
                text.push_str(&format!(
                    "... and {} more not shown here: {elsewhere}\n\n",
                    diagnostics.len() - listed.len()
                ));
            }
            text.push_str(&format!("{}: {}\n", scope(outcome), Tally::of(diagnostics)));
            out::stderr(text)?;
        }
    }
    Ok(())
}

/// What was checked: `checked 3 teams, 2 assets, ...`.
fn scope(outcome: &Outcome) -> String {
    let model = &outcome.model;
    format!(
        "checked {}, {}, {}, {}, {}",
        plural(model.teams.len(), "team"),
        plural(model.assets.len(), "asset"),
        plural(model.controls.len(), "control"),
        plural(model.exceptions.len(), "exception"),
        plural(model.findings.len(), "finding"),
    )
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
