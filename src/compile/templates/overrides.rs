//! Finds a repository's template overrides, in a folder of the working tree
//! or in a Git tree listing, under one rule for both: an override is a
//! regular file named after a built-in template, or a symbolic link that
//! stays inside the templates folder and reaches one. Anything else with a
//! template's name is an error; other names are reported, not rendered.
//!
//! Entries are looked at with `lstat` first and only regular files are ever
//! opened, so a FIFO or a device cannot block or leak into an output.

use super::{Error, Override, BUILTIN};
use crate::file_kind;
use crate::load::rules;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

/// The largest override read: no template of govern comes near 1 MiB.
pub const MAX_TEMPLATE_BYTES: usize = 1024 * 1024;

/// How many links a chain inside a Git tree may pass through, as the
/// kernel's own limit on nested links.
const MAX_LINKS: usize = 40;

/// The overrides of a folder, and the names in it that are no template.
#[derive(Debug, Default)]
pub struct Found {
    pub overrides: Vec<Override>,
    /// Where each entry with an unknown name is, for a warning.
    pub unknown: Vec<String>,
}

fn is_template(name: &str) -> bool {
    BUILTIN.iter().any(|(n, _)| *n == name)
}

/// Reads the overrides in `dir`. The folder itself may be reached through
/// a link only when `follow_folder_link` (a `--templates` argument is the
/// user's own choice of path; a committed `templates` link cannot be read
/// the same way under `--rev`, so the repository's folder may not be one).
pub fn read_folder(dir: &Path, follow_folder_link: bool) -> Result<Found, Error> {
    let meta = match std::fs::symlink_metadata(dir) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::default()),
        Err(source) => {
            return Err(Error::ReadOverride {
                path: dir.display().to_string(),
                source,
            })
        }
    };
    let is_dir = if meta.file_type().is_symlink() && follow_folder_link {
        std::fs::metadata(dir).is_ok_and(|m| m.is_dir())
    } else {
        meta.is_dir()
    };
    if !is_dir {
        return Err(Error::NotAFolder {
            path: dir.display().to_string(),
            kind: file_kind::named(meta.file_type()),
        });
    }
    let canonical = dir.canonicalize().map_err(|source| Error::ReadOverride {
        path: dir.display().to_string(),
        source,
    })?;
    let list_err = |source| Error::ReadOverride {
        path: dir.display().to_string(),
        source,
    };
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(list_err)? {
        names.push(entry.map_err(list_err)?.file_name());
    }
    names.sort();
    let mut found = Found::default();
    for name in names {
        let path = dir.join(&name);
        let name = name.to_string_lossy().into_owned();
        if !is_template(&name) {
            found.unknown.push(path.display().to_string());
            continue;
        }
        let target = reach(&path, &canonical)?;
        let text = read_regular(&target, &path)?;
        found.overrides.push(Override {
            name,
            origin: path.display().to_string(),
            text,
        });
    }
    Ok(found)
}

/// Returns the regular file that `path` is or links to inside `canonical`.
fn reach(path: &Path, canonical: &Path) -> Result<std::path::PathBuf, Error> {
    let shown = || path.display().to_string();
    let meta = std::fs::symlink_metadata(path).map_err(|source| Error::ReadOverride {
        path: shown(),
        source,
    })?;
    if meta.is_file() {
        return Ok(path.to_path_buf());
    }
    if !meta.file_type().is_symlink() {
        return Err(Error::NotAFile {
            path: shown(),
            kind: file_kind::named(meta.file_type()),
        });
    }
    let target = path
        .canonicalize()
        .map_err(|_| Error::LinkNowhere { path: shown() })?;
    if !target.starts_with(canonical) {
        return Err(Error::LinkLeaves {
            path: shown(),
            target: target.display().to_string(),
        });
    }
    // The canonical path holds no links: what lstat sees is the file.
    let meta = std::fs::symlink_metadata(&target).map_err(|source| Error::ReadOverride {
        path: shown(),
        source,
    })?;
    if !meta.is_file() {
        return Err(Error::NotAFile {
            path: shown(),
            kind: file_kind::named(meta.file_type()),
        });
    }
    Ok(target)
}

