//! Where a command's declarations come from, as the command line names it
//! (`--rev`, `--templates`), and the failures of reading them as the user
//! sees them.

use super::{out, CommandError, Exit, Global};
use crate::compile::templates;
use crate::compile::Templates;
use crate::git::{self, Repo};
use crate::load::worktree;
use crate::read::{self, Checked, Source};
use std::path::Path;

/// Reads and checks the declarations at `rev`, or in the working tree.
pub fn load(global: &Global, rev: Option<&str>) -> Result<Checked, CommandError> {
    let root = global.repo_root()?;
    read::checked(&root, &global.dir, global.today(), &Source::from_rev(rev))
        .map_err(|e| read_error(global, e))
}

/// Opens the repository around the repository root.
pub fn open_repo(global: &Global) -> Result<Repo, CommandError> {
    let root = global.repo_root()?;
    Repo::discover(&root).map_err(git_error)
}

/// Loads the templates: `--templates DIR` when given, else the repository's
/// `templates/` folder, read from `rev` when building a revision. Warns of
/// files there that are no template of govern.
pub fn templates(
    global: &Global,
    explicit: Option<&Path>,
    rev: Option<&str>,
    commit: Option<gix::ObjectId>,
) -> Result<Templates, CommandError> {
    let templates = match explicit {
        Some(dir) if !dir.is_dir() => {
            return Err(CommandError::usage(format!(
                "--templates {} is not a folder",
                dir.display()
            )))
        }
        Some(dir) => Templates::load(Some(dir)).map_err(template_error)?,
        None => {
            let root = global.repo_root()?;
            read::templates(&root, &Source::from_rev(rev), commit)
                .map_err(|e| read_error(global, e))?
        }
    };
    for path in &templates.unknown {
        out::stderr(format_args!(
            "warning: {path} is not a template govern renders, so it is not used; the templates are {}\n",
            templates::names().join(", ")
        ))?;
    }
    Ok(templates)
}

/// Turns a failure to read the declarations or templates into a command
/// error with a hint.
pub fn read_error(global: &Global, e: read::Error) -> CommandError {
    match e {
        read::Error::Git(e) => git_error(e),
        read::Error::Worktree(e) => worktree_error(global, e),
        read::Error::Templates(e) => template_error(e),
    }
}

/// Turns a Git failure into a command error with a hint.
pub fn git_error(e: git::Error) -> CommandError {
    let hint = match &e {
        git::Error::NotARepository { .. } => {
            Some("run inside a Git repository, or pass --repo PATH".to_string())
        }
        git::Error::EmptyRepository { .. } => Some("commit the governance folder first".into()),
        git::Error::UnknownRevision { .. } => {
            Some("name a branch, tag or commit that exists: `git log --oneline` lists them".into())
        }
        git::Error::ShallowHistory { .. } => Some(
            "this is a shallow clone: fetch the full history with `git fetch --unshallow` \
             (in GitHub Actions, `fetch-depth: 0`)"
                .into(),
        ),
        git::Error::MissingFolder { .. } => {
            Some("pass --dir if the governance folder has another name".into())
        }
        _ => None,
    };
    let usage = e.is_usage();
    let mut error = CommandError::environment(&e);
    if usage {
        error.exit = Exit::Usage;
    }
    match hint {
        Some(h) => error.hint(h),
        None => error,
    }
}

/// A working tree without a readable governance folder.
pub(super) fn worktree_error(global: &Global, e: worktree::Error) -> CommandError {
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
}

/// A problem in the repository's own templates is a content error: exit 1.
pub fn template_error(e: impl std::error::Error) -> CommandError {
    let mut error = CommandError::environment(&e);
    error.exit = Exit::Content;
    error
}
