//! Signing and verifying a release: an SSH signature (SSHSIG, sha512,
//! namespace `govern-baseline`) over MANIFEST.json, and a check that every
//! file of the release matches the manifest.

use super::allowed::{Allowed, NAMESPACE};
use super::keys::Key;
use crate::compile::manifest::{sha256_hex, MANIFEST};
use crate::compile::output::files_below;
use jiff::civil::Date;
use ssh_key::{HashAlg, LineEnding, PublicKey, SshSig};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The signature file beside the manifest.
pub const SIGNATURE: &str = "MANIFEST.json.sig";

/// The namespace Git signs and verifies SSH-signed tags and commits in.
pub const GIT_NAMESPACE: &str = "git";

/// Signs the manifest bytes; returns the armored signature as ssh-keygen
/// writes it (70 columns).
pub fn sign(key: &Key, manifest: &[u8]) -> Result<String, ssh_key::Error> {
    sign_as(key, NAMESPACE, manifest)
}

/// Signs `bytes` in `namespace` with sha512, as `ssh-keygen -Y sign -n
/// NAMESPACE` does; returns the armored signature, ending in a newline.
pub fn sign_as(key: &Key, namespace: &str, bytes: &[u8]) -> Result<String, ssh_key::Error> {
    let sig = key.private.sign(namespace, HashAlg::Sha512, bytes)?;
    sig.to_pem(LineEnding::LF)
}

/// Why a release failed verification.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("cannot read {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("MANIFEST.json is not a govern manifest: {0}")]
    BadManifest(String),
    #[error("{path} is listed in the manifest but missing")]
    Missing { path: String },
    #[error("{path} was changed: its SHA-256 is not the one in the manifest")]
    Changed { path: String },
    #[error("{path} is not listed in the manifest")]
    Extra { path: String },
    #[error("MANIFEST.json.sig is not an SSH signature")]
    BadSignature(#[source] ssh_key::Error),
    #[error("the signature is for namespace `{0}`, not `govern-baseline`")]
    Namespace(String),
    #[error("the release is signed by a key that is not a trusted signer ({fingerprint})")]
    UnknownKey { fingerprint: String },
    #[error(
        "the signature does not match MANIFEST.json: the manifest or the signature was altered"
    )]
    Mismatch,
    #[error("signer `{signer}` was not valid on {day}: its validity ended before the release")]
    Expired { signer: String, day: Date },
}

/// What a successful verification found.
#[derive(Debug)]
pub struct Verified {
    pub signer: String,
    pub team: Option<String>,
    pub commit: Option<String>,
    pub files: usize,
    pub key: String,
}

/// The parts of MANIFEST.json that verification reads.
#[derive(Debug)]
pub struct Manifest {
    pub commit: Option<String>,
    pub date: Option<String>,
    pub files: Vec<(String, String)>,
}

/// Parses a manifest.
pub fn parse_manifest(bytes: &[u8]) -> Result<Manifest, VerifyError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| VerifyError::BadManifest(e.to_string()))?;
    if value["format"] != 1 {
        return Err(VerifyError::BadManifest("`format` is not 1".into()));
    }
    let files = value["files"]
        .as_array()
        .ok_or_else(|| VerifyError::BadManifest("`files` is missing".into()))?
        .iter()
        .map(|f| match (f["path"].as_str(), f["sha256"].as_str()) {
            (Some(p), Some(h)) if safe_path(p) => Ok((p.to_string(), h.to_string())),
            _ => Err(VerifyError::BadManifest(format!("bad file entry {f}"))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Manifest {
        commit: value["commit"].as_str().map(str::to_string),
        date: value["date"].as_str().map(str::to_string),
        files,
    })
}

/// A manifest path must stay inside the release folder.
fn safe_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && path
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
}

fn read(path: &Path) -> Result<Vec<u8>, VerifyError> {
    std::fs::read(path).map_err(|source| VerifyError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Checks every file of `dist` against its manifest: nothing missing,
/// changed or extra.
pub fn check_files(dist: &Path) -> Result<(Vec<u8>, Manifest), VerifyError> {
    let bytes = read(&dist.join(MANIFEST))?;
    let manifest = parse_manifest(&bytes)?;
    let mut listed = BTreeSet::new();
    for (path, hash) in &manifest.files {
        listed.insert(path.clone());
        let file = dist.join(path);
        let content = match std::fs::read(&file) {
            Ok(content) => content,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(VerifyError::Missing { path: path.clone() })
            }
            Err(source) => return Err(VerifyError::Read { path: file, source }),
        };
        if &sha256_hex(&content) != hash {
            return Err(VerifyError::Changed { path: path.clone() });
        }
    }
    let files = files_below(dist).map_err(|(path, source)| VerifyError::Read { path, source })?;
    if let Some(extra) = files
        .into_iter()
        .find(|f| f != MANIFEST && f != SIGNATURE && !listed.contains(f))
    {
        return Err(VerifyError::Extra { path: extra });
    }
    Ok((bytes, manifest))
}

/// Verifies the signature of `dist` against `trusted`, valid on `day` (the
/// release date). Returns the trusted entry that signed it.
pub fn verify(
    dist: &Path,
    trusted: &[Allowed],
    day: Option<Date>,
) -> Result<Verified, VerifyError> {
    let (manifest_bytes, manifest) = check_files(dist)?;
    let sig_text = read(&dist.join(SIGNATURE))?;
    let sig = SshSig::from_pem(&sig_text).map_err(VerifyError::BadSignature)?;
    if sig.namespace() != NAMESPACE {
        return Err(VerifyError::Namespace(sig.namespace().to_string()));
    }
    let signer_key = PublicKey::from(sig.public_key().clone());
    let blob = signer_key.to_openssh().map_err(VerifyError::BadSignature)?;
    let entry = trusted
        .iter()
        .find(|a| super::keys::key_blob(&a.key) == super::keys::key_blob(&blob))
        .ok_or_else(|| VerifyError::UnknownKey {
            fingerprint: signer_key.fingerprint(HashAlg::Sha256).to_string(),
        })?;
    signer_key
        .verify(NAMESPACE, &manifest_bytes, &sig)
        .map_err(|_| VerifyError::Mismatch)?;
    let day = day.or_else(|| {
        manifest
            .date
            .as_deref()
            .and_then(|d| d.get(..10))
            .and_then(|d| d.parse().ok())
    });
    if let Some(day) = day {
        if !entry.valid(NAMESPACE, day) {
            return Err(VerifyError::Expired {
                signer: entry.principals.join(","),
                day,
            });
        }
    }
    Ok(Verified {
        signer: entry.principals.join(","),
        team: entry.team.clone(),
        commit: manifest.commit,
        files: manifest.files.len(),
        key: blob,
    })
}
