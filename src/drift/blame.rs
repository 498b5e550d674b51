//! Attributes each change of a drift to the commit in the range that
//! introduced it: models are compiled for every first-parent commit whose
//! governance tree changed, and a change belongs to the newest commit whose
//! own diff produced it.

use super::changes::{diff, Change};
use crate::git::{self, CommitInfo, Repo, Walk};
use crate::model::Model;
use crate::read;
use gix::ObjectId;
use jiff::civil::Date;

/// Returns, for each change, the commit that introduced it, or `None` when
/// no commit in the range did (an uncommitted change of the working tree).
pub fn blame(
    repo: &Repo,
    dir: &str,
    from: Option<ObjectId>,
    to: ObjectId,
    today: Date,
    changes: &[Change],
) -> Result<Vec<Option<CommitInfo>>, git::Error> {
    // First-parent commits after `from` up to `to`, newest first.
    let mut range = Vec::new();
    let walk = repo.first_parent(to, |id, _| {
        if Some(id) == from {
            return Ok(false);
        }
        range.push(id);
        Ok(true)
    })?;
    if walk == Walk::Truncated && from.is_some() {
        return Err(git::Error::ShallowHistory {
            what: format!("commit {}", from.map(|f| f.to_string()).unwrap_or_default()),
        });
    }
    range.reverse();
    let model_at = |commit: Option<ObjectId>| -> Result<Model, git::Error> {
        match commit {
            None => Ok(Model::default()),
            Some(c) => match read::at_commit(repo, dir, today, &c.to_string(), c) {
                Ok(checked) => Ok(checked.outcome.model),
                Err(git::Error::MissingFolder { .. }) => Ok(Model::default()),
                Err(e) => Err(e),
            },
        }
    };
    let mut previous_tree = from
        .map(|f| repo.folder_tree(f, dir))
        .transpose()?
        .flatten();
    let mut previous = model_at(from)?;
    let mut found: Vec<Option<CommitInfo>> = vec![None; changes.len()];
    for commit in range {
        let tree = repo.folder_tree(commit, dir)?;
        if tree == previous_tree {
            continue;
        }
        let model = model_at(Some(commit))?;
        let step = diff(&previous, &model);
        let mut info = None;
        for (slot, change) in found.iter_mut().zip(changes) {
            if step.iter().any(|s| s.key() == change.key()) {
                if info.is_none() {
                    info = Some(repo.info(commit)?);
                }
                *slot = info.clone();
            }
        }
        previous = model;
        previous_tree = tree;
    }
    Ok(found)
}
