//! The report of one `govern drift`: both sides as checked, the typed
//! changes between them, the commit that introduced each when blame is
//! asked, and unified diffs of the compiled outputs when artifacts are.
//! [`super::human`], [`super::markdown`], [`super::json`] and
//! [`super::sarif`] render it; nothing here prints.

use super::blame;
use super::changes::{diff, Change, Severity};
use crate::check::Outcome;
use crate::diag::{Position, Severity as DiagSeverity};
use crate::git::{self, CommitInfo, Repo};
use gix::ObjectId;
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet};

/// One side of a drift, checked.
#[derive(Debug)]
pub struct Side {
    /// The revision as the user named it (`HEAD~3`), `working tree`, or
    /// `before 7d` when no commit is that old.
    pub label: String,
    /// The commit read, when the side is one.
    pub commit: Option<CommitInfo>,
    pub outcome: Outcome,
}

impl Side {
    /// Returns the side as reports name it: its label and short commit id.
    pub fn name(&self) -> String {
        match &self.commit {
            Some(c) if self.label != c.id => format!("{} ({})", self.label, short(&c.id)),
            Some(c) => short(&c.id).to_string(),
            None => self.label.clone(),
        }
    }
}

/// The commits blame walks: the first-parent commits after `from` up to
/// `to`, with the governance folder and the day their models are checked
/// against.
pub struct Range<'r> {
    pub repo: &'r Repo,
    pub dir: &'r str,
    pub from: Option<ObjectId>,
    pub to: ObjectId,
    pub today: Date,
}

/// A unified diff of one compiled output that differs between the sides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Artifact {
    pub path: String,
    pub diff: String,
}

/// An error-severity diagnostic of one side, as one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckError {
    /// `from` or `to`.
    pub side: &'static str,
    /// `file:line: error[code]: message`.
    pub error: String,
}

/// What one drift found.
#[derive(Debug)]
pub struct Report {
    pub from: Side,
    pub to: Side,
    /// The changes from `from` to `to`, most severe first.
    pub changes: Vec<Change>,
    /// For each change, the commit that introduced it; all `None` unless
    /// blame was asked, and `None` for what no commit in the range did.
    pub blame: Vec<Option<CommitInfo>>,
    /// Diffs of the compiled text outputs, in path order; empty unless asked.
    pub artifacts: Vec<Artifact>,
}

impl Report {
    /// Compares `from` with `to` and, given a range, finds the commit that
    /// introduced each change.
    pub fn new(from: Side, to: Side, blame: Option<&Range<'_>>) -> Result<Report, git::Error> {
        let changes = diff(&from.outcome.model, &to.outcome.model);
        let blame = match blame {
            Some(r) => blame::blame(r.repo, r.dir, r.from, r.to, r.today, &changes)?,
            None => vec![None; changes.len()],
        };
        Ok(Report {
            from,
            to,
            changes,
            blame,
            artifacts: Vec::new(),
        })
    }

    /// Returns true when a change is at or over `level`.
    pub fn reaches(&self, level: Severity) -> bool {
        self.changes.iter().any(|c| c.severity >= level)
    }

    /// Returns the error-severity diagnostics of both sides, `from` first.
    pub fn errors(&self) -> Vec<CheckError> {
        let mut out = Vec::new();
        for (name, side) in [("from", &self.from), ("to", &self.to)] {
            for d in side
                .outcome
                .diagnostics
                .iter()
                .filter(|d| d.severity == DiagSeverity::Error)
            {
                let at = Position::of(&side.outcome.sources, d.span);
                out.push(CheckError {
                    side: name,
                    error: format!(
                        "{}:{}: {}[{}]: {}",
                        at.file,
                        at.line,
                        d.severity.name(),
                        d.code,
                        d.message
                    ),
                });
            }
        }
        out
    }

