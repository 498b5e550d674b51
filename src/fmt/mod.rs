//! `govern fmt`: the declaration files in one canonical form
//! ([`canonical`]), so that reviews see what changed rather than how it
//! was typed. Files are found as the loader finds them; each is formatted
//! on its own and replaced whole ([`crate::replace`]), or left alone when it is not
//! TOML, not a regular file, or already canonical.

pub mod canonical;

use crate::load::{Body, Input};
use std::path::{Path, PathBuf};

pub use crate::replace::Error as WriteError;
pub use canonical::{format, ParseError};

/// What formatting one file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Already in canonical form.
    Canonical,
    /// Not in canonical form: the text it should hold.
    Changes(String),
    /// Not TOML: left alone.
    NotToml(ParseError),
    /// Not a file fmt may rewrite (refused by the loader, a symbolic link,
    /// not UTF-8): left alone, for this reason.
    Skipped(String),
}

/// One declaration file and its verdict.
#[derive(Debug)]
pub struct File {
    /// Repository-relative path, as diagnostics name it.
    pub name: String,
    /// The text read, for placing a parse error.
    pub text: String,
    pub verdict: Verdict,
}

/// Formats every input below `root` in memory: nothing is written.
pub fn plan(root: &Path, inputs: Vec<Input>) -> Vec<File> {
    inputs
        .into_iter()
        .map(|input| {
            let is_link = std::fs::symlink_metadata(root.join(&input.name))
                .is_ok_and(|m| m.file_type().is_symlink());
            let (text, verdict) = match input.body {
                Body::Refused(why) => (String::new(), Verdict::Skipped(why)),
                Body::Bytes(_) if is_link => (
                    String::new(),
                    Verdict::Skipped(
                        "a symbolic link; the file it names is formatted instead".into(),
                    ),
                ),
                Body::Bytes(bytes) => match String::from_utf8(bytes) {
                    Err(_) => (String::new(), Verdict::Skipped("not UTF-8 text".into())),
                    Ok(text) => {
                        let verdict = match format(&text, input.is_settings) {
                            Ok(formatted) if formatted == text => Verdict::Canonical,
                            Ok(formatted) => Verdict::Changes(formatted),
                            Err(e) if e.message == canonical::UNKEPT => Verdict::Skipped(e.message),
                            Err(e) => Verdict::NotToml(e),
                        };
                        (text, verdict)
                    }
                },
            };
            File {
                name: input.name,
                text,
                verdict,
            }
        })
        .collect()
}

/// Keeps the files at or below one of `paths` (relative to `cwd`);
/// returns the paths that name no declaration file of the folder.
pub fn select(
    root: &Path,
    cwd: &Path,
    files: Vec<File>,
    paths: &[PathBuf],
) -> (Vec<File>, Vec<PathBuf>) {
    if paths.is_empty() {
        return (files, Vec::new());
    }
    let absolute = |p: &Path| {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            cwd.join(p)
        };
        normalize(&p)
    };
    let wanted: Vec<PathBuf> = paths.iter().map(|p| absolute(p)).collect();
    let root = absolute(root);
    let mut matched = vec![false; wanted.len()];
    let kept = files
        .into_iter()
        .filter(|f| {
            let at = root.join(&f.name);
            let mut keep = false;
            for (i, w) in wanted.iter().enumerate() {
                if at.starts_with(w) {
                    matched[i] = true;
                    keep = true;
                }
            }
            keep
        })
        .collect();
    let unknown = paths
        .iter()
        .zip(matched)
        .filter(|(_, m)| !m)
        .map(|(p, _)| p.clone())
        .collect();
    (kept, unknown)
}

/// Removes `.` and resolves `..` by the text alone, as the loader names
/// files, so that `./governance/../governance/a.toml` is that file.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in p.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Writes the canonical text of every file that changes, each replaced
/// whole, and returns the files written and the first failure, which
/// stops the writing and names its file.
pub fn apply(root: &Path, files: &[File]) -> (Vec<String>, Option<WriteError>) {
    let mut written = Vec::new();
    for f in files {
        if let Verdict::Changes(text) = &f.verdict {
            if let Err(e) = crate::replace::replace(
                &root.join(&f.name),
                Some(f.text.as_bytes()),
                text.as_bytes(),
            ) {
                return (written, Some(e));
            }
            written.push(f.name.clone());
        }
    }
    (written, None)
}

#[cfg(test)]
mod tests;
