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
    #[error("the passphrase does not decrypt {path}")]
    WrongPassphrase {
        path: PathBuf,
        #[source]
        source: ssh_key::Error,
    },
    #[error("{path} is a {algorithm} key; govern signs with Ed25519 keys")]
    NotEd25519 { path: PathBuf, algorithm: String },
}

/// A private key with the comment it was saved with.
pub struct Key {
    pub signing: SigningKey,
    pub private: PrivateKey,
}

/// Reads an Ed25519 private key in OpenSSH format; a key protected by a
/// passphrase is decrypted in memory with `passphrase`, and the file is
/// never changed.
pub fn read_private(path: &Path, passphrase: Option<&str>) -> Result<Key, Error> {
    let text = std::fs::read(path).map_err(|source| Error::ReadKey {
        path: path.to_path_buf(),
        source,
    })?;
    let private = PrivateKey::from_openssh(&text).map_err(|source| Error::ParseKey {
        path: path.to_path_buf(),
        source,
    })?;
    let private = match (private.is_encrypted(), passphrase) {
        (false, _) => private,
        (true, None) => {
            return Err(Error::Encrypted {
                path: path.to_path_buf(),
            })
        }
        (true, Some(passphrase)) => {
            private
                .decrypt(passphrase)
                .map_err(|source| Error::WrongPassphrase {
                    path: path.to_path_buf(),
                    source,
                })?
        }
    };
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

/// Why a key could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("{path} already exists; govern never overwrites a key")]
    Exists { path: PathBuf },
    #[error("cannot gather randomness for a new key")]
    Random(#[source] getrandom::Error),
    #[error("cannot encode the new key")]
    Encode(#[source] ssh_key::Error),
    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Returns the `.pub` path beside a private key file.
pub fn public_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".pub");
    PathBuf::from(name)
}

/// Creates a new Ed25519 key: the private key in OpenSSH format at `path`
/// (mode 0600) and the public line at `path.pub`. Never overwrites.
pub fn generate(path: &Path, comment: &str) -> Result<String, CreateError> {
    let public = public_path(path);
    for p in [path, public.as_path()] {
        if p.exists() || p.symlink_metadata().is_ok() {
            return Err(CreateError::Exists {
                path: p.to_path_buf(),
            });
        }
    }
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed).map_err(CreateError::Random)?;
    let pair = ssh_key::private::Ed25519Keypair::from_seed(&seed);
    let mut key = PrivateKey::from(pair);
    key.set_comment(comment);
    let text = key
        .to_openssh(ssh_key::LineEnding::LF)
        .map_err(CreateError::Encode)?;
    let line = key.public_key().to_openssh().map_err(CreateError::Encode)?;
    write_new(path, text.as_bytes(), 0o600)?;
    write_new(&public, format!("{line}\n").as_bytes(), 0o644)?;
    Ok(line)
}

/// Writes a file that must not exist yet, with `mode` on Unix.
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), CreateError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let write = |options: &std::fs::OpenOptions| -> std::io::Result<()> {
        let mut file = options.open(path)?;
        file.write_all(bytes)?;
        file.sync_all()
    };
    write(&options).map_err(|source| {
        if source.kind() == std::io::ErrorKind::AlreadyExists {
            CreateError::Exists {
                path: path.to_path_buf(),
            }
        } else {
            CreateError::Write {
                path: path.to_path_buf(),
                source,
            }
        }
    })
}

/// Returns the base64 key blob of a public key line (`ssh-ed25519 AAAA…`),
/// which identifies the key whatever its comment.
pub fn key_blob(line: &str) -> Option<&str> {
    let mut parts = line.split_whitespace();
    let algorithm = parts.next()?;
    let blob = parts.next()?;
    (algorithm == "ssh-ed25519").then_some(blob)
}