    /// Returns how many changes there are of each severity that has any,
    /// most severe first.
    pub fn counts(&self) -> Vec<(Severity, usize)> {
        let mut severities = Severity::ALL.to_vec();
        severities.reverse();
        severities
            .into_iter()
            .map(|s| (s, self.changes.iter().filter(|c| c.severity == s).count()))
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

/// Returns the first ten characters of a commit id.
pub fn short(id: &str) -> &str {
    id.get(..10).unwrap_or(id)
}

/// The most work one artifact diff may take: the lines left between the
/// common head and tail of both sides, times the lines that must change.
/// A line diff costs about that product, so past it the file is reported
/// as changed with its counts, not diffed: the budget counts lines, never
/// time, so the same two sides always give the same report.
pub const DIFF_BUDGET: usize = 20_000_000;

/// Diffs every compiled text output of the two sides that differs, given
/// as path -> bytes; archives are left out, as no text diff shows them, and
/// so is the OSCAL export, compact JSON on one line whose diff would be the
/// whole file twice (model.json shows the same change line by line). A
/// file whose diff would cost more than [`DIFF_BUDGET`] is summarised.
pub fn artifacts(
    from: &BTreeMap<String, Vec<u8>>,
    to: &BTreeMap<String, Vec<u8>>,
) -> Vec<Artifact> {
    let paths: BTreeSet<&String> = from.keys().chain(to.keys()).collect();
    let text = |f: Option<&Vec<u8>>| {
        f.map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for path in paths {
        if path.ends_with(".tar.gz") || path.starts_with("oscal/") {
            continue;
        }
        let (old, new) = (text(from.get(path)), text(to.get(path)));
        if old == new {
            continue;
        }
        let diff = match over_budget(&old, &new) {
            Some((added, removed)) => format!(
                "--- a/{path}\n+++ b/{path}\nchanged: +{added} -{removed} lines, too many to show\n"
            ),
            None => similar::TextDiff::from_lines(&old, &new)
                .unified_diff()
                .context_radius(2)
                .header(&format!("a/{path}"), &format!("b/{path}"))
                .to_string(),
        };
        out.push(Artifact {
            path: path.clone(),
            diff,
        });
    }
    out
}

/// The lines only in `new` and only in `old`, counted as multisets (a
/// line that moved counts in neither), when diffing the two would cost
/// more than [`DIFF_BUDGET`]; `None` when it is within. Linear in the
/// input.
fn over_budget(old: &str, new: &str) -> Option<(usize, usize)> {
    let old: Vec<&str> = old.split_inclusive('\n').collect();
    let new: Vec<&str> = new.split_inclusive('\n').collect();
    let head = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (old, new) = (&old[head..old.len() - tail], &new[head..new.len() - tail]);
    let span = old.len() + new.len();
    // Every line is a change at most, so a short middle is always cheap.
    if span.saturating_mul(span) <= DIFF_BUDGET {
        return None;
    }
    let mut count: std::collections::HashMap<&str, isize> = std::collections::HashMap::new();
    for line in new {
        *count.entry(line).or_default() += 1;
    }
    for line in old {
        *count.entry(line).or_default() -= 1;
    }
    let added: usize = count.values().map(|n| n.max(&0).unsigned_abs()).sum();
    let removed: usize = count.values().map(|n| n.min(&0).unsigned_abs()).sum();
    (span.saturating_mul(added + removed) > DIFF_BUDGET).then_some((added, removed))
}

#[cfg(test)]
impl Report {
    /// A report between two empty working trees with the given changes,
    /// each blamed to a commit named by its subject, or to none.
    pub(super) fn sample(changes: Vec<Change>, subjects: &[Option<&str>]) -> Report {
        let side = |label: &str| Side {
            label: label.into(),
            commit: None,
            outcome: crate::check::check(Vec::new(), Date::constant(2026, 11, 23)),
        };
        let blame = subjects
            .iter()
            .map(|s| {
                s.map(|subject| CommitInfo {
                    id: "0123456789abcdef0123456789abcdef01234567".into(),
                    author: "Ada <ada@example.org>".into(),
                    date: "2026-11-20T10:00:00+00:00".into(),
                    time: 0,
                    commit_time: 0,
                    subject: subject.into(),
                })
            })
            .collect();
        Report {
            from: side("HEAD~1"),
            to: side("working tree"),
            changes,
            blame,
            artifacts: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifacts_diff_changed_text_files_and_skip_archives() {
        let files = |list: &[(&str, &str)]| -> BTreeMap<String, Vec<u8>> {
            list.iter()
                .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
                .collect()
        };
        let from = files(&[
            ("CODEOWNERS", "/a @x\n"),
            ("same.md", "one\n"),
            ("bundles/opa/bundle.tar.gz", "old"),
            ("oscal/component-definition.json", "{\"a\":1}\n"),
            ("gone.md", "bye\n"),
        ]);
        let to = files(&[
            ("CODEOWNERS", "/a @y\n"),
            ("same.md", "one\n"),
            ("bundles/opa/bundle.tar.gz", "new"),
            ("oscal/component-definition.json", "{\"a\":2}\n"),
            ("new.md", "hi\n"),
        ]);
        let found = artifacts(&from, &to);
        let paths: Vec<&str> = found.iter().map(|a| a.path.as_str()).collect();
        assert_eq!(paths, ["CODEOWNERS", "gone.md", "new.md"]);
        assert_eq!(
            found[0].diff,
            "--- a/CODEOWNERS\n+++ b/CODEOWNERS\n@@ -1 +1 @@\n-/a @x\n+/a @y\n"
        );
    }

    #[test]
    fn a_diff_over_the_budget_says_how_many_lines_changed() {
        let old: String = (0..3_000).map(|i| format!("line {i}\n")).collect();
        let mut new = String::from("a new first line\n");
        new.push_str(&old);
        new.extend((0..3_000).map(|i| format!("added {i}\n")));
        let from = BTreeMap::from([("model.json".to_string(), old.into_bytes())]);
        let to = BTreeMap::from([("model.json".to_string(), new.into_bytes())]);
        let found = artifacts(&from, &to);
        let expected =
            "--- a/model.json\n+++ b/model.json\nchanged: +3001 -0 lines, too many to show\n";
        assert_eq!(found[0].diff, expected);
        // The budget counts lines, not time: the same report every run.
        assert_eq!(artifacts(&from, &to), found);
    }

    #[test]
    fn sides_are_named_by_label_and_short_commit() {
        let side = |label: &str, id: Option<&str>| Side {
            label: label.into(),
            commit: id.map(|id| CommitInfo {
                id: id.into(),
                author: String::new(),
                date: String::new(),
                time: 0,
                commit_time: 0,
                subject: String::new(),
            }),
            outcome: crate::check::check(Vec::new(), Date::constant(2026, 11, 23)),
        };
        let id = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(side("HEAD~1", Some(id)).name(), "HEAD~1 (0123456789)");
        assert_eq!(side(id, Some(id)).name(), "0123456789");
        assert_eq!(side("working tree", None).name(), "working tree");
    }
}
