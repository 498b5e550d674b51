//! Where a command's declarations are read from: the working tree, or a
//! revision read straight from Git objects. [`checked`] is the one way in:
//! it finds the files (`load`), checks them (`check`) and records the
//! provenance a baseline carries. [`at_commit`] is its second half, for a
//! caller that already holds the repository and the commit: a release
//! checks the very HEAD it tags, blame walks many commits. [`templates`]
//! reads the repository's template overrides from the same place.
//!
//! Invariant: a working tree that matches HEAD gives the model and the
//! provenance HEAD gives; one that differs is marked dirty, and a revision
//! never is. Files keep their plain repository-relative names either way;
//! the source map of a revision records it beside them, for messages.

mod templates;
#[cfg(test)]
mod tests;

pub use templates::templates;

use crate::check::{self, Outcome};
use crate::compile::Provenance;
use crate::git::{self, Repo};
use crate::load::{self, worktree, Input};
use crate::source::Revision;
use gix::ObjectId;
use jiff::civil::Date;
use std::path::Path;

/// Where the declarations are read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The governance folder of the working tree, as it is now.
    Worktree,
    /// A revision as the user named it (`main`, `v1.2`, `HEAD~1`, a commit
    /// id), read from Git objects without a checkout.
    Rev(String),
}

impl Source {
    /// Reads `rev` when one is given, else the working tree: the meaning of
    /// every `--rev` flag.
    pub fn from_rev(rev: Option<&str>) -> Source {
        rev.map_or(Source::Worktree, |rev| Source::Rev(rev.to_string()))
    }
}

/// Checked declarations and where they came from.
#[derive(Debug)]
pub struct Checked {
    /// The model, its diagnostics, and the files they point into.
    pub outcome: Outcome,
    /// What the manifest and the bundles record of the input.
    pub provenance: Provenance,
    /// The commit read, for a revision; `None` for the working tree.
    pub commit: Option<ObjectId>,
}

