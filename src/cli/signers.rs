//! `govern signers`: write the trusted signers as an OpenSSH
//! allowed_signers file.

use super::source::{git_error, open_repo};
use super::{CommandError, Exit, Global};
use crate::sign::allowed;
use std::path::PathBuf;

/// Write the [[signer]] entries as an OpenSSH allowed_signers file
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
    let outcome = match &args.rev {
        Some(rev) => {
            let repo = open_repo(global)?;
            let commit = repo.resolve(rev).map_err(git_error)?;
            let inputs = repo.inputs(commit, &global.dir, rev).map_err(git_error)?;
            crate::check::check(inputs, global.today())
        }
        None => super::check::load_and_check(global)?,
    };
    let rev = args.rev.as_deref().unwrap_or("the working tree");
    let text = allowed::render(&super::verify::declared(
        &outcome.model.settings.signers,
        rev,
    ));
    match &args.out {
        Some(path) => std::fs::write(path, text).map_err(|e| CommandError::environment(&e))?,
        None => print!("{text}"),
    }
    Ok(Exit::Success)
}
