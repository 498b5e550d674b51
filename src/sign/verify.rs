//! Verifying a release whole, in the order that keeps a stranger safe: the
//! signature against the trust anchor first, then (when trust comes from a
//! revision) the signer at the release's own commit, then every file the
//! manifest lists.

use super::allowed::{Accepted, Signers};
use super::manifest::Manifest;
use super::release::{self, VerifyError};
use super::tree;
use std::path::Path;

/// A release that verified.
#[derive(Debug)]
pub struct Verified {
    /// How many files the manifest lists, each of the size and hash it says.
    pub files: usize,
    pub manifest: Manifest,
    /// The signer that the anchor accepted.
    pub accepted: Accepted,
}

/// Why a release did not verify. `E` is how reading the signers at the
/// release's own commit failed.
#[derive(Debug)]
pub enum Failure<E> {
    /// The signature, its signer under the anchor, or a file failed.
    Release(VerifyError),
    /// Trust comes from a revision, but the manifest names no commit.
    NoCommit,
    /// The signers declared at the release's own commit could not be read.
    OwnCommit { commit: String, error: E },
    /// The key is no listed signer at the release's own commit.
    UnlistedAtCommit { commit: String },
}

impl<E> From<VerifyError> for Failure<E> {
    fn from(e: VerifyError) -> Self {
        Failure::Release(e)
    }
}

/// Reads the signers declared at a commit, given by its id.
pub type SignersAt<'a, E> = &'a dyn Fn(&str) -> Result<Signers, E>;

/// Verifies the release in `dist` against `trusted`, as of `now` (Unix
/// seconds), for `identity` when given. With `own`, the key must also be a
/// listed, valid signer at the release's own commit, so that a key removed
/// before the release cannot sign it.
pub fn release<E>(
    dist: &Path,
    trusted: &Signers,
    own: Option<SignersAt<'_, E>>,
    identity: Option<&str>,
    now: u64,
) -> Result<Verified, Failure<E>> {
    let opened = release::open(dist)?;
    let accepted = opened.trusted_by(trusted, identity, now)?;
    let manifest = opened.manifest()?;
    if let Some(own) = own {
        let Some(commit) = manifest.commit.clone() else {
            return Err(Failure::NoCommit);
        };
        let signers = own(&commit).map_err(|error| Failure::OwnCommit {
            commit: commit.clone(),
            error,
        })?;
        opened
            .trusted_by(&signers, identity, now)
            .map_err(|e| match e {
                VerifyError::Untrusted(refused) if refused.is_unlisted() => {
                    Failure::UnlistedAtCommit { commit }
                }
                other => Failure::Release(other),
            })?;
    }
    let files = tree::check(dist, &manifest).map_err(VerifyError::from)?;
    Ok(Verified {
        files,
        manifest,
        accepted,
    })
}
