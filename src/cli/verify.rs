//! `govern verify`: check a release's signature against a trust anchor the
//! release itself cannot change, then every file it lists.

use super::global::Format;
use super::source::{check_rev, open_repo};
use super::{CommandError, Exit, Global};
use crate::sign::allowed::Signers;
use crate::sign::anchor;
use crate::sign::release::{self, VerifyError};
use std::path::PathBuf;

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

/// A verification failure: exit 1, or 3 when the environment failed.
fn failed(e: VerifyError) -> CommandError {
    let exit = if e.is_io() {
        Exit::Environment
    } else {
        Exit::Content
    };
    let causes = match &e {
        VerifyError::Untrusted(refused) => refused.others().to_vec(),
        _ => Vec::new(),
    };
    let mut error = CommandError::content(format!("verification failed: {e}"));
    error.exit = exit;
    error.causes = causes;
    error
}

/// The `[[signer]]`s of governance.toml at `rev`, with the commit they
/// were read at.
fn declared_at(global: &Global, rev: &str) -> Result<(Signers, String), CommandError> {
    let repo = open_repo(global)?;
    let (outcome, commit) = check_rev(&repo, global, rev)?;
    let signers = anchor::declared(&outcome.model.settings.signers, &outcome.sources);
    Ok((signers, commit.to_string()))
}

fn anchor(global: &Global, args: &Args) -> Result<Signers, CommandError> {
    match (&args.signers, &args.trust) {
        (Some(file), _) => anchor::read_file(file).map_err(|e| {
            let mut error = CommandError::environment(&e);
            if matches!(e, anchor::Error::NotAFile { .. }) {
                error.exit = Exit::Usage;
            }
            error.hint("pass an OpenSSH allowed_signers file, such as `govern signers` writes")
        }),
        (None, Some(rev)) => Ok(declared_at(global, rev)?.0),
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
    global.require_format("verify", &[Format::Human])?;
    let trusted = anchor(global, args)?;
    let now = global.now();
    let identity = args.identity.as_deref();
    let opened = release::open(&args.dist).map_err(failed)?;
    let accepted = opened.trusted_by(&trusted, identity, now).map_err(failed)?;
    let manifest = opened.manifest().map_err(failed)?;
    if args.trust.is_some() {
        // The key must also be a listed, valid signer at the release's own
        // commit, so a key removed before the release cannot sign it.
        let Some(commit) = manifest.commit.as_deref() else {
            return Err(CommandError::content(
                "verification failed: the manifest names no commit, so its signers cannot be read",
            )
            .hint("verify it with --signers FILE instead"));
        };
        let short = &commit[..7];
        let (own, _) = declared_at(global, commit).map_err(|e| {
            CommandError::content(format!(
                "verification failed: the release's commit {short} cannot be read here: {}",
                e.message
            ))
            .hint("fetch it into this repository, or verify with --signers FILE")
        })?;
        opened
            .trusted_by(&own, identity, now)
            .map_err(|e| match e {
                VerifyError::Untrusted(refused) if refused.is_unlisted() => {
                    CommandError::content(format!(
                        "verification failed: the key that signed is no listed signer at the \
                     release's commit {short}"
                    ))
                }
                other => failed(other),
            })?;
    }
    let files = crate::sign::tree::check(&args.dist, &manifest).map_err(|e| failed(e.into()))?;
    println!(
        "verified {files} files of {}: signed by {}{}, commit {}",
        args.dist.display(),
        accepted.signer(identity),
        accepted
            .team
            .as_deref()
            .map(|t| format!(" ({t})"))
            .unwrap_or_default(),
        manifest.commit.as_deref().unwrap_or("unknown"),
    );
    Ok(Exit::Success)
}
