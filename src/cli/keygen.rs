//! `govern keygen`: create an Ed25519 key for signing releases.

use super::{CommandError, Exit, Global};
use crate::sign::keys::{self, CreateError};
use std::path::PathBuf;

/// Create an Ed25519 signing key in OpenSSH format, and FILE.pub to paste
/// into a [[signer]]
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the private key (mode 0600); never overwritten
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,

    /// Comment stored with the key
    #[arg(long, default_value = "govern-release")]
    pub comment: String,
}

pub fn run(_global: &Global, args: &Args) -> Result<Exit, CommandError> {
    let line = keys::generate(&args.out, &args.comment).map_err(|e| match e {
        CreateError::Exists { .. } => CommandError::usage(e.to_string())
            .hint("choose another --out; rotate keys by adding a new [[signer]] first"),
        _ => CommandError::environment(&e),
    })?;
    eprintln!(
        "wrote {} and {}",
        args.out.display(),
        keys::public_path(&args.out).display()
    );
    eprintln!("add it to governance.toml as a [[signer]]:\n");
    println!(
        "[[signer]]\nid = \"{}\"\nteam = \"<your team>\"\npublic-key = \"{line}\"",
        args.comment
    );
    Ok(Exit::Success)
}
