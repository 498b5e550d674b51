//! Reads Ed25519 private keys in OpenSSH format, as `govern keygen` and
//! `ssh-keygen -t ed25519` write them, and writes public keys as PEM
//! (SubjectPublicKeyInfo), the form OPA verifies bundle signatures with.

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
        source: super::bounded::Error,
    },
    #[error("{path} is not an OpenSSH private key")]
    ParseKey {
        path: PathBuf,
        #[source]
        source: ssh_key::Error,
    },
    #[error("{path} is a public key; signing needs the private key beside it")]
    PublicKey { path: PathBuf },
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
    #[error("cannot write the public key of {path} as PEM")]
    Pem {
        path: PathBuf,
        #[source]
        source: PemError,
    },
}

/// The largest key file read: an OpenSSH Ed25519 key is under 500 bytes.
const MAX_KEY: u64 = 64 << 10;

/// A private key read from an OpenSSH key file: the Ed25519 key that signs,
/// and the OpenSSH key it came from (with its comment), which writes the
/// public key and the SSHSIG envelope.
pub struct Key {
    pub signing: SigningKey,
    pub private: PrivateKey,
}

/// Reads an Ed25519 private key in OpenSSH format; a key protected by a
/// passphrase is decrypted in memory with `passphrase`, and the file is
/// never changed.
pub fn read_private(path: &Path, passphrase: Option<&str>) -> Result<Key, Error> {
    let text = super::bounded::read(path, MAX_KEY).map_err(|source| Error::ReadKey {
        path: path.to_path_buf(),
        source,
    })?;
    let private = PrivateKey::from_openssh(&text).map_err(|source| {
        // Say so when the file is the public half, a common slip.
        let public = std::str::from_utf8(&text)
            .is_ok_and(|t| ssh_key::PublicKey::from_openssh(t.trim()).is_ok());
        match public {
            true => Error::PublicKey {
                path: path.to_path_buf(),
            },
            false => Error::ParseKey {
                path: path.to_path_buf(),
                source,
            },
        }
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
    #[error("cannot encode the new key as PEM")]
    Pem(#[source] PemError),
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

/// Returns the `.pub.pem` path beside a private key file.
pub fn pem_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".pub.pem");
    PathBuf::from(name)
}

/// Creates a new Ed25519 key: the private key in OpenSSH format at `path`
/// (mode 0600), the public line at `path.pub` and the public key as PEM at
/// `path.pub.pem`. Never overwrites.
pub fn generate(path: &Path, comment: &str) -> Result<String, CreateError> {
    let public = public_path(path);
    let pem = pem_path(path);
    for p in [path, public.as_path(), pem.as_path()] {
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
    let pem_text = public_pem(&line).map_err(CreateError::Pem)?;
    write_new(path, text.as_bytes(), 0o600)?;
    write_new(&public, format!("{line}\n").as_bytes(), 0o644)?;
    write_new(&pem, pem_text.as_bytes(), 0o644)?;
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

/// Why a public key could not be written as PEM.
#[derive(Debug, thiserror::Error)]
pub enum PemError {
    #[error("not an OpenSSH public key line (`ssh-ed25519 AAAA...`)")]
    Parse(#[source] ssh_key::Error),
    #[error("a {0} key; only Ed25519 keys have a PEM form here")]
    NotEd25519(String),
    #[error("not a valid Ed25519 public key")]
    Invalid(#[source] ed25519_dalek::SignatureError),
    #[error("cannot encode the key")]
    Encode(#[source] ed25519_dalek::pkcs8::spki::Error),
}

/// Returns an OpenSSH Ed25519 public key line as a PEM public key
/// (SubjectPublicKeyInfo, `-----BEGIN PUBLIC KEY-----`), ending in a newline.
pub fn public_pem(line: &str) -> Result<String, PemError> {
    use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
    use ed25519_dalek::pkcs8::EncodePublicKey;
    let public = ssh_key::PublicKey::from_openssh(line.trim()).map_err(PemError::Parse)?;
    let ssh_key::public::KeyData::Ed25519(key) = public.key_data() else {
        return Err(PemError::NotEd25519(public.algorithm().to_string()));
    };
    ed25519_dalek::VerifyingKey::from_bytes(&key.0)
        .map_err(PemError::Invalid)?
        .to_public_key_pem(LineEnding::LF)
        .map_err(PemError::Encode)
}

/// Reads a public key file (`KEY.pub`) or a private key in OpenSSH format
/// (its public half, which needs no passphrase) and returns the public key
/// as PEM.
pub fn pem_of_file(path: &Path) -> Result<String, Error> {
    let text = super::bounded::read(path, MAX_KEY)
        .and_then(|bytes| {
            String::from_utf8(bytes).map_err(|e| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()).into()
            })
        })
        .map_err(|source| Error::ReadKey {
            path: path.to_path_buf(),
            source,
        })?;
    let line = if text
        .trim_start()
        .starts_with("-----BEGIN OPENSSH PRIVATE KEY-----")
    {
        PrivateKey::from_openssh(&text)
            .and_then(|k| k.public_key().to_openssh())
            .map_err(|source| Error::ParseKey {
                path: path.to_path_buf(),
                source,
            })?
    } else {
        text
    };
    public_pem(&line).map_err(|source| Error::Pem {
        path: path.to_path_buf(),
        source,
    })
}
