//! The reading half of a history walk: for each commit, oldest first, the
//! declaration files that differ from the commit before, and the bytes of
//! each file version met for the first time. It runs ahead of the replay
//! ([`super::replay`]), so inflating objects and parsing them overlap.
//!
//! Invariant: a version's bytes come with the first step that holds it,
//! under the first path (in path order) that holds it, and never again.

use super::declarations::Version;
use crate::git::{self, Repo};
use gix::ObjectId;
use std::collections::HashSet;

/// One declaration file that differs from the commit before: whether it was
/// there before, and the version it has now, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changed {
    /// Relative to the governance folder.
    pub path: String,
    pub before: bool,
    pub after: Option<ObjectId>,
}

/// The files one commit changes.
#[derive(Debug)]
pub struct Step {
    pub commit: ObjectId,
    /// True for the commit a `--since` window starts from, whose files are
    /// the state the window starts in.
    pub baseline: bool,
    /// In path order.
    pub changed: Vec<Changed>,
    /// The versions of `changed` not in an earlier step.
    pub versions: Vec<Version>,
}

/// Reads the steps of `baseline` (when given) and then of each commit of
/// `commits`, skipping those whose governance folder is unchanged, and hands
/// each to `send` until it returns false.
pub fn steps(
    repo: &Repo,
    dir: &str,
    baseline: Option<ObjectId>,
    commits: &[ObjectId],
    mut send: impl FnMut(Step) -> bool,
) -> Result<(), git::Error> {
    let mut previous_tree = None;
    let mut sent: HashSet<ObjectId> = HashSet::new();
    let all = baseline
        .map(|b| (b, true))
        .into_iter()
        .chain(commits.iter().map(|c| (*c, false)));
    for (commit, is_baseline) in all {
        let tree = repo.folder_tree(commit, dir)?;
        if tree == previous_tree {
            continue;
        }
        let files = repo.changed_files(previous_tree, tree)?;
        previous_tree = tree;
        // The declaration files are the `.toml` blobs of the folder.
        let listed = |path: &str, side: Option<(gix::objs::tree::EntryMode, ObjectId)>| {
            side.filter(|(mode, _)| path.ends_with(".toml") && mode.is_blob())
                .map(|(_, id)| id)
        };
        let mut changed = Vec::new();
        let mut versions = Vec::new();
        for file in files {
            let (before, after) = (
                listed(&file.path, file.before),
                listed(&file.path, file.after),
            );
            if before == after {
                continue;
            }
            if let Some(id) = after {
                if sent.insert(id) {
                    versions.push(Version {
                        id,
                        path: file.path.clone(),
                        bytes: repo.blob(id)?,
                    });
                }
            }
            changed.push(Changed {
                path: file.path,
                before: before.is_some(),
                after,
            });
        }
        let step = Step {
            commit,
            baseline: is_baseline,
            changed,
            versions,
        };
        if !send(step) {
            break;
        }
    }
    Ok(())
}
