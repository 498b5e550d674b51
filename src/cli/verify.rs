//! `govern verify`: check a release's files and signature against a trust
//! anchor the release itself cannot change.

use super::global::Format;
use super::source::{git_error, open_repo};
use super::{CommandError, Exit, Global};
use crate::sign::allowed::{self, Allowed};
use crate::sign::release::{self, VerifyError};
use std::path::PathBuf;

/// Verify a signed release: every file's hash and the manifest signature
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("anchor").args(["signers", "trust"])))]
pub struct Args {
    /// The release folder
    #[arg(default_value = "dist")]
    pub dist: PathBuf,

    /// Trust the keys of this OpenSSH allowed_signers file (no repository needed)
    #[arg(long, value_name = "FILE")]
    pub signers: Option<PathBuf>,

    /// Trust the [[signer]] entries of governance.toml at this revision
    /// (the protected main branch, the previous release tag)
    #[arg(long, value_name = "REV")]
    pub trust: Option<String>,
}

fn trusted_at(global: &Global, rev: &str) -> Result<Vec<Allowed>, CommandError> {
    let repo = open_repo(global)?;
    let commit = repo.resolve(rev).map_err(git_error)?;
    let inputs = repo.inputs(commit, &global.dir, rev).map_err(git_error)?;
    let outcome = crate::check::check(inputs, global.today());
    Ok(allowed::from_signers(&outcome.model.settings.signers))
}

fn failed(e: VerifyError) -> CommandError {
    let mut error = CommandError::usage(format!("verification failed: {e}"));
    error.exit = match e {
        VerifyError::Read { .. } => Exit::Environment,
        _ => Exit::Content,
    };
    error
}

pub fn run(global: &Global, args: &Args) -> Result<Exit, CommandError> {
    global.require_format("verify", &[Format::Human])?;
    let trusted = match (&args.signers, &args.trust) {
        (Some(file), _) => {
            let text = std::fs::read_to_string(file).map_err(|e| {
                CommandError::environment(&e).hint(format!("cannot read {}", file.display()))
            })?;
            allowed::parse(&text).map_err(|e| CommandError::usage(format!("{}: {e}", file.display())))?
        }
        (None, Some(rev)) => trusted_at(global, rev)?,
        (None, None) => {
            return Err(CommandError::usage("verify needs a trust anchor: --signers FILE or --trust REV")
                .hint(
                    "trusting the signers declared in the release itself would let anyone who edits \
                     governance add their own key; pass an allowed_signers file (`govern signers`) or \
                     a revision you trust, such as the protected main branch or the previous release tag",
                ))
        }
    };
    let verified = release::verify(&args.dist, &trusted, None).map_err(failed)?;
    if args.trust.is_some() {
        // The key must also be a listed, unexpired signer at the release's own commit.
        let commit = verified.commit.clone().ok_or_else(|| {
            failed(VerifyError::BadManifest(
                "the manifest names no commit".into(),
            ))
        })?;
        let own = trusted_at(global, &commit)?;
        release::verify(&args.dist, &own, None).map_err(|e| match e {
            VerifyError::UnknownKey { .. } => failed(VerifyError::BadManifest(format!(
                "the signing key is not a [[signer]] at the release's own commit {}",
                &commit[..commit.len().min(10)]
            ))),
            other => failed(other),
        })?;
    }
    println!(
        "verified {} files of {}: signed by {}{}, commit {}",
        verified.files,
        args.dist.display(),
        verified.signer,
        verified.team.map(|t| format!(" ({t})")).unwrap_or_default(),
        verified.commit.as_deref().unwrap_or("unknown"),
    );
    Ok(Exit::Success)
}