/// Why the declarations or the templates could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The repository, the revision, or an object of it.
    #[error(transparent)]
    Git(#[from] git::Error),
    /// The working tree's governance folder.
    #[error(transparent)]
    Worktree(#[from] worktree::Error),
    /// The repository's own templates.
    #[error(transparent)]
    Templates(#[from] crate::compile::templates::Error),
}

/// Reads and checks the governance folder `dir` of the repository at
/// `root` from `source`, as of `today`.
pub fn checked(root: &Path, dir: &str, today: Date, source: &Source) -> Result<Checked, Error> {
    match source {
        Source::Rev(rev) => {
            let repo = Repo::discover(root)?;
            let commit = repo.resolve(rev)?;
            Ok(at_commit(&repo, dir, today, rev, commit)?)
        }
        Source::Worktree => {
            let inputs = worktree::inputs(root, dir)?;
            Ok(Checked {
                outcome: check::check(inputs, today),
                provenance: worktree_provenance(root, dir),
                commit: None,
            })
        }
    }
}

/// Reads and checks the governance folder `dir` of the repository at
/// `root` from two sources, as [`checked`] reads each: the sides of a
/// drift. Both are read at once, and the files they share are parsed once
/// ([`check::check_two`]), keeping the diagnostics `keep` says. A failure
/// to read `to` is reported before one to read `from`.
///
/// Between two revisions, a file of `to` whose blob `from` holds under the
/// same name is parsed on the other cores as soon as it is decoded, while
/// the rest of both sides is still being read ([`load::Ahead`]): most
/// files of two nearby commits are shared.
pub fn checked_two(
    root: &Path,
    dir: &str,
    today: Date,
    from: &Source,
    to: &Source,
    keep: check::Keep,
) -> Result<(Checked, Checked), Error> {
    let ahead = load::Ahead::default();
    let (to_read, from_read) = match (from, to) {
        // Two revisions share most blobs: `from` decodes only the ones
        // `to` did not hold.
        (Source::Rev(from), Source::Rev(to)) => {
            let repo = Repo::discover(root)?;
            // An earlier side that does not read is reported by its read.
            let shared = repo
                .resolve(from)
                .and_then(|commit| repo.blob_ids(commit, dir))
                .unwrap_or_default();
            ahead.beside(|ahead| {
                let mut blobs = git::Blobs::default();
                let mut each = |index: usize, input: &Input, blob: Option<ObjectId>| {
                    if blob.is_some() && shared.get(&input.name) == blob.as_ref() {
                        ahead.offer(index, input);
                    }
                };
                let to_read = read_rev(&repo, dir, to, Some(&mut blobs), &mut each)?;
                blobs.stop_keeping();
                let none = &mut |_: usize, _: &Input, _: Option<ObjectId>| {};
                Ok::<_, Error>((to_read, read_rev(&repo, dir, from, Some(&mut blobs), none)?))
            })?
        }
        _ => {
            let (to_read, from_read) =
                rayon::join(|| read(root, dir, to), || read(root, dir, from));
            (to_read?, from_read?)
        }
    };
    let (from_outcome, to_outcome) = check::check_two(from_read.1, to_read.1, ahead, today, keep);
    Ok((
        seal(root, dir, from_read.0, from_outcome)?,
        seal(root, dir, to_read.0, to_outcome)?,
    ))
}

/// Where one side was read from: the working tree, or a commit the user
/// named `rev`.
enum Place {
    Worktree,
    Commit { rev: String, commit: ObjectId },
}

/// Reads the declaration files of one source.
fn read(root: &Path, dir: &str, source: &Source) -> Result<(Place, Vec<Input>), Error> {
    match source {
        Source::Rev(rev) => Ok(read_rev(
            &Repo::discover(root)?,
            dir,
            rev,
            None,
            &mut |_, _, _| {},
        )?),
        Source::Worktree => Ok((Place::Worktree, worktree::inputs(root, dir)?)),
    }
}

/// Reads the declaration files of the revision `rev`, taking and keeping
/// blob bodies in `blobs` when given, and handing `each` every file as it
/// is read ([`Repo::inputs_with`]).
fn read_rev(
    repo: &Repo,
    dir: &str,
    rev: &str,
    blobs: Option<&mut git::Blobs>,
    each: &mut dyn FnMut(usize, &Input, Option<ObjectId>),
) -> Result<(Place, Vec<Input>), git::Error> {
    let commit = repo.resolve(rev)?;
    let inputs = repo.inputs_with(commit, dir, rev, blobs, each)?;
    let place = Place::Commit {
        rev: rev.to_string(),
        commit,
    };
    Ok((place, inputs))
}

/// Records where a checked side came from, as [`checked`] does.
fn seal(root: &Path, dir: &str, place: Place, outcome: Outcome) -> Result<Checked, Error> {
    match place {
        Place::Worktree => Ok(Checked {
            outcome,
            provenance: worktree_provenance(root, dir),
            commit: None,
        }),
        Place::Commit { rev, commit } => {
            let repo = Repo::discover(root)?;
            Ok(sealed(&repo, dir, &rev, commit, outcome)?)
        }
    }
}

/// Reads and checks the governance folder `dir` of `commit`, which the user
/// named `rev`, in a repository already open: for a command that resolved
/// the commit itself, and for a walk over many commits.
pub fn at_commit(
    repo: &Repo,
    dir: &str,
    today: Date,
    rev: &str,
    commit: ObjectId,
) -> Result<Checked, git::Error> {
    let inputs = repo.inputs(commit, dir, rev)?;
    sealed(repo, dir, rev, commit, check::check(inputs, today))
}

/// The checked declarations of `commit`, with the revision their sources
/// were read from and the provenance a baseline records.
fn sealed(
    repo: &Repo,
    dir: &str,
    rev: &str,
    commit: ObjectId,
    mut outcome: Outcome,
) -> Result<Checked, git::Error> {
    outcome.sources.set_revision(Revision {
        name: rev.to_string(),
        commit: commit.to_string(),
    });
    let tree = repo.folder_tree(commit, dir)?;
    let provenance = Provenance {
        commit: Some(commit.to_string()),
        tree: tree.map(|t| t.to_string()),
        dirty: false,
        date: repo.info(commit).ok().map(|i| i.date),
    };
    Ok(Checked {
        outcome,
        provenance,
        commit: Some(commit),
    })
}

/// The provenance of the working tree: HEAD and its governance tree, dirty
/// unless the governance folder matches HEAD exactly. Outside a repository,
/// or before its first commit, it names no commit and is dirty.
fn worktree_provenance(root: &Path, dir: &str) -> Provenance {
    let Ok(repo) = Repo::discover(root) else {
        return Provenance::default_dirty();
    };
    let Some(head) = repo.head() else {
        return Provenance::default_dirty();
    };
    let tree = repo.folder_tree(head, dir).ok().flatten();
    let clean = repo.worktree_matches_head(dir).ok().flatten().is_some();
    Provenance {
        commit: Some(head.to_string()),
        tree: tree.map(|t| t.to_string()),
        dirty: !clean,
        date: repo.info(head).ok().map(|i| i.date),
    }
}
