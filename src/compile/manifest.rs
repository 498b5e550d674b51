//! MANIFEST.json: every file of the baseline with its SHA-256 and size, the
//! source commit, tree id and tool version.

use super::{json_bytes, Baseline, Provenance};
use rayon::prelude::*;
use serde_json::json;
use sha2::{Digest, Sha256};

/// The manifest's file name; it does not list itself.
pub const MANIFEST: &str = "MANIFEST.json";

/// Returns the lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Builds MANIFEST.json over every file of `baseline`, sorted by path.
pub fn build(baseline: &Baseline, provenance: &Provenance) -> Vec<u8> {
    let files: Vec<serde_json::Value> = baseline
        .files
        .par_iter()
        .filter(|(path, _)| path.as_str() != MANIFEST)
        .map(
            |(path, bytes)| json!({"path": path, "sha256": sha256_hex(bytes), "size": bytes.len()}),
        )
        .collect();
    json_bytes(json!({
        "format": 1,
        "tool": "govern",
        "version": env!("CARGO_PKG_VERSION"),
        "commit": provenance.commit,
        "tree": provenance.tree,
        "dirty": provenance.dirty,
        "date": provenance.date,
        "files": files,
    }))
}

/// Adds MANIFEST.json to the baseline.
pub fn seal(baseline: &mut Baseline, provenance: &Provenance) {
    let manifest = build(baseline, provenance);
    baseline.add(MANIFEST, manifest);
}
