//! `govern drift`: load two sides, report the typed changes between them,
//! and render the report in the format asked.

use super::format::Format;
use super::source::{git_error, load, open_repo, read_error};
use super::{CommandError, Exit, Global};
use crate::check::{self, Outcome};
use crate::compile::{self, Templates};
use crate::drift::report::{artifacts, Range, Report, Side};
use crate::drift::{human, json, markdown, sarif, since, Severity};
use crate::git::Repo;
use crate::read::{self, Checked, Source};
use std::collections::BTreeMap;

/// Compare the compiled governance of two revisions and report ownership drift
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The earlier side: a branch, tag or commit
    #[arg(
        long,
        value_name = "REV",
        required_unless_present = "since",
        conflicts_with = "since"
    )]
    pub from: Option<String>,

    /// The later side [default: the working tree]
    #[arg(long, value_name = "REV")]
    pub to: Option<String>,

    /// Take as --from the newest first-parent commit at or before this time:
    /// a duration back from now (`7d`, `2w`) or a date (`2026-11-01`)
    #[arg(long, value_name = "DURATION|DATE")]
    pub since: Option<String>,

    /// Name the commit that introduced each change
    #[arg(long)]
    pub blame: bool,

    /// Exit 1 when a change at or over this severity is found
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,

    /// Add unified diffs of the compiled text outputs of both sides
    #[arg(long)]
    pub artifacts: bool,
}

/// Turns `--since` text that names no moment into a usage error.
pub fn since_error(e: since::NotAMoment) -> CommandError {
    CommandError::usage(format!("--since {e}")).hint("write `7d`, `2w` or `2026-11-01`")
}

/// One side as a report shows it: labelled by the revision as the user
/// named it, or as the working tree.
fn side(repo: &Repo, rev: Option<&str>, checked: Checked) -> Result<Side, CommandError> {
    Ok(Side {
        label: rev.unwrap_or("working tree").to_string(),
        commit: checked
            .commit
            .map(|id| repo.info(id))
            .transpose()
            .map_err(git_error)?,
        outcome: checked.outcome,
    })
}

pub fn run(global: &Global, args: &Args) -> Result<Exit, CommandError> {
    let repo = open_repo(global)?;
    let to_commit = match &args.to {
        Some(rev) => repo.resolve(rev).map_err(git_error)?,
        None => repo.resolve("HEAD").map_err(git_error)?,
    };
    let from_rev = match (&args.from, &args.since) {
        (Some(rev), _) => Some(rev.clone()),
        (None, Some(text)) => {
            let cutoff = since::cutoff(text, since::now(global.today)).map_err(since_error)?;
            since::commit_at(&repo, to_commit, cutoff)
                .map_err(git_error)?
                .map(|id| id.to_string())
        }
        (None, None) => return Err(CommandError::usage("give --from REV or --since")),
    };
    let from_commit = match &from_rev {
        Some(rev) => Some(repo.resolve(rev).map_err(git_error)?),
        None => None,
    };
    let (from, to) = match &from_rev {
        // Both sides load at once, and what they share is parsed once.
        Some(rev) => {
            let from = Source::Rev(rev.clone());
            let to = Source::from_rev(args.to.as_deref());
            let (from, to) = read::checked_two(
                &global.repo_root()?,
                &global.dir,
                global.today(),
                &from,
                &to,
                // A report shows the errors of each side; the outputs
                // `--artifacts` compiles show every diagnostic.
                match args.artifacts {
                    true => check::Keep::All,
                    false => check::Keep::Errors,
                },
            )
            .map_err(|e| read_error(global, e))?;
            (
                side(&repo, Some(rev), from)?,
                side(&repo, args.to.as_deref(), to)?,
            )
        }
        None => {
            let to = side(&repo, args.to.as_deref(), load(global, args.to.as_deref())?)?;
            let from = Side {
                label: format!("before {}", args.since.as_deref().unwrap_or_default()),
                commit: None,
                outcome: check::check(Vec::new(), global.today()),
            };
            (from, to)
        }
    };
    let range = Range {
        repo: &repo,
        dir: &global.dir,
        from: from_commit,
        to: to_commit,
        today: global.today(),
    };
    let mut report = Report::new(from, to, args.blame.then_some(&range)).map_err(git_error)?;
    if args.artifacts {
        let (from, to) = compiled(&report)?;
        report.artifacts = artifacts(&from, &to);
    }
    super::out::stdout(match global.format {
        // Drift writes neither pem nor workflow commands: `format::WRITES`
        // refused them while parsing.
        Format::Human | Format::Pem | Format::Github => human::render(&report),
        Format::Markdown => markdown::render(&report),
        Format::Json => json::render(&report),
        Format::Sarif => sarif::render(&report, env!("CARGO_PKG_VERSION")),
    })?;
    let failed = args.fail_on.is_some_and(|level| report.reaches(level));
    // The process ends here: let the system reclaim both sides at once
    // instead of freeing millions of small allocations.
    std::mem::forget(report);
    Ok(if failed { Exit::Content } else { Exit::Success })
}

/// The compiled files of both sides, for `--artifacts`, by path.
fn compiled(report: &Report) -> Result<(Files, Files), CommandError> {
    let templates = Templates::load(None).map_err(|e| CommandError::environment(&e))?;
    // The one-line OSCAL export has no lines to diff.
    let options = compile::Options {
        skip_oscal: true,
        ..Default::default()
    };
    let build = |o: &Outcome| {
        compile::compile(o, &templates, &Default::default(), &options)
            .map(|baseline| baseline.files)
            .map_err(|e| CommandError::environment(&e))
    };
    Ok((build(&report.from.outcome)?, build(&report.to.outcome)?))
}

type Files = BTreeMap<String, Vec<u8>>;
