//! `govern signers`: write the trusted signers as an OpenSSH
//! allowed_signers file, or their public keys as PEM.

use super::format::Format;
use super::{check, out, source, CommandError, Exit, Global};
use crate::model::settings::Signer;
use crate::sign::{allowed, anchor, keys};
use std::path::PathBuf;

/// Write the [[signer]] entries as an OpenSSH allowed_signers file, or with
/// --format pem as PEM public keys
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Read the signers at this revision instead of the working tree
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
}

pub fn run(global: &Global, args: &Args) -> Result<Exit, CommandError> {
    let outcome = source::load(global, args.rev.as_deref())?.outcome;
    if outcome.has_errors() {
        check::report(global, &outcome)?;
        return Err(CommandError::content(
            "the governance folder has errors, so its signers are not written",
        )
        .hint("fix the errors above; a partial allowed_signers file would drop signers"));
    }
    let declared = anchor::declarations(&outcome.model.settings.signers, &outcome.sources);
    if declared.is_empty() {
        return Err(CommandError::content(
            "governance.toml declares no [[signer]], so there is no allowed_signers file to write",
        )
        .hint(
            "make a key with `govern keygen --out KEY`, add the [[signer]] it prints to \
             governance.toml, and commit it",
        ));
    }
    let text = match global.format {
        Format::Pem => pem(&outcome.model.settings.signers)?,
        _ => allowed::render(&declared),
    };
    match &args.out {
        Some(path) => std::fs::write(path, text).map_err(|e| CommandError::environment(&e))?,
        None => out::stdout(text)?,
    }
    Ok(Exit::Success)
}

/// Each signer's public key as PEM, after a comment line that names it.
fn pem(signers: &[Signer]) -> Result<String, CommandError> {
    let mut text = String::new();
    for (i, signer) in signers.iter().enumerate() {
        let pem = keys::public_pem(&signer.public_key.value).map_err(|e| {
            CommandError::content(format!(
                "the public key of signer `{}` has no PEM form: {e}",
                signer.id.value
            ))
        })?;
        if i > 0 {
            text.push('\n');
        }
        text.push_str(&format!(
            "# {} ({})\n{pem}",
            signer.id.value, signer.team.value
        ));
    }
    Ok(text)
}
