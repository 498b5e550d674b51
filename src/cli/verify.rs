//! `govern verify`: check a release's signature against a trust anchor the
//! release itself cannot change, then every file it lists.

use super::source::{self, open_repo};
use super::{out, CommandError, Exit, Global};
use crate::sign::allowed::Signers;
use crate::sign::anchor;
use crate::sign::release::VerifyError;
use crate::sign::verify::{self, Failure, SignersAt};
use std::path::{Path, PathBuf};

/// Verify a signed release: its signature, its signer, and every file's size
/// and hash
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("anchor").args(["signers", "trust"])))]
pub struct Args {
    /// The release folder
    #[arg(default_value = "dist")]
    pub dist: PathBuf,

    /// Trust the keys of this OpenSSH allowed_signers file (no repository
    /// needed); it decides as `ssh-keygen -Y verify -f FILE` does
    #[arg(long, value_name = "FILE")]
    pub signers: Option<PathBuf>,

    /// Trust the [[signer]] entries of governance.toml at this revision
    /// (the protected main branch, the previous release tag)
    #[arg(long, value_name = "REV")]
    pub trust: Option<String>,

    /// Require the key to be listed for this signer identity, as
    /// `ssh-keygen -Y verify -I ID` does
    #[arg(long, value_name = "ID")]
    pub identity: Option<String>,
}

/// The most causes a failure lists; a hostile allowed_signers file may
/// hold any number of lines that were skipped.
const MAX_CAUSES: usize = 10;

/// A verification failure: exit 1, or 3 when the environment failed.
fn failed(e: VerifyError) -> CommandError {
    let exit = if e.is_io() {
        Exit::Environment
    } else {
        Exit::Content
    };
    let mut causes = match &e {
        VerifyError::Untrusted(refused) => refused.others().to_vec(),
        _ => {
            let mut chain = Vec::new();
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                chain.push(cause.to_string());
                source = cause.source();
            }
            chain
        }
    };
    if causes.len() > MAX_CAUSES {
        let more = causes.len() - MAX_CAUSES;
        causes.truncate(MAX_CAUSES);
        causes.push(format!("and {more} more"));
    }
    let mut error = CommandError::content(format!("verification failed: {e}"));
    error.exit = exit;
    error.causes = causes;
    error
}

/// Says why a release did not verify, and what to do.
fn refused(failure: Failure<CommandError>) -> CommandError {
    match failure {
        Failure::Release(e) => failed(e),
        Failure::NoCommit => CommandError::content(
            "verification failed: the manifest names no commit, so its signers cannot be read",
        )
        .hint("verify it with --signers FILE instead"),
        Failure::OwnCommit { commit, error } => match error.exit {
            Exit::Content => error,
            _ => CommandError::content(format!(
                "verification failed: the release's commit {} cannot be read here: {}",
                short(&commit),
                error.message
            ))
            .hint("fetch it into this repository, or verify with --signers FILE"),
        },
        Failure::UnlistedAtCommit { commit } => CommandError::content(format!(
            "verification failed: the key that signed is no listed signer at the release's \
             commit {}",
            short(&commit)
        )),
    }
}

/// The first seven characters of a commit id, as Git abbreviates it.
fn short(commit: &str) -> &str {
    commit.get(..7).unwrap_or(commit)
}

/// Refuses a repository that lies inside the release folder: a release
/// that ships its own `.git` would otherwise choose its own signers.
fn outside_release(repo: &crate::git::Repo, dist: &Path) -> Result<(), CommandError> {
    let Ok(dist) = dist.canonicalize() else {
        return Ok(());
    };
    let places = [Some(repo.git_dir()), repo.workdir()];
    for place in places.into_iter().flatten() {
        if place.canonicalize().is_ok_and(|p| p.starts_with(&dist)) {
            return Err(CommandError::content(format!(
                "verification failed: the repository at {} is inside the release folder, \
                 and trust cannot come from the release itself",
                place.display()
            ))
            .hint("run verify from the repository you trust, or pass --repo PATH"));
        }
    }
    Ok(())
}

/// The `[[signer]]`s of governance.toml at `rev`, read from a repository
/// outside the release.
fn declared_at(global: &Global, rev: &str, dist: &Path) -> Result<Signers, CommandError> {
    let repo = open_repo(global)?;
    outside_release(&repo, dist)?;
    let outcome = source::load(global, Some(rev))?.outcome;
    if outcome.has_errors() {
        return Err(CommandError::content(format!(
            "verification failed: the governance folder at {rev} has errors, so its signers \
             cannot be trusted"
        ))
        .hint(format!("`govern check --rev {rev}` lists them")));
    }
    Ok(anchor::declared(
        &outcome.model.settings.signers,
        &outcome.sources,
    ))
}

fn anchor(global: &Global, args: &Args) -> Result<Signers, CommandError> {
    match (&args.signers, &args.trust) {
        (Some(file), _) => anchor::read_file(file).map_err(|e| {
            let mut error = CommandError::environment(&e);
            if e.is_usage() {
                error.exit = Exit::Usage;
            }
            error.hint("pass an OpenSSH allowed_signers file, such as `govern signers` writes")
        }),
        (None, Some(rev)) => declared_at(global, rev, &args.dist),
        (None, None) => Err(CommandError::usage(
            "verify needs a trust anchor: --signers FILE or --trust REV",
        )
        .hint(
            "trusting the signers declared in the release itself would let anyone who edits \
             governance add their own key; pass an allowed_signers file (`govern signers`) or \
             a revision you trust, such as the protected main branch or the previous release tag",
        )),
    }
}

pub fn run(global: &Global, args: &Args) -> Result<Exit, CommandError> {
    let trusted = anchor(global, args)?;
    let identity = args.identity.as_deref();
    let at_commit = |commit: &str| declared_at(global, commit, &args.dist);
    let own = args
        .trust
        .is_some()
        .then_some(&at_commit as SignersAt<'_, CommandError>);
    let verified =
        verify::release(&args.dist, &trusted, own, identity, global.now()).map_err(refused)?;
    let (files, manifest, accepted) = (verified.files, verified.manifest, verified.accepted);
    let built = if manifest.dirty {
        "built with uncommitted changes on top of commit"
    } else {
        "commit"
    };
    out::stdout(format_args!(
        "verified {files} files of {}: signed by {}{}, {built} {}\n",
        args.dist.display(),
        accepted.signer(identity),
        accepted
            .team
            .as_deref()
            .map(|t| format!(" ({t})"))
            .unwrap_or_default(),
        manifest.commit.as_deref().unwrap_or("unknown"),
    ))?;
    Ok(Exit::Success)
}
