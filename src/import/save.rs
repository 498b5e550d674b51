//! Puts an imported file in place: never over a file that an import of the
//! same source did not write, and never half-written ([`crate::replace`]).

use crate::replace;
use std::path::{Path, PathBuf};

/// Why the file was not written.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The path holds a file that an import of this source did not write.
    #[error("{path} exists and was not written by `govern import` from this sheet")]
    Foreign { path: PathBuf },
    /// The path is a link or not a regular file.
    #[error("{path} is not a regular file")]
    NotAFile { path: PathBuf },
    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Writes `text` to `path` unless a file there was written by another
/// source: `file` and `sheet` name the source, whose header an import
/// writes on the first line.
pub fn save(path: &Path, text: &str, file: &str, sheet: Option<&str>) -> Result<(), SaveError> {
    let existing = match std::fs::symlink_metadata(path) {
        Ok(meta) if !meta.is_file() => return Err(SaveError::NotAFile { path: path.into() }),
        Ok(_) => {
            let existing = std::fs::read(path).map_err(|source| SaveError::Write {
                path: path.into(),
                source,
            })?;
            if !super::may_replace(&String::from_utf8_lossy(&existing), file, sheet) {
                return Err(SaveError::Foreign { path: path.into() });
            }
            Some(existing)
        }
        Err(_) => None,
    };
    replace::replace(path, existing.as_deref(), text.as_bytes()).map_err(|e| match e {
        replace::Error::NotAFile { path } => SaveError::NotAFile { path },
        // Made or edited since it was looked at: not what was checked.
        replace::Error::Changed { path } => SaveError::Foreign { path },
        replace::Error::Write { path, source } => SaveError::Write { path, source },
    })
}