/// Opens a file that lstat found regular, refusing it should it have been
/// replaced since: without following a link, without waiting on a FIFO, and
/// checking the opened file again.
fn read_regular(path: &Path, shown: &Path) -> Result<String, Error> {
    let err = |source| Error::ReadOverride {
        path: shown.display().to_string(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let file = options.open(path).map_err(err)?;
    let meta = file.metadata().map_err(err)?;
    if !meta.is_file() {
        return Err(Error::NotAFile {
            path: shown.display().to_string(),
            kind: file_kind::named(meta.file_type()),
        });
    }
    let mut bytes = Vec::new();
    file.take(MAX_TEMPLATE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(err)?;
    text(shown.display().to_string(), bytes)
}

/// Checks the size and encoding of an override's bytes.
pub fn text(origin: String, bytes: Vec<u8>) -> Result<String, Error> {
    if bytes.len() > MAX_TEMPLATE_BYTES {
        return Err(Error::TooLarge {
            path: origin,
            limit: MAX_TEMPLATE_BYTES,
        });
    }
    String::from_utf8(bytes).map_err(|_| Error::NotUtf8 { path: origin })
}

/// One entry of a templates folder as a Git tree lists it, by path relative
/// to the folder.
#[derive(Clone, Debug)]
pub enum Entry<T> {
    /// A blob, by its id.
    File(T),
    /// A symbolic link, by its target.
    Link(String),
    /// Anything else, such as a submodule.
    Other,
}

/// Which blobs of a Git listing are overrides: name, origin and blob id.
#[derive(Debug)]
pub struct Plan<T> {
    pub chosen: Vec<(String, String, T)>,
    pub unknown: Vec<String>,
}

/// Applies the working tree's rule to the listing of `folder` at `rev`.
pub fn plan_tree<T: Clone>(
    folder: &str,
    rev: &str,
    entries: &[(String, Entry<T>)],
) -> Result<Plan<T>, Error> {
    let by_path: BTreeMap<&str, &Entry<T>> = entries.iter().map(|(p, e)| (p.as_str(), e)).collect();
    let tops: BTreeSet<&str> = entries
        .iter()
        .map(|(p, _)| p.split('/').next().unwrap_or(p))
        .collect();
    let mut plan = Plan {
        chosen: Vec::new(),
        unknown: Vec::new(),
    };
    for top in tops {
        let origin = format!("{folder}/{top} at {rev}");
        if !is_template(top) {
            plan.unknown.push(origin);
            continue;
        }
        let id = follow(folder, top, &by_path).map_err(|e| e.at(origin.clone()))?;
        plan.chosen.push((top.to_string(), origin, id));
    }
    Ok(plan)
}

/// Why a path of a listing reaches no blob, before it is named.
enum Miss {
    NotAFile(&'static str),
    Leaves(String),
    Nowhere,
}

impl Miss {
    fn at(self, path: String) -> Error {
        match self {
            Miss::NotAFile(kind) => Error::NotAFile { path, kind },
            Miss::Leaves(target) => Error::LinkLeaves { path, target },
            Miss::Nowhere => Error::LinkNowhere { path },
        }
    }
}

/// Follows `path` through links to a blob of the listing.
fn follow<T: Clone>(
    folder: &str,
    path: &str,
    by_path: &BTreeMap<&str, &Entry<T>>,
) -> Result<T, Miss> {
    let is_folder =
        |p: &str| p.is_empty() || by_path.keys().any(|k| k.starts_with(&format!("{p}/")));
    let mut current = path.to_string();
    for _ in 0..MAX_LINKS {
        match by_path.get(current.as_str()) {
            Some(Entry::File(id)) => return Ok(id.clone()),
            Some(Entry::Other) => return Err(Miss::NotAFile("a submodule")),
            Some(Entry::Link(target)) => {
                current = rules::resolve_link(folder, &current, target)
                    .ok_or(Miss::Leaves(target.clone()))?;
            }
            None if is_folder(&current) => return Err(Miss::NotAFile("a folder")),
            None => return Err(Miss::Nowhere),
        }
    }
    Err(Miss::Nowhere)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_git_listing_gets_the_working_tree_verdict() {
        let entries = vec![
            ("CODEOWNERS".to_string(), Entry::Link("real".into())),
            ("real".to_string(), Entry::File(7)),
            ("summary.md".to_string(), Entry::Link("../x".into())),
        ];
        let err = plan_tree("templates", "HEAD", &entries).unwrap_err();
        assert!(matches!(err, Error::LinkLeaves { .. }), "{err}");
        let plan = plan_tree("templates", "HEAD", &entries[..2]).unwrap();
        assert_eq!(plan.chosen.len(), 1);
        assert_eq!(plan.chosen[0].2, 7);
        assert_eq!(plan.unknown, vec!["templates/real at HEAD".to_string()]);
        let folder = vec![("report.html/x".to_string(), Entry::File(1))];
        let err = plan_tree("templates", "HEAD", &folder).unwrap_err();
        assert!(err.to_string().contains("a folder"), "{err}");
    }
}
