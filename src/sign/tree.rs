//! The files of a release, checked without trusting the folder: MANIFEST.json
//! read strictly, and the release folder walked as a self-contained tree of
//! regular files whose sizes and SHA-256 match the manifest.
//!
//! Every entry is looked at with `lstat` before anything is opened, and
//! files are opened with `O_NOFOLLOW | O_NONBLOCK` and checked again to be
//! the regular file that was walked. So a symbolic link cannot send
//! verification to bytes outside the release, and a FIFO or a device can
//! never make it block: they are named and refused, never read.

use super::manifest::MANIFEST;
use super::manifest::{Listed, Manifest, SIGNATURE};
use crate::compile::manifest::hex;
use crate::file_kind;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest MANIFEST.json read; a baseline of 100,000 assets lists about
/// 30 MB.
pub const MAX_MANIFEST: u64 = 512 << 20;

/// The largest MANIFEST.json.sig read; an Ed25519 signature is under 400
/// bytes.
pub const MAX_SIGNATURE: u64 = 64 << 10;

/// Why the files of a release do not match its manifest.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path} is not a release folder: {reason}")]
    NotARelease { path: PathBuf, reason: String },
    #[error("{path} is listed in the manifest but missing")]
    Missing { path: String },
    #[error("{path} is {kind}: a release holds regular files only")]
    NotRegular { path: String, kind: &'static str },
    #[error("{path} is missing: a release holds {MANIFEST} and its signature {SIGNATURE}")]
    OwnMissing { path: String },
    #[error("{path} is not listed in the manifest")]
    Extra { path: String },
    #[error("{path} is an empty folder that the manifest does not account for")]
    EmptyFolder { path: String },
    #[error("{path} has {size} bytes, the manifest says {listed}")]
    Size {
        path: String,
        size: u64,
        listed: u64,
    },
    #[error("{path} was removed or replaced while it was being verified")]
    Replaced { path: String },
    #[error("{path} was changed: its SHA-256 is not the one in the manifest")]
    Changed { path: String },
    #[error("{path} is larger than the {limit} bytes govern reads for it")]
    TooLarge { path: String, limit: u64 },
    #[error("cannot read {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// Returns true when the environment failed, not the release: an I/O
    /// error on a file that is where the release says it is.
    pub fn is_io(&self) -> bool {
        matches!(self, Error::Read { .. })
    }
}

/// What sits at one place of the release folder.
#[derive(Debug)]
enum Entry {
    File(Metadata),
    Folder,
    Other(&'static str),
}

/// Lists every entry below `root` without following links.
fn walk(root: &Path) -> Result<BTreeMap<String, Entry>, Error> {
    let mut entries = BTreeMap::new();
    let mut stack = vec![String::new()];
    while let Some(relative) = stack.pop() {
        let dir = root.join(&relative);
        let read = std::fs::read_dir(&dir).map_err(|source| Error::Read {
            path: dir.clone(),
            source,
        })?;
        for entry in read {
            let entry = entry.map_err(|source| Error::Read {
                path: dir.clone(),
                source,
            })?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                return Err(Error::Extra {
                    path: format!("{relative}{}", name.to_string_lossy()),
                });
            };
            let path = format!("{relative}{name}");
            let metadata = entry.metadata().map_err(|source| Error::Read {
                path: entry.path(),
                source,
            })?;
            let t = metadata.file_type();
            if t.is_dir() {
                stack.push(format!("{path}/"));
                entries.insert(path, Entry::Folder);
            } else if t.is_file() {
                entries.insert(path, Entry::File(metadata));
            } else {
                entries.insert(path, Entry::Other(file_kind::named(t)));
            }
        }
    }
    Ok(entries)
}

/// Checks that `dist` holds exactly the files `manifest` lists, besides the
/// manifest and its signature, each a regular file of the listed size and
/// SHA-256. Returns the number of files checked.
pub fn check(dist: &Path, manifest: &Manifest) -> Result<usize, Error> {
    let entries = walk(dist)?;
    let problems: Vec<Result<(), Error>> = manifest
        .files
        .par_iter()
        .map(|listed| check_one(dist, &entries, listed))
        .collect();
    problems.into_iter().collect::<Result<(), Error>>()?;

    let listed: BTreeSet<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    for (path, entry) in &entries {
        let own = path == MANIFEST || path == SIGNATURE;
        match entry {
            Entry::File(_) if own || listed.contains(path.as_str()) => {}
            Entry::Folder => {
                let prefix = format!("{path}/");
                // A folder with entries below it is reported by those.
                let has_entries = entries
                    .range(prefix.clone()..)
                    .next()
                    .is_some_and(|(p, _)| p.starts_with(&prefix));
                if !has_entries
                    && listed
                        .range(prefix.as_str()..)
                        .next()
                        .is_none_or(|p| !p.starts_with(&prefix))
                {
                    return Err(Error::EmptyFolder { path: prefix });
                }
            }
            Entry::File(_) => return Err(Error::Extra { path: path.clone() }),
            Entry::Other(kind) => {
                return Err(Error::NotRegular {
                    path: path.clone(),
                    kind,
                })
            }
        }
    }
    Ok(manifest.files.len())
}

