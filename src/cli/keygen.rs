//! `govern keygen`: create an Ed25519 key for signing releases, or write the
//! public key of an existing one as PEM.

use super::{out, CommandError, Exit, Global};
use crate::sign::keys::{self, CreateError};
use std::path::PathBuf;

/// Create an Ed25519 signing key in OpenSSH format, FILE.pub to paste into a
/// [[signer]] and FILE.pub.pem for OPA's bundle verification
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the private key (mode 0600); never overwritten
    #[arg(long, value_name = "FILE", required_unless_present = "public_pem")]
    pub out: Option<PathBuf>,

    /// Comment stored with the key
    #[arg(long, default_value = "govern-release")]
    pub comment: String,

    /// Print the public key of this existing key (KEY.pub, or the private
    /// key) as PEM instead of creating one
    #[arg(long, value_name = "KEY", conflicts_with = "out")]
    pub public_pem: Option<PathBuf>,
}

pub fn run(_global: &Global, args: &Args) -> Result<Exit, CommandError> {
    let Some(out) = &args.out else {
        let Some(key) = &args.public_pem else {
            return Err(CommandError::usage(
                "keygen needs --out FILE or --public-pem KEY",
            ));
        };
        let pem = keys::pem_of_file(key).map_err(|e| CommandError::environment(&e))?;
        out::stdout(pem)?;
        return Ok(Exit::Success);
    };
    let line = keys::generate(out, &args.comment).map_err(|e| match e {
        CreateError::Exists { .. } => CommandError::usage(e.to_string())
            .hint("choose another --out; rotate keys by adding a new [[signer]] first"),
        _ => CommandError::environment(&e),
    })?;
    out::stderr(format_args!(
        "wrote {}, {} and {}\n",
        out.display(),
        keys::public_path(out).display(),
        keys::pem_path(out).display()
    ))?;
    out::stderr("add it to governance.toml as a [[signer]]:\n\n")?;
    out::stdout(format_args!(
        "[[signer]]\nid = \"{}\"\nteam = \"<your team>\"\npublic-key = \"{line}\"\n",
        args.comment
    ))?;
    Ok(Exit::Success)
}
