//! What an output folder may be: absent, or a real directory (not a link)
//! that is empty or holds a previous baseline. Everything here only looks:
//! it never follows a symbolic link, never opens anything but a regular
//! MANIFEST.json, and never writes, so a refused output is left as it was.

use super::super::manifest::MANIFEST;
use super::Error;
use crate::compile::manifest::SIGNATURE;
use crate::file_kind;
use std::collections::BTreeSet;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// Files a previous govern run may leave beside the listed ones.
const OWN_FILES: &[&str] = &[MANIFEST, SIGNATURE];

/// Checks that `out` may be replaced by a new baseline: absent, or a real
/// directory that is empty or holds only what a previous build wrote.
pub(super) fn check(out: &Path) -> Result<(), Error> {
    if is_folder(out)? {
        ensure_ours(out)?;
    }
    Ok(())
}

/// Tells whether `out` is a real directory (`false` when it is absent),
/// and refuses anything else: a file, a symbolic link, a device, a named
/// pipe, a socket.
pub(super) fn is_folder(out: &Path) -> Result<bool, Error> {
    let meta = match std::fs::symlink_metadata(out) {
        Ok(meta) => meta,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(false),
        Err(source) => {
            return Err(Error::Inspect {
                path: out.to_path_buf(),
                source,
            })
        }
    };
    let kind = meta.file_type();
    let path = out.to_path_buf();
    if kind.is_dir() {
        Ok(true)
    } else if kind.is_symlink() {
        Err(Error::OutIsLink { path })
    } else if kind.is_file() {
        Err(Error::OutIsFile { path })
    } else {
        Err(Error::OutIsSpecial {
            path,
            kind: file_kind::named(kind),
        })
    }
}

/// Checks that the nearest existing folder above `out` is a folder, so
/// that the output can be made in it. A link to a folder is a folder here:
/// only the output itself must not be a link.
pub(super) fn check_parent(out: &Path, parent: &Path) -> Result<(), Error> {
    let mut at = Some(parent);
    while let Some(dir) = at {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        match std::fs::metadata(dir) {
            Ok(meta) if meta.is_dir() => return Ok(()),
            Ok(_) => {
                return Err(Error::ParentNotFolder {
                    path: out.to_path_buf(),
                    parent: dir.to_path_buf(),
                })
            }
            Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
                at = dir.parent();
            }
            Err(source) => {
                return Err(Error::Inspect {
                    path: dir.to_path_buf(),
                    source,
                })
            }
        }
    }
    Ok(())
}

/// Refuses a folder unless every file in it is a regular file listed by
/// its MANIFEST.json (or is the manifest or its signature).
fn ensure_ours(out: &Path) -> Result<(), Error> {
    let files = files_below(out)?;
    let listed: BTreeSet<String> = if files.iter().any(|f| f == MANIFEST) {
        listed_in(&out.join(MANIFEST))
    } else {
        BTreeSet::new()
    };
    if let Some(example) = files
        .into_iter()
        .find(|f| !listed.contains(f) && !OWN_FILES.contains(&f.as_str()))
    {
        return Err(Error::ForeignFiles {
            path: out.to_path_buf(),
            example,
        });
    }
    Ok(())
}

/// The paths a manifest lists; none when it cannot be read as one.
fn listed_in(manifest: &Path) -> BTreeSet<String> {
    std::fs::read(manifest)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .and_then(|m| {
            m["files"].as_array().map(|files| {
                files
                    .iter()
                    .filter_map(|f| f["path"].as_str().map(String::from))
                    .collect()
            })
        })
        .unwrap_or_default()
}

/// Lists every regular file below `root` as a path relative to it, with
/// `/` between folders. Links are not followed: they, and anything else
/// that is neither a file nor a folder, are refused.
fn files_below(root: &Path) -> Result<Vec<String>, Error> {
    let mut files = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(relative) = stack.pop() {
        let dir = root.join(&relative);
        let inspect = |source| Error::Inspect {
            path: dir.clone(),
            source,
        };
        for entry in std::fs::read_dir(&dir).map_err(inspect)? {
            let entry = entry.map_err(inspect)?;
            let kind = entry.file_type().map_err(inspect)?;
            let path = relative.join(entry.file_name());
            let name = path.to_string_lossy().replace('\\', "/");
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() {
                files.push(name);
            } else {
                return Err(Error::ForeignEntry {
                    path: root.to_path_buf(),
                    example: name,
                    kind: file_kind::named(kind),
                });
            }
        }
    }
    Ok(files)
}