/// Checks one listed file: present, regular, of the listed size and hash.
fn check_one(dist: &Path, entries: &BTreeMap<String, Entry>, listed: &Listed) -> Result<(), Error> {
    let path = &listed.path;
    let metadata = match entries.get(path) {
        Some(Entry::File(metadata)) => metadata,
        Some(Entry::Folder) => {
            return Err(Error::NotRegular {
                path: path.clone(),
                kind: "a folder",
            })
        }
        Some(Entry::Other(kind)) => {
            return Err(Error::NotRegular {
                path: path.clone(),
                kind,
            })
        }
        None => {
            // A folder on the way may be a link, which the walk did not follow.
            let blocked = ancestors(path).find_map(|a| match entries.get(a) {
                Some(Entry::Other(kind)) => Some((a, *kind)),
                _ => None,
            });
            return Err(match blocked {
                Some((a, kind)) => Error::NotRegular {
                    path: a.to_string(),
                    kind,
                },
                None => Error::Missing { path: path.clone() },
            });
        }
    };
    if metadata.len() != listed.size {
        return Err(Error::Size {
            path: path.clone(),
            size: metadata.len(),
            listed: listed.size,
        });
    }
    let full = dist.join(path);
    let file = open_regular(&full, path, metadata)?;
    let (digest, size) = hash(file.take(listed.size + 1), &full)?;
    if size != listed.size || digest != listed.sha256 {
        return Err(Error::Changed { path: path.clone() });
    }
    Ok(())
}

/// The folders above a relative path, nearest last: `a/b/c` gives `a`, `a/b`.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..i])
}

/// Opens a file the walk found regular, refusing to follow a link or block
/// on a FIFO put in its place since, and checking it is the same file.
fn open_regular(full: &Path, path: &str, walked: &Metadata) -> Result<File, Error> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options
        .open(full)
        .map_err(|source| match source.raw_os_error() {
            #[cfg(unix)]
            Some(libc::ELOOP) => Error::NotRegular {
                path: path.to_string(),
                kind: "a symbolic link",
            },
            _ => Error::Read {
                path: full.to_path_buf(),
                source,
            },
        })?;
    let opened = file.metadata().map_err(|source| Error::Read {
        path: full.to_path_buf(),
        source,
    })?;
    if !opened.is_file() {
        return Err(Error::NotRegular {
            path: path.to_string(),
            kind: file_kind::named(opened.file_type()),
        });
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if (opened.dev(), opened.ino()) != (walked.dev(), walked.ino()) {
            return Err(Error::Replaced {
                path: path.to_string(),
            });
        }
    }
    #[cfg(not(unix))]
    let _ = walked;
    Ok(file)
}

/// Returns the SHA-256 (lowercase hex) and size of what `file` holds.
fn hash(mut file: impl Read, full: &Path) -> Result<(String, u64), Error> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 << 10];
    let mut size = 0u64;
    loop {
        let n = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(source) => {
                return Err(Error::Read {
                    path: full.to_path_buf(),
                    source,
                })
            }
        };
        hasher.update(&buffer[..n]);
        size += n as u64;
    }
    Ok((hex(&hasher.finalize()), size))
}

/// Reads the manifest or its signature: a regular file directly in `dist`,
/// never followed through a link, at most `limit` bytes.
pub fn read_own(dist: &Path, name: &str, limit: u64) -> Result<Vec<u8>, Error> {
    let full = dist.join(name);
    let metadata = match std::fs::symlink_metadata(&full) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::OwnMissing {
                path: name.to_string(),
            })
        }
        Err(source) => return Err(Error::Read { path: full, source }),
    };
    if !metadata.is_file() {
        return Err(Error::NotRegular {
            path: name.to_string(),
            kind: file_kind::named(metadata.file_type()),
        });
    }
    if metadata.len() > limit {
        return Err(Error::TooLarge {
            path: name.to_string(),
            limit,
        });
    }
    let file = open_regular(&full, name, &metadata)?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Read {
            path: full.clone(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(Error::TooLarge {
            path: name.to_string(),
            limit,
        });
    }
    Ok(bytes)
}

/// Refuses a `dist` that is not a folder.
pub fn ensure_folder(dist: &Path) -> Result<(), Error> {
    match std::fs::metadata(dist) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(Error::NotARelease {
            path: dist.to_path_buf(),
            reason: "it is not a folder".into(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::NotARelease {
            path: dist.to_path_buf(),
            reason: "it does not exist".into(),
        }),
        Err(source) => Err(Error::Read {
            path: dist.to_path_buf(),
            source,
        }),
    }
}
