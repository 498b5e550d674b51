//! Where a command's declarations come from: the working tree, or a
//! revision read straight from Git objects; and the provenance recorded in
//! the baseline.

use super::{CommandError, Exit, Global};
use crate::check::{self, Outcome};
use crate::compile::templates::overrides::{self, Entry};
use crate::compile::templates::{self, Override};
use crate::compile::{Provenance, Templates};
use crate::git::{self, Repo};
use crate::load::worktree;
use crate::source::Revision;
use std::path::Path;

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

/// Opens the repository around the repository root.
pub fn open_repo(global: &Global) -> Result<Repo, CommandError> {
    let root = global.repo_root()?;
    Repo::discover(&root).map_err(git_error)
}

/// Loads and checks the declarations at `rev`, or in the working tree.
pub fn load(global: &Global, rev: Option<&str>) -> Result<(Outcome, Provenance), CommandError> {
    match rev {
        Some(rev) => {
            let repo = open_repo(global)?;
            let (outcome, commit) = check_rev(&repo, global, rev)?;
            let tree = repo.folder_tree(commit, &global.dir).map_err(git_error)?;
            let provenance = Provenance {
                commit: Some(commit.to_string()),
                tree: tree.map(|t| t.to_string()),
                dirty: false,
                date: repo.info(commit).ok().map(|i| i.date),
            };
            Ok((outcome, provenance))
        }
        None => {
            let outcome = super::check::load_and_check(global)?;
            Ok((outcome, worktree_provenance(global)))
        }
    }
}

/// Resolves `rev`, then loads and checks the declarations of that commit.
pub fn check_rev(
    repo: &Repo,
    global: &Global,
    rev: &str,
) -> Result<(Outcome, gix::ObjectId), CommandError> {
    let commit = repo.resolve(rev).map_err(git_error)?;
    Ok((check_at(repo, global, rev, commit)?, commit))
}

/// Loads and checks the declarations of `commit`, which the user named
/// `rev`. Files keep their plain repository-relative names; the source map
/// records the revision beside them, for messages.
pub fn check_at(
    repo: &Repo,
    global: &Global,
    rev: &str,
    commit: gix::ObjectId,
) -> Result<Outcome, CommandError> {
    let inputs = repo.inputs(commit, &global.dir, rev).map_err(git_error)?;
    let mut outcome = check::check(inputs, global.today());
    outcome.sources.set_revision(Revision {
        name: rev.to_string(),
        commit: commit.to_string(),
    });
    Ok(outcome)
}

/// The provenance of a working-tree build: HEAD and its governance tree,
/// dirty unless the governance folder matches HEAD exactly.
pub fn worktree_provenance(global: &Global) -> Provenance {
    let Ok(root) = global.repo_root() else {
        return Provenance::default_dirty();
    };
    let Ok(repo) = Repo::discover(&root) else {
        return Provenance::default_dirty();
    };
    let Some(head) = repo.head() else {
        return Provenance::default_dirty();
    };
    let tree = repo.folder_tree(head, &global.dir).ok().flatten();
    let clean = repo
        .worktree_matches_head(&global.dir)
        .ok()
        .flatten()
        .is_some();
    Provenance {
        commit: Some(head.to_string()),
        tree: tree.map(|t| t.to_string()),
        dirty: !clean,
        date: repo.info(head).ok().map(|i| i.date),
    }
}

/// Lists the working tree's declaration files.
pub fn worktree_inputs(global: &Global) -> Result<Vec<crate::load::Input>, CommandError> {
    let root = global.repo_root()?;
    worktree::inputs(&root, &global.dir).map_err(|e| {
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
    })
}

/// Loads the templates: `--templates DIR` when given, else the repository's
/// `templates/` folder, read from `rev` when building a revision so that a
/// commit always renders the same way. Warns of files there that are no
/// template of govern.
pub fn templates(
    global: &Global,
    explicit: Option<&Path>,
    rev: Option<&str>,
) -> Result<Templates, CommandError> {
    let templates = if let Some(dir) = explicit {
        if !dir.is_dir() {
            return Err(CommandError::usage(format!(
                "--templates {} is not a folder",
                dir.display()
            )));
        }
        Templates::load(Some(dir)).map_err(template_error)?
    } else if let Some(rev) = rev {
        committed_templates(global, rev)?
    } else {
        let root = global.repo_root()?;
        Templates::load_repository(&root.join("templates")).map_err(template_error)?
    };
    for path in &templates.unknown {
        super::out::stderr(format_args!(
            "warning: {path} is not a template govern renders, so it is not used; the templates are {}\n",
            templates::names().join(", ")
        ))?;
    }
    Ok(templates)
}

/// Loads the overrides of `templates/` at `rev` from Git objects, under the
/// working tree's rule.
fn committed_templates(global: &Global, rev: &str) -> Result<Templates, CommandError> {
    let repo = open_repo(global)?;
    let commit = repo.resolve(rev).map_err(git_error)?;
    let Some(tree) = repo.folder_tree(commit, "templates").map_err(git_error)? else {
        if let Some(mode) = repo.entry_mode(commit, "templates").map_err(git_error)? {
            let kind = if mode.is_link() {
                "a symbolic link"
            } else {
                "a file"
            };
            return Err(template_error(templates::Error::NotAFolder {
                path: format!("templates at {rev}"),
                kind,
            }));
        }
        return Templates::with(Vec::new()).map_err(template_error);
    };
    let mut entries = Vec::new();
    for (path, mode, id) in repo.files(tree).map_err(git_error)? {
        let entry = if mode.is_link() {
            let target = repo.blob(id).map_err(git_error)?;
            Entry::Link(String::from_utf8_lossy(&target).into_owned())
        } else if mode.is_blob() {
            Entry::File(id)
        } else {
            Entry::Other
        };
        entries.push((path, entry));
    }
    let plan = overrides::plan_tree("templates", rev, &entries).map_err(template_error)?;
    let mut found = overrides::Found {
        overrides: Vec::new(),
        unknown: plan.unknown,
    };
    for (name, origin, id) in plan.chosen {
        let bytes = repo.blob(id).map_err(git_error)?;
        let text = overrides::text(origin.clone(), bytes).map_err(template_error)?;
        found.overrides.push(Override { name, origin, text });
    }
    Templates::found(found).map_err(template_error)
}

/// A problem in the repository's own templates is a content error: exit 1.
pub fn template_error(e: impl std::error::Error) -> CommandError {
    let mut error = CommandError::environment(&e);
    error.exit = Exit::Content;
    error
}
