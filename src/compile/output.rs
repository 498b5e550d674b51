//! Writes a baseline into its output folder so that no reader ever sees half
//! of one: files go to a temporary sibling folder that is then moved into
//! place. An output that is a file, or a folder holding files govern did not
//! write, is never touched.

use super::manifest::{hex, Entry, MANIFEST};
use super::Pieces;
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Why the baseline could not be written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path} is a file, not an output folder")]
    OutIsFile { path: PathBuf },
    #[error("{path} holds files that govern did not write, such as {example}")]
    ForeignFiles { path: PathBuf, example: String },
    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot move the new baseline into {path}")]
    Replace {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Files a previous govern run may leave beside the listed ones.
const OWN_FILES: &[&str] = &[MANIFEST, "MANIFEST.json.sig"];

/// A baseline being written: files go into a temporary folder beside the
/// output as they are compiled, and `commit` moves it into place whole. A
/// staging folder that is dropped uncommitted is removed, so a failed
/// build leaves the previous output as it was.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    retired: PathBuf,
    /// Folders made below `dir` so far.
    made: Mutex<HashSet<PathBuf>>,
    committed: bool,
}

impl Staging {
    /// Checks that `out` may be replaced, and makes the staging folder.
    pub fn begin(out: &Path) -> Result<Staging, Error> {
        if out.is_file() {
            return Err(Error::OutIsFile {
                path: out.to_path_buf(),
            });
        }
        if out.is_dir() {
            ensure_ours(out)?;
        }
        let name = out
            .file_name()
            .map_or_else(|| "dist".into(), |n| n.to_string_lossy().into_owned());
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|source| Error::Write {
            path: parent.clone(),
            source,
        })?;
        let pid = std::process::id();
        let dir = parent.join(format!(".{name}.govern-new-{pid}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).map_err(|source| Error::Write {
            path: dir.clone(),
            source,
        })?;
        Ok(Staging {
            out: out.to_path_buf(),
            retired: parent.join(format!(".{name}.govern-old-{pid}")),
            made: Mutex::new(HashSet::from([dir.clone()])),
            dir,
            committed: false,
        })
    }

    /// Writes one file, `path` relative to the output folder with `/`
    /// between folders. Safe to call from many threads at once.
    pub fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        let target = self.target(path)?;
        std::fs::write(&target, bytes).map_err(|source| Error::Write {
            path: target,
            source,
        })
    }

    /// The staged place of `path`, with its folder made.
    fn target(&self, path: &str) -> Result<PathBuf, Error> {
        let target = self.dir.join(path);
        if let Some(folder) = target.parent() {
            let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
            if !made.contains(folder) {
                std::fs::create_dir_all(folder).map_err(|source| Error::Write {
                    path: folder.to_path_buf(),
                    source,
                })?;
                made.insert(folder.to_path_buf());
            }
        }
        Ok(target)
    }

    /// Writes one compiled file, hashing its pieces as they go out, and
    /// returns what the manifest records of it: the store of
    /// [`super::compile_into`] for a build onto disk.
    pub fn keep(&self, path: &str, pieces: Pieces) -> Result<Entry, Error> {
        let target = self.target(path)?;
        let failed = |source| Error::Write {
            path: target.clone(),
            source,
        };
        let mut file = std::fs::File::create(&target).map_err(failed)?;
        let mut hasher = Sha256::new();
        let mut size = 0;
        for piece in &pieces.0 {
            hasher.update(piece);
            size += piece.len();
            file.write_all(piece).map_err(failed)?;
        }
        Ok(Entry {
            sha256: hex(&hasher.finalize()),
            size,
        })
    }

    /// Moves the staged baseline into place, replacing the previous one.
    pub fn commit(mut self) -> Result<(), Error> {
        let had_old = self.out.exists();
        if had_old {
            std::fs::rename(&self.out, &self.retired).map_err(|source| Error::Replace {
                path: self.out.clone(),
                source,
            })?;
        }
        if let Err(source) = std::fs::rename(&self.dir, &self.out) {
            if had_old {
                let _ = std::fs::rename(&self.retired, &self.out);
            }
            return Err(Error::Replace {
                path: self.out.clone(),
                source,
            });
        }
        self.committed = true;
        if had_old {
            let _ = std::fs::remove_dir_all(&self.retired);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Refuses a folder unless every file in it is listed by its MANIFEST.json
/// (or is the manifest or its signature).
fn ensure_ours(out: &Path) -> Result<(), Error> {
    let listed: BTreeSet<String> = std::fs::read(out.join(MANIFEST))
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
        .unwrap_or_default();
    let files = files_below(out).map_err(|(path, source)| Error::Write { path, source })?;
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

/// Lists every file below `root` as a path relative to it, with `/` between
/// folders. A folder that cannot be listed comes back with its error.
pub fn files_below(root: &Path) -> Result<Vec<String>, (PathBuf, std::io::Error)> {
    let mut files = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(relative) = stack.pop() {
        let dir = root.join(&relative);
        let entries = std::fs::read_dir(&dir).map_err(|e| (dir.clone(), e))?;
        for entry in entries.flatten() {
            let path = relative.join(entry.file_name());
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path);
            } else {
                files.push(path.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Stages `files` (with their manifest, as a build writes one) and
    /// commits them to `out`.
    fn write(out: &Path, files: &[(&str, &str)]) -> Result<(), Error> {
        let staging = Staging::begin(out)?;
        let mut entries = BTreeMap::new();
        for (path, text) in files {
            let pieces = Pieces(text.as_bytes().chunks(2).map(<[u8]>::to_vec).collect());
            entries.insert(path.to_string(), staging.keep(path, pieces)?);
        }
        let manifest = super::super::manifest::document(&entries, &Default::default());
        staging.put(MANIFEST, &manifest)?;
        staging.commit()
    }

    #[test]
    fn replaces_a_previous_baseline_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        write(&out, &[("a/old.md", "old")]).unwrap();
        write(&out, &[("new.md", "new text")]).unwrap();
        assert!(!out.join("a/old.md").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("new.md")).unwrap(),
            "new text"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders are cleaned up");
    }

    #[test]
    fn pieces_are_written_and_hashed_as_one_file() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::begin(&dir.path().join("dist")).unwrap();
        let pieces = Pieces(vec![b"gov".to_vec(), Vec::new(), b"ern\n".to_vec()]);
        let entry = staging.keep("deep/er/file.txt", pieces).unwrap();
        assert_eq!(entry.size, 7);
        assert_eq!(
            entry.sha256,
            super::super::manifest::sha256_hex(b"govern\n")
        );
        staging.commit().unwrap();
        let text = std::fs::read_to_string(dir.path().join("dist/deep/er/file.txt")).unwrap();
        assert_eq!(text, "govern\n");
    }

    #[test]
    fn an_uncommitted_staging_folder_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        write(&out, &[("kept.md", "kept")]).unwrap();
        let staging = Staging::begin(&out).unwrap();
        staging.put("half.md", b"half").unwrap();
        drop(staging);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "only the output is left");
        assert!(out.join("kept.md").is_file());
        assert!(!out.join("half.md").exists());
    }

    #[test]
    fn never_clobbers_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        std::fs::write(&out, "precious").unwrap();
        let err = write(&out, &[("x", "y")]).unwrap_err();
        assert!(matches!(err, Error::OutIsFile { .. }));
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "precious");
    }

    #[test]
    fn never_clobbers_foreign_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        write(&out, &[("x.md", "y")]).unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let err = write(&out, &[("x.md", "z")]).unwrap_err();
        assert!(err.to_string().contains("notes.txt"), "{err}");
        assert_eq!(
            std::fs::read_to_string(out.join("notes.txt")).unwrap(),
            "mine"
        );
        assert_eq!(std::fs::read_to_string(out.join("x.md")).unwrap(), "y");
    }
}
