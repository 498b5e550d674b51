//! The repository's own template overrides, from where the declarations
//! are read: the `templates/` folder beside the governance folder in the
//! working tree, or in a revision's tree, so that a commit always renders
//! the same way. Both are judged by the same rule.

use super::{Error, Source};
use crate::compile::templates::overrides::{self, Entry, Found};
use crate::compile::templates::{self, Override};
use crate::compile::Templates;
use crate::git::Repo;
use gix::ObjectId;
use std::path::Path;

/// The folder of overrides, relative to the repository root.
const FOLDER: &str = "templates";

/// Loads the built-in templates, replaced by the repository's overrides
/// from `source`; [`Templates::unknown`] lists files there that are no
/// template of govern.
///
/// `commit`, when given, is the commit the declarations were read from:
/// the overrides are read from it rather than by resolving `rev` again, so
/// a branch that moves meanwhile cannot pair one commit's declarations
/// with another's templates.
pub fn templates(
    root: &Path,
    source: &Source,
    commit: Option<ObjectId>,
) -> Result<Templates, Error> {
    match source {
        Source::Worktree => Ok(Templates::load_repository(&root.join(FOLDER))?),
        Source::Rev(rev) => {
            let repo = Repo::discover(root)?;
            let commit = match commit {
                Some(commit) => commit,
                None => repo.resolve(rev)?,
            };
            committed(&repo, rev, commit)
        }
    }
}

/// Loads the overrides of `templates/` at `commit`, which the user named
/// `rev`, from Git objects.
fn committed(repo: &Repo, rev: &str, commit: ObjectId) -> Result<Templates, Error> {
    let Some(tree) = repo.folder_tree(commit, FOLDER)? else {
        if let Some(mode) = repo.entry_mode(commit, FOLDER)? {
            let kind = if mode.is_link() {
                "a symbolic link"
            } else {
                "a file"
            };
            return Err(templates::Error::NotAFolder {
                path: format!("{FOLDER} at {rev}"),
                kind,
            }
            .into());
        }
        return Ok(Templates::with(Vec::new())?);
    };
    let mut entries = Vec::new();
    for (path, mode, id) in repo.files(tree)? {
        let entry = if mode.is_link() {
            let target = repo.blob(id)?;
            Entry::Link(String::from_utf8_lossy(&target).into_owned())
        } else if mode.is_blob() {
            Entry::File(id)
        } else {
            Entry::Other
        };
        entries.push((path, entry));
    }
    let plan = overrides::plan_tree(FOLDER, rev, &entries)?;
    let mut found = Found {
        overrides: Vec::new(),
        unknown: plan.unknown,
    };
    for (name, origin, id) in plan.chosen {
        let bytes = repo.blob(id)?;
        let text = overrides::text(origin.clone(), bytes)?;
        found.overrides.push(Override { name, origin, text });
    }
    Ok(Templates::found(found)?)
}
