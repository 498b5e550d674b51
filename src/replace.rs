//! Writes one file whole, for the commands that edit the repository's own
//! files (`fmt`, `import`): the bytes go to a temporary file beside it,
//! made anew, which is then moved into place, so that a reader sees the
//! old file or the new one, never half of one, and an interrupted run
//! leaves the file as it was. The file must still be what the command read
//! (or still be absent) when it is moved into place; otherwise it is left
//! alone.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a file was not written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path} is not a regular file; it was left alone")]
    NotAFile { path: PathBuf },
    #[error("{path} changed while govern was writing it; it was left alone")]
    Changed { path: PathBuf },
    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What the last look before moving the file into place found.
enum Found {
    Same,
    Changed,
}

/// Writes `bytes` to `path`. With `was`, `path` must be a regular file
/// that still holds `was`, and keeps its permissions; without, `path` must
/// not exist, and its folder is made when missing.
pub fn replace(path: &Path, was: Option<&[u8]>, bytes: &[u8]) -> Result<(), Error> {
    let fail = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let permissions = match (was, std::fs::symlink_metadata(path)) {
        (Some(_), Ok(meta)) if meta.file_type().is_file() => Some(meta.permissions()),
        (Some(_), Ok(_)) => return Err(Error::NotAFile { path: path.into() }),
        (Some(_), Err(e)) => return Err(fail(e)),
        (None, Ok(_)) => return Err(Error::Changed { path: path.into() }),
        (None, Err(_)) => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(fail)?;
            }
            None
        }
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let temp = path.with_file_name(format!(
        ".{}.govern-{}",
        name.unwrap_or_default(),
        std::process::id()
    ));
    let written = (|| -> std::io::Result<Found> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        if let Some(permissions) = permissions {
            file.set_permissions(permissions)?;
        }
        file.sync_all()?;
        match was {
            Some(was) => {
                if std::fs::read(path)? != was {
                    return Ok(Found::Changed);
                }
                std::fs::rename(&temp, path)?;
            }
            // A link fails where a file appeared meanwhile: never clobbered.
            None => match std::fs::hard_link(&temp, path) {
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    return Ok(Found::Changed)
                }
                other => other?,
            },
        }
        Ok(Found::Same)
    })();
    // Left behind by a failure, a change, or the link of a new file.
    let _ = std::fs::remove_file(&temp);
    match written {
        Ok(Found::Same) => Ok(()),
        Ok(Found::Changed) => Err(Error::Changed { path: path.into() }),
        Err(e) => Err(fail(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("govern-replace-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn names(dir: &Path) -> Vec<std::ffi::OsString> {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_file_and_keeps_its_permissions() {
        let dir = folder("keep");
        let file = dir.join("a.toml");
        std::fs::write(&file, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        replace(&file, Some(b"old"), b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        // Nothing is left beside it.
        assert_eq!(names(&dir), ["a.toml"]);
        // Edited since it was read: left alone.
        assert!(matches!(
            replace(&file, Some(b"old"), b"newer"),
            Err(Error::Changed { .. })
        ));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
        #[cfg(unix)]
        {
            let link = dir.join("l.toml");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            assert!(matches!(
                replace(&link, Some(b"new"), b"x"),
                Err(Error::NotAFile { .. })
            ));
            assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
        }
        assert_eq!(names(&dir).len(), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_new_file_is_made_with_its_folder_and_never_over_one_that_exists() {
        let dir = folder("new");
        let file = dir.join("sub/b.toml");
        replace(&file, None, b"made").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "made");
        assert_eq!(names(&dir.join("sub")), ["b.toml"]);
        assert!(matches!(
            replace(&file, None, b"again"),
            Err(Error::Changed { .. })
        ));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "made");
        assert_eq!(names(&dir.join("sub")), ["b.toml"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
