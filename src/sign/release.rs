//! Signing and verifying a release: an SSH signature (SSHSIG, sha512,
//! namespace `govern-baseline`) over MANIFEST.json.
//!
//! Verification goes from what is cheap and decisive to what is long: the
//! manifest and its signature are read as regular files, the signature is
//! checked against the manifest's bytes, the signing key against a trust
//! anchor the release cannot change, and only then the file list and the
//! tree it describes. Nothing the release writes about itself (its commit,
//! its tree) decides whether its key is trusted.

pub use super::allowed::GIT_NAMESPACE;
use super::allowed::{Accepted, Refused, Signers, NAMESPACE};
use super::keys::Key;
pub use super::manifest::SIGNATURE;
use super::manifest::{Malformed, Manifest, MANIFEST};
use super::tree::{self, MAX_MANIFEST, MAX_SIGNATURE};
use base64ct::{Base64, Encoding};
use ssh_key::public::KeyData;
use ssh_key::{HashAlg, LineEnding, PublicKey, SshSig};
use std::path::Path;

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
    #[error(transparent)]
    Files(#[from] tree::Error),
    #[error(transparent)]
    Manifest(#[from] Malformed),
    #[error("{SIGNATURE} is not an SSH signature")]
    BadSignature(#[source] ssh_key::Error),
    #[error("{SIGNATURE} was made with {0}; govern verifies plain Ed25519 signatures only")]
    Unsupported(String),
    #[error("the signature is for namespace `{0}`, not `govern-baseline`")]
    Namespace(String),
    #[error(
        "the signature does not match MANIFEST.json: the manifest or the signature was altered"
    )]
    Mismatch,
    #[error("{0}")]
    Untrusted(Refused),
}

impl VerifyError {
    /// Returns true when the environment failed rather than the release.
    pub fn is_io(&self) -> bool {
        matches!(self, VerifyError::Files(e) if e.is_io())
    }
}

/// A release whose signature matches its manifest, not yet trusted.
#[derive(Debug)]
pub struct Opened {
    manifest: Vec<u8>,
    /// The signing key's public blob, as allowed_signers lines hold it.
    key: Vec<u8>,
    /// `SHA256:…`, as ssh-keygen prints it.
    pub fingerprint: String,
}

/// Reads MANIFEST.json and MANIFEST.json.sig of `dist` and checks that the
/// signature is an Ed25519 SSHSIG of namespace `govern-baseline` over the
/// manifest's bytes.
pub fn open(dist: &Path) -> Result<Opened, VerifyError> {
    tree::ensure_folder(dist)?;
    let manifest = tree::read_own(dist, MANIFEST, MAX_MANIFEST)?;
    let armored = tree::read_own(dist, SIGNATURE, MAX_SIGNATURE)?;
    let sig = SshSig::from_pem(&armored).map_err(|e| match algorithm_of(&armored) {
        Some(algorithm) if !algorithm.starts_with("ssh-ed25519") || algorithm.contains("cert") => {
            VerifyError::Unsupported(describe(&algorithm))
        }
        _ => VerifyError::BadSignature(e),
    })?;
    if !matches!(sig.public_key(), KeyData::Ed25519(_)) {
        return Err(VerifyError::Unsupported(describe(
            sig.public_key().algorithm().as_str(),
        )));
    }
    if sig.namespace() != NAMESPACE {
        return Err(VerifyError::Namespace(sig.namespace().to_string()));
    }
    let public = PublicKey::from(sig.public_key().clone());
    public
        .verify(NAMESPACE, &manifest, &sig)
        .map_err(|_| VerifyError::Mismatch)?;
    let key = public.to_bytes().map_err(VerifyError::BadSignature)?;
    Ok(Opened {
        manifest,
        key,
        fingerprint: public.fingerprint(HashAlg::Sha256).to_string(),
    })
}

impl Opened {
    /// Decides whether `signers` trust the signing key for release
    /// signatures at `now` (Unix seconds), as `ssh-keygen -Y verify` would.
    pub fn trusted_by(
        &self,
        signers: &Signers,
        identity: Option<&str>,
        now: u64,
    ) -> Result<Accepted, VerifyError> {
        signers
            .decide(&self.key, identity, NAMESPACE, now)
            .map_err(VerifyError::Untrusted)
    }

    /// Parses the signed manifest.
    pub fn manifest(&self) -> Result<Manifest, VerifyError> {
        Ok(Manifest::parse(&self.manifest)?)
    }
}

/// Names a signature key algorithm for a message.
fn describe(algorithm: &str) -> String {
    if algorithm.contains("-cert-") {
        format!("an OpenSSH certificate ({algorithm}), which govern does not support")
    } else {
        format!("a {algorithm} key")
    }
}

/// Reads the key algorithm out of an armored SSHSIG that ssh-key could not
/// parse: `SSHSIG`, a version, then the public key blob whose first string
/// is its algorithm.
fn algorithm_of(armored: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(armored).ok()?;
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .map(str::trim)
        .collect();
    let bytes = Base64::decode_vec(&body).ok()?;
    let rest = bytes.strip_prefix(b"SSHSIG")?.get(4..)?;
    let (blob, _) = string(rest)?;
    let (algorithm, _) = string(blob)?;
    String::from_utf8(algorithm.to_vec()).ok()
}

/// Splits an SSH wire string (u32 length, bytes) off the front of `bytes`.
fn string(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let len = u32::from_be_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let end = 4usize.checked_add(len)?;
    Some((bytes.get(4..end)?, &bytes[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_signature_file_as_a_release_holds_it() {
        assert_eq!(
            VerifyError::Unsupported("ssh-rsa".into()).to_string(),
            "MANIFEST.json.sig was made with ssh-rsa; govern verifies plain Ed25519 signatures only"
        );
        let missing = tree::Error::OwnMissing {
            path: SIGNATURE.into(),
        };
        assert_eq!(
            missing.to_string(),
            "MANIFEST.json.sig is missing: a release holds MANIFEST.json and its signature MANIFEST.json.sig"
        );
    }
}
