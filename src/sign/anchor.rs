//! Trust anchors: where the keys that may sign a release come from. Either
//! an OpenSSH allowed_signers file that the verifier holds, or the
//! `[[signer]]` entries of governance.toml at a revision the verifier
//! trusts. Neither is read from the release being verified.

use super::allowed::{Declared, Signers};
use super::bounded;
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
                expires: s.expires,
                origin,
            }
        })
        .collect()
}
