//! Trust anchors: where the keys that may sign a release come from. Either
//! an OpenSSH allowed_signers file that the verifier holds, or the
//! `[[signer]]` entries of governance.toml at a revision the verifier
//! trusts. Neither is read from the release being verified. The release
//! asks the same `[[signer]]`s before it signs.

use super::allowed::{Accepted, Declared, Refused, Signers, NAMESPACE};
use super::bounded;
use super::keys::Key;
use crate::model::settings::Signer;
use crate::source::SourceMap;
use std::path::{Path, PathBuf};

/// The largest allowed_signers file read.
const MAX_FILE: u64 = 16 << 20;

/// Why an allowed_signers file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {path}")]
pub struct Error {
    pub path: PathBuf,
    #[source]
    pub source: bounded::Error,
}

impl Error {
    /// Returns true when the file is the wrong kind of thing (a FIFO, a
    /// device, a folder, or too large), not an I/O failure.
    pub fn is_usage(&self) -> bool {
        !matches!(self.source, bounded::Error::Io(_))
    }
}

/// Reads an allowed_signers file, refusing a FIFO or device (which would
/// block) and anything of unreasonable size. Times without `Z` are read in
/// the local time zone, as OpenSSH reads them.
pub fn read_file(path: &Path) -> Result<Signers, Error> {
    let bytes = bounded::read(path, MAX_FILE).map_err(|source| Error {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok(Signers::parse(&name, &bytes, &jiff::tz::TimeZone::system()))
}

/// The `[[signer]]` entries of a checked model, each named by its
/// declaration and, when `sources` were read at a revision, that revision as
/// the user named it (`governance/governance.toml:14 at main`).
pub fn declared(signers: &[Signer], sources: &SourceMap) -> Signers {
    Signers::from_declared(&declarations(signers, sources))
}

/// Why a key may not sign a release.
#[derive(Debug, thiserror::Error)]
pub enum NotASigner {
    /// No `[[signer]]` lists the key, or none lists it as valid at that
    /// moment; `public_key` is the key's OpenSSH line, to declare it with.
    #[error("{refused}")]
    Refused {
        refused: Refused,
        public_key: String,
    },
    /// The key's public half could not be encoded to be compared.
    #[error(transparent)]
    Encode(#[from] ssh_key::Error),
}

/// Decides whether `key` may sign a release of the model that declares
/// `signers`: it must be a listed `[[signer]]`, valid (not expired) at
/// `now` in Unix seconds. This is the decision `verify --trust` makes at
/// the released commit, made before anything is signed.
pub fn release_signer(
    key: &Key,
    signers: &[Signer],
    sources: &SourceMap,
    now: u64,
) -> Result<Accepted, NotASigner> {
    let declared = declared(signers, sources);
    let public = key.private.public_key();
    let blob = public.to_bytes()?;
    declared
        .decide(&blob, None, NAMESPACE, now)
        .map_err(|refused| match public.to_openssh() {
            Ok(public_key) => NotASigner::Refused {
                refused,
                public_key,
            },
            Err(e) => NotASigner::Encode(e),
        })
}

/// The `[[signer]]` entries as allowed_signers declarations.
pub fn declarations(signers: &[Signer], sources: &SourceMap) -> Vec<Declared> {
    signers
        .iter()
        .map(|s| {
            let span = s.id.span;
            let file = sources.get(span.file);
            let (line, _) = file.line_col(span.range().start);
            let name = sources.name(span.file);
            let origin = match sources.revision() {
                Some(rev) => format!("{name}:{line} at {}", rev.name),
                None => format!("{name}:{line}"),
            };
            Declared {
                id: s.id.value.clone(),
                team: s.team.value.0.clone(),
                public_key: s.public_key.value.clone(),
                expires: s.expires.as_ref().map(|e| e.value),
                origin,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{release_signer, NotASigner};
    use crate::sign::keys::Key;
    use ssh_key::private::{Ed25519Keypair, KeypairData, PrivateKey};

    /// The key of a fixed seed, so the test needs no file and no randomness.
    fn key(seed: u8) -> Key {
        let pair = Ed25519Keypair::from_seed(&[seed; 32]);
        let signing = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]);
        let private = PrivateKey::new(KeypairData::from(pair), format!("key-{seed}"))
            .expect("an Ed25519 key");
        Key { signing, private }
    }

    fn public(key: &Key) -> String {
        key.private
            .public_key()
            .to_openssh()
            .expect("an OpenSSH line")
    }

    /// Checks a governance folder whose signers are `current`, valid, and
    /// `expired`, whose last day was 2026-01-01.
    fn checked(current: &Key, expired: &Key) -> crate::check::Outcome {
        let settings = format!(
            "[organization]\nname = \"Sign Corp\"\n\n\
             [[signer]]\nid = \"release-bot\"\nteam = \"office\"\npublic-key = \"{}\"\n\n\
             [[signer]]\nid = \"old-bot\"\nteam = \"office\"\npublic-key = \"{}\"\nexpires = 2026-01-01\n",
            public(current),
            public(expired)
        );
        crate::check::files(&[
            ("governance/governance.toml", &settings),
            ("governance/teams.toml", "[[team]]\nid = \"office\"\n"),
        ])
    }

    /// 2026-11-23T00:00:00Z.
    const NOW: u64 = 1_795_392_000;

    #[test]
    fn a_listed_valid_key_signs_and_an_expired_or_unlisted_one_does_not() {
        let (current, expired, stranger) = (key(1), key(2), key(3));
        let outcome = checked(&current, &expired);
        let signers = &outcome.model.settings.signers;
        assert_eq!(signers.len(), 2, "{:?}", outcome.diagnostics);
        let decide = |k: &Key| release_signer(k, signers, &outcome.sources, NOW);

        let accepted = decide(&current).expect("the listed key signs");
        assert_eq!(accepted.signer(None), "release-bot");
        assert_eq!(accepted.team.as_deref(), Some("office"));

        let Err(NotASigner::Refused { refused, .. }) = decide(&expired) else {
            panic!("an expired key is refused");
        };
        assert!(!refused.is_unlisted(), "it is listed, but expired");
        assert!(
            refused.to_string().contains("expired on 2026-01-01"),
            "{refused}"
        );

        let Err(NotASigner::Refused {
            refused,
            public_key,
        }) = decide(&stranger)
        else {
            panic!("an unlisted key is refused");
        };
        assert!(refused.is_unlisted(), "{refused}");
        assert_eq!(public_key, public(&stranger), "the line to declare it with");
    }
}
