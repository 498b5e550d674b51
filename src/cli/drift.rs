//! `govern drift`: compile two sides and report typed changes.

use super::format::Format;
use super::source::{check_rev, git_error, open_repo, worktree_inputs};
use super::{CommandError, Exit, Global};
use crate::check::{self, Outcome};
use crate::compile::{self, Templates};
use crate::diag::{Position, Severity as DiagSeverity};
use crate::drift::{self, blame, since, Change, Severity};
use crate::git::{CommitInfo, Repo};
use serde_json::{json, Value};
use std::fmt::Write;

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

/// One compiled side.
struct Side {
    label: String,
    commit: Option<CommitInfo>,
    outcome: Outcome,
}

/// Turns `--since` text that names no moment into a usage error.
pub fn since_error(e: since::NotAMoment) -> CommandError {
    CommandError::usage(format!("--since {e}")).hint("write `7d`, `2w` or `2026-11-01`")
}

fn load_rev(repo: &Repo, global: &Global, rev: &str) -> Result<Side, CommandError> {
    let (outcome, id) = check_rev(repo, global, rev)?;
    Ok(Side {
        label: rev.to_string(),
        commit: Some(repo.info(id).map_err(git_error)?),
        outcome,
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
    // Both sides load at once; each opens its own handle on the repository.
    let (to, from) = rayon::join(
        || match &args.to {
            Some(rev) => load_rev(&open_repo(global)?, global, rev),
            None => Ok(Side {
                label: "working tree".into(),
                commit: None,
                outcome: check::check(worktree_inputs(global)?, global.today()),
            }),
        },
        || match &from_rev {
            Some(rev) => load_rev(&open_repo(global)?, global, rev),
            None => Ok(Side {
                label: format!("before {}", args.since.as_deref().unwrap_or_default()),
                commit: None,
                outcome: check::check(Vec::new(), global.today()),
            }),
        },
    );
    let (to, from) = (to?, from?);
    let changes = drift::diff(&from.outcome.model, &to.outcome.model);
    let blamed = if args.blame {
        blame::blame(
            &repo,
            &global.dir,
            from_commit,
            to_commit,
            global.today(),
            &changes,
        )
        .map_err(git_error)?
    } else {
        vec![None; changes.len()]
    };
    let artifacts = if args.artifacts {
        artifact_diffs(&from.outcome, &to.outcome)?
    } else {
        Vec::new()
    };
    let report = Report {
        from: &from,
        to: &to,
        changes: &changes,
        blamed: &blamed,
        artifacts: &artifacts,
    };
    super::out::stdout(match global.format {
        // Drift writes no pem: `format::WRITES` refused it while parsing.
        Format::Human | Format::Pem => report.human(),
        Format::Markdown => report.markdown(),
        Format::Json => report.json(),
        Format::Sarif => report.sarif(),
    })?;
    let failed = args
        .fail_on
        .is_some_and(|level| changes.iter().any(|c| c.severity >= level));
    Ok(if failed { Exit::Content } else { Exit::Success })
}

/// Unified diffs of every compiled text output that differs.
fn artifact_diffs(from: &Outcome, to: &Outcome) -> Result<Vec<(String, String)>, CommandError> {
    let templates = Templates::load(None).map_err(|e| CommandError::environment(&e))?;
    let build = |o: &Outcome| {
        compile::compile(o, &templates, &Default::default(), &Default::default())
            .map_err(|e| CommandError::environment(&e))
    };
    let (a, b) = (build(from)?, build(to)?);
    let paths: std::collections::BTreeSet<&String> = a.files.keys().chain(b.files.keys()).collect();
    let mut out = Vec::new();
    for path in paths {
        if path.ends_with(".tar.gz") || path == "MANIFEST.json" {
            continue;
        }
        let text = |f: Option<&Vec<u8>>| {
            f.map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default()
        };
        let (old, new) = (text(a.files.get(path)), text(b.files.get(path)));
        if old == new {
            continue;
        }
        let diff = similar::TextDiff::from_lines(&old, &new)
            .unified_diff()
            .context_radius(2)
            .header(&format!("a/{path}"), &format!("b/{path}"))
            .to_string();
        out.push((path.clone(), diff));
    }
    Ok(out)
}

struct Report<'a> {
    from: &'a Side,
    to: &'a Side,
    changes: &'a [Change],
    blamed: &'a [Option<CommitInfo>],
    artifacts: &'a [(String, String)],
}

fn short(id: &str) -> &str {
    id.get(..10).unwrap_or(id)
}

impl Report<'_> {
    fn side_name(side: &Side) -> String {
        match &side.commit {
            Some(c) if side.label != c.id => format!("{} ({})", side.label, short(&c.id)),
            Some(c) => short(&c.id).to_string(),
            None => side.label.clone(),
        }
    }

    fn errors(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        for (name, side) in [("from", self.from), ("to", self.to)] {
            for d in side
                .outcome
                .diagnostics
                .iter()
                .filter(|d| d.severity == DiagSeverity::Error)
            {
                let at = Position::of(&side.outcome.sources, d.span);
                out.push((
                    name,
                    format!(
                        "{}:{}: {}[{}]: {}",
                        at.file,
                        at.line,
                        d.severity.name(),
                        d.code,
                        d.message
                    ),
                ));
            }
        }
        out
    }

    fn counts(&self) -> Vec<(Severity, usize)> {
        [
            Severity::Critical,
            Severity::High,
            Severity::Medium,
            Severity::Low,
            Severity::Info,
        ]
        .into_iter()
        .map(|s| (s, self.changes.iter().filter(|c| c.severity == s).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
    }

    fn human(&self) -> String {
        let mut w = String::new();
        let _ = writeln!(
            w,
            "drift from {} to {}",
            Self::side_name(self.from),
            Self::side_name(self.to)
        );
        for (side, error) in self.errors() {
            let _ = writeln!(w, "  check error on the {side} side: {error}");
        }
        if self.changes.is_empty() {
            let _ = writeln!(w, "no changes");
        }
        for (c, commit) in self.changes.iter().zip(self.blamed) {
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
        let counts: Vec<String> = self
            .counts()
            .iter()
            .map(|(s, n)| format!("{n} {}", s.name()))
            .collect();
        if !counts.is_empty() {
            let _ = writeln!(w, "{} changes: {}", self.changes.len(), counts.join(", "));
        }
        for (_, diff) in self.artifacts {
            let _ = writeln!(w, "\n{diff}");
        }
        w
    }

    fn markdown(&self) -> String {
        let mut w = String::new();
        let md = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let _ = writeln!(
            w,
            "## Governance drift: {} → {}\n",
            Self::side_name(self.from),
            Self::side_name(self.to)
        );
        if self.changes.is_empty() {
            let _ = writeln!(w, "No changes.");
        } else {
            let _ = writeln!(w, "| Severity | Changes |\n|---|---:|");
            for (s, n) in self.counts() {
                let _ = writeln!(w, "| {} | {n} |", s.name());
            }
            let _ = writeln!(w, "\n### Changes\n");
            let blame = self.blamed.iter().any(Option::is_some);
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
            for (c, commit) in self.changes.iter().zip(self.blamed) {
                let cell = |v: &Option<String>| v.as_deref().map(md).unwrap_or_default();
                let mut row = format!(
                    "| **{}** | {} | {} | {} | {} | {} | {} |",
                    c.severity.name(),
                    c.kind.name(),
                    cell(&c.asset),
                    cell(&c.role),
                    cell(&c.before),
                    cell(&c.after),
                    md(&c.message)
                );
                if blame {
                    let _ = write!(
                        row,
                        " {} |",
                        commit.as_ref().map_or(String::new(), |c| format!(
                            "`{}` {} ({})",
                            short(&c.id),
                            md(&c.subject),
                            md(&c.author)
                        ))
                    );
                }
                let _ = writeln!(w, "{row}");
            }
        }
        let errors = self.errors();
        if !errors.is_empty() {
            let _ = writeln!(w, "\n### Check errors\n");
            for (side, e) in errors {
                let _ = writeln!(w, "- {side}: {}", md(&e));
            }
        }
        for (path, diff) in self.artifacts {
            let _ = writeln!(w, "\n<details><summary><code>{path}</code></summary>\n\n```diff\n{diff}```\n</details>");
        }
        w
    }

    fn change_json(c: &Change, commit: &Option<CommitInfo>) -> Value {
        json!({
            "kind": c.kind.name(), "severity": c.severity.name(), "asset": c.asset,
            "role": c.role, "before": c.before, "after": c.after, "message": c.message,
            "commit": commit.as_ref().map(|c| json!({"id": c.id, "author": c.author, "date": c.date, "subject": c.subject})),
        })
    }

    fn json(&self) -> String {
        let side =
            |s: &Side| json!({"rev": s.label, "commit": s.commit.as_ref().map(|c| c.id.clone())});
        let changes: Vec<Value> = self
            .changes
            .iter()
            .zip(self.blamed)
            .map(|(c, b)| Self::change_json(c, b))
            .collect();
        let errors: Vec<Value> = self
            .errors()
            .into_iter()
            .map(|(side, e)| json!({"side": side, "error": e}))
            .collect();
        let artifacts: Vec<Value> = self
            .artifacts
            .iter()
            .map(|(p, d)| json!({"path": p, "diff": d}))
            .collect();
        let mut text = serde_json::to_string_pretty(&json!({
            "from": side(self.from), "to": side(self.to), "changes": changes,
            "errors": errors, "artifacts": artifacts,
        }))
        .expect("JSON values always serialize");
        text.push('\n');
        text
    }

    fn sarif(&self) -> String {
        let sides = drift::sarif::Sides {
            from: &self.from.outcome.sources,
            to: &self.to.outcome.sources,
            from_rev: &self.from.label,
        };
        drift::sarif::render(&sides, self.changes, env!("CARGO_PKG_VERSION"))
    }
}
