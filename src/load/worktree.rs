//! Finds the declaration files of a working tree: every `*.toml` below the
//! governance folder, in path order. Every entry is looked at with lstat
//! before anything is opened, and judged by the [`rules`] a commit's tree is
//! judged by: links resolve by their text and must reach a regular file
//! inside the folder, nested repositories and special files are refused,
//! and nothing that is not a regular file is ever opened.

use super::{rules, Body, Budget, Input, OverLimit, MAX_FILE_BYTES};
use crate::file_kind;
use std::fs::OpenOptions;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Why the governance folder could not be walked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no governance folder at {path}")]
    MissingFolder { path: PathBuf },
    #[error("{path} is not a folder")]
    NotAFolder { path: PathBuf },
    #[error("the governance folder `{dir}` is a symbolic link, which is not followed")]
    FolderIsLink { dir: String },
    #[error("cannot list {path}")]
    ListFolder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    TooMuchInput(#[from] OverLimit),
}

/// What the walk decided for one entry, before anything is read.
enum Found {
    /// A regular file to read, at this path relative to the folder.
    Read(String),
    Refused(String),
}

/// Lists the declaration files under `root/dir`. `dir` is the governance
/// folder relative to the repository root, used to name the files.
pub fn inputs(root: &Path, dir: &str) -> Result<Vec<Input>, Error> {
    let dir = dir.trim_end_matches('/');
    let base = root.join(dir);
    let mut at = root.to_path_buf();
    for part in Path::new(dir).components() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(Error::FolderIsLink { dir: dir.into() })
            }
            Ok(_) => {}
            Err(_) => return Err(Error::MissingFolder { path: base }),
        }
    }
    let meta = std::fs::symlink_metadata(&base)
        .map_err(|_| Error::MissingFolder { path: base.clone() })?;
    if !meta.is_dir() {
        return Err(Error::NotAFolder { path: base });
    }
    let mut found = walk(&base, dir)?;
    let mut budget = Budget::default();
    budget.files(found.len())?;
    found.sort_by(|a, b| rules::path_order(&a.0, &b.0));
    let mut inputs = Vec::with_capacity(found.len());
    for (relative, verdict) in found {
        let body = if rules::has_control(&relative) {
            Body::Refused(rules::control(&format!("{dir}/{relative}")))
        } else {
            match verdict {
                Found::Read(path) => read(&base, &path),
                Found::Refused(why) => Body::Refused(why),
            }
        };
        if let Body::Bytes(bytes) = &body {
            budget.take(bytes.len())?;
        }
        inputs.push(Input {
            is_settings: relative == "governance.toml",
            name: rules::name(dir, &relative),
            body,
        });
    }
    Ok(inputs)
}

/// Judges every entry below `base` by its lstat type, keyed by its
/// slash-separated path relative to `base`, which is `dir` of the
/// repository.
fn walk(base: &Path, dir: &str) -> Result<Vec<(String, Found)>, Error> {
    let mut found = Vec::new();
    let mut stack = vec![String::new()];
    while let Some(relative) = stack.pop() {
        let folder = base.join(&relative);
        let list_err = |source| Error::ListFolder {
            path: folder.clone(),
            source,
        };
        for entry in std::fs::read_dir(&folder).map_err(list_err)? {
            let entry = entry.map_err(list_err)?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = if relative.is_empty() {
                name
            } else {
                format!("{relative}/{name}")
            };
            let file_type = entry.file_type().map_err(list_err)?;
            let is_toml = path.ends_with(".toml");
            if file_type.is_dir() {
                // A folder holding `.git` is another repository, which a
                // commit records as a submodule.
                if std::fs::symlink_metadata(entry.path().join(".git")).is_ok() {
                    found.push((path, Found::Refused(rules::SUBMODULE.into())));
                } else {
                    stack.push(path);
                }
            } else if file_type.is_symlink() {
                let target = std::fs::read_link(entry.path())
                    .map(|t| t.to_string_lossy().into_owned())
                    .map_err(list_err)?;
                match rules::resolve_link(dir, &path, &target) {
                    None => found.push((path, Found::Refused(rules::leaves(&target)))),
                    // A link to a folder inside is not walked: its files
                    // are walked anyway, and so links can never loop.
                    Some(inside) if is_toml => found.push((path, Found::Read(inside))),
                    Some(_) => {}
                }
            } else if is_toml && file_type.is_file() {
                found.push((path.clone(), Found::Read(path)));
            } else if is_toml {
                let why = format!(
                    "the file is {}, not a regular file",
                    file_kind::named(file_type)
                );
                found.push((path, Found::Refused(why)));
            }
        }
    }
    Ok(found)
}

/// Reads `relative`, which must be a regular file reached through real
/// folders only, as a commit's tree would hold it; a link reaching a link,
/// a folder or nothing is refused.
fn read(base: &Path, relative: &str) -> Body {
    let mut path = base.to_path_buf();
    let parts: Vec<&str> = relative.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        path.push(part);
        let last = i + 1 == parts.len();
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if last && meta.is_file() => {}
            Ok(meta) if !last && meta.is_dir() => {}
            _ => return Body::Refused(rules::NO_TARGET.into()),
        }
    }
    if relative.is_empty() {
        return Body::Refused(rules::NO_TARGET.into());
    }
    read_regular(&path)
}

/// Opens without following a link and without waiting on a FIFO that took
/// the file's place, then reads it if it is still a regular file.
fn read_regular(path: &Path) -> Body {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let file = match options.open(path) {
        Ok(file) => file,
        Err(e) => return Body::Refused(format!("cannot read the file: {e}")),
    };
    let meta = match file.metadata() {
        Ok(meta) => meta,
        Err(e) => return Body::Refused(format!("cannot read the file: {e}")),
    };
    if !meta.is_file() {
        return Body::Refused("the file is not a regular file".into());
    }
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
