//! The signing key a command is given (`release --key`, `build
//! --sign-bundle`): read from its file, decrypted with the passphrase in
//! `GOVERN_KEY_PASSPHRASE` when it has one, as CI passes a secret. The key
//! file is only ever read.

use super::{CommandError, Exit};
use crate::sign::keys::{self, Key};
use std::path::Path;

/// The environment variable that holds the passphrase of an encrypted key.
pub const PASSPHRASE_VAR: &str = "GOVERN_KEY_PASSPHRASE";

/// Reads the Ed25519 key at `path`, decrypting it with
/// `GOVERN_KEY_PASSPHRASE` when it is protected.
pub(super) fn read(path: &Path) -> Result<Key, CommandError> {
    let passphrase = match std::env::var(PASSPHRASE_VAR) {
        Ok(value) => Some(value).filter(|v| !v.is_empty()),
        Err(std::env::VarError::NotPresent) => None,
        Err(e @ std::env::VarError::NotUnicode(_)) => {
            return Err(CommandError::environment(&e).hint(format!(
                "{PASSPHRASE_VAR} must hold the passphrase as UTF-8 text"
            )))
        }
    };
    keys::read_private(path, passphrase.as_deref()).map_err(|e| match e {
        keys::Error::Encrypted { .. } => {
            CommandError::environment(&e).hint(format!("set {PASSPHRASE_VAR} to its passphrase"))
        }
        keys::Error::PublicKey { ref path } => {
            let hint = match path.extension().is_some_and(|x| x == "pub") {
                true => format!(
                    "pass the private key, {}",
                    path.with_extension("").display()
                ),
                false => "pass the private key, not its .pub".to_string(),
            };
            CommandError::environment(&e).hint(hint)
        }
        keys::Error::WrongPassphrase { path, .. } => {
            let mut error = CommandError::usage(format!(
                "the passphrase in {PASSPHRASE_VAR} does not decrypt {}",
                path.display()
            ))
            .hint(format!(
                "set {PASSPHRASE_VAR} to the passphrase this key was made with"
            ));
            error.exit = Exit::Environment;
            error
        }
        _ => CommandError::environment(&e)
            .hint("make one with `govern keygen --out KEY` or `ssh-keygen -t ed25519 -f KEY`"),
    })
}
