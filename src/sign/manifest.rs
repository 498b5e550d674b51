//! MANIFEST.json as verification reads it: format 1, and a file list whose
//! every path is a normalised relative path inside the release, listed once,
//! in sorted order, with its size and SHA-256. The release itself wrote it,
//! so nothing in it is trusted before its signature is checked, and nothing
//! in it (its commit, its tree) decides whether a key is trusted.

use serde::Deserialize;

pub use crate::compile::manifest::{MANIFEST, SIGNATURE};

/// Why MANIFEST.json cannot be read as a govern manifest.
#[derive(Debug, thiserror::Error)]
#[error("MANIFEST.json is not a govern manifest: {0}")]
pub struct Malformed(pub String);

/// One file the manifest lists.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Listed {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

/// MANIFEST.json as verification reads it. Keys may be added to the
/// format, so unknown keys are ignored; a key given twice is an error.
#[derive(Clone, Debug, Deserialize)]
pub struct Manifest {
    pub format: u64,
    #[serde(default)]
    pub commit: Option<String>,
    #[serde(default)]
    pub tree: Option<String>,
    #[serde(default)]
    pub dirty: bool,
    pub files: Vec<Listed>,
}

impl Manifest {
    /// Parses a manifest and checks its file list: format 1, every path a
    /// normalised relative path, listed once, in sorted order, with a
    /// SHA-256 in lowercase hex.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, Malformed> {
        let manifest: Manifest =
            serde_json::from_slice(bytes).map_err(|e| Malformed(e.to_string()))?;
        if manifest.format != 1 {
            return Err(Malformed(format!(
                "its format is {}, and govern reads format 1",
                manifest.format
            )));
        }
        if let Some(commit) = &manifest.commit {
            if !is_hex(commit, 40) {
                return Err(Malformed(format!("commit `{commit}` is not a commit id")));
            }
        }
        let mut previous: Option<&str> = None;
        for file in &manifest.files {
            let path = file.path.as_str();
            if let Some(problem) = path_problem(path) {
                return Err(Malformed(format!("path {path:?} {problem}")));
            }
            if !is_hex(&file.sha256, 64) {
                return Err(Malformed(format!(
                    "the sha256 of {path} is not 64 lowercase hex digits"
                )));
            }
            match previous {
                Some(p) if p == path => return Err(Malformed(format!("{path} is listed twice"))),
                Some(p) if p > path => {
                    return Err(Malformed(format!(
                        "files are not sorted by path: {p} comes before {path}"
                    )))
                }
                _ => previous = Some(path),
            }
        }
        Ok(manifest)
    }
}

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Says what is wrong with a manifest path, if anything: it must be a
/// relative path of plain segments that stays inside the release.
fn path_problem(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        Some("is empty")
    } else if path.starts_with('/') {
        Some("is absolute")
    } else if path.contains('\\') {
        Some("holds a backslash")
    } else if path.contains('\0') {
        Some("holds a NUL byte")
    } else if path.split('/').any(str::is_empty) {
        Some("has an empty segment")
    } else if path.split('/').any(|s| s == "." || s == "..") {
        Some("has a `.` or `..` segment")
    } else if path.split('/').any(|s| s.eq_ignore_ascii_case(".git")) {
        Some("has a `.git` segment, which no release holds")
    } else if path == MANIFEST || path == SIGNATURE {
        Some("is the manifest or its signature, which the manifest never lists")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

    fn manifest(files: &[(&str, u64)]) -> String {
        let files: Vec<serde_json::Value> = files
            .iter()
            .map(|(p, s)| serde_json::json!({"path": p, "sha256": HASH, "size": s}))
            .collect();
        serde_json::json!({"format": 1, "commit": null, "dirty": false, "files": files}).to_string()
    }

    fn refused(files: &[(&str, u64)]) -> String {
        Manifest::parse(manifest(files).as_bytes())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn reads_a_sorted_list_of_plain_paths() {
        let m = Manifest::parse(manifest(&[("a.md", 1), ("raci/b.md", 2)]).as_bytes()).unwrap();
        assert_eq!(m.files.len(), 2);
        assert_eq!(m.files[1].size, 2);
    }

    #[test]
    fn refuses_paths_that_leave_the_release_or_are_not_plain() {
        for (path, says) in [
            ("", "is empty"),
            ("/etc/passwd", "is absolute"),
            ("a\\b", "backslash"),
            ("a\0b", "NUL"),
            ("a//b", "empty segment"),
            ("a/", "empty segment"),
            ("../x", "`..`"),
            ("a/./b", "`..`"),
            ("MANIFEST.json", "never lists"),
            (".git/config", "`.git`"),
            ("a/.GIT/HEAD", "`.git`"),
            ("MANIFEST.json.sig", "never lists"),
        ] {
            let error = refused(&[(path, 1)]);
            assert!(error.contains(says), "{path:?}: {error}");
        }
    }

    #[test]
    fn refuses_duplicates_and_unsorted_lists() {
        assert!(refused(&[("a", 1), ("a", 1)]).contains("a is listed twice"));
        assert!(refused(&[("b", 1), ("a", 1)]).contains("not sorted by path: b comes before a"));
    }

    #[test]
    fn refuses_other_formats_bad_hashes_and_repeated_keys() {
        let other = manifest(&[]).replace(r#""format":1"#, r#""format":2"#);
        assert!(Manifest::parse(other.as_bytes()).is_err());
        let short = manifest(&[("a", 1)]).replace(HASH, "abc");
        assert!(Manifest::parse(short.as_bytes())
            .unwrap_err()
            .to_string()
            .contains("64 lowercase hex"));
        let twice = manifest(&[]).replace(r#""files""#, r#""files":[],"files""#);
        assert!(Manifest::parse(twice.as_bytes()).is_err());
        let negative = manifest(&[("a", 1)]).replace(r#""size":1"#, r#""size":-1"#);
        assert!(Manifest::parse(negative.as_bytes()).is_err());
    }
}
