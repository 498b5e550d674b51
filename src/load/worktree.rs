//! Finds the declaration files of a working tree: every `*.toml` below the
//! governance folder, in path order. Symbolic links that leave the folder,
//! and anything that is not a regular file, are refused without being read.

use super::{Body, Input, MAX_FILE_BYTES};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Why the governance folder could not be walked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no governance folder at {path}")]
    MissingFolder { path: PathBuf },
    #[error("{path} is not a folder")]
    NotAFolder { path: PathBuf },
    #[error("cannot list {path}")]
    ListFolder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Lists the declaration files under `root/dir`. `dir` is the governance
/// folder relative to the repository root, used to name the files.
pub fn inputs(root: &Path, dir: &str) -> Result<Vec<Input>, Error> {
    let base = root.join(dir);
    let meta = std::fs::metadata(&base).map_err(|_| Error::MissingFolder { path: base.clone() })?;
    if !meta.is_dir() {
        return Err(Error::NotAFolder { path: base });
    }
    let canonical = base.canonicalize().map_err(|source| Error::ListFolder {
        path: base.clone(),
        source,
    })?;
    let mut found = Vec::new();
    walk(&base, &canonical, &mut found)?;
    found.sort();
    Ok(found
        .into_iter()
        .map(|relative| {
            let name = format!("{}/{}", dir.trim_end_matches('/'), slashed(&relative));
            let body = read(&base.join(&relative), &canonical);
            Input {
                is_settings: relative == Path::new("governance.toml"),
                name,
                body,
            }
        })
        .collect())
}

fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Collects the paths, relative to `base`, of every `*.toml` entry.
fn walk(base: &Path, canonical: &Path, found: &mut Vec<PathBuf>) -> Result<(), Error> {
    let mut stack = vec![PathBuf::new()];
    while let Some(relative) = stack.pop() {
        let folder = base.join(&relative);
        let entries = std::fs::read_dir(&folder).map_err(|source| Error::ListFolder {
            path: folder.clone(),
            source,
        })?;
        for entry in entries {
            let entry = entry.map_err(|source| Error::ListFolder {
                path: folder.clone(),
                source,
            })?;
            let path = relative.join(entry.file_name());
            let file_type = entry.file_type().map_err(|source| Error::ListFolder {
                path: folder.clone(),
                source,
            })?;
            let is_toml = path.extension().is_some_and(|e| e == "toml");
            if file_type.is_dir() {
                stack.push(path);
            } else if file_type.is_symlink() {
                let target = base.join(&path).canonicalize().ok();
                let inside = target.as_ref().is_some_and(|t| t.starts_with(canonical));
                let is_dir = target.as_ref().is_some_and(|t| t.is_dir());
                // A link to a folder inside is skipped: its files are walked
                // anyway, and so links can never make the walk loop.
                if is_toml || (is_dir && !inside) {
                    found.push(path);
                }
            } else if is_toml {
                found.push(path);
            }
        }
    }
    Ok(())
}

/// Reads one file, refusing links that leave the folder, non-regular files
/// and files over the size limit.
fn read(path: &Path, canonical: &Path) -> Body {
    let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if link {
        match path.canonicalize() {
            Ok(target) if target.starts_with(canonical) => {}
            Ok(target) => {
                return Body::Refused(format!(
                    "symbolic link leaves the governance folder (it points to {})",
                    target.display()
                ))
            }
            Err(_) => return Body::Refused("symbolic link points nowhere".into()),
        }
    }
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) => return Body::Refused(format!("cannot read the file: {e}")),
    };
    if !meta.is_file() {
        return Body::Refused("not a regular file".into());
    }
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return Body::Refused(format!("cannot read the file: {e}")),
    };
    let mut bytes = Vec::with_capacity(meta.len().min(MAX_FILE_BYTES as u64 + 1) as usize);
    // Read one byte past the limit so the parser can report the size
    // without holding a huge file in memory.
    match file.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes) {
        Ok(_) if bytes.len() > MAX_FILE_BYTES => Body::Refused(format!(
            "file is {} bytes, over the limit of {} MiB for a declaration file",
            meta.len(),
            MAX_FILE_BYTES / (1024 * 1024)
        )),
        Ok(_) => Body::Bytes(bytes),
        Err(e) => Body::Refused(format!("cannot read the file: {e}")),
    }
}
