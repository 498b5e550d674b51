//! Puts an imported file in place: never over a file that an import of the
//! same source did not write, and never half-written (the text goes to a
//! temporary file beside it, then is renamed over it).

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
/// source: `first_line` is the header an import of this source writes.
pub fn save(path: &Path, text: &str, file: &str, sheet: Option<&str>) -> Result<(), SaveError> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if !meta.is_file() => return Err(SaveError::NotAFile { path: path.into() }),
        Ok(_) => {
            let existing = std::fs::read(path).map_err(|source| SaveError::Write {
                path: path.into(),
                source,
            })?;
            let existing = String::from_utf8_lossy(&existing);
            if !super::may_replace(&existing, file, sheet) {
                return Err(SaveError::Foreign { path: path.into() });
            }
        }
        Err(_) => {}
    }
    let write = |at: &Path, source| SaveError::Write {
        path: at.into(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| write(parent, e))?;
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".govern-import.tmp");
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, text).map_err(|e| write(&temporary, e))?;
    std::fs::rename(&temporary, path).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        write(path, e)
    })
}
