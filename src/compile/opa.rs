//! The OPA bundle: `.manifest`, `governance/data.json` and
//! `governance/authz.rego`, packed into a deterministic `bundle.tar.gz`
//! (sorted entries, fixed metadata, gzip without a timestamp).
//!
//! The Rego policy is the same text for every repository; everything that
//! varies lives in data.json, so no id can ever break or inject policy code.

use super::runtime::AssetRuntime;
use super::{json_bytes, Error, Provenance, Templates};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;

/// The files of the bundle, by path inside the archive.
pub fn files(
    runtimes: &[AssetRuntime],
    provenance: &Provenance,
    templates: &Templates,
) -> Result<BTreeMap<String, Vec<u8>>, Error> {
    let assets: serde_json::Map<String, Value> = runtimes
        .iter()
        .map(|r| {
            (
                r.id.clone(),
                serde_json::to_value(r).expect("runtime data serializes"),
            )
        })
        .collect();
    let revision = provenance
        .commit
        .clone()
        .unwrap_or_else(|| "worktree".into());
    let manifest = json!({
        "revision": revision,
        "roots": ["governance"],
        "rego_version": 1,
        "metadata": {
            "generator": "govern",
            "version": env!("CARGO_PKG_VERSION"),
            "commit": provenance.commit,
        },
    });
    let mut files = BTreeMap::new();
    files.insert(".manifest".to_string(), json_bytes(&manifest));
    files.insert(
        "governance/data.json".to_string(),
        json_bytes(&json!({ "assets": assets })),
    );
    files.insert(
        "governance/authz.rego".to_string(),
        templates.render("authz.rego", ())?.into_bytes(),
    );
    Ok(files)
}

/// Packs `files` into a gzipped tar with fixed metadata, entries sorted.
pub fn archive(files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let gz = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    tar.mode(tar::HeaderMode::Deterministic);
    for (path, bytes) in files {
        let mut header = tar::Header::new_ustar();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        header.set_entry_type(tar::EntryType::Regular);
        // Writing into memory cannot fail; paths are our own, short and relative.
        tar.append_data(&mut header, path, bytes.as_slice())
            .expect("writing a tar entry into memory");
    }
    let gz = tar.into_inner().expect("finishing a tar in memory");
    let mut out = gz.finish().expect("finishing gzip in memory");
    out.flush().expect("flushing memory");
    out
}
