//! MANIFEST.json: every file of the baseline with its SHA-256 and size, the
//! source commit, tree id and tool version.

use super::{json, Provenance};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The manifest's file name; it does not list itself.
pub const MANIFEST: &str = "MANIFEST.json";

/// The file name of the manifest's signature, written beside it by
/// `release`.
pub const SIGNATURE: &str = "MANIFEST.json.sig";

/// Returns the lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Returns `bytes` as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the manifest records of one file.
#[derive(Clone, Debug)]
pub struct Entry {
    pub sha256: String,
    pub size: usize,
}

impl Entry {
    pub fn of(bytes: &[u8]) -> Entry {
        Entry {
            sha256: sha256_hex(bytes),
            size: bytes.len(),
        }
    }
}

/// Builds MANIFEST.json over `files`, sorted by path.
pub fn document(files: &BTreeMap<String, Entry>, provenance: &Provenance) -> Vec<u8> {
    let files: Vec<serde_json::Value> = files
        .iter()
        .filter(|(path, _)| path.as_str() != MANIFEST)
        .map(|(path, e)| json!({"path": path, "sha256": e.sha256, "size": e.size}))
        .collect();
    json::value_bytes(json!({
        "format": 1,
        "tool": "govern",
        "version": env!("CARGO_PKG_VERSION"),
        "commit": provenance.commit,
        "tree": provenance.tree,
        "dirty": provenance.dirty,
        "files": files,
    }))
}
