//! Reads Ed25519 private keys in OpenSSH format, as `govern keygen` and
//! `ssh-keygen -t ed25519` write them.

use ed25519_dalek::SigningKey;
use ssh_key::private::KeypairData;
use ssh_key::PrivateKey;
use std::path::{Path, PathBuf};

/// Why a key could not be used.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read key file {path}")]
    ReadKey {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not an OpenSSH private key")]
    ParseKey {
        path: PathBuf,
        #[source]
        source: ssh_key::Error,
    },
    #[error("{path} is protected by a passphrase")]
    Encrypted { path: PathBuf },
    #[error("{path} is a {algorithm} key; govern signs with Ed25519 keys")]
    NotEd25519 { path: PathBuf, algorithm: String },
}

/// A private key with the comment it was saved with.
pub struct Key {
    pub signing: SigningKey,
    pub private: PrivateKey,
}

/// Reads an unencrypted Ed25519 private key in OpenSSH format.
pub fn read_private(path: &Path) -> Result<Key, Error> {
    let text = std::fs::read(path).map_err(|source| Error::ReadKey {
        path: path.to_path_buf(),
        source,
    })?;
    let private = PrivateKey::from_openssh(&text).map_err(|source| Error::ParseKey {
        path: path.to_path_buf(),
        source,
    })?;
    if private.is_encrypted() {
        return Err(Error::Encrypted {
            path: path.to_path_buf(),
        });
    }
    match private.key_data() {
        KeypairData::Ed25519(pair) => Ok(Key {
            signing: SigningKey::from_bytes(&pair.private.to_bytes()),
            private,
        }),
        other => Err(Error::NotEd25519 {
            path: path.to_path_buf(),
            algorithm: other
                .algorithm()
                .map_or_else(|_| "unknown".into(), |a| a.to_string()),
        }),
    }
}
